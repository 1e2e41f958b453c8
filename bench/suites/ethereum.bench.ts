/**
 * Ethereum ingestion from a real local node (anvil on 127.0.0.1): blocks/s and receipts/s.
 *
 * The chain: BLOCKS blocks of TX_PER_BLOCK transactions each (half ETH payments, half ERC-20
 * transfers of a real token, so receipts carry logs). Measured in the same run, interleaved round
 * by round, each the median of ROUNDS runs over the same blocks:
 *
 * - naive ethers loop (baseline): `provider.getBlock(n, true)` then `getTransactionReceipt` for
 *   each transaction, sequential (JsonRpcProvider with `batchMaxCount: 1`, so no batch stall,
 *   and `cacheTimeout: -1`);
 * - raw JSON-RPC batch read (ceiling): batches of `eth_getBlockByNumber` + `eth_getBlockReceipts`
 *   with the same concurrency as wildtrace, JSON-parsed and nothing else;
 * - wildtrace `ingestEthereum` into a fresh on-disk case (classic-level): fetch, validate,
 *   normalise, classify addresses, read token metadata, write one atomic batch per block.
 *
 * Traces are left out of the three comparisons (the naive loop reads none); the last figures
 * repeat the wildtrace run and the ceiling with callTracer traces.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { Interface, JsonRpcProvider, toBeHex } from 'ethers';
import { EthereumRpcSource } from '../../adapters/ethereum-rpc/index.js';
import { Case } from '../../src/case.js';
import { ingestEthereum } from '../../src/ethereum/index.js';
import { startAnvil, type Anvil } from '../../test/ethereum/helpers/anvil.js';
import type { BenchContext } from '../lib.js';

const BLOCKS = Number(process.env.ETH_BENCH_BLOCKS ?? 200);
const TX_PER_BLOCK = 10;
const ROUNDS = 5;
const CHUNK = 20;
const CONCURRENCY = 4;

interface Artifact {
  abi: unknown[];
  bytecode: string;
}

async function buildChain(anvil: Anvil): Promise<{ from: number; to: number; txs: number }> {
  const artifacts = (JSON.parse(readFileSync(path.join(import.meta.dirname, '../../contracts/artifacts.json'), 'utf8')) as { contracts: Record<string, Artifact> })
    .contracts;
  const token = new Interface(artifacts.WildToken.abi as never);
  const accounts = await anvil.rpc<string[]>('eth_accounts');
  const deployHash = await anvil.rpc<string>('eth_sendTransaction', [
    { from: accounts[0], data: artifacts.WildToken.bytecode + token.encodeDeploy(['Bench', 'BNCH', 10n ** 30n]).slice(2) },
  ]);
  let r: { contractAddress: string } | null = null;
  while (!(r = await anvil.rpc('eth_getTransactionReceipt', [deployHash]))) await new Promise((res) => setTimeout(res, 10));
  const tokenAddress = r.contractAddress;
  // token balances for every sender
  for (const a of accounts.slice(1)) {
    await anvil.rpc('eth_sendTransaction', [{ from: accounts[0], to: tokenAddress, data: token.encodeFunctionData('transfer', [a, 10n ** 24n]) }]);
  }
  await anvil.rpc('evm_setAutomine', [false]);
  const from = Number(await anvil.rpc<string>('eth_blockNumber')) + 1;
  for (let b = 0; b < BLOCKS; b++) {
    const batch = Array.from({ length: TX_PER_BLOCK }, (_, i) => {
      const sender = accounts[i % accounts.length];
      const to = accounts[(i + b + 1) % accounts.length];
      const tx =
        i % 2 === 0
          ? { from: sender, to, value: toBeHex(1_000_000_000n + BigInt(b * TX_PER_BLOCK + i)) }
          : { from: sender, to: tokenAddress, data: token.encodeFunctionData('transfer', [to, BigInt(b * 1000 + i + 1)]) };
      return { jsonrpc: '2.0', id: i, method: 'eth_sendTransaction', params: [tx] };
    });
    const res = await fetch(anvil.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    const answers = (await res.json()) as { error?: { message: string } }[];
    const failed = answers.find((a) => a.error);
    if (failed) throw new Error(`building the bench chain: ${failed.error!.message}`);
    await anvil.rpc('evm_mine');
  }
  await anvil.rpc('evm_setAutomine', [true]);
  return { from, to: from + BLOCKS - 1, txs: BLOCKS * TX_PER_BLOCK };
}

async function naiveLoop(url: string, from: number, to: number): Promise<number> {
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  let receipts = 0;
  for (let n = from; n <= to; n++) {
    const block = await provider.getBlock(n, true);
    for (const tx of block!.prefetchedTransactions) {
      const r = await provider.getTransactionReceipt(tx.hash);
      if (!r) throw new Error(`no receipt for ${tx.hash}`);
      receipts++;
    }
  }
  provider.destroy();
  return receipts;
}

async function rawBatchRead(url: string, from: number, to: number, traces: boolean): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const post = (body: string) =>
    new Promise<string>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  const chunks: number[][] = [];
  for (let n = from; n <= to; n += CHUNK) chunks.push(Array.from({ length: Math.min(CHUNK, to - n + 1) }, (_, i) => n + i));
  let receipts = 0;
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++];
      const calls = chunk.flatMap((n) => [
        { jsonrpc: '2.0', id: `b${n}`, method: 'eth_getBlockByNumber', params: [toBeHex(n), true] },
        { jsonrpc: '2.0', id: `r${n}`, method: 'eth_getBlockReceipts', params: [toBeHex(n)] },
        ...(traces ? [{ jsonrpc: '2.0', id: `t${n}`, method: 'debug_traceBlockByNumber', params: [toBeHex(n), { tracer: 'callTracer' }] }] : []),
      ]);
      const answers = JSON.parse(await post(JSON.stringify(calls))) as { id: string; result: unknown[] }[];
      for (const a of answers) if (a.id.startsWith('r')) receipts += a.result.length;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  return receipts;
}

async function wildtraceIngest(url: string, from: number, to: number, traces: boolean): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-bench-eth-'));
  const source = new EthereumRpcSource(url, { concurrency: CONCURRENCY });
  try {
    const c = await Case.open(dir);
    const result = await ingestEthereum(c, source, { fromBlock: from, toBlock: to, traces, chunkSize: CHUNK });
    await c.close();
    return result.txs;
  } finally {
    source.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs every contender once per round, interleaved (so that the load of a shared machine weighs
 * on all of them alike), and returns each one's median time in seconds.
 */
async function interleavedMedians(rounds: number, contenders: [string, () => Promise<number>][], expectCount: number): Promise<number[]> {
  const times = contenders.map((): number[] => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, [label, fn]] of contenders.entries()) {
      const t = performance.now();
      const count = await fn();
      times[i].push((performance.now() - t) / 1000);
      if (count !== expectCount) throw new Error(`${label} read ${count} receipts, expected ${expectCount}`);
    }
  }
  return times.map((ts) => ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)]);
}

export default async function ethereumSuite(ctx: BenchContext): Promise<void> {
  const anvil = await startAnvil();
  try {
    const { from, to, txs } = await buildChain(anvil);
    const blocks = to - from + 1;
    ctx.record({ name: `chain: ${blocks} blocks × ${TX_PER_BLOCK} txs (ETH + ERC-20), anvil on 127.0.0.1`, value: txs, unit: 'receipts' });
    // warm up the node and the code paths once
    await rawBatchRead(anvil.url, from, to, false);
    await wildtraceIngest(anvil.url, from, to, false);

    const [naive, ceiling, ours, ceilingTraced, oursTraced] = await interleavedMedians(
      ROUNDS,
      [
        ['naive', () => naiveLoop(anvil.url, from, to)],
        ['raw batch', () => rawBatchRead(anvil.url, from, to, false)],
        ['wildtrace', () => wildtraceIngest(anvil.url, from, to, false)],
        ['raw batch + traces', () => rawBatchRead(anvil.url, from, to, true)],
        ['wildtrace + traces', () => wildtraceIngest(anvil.url, from, to, true)],
      ],
      txs,
    );

    for (const [name, secs] of [
      ['naive ethers loop (baseline)', naive],
      ['raw JSON-RPC batch read (ceiling)', ceiling],
      ['wildtrace ingestEthereum → on-disk case', ours],
      ['raw batch read + callTracer traces (ceiling)', ceilingTraced],
      ['wildtrace ingestEthereum + traces → on-disk case', oursTraced],
    ] as const) {
      ctx.record({ name: `${name}: blocks`, value: blocks / secs, unit: 'blocks/s' });
      ctx.record({ name: `${name}: receipts`, value: txs / secs, unit: 'receipts/s' });
    }
    ctx.ratio('wildtrace / naive ethers loop', naive, ours, 3);
    ctx.ratio('wildtrace / raw batch ceiling (>= 0.5 = within 2x)', ceiling, ours, 0.5);
    ctx.ratio('with traces: wildtrace / raw batch ceiling', ceilingTraced, oursTraced, 0.5);
  } finally {
    await anvil.stop();
  }
}
