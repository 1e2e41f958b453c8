/**
 * JoinMarket (maker/taker CoinJoin) detector, after the shape described by Möser & Böhme,
 * "Join Me on a Market for Anonymity" (WEIS 2016).
 *
 * Rule: n ≥ {@link JOINMARKET_MIN_PARTICIPANTS} outputs share one value (each participant's
 * CoinJoin output), to n distinct addresses of one script type; the transaction has between
 * n and 2n outputs (each maker may add a change output, the taker may sweep without one) and no
 * OP_RETURN; at least n inputs; and the value is not a Whirlpool pool or a Wasabi 1 base
 * denomination (those are recognised by their own detectors). The taker picks arbitrary amounts,
 * so no denomination rule applies.
 */
import type { Tx } from '../../../model/tx.js';
import { distinctAddressesAt, hasOpReturn, mostCommonOutputValue } from '../tx-shape.js';
import type { CoinJoinDetection } from './types.js';
import { WHIRLPOOL_POOLS } from './whirlpool.js';
import { WASABI1_DENOMINATION } from './wasabi1.js';

/** Minimum number of participants (equal outputs). */
export const JOINMARKET_MIN_PARTICIPANTS = 3;

/** The JoinMarket detector. */
export function detectJoinMarket(tx: Tx): CoinJoinDetection | undefined {
  if (hasOpReturn(tx)) return undefined;
  const top = mostCommonOutputValue(tx);
  if (!top || top.count < JOINMARKET_MIN_PARTICIPANTS) return undefined;
  const n = top.count;
  if (tx.outputs.length < n || tx.outputs.length > 2 * n || tx.inputs.length < n) return undefined;
  if (WHIRLPOOL_POOLS.includes(top.value)) return undefined;
  const dev = top.value > WASABI1_DENOMINATION ? top.value - WASABI1_DENOMINATION : WASABI1_DENOMINATION - top.value;
  if (dev * 20n <= WASABI1_DENOMINATION) return undefined;
  if (distinctAddressesAt(tx, top.value) !== n) return undefined;
  const types = new Set(tx.outputs.filter((o) => o.value === top.value).map((o) => o.scriptType));
  if (types.size !== 1) return undefined;
  return {
    detector: 'joinmarket',
    coinjoin: true,
    participants: n,
    denominations: [top.value],
    reason: `${n} equal outputs of ${top.value} sat (one script type), ${tx.outputs.length} outputs in [n, 2n], ${tx.inputs.length} inputs`,
  };
}
