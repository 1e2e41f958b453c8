/**
 * Output-script classification by byte pattern (no trial decoding), following Bitcoin Core's
 * `Solver` templates:
 *
 *   p2pkh            76 a9 14 <20> 88 ac
 *   p2sh             a9 14 <20> 87
 *   p2wpkh           00 14 <20>
 *   p2wsh            00 20 <32>
 *   p2tr             51 20 <32>
 *   witness_unknown  <OP_1..OP_16> <push of 2–40 bytes>   (any other v1–v16 program)
 *   p2pk             <push 33 (02|03…) or 65 (04|06|07…)> ac
 *   multisig         <OP_m> <pubkey>×n <OP_n> ae, 1 ≤ m ≤ n ≤ 16
 *   op_return        6a followed only by pushes (the pushed bytes are its data)
 *   nonstandard      anything else, including version-0 programs of other lengths
 *
 * Addresses: p2pkh/p2sh Base58Check, v0 bech32, v1+ bech32m. A p2pk output has no address of its
 * own; it gets the P2PKH address of its key, marked `addressDerived: 'p2pk-as-p2pkh'`. The hot
 * path ({@link classifyInto}) only says how the address is derived (an address-jobs.ts recipe);
 * the block decoder derives all the addresses of a block together.
 */
import type { ScriptType } from '../model/tx.js';
import {
  ADDR_BASE58_HASH,
  ADDR_BASE58_HASH160,
  ADDR_NONE,
  ADDR_SEGWIT_PROGRAM,
  deriveAddress,
  noAddress,
  setRecipe,
  type AddressRecipe,
} from './address-jobs.js';
import { toHex } from './hex.js';
import { bitcoinNetwork, type BitcoinNetwork, type BitcoinNetworkName } from './network.js';

/** What {@link classifyOutputScript} learnt from one output script. */
export interface ClassifiedScript {
  readonly scriptType: ScriptType;
  readonly address?: string;
  readonly addressDerived?: 'p2pk-as-p2pkh';
  /** hex of the pushed data of an op_return */
  readonly data?: string;
}

/** True when a push of `len` bytes starting with `first` has a public key's size and prefix. */
export function isPubkeyShape(first: number, len: number): boolean {
  if (len === 33) return first === 0x02 || first === 0x03;
  if (len === 65) return first === 0x04 || first === 0x06 || first === 0x07;
  return false;
}

/**
 * Reads the push at `pos` of `s` (up to `end`). Returns the position after it and writes the data
 * range into `out[0..1]`, or returns -1 when the opcode is not a push or the push overruns `end`.
 * OP_0, OP_1NEGATE, OP_RESERVED and OP_1..OP_16 count as pushes of an empty range, as in Core's
 * `IsPushOnly`.
 */
export function readPush(s: Uint8Array, pos: number, end: number, out: Int32Array): number {
  const op = s[pos];
  let len: number;
  let at = pos + 1;
  if (op <= 0x4b) len = op;
  else if (op === 0x4c) {
    if (at + 1 > end) return -1;
    len = s[at];
    at += 1;
  } else if (op === 0x4d) {
    if (at + 2 > end) return -1;
    len = s[at] | (s[at + 1] << 8);
    at += 2;
  } else if (op === 0x4e) {
    if (at + 4 > end) return -1;
    len = (s[at] | (s[at + 1] << 8) | (s[at + 2] << 16)) + s[at + 3] * 0x1000000;
    at += 4;
  } else if (op >= 0x4f && op <= 0x60) {
    out[0] = at;
    out[1] = at;
    return at;
  } else return -1;
  if (at + len > end) return -1;
  out[0] = at;
  out[1] = at + len;
  return at + len;
}

const PUSH = new Int32Array(2);

/** True when `s[start, end)` is `<OP_m> <pubkey>×n <OP_n> OP_CHECKMULTISIG` with 1 ≤ m ≤ n ≤ 16. */
export function isMultisigScript(s: Uint8Array, start: number, end: number): boolean {
  if (end - start < 37 || s[end - 1] !== 0xae) return false;
  const m = s[start] - 0x50;
  const n = s[end - 2] - 0x50;
  if (m < 1 || m > 16 || n < m || n > 16) return false;
  let pos = start + 1;
  for (let k = 0; k < n; k++) {
    const len = s[pos];
    if (pos + 1 + len > end - 2 || !isPubkeyShape(s[pos + 1], len)) return false;
    pos += 1 + len;
  }
  return pos === end - 2;
}

/** The reusable result of {@link classifyInto}. */
export interface MutableClassified {
  scriptType: ScriptType;
  addressDerived: 'p2pk-as-p2pkh' | undefined;
  data: string | undefined;
  /** how the address is derived from the script's bytes (`how` is `ADDR_NONE` when it has none) */
  readonly address: AddressRecipe;
}

/** A fresh {@link MutableClassified}. */
export function classifiedRecord(): MutableClassified {
  return { scriptType: 'nonstandard', addressDerived: undefined, data: undefined, address: noAddress() };
}

function set(out: MutableClassified, scriptType: ScriptType, how = ADDR_NONE, param = 0, from = 0, to = 0): void {
  out.scriptType = scriptType;
  out.addressDerived = undefined;
  out.data = undefined;
  setRecipe(out.address, how, param, from, to);
}

/**
 * Classifies the output script `s[start, end)` into `out`: its type, and how its address derives
 * from its bytes for `network`. This is the hot path of block decoding: it dispatches on length and
 * first bytes only, and allocates nothing (but the hex of an op_return's data).
 */
export function classifyInto(s: Uint8Array, network: BitcoinNetwork, start: number, end: number, out: MutableClassified): void {
  const len = end - start;
  const b0 = s[start];
  switch (len) {
    case 25:
      if (b0 === 0x76 && s[start + 1] === 0xa9 && s[start + 2] === 0x14 && s[start + 23] === 0x88 && s[start + 24] === 0xac) {
        return set(out, 'p2pkh', ADDR_BASE58_HASH, network.pubKeyHash, start + 3, start + 23);
      }
      break;
    case 23:
      if (b0 === 0xa9 && s[start + 1] === 0x14 && s[start + 22] === 0x87) {
        return set(out, 'p2sh', ADDR_BASE58_HASH, network.scriptHash, start + 2, start + 22);
      }
      break;
    case 22:
      if (b0 === 0x00 && s[start + 1] === 0x14) return set(out, 'p2wpkh', ADDR_SEGWIT_PROGRAM, 0, start + 2, end);
      break;
    case 34:
      if (s[start + 1] === 0x20) {
        if (b0 === 0x00) return set(out, 'p2wsh', ADDR_SEGWIT_PROGRAM, 0, start + 2, end);
        if (b0 === 0x51) return set(out, 'p2tr', ADDR_SEGWIT_PROGRAM, 1, start + 2, end);
      }
      break;
    case 35:
    case 67:
      if (s[end - 1] === 0xac && s[start] === len - 2 && isPubkeyShape(s[start + 1], len - 2)) {
        set(out, 'p2pk', ADDR_BASE58_HASH160, network.pubKeyHash, start + 1, end - 1);
        out.addressDerived = 'p2pk-as-p2pkh';
        return;
      }
      break;
  }
  if (len >= 4 && len <= 42 && b0 >= 0x51 && b0 <= 0x60 && s[start + 1] === len - 2) {
    return set(out, 'witness_unknown', ADDR_SEGWIT_PROGRAM, b0 - 0x50, start + 2, end);
  }
  if (b0 === 0x6a && len >= 1) {
    const data = opReturnData(s, start, end);
    if (data === undefined) return set(out, 'nonstandard');
    set(out, 'op_return');
    out.data = data;
    return;
  }
  return set(out, isMultisigScript(s, start, end) ? 'multisig' : 'nonstandard');
}

/** Classifies `s[start, end)` into a fresh {@link ClassifiedScript}. */
export function classifyOutputScript(s: Uint8Array, network: BitcoinNetwork, start = 0, end = s.length): ClassifiedScript {
  const out = classifiedRecord();
  classifyInto(s, network, start, end, out);
  const result: { -readonly [K in keyof ClassifiedScript]: ClassifiedScript[K] } = { scriptType: out.scriptType };
  if (out.address.how !== ADDR_NONE) result.address = deriveAddress(s, network, out.address);
  if (out.addressDerived !== undefined) result.addressDerived = out.addressDerived;
  if (out.data !== undefined) result.data = out.data;
  return result;
}

/** The pushed bytes after OP_RETURN as hex, or `undefined` when a non-push opcode follows. */
function opReturnData(s: Uint8Array, start: number, end: number): string | undefined {
  let pos = start + 1;
  let data = '';
  while (pos < end) {
    const next = readPush(s, pos, end, PUSH);
    if (next < 0) return undefined;
    if (PUSH[1] > PUSH[0]) data += toHex(s, PUSH[0], PUSH[1]);
    pos = next;
  }
  return data;
}

/**
 * Classifies an output script and gives its address where one exists (p2pk: the P2PKH of its key,
 * marked derived). `network` defaults to `bitcoin`.
 */
export function classifyScript(script: Uint8Array, network: BitcoinNetworkName = 'bitcoin'): ClassifiedScript {
  return classifyOutputScript(script, bitcoinNetwork(network));
}
