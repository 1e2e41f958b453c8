/**
 * Code generators shared by the 4-lane hash engines: each v128 local holds the same 32-bit word of
 * four messages (lane l = message l). Moving between that layout and the per-message layout of
 * memory is a 4×4 transpose of 32-bit words, done with two rounds of i8x16.shuffle; SHA-256's
 * big-endian words are byte-swapped in the first round of the same shuffles, at no extra cost.
 */
import { type Body, Simd, V128 } from './encoder.js';

/** A message word known at generation time (`value`) or held in a v128 local. */
export type Word = { readonly local: number } | { readonly value: number };

/** the 16 byte indices of a shuffle picking 32-bit words `words` (0–7 over both inputs) */
function wordShuffle(words: readonly number[], swap: boolean): number[] {
  const bytes: number[] = [];
  for (const w of words) {
    for (let b = 0; b < 4; b++) bytes.push(4 * w + (swap ? 3 - b : b));
  }
  return bytes;
}

/** Scratch locals for {@link transpose}. */
export function transposeScratch(body: Body): number[] {
  return [body.local(V128), body.local(V128), body.local(V128), body.local(V128)];
}

/**
 * out[j] = [in0.word j, in1.word j, in2.word j, in3.word j] (with each word byte-swapped when
 * `swap`). `ins` and `outs` are v128 locals; `outs` may be the same locals as `ins`.
 */
export function transpose(body: Body, ins: readonly number[], outs: readonly number[], tmp: readonly number[], swap: boolean): void {
  const lo = wordShuffle([0, 4, 1, 5], swap);
  const hi = wordShuffle([2, 6, 3, 7], swap);
  body.get(ins[0]).get(ins[1]).shuffle(lo).set(tmp[0]);
  body.get(ins[0]).get(ins[1]).shuffle(hi).set(tmp[1]);
  body.get(ins[2]).get(ins[3]).shuffle(lo).set(tmp[2]);
  body.get(ins[2]).get(ins[3]).shuffle(hi).set(tmp[3]);
  const first = wordShuffle([0, 1, 4, 5], false);
  const second = wordShuffle([2, 3, 6, 7], false);
  body.get(tmp[0]).get(tmp[2]).shuffle(first).set(outs[0]);
  body.get(tmp[0]).get(tmp[2]).shuffle(second).set(outs[1]);
  body.get(tmp[1]).get(tmp[3]).shuffle(first).set(outs[2]);
  body.get(tmp[1]).get(tmp[3]).shuffle(second).set(outs[3]);
}

/** pushes local `x` rotated right by `n` bits in every lane */
export function rotr(body: Body, x: number, n: number): void {
  body.get(x).i32Const(n).simd(Simd.i32x4ShrU).get(x).i32Const(32 - n).simd(Simd.i32x4Shl).simd(Simd.or);
}

/** pushes local `x` rotated left by `n` bits in every lane */
export function rotl(body: Body, x: number, n: number): void {
  rotr(body, x, 32 - n);
}

/** pushes local `x` shifted right (logical) by `n` bits */
export function shr(body: Body, x: number, n: number): void {
  body.get(x).i32Const(n).simd(Simd.i32x4ShrU);
}

/** adds word `w` (+ `extra`, a constant) to the vector on the stack */
export function addWord(body: Body, w: Word, extra = 0): void {
  if ('value' in w) {
    const c = (w.value + extra) | 0;
    if (c !== 0) body.splatConst(c).simd(Simd.i32x4Add);
    return;
  }
  body.get(w.local).simd(Simd.i32x4Add);
  if (extra !== 0) body.splatConst(extra).simd(Simd.i32x4Add);
}
