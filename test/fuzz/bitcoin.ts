/**
 * Fuzz targets of the Bitcoin wire-format decoder (src/bitcoin/decode.ts), on real data:
 *
 *   btc-tx      the 1,557 transactions of mainnet block 413,567, the transactions of the real
 *               testnet blocks of blockfilters.json (one with witness data) and the signed
 *               taproot transactions of the BIP341 vectors; mutated (mutate.ts byte plans, with
 *               the field boundaries of each transaction), and as hex through rawTxSource; and
 *               random bytes
 *   btc-block   real blocks (the testnet blocks, block 413,567 itself now and then) and blocks
 *               assembled from the header of 413,567 and a few of its transactions with a
 *               correct merkle root (splices of block parts), mutated; half of them decoded
 *               without the merkle check so that mutations reach the transaction parser
 *
 * An accepted transaction is exactly its bytes (size = length, weight and vsize consistent); an
 * accepted block is exactly its header, count and transactions.
 */
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { decodeBitcoinBlock, decodeBitcoinTx, rawTxSource, type BitcoinNetworkName } from '../../src/bitcoin/index.js';
import type { Block, Tx } from '../../src/model/index.js';
import { block413567 as block413567Raw, blockfilterBlocks, readJson } from '../bitcoin/data.js';
import type { FuzzTarget } from './harness.js';
import { applyByteOps, applyTextOps, byteOps, textOps, type ByteDoc, type ByteOp, type TextOp } from './mutate.js';

// ---------------------------------------------------------------------------------------------
// layout: where each field of a transaction or block starts (an independent walk of the format)

function varintAt(b: Uint8Array, at: number): [value: number, length: number] {
  const m = b[at];
  if (m < 0xfd) return [m, 1];
  const dv = new DataView(b.buffer, b.byteOffset + at + 1);
  if (m === 0xfd) return [dv.getUint16(0, true), 3];
  if (m === 0xfe) return [dv.getUint32(0, true), 5];
  return [Number(dv.getBigUint64(0, true)), 9];
}

/** Field boundaries and CompactSize offsets of the well-formed transaction at `b[at]`; returns its end. */
function txLayout(b: Uint8Array, at: number, bounds: number[], varints: number[]): number {
  let p = at;
  const field = (len: number) => {
    bounds.push(p);
    p += len;
  };
  const count = () => {
    bounds.push(p);
    varints.push(p);
    const [v, l] = varintAt(b, p);
    p += l;
    return v;
  };
  /** a CompactSize length and the bytes it counts */
  const bytes = () => {
    const len = count();
    p += len;
  };
  field(4);
  const segwit = b[p] === 0 && b[p + 1] === 1;
  if (segwit) field(2);
  const nIn = count();
  for (let i = 0; i < nIn; i++) {
    field(32);
    field(4);
    bytes();
    field(4);
  }
  const nOut = count();
  for (let i = 0; i < nOut; i++) {
    field(8);
    bytes();
  }
  if (segwit) {
    for (let i = 0; i < nIn; i++) {
      const items = count();
      for (let k = 0; k < items; k++) bytes();
    }
  }
  field(4);
  bounds.push(p);
  return p;
}

function txDoc(bytes: Uint8Array): ByteDoc {
  const boundaries: number[] = [];
  const varints: number[] = [];
  const end = txLayout(bytes, 0, boundaries, varints);
  if (end !== bytes.length) throw new Error(`corpus transaction layout ends at ${end} of ${bytes.length}`);
  return { bytes, boundaries, varints };
}

function blockDoc(bytes: Uint8Array): ByteDoc & { txs: [number, number][] } {
  const boundaries = [0, 4, 36, 68, 72, 76, 80];
  const varints = [80];
  const [n, l] = varintAt(bytes, 80);
  let p = 80 + l;
  const txs: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const start = p;
    p = txLayout(bytes, p, boundaries, varints);
    txs.push([start, p]);
  }
  if (p !== bytes.length) throw new Error(`corpus block layout ends at ${p} of ${bytes.length}`);
  return { bytes, boundaries, varints, txs };
}

// ---------------------------------------------------------------------------------------------
// corpus

/** Real blocks and transactions with their field boundaries. */
export interface Corpus {
  block413567: ReturnType<typeof blockDoc>;
  /** testnet blocks of blockfilters.json */
  testnet: ByteDoc[];
  txs: ByteDoc[];
  /** txid bytes (internal order) of 413,567's transactions, for assembling blocks */
  txids: Uint8Array[];
  /** 413,567's transactions */
  mainnetTxs: Uint8Array[];
}

let corpus: Corpus | undefined;

const sha256d = (b: Uint8Array) => sha256(sha256(b));

/** The real Bitcoin data the targets mutate (loaded once). */
export function loadCorpus(): Corpus {
  if (corpus) return corpus;
  const block413567 = blockDoc(new Uint8Array(block413567Raw()));
  const testnet = blockfilterBlocks().map((b) => blockDoc(Uint8Array.from(Buffer.from(b.hex, 'hex'))));
  const taproot = readJson<{ keyPathSpending: { auxiliary: { fullySignedTx: string } }[] }>('bip341_wallet_vectors.json').keyPathSpending.map(
    (k) => Uint8Array.from(Buffer.from(k.auxiliary.fullySignedTx, 'hex')),
  );
  const sliceTxs = (d: ReturnType<typeof blockDoc>) => d.txs.map(([s, e]) => d.bytes.slice(s, e));
  const mainnetTxs = sliceTxs(block413567);
  const txs = [...mainnetTxs, ...testnet.flatMap((d) => sliceTxs(d as ReturnType<typeof blockDoc>)), ...taproot].map(txDoc);
  const txids = mainnetTxs.map(sha256d);
  corpus = { block413567, testnet, txs, txids, mainnetTxs };
  return corpus;
}

// ---------------------------------------------------------------------------------------------
// invariants of accepted results

/** What an accepted transaction promises: `bytes` long, consistent weight, inputs, non-negative values. */
export function checkTx(tx: Tx, bytes: number): void {
  const { size = -1, weight = -1, vsize = -1 } = tx;
  if (!/^[0-9a-f]{64}$/.test(tx.txid)) throw new Error(`bad txid ${tx.txid}`);
  if (size !== bytes) throw new Error(`tx size ${size} but ${bytes} bytes were decoded`);
  if (weight < size || weight > 4 * size || vsize !== Math.ceil(weight / 4)) throw new Error(`inconsistent weight ${weight} / vsize ${vsize} / size ${size}`);
  if (tx.inputs.length === 0) throw new Error('accepted a transaction without inputs');
  for (const o of tx.outputs) if (typeof o.value !== 'bigint' || o.value < 0n) throw new Error(`output value ${o.value}`);
}

/** What an accepted block promises: exactly its header, count and transactions. */
function checkBlock(block: Block, bytes: Uint8Array): void {
  const n = block.txs.length;
  const countLen = n < 0xfd ? 1 : n <= 0xffff ? 3 : 5;
  const sum = block.txs.reduce((s, t) => s + (t.size ?? 0), 0);
  if (80 + countLen + sum !== bytes.length) throw new Error(`block of ${bytes.length} bytes decoded as 80 + ${countLen} + ${sum}`);
  for (const t of block.txs) {
    checkTx(t, t.size ?? -1);
    if (t.blockHash !== block.hash) throw new Error('tx without its block hash');
  }
}

// ---------------------------------------------------------------------------------------------
// targets

const network = fc.constantFrom<BitcoinNetworkName>('bitcoin', 'bitcoin', 'testnet', 'regtest');

interface TxCase {
  readonly tx: number;
  /** random bytes instead of a mutated real transaction */
  readonly random: Uint8Array | null;
  readonly ops: ByteOp[];
  readonly hex: TextOp[] | null;
  readonly network: BitcoinNetworkName;
  readonly scripts: boolean;
}

/** Mutated real transactions, as bytes or as hex through {@link rawTxSource}. */
export const btcTx: FuzzTarget<TxCase> = {
  name: 'btc-tx',
  description: 'decodeBitcoinTx / rawTxSource: mutated real transactions (413,567, testnet, BIP341 taproot), random bytes',
  runs: { test: 3000, full: 25_000 },
  boundMs: 2000,
  codes: /^BTC_/,
  setup: () => void loadCorpus(),
  arbitrary: () =>
    fc.record({
      tx: fc.nat(),
      random: fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 300 }) }),
      ops: fc.oneof({ weight: 1, arbitrary: fc.constant<ByteOp[]>([]) }, { weight: 12, arbitrary: byteOps(4) }),
      hex: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: textOps(['0x', ' ', '\n', 'zz', 'f', '00', 'ff'], { maxOps: 2, maxRepeat: 10 }) }),
      network,
      scripts: fc.boolean(),
    }),
  async run(c) {
    const { txs } = loadCorpus();
    const bytes = c.random ?? applyByteOps(txs[c.tx % txs.length], c.ops, txs);
    const options = { network: c.network, scripts: c.scripts };
    if (c.hex) {
      const hex = applyTextOps(Buffer.from(bytes).toString('hex'), c.hex);
      for await (const item of rawTxSource([hex], { ...options, onInvalid: c.scripts ? 'skip' : 'fail' })) {
        if ('skipped' in item && !/^BTC_/.test(item.skipped.code)) throw new Error(`skipped with code ${item.skipped.code}`);
      }
      return;
    }
    const tx = decodeBitcoinTx(bytes, options);
    checkTx(tx, bytes.length);
  },
};

interface BlockCase {
  /** which base: a testnet block, an assembled block, or 413,567 itself */
  readonly base: { kind: 'testnet'; i: number } | { kind: 'assembled'; picks: number[]; coinbase: boolean } | { kind: 'full' };
  readonly ops: ByteOp[];
  readonly verify: boolean;
  readonly network: BitcoinNetworkName;
  readonly scripts: boolean;
}

/** Header of 413,567 + the picked transactions, with the merkle root of their txids. */
function assemble(picks: readonly number[], coinbase: boolean): ReturnType<typeof blockDoc> {
  const c = loadCorpus();
  const n = c.block413567.txs.length;
  const idx = [...(coinbase ? [0] : []), ...picks.map((p) => 1 + (p % (n - 1)))];
  const txBytes = idx.map((i) => c.block413567.bytes.subarray(...c.block413567.txs[i]));
  let level = idx.map((i) => c.txids[i]);
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const pair = new Uint8Array(64);
      pair.set(level[i]);
      pair.set(level[i + 1] ?? level[i], 32);
      next.push(sha256d(pair));
    }
    level = next;
  }
  const header = Uint8Array.from(c.block413567.bytes.subarray(0, 80));
  header.set(level[0], 36);
  const body = Buffer.concat([header, Buffer.of(idx.length), ...txBytes]);
  return blockDoc(new Uint8Array(body.buffer, body.byteOffset, body.length));
}

/** Mutated real blocks and blocks spliced from real parts. */
export const btcBlock: FuzzTarget<BlockCase> = {
  name: 'btc-block',
  description: 'decodeBitcoinBlock: mutated real blocks (testnet, 413,567) and blocks assembled from 413,567\'s header and transactions',
  runs: { test: 300, full: 3000 },
  boundMs: 5000,
  codes: /^BTC_/,
  setup: () => void loadCorpus(),
  arbitrary: () =>
    fc.record({
      base: fc.oneof(
        { weight: 8, arbitrary: fc.record({ kind: fc.constant('testnet' as const), i: fc.nat() }) },
        { weight: 12, arbitrary: fc.record({ kind: fc.constant('assembled' as const), picks: fc.array(fc.nat(), { minLength: 0, maxLength: 7 }), coinbase: fc.boolean() }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('full' as const) }) },
      ),
      ops: fc.oneof({ weight: 1, arbitrary: fc.constant<ByteOp[]>([]) }, { weight: 10, arbitrary: byteOps(3) }),
      verify: fc.boolean(),
      network,
      scripts: fc.boolean(),
    }),
  run(c) {
    const corpus = loadCorpus();
    const base = c.base;
    if (base.kind === 'assembled' && base.picks.length === 0 && !base.coinbase) return; // nothing to assemble
    const doc = base.kind === 'full' ? corpus.block413567 : base.kind === 'testnet' ? corpus.testnet[base.i % corpus.testnet.length] : assemble(base.picks, base.coinbase);
    const bytes = applyByteOps(doc, c.ops, corpus.testnet);
    const block = decodeBitcoinBlock(bytes, { verifyMerkleRoot: c.verify, network: c.network, scripts: c.scripts });
    checkBlock(block, bytes);
  },
};
