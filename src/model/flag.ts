import type { Evidence } from './evidence.js';
import type { PageRef } from './market.js';

/** What a {@link Flag} reports. */
export type FlagKind =
  | 'wildlife-payment-in'
  | 'wildlife-cashout-exchange'
  | 'wildlife-to-mixer'
  | 'wildlife-to-sanctioned'
  | 'wildlife-vendor-address';

/** One hop of a traced path: value moving from one address to another in a transaction. */
export interface FlowStep {
  readonly txid: string;
  readonly from: string;
  readonly to: string;
  /** base units */
  readonly amount: bigint;
}

/**
 * A finding: a financial flow tied to a wildlife listing, with every link of its chain of
 * evidence from the page bytes to the transactions.
 */
export interface Flag {
  readonly id: string;
  readonly kind: FlagKind;
  /** 0..100, scored as documented in docs/scoring.md */
  readonly severity: number;
  readonly listingIds: readonly string[];
  readonly vendorIds: readonly string[];
  /** base units per asset (`btc`, `eth`, token address) */
  readonly amounts: Readonly<Record<string, bigint>>;
  readonly paths: readonly (readonly FlowStep[])[];
  readonly pages: readonly PageRef[];
  readonly evidence: readonly Evidence[];
}
