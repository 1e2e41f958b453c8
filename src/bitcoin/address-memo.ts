/**
 * A memo of the addresses derived while decoding one block.
 *
 *   key    kind (an int naming the derivation) ‖ the bytes the address is derived from
 *          (a 20-byte hash, a public key, a redeem script; at most {@link MAX_KEY} bytes)
 *   value  the number of the address job (address-jobs.ts) that derives that address
 *   slot   FNV-1a of kind, length and up to 12 of the bytes, direct-mapped into {@link SLOTS} slots
 *          (a collision evicts; a hit compares every byte)
 *
 * In a block the same address comes back often: a wallet spends several coins of one key, pays
 * change to an address it also spends from, an exchange pays out from one address. Each repeat
 * otherwise costs a HASH160, a Base58Check checksum (SHA-256d) and a Base58 encoding: with the
memo it becomes one more reference to the job already queued. The memo
 * lives for one decode call only ({@link resetAddressMemo} starts a new generation, which
 * empties it in O(1)), so decoding a block twice does the full work twice.
 */

import type { BitcoinNetwork } from './network.js';

const NETWORK_BITS: Readonly<Record<BitcoinNetwork['name'], number>> = { bitcoin: 0, testnet: 1 << 12, regtest: 2 << 12 };

/**
 * The bits to or into a memo kind whose address text depends on the network beyond the Base58
 * version byte (bech32 prefixes differ between testnet and regtest).
 */
export function networkKind(network: BitcoinNetwork): number {
  return NETWORK_BITS[network.name];
}

/** Number of slots (a power of two). */
const SLOTS = 1 << 13;
/** Keys longer than this are not memoised (a redeem script of 2-of-2 multisig is 71 bytes). */
export const MAX_KEY = 72;

const slotGeneration = new Int32Array(SLOTS);
const slotKind = new Int32Array(SLOTS);
const slotLength = new Int32Array(SLOTS);
const slotBytes = new Uint8Array(SLOTS * MAX_KEY);
const slotValue = new Int32Array(SLOTS);
let generation = 1;
/** slot of the last miss of {@link memoLookup}, or -1 when the key cannot be memoised */
let pending = -1;

/** Empties the memo (call once per decoded block or transaction). */
export function resetAddressMemo(): void {
  generation = (generation + 1) | 0;
  if (generation === 0) {
    slotGeneration.fill(0);
    generation = 1;
  }
  pending = -1;
}

/**
 * The memoised job for derivation `kind` of `m[start, end)`, or -1 on a miss; after a miss,
 * {@link memoStore} records the job the caller queued for that same key.
 */
export function memoLookup(kind: number, m: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len > MAX_KEY) {
    pending = -1;
    return -1;
  }
  // FNV-1a of the length and of up to 12 bytes just before the last two: the keys are hashes, keys or
  // scripts ending in a key then two opcodes, so those bytes are random enough to spread the slots
  let h = (0x811c9dc5 ^ kind) | 0;
  h = Math.imul(h ^ len, 0x01000193);
  const hashEnd = len >= 14 ? end - 2 : end;
  for (let i = len >= 14 ? hashEnd - 12 : start; i < hashEnd; i++) h = Math.imul(h ^ m[i], 0x01000193);
  const slot = (h ^ (h >>> 15)) & (SLOTS - 1);
  if (slotGeneration[slot] === generation && slotKind[slot] === kind && slotLength[slot] === len) {
    const base = slot * MAX_KEY;
    let same = true;
    for (let i = 0; i < len; i++) {
      if (slotBytes[base + i] !== m[start + i]) {
        same = false;
        break;
      }
    }
    if (same) {
      pending = -1;
      return slotValue[slot];
    }
  }
  slotGeneration[slot] = 0; // claimed by this key; valid once memoStore fills it
  slotKind[slot] = kind;
  slotLength[slot] = len;
  const base = slot * MAX_KEY;
  for (let i = 0; i < len; i++) slotBytes[base + i] = m[start + i];
  pending = slot;
  return -1;
}

/** Records `job` for the key of the last {@link memoLookup} miss and returns it. */
export function memoStore(job: number): number {
  if (pending >= 0) {
    slotValue[pending] = job;
    slotGeneration[pending] = generation;
    pending = -1;
  }
  return job;
}
