/**
 * Vendor persons for the pipeline. Until `src/market/linking` lands, every vendor account is a
 * person of its own (no linking), and the quality summary says so.
 */
import type { PersonLike } from '../flow/wildlife-flags.js';
import type { Listing, Vendor } from '../model/market.js';

/** Groups vendor accounts into persons. */
export function linkVendorPersons(vendors: readonly Vendor[], _listings: readonly Listing[]): PersonLike[] {
  return vendors.map((v) => ({ id: `person:${v.id}`, vendorIds: [v.id] }));
}
