/**
 * The WebAssembly module of the batch hashing engine, generated at load time (no binary in the
 * repository, no build step) and compiled once, lazily and synchronously, on first use.
 *
 * Its functions work on its own memory (exported as `memory`; the caller grows it):
 *
 *   sha256Steps(steps, n)        n steps of four lanes. A step is 48 bytes at `steps`:
 *                                  i32 block[4]   address of each lane's next 64-byte padded block
 *                                  i32 emit[4]    where each lane writes its state afterwards
 *                                                 (32 bytes, big-endian: the digest if this was
 *                                                 the message's last block; a sink otherwise)
 *                                  i32 reset[4]   −1 to start the lane from H(0), 0 to continue
 *   sha256OfDigests(src, dst, g) SHA-256 of the 32-byte digests at src (4·g of them, 32 bytes
 *                                apart) to dst, same layout; dst may equal src. SHA-256d's
 *                                second half; the padding words are constants.
 *   ripemd160OfDigests(src, dst, g)  RIPEMD-160 of the 32-byte digests at src (4·g of them) to
 *                                dst, 20 bytes apart; dst may equal src. HASH160's second half.
 *   sha256d64(src, dst, g)       SHA-256d of 64-byte messages (merkle nodes) at src, 64 bytes
 *                                apart, to dst, 32 bytes apart: the padding block is a constant
 *                                (its whole schedule folded), and the first digest stays in the
 *                                lanes as the second round's message.
 *   sha256Schedule(ranges, count, base, from, tails, steps, digests) → n
 *                                the steps of `sha256Steps` for `count` messages given as
 *                                [start, end) i32 pairs at `ranges` (the bytes at start + base);
 *                                messages of `from` bytes or more are skipped (their digest is
 *                                the caller's). Reads up to 64 bytes past a message's end. Whole blocks are hashed where the message lies;
 *                                the last one or two blocks of message i are built padded at
 *                                tails + 128i. Each lane takes the next message as soon as its
 *                                own is done; message i's state goes to digests + 32i. Returns
 *                                the number of steps (written at `steps`, plus one idle step).
 */
import { Body, encodeModule, I32, I32Op, Simd, V128 } from './encoder.js';
import { transpose, transposeScratch, type Word } from './lanes.js';
import { RIPEMD160_IV, ripemd160Compress } from './ripemd160-lanes.js';
import { SHA256_IV } from '../digest.js';
import { sha256Rounds, sha256Scratch } from './sha256-lanes.js';

/** Where `sha256Schedule` points idle lanes: a 64-byte block of zeros the caller keeps. */
export const ZERO_BLOCK = 0;
/** Where `sha256Schedule` has lanes write states that are not digests yet (32 bytes). */
export const SINK = 64;

/** Bytes of one step of `sha256Steps`. */
export const STEP_BYTES = 48;

/** The part of a `WebAssembly.Memory` the engine uses (this project compiles without lib.dom). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  /** grows by `pages` of 64 KiB; returns the previous size in pages */
  grow(pages: number): number;
}

/** The part of the global `WebAssembly` object the engine uses. */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}

/** The exports of the compiled module. */
export interface LaneEngine {
  readonly memory: WasmMemory;
  sha256Steps(steps: number, n: number): void;
  sha256OfDigests(src: number, dst: number, groups: number): void;
  ripemd160OfDigests(src: number, dst: number, groups: number): void;
  sha256d64(src: number, dst: number, groups: number): void;
  sha256Schedule(ranges: number, count: number, base: number, from: number, tails: number, steps: number, digests: number): number;
}

function v128Locals(body: Body, n: number): number[] {
  return Array.from({ length: n }, () => body.local(V128));
}

/** loads 4 lanes × `rows` v128 rows (lane l's row k at address(l) + 16k) as words in lanes */
function loadWords(body: Body, address: (l: number) => void, rows: number, words: readonly number[], swap: boolean, tmp: readonly number[]): void {
  const lane = v128Locals(body, 4);
  for (let k = 0; k < rows; k++) {
    for (let l = 0; l < 4; l++) {
      address(l);
      body.v128Load(16 * k).set(lane[l]);
    }
    transpose(body, lane, words.slice(4 * k, 4 * k + 4), tmp, swap);
  }
}

/** stores the state words `state` (4k of them) lane by lane: lane l's row k at address(l) + 16k */
function storeWords(body: Body, address: (l: number) => void, state: readonly number[], swap: boolean, tmp: readonly number[]): void {
  const lane = v128Locals(body, 4);
  for (let k = 0; k < state.length / 4; k++) {
    transpose(body, state.slice(4 * k, 4 * k + 4), lane, tmp, swap);
    for (let l = 0; l < 4; l++) {
      address(l);
      body.get(lane[l]).v128Store(16 * k);
    }
  }
}

function sha256StepsBody(): Body {
  const body = new Body(2);
  const [p, n] = [0, 1];
  const ptr = [body.local(I32), body.local(I32), body.local(I32), body.local(I32)];
  const state = v128Locals(body, 8);
  const saved = v128Locals(body, 8);
  const words = v128Locals(body, 16);
  const mask = body.local(V128);
  const tmp = transposeScratch(body);
  const scratch = sha256Scratch(body);
  body.loop();
  // lanes starting a message take H(0)
  body.get(p).v128Load(32).set(mask);
  state.forEach((s, i) => body.splatConst(SHA256_IV[i]).get(s).get(mask).simd(Simd.bitselect).tee(s).set(saved[i]));
  ptr.forEach((q, l) => body.get(p).i32Load(4 * l).set(q));
  loadWords(body, (l) => body.get(ptr[l]), 4, words, true, tmp);
  sha256Rounds(body, state, words.map((local) => ({ local })), scratch);
  state.forEach((s, i) => body.get(s).get(saved[i]).simd(Simd.i32x4Add).set(s));
  storeWords(body, (l) => body.get(p).i32Load(16 + 4 * l), state, true, tmp);
  body.get(p).i32Const(STEP_BYTES).i32Add().set(p);
  body.get(n).i32Const(1).i32Sub().tee(n).brIf(0);
  body.end();
  return body;
}

function sha256OfDigestsBody(): Body {
  const body = new Body(3);
  const [src, dst, groups] = [0, 1, 2];
  const state = v128Locals(body, 8);
  const digest = v128Locals(body, 8);
  const tmp = transposeScratch(body);
  const scratch = sha256Scratch(body);
  body.loop();
  loadWords(body, (l) => body.get(src).i32Const(32 * l).i32Add(), 2, digest, true, tmp);
  sha256OfLaneDigests(body, state, digest, scratch);
  storeWords(body, (l) => body.get(dst).i32Const(32 * l).i32Add(), state, true, tmp);
  body.get(src).i32Const(128).i32Add().set(src);
  body.get(dst).i32Const(128).i32Add().set(dst);
  body.get(groups).i32Const(1).i32Sub().tee(groups).brIf(0);
  body.end();
  return body;
}

/**
 * Emits SHA-256 of the 32-byte messages (one per lane) whose words are the v128 locals `digest`,
 * into the locals `state`: its 8 words, 0x80 after them, zeros, its length in bits (256).
 */
function sha256OfLaneDigests(body: Body, state: readonly number[], digest: readonly number[], scratch: ReturnType<typeof sha256Scratch>): void {
  state.forEach((s, i) => body.splatConst(SHA256_IV[i]).set(s));
  sha256Rounds(body, state, digestWords(digest), scratch);
  state.forEach((s, i) => body.get(s).splatConst(SHA256_IV[i]).simd(Simd.i32x4Add).set(s));
}

/** W0–W15 of a 32-byte message whose words are the locals `digest`: padding and length folded */
function digestWords(digest: readonly number[]): Word[] {
  const words: Word[] = [...digest.map((local) => ({ local })), { value: 0x80000000 }];
  while (words.length < 15) words.push({ value: 0 });
  words.push({ value: 256 });
  return words;
}

function sha256d64Body(): Body {
  const body = new Body(3);
  const [src, dst, groups] = [0, 1, 2];
  const state = v128Locals(body, 8);
  const saved = v128Locals(body, 8);
  const words = v128Locals(body, 16);
  const tmp = transposeScratch(body);
  const scratch = sha256Scratch(body);
  // the padding block of a 64-byte message: 0x80, zeros, the length 512
  const pad: Word[] = [{ value: 0x80000000 }];
  while (pad.length < 15) pad.push({ value: 0 });
  pad.push({ value: 512 });
  body.loop();
  loadWords(body, (l) => body.get(src).i32Const(64 * l).i32Add(), 4, words, true, tmp);
  state.forEach((s, i) => body.splatConst(SHA256_IV[i]).set(s));
  sha256Rounds(body, state, words.map((local) => ({ local })), scratch);
  state.forEach((s, i) => body.get(s).splatConst(SHA256_IV[i]).simd(Simd.i32x4Add).tee(s).set(saved[i]));
  sha256Rounds(body, state, pad, scratch);
  // the first digest becomes the message words of the second SHA-256, already in lanes
  state.forEach((s, i) => body.get(s).get(saved[i]).simd(Simd.i32x4Add).set(words[i]));
  sha256OfLaneDigests(body, state, words.slice(0, 8), scratch);
  storeWords(body, (l) => body.get(dst).i32Const(32 * l).i32Add(), state, true, tmp);
  body.get(src).i32Const(256).i32Add().set(src);
  body.get(dst).i32Const(128).i32Add().set(dst);
  body.get(groups).i32Const(1).i32Sub().tee(groups).brIf(0);
  body.end();
  return body;
}

function ripemd160OfDigestsBody(): Body {
  const body = new Body(3);
  const [src, dst, groups] = [0, 1, 2];
  const digest = v128Locals(body, 8);
  const out = v128Locals(body, 5);
  const tmp = transposeScratch(body);
  const lane = v128Locals(body, 4);
  body.loop();
  // RIPEMD-160 reads little-endian words: the digest bytes as they lie in memory
  loadWords(body, (l) => body.get(src).i32Const(32 * l).i32Add(), 2, digest, false, tmp);
  const x: Word[] = [...digest.map((local) => ({ local })), { value: 0x80 }];
  while (x.length < 14) x.push({ value: 0 });
  x.push({ value: 256 }, { value: 0 });
  ripemd160Compress(body, RIPEMD160_IV.map((value) => ({ value })), x, out);
  // 20 bytes per lane: words 0–3 by a transpose, word 4 lane by lane
  transpose(body, out.slice(0, 4), lane, tmp, false);
  for (let l = 0; l < 4; l++) {
    body.get(dst).get(lane[l]).v128Store(20 * l);
    body.get(dst).get(out[4]).i32x4ExtractLane(l).i32Store(20 * l + 16);
  }
  body.get(src).i32Const(128).i32Add().set(src);
  body.get(dst).i32Const(80).i32Add().set(dst);
  body.get(groups).i32Const(1).i32Sub().tee(groups).brIf(0);
  body.end();
  return body;
}

/** The lane scheduler (scalar code): see the module's comment, `sha256Schedule`. */
function sha256ScheduleBody(): Body {
  const body = new Body(7, 1);
  const [ranges, count, base, from, tails, s, digests] = [0, 1, 2, 3, 4, 5, 6];
  const [next, steps, active, start, len, full, rem, tail, end, reset] = Array.from({ length: 10 }, () => body.local(I32));
  const lane = () => ({ ptr: body.local(I32), cross: body.local(I32), tail: body.local(I32), left: body.local(I32), emit: body.local(I32) });
  const lanes = [lane(), lane(), lane(), lane()];
  body.block(); // $exit
  body.loop(); // $step
  body.i32Const(0).set(active);
  lanes.forEach((ln, l) => {
    body.block(); // $laneDone
    body.i32Const(0).set(reset);
    body.get(ln.left).op(I32Op.eqz).if(); // the lane is free
    body.block(); // $take
    body.loop(); // $seek
    body.get(next).get(count).op(I32Op.geU).if();
    // no message left: the lane hashes the zero block into the sink
    body.get(s).i32Const(ZERO_BLOCK).i32Store(4 * l);
    body.get(s).i32Const(SINK).i32Store(16 + 4 * l);
    body.get(s).i32Const(0).i32Store(32 + 4 * l);
    body.br(4); // if, $seek, $take, if(free), $laneDone
    body.end();
    body.get(ranges).get(next).i32Const(3).op(I32Op.shl).i32Add().tee(end).i32Load(0).set(start);
    body.get(end).i32Load(4).get(start).i32Sub().set(len);
    body.get(len).get(from).op(I32Op.ltU).brIf(1); // → $take
    body.get(next).i32Const(1).i32Add().set(next);
    body.br(0); // → $seek
    body.end(); // $seek
    body.end(); // $take
    // message `next`: whole blocks in place, the rest copied and padded into its tail
    body.get(start).get(base).i32Add().set(start);
    body.get(len).i32Const(6).op(I32Op.shrU).set(full);
    body.get(len).i32Const(63).op(I32Op.and).set(rem);
    body.get(tails).get(next).i32Const(7).op(I32Op.shl).i32Add().set(tail);
    // its last `rem` bytes (64 read, the rest masked off: the caller leaves 64 readable bytes
    // after the data), then zeros to the end of the second block, 0x80 after the message
    body.get(start).get(full).i32Const(6).op(I32Op.shl).i32Add().set(ln.cross);
    for (let k = 0; k < 4; k++) {
      body.get(tail).get(ln.cross).v128Load(16 * k);
      body.v128Const([0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c]).get(rem).i32Const(16 * k).i32Sub().simd(Simd.i8x16Splat).simd(Simd.i8x16LtS);
      body.simd(Simd.and).v128Store(16 * k);
    }
    for (let k = 4; k < 8; k++) body.get(tail).splatConst(0).v128Store(16 * k);
    body.get(tail).get(rem).i32Add().i32Const(0x80).i32Store8(0);
    // the length in bits, big-endian, ends the tail's last block (one block, or two from 56 bytes)
    body.get(tail).i32Const(123).i32Const(59).get(rem).i32Const(55).op(I32Op.gtU).select().i32Add().set(end);
    body.get(end).get(len).i32Const(29).op(I32Op.shrU).i32Store8(0);
    body.get(end).get(len).i32Const(21).op(I32Op.shrU).i32Store8(1);
    body.get(end).get(len).i32Const(13).op(I32Op.shrU).i32Store8(2);
    body.get(end).get(len).i32Const(5).op(I32Op.shrU).i32Store8(3);
    body.get(end).get(len).i32Const(3).op(I32Op.shl).i32Store8(4);
    body.get(tail).set(ln.tail);
    body.get(start).get(tail).get(full).select().set(ln.ptr);
    body.get(len).i32Const(72).i32Add().i32Const(6).op(I32Op.shrU).set(ln.left);
    body.get(digests).get(next).i32Const(5).op(I32Op.shl).i32Add().set(ln.emit);
    body.get(next).i32Const(1).i32Add().set(next);
    body.i32Const(-1).set(reset);
    body.end(); // if(free)
    // the lane's block in this step
    body.get(s).get(ln.ptr).i32Store(4 * l);
    body.get(ln.left).i32Const(1).i32Sub().set(ln.left);
    body.get(s).get(ln.emit).i32Const(SINK).get(ln.left).op(I32Op.eqz).select().i32Store(16 + 4 * l);
    body.get(s).get(reset).i32Store(32 + 4 * l);
    body.get(ln.ptr).i32Const(64).i32Add().set(ln.ptr);
    body.get(ln.tail).get(ln.ptr).get(ln.ptr).get(ln.cross).op(I32Op.eq).select().set(ln.ptr);
    body.i32Const(1).set(active);
    body.end(); // $laneDone
  });
  body.get(active).op(I32Op.eqz).brIf(1); // → $exit
  body.get(steps).i32Const(1).i32Add().set(steps);
  body.get(s).i32Const(STEP_BYTES).i32Add().set(s);
  body.br(0); // → $step
  body.end(); // $step
  body.end(); // $exit
  body.get(steps);
  return body;
}

/** The module's bytes (for inspection and for `WebAssembly.validate`). */
export function hashModuleBytes(): Uint8Array {
  return encodeModule(
    [
      { name: 'sha256Steps', body: sha256StepsBody() },
      { name: 'sha256OfDigests', body: sha256OfDigestsBody() },
      { name: 'ripemd160OfDigests', body: ripemd160OfDigestsBody() },
      { name: 'sha256d64', body: sha256d64Body() },
      { name: 'sha256Schedule', body: sha256ScheduleBody() },
    ],
    16,
  );
}

let engine: LaneEngine | null | undefined;

/**
 * The compiled engine, or `null` when this platform's WebAssembly lacks SIMD-128 (the module does
 * not validate). Compiled on the first call, then cached.
 */
export function laneEngine(): LaneEngine | null {
  if (engine !== undefined) return engine;
  engine = null;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (wasm === undefined) return engine;
  const bytes = hashModuleBytes();
  if (!wasm.validate(bytes)) return engine;
  const instance = new wasm.Instance(new wasm.Module(bytes), {});
  engine = instance.exports as unknown as LaneEngine;
  return engine;
}
