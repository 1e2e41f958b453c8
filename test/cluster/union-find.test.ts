/**
 * The union-find, the merge log and the engine: property tests against a naive reference
 * (labels relabelled on every union), the size guard, explain on random forests, and persisted
 * chunks that are damaged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClusterEngine, ClusterError, MergeLog, UnionFind } from '../../src/index.js';

/** The naive reference: a label per element, relabelled on union; cluster id = smallest member. */
function naive(n: number, pairs: [number, number][]): number[] {
  const label = Array.from({ length: n }, (_, i) => i);
  for (const [a, b] of pairs) {
    const la = label[a];
    const lb = label[b];
    if (la === lb) continue;
    for (let i = 0; i < n; i++) if (label[i] === lb) label[i] = la;
  }
  const min = new Map<number, number>();
  label.forEach((l, i) => min.set(l, Math.min(min.get(l) ?? i, i)));
  return label.map((l) => min.get(l)!);
}

const pairsArb = fc.integer({ min: 1, max: 300 }).chain((n) =>
  fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat({ max: n - 1 }), fc.nat({ max: n - 1 })), { maxLength: 400 })),
);

describe('UnionFind', () => {
  it('matches the naive reference, with the smallest id as cluster id, from a tiny initial capacity', () => {
    fc.assert(
      fc.property(pairsArb, ([n, pairs]) => {
        const uf = new UnionFind(1);
        uf.ensure(n);
        for (const [a, b] of pairs) uf.union(a, b);
        const ref = naive(n, pairs);
        expect(Array.from(uf.clusterIds())).toEqual(ref);
        expect(uf.setCount).toBe(new Set(ref).size);
        const sizes = new Map<number, number>();
        for (const c of ref) sizes.set(c, (sizes.get(c) ?? 0) + 1);
        for (let i = 0; i < n; i++) expect(uf.sizeOf(i)).toBe(sizes.get(ref[i]));
      }),
      { numRuns: 100 },
    );
  });

  it('the partition does not depend on the order of the unions', () => {
    fc.assert(
      fc.property(pairsArb, fc.integer(), ([n, pairs], seed) => {
        const shuffled = [...pairs].sort((x, y) => ((x[0] * 31 + x[1] + seed) % 7) - ((y[0] * 31 + y[1] + seed) % 7));
        const a = new UnionFind();
        const b = new UnionFind();
        a.ensure(n);
        b.ensure(n);
        pairs.forEach(([x, y]) => a.union(x, y));
        shuffled.forEach(([x, y]) => b.union(y, x));
        expect(a.clusterIds()).toEqual(b.clusterIds());
      }),
      { numRuns: 100 },
    );
  });

  it('spends 12 bytes per element', () => {
    const uf = new UnionFind(1000);
    uf.ensure(1000);
    expect(uf.byteLength / uf.length).toBe(12);
  });
});

describe('ClusterEngine', () => {
  it('records one merge per union that joined two clusters, and explain walks a valid chain', () => {
    fc.assert(
      fc.property(pairsArb, ([n, pairs]) => {
        const e = new ClusterEngine({ capacity: 2 });
        const h = e.heuristicId('test');
        pairs.forEach(([a, b], k) => e.link(a, b, h, e.proofId(`tx:${k}`), 0.5));
        e.ensure(n);
        expect(e.merges.length).toBe(n - e.uf.setCount);
        const ids = e.uf.clusterIds();
        for (let a = 0; a < Math.min(n, 12); a++) {
          for (let b = 0; b < Math.min(n, 12); b++) {
            if (ids[a] !== ids[b]) {
              expect(() => e.explain(a, b)).toThrow(ClusterError);
              continue;
            }
            const steps = e.explain(a, b);
            let at = a;
            for (const s of steps) {
              expect(s.from).toBe(at);
              expect(new Set([s.merge.a, s.merge.b])).toEqual(new Set([s.from, s.to]));
              // the merge's proof names a pair that was really linked
              const k = Number(s.merge.proof.slice(3));
              expect(new Set(pairs[k])).toEqual(new Set([s.merge.a, s.merge.b]));
              at = s.to;
            }
            expect(at).toBe(b);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('size guard: alarms when both clusters exceed the threshold, refuses on request', () => {
    for (const refuse of [false, true]) {
      const seen: unknown[] = [];
      const e = new ClusterEngine({ sizeGuard: { threshold: 2, refuse, onAlarm: (a) => seen.push(a) } });
      const h = e.heuristicId('multi-input');
      const p = e.proofId('tx:ab');
      e.link(0, 1, h, p, 1);
      e.link(1, 2, h, p, 1); // {0,1,2}
      e.link(3, 4, h, p, 1);
      e.link(4, 5, h, p, 1); // {3,4,5}
      e.link(6, 0, h, p, 1); // 1 vs 3: no alarm
      expect(e.alarmCount).toBe(0);
      const merged = e.link(2, 5, h, p, 1); // 4 vs 3: alarm
      expect(e.alarmCount).toBe(1);
      expect(seen).toHaveLength(1);
      expect(e.alarms[0]).toMatchObject({ a: 2, b: 5, clusterA: 0, clusterB: 3, sizeA: 4, sizeB: 3, heuristic: 'multi-input', proof: 'tx:ab', refused: refuse });
      expect(merged).toBe(!refuse);
      expect(e.uf.connected(0, 3)).toBe(!refuse);
    }
    expect(() => new ClusterEngine({ sizeGuard: { threshold: 0 } })).toThrow(/positive integer/);
  });

  it('explain on unknown ids fails with UNKNOWN_ADDRESS', () => {
    const e = new ClusterEngine();
    e.ensure(3);
    expect(() => e.explain(0, 7)).toThrow(expect.objectContaining({ code: 'UNKNOWN_ADDRESS' }));
  });
});

describe('MergeLog chunks', () => {
  it('round-trip through chunk / appendChunk with remapped tables', () => {
    const a = new MergeLog(1);
    a.append(1, 2, a.heuristics.id('x'), a.proofId('tx:1'), 0.25);
    const start = a.length;
    a.append(3, 4, a.heuristics.id('y'), a.proofId('tx:2'), 1);
    a.append(5, 6, a.heuristics.id('x'), a.proofId('tx:2'), 0.5);
    const b = new MergeLog();
    b.heuristics.id('z');
    b.appendChunk(a.chunk(start));
    expect([b.get(0), b.get(1)]).toEqual([
      { index: 0, a: 3, b: 4, heuristic: 'y', proof: 'tx:2', confidence: 1 },
      { index: 1, a: 5, b: 6, heuristic: 'x', proof: 'tx:2', confidence: 0.5 },
    ]);
  });

  it('a damaged chunk is refused with CLUSTER_STATE_CORRUPT, not half-applied', () => {
    const a = new MergeLog();
    a.append(1, 2, a.heuristics.id('x'), a.proofId('tx:1'), 0.25);
    const good = a.chunk(0);
    const b = new MergeLog();
    const bad = [
      null,
      { ...good, a: [1] },
      { ...good, b: new Uint32Array(0) },
      { ...good, h: Uint8Array.of(9) },
      { ...good, p: Uint32Array.of(5) },
      { ...good, proofs: 'tx:1' },
    ];
    for (const chunk of bad) {
      expect(() => b.appendChunk(chunk as never)).toThrow(expect.objectContaining({ code: 'CLUSTER_STATE_CORRUPT' }));
      expect(b.length).toBe(0);
    }
  });
});
