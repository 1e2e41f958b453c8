import { UndirectedGraph } from 'graphology';
import { describe, expect, it } from 'vitest';
import { aggregateEdges, graphFromEdges, InvalidInputError, louvainCommunities, plantedPartition } from '../../src/index.js';

/** The same graph built through graphology's public API, one addEdge/updateEdgeAttribute at a time. */
function naive(sources: Uint32Array, targets: Uint32Array, n: number): UndirectedGraph {
  const g = new UndirectedGraph();
  for (let i = 0; i < n; i++) g.addNode(String(i));
  for (let e = 0; e < sources.length; e++) {
    const s = String(sources[e]);
    const t = String(targets[e]);
    if (g.hasEdge(s, t)) g.updateEdgeAttribute(s, t, 'weight', (w) => (w as number) + 1);
    else g.addEdge(s, t, { weight: 1 });
  }
  return g;
}

describe('aggregateEdges', () => {
  it('merges parallel and opposite records and sums weights', () => {
    const a = aggregateEdges(Uint32Array.of(0, 1, 0, 2, 2), Uint32Array.of(1, 0, 1, 2, 0), Float64Array.of(1, 2, 3, 4, 5));
    const edges = Array.from({ length: a.count }, (_, e) => [a.sources[e], a.targets[e], a.weights[e], a.multiplicity[e]]);
    expect(edges).toEqual([
      [0, 1, 6, 3],
      [0, 2, 5, 1],
      [2, 2, 4, 1],
    ]);
    expect(a.nodeCount).toBe(3);
  });

  it('keeps directions apart when directed', () => {
    const a = aggregateEdges(Uint32Array.of(0, 1, 0), Uint32Array.of(1, 0, 1), undefined, { undirected: false });
    expect(a.count).toBe(2);
    expect(Array.from(a.weights.subarray(0, 2))).toEqual([2, 1]);
  });

  it('rejects mismatched lengths, bad weights and ids out of range with typed errors', () => {
    expect(() => aggregateEdges(Uint32Array.of(0), Uint32Array.of())).toThrow(InvalidInputError);
    expect(() => aggregateEdges(Uint32Array.of(0), Uint32Array.of(1), Float64Array.of(NaN))).toThrow(/finite/);
    expect(() => aggregateEdges(Uint32Array.of(5), Uint32Array.of(1), undefined, { nodeCount: 3 })).toThrow(/nodeCount/);
    // a hostile id near 2^32 must not allocate gigabytes: it is refused
    expect(() => aggregateEdges(Uint32Array.of(0xfffffff0), Uint32Array.of(1))).toThrow(/renumber the ids densely/);
  });
});

describe('graphFromEdges', () => {
  it('builds the same graph as graphology addEdge on a planted-partition graph, parallel edges merged', () => {
    const p = plantedPartition({ nodes: 2000, edges: 12000, communitySize: 20, seed: 3 });
    const fast = graphFromEdges({ sources: p.sources, targets: p.targets });
    const slow = naive(p.sources, p.targets, 2000);
    expect(fast.order).toBe(slow.order);
    expect(fast.size).toBe(slow.size);
    expect(fast.size).toBeLessThan(12000); // the generator does produce parallel edges
    slow.forEachEdge((_e, attr, s, t) => {
      expect(fast.getEdgeAttribute(s, t, 'weight')).toBe(attr.weight);
    });
    fast.forEachNode((node: string) => {
      expect(fast.degree(node)).toBe(slow.degree(node));
      expect(fast.neighbors(node).sort()).toEqual(slow.neighbors(node).sort());
    });
  });

  it('gives a graph that graphology keeps working on: add, drop, self-loops, neighbours', () => {
    const g = graphFromEdges([
      ['a', 'b'],
      ['b', 'a', 2],
      ['b', 'c', 0.5],
      ['c', 'c'],
    ]);
    expect(g.type).toBe('undirected');
    expect(g.getEdgeAttribute('a', 'b', 'weight')).toBe(3);
    expect(g.selfLoopCount).toBe(1);
    expect(g.degree('c')).toBe(3); // b–c plus the loop counted twice
    g.addEdge('a', 'c', { weight: 1 });
    expect(g.size).toBe(4);
    g.dropNode('b');
    expect(g.size).toBe(2);
    expect(g.neighbors('a')).toEqual(['c']);
    expect(() => g.addEdge('a', 'c')).toThrow(); // simple graph: the bulk-built edge is indexed
  });

  it('builds a directed graph that keeps both directions', () => {
    const g = graphFromEdges({ sources: Uint32Array.of(0, 1, 0), targets: Uint32Array.of(1, 0, 1) }, { type: 'directed' });
    expect(g.type).toBe('directed');
    expect(g.getEdgeAttribute('0', '1', 'weight')).toBe(2);
    expect(g.getEdgeAttribute('1', '0', 'weight')).toBe(1);
    expect(g.outDegree('0')).toBe(1);
    expect(g.inDegree('0')).toBe(1);
  });

  it('honours nodeCount and nodeKeys for typed input', () => {
    const g = graphFromEdges({ sources: Uint32Array.of(0), targets: Uint32Array.of(1), weights: Float64Array.of(2.5) }, { nodeKeys: ['x', 'y', 'z'] });
    expect(g.nodes()).toEqual(['x', 'y', 'z']);
    expect(g.getEdgeAttribute('x', 'y', 'weight')).toBe(2.5);
    expect(() => graphFromEdges({ sources: Uint32Array.of(0), targets: Uint32Array.of(1) }, { nodeKeys: ['x', 'x'] })).toThrow(/twice/);
    expect(() => graphFromEdges({ sources: Uint32Array.of(0), targets: Uint32Array.of(1) }, { nodeKeys: ['x'] })).toThrow(InvalidInputError);
  });

  it('keeps its own copy of nodeKeys: a caller reusing the array for the next graph does not rename this one', () => {
    // the graph remembered the caller's nodeKeys array itself for louvainCommunities; a caller that
    // refilled it to build a second graph got the first graph's partition under the second's keys
    const { sources, targets } = plantedPartition({ nodes: 24, edges: 120, communitySize: 8, mixing: 0.05, seed: 4 });
    const keys = Array.from({ length: 24 }, (_, i) => `first-${i}`);
    const first = graphFromEdges({ sources, targets }, { nodeKeys: keys });
    const expected = louvainCommunities(first, { seed: 3 }).partition;
    expect(Object.keys(expected).sort()).toEqual([...first.nodes()].sort());
    for (let i = 0; i < keys.length; i++) keys[i] = `second-${i}`;
    const second = graphFromEdges({ sources, targets }, { nodeKeys: keys });
    expect(louvainCommunities(first, { seed: 3 }).partition).toEqual(expected);
    expect(Object.keys(louvainCommunities(second, { seed: 3 }).partition).sort()).toEqual([...second.nodes()].sort());
  });

  it('rejects hostile tuple input with typed errors', () => {
    expect(() => graphFromEdges([['a', 1 as unknown as string]])).toThrow(InvalidInputError);
    expect(() => graphFromEdges([['a', 'b', 'x' as unknown as number]])).toThrow(/weights must be numbers/);
    expect(() => graphFromEdges([['a', 'b', Infinity]])).toThrow(/finite/);
    expect(() => graphFromEdges([null as unknown as [string, string]])).toThrow(/tuple/);
    expect(() => graphFromEdges([], { type: 'mixed' as 'directed' })).toThrow(InvalidInputError);
    expect(graphFromEdges([]).order).toBe(0);
  });
});
