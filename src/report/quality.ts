/**
 * Quality against a ground truth: pairwise precision and recall of a partition (clusters of
 * addresses, persons of vendor handles), and precision and recall of a set of found items (flag
 * flows). Pairwise: a pair of items in one predicted group is right when the truth also puts them
 * in one group; counted over items present in both, from the contingency table (no pair loop).
 */

/** Precision and recall (NaN when there is nothing to divide by), with the counts behind them. */
export interface PrecisionRecall {
  readonly precision: number;
  readonly recall: number;
  readonly truePositives: number;
  readonly predicted: number;
  readonly actual: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

/** Pairwise precision/recall of `predicted` (item → group) against `truth` (item → group). */
export function pairwiseQuality<G1, G2>(predicted: ReadonlyMap<string, G1>, truth: ReadonlyMap<string, G2>): PrecisionRecall {
  const cells = new Map<G1, Map<G2, number>>();
  const predSizes = new Map<G1, number>();
  const trueSizes = new Map<G2, number>();
  for (const [item, p] of predicted) {
    const t = truth.get(item);
    if (t === undefined) continue;
    predSizes.set(p, (predSizes.get(p) ?? 0) + 1);
    trueSizes.set(t, (trueSizes.get(t) ?? 0) + 1);
    const row = cells.get(p) ?? new Map<G2, number>();
    row.set(t, (row.get(t) ?? 0) + 1);
    cells.set(p, row);
  }
  let tp = 0;
  for (const row of cells.values()) for (const n of row.values()) tp += pairs(n);
  let pred = 0;
  for (const n of predSizes.values()) pred += pairs(n);
  let actual = 0;
  for (const n of trueSizes.values()) actual += pairs(n);
  return { precision: pred === 0 ? NaN : tp / pred, recall: actual === 0 ? NaN : tp / actual, truePositives: tp, predicted: pred, actual };
}

/** Precision/recall of a set of found items against the true set. */
export function setQuality(found: Iterable<string>, truth: Iterable<string>): PrecisionRecall {
  const f = new Set(found);
  const t = new Set(truth);
  let tp = 0;
  for (const x of f) if (t.has(x)) tp++;
  return { precision: f.size === 0 ? NaN : tp / f.size, recall: t.size === 0 ? NaN : tp / t.size, truePositives: tp, predicted: f.size, actual: t.size };
}
