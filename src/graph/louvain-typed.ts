/**
 * Louvain community detection on typed arrays (Blondel et al. 2008, "Fast unfolding of
 * communities in large networks"), the same algorithm graphology-communities-louvain runs, on a
 * compressed sparse row (CSR) graph instead of graphology's object graph.
 *
 * Rule, per level: every node starts alone; nodes are queued in a seeded random order; a node is
 * taken out of its community and put into the neighbouring community with the largest modularity
 * gain  ΔQ ∝ k_i,c − γ·Σtot_c·k_i / 2m  (ties keep the current community, else the first
 * neighbour community met); when a node moves, its neighbours outside its new community are
 * queued again (the "fast local moves" of Traag 2015, also graphology's default). When the queue
 * is empty the communities become the nodes of the next level (edge weights summed, internal
 * weight kept as a self-loop). Levels repeat until no node moves. Modularity:
 * Q = Σ_c [ in_c / 2m − γ (tot_c / 2m)² ], self-loops counted twice in degrees as in graphology.
 */
import type { Rng } from './rng.js';

/**
 * An undirected weighted graph in CSR form: the neighbours of node i are
 * `adjacency[start[i] … start[i+1])` with `weight` alongside; each non-loop edge appears in both
 * rows; `loops[i]` is twice the weight of i's self-loop.
 */
export interface CsrGraph {
  n: number;
  start: Uint32Array;
  adjacency: Uint32Array;
  weight: Float64Array;
  loops: Float64Array;
}

/** What {@link louvainCsr} found. */
export interface CsrLouvainResult {
  /** community of each node, numbered 0… in order of first appearance by node index */
  membership: Uint32Array;
  count: number;
  modularity: number;
  /** number of levels (aggregation rounds) run */
  levels: number;
}

/**
 * Builds a {@link CsrGraph} from aggregated undirected edges (each pair once; loops allowed).
 */
export function csrFromEdges(n: number, sources: Uint32Array, targets: Uint32Array, weights: Float64Array, count: number): CsrGraph {
  const start = new Uint32Array(n + 1);
  const loops = new Float64Array(n);
  for (let e = 0; e < count; e++) {
    const s = sources[e];
    const t = targets[e];
    if (s === t) continue;
    start[s + 1]++;
    start[t + 1]++;
  }
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const cursor = start.slice(0, n);
  const adjacency = new Uint32Array(start[n]);
  const weight = new Float64Array(start[n]);
  for (let e = 0; e < count; e++) {
    const s = sources[e];
    const t = targets[e];
    const w = weights[e];
    if (s === t) {
      loops[s] += 2 * w;
      continue;
    }
    let k = cursor[s]++;
    adjacency[k] = t;
    weight[k] = w;
    k = cursor[t]++;
    adjacency[k] = s;
    weight[k] = w;
  }
  return { n, start, adjacency, weight, loops };
}

/** Modularity of `membership` on `g` at resolution γ (see the rule at the top of this file). */
export function csrModularity(g: CsrGraph, membership: ArrayLike<number>, resolution = 1): number {
  const { n, start, adjacency, weight, loops } = g;
  let k = 0;
  for (let i = 0; i < n; i++) if (membership[i] + 1 > k) k = membership[i] + 1;
  const internal = new Float64Array(k);
  const total = new Float64Array(k);
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const c = membership[i];
    let d = loops[i];
    internal[c] += loops[i];
    for (let p = start[i], end = start[i + 1]; p < end; p++) {
      d += weight[p];
      if (membership[adjacency[p]] === c) internal[c] += weight[p];
    }
    total[c] += d;
    m2 += d;
  }
  if (m2 === 0) return 0;
  let q = 0;
  for (let c = 0; c < k; c++) q += internal[c] / m2 - resolution * (total[c] / m2) * (total[c] / m2);
  return q;
}

/** Runs Louvain on a CSR graph; `rng` drives the node order, so a seeded one makes it repeatable. */
export function louvainCsr(graph: CsrGraph, resolution: number, rng: Rng): CsrLouvainResult {
  const n0 = graph.n;
  // membership of each original node in the current level's nodes
  const membership = new Uint32Array(n0);
  for (let i = 0; i < n0; i++) membership[i] = i;
  let g = graph;
  let levels = 0;
  for (;;) {
    const { community, moved } = moveNodes(g, resolution, rng);
    if (!moved) break;
    levels++;
    const { renumbered, count } = renumber(community);
    for (let i = 0; i < n0; i++) membership[i] = renumbered[membership[i]];
    if (count === g.n) break;
    g = aggregate(g, renumbered, count);
  }
  const final = renumber(membership);
  return { membership: final.renumbered, count: final.count, modularity: csrModularity(graph, final.renumbered, resolution), levels };
}

/** One level of local moving; returns each node's community (a node id of this level). */
function moveNodes(g: CsrGraph, resolution: number, rng: Rng): { community: Uint32Array; moved: boolean } {
  const { n, start, adjacency, weight, loops } = g;
  const degree = new Float64Array(n);
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    let d = loops[i];
    for (let p = start[i], end = start[i + 1]; p < end; p++) d += weight[p];
    degree[i] = d;
    m2 += d;
  }
  const community = new Uint32Array(n);
  const total = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    community[i] = i;
    total[i] = degree[i];
  }
  if (m2 === 0) return { community, moved: false };
  const scale = resolution / m2;

  // queue: a ring buffer seeded with a random permutation of the nodes
  const queue = new Uint32Array(n);
  for (let i = 0; i < n; i++) queue[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const x = queue[i];
    queue[i] = queue[j];
    queue[j] = x;
  }
  const queued = new Uint8Array(n).fill(1);
  let head = 0;
  let size = n;

  const linkWeight = new Float64Array(n);
  const seenBy = new Int32Array(n).fill(-1);
  const touched = new Uint32Array(n);
  let moved = false;

  while (size > 0) {
    const i = queue[head];
    head = head + 1 === n ? 0 : head + 1;
    size--;
    queued[i] = 0;
    const s = start[i];
    const end = start[i + 1];
    if (s === end) continue;
    const current = community[i];
    const ki = degree[i];
    let nt = 0;
    seenBy[current] = i;
    linkWeight[current] = 0;
    touched[nt++] = current;
    for (let p = s; p < end; p++) {
      const c = community[adjacency[p]];
      if (seenBy[c] !== i) {
        seenBy[c] = i;
        linkWeight[c] = weight[p];
        touched[nt++] = c;
      } else linkWeight[c] += weight[p];
    }
    total[current] -= ki;
    let best = current;
    let bestGain = linkWeight[current] - total[current] * ki * scale;
    for (let t = 1; t < nt; t++) {
      const c = touched[t];
      const gain = linkWeight[c] - total[c] * ki * scale;
      if (gain > bestGain) {
        bestGain = gain;
        best = c;
      }
    }
    total[best] += ki;
    if (best !== current) {
      community[i] = best;
      moved = true;
      for (let p = s; p < end; p++) {
        const j = adjacency[p];
        if (queued[j] === 0 && community[j] !== best) {
          queued[j] = 1;
          let tail = head + size;
          if (tail >= n) tail -= n;
          queue[tail] = j;
          size++;
        }
      }
    }
  }
  return { community, moved };
}

/** Renumbers labels to 0…k-1 in order of first appearance. */
function renumber(labels: Uint32Array): { renumbered: Uint32Array; count: number } {
  const map = new Int32Array(labels.length).fill(-1);
  const out = new Uint32Array(labels.length);
  let count = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (map[l] < 0) map[l] = count++;
    out[i] = map[l];
  }
  return { renumbered: out, count };
}

/** The community graph: one node per community, weights summed, internal weight as loops. */
function aggregate(g: CsrGraph, community: Uint32Array, k: number): CsrGraph {
  const { n, start, adjacency, weight, loops } = g;
  // members of each community (counting sort)
  const memberStart = new Uint32Array(k + 1);
  for (let i = 0; i < n; i++) memberStart[community[i] + 1]++;
  for (let c = 0; c < k; c++) memberStart[c + 1] += memberStart[c];
  const cursor = memberStart.slice(0, k);
  const members = new Uint32Array(n);
  for (let i = 0; i < n; i++) members[cursor[community[i]]++] = i;

  const newStart = new Uint32Array(k + 1);
  const newLoops = new Float64Array(k);
  // each new entry merges at least one old entry, so the old size bounds the new one
  const newAdjacency = new Uint32Array(start[n]);
  const newWeight = new Float64Array(start[n]);
  const slot = new Int32Array(k).fill(-1);
  const seenBy = new Int32Array(k).fill(-1);
  let p2 = 0;
  for (let c = 0; c < k; c++) {
    const rowStart = p2;
    for (let q = memberStart[c]; q < memberStart[c + 1]; q++) {
      const i = members[q];
      newLoops[c] += loops[i];
      for (let p = start[i], end = start[i + 1]; p < end; p++) {
        const d = community[adjacency[p]];
        if (d === c) {
          newLoops[c] += weight[p];
          continue;
        }
        if (seenBy[d] === c) newWeight[slot[d]] += weight[p];
        else {
          seenBy[d] = c;
          slot[d] = p2;
          newAdjacency[p2] = d;
          newWeight[p2] = weight[p];
          p2++;
        }
      }
    }
    newStart[c] = rowStart;
  }
  newStart[k] = p2;
  return { n: k, start: newStart, adjacency: newAdjacency.subarray(0, p2), weight: newWeight.subarray(0, p2), loops: newLoops };
}
