/**
 * An {@link EthereumSource} over any Ethereum JSON-RPC endpoint: your own node, a provider, or a
 * node reached through Tor (pass a SOCKS agent).
 *
 * - Blocks: `eth_getBlockByNumber(n, true)`, receipts with `eth_getBlockReceipts(n)` where the
 *   node has it (else `eth_getTransactionReceipt` per transaction), and traces with
 *   `debug_traceBlockByNumber(n, callTracer)` or `trace_block(n)`; all in JSON-RPC batches.
 * - Capabilities are probed once on the head block: a method the node answers with "method not
 *   found" (or "not supported", "does not exist", …) is taken as missing.
 * - Logs: `eth_getLogs` over the asked range; when the node refuses the range or the result
 *   size, the range is split in halves until it passes (down to one block).
 */
import type {
  CallTracerResult,
  EthereumCapabilities,
  EthereumSource,
  FetchBlocksOptions,
  LogFilter,
  ParityTrace,
  RawBlockBundle,
  RpcBlock,
  RpcLog,
  RpcReceipt,
  SourceStats,
  TraceMethod,
} from '../../src/ethereum/source.js';
import { SourceError } from '../../src/model/errors.js';
import { JsonRpcClient, RpcCallError, type JsonRpcClientOptions, type RpcOutcome } from './rpc.js';

/** Options of {@link EthereumRpcSource}. */
export interface EthereumRpcOptions extends JsonRpcClientOptions {
  /** skip the probe and use these capabilities (e.g. to force per-transaction receipts) */
  capabilities?: Partial<EthereumCapabilities>;
}

const MISSING_METHOD = /method not found|not (?:found|supported|available|enabled|allowed)|does not exist|unsupported|unknown method|is disabled|not whitelisted/i;
const LOGS_TOO_BIG = /range|too (?:many|large|big)|limit|exceed|more than|max(?:imum)? .*results|response size|query timeout|returned more/i;

const hexBlock = (n: number) => `0x${n.toString(16)}`;
const callTracer = { tracer: 'callTracer' };

/** True when a node error means "this method does not exist here". */
export function isMissingMethod(error: { code: number; message: string }): boolean {
  return error.code === -32601 || error.code === -32004 || MISSING_METHOD.test(error.message);
}

/** An Ethereum JSON-RPC endpoint as a wildtrace {@link EthereumSource}. */
export class EthereumRpcSource implements EthereumSource {
  /** the JSON-RPC client (batching, retries, agent) */
  readonly rpc: JsonRpcClient;
  private caps?: Promise<EthereumCapabilities>;
  private chain?: Promise<bigint>;
  private splits = 0;

  constructor(
    url: string,
    private readonly options: EthereumRpcOptions = {},
  ) {
    this.rpc = new JsonRpcClient(url, options);
  }

  get label(): string {
    return this.rpc.label;
  }

  get stats(): SourceStats {
    return { ...this.rpc.stats, logRangeSplits: this.splits };
  }

  chainId(): Promise<bigint> {
    this.chain ??= this.rpc.call<string>('eth_chainId', []).then((v) => this.quantity(v, 'eth_chainId'));
    this.chain.catch(() => (this.chain = undefined));
    return this.chain;
  }

  async blockNumber(): Promise<number> {
    const n = this.quantity(await this.rpc.call<string>('eth_blockNumber', []), 'eth_blockNumber');
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new SourceError('RPC_MALFORMED', `eth_blockNumber at ${this.label} answered ${n}, not a block number (above 2^53)`);
    }
    return Number(n);
  }

  capabilities(): Promise<EthereumCapabilities> {
    this.caps ??= this.probe();
    this.caps.catch(() => (this.caps = undefined));
    return this.caps;
  }

  private async probe(): Promise<EthereumCapabilities> {
    const given = this.options.capabilities ?? {};
    if (given.blockReceipts !== undefined && given.trace !== undefined) return { blockReceipts: given.blockReceipts, trace: given.trace };
    const head = hexBlock(await this.blockNumber());
    const [receipts, debug, parity] = await this.rpc.batch([
      { method: 'eth_getBlockReceipts', params: [head] },
      { method: 'debug_traceBlockByNumber', params: [head, callTracer] },
      { method: 'trace_block', params: [head] },
    ]);
    const has = (o: RpcOutcome) => !('error' in o) || !isMissingMethod(o.error);
    const trace: TraceMethod | null = has(debug) ? 'debug_traceBlockByNumber' : has(parity) ? 'trace_block' : null;
    return { blockReceipts: given.blockReceipts ?? has(receipts), trace: given.trace === undefined ? trace : given.trace };
  }

  async fetchBlocks(numbers: readonly number[], options: FetchBlocksOptions = {}): Promise<RawBlockBundle[]> {
    const caps = await this.capabilities();
    const wantReceipts = options.receipts ?? true;
    const trace = (options.traces ?? true) ? caps.trace : null;
    const perBlock = 1 + (wantReceipts && caps.blockReceipts ? 1 : 0) + (trace ? 1 : 0);
    const calls: { method: string; params: unknown[] }[] = [];
    for (const n of numbers) {
      calls.push({ method: 'eth_getBlockByNumber', params: [hexBlock(n), true] });
      if (wantReceipts && caps.blockReceipts) calls.push({ method: 'eth_getBlockReceipts', params: [hexBlock(n)] });
      if (trace) calls.push({ method: trace, params: trace === 'trace_block' ? [hexBlock(n)] : [hexBlock(n), callTracer] });
    }
    const answers = await this.rpc.batch(calls, options.signal);
    const bundles = numbers.map((n, i) => {
      const at = i * perBlock;
      const block = this.result(answers[at], 'eth_getBlockByNumber', n) as RpcBlock;
      if (block === null || typeof block !== 'object') {
        throw new SourceError('RPC_MALFORMED', `the node at ${this.label} has no block ${n} (answered ${JSON.stringify(block)})`);
      }
      let k = at + 1;
      const receipts = wantReceipts && caps.blockReceipts ? (this.result(answers[k++], 'eth_getBlockReceipts', n) as RpcReceipt[]) : [];
      if (wantReceipts && caps.blockReceipts && !Array.isArray(receipts)) {
        throw new SourceError('RPC_MALFORMED', `eth_getBlockReceipts(${n}) at ${this.label} answered ${JSON.stringify(receipts)?.slice(0, 60)}`);
      }
      const traces = trace ? (this.result(answers[k++], trace, n) as CallTracerResult[] | ParityTrace[]) : undefined;
      return { block, receipts, ...(trace ? { traces, traceMethod: trace } : {}) };
    });
    if (wantReceipts && !caps.blockReceipts) {
      const hashes = bundles.flatMap((b) => (Array.isArray(b.block.transactions) ? b.block.transactions.map((t) => t?.hash) : []));
      const receipts = await this.getReceipts(hashes as string[], options.signal);
      let r = 0;
      for (const b of bundles) b.receipts.push(...receipts.slice(r, (r += Array.isArray(b.block.transactions) ? b.block.transactions.length : 0)));
    }
    return bundles;
  }

  async getReceipts(hashes: readonly string[], signal?: AbortSignal): Promise<RpcReceipt[]> {
    const answers = await this.rpc.batch(
      hashes.map((h) => ({ method: 'eth_getTransactionReceipt', params: [h] })),
      signal,
    );
    return answers.map((a, i) => {
      const r = this.result(a, 'eth_getTransactionReceipt', hashes[i]) as RpcReceipt | null;
      if (r === null || typeof r !== 'object') {
        throw new SourceError('RPC_MALFORMED', `the node at ${this.label} has no receipt for transaction ${hashes[i]}`);
      }
      return r;
    });
  }

  async getLogs(filter: LogFilter, signal?: AbortSignal): Promise<RpcLog[]> {
    const params = {
      fromBlock: hexBlock(filter.fromBlock),
      toBlock: hexBlock(filter.toBlock),
      ...(filter.address === undefined ? {} : { address: filter.address }),
      ...(filter.topics === undefined ? {} : { topics: filter.topics }),
    };
    try {
      const logs = await this.rpc.call<RpcLog[]>('eth_getLogs', [params], signal);
      if (!Array.isArray(logs)) throw new SourceError('RPC_MALFORMED', `eth_getLogs at ${this.label} answered ${JSON.stringify(logs)?.slice(0, 60)}`);
      return logs;
    } catch (err) {
      if (!(err instanceof RpcCallError) || !(err.rpcCode === -32005 || LOGS_TOO_BIG.test(err.message))) throw err;
      if (filter.fromBlock >= filter.toBlock) {
        throw new SourceError(
          'ETH_LOGS_TOO_MANY',
          `eth_getLogs at ${this.label} refuses even the single block ${filter.fromBlock} (${err.message}); use a node without a result-size limit`,
          { cause: err },
        );
      }
      this.splits++;
      const mid = Math.floor((filter.fromBlock + filter.toBlock) / 2);
      const left = await this.getLogs({ ...filter, toBlock: mid }, signal);
      const right = await this.getLogs({ ...filter, fromBlock: mid + 1 }, signal);
      return [...left, ...right];
    }
  }

  async getCode(queries: readonly { address: string; block: number | 'latest' }[]): Promise<string[]> {
    const answers = await this.rpc.batch(
      queries.map((q) => ({ method: 'eth_getCode', params: [q.address, q.block === 'latest' ? 'latest' : hexBlock(q.block)] })),
    );
    return answers.map((a, i) => {
      const code = this.result(a, 'eth_getCode', queries[i].address);
      if (typeof code !== 'string' || !/^0x(?:[0-9a-fA-F]{2})*$/.test(code)) {
        throw new SourceError('RPC_MALFORMED', `eth_getCode(${queries[i].address}) at ${this.label} answered ${JSON.stringify(code)?.slice(0, 60)}`);
      }
      return code;
    });
  }

  async call(calls: readonly { to: string; data: string }[], blockTag: number | 'latest'): Promise<(string | null)[]> {
    const tag = blockTag === 'latest' ? 'latest' : hexBlock(blockTag);
    const answers = await this.rpc.batch(calls.map((c) => ({ method: 'eth_call', params: [{ to: c.to, data: c.data }, tag] })));
    return answers.map((a) => ('error' in a || typeof a.result !== 'string' ? null : a.result));
  }

  /** Releases the client's keep-alive sockets. */
  close(): void {
    this.rpc.close();
  }

  private result(outcome: RpcOutcome, method: string, what: number | string): unknown {
    if ('error' in outcome) {
      throw new SourceError('RPC_ERROR', `${method}(${what}) failed on ${this.label}: ${outcome.error.message} (JSON-RPC error ${outcome.error.code})`);
    }
    return outcome.result;
  }

  private quantity(value: unknown, method: string): bigint {
    if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(value)) {
      throw new SourceError('RPC_MALFORMED', `${method} at ${this.label} answered ${JSON.stringify(value)}, not a hex quantity`);
    }
    return BigInt(value);
  }
}
