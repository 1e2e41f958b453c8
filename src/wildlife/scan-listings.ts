/**
 * Batch detection over many listings (a market scrape, the listings of a case): runs
 * {@link detectListingWildlife} on each, keeps the ones judged wildlife, and skips-and-counts
 * malformed records instead of failing the batch. The result's `matches` map is what the flow
 * room's `wildlifeFlags` takes as `inputs.matches`.
 */
import { WildtraceError } from '../model/errors.js';
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
  const scan = new ListingScan(options);
  for (const l of listings) scan.add(l);
  return scan.result();
}

/**
 * {@link detectWildlifeListings} over an async source (an adapter, a store range), yielding to the
 * event loop between records. `signal` aborts with a `WildtraceError` (`ABORTED`).
 */
export async function detectWildlifeListingsFrom(
  listings: AsyncIterable<Pick<Listing, 'id' | 'title' | 'description'>> | Iterable<Pick<Listing, 'id' | 'title' | 'description'>>,
  options: DetectWildlifeOptions & { onProgress?: (scanned: number) => void; signal?: AbortSignal } = {},
): Promise<WildlifeListingScan> {
  const scan = new ListingScan(options);
  for await (const l of listings) {
    if (options.signal?.aborted) throw new WildtraceError('ABORTED', `wildlife scan aborted after ${scan.scanned} listings`, { cause: options.signal.reason });
    scan.add(l);
  }
  return scan.result();
}

class ListingScan {
  readonly matches = new Map<string, ListingWildlifeMatch[]>();
  readonly skipped: WildlifeListingScan['skipped'] = [];
  scanned = 0;
  private index = -1;

  constructor(private readonly options: DetectWildlifeOptions & { onProgress?: (scanned: number) => void }) {}

  add(l: Pick<Listing, 'id' | 'title' | 'description'>): void {
    const index = ++this.index;
    if (l === null || typeof l !== 'object' || typeof l.id !== 'string' || typeof l.title !== 'string') {
      this.skipped.push({ index, ...(l && typeof l === 'object' && typeof l.id === 'string' ? { id: l.id } : {}), reason: 'not a listing: needs a string id and a string title' });
      return;
    }
    if (l.description !== undefined && typeof l.description !== 'string') {
      this.skipped.push({ index, id: l.id, reason: 'description is not a string' });
      return;
    }
    const m = detectListingWildlife(l, this.options);
    this.scanned++;
    if (m.length > 0) this.matches.set(l.id, m);
    if (this.options.onProgress && this.scanned % 10_000 === 0) this.options.onProgress(this.scanned);
  }

  result(): WildlifeListingScan {
    return { matches: this.matches, scanned: this.scanned, skipped: this.skipped };
  }
}
