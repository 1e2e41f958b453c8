/**
 * The hash functions of Bitcoin: SHA-256d (txids, block hashes, Base58Check checksums),
 * HASH160 = RIPEMD-160(SHA-256(x)) (key and script hashes), single SHA-256 (P2WSH programs).
 * Node's one-shot `crypto.hash` (OpenSSL) is the fastest path for the short inputs of the hot loops.
 */
import { hash as nodeHash } from 'node:crypto';

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Buffer {
  return nodeHash('sha256', data, 'buffer');
}

/** SHA-256(SHA-256(data)). */
export function sha256d(data: Uint8Array): Buffer {
  return nodeHash('sha256', nodeHash('sha256', data, 'buffer'), 'buffer');
}

/** RIPEMD-160(SHA-256(data)). */
export function hash160(data: Uint8Array): Buffer {
  return nodeHash('ripemd160', nodeHash('sha256', data, 'buffer'), 'buffer');
}
