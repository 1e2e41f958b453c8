import type { Address } from './address.js';

/**
 * One crawl of one market: a dated snapshot. Its pages are the retrievals the import or the crawl
 * assigned to it (src/market `assignSnapshots`); `from` and `to` are the first and last retrieval
 * times, so a snapshot is dated by `from`.
 */
export interface MarketSnapshot {
  /** market id (the profile id, e.g. `aurora`) */
  readonly market: string;
  /** snapshot id: the ISO-8601 time of its first retrieval, or a label the analyst gave */
  readonly id: string;
  /** ISO-8601 time of the first retrieval */
  readonly from: string;
  /** ISO-8601 time of the last retrieval */
  readonly to: string;
}

/** A listing as one snapshot saw it: the fields that change over time, and the page that showed them. */
export interface ListingSighting {
  /** the {@link Listing.id} (market id + `/` + the market's listing id) */
  readonly listingId: string;
  readonly market: string;
  /** the {@link MarketSnapshot.id} */
  readonly snapshot: string;
  /** ISO-8601 retrieval time of the page */
  readonly seenAt: string;
  /** SHA-256 of the archived page that showed it */
  readonly sha256: string;
  readonly title: string;
  readonly vendorId?: string;
  /** price in the listed currency, as a decimal string */
  readonly price?: string;
  readonly currency?: string;
  readonly shipsFrom?: string;
  readonly shipsTo?: readonly string[];
  readonly addresses?: readonly Address[];
}

/** A vendor account as one snapshot saw it: the addresses it posted, and the page. */
export interface VendorSighting {
  /** the {@link Vendor.id} */
  readonly vendorId: string;
  readonly market: string;
  readonly snapshot: string;
  readonly seenAt: string;
  readonly sha256: string;
  readonly addresses?: readonly Address[];
}
