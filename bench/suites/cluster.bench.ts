/**
 * Clustering throughput, in input links per second, of the typed-array union-find with merge
 * provenance (wildtrace's `ClusterEngine`) against a `Map<string, string>` union-find baseline
 * (parent map + size map, path halving, union by size, no provenance) measured in the same run:
 * - synthetic: 1M and 10M links between random pairs of 1M / 10M addresses (seeded);
 * - real: the input links of Bitcoin block 413,567 through `clusterAddresses` (decoding excluded);
 * - memory: bytes per address of the union-find arrays (the intern table not counted) and of the
 *   merge provenance;
 * - incremental: clustering 1 new block (block 413,567) on top of a 1M-address state.
 * Tinybench samples each task (few iterations for the large ones: each takes seconds).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { clusterAddresses, ClusterEngine, TxClusterer, UNION_FIND_BYTES_PER_ELEMENT, decodeBitcoinBlock, type Tx } from '../../src/index.js';
import { MERGE_BYTES } from '../../src/cluster/provenance.js';
import { opsPerSecond, type BenchContext } from '../lib.js';

/** The `Map<string, string>` union-find baseline. */
class MapUnionFind {
  readonly parent = new Map<string, string>();
  readonly size = new Map<string, number>();
  find(x: string): string {
    let p = this.parent.get(x);
    if (p === undefined) {
      this.parent.set(x, x);
      this.size.set(x, 1);
      return x;
    }
    while (p !== x) {
      const g = this.parent.get(p)!;
      this.parent.set(x, g);
      x = g;
      p = this.parent.get(x)!;
    }
    return x;
  }
  union(a: string, b: string): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size.get(ra)! < this.size.get(rb)!) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.size.set(ra, this.size.get(ra)! + this.size.get(rb)!);
    return true;
  }
}

/** Seeded random links: `links[2k], links[2k+1]` in 0 … n − 1. */
function syntheticLinks(count: number, n: number, seed: number): Uint32Array {
  const out = new Uint32Array(2 * count);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < out.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) % n;
  }
  return out;
}

/** CPU time of one call of `fn` in seconds (user + system of the whole process, GC included). */
function cpuSeconds(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

/** The smallest CPU time of `runs` calls (the least disturbed run). */
function bestCpu(fn: () => void, runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, cpuSeconds(fn));
  return best;
}

const syntheticAddress = (i: number) => `1Syn${i.toString(36).padStart(30, 'x')}`;

/** Links through the engine, one proof per 3 links (multi-input transactions have ~3 inputs). */
function runEngine(links: Uint32Array, n: number): ClusterEngine {
  const engine = new ClusterEngine({ capacity: n });
  engine.ensure(n);
  const h = engine.heuristicId('multi-input');
  let proof = 0;
  for (let i = 0, k = 0; i < links.length; i += 2, k++) {
    if (k % 3 === 0) proof = engine.proofId(`tx:${k}`);
    engine.link(links[i], links[i + 1], h, proof, 0.95);
  }
  return engine;
}

function runBaseline(links: Uint32Array, names: readonly string[]): MapUnionFind {
  const uf = new MapUnionFind();
  for (let i = 0; i < links.length; i += 2) uf.union(names[links[i]], names[links[i + 1]]);
  return uf;
}

/** Input links of a transaction list as the baseline sees them: first input with each other. */
function baselineTxs(txs: readonly Tx[]): MapUnionFind {
  const uf = new MapUnionFind();
  for (const tx of txs) {
    const ins = tx.inputs;
    if (ins.length < 2 || ins[0].address === undefined) continue;
    for (let i = 1; i < ins.length; i++) if (ins[i].address !== undefined) uf.union(ins[0].address, ins[i].address!);
  }
  return uf;
}

export default async function clusterSuite(outer: BenchContext): Promise<void> {
  // echo every figure to stderr as soon as it is measured (the 10M run is long on a shared machine)
  const ctx: BenchContext = {
    ...outer,
    record: (f) => {
      outer.record(f);
      console.error(`  ${f.name}: ${f.value.toPrecision(4)} ${f.unit}`);
    },
    ratio: (name, value, baseline, target) => {
      outer.ratio(name, value, baseline, target);
      console.error(`  ${name}: ${(value / baseline).toPrecision(4)} x`);
    },
  };
  await synthetic(ctx, '1M', 1_000_000, 2);
  await realBlock(ctx);
  if (process.env.CLUSTER_BENCH_10M !== '0') await synthetic(ctx, '10M', 10_000_000, 1);
  ctx.record({ name: 'peak RSS', value: ctx.peakRss() / 2 ** 20, unit: 'MiB' });
}

async function synthetic(ctx: BenchContext, label: string, count: number, iterations: number): Promise<void> {
  console.error(`cluster bench: ${label} synthetic links …`);
  const links = syntheticLinks(count, count, 0x5eed + count);
  const names = Array.from({ length: count }, (_, i) => syntheticAddress(i));
  const bench = ctx.bench({ iterations, time: 0, warmup: count < 10_000_000, warmupIterations: 1, warmupTime: 0 });
  bench.add(`typed ${label}`, () => void runEngine(links, count));
  bench.add(`baseline ${label}`, () => void runBaseline(links, names));
  await bench.run();
  const typed = opsPerSecond(bench, `typed ${label}`) * count;
  const base = opsPerSecond(bench, `baseline ${label}`) * count;
  ctx.record({ name: `typed-array union-find + provenance, ${label} synthetic links`, value: typed, unit: 'links/s' });
  ctx.record({ name: `Map<string,string> union-find (baseline), ${label} synthetic links`, value: base, unit: 'links/s' });
  ctx.ratio(`typed / Map baseline, ${label} links (wall clock)`, typed, base, 10);
  // CPU time is what a shared, overloaded machine cannot distort: best of a few runs of each
  const runs = count < 10_000_000 ? 3 : 1;
  const typedCpu = count / bestCpu(() => void runEngine(links, count), runs);
  const baseCpu = count / bestCpu(() => void runBaseline(links, names), runs);
  ctx.record({ name: `typed-array union-find + provenance, ${label} links, per CPU second`, value: typedCpu, unit: 'links/CPU-s' });
  ctx.record({ name: `Map<string,string> baseline, ${label} links, per CPU second`, value: baseCpu, unit: 'links/CPU-s' });
  ctx.ratio(`typed / Map baseline, ${label} links (CPU time)`, typedCpu, baseCpu, 10);
  if (count === 1_000_000) {
    const engine = runEngine(links, count);
    const uf = engine.uf;
    ctx.record({
      name: `union-find bytes per address (${label} addresses, arrays at capacity)`,
      value: uf.byteLength / uf.length,
      unit: 'bytes/address',
      target: '<= 16',
      met: uf.byteLength / uf.length <= 16,
      note: `${UNION_FIND_BYTES_PER_ELEMENT} B by layout: parent, size, min as uint32`,
    });
    ctx.record({
      name: `merge provenance bytes per address (${engine.merges.length} merges, columns only)`,
      value: (engine.merges.length * MERGE_BYTES) / uf.length,
      unit: 'bytes/address',
      note: `${MERGE_BYTES} B per merge plus the proof strings (one per transaction)`,
    });
  }
}

async function realBlock(ctx: BenchContext): Promise<void> {
  console.error('cluster bench: block 413567 …');
  const block = decodeBitcoinBlock(readFileSync(path.join(import.meta.dirname, '../../../shared/data/bitcoin/block413567.raw')));
  const txs = block.txs;
  const probe = clusterAddresses(txs, { coinjoin: 'include' });
  const realLinks = probe.stats.links;
  const bench = ctx.bench({ iterations: 30, time: 2000 });
  bench.add('block include', () => void clusterAddresses(txs, { coinjoin: 'include' }));
  bench.add('block exclude', () => void clusterAddresses(txs));
  bench.add('block baseline', () => void baselineTxs(txs));
  await bench.run();
  const inc = opsPerSecond(bench, 'block include') * realLinks;
  const exc = opsPerSecond(bench, 'block exclude') * realLinks;
  const bas = opsPerSecond(bench, 'block baseline') * realLinks;
  ctx.record({ name: `clusterAddresses, block 413567 (${realLinks} input links, CoinJoins included, interning included)`, value: inc, unit: 'links/s' });
  ctx.record({ name: 'clusterAddresses, block 413567, CoinJoin detectors on (default)', value: exc, unit: 'links/s' });
  ctx.record({ name: 'Map<string,string> union-find (baseline), block 413567', value: bas, unit: 'links/s' });
  ctx.ratio('clusterAddresses end to end / Map baseline, block 413567 (CoinJoins included)', inc, bas);

  // the same links on ids interned beforehand (as the case store does at ingestion)
  const interned = new Map<string, number>();
  const idPairs: number[] = [];
  for (const tx of txs) {
    const ins = tx.inputs.filter((i) => i.address !== undefined).map((i) => i.address!);
    for (const a of ins) if (!interned.has(a)) interned.set(a, interned.size);
    for (let i = 1; i < ins.length; i++) idPairs.push(interned.get(ins[0])!, interned.get(ins[i])!);
  }
  const pairs = Uint32Array.from(idPairs);
  const names = [...interned.keys()];
  const typedCpu = pairs.length / 2 / bestCpu(() => void runEngine(pairs, names.length), 20);
  const baseCpu = pairs.length / 2 / bestCpu(() => void runBaseline(pairs, names), 20);
  ctx.record({ name: `engine on interned ids, block 413567 (${pairs.length / 2} input links), per CPU second`, value: typedCpu, unit: 'links/CPU-s' });
  ctx.record({ name: 'Map<string,string> baseline on the same links, per CPU second', value: baseCpu, unit: 'links/CPU-s' });
  ctx.ratio('engine / Map baseline, block 413567 input links (CPU time)', typedCpu, baseCpu, 10);

  // incremental: one new block on top of a 1M-address state
  console.error('cluster bench: incremental …');
  const N = 1_000_000;
  const state = runEngine(syntheticLinks(N, N, 7), N);
  const runner = new TxClusterer(state);
  const ids = new Map<string, number>();
  let next = N;
  const idOf = (a: string) => ids.get(a) ?? (ids.set(a, next++), next - 1);
  const t0 = performance.now();
  const cpu = cpuSeconds(() => {
    for (const tx of txs) runner.apply(tx, idOf);
  });
  const ms = performance.now() - t0;
  ctx.record({ name: 'incremental: 1 new block on a 1M-address state, CPU time', value: cpu * 1000, unit: 'CPU-ms' });
  ctx.record({
    name: `incremental: 1 new block (block 413567, ${txs.length} txs) on a 1M-address state, in memory`,
    value: ms,
    unit: 'ms',
    note: `${state.uf.length} addresses after`,
  });
}
