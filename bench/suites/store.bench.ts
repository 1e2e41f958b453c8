/**
 * Case store on disk (classic-level): batched writes per second and point reads of interned
 * addresses per second. Baseline in the same run: one `put` per record (no batching).
 *
 * The model codec: the canonical encoder (src/store/canonical-v8.ts) against `v8.serialize` on the
 * 1,557 transactions of block 413,567, CPU time per block in alternating rounds (medians), first
 * in a process that has encoded nothing else, then after values of many shapes (holey arrays,
 * widened number fields, two-byte strings: what a store writes), which makes the encoder's call
 * sites polymorphic.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { Case, decodeBitcoinBlock, type Address } from '../../src/index.js';
import { serializeCanonical } from '../../src/store/canonical-v8.js';
import type { BenchContext } from '../lib.js';

const BATCH = 1000;
const addr = (i: number): Address => ({ chain: 'btc', address: `1Bench${i.toString(36).padStart(8, '0')}` });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU ms (user + system) of `reps` calls of `f`, per call. */
function cpuMs(f: () => void, reps: number): number {
  const t = process.cpuUsage();
  for (let i = 0; i < reps; i++) f();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000 / reps;
}

/** Values of many shapes, as a case store writes them (see the file comment). */
function manyShapes(): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < 3000; i++) {
    const o: Record<string, unknown> = {};
    for (let k = 0; k < i % 7; k++) o[`k${(i * 31 + k) % 50}`] = k % 3 === 0 ? 'x€'.repeat(k) : k % 3 === 1 ? k + 0.5 : [k, 'a', null];
    out.push(o, [i, `s${i}`, { z: i }], new Array(3).fill(i), { chain: 'btc', height: i + 0.5 });
  }
  return out;
}

async function codecSuite(ctx: BenchContext): Promise<void> {
  const { txs } = decodeBitcoinBlock(await readFile(path.join(import.meta.dirname, '../../../shared/data/bitcoin/block413567.raw')));
  const canonical = () => txs.forEach((tx) => serializeCanonical(tx));
  const native = () => txs.forEach((tx) => v8.serialize(tx));
  for (const phase of ['fresh process', 'after many shapes'] as const) {
    if (phase === 'after many shapes') for (const v of manyShapes()) serializeCanonical(v);
    for (let i = 0; i < 10; i++) {
      canonical();
      native();
    }
    const c: number[] = [];
    const n: number[] = [];
    for (let round = 0; round < 9; round++) {
      // alternate which goes first, so drift in load or JIT state falls on both
      const first = round % 2 ? native : canonical;
      const second = round % 2 ? canonical : native;
      const a = cpuMs(first, 10);
      const b = cpuMs(second, 10);
      c.push(first === canonical ? a : b);
      n.push(first === canonical ? b : a);
    }
    ctx.record({ name: `canonical encoder, block 413567 txs (${phase}, median of 9 rounds)`, value: median(c), unit: 'ms CPU' });
    ctx.record({ name: `v8.serialize, block 413567 txs (${phase}, median)`, value: median(n), unit: 'ms CPU' });
    ctx.ratio(`canonical / v8.serialize CPU time (${phase})`, median(c), median(n));
  }
}

export default async function storeSuite(ctx: BenchContext): Promise<void> {
  await codecSuite(ctx);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-bench-store-'));
  try {
    const c = await Case.open(path.join(dir, 'case'));
    let next = 0;
    let nextAddr = 0;
    const listing = (i: number) => ({ id: `m/${i}`, market: 'm', title: `listing ${i} with some words of a title`, price: '0.01', currency: 'BTC' });

    const bench = ctx.bench({ iterations: 20, time: 2000 });
    bench.add(`batched write of ${BATCH} records + ${BATCH} interned addresses`, async () => {
      await c.store.write(async (b) => {
        const addresses: Address[] = [];
        for (let i = 0; i < BATCH; i++, next++) {
          b.put('listing', `m/${next}`, listing(next));
          addresses.push(addr(nextAddr++));
        }
        await b.intern(addresses);
        b.checkpoint('bench', next);
      });
    });
    const raw = c.store.collection('listing').sublevel;
    bench.add(`baseline: ${BATCH} single puts`, async () => {
      for (let i = 0; i < BATCH; i++, next++) await raw.put(`m/${next}`, listing(next));
    });
    await bench.run();
    const batched = bench.tasks[0].result as { throughput: { mean: number } };
    const single = bench.tasks[1].result as { throughput: { mean: number } };
    ctx.record({ name: 'batched writes', value: batched.throughput.mean * BATCH, unit: 'records/s' });
    ctx.record({ name: 'single puts (baseline)', value: single.throughput.mean * BATCH, unit: 'records/s' });
    ctx.ratio('batched / single puts', batched.throughput.mean, single.throughput.mean);

    const interned = c.store.addressCount;
    await c.close();
    // cold reads: a fresh handle has an empty id cache, so every lookup reads LevelDB
    const cold = await Case.open(path.join(dir, 'case'));
    const N = 20_000;
    let t = performance.now();
    for (let i = 0; i < N; i++) {
      const id = await cold.store.addressId(addr((i * 7919) % interned));
      if (id === undefined) throw new Error('interned address not found');
    }
    const coldRate = N / ((performance.now() - t) / 1000);
    t = performance.now();
    for (let i = 0; i < N; i++) await cold.store.addressId(addr((i * 7919) % interned));
    const warmRate = N / ((performance.now() - t) / 1000);
    const keys = Array.from({ length: N }, (_, i) => addr((i * 104729) % interned));
    const cold2 = await (async () => {
      await cold.close();
      return Case.open(path.join(dir, 'case'));
    })();
    t = performance.now();
    const ids = await cold2.store.addressIds(keys);
    const manyRate = N / ((performance.now() - t) / 1000);
    if (ids.some((x) => x === undefined)) throw new Error('interned address not found');
    await cold2.close();
    ctx.record({ name: `point reads of interned addresses, cold (${interned} interned)`, value: coldRate, unit: 'reads/s' });
    ctx.record({ name: 'point reads, cached ids', value: warmRate, unit: 'reads/s' });
    ctx.record({ name: 'getMany reads, cold', value: manyRate, unit: 'reads/s' });
    ctx.ratio('getMany / single cold reads', manyRate, coldRate);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
