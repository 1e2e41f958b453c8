/**
 * The address an input reveals by itself, without its prevout (the templates of the spends):
 *
 *   P2PKH         scriptSig: <sig> <pubkey>                 witness: —
 *   P2SH multisig scriptSig: OP_0 <sig>… <redeem = m-of-n>  witness: —
 *   P2SH-P2WPKH   scriptSig: <00 14 {20}>                   witness: <sig> <pubkey>
 *   P2SH-P2WSH    scriptSig: <00 20 {32}>                   witness: … <witnessScript>
 *   P2WPKH        scriptSig: —                              witness: <sig> <33-byte pubkey>
 *   P2WSH         scriptSig: —                              witness: … <witnessScript>
 *   P2TR script   scriptSig: —                              witness: … <script> <control block> [<annex>]
 *
 * The address is the hash of what the spend reveals: HASH160(pubkey) for P2PKH and P2WPKH,
 * HASH160(redeem) for P2SH, SHA-256(witnessScript) for P2WSH. A Taproot key-path spend
 * (one 64/65-byte witness item, optionally followed by an annex 0x50…) reveals only a signature,
 * so its address comes from the prevout; so do P2PK spends (`<sig>` alone) and anything unknown.
 * A Taproot script-path spend (`… <script> <control block 0xc0|0xc1 ‖ P ‖ 32·m>`) reveals its output
 * key: the internal key tweaked by the merkle root of the script's path (taproot.ts, BIP341). Patterns are checked on exact sizes and prefixes, so an ambiguous input stays unresolved
 * here rather than being guessed; the prevout cross-check catches the rest.
 */
import type { ScriptType } from '../model/tx.js';
import { encodeBase58Check, segwitAddress } from './address.js';
import { memoLookup, memoStore, networkKind } from './address-memo.js';
import { hash160Into, sha256Into } from './digest.js';
import type { BitcoinNetwork } from './network.js';
import { isMultisigScript, isPubkeyShape, readPush } from './script.js';
import { isControlBlock, taprootOutputKey } from './taproot.js';

/** An address derived from an input, with the type of script it spends. */
export interface RevealedInputAddress {
  readonly address: string;
  readonly scriptType: ScriptType;
}

const MAX_PUSHES = 32;
const pushes = new Int32Array(MAX_PUSHES * 2);
const push = new Int32Array(2);
const H20 = new Uint8Array(20);
const H32 = new Uint8Array(32);

/** HASH160 of `m[start, end)` into a scratch buffer (valid until the next call). */
function h160(m: Uint8Array, start: number, end: number): Uint8Array {
  hash160Into(m, start, end, H20);
  return H20;
}

/** memo kinds (address-memo.ts): what the memoised bytes are, or-ed with the Base58 version byte */
const KIND_PUBKEY = 0x100;
const KIND_REDEEM = 0x200;
const KIND_WITNESS_PUBKEY = 0x300;

/** Base58Check(version ‖ HASH160(m[start, end))), memoised by the hashed bytes under `kind`. */
function hashedBase58(kind: number, version: number, m: Uint8Array, start: number, end: number): string {
  return memoLookup(kind, m, start, end) ?? memoStore(encodeBase58Check(version, h160(m, start, end)));
}

/** Splits a push-only script into `pushes`; returns the count, or -1 if not push-only / too many. */
function splitPushes(s: Uint8Array, start: number, end: number): number {
  let n = 0;
  let pos = start;
  while (pos < end) {
    if (n === MAX_PUSHES) return -1;
    pos = readPush(s, pos, end, push);
    if (pos < 0) return -1;
    pushes[2 * n] = push[0];
    pushes[2 * n + 1] = push[1];
    n++;
  }
  return n;
}

/** A DER signature with its sighash byte: 0x30, 9 to 73 bytes. */
function isSignatureShape(s: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  return len >= 9 && len <= 73 && s[start] === 0x30;
}

/**
 * The address revealed by an input with scriptSig `tx[sigStart, sigEnd)` and witness items
 * `witness` (views into the transaction), or `undefined` when the input does not reveal it.
 */
export function revealedInputAddress(
  tx: Uint8Array,
  sigStart: number,
  sigEnd: number,
  witness: readonly Uint8Array[] | undefined,
  network: BitcoinNetwork,
): RevealedInputAddress | undefined {
  const hasWitness = witness !== undefined && witness.length > 0;
  if (sigEnd > sigStart) {
    const n = splitPushes(tx, sigStart, sigEnd);
    if (n <= 0) return undefined;
    const lastStart = pushes[2 * n - 2];
    const lastEnd = pushes[2 * n - 1];
    const lastLen = lastEnd - lastStart;
    if (hasWitness) {
      // nested segwit: the scriptSig is exactly one push of the v0 program (the redeem script)
      if (n === 1 && tx[lastStart] === 0x00 && ((lastLen === 22 && tx[lastStart + 1] === 0x14) || (lastLen === 34 && tx[lastStart + 1] === 0x20))) {
        return { scriptType: 'p2sh', address: hashedBase58(KIND_REDEEM | network.scriptHash, network.scriptHash, tx, lastStart, lastEnd) };
      }
      return undefined;
    }
    if (n === 2 && isPubkeyShape(tx[lastStart], lastLen) && isSignatureShape(tx, pushes[0], pushes[1])) {
      return { scriptType: 'p2pkh', address: hashedBase58(KIND_PUBKEY | network.pubKeyHash, network.pubKeyHash, tx, lastStart, lastEnd) };
    }
    // P2SH multisig: OP_0 (the CHECKMULTISIG dummy), m signatures, the redeem script
    if (n >= 3 && pushes[1] === pushes[0] && tx[sigStart] === 0x00 && isMultisigScript(tx, lastStart, lastEnd)) {
      return { scriptType: 'p2sh', address: hashedBase58(KIND_REDEEM | network.scriptHash, network.scriptHash, tx, lastStart, lastEnd) };
    }
    return undefined;
  }
  if (!hasWitness) return undefined;
  const items = witness.length;
  const last = witness[items - 1];
  if (items === 2 && last.length === 33 && (last[0] === 0x02 || last[0] === 0x03) && isSignatureShape(witness[0], 0, witness[0].length)) {
    return { scriptType: 'p2wpkh', address: memoLookup(KIND_WITNESS_PUBKEY | networkKind(network), last, 0, last.length) ?? memoStore(segwitAddress(network, 0, h160(last, 0, last.length))) };
  }
  if (items === 1 && (last.length === 64 || last.length === 65)) return undefined; // taproot key path
  // taproot: drop an annex (last item 0x50…, with at least two items), then a script-path spend ends
  // with <script> <control block>
  const annex = items >= 2 && last.length > 0 && last[0] === 0x50 ? 1 : 0;
  const n = items - annex;
  if (n >= 2 && isControlBlock(witness[n - 1])) {
    const key = taprootOutputKey(witness[n - 2], witness[n - 1]);
    return key ? { scriptType: 'p2tr', address: segwitAddress(network, 1, key) } : undefined;
  }
  if (annex) return undefined; // a key-path spend with an annex
  if (last.length === 0) return undefined;
  sha256Into(last, 0, last.length, H32);
  return { scriptType: 'p2wsh', address: segwitAddress(network, 0, H32) };
}
