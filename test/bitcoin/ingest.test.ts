import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as bitcoin from 'bitcoinjs-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bitcoinAddressTxs,
  bitcoinOutput,
  bitcoinSpender,
  Case,
  decodeBitcoinBlock,
  ingestBitcoin,
  InvalidInputError,
  rawBlockSource,
  rawTxSource,
  type Block,
  type BitcoinPrevout,
} from '../../src/index.js';
import { BLOCK_413567_HASH, block413567 } from './data.js';

const raw = block413567();
const refTxs = bitcoin.Block.fromBuffer(raw).transactions!;
const rawTxs = refTxs.map((t) => t.toBuffer());

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-btc-ingest-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ingestBitcoin: block 413,567 into an on-disk case', () => {
  it('writes one block with its txs and indexes, counts everything, and resolves in-block spends', async () => {
    const c = await Case.open(path.join(dir, 'case'));
    const progress: unknown[] = [];
    const r = await ingestBitcoin(c, rawBlockSource([raw]), { onProgress: (p) => progress.push(p) });
    expect(r).toMatchObject({ blocks: 1, txs: 1557, inputs: 4887, outputs: 3581, alreadyPresent: 0, skipped: [], mismatches: [] });
    expect(progress).toEqual([{ blocks: 1, txs: 1557, hash: BLOCK_413567_HASH, height: 413567 }]);
    expect(r.checkpoint).toEqual({ hash: BLOCK_413567_HASH, height: 413567, blocks: 1 });
    // every non-coinbase input is resolved (spends an output earlier in this block) or counted
    const block = decodeBitcoinBlock(raw);
    const inBlock = new Set(block.txs.flatMap((t) => t.outputs.map((o) => `${t.txid}:${o.n}`)));
    const spendsInBlock = block.txs.slice(1).flatMap((t) => t.inputs).filter((i) => inBlock.has(`${i.prevTxid}:${i.prevVout}`)).length;
    expect(spendsInBlock).toBeGreaterThan(0);
    expect(r.unresolved).toBe(4886 - spendsInBlock);
    expect(r.unresolvedInputs).toHaveLength(100);

    const stored = await c.get('block', BLOCK_413567_HASH);
    expect(stored?.txids).toEqual(block.txs.map((t) => t.txid));
    const tx = block.txs[1];
    expect(await c.get('tx', `btc:${tx.txid}`)).toMatchObject({ txid: tx.txid, outputs: tx.outputs });
    expect(await bitcoinOutput(c, tx.txid, 0)).toEqual({ value: tx.outputs[0].value, scriptType: tx.outputs[0].scriptType, address: tx.outputs[0].address });
    expect(await bitcoinSpender(c, tx.inputs[0].prevTxid, tx.inputs[0].prevVout)).toEqual({ txid: tx.txid, vin: 0 });
    const refs = await bitcoinAddressTxs(c, tx.outputs[0].address!);
    expect(refs).toContainEqual(expect.objectContaining({ txid: tx.txid, received: true }));
    const spender = await bitcoinAddressTxs(c, tx.inputs[0].address!);
    expect(spender).toContainEqual(expect.objectContaining({ txid: tx.txid, spent: true }));
    await c.close();
  });

  it('resolves prevouts from the case output index and cross-checks revealed addresses against them', async () => {
    const c = await Case.memory();
    const half = 700;
    const first = await ingestBitcoin(c, rawTxSource(rawTxs.slice(0, half)));
    expect(first.txs).toBe(half);
    const second = await ingestBitcoin(c, rawTxSource(rawTxs.slice(half)));
    expect(second.mismatches).toEqual([]);
    // inputs of the second half spending outputs of the first half are resolved from the index
    const firstIds = new Set(refTxs.slice(0, half).map((t) => t.getId()));
    let fromIndex = 0;
    for (const t of refTxs.slice(half)) {
      const stored = (await c.get('tx', `btc:${t.getId()}`))!;
      for (const input of stored.inputs) {
        if (!firstIds.has(input.prevTxid)) continue;
        fromIndex++;
        const parent = (await c.get('tx', `btc:${input.prevTxid}`))!;
        const out = parent.outputs[input.prevVout];
        expect(input.value).toBe(out.value);
        expect(input.address).toBe(out.address); // revealed (P2PKH/P2SH) and prevout agree
      }
    }
    expect(fromIndex).toBeGreaterThan(0);
    await c.close();
  });

  it('is idempotent: ingesting the same block twice writes nothing new (same store digest)', async () => {
    const c = await Case.memory();
    await ingestBitcoin(c, rawBlockSource([raw]));
    const before = await c.store.digest();
    const again = await ingestBitcoin(c, rawBlockSource([raw]));
    expect(again).toMatchObject({ blocks: 0, txs: 0, alreadyPresent: 1 });
    expect(await c.store.digest()).toEqual(before);
    await c.close();
  });

  it('refuses a second ingestion under the same checkpoint while one runs (CASE_BUSY); another checkpoint runs alongside', async () => {
    const c = await Case.memory();
    const first = ingestBitcoin(c, rawBlockSource([raw]));
    await expect(ingestBitcoin(c, rawBlockSource([raw]))).rejects.toMatchObject({ code: 'CASE_BUSY', message: expect.stringContaining('checkpoint bitcoin') });
    const other = ingestBitcoin(c, rawBlockSource([raw]), { checkpoint: 'second-source' });
    const [a, b] = await Promise.all([first, other]);
    expect([a.blocks + a.alreadyPresent, b.blocks + b.alreadyPresent]).toEqual([1, 1]);
    // both may have written the block (each looked before the other committed): the writes are the
    // same keys and values, so the store equals one run's, whatever the checkpoints say
    const reference = await Case.memory();
    await ingestBitcoin(reference, rawBlockSource([raw]));
    const evidence = (d: Record<string, string>) => Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'ckpt' && k !== '*'));
    expect(evidence(await c.store.digest())).toEqual(evidence(await reference.store.digest()));
    await reference.close();
    // released: the same checkpoint may run again
    expect(await ingestBitcoin(c, rawBlockSource([raw]))).toMatchObject({ blocks: 0, alreadyPresent: 1 });
    await c.close();
  });

  it('resumes after an abort: the committed units stay, a rerun completes them, and the result equals one clean run', async () => {
    const units = rawTxs.slice(0, 200);
    const clean = await Case.memory();
    await ingestBitcoin(clean, rawTxSource(units));
    const expected = await clean.store.digest();
    await clean.close();

    const c = await Case.open(path.join(dir, 'case'));
    const ac = new AbortController();
    let seen = 0;
    await expect(
      ingestBitcoin(c, rawTxSource(units), {
        signal: ac.signal,
        onProgress: () => {
          if (++seen === 50) ac.abort(new Error('operator stopped'));
        },
      }),
    ).rejects.toThrow('operator stopped');
    await c.close(); // as after a crash: reopen from disk
    const reopened = await Case.open(path.join(dir, 'case'));
    expect(await reopened.store.collection('tx').count()).toBe(50);
    const rest = await ingestBitcoin(reopened, rawTxSource(units));
    expect(rest).toMatchObject({ txs: 150, alreadyPresent: 50 });
    expect(await reopened.store.digest()).toEqual(expected);
    await reopened.close();
  });

  it('gives a source function the checkpoint to resume after', async () => {
    const c = await Case.memory();
    const blocks = [raw];
    await ingestBitcoin(c, rawBlockSource(blocks));
    let resume: unknown;
    await ingestBitcoin(c, (cp) => {
      resume = cp;
      return [];
    });
    expect(resume).toEqual({ hash: BLOCK_413567_HASH, height: 413567, blocks: 1 });
    await c.close();
  });

  it('onUnresolved: "fail" refuses the block with a typed error and writes nothing', async () => {
    const c = await Case.memory();
    const before = await c.store.digest();
    const err = await ingestBitcoin(c, rawBlockSource([raw]), { onUnresolved: 'fail' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).code).toBe('BTC_UNRESOLVED_INPUTS');
    expect(await c.store.digest()).toEqual(before);
    await c.close();
  });

  it('a prevout that disagrees with the address the input reveals is an error (or reported on request)', async () => {
    const block: Block = decodeBitcoinBlock(raw);
    const tx = block.txs[1];
    const input = tx.inputs[0];
    expect(input.addressSource).toBe('input');
    const wrong: BitcoinPrevout = { value: 5n, scriptType: 'p2pkh', address: '1BShJZ8A5q53oJJfMJoEF1gfZCWdZqZwwD' };
    const prevouts = new Map([[`${input.prevTxid}:${input.prevVout}`, wrong]]);
    const c = await Case.memory();
    const before = await c.store.digest();
    const err = await ingestBitcoin(c, [{ txs: [tx], prevouts }]).catch((e: unknown) => e);
    expect((err as InvalidInputError).code).toBe('BTC_INPUT_ADDRESS_MISMATCH');
    expect((err as Error).message).toContain('1BShJZ8A5q53oJJfMJoEF1gfZCWdZqZwwD');
    expect(await c.store.digest()).toEqual(before);

    const again = decodeBitcoinBlock(raw).txs[1];
    const r = await ingestBitcoin(c, [{ txs: [again], prevouts }], { onAddressMismatch: 'report' });
    expect(r.mismatches).toEqual([{ txid: again.txid, vin: 0, revealed: input.address, prevout: wrong.address }]);
    const stored = (await c.get('tx', `btc:${again.txid}`))!;
    expect(stored.inputs[0]).toMatchObject({ address: wrong.address, value: 5n, addressSource: 'prevout' });
    await c.close();
  });

  it('a transaction whose txid is not hex is refused with BTC_BAD_HEX, even without outputs (no uninitialised index bytes)', async () => {
    // the spender and address-tx index entries of such a transaction were written from
    // Buffer.allocUnsafe with the txid's hex written only partly (here not at all): 32 bytes of
    // whatever the pool held went into the store, as the spender of the input's prevout
    const tx = decodeBitcoinBlock(raw).txs[1];
    expect(tx.inputs[0].address).toBeDefined();
    const bad = { ...tx, txid: 'not-a-txid', outputs: [] };
    const c = await Case.memory();
    const before = await c.store.digest();
    const err = await ingestBitcoin(c, [bad]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).code).toBe('BTC_BAD_HEX');
    expect((err as Error).message).toContain('not-a-txid');
    expect(await bitcoinSpender(c, tx.inputs[0].prevTxid, tx.inputs[0].prevVout)).toBeUndefined();
    expect(await c.store.digest()).toEqual(before);
    await c.close();
  });

  it('a truncated block in a raw source is a typed error (or skipped and counted with onInvalid: "skip")', async () => {
    const c = await Case.memory();
    const before = await c.store.digest();
    const hex = raw.toString('hex');
    const cut = hex.slice(0, hex.length - 101);
    const err = await ingestBitcoin(c, rawBlockSource([cut])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(['BTC_BAD_HEX', 'BTC_TRUNCATED']).toContain((err as InvalidInputError).code);
    expect(await c.store.digest()).toEqual(before);
    const r = await ingestBitcoin(c, rawBlockSource([cut.slice(0, -1), raw], { onInvalid: 'skip' }));
    expect(r.blocks).toBe(1);
    expect(r.skipped).toEqual([expect.objectContaining({ id: 'raw block #0', code: 'BTC_TRUNCATED' })]);
    await c.close();
  });
});
