import { describe, expect, it } from 'vitest';
import { generateCatalogue } from '../../adapters/markets/fixtures/catalogue.js';
import { detectListingWildlife } from '../../src/index.js';

// The market fixture catalogue was written by another engineer for the crawler and parser tests;
// its listings are all meant as wildlife offers. It is a small recall check written independently
// of the lexicon. Mediterranean red coral (Corallium rubrum) is not CITES-listed, so the detector
// is right to leave such an item out; it is excluded from the count.
describe('wildlife detector on the market fixture catalogue (written independently)', () => {
  it('finds >= 90% of its distinct wildlife listings, with a listed taxon', () => {
    const c = generateCatalogue({ market: 'aurora', seed: 'wildlife-check', vendors: 40, listingsPerVendor: [5, 5] });
    const distinct = new Map(c.listings.map((l) => [l.title, l]));
    const items = [...distinct.values()].filter((l) => !/Corallium rubrum/i.test(l.description));
    expect(items.length).toBeGreaterThanOrEqual(10);
    const found = items.filter((l) => detectListingWildlife(l).length > 0);
    const missed = items.filter((l) => !found.includes(l)).map((l) => l.title);
    console.log(`market catalogue: ${found.length}/${items.length} detected; missed: ${JSON.stringify(missed)}`);
    expect(found.length / items.length).toBeGreaterThanOrEqual(0.9);
    for (const l of found) {
      const [m] = detectListingWildlife(l);
      expect(m.taxon?.appendix, l.title).toMatch(/^(I|II|III)(\/(I|II|III))*$/);
    }
  });
});
