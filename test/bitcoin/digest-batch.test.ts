import { hash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBitcoinBlock } from '../../src/bitcoin/decode.js';
import {
  configureDigestBatch,
  digestBatchEngine,
  hash160Many,
  sha256dMany,
  sha256Many,
  simdAvailable,
  SIMD_MIN_BATCH,
} from '../../src/bitcoin/digest-batch.js';
import { hashModuleBytes } from '../../src/bitcoin/wasm/hash-module.js';
import { InvalidInputError } from '../../src/model/errors.js';
import { block413567, blockTxRanges } from './data.js';

let seed = 12345;
const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
const DATA = Buffer.from(Array.from({ length: (1 << 20) + 4096 }, () => rnd(256)));

const sha = (m: Uint8Array) => hash('sha256', m, 'buffer');
const FNS = [
  { name: 'sha256Many', fn: sha256Many, size: 32, ref: (m: Uint8Array) => sha(m) },
  { name: 'sha256dMany', fn: sha256dMany, size: 32, ref: (m: Uint8Array) => sha(sha(m)) },
  { name: 'hash160Many', fn: hash160Many, size: 20, ref: (m: Uint8Array) => hash('ripemd160', sha(m), 'buffer') },
] as const;

/** ranges of messages of the given lengths at random offsets of DATA */
function rangesOf(lengths: readonly number[]): Int32Array {
  const r = new Int32Array(2 * lengths.length);
  lengths.forEach((len, i) => {
    const start = rnd(DATA.length - len + 1);
    r[2 * i] = start;
    r[2 * i + 1] = start + len;
  });
  return r;
}

/** hashes a batch with `fn` at offset 5 of `out` and checks every digest and the bytes around */
function checkBatch(f: (typeof FNS)[number], lengths: readonly number[]): void {
  const ranges = rangesOf(lengths);
  const out = Buffer.alloc(5 + f.size * lengths.length + 7, 0xee);
  f.fn(DATA, ranges, lengths.length, out, 5);
  for (let i = 0; i < lengths.length; i++) {
    const got = out.subarray(5 + f.size * i, 5 + f.size * (i + 1)).toString('hex');
    const want = f.ref(DATA.subarray(ranges[2 * i], ranges[2 * i + 1])).toString('hex');
    if (got !== want) expect(got, `${f.name} message ${i} of ${lengths.length}, length ${lengths[i]}`).toBe(want);
  }
  expect(out.subarray(0, 5).every((b) => b === 0xee)).toBe(true);
  expect(out.subarray(5 + f.size * lengths.length).every((b) => b === 0xee)).toBe(true);
}

const mixed = (n: number) => Array.from({ length: n }, () => (rnd(10) === 0 ? rnd(2000) : rnd(301)));

const engines = [
  { label: 'SIMD engine, lanes for every length', options: { engine: 'simd', nativeFrom: Infinity } },
  { label: 'SIMD engine, OpenSSL from SIMD_NATIVE_FROM (default)', options: { engine: 'simd' } },
  { label: 'SIMD engine, OpenSSL for every length', options: { engine: 'simd', nativeFrom: 0 } },
  { label: 'scalar engine (digest.ts)', options: { engine: 'scalar' } },
] as const;

it('the generated module validates: this platform has WebAssembly SIMD-128', () => {
  const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly;
  expect(wasm.validate(hashModuleBytes())).toBe(true);
  expect(simdAvailable()).toBe(true);
});

for (const { label, options } of engines) {
  describe(label, () => {
    beforeAll(() => configureDigestBatch(options));
    afterAll(() => configureDigestBatch());

    it('reports the engine it runs', () => {
      expect(digestBatchEngine(1)).toBe(options.engine);
    });

    it.each(FNS)('$name: every length 0–300, one batch, random offsets', (f) => {
      checkBatch(f, Array.from({ length: 301 }, (_, i) => i));
    });

    it.each(FNS)('$name: every length 0–300 alone (count 1) and by fives', (f) => {
      for (let len = 0; len <= 300; len++) checkBatch(f, [len]);
      for (let len = 0; len <= 300; len++) checkBatch(f, [len, 300 - len, 64, len, 55]);
    });

    it.each(FNS)('$name: long messages (1 KiB, 100 KiB, 1 MiB) among short ones', (f) => {
      checkBatch(f, [21, 1024, 33, 100 * 1024, 65, 1 << 20, 0, 64, 1023, 1025]);
    });

    it.each(FNS)('$name: batches of 0–1000 messages of mixed lengths', (f) => {
      for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 31, 33, 63, 100, 255, 257, 778, 1000]) checkBatch(f, mixed(n));
    });

    it.each(FNS)('$name: batches of 64-byte messages only (merkle levels), scattered and adjacent', (f) => {
      for (const n of [1, 2, 3, 4, 5, 8, 9, 389, 778]) {
        checkBatch(f, new Array<number>(n).fill(64));
        const ranges = new Int32Array(2 * n);
        const base = rnd(1000);
        for (let i = 0; i < n; i++) {
          // adjacent pairs with a gap now and then, as a merkle level of a buffer of hashes
          ranges[2 * i] = base + 64 * i + (i > n / 2 ? 32 : 0);
          ranges[2 * i + 1] = ranges[2 * i] + 64;
        }
        const out = new Uint8Array(f.size * n);
        f.fn(DATA, ranges, n, out);
        for (let i = 0; i < n; i++) {
          expect(Buffer.from(out.subarray(f.size * i, f.size * (i + 1))).toString('hex')).toBe(f.ref(DATA.subarray(ranges[2 * i], ranges[2 * i + 1])).toString('hex'));
        }
      }
    });

    it.each(FNS)('$name: messages side by side (copied as one span) and far apart (copied one by one)', (f) => {
      for (const [n, step] of [
        [1000, 21],
        [999, 25],
        [7, 150_000],
        [40, 26_000],
      ]) {
        const ranges = new Int32Array(2 * n);
        for (let i = 0; i < n; i++) {
          ranges[2 * i] = 3 + step * i;
          ranges[2 * i + 1] = ranges[2 * i] + [21, 33, 65, 0, 119, 700][i % 6];
        }
        const out = new Uint8Array(f.size * n);
        f.fn(DATA, ranges, n, out);
        for (let i = 0; i < n; i++) {
          const want = f.ref(DATA.subarray(ranges[2 * i], ranges[2 * i + 1])).toString('hex');
          const got = Buffer.from(out.subarray(f.size * i, f.size * (i + 1))).toString('hex');
          if (got !== want) expect(got, `${f.name} message ${i} of ${n}, step ${step}`).toBe(want);
        }
      }
    });

    it('outOff defaults to 0; a count below ranges.length / 2 hashes only the first messages', () => {
      const ranges = rangesOf([21, 21, 21, 21, 21, 21]);
      const out = Buffer.alloc(32 * 6, 0xee);
      sha256dMany(DATA, ranges, 3, out);
      for (let i = 0; i < 3; i++) {
        expect(out.subarray(32 * i, 32 * i + 32).toString('hex')).toBe(sha(sha(DATA.subarray(ranges[2 * i], ranges[2 * i + 1]))).toString('hex'));
      }
      expect(out.subarray(96).every((b) => b === 0xee)).toBe(true);
    });

    it('the txids of block 413,567 (1,557 transactions, 60 B – 100 KB): as decodeBitcoinBlock says', () => {
      const raw = block413567();
      const ranges = blockTxRanges(raw);
      const n = ranges.length / 2;
      const out = new Uint8Array(32 * n);
      sha256dMany(raw, ranges, n, out);
      const txs = decodeBitcoinBlock(raw).txs;
      expect(txs.length).toBe(n);
      for (let i = 0; i < n; i++) expect(Buffer.from(out.subarray(32 * i, 32 * i + 32)).reverse().toString('hex')).toBe(txs[i].txid);
    });

    it.each(FNS)('$name: hostile arguments throw InvalidInputError (BTC_BAD_INPUT) and leave out alone', (f) => {
      const data = new Uint8Array(100);
      const out = new Uint8Array(f.size * 8).fill(0xee);
      const cases: [Int32Array, number, RegExp][] = [
        [new Int32Array([0, 10, 90, 101]), 2, /message 1 has range \[90, 101\)/],
        [new Int32Array([0, 10, -1, 5]), 2, /message 1 has range \[-1, 5\)/],
        [new Int32Array([0, 10, 50, 40]), 2, /message 1 has range \[50, 40\)/],
        [new Int32Array([2147483647, 2147483647]), 1, /message 0/],
        [new Int32Array([0, 10, 10, 20]), 3, /count 3 .* ranges.length \/ 2 \(2\)/],
        [new Int32Array([0, 10]), -1, /count -1/],
        [new Int32Array([0, 10]), 1.5, /count 1.5/],
        [new Int32Array(2 * 9), 9, /out .* has no room for 9 digests/],
      ];
      for (const [ranges, count, message] of cases) {
        let err: unknown;
        try {
          f.fn(data, ranges, count, out);
        } catch (e) {
          err = e;
        }
        expect(err, `ranges ${ranges.join(',')} count ${count}`).toBeInstanceOf(InvalidInputError);
        expect((err as InvalidInputError).code).toBe('BTC_BAD_INPUT');
        expect((err as Error).message).toMatch(message);
        expect((err as Error).message).toContain(f.name);
      }
      expect(() => f.fn(data, new Int32Array([0, 1]), 1, out, -1)).toThrow(/no room/);
      expect(() => f.fn(data, new Int32Array([0, 1]), 1, out, out.length - f.size + 1)).toThrow(/no room/);
      expect(() => f.fn(data, [0, 1] as unknown as Int32Array, 1, out)).toThrow(/Int32Array/);
      expect(out.every((b) => b === 0xee)).toBe(true);
    });
  });
}

describe('engine selection', () => {
  afterAll(() => configureDigestBatch());

  it('auto: SIMD from SIMD_MIN_BATCH messages, scalar below', () => {
    configureDigestBatch();
    expect(digestBatchEngine(SIMD_MIN_BATCH)).toBe('simd');
    expect(digestBatchEngine(SIMD_MIN_BATCH - 1)).toBe('scalar');
    configureDigestBatch({ engine: 'scalar' });
    expect(digestBatchEngine(1000)).toBe('scalar');
  });

  it('rejects a bad nativeFrom', () => {
    expect(() => configureDigestBatch({ nativeFrom: -1 })).toThrow(/nativeFrom/);
    expect(() => configureDigestBatch({ nativeFrom: NaN })).toThrow(/nativeFrom/);
  });

  it('a batch hashed by one engine equals the same batch hashed by the other', () => {
    const lengths = mixed(500);
    const ranges = rangesOf(lengths);
    for (const f of FNS) {
      const a = new Uint8Array(f.size * 500);
      const b = new Uint8Array(f.size * 500);
      configureDigestBatch({ engine: 'simd' });
      f.fn(DATA, ranges, 500, a);
      configureDigestBatch({ engine: 'scalar' });
      f.fn(DATA, ranges, 500, b);
      expect(Buffer.from(a).equals(b)).toBe(true);
    }
  });
});
