/**
 * Fuzz target of the market page parser (adapters/markets parseMarketPage): the pages of the three
 * fixture markets (home, index, listing and vendor pages of test/fixtures/market's sites) mutated
 * as text (HTML tokens, hostile fragments, deep nesting, truncation, splices between pages) and as
 * bytes (invalid UTF-8), random tag soup and random bytes; under the market's own profile or the
 * generic heuristic one, at the page's URL or another, with odd statuses and charsets.
 *
 * An accepted page yields records of the profile's market, whose page references point into the
 * archived body, and whose addresses are valid.
 */
import fc from 'fast-check';
import { fixtureOnionHost, fixtureSite, type FixtureMarketId } from '../../adapters/markets/fixtures/index.js';
import { MARKET_PROFILES, genericProfile, parseMarketPage, type MarketProfile } from '../../adapters/markets/index.js';
import { validateAddress } from '../../src/addresses/index.js';
import type { PageRef } from '../../src/model/index.js';
import { archivedPage } from '../fixtures/market/pages.js';
import type { FuzzTarget } from './harness.js';
import { applyByteOps, applyTextOps, byteOps, textOps, type ByteOp, type TextOp } from './mutate.js';

const MARKETS: FixtureMarketId[] = ['aurora', 'mangrove', 'pangolin'];

interface SitePage {
  readonly market: FixtureMarketId;
  readonly path: string;
  readonly html: string;
}

let pages: SitePage[] | undefined;
const profiles = new Map<string, MarketProfile>();

function loadPages(): SitePage[] {
  if (pages) return pages;
  pages = MARKETS.flatMap((market) => {
    const site = fixtureSite(market);
    const { paths } = site;
    const chosen = [paths.home, ...paths.index.slice(0, 2), ...paths.listings.slice(0, 6), ...paths.vendors.slice(0, 4)];
    profiles.set(market, MARKET_PROFILES[market]);
    profiles.set(`${market}/generic`, genericProfile({ hosts: [fixtureOnionHost(market)] }));
    return chosen.map((path) => ({ market, path, html: site.page(path) as string }));
  });
  return pages;
}

const HTML_TOKENS = [
  '<div>', '</div>', '<p>', '<table>', '<tr>', '<td>', '</td>', '<ul><li>', '<a href="/vendor/x">', '<a href="/item/1">', '<!--', '-->', '<script>', '</script>',
  '<style>', '<svg><style>', '<math>', '<template>', '<noscript>', '<textarea>', '<title>', '<h1 class="item-title">', 'Price: ', '€1,00', '1.234,56 EUR', '0.0031 BTC',
  '<pre class="pgp">-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ', '-----END PGP PUBLIC KEY BLOCK-----', '&amp;', '&#xFFFFFFFF;', '&bogus;', '"', "'", '<', '>', '\u0000',
  '<meta charset="shift_jis">', '<meta http-equiv="content-type" content="text/html; charset=utf-16le">', '<base href="http://evil.example/">', '<img src=x onerror=alert(1)>',
  '<form action="/login"><input type="password">', 'captcha', 'Please wait in the queue', '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx', 'bitcoin:bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6',
  'telegram: @x', 'wickr: y', '<span a="1" b="2" c="3">', '<b>', '<i>',
];
const CONTENT_TYPES = ['text/html; charset=utf-8', 'text/html', 'text/html; charset=iso-8859-1', 'text/html; charset=shift_jis', 'text/html; charset=utf-16le', 'text/html; charset=bogus', 'application/json', ''];

type Body = { readonly kind: 'mutated'; readonly ops: TextOp[]; readonly bytes: ByteOp[] } | { readonly kind: 'soup'; readonly pieces: string[] } | { readonly kind: 'bytes'; readonly data: Uint8Array };

interface MarketCase {
  readonly page: number;
  readonly generic: boolean;
  /** parse at another page's URL (so the link rules pick another kind) */
  readonly otherUrl: number | null;
  readonly body: Body;
  readonly status: number;
  readonly contentType: string;
}

function checkRef(ref: PageRef | undefined, sha256: string, size: number): void {
  if (!ref) return;
  if (ref.sha256 !== sha256) throw new Error(`page reference to ${ref.sha256}, not the page`);
  if (ref.span && !(ref.span[0] >= 0 && ref.span[0] <= ref.span[1] && ref.span[1] <= size)) throw new Error(`span ${ref.span} outside the ${size}-byte body`);
}

/** The market page parser. */
export const markets: FuzzTarget<MarketCase> = {
  name: 'markets',
  description: 'parseMarketPage: fixture market pages mutated (text and bytes), tag soup, random bytes; market and generic profiles',
  runs: { test: 250, full: 3000 },
  boundMs: 5000,
  setup: () => void loadPages(),
  arbitrary: () =>
    fc.record({
      page: fc.nat(),
      generic: fc.nat(3).map((n) => n === 0),
      otherUrl: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
      body: fc.oneof(
        {
          weight: 6,
          arbitrary: fc.record({
            kind: fc.constant('mutated' as const),
            ops: textOps(HTML_TOKENS, { maxOps: 4, maxRepeat: 2000 }),
            bytes: fc.oneof({ weight: 4, arbitrary: fc.constant<ByteOp[]>([]) }, { weight: 1, arbitrary: byteOps(3) }),
          }),
        },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('soup' as const), pieces: fc.array(fc.oneof(fc.constantFrom(...HTML_TOKENS), fc.string({ maxLength: 20 })), { maxLength: 200 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes' as const), data: fc.uint8Array({ maxLength: 2000 }) }) },
      ),
      status: fc.constantFrom(200, 200, 200, 200, 200, 200, 200, 200, 403, 404, 503),
      contentType: fc.oneof({ weight: 5, arbitrary: fc.constant(CONTENT_TYPES[0]) }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
    }),
  async run(c) {
    const all = loadPages();
    const p = all[c.page % all.length];
    const html = p.html;
    let body: Uint8Array;
    if (c.body.kind === 'mutated') {
      const text = applyTextOps(html, c.body.ops, all.map((o) => o.html));
      const bytes = new TextEncoder().encode(text);
      body = c.body.bytes.length ? applyByteOps({ bytes, boundaries: [], varints: [] }, c.body.bytes) : bytes;
    } else body = c.body.kind === 'soup' ? new TextEncoder().encode(c.body.pieces.join('')) : c.body.data;
    const path = c.otherUrl === null ? p.path : all[c.otherUrl % all.length].path;
    const page = archivedPage(`http://${fixtureOnionHost(p.market)}${path}`, body, { status: c.status, headers: c.contentType ? { 'content-type': c.contentType } : {} });
    const profile = profiles.get(c.generic ? `${p.market}/generic` : p.market)!;
    const parsed = await parseMarketPage(page, profile);
    for (const l of parsed.listings) {
      if (l.market !== profile.id || !l.id.startsWith(`${profile.id}/`)) throw new Error(`listing ${l.id} of market ${l.market} from a ${profile.id} page`);
      checkRef(l.source, page.sha256, body.length);
      for (const a of l.addresses ?? []) if (validateAddress(a.address)?.chain !== a.chain) throw new Error(`invalid address ${a.address}`);
    }
    for (const v of parsed.vendors) {
      if (v.market !== profile.id || !v.handle) throw new Error(`vendor ${v.id} without handle or of market ${v.market}`);
      checkRef(v.source, page.sha256, body.length);
      for (const f of v.pgpFingerprints ?? []) if (!/^[0-9A-F]{40}(?:[0-9A-F]{24})?$/.test(f)) throw new Error(`fingerprint ${f}`);
    }
  },
};
