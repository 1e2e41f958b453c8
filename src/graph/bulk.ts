/**
 * The fast bulk builder: an edge list in, a graphology graph out.
 *
 * Parallel edges are merged on typed arrays first ({@link aggregateEdges}); then nodes and edges
 * are inserted in one pass. graphology's `addEdge` allocates an event object, looks both ends up
 * by key, generates and checks a key and emits an event for every edge; on a fresh graph none of
 * that is needed, so the builder fills graphology's own node and edge records directly (the same
 * records `addEdge` makes, so every graphology method and library works on the result). The
 * record shapes are checked on a probe graph first; if a graphology release changes them, the
 * builder falls back to the public `addNode`/`addEdgeWithKey` and stays correct, only slower.
 *
 * Node keys: the given strings, or `"0"…"n-1"` for typed-array input. Edge keys: `"0"…"m-1"`
 * in aggregation order. Each edge carries `weight` (the summed weight, or the record count when
 * no weights were given).
 */
import { DirectedGraph, UndirectedGraph } from 'graphology';
import type { AbstractGraph as Graph } from 'graphology-types';
import type { Attributes } from 'graphology-types';
import { InvalidInputError } from '../model/errors.js';
import { aggregateEdges, type AggregatedEdges } from './aggregate.js';
import { rememberEdges } from './csr-cache.js';

/** An edge list as typed arrays of dense node ids (`0…n-1`), with optional weights. */
export interface TypedEdgeList {
  sources: Uint32Array;
  targets: Uint32Array;
  weights?: Float64Array;
}

/** Options of {@link graphFromEdges}. */
export interface GraphFromEdgesOptions {
  /** `undirected` (default) merges (a, b) with (b, a); `directed` keeps them apart */
  type?: 'undirected' | 'directed';
  /** typed input only: number of nodes (default: largest id + 1); ids without edges become isolated nodes */
  nodeCount?: number;
  /** typed input only: the key of node id i (default `String(i)`); length must be `nodeCount` */
  nodeKeys?: readonly string[];
  /** name of the edge attribute holding the summed weight (default `weight`) */
  weightAttribute?: string;
}

/**
 * Builds a graphology graph from an edge list, merging parallel edges into one whose `weight` is
 * the sum of their weights (1 each when omitted). Accepts `[source, target, weight?]` tuples of
 * node keys, or typed arrays of dense ids. Self-loops are kept. Throws `InvalidInputError` for
 * mismatched array lengths, non-finite weights, or non-string keys.
 *
 * @example
 * const g = graphFromEdges([['a', 'b'], ['b', 'a', 2], ['b', 'c']]); // a–b weight 3, b–c weight 1
 */
export function graphFromEdges(
  edges: Iterable<readonly [string, string, number?]> | TypedEdgeList,
  options: GraphFromEdgesOptions = {},
): Graph {
  const directed = options.type === 'directed';
  if (options.type !== undefined && options.type !== 'directed' && options.type !== 'undirected')
    throw new InvalidInputError(`graphFromEdges: type must be 'undirected' or 'directed', got ${String(options.type)}`);
  let keys: readonly string[];
  let agg: AggregatedEdges;
  if (isTypedEdgeList(edges)) {
    agg = aggregateEdges(edges.sources, edges.targets, edges.weights, {
      undirected: !directed,
      nodeCount: options.nodeCount ?? options.nodeKeys?.length,
    });
    if (options.nodeKeys && options.nodeKeys.length !== agg.nodeCount)
      throw new InvalidInputError(`graphFromEdges: nodeKeys has ${options.nodeKeys.length} keys for ${agg.nodeCount} nodes; give one key per node id`);
    // a copy: the graph remembers its keys (csr-cache.ts), and the caller may refill its array
    keys = options.nodeKeys ? Array.from(options.nodeKeys) : numericKeys(agg.nodeCount);
  } else {
    const interned = internTuples(edges);
    keys = interned.keys;
    agg = aggregateEdges(interned.sources, interned.targets, interned.weights, { undirected: !directed, nodeCount: keys.length });
  }
  const graph = directed ? new DirectedGraph() : new UndirectedGraph();
  const weightAttribute = options.weightAttribute ?? 'weight';
  insertBulk(graph, keys, agg, weightAttribute, options.nodeKeys !== undefined);
  rememberEdges(graph, keys, agg, weightAttribute);
  return graph;
}

function isTypedEdgeList(x: unknown): x is TypedEdgeList {
  return typeof x === 'object' && x !== null && (x as TypedEdgeList).sources instanceof Uint32Array;
}

function numericKeys(n: number): string[] {
  const keys = new Array<string>(n);
  for (let i = 0; i < n; i++) keys[i] = String(i);
  return keys;
}

/** Interns the keys of tuple input to dense ids, growing typed arrays as it goes. */
function internTuples(edges: Iterable<readonly [string, string, number?]>): { keys: string[]; sources: Uint32Array; targets: Uint32Array; weights: Float64Array } {
  const ids = new Map<string, number>();
  const keys: string[] = [];
  let cap = 1024;
  let sources = new Uint32Array(cap);
  let targets = new Uint32Array(cap);
  let weights = new Float64Array(cap);
  let m = 0;
  const idOf = (key: unknown, e: number, end: string): number => {
    if (typeof key !== 'string') throw new InvalidInputError(`graphFromEdges: ${end} of edge ${e} is ${typeof key}; node keys must be strings`);
    let id = ids.get(key);
    if (id === undefined) {
      id = keys.length;
      ids.set(key, id);
      keys.push(key);
    }
    return id;
  };
  for (const edge of edges) {
    if (!Array.isArray(edge)) throw new InvalidInputError(`graphFromEdges: edge ${m} is not a [source, target, weight?] tuple`);
    if (m === cap) {
      cap *= 2;
      const s = new Uint32Array(cap);
      s.set(sources);
      sources = s;
      const t = new Uint32Array(cap);
      t.set(targets);
      targets = t;
      const w = new Float64Array(cap);
      w.set(weights);
      weights = w;
    }
    sources[m] = idOf(edge[0], m, 'source');
    targets[m] = idOf(edge[1], m, 'target');
    const w = edge[2];
    if (w !== undefined && typeof w !== 'number') throw new InvalidInputError(`graphFromEdges: weight of edge ${m} is ${typeof w}; weights must be numbers`);
    weights[m] = w ?? 1;
    m++;
  }
  return { keys, sources: sources.subarray(0, m), targets: targets.subarray(0, m), weights: weights.subarray(0, m) };
}

/* graphology's private records, as graphology 0.26 defines them (checked by probe()). */
interface NodeRecord {
  key: string;
  undirected: Record<string, EdgeRecord>;
  out: Record<string, EdgeRecord>;
  in: Record<string, EdgeRecord>;
  undirectedDegree: number;
  undirectedLoops: number;
  outDegree: number;
  inDegree: number;
  directedLoops: number;
}
interface EdgeRecord {
  key: string;
  source: NodeRecord;
  target: NodeRecord;
  attributes: Attributes;
  undirected: boolean;
}
interface GraphInternals {
  NodeDataClass: new (key: string, attributes: Attributes) => NodeRecord;
  _nodes: Map<string, NodeRecord>;
  _edges: Map<string, EdgeRecord>;
  _undirectedSize: number;
  _directedSize: number;
  _undirectedSelfLoopCount: number;
  _directedSelfLoopCount: number;
}

type EdgeRecordClass = new (undirected: boolean, key: string, source: NodeRecord, target: NodeRecord, attributes: Attributes) => EdgeRecord;
const probed = new Map<string, EdgeRecordClass | null>();

/** Finds graphology's edge record class for a graph type and checks that the records look as expected. */
function probe(directed: boolean): EdgeRecordClass | null {
  const cacheKey = directed ? 'directed' : 'undirected';
  if (probed.has(cacheKey)) return probed.get(cacheKey)!;
  let result: EdgeRecordClass | null = null;
  try {
    const g = directed ? new DirectedGraph() : new UndirectedGraph();
    g.addNode('a');
    g.addNode('b');
    g.addEdgeWithKey('e', 'a', 'b', { w: 1 });
    const gi = g as unknown as GraphInternals;
    const edge = gi._edges instanceof Map ? gi._edges.get('e') : undefined;
    const a = gi._nodes instanceof Map ? gi._nodes.get('a') : undefined;
    const b = gi._nodes?.get?.('b');
    const adjacency = directed ? a?.out?.b === edge && b?.in?.a === edge : a?.undirected?.b === edge && b?.undirected?.a === edge;
    const degree = directed ? a?.outDegree === 1 && b?.inDegree === 1 : a?.undirectedDegree === 1 && b?.undirectedDegree === 1;
    if (
      edge &&
      a &&
      typeof gi.NodeDataClass === 'function' &&
      a instanceof gi.NodeDataClass &&
      edge.source === a &&
      edge.target === b &&
      edge.key === 'e' &&
      edge.undirected === !directed &&
      edge.attributes?.w === 1 &&
      adjacency &&
      degree &&
      (directed ? gi._directedSize === 1 : gi._undirectedSize === 1)
    ) {
      const Ctor = edge.constructor as EdgeRecordClass;
      const test = new Ctor(!directed, 'x', a, b as NodeRecord, {});
      if (test.source === a && test.target === b && test.key === 'x' && test.undirected === !directed) result = Ctor;
    }
  } catch {
    result = null;
  }
  probed.set(cacheKey, result);
  return result;
}

/** Inserts the nodes `keys` and the aggregated edges into an empty graph. */
function insertBulk(graph: Graph, keys: readonly string[], agg: AggregatedEdges, weightAttribute: string, checkKeys: boolean): void {
  const directed = graph.type === 'directed';
  const EdgeRecordCtor = probe(directed);
  const n = keys.length;
  const { sources, targets, weights, count } = agg;
  if (!EdgeRecordCtor) {
    for (let i = 0; i < n; i++) graph.addNode(keys[i]);
    for (let e = 0; e < count; e++) graph.addEdgeWithKey(String(e), keys[sources[e]], keys[targets[e]], { [weightAttribute]: weights[e] });
    return;
  }
  const gi = graph as unknown as GraphInternals;
  const records = new Array<NodeRecord>(n);
  const nodes = gi._nodes;
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    if (checkKeys && nodes.has(key)) throw new InvalidInputError(`graphFromEdges: node key ${JSON.stringify(key)} is given twice; node keys must be unique`);
    const record = new gi.NodeDataClass(key, {});
    records[i] = record;
    nodes.set(key, record);
  }
  const edges = gi._edges;
  const byName = weightAttribute === 'weight';
  let loops = 0;
  for (let e = 0; e < count; e++) {
    const s = records[sources[e]];
    const t = records[targets[e]];
    const key = String(e);
    // a literal of one fixed shape is allocated inline; a computed key would build a new map per edge
    const attributes: Attributes = byName ? { weight: weights[e] } : { [weightAttribute]: weights[e] };
    const record = new EdgeRecordCtor(!directed, key, s, t, attributes);
    edges.set(key, record);
    if (directed) {
      s.outDegree++;
      t.inDegree++;
      s.out[t.key] = record;
      t.in[s.key] = record;
      if (s === t) {
        s.directedLoops++;
        loops++;
      }
    } else {
      s.undirectedDegree++;
      t.undirectedDegree++;
      s.undirected[t.key] = record;
      if (s === t) {
        s.undirectedLoops++;
        loops++;
      } else t.undirected[s.key] = record;
    }
  }
  if (directed) {
    gi._directedSize = count;
    gi._directedSelfLoopCount = loops;
  } else {
    gi._undirectedSize = count;
    gi._undirectedSelfLoopCount = loops;
  }
}
