/** Small shape measures of a transaction shared by the CoinJoin and change rules. */
import type { Tx } from '../../model/tx.js';

/** True for a coinbase transaction (no spent outputs). */
export function isCoinbase(tx: Tx): boolean {
  return tx.inputs.length === 0 || tx.inputs.every((i) => i.coinbase === true || /^0{64}$/.test(i.prevTxid));
}

/** Output value → how many outputs carry it (OP_RETURN and zero-value outputs left out). */
export function outputValueCounts(tx: Tx): Map<bigint, number> {
  const counts = new Map<bigint, number>();
  for (const o of tx.outputs) {
    if (o.scriptType === 'op_return' || o.value === 0n) continue;
    counts.set(o.value, (counts.get(o.value) ?? 0) + 1);
  }
  return counts;
}

/** The most frequent output value and its count (ties: the larger value). */
export function mostCommonOutputValue(tx: Tx): { value: bigint; count: number } | undefined {
  let best: { value: bigint; count: number } | undefined;
  for (const [value, count] of outputValueCounts(tx)) {
    if (!best || count > best.count || (count === best.count && value > best.value)) best = { value, count };
  }
  return best;
}

/** Number of distinct addresses among the outputs of value `value`. */
export function distinctAddressesAt(tx: Tx, value: bigint): number {
  const s = new Set<string>();
  for (const o of tx.outputs) if (o.value === value && o.address !== undefined) s.add(o.address);
  return s.size;
}

/** True when some output is an OP_RETURN. */
export function hasOpReturn(tx: Tx): boolean {
  return tx.outputs.some((o) => o.scriptType === 'op_return');
}
