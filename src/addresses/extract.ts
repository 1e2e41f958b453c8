/**
 * Finding cryptocurrency addresses in free text (pages, listings, profiles, messages).
 *
 * Rule:
 * 1. The text is cut into *tokens*: maximal runs of ASCII letters and digits. An address must be a
 *    whole token, so `bitcoin:1Abc…?amount=1`, `/showQR/1Abc…`, `"1Abc…"` and an address between
 *    emoji all count, while `%311Abc…` (percent-encoded) or `BTC1Abc…` (glued to a word) do not:
 *    a token is never searched for an address inside it. This keeps offsets exact and rules out
 *    the false positives a regex finds inside longer hex or base58 strings (the first 40 digits of
 *    a 64-digit transaction hash are not an Ethereum address).
 * 2. A token is checked only when its first character and length fit some address format
 *    (the prefilter); then it is decoded and its checksum verified — Base58Check or
 *    bech32/bech32m (BTC, LTC), EIP-55 when mixed-case (ETH; all-lower/all-upper is accepted
 *    unchecksummed), Monero Base58 + Keccak (XMR: standard, integrated, subaddress), TRON
 *    Base58Check with prefix 0x41.
 * 3. Skipped: PGP armour blocks (see ./armour.ts) and long base64 runs — a run of base64
 *    characters `[A-Za-z0-9+/=]`, continuing across line breaks, with at least
 *    {@link BASE64_MIN_RUN} of them and at least one `+` or `/` (no address alphabet has those, so
 *    a list of addresses one per line is never skipped; a random base64 run of that size lacks
 *    both with probability ≈ 0.2 %, and is then merely scanned).
 * 4. Only mainnet addresses by default (`testnets: true` adds BTC/LTC testnet, signet, regtest and
 *    XMR testnet/stagenet).
 *
 * Offsets are UTF-16 code-unit indices into the input (JavaScript string indices), half-open.
 * The returned `address` is the canonical form (bech32 and Ethereum lower-cased); the text as
 * written is `text.slice(start, end)`.
 */
import type { Chain } from '../model/chain.js';
import { pgpArmourSpans } from './armour.js';
import { decodeBase58UtxoAddress, decodeSegwitAddress } from './bitcoin.js';
import { decodeEthereumAddress } from './ethereum.js';
import { decodeMoneroAddress } from './monero.js';
import { decodeTronAddress } from './tron.js';
import { networkOf, type DecodedAddress } from './validate.js';

/** An address found in text. */
export interface ExtractedAddress {
  readonly chain: Chain;
  /** canonical form (see {@link ExtractOptions}); the text as written is `text.slice(start, end)` */
  readonly address: string;
  /** UTF-16 offset of the first character */
  readonly start: number;
  /** UTF-16 offset just past the last character */
  readonly end: number;
}

/** Options of {@link extractAddresses}. */
export interface ExtractOptions {
  /** only report these chains (default: all five) */
  readonly chains?: readonly Chain[];
  /** also report test-network addresses (default `false`: mainnet only) */
  readonly testnets?: boolean;
  /** skip PGP armour blocks (default `true`) */
  readonly skipPgpArmour?: boolean;
  /** skip long base64 runs (default `true`) */
  readonly skipBase64?: boolean;
  /**
   * stop after this many addresses (default {@link MAX_ADDRESSES}); ask for one more than you keep
   * to learn whether the text holds more. `Infinity` lifts the bound.
   */
  readonly maxAddresses?: number;
}

/** Default of {@link ExtractOptions.maxAddresses}: more than any market page or message posts; a dump of 10⁶ stops here. */
export const MAX_ADDRESSES = 10_000;

/** Distinct tokens whose decoding is remembered per call; the memo starts over beyond this. */
const MEMO_SIZE = 4096;

/** Minimum number of base64 characters in a run that extraction skips. */
export const BASE64_MIN_RUN = 200;

// Character classes of ASCII: 1 = letter or digit, 2 = '+' or '/', 3 = '='.
const CLASS = new Uint8Array(128);
for (let c = 48; c <= 57; c++) CLASS[c] = 1;
for (let c = 65; c <= 90; c++) CLASS[c] = 1;
for (let c = 97; c <= 122; c++) CLASS[c] = 1;
CLASS[43] = 2;
CLASS[47] = 2;
CLASS[61] = 3;

const MIN_TOKEN = 14; // shortest SegWit address (bc1 + v1 + 2-byte program)
const MAX_TOKEN = 106; // Monero integrated address

/**
 * Finds cryptocurrency addresses in `text`, each validated by its checksum, in text order, at most
 * `maxAddresses` of them (default {@link MAX_ADDRESSES}). Never throws on any string; runs in time
 * linear in the text (only tokens that pass the shape prefilter are decoded, and a repeated token
 * once, from a bounded memo) and in memory bounded by `maxAddresses`.
 *
 * @example
 * extractAddresses('pay to bc1qa5wkgaew2dkv56kfvj49j0av5nml45x9ek9hz6 please')
 * // → [{ chain: 'btc', address: 'bc1qa5wk…', start: 7, end: 49 }]
 */
export function extractAddresses(text: string, options: ExtractOptions = {}): ExtractedAddress[] {
  const out: ExtractedAddress[] = [];
  if (typeof text !== 'string' || text.length < MIN_TOKEN) return out;
  const testnets = options.testnets ?? false;
  const chains = options.chains ? new Set(options.chains) : undefined;
  const skipBase64 = options.skipBase64 ?? true;
  const max = options.maxAddresses ?? MAX_ADDRESSES;
  if (!(max > 0)) return out;
  const skips = options.skipPgpArmour === false ? [] : pgpArmourSpans(text);
  const n = text.length;
  const candidates: number[] = []; // start, end pairs of tokens that passed the length prefilter
  const seen = new Map<string, DecodedAddress | null>(); // each distinct token is decoded once per call
  let k = 0;
  let i = 0;
  while (i < n) {
    while (k < skips.length && skips[k][1] <= i) k++;
    if (k < skips.length && i >= skips[k][0]) {
      i = skips[k][1];
      continue;
    }
    const c = text.charCodeAt(i);
    if (c >= 128 || CLASS[c] === 0) {
      i++;
      continue;
    }
    // One pass over a block of base64-class characters (possibly several lines, up to the next
    // skip): note its letters-and-digits tokens of a plausible length as we go.
    const limit = k < skips.length ? skips[k][0] : n;
    let j = i;
    let chars = 0;
    let plusOrSlash = false;
    let tokenStart = -1;
    candidates.length = 0;
    while (j < limit) {
      const d = text.charCodeAt(j);
      const cls = d < 128 ? CLASS[d] : 0;
      if (cls === 1) {
        if (tokenStart < 0) tokenStart = j;
        chars++;
        j++;
        continue;
      }
      if (tokenStart >= 0) {
        const len = j - tokenStart;
        if (len >= MIN_TOKEN && len <= MAX_TOKEN) candidates.push(tokenStart, j);
        tokenStart = -1;
      }
      if (cls !== 0) {
        if (cls === 2) plusOrSlash = true;
        chars++;
        j++;
        continue;
      }
      if (d === 10 || d === 13) {
        let t = j + 1;
        if (d === 13 && t < limit && text.charCodeAt(t) === 10) t++;
        const e = t < limit ? text.charCodeAt(t) : 0;
        if (e !== 0 && e < 128 && CLASS[e] !== 0) {
          j = t;
          continue;
        }
      }
      break;
    }
    if (tokenStart >= 0) {
      const len = j - tokenStart;
      if (len >= MIN_TOKEN && len <= MAX_TOKEN) candidates.push(tokenStart, j);
    }
    if (!(skipBase64 && plusOrSlash && chars >= BASE64_MIN_RUN)) {
      for (let m = 0; m < candidates.length; m += 2) {
        const found = decodeCached(text, candidates[m], candidates[m + 1], testnets, seen);
        if (found && (testnets || networkOf(found) === 'mainnet') && (!chains || chains.has(found.chain))) {
          out.push({ chain: found.chain, address: found.address, start: candidates[m], end: candidates[m + 1] });
          if (out.length >= max) return out;
        }
      }
    }
    i = j;
  }
  return out;
}

/** {@link decodeToken}, remembering the answer for tokens that reach a decoder. */
function decodeCached(text: string, s: number, e: number, testnets: boolean, seen: Map<string, DecodedAddress | null>): DecodedAddress | undefined {
  if (!mayDecode(text, s, e, testnets)) return undefined;
  const token = text.slice(s, e);
  const hit = seen.get(token);
  if (hit !== undefined) return hit ?? undefined;
  const found = decodeToken(text, s, e, testnets);
  if (seen.size >= MEMO_SIZE) seen.clear(); // bounded memory on a text of many distinct tokens
  seen.set(token, found ?? null);
  return found;
}

/** Cheap shape test: can any decoder accept a token with this first character and length? */
function mayDecode(text: string, s: number, e: number, testnets: boolean): boolean {
  const len = e - s;
  const c0 = text.charCodeAt(s);
  if (len === 42 || len === 95 || len === 106) return true;
  const l0 = c0 | 0x20;
  if (len <= 90 && (l0 === 0x62 || l0 === 0x6c || (testnets && (l0 === 0x74 || l0 === 0x72)))) return true;
  if (len < 26 || len > 35) return false;
  return c0 === 0x54 || c0 === 0x31 || c0 === 0x33 || c0 === 0x4c || c0 === 0x4d || (testnets && (c0 === 0x32 || c0 === 0x6d || c0 === 0x6e || c0 === 0x51));
}

/** The shape prefilter, then the one decoder that the shape allows. */
function decodeToken(text: string, s: number, e: number, testnets: boolean): DecodedAddress | undefined {
  const len = e - s;
  const c0 = text.charCodeAt(s);
  const c1 = text.charCodeAt(s + 1) | 0x20; // lower-cased second character
  if (len === 42 && c0 === 0x30 /* 0 */ && text.charCodeAt(s + 1) === 0x78 /* x */) {
    return decodeEthereumAddress(text.slice(s, e));
  }
  if (len === 95 || len === 106) return decodeMoneroAddress(text.slice(s, e));
  const l0 = c0 | 0x20;
  // bech32: bc1 / ltc1 (mainnet); tb1 / bcrt1 / tltc1 / rltc1 (test networks)
  if (len <= 90 && ((l0 === 0x62 && c1 === 0x63) || (l0 === 0x6c && c1 === 0x74) || (testnets && (l0 === 0x74 || l0 === 0x72)))) {
    const seg = decodeSegwitAddress(text.slice(s, e));
    if (seg) return seg;
  }
  if (len < 26 || len > 35) return undefined;
  if (c0 === 0x54 /* T */) return len === 34 ? decodeTronAddress(text.slice(s, e)) : undefined;
  // Base58Check: 1 / 3 (BTC), L / M (LTC); 2 / m / n (BTC test), Q (LTC test)
  if (c0 === 0x31 || c0 === 0x33 || c0 === 0x4c || c0 === 0x4d || (testnets && (c0 === 0x32 || c0 === 0x6d || c0 === 0x6e || c0 === 0x51))) {
    return decodeBase58UtxoAddress(text.slice(s, e));
  }
  return undefined;
}
