/**
 * Edge aggregation on typed arrays: many (source, target, weight) records in, one edge per node
 * pair out, with the weights summed. This runs before anything touches graphology, so a graph
 * never sees a parallel edge and the hot loop allocates nothing per edge.
 *
 * Rule: one counting sort buckets the records by source id (O(n + m), stable); a pass over each
 * bucket merges records with the same target using a `lastRow[target]` marker (no hashing, no
 * string keys). Undirected pairs are normalised to (min, max) first. The output lists edges by
 * source id, and within a source in the order each target first appeared — deterministic.
 */
import { InvalidInputError } from '../model/errors.js';

/** The most node ids an edge list may span (typed arrays of this length are allocated). */
export const MAX_NODES = 2 ** 28;

/** Aggregated edges: `count` edges in the first `count` slots of each array. */
export interface AggregatedEdges {
  sources: Uint32Array;
  targets: Uint32Array;
  /** summed weight of each edge (the number of records when no weights were given) */
  weights: Float64Array;
  /** number of records merged into each edge */
  multiplicity: Uint32Array;
  count: number;
  /** one more than the largest node id (or the `nodeCount` asked for) */
  nodeCount: number;
}

/** Options of {@link aggregateEdges}. */
export interface AggregateOptions {
  /** treat (a, b) and (b, a) as the same edge (default `true`) */
  undirected?: boolean;
  /** number of nodes; defaults to the largest id + 1 */
  nodeCount?: number;
}

/**
 * Merges parallel records of an edge list held in typed arrays (see the rule at the top of this
 * file). Throws an `InvalidInputError` when the arrays differ in length, a weight is not finite,
 * or an id is not below `nodeCount`.
 */
export function aggregateEdges(
  sources: Uint32Array,
  targets: Uint32Array,
  weights?: Float64Array,
  options: AggregateOptions = {},
): AggregatedEdges {
  const m = sources.length;
  if (targets.length !== m)
    throw new InvalidInputError(`graph edges: sources has ${m} entries but targets has ${targets.length}; give one target per source`, { code: 'GRAPH_EDGES_LENGTH' });
  if (weights && weights.length !== m)
    throw new InvalidInputError(`graph edges: weights has ${weights.length} entries for ${m} edges; give one weight per edge or none`, { code: 'GRAPH_EDGES_LENGTH' });
  const undirected = options.undirected ?? true;
  let max = -1;
  for (let e = 0; e < m; e++) {
    const s = sources[e];
    const t = targets[e];
    if (s > max) max = s;
    if (t > max) max = t;
  }
  const n = options.nodeCount ?? max + 1;
  if (!Number.isInteger(n) || n < 0) throw new InvalidInputError(`graph edges: nodeCount must be a non-negative integer, got ${n}`, { code: 'GRAPH_NODE_COUNT' });
  if (n > MAX_NODES)
    throw new InvalidInputError(`graph edges: ${n} node ids (largest id ${max}) exceed the ${MAX_NODES} a case graph may hold; renumber the ids densely from 0 or cut the graph to the case`, { code: 'GRAPH_NODE_COUNT' });
  if (max >= n) throw new InvalidInputError(`graph edges: node id ${max} is not below nodeCount ${n}; raise nodeCount or renumber the ids`, { code: 'GRAPH_NODE_COUNT' });
  if (weights) {
    for (let e = 0; e < m; e++) {
      const w = weights[e];
      if (!Number.isFinite(w)) throw new InvalidInputError(`graph edges: weight of edge ${e} is ${w}; weights must be finite numbers`, { code: 'GRAPH_EDGE_WEIGHT' });
    }
  }

  // counting sort of the records by (normalised) source
  const start = new Uint32Array(n + 1);
  for (let e = 0; e < m; e++) {
    const s = sources[e];
    const t = targets[e];
    start[(undirected && t < s ? t : s) + 1]++;
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const cursor = start.slice(0, n);
  const bucketTarget = new Uint32Array(m);
  const bucketRecord = weights ? new Uint32Array(m) : undefined;
  for (let e = 0; e < m; e++) {
    let s = sources[e];
    let t = targets[e];
    if (undirected && t < s) {
      const x = s;
      s = t;
      t = x;
    }
    const k = cursor[s]++;
    bucketTarget[k] = t;
    if (bucketRecord) bucketRecord[k] = e;
  }

  // merge equal targets inside each source bucket
  const outS = new Uint32Array(m);
  const outT = new Uint32Array(m);
  const outW = new Float64Array(m);
  const outC = new Uint32Array(m);
  const lastRow = new Int32Array(n).fill(-1);
  const slot = new Uint32Array(n);
  let count = 0;
  for (let s = 0; s < n; s++) {
    for (let k = start[s], end = start[s + 1]; k < end; k++) {
      const t = bucketTarget[k];
      const w = bucketRecord ? weights![bucketRecord[k]] : 1;
      if (lastRow[t] === s) {
        const j = slot[t];
        outW[j] += w;
        outC[j]++;
      } else {
        lastRow[t] = s;
        slot[t] = count;
        outS[count] = s;
        outT[count] = t;
        outW[count] = w;
        outC[count] = 1;
        count++;
      }
    }
  }
  return { sources: outS, targets: outT, weights: outW, multiplicity: outC, count, nodeCount: n };
}
