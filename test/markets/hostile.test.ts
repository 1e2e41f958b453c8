// Hostile and broken HTML: parsing stays within a time bound, never runs anything, never throws
// anything but typed errors, and still reads what is readable.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureOnionHost, fixtureSite } from '../../adapters/markets/fixtures/index.js';
import { auroraProfile, defineProfile, parseMarketPage, type MarketProfile } from '../../adapters/markets/index.js';
import { InvalidInputError } from '../../src/model/index.js';
import { archivedPage } from '../fixtures/market/pages.js';

const site = fixtureSite('aurora');
const origin = `http://${fixtureOnionHost('aurora')}`;
const listingPath = site.paths.listings[0];
const listingHtml = site.page(listingPath) as string;
const truth = site.catalogue.listings[0];
// the unguarded parser needed more than 5 minutes for 10^5 nested elements on this machine
const BOUND_MS = 30_000;

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, performance.now() - t0];
}

/** The Aurora listing page with `payload` spliced into its description. */
const withPayload = (payload: string): string => listingHtml.replace('<div class="item-desc"><p>', `<div class="item-desc"><p>${payload}`);

describe('hostile HTML', () => {
  let server: Server;
  let hits = 0;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end('x');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it.each([
    ['div', '', '<div>'],
    ['b (formatting elements)', '', '<b>'],
    ['a', '', '<a href="/item/1">'],
    ['table/tr/td', '', '<table><tr><td>'],
    ['svg', '', '<svg>'],
    ['div after <svg><style> (style is no raw text in SVG)', '<svg><style>', '<div>'],
    ['li/p (implied end tags)', '', '<ul><li><p>'],
  ])('10^5 nested %s elements parse within the bound and the listing is still read', async (_name, prefix, open) => {
    const html = listingHtml.replace('</body>', `${prefix}${open.repeat(100_000)}deep</body>`);
    const [parsed, ms] = await timed(() => parseMarketPage(archivedPage(origin + listingPath, html), auroraProfile));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(parsed.flattened).toBeGreaterThan(90_000);
    expect(parsed.listings[0]).toMatchObject({ title: truth.title, price: truth.price, currency: truth.currency });
  });

  it('a 10 MB attribute value and 10^5 attributes on one tag parse within the bound', async () => {
    const huge = `<img alt="${'A'.repeat(10_000_000)}"><span ${Array.from({ length: 100_000 }, (_, i) => `a${i}="v"`).join(' ')}>x</span>`;
    const [parsed, ms] = await timed(() => parseMarketPage(archivedPage(origin + listingPath, withPayload(huge)), auroraProfile));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(parsed.listings[0]).toMatchObject({ title: truth.title, price: truth.price });
  });

  it('scripts, event handlers, iframes and meta refresh never run or fetch, and their text is not read', async () => {
    const url = `http://127.0.0.1:${port}/`;
    const g = globalThis as Record<string, unknown>;
    const payload = [
      `<script>globalThis.__pwned = 1; fetch("${url}script")</script>`,
      `<script src="${url}external.js"></script>`,
      `<img src="${url}img" onerror="globalThis.__pwned = 2">`,
      `<iframe src="${url}frame"></iframe>`,
      `<meta http-equiv="refresh" content="0;url=${url}refresh">`,
      `<link rel="stylesheet" href="${url}style.css"><style>@import url("${url}import.css");</style>`,
      `<script>document.write('<h1 class="item-title">FAKE TITLE</h1>')</script>`,
      `<svg onload="globalThis.__pwned = 3"><script>globalThis.__pwned = 4</script></svg>`,
    ].join('');
    const parsed = await parseMarketPage(archivedPage(origin + listingPath, withPayload(payload)), auroraProfile);
    await new Promise((r) => setTimeout(r, 200));
    expect(hits).toBe(0);
    expect(g.__pwned).toBeUndefined();
    expect(parsed.listings[0].title).toBe(truth.title);
    expect(parsed.listings[0].description).toBe(truth.description);
  });

  it('broken markup: optional and inline end tags dropped, stray end tags, NULs, invalid UTF-8 — the listing is still read', async () => {
    const noEndTags = listingHtml.replace(/<\/(?:p|li|td|th|tr|code|ul|table)>/gi, '');
    const stray = withPayload('</table></tr></div></body></html><td><<<>>>&amp;&bogus;&#xFFFFFFFF;\u0000');
    const badBytes = new TextEncoder().encode(withPayload('XX'));
    const at = Buffer.from(badBytes).indexOf('XX');
    badBytes[at] = 0xff;
    badBytes[at + 1] = 0xc3;
    for (const body of [noEndTags, stray, badBytes]) {
      const parsed = await parseMarketPage(archivedPage(origin + listingPath, body), auroraProfile);
      expect(parsed.listings[0]).toMatchObject({ id: `aurora/${truth.id}`, title: truth.title, price: truth.price, currency: truth.currency, category: truth.category });
    }
  });

  it('a page cut off anywhere never throws; a vendor page cut inside its PGP block reports the block as skipped', async () => {
    const vendorPath = site.paths.vendors[0];
    const vendorHtml = site.page(vendorPath) as string;
    const cut = vendorHtml.indexOf('-----END PGP');
    const parsed = await parseMarketPage(archivedPage(origin + vendorPath, vendorHtml.slice(0, cut)), auroraProfile);
    expect(parsed.vendors[0].handle).toBe(site.catalogue.vendors[0].handle);
    expect(parsed.vendors[0].pgpFingerprints).toBeUndefined();
    expect(parsed.skipped.some((s) => s.what === 'pgp')).toBe(true);
    for (let n = 0; n <= listingHtml.length; n += 97) {
      await parseMarketPage(archivedPage(origin + listingPath, listingHtml.slice(0, n)), auroraProfile);
    }
  });

  it('a body larger than maxBytes is refused with PAGE_TOO_LARGE', async () => {
    const err = await parseMarketPage(archivedPage(origin + listingPath, listingHtml), auroraProfile, { maxBytes: 100 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).code).toBe('PAGE_TOO_LARGE');
  });

  it('a broken profile is refused with INVALID_PROFILE naming the field', () => {
    const cases: [Partial<MarketProfile>, RegExp][] = [
      [{ id: 'Bad/Id' }, /id must be/],
      [{ hosts: [] }, /hosts must be/],
      [{ hosts: ['http://x.onion/'] }, /hosts must be/],
      [{ links: { listing: ['(unclosed'], vendor: [], pagination: [] } }, /links\.listing\[0\] is not a valid regular expression/],
      [{ listing: { id: { from: 'url' }, title: '' } as never }, /listing\.title is an empty selector/],
      [{ listing: { title: 'h1' } as never }, /listing\.id is required/],
      [{ pages: { login: [{}] } }, /pages\.login\[0\] has no condition/],
    ];
    for (const [patch, message] of cases) {
      let err: unknown;
      try {
        defineProfile({ ...auroraProfile, ...patch } as MarketProfile);
      } catch (e) {
        err = e;
      }
      expect(err, message.source).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).code).toBe('INVALID_PROFILE');
      expect((err as Error).message).toMatch(message);
    }
  });
});
