/**
 * Ethereum address validation (EIP-55).
 *
 * Format: `0x` followed by 40 hex digits (the last 20 bytes of keccak256(public key)).
 * EIP-55 checksum: hash = keccak256(ascii(lower-case hex without 0x)); the i-th hex letter is
 * upper-case iff nibble i of hash is ≥ 8. A mixed-case address must carry a correct checksum;
 * an all-lower-case or all-upper-case address carries none and is accepted as unchecksummed
 * (that is how most explorers, exchanges and the OFAC list print them).
 */
import { keccak_256 } from '@noble/hashes/sha3.js';

/** The result of {@link decodeEthereumAddress}. */
export interface DecodedEthereumAddress {
  readonly chain: 'eth';
  /** canonical form: `0x` + lower-case hex */
  readonly address: string;
  /** true when the input was mixed-case and its EIP-55 checksum verified */
  readonly checksummed: boolean;
}

const HEX40 = /^0x[0-9a-fA-F]{40}$/;

/** The EIP-55 mixed-case form of a 40-hex-digit address (with or without `0x`, any case). */
export function toChecksumAddress(address: string): string {
  const lower = address.replace(/^0x/i, '').toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(lower));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const c = lower[i];
    const nibble = (hash[i >> 1] >> (i & 1 ? 0 : 4)) & 0x0f;
    out += c >= 'a' && nibble >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

/**
 * Decodes an Ethereum address, or returns `undefined` when it is not `0x` + 40 hex digits or is
 * mixed-case with a wrong EIP-55 checksum.
 */
export function decodeEthereumAddress(s: string): DecodedEthereumAddress | undefined {
  if (s.length !== 42 || !HEX40.test(s)) return undefined;
  const body = s.slice(2);
  const lower = body.toLowerCase();
  const mixed = body !== lower && body !== body.toUpperCase();
  if (mixed && toChecksumAddress(lower).slice(2) !== body) return undefined;
  return { chain: 'eth', address: `0x${lower}`, checksummed: mixed };
}
