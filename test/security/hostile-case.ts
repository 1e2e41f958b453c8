/**
 * A small case whose every scraped string is hostile: a training-case world (one market, real
 * Bitcoin blocks, token transfers, a TagPack, planted trafficking flows) whose listing titles and
 * descriptions, categories, vendor handles, places, contacts and tag labels carry XSS, CSS-exfil,
 * navigation and script-breakout payloads. The market pages are rendered in the Aurora markup
 * with the text escaped as a real market would, so the payloads reach the case through the real
 * parser as text; the tag labels go through the real TagPack reader.
 *
 * Every payload that could fetch points at `leak` (a 127.0.0.1 URL the test listens on), so a
 * payload that ever ran shows as a hit there, besides `window.__pwned` being set.
 */
import { buildWorld, type World } from '../../scripts/training-case/world.js';
import { writeCaseDirectory } from '../../scripts/training-case/generate.js';

/**
 * The payloads, by name; `n` is the number a payload writes into `window.__pwned` (or puts in
 * the URL it fetches), so a hit tells which field it came from.
 */
export const PAYLOADS: Readonly<Record<string, (n: number, leak: string) => string>> = {
  script: (n) => `<script>window.__pwned=${n}</script>`,
  'img onerror': (n) => `<img src=x onerror="window.__pwned=${n}">`,
  'img src': (n, leak) => `<img src="${leak}/img/${n}">`,
  'svg onload': (n) => `<svg onload=window.__pwned=${n}>`,
  'svg script': (n) => `<svg><script>window.__pwned=${n}</script></svg>`,
  'javascript: href': (n) => `<a href="javascript:window.__pwned=${n}">js${n}</a>`,
  'data: href': (n) => `<a href="data:text/html,<script>parent.__pwned=${n}</script>">data${n}</a>`,
  'iframe srcdoc': (n) => `<iframe srcdoc="<script>parent.__pwned=${n}</script>"></iframe>`,
  'iframe src': (n, leak) => `<iframe src="${leak}/frame/${n}"></iframe>`,
  'style url()': (n, leak) => `<style>body{background:url(${leak}/css/${n})}</style>`,
  'style @import': (n, leak) => `<style>@import url("${leak}/import/${n}");</style>`,
  'inline style url()': (n, leak) => `<div style="background:url('${leak}/inline/${n}')">s${n}</div>`,
  'link stylesheet': (n, leak) => `<link rel="stylesheet" href="${leak}/link/${n}">`,
  'meta refresh': (n, leak) => `<meta http-equiv="refresh" content="0;url=${leak}/refresh/${n}">`,
  'base href': (n, leak) => `<base href="${leak}/base/${n}/">`,
  'object data': (n, leak) => `<object data="${leak}/object/${n}"></object>`,
  'form autofocus': (n, leak) => `<form action="${leak}/form/${n}"><input autofocus onfocus="window.__pwned=${n}"></form>`,
  'details ontoggle': (n) => `<details open ontoggle="window.__pwned=${n}">`,
  'attribute breakout': (n) => `"'><script>window.__pwned=${n}</script><x a="'`,
  'JSON block breakout': (n) => `</script><script>window.__pwned=${n}</script>`,
  'script-data escape': (n) => `<!--<script>window.__pwned=${n}//-->`,
  'template breakout': (n) => `\${window.__pwned=${n}}\`;window.__pwned=${n};//`,
  'JS string breakout': (n) => `';window.__pwned=${n};//";window.__pwned=${n};//\\`,
  'mXSS noscript': (n) => `<noscript><p title="</noscript><img src=x onerror=window.__pwned=${n}>">`,
  'mXSS math style': (n) => `<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=${n}>`,
  'escaped entities': (n) => `&lt;script&gt;window.__pwned=${n}&lt;/script&gt; \\u003cscript\\u003e`,
};

/** Every payload for field number `n`, one after the other. */
export function allPayloads(n: number, leak: string): string {
  return Object.values(PAYLOADS)
    .map((p) => p(n, leak))
    .join(' ');
}

/** One payload (by `n`, in turn): short enough for handles, which vendor linking compares pairwise. */
export function onePayload(n: number, leak: string): string {
  const list = Object.values(PAYLOADS);
  return list[n % list.length](n, leak);
}

/** Line and paragraph separators: JavaScript line terminators that JSON lets through raw. */
export const SEPARATORS = '\u2028\u2029';

/** What {@link writeHostileCase} wrote. */
export interface HostileCase {
  /** the case directory (training-case layout) for `investigate()` and the CLI */
  readonly dataDir: string;
  readonly world: World;
  /** the numbers used, by field, for tracing a hit back */
  readonly fields: Readonly<Record<string, readonly [number, number]>>;
}

/**
 * Builds the hostile world and writes it to `dataDir`. The listings the report shows (wildlife)
 * carry every payload in their title and description, the others one payload each in turn.
 * Number ranges per field: listing titles
 * 1000+, descriptions 2000+, categories 3000+, vendor handles 4000+, vendor places 5000+,
 * contacts 6000+, tag labels 7000+.
 */
export async function writeHostileCase(dataDir: string, leak: string): Promise<HostileCase> {
  const world = buildWorld('wildtrace-hostile', ['aurora'], { persons: 25, listingsPerAccount: [3, 4] });
  const [catalogue] = world.catalogues;
  const handleOf = new Map(catalogue.vendors.map((v, i) => [v.handle, `${v.handle}${onePayload(4000 + i, leak)}`]));
  const hostile: World = {
    ...world,
    catalogues: [
      {
        ...catalogue,
        vendors: catalogue.vendors.map((v, i) => ({
          ...v,
          handle: handleOf.get(v.handle)!,
          shipsFrom: `${v.shipsFrom} ${onePayload(5000 + i, leak)}`,
          bio: `${v.bio} ${onePayload(5500 + i, leak)}`,
          contacts: [...v.contacts, { kind: 'other' as const, value: `javascript:window.__pwned=${6000 + i}` }, { kind: 'email' as const, value: `x${i}@example.invalid"><svg onload=window.__pwned=${6500 + i}>` }],
        })),
        listings: catalogue.listings.map((l, i) => {
          // every payload in the listings the report shows (wildlife), one in turn in the others
          const some = world.truth.wildlifeListings[`${catalogue.market}/${l.id}`] !== undefined ? allPayloads : onePayload;
          return {
            ...l,
            vendor: handleOf.get(l.vendor)!,
            title: `${l.title} ${some(1000 + i, leak)}`,
            // address-like strings next to the real ones, and the payloads
            description: `${l.description} bc1q<svg onload=window.__pwned=${2300 + i}> 0x"><img src=x onerror=window.__pwned=${2600 + i}> ${some(2000 + i, leak)}`,
            category: `${l.category}${onePayload(3000 + i, leak)}`,
          };
        }),
      },
    ],
    tags: world.tags.map((t, i) => ({ ...t, label: `${t.label}${SEPARATORS}${allPayloads(7000 + i, leak)}` })),
  };
  await writeCaseDirectory(hostile, dataDir, 'hostile case <script>window.__pwned=9000</script>');
  return {
    dataDir,
    world: hostile,
    fields: { 'listing title': [1000, 1999], description: [2000, 2999], category: [3000, 3999], 'vendor handle': [4000, 4999], 'vendor place/bio': [5000, 5999], contact: [6000, 6999], 'tag label': [7000, 7999], 'case name': [9000, 9000] },
  };
}
