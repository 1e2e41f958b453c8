/**
 * Batch hashing (src/bitcoin/digest-batch.ts) on the batches a block decode makes, per message:
 *
 * - 7,000 × 21-byte SHA-256d (Base58Check checksums), 1,557 × 64-byte SHA-256d (merkle nodes),
 *   4,900 × 33-byte HASH160 (compressed keys), and the 1,557 transactions of mainnet block 413,567
 *   (60 B – 100 KB) SHA-256d (txids);
 * - each by the WebAssembly SIMD lane engine, by the scalar engine (the digest.ts loop) and by one
 *   OpenSSL call per message (`crypto.hash`), in alternating rounds of the same run (the machine may
 *   be shared: medians of the rounds); speed-up = scalar ns / SIMD ns;
 * - the OpenSSL crossover: lanes only vs OpenSSL per message for 1,000 messages of 256 B – 2 KiB,
 *   which sets SIMD_NATIVE_FROM.
 */
import { hash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { configureDigestBatch, hash160Many, sha256dMany } from '../../src/bitcoin/digest-batch.js';
import { blockTxRanges } from '../../test/bitcoin/data.js';
import type { BenchContext } from '../lib.js';

type Batch = { name: string; data: Uint8Array; ranges: Int32Array; count: number; fn: typeof sha256dMany; openssl: (m: Uint8Array) => Buffer };

const sha = (m: Uint8Array) => hash('sha256', m, 'buffer');
const sha256d = (m: Uint8Array) => sha(sha(m));
const hash160 = (m: Uint8Array) => hash('ripemd160', sha(m), 'buffer');

/** `count` messages of `len` random bytes, back to back */
function uniform(len: number, count: number): { data: Uint8Array; ranges: Int32Array } {
  let seed = len * 7919 + count;
  const data = new Uint8Array(len * count);
  for (let i = 0; i < data.length; i++) data[i] = (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  const ranges = new Int32Array(2 * count);
  for (let i = 0; i < count; i++) {
    ranges[2 * i] = len * i;
    ranges[2 * i + 1] = len * (i + 1);
  }
  return { data, ranges };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function digestSuite(ctx: BenchContext): Promise<void> {
  const raw = await readFile(path.join(import.meta.dirname, '../../../shared/data/bitcoin/block413567.raw'));
  const txRanges = blockTxRanges(raw);
  const txCount = txRanges.length / 2;
  const batches: Batch[] = [
    { name: '7,000 × 21 B sha256d', ...uniform(21, 7000), count: 7000, fn: sha256dMany, openssl: sha256d },
    { name: '1,557 × 64 B sha256d', ...uniform(64, 1557), count: 1557, fn: sha256dMany, openssl: sha256d },
    { name: '4,900 × 33 B hash160', ...uniform(33, 4900), count: 4900, fn: hash160Many, openssl: hash160 },
    { name: 'block 413567 txs (1,557, 60 B–100 KB) sha256d', data: raw, ranges: txRanges, count: txCount, fn: sha256dMany, openssl: sha256d },
  ];
  const engines = ['simd', 'scalar', 'openssl'] as const;
  let sink = 0;
  const runner = (b: Batch, engine: (typeof engines)[number]) => {
    const out = new Uint8Array(32 * b.count);
    if (engine === 'openssl') {
      return () => {
        for (let i = 0; i < b.count; i++) out.set(b.openssl(b.data.subarray(b.ranges[2 * i], b.ranges[2 * i + 1])), 32 * i);
        sink += out[0];
      };
    }
    return () => {
      configureDigestBatch({ engine });
      b.fn(b.data, b.ranges, b.count, out);
      sink += out[0];
    };
  };

  const ROUNDS = 3;
  const ns = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    const bench = ctx.bench({ time: 400, warmupTime: round === 0 ? 300 : 50 });
    for (const b of batches) for (const e of engines) bench.add(`${b.name}|${e}`, runner(b, e));
    await bench.run();
    for (const b of batches) {
      for (const e of engines) {
        const key = `${b.name}|${e}`;
        const hz = (bench.getTask(key)!.result as { throughput: { mean: number } }).throughput.mean;
        ns.set(key, [...(ns.get(key) ?? []), 1e9 / (hz * b.count)]);
      }
    }
  }
  configureDigestBatch();
  for (const b of batches) {
    const [simd, scalar, openssl] = engines.map((e) => median(ns.get(`${b.name}|${e}`)!));
    ctx.record({ name: `${b.name}: SIMD lanes`, value: simd, unit: 'ns/msg', note: `rounds ${ns.get(`${b.name}|simd`)!.map((v) => v.toFixed(0)).join(', ')}` });
    ctx.record({ name: `${b.name}: scalar (digest.ts)`, value: scalar, unit: 'ns/msg' });
    ctx.record({ name: `${b.name}: OpenSSL per message`, value: openssl, unit: 'ns/msg' });
    ctx.ratio(`${b.name}: speed-up SIMD over scalar (scalar ns / SIMD ns)`, scalar, simd);
  }

  // crossover: lanes only (nativeFrom ∞) against one OpenSSL call per message, SHA-256
  const cross = ctx.bench({ time: 200, warmupTime: 50 });
  const sizes = [256, 384, 512, 640, 768, 1024, 2048];
  for (const len of sizes) {
    const { data, ranges } = uniform(len, 1000);
    const out = new Uint8Array(32 * 1000);
    cross.add(`${len}|lanes`, () => {
      configureDigestBatch({ engine: 'simd', nativeFrom: Infinity });
      sha256dMany(data, ranges, 1000, out);
      sink += out[0];
    });
    cross.add(`${len}|openssl`, () => {
      configureDigestBatch({ engine: 'simd', nativeFrom: 0 });
      sha256dMany(data, ranges, 1000, out);
      sink += out[0];
    });
  }
  await cross.run();
  configureDigestBatch();
  for (const len of sizes) {
    const [lanes, openssl] = ['lanes', 'openssl'].map((e) => 1e9 / ((cross.getTask(`${len}|${e}`)!.result as { throughput: { mean: number } }).throughput.mean * 1000));
    ctx.record({ name: `crossover ${len} B sha256d: lanes / OpenSSL-first-round`, value: lanes / openssl, unit: 'x', note: `${lanes.toFixed(0)} vs ${openssl.toFixed(0)} ns/msg` });
  }
  if (sink === 0.5) console.log(sink);
}
