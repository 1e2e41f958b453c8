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
 *
 * Decoding runs in two passes. The first reads every transaction, builds the model objects and
 * queues what needs hashing: each tx's non-witness bytes (its txid) and each address (an
 * address-jobs.ts recipe: HASH160s of keys and scripts, Base58Check checksums). The second hashes
 * each kind in one batch (digest-batch.ts) and fills the txids and addresses in.
 */
import type { Block, Tx, TxInput, TxOutput } from '../model/tx.js';
import { InvalidInputError } from '../model/errors.js';
import { ADDR_NONE, AddressJobs } from './address-jobs.js';
import { sha256dMany } from './digest-batch.js';
import { sha256d } from './hash.js';
import { hexReversed } from './hex.js';
import { revealedRecord, revealInto } from './input-address.js';
import { AddressedOutput, BlockTx, LooseTx, PlainInput, PlainOutput, RevealingInput } from './model-objects.js';
import { bitcoinNetwork, type BitcoinNetwork, type BitcoinNetworkName } from './network.js';
import { classifiedRecord, classifyInto } from './script.js';
import { growInt32 } from './grow.js';

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
const CLASSIFIED = classifiedRecord();
const REVEALED = revealedRecord();
const NO_ITEMS: unknown[] = [];

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

/**
 * The state of one decode call: the block fields every tx carries, and what the second pass
 * fills in (see the module comment). One instance is reused by every call: decoding is
 * synchronous, and no caller code runs between {@link begin} and {@link release} (the options are
 * read before), so no other decode can start on it meanwhile.
 */
class DecodeState {
  network!: BitcoinNetwork;
  blockHash: string | undefined;
  blockHeight: number | undefined;
  time: number | undefined;
  /** read the BIP34 height from the next coinbase */
  wantHeight = false;
  /** keep scriptSig and output script hex */
  scripts = false;
  readonly jobs = new AddressJobs();
  /** inputs and outputs waiting for the address of a job */
  readonly fillInputs: TxInput[] = [];
  fillInputJobs = new Int32Array(1024);
  readonly fillOutputs: TxOutput[] = [];
  fillOutputJobs = new Int32Array(1024);
  /** the txs read, in order, waiting for their txids (the block's `txs` array itself) */
  txs = NO_ITEMS.slice() as Tx[];
  /** [start, end) in the message of each tx without witness, and the tx's index */
  plainRanges = new Int32Array(1024);
  plainIndex = new Int32Array(512);
  nPlain = 0;
  /** the non-witness bytes of each segwit tx, copied back to back */
  stripped = new Uint8Array(1 << 16);
  strippedEnd = 0;
  strippedRanges = new Int32Array(256);
  strippedIndex = new Int32Array(128);
  nStripped = 0;
  /** witness item ranges of the tx being read */
  wit = new Int32Array(256);
  /** scriptSig [start, end) of each input of the tx being read */
  sigRanges = new Int32Array(2 * 1024);
  /** txid bytes (internal order), 32 per tx, after {@link hashTxids} */
  txids = new Uint8Array(32 * 1024);

  begin(buf: Uint8Array, network: BitcoinNetwork, scripts: boolean): void {
    this.network = network;
    this.scripts = scripts;
    this.blockHash = undefined;
    this.blockHeight = undefined;
    this.time = undefined;
    this.wantHeight = false;
    this.jobs.begin(buf, network);
    this.nPlain = 0;
    this.nStripped = 0;
    this.strippedEnd = 0;
  }

  /**
   * Drops every reference to the objects of the call, so that nothing of a decoded block outlives
   * it here (they would be kept alive, and copied by the GC, while the next block is decoded).
   */
  release(): void {
    this.fillInputs.length = 0;
    this.fillOutputs.length = 0;
    this.txs = NO_ITEMS.slice() as Tx[];
    this.jobs.release();
  }

  /** queues the address job of an input */
  fillInput(input: TxInput, job: number): void {
    const k = this.fillInputs.push(input) - 1;
    this.fillInputJobs = growInt32(this.fillInputJobs, k + 1);
    this.fillInputJobs[k] = job;
  }

  fillOutput(output: TxOutput, job: number): void {
    const k = this.fillOutputs.push(output) - 1;
    this.fillOutputJobs = growInt32(this.fillOutputJobs, k + 1);
    this.fillOutputJobs[k] = job;
  }

  /** queues the txid of tx `index`: its bytes `buf[start, end)` */
  plainTxid(index: number, start: number, end: number): void {
    const k = this.nPlain++;
    this.plainRanges = growInt32(this.plainRanges, 2 * k + 2);
    this.plainIndex = growInt32(this.plainIndex, k + 1);
    this.plainRanges[2 * k] = start;
    this.plainRanges[2 * k + 1] = end;
    this.plainIndex[k] = index;
  }

  /** queues the txid of segwit tx `index`: version, body and locktime without marker, flag and witness */
  strippedTxid(index: number, buf: Buffer, start: number, bodyStart: number, bodyEnd: number, lockStart: number): void {
    const len = 4 + (bodyEnd - bodyStart) + 4;
    let at = this.strippedEnd;
    if (this.stripped.length < at + len) {
      const bigger = new Uint8Array(Math.max(at + len, this.stripped.length * 2));
      bigger.set(this.stripped.subarray(0, at));
      this.stripped = bigger;
    }
    const m = this.stripped;
    buf.copy(m, at, start, start + 4);
    buf.copy(m, at + 4, bodyStart, bodyEnd);
    buf.copy(m, at + len - 4, lockStart, lockStart + 4);
    const k = this.nStripped++;
    this.strippedRanges = growInt32(this.strippedRanges, 2 * k + 2);
    this.strippedIndex = growInt32(this.strippedIndex, k + 1);
    this.strippedRanges[2 * k] = at;
    this.strippedRanges[2 * k + 1] = at += len;
    this.strippedIndex[k] = index;
    this.strippedEnd = at;
  }

  /** The second pass: every address and every txid. */
  finish(buf: Uint8Array): void {
    const { jobs } = this;
    jobs.resolve();
    const addresses = jobs.addresses;
    for (let k = 0; k < this.fillInputs.length; k++) this.fillInputs[k].address = addresses[this.fillInputJobs[k]];
    for (let k = 0; k < this.fillOutputs.length; k++) (this.fillOutputs[k] as { address: string }).address = addresses[this.fillOutputJobs[k]];
    this.hashTxids(buf);
    const { txs, txids } = this;
    for (let i = 0; i < txs.length; i++) (txs[i] as { txid: string }).txid = hexReversed(txids, 32 * i, 32 * i + 32);
  }

  private scratch = new Uint8Array(32 * 256);

  /** hashes the queued txids into {@link txids}, in tx order */
  private hashTxids(buf: Uint8Array): void {
    const n = this.txs.length;
    // one spare hash: the merkle check duplicates the last hash of an odd level there
    if (this.txids.length < 32 * n + 32) this.txids = new Uint8Array(64 * n + 32);
    if (this.nStripped === 0) {
      sha256dMany(buf, this.plainRanges, this.nPlain, this.txids);
      return;
    }
    const most = Math.max(this.nPlain, this.nStripped);
    if (this.scratch.length < 32 * most) this.scratch = new Uint8Array(64 * most);
    const { txids, scratch } = this;
    sha256dMany(buf, this.plainRanges, this.nPlain, scratch);
    scatter(scratch, this.plainIndex, this.nPlain, txids);
    sha256dMany(this.stripped, this.strippedRanges, this.nStripped, scratch);
    scatter(scratch, this.strippedIndex, this.nStripped, txids);
  }
}

/** copies hash k of `from` to hash `index[k]` of `to`, for k < n */
function scatter(from: Uint8Array, index: Int32Array, n: number, to: Uint8Array): void {
  for (let k = 0; k < n; k++) {
    const a = 32 * k;
    const b = 32 * index[k];
    for (let i = 0; i < 32; i++) to[b + i] = from[a + i];
  }
}

const state = new DecodeState();

/** Reads one transaction (first pass): its txid and addresses are queued in `st`. */
function readTx(r: Reader, st: DecodeState): Tx {
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
  const inputs: TxInput[] = NO_ITEMS.slice() as TxInput[];
  if (st.sigRanges.length < nIn * 2) st.sigRanges = new Int32Array(nIn * 2);
  const sigRanges = st.sigRanges;
  const network = st.network;
  const rev = REVEALED;
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
      if (st.wantHeight) st.blockHeight = bip34Height(buf, sigStart, sigEnd, network.name);
      // a block drops its coinbase's scriptSig unless scripts are kept; a lone transaction keeps it
      inputs[i] =
        st.scripts || st.blockHash === undefined
          ? { prevTxid: ZERO_TXID, prevVout, sequence, scriptSig: buf.toString('hex', sigStart, sigEnd), coinbase: true }
          : { prevTxid: ZERO_TXID, prevVout, sequence, coinbase: true };
    } else {
      const prevTxid = hexReversed(buf, op, op + 32);
      // without witness the scriptSig alone decides: build the object in its final shape now
      let input: TxInput;
      if (!segwit && revealInto(buf, sigStart, sigEnd, st.wit, 0, 0, network, rev)) {
        input = new RevealingInput(prevTxid, prevVout, sequence, '', rev.scriptType);
        st.fillInput(input, st.jobs.add(rev.address));
      } else input = new PlainInput(prevTxid, prevVout, sequence);
      if (st.scripts && sigEnd > sigStart) (input as { scriptSig?: string }).scriptSig = buf.toString('hex', sigStart, sigEnd);
      inputs.push(input);
    }
  }
  const nOut = r.count('output count', MIN_OUTPUT);
  const outputs: TxOutput[] = NO_ITEMS.slice() as TxOutput[];
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
    classifyInto(buf, network, s, e, c);
    let out: TxOutput;
    if (c.address.how === ADDR_NONE) out = new PlainOutput(n, value, c.scriptType);
    else {
      out = new AddressedOutput(n, value, c.scriptType, '');
      st.fillOutput(out, st.jobs.add(c.address));
    }
    if (c.addressDerived !== undefined) (out as { addressDerived?: string }).addressDerived = c.addressDerived;
    if (c.data !== undefined) (out as { data?: string }).data = c.data;
    if (st.scripts) (out as { script?: string }).script = buf.toString('hex', s, e);
    outputs[n] = out;
  }
  const bodyEnd = r.pos;
  if (segwit) {
    let any = false;
    for (let i = 0; i < nIn; i++) {
      const items = r.count('witness item count', 1);
      if (st.wit.length < 2 * items) st.wit = new Int32Array(2 * items);
      const wit = st.wit;
      const hex = NO_ITEMS.slice() as string[];
      for (let k = 0; k < items; k++) {
        const a = r.bytes('witness item');
        wit[2 * k] = a;
        wit[2 * k + 1] = r.pos;
        hex[k] = buf.toString('hex', a, r.pos);
      }
      if (items > 0) {
        any = true;
        const input = inputs[i];
        (input as { witness?: string[] }).witness = hex;
        if (!coinbase && revealInto(buf, sigRanges[2 * i], sigRanges[2 * i + 1], wit, 0, items, network, rev)) {
          input.address = '';
          input.scriptType = rev.scriptType;
          input.addressSource = 'input';
          st.fillInput(input, st.jobs.add(rev.address));
        }
      } else if (!coinbase && revealInto(buf, sigRanges[2 * i], sigRanges[2 * i + 1], wit, 0, 0, network, rev)) {
        // an input of a segwit tx without witness of its own: its scriptSig alone decides
        const input = inputs[i];
        input.address = '';
        input.scriptType = rev.scriptType;
        input.addressSource = 'input';
        st.fillInput(input, st.jobs.add(rev.address));
      }
    }
    if (!any) throw new InvalidInputError(`transaction at byte ${start} has the segwit marker but no witness data`, { code: 'BTC_BAD_TX' });
  }
  const witnessEnd = r.pos;
  const locktime = r.u32('tx locktime');
  const end = r.pos;
  const index = st.txs.length;
  if (segwit) st.strippedTxid(index, buf, start, bodyStart, bodyEnd, witnessEnd);
  else st.plainTxid(index, start, end);
  const size = end - start;
  const baseSize = segwit ? size - 2 - (witnessEnd - bodyEnd) : size;
  const weight = baseSize * 3 + size;
  const vsize = Math.ceil(weight / 4);
  let tx: Tx;
  if (st.blockHash === undefined) tx = new LooseTx('', version, locktime, size, vsize, weight, inputs, outputs);
  else {
    tx = new BlockTx('', version, locktime, size, vsize, weight, st.blockHash, st.time, inputs, outputs);
    if (st.blockHeight !== undefined) (tx as { blockHeight?: number }).blockHeight = st.blockHeight;
  }
  st.txs.push(tx);
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
  const network = bitcoinNetwork(options.network);
  const scripts = options.scripts ?? false;
  const st = state;
  st.begin(buf, network, scripts);
  try {
    const r = new Reader(buf, 0, buf.length);
    const tx = readTx(r, st);
    if (r.pos !== buf.length) {
      throw new InvalidInputError(`${buf.length - r.pos} bytes follow the transaction; pass exactly one transaction`, { code: 'BTC_TRAILING_BYTES' });
    }
    st.finish(buf);
    return tx;
  } finally {
    st.release();
  }
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

/**
 * The BIP34 height pushed at the start of the coinbase scriptSig `buf[start, end)`, or `undefined`
 * when there is none or it is below the network's BIP34 activation height.
 */
function bip34Height(buf: Uint8Array, start: number, end: number, network: BitcoinNetworkName): number | undefined {
  const len = buf[start];
  if (end <= start || len < 1 || len > 4 || end - start < 1 + len) return undefined;
  if (buf[start + len] & 0x80) return undefined; // negative CScriptNum
  let h = 0;
  for (let i = len; i >= 1; i--) h = h * 256 + buf[start + i];
  return h >= BIP34_HEIGHT[network] ? h : undefined;
}

let level = new Uint8Array(0);
let pairRanges = new Int32Array(0);

/**
 * The merkle root of `n` txids (32 bytes each, internal order, with room for one more hash after
 * them); overwrites `hashes`. Each level is one batch: pairs of hashes, the last one doubled when
 * the level is odd (Bitcoin's rule).
 */
function merkleRoot(hashes: Uint8Array, n: number): Uint8Array {
  if (level.length < 16 * n + 32) level = new Uint8Array(32 * n + 64);
  if (pairRanges.length < n + 2) pairRanges = new Int32Array(2 * n + 4);
  let from: Uint8Array = hashes;
  let to: Uint8Array = level;
  while (n > 1) {
    if (n % 2 === 1) from.copyWithin(32 * n, 32 * (n - 1), 32 * n);
    const pairs = (n + 1) >> 1;
    for (let i = 0; i < pairs; i++) {
      pairRanges[2 * i] = 64 * i;
      pairRanges[2 * i + 1] = 64 * i + 64;
    }
    sha256dMany(from, pairRanges, pairs, to);
    const done = to;
    to = from;
    from = done;
    n = pairs;
  }
  return from.subarray(0, 32);
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
  const header = decodeBitcoinHeader(buf);
  // every option is read once, here: a getter must not run while the shared state is in use
  const network = bitcoinNetwork(options.network);
  const scripts = options.scripts ?? false;
  const givenHeight = options.height;
  const verifyMerkleRoot = options.verifyMerkleRoot ?? true;
  const r = new Reader(buf, 80, buf.length);
  const nTx = r.count('block tx count', 60);
  const txsStart = r.pos;
  if (nTx === 0) throw new InvalidInputError(`block ${header.hash} has no transactions`, { code: 'BTC_BAD_BLOCK' });
  const st = state;
  st.begin(buf, network, scripts);
  try {
    st.blockHash = header.hash;
    st.time = header.time;
    st.blockHeight = givenHeight;
    // the coinbase comes first: it gives the height (BIP34) the txs carry
    st.wantHeight = givenHeight === undefined && header.version >= 2;
    readTx(r, st);
    st.wantHeight = false;
    const height = st.blockHeight;
    for (let i = 1; i < nTx; i++) readTx(r, st);
    const txs = st.txs;
    if (r.pos !== buf.length) {
      throw new InvalidInputError(`${buf.length - r.pos} bytes follow the last transaction of block ${header.hash}; pass exactly one block`, {
        code: 'BTC_TRAILING_BYTES',
      });
    }
    let weight = 4 * txsStart; // the header and the tx count carry no witness
    for (const tx of txs) weight += tx.weight ?? 4 * (tx.size ?? 0);
    if (weight > MAX_BLOCK_WEIGHT) throw tooLarge(`block ${header.hash} weighs ${weight}`);
    st.finish(buf);
    if (verifyMerkleRoot) {
      const root = hexReversed(merkleRoot(st.txids, nTx));
      if (root !== header.merkleRoot) {
        throw new InvalidInputError(
          `block ${header.hash}: its transactions hash to merkle root ${root}, but the header says ${header.merkleRoot}; the block is corrupted`,
          { code: 'BTC_MERKLE_MISMATCH' },
        );
      }
    }
    return { chain: 'btc', hash: header.hash, ...(height === undefined ? {} : { height }), prevHash: header.prevHash, time: header.time, txs };
  } finally {
    st.release();
  }
}
