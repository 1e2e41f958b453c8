/**
 * Generic equal-output CoinJoin detector.
 *
 * Rule: a transaction is a CoinJoin when
 * - it has at least {@link EQUAL_OUTPUT_MIN_INPUTS} inputs, and
 * - its most frequent output value (not OP_RETURN, not zero) occurs at least
 *   {@link EQUAL_OUTPUT_MIN_PARTICIPANTS} times, paid to as many distinct addresses, and
 * - it has at least as many inputs as equal outputs (each participant brings ≥ 1 input).
 *
 * Every CoinJoin implementation shares this shape (equal outputs hide which input paid which).
 * It also catches some batch payouts of identical amounts; the specific detectors say more.
 */
import type { Tx } from '../../../model/tx.js';
import { distinctAddressesAt, mostCommonOutputValue } from '../tx-shape.js';
import type { CoinJoinDetection } from './types.js';

/** Minimum number of inputs. */
export const EQUAL_OUTPUT_MIN_INPUTS = 2;
/** Minimum number of equal-value outputs (participants). */
export const EQUAL_OUTPUT_MIN_PARTICIPANTS = 3;

/** The generic equal-output detector. */
export function detectEqualOutput(tx: Tx): CoinJoinDetection | undefined {
  if (tx.inputs.length < EQUAL_OUTPUT_MIN_INPUTS) return undefined;
  const top = mostCommonOutputValue(tx);
  if (!top || top.count < EQUAL_OUTPUT_MIN_PARTICIPANTS) return undefined;
  if (distinctAddressesAt(tx, top.value) < top.count) return undefined;
  if (tx.inputs.length < top.count) return undefined;
  return {
    detector: 'equal-output',
    coinjoin: true,
    participants: top.count,
    denominations: [top.value],
    reason: `${top.count} outputs of ${top.value} sat to distinct addresses, ${tx.inputs.length} inputs`,
  };
}
