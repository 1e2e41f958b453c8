/**
 * Fuzz target of the Ethereum normalisers (src/ethereum): the JSON-RPC answers a node gives for
 * one block — `eth_getBlockByNumber(n, true)`, the receipts with their logs, the traces in the
 * shape of `debug_traceBlockByNumber` (callTracer) or `trace_block`, `eth_getLogs` entries and
 * the `eth_call` answers of token metadata — generated well-formed (mutate.ts then breaks them:
 * any node replaced by hostile JSON, deleted, duplicated, moved, its hex re-cased, stripped,
 * padded, made odd or huge) and read the way ingestEthereum reads them: blockHeader →
 * internalTransfers → normaliseBlock (whole-block, or address-centric with `only` and `logs`),
 * tokenMetadataFrom.
 *
 * An accepted block gives canonical hashes and addresses, non-negative amounts, and transfers of
 * the block's own number.
 */
import fc from 'fast-check';
import {
  TRANSFER_TOPIC,
  ethBlockHeader,
  ethInternalTransfers,
  normaliseEthBlock,
  tokenMetadataFrom,
  type RpcBlock,
  type RpcLog,
  type RpcReceipt,
  type TraceMethod,
} from '../../src/ethereum/index.js';
import type { Transfer } from '../../src/model/index.js';
import type { FuzzTarget } from './harness.js';
import { applyJsonOps, jsonOps, type Json, type JsonOp } from './mutate.js';

const ADDRESSES = ['11', '22', '33', 'aB', 'c0'].map((b) => `0x${b.repeat(20)}`);
const TOKEN = `0x${'aa'.repeat(20)}`;
const word = (n: bigint | number) => `0x${BigInt(n).toString(16).padStart(64, '0')}`;
const topicOf = (a: string) => `0x${'0'.repeat(24)}${a.slice(2)}`;
const hashOf = (kind: number, i: number) => `0x${kind.toString(16).padStart(2, '0')}${i.toString(16).padStart(62, '0')}`;
const qty = (n: bigint | number) => `0x${BigInt(n).toString(16)}`;

/** A call frame of the generated trace trees. */
export interface FrameSpec {
  readonly type: 'CALL' | 'DELEGATECALL' | 'STATICCALL' | 'CREATE' | 'SELFDESTRUCT';
  readonly from: number;
  readonly to: number;
  readonly value: bigint;
  readonly failed: boolean;
  readonly calls: FrameSpec[];
}

/** One transaction of a generated block. */
export interface TxSpec {
  readonly from: number;
  /** -1: contract creation */
  readonly to: number;
  readonly value: bigint;
  readonly status: 0 | 1 | null;
  readonly london: boolean;
  readonly logs: readonly { kind: 'erc20' | 'erc721' | 'other' | 'unindexed'; from: number; to: number; value: bigint; removed: boolean }[];
  readonly trace: FrameSpec;
}

/** A generated block: what the node would answer, before mutation. */
export interface BlockSpec {
  readonly number: number;
  readonly time: number;
  readonly txs: readonly TxSpec[];
  readonly traceMethod: TraceMethod | null;
  /** address-centric read: the watched address (an index into the pool) */
  readonly watch: number | null;
  /** raw `eth_call` answers for symbol, name, decimals */
  readonly metadata: readonly (string | null)[];
}

const addr = fc.nat(ADDRESSES.length - 1);

function frameAt(depth: number): fc.Arbitrary<FrameSpec> {
  return fc.record({
    type: fc.constantFrom<FrameSpec['type']>('CALL', 'CALL', 'DELEGATECALL', 'STATICCALL', 'CREATE', 'SELFDESTRUCT'),
    from: addr,
    to: addr,
    value: fc.bigInt({ min: 0n, max: 10n ** 18n }),
    failed: fc.nat(5).map((n) => n === 0),
    calls: depth === 0 ? fc.constant([]) : fc.array(frameAt(depth - 1), { maxLength: 2 }),
  });
}

/** Well-formed block specs (mutation comes after). */
export const blockSpec: fc.Arbitrary<BlockSpec> = fc.record({
  number: fc.oneof(fc.nat(20_000_000), fc.constant(0)),
  time: fc.integer({ min: 1_438_269_973, max: 2_000_000_000 }),
  txs: fc.array(
    fc.record({
      from: addr,
      to: fc.oneof({ weight: 5, arbitrary: addr }, { weight: 1, arbitrary: fc.constant(-1) }),
      value: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 2n ** 256n - 1n })),
      status: fc.constantFrom<0 | 1 | null>(1, 1, 1, 0, null),
      london: fc.boolean(),
      logs: fc.array(
        fc.record({ kind: fc.constantFrom('erc20' as const, 'erc721' as const, 'other' as const, 'unindexed' as const), from: addr, to: addr, value: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), removed: fc.nat(8).map((n) => n === 0) }),
        { maxLength: 3 },
      ),
      trace: frameAt(2),
    }),
    { maxLength: 4 },
  ),
  traceMethod: fc.constantFrom<TraceMethod | null>('debug_traceBlockByNumber', 'trace_block', null),
  watch: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: addr }),
  metadata: fc.array(
    fc.oneof(
      fc.constant(null),
      fc.constant('0x'),
      fc.constantFrom('USDT', 'MKR', 'x'.repeat(200), '\u0000\u0001', '🐘').map((s) => {
        const b = Buffer.from(s, 'utf8');
        return `0x${word(32).slice(2)}${word(b.length).slice(2)}${b.toString('hex').padEnd(Math.ceil(b.length / 32) * 64, '0')}`;
      }),
      fc.constant(`0x${Buffer.from('MKR').toString('hex').padEnd(64, '0')}`),
      fc.nat(300).map((n) => word(n)),
    ),
    { minLength: 3, maxLength: 3 },
  ),
});

function callFrame(f: FrameSpec, depth: number): Json {
  return {
    type: depth === 0 ? 'CALL' : f.type,
    from: ADDRESSES[f.from],
    to: ADDRESSES[f.to],
    ...(f.type === 'STATICCALL' ? {} : { value: qty(f.value) }),
    ...(f.failed ? { error: 'execution reverted' } : {}),
    ...(f.calls.length ? { calls: f.calls.map((c) => callFrame(c, depth + 1)) } : {}),
  };
}

function parityTraces(root: FrameSpec, txHash: string, position: number): Json[] {
  const out: Json[] = [];
  const walk = (f: FrameSpec, path: number[]) => {
    const base = { traceAddress: path, transactionHash: txHash, transactionPosition: position, subtraces: f.calls.length, ...(f.failed ? { error: 'Reverted' } : {}) };
    const value = qty(f.value);
    if (f.type === 'CREATE') out.push({ ...base, type: 'create', action: { from: ADDRESSES[f.from], value, init: '0x' }, result: f.failed ? null : { address: ADDRESSES[f.to] } });
    else if (f.type === 'SELFDESTRUCT') out.push({ ...base, type: 'suicide', action: { address: ADDRESSES[f.from], refundAddress: ADDRESSES[f.to], balance: value } });
    else out.push({ ...base, type: 'call', action: { callType: path.length === 0 ? 'call' : f.type.toLowerCase(), from: ADDRESSES[f.from], to: ADDRESSES[f.to], value } });
    f.calls.forEach((c, i) => walk(c, [...path, i]));
  };
  walk(root, []);
  return out;
}

/** The node's answers for a block spec, as one JSON document (so one mutation plan reaches all of it). */
export function nodeAnswers(s: BlockSpec): { block: Json; receipts: Json[]; traces: Json[] | null; logs: Json[]; metadata: Json[] } {
  const blockNumber = qty(s.number);
  const txHashes = s.txs.map((_, i) => hashOf(1, s.number * 8 + i));
  const logs: Json[] = [];
  const receipts = s.txs.map((t, i): Json => {
    let logIndex = 0;
    const txLogs = t.logs.map((l): Json => {
      const topics =
        l.kind === 'erc20' ? [TRANSFER_TOPIC, topicOf(ADDRESSES[l.from]), topicOf(ADDRESSES[l.to])]
        : l.kind === 'erc721' ? [TRANSFER_TOPIC, topicOf(ADDRESSES[l.from]), topicOf(ADDRESSES[l.to]), word(l.value)]
        : l.kind === 'unindexed' ? [TRANSFER_TOPIC]
        : [hashOf(9, 1), topicOf(ADDRESSES[l.from])];
      const data = l.kind === 'erc721' ? '0x' : l.kind === 'unindexed' ? `0x${'00'.repeat(96)}` : word(l.value);
      const log = { address: TOKEN, topics, data, logIndex: qty(logIndex++), transactionHash: txHashes[i], transactionIndex: qty(i), blockNumber, blockHash: hashOf(2, s.number), ...(l.removed ? { removed: true } : {}) };
      logs.push(log);
      return log;
    });
    return {
      transactionHash: txHashes[i],
      transactionIndex: qty(i),
      blockNumber,
      ...(t.status === null ? {} : { status: qty(t.status) }),
      gasUsed: qty(21000 + i),
      ...(t.london ? { effectiveGasPrice: qty(30_000_000_000) } : {}),
      contractAddress: t.to < 0 ? ADDRESSES[(t.from + 1) % ADDRESSES.length] : null,
      logs: txLogs,
    };
  });
  const transactions = s.txs.map((t, i): Json => ({
    hash: txHashes[i],
    from: ADDRESSES[t.from],
    to: t.to < 0 ? null : ADDRESSES[t.to],
    value: qty(t.value),
    nonce: qty(i),
    gasPrice: qty(20_000_000_000),
    blockNumber,
    transactionIndex: qty(i),
    input: '0x',
  }));
  const block = { number: blockNumber, hash: hashOf(2, s.number), parentHash: hashOf(2, Math.max(0, s.number - 1)), timestamp: qty(s.time), miner: ADDRESSES[0], transactions };
  const traces =
    s.traceMethod === 'debug_traceBlockByNumber' ? s.txs.map((t, i): Json => ({ txHash: txHashes[i], result: callFrame(t.trace, 0) }))
    : s.traceMethod === 'trace_block' ? [...s.txs.flatMap((t, i) => parityTraces(t.trace, txHashes[i], i)), { type: 'reward', action: { author: ADDRESSES[0], value: '0x1' }, traceAddress: [], transactionHash: null }]
    : null;
  return { block, receipts, traces, logs, metadata: [...s.metadata] };
}

const CANONICAL = /^0x[0-9a-f]{40}$/;
const HASH = /^0x[0-9a-f]{64}$/;

function checkTransfer(t: Transfer, number: number): void {
  if (!CANONICAL.test(t.from) || !CANONICAL.test(t.to)) throw new Error(`transfer with non-canonical addresses ${t.from} → ${t.to}`);
  if (!HASH.test(t.txHash)) throw new Error(`transfer with tx hash ${t.txHash}`);
  if (typeof t.value !== 'bigint' || t.value < 0n) throw new Error(`transfer value ${t.value}`);
  if ((t.kind === 'native' || t.kind === 'internal') && t.value === 0n) throw new Error('zero-value ETH transfer kept');
  if (t.blockNumber !== number) throw new Error(`transfer of block ${t.blockNumber} in block ${number}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Reads mutated node answers as ingestEthereum does; throws the room's error on a refused block.
 * Shared with the JSON-RPC target, which gets its answers over HTTP.
 */
export function readBlockAnswers(block: unknown, receipts: unknown, traces: unknown, method: TraceMethod | null, watch: string | null, logs: unknown): void {
  const h = ethBlockHeader(block as RpcBlock);
  const internal = method && traces !== null && traces !== undefined ? ethInternalTransfers(method, traces as unknown[], h.txHashes, h.number, h.time) : null;
  const only = watch ? { addresses: new Set([watch]), txHashes: new Set(h.txHashes) } : undefined;
  const n = normaliseEthBlock(block as RpcBlock, receipts as RpcReceipt[], { internal, ...(only ? { only, logs: logs as RpcLog[] } : {}) });
  if (n.header.number !== h.number) throw new Error('header changed between reads');
  for (const tx of n.txs) {
    if (!HASH.test(tx.hash) || !CANONICAL.test(tx.from) || (tx.to !== undefined && !CANONICAL.test(tx.to))) throw new Error(`non-canonical tx ${tx.hash}`);
    if (tx.fee < 0n || tx.value < 0n) throw new Error(`negative fee or value in ${tx.hash}`);
  }
  for (const t of n.transfers) checkTransfer(t, h.number);
  for (const [token, kind] of n.tokens) if (!CANONICAL.test(token) || (kind !== 'erc20' && kind !== 'erc721')) throw new Error(`token ${token} ${kind}`);
}

interface EthCase {
  readonly spec: BlockSpec;
  readonly ops: JsonOp[];
}

/** Mutated node answers for one block, read as ingestion reads them. */
export const ethBlock: FuzzTarget<EthCase> = {
  name: 'eth-block',
  description: 'blockHeader, internalTransfers (callTracer, trace_block), normaliseEthBlock, tokenMetadataFrom: generated node answers, mutated',
  runs: { test: 2000, full: 15_000 },
  boundMs: 2000,
  codes: /^ETH_MALFORMED_RESPONSE$/,
  arbitrary: () => fc.record({ spec: blockSpec, ops: fc.oneof({ weight: 1, arbitrary: fc.constant<JsonOp[]>([]) }, { weight: 12, arbitrary: jsonOps(3) }) }),
  run({ spec, ops }) {
    const doc = applyJsonOps(nodeAnswers(spec) as unknown as Json, ops);
    const d = isObject(doc) ? doc : {};
    const md = Array.isArray(d.metadata) ? (d.metadata as unknown[]) : [];
    const meta = tokenMetadataFrom(TOKEN, spec.txs.length % 2 ? 'erc721' : 'erc20', md.map((a) => (typeof a === 'string' ? a : null)));
    if ((meta.symbol?.length ?? 0) > 128 || (meta.decimals !== undefined && (meta.decimals < 0 || meta.decimals > 255))) throw new Error(`token metadata ${JSON.stringify(meta)}`);
    readBlockAnswers(d.block, d.receipts, d.traces, spec.traceMethod, spec.watch === null ? null : ADDRESSES[spec.watch].toLowerCase(), d.logs);
  },
};
