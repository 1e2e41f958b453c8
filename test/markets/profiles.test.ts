// Every listing and vendor of each bundled fixture market, parsed from archived pages with the
// market's shipped profile, equals the market's ground truth.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { auroraProfile, crawlPolicy, mangroveProfile, pangolinProfile, parseMarketPage, profileFromYaml, type MarketProfile } from '../../adapters/markets/index.js';
import { fixtureOnionHost, fixtureSite, type FixtureMarketId } from '../../adapters/markets/fixtures/index.js';
import type { Listing, Vendor } from '../../src/model/index.js';
import { archivedPage, expectedListings, expectedVendors, sitePages } from '../fixtures/market/pages.js';

const MARKETS: [FixtureMarketId, MarketProfile][] = [
  ['aurora', auroraProfile],
  ['mangrove', mangroveProfile],
  ['pangolin', pangolinProfile],
];

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

  it('crawlPolicy reaches every index, listing and vendor page from the start URLs, and classifies the wall pages', () => {
    const policy = crawlPolicy(profile);
    expect(policy.hosts).toEqual([fixtureOnionHost(market)]);
    const seen = new Set<string>();
    const queue = [...policy.startUrls];
    while (queue.length) {
      const url = queue.shift() as string;
      const u = new URL(url);
      if (seen.has(url) || u.host !== fixtureOnionHost(market)) continue;
      seen.add(url);
      const html = site.page(u.pathname + u.search);
      if (html === undefined) continue;
      expect(policy.classify({ url, status: 200, html })).toBe('ok');
      queue.push(...policy.links({ url, status: 200, html }));
    }
    const reached = [...seen].map((u) => new URL(u).pathname + new URL(u).search);
    expect(reached).toEqual(expect.arrayContaining([...site.paths.index, ...site.paths.listings, ...site.paths.vendors]));
    // nothing else: no wall pages, no carts, no logout
    expect(reached.length).toBe(site.paths.index.length + site.paths.listings.length + site.paths.vendors.length);
    for (const [path, verdict] of [[site.paths.login, 'login'], [site.paths.captcha, 'captcha'], [site.paths.queue, 'queue']] as const) {
      expect(policy.classify({ url: origin + path, status: 200, html: site.page(path) as string }), path).toBe(verdict);
    }
  });

  it('parses the wall pages as walls, with no records', async () => {
    for (const [path, verdict] of [[site.paths.login, 'login'], [site.paths.captcha, 'captcha'], [site.paths.queue, 'queue']] as const) {
      const p = await parseMarketPage(archivedPage(origin + path, site.page(path) as string), profile);
      expect(p.verdict, path).toBe(verdict);
      expect(p.kind).toBe(verdict);
      expect(p.listings.length + p.vendors.length).toBe(0);
    }
  });
});

describe('profiles are plain data', () => {
  it('every shipped profile survives a YAML round trip and parses the same', async () => {
    for (const [market, profile] of MARKETS) {
      const again = profileFromYaml(stringify(profile));
      expect(again).toEqual(profile);
      const site = fixtureSite(market);
      const page = sitePages(site, `http://${fixtureOnionHost(market)}`).find((p) => p.url.endsWith(site.paths.vendors[0]));
      expect(await parseMarketPage(page!, again)).toEqual(await parseMarketPage(page!, profile));
    }
    expect(() => profileFromYaml('id: [unclosed')).toThrow(/INVALID|does not parse/);
  });
});
