// Catalogue generation at training-case scale (200 vendors, ~2,000 listings): deterministic,
// unique ids, valid addresses, and pages rendered in each shipped markup parse back to the truth.
import { describe, expect, it } from 'vitest';
import { buildFixtureSite, FIXTURE_MARKETS, fixtureOnionHost, generateCatalogue } from '../../adapters/markets/fixtures/index.js';
import { MARKET_PROFILES, parseMarketPage, withHosts } from '../../adapters/markets/index.js';
import { extractAddresses } from '../../src/addresses/index.js';
import { archivedPage, expectedListings, expectedVendors } from '../fixtures/market/pages.js';

describe('generateCatalogue', () => {
  const big = generateCatalogue({ market: 'trainingcase', vendors: 200, listingsPerVendor: [5, 15] });

  it('is deterministic and has unique listing ids and vendor handles', () => {
    expect(JSON.stringify(generateCatalogue({ market: 'trainingcase', vendors: 200, listingsPerVendor: [5, 15] }))).toBe(JSON.stringify(big));
    expect(big.vendors).toHaveLength(200);
    expect(big.listings.length).toBeGreaterThan(1500);
    expect(new Set(big.listings.map((l) => l.id)).size).toBe(big.listings.length);
    expect(new Set(big.vendors.map((v) => v.handle)).size).toBe(200);
    expect(JSON.stringify(generateCatalogue({ market: 'trainingcase', seed: 'other', vendors: 200 }))).not.toBe(JSON.stringify(big));
  });

  it('posts only checksum-valid addresses (each one found by extractAddresses)', () => {
    for (const v of big.vendors.slice(0, 50)) {
      for (const a of v.addresses) expect(extractAddresses(a.address).map((x) => x.address)).toEqual([a.address]);
    }
  });

  it.each(Object.keys(FIXTURE_MARKETS))('renders in the %s markup and parses back with that profile', async (market) => {
    const skin = FIXTURE_MARKETS[market as keyof typeof FIXTURE_MARKETS].skin;
    const cat = generateCatalogue({ market, seed: 'scale', vendors: 40, listingsPerVendor: [1, 3], listingIds: market === 'mangrove' ? 'hex' : market === 'pangolin' ? 'slug' : 'numeric' });
    const site = buildFixtureSite(cat, skin);
    const host = fixtureOnionHost(market);
    const profile = withHosts(MARKET_PROFILES[market], [host]);
    const vendors = [];
    for (const path of site.paths.vendors) vendors.push(...(await parseMarketPage(archivedPage(`http://${host}${path}`, site.page(path) as string), profile)).vendors);
    const listings = [];
    for (const path of site.paths.listings.slice(0, 30)) listings.push(...(await parseMarketPage(archivedPage(`http://${host}${path}`, site.page(path) as string), profile)).listings);
    const strip = <T extends { source?: unknown; seenAt?: unknown }>({ source: _s, seenAt: _t, ...rest }: T) => rest;
    expect(vendors.map(strip)).toEqual(expectedVendors(cat));
    expect(listings.map(strip)).toEqual(expectedListings(cat).slice(0, 30));
  });
});
