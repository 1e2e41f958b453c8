/**
 * Planted-partition graphs: a known community structure to measure community detection against.
 *
 * Rule: `nodes` nodes are dealt into communities of `communitySize` consecutive ids (the last may
 * be smaller). Each of the `edges` edges picks a uniform source; with probability `1 - mixing` its
 * target is uniform inside the source's community, otherwise uniform over all nodes. Self-loops
 * are redrawn. Parallel edges can occur; {@link graphFromEdges} aggregates them.
 */
import { InvalidInputError } from '../model/errors.js';
import { seededRng } from './rng.js';

/** Options of {@link plantedPartition}. */
export interface PlantedPartitionOptions {
  nodes: number;
  edges: number;
  /** nodes per community (default 100) */
  communitySize?: number;
  /** share of edges whose target is drawn from the whole graph (default 0.2) */
  mixing?: number;
  /** RNG seed (default 1) */
  seed?: number;
}

/** A generated edge list with the community each node was planted in. */
export interface PlantedPartition {
  sources: Uint32Array;
  targets: Uint32Array;
  /** planted community of each node id */
  communities: Uint32Array;
}

/** Generates a planted-partition graph as typed arrays of node ids (see the rule above). */
export function plantedPartition(options: PlantedPartitionOptions): PlantedPartition {
  const { nodes, edges } = options;
  const size = options.communitySize ?? 100;
  const mixing = options.mixing ?? 0.2;
  if (!Number.isInteger(nodes) || nodes < 2 || nodes > 0xffffffff)
    throw new InvalidInputError(`plantedPartition: nodes must be an integer from 2 to 2^32-1, got ${nodes}`);
  if (!Number.isInteger(edges) || edges < 0) throw new InvalidInputError(`plantedPartition: edges must be a non-negative integer, got ${edges}`);
  if (!Number.isInteger(size) || size < 2) throw new InvalidInputError(`plantedPartition: communitySize must be an integer >= 2, got ${size}`);
  if (!(mixing >= 0 && mixing <= 1)) throw new InvalidInputError(`plantedPartition: mixing must be in [0, 1], got ${mixing}`);
  const rand = seededRng(options.seed ?? 1);
  const communities = new Uint32Array(nodes);
  for (let i = 0; i < nodes; i++) communities[i] = Math.floor(i / size);
  const sources = new Uint32Array(edges);
  const targets = new Uint32Array(edges);
  for (let e = 0; e < edges; e++) {
    const s = Math.floor(rand() * nodes);
    let t: number;
    const start = communities[s] * size;
    const span = Math.min(size, nodes - start);
    do {
      if (span < 2 || rand() < mixing) t = Math.floor(rand() * nodes);
      else t = start + Math.floor(rand() * span);
    } while (t === s);
    sources[e] = s;
    targets[e] = t;
  }
  return { sources, targets, communities };
}
