/**
 * TRON address validation.
 *
 * Format: Base58Check (double-SHA256 checksum, as Bitcoin) of 21 bytes:
 * `0x41 | last 20 bytes of keccak256(public key)`; always 34 characters starting with `T`.
 * Mainnet and the public testnets (Shasta, Nile) share the 0x41 prefix, so the network cannot be
 * told from the address.
 */
import { base58checkSha256d } from './bitcoin.js';

/** The result of {@link decodeTronAddress}. */
export interface DecodedTronAddress {
  readonly chain: 'trx';
  /** canonical form: the Base58Check string as written */
  readonly address: string;
  /** the 20-byte account id (the same bytes as the matching Ethereum-style address) */
  readonly accountId: Uint8Array;
}

/** Decodes a TRON Base58Check address, or returns `undefined` when it is not one. */
export function decodeTronAddress(s: string): DecodedTronAddress | undefined {
  if (s.length !== 34 || s.charCodeAt(0) !== 0x54 /* T */) return undefined;
  let payload: Uint8Array;
  try {
    payload = base58checkSha256d.decode(s);
  } catch {
    return undefined;
  }
  if (payload.length !== 21 || payload[0] !== 0x41) return undefined;
  return { chain: 'trx', address: s, accountId: payload.subarray(1) };
}
