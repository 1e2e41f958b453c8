/**
 * Bitcoin and Litecoin address validation.
 *
 * Formats:
 * - Base58Check (Satoshi): `base58(version(1) | hash160(20) | sha256d(version | hash)[:4])`.
 *   Versions: BTC main P2PKH 0x00 (`1…`), P2SH 0x05 (`3…`); BTC test/signet/regtest P2PKH 0x6f
 *   (`m…`/`n…`), P2SH 0xc4 (`2…`); LTC main P2PKH 0x30 (`L…`), P2SH 0x32 (`M…`); LTC test P2SH 0x3a
 *   (`Q…`). LTC's legacy P2SH version 0x05 and testnet P2PKH 0x6f are the same bytes as Bitcoin's,
 *   so such strings are reported as `btc` (the text cannot tell them apart).
 * - SegWit (BIP173 bech32 / BIP350 bech32m): `hrp 1 data checksum`, one case only, ≤ 90 chars.
 *   data = witness version (5 bits) | program (8→5 bit regrouped, zero padding ≤ 4 bits).
 *   Version 0 uses bech32 and a 20- or 32-byte program; versions 1–16 use bech32m and a 2–40-byte
 *   program. HRPs: BTC `bc` / `tb` (testnet, signet) / `bcrt`; LTC `ltc` / `tltc` / `rltc`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32, bech32m, createBase58check } from '@scure/base';

/**
 * Which network an address belongs to. Signet addresses are reported as `testnet` (same encoding);
 * regtest Base58 addresses too (regtest reuses testnet's version bytes; only its bech32 HRP `bcrt`
 * tells it apart).
 */
export type AddressNetwork = 'mainnet' | 'testnet' | 'regtest' | 'stagenet';

/** The script an address pays to. */
export type UtxoAddressType = 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr' | 'witness_unknown';

/** A decoded Bitcoin or Litecoin address. */
export interface DecodedUtxoAddress {
  readonly chain: 'btc' | 'ltc';
  readonly network: AddressNetwork;
  readonly type: UtxoAddressType;
  /** canonical form: Base58 as written, bech32 lower-case */
  readonly address: string;
  /** hash160 for Base58 types, witness program for SegWit types */
  readonly program: Uint8Array;
  /** SegWit witness version (0–16); absent for Base58 types */
  readonly witnessVersion?: number;
}

/** Double-SHA256 Base58Check codec (shared by BTC, LTC and TRON). */
export const base58checkSha256d = createBase58check(sha256);

const BASE58_VERSIONS: ReadonlyMap<number, { chain: 'btc' | 'ltc'; network: AddressNetwork; type: 'p2pkh' | 'p2sh' }> =
  new Map([
    [0x00, { chain: 'btc', network: 'mainnet', type: 'p2pkh' }],
    [0x05, { chain: 'btc', network: 'mainnet', type: 'p2sh' }],
    [0x6f, { chain: 'btc', network: 'testnet', type: 'p2pkh' }],
    [0xc4, { chain: 'btc', network: 'testnet', type: 'p2sh' }],
    [0x30, { chain: 'ltc', network: 'mainnet', type: 'p2pkh' }],
    [0x32, { chain: 'ltc', network: 'mainnet', type: 'p2sh' }],
    [0x3a, { chain: 'ltc', network: 'testnet', type: 'p2sh' }],
  ]);

const SEGWIT_HRPS: ReadonlyMap<string, { chain: 'btc' | 'ltc'; network: AddressNetwork }> = new Map([
  ['bc', { chain: 'btc', network: 'mainnet' }],
  ['tb', { chain: 'btc', network: 'testnet' }],
  ['bcrt', { chain: 'btc', network: 'regtest' }],
  ['ltc', { chain: 'ltc', network: 'mainnet' }],
  ['tltc', { chain: 'ltc', network: 'testnet' }],
  ['rltc', { chain: 'ltc', network: 'regtest' }],
]);

/**
 * Decodes a Base58Check Bitcoin/Litecoin address (P2PKH or P2SH), or returns `undefined` when the
 * string is not one (bad character, bad checksum, wrong length or unknown version byte).
 */
export function decodeBase58UtxoAddress(s: string): DecodedUtxoAddress | undefined {
  if (s.length < 26 || s.length > 35) return undefined;
  let payload: Uint8Array;
  try {
    payload = base58checkSha256d.decode(s);
  } catch {
    return undefined;
  }
  if (payload.length !== 21) return undefined;
  const v = BASE58_VERSIONS.get(payload[0]);
  if (!v) return undefined;
  return { ...v, address: s, program: payload.subarray(1) };
}

/**
 * Decodes a SegWit address (bech32 for witness v0, bech32m for v1+), or returns `undefined`.
 * Mixed case, a wrong checksum variant, bad padding or a bad program length all reject.
 */
export function decodeSegwitAddress(s: string): DecodedUtxoAddress | undefined {
  if (s.length < 14 || s.length > 90) return undefined;
  const sep = s.lastIndexOf('1');
  if (sep < 1) return undefined;
  const net = SEGWIT_HRPS.get(s.slice(0, sep).toLowerCase());
  if (!net) return undefined;
  const lower = s.toLowerCase();
  if (s !== lower && s !== s.toUpperCase()) return undefined;
  // The witness version is the first data character; it picks the checksum variant.
  const versionChar = lower.charCodeAt(sep + 1);
  const coder = versionChar === 0x71 /* 'q' = version 0 */ ? bech32 : bech32m;
  const decoded = coder.decodeUnsafe(lower, 90);
  if (!decoded || decoded.words.length < 1) return undefined;
  const version = decoded.words[0];
  if (version > 16) return undefined;
  const program = coder.fromWordsUnsafe(decoded.words.slice(1));
  if (!program) return undefined;
  if (program.length < 2 || program.length > 40) return undefined;
  let type: UtxoAddressType = 'witness_unknown';
  if (version === 0) {
    if (program.length === 20) type = 'p2wpkh';
    else if (program.length === 32) type = 'p2wsh';
    else return undefined;
  } else if (version === 1 && program.length === 32) {
    type = 'p2tr';
  }
  return { ...net, type, address: lower, program, witnessVersion: version };
}

/** Decodes any Bitcoin or Litecoin address (Base58Check or SegWit), or returns `undefined`. */
export function decodeUtxoAddress(s: string): DecodedUtxoAddress | undefined {
  return decodeBase58UtxoAddress(s) ?? decodeSegwitAddress(s);
}

/**
 * The output script (scriptPubKey) a decoded address pays to, as bytes: P2PKH
 * `OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG`, P2SH `OP_HASH160 <20> OP_EQUAL`, SegWit
 * `OP_n <program>`.
 */
export function utxoOutputScript(a: DecodedUtxoAddress): Uint8Array {
  const p = a.program;
  if (a.type === 'p2pkh') return Uint8Array.of(0x76, 0xa9, 0x14, ...p, 0x88, 0xac);
  if (a.type === 'p2sh') return Uint8Array.of(0xa9, 0x14, ...p, 0x87);
  const v = a.witnessVersion ?? 0;
  return Uint8Array.of(v === 0 ? 0x00 : 0x50 + v, p.length, ...p);
}
