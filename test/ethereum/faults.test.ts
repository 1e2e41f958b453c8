/**
 * Error cases of Ethereum ingestion, injected by a fault-injecting JSON-RPC proxy on 127.0.0.1
 * in front of a real anvil: log-range limits, missing trace methods, 429s, malformed answers and
 * dropped connections. Each must give a clear result (a typed error with a code, or a result
 * that says what it could not see) and leave only whole blocks in the case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EthereumRpcSource, type EthereumRpcOptions } from '../../adapters/ethereum-rpc/index.js';
import { Case } from '../../src/case.js';
import { ethCheckpointName, ingestEthereum } from '../../src/ethereum/index.js';
import { startAnvil, type Anvil } from './helpers/anvil.js';
import { startFaultProxy, type FaultConfig, type FaultProxy } from './helpers/fault-proxy.js';
import { buildScenario, transferId, type Scenario } from './helpers/scenario.js';

let anvil: Anvil;
let scenario: Scenario;
let cleanDigest: Record<string, string>;
let emptyDigest: Record<string, string>;
const closers: (() => unknown)[] = [];
const FAST: EthereumRpcOptions = { retries: 3, backoffMs: 1 };

const direct = (options: EthereumRpcOptions = {}) => {
  const s = new EthereumRpcSource(anvil.url, options);
  closers.push(() => s.close());
  return s;
};
async function proxied(config: FaultConfig, options: EthereumRpcOptions = FAST): Promise<{ proxy: FaultProxy; source: EthereumRpcSource }> {
  const proxy = await startFaultProxy(anvil.url, config);
  const source = new EthereumRpcSource(proxy.url, options);
  closers.push(() => source.close(), () => proxy.close());
  return { proxy, source };
}
const range = () => ({ fromBlock: scenario.fromBlock, toBlock: scenario.toBlock });

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * Nothing partial: the case equals, byte for byte, a clean ingestion of exactly the blocks its
 * checkpoint records (or an empty case when there is no checkpoint).
 */
async function expectOnlyWholeBlocks(c: Case, addresses?: string[]): Promise<number> {
  const ckpt = await c.store.checkpoint<{ ranges: [number, number][] }>(ethCheckpointName(31337n, addresses));
  const reference = await Case.memory();
  let blocks = 0;
  for (const [from, to] of ckpt?.ranges ?? []) {
    await ingestEthereum(reference, direct(), { fromBlock: from, toBlock: to, ...(addresses ? { addresses } : {}) });
    blocks += to - from + 1;
  }
  expect(await c.store.digest()).toEqual(ckpt ? await reference.store.digest() : emptyDigest);
  await reference.close();
  return blocks;
}

beforeAll(async () => {
  anvil = await startAnvil();
  scenario = await buildScenario(anvil);
  const c = await Case.memory();
  emptyDigest = await c.store.digest();
  await ingestEthereum(c, direct(), range());
  cleanDigest = await c.store.digest();
  await c.close();
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await anvil?.stop();
});

describe('fault-injecting proxy: a node that limits eth_getLogs ranges', () => {
  it('splits the range until the node accepts it, and finds every token transfer', async () => {
    const watched = [scenario.actors.vendor, scenario.contracts.vendorDeposit];
    const reference = await Case.memory();
    await ingestEthereum(reference, direct(), { ...range(), addresses: watched });
    const { proxy, source } = await proxied({ maxLogRange: 3 });
    const c = await Case.memory();
    const result = await ingestEthereum(c, source, { ...range(), addresses: watched, chunkSize: 20 });
    expect(result.logRangeSplits).toBeGreaterThan(0);
    expect(proxy.seen.methods.get('eth_getLogs')).toBeGreaterThan(2);
    expect(await c.store.digest()).toEqual(await reference.store.digest());
    const tokens = (await all(c.list('transfer'))).filter((t) => t.kind === 'erc20');
    const want = scenario.expected.filter((t) => t.kind === 'erc20' && (watched.includes(t.from) || watched.includes(t.to)));
    expect(tokens.map(transferId).sort()).toEqual(want.map(transferId).sort());
    await Promise.all([c.close(), reference.close()]);
  });

  it('fails with ETH_LOGS_TOO_MANY when even one block is refused, leaving nothing partial', async () => {
    const { source } = await proxied({ maxLogRange: 0 });
    const c = await Case.memory();
    await expect(ingestEthereum(c, source, { ...range(), addresses: [scenario.actors.vendor] })).rejects.toMatchObject({ code: 'ETH_LOGS_TOO_MANY' });
    await expectOnlyWholeBlocks(c, [scenario.actors.vendor]);
    await c.close();
  });
});

describe('fault-injecting proxy: a node without trace methods', () => {
  it('says explicitly that internal transfers were not seen, and ingests everything else', async () => {
    const { source } = await proxied({ missingMethods: new Set(['debug_traceBlockByNumber', 'trace_block']) });
    const c = await Case.memory();
    const result = await ingestEthereum(c, source, range());
    expect(result.tracesAvailable).toBe(false);
    expect(result.traceMethod).toBeNull();
    expect(result.internalTransfers).toBe(0);
    expect(result.warnings.join(' ')).toMatch(/neither debug_traceBlockByNumber nor trace_block: internal ETH transfers .* NOT ingested/);
    const got = (await all(c.list('transfer'))).map(transferId).sort();
    expect(got).toEqual(scenario.expected.filter((t) => t.kind !== 'internal').map(transferId).sort());
    await c.close();
  });

  it('reads blocks ingested without traces again when a later run can trace them', async () => {
    const { source } = await proxied({ missingMethods: new Set(['debug_traceBlockByNumber', 'trace_block']) });
    const c = await Case.memory();
    await ingestEthereum(c, source, range());
    const traced = await ingestEthereum(c, direct(), range());
    expect(traced.alreadyIngested).toBe(0);
    expect(traced.internalTransfers).toBe(scenario.expected.filter((t) => t.kind === 'internal').length);
    const got = (await all(c.list('transfer'))).map(transferId).sort();
    expect(got).toEqual(scenario.expected.map(transferId).sort());
    await c.close();
  });

  it('falls back to trace_block, and to per-transaction receipts, when only those are missing', async () => {
    const { proxy, source } = await proxied({ missingMethods: new Set(['debug_traceBlockByNumber', 'eth_getBlockReceipts']) });
    const c = await Case.memory();
    const result = await ingestEthereum(c, source, range());
    expect(result.traceMethod).toBe('trace_block');
    expect(result.receiptsMethod).toBe('eth_getTransactionReceipt');
    expect(proxy.seen.methods.get('eth_getTransactionReceipt')).toBeGreaterThanOrEqual(result.txs);
    expect(await c.store.digest()).toEqual(cleanDigest);
    await c.close();
  });
});

describe('fault-injecting proxy: 429, 503, malformed bodies and dropped connections', () => {
  it.each([
    ['429 Too Many Requests', '429' as const],
    ['HTTP 503', '503' as const],
    ['a body that is not JSON', 'garbage' as const],
    ['a connection dropped before the answer', 'drop' as const],
    ['a connection dropped in the middle of the answer', 'drop-mid-body' as const],
  ])('retries a transient %s and ingests the same case', async (_name, fault) => {
    const hits = new Set([0, 3, 4, 7]);
    const { proxy, source } = await proxied({ fault: (n) => (hits.has(n) ? fault : undefined) });
    const c = await Case.memory();
    const result = await ingestEthereum(c, source, { ...range(), chunkSize: 6 });
    expect(proxy.seen.faults).toBe(4);
    expect(result.retries).toBeGreaterThanOrEqual(3); // the first fault hits eth_chainId, before the run's counters start
    expect(await c.store.digest()).toEqual(cleanDigest);
    await c.close();
  });

  it.each([
    ['429 Too Many Requests', '429' as const, 'RPC_RATE_LIMITED'],
    ['a body that is not JSON', 'garbage' as const, 'RPC_MALFORMED'],
    ['a dropped connection', 'drop' as const, 'RPC_CONNECTION'],
    ['HTTP 503', '503' as const, 'RPC_HTTP_ERROR'],
  ])('gives up on a lasting %s with %s after whole blocks only; the next run completes the case', async (_name, fault, code) => {
    const { proxy, source } = await proxied({ fault: (n) => (n >= 6 ? fault : undefined) });
    const c = await Case.memory();
    const err = await ingestEthereum(c, source, { ...range(), chunkSize: 3, prefetch: 1 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code, name: 'SourceError' });
    expect((err as Error).message).toMatch(/after 4 attempts/);
    expect(proxy.seen.requests).toBeGreaterThan(6);
    const written = await expectOnlyWholeBlocks(c);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(scenario.toBlock - scenario.fromBlock + 1);
    const rest = await ingestEthereum(c, direct(), range());
    expect(rest.alreadyIngested).toBe(written);
    expect(await c.store.digest()).toEqual(cleanDigest);
    await c.close();
  });
});

describe('fault-injecting proxy: batch limits, refused credentials, bad URLs', () => {
  it('sends a batch the node refuses as a whole again in halves', async () => {
    const { proxy, source } = await proxied({ maxBatch: 7 });
    const c = await Case.memory();
    await ingestEthereum(c, source, range());
    expect(await c.store.digest()).toEqual(cleanDigest);
    expect(proxy.seen.faults).toBeGreaterThan(0); // batches above 7 calls were refused …
    expect(proxy.seen.requests).toBe(source.stats.requests); // … and each half went out as a request of its own
    await c.close();
  });

  it('does not retry HTTP 401, and says to check the URL and API key', async () => {
    const { source } = await proxied({ fault: () => '401' });
    const c = await Case.memory();
    await expect(ingestEthereum(c, source, range())).rejects.toMatchObject({ code: 'RPC_HTTP_ERROR', message: expect.stringMatching(/HTTP 401.*API key/) });
    expect(source.stats.retries).toBe(0);
    expect(await c.store.digest()).toEqual(emptyDigest);
    await c.close();
  });

  it('refuses URLs it cannot use, and never shows credentials or paths (API keys) in its label', () => {
    expect(() => new EthereumRpcSource('not a url')).toThrow(expect.objectContaining({ code: 'RPC_BAD_URL' }));
    expect(() => new EthereumRpcSource('ws://127.0.0.1:8546')).toThrow(expect.objectContaining({ code: 'RPC_BAD_URL' }));
    const s = new EthereumRpcSource('https://user:secret@127.0.0.1:8545/v3/0123456789abcdef');
    expect(s.label).toBe('https://127.0.0.1:8545');
    s.close();
  });
});

describe('oversized answers', () => {
  it('cuts off an answer above maxResponseBytes with RPC_RESPONSE_TOO_LARGE, without retrying it', async () => {
    const s = direct({ maxResponseBytes: 4096, retries: 3, backoffMs: 1 });
    const c = await Case.memory();
    const err = await ingestEthereum(c, s, { ...range(), chunkSize: 10 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RPC_RESPONSE_TOO_LARGE', message: expect.stringMatching(/exceeds 4096 bytes.*lower chunkSize/) });
    expect(s.stats.retries).toBe(0);
    await expectOnlyWholeBlocks(c);
    await c.close();
  });
});

describe('fault-injecting proxy: malformed answers inside valid JSON-RPC', () => {
  const hex = (n: number) => `0x${n.toString(16)}`;

  it('refuses a block with a malformed transaction (ETH_MALFORMED_RESPONSE) and keeps only the blocks before it', async () => {
    const bad = scenario.fromBlock + 7;
    const { source } = await proxied({
      rewrite: (method, params, result) => {
        if (method === 'eth_getBlockByNumber' && params[0] === hex(bad)) {
          const b = result as { transactions: { value: string }[] };
          b.transactions[0].value = '0xnot-hex';
        }
        return result;
      },
    });
    const c = await Case.memory();
    const err = await ingestEthereum(c, source, { ...range(), chunkSize: 2 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ETH_MALFORMED_RESPONSE' });
    expect((err as Error).message).toMatch(/tx\.value/);
    const ckpt = await c.store.checkpoint<{ ranges: [number, number][] }>(ethCheckpointName(31337n));
    expect(ckpt!.ranges).toEqual([[scenario.fromBlock, bad - 2]]); // the round of `bad` (bad-1, bad) is not written
    await expectOnlyWholeBlocks(c);
    await c.close();
  });

  it('refuses a block whose receipts lack a transaction', async () => {
    const bad = scenario.fromBlock + 3;
    const { source } = await proxied({
      rewrite: (method, params, result) => (method === 'eth_getBlockReceipts' && params[0] === hex(bad) ? [] : result),
    });
    const c = await Case.memory();
    await expect(ingestEthereum(c, source, range())).rejects.toMatchObject({ code: 'ETH_MALFORMED_RESPONSE', message: expect.stringMatching(/no receipt/) });
    await expectOnlyWholeBlocks(c);
    await c.close();
  });

  it('refuses an answer with neither result nor error (RPC_MALFORMED)', async () => {
    // a result rewritten to undefined disappears from the JSON answer
    const { source } = await proxied({
      rewrite: (method, params, result) => (method === 'eth_getBlockByNumber' && params[0] === hex(scenario.fromBlock + 1) ? undefined : result),
    });
    const c = await Case.memory();
    await expect(ingestEthereum(c, source, range())).rejects.toMatchObject({ code: 'RPC_MALFORMED', message: expect.stringMatching(/neither result nor error/) });
    await expectOnlyWholeBlocks(c);
    await c.close();
  });

  it('refuses eth_getLogs answers outside the range asked (address-centric)', async () => {
    const { source } = await proxied({
      rewrite: (method, _params, result) => {
        if (method === 'eth_getLogs') for (const l of result as { blockNumber: string }[]) l.blockNumber = '0xffffff';
        return result;
      },
    });
    const c = await Case.memory();
    await expect(ingestEthereum(c, source, { ...range(), addresses: [scenario.actors.vendor] })).rejects.toMatchObject({
      code: 'ETH_MALFORMED_RESPONSE',
      message: expect.stringMatching(/log\.blockNumber/),
    });
    await expectOnlyWholeBlocks(c, [scenario.actors.vendor]);
    await c.close();
  });

  it('skips and counts a Transfer log with truncated data inside a good block', async () => {
    const target = scenario.expected.find((t) => t.kind === 'erc20' && t.value === 123_456_789n)!;
    const { source } = await proxied({
      rewrite: (method, _params, result) => {
        if (method !== 'eth_getBlockReceipts') return result;
        for (const r of result as { transactionHash: string; logs: { data: string }[] }[]) {
          if (r.transactionHash === target.txHash) r.logs[0].data = r.logs[0].data.slice(0, 40);
        }
        return result;
      },
    });
    const c = await Case.memory();
    const result = await ingestEthereum(c, source, range());
    expect(result.skipped).toEqual([expect.objectContaining({ reason: 'transfer-log-malformed', ref: `tx:${target.txHash}:log:0` })]);
    const got = (await all(c.list('transfer'))).map(transferId).sort();
    expect(got).toEqual(scenario.expected.filter((t) => t !== target).map(transferId).sort());
    await c.close();
  });
});
