import type { Address } from './address.js';

/**
 * An attribution: somebody says an address (or its cluster) belongs to a named actor.
 * Follows GraphSense TagPack fields.
 */
export interface Tag {
  readonly address: Address;
  readonly label: string;
  /** e.g. `exchange`, `mixer`, `market`, `sanctioned`, `wildlife_trafficking` */
  readonly category?: string;
  readonly concepts?: readonly string[];
  /** GraphSense confidence id, e.g. `ownership`, `authority_data` */
  readonly confidence?: string;
  /** numeric level 0–100 of `confidence` */
  readonly confidenceLevel?: number;
  /** where the attribution comes from (URL or document) */
  readonly source: string;
  /** the TagPack or list it came from */
  readonly tagpack?: string;
  readonly actor?: string;
  /** true when the tag defines the whole cluster (GraphSense `is_cluster_definer`) */
  readonly isClusterDefiner?: boolean;
  readonly lastmod?: string;
  /** the asset when it is a token on `address.chain` (e.g. `USDT` on `eth` or `trx`); absent for the chain's own coin */
  readonly currency?: string;
}
