/**
 * The Bitcoin index sublevels of a case (declared in src/store/layout.ts, described in
 * docs/store.md) and their binary codecs:
 *
 *   btc-out    outpoint → output    key  txid(32, display order) ‖ vout(4 BE)
 *                                   value value(8 BE) ‖ scriptType(1) ‖ address (latin1, may be empty)
 *   btc-spend  outpoint → spender   key  as btc-out;  value spending txid(32) ‖ vin(4 BE)
 *   btc-atx    address → txs        key  addressId(4 BE) ‖ txid(32);  value role bits(1): 1 received, 2 spent
 *
 * Binary keys keep the indexes about half the size of hex keys and sort by address id, so all the
 * transactions of an address are one range scan.
 */
import type { Case } from '../case.js';
import type { ScriptType } from '../model/tx.js';
import { InvalidInputError } from '../model/errors.js';
import type { AnySublevel } from '../store/collection.js';
import type { StoreCodec } from '../store/codecs.js';
import { INDEX_SUBLEVELS } from '../store/layout.js';

/** The script types in the order of their 1-byte code in the output index (append only). */
export const SCRIPT_TYPE_CODES: readonly ScriptType[] = [
  'nonstandard',
  'p2pk',
  'p2pkh',
  'p2sh',
  'p2wpkh',
  'p2wsh',
  'p2tr',
  'multisig',
  'op_return',
  'witness_unknown',
];
const SCRIPT_TYPE_CODE = new Map(SCRIPT_TYPE_CODES.map((t, i) => [t, i]));

/** An output as the output index keeps it. */
export interface BitcoinIndexedOutput {
  readonly value: bigint;
  readonly scriptType: ScriptType;
  readonly address?: string;
}

/** The input that spent an outpoint. */
export interface BitcoinSpender {
  readonly txid: string;
  readonly vin: number;
}

/**
 * Writes the 32 bytes of `txid` (hex) at `b[at]`, or throws {@link InvalidInputError} `BTC_BAD_HEX`
 * when it does not give 32 bytes: the buffers here come from `Buffer.allocUnsafe`, so a short write
 * would store whatever memory the pool held in the bytes it left.
 */
function writeTxid(b: Buffer, txid: string, at: number): void {
  if (typeof txid !== 'string' || b.write(txid, at, 32, 'hex') !== 32) {
    throw new InvalidInputError(`not a txid: ${JSON.stringify(txid)} (a txid is 64 hex digits)`, { code: 'BTC_BAD_HEX' });
  }
}

/** `txid:vout` → 36 key bytes. */
export function encodeOutpoint(txid: string, vout: number): Uint8Array {
  const key = Buffer.allocUnsafe(36);
  writeTxid(key, txid, 0);
  key.writeUInt32BE(vout >>> 0, 32);
  return key;
}

const outpointCodec: StoreCodec<string> = {
  name: 'wildtrace-btc-outpoint',
  format: 'view',
  encode: (op) => {
    const i = op.lastIndexOf(':');
    return encodeOutpoint(op.slice(0, i), Number(op.slice(i + 1)));
  },
  decode: (data) => {
    const b = Buffer.from(data as Uint8Array);
    return `${b.toString('hex', 0, 32)}:${b.readUInt32BE(32)}`;
  },
};

const outputCodec: StoreCodec<BitcoinIndexedOutput> = {
  name: 'wildtrace-btc-output',
  format: 'view',
  encode: (o) => {
    const address = o.address ?? '';
    const b = Buffer.allocUnsafe(9 + address.length);
    b.writeBigUInt64BE(o.value, 0);
    b[8] = SCRIPT_TYPE_CODE.get(o.scriptType) ?? 0;
    b.write(address, 9, 'latin1');
    return b;
  },
  decode: (data) => {
    const b = Buffer.from((data as Uint8Array).buffer, (data as Uint8Array).byteOffset, (data as Uint8Array).byteLength);
    const scriptType = SCRIPT_TYPE_CODES[b[8]] ?? 'nonstandard';
    const value = b.readBigUInt64BE(0);
    return b.length > 9 ? { value, scriptType, address: b.toString('latin1', 9) } : { value, scriptType };
  },
};

const spenderCodec: StoreCodec<BitcoinSpender> = {
  name: 'wildtrace-btc-spender',
  format: 'view',
  encode: (s) => {
    const b = Buffer.allocUnsafe(36);
    writeTxid(b, s.txid, 0);
    b.writeUInt32BE(s.vin, 32);
    return b;
  },
  decode: (data) => {
    const b = Buffer.from(data as Uint8Array);
    return { txid: b.toString('hex', 0, 32), vin: b.readUInt32BE(32) };
  },
};

/** address id ‖ txid */
const addressTxKeyCodec: StoreCodec<{ id: number; txid: string }> = {
  name: 'wildtrace-btc-addrtx',
  format: 'view',
  encode: (k) => {
    const b = Buffer.allocUnsafe(36);
    b.writeUInt32BE(k.id, 0);
    writeTxid(b, k.txid, 4);
    return b;
  },
  decode: (data) => {
    const b = Buffer.from(data as Uint8Array);
    return { id: b.readUInt32BE(0), txid: b.toString('hex', 4, 36) };
  },
};

const roleCodec: StoreCodec<number> = {
  name: 'wildtrace-btc-role',
  format: 'view',
  encode: (r) => Uint8Array.of(r),
  decode: (data) => (data as Uint8Array)[0],
};

/** Role bits of an address in a transaction (btc-atx values). */
export const ROLE_RECEIVED = 1;
export const ROLE_SPENT = 2;

/** The three Bitcoin index sublevels of a case. */
export interface BitcoinIndexes {
  readonly outputs: AnySublevel;
  readonly spends: AnySublevel;
  readonly addressTxs: AnySublevel;
}

const cache = new WeakMap<Case, BitcoinIndexes>();

/** Opens (once per case) the Bitcoin index sublevels. */
export function bitcoinIndexes(c: Case): BitcoinIndexes {
  let ix = cache.get(c);
  if (!ix) {
    ix = {
      outputs: c.store.sublevel(INDEX_SUBLEVELS.btcOutputs, outpointCodec, outputCodec),
      spends: c.store.sublevel(INDEX_SUBLEVELS.btcSpends, outpointCodec, spenderCodec),
      addressTxs: c.store.sublevel(INDEX_SUBLEVELS.btcAddressTxs, addressTxKeyCodec, roleCodec),
    };
    cache.set(c, ix);
  }
  return ix;
}

/** The output `txid:vout` as ingested into the case, or `undefined`. */
export async function bitcoinOutput(c: Case, txid: string, vout: number): Promise<BitcoinIndexedOutput | undefined> {
  return (await bitcoinIndexes(c).outputs.get(`${txid}:${vout}`)) as BitcoinIndexedOutput | undefined;
}

/** The input that spends `txid:vout`, or `undefined` when no ingested transaction spends it. */
export async function bitcoinSpender(c: Case, txid: string, vout: number): Promise<BitcoinSpender | undefined> {
  return (await bitcoinIndexes(c).spends.get(`${txid}:${vout}`)) as BitcoinSpender | undefined;
}

/** One transaction of an address, as the address index records it. */
export interface BitcoinAddressTxRef {
  readonly txid: string;
  /** the address received an output in this transaction */
  readonly received: boolean;
  /** an input of this transaction spent from the address */
  readonly spent: boolean;
}

/**
 * The transactions that pay to or spend from a Bitcoin address, in txid order (one range scan of the
 * address index). Empty when the address was never seen.
 */
export async function bitcoinAddressTxs(c: Case, address: string): Promise<BitcoinAddressTxRef[]> {
  const id = await c.store.addressId({ chain: 'btc', address });
  if (id === undefined) return [];
  const out: BitcoinAddressTxRef[] = [];
  const gte = { id, txid: '00'.repeat(32) };
  const lte = { id, txid: 'ff'.repeat(32) };
  for await (const [k, role] of bitcoinIndexes(c).addressTxs.iterator({ gte, lte })) {
    const key = k as { txid: string };
    out.push({ txid: key.txid, received: (role & ROLE_RECEIVED) !== 0, spent: (role & ROLE_SPENT) !== 0 });
  }
  return out;
}
