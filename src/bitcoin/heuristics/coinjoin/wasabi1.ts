/**
 * Wasabi Wallet 1.0 / 1.1 (ZeroLink, Chaumian CoinJoin) detector.
 *
 * Rule: at least {@link WASABI1_MIN_INPUTS} inputs, and at least {@link WASABI1_MIN_EQUAL_OUTPUTS}
 * outputs of one value within ±{@link WASABI1_TOLERANCE_PERCENT}% of the base denomination
 * {@link WASABI1_DENOMINATION} (0.1 BTC). The coordinator adjusted the base slightly between
 * rounds, hence the tolerance; mixing levels above the base (2×, 4×, …) ride along in the same
 * transaction and are not needed to recognise it.
 */
import type { Tx } from '../../../model/tx.js';
import { outputValueCounts } from '../tx-shape.js';
import type { CoinJoinDetection } from './types.js';

/** The base denomination, satoshi (0.1 BTC). */
export const WASABI1_DENOMINATION = 10_000_000n;
/** Tolerance around the base denomination, percent. */
export const WASABI1_TOLERANCE_PERCENT = 5n;
/** Minimum number of inputs. */
export const WASABI1_MIN_INPUTS = 10;
/** Minimum number of outputs at the base denomination. */
export const WASABI1_MIN_EQUAL_OUTPUTS = 10;

const LOW = (WASABI1_DENOMINATION * (100n - WASABI1_TOLERANCE_PERCENT)) / 100n;
const HIGH = (WASABI1_DENOMINATION * (100n + WASABI1_TOLERANCE_PERCENT)) / 100n;

/** The Wasabi 1.x detector. */
export function detectWasabi1(tx: Tx): CoinJoinDetection | undefined {
  if (tx.inputs.length < WASABI1_MIN_INPUTS) return undefined;
  let best: { value: bigint; count: number } | undefined;
  for (const [value, count] of outputValueCounts(tx)) {
    if (value >= LOW && value <= HIGH && (!best || count > best.count)) best = { value, count };
  }
  if (!best || best.count < WASABI1_MIN_EQUAL_OUTPUTS) return undefined;
  return {
    detector: 'wasabi-1',
    coinjoin: true,
    participants: best.count,
    denominations: [best.value],
    reason: `${best.count} outputs of ${best.value} sat (0.1 BTC ±5%), ${tx.inputs.length} inputs`,
  };
}
