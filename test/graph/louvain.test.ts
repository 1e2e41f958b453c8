import { UndirectedGraph } from 'graphology';
import modularityModule from 'graphology-metrics/graph/modularity.js';
import { describe, expect, it } from 'vitest';
import { graphFromEdges, InvalidInputError, louvainCommunities, normalizedMutualInformation, plantedPartition } from '../../src/index.js';
import { csrFromEdges, csrModularity } from '../../src/graph/louvain-typed.js';
import { aggregateEdges } from '../../src/graph/aggregate.js';

// graphology-metrics is CommonJS (`module.exports = fn`); its typings declare an ES default
type Modularity = typeof modularityModule.default;
const modularity: Modularity = (modularityModule as unknown as { default?: Modularity }).default ?? (modularityModule as unknown as Modularity);

const planted = plantedPartition({ nodes: 3000, edges: 15000, communitySize: 50, mixing: 0.15, seed: 11 });
const labels = (partition: Record<string, number>, n: number): Uint32Array => Uint32Array.from({ length: n }, (_, i) => partition[String(i)]);

describe('louvainCommunities', () => {
  it('recovers a planted partition (NMI > 0.9) with both engines', () => {
    const g = graphFromEdges({ sources: planted.sources, targets: planted.targets });
    for (const engine of ['typed', 'graphology'] as const) {
      const r = louvainCommunities(g, { seed: 1, engine });
      expect(normalizedMutualInformation(planted.communities, labels(r.partition, 3000))).toBeGreaterThan(0.9);
      expect(r.count).toBeGreaterThan(30);
      expect(r.modularity).toBeGreaterThan(0.7);
    }
  });

  it('is deterministic: the same seed gives an identical partition, a fresh graph too', () => {
    const a = louvainCommunities(graphFromEdges({ sources: planted.sources, targets: planted.targets }), { seed: 42 });
    const b = louvainCommunities(graphFromEdges({ sources: planted.sources, targets: planted.targets }), { seed: 42 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const g = graphFromEdges({ sources: planted.sources, targets: planted.targets });
    const c = louvainCommunities(g, { seed: 42, engine: 'graphology' });
    const d = louvainCommunities(g, { seed: 42, engine: 'graphology' });
    expect(d).toEqual(c);
  });

  it('reports the modularity graphology-style Q = Σ in/2m − γ(tot/2m)² of its own partition', () => {
    const g = graphFromEdges({ sources: planted.sources, targets: planted.targets });
    const r = louvainCommunities(g, { seed: 5 });
    // recompute independently over graphology's public API
    let m2 = 0;
    const tot = new Map<number, number>();
    const inside = new Map<number, number>();
    g.forEachEdge((_e: string, attr: Record<string, unknown>, s: string, t: string) => {
      const w = attr.weight as number;
      m2 += 2 * w;
      const cs = r.partition[s];
      const ct = r.partition[t];
      tot.set(cs, (tot.get(cs) ?? 0) + w);
      tot.set(ct, (tot.get(ct) ?? 0) + w);
      if (cs === ct) inside.set(cs, (inside.get(cs) ?? 0) + 2 * w);
    });
    let q = 0;
    for (const [c, t] of tot) q += (inside.get(c) ?? 0) / m2 - (t / m2) ** 2;
    expect(r.modularity).toBeCloseTo(q, 10);
  });

  it("agrees with graphology-metrics' modularity for both engines and several resolutions", () => {
    const g = graphFromEdges({ sources: planted.sources, targets: planted.targets });
    for (const engine of ['typed', 'graphology'] as const) {
      for (const resolution of [0.5, 1, 2]) {
        const r = louvainCommunities(g, { seed: 9, engine, resolution });
        expect(r.modularity).toBeCloseTo(modularity(g, { getNodeCommunity: (node) => r.partition[node], resolution }), 9);
      }
    }
    // self-loops count as graphology counts them
    const loops = graphFromEdges([['a', 'b', 2], ['b', 'c'], ['c', 'a', 0.25], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'd'], ['f', 'f', 3], ['a', 'a']]);
    for (const engine of ['typed', 'graphology'] as const) {
      const r = louvainCommunities(loops, { engine });
      expect(r.partition).toEqual({ a: 0, b: 0, c: 0, d: 1, e: 1, f: 1 });
      expect(r.modularity).toBeCloseTo(modularity(loops, { getNodeCommunity: (node) => r.partition[node] }), 12);
    }
  });

  it('matches graphology-communities-louvain within 1% modularity on the same graph', () => {
    const g = graphFromEdges({ sources: planted.sources, targets: planted.targets });
    const typed = louvainCommunities(g, { seed: 3 });
    const ref = louvainCommunities(g, { seed: 3, engine: 'graphology' });
    expect(Math.abs(typed.modularity - ref.modularity) / ref.modularity).toBeLessThan(0.01);
  });

  it('honours weight: null, another weight attribute and resolution', () => {
    const g = new UndirectedGraph();
    // two triangles joined by a heavy bridge: by weight the bridge wins, unweighted the triangles do
    for (const n of ['a', 'b', 'c', 'x', 'y', 'z']) g.addNode(n);
    const add = (s: string, t: string, tx: number, value: number) => g.addEdge(s, t, { tx, value });
    add('a', 'b', 1, 1);
    add('b', 'c', 1, 1);
    add('a', 'c', 1, 1);
    add('x', 'y', 1, 1);
    add('y', 'z', 1, 1);
    add('x', 'z', 1, 1);
    add('c', 'x', 1, 1000);
    const unweighted = louvainCommunities(g, { weight: null });
    expect(unweighted.count).toBe(2);
    expect(unweighted.partition.a).toBe(unweighted.partition.c);
    expect(unweighted.partition.a).not.toBe(unweighted.partition.x);
    const byValue = louvainCommunities(g, { weight: 'value' });
    expect(byValue.partition.c).toBe(byValue.partition.x);
    const fine = louvainCommunities(g, { weight: null, resolution: 5 });
    expect(fine.count).toBeGreaterThan(2);
  });

  it('sees edits made after the bulk build (the cached arrays are dropped on change)', () => {
    const g = graphFromEdges([
      ['a', 'b'],
      ['b', 'c'],
      ['a', 'c'],
      ['x', 'y'],
      ['y', 'z'],
      ['x', 'z'],
    ]);
    expect(louvainCommunities(g).count).toBe(2);
    g.dropNode('y');
    g.dropNode('z');
    g.addEdge('x', 'a', { weight: 1 });
    const after = louvainCommunities(g);
    expect(Object.keys(after.partition).sort()).toEqual(['a', 'b', 'c', 'x']);
    const g2 = graphFromEdges([['a', 'b'], ['c', 'd']]);
    g2.setEdgeAttribute('a', 'b', 'weight', -1);
    expect(() => louvainCommunities(g2)).toThrow(InvalidInputError);
  });

  it('runs directed Louvain on a directed graph and rejects bad options', () => {
    const g = graphFromEdges({ sources: planted.sources, targets: planted.targets }, { type: 'directed' });
    const r = louvainCommunities(g, { seed: 2 });
    expect(normalizedMutualInformation(planted.communities, labels(r.partition, 3000))).toBeGreaterThan(0.85);
    const u = louvainCommunities(g, { seed: 2, directed: false });
    expect(u.modularity).toBeGreaterThan(0.7);
    expect(() => louvainCommunities(g, { resolution: 0 })).toThrow(InvalidInputError);
    expect(() => louvainCommunities(graphFromEdges([['a', 'b']]), { directed: true })).toThrow(/directed graph/);
    expect(louvainCommunities(new UndirectedGraph())).toEqual({ partition: {}, modularity: 0, count: 0 });
  });

  it('csrModularity of the planted partition is about 1 − mixing − 1/k', () => {
    const a = aggregateEdges(planted.sources, planted.targets);
    const csr = csrFromEdges(a.nodeCount, a.sources, a.targets, a.weights, a.count);
    const q = csrModularity(csr, planted.communities);
    expect(q).toBeGreaterThan(0.8);
    expect(q).toBeLessThan(0.85);
  });
});

describe('normalizedMutualInformation', () => {
  it('is 1 for a relabelled copy, ~0 for independent labels, and rejects length mismatch', () => {
    expect(normalizedMutualInformation([0, 0, 1, 1, 2], [5, 5, 9, 9, 7])).toBeCloseTo(1, 12);
    const a = Uint32Array.from({ length: 10000 }, (_, i) => i % 10);
    const b = Uint32Array.from({ length: 10000 }, (_, i) => Math.floor(i / 1000));
    expect(normalizedMutualInformation(a, b)).toBeLessThan(0.01);
    expect(() => normalizedMutualInformation([0], [0, 1])).toThrow(InvalidInputError);
  });
});
