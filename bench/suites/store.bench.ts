/**
 * Case store on disk (classic-level): batched writes per second and point reads of interned
 * addresses per second. Baseline in the same run: one `put` per record (no batching).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Case, type Address } from '../../src/index.js';
import type { BenchContext } from '../lib.js';

const BATCH = 1000;
const addr = (i: number): Address => ({ chain: 'btc', address: `1Bench${i.toString(36).padStart(8, '0')}` });

export default async function storeSuite(ctx: BenchContext): Promise<void> {
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
