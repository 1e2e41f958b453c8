import type { Address } from './address.js';
import type { Tag } from './tag.js';

/** The kind of actor an {@link Entity} stands for. */
export type EntityKind = 'cluster' | 'person' | 'service' | 'listing';

/**
 * An actor: an address cluster (kind `cluster`), a vendor person joining several handles
 * (`person`), a tagged service (`service`) or a listing node in a graph (`listing`).
 */
export interface Entity {
  /** stable id: `cluster:<smallest address id>`, `person:<smallest vendor id>`, … */
  readonly id: string;
  readonly kind: EntityKind;
  readonly addresses?: readonly Address[];
  readonly vendorIds?: readonly string[];
  readonly tags?: readonly Tag[];
  readonly label?: string;
}
