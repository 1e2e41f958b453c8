/**
 * Fuzz target of the Ethereum JSON-RPC adapter (adapters/ethereum-rpc): a real HTTP server on
 * 127.0.0.1 answers the client's JSON-RPC requests (single calls and batches) with the answers
 * of a generated block (ethereum.ts), broken per case: the whole answer document mutated as JSON
 * (ids, results, errors, batch entries), its text mutated (invalid JSON, truncation), a batch
 * refused with one error object, node errors for chosen methods (missing method, log range too
 * large), HTTP statuses (400, 404, 429, 500, 503), a body over the client's size limit, or the
 * connection dropped. The client runs one source method per case (probe, fetchBlocks with and
 * without block receipts, getReceipts, getLogs, getCode, call, chainId, blockNumber), and what
 * it returns is read as ingestEthereum reads it.
 */
import http from 'node:http';
import fc from 'fast-check';
import { EthereumRpcSource } from '../../adapters/ethereum-rpc/index.js';
import { decodeTransferLog, type RpcLog, type TraceMethod } from '../../src/ethereum/index.js';
import type { FuzzTarget } from './harness.js';
import { blockSpec, nodeAnswers, readBlockAnswers, type BlockSpec } from './ethereum.js';
import { FaultServer, httpFault, type HttpFault } from './fault-server.js';
import type { Json } from './mutate.js';

type Method = 'probe' | 'fetchBlocks' | 'getReceipts' | 'getLogs' | 'getCode' | 'call' | 'chainId' | 'blockNumber';

interface RpcCase {
  readonly spec: BlockSpec;
  readonly method: Method;
  /** capabilities given to the source (`null`: probed from the node) */
  readonly caps: { blockReceipts: boolean; trace: TraceMethod | null } | null;
  readonly batchMaxCount: number;
  /** how the server breaks its answers */
  readonly fault: HttpFault;
  /** the node answers a batch with one error object */
  readonly refuseBatch: boolean;
  /** methods the node answers with this JSON-RPC error */
  readonly errors: readonly { method: string; code: number; message: string }[];
}

const NODE_ERRORS = [
  { code: -32601, message: 'the method does not exist/is not available' },
  { code: -32005, message: 'query returned more than 10000 results' },
  { code: -32000, message: 'header not found' },
  { code: -32602, message: 'invalid argument 0: hex string without 0x prefix' },
];
const METHODS = ['eth_getBlockByNumber', 'eth_getBlockReceipts', 'debug_traceBlockByNumber', 'trace_block', 'eth_getTransactionReceipt', 'eth_getLogs', 'eth_getCode', 'eth_call', 'eth_blockNumber', 'eth_chainId'];
const MAX_BODY = 256 * 1024;

const server = new FaultServer();
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** The correct answer to one call, from the case's block. */
function answerOf(c: RpcCase, method: string, params: unknown[]): { result: Json } | { error: { code: number; message: string } } {
  const err = c.errors.find((e) => e.method === method);
  if (err) return { error: { code: err.code, message: err.message } };
  const a = nodeAnswers(c.spec);
  switch (method) {
    case 'eth_chainId':
      return { result: '0x1' };
    case 'eth_blockNumber':
      return { result: `0x${c.spec.number.toString(16)}` };
    case 'eth_getBlockByNumber':
      return { result: a.block };
    case 'eth_getBlockReceipts':
      return { result: a.receipts };
    case 'debug_traceBlockByNumber':
    case 'trace_block':
      return c.spec.traceMethod === method ? { result: a.traces } : { error: { code: -32601, message: `the method ${method} does not exist/is not available` } };
    case 'eth_getTransactionReceipt':
      return { result: a.receipts.find((r) => (r as { transactionHash?: unknown }).transactionHash === params[0]) ?? null };
    case 'eth_getLogs':
      return { result: a.logs };
    case 'eth_getCode':
      return { result: String(params[0]).endsWith('aa') ? '0x6080604052' : '0x' };
    case 'eth_call':
      return { result: a.metadata[0] ?? null };
    default:
      return { error: { code: -32601, message: 'method not found' } };
  }
}

/** The node's answer to a request (one call or a batch), before the fault. */
function answerRequest(c: RpcCase, request: unknown): Json {
  const calls = (Array.isArray(request) ? request : [request]) as { id: Json; method: string; params: unknown[] }[];
  if (Array.isArray(request) && c.refuseBatch && calls.length > 1) return { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'batch too large' } };
  const answers = calls.map((call) => ({ jsonrpc: '2.0', id: call.id, ...answerOf(c, call.method, call.params) }));
  return Array.isArray(request) ? answers : answers[0];
}

/** The JSON-RPC source against a server that answers badly. */
export const ethRpc: FuzzTarget<RpcCase> = {
  name: 'eth-rpc',
  description: 'EthereumRpcSource / JsonRpcClient over HTTP on 127.0.0.1: mutated JSON-RPC answers, batches, node errors, HTTP faults',
  runs: { test: 300, full: 3000 },
  boundMs: 5000,
  codes: /^(RPC_|ETH_)/,
  setup: () => server.start(),
  teardown: async () => {
    agent.destroy();
    await server.close();
  },
  arbitrary: () =>
    fc.record({
      spec: blockSpec,
      method: fc.constantFrom<Method>('fetchBlocks', 'fetchBlocks', 'fetchBlocks', 'probe', 'getReceipts', 'getLogs', 'getCode', 'call', 'chainId', 'blockNumber'),
      caps: fc.oneof(fc.constant(null), fc.record({ blockReceipts: fc.boolean(), trace: fc.constantFrom<TraceMethod | null>('debug_traceBlockByNumber', 'trace_block', null) })),
      batchMaxCount: fc.constantFrom(1, 2, 100),
      fault: httpFault([400, 404, 429, 500, 503], MAX_BODY),
      refuseBatch: fc.nat(10).map((n) => n === 0),
      errors: fc.array(
        fc.record({ method: fc.constantFrom(...METHODS), error: fc.constantFrom(...NODE_ERRORS) }).map(({ method, error }) => ({ method, ...error })),
        { maxLength: 2 },
      ),
    }),
  async run(c) {
    server.current = { fault: c.fault, answer: (request) => answerRequest(c, request) };
    const source = new EthereumRpcSource(server.url, { agent, retries: 0, timeoutMs: 3000, maxResponseBytes: MAX_BODY, batchMaxCount: c.batchMaxCount, ...(c.caps ? { capabilities: c.caps } : {}) });
    const n = c.spec.number;
    try {
      switch (c.method) {
        case 'probe':
          await source.capabilities();
          return;
        case 'chainId':
          if ((await source.chainId()) < 0n) throw new Error('negative chain id');
          return;
        case 'blockNumber':
          if (!Number.isSafeInteger(await source.blockNumber())) throw new Error('block number is not a safe integer');
          return;
        case 'getCode':
          for (const code of await source.getCode([{ address: `0x${'aa'.repeat(20)}`, block: n }, { address: `0x${'11'.repeat(20)}`, block: 'latest' }])) {
            if (!/^0x(?:[0-9a-fA-F]{2})*$/.test(code)) throw new Error(`code ${code}`);
          }
          return;
        case 'call':
          for (const r of await source.call([{ to: `0x${'aa'.repeat(20)}`, data: '0x95d89b41' }], n)) if (r !== null && typeof r !== 'string') throw new Error(`call answered ${r}`);
          return;
        case 'getReceipts': {
          const hashes = (nodeAnswers(c.spec).block as { transactions: { hash: string }[] }).transactions.map((t) => t.hash);
          const receipts = await source.getReceipts(hashes);
          if (receipts.length !== hashes.length) throw new Error(`${receipts.length} receipts for ${hashes.length} hashes`);
          return;
        }
        case 'getLogs': {
          const logs = await source.getLogs({ fromBlock: n, toBlock: n + 3 });
          for (const log of logs) if (typeof log === 'object' && log !== null) decodeTransferLog(log as RpcLog);
          return;
        }
        case 'fetchBlocks': {
          const bundles = await source.fetchBlocks([n]);
          const caps = await source.capabilities();
          for (const b of bundles) readBlockAnswers(b.block, b.receipts, b.traces ?? null, b.traceMethod ?? caps.trace, null, []);
          return;
        }
      }
    } finally {
      source.close();
      server.current = undefined;
    }
  },
};
