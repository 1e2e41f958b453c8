/**
 * SHA-256 (FIPS 180-4) four messages at a time: generators of WebAssembly SIMD code for one
 * compression on i32x4 lanes, fully unrolled (64 rounds, the message schedule computed on the fly
 * in a window of 16 locals), with the state words renamed from round to round instead of moved.
 * Message words known at generation time (the padding of a 32-byte message in SHA-256d's second
 * round) are folded into the constants, schedule included.
 *
 *   ch(e, f, g)  = bitselect(f, g, e)
 *   maj(a, b, c) = bitselect(b, a, a ^ c)
 *   rotr(x, n)   = (x >>> n) | (x << 32 - n)
 */
import { type Body, Simd, V128 } from './encoder.js';
import { SHA256_K } from '../digest.js';
import { addWord, rotr, shr, type Word } from './lanes.js';

const rotr32 = (x: number, n: number) => (x >>> n) | (x << (32 - n));
const sigma0 = (x: number) => rotr32(x, 7) ^ rotr32(x, 18) ^ (x >>> 3);
const sigma1 = (x: number) => rotr32(x, 17) ^ rotr32(x, 19) ^ (x >>> 10);

/** Locals one compression needs besides the state and the message words. */
export interface Sha256Scratch {
  t: number;
}

/** Declares the scratch locals of {@link sha256Rounds}. */
export function sha256Scratch(body: Body): Sha256Scratch {
  return { t: body.local(V128) };
}

/** pushes Σ-style x: rotr(x,a) ^ rotr(x,b) ^ (rotr or shr)(x,c) */
function sigma(body: Body, x: number, a: number, b: number, c: number, lastIsShift: boolean): void {
  rotr(body, x, a);
  rotr(body, x, b);
  body.simd(Simd.xor);
  if (lastIsShift) shr(body, x, c);
  else rotr(body, x, c);
  body.simd(Simd.xor);
}

/**
 * The 64 rounds of one compression on the state locals `state` (a–h, updated in place: the
 * renaming comes back to the same locals after 64 rounds). `words` are W0–W15; the locals among
 * them are overwritten by the schedule; words with a `value` are folded. The feed-forward (adding
 * the state before the block) is the caller's.
 */
export function sha256Rounds(body: Body, state: readonly number[], words: readonly Word[], scratch: Sha256Scratch): void {
  const w: Word[] = [...words];
  let [a, b, c, d, e, f, g, h] = state;
  const { t } = scratch;
  for (let i = 0; i < 64; i++) {
    if (i >= 16) w[i % 16] = scheduleWord(body, w, i);
    const wi = w[i % 16];
    // T1 = h + Σ1(e) + ch(e, f, g) + K[i] + W[i]
    body.get(h);
    sigma(body, e, 6, 11, 25, false);
    body.simd(Simd.i32x4Add);
    body.get(f).get(g).get(e).simd(Simd.bitselect).simd(Simd.i32x4Add);
    addWord(body, wi, SHA256_K[i]);
    body.tee(t);
    // e' = d + T1 (in d's local)
    body.get(d).simd(Simd.i32x4Add).set(d);
    // a' = T1 + Σ0(a) + maj(a, b, c) (in h's local)
    body.get(t);
    sigma(body, a, 2, 13, 22, false);
    body.simd(Simd.i32x4Add);
    body.get(b).get(a).get(a).get(c).simd(Simd.xor).simd(Simd.bitselect).simd(Simd.i32x4Add).set(h);
    [a, b, c, d, e, f, g, h] = [h, a, b, c, d, e, f, g];
  }
}

/** W[i] = σ1(W[i−2]) + W[i−7] + σ0(W[i−15]) + W[i−16], written over W[i−16]'s local (or folded) */
function scheduleWord(body: Body, w: Word[], i: number): Word {
  const w16 = w[(i - 16) % 16], w15 = w[(i - 15) % 16], w7 = w[(i - 7) % 16], w2 = w[(i - 2) % 16];
  let constant = 0;
  const parts: (() => void)[] = [];
  if ('value' in w2) constant += sigma1(w2.value);
  else parts.push(() => sigma(body, w2.local, 17, 19, 10, true));
  if ('value' in w7) constant += w7.value;
  else parts.push(() => body.get(w7.local));
  if ('value' in w15) constant += sigma0(w15.value);
  else parts.push(() => sigma(body, w15.local, 7, 18, 3, true));
  if ('value' in w16) constant += w16.value;
  else parts.push(() => body.get(w16.local));
  constant |= 0;
  if (parts.length === 0) return { value: constant };
  parts.forEach((emit, k) => {
    emit();
    if (k > 0) body.simd(Simd.i32x4Add);
  });
  if (constant !== 0) body.splatConst(constant).simd(Simd.i32x4Add);
  // W[i−16] is dead now; reuse its local, or take one of the others' that the window drops next
  const target = 'local' in w16 ? w16.local : body.local(V128);
  body.set(target);
  return { local: target };
}
