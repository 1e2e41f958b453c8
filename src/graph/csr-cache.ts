/**
 * Turning a graphology graph into the typed-array form the community code runs on.
 *
 * Graphs made by {@link graphFromEdges} remember their aggregated edge arrays (in a WeakMap, so
 * nothing leaks); any mutation event of the graph forgets them. Other graphs are read once
 * through graphology's public iteration: nodes get dense ids in iteration order, each edge's
 * weight is read, and parallel or opposite edges are merged.
 */
import type { AbstractGraph as Graph } from 'graphology-types';
import type { Attributes } from 'graphology-types';
import { InvalidInputError } from '../model/errors.js';
import { aggregateEdges, type AggregatedEdges } from './aggregate.js';

/** The typed-array view of a graph: node keys by dense id and aggregated undirected edges. */
export interface TypedView {
  keys: readonly string[];
  edges: AggregatedEdges;
}

interface Remembered {
  keys: readonly string[];
  edges: AggregatedEdges;
  weightAttribute: string;
  directed: boolean;
}

const remembered = new WeakMap<Graph, Remembered>();

const MUTATIONS = [
  'nodeAdded',
  'edgeAdded',
  'nodeDropped',
  'edgeDropped',
  'cleared',
  'edgesCleared',
  'edgeAttributesUpdated',
  'eachEdgeAttributesUpdated',
] as const;

/** Records the arrays a graph was built from, until the graph changes. */
export function rememberEdges(graph: Graph, keys: readonly string[], edges: AggregatedEdges, weightAttribute: string): void {
  remembered.set(graph, { keys, edges, weightAttribute, directed: graph.type === 'directed' });
  const forget = (): void => {
    remembered.delete(graph);
    for (const event of MUTATIONS) graph.removeListener(event, forget);
  };
  for (const event of MUTATIONS) graph.on(event, forget);
}

/**
 * The undirected typed view of `graph`, with edge weights read from attribute `weight`
 * (`null`: every edge weighs 1). A missing weight counts as 1; a negative or non-finite one is
 * an `InvalidInputError`.
 */
export function undirectedView(graph: Graph, weight: string | null): TypedView {
  const r = remembered.get(graph);
  if (r && (weight === null || weight === r.weightAttribute)) {
    if (!r.directed) {
      if (weight !== null) return { keys: r.keys, edges: r.edges };
      return { keys: r.keys, edges: { ...r.edges, weights: new Float64Array(r.edges.count).fill(1) } };
    }
    const { sources, targets, weights, count } = r.edges;
    const w = weight === null ? new Float64Array(count).fill(1) : weights.subarray(0, count);
    return { keys: r.keys, edges: aggregateEdges(sources.subarray(0, count), targets.subarray(0, count), w, { nodeCount: r.keys.length }) };
  }
  return readGraph(graph, weight);
}

function readGraph(graph: Graph, weight: string | null): TypedView {
  const n = graph.order;
  const keys = new Array<string>(n);
  const ids = new Map<string, number>();
  let i = 0;
  graph.forEachNode((key: string) => {
    keys[i] = key;
    ids.set(key, i++);
  });
  const m = graph.size;
  const sources = new Uint32Array(m);
  const targets = new Uint32Array(m);
  const weights = new Float64Array(m);
  let e = 0;
  graph.forEachEdge((edge: string, attributes: Attributes, source: string, target: string) => {
    sources[e] = ids.get(source)!;
    targets[e] = ids.get(target)!;
    let w = 1;
    if (weight !== null) {
      const v: unknown = attributes[weight];
      if (v !== undefined) {
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
          throw new InvalidInputError(`louvainCommunities: edge ${edge} has ${weight} = ${String(v)}; edge weights must be finite non-negative numbers (or pass weight: null)`, {
            code: 'GRAPH_EDGE_WEIGHT',
          });
        w = v;
      }
    }
    weights[e++] = w;
  });
  return { keys, edges: aggregateEdges(sources, targets, weights, { nodeCount: n }) };
}
