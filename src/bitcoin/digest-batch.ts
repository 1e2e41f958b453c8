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
 */
import { hash160Into, sha256dInto, sha256Into } from './digest.js';

/** SHA-256d of each message `data[ranges[2i], ranges[2i + 1])` into `out[outOff + 32i]`. */
export function sha256dMany(data: Uint8Array, ranges: Int32Array, count: number, out: Uint8Array, outOff = 0): void {
  for (let i = 0; i < count; i++) sha256dInto(data, ranges[2 * i], ranges[2 * i + 1], out, outOff + 32 * i);
}

/** SHA-256 of each message into `out[outOff + 32i]`. */
export function sha256Many(data: Uint8Array, ranges: Int32Array, count: number, out: Uint8Array, outOff = 0): void {
  for (let i = 0; i < count; i++) sha256Into(data, ranges[2 * i], ranges[2 * i + 1], out, outOff + 32 * i);
}

/** HASH160 = RIPEMD-160(SHA-256(m)) of each message into `out[outOff + 20i]`. */
export function hash160Many(data: Uint8Array, ranges: Int32Array, count: number, out: Uint8Array, outOff = 0): void {
  for (let i = 0; i < count; i++) hash160Into(data, ranges[2 * i], ranges[2 * i + 1], out, outOff + 20 * i);
}
