/**
 * Normalised mutual information between two partitions of the same nodes.
 *
 * Rule: NMI(A, B) = 2·I(A; B) / (H(A) + H(B)) (the arithmetic-mean normalisation used by igraph's
 * `compare_communities(method="nmi")` and scikit-learn's default), with I the mutual information
 * and H the entropy of the label distributions, natural logarithms. Two single-community
 * partitions are identical: NMI 1.
 */
import { InvalidInputError } from '../model/errors.js';

/** Labels of a partition: community id per node index, as any array-like of non-negative integers. */
export type Labels = ArrayLike<number>;

/** Returns NMI in [0, 1] between two labelings of the same nodes (1 = identical up to renaming). */
export function normalizedMutualInformation(a: Labels, b: Labels): number {
  const n = a.length;
  if (b.length !== n) throw new InvalidInputError(`normalizedMutualInformation: the partitions label ${n} and ${b.length} nodes; give labels for the same nodes`);
  if (n === 0) return 1;
  const ra = relabel(a);
  const rb = relabel(b);
  const countA = new Float64Array(ra.k);
  const countB = new Float64Array(rb.k);
  for (let i = 0; i < n; i++) {
    countA[ra.labels[i]]++;
    countB[rb.labels[i]]++;
  }
  // joint counts: sort node indices by (a, b) via a Map keyed on a·kb + b (k ≤ n, so exact)
  const joint = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const key = ra.labels[i] * rb.k + rb.labels[i];
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  let mi = 0;
  for (const [key, c] of joint) {
    const x = Math.floor(key / rb.k);
    const y = key - x * rb.k;
    mi += (c / n) * Math.log((c * n) / (countA[x] * countB[y]));
  }
  const ha = entropy(countA, n);
  const hb = entropy(countB, n);
  if (ha + hb === 0) return 1;
  return Math.max(0, Math.min(1, (2 * mi) / (ha + hb)));
}

function entropy(counts: Float64Array, n: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

function relabel(labels: Labels): { labels: Uint32Array; k: number } {
  const map = new Map<number, number>();
  const out = new Uint32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (!Number.isInteger(l)) throw new InvalidInputError(`normalizedMutualInformation: label ${l} of node ${i} is not an integer`);
    let r = map.get(l);
    if (r === undefined) {
      r = map.size;
      map.set(l, r);
    }
    out[i] = r;
  }
  return { labels: out, k: map.size };
}
