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

/** One transaction (or transfer) a flag reports, with its amount. */
export interface FlagFlow {
  readonly chain: 'btc' | 'eth';
  /** txid, or the Ethereum transaction hash */
  readonly txid: string;
  /** `btc`, `native`, or a token contract */
  readonly asset: string;
  /** base units that reached the counterparty (tainted part, for traced flows) */
  readonly amount: bigint;
  /** who paid (payments in) or who received (cash-outs): an address, a tag label */
  readonly counterparty?: string;
  readonly counterpartyCategory?: string;
}

/** A wildlife match that a flag rests on, pointing into a listing. */
export interface FlagMatch {
  readonly listingId: string;
  readonly category: string;
  readonly term: string;
  readonly score: number;
  readonly taxon?: string;
  readonly appendix?: string;
  /** `[start, end)` spans with the field each points into */
  readonly spans: readonly { readonly field: 'title' | 'description'; readonly span: readonly [number, number] }[];
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
  /** the vendor person the flag is about */
  readonly person?: string;
  /** the transactions, one per flow */
  readonly flows?: readonly FlagFlow[];
  /** the wildlife matches in the listings */
  readonly matches?: readonly FlagMatch[];
}
