/**
 * Bitcoin addresses ⇄ output scripts.
 *
 *   P2PKH   base58check(pubKeyHash ‖ HASH160(pubkey))        ⇄ OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG
 *   P2SH    base58check(scriptHash ‖ HASH160(redeem))        ⇄ OP_HASH160 <20> OP_EQUAL
 *   v0      bech32(hrp, 0, program)     program 20 or 32 bytes ⇄ OP_0 <program>
 *   v1–v16  bech32m(hrp, v, program)    program 2–40 bytes     ⇄ OP_v <program>  (v1 + 32 bytes = P2TR)
 *
 * BIP173 (bech32) for version 0, BIP350 (bech32m) for versions 1 to 16; an address in the wrong
 * variant, with mixed case, longer than 90 characters or for another network is invalid.
 */
import { base58, bech32, bech32m } from '@scure/base';
import { InvalidInputError } from '../model/errors.js';
import { sha256dInto } from './digest.js';
import { sha256d } from './hash.js';
import { BITCOIN_NETWORKS, type BitcoinNetwork, type BitcoinNetworkName } from './network.js';

const b58 = base58;
const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B58_5 = 58 ** 5;
const INV_B58_5 = 1 / B58_5;
/** base-58⁵ limbs of the two numbers being encoded, least significant first (25 bytes < 58³⁵) */
const LIMBS_A = new Float64Array(7);
const LIMBS_B = new Float64Array(7);
/** limbs in use after `fed` bytes: ⌈8·fed / log₂ 58⁵⌉ */
const LIMBS_AFTER = Int32Array.from({ length: 26 }, (_, fed) => Math.min(7, Math.ceil((8 * fed) / Math.log2(B58_5))));
const CHARS = Buffer.alloc(40);
const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const ONE = 0x31;

/**
 * The base-58⁵ limbs of the 25-byte numbers `p[a, a + 25)` into LIMBS_A and `p[b, b + 25)` into
 * LIMBS_B. The numbers are fed two bytes at a time, so that `limb · 65536 + carry` stays an exact
 * double (< 2⁵³): 7 limbs and 13 steps instead of 35 digits and 25 steps. The quotient by 58⁵ is a
 * product by its inverse, corrected by one where rounding put it off. Each step's carry runs through
 * every limb, a chain of dependent operations: the two numbers' chains interleave, so that the CPU
 * runs one while the other waits.
 */
function limbsOfTwo(p: Uint8Array, a: number, b: number): void {
  LIMBS_A.fill(0);
  LIMBS_B.fill(0);
  for (let i = -1; i < 25; i += 2) {
    // the first step takes byte 0 alone, every later one the pair i, i + 1
    let ca = i < 0 ? p[a] : p[a + i] * 256 + p[a + i + 1];
    let cb = i < 0 ? p[b] : p[b + i] * 256 + p[b + i + 1];
    const scale = i < 0 ? 256 : 65536;
    const used = LIMBS_AFTER[i + 2];
    for (let j = 0; j < used; j++) {
      const va = LIMBS_A[j] * scale + ca;
      const vb = LIMBS_B[j] * scale + cb;
      let qa = Math.floor(va * INV_B58_5);
      let qb = Math.floor(vb * INV_B58_5);
      let ra = va - qa * B58_5;
      let rb = vb - qb * B58_5;
      if (ra < 0) {
        qa--;
        ra += B58_5;
      } else if (ra >= B58_5) {
        qa++;
        ra -= B58_5;
      }
      if (rb < 0) {
        qb--;
        rb += B58_5;
      } else if (rb >= B58_5) {
        qb++;
        rb -= B58_5;
      }
      LIMBS_A[j] = ra;
      LIMBS_B[j] = rb;
      ca = qa;
      cb = qb;
    }
  }
}

/** The Base58 text of limbs `l` of the 25-byte number `p[at, at + 25)` (whose leading zero bytes are '1's). */
function base58Text(l: Float64Array, p: Uint8Array, at: number): string {
  // digits, most significant first, written backwards into CHARS as ASCII codes
  let pos = CHARS.length;
  for (let j = 0; j < 7; j++) {
    let v = l[j] | 0; // < 58⁵ < 2³¹: int32 division by a constant, which V8 turns into a multiply
    for (let k = 0; k < 5; k++) {
      const q = (v / 58) | 0;
      CHARS[--pos] = ALPHABET_CODES[v - q * 58];
      v = q;
    }
  }
  while (pos < CHARS.length && CHARS[pos] === ONE) pos++;
  for (let i = 0; i < 25 && p[at + i] === 0; i++) CHARS[--pos] = ONE;
  return CHARS.toString('latin1', pos, CHARS.length);
}

/** Base58 of the 25 bytes `p[at, at + 25)` (a Base58Check payload with its checksum). */
export function base58Of25(p: Uint8Array, at: number): string {
  limbsOfTwo(p, at, at);
  return base58Text(LIMBS_A, p, at);
}

/**
 * Base58 of `count` 25-byte payloads laid back to back in `p` (payload k at `p[25k]`), payload k
 * into `out[index[k]]`; two at a time (see {@link limbsOfTwo}).
 */
export function base58Of25Many(p: Uint8Array, count: number, out: string[], index: Int32Array): void {
  let k = 0;
  for (; k + 1 < count; k += 2) {
    limbsOfTwo(p, 25 * k, 25 * k + 25);
    out[index[k]] = base58Text(LIMBS_A, p, 25 * k);
    out[index[k + 1]] = base58Text(LIMBS_B, p, 25 * k + 25);
  }
  if (k < count) out[index[k]] = base58Of25(p, 25 * k);
}

const PAYLOAD = new Uint8Array(25);
const CHECKSUM = new Uint8Array(32);

/** Base58Check of `version ‖ hash[start, start + 20)`. */
export function encodeBase58Check(version: number, hash: Uint8Array, start = 0): string {
  PAYLOAD[0] = version;
  for (let i = 0; i < 20; i++) PAYLOAD[i + 1] = hash[start + i];
  sha256dInto(PAYLOAD, 0, 21, CHECKSUM, 0);
  PAYLOAD[21] = CHECKSUM[0];
  PAYLOAD[22] = CHECKSUM[1];
  PAYLOAD[23] = CHECKSUM[2];
  PAYLOAD[24] = CHECKSUM[3];
  return base58Of25(PAYLOAD, 0);
}

/** The segwit address (bech32 for version 0, bech32m otherwise) of a witness program. */
export function segwitAddress(network: BitcoinNetwork, version: number, program: Uint8Array): string {
  const words = bech32.toWords(program);
  words.unshift(version);
  return (version === 0 ? bech32 : bech32m).encode(network.bech32, words, 90);
}

/** What {@link decodeBitcoinAddress} found in an address. */
export interface DecodedBitcoinAddress {
  readonly network: BitcoinNetworkName;
  readonly type: 'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr' | 'witness_unknown';
  /** the output script that pays to this address */
  readonly script: Uint8Array;
  /** the hash or witness program */
  readonly program: Uint8Array;
  /** segwit version, for segwit addresses */
  readonly witnessVersion?: number;
}

const BASE58_NETWORKS: readonly BitcoinNetwork[] = [BITCOIN_NETWORKS.bitcoin, BITCOIN_NETWORKS.testnet];

function invalid(address: string, why: string): InvalidInputError {
  const shown = address.length > 100 ? `${address.slice(0, 100)}…` : address;
  return new InvalidInputError(`${JSON.stringify(shown)} is not a valid Bitcoin address: ${why}`, { code: 'BTC_BAD_ADDRESS' });
}

/**
 * Decodes a Bitcoin address into its type and output script. With `network`, only that network's
 * addresses are accepted (`testnet` and `regtest` share Base58 prefixes, so a Base58 testnet address
 * is reported as `testnet`). Throws {@link InvalidInputError} `BTC_BAD_ADDRESS` saying why.
 */
export function decodeBitcoinAddress(address: string, network?: BitcoinNetworkName): DecodedBitcoinAddress {
  if (typeof address !== 'string' || address.length === 0) throw invalid(String(address), 'empty');
  if (address.length > 90) throw invalid(address, 'longer than 90 characters');
  const sep = address.lastIndexOf('1');
  const hrp = sep > 0 ? address.slice(0, sep).toLowerCase() : '';
  const segNet = Object.values(BITCOIN_NETWORKS).find((n) => n.bech32 === hrp);
  if (segNet) {
    if (network && segNet.name !== network) throw invalid(address, `a ${segNet.name} address, expected ${network}`);
    return decodeSegwit(address, segNet);
  }
  let raw: Uint8Array;
  try {
    raw = b58.decode(address);
  } catch {
    throw invalid(address, 'neither bech32 with a known prefix (bc, tb, bcrt) nor Base58');
  }
  if (raw.length !== 25) throw invalid(address, `Base58 payload is ${raw.length} bytes, expected 25`);
  const check = sha256d(raw.subarray(0, 21));
  if (check[0] !== raw[21] || check[1] !== raw[22] || check[2] !== raw[23] || check[3] !== raw[24]) {
    throw invalid(address, 'Base58Check checksum does not match (a typo?)');
  }
  const hash = raw.slice(1, 21);
  for (const n of BASE58_NETWORKS) {
    const name: BitcoinNetworkName = network === 'regtest' && n.name === 'testnet' ? 'regtest' : n.name;
    if (network && name !== network) continue;
    if (raw[0] === n.pubKeyHash) return { network: name, type: 'p2pkh', program: hash, script: p2pkhScript(hash) };
    if (raw[0] === n.scriptHash) return { network: name, type: 'p2sh', program: hash, script: p2shScript(hash) };
  }
  throw invalid(address, `unknown Base58 version byte 0x${raw[0].toString(16).padStart(2, '0')}${network ? ` for ${network}` : ''}`);
}

function decodeSegwit(address: string, network: BitcoinNetwork): DecodedBitcoinAddress {
  let decoded: { prefix: string; words: number[] } | undefined;
  let variant: 'bech32' | 'bech32m' | undefined;
  try {
    decoded = bech32.decode(address as `${string}1${string}`, 90);
    variant = 'bech32';
  } catch {
    try {
      decoded = bech32m.decode(address as `${string}1${string}`, 90);
      variant = 'bech32m';
    } catch {
      throw invalid(address, 'bad bech32/bech32m checksum, character or case');
    }
  }
  if (decoded.words.length === 0) throw invalid(address, 'no witness version');
  const version = decoded.words[0];
  if (version > 16) throw invalid(address, `witness version ${version} > 16`);
  let program: Uint8Array;
  try {
    program = bech32.fromWords(decoded.words.slice(1));
  } catch {
    throw invalid(address, 'witness program has non-zero padding');
  }
  if (version === 0 && variant !== 'bech32') throw invalid(address, 'version 0 must use bech32, not bech32m');
  if (version !== 0 && variant !== 'bech32m') throw invalid(address, `version ${version} must use bech32m (BIP350), not bech32`);
  if (program.length < 2 || program.length > 40) throw invalid(address, `witness program of ${program.length} bytes (2–40 allowed)`);
  if (version === 0 && program.length !== 20 && program.length !== 32) {
    throw invalid(address, `version 0 program of ${program.length} bytes (20 or 32 allowed)`);
  }
  const script = new Uint8Array(2 + program.length);
  script[0] = version === 0 ? 0 : 0x50 + version;
  script[1] = program.length;
  script.set(program, 2);
  const type =
    version === 0 ? (program.length === 20 ? 'p2wpkh' : 'p2wsh') : version === 1 && program.length === 32 ? 'p2tr' : 'witness_unknown';
  return { network: network.name, type, program, script, witnessVersion: version };
}

/** OP_DUP OP_HASH160 <hash> OP_EQUALVERIFY OP_CHECKSIG */
function p2pkhScript(hash: Uint8Array): Uint8Array {
  const s = new Uint8Array(25);
  s.set([0x76, 0xa9, 0x14]);
  s.set(hash, 3);
  s.set([0x88, 0xac], 23);
  return s;
}

/** OP_HASH160 <hash> OP_EQUAL */
function p2shScript(hash: Uint8Array): Uint8Array {
  const s = new Uint8Array(23);
  s.set([0xa9, 0x14]);
  s.set(hash, 2);
  s[22] = 0x87;
  return s;
}

/** True when `address` is a valid Bitcoin address (of `network`, when given). */
export function isBitcoinAddress(address: string, network?: BitcoinNetworkName): boolean {
  try {
    decodeBitcoinAddress(address, network);
    return true;
  } catch {
    return false;
  }
}
