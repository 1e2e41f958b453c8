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
 *
 * Like script.ts this only says how the address derives from the input's bytes (an
 * address-jobs.ts recipe); the block decoder derives the addresses of a whole block together.
 */
import type { ScriptType } from '../model/tx.js';
import { segwitAddress } from './address.js';
import {
  ADDR_BASE58_HASH160,
  ADDR_LITERAL,
  ADDR_SEGWIT_HASH160,
  ADDR_SEGWIT_SHA256,
  noAddress,
  setRecipe,
  type AddressRecipe,
} from './address-jobs.js';
import type { BitcoinNetwork } from './network.js';
import { isMultisigScript, isPubkeyShape, readPush } from './script.js';
import { isControlBlock, taprootOutputKey } from './taproot.js';

/** What {@link revealInto} learnt from an input: the type of script it spends and how its address derives. */
export interface MutableRevealed {
  scriptType: ScriptType;
  readonly address: AddressRecipe;
}

/** A fresh {@link MutableRevealed}. */
export function revealedRecord(): MutableRevealed {
  return { scriptType: 'nonstandard', address: noAddress() };
}

const MAX_PUSHES = 32;
const pushes = new Int32Array(MAX_PUSHES * 2);
const push = new Int32Array(2);

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

function found(out: MutableRevealed, scriptType: ScriptType, how: number, param: number, from: number, to: number): true {
  out.scriptType = scriptType;
  setRecipe(out.address, how, param, from, to);
  return true;
}

/**
 * Whether the input with scriptSig `tx[sigStart, sigEnd)` and witness items `wit[2k], wit[2k + 1]`
 * for k in [wFrom, wFrom + wCount) (ranges into `tx`) reveals its address; if so, writes the
 * script type and the address's recipe into `out`.
 */
export function revealInto(
  tx: Uint8Array,
  sigStart: number,
  sigEnd: number,
  wit: Int32Array,
  wFrom: number,
  wCount: number,
  network: BitcoinNetwork,
  out: MutableRevealed,
): boolean {
  if (sigEnd > sigStart) {
    const n = splitPushes(tx, sigStart, sigEnd);
    if (n <= 0) return false;
    const lastStart = pushes[2 * n - 2];
    const lastEnd = pushes[2 * n - 1];
    const lastLen = lastEnd - lastStart;
    if (wCount > 0) {
      // nested segwit: the scriptSig is exactly one push of the v0 program (the redeem script)
      if (n === 1 && tx[lastStart] === 0x00 && ((lastLen === 22 && tx[lastStart + 1] === 0x14) || (lastLen === 34 && tx[lastStart + 1] === 0x20))) {
        return found(out, 'p2sh', ADDR_BASE58_HASH160, network.scriptHash, lastStart, lastEnd);
      }
      return false;
    }
    if (n === 2 && isPubkeyShape(tx[lastStart], lastLen) && isSignatureShape(tx, pushes[0], pushes[1])) {
      return found(out, 'p2pkh', ADDR_BASE58_HASH160, network.pubKeyHash, lastStart, lastEnd);
    }
    // P2SH multisig: OP_0 (the CHECKMULTISIG dummy), m signatures, the redeem script
    if (n >= 3 && pushes[1] === pushes[0] && tx[sigStart] === 0x00 && isMultisigScript(tx, lastStart, lastEnd)) {
      return found(out, 'p2sh', ADDR_BASE58_HASH160, network.scriptHash, lastStart, lastEnd);
    }
    return false;
  }
  if (wCount === 0) return false;
  const w = 2 * wFrom; // item k is wit[w + 2k], wit[w + 2k + 1]
  const lastFrom = wit[w + 2 * wCount - 2];
  const lastTo = wit[w + 2 * wCount - 1];
  const lastLen = lastTo - lastFrom;
  if (wCount === 2 && lastLen === 33 && (tx[lastFrom] === 0x02 || tx[lastFrom] === 0x03) && isSignatureShape(tx, wit[w], wit[w + 1])) {
    return found(out, 'p2wpkh', ADDR_SEGWIT_HASH160, 0, lastFrom, lastTo);
  }
  if (wCount === 1 && (lastLen === 64 || lastLen === 65)) return false; // taproot key path
  // taproot: drop an annex (last item 0x50…, with at least two items), then a script-path spend ends
  // with <script> <control block>
  const annex = wCount >= 2 && lastLen > 0 && tx[lastFrom] === 0x50 ? 1 : 0;
  const n = wCount - annex;
  if (n >= 2) {
    const control = tx.subarray(wit[w + 2 * n - 2], wit[w + 2 * n - 1]);
    if (isControlBlock(control)) {
      const key = taprootOutputKey(tx.subarray(wit[w + 2 * n - 4], wit[w + 2 * n - 3]), control);
      if (!key) return false;
      found(out, 'p2tr', ADDR_LITERAL, 1, 0, 0);
      out.address.literal = segwitAddress(network, 1, key);
      return true;
    }
  }
  if (annex || lastLen === 0) return false; // a key-path spend with an annex; an empty witness script
  return found(out, 'p2wsh', ADDR_SEGWIT_SHA256, 0, lastFrom, lastTo);
}
