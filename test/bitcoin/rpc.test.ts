import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as bitcoin from 'bitcoinjs-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BitcoinRpcClient, rpcBlockSource } from '../../adapters/bitcoin-core/index.js';
import { Case, decodeBitcoinBlock, ingestBitcoin, InvalidInputError, SourceError, type BitcoinItemWithPrevouts, type Block, type TxOutput } from '../../src/index.js';
import { BLOCK_413567_HASH, block413567, blockfilterBlocks } from './data.js';
import { BitcoindFixture } from './fixtures/bitcoind.js';

const raw = block413567();
const testnet = blockfilterBlocks();
const tb = (h: number) => Buffer.from(testnet.find((b) => b.height === h)!.hex, 'hex');

let main: BitcoindFixture;
let test: BitcoindFixture;
let dir: string;
beforeAll(async () => {
  main = await new BitcoindFixture({ chain: 'main', blocks: [{ height: 413567, raw }], user: 'analyst', password: 's3cret', network: bitcoin.networks.bitcoin }).start();
  test = await new BitcoindFixture({
    chain: 'test',
    blocks: [2, 3].map((height) => ({ height, raw: tb(height) })),
    user: 'analyst',
    password: 's3cret',
    network: bitcoin.networks.testnet,
  }).start();
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-rpc-'));
});
afterAll(async () => {
  await main.stop();
  await test.stop();
  await rm(dir, { recursive: true, force: true });
});

const auth = { user: 'analyst', password: 's3cret' };

describe('Bitcoin Core JSON-RPC against a protocol fixture on 127.0.0.1 serving real blocks', () => {
  it('getblockchaininfo and batched getblockhash', async () => {
    const client = new BitcoinRpcClient({ url: test.url, ...auth });
    expect(await client.getBlockchainInfo()).toMatchObject({ chain: 'test', blocks: 3 });
    const before = test.requests.length;
    const hashes = await client.batch<string>([2, 3].map((h) => ({ method: 'getblockhash', params: [h] })));
    expect(hashes).toEqual([decodeBitcoinBlock(tb(2), { network: 'testnet' }).hash, decodeBitcoinBlock(tb(3), { network: 'testnet' }).hash]);
    expect(test.requests.length).toBe(before + 1); // one HTTP request for the batch
    expect(Array.isArray(test.requests[before])).toBe(true);
  });

  it.each([0, 2, 3] as const)('ingests block 413,567 at verbosity %i with the same transactions as the raw decoder', async (verbosity) => {
    const c = await Case.memory();
    const r = await ingestBitcoin(c, rpcBlockSource({ url: main.url, ...auth, verbosity, from: 413567 }));
    expect(r).toMatchObject({ blocks: 1, txs: 1557, inputs: 4887, outputs: 3581 });
    const stored = await c.get('block', BLOCK_413567_HASH);
    expect(stored).toMatchObject({ height: 413567, time: 1464307123 });
    const reference = decodeBitcoinBlock(raw);
    const sample = reference.txs[77];
    const got = (await c.get('tx', `btc:${sample.txid}`))!;
    expect(got.outputs).toEqual(sample.outputs);
    expect(got.inputs.map((i) => i.prevTxid)).toEqual(sample.inputs.map((i) => i.prevTxid));
    await c.close();
  });

  it('verbosity 3 answers carry the prevouts, classified by wildtrace, with satoshi values', async () => {
    const items: unknown[] = [];
    for await (const item of rpcBlockSource({ url: main.url, ...auth, verbosity: 3, from: 413567 })(undefined)) items.push(item);
    expect(items).toHaveLength(1);
    const { block, prevouts } = items[0] as BitcoinItemWithPrevouts & { block: Block };
    // the fixture knows the prevouts of spends inside its block: each must equal that output
    const outputs = new Map<string, TxOutput>(block.txs.flatMap((t) => t.outputs.map((o) => [`${t.txid}:${o.n}`, o] as [string, TxOutput])));
    expect(prevouts.size).toBeGreaterThan(0);
    for (const [outpoint, p] of prevouts) {
      expect(p.value).toBe(outputs.get(outpoint)!.value);
      expect(p.address).toBe(outputs.get(outpoint)!.address);
    }
  });

  it('auth by cookie file, a height range, and resuming after the checkpoint height', async () => {
    const cookieFile = path.join(dir, '.cookie');
    await writeFile(cookieFile, `${test.cookie}\n`);
    const c = await Case.memory();
    const first = await ingestBitcoin(c, rpcBlockSource({ url: test.url, cookieFile, from: 2, to: 2 }));
    expect(first.checkpoint).toMatchObject({ height: 2, blocks: 1 });
    const rest = await ingestBitcoin(c, rpcBlockSource({ url: test.url, cookieFile }));
    expect(rest).toMatchObject({ blocks: 1, resumedFrom: { height: 2 }, checkpoint: { height: 3, blocks: 2 } });
    await c.close();
  });
});

describe('RPC errors are typed and write nothing', () => {
  /**
   * Ingests block 413,567 with `fault` injected from request `faultAfter` on; returns the error. The
   * time limit is 30 s, so a stalled CI machine does not turn the fault's error into HTTP_TIMEOUT
   * (a 2 MB getblock answer); the timeout test sets its own short one.
   */
  async function failing(fault: BitcoindFixture['fault'], options: Record<string, unknown> = {}, faultAfter = 0) {
    main.fault = fault;
    main.faultAfter = main.requests.length + faultAfter;
    const c = await Case.memory();
    const before = await c.store.digest();
    try {
      const err = await ingestBitcoin(c, rpcBlockSource({ url: main.url, ...auth, retries: 0, timeoutMs: 30_000, from: 413567, ...options })).catch((e: unknown) => e);
      expect(await c.store.digest()).toEqual(before);
      return err as Error & { code: string };
    } finally {
      main.fault = 'none';
      await c.close();
    }
  }

  it('401: wrong password', async () => {
    const err = await failing('none', { password: 'wrong' });
    expect(err).toBeInstanceOf(SourceError);
    expect(err.code).toBe('BTC_RPC_UNAUTHORIZED');
    expect(err.message).toMatch(/rpcuser\/rpcpassword or the cookie file/);
  });

  it('500 with a non-JSON body', async () => {
    const err = await failing('http500');
    expect(err.code).toBe('BTC_RPC_BAD_RESPONSE');
  });

  it('an RPC error (HTTP 500 with Core error JSON): height out of range', async () => {
    const client = new BitcoinRpcClient({ url: main.url, ...auth });
    const err = await client.call('getblockhash', [999_999]).catch((e: unknown) => e as SourceError);
    expect(err).toMatchObject({ code: 'BTC_RPC_ERROR' });
    expect((err as Error).message).toMatch(/Block height out of range \(RPC code -8\)/);
  });

  it('timeout: a node that never answers', async () => {
    const err = await failing('hang', { timeoutMs: 1500 }, 2);
    expect(err.code).toBe('HTTP_TIMEOUT');
  });

  it('malformed JSON', async () => {
    const err = await failing('malformed');
    expect(err.code).toBe('BTC_RPC_BAD_RESPONSE');
  });

  it('truncated block hex (verbosity 0) and truncated tx hex (verbosity 2)', async () => {
    const e0 = await failing('truncatedHex', { verbosity: 0 });
    expect(e0).toBeInstanceOf(InvalidInputError);
    expect(['BTC_BAD_HEX', 'BTC_TRUNCATED']).toContain(e0.code);
    const e2 = await failing('truncatedHex', { verbosity: 2 });
    expect(e2).toBeInstanceOf(InvalidInputError);
  });

  it('503 while warming up is retried with backoff, then succeeds', async () => {
    main.fault = 'unavailable';
    main.faultAfter = main.requests.length;
    const client = new BitcoinRpcClient({ url: main.url, ...auth, retries: 3, backoffMs: 50 });
    setTimeout(() => (main.fault = 'none'), 80);
    expect(await client.getBlockchainInfo()).toMatchObject({ chain: 'main' });
  });
});
