/**
 * RIPEMD-160 (Dobbertin, Bosselaers, Preneel 1996) four messages at a time: a generator of
 * WebAssembly SIMD code for one compression on i32x4 lanes, both lines interleaved round by round,
 * fully unrolled (80 rounds), registers renamed instead of moved, constant message words folded.
 *
 *   left line, round j of group g = ⌊j/16⌋:  T = rotl(A + f_g(B, C, D) + X[r_j] + K_g, s_j) + E
 *                                            A, B, C, D, E ← E, T, B, rotl(C, 10), D
 *   right line: the same with f_{4−g}, r'_j, K'_g, s'_j.
 *   f0 = x ^ y ^ z, f1 = bitselect(y, z, x), f2 = (x | ~y) ^ z, f3 = bitselect(x, y, z),
 *   f4 = x ^ (y | ~z)
 */
import { type Body, Simd, V128 } from './encoder.js';
import { addWord, rotl, type Word } from './lanes.js';

/** the initial chaining value h0–h4 */
export const RIPEMD160_IV: readonly number[] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

// word order r, r' and rotations s, s' of the 80 rounds of each line (from the specification)
const RL = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8, 3, 10, 14, 4,
  9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12, 1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2, 4, 0, 5, 9, 7, 12, 2, 10,
  14, 1, 3, 8, 11, 6, 15, 13,
];
const RR = [
  5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12, 6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2, 15, 5, 1, 3,
  7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13, 8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14, 12, 15, 10, 4, 1, 5, 8, 7,
  6, 2, 13, 14, 0, 3, 9, 11,
];
const SL = [
  11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8, 7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12, 11, 13, 6,
  7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5, 11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12, 9, 15, 5, 11, 6, 8,
  13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
];
const SR = [
  8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6, 9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11, 9, 7, 15,
  11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5, 15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8, 8, 5, 12, 9, 12, 5,
  14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
];
const KL = [0, 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xa953fd4e];
const KR = [0x50a28be6, 0x5c4dd124, 0x6d703ef3, 0x7a6d76e9, 0];

/** pushes f_g(x, y, z) of locals x, y, z */
function boolean(body: Body, g: number, x: number, y: number, z: number): void {
  switch (g) {
    case 0:
      body.get(x).get(y).simd(Simd.xor).get(z).simd(Simd.xor);
      return;
    case 1:
      body.get(y).get(z).get(x).simd(Simd.bitselect);
      return;
    case 2:
      body.get(x).get(y).simd(Simd.not).simd(Simd.or).get(z).simd(Simd.xor);
      return;
    case 3:
      body.get(x).get(y).get(z).simd(Simd.bitselect);
      return;
    default:
      body.get(x).get(y).get(z).simd(Simd.not).simd(Simd.or).simd(Simd.xor);
  }
}

/**
 * One RIPEMD-160 compression of the message words `x` (X0–X15) from the chaining value `h`
 * (five v128 locals, or constants: `Word`s), leaving the new chaining value in `out` (five v128
 * locals). Needs 10 working locals and one scratch local, declared here.
 */
export function ripemd160Compress(body: Body, h: readonly Word[], x: readonly Word[], out: readonly number[]): void {
  const left = [0, 1, 2, 3, 4].map(() => body.local(V128));
  const right = [0, 1, 2, 3, 4].map(() => body.local(V128));
  const t = body.local(V128);
  for (let i = 0; i < 5; i++) {
    pushWord(body, h[i]);
    body.tee(left[i]).set(right[i]);
  }
  let [al, bl, cl, dl, el] = left;
  let [ar, br, cr, dr, er] = right;
  for (let j = 0; j < 80; j++) {
    const g = j >> 4;
    step(body, al, bl, cl, dl, el, g, x[RL[j]], KL[g], SL[j], t);
    [al, bl, cl, dl, el] = [el, al, bl, cl, dl];
    step(body, ar, br, cr, dr, er, 4 - g, x[RR[j]], KR[g], SR[j], t);
    [ar, br, cr, dr, er] = [er, ar, br, cr, dr];
  }
  // h0' = h1 + C + D', h1' = h2 + D + E', h2' = h3 + E + A', h3' = h4 + A + B', h4' = h0 + B + C'
  const combos: [number, number, number][] = [
    [1, cl, dr],
    [2, dl, er],
    [3, el, ar],
    [4, al, br],
    [0, bl, cr],
  ];
  combos.forEach(([k, l, r], i) => {
    body.get(l).get(r).simd(Simd.i32x4Add);
    addWord(body, h[k]);
    body.set(out[i]);
  });
}

function pushWord(body: Body, w: Word): void {
  if ('value' in w) body.splatConst(w.value);
  else body.get(w.local);
}

/** a ← rotl(a + f(b, c, d) + X + K, s) + e; c ← rotl(c, 10) */
function step(body: Body, a: number, b: number, c: number, d: number, e: number, g: number, xw: Word, k: number, s: number, t: number): void {
  body.get(a);
  boolean(body, g, b, c, d);
  body.simd(Simd.i32x4Add);
  addWord(body, xw, k);
  body.set(t);
  rotl(body, t, s);
  body.get(e).simd(Simd.i32x4Add).set(a);
  rotl(body, c, 10);
  body.set(c);
}
