/**
 * Hashing many messages in one call. The block decoder gathers every hash a block needs (txids,
 * merkle nodes, HASH160s of keys and scripts, Base58Check checksums) and hands each kind over as
 * one batch, so that an engine can hash several messages side by side.
 *
 *   data     one buffer holding every message
 *   ranges   Int32Array of [start, end) pairs into `data`, one pair per message
 *   count    number of messages (pairs) to hash
 *   out      digests, back to back: message i at `out[outOff + i·size]` (size 32 or 20)
 *
 * `out` must not overlap the messages. Every function gives exactly what `node:crypto` gives for
 * each message on its own (test/bitcoin/digest-batch.test.ts).
 *
 * Engines. `simd`: a WebAssembly SIMD-128 module generated at load time (src/bitcoin/wasm/) hashes
 * four messages at a time in i32x4 lanes; each lane takes the next message as soon as its own is
 * done, so messages of different lengths share the lanes without waiting for each other. The
 * second SHA-256 of SHA-256d and the RIPEMD-160 of HASH160 run in the module on the first digests.
 * Messages of {@link SIMD_NATIVE_FROM} bytes or more get their (first) SHA-256 from OpenSSL, which
 * is faster per byte once its per-call cost is paid. `scalar`: a loop over digest.ts (JS for short
 * messages, OpenSSL for long ones), used for batches below {@link SIMD_MIN_BATCH} messages and where
 * WebAssembly SIMD is missing. Both engines check every range first and throw an
 * {@link InvalidInputError} (`BTC_BAD_INPUT`) before hashing anything.
 */
import { hash as nodeHash } from 'node:crypto';
import { InvalidInputError, WildtraceError } from '../model/errors.js';
import { hash160Into, sha256dInto, sha256Into } from './digest.js';
import { growInt32 } from './grow.js';
import { type LaneEngine, laneEngine, STEP_BYTES } from './wasm/hash-module.js';

/** SHA-256d of each message `data[ranges[2i], ranges[2i + 1])` into `out[outOff + 32i]`. */
export function sha256dMany(data: Uint8Array, ranges: Int32Array, count: number, out: Uint8Array, outOff = 0): void {
  hashMany(SHA256D, data, ranges, count, out, outOff);
}

/** SHA-256 of each message into `out[outOff + 32i]`. */
export function sha256Many(data: Uint8Array, ranges: Int32Array, count: number, out: Uint8Array, outOff = 0): void {
  hashMany(SHA256, data, ranges, count, out, outOff);
}

/** HASH160 = RIPEMD-160(SHA-256(m)) of each message into `out[outOff + 20i]`. */
export function hash160Many(data: Uint8Array, ranges: Int32Array, count: number, out: Uint8Array, outOff = 0): void {
  hashMany(HASH160, data, ranges, count, out, outOff);
}

/**
 * Messages at least this long get their (first) SHA-256 from OpenSSL in the SIMD engine: the
 * crossover measured by bench/suites/digest.bench.ts on a shared 2-core EPYC (the lanes take
 * 0.80–0.93× OpenSSL's time per message at 512 B, 0.94–1.10× at 640 B, 1.04–1.28× at 768 B; one
 * OpenSSL call costs about 1 µs whatever the size).
 */
export const SIMD_NATIVE_FROM = 640;

/** Batches of fewer messages than this are hashed by the scalar engine under `engine: 'auto'`. */
export const SIMD_MIN_BATCH = 2;

/** Which engine hashes a batch: `auto` picks SIMD when the platform has it and the batch is big enough. */
export type DigestEngineChoice = 'auto' | 'simd' | 'scalar';

/** Settings of the batch functions (process-wide; meant for tests and benchmarks). */
export interface DigestBatchOptions {
  /** default `auto`; `simd` uses the lanes for every batch, even of one message */
  engine?: DigestEngineChoice;
  /** SIMD engine: messages this long or longer go to OpenSSL; default {@link SIMD_NATIVE_FROM} */
  nativeFrom?: number;
}

let choice: DigestEngineChoice = 'auto';
let nativeFrom = SIMD_NATIVE_FROM;

/** `true` when this platform's WebAssembly has SIMD-128 (the module validates and compiles). */
export function simdAvailable(): boolean {
  return laneEngine() !== null;
}

/**
 * Chooses the engine (and the SIMD engine's OpenSSL threshold) for every later call; call with no
 * argument to restore the defaults. Throws when `simd` is asked for where it is not available.
 */
export function configureDigestBatch(options: DigestBatchOptions = {}): void {
  const engine = options.engine ?? 'auto';
  if (engine === 'simd' && !simdAvailable()) {
    throw new WildtraceError('BTC_NO_SIMD', "WebAssembly SIMD-128 is not available on this platform: use engine 'auto' or 'scalar'");
  }
  const from = options.nativeFrom ?? SIMD_NATIVE_FROM;
  if (!(from >= 0)) throw new RangeError(`nativeFrom must be a number ≥ 0 (bytes), got ${from}`);
  choice = engine;
  nativeFrom = from;
}

/** The engine a batch of `count` messages goes to under the current settings. */
export function digestBatchEngine(count = SIMD_MIN_BATCH): 'simd' | 'scalar' {
  return pickEngine(count) === null ? 'scalar' : 'simd';
}

const SHA256 = 0;
const SHA256D = 1;
const HASH160 = 2;
type Kind = typeof SHA256 | typeof SHA256D | typeof HASH160;
const NAMES = ['sha256Many', 'sha256dMany', 'hash160Many'];

function pickEngine(count: number): LaneEngine | null {
  if (choice === 'scalar' || (choice === 'auto' && count < SIMD_MIN_BATCH)) return null;
  return laneEngine();
}

function bad(kind: Kind, what: string): never {
  throw new InvalidInputError(`${NAMES[kind]}: ${what}`, { code: 'BTC_BAD_INPUT' });
}

/**
 * Checks the arguments in one pass over the ranges; returns how many 64-byte blocks the lanes
 * will hash (messages shorter than `from` bytes; `from` −1 for the scalar engine). Also notes for {@link lanes} where the lanes'
 * messages lie in `data` ({@link spanLo}, {@link spanHi}, {@link laneBytes}), which messages go to
 * OpenSSL ({@link longs}) and whether the batch is a merkle level ({@link all64}).
 */
function check(kind: Kind, data: Uint8Array, ranges: Int32Array, count: number, out: Uint8Array, outOff: number, from: number): number {
  if (!(data instanceof Uint8Array)) bad(kind, 'data must be a Uint8Array');
  if (!(ranges instanceof Int32Array)) bad(kind, 'ranges must be an Int32Array of [start, end) pairs');
  if (!(out instanceof Uint8Array)) bad(kind, 'out must be a Uint8Array');
  if (!Number.isInteger(count) || count < 0 || count > ranges.length >> 1) {
    bad(kind, `count ${count} is not a whole number between 0 and ranges.length / 2 (${ranges.length >> 1})`);
  }
  const size = kind === HASH160 ? 20 : 32;
  if (!Number.isInteger(outOff) || outOff < 0 || outOff + size * count > out.length) {
    bad(kind, `out (length ${out.length}) has no room for ${count} digests of ${size} bytes at offset ${outOff}: pass a larger out or a smaller outOff`);
  }
  const n = data.length;
  let blocks = 0;
  let of64 = 0;
  let lo = n;
  let hi = 0;
  let bytes = 0;
  let nl = 0;
  for (let i = 0; i < count; i++) {
    const start = ranges[2 * i];
    const end = ranges[2 * i + 1];
    if (start < 0 || end < start || end > n) {
      bad(kind, `message ${i} has range [${start}, ${end}), outside data (length ${n}): every pair must satisfy 0 ≤ start ≤ end ≤ data.length`);
    }
    const len = end - start;
    if (len < from) {
      blocks += (len + 72) >> 6;
      bytes += len;
      if (start < lo) lo = start;
      if (end > hi) hi = end;
    } else if (from >= 0) {
      longs = growInt32(longs, nl + 1);
      longs[nl++] = i;
    }
    if (len === 64) of64++;
  }
  all64 = of64 === count && from > 64;
  spanLo = lo;
  spanHi = hi;
  laneBytes = bytes;
  nLongs = nl;
  return blocks;
}

// set by {@link check}
/** every message is 64 bytes long and goes to the lanes (a merkle level) */
let all64 = false;
/** the lanes' messages lie in `data[spanLo, spanHi)` and add up to `laneBytes` bytes */
let spanLo = 0;
let spanHi = 0;
let laneBytes = 0;
/** the indices of the messages for OpenSSL: `longs[0, nLongs)` */
let longs = new Int32Array(64);
let nLongs = 0;

function hashMany(kind: Kind, data: Uint8Array, ranges: Int32Array, count: number, out: Uint8Array, outOff: number): void {
  const engine = pickEngine(count);
  const blocks = check(kind, data, ranges, count, out, outOff, engine === null ? -1 : nativeFrom);
  if (count === 0) return;
  if (engine === null) {
    if (kind === SHA256) for (let i = 0; i < count; i++) sha256Into(data, ranges[2 * i], ranges[2 * i + 1], out, outOff + 32 * i);
    else if (kind === SHA256D) for (let i = 0; i < count; i++) sha256dInto(data, ranges[2 * i], ranges[2 * i + 1], out, outOff + 32 * i);
    else for (let i = 0; i < count; i++) hash160Into(data, ranges[2 * i], ranges[2 * i + 1], out, outOff + 20 * i);
    return;
  }
  lanes(engine, kind, data, ranges, count, blocks, out, outOff);
}

// The engine's memory during a call:
//   [0, 64)             a zero block, hashed by idle lanes
//   [64, 96)            the sink: where lanes write states that are not digests yet
//   [DIGESTS, …)        32 bytes per message (rounded up to 4 messages): first, then final digests
//   [steps, …)          STEP_BYTES per step (at most one step per block, plus one)
//   [ranges, …)         the messages' [start, end) pairs, 8 bytes per message
//   [tails, …)          128 bytes per message: its last block or two, padded (by the module)
//   [data, …)           the lanes' messages: one span of `data`, or each copied side by side;
//                       then 64 bytes the module may read (and mask off) past the last one
// (the zero block and the sink are the module's: ZERO_BLOCK, SINK in wasm/hash-module.ts)
const DIGESTS = 128;

let u8 = new Uint8Array(0);
let i32 = new Int32Array(0);

/** makes the engine's memory at least `bytes` long and refreshes the views on it */
function memoryFor(engine: LaneEngine, bytes: number): void {
  const have = engine.memory.buffer.byteLength;
  if (have < bytes) engine.memory.grow(Math.ceil((bytes - have) / 65536));
  if (u8.buffer !== engine.memory.buffer || u8.length === 0) {
    u8 = new Uint8Array(engine.memory.buffer);
    i32 = new Int32Array(engine.memory.buffer);
  }
}

/**
 * SHA-256d of 64-byte messages (a merkle level) all in the module: the messages are copied side by
 * side (runs of adjacent ranges in one copy), the padding block and second round are generated.
 */
function merkleLevel(engine: LaneEngine, data: Uint8Array, ranges: Int32Array, count: number, out: Uint8Array, outOff: number): void {
  const groups = (count + 3) >> 2;
  const messagesAt = DIGESTS + 128 * groups;
  memoryFor(engine, messagesAt + 256 * groups);
  const mem = u8;
  for (let i = 0; i < count; ) {
    const start = ranges[2 * i];
    let end = start + 64;
    let j = i + 1;
    while (j < count && ranges[2 * j] === end) {
      end += 64;
      j++;
    }
    mem.set(data.subarray(start, end), messagesAt + 64 * i);
    i = j;
  }
  engine.sha256d64(messagesAt, DIGESTS, groups);
  out.set(mem.subarray(DIGESTS, DIGESTS + 32 * count), outOff);
}

/**
 * The lanes' messages are copied into the module as one span of `data` (ranges as they are) unless
 * the span has more than this many bytes per message besides theirs (plus 64 KiB); then one by
 * one, side by side (ranges rewritten). One copy in JS costs about as much as ~500 bytes of a
 * span's copy (memcpy); the txids, keys and Base58Check payloads of a block all go as one span.
 */
const SPAN_SLACK = 512;

function lanes(engine: LaneEngine, kind: Kind, data: Uint8Array, ranges: Int32Array, count: number, blocks: number, out: Uint8Array, outOff: number): void {
  if (kind === SHA256D && all64) {
    merkleLevel(engine, data, ranges, count, out, outOff);
    return;
  }
  const groups = (count + 3) >> 2;
  const stepsAt = DIGESTS + 128 * groups;
  const rangesAt = stepsAt + STEP_BYTES * (blocks + 1);
  const tailsAt = rangesAt + 8 * count;
  const dataAt = tailsAt + 128 * count + 64;
  const lanesCount = count - nLongs;
  const span = lanesCount === 0 ? 0 : spanHi - spanLo;
  const whole = span <= laneBytes + SPAN_SLACK * lanesCount + 65536;
  memoryFor(engine, dataAt + (whole ? span : laneBytes) + 64);
  const mem = u8;
  const words = i32;
  let base = 0;
  if (lanesCount === 0) {
    // every message goes to OpenSSL
  } else if (whole) {
    mem.set(span === data.length ? data : data.subarray(spanLo, spanHi), dataAt);
    words.set(count === ranges.length >> 1 ? ranges : ranges.subarray(0, 2 * count), rangesAt >> 2);
    base = dataAt - spanLo;
  } else {
    let at = dataAt;
    for (let i = 0, r = rangesAt >> 2; i < count; i++, r += 2) {
      const start = ranges[2 * i];
      const len = ranges[2 * i + 1] - start;
      if (len >= nativeFrom) {
        words[r] = 0;
        words[r + 1] = len;
        continue;
      }
      if (len <= 64) for (let k = 0; k < len; k++) mem[at + k] = data[start + k];
      else mem.set(data.subarray(start, start + len), at);
      words[r] = at;
      words[r + 1] = at + len;
      at += len;
    }
  }
  for (let j = 0; j < nLongs; j++) {
    const i = longs[j];
    const start = ranges[2 * i];
    mem.set(nodeHash('sha256', data.subarray(start, ranges[2 * i + 1]), 'buffer'), DIGESTS + 32 * i);
  }
  if (lanesCount > 0) {
    const from = Math.min(Math.ceil(nativeFrom), 0x7fffffff);
    const steps = engine.sha256Schedule(rangesAt, count, base, from, tailsAt, stepsAt, DIGESTS);
    engine.sha256Steps(stepsAt, steps);
  }
  if (kind === SHA256D) engine.sha256OfDigests(DIGESTS, DIGESTS, groups);
  else if (kind === HASH160) engine.ripemd160OfDigests(DIGESTS, DIGESTS, groups);
  const size = kind === HASH160 ? 20 : 32;
  out.set(mem.subarray(DIGESTS, DIGESTS + size * count), outOff);
}
