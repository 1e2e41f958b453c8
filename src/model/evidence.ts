import type { Address } from './address.js';

/**
 * Why two things are linked: the rule that said so, the proof it rests on and how sure it is.
 * A proof is a txid, a page SHA-256, or another stable reference a reader can look up.
 */
export interface Evidence {
  /** rule name, e.g. `multi-input`, `shared-pgp`, `deposit-reuse` */
  readonly heuristic: string;
  /** the reference that proves it: `tx:<txid>`, `page:<sha256>`, `tag:<tagpack>` */
  readonly proof: string;
  /** 0..1 */
  readonly confidence: number;
  /** free text for the reader */
  readonly note?: string;
}

/** What a {@link Link} joins. */
export type LinkEnd =
  | { readonly kind: 'address'; readonly address: Address }
  | { readonly kind: 'vendor'; readonly vendorId: string }
  | { readonly kind: 'entity'; readonly entityId: string };

/** A link between two addresses, vendor handles or entities, with its evidence. */
export interface Link {
  readonly a: LinkEnd;
  readonly b: LinkEnd;
  readonly evidence: Evidence;
}
