/**
 * Ethereum ingestion against a real local node: anvil started by the test on 127.0.0.1, with
 * real contracts (contracts/*.sol) deployed and used by test/ethereum/helpers/scenario.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EthereumRpcSource } from '../../adapters/ethereum-rpc/index.js';
import { Case } from '../../src/case.js';
import type { EthTx } from '../../src/model/transfer.js';
import { checksumEthAddress, ethCheckpointName, ethCodeInfo, ethTokenMetadata, ingestEthereum, transfersOf } from '../../src/ethereum/index.js';
import { startAnvil, type Anvil } from './helpers/anvil.js';
import { buildScenario, transferId, type Scenario } from './helpers/scenario.js';
import { startSocksServer } from '../tor/socks5-server.js';

let anvil: Anvil;
let scenario: Scenario;
let cleanDigest: Record<string, string>;
const sources: EthereumRpcSource[] = [];
const source = (options?: ConstructorParameters<typeof EthereumRpcSource>[1]) => {
  const s = new EthereumRpcSource(anvil.url, options);
  sources.push(s);
  return s;
};
const range = () => ({ fromBlock: scenario.fromBlock, toBlock: scenario.toBlock });

beforeAll(async () => {
  anvil = await startAnvil();
  scenario = await buildScenario(anvil);
  const c = await Case.memory();
  await ingestEthereum(c, source(), range());
  cleanDigest = await c.store.digest();
  await c.close();
});
afterAll(async () => {
  for (const s of sources) s.close();
  await anvil?.stop();
});

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('ingestEthereum on a local anvil (block range)', () => {
  it('finds every transfer of the scenario with its exact amount, internal ones included', async () => {
    const c = await Case.memory();
    const result = await ingestEthereum(c, source(), range());
    const got = (await all(c.list('transfer'))).map(transferId).sort();
    expect(got).toEqual(scenario.expected.map(transferId).sort());
    expect(result.tracesAvailable).toBe(true);
    expect(result.traceMethod).toBe('debug_traceBlockByNumber');
    expect(result.receiptsMethod).toBe('eth_getBlockReceipts');
    expect(result.internalTransfers).toBe(scenario.expected.filter((t) => t.kind === 'internal').length);
    expect(result.nativeTransfers).toBe(scenario.expected.filter((t) => t.kind === 'native').length);
    expect(result.tokenTransfers).toBe(scenario.expected.filter((t) => t.kind === 'erc20' || t.kind === 'erc721').length);
    expect(result.nftTransfers).toBe(2);
    expect(result.blocks).toBe(scenario.toBlock - scenario.fromBlock + 1);
    expect(result.skipped).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(await c.store.digest()).toEqual(cleanDigest);
    await c.close();
  });

  it('normalises transactions: status, fee = gasUsed × effectiveGasPrice, nonce, contract creation', async () => {
    const c = await Case.memory();
    const result = await ingestEthereum(c, source(), range());
    const txs = await all(c.list('ethTx'));
    expect(txs.length).toBe(result.txs);
    for (const tx of txs) {
      const node = await anvil.rpc<{ from: string; to: string | null; value: string; nonce: string }>('eth_getTransactionByHash', [tx.hash]);
      const r = await anvil.rpc<{ gasUsed: string; effectiveGasPrice: string; status: string; contractAddress: string | null }>('eth_getTransactionReceipt', [tx.hash]);
      expect(tx.fee).toBe(BigInt(r.gasUsed) * BigInt(r.effectiveGasPrice));
      expect(tx.status).toBe(Number(r.status));
      expect(tx.value).toBe(BigInt(node.value));
      expect(tx.nonce).toBe(Number(node.nonce));
      expect(tx.from).toBe(node.from.toLowerCase());
      if (node.to === null) {
        expect(tx.to).toBeUndefined();
        expect(tx.contractCreated).toBe(r.contractAddress!.toLowerCase());
      } else expect(tx.to).toBe(node.to.toLowerCase());
    }
    const reverted = (await c.get('ethTx', scenario.revertedTx)) as EthTx;
    expect(reverted.status).toBe(0);
    expect(reverted.value).toBe(10n ** 18n);
    expect(reverted.fee).toBeGreaterThan(0n);
    expect((await all(c.list('transfer'))).filter((t) => t.txHash === scenario.revertedTx)).toEqual([]);
    const creation = txs.find((t) => t.contractCreated === scenario.contracts.wildToken)!;
    expect(creation.to).toBeUndefined();
    await c.close();
  });

  it('indexes transfers by address: transfersOf(vendor) by its EIP-55 form, in block order', async () => {
    const c = await Case.memory();
    await ingestEthereum(c, source(), range());
    const vendor = scenario.actors.vendor;
    const display = checksumEthAddress(vendor);
    expect(display).not.toBe(vendor);
    const got = await all(transfersOf(c, display));
    const want = scenario.expected.filter((t) => t.from === vendor || t.to === vendor);
    expect(got.map(transferId).sort()).toEqual(want.map(transferId).sort());
    expect(got.map((t) => t.blockNumber)).toEqual([...got.map((t) => t.blockNumber)].sort((a, b) => a - b));
    expect(await all(transfersOf(c, '0x000000000000000000000000000000000000dead'))).toEqual([]);
    const wrongChecksum = display.slice(0, -1) + (display.endsWith('a') ? 'A' : display.at(-1) === display.at(-1)!.toLowerCase() ? display.at(-1)!.toUpperCase() : display.at(-1)!.toLowerCase());
    if (/[a-f]$/i.test(display)) await expect(all(transfersOf(c, wrongChecksum))).rejects.toMatchObject({ code: 'INVALID_ETH_ADDRESS' });
    await expect(all(transfersOf(c, '0x1234'))).rejects.toMatchObject({ code: 'INVALID_ETH_ADDRESS' });
    await c.close();
  });

  it('caches token metadata (string and bytes32 symbols, missing decimals) and EOA/contract in the case', async () => {
    const c = await Case.memory();
    const s = source();
    const first = await ingestEthereum(c, s, range());
    expect(first.tokens).toBe(4);
    expect(await ethTokenMetadata(c, scenario.contracts.wildToken)).toEqual({ address: scenario.contracts.wildToken, standard: 'erc20', symbol: 'WUSD', name: 'Wild USD', decimals: 6 });
    expect(await ethTokenMetadata(c, scenario.contracts.noReturnToken)).toEqual({ address: scenario.contracts.noReturnToken, standard: 'erc20', symbol: 'NRT' });
    expect(await ethTokenMetadata(c, scenario.contracts.feeToken)).toMatchObject({ symbol: 'FEE', decimals: 18 });
    expect(await ethTokenMetadata(c, scenario.contracts.nft)).toEqual({ address: scenario.contracts.nft, standard: 'erc721', symbol: 'WNFT', name: 'Wild Nft' });
    expect((await ethCodeInfo(c, scenario.contracts.vendorDeposit))?.contract).toBe(true);
    expect((await ethCodeInfo(c, scenario.contracts.splitter))?.contract).toBe(true);
    expect((await ethCodeInfo(c, scenario.actors.vendor))?.contract).toBe(false);
    expect((await ethCodeInfo(c, scenario.actors.hotWallet))?.contract).toBe(false);
    // a second ingest of other blocks asks the node for none of them again
    const calls = s.stats.calls;
    const again = await ingestEthereum(c, s, { ...range(), fromBlock: scenario.fromBlock, toBlock: scenario.toBlock, classifyAddresses: true });
    expect(again.blocks).toBe(0);
    expect(again.tokens).toBe(0);
    expect(s.stats.calls - calls).toBeLessThan(6);
    await c.close();
  });

  it('is resumable and idempotent: two halves = one run = a repeated run, byte for byte (classic-level)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-eth-'));
    try {
      const mid = Math.floor((scenario.fromBlock + scenario.toBlock) / 2);
      let c = await Case.open(dir);
      await ingestEthereum(c, source(), { fromBlock: scenario.fromBlock, toBlock: mid });
      await c.close();
      c = await Case.open(dir);
      const second = await ingestEthereum(c, source(), range());
      expect(second.alreadyIngested).toBe(mid - scenario.fromBlock + 1);
      expect(second.blocks).toBe(scenario.toBlock - mid);
      expect(await c.store.digest()).toEqual(cleanDigest);
      const third = await ingestEthereum(c, source(), range());
      expect(third.blocks).toBe(0);
      expect(await c.store.digest()).toEqual(cleanDigest);
      expect(await c.store.checkpoint(ethCheckpointName(31337n))).toEqual({ ranges: [[scenario.fromBlock, scenario.toBlock]] });
      await c.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports progress and stops on an AbortSignal between blocks; the next run resumes', async () => {
    const c = await Case.memory();
    const ctrl = new AbortController();
    const seen: number[] = [];
    await expect(
      ingestEthereum(c, source(), {
        ...range(),
        chunkSize: 4,
        signal: ctrl.signal,
        onProgress: (p) => {
          seen.push(p.done);
          if (p.done === 5) ctrl.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    const ckpt = await c.store.checkpoint<{ ranges: number[][] }>(ethCheckpointName(31337n));
    expect(ckpt).toEqual({ ranges: [[scenario.fromBlock, scenario.fromBlock + 4]] });
    const progress: number[] = [];
    const rest = await ingestEthereum(c, source(), { ...range(), onProgress: (p) => progress.push(p.done) });
    expect(rest.alreadyIngested).toBe(5);
    expect(progress.at(-1)).toBe(scenario.toBlock - scenario.fromBlock + 1 - 5);
    expect(await c.store.digest()).toEqual(cleanDigest);
    await c.close();
  });

  it.each([
    ['per-transaction receipts (no eth_getBlockReceipts)', { capabilities: { blockReceipts: false } }],
    ['unbatched requests (batchMaxCount 1)', { batchMaxCount: 1 }],
    ['trace_block instead of callTracer', { capabilities: { trace: 'trace_block' as const } }],
  ])('gives the same case through %s', async (_name, options) => {
    const c = await Case.memory();
    const result = await ingestEthereum(c, source(options), range());
    if ('capabilities' in options && options.capabilities && 'trace' in options.capabilities) expect(result.traceMethod).toBe('trace_block');
    if ('capabilities' in options && options.capabilities && 'blockReceipts' in options.capabilities) expect(result.receiptsMethod).toBe('eth_getTransactionReceipt');
    expect(await c.store.digest()).toEqual(cleanDigest);
    await c.close();
  });

  it('rejects bad ranges with a typed error before touching the store', async () => {
    const c = await Case.memory();
    const empty = await c.store.digest();
    await expect(ingestEthereum(c, source(), { fromBlock: 5, toBlock: 2 })).rejects.toMatchObject({ code: 'ETH_INVALID_RANGE' });
    await expect(ingestEthereum(c, source(), { fromBlock: 0, toBlock: scenario.toBlock + 1000 })).rejects.toMatchObject({ code: 'ETH_INVALID_RANGE' });
    await expect(ingestEthereum(c, source(), { fromBlock: -1, toBlock: 2 })).rejects.toMatchObject({ code: 'ETH_INVALID_RANGE' });
    await expect(ingestEthereum(c, source(), { fromBlock: 0, toBlock: 2, addresses: ['0xnope'] })).rejects.toMatchObject({ code: 'INVALID_ETH_ADDRESS' });
    expect(await c.store.digest()).toEqual(empty);
    const latest = await ingestEthereum(c, source(), { fromBlock: scenario.toBlock, toBlock: 'latest' });
    expect(latest.toBlock).toBe(Number(await anvil.rpc<string>('eth_blockNumber')));
    await c.close();
  });
});

describe('ingestEthereum through an HTTP agent', () => {
  it('reaches a node behind a SOCKS5 proxy by name (socks5h, as through Tor), never resolving it locally', async () => {
    const onion = 'wildtraceethnode2j3ymd5ri7ehxmv4mfvtkjhq5lm6xqvfxtxqxbgfqd.onion';
    const socks = await startSocksServer({ [onion]: { port: anvil.port } });
    const agent = new SocksProxyAgent(socks.url);
    try {
      const s = source({ agent });
      const c = await Case.memory();
      const result = await ingestEthereum(c, s, range());
      expect(result.source).toBe(`http://127.0.0.1:${anvil.port}`);
      expect(await c.store.digest()).toEqual(cleanDigest);
      await c.close();
      const viaName = new EthereumRpcSource(`http://${onion}/`, { agent });
      sources.push(viaName);
      const c2 = await Case.memory();
      await ingestEthereum(c2, viaName, range());
      expect(await c2.store.digest()).toEqual(cleanDigest);
      await c2.close();
      expect(socks.connects.some((x) => x.atyp === 3 && x.host === onion && x.reply === 0)).toBe(true);
      expect(socks.connects.every((x) => x.reply === 0)).toBe(true);
    } finally {
      agent.destroy();
      await socks.close();
    }
  });
});

describe('ingestEthereum on a local anvil (address-centric)', () => {
  it('finds all activity of the vendor wallets: token transfers via eth_getLogs, ETH and internal via the block scan', async () => {
    const c = await Case.memory();
    const watched = [scenario.actors.vendor, scenario.actors.vendorSecondWallet];
    const s = source();
    const result = await ingestEthereum(c, s, { ...range(), addresses: watched.map(checksumEthAddress) });
    expect(result.mode).toBe('addresses');
    const want = scenario.expected.filter((t) => watched.includes(t.from) || watched.includes(t.to));
    const got = await all(c.list('transfer'));
    expect(got.map(transferId).sort()).toEqual(want.map(transferId).sort());
    // only the transactions that carry those transfers (or were sent by / to the wallets) are kept
    const txs = await all(c.list('ethTx'));
    for (const tx of txs) {
      const related = watched.includes(tx.from) || watched.includes(tx.to ?? '') || want.some((t) => t.txHash === tx.hash);
      expect(related).toBe(true);
    }
    expect(new Set(want.map((t) => t.txHash)).size).toBeLessThanOrEqual(txs.length);
    for (const w of watched) {
      expect((await all(transfersOf(c, w))).map(transferId).sort()).toEqual(want.filter((t) => t.from === w || t.to === w).map(transferId).sort());
    }
    await c.close();
  });
});

export { all };
