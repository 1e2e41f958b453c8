/**
 * Vendor persons for the pipeline: the market room's `linkVendors` (full PGP fingerprint with a
 * second signal, shared payout address, handle similarity in context), shaped for the flags.
 */
import type { PersonLike } from '../flow/wildlife-flags.js';
import { linkVendors } from '../market/linking/index.js';
import type { Listing, Vendor } from '../model/market.js';

/** Groups vendor accounts into persons, each with the evidence that joined its accounts. */
export function linkVendorPersons(vendors: readonly Vendor[], listings: readonly Listing[]): PersonLike[] {
  return linkVendors(vendors, listings).persons.map((p) => ({ id: p.entity.id, vendorIds: p.vendorIds, evidence: p.links.map((l) => l.evidence) }));
}
