/**
 * Fuzz target of Bitcoin Core's block files (adapters/bitcoin-core blkFileSource): a `blocks/`
 * directory written per case in a temporary folder — `blk00000.dat` (and now and then a second
 * file) holding magic ‖ size ‖ block records of the real testnet blocks of blockfilters.json, in
 * a random order with zero padding, optionally obfuscated with an `xor.dat` key (or a key of the
 * wrong length) — mutated as bytes (mutate.ts plans, with the record and header fields as
 * boundaries and the size fields as lengths to break).
 *
 * Yielded blocks keep decode.ts's promises; what is skipped is a stale or orphan block; the rest
 * is a typed rejection.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { blkFileSource } from '../../adapters/bitcoin-core/index.js';
import { blockfilterBlocks } from '../bitcoin/data.js';
import { checkTx } from './bitcoin.js';
import type { FuzzTarget } from './harness.js';
import { applyByteOps, byteOps, type ByteOp } from './mutate.js';

const TESTNET_MAGIC = 0x0709110b;

let blocks: Buffer[] | undefined;
const loadBlocks = () => (blocks ??= blockfilterBlocks().map((b) => Buffer.from(b.hex, 'hex')));
let dir: string | undefined;

interface BlkCase {
  /** which blocks, in file order (indexes into the testnet blocks) */
  readonly records: number[];
  /** zero bytes after each record (Core preallocates) */
  readonly padding: number;
  /** records that go to a second file */
  readonly split: number | null;
  readonly xor: Uint8Array | null;
  readonly ops: ByteOp[];
}

/** One blk file of `records`, with boundaries at each record, its size field and its header fields. */
function blkFile(records: readonly Buffer[], padding: number): { bytes: Uint8Array; boundaries: number[]; varints: number[] } {
  const parts: Buffer[] = [];
  const boundaries: number[] = [];
  const sizes: number[] = [];
  let at = 0;
  for (const r of records) {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(TESTNET_MAGIC, 0);
    head.writeUInt32LE(r.length, 4);
    boundaries.push(at, at + 4, at + 8, at + 8 + 4, at + 8 + 36, at + 8 + 68, at + 8 + 72, at + 8 + 80);
    sizes.push(at + 4);
    parts.push(head, r, Buffer.alloc(padding));
    at += 8 + r.length + padding;
  }
  boundaries.push(at);
  const bytes = Buffer.concat(parts);
  return { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), boundaries, varints: sizes };
}

function write(name: string, bytes: Uint8Array, key: Uint8Array | null): void {
  const out = Buffer.from(bytes);
  if (key && key.length === 8) for (let i = 0; i < out.length; i++) out[i] ^= key[i & 7];
  writeFileSync(path.join(dir!, name), out);
}

/** Block files. */
export const blkFiles: FuzzTarget<BlkCase> = {
  name: 'blk-files',
  description: 'blkFileSource: blocks/ directories of real testnet blocks (order, padding, two files, xor.dat), mutated as bytes',
  runs: { test: 300, full: 3000 },
  boundMs: 5000,
  codes: /^BTC_/,
  setup: () => {
    loadBlocks();
    dir = mkdtempSync(path.join(tmpdir(), 'wildtrace-fuzz-blk-'));
  },
  teardown: () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  },
  arbitrary: () =>
    fc.record({
      records: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
      padding: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(300) }),
      split: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
      xor: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.uint8Array({ minLength: 8, maxLength: 8 }) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }) }),
      ops: fc.oneof({ weight: 1, arbitrary: fc.constant<ByteOp[]>([]) }, { weight: 6, arbitrary: byteOps(3) }),
    }),
  async run(c) {
    const all = loadBlocks();
    const records = c.records.map((i) => all[i % all.length]);
    const cut = c.split === null ? records.length : c.split % (records.length + 1);
    rmSync(dir!, { recursive: true, force: true });
    mkdirSync(dir!);
    write('blk00000.dat', applyByteOps(blkFile(records.slice(0, cut), c.padding), c.ops), c.xor);
    if (cut < records.length) write('blk00001.dat', blkFile(records.slice(cut), c.padding).bytes, c.xor);
    if (c.xor) writeFileSync(path.join(dir!, 'xor.dat'), c.xor);
    for await (const item of blkFileSource(dir!, { network: 'testnet' })(undefined)) {
      if ('skipped' in item) {
        if (item.skipped.code !== 'BTC_STALE_BLOCK' && item.skipped.code !== 'BTC_ORPHAN_BLOCK') throw new Error(`skipped with ${item.skipped.code}`);
        continue;
      }
      for (const t of item.txs) checkTx(t, t.size ?? -1);
    }
  },
};
