/**
 * Bitcoin wire format → model `Block` / `Tx`, in one pass over the bytes without copies.
 *
 *   block   header(80) = version(4) prevHash(32) merkleRoot(32) time(4) bits(4) nonce(4)
 *           txCount(varint) tx×txCount
 *   tx      version(4) [marker 00, flag 01] inCount(varint) input×inCount outCount(varint)
 *           output×outCount [witness×inCount] locktime(4)
 *   input   prevTxid(32) prevVout(4) scriptSig(varint len + bytes) sequence(4)
 *   output  value(8, signed LE) script(varint len + bytes)
 *   witness itemCount(varint) then item(varint len + bytes)×itemCount
 *
 * txid = SHA-256d of the transaction without marker, flag and witness; the block hash is SHA-256d
 * of the header; both shown byte-reversed. size = all bytes, weight = 3·(size without witness)
 * + size, vsize = ⌈weight / 4⌉. The block's merkle root is checked against its txids (BIP-mandated
 * duplicate-last-hash rule), so a corrupted or truncated block is rejected, not half-read.
 * Height comes from the coinbase (BIP34) when the block is version ≥ 2 and the number is at or
 * above the network's BIP34 activation height; a source that knows the height passes it instead.
 */
import type { Block, Tx, TxInput, TxOutput } from '../model/tx.js';
import { InvalidInputError } from '../model/errors.js';
import { resetAddressMemo } from './address-memo.js';
import { sha256dInto } from './digest.js';
import { sha256d } from './hash.js';
import { hexReversed } from './hex.js';
import { revealedInputAddress } from './input-address.js';
import { bitcoinNetwork, type BitcoinNetwork, type BitcoinNetworkName } from './network.js';
import { classifyInto, type MutableClassified } from './script.js';

/** Options of {@link decodeBitcoinBlock} and {@link decodeBitcoinTx}. */
export interface DecodeBitcoinOptions {
  /** network whose address encoding to use (default `bitcoin`) */
  network?: BitcoinNetworkName;
  /** the block's height when the source knows it (default: BIP34 height from the coinbase) */
  height?: number;
  /**
   * keep each input's `scriptSig` and each output's `script` as hex (default `false`: addresses,
   * types, values, witnesses and op_return data are kept; the raw scripts double the memory)
   */
  scripts?: boolean;
  /** check the header's merkle root against the txids (default `true`) */
  verifyMerkleRoot?: boolean;
}

const BIP34_HEIGHT: Record<BitcoinNetworkName, number> = { bitcoin: 227931, testnet: 21111, regtest: 1 };

/**
 * The consensus limit on a block (BIP141, every network): 4 000 000 weight units, weight being
 * 3 × the size without witness data + the full size. So no block is over 4 000 000 bytes either.
 */
export const MAX_BLOCK_WEIGHT = 4_000_000;

function tooLarge(what: string): InvalidInputError {
  return new InvalidInputError(
    `${what}, above the consensus limit of ${MAX_BLOCK_WEIGHT} weight units: no Bitcoin network accepts it. ` +
      'It is a corrupted record or not a Bitcoin block; it was not ingested.',
    { code: 'BTC_BLOCK_TOO_LARGE' },
  );
}
/** the smallest possible input (36 outpoint + 1 script length + 4 sequence) and output (8 + 1) */
const MIN_INPUT = 41;
const MIN_OUTPUT = 9;
const ZERO_TXID = '0'.repeat(64);
const CLASSIFIED: MutableClassified = { scriptType: 'nonstandard', address: undefined, addressDerived: undefined, data: undefined };

function truncated(what: string, at: number, need: number, have: number): InvalidInputError {
  return new InvalidInputError(
    `truncated Bitcoin data: ${what} at byte ${at} needs ${need} bytes but only ${have} remain; ` +
      'the block or transaction was cut short (check the export or the hex you pasted)',
    { code: 'BTC_TRUNCATED' },
  );
}

/** A bounds-checked little-endian cursor over a Buffer. */
class Reader {
  pos: number;
  constructor(
    readonly buf: Buffer,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  need(n: number, what: string): void {
    if (this.pos + n > this.end) throw truncated(what, this.pos, n, this.end - this.pos);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++];
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** a CompactSize; like Bitcoin Core, refuses one written longer than needed (non-canonical) */
  varint(what: string): number {
    const at = this.pos;
    const b = this.u8(what);
    if (b < 0xfd) return b;
    let v: number;
    if (b === 0xfd) {
      this.need(2, what);
      v = this.buf.readUInt16LE(this.pos);
      this.pos += 2;
      if (v >= 0xfd) return v;
    } else if (b === 0xfe) {
      v = this.u32(what);
      if (v > 0xffff) return v;
    } else {
      this.need(8, what);
      v = this.buf.readUInt32LE(this.pos);
      const hi = this.buf.readUInt32LE(this.pos + 4);
      this.pos += 8;
      if (hi !== 0) throw new InvalidInputError(`${what} at byte ${at} is an absurd count (≥ 2³²)`, { code: 'BTC_BAD_TX' });
    }
    throw new InvalidInputError(
      `${what} at byte ${at} is a non-canonical CompactSize (${v} written in ${this.pos - at} bytes); Bitcoin Core refuses such data: it was altered`,
      { code: what.startsWith('block') ? 'BTC_BAD_BLOCK' : 'BTC_BAD_TX' },
    );
  }

  /** a count of items of at least `minSize` bytes each, bounded by the bytes left */
  count(what: string, minSize: number): number {
    const at = this.pos;
    const n = this.varint(what);
    if (n * minSize > this.end - this.pos) {
      throw new InvalidInputError(
        `${what} at byte ${at} says ${n}, more than the ${this.end - this.pos} remaining bytes can hold; the data is truncated or not a Bitcoin ${what.split(' ')[0]}`,
        { code: 'BTC_TRUNCATED' },
      );
    }
    return n;
  }

  /** skips a var-length byte string, returning its start (its end is `this.pos`) */
  bytes(what: string): number {
    const len = this.varint(what);
    this.need(len, what);
    const start = this.pos;
    this.pos += len;
    return start;
  }
}

/** Per-decode state: the network and the block fields every tx carries. */
interface TxContext {
  readonly network: BitcoinNetwork;
  blockHash?: string;
  blockHeight?: number;
  time?: number;
  /** keep scriptSig and output script hex */
  readonly scripts: boolean;
  /** txid bytes (internal order) of each decoded tx, 32 per tx, for the merkle check */
  readonly txids: Uint8Array;
  /** how many txids are in `txids` */
  count: number;
}

let scratch = Buffer.allocUnsafe(1 << 16);
/** scriptSig [start, end) of each input of the tx being read */
let sigRanges = new Int32Array(2 * 1024);

/** SHA-256d of the three non-witness parts of a segwit transaction into `out[outOff]`. */
function strippedTxid(buf: Buffer, start: number, bodyStart: number, bodyEnd: number, lockStart: number, out: Uint8Array, outOff: number): void {
  const len = 4 + (bodyEnd - bodyStart) + 4;
  if (scratch.length < len) scratch = Buffer.allocUnsafe(Math.max(len, scratch.length * 2));
  buf.copy(scratch, 0, start, start + 4);
  buf.copy(scratch, 4, bodyStart, bodyEnd);
  buf.copy(scratch, len - 4, lockStart, lockStart + 4);
  sha256dInto(scratch, 0, len, out, outOff);
}

function readTx(r: Reader, ctx: TxContext): Tx {
  const buf = r.buf;
  const start = r.pos;
  const version = r.u32('tx version');
  let segwit = false;
  if (r.pos + 1 < r.end && buf[r.pos] === 0x00 && buf[r.pos + 1] !== 0x00) {
    if (buf[r.pos + 1] !== 0x01) {
      throw new InvalidInputError(`transaction at byte ${start} has unknown segwit flag 0x${buf[r.pos + 1].toString(16)} (only 0x01 exists)`, {
        code: 'BTC_BAD_TX',
      });
    }
    segwit = true;
    r.pos += 2;
  }
  const bodyStart = r.pos;
  const nIn = r.count('input count', MIN_INPUT);
  if (nIn === 0) throw new InvalidInputError(`transaction at byte ${start} has no inputs`, { code: 'BTC_BAD_TX' });
  const inputs: TxInput[] = new Array(nIn);
  if (sigRanges.length < nIn * 2) sigRanges = new Int32Array(nIn * 2);
  let coinbase = false;
  for (let i = 0; i < nIn; i++) {
    r.need(36, 'input outpoint');
    const op = r.pos;
    const prevVout = buf.readUInt32LE(op + 32);
    r.pos += 36;
    const sigStart = r.bytes('input scriptSig');
    const sigEnd = r.pos;
    const sequence = r.u32('input sequence');
    sigRanges[2 * i] = sigStart;
    sigRanges[2 * i + 1] = sigEnd;
    if (nIn === 1 && prevVout === 0xffffffff && isZero32(buf, op)) {
      coinbase = true;
      inputs[i] = { prevTxid: ZERO_TXID, prevVout, sequence, scriptSig: buf.toString('hex', sigStart, sigEnd), coinbase: true };
    } else {
      const prevTxid = hexReversed(buf, op, op + 32);
      // without witness the scriptSig alone decides: derive now and build the object in its final shape
      const found = segwit ? undefined : revealedInputAddress(buf, sigStart, sigEnd, undefined, ctx.network);
      const input: TxInput = found
        ? { prevTxid, prevVout, sequence, address: found.address, scriptType: found.scriptType, addressSource: 'input' }
        : { prevTxid, prevVout, sequence };
      if (ctx.scripts && sigEnd > sigStart) (input as { scriptSig?: string }).scriptSig = buf.toString('hex', sigStart, sigEnd);
      inputs[i] = input;
    }
  }
  const nOut = r.count('output count', MIN_OUTPUT);
  const outputs: TxOutput[] = new Array(nOut);
  const c = CLASSIFIED;
  for (let n = 0; n < nOut; n++) {
    r.need(8, 'output value');
    // one BigInt from a safe integer (every real amount is below 2⁵³); readBigInt64LE builds it from parts
    const hi = buf.readInt32LE(r.pos + 4);
    const value = hi >= 0 && hi < 0x200000 ? BigInt(hi * 0x100000000 + buf.readUInt32LE(r.pos)) : buf.readBigInt64LE(r.pos);
    if (value < 0n) throw new InvalidInputError(`output ${n} of the transaction at byte ${start} has a negative value`, { code: 'BTC_BAD_TX' });
    r.pos += 8;
    const s = r.bytes('output script');
    const e = r.pos;
    classifyInto(buf, ctx.network, s, e, c);
    const out: TxOutput =
      c.address === undefined ? { n, value, scriptType: c.scriptType } : { n, value, scriptType: c.scriptType, address: c.address };
    if (c.addressDerived !== undefined) (out as { addressDerived?: string }).addressDerived = c.addressDerived;
    if (c.data !== undefined) (out as { data?: string }).data = c.data;
    if (ctx.scripts) (out as { script?: string }).script = buf.toString('hex', s, e);
    outputs[n] = out;
  }
  const bodyEnd = r.pos;
  let witnesses: Uint8Array[][] | undefined;
  if (segwit) {
    witnesses = new Array(nIn);
    let any = false;
    for (let i = 0; i < nIn; i++) {
      const items = r.count('witness item count', 1);
      const stack: Uint8Array[] = new Array(items);
      const hex: string[] = new Array(items);
      for (let k = 0; k < items; k++) {
        const a = r.bytes('witness item');
        stack[k] = buf.subarray(a, r.pos);
        hex[k] = buf.toString('hex', a, r.pos);
      }
      witnesses[i] = stack;
      if (items > 0) {
        any = true;
        (inputs[i] as { witness?: string[] }).witness = hex;
      }
    }
    if (!any) throw new InvalidInputError(`transaction at byte ${start} has the segwit marker but no witness data`, { code: 'BTC_BAD_TX' });
  }
  const witnessEnd = r.pos;
  const locktime = r.u32('tx locktime');
  const end = r.pos;
  if ((ctx.count + 1) * 32 > ctx.txids.length) throw new RangeError('txid buffer too small');
  const at = ctx.count++ * 32;
  if (segwit) strippedTxid(buf, start, bodyStart, bodyEnd, witnessEnd, ctx.txids, at);
  else sha256dInto(buf, start, end, ctx.txids, at);
  if (segwit && !coinbase) {
    for (let i = 0; i < nIn; i++) {
      const found = revealedInputAddress(buf, sigRanges[2 * i], sigRanges[2 * i + 1], witnesses?.[i], ctx.network);
      if (found) {
        const input = inputs[i];
        input.address = found.address;
        input.scriptType = found.scriptType;
        input.addressSource = 'input';
      }
    }
  }
  const size = end - start;
  const baseSize = segwit ? size - 2 - (witnessEnd - bodyEnd) : size;
  const weight = baseSize * 3 + size;
  const txid = hexReversed(ctx.txids, at, at + 32);
  const vsize = Math.ceil(weight / 4);
  if (ctx.blockHash === undefined) return { chain: 'btc', txid, version, locktime, size, vsize, weight, inputs, outputs };
  const tx: Tx = { chain: 'btc', txid, version, locktime, size, vsize, weight, blockHash: ctx.blockHash, time: ctx.time, inputs, outputs };
  if (ctx.blockHeight !== undefined) (tx as { blockHeight?: number }).blockHeight = ctx.blockHeight;
  return tx;
}

function isZero32(buf: Uint8Array, at: number): boolean {
  for (let i = at; i < at + 32; i++) if (buf[i] !== 0) return false;
  return true;
}

function asBuffer(bytes: Uint8Array, what: string): Buffer {
  if (!(bytes instanceof Uint8Array)) {
    throw new InvalidInputError(`${what} must be a Uint8Array (or Buffer) of raw bytes; for hex use the *Hex variant or fromHex()`, {
      code: 'BTC_BAD_INPUT',
    });
  }
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes one raw transaction (with or without witness) into a model {@link Tx}: txid, version,
 * locktime, size/vsize/weight, every output classified with its address, every input's prevout,
 * sequence, witness and — where the input reveals it — address. Throws {@link InvalidInputError}
 * (`BTC_TRUNCATED`, `BTC_BAD_TX`, `BTC_TRAILING_BYTES`) for bytes that are not exactly one transaction.
 */
export function decodeBitcoinTx(bytes: Uint8Array, options: DecodeBitcoinOptions = {}): Tx {
  const buf = asBuffer(bytes, 'decodeBitcoinTx input');
  resetAddressMemo();
  const r = new Reader(buf, 0, buf.length);
  const tx = readTx(r, { network: bitcoinNetwork(options.network), scripts: options.scripts ?? false, txids: new Uint8Array(32), count: 0 });
  if (r.pos !== buf.length) {
    throw new InvalidInputError(`${buf.length - r.pos} bytes follow the transaction; pass exactly one transaction`, { code: 'BTC_TRAILING_BYTES' });
  }
  return tx;
}

/** The raw 80-byte header fields of a block. */
export interface BitcoinBlockHeader {
  readonly hash: string;
  readonly version: number;
  readonly prevHash: string;
  readonly merkleRoot: string;
  readonly time: number;
  readonly bits: number;
  readonly nonce: number;
}

/** Decodes the 80-byte header at `bytes[offset]` (no transactions). */
export function decodeBitcoinHeader(bytes: Uint8Array, offset = 0): BitcoinBlockHeader {
  const buf = asBuffer(bytes, 'block header');
  if (buf.length - offset < 80) throw truncated('block header', offset, 80, buf.length - offset);
  const h = buf.subarray(offset, offset + 80);
  return {
    hash: hexReversed(sha256d(h)),
    version: h.readUInt32LE(0),
    prevHash: hexReversed(h, 4, 36),
    merkleRoot: hexReversed(h, 36, 68),
    time: h.readUInt32LE(68),
    bits: h.readUInt32LE(72),
    nonce: h.readUInt32LE(76),
  };
}

/** The BIP34 height pushed at the start of a coinbase scriptSig, or `undefined`. */
function bip34Height(scriptSigHex: string | undefined): number | undefined {
  if (!scriptSigHex) return undefined;
  const s = Buffer.from(scriptSigHex.slice(0, 10), 'hex');
  const len = s[0];
  if (len < 1 || len > 4 || s.length < 1 + len) return undefined;
  let h = 0;
  for (let i = len; i >= 1; i--) h = h * 256 + s[i];
  if (s[len] & 0x80) return undefined; // negative CScriptNum
  return h;
}

/** The merkle root of `n` txids (32 bytes each, internal order); overwrites `hashes`. */
function merkleRoot(hashes: Uint8Array, n: number): Uint8Array {
  const pair = new Uint8Array(64);
  while (n > 1) {
    const next = Math.ceil(n / 2);
    for (let i = 0; i < n; i += 2) {
      pair.set(hashes.subarray(i * 32, i * 32 + 32), 0);
      const j = i + 1 < n ? i + 1 : i;
      pair.set(hashes.subarray(j * 32, j * 32 + 32), 32);
      sha256dInto(pair, 0, 64, hashes, (i >> 1) * 32);
    }
    n = next;
  }
  return hashes.subarray(0, 32);
}

/**
 * Decodes one raw block into a model {@link Block}: header hash, prevHash, time, height (given, or
 * BIP34) and every transaction as {@link decodeBitcoinTx} does, each carrying its block's hash,
 * height and time. Throws {@link InvalidInputError} `BTC_TRUNCATED`, `BTC_BAD_TX`,
 * `BTC_MERKLE_MISMATCH` or `BTC_TRAILING_BYTES` for anything that is not exactly one valid block,
 * and `BTC_BLOCK_TOO_LARGE` above {@link MAX_BLOCK_WEIGHT} (checked on the size before decoding
 * and on the weight after), so a hostile record costs at most the decoding of 4 MB.
 */
export function decodeBitcoinBlock(bytes: Uint8Array, options: DecodeBitcoinOptions = {}): Block {
  const buf = asBuffer(bytes, 'decodeBitcoinBlock input');
  if (buf.length > MAX_BLOCK_WEIGHT) throw tooLarge(`the block is ${buf.length} bytes, so it weighs at least ${buf.length}`);
  resetAddressMemo();
  const header = decodeBitcoinHeader(buf);
  const network = bitcoinNetwork(options.network);
  const r = new Reader(buf, 80, buf.length);
  const nTx = r.count('block tx count', 60);
  const txsStart = r.pos;
  if (nTx === 0) throw new InvalidInputError(`block ${header.hash} has no transactions`, { code: 'BTC_BAD_BLOCK' });
  const txids = new Uint8Array(nTx * 32);
  // the coinbase comes first: read it to learn the height the other txs carry
  const ctx: TxContext = { network, scripts: options.scripts ?? false, txids, count: 0 };
  const first = readTx(r, ctx);
  let height = options.height;
  if (height === undefined && header.version >= 2) {
    const h = bip34Height(first.inputs[0]?.scriptSig);
    if (h !== undefined && h >= BIP34_HEIGHT[network.name]) height = h;
  }
  ctx.blockHash = header.hash;
  ctx.blockHeight = height;
  ctx.time = header.time;
  const txs: Tx[] = new Array(nTx);
  txs[0] = { ...first, blockHash: header.hash, ...(height === undefined ? {} : { blockHeight: height }), time: header.time };
  if (!ctx.scripts) delete (txs[0].inputs[0] as { scriptSig?: string }).scriptSig;
  for (let i = 1; i < nTx; i++) txs[i] = readTx(r, ctx);
  if (r.pos !== buf.length) {
    throw new InvalidInputError(`${buf.length - r.pos} bytes follow the last transaction of block ${header.hash}; pass exactly one block`, {
      code: 'BTC_TRAILING_BYTES',
    });
  }
  let weight = 4 * txsStart; // the header and the tx count carry no witness
  for (const tx of txs) weight += tx.weight ?? 4 * (tx.size ?? 0);
  if (weight > MAX_BLOCK_WEIGHT) throw tooLarge(`block ${header.hash} weighs ${weight}`);
  if (options.verifyMerkleRoot ?? true) {
    const root = hexReversed(merkleRoot(txids, nTx));
    if (root !== header.merkleRoot) {
      throw new InvalidInputError(
        `block ${header.hash}: its transactions hash to merkle root ${root}, but the header says ${header.merkleRoot}; the block is corrupted`,
        { code: 'BTC_MERKLE_MISMATCH' },
      );
    }
  }
  return { chain: 'btc', hash: header.hash, ...(height === undefined ? {} : { height }), prevHash: header.prevHash, time: header.time, txs };
}
