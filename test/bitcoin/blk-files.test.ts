import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blkFileSource, blockWork } from '../../adapters/bitcoin-core/index.js';
import { Case, decodeBitcoinHeader, ingestBitcoin, InvalidInputError } from '../../src/index.js';
import { blockfilterBlocks } from './data.js';

const TESTNET_MAGIC = Buffer.from('0b110907', 'hex');
const blocks = blockfilterBlocks();
const bytesAt = (h: number) => Buffer.from(blocks.find((b) => b.height === h)!.hex, 'hex');
const block2 = bytesAt(2);
const block3 = bytesAt(3);
const orphan = bytesAt(1263442);
/** a competing block at height 3 made by the test: block 3 with another timestamp (so another hash) */
const stale3 = Buffer.from(block3);
stale3.writeUInt32LE(stale3.readUInt32LE(68) + 1, 68);

const record = (block: Buffer, magic = TESTNET_MAGIC) => {
  const size = Buffer.alloc(4);
  size.writeUInt32LE(block.length);
  return Buffer.concat([magic, size, block]);
};
const xor = (bytes: Buffer, key: Buffer) => Buffer.from(bytes.map((b, i) => b ^ key[i % 8]));

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-blk-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('blkFileSource on a blocks/ directory built from real testnet blocks', () => {
  it('ingests out-of-order, XOR-obfuscated, zero-padded blk files in chain order; stale and orphan blocks are reported, not ingested', async () => {
    const key = Buffer.from('a1b2c3d4e5f60718', 'hex');
    await writeFile(path.join(dir, 'xor.dat'), key);
    // blk00000: the child first, padding, an orphan; blk00001: the parent, then a stale sibling of the child
    await writeFile(path.join(dir, 'blk00000.dat'), xor(Buffer.concat([record(block3), Buffer.alloc(1000), record(orphan), Buffer.alloc(4096)]), key));
    await writeFile(path.join(dir, 'blk00001.dat'), xor(Buffer.concat([record(block2), record(stale3), Buffer.alloc(77)]), key));
    const c = await Case.memory();
    const order: string[] = [];
    const r = await ingestBitcoin(c, blkFileSource(dir, { network: 'testnet' }), { onProgress: (p) => order.push(p.hash!) });
    const hash2 = decodeBitcoinHeader(block2).hash;
    const hash3 = decodeBitcoinHeader(block3).hash;
    expect(order).toEqual([hash2, hash3]);
    expect(r.blocks).toBe(2);
    expect(r.skipped.map((s) => [s.id, s.code])).toEqual([
      [decodeBitcoinHeader(stale3).hash, 'BTC_STALE_BLOCK'],
      [decodeBitcoinHeader(orphan).hash, 'BTC_ORPHAN_BLOCK'],
    ]);
    expect(await c.get('block', decodeBitcoinHeader(stale3).hash)).toBeUndefined();
    expect(await c.get('block', decodeBitcoinHeader(orphan).hash)).toBeUndefined();
    expect((await c.get('block', hash3))!.prevHash).toBe(hash2);
    // a rerun resumes after the checkpoint: nothing new
    const again = await ingestBitcoin(c, blkFileSource(dir, { network: 'testnet' }));
    expect(again).toMatchObject({ blocks: 0, alreadyPresent: 0, resumedFrom: { hash: hash3, blocks: 2 } });
    await c.close();
  });

  it('reads plain files without xor.dat, and a key of zeros means no obfuscation', async () => {
    await writeFile(path.join(dir, 'blk00000.dat'), Buffer.concat([record(block2), record(block3)]));
    await writeFile(path.join(dir, 'xor.dat'), Buffer.alloc(8));
    const c = await Case.memory();
    expect((await ingestBitcoin(c, blkFileSource(dir, { network: 'testnet' }))).blocks).toBe(2);
    await c.close();
  });

  it('a wrong magic (wrong network or missing xor.dat) is BTC_BAD_MAGIC and nothing is written', async () => {
    await writeFile(path.join(dir, 'blk00000.dat'), Buffer.concat([record(block2), record(block3)]));
    await writeFile(path.join(dir, 'blk00001.dat'), record(block3, Buffer.from('f9beb4d9', 'hex')));
    const c = await Case.memory();
    const before = await c.store.digest();
    const err = await ingestBitcoin(c, blkFileSource(dir, { network: 'testnet' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).code).toBe('BTC_BAD_MAGIC');
    expect((err as Error).message).toMatch(/blk00001\.dat at byte 0/);
    expect(await c.store.digest()).toEqual(before);
    await c.close();
  });

  it('a truncated record is BTC_TRUNCATED and nothing is written', async () => {
    await writeFile(path.join(dir, 'blk00000.dat'), Buffer.concat([record(block2), record(block3).subarray(0, 150)]));
    const c = await Case.memory();
    const err = await ingestBitcoin(c, blkFileSource(dir, { network: 'testnet' })).catch((e: unknown) => e);
    expect((err as InvalidInputError).code).toBe('BTC_TRUNCATED');
    expect(await c.store.collection('block').count()).toBe(0);
    await c.close();
  });

  it('blockWork: difficulty-1 work is 2^32 + 2^0 … as Core computes (0x1d00ffff → 4295032833)', () => {
    expect(blockWork(0x1d00ffff)).toBe(4295032833n);
  });
});
