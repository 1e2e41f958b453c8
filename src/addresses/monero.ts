/**
 * Monero address validation.
 *
 * Format: Monero Base58 — the byte string is cut into 8-byte blocks, each written as exactly 11
 * Base58 characters (a short last block uses the width for its length) — of
 * `varint(network tag) | public spend key(32) | public view key(32) [| payment id(8)] | checksum(4)`
 * with `checksum = keccak256(everything before it)[:4]` (original Keccak, not NIST SHA3).
 * Standard and subaddresses are 95 characters (69 bytes), integrated addresses 106 (77 bytes).
 *
 * Network tags (all < 128, so the varint is one byte):
 * | network  | standard | integrated | subaddress |
 * | mainnet  | 18 (`4…`)| 19 (`4…`)  | 42 (`8…`)  |
 * | testnet  | 53 (`9…`)| 54 (`A…`)  | 63 (`B…`)  |
 * | stagenet | 24 (`5…`)| 25 (`5…`)  | 36 (`7…`)  |
 * The keys are not checked to be points on ed25519 (the checksum already rules out typos).
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { base58xmr } from '@scure/base';
import type { AddressNetwork } from './bitcoin.js';

/** Which kind of Monero address. */
export type MoneroAddressType = 'standard' | 'integrated' | 'subaddress';

/** The result of {@link decodeMoneroAddress}. */
export interface DecodedMoneroAddress {
  readonly chain: 'xmr';
  readonly network: AddressNetwork;
  readonly type: MoneroAddressType;
  /** canonical form: as written */
  readonly address: string;
  readonly publicSpendKey: Uint8Array;
  readonly publicViewKey: Uint8Array;
  /** the 8-byte payment id of an integrated address */
  readonly paymentId?: Uint8Array;
}

const TAGS: ReadonlyMap<number, { network: AddressNetwork; type: MoneroAddressType }> = new Map([
  [18, { network: 'mainnet', type: 'standard' }],
  [19, { network: 'mainnet', type: 'integrated' }],
  [42, { network: 'mainnet', type: 'subaddress' }],
  [53, { network: 'testnet', type: 'standard' }],
  [54, { network: 'testnet', type: 'integrated' }],
  [63, { network: 'testnet', type: 'subaddress' }],
  [24, { network: 'stagenet', type: 'standard' }],
  [25, { network: 'stagenet', type: 'integrated' }],
  [36, { network: 'stagenet', type: 'subaddress' }],
]);

/** Decodes a Monero address, or returns `undefined` when it is not one (any network). */
export function decodeMoneroAddress(s: string): DecodedMoneroAddress | undefined {
  if (s.length !== 95 && s.length !== 106) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = base58xmr.decode(s);
  } catch {
    return undefined;
  }
  const tag = TAGS.get(bytes[0]);
  if (!tag) return undefined;
  const want = tag.type === 'integrated' ? 77 : 69;
  if (bytes.length !== want) return undefined;
  const body = bytes.subarray(0, want - 4);
  const sum = keccak_256(body);
  for (let i = 0; i < 4; i++) if (sum[i] !== bytes[want - 4 + i]) return undefined;
  return {
    chain: 'xmr',
    ...tag,
    address: s,
    publicSpendKey: bytes.subarray(1, 33),
    publicViewKey: bytes.subarray(33, 65),
    ...(tag.type === 'integrated' ? { paymentId: bytes.subarray(65, 73) } : {}),
  };
}
