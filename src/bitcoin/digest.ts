/**
 * SHA-256 (FIPS 180-4) and RIPEMD-160 (Dobbertin, Bosselaers, Preneel 1996) without allocation,
 * for the short messages of the decoding hot loop: 20–65-byte keys and hashes, 21-byte Base58Check
 * payloads, transactions of a few hundred bytes. Each call of Node's `crypto.hash` costs a native
 * round trip and a fresh Buffer, which for these sizes is several times the hashing itself; these
 * run on preallocated Int32Array state and write into a caller's buffer. Long messages (whole large
 * transactions) go to OpenSSL, which is faster per byte ({@link NATIVE_FROM}).
 * Checked against `node:crypto` on random inputs of every length in test/bitcoin/digest.test.ts.
 */
import { hash as nodeHash } from 'node:crypto';

/** Messages at least this long are hashed by OpenSSL instead. */
export const NATIVE_FROM = 320;

/** SHA-256's round constants K (FIPS 180-4 §4.2.2), as int32. */
export const SHA256_K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const W = new Int32Array(64);
const S = new Int32Array(8);
/** one padded final block (or two), for RIPEMD-160 */
const TAIL = new Uint8Array(128);

/** One SHA-256 compression of the message words W[0..15] into the state S. */
function sha256Compress(): void {
  for (let i = 16; i < 64; i++) {
    const w15 = W[i - 15];
    const w2 = W[i - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
  }
  let a = S[0], b = S[1], c = S[2], d = S[3], e = S[4], f = S[5], g = S[6], h = S[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + SHA256_K[i] + W[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  S[0] = (S[0] + a) | 0;
  S[1] = (S[1] + b) | 0;
  S[2] = (S[2] + c) | 0;
  S[3] = (S[3] + d) | 0;
  S[4] = (S[4] + e) | 0;
  S[5] = (S[5] + f) | 0;
  S[6] = (S[6] + g) | 0;
  S[7] = (S[7] + h) | 0;
}

/** SHA-256's initial hash value H(0) (FIPS 180-4 §5.3.3), as int32. */
export const SHA256_IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

function sha256Init(): void {
  S.set(SHA256_IV);
}

/**
 * SHA-256 of `m[start, end)` into the state words S. The final block is padded on words
 * directly (no byte buffer); messages of {@link NATIVE_FROM} bytes or more go to OpenSSL.
 */
function sha256Words(m: Uint8Array, start: number, end: number): void {
  const total = end - start;
  if (total >= NATIVE_FROM) {
    const digest = nodeHash('sha256', m.subarray(start, end), 'buffer');
    for (let i = 0; i < 8; i++) S[i] = digest.readInt32BE(4 * i);
    return;
  }
  sha256Init();
  let off = start;
  for (; off + 64 <= end; off += 64) {
    for (let i = 0, o = off; i < 16; i++, o += 4) W[i] = (m[o] << 24) | (m[o + 1] << 16) | (m[o + 2] << 8) | m[o + 3];
    sha256Compress();
  }
  const rest = end - off;
  W.fill(0, 0, 16);
  for (let i = 0; i < rest; i++) W[i >> 2] |= m[off + i] << (24 - 8 * (i & 3));
  W[rest >> 2] |= 0x80 << (24 - 8 * (rest & 3));
  if (rest >= 56) {
    sha256Compress();
    W.fill(0, 0, 16);
  }
  W[14] = Math.floor(total / 0x20000000);
  W[15] = (total * 8) | 0;
  sha256Compress();
}

/** SHA-256 of the 32-byte digest held in S, into S (the second half of SHA-256d). */
function sha256OfState(): void {
  for (let i = 0; i < 8; i++) W[i] = S[i];
  W[8] = 0x80000000 | 0;
  W.fill(0, 9, 15);
  W[15] = 256;
  sha256Init();
  sha256Compress();
}

/** Writes the state words S big-endian to `out[outOff, outOff + 32)`. */
function writeState(out: Uint8Array, outOff: number): void {
  for (let i = 0; i < 8; i++) {
    const v = S[i];
    out[outOff++] = v >>> 24;
    out[outOff++] = (v >>> 16) & 0xff;
    out[outOff++] = (v >>> 8) & 0xff;
    out[outOff++] = v & 0xff;
  }
}

/** SHA-256 of `m[start, end)` written to `out[outOff, outOff + 32)`. */
export function sha256Into(m: Uint8Array, start: number, end: number, out: Uint8Array, outOff = 0): void {
  sha256Words(m, start, end);
  writeState(out, outOff);
}

/** SHA-256(SHA-256(m[start, end))) written to `out[outOff, outOff + 32)`. */
export function sha256dInto(m: Uint8Array, start: number, end: number, out: Uint8Array, outOff = 0): void {
  sha256Words(m, start, end);
  sha256OfState();
  writeState(out, outOff);
}

/** Pads the last `rest` bytes of a `total`-byte message into TAIL (little-endian length); returns TAIL's used length. */
function padTail(m: Uint8Array, from: number, rest: number, total: number): number {
  TAIL.fill(0);
  for (let i = 0; i < rest; i++) TAIL[i] = m[from + i];
  TAIL[rest] = 0x80;
  const len = rest < 56 ? 64 : 128;
  const bitsLo = (total * 8) >>> 0;
  const bitsHi = Math.floor(total / 0x20000000);
  for (let i = 0; i < 4; i++) TAIL[len - 8 + i] = (bitsLo >>> (8 * i)) & 0xff;
  for (let i = 0; i < 4; i++) TAIL[len - 4 + i] = (bitsHi >>> (8 * i)) & 0xff;
  return len;
}

// RIPEMD-160: message word order, rotations and constants of the left and right lines
const RL = new Uint8Array([
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8, 3, 10, 14, 4,
  9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12, 1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2, 4, 0, 5, 9, 7, 12, 2, 10,
  14, 1, 3, 8, 11, 6, 15, 13,
]);
const RR = new Uint8Array([
  5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12, 6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2, 15, 5, 1, 3,
  7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13, 8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14, 12, 15, 10, 4, 1, 5, 8, 7,
  6, 2, 13, 14, 0, 3, 9, 11,
]);
const SL = new Uint8Array([
  11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8, 7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12, 11, 13, 6,
  7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5, 11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12, 9, 15, 5, 11, 6, 8,
  13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
]);
const SR = new Uint8Array([
  8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6, 9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11, 9, 7, 15,
  11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5, 15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8, 8, 5, 12, 9, 12, 5,
  14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
]);
const KL = [0, 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc | 0, 0xa953fd4e | 0];
const KR = [0x50a28be6, 0x5c4dd124, 0x6d703ef3, 0x7a6d76e9, 0];
const X = new Int32Array(16);
const R = new Int32Array(5);

/** the round function of group `j` (0–4) */
function f(j: number, x: number, y: number, z: number): number {
  switch (j) {
    case 0:
      return x ^ y ^ z;
    case 1:
      return (x & y) | (~x & z);
    case 2:
      return (x | ~y) ^ z;
    case 3:
      return (x & z) | (y & ~z);
    default:
      return x ^ (y | ~z);
  }
}

function rmdBlock(m: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++, off += 4) X[i] = m[off] | (m[off + 1] << 8) | (m[off + 2] << 16) | (m[off + 3] << 24);
  rmdCompress();
}

function rmdInit(): void {
  R[0] = 0x67452301; R[1] = 0xefcdab89 | 0; R[2] = 0x98badcfe | 0; R[3] = 0x10325476; R[4] = 0xc3d2e1f0 | 0;
}

/** One RIPEMD-160 compression of the message words X[0..15] into the state R. */
function rmdCompress(): void {
  let al = R[0], bl = R[1], cl = R[2], dl = R[3], el = R[4];
  let ar = al, br = bl, cr = cl, dr = dl, er = el;
  for (let j = 0; j < 80; j++) {
    const g = (j / 16) | 0;
    let t = (al + f(g, bl, cl, dl) + X[RL[j]] + KL[g]) | 0;
    t = (((t << SL[j]) | (t >>> (32 - SL[j]))) + el) | 0;
    al = el;
    el = dl;
    dl = (cl << 10) | (cl >>> 22);
    cl = bl;
    bl = t;
    t = (ar + f(4 - g, br, cr, dr) + X[RR[j]] + KR[g]) | 0;
    t = (((t << SR[j]) | (t >>> (32 - SR[j]))) + er) | 0;
    ar = er;
    er = dr;
    dr = (cr << 10) | (cr >>> 22);
    cr = br;
    br = t;
  }
  const t = (R[1] + cl + dr) | 0;
  R[1] = (R[2] + dl + er) | 0;
  R[2] = (R[3] + el + ar) | 0;
  R[3] = (R[4] + al + br) | 0;
  R[4] = (R[0] + bl + cr) | 0;
  R[0] = t;
}

/** RIPEMD-160 of `m[start, end)` written to `out[outOff, outOff + 20)`. */
export function ripemd160Into(m: Uint8Array, start: number, end: number, out: Uint8Array, outOff = 0): void {
  rmdInit();
  let off = start;
  for (; off + 64 <= end; off += 64) rmdBlock(m, off);
  const len = padTail(m, off, end - off, end - start);
  rmdBlock(TAIL, 0);
  if (len === 128) rmdBlock(TAIL, 64);
  writeRmd(out, outOff);
}

/** Writes the state words R little-endian to `out[outOff, outOff + 20)`. */
function writeRmd(out: Uint8Array, outOff: number): void {
  for (let i = 0; i < 5; i++) {
    const v = R[i];
    out[outOff++] = v & 0xff;
    out[outOff++] = (v >>> 8) & 0xff;
    out[outOff++] = (v >>> 16) & 0xff;
    out[outOff++] = v >>> 24;
  }
}

/** HASH160 = RIPEMD-160(SHA-256(m[start, end))) written to `out[outOff, outOff + 20)`. */
export function hash160Into(m: Uint8Array, start: number, end: number, out: Uint8Array, outOff = 0): void {
  sha256Words(m, start, end);
  // RIPEMD-160 reads little-endian words: the big-endian SHA-256 words, byte-swapped, then padding
  for (let i = 0; i < 8; i++) {
    const v = S[i];
    X[i] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
  }
  X[8] = 0x80;
  X.fill(0, 9, 16);
  X[14] = 256;
  rmdInit();
  rmdCompress();
  writeRmd(out, outOff);
}
