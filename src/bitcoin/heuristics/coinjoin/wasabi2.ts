/**
 * Wasabi Wallet 2.0 (WabiSabi) detector.
 *
 * Rule: at least {@link WASABI2_MIN_INPUTS} inputs; no output below {@link WASABI2_MIN_OUTPUT}
 * satoshi; at least {@link WASABI2_MIN_TIERS} distinct output values that each occur at least
 * twice (several denomination tiers); and at least {@link WASABI2_STANDARD_SHARE_PERCENT}% of the
 * outputs carry a standard denomination. WabiSabi's standard denominations are the values
 * 2^k, 3^k, 2·3^k, 10^k, 2·10^k and 5·10^k satoshi from 5,000 sat up.
 */
import type { Tx } from '../../../model/tx.js';
import { outputValueCounts } from '../tx-shape.js';
import type { CoinJoinDetection } from './types.js';

/** Minimum number of inputs. */
export const WASABI2_MIN_INPUTS = 20;
/** No output may be smaller than this, satoshi. */
export const WASABI2_MIN_OUTPUT = 5_000n;
/** Minimum number of repeated denominations. */
export const WASABI2_MIN_TIERS = 2;
/** Minimum share of outputs at standard denominations, percent. */
export const WASABI2_STANDARD_SHARE_PERCENT = 50;

const MAX_DENOMINATION = 2n ** 40n; // ~10,995 BTC: above any single output

/** The WabiSabi standard denominations from {@link WASABI2_MIN_OUTPUT} up. */
export const WASABI2_DENOMINATIONS: ReadonlySet<bigint> = (() => {
  const s = new Set<bigint>();
  const add = (v: bigint) => v >= WASABI2_MIN_OUTPUT && v <= MAX_DENOMINATION && s.add(v);
  for (let v = 1n; v <= MAX_DENOMINATION; v *= 2n) add(v);
  for (let v = 1n; v <= MAX_DENOMINATION; v *= 3n) {
    add(v);
    add(2n * v);
  }
  for (let v = 1n; v <= MAX_DENOMINATION; v *= 10n) {
    add(v);
    add(2n * v);
    add(5n * v);
  }
  return s;
})();

/** The Wasabi 2.0 detector. */
export function detectWasabi2(tx: Tx): CoinJoinDetection | undefined {
  if (tx.inputs.length < WASABI2_MIN_INPUTS) return undefined;
  let outputs = 0;
  let standard = 0;
  for (const o of tx.outputs) {
    if (o.scriptType === 'op_return') continue;
    if (o.value < WASABI2_MIN_OUTPUT) return undefined;
    outputs++;
    if (WASABI2_DENOMINATIONS.has(o.value)) standard++;
  }
  const tiers = [...outputValueCounts(tx)].filter(([, c]) => c >= 2).map(([v]) => v);
  if (tiers.length < WASABI2_MIN_TIERS) return undefined;
  if (standard * 100 < outputs * WASABI2_STANDARD_SHARE_PERCENT) return undefined;
  tiers.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    detector: 'wasabi-2',
    coinjoin: true,
    denominations: tiers,
    participants: Math.min(tx.inputs.length, outputs),
    reason: `${tx.inputs.length} inputs, ${tiers.length} repeated denominations, ${standard}/${outputs} outputs at standard values, none under ${WASABI2_MIN_OUTPUT} sat`,
  };
}
