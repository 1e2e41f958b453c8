/**
 * The door between the ethereum room and the outside world: what an Ethereum source must
 * answer, in the raw JSON-RPC shapes (hex quantities) that every node speaks. The adapter
 * `wildtrace/adapters/ethereum-rpc` implements it over any JSON-RPC endpoint; a test or a
 * notebook can implement it over saved responses. The room validates and normalises
 * everything it gets, so a source may pass node answers through unchanged.
 */

/** A transaction object of `eth_getBlockByNumber(n, true)`. */
export interface RpcTransaction {
  hash: string;
  from: string;
  to: string | null;
  value: string;
  nonce: string;
  blockNumber?: string | null;
  transactionIndex?: string | null;
  input?: string;
  [field: string]: unknown;
}

/** A block of `eth_getBlockByNumber(n, true)` (full transactions). */
export interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  miner?: string;
  transactions: RpcTransaction[];
  [field: string]: unknown;
}

/** A log entry of a receipt or of `eth_getLogs`. */
export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  logIndex: string;
  transactionHash: string;
  blockNumber: string;
  transactionIndex?: string;
  removed?: boolean;
  [field: string]: unknown;
}

/** A receipt of `eth_getBlockReceipts` / `eth_getTransactionReceipt`. */
export interface RpcReceipt {
  transactionHash: string;
  status?: string | null;
  gasUsed: string;
  effectiveGasPrice?: string | null;
  contractAddress?: string | null;
  logs: RpcLog[];
  [field: string]: unknown;
}

/** One frame of Geth's `callTracer` (`debug_traceBlockByNumber`). */
export interface CallFrame {
  type: string;
  from: string;
  to?: string;
  value?: string;
  error?: string;
  calls?: CallFrame[];
  [field: string]: unknown;
}

/** One entry of `debug_traceBlockByNumber(n, { tracer: 'callTracer' })`. */
export interface CallTracerResult {
  txHash?: string;
  result?: CallFrame;
  error?: string;
}

/** One entry of OpenEthereum/Erigon/Reth/Anvil `trace_block`. */
export interface ParityTrace {
  type: string;
  action: { callType?: string; from?: string; to?: string; value?: string; address?: string; refundAddress?: string; balance?: string; init?: string };
  result?: { address?: string } | null;
  error?: string;
  traceAddress: number[];
  transactionHash?: string | null;
  transactionPosition?: number | null;
  [field: string]: unknown;
}

/** How a source gets internal transfers: one of the two trace methods, or none. */
export type TraceMethod = 'debug_traceBlockByNumber' | 'trace_block';

/** What the node behind a source can do. */
export interface EthereumCapabilities {
  /** `eth_getBlockReceipts` is available (else receipts are fetched per transaction) */
  readonly blockReceipts: boolean;
  /** the trace method used for internal transfers, `null` when the node has neither */
  readonly trace: TraceMethod | null;
}

/** One block with everything the ingestion needs from it. */
export interface RawBlockBundle {
  readonly block: RpcBlock;
  /** receipts of the block's transactions, in block order (empty when not asked for) */
  readonly receipts: RpcReceipt[];
  /** the block's traces in the shape of `traceMethod`; absent when not fetched */
  readonly traces?: CallTracerResult[] | ParityTrace[];
  readonly traceMethod?: TraceMethod;
}

/** Options of {@link EthereumSource.fetchBlocks}. */
export interface FetchBlocksOptions {
  /** fetch traces with the node's trace method (default `true`; ignored when it has none) */
  traces?: boolean;
  /** fetch the receipts of every transaction (default `true`; address-centric reads ask for theirs with getReceipts) */
  receipts?: boolean;
  signal?: AbortSignal;
}

/** A filter of `eth_getLogs` over a block range. */
export interface LogFilter {
  fromBlock: number;
  toBlock: number;
  address?: string | string[];
  topics?: (string | string[] | null)[];
}

/** Counters a source keeps about its own work (for results and benchmarks). */
export interface SourceStats {
  /** HTTP requests sent */
  requests: number;
  /** JSON-RPC calls made (a batch counts each call) */
  calls: number;
  /** requests retried after a 429, a 5xx, a dropped connection or a malformed body */
  retries: number;
  /** `eth_getLogs` ranges split because the node refused them as too large */
  logRangeSplits: number;
}

/**
 * An Ethereum data source. Implementations must return exactly what the node said (or throw a
 * `SourceError` with a `code`); they never invent or drop data silently.
 */
export interface EthereumSource {
  /** a short description for results and errors (an URL without credentials, `fixture`, …) */
  readonly label: string;
  /** the chain id (`eth_chainId`) */
  chainId(): Promise<bigint>;
  /** the latest block number */
  blockNumber(): Promise<number>;
  /** what the node can do; probed once and remembered */
  capabilities(): Promise<EthereumCapabilities>;
  /** blocks `numbers` with receipts and traces, in the order asked */
  fetchBlocks(numbers: readonly number[], options?: FetchBlocksOptions): Promise<RawBlockBundle[]>;
  /** the receipts of transactions `hashes`, in the order asked */
  getReceipts(hashes: readonly string[], signal?: AbortSignal): Promise<RpcReceipt[]>;
  /** all logs matching `filter`, splitting the range when the node limits it */
  getLogs(filter: LogFilter, signal?: AbortSignal): Promise<RpcLog[]>;
  /** the code of each address (hex, `0x` when none) at its block */
  getCode(queries: readonly { address: string; block: number | 'latest' }[]): Promise<string[]>;
  /** `eth_call`s; each answers its return data, or `null` when the call reverted or failed */
  call(calls: readonly { to: string; data: string }[], blockTag: number | 'latest'): Promise<(string | null)[]>;
  /** counters so far */
  readonly stats: SourceStats;
}
