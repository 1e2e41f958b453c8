/**
 * Tor v3 onion addresses (rend-spec-v3 §6, "Encoding onion addresses").
 *
 * Format: `base32(PUBKEY(32) | CHECKSUM(2) | VERSION(1)) + ".onion"` — 56 characters of RFC 4648
 * base32 (`a-z`, `2-7`, no padding), where `CHECKSUM = SHA3-256(".onion checksum" | PUBKEY |
 * VERSION)[:2]` (NIST SHA3, not Keccak) and `VERSION = 0x03`. Host names are case-insensitive, so
 * upper case is accepted; any number of subdomain labels may precede the address
 * (`www.<56>.onion`). The Ed25519 key itself is not checked to be a valid curve point.
 * v2 addresses (16 characters) were retired by Tor in 2021 and are not valid.
 */
import { sha3_256 } from '@noble/hashes/sha3.js';
import { base32nopad } from '@scure/base';
import { InvalidInputError } from '../model/errors.js';

/** The decoded parts of a v3 onion address. */
export interface OnionAddress {
  /** canonical service address: 56 lower-case characters + `.onion` (subdomains dropped) */
  readonly onion: string;
  /** subdomain labels before the address, lower-case, e.g. `www` */
  readonly subdomain: string;
  /** the service's Ed25519 public key */
  readonly publicKey: Uint8Array;
}

const CHECKSUM_PREFIX = new TextEncoder().encode('.onion checksum');
const BASE32_56 = /^[a-z2-7]{56}$/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Decodes a v3 onion host name (`[sub.]<56 base32>.onion`), or returns `undefined` when it is not
 * one: wrong length or alphabet, checksum mismatch, version byte other than 3, or a subdomain label
 * that is not a DNS label. Never throws.
 */
export function parseOnionAddress(host: string): OnionAddress | undefined {
  if (typeof host !== 'string' || host.length < 62 || host.length > 253) return undefined;
  const lower = host.toLowerCase();
  if (!lower.endsWith('.onion')) return undefined;
  const labels = lower.slice(0, -6).split('.');
  const id = labels.pop() as string;
  if (!BASE32_56.test(id)) return undefined;
  for (const l of labels) if (!DNS_LABEL.test(l)) return undefined;
  const bytes = base32nopad.decode(id.toUpperCase()); // 56 × 5 bits = 35 bytes exactly
  const publicKey = bytes.subarray(0, 32);
  const version = bytes[34];
  if (version !== 0x03) return undefined;
  const sum = sha3_256(new Uint8Array([...CHECKSUM_PREFIX, ...publicKey, version]));
  if (sum[0] !== bytes[32] || sum[1] !== bytes[33]) return undefined;
  return { onion: `${id}.onion`, subdomain: labels.join('.'), publicKey };
}

/** True when `host` is a valid v3 onion host name (see {@link parseOnionAddress}). */
export function isValidOnionAddress(host: string): boolean {
  return parseOnionAddress(host) !== undefined;
}

/** Builds the v3 onion address (`<56>.onion`) of an Ed25519 public key; throws {@link InvalidInputError} `ONION_BAD_KEY` unless it is 32 bytes. */
export function onionAddressFromPublicKey(publicKey: Uint8Array): string {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) {
    const got = publicKey instanceof Uint8Array ? `${publicKey.length} bytes` : publicKey === null ? 'null' : typeof publicKey;
    throw new InvalidInputError(`an onion v3 public key is 32 bytes (Ed25519), got ${got}; pass the service's raw Ed25519 public key`, { code: 'ONION_BAD_KEY' });
  }
  const sum = sha3_256(new Uint8Array([...CHECKSUM_PREFIX, ...publicKey, 0x03]));
  return `${base32nopad.encode(new Uint8Array([...publicKey, sum[0], sum[1], 0x03])).toLowerCase()}.onion`;
}

const ONION_IN_TEXT = /(?<![a-z2-7])[a-z2-7]{56}\.onion(?![a-z0-9-])/gi;

/**
 * Finds valid v3 onion addresses in free text (canonical `<56>.onion` form, in text order,
 * each once per occurrence). Candidates that fail the checksum are dropped.
 */
export function extractOnionAddresses(text: string): { onion: string; start: number; end: number }[] {
  const out: { onion: string; start: number; end: number }[] = [];
  if (typeof text !== 'string') return out;
  for (const m of text.matchAll(ONION_IN_TEXT)) {
    const parsed = parseOnionAddress(m[0]);
    if (parsed) out.push({ onion: parsed.onion, start: m.index, end: m.index + m[0].length });
  }
  return out;
}
