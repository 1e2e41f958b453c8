import type { Address } from './address.js';

/** A raw page in the evidence archive: bytes content-addressed by SHA-256. */
export interface Page {
  /** SHA-256 of `body`, lower-case hex */
  readonly sha256: string;
  readonly url: string;
  readonly finalUrl: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** ISO-8601 retrieval time */
  readonly retrievedAt: string;
  /** the crawl identity whose circuit fetched it */
  readonly identity: string;
  readonly body: Uint8Array;
}

/** Where a scraped object came from: a page and, optionally, a span of its text. */
export interface PageRef {
  readonly sha256: string;
  readonly url?: string;
  readonly span?: readonly [number, number];
}

/** A contact handle a vendor posted. */
export interface Contact {
  readonly kind: 'telegram' | 'wickr' | 'session' | 'email' | 'jabber' | 'other';
  readonly value: string;
}

/** A vendor account on one market. */
export interface Vendor {
  /** market id + `/` + handle, e.g. `aurora/GreenLeaf` */
  readonly id: string;
  readonly market: string;
  readonly handle: string;
  readonly rating?: number;
  readonly sales?: number;
  /** full 40-hex PGP fingerprints (never short key ids) */
  readonly pgpFingerprints?: readonly string[];
  readonly addresses?: readonly Address[];
  readonly contacts?: readonly Contact[];
  readonly shipsFrom?: string;
  readonly source?: PageRef;
  /** ISO-8601 time of the snapshot that saw it (set by page import) */
  readonly seenAt?: string;
}

/** A listing (an item offered for sale) on one market. */
export interface Listing {
  /** market id + `/` + the market's listing id */
  readonly id: string;
  readonly market: string;
  /** the {@link Vendor.id} of its seller */
  readonly vendorId?: string;
  readonly title: string;
  readonly description?: string;
  /** price in the listed currency, as a decimal string (never a float) */
  readonly price?: string;
  readonly currency?: string;
  readonly category?: string;
  readonly shipsFrom?: string;
  readonly shipsTo?: readonly string[];
  readonly addresses?: readonly Address[];
  readonly source?: PageRef;
  /** ISO-8601 time of the snapshot that saw it */
  readonly seenAt?: string;
}
