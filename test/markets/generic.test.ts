// The generic heuristic profile on markets it has never seen: the three fixture markets (without
// their profiles), a hand-written shop page in yet another markup, and OnionScan's real test page.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtureOnionHost, fixtureSite, type FixtureMarketId } from '../../adapters/markets/fixtures/index.js';
import { genericProfile, parseMarketPage } from '../../adapters/markets/index.js';
import { extractAddresses } from '../../src/addresses/index.js';
import type { Listing, Vendor } from '../../src/model/index.js';
import { archivedPage, expectedListings, expectedVendors, sitePages } from '../fixtures/market/pages.js';

const pick = <T extends object>(o: T, keys: readonly string[]): Partial<T> => Object.fromEntries(Object.entries(o).filter(([k]) => keys.includes(k))) as Partial<T>;
const LISTING_FIELDS = ['id', 'title', 'price', 'currency', 'vendorId', 'addresses'];
const VENDOR_FIELDS = ['id', 'handle', 'rating', 'sales', 'pgpFingerprints', 'addresses', 'contacts'];

describe('generic profile', () => {
  it.each(['aurora', 'mangrove', 'pangolin'] as FixtureMarketId[])('reads ids, titles, prices, vendors, PGP keys, addresses and contacts of %s without its profile', async (market) => {
    const site = fixtureSite(market);
    const host = fixtureOnionHost(market);
    const profile = genericProfile({ id: market, hosts: [host] });
    const listings: Listing[] = [];
    const vendors: Vendor[] = [];
    for (const page of sitePages(site, `http://${host}`)) {
      const parsed = await parseMarketPage(page, profile);
      listings.push(...parsed.listings);
      vendors.push(...parsed.vendors);
    }
    expect(listings.map((l) => pick(l, LISTING_FIELDS))).toEqual(expectedListings(site.catalogue).map((l) => pick(l, LISTING_FIELDS)));
    expect(vendors.map((v) => pick(v, VENDOR_FIELDS))).toEqual(expectedVendors(site.catalogue).map((v) => pick(v, VENDOR_FIELDS)));
  });

  it('recognises the login, CAPTCHA and queue pages of all three fixture markets', async () => {
    for (const market of ['aurora', 'mangrove', 'pangolin'] as FixtureMarketId[]) {
      const site = fixtureSite(market);
      const profile = genericProfile({ hosts: [fixtureOnionHost(market)] });
      for (const [path, verdict] of [[site.paths.login, 'login'], [site.paths.captcha, 'captcha'], [site.paths.queue, 'queue']] as const) {
        const p = await parseMarketPage(archivedPage(`http://${fixtureOnionHost(market)}${path}`, site.page(path) as string), profile);
        expect(p.verdict, `${market} ${path}`).toBe(verdict);
      }
    }
  });

  it('reads a hand-written shop page in unseen markup by content alone', async () => {
    const html = `<html><body><div id="wrap"><div class="topic">
      <h1>Fresh pangolin scales — 2 kg lot</h1>
      <p>Sold by: <b>KarooExports</b> · 4.9/5 · 312 orders</p>
      <p>Price: <em>€&nbsp;1.480,00</em></p>
      <p>Serious buyers only. Escrow or direct: bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6</p>
      </div></div></body></html>`;
    const profile = genericProfile({ id: 'unknown', hosts: ['shop.example.onion'] });
    const p = await parseMarketPage(archivedPage('http://shop.example.onion/thread?t=99812', html), profile);
    expect(p.kind).toBe('listing');
    expect(p.listings[0]).toMatchObject({
      id: 'unknown/99812',
      title: 'Fresh pangolin scales — 2 kg lot',
      price: '1480.00',
      currency: 'EUR',
      vendorId: 'unknown/KarooExports',
      addresses: [{ chain: 'btc', address: 'bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6' }],
    });
  });

  it("finds all 100 addresses of OnionScan's real test page posted on a vendor page (text, bitcoin: links, image URLs, CSS)", async () => {
    const bytes = readFileSync(new URL('../../../shared/data/onion/onionscan-bitcoin.html', import.meta.url));
    const expected = new Set(extractAddresses(bytes.toString('utf8')).map((a) => a.address));
    expect(expected.size).toBe(100);
    const profile = genericProfile({ id: 'onionscan', hosts: ['example.onion'] });
    const p = await parseMarketPage(archivedPage('http://example.onion/vendor/testpage', bytes), profile);
    expect(p.kind).toBe('vendor');
    expect(new Set(p.vendors[0].addresses?.map((a) => a.address))).toEqual(expected);
  });
});
