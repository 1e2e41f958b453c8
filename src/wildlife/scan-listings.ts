/**
 * Batch detection over many listings (a market scrape, the listings of a case): runs
 * {@link detectListingWildlife} on each, keeps the ones judged wildlife, and skips-and-counts
 * malformed records instead of failing the batch. The result's `matches` map is what the flow
 * room's `wildlifeFlags` takes as `inputs.matches`.
 */
import type { Listing } from '../model/market.js';
import { detectListingWildlife, type DetectWildlifeOptions, type ListingWildlifeMatch } from './detect.js';

/** The result of {@link detectWildlifeListings}. */
export interface WildlifeListingScan {
  /** listing id → matches, for the listings judged wildlife only */
  readonly matches: Map<string, ListingWildlifeMatch[]>;
  /** listings examined (skipped ones excluded) */
  readonly scanned: number;
  /** records that were not listings, with the reason */
  readonly skipped: { readonly index: number; readonly id?: string; readonly reason: string }[];
}

/**
 * Runs the detector over `listings` (any iterable, e.g. a store range). Options as for
 * {@link detectListingWildlife}; `onProgress(scanned)` is called every 10,000 listings.
 */
export function detectWildlifeListings(
  listings: Iterable<Pick<Listing, 'id' | 'title' | 'description'>>,
  options: DetectWildlifeOptions & { onProgress?: (scanned: number) => void } = {},
): WildlifeListingScan {
  const matches = new Map<string, ListingWildlifeMatch[]>();
  const skipped: WildlifeListingScan['skipped'] = [];
  let scanned = 0;
  let index = -1;
  for (const l of listings) {
    index++;
    if (l === null || typeof l !== 'object' || typeof l.id !== 'string' || typeof l.title !== 'string') {
      skipped.push({ index, ...(l && typeof l === 'object' && typeof l.id === 'string' ? { id: l.id } : {}), reason: 'not a listing: needs a string id and a string title' });
      continue;
    }
    if (l.description !== undefined && typeof l.description !== 'string') {
      skipped.push({ index, id: l.id, reason: 'description is not a string' });
      continue;
    }
    const m = detectListingWildlife(l, options);
    scanned++;
    if (m.length > 0) matches.set(l.id, m);
    if (options.onProgress && scanned % 10_000 === 0) options.onProgress(scanned);
  }
  return { matches, scanned, skipped };
}
