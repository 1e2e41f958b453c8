/**
 * Samourai Whirlpool detectors: the mix and the Tx0 that feeds it.
 *
 * Mix rule: exactly {@link WHIRLPOOL_PARTICIPANTS} inputs and {@link WHIRLPOOL_PARTICIPANTS}
 * outputs; every output carries the same pool denomination (one of {@link WHIRLPOOL_POOLS}:
 * 100k, 1M, 5M, 50M sat) to a distinct address; and every input whose value is known lies
 * between the denomination and the denomination plus {@link WHIRLPOOL_MAX_PREMIX_EXCESS}
 * (new entrants pay the mix's miner fee from that excess; remixers bring exactly the
 * denomination).
 *
 * Tx0 rule: an OP_RETURN output (the coordinator's encrypted fee payload) and at least
 * {@link TX0_MIN_PREMIX_OUTPUTS} outputs of one value v with pool < v ≤ pool +
 * {@link WHIRLPOOL_MAX_PREMIX_EXCESS}. A Tx0 spends one wallet's coins, so it is reported for
 * context (its outputs enter Whirlpool) but is not a CoinJoin: `coinjoin: false`.
 */
import type { Tx } from '../../../model/tx.js';
import { distinctAddressesAt, hasOpReturn, outputValueCounts } from '../tx-shape.js';
import type { CoinJoinDetection } from './types.js';

/** Pool denominations, satoshi. */
export const WHIRLPOOL_POOLS: readonly bigint[] = [100_000n, 1_000_000n, 5_000_000n, 50_000_000n];
/** Inputs and outputs of a mix. */
export const WHIRLPOOL_PARTICIPANTS = 5;
/** Largest excess of a premix output over its pool denomination (the mix miner fee), satoshi. */
export const WHIRLPOOL_MAX_PREMIX_EXCESS = 100_000n;
/** Minimum premix outputs of a Tx0. */
export const TX0_MIN_PREMIX_OUTPUTS = 2;

/** The Whirlpool mix detector. */
export function detectWhirlpool(tx: Tx): CoinJoinDetection | undefined {
  if (tx.inputs.length !== WHIRLPOOL_PARTICIPANTS || tx.outputs.length !== WHIRLPOOL_PARTICIPANTS) return undefined;
  const denom = tx.outputs[0].value;
  if (!WHIRLPOOL_POOLS.includes(denom)) return undefined;
  if (tx.outputs.some((o) => o.value !== denom)) return undefined;
  if (distinctAddressesAt(tx, denom) !== WHIRLPOOL_PARTICIPANTS) return undefined;
  for (const i of tx.inputs) {
    if (i.value !== undefined && (i.value < denom || i.value > denom + WHIRLPOOL_MAX_PREMIX_EXCESS)) return undefined;
  }
  return {
    detector: 'whirlpool',
    coinjoin: true,
    participants: WHIRLPOOL_PARTICIPANTS,
    denominations: [denom],
    reason: `5 inputs, 5 outputs of the ${denom} sat pool denomination to distinct addresses`,
  };
}

/** The Whirlpool Tx0 detector (context only, not a CoinJoin). */
export function detectWhirlpoolTx0(tx: Tx): CoinJoinDetection | undefined {
  if (!hasOpReturn(tx)) return undefined;
  for (const [value, count] of outputValueCounts(tx)) {
    if (count < TX0_MIN_PREMIX_OUTPUTS) continue;
    const pool = WHIRLPOOL_POOLS.find((p) => value > p && value <= p + WHIRLPOOL_MAX_PREMIX_EXCESS);
    if (pool === undefined) continue;
    return {
      detector: 'whirlpool-tx0',
      coinjoin: false,
      participants: 1,
      denominations: [value],
      reason: `OP_RETURN and ${count} premix outputs of ${value} sat for the ${pool} sat pool`,
    };
  }
  return undefined;
}
