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
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { EthereumRpcSource } from '../../adapters/ethereum-rpc/index.js';
import { decodeTransferLog, type RpcLog, type TraceMethod } from '../../src/ethereum/index.js';
import type { FuzzTarget } from './harness.js';
import { blockSpec, nodeAnswers, readBlockAnswers, type BlockSpec } from './ethereum.js';
import { applyJsonOps, applyTextOps, jsonOps, textOps, type Json, type JsonOp, type TextOp } from './mutate.js';

type Method = 'probe' | 'fetchBlocks' | 'getReceipts' | 'getLogs' | 'getCode' | 'call' | 'chainId' | 'blockNumber';

interface RpcCase {
  readonly spec: BlockSpec;
  readonly method: Method;
  /** capabilities given to the source (`null`: probed from the node) */
  readonly caps: { blockReceipts: boolean; trace: TraceMethod | null } | null;
  readonly batchMaxCount: number;
  /** how the server breaks its answers */
  readonly fault: {
    readonly ops: JsonOp[];
    readonly text: TextOp[] | null;
    readonly status: number;
    readonly refuseBatch: boolean;
    readonly oversize: boolean;
    readonly drop: boolean;
    /** methods the node answers with this JSON-RPC error */
    readonly errors: readonly { method: string; code: number; message: string }[];
  };
}

const NODE_ERRORS = [
  { code: -32601, message: 'the method does not exist/is not available' },
  { code: -32005, message: 'query returned more than 10000 results' },
  { code: -32000, message: 'header not found' },
  { code: -32602, message: 'invalid argument 0: hex string without 0x prefix' },
];
const METHODS = ['eth_getBlockByNumber', 'eth_getBlockReceipts', 'debug_traceBlockByNumber', 'trace_block', 'eth_getTransactionReceipt', 'eth_getLogs', 'eth_getCode', 'eth_call', 'eth_blockNumber', 'eth_chainId'];
const MAX_BODY = 256 * 1024;

let server: http.Server | undefined;
let url = '';
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
/** the case the server is answering */
let current: RpcCase | undefined;

/** The correct answer to one call, from the case's block. */
function answerOf(c: RpcCase, method: string, params: unknown[]): { result: Json } | { error: { code: number; message: string } } {
  const err = c.fault.errors.find((e) => e.method === method);
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

function respond(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
  const c = current;
  if (!c) {
    res.writeHead(503).end();
    return;
  }
  const f = c.fault;
  if (f.drop) {
    req.socket.destroy();
    return;
  }
  let request: unknown;
  try {
    request = JSON.parse(body);
  } catch {
    res.writeHead(400).end();
    return;
  }
  const calls = (Array.isArray(request) ? request : [request]) as { id: unknown; method: string; params: unknown[] }[];
  let doc: Json;
  if (Array.isArray(request) && f.refuseBatch && calls.length > 1) {
    doc = { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'batch too large' } };
  } else {
    const answers = calls.map((call) => ({ jsonrpc: '2.0', id: call.id as Json, ...answerOf(c, call.method, call.params) }));
    doc = Array.isArray(request) ? answers : answers[0];
  }
  let text = JSON.stringify(applyJsonOps(doc, f.ops)) ?? '';
  if (f.text) text = applyTextOps(text, f.text);
  if (f.oversize) text = text + ' '.repeat(MAX_BODY);
  const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
  if (f.status === 429) headers['retry-after'] = '60';
  res.writeHead(f.status, headers).end(text);
}

async function startServer(): Promise<void> {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => respond(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const faultArb = fc.record({
  ops: fc.oneof({ weight: 2, arbitrary: fc.constant<JsonOp[]>([]) }, { weight: 5, arbitrary: jsonOps(3) }),
  text: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: textOps(['{', '}', '[', ']', '"', ',', ':', 'null', '"id":', '"result":'], { maxOps: 2, maxRepeat: 5 }) }),
  status: fc.constantFrom(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 400, 404, 429, 500, 503),
  refuseBatch: fc.nat(10).map((n) => n === 0),
  oversize: fc.nat(40).map((n) => n === 0),
  drop: fc.nat(40).map((n) => n === 0),
  errors: fc.array(
    fc.record({ method: fc.constantFrom(...METHODS), error: fc.constantFrom(...NODE_ERRORS) }).map(({ method, error }) => ({ method, ...error })),
    { maxLength: 2 },
  ),
});

/** The JSON-RPC source against a server that answers badly. */
export const ethRpc: FuzzTarget<RpcCase> = {
  name: 'eth-rpc',
  description: 'EthereumRpcSource / JsonRpcClient over HTTP on 127.0.0.1: mutated JSON-RPC answers, batches, node errors, HTTP faults',
  runs: { test: 300, full: 3000 },
  boundMs: 5000,
  codes: /^(RPC_|ETH_)/,
  setup: async () => {
    if (!server) await startServer();
  },
  teardown: async () => {
    agent.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  },
  arbitrary: () =>
    fc.record({
      spec: blockSpec,
      method: fc.constantFrom<Method>('fetchBlocks', 'fetchBlocks', 'fetchBlocks', 'probe', 'getReceipts', 'getLogs', 'getCode', 'call', 'chainId', 'blockNumber'),
      caps: fc.oneof(fc.constant(null), fc.record({ blockReceipts: fc.boolean(), trace: fc.constantFrom<TraceMethod | null>('debug_traceBlockByNumber', 'trace_block', null) })),
      batchMaxCount: fc.constantFrom(1, 2, 100),
      fault: faultArb,
    }),
  async run(c) {
    current = c;
    const source = new EthereumRpcSource(url, { agent, retries: 0, timeoutMs: 3000, maxResponseBytes: MAX_BODY, batchMaxCount: c.batchMaxCount, ...(c.caps ? { capabilities: c.caps } : {}) });
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
      current = undefined;
    }
  },
};
