/**
 * Louvain communities of a graphology graph, repeatable with a seed.
 *
 * Two engines run the same algorithm (Blondel et al. 2008 with fast local moves):
 * - `typed` (default for undirected modularity): wildtrace's typed-array Louvain
 *   (./louvain-typed.ts), which reads the graph into CSR arrays once and never allocates per
 *   edge while moving nodes. graphFromEdges graphs hand over their arrays without a copy.
 * - `graphology`: graphology-communities-louvain with a seeded RNG. Directed modularity
 *   (Dugué & Perez 2015) always runs here.
 * The choice and its measurements are in docs/graph.md.
 */
import type { AbstractGraph as Graph } from 'graphology-types';
import louvainModule from 'graphology-communities-louvain';
import { InvalidInputError } from '../model/errors.js';
import { undirectedView } from './csr-cache.js';
import { csrFromEdges, csrModularity, louvainCsr } from './louvain-typed.js';
import { seededRng } from './rng.js';

// graphology-communities-louvain is CommonJS (`module.exports = fn`); its typings declare an ES default
type GraphologyLouvain = typeof louvainModule.default;
const louvain: GraphologyLouvain = (louvainModule as unknown as { default?: GraphologyLouvain }).default ?? (louvainModule as unknown as GraphologyLouvain);

/** Options of {@link louvainCommunities}. */
export interface LouvainOptions {
  /** RNG seed; the same seed on the same graph gives the same partition (default 1) */
  seed?: number;
  /** resolution γ: above 1 favours smaller communities (default 1) */
  resolution?: number;
  /** edge attribute holding the weight (default `weight`; missing counts as 1); `null`: unweighted */
  weight?: string | null;
  /** optimise directed modularity (default: `true` for a directed graph); runs the graphology engine */
  directed?: boolean;
  /** `typed` (default) or `graphology` (graphology-communities-louvain) for undirected modularity */
  engine?: 'typed' | 'graphology';
}

/** A partition of a graph's nodes into communities. */
export interface LouvainResult {
  /** community id (0 … count-1) of every node key */
  partition: Record<string, number>;
  /** modularity of the partition at the given resolution */
  modularity: number;
  /** number of communities */
  count: number;
}

/**
 * Finds communities with the Louvain method. Community ids are numbered 0… in the order their
 * first member appears in the graph's node order, so the same graph, options and seed give a
 * byte-identical result. Throws `InvalidInputError` for a bad option or a negative or
 * non-finite edge weight.
 *
 * @example
 * const { partition, modularity, count } = louvainCommunities(graph, { seed: 7 });
 */
export function louvainCommunities(graph: Graph, options: LouvainOptions = {}): LouvainResult {
  const seed = options.seed ?? 1;
  const resolution = options.resolution ?? 1;
  const weight = options.weight === undefined ? 'weight' : options.weight;
  if (!Number.isFinite(seed)) throw new InvalidInputError(`louvainCommunities: seed must be a finite number, got ${seed}`);
  if (!(resolution > 0) || !Number.isFinite(resolution)) throw new InvalidInputError(`louvainCommunities: resolution must be a positive number, got ${resolution}`);
  if (weight !== null && typeof weight !== 'string') throw new InvalidInputError(`louvainCommunities: weight must be an attribute name or null, got ${typeof weight}`);
  const directed = options.directed ?? graph.type === 'directed';
  if (directed && graph.type !== 'directed')
    throw new InvalidInputError(`louvainCommunities: directed modularity needs a directed graph, this one is ${graph.type}; pass directed: false`);
  const engine = directed ? 'graphology' : (options.engine ?? 'typed');
  if (engine !== 'typed' && engine !== 'graphology') throw new InvalidInputError(`louvainCommunities: engine must be 'typed' or 'graphology', got ${String(engine)}`);
  if (graph.order === 0) return { partition: {}, modularity: 0, count: 0 };

  if (engine === 'graphology') {
    if (!directed && graph.type !== 'undirected')
      throw new InvalidInputError(`louvainCommunities: the graphology engine cannot treat a ${graph.type} graph as undirected; use engine 'typed'`);
    const result = louvain.detailed(graph, { getEdgeWeight: weight, resolution, rng: seededRng(seed) });
    return { ...renumberPartition(graph, result.communities), modularity: result.modularity };
  }

  const view = undirectedView(graph, weight);
  const { edges, keys } = view;
  const csr = csrFromEdges(keys.length, edges.sources, edges.targets, edges.weights, edges.count);
  const result = louvainCsr(csr, resolution, seededRng(seed));
  const partition: Record<string, number> = {};
  for (let i = 0; i < keys.length; i++) partition[keys[i]] = result.membership[i];
  return { partition, modularity: csrModularity(csr, result.membership, resolution), count: result.count };
}

/** Renumbers graphology's community ids to 0… in node order (the typed engine's convention). */
function renumberPartition(graph: Graph, communities: Record<string, number>): { partition: Record<string, number>; count: number } {
  const map = new Map<number, number>();
  const partition: Record<string, number> = {};
  graph.forEachNode((node: string) => {
    const c = communities[node];
    let id = map.get(c);
    if (id === undefined) {
      id = map.size;
      map.set(c, id);
    }
    partition[node] = id;
  });
  return { partition, count: map.size };
}
