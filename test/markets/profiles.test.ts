// Every listing and vendor of each bundled fixture market, parsed from archived pages with the
// market's shipped profile, equals the market's ground truth.
import { describe, expect, it } from 'vitest';
import { auroraProfile, parseMarketPage, type MarketProfile } from '../../adapters/markets/index.js';
import { fixtureOnionHost, fixtureSite, type FixtureMarketId } from '../../adapters/markets/fixtures/index.js';
import type { Listing, Vendor } from '../../src/model/index.js';
import { archivedPage, expectedListings, expectedVendors, sitePages } from '../fixtures/market/pages.js';

const MARKETS: [FixtureMarketId, MarketProfile][] = [['aurora', auroraProfile]];

function withoutSource<T extends { source?: unknown; seenAt?: unknown }>(r: T): Omit<T, 'source' | 'seenAt'> {
  const { source: _s, seenAt: _t, ...rest } = r;
  return rest;
}

describe.each(MARKETS)('fixture market %s with its shipped profile', (market, profile) => {
  const site = fixtureSite(market);
  const origin = `http://${fixtureOnionHost(market)}`;

  it('extracts every listing and every vendor exactly as the ground truth says', async () => {
    const listings: Listing[] = [];
    const vendors: Vendor[] = [];
    for (const page of sitePages(site, origin)) {
      const parsed = await parseMarketPage(page, profile);
      expect(parsed.verdict).toBe('ok');
      expect(parsed.skipped).toEqual([]);
      listings.push(...parsed.listings);
      vendors.push(...parsed.vendors);
      for (const r of [...parsed.listings, ...parsed.vendors]) {
        expect(r.source?.sha256).toBe(page.sha256);
        const [s, e] = r.source?.span ?? [0, 0];
        expect(e).toBeGreaterThan(s);
        expect(e).toBeLessThanOrEqual(page.body.length);
      }
    }
    expect(listings.map(withoutSource)).toEqual(expectedListings(site.catalogue));
    expect(vendors.map(withoutSource)).toEqual(expectedVendors(site.catalogue));
  });

  it('finds pagination, listing and vendor links on index pages and classifies the wall pages', async () => {
    const first = sitePages(site, origin).find((p) => p.url === origin + site.paths.index[0]);
    const parsed = await parseMarketPage(first!, profile);
    expect(parsed.kind).toBe('index');
    expect(parsed.links.pagination.map((u) => new URL(u).pathname + new URL(u).search)).toEqual(expect.arrayContaining(site.paths.index.slice(1)));
    expect(parsed.links.listing.length).toBe(site.skin.perPage);
    for (const [path, verdict] of [[site.paths.login, 'login'], [site.paths.captcha, 'captcha'], [site.paths.queue, 'queue']] as const) {
      const p = await parseMarketPage(archivedPage(origin + path, site.page(path)!), profile);
      expect(p.verdict, path).toBe(verdict);
      expect(p.listings.length + p.vendors.length).toBe(0);
    }
  });
});
