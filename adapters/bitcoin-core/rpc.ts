/**
 * Bitcoin Core JSON-RPC as a source.
 *
 * Wire format (Core's HTTP server): POST / with HTTP Basic auth (`rpcuser`/`rpcpassword`, or the
 * `__cookie__:<secret>` line of the `.cookie` file); body `{"jsonrpc":"1.0","id":…,"method":…,
 * "params":[…]}` or an array of such objects (a batch, answered with an array in any order, matched
 * by id). A failed single call answers HTTP 500 (or 404 for an unknown method) with
 * `{"result":null,"error":{"code":…,"message":…}}`; inside a batch each item carries its own error.
 *
 * Calls used: `getblockchaininfo` (chain and tip), `getblockhash` (height → hash, batched), and
 * `getblock <hash> <verbosity>`: 0 = raw hex (decoded by wildtrace's fast decoder), 2 = JSON with
 * each tx's `hex`, 3 = as 2 plus each input's `prevout` ({value in BTC, scriptPubKey.hex}), which
 * resolves inputs without the case's output index.
 */
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import {
  classifyScript,
  decodeBitcoinBlock,
  decodeBitcoinTx,
  InvalidInputError,
  redactUrl,
  SourceError,
  type BitcoinCheckpoint,
  type BitcoinItemWithPrevouts,
  type BitcoinNetworkName,
  type BitcoinPrevout,
  type Block,
  type Tx,
} from '../../src/index.js';
import { fromHex } from '../../src/bitcoin/hex.js';
import { httpRequest, NETWORK_FAILURES, shownJson, sleep } from './http.js';

/** How to reach a Bitcoin Core node. */
export interface BitcoinRpcOptions {
  /** e.g. `http://127.0.0.1:8332/`; `http://user:password@…` gives the credentials too (never shown in messages) */
  url: string;
  /** `rpcuser`/`rpcpassword` (default: the URL's userinfo) */
  user?: string;
  password?: string;
  /** path of the node's `.cookie` file (read at the first call); used when `user` is not given */
  cookieFile?: string;
  /** HTTP agent, e.g. a SOCKS agent (default: Node's global agent) */
  agent?: http.Agent;
  /** per-request timeout in ms (default 60 000: a verbosity-3 block can take a while) */
  timeoutMs?: number;
  /** retries of a request that failed to connect, timed out, or got HTTP 502/503/504 (default 2) */
  retries?: number;
  /** first backoff in ms, doubled per retry (default 500) */
  backoffMs?: number;
  signal?: AbortSignal;
}

/** One call of a batch. */
export interface RpcCall {
  method: string;
  params?: unknown[];
}

interface RpcReply {
  id?: unknown;
  result?: unknown;
  error?: { code?: number; message?: string } | null;
}

/** A Bitcoin Core JSON-RPC client: single calls and batches, with typed errors. */
export class BitcoinRpcClient {
  private authHeader?: string;
  private nextId = 1;
  /** the URL without userinfo: what requests go to */
  private readonly endpoint: string;
  private readonly urlUser?: { user: string; password: string };
  /** the URL as messages show it (no userinfo, no credential query values) */
  readonly label: string;

  constructor(readonly options: BitcoinRpcOptions) {
    this.label = redactUrl(options.url);
    const u = URL.canParse(options.url) ? new URL(options.url) : undefined;
    if (u && (u.username || u.password)) {
      this.urlUser = { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
      u.username = '';
      u.password = '';
    }
    this.endpoint = u?.href ?? options.url;
  }

  private async auth(): Promise<string> {
    if (this.authHeader) return this.authHeader;
    let pair: string;
    if (this.options.user !== undefined) pair = `${this.options.user}:${this.options.password ?? ''}`;
    else if (this.urlUser) pair = `${this.urlUser.user}:${this.urlUser.password}`;
    else if (this.options.cookieFile) {
      try {
        pair = (await readFile(this.options.cookieFile, 'utf8')).trim();
      } catch (err) {
        throw new SourceError('BTC_RPC_COOKIE', `cannot read the RPC cookie file ${this.options.cookieFile}: ${(err as Error).message}. Is bitcoind running with this datadir?`, {
          cause: err,
        });
      }
    } else {
      throw new SourceError('BTC_RPC_NO_AUTH', 'give Bitcoin Core RPC credentials: { user, password } or { cookieFile } (the .cookie in the datadir)');
    }
    this.authHeader = `Basic ${Buffer.from(pair).toString('base64')}`;
    return this.authHeader;
  }

  private async post(body: unknown): Promise<unknown> {
    const retries = this.options.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await httpRequest({
          url: this.endpoint,
          method: 'POST',
          headers: { authorization: await this.auth(), 'content-type': 'application/json' },
          body: JSON.stringify(body),
          agent: this.options.agent,
          timeoutMs: this.options.timeoutMs ?? 60_000,
          signal: this.options.signal,
        });
        return this.parse(res.status, res.body);
      } catch (err) {
        const transient =
          err instanceof SourceError && (NETWORK_FAILURES.has(err.code) || err.code === 'BTC_RPC_UNAVAILABLE');
        if (!transient || attempt >= retries) throw err;
        await sleep((this.options.backoffMs ?? 500) * 2 ** attempt, this.options.signal);
      }
    }
  }

  private parse(status: number, body: Buffer): unknown {
    if (status === 401 || status === 403) {
      throw new SourceError('BTC_RPC_UNAUTHORIZED', `Bitcoin Core at ${this.label} refused the credentials (HTTP ${status}); check rpcuser/rpcpassword or the cookie file`);
    }
    if (status === 502 || status === 503 || status === 504) {
      throw new SourceError('BTC_RPC_UNAVAILABLE', `Bitcoin Core at ${this.label} is unavailable (HTTP ${status}); it may still be starting (warming up)`);
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new SourceError(
        'BTC_RPC_BAD_RESPONSE',
        `Bitcoin Core at ${this.label} answered HTTP ${status} with a body that is not JSON (${body.length} bytes: ${JSON.stringify(body.toString('utf8', 0, 80))}); is this URL a Bitcoin Core RPC port?`,
      );
    }
    if (status !== 200 && !(json && typeof json === 'object' && 'error' in json && (json as RpcReply).error)) {
      throw new SourceError('BTC_RPC_HTTP_ERROR', `Bitcoin Core at ${this.label} answered HTTP ${status}`);
    }
    return json;
  }

  private static check(method: string, reply: RpcReply | undefined): unknown {
    if (!reply || typeof reply !== 'object') throw new SourceError('BTC_RPC_BAD_RESPONSE', `no reply to ${method} in the batch answer`);
    if (reply.error) {
      const { message, code } = reply.error;
      throw new SourceError('BTC_RPC_ERROR', `Bitcoin Core: ${method} failed: ${typeof message === 'string' ? message : shownJson(reply.error)} (RPC code ${shownJson(code)})`);
    }
    return reply.result;
  }

  /** Calls one method. Throws {@link SourceError} `BTC_RPC_ERROR` with Core's message when it fails. */
  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const reply = (await this.post({ jsonrpc: '1.0', id: this.nextId++, method, params })) as RpcReply;
    return BitcoinRpcClient.check(method, reply) as T;
  }

  /** Calls many methods in one HTTP request; results in call order. */
  async batch<T = unknown>(calls: readonly RpcCall[]): Promise<T[]> {
    if (calls.length === 0) return [];
    const first = this.nextId;
    this.nextId += calls.length;
    const replies = await this.post(calls.map((c, i) => ({ jsonrpc: '1.0', id: first + i, method: c.method, params: c.params ?? [] })));
    if (!Array.isArray(replies)) throw new SourceError('BTC_RPC_BAD_RESPONSE', `Bitcoin Core answered a batch of ${calls.length} calls with a non-array`);
    const byId = new Map((replies as RpcReply[]).map((r) => [r?.id, r]));
    return calls.map((c, i) => BitcoinRpcClient.check(c.method, byId.get(first + i)) as T);
  }

  /** `getblockchaininfo`: chain name, block count, best block hash … */
  getBlockchainInfo(): Promise<{ chain: string; blocks: number; bestblockhash: string }> {
    return this.call('getblockchaininfo');
  }
}

/** Options of {@link rpcBlockSource}. */
export interface RpcBlockSourceOptions extends BitcoinRpcOptions {
  /** first height (default 0, or after the checkpoint when resuming) */
  from?: number;
  /** last height, inclusive (default: the tip at the start) */
  to?: number;
  /** `getblock` verbosity: 0 raw, 2 JSON, 3 JSON with prevouts (default 3) */
  verbosity?: 0 | 2 | 3;
  /** heights per `getblockhash` batch (default 100) */
  batchSize?: number;
  /** keep raw scripts in the model (default `false`) */
  scripts?: boolean;
}

const NETWORK_OF_CHAIN: Record<string, BitcoinNetworkName> = { main: 'bitcoin', test: 'testnet', testnet4: 'testnet', signet: 'testnet', regtest: 'regtest' };

interface VerboseTx {
  txid: string;
  hex: string;
  vin: { txid?: string; vout?: number; coinbase?: string; prevout?: { value: number; scriptPubKey: { hex: string } } }[];
}
interface VerboseBlock {
  hash: string;
  height: number;
  previousblockhash?: string;
  time: number;
  tx: VerboseTx[];
}

function bad(what: string): never {
  throw new SourceError('BTC_RPC_BAD_RESPONSE', `Bitcoin Core sent ${what}`);
}

/** BTC amount as Core prints it (≤ 8 decimals) → satoshi, exact for every amount up to 21 million BTC. */
function satoshis(btc: unknown): bigint {
  if (typeof btc !== 'number' || !Number.isFinite(btc) || btc < 0 || btc > 21_000_000) bad(`an invalid amount ${shownJson(btc)}`);
  return BigInt(Math.round(btc * 1e8));
}

/** A verbose (2 or 3) `getblock` answer → model block (+ the prevouts of verbosity 3). */
function fromVerbose(v: VerboseBlock, network: BitcoinNetworkName, scripts: boolean): Block | BitcoinItemWithPrevouts {
  if (!v || typeof v !== 'object' || typeof v.hash !== 'string' || !Array.isArray(v.tx)) bad('a getblock answer without hash or tx');
  if (!Number.isSafeInteger(v.height) || v.height < 0 || !Number.isSafeInteger(v.time)) bad(`block ${shownJson(v.hash)} without a valid height and time`);
  if (v.previousblockhash !== undefined && typeof v.previousblockhash !== 'string') bad(`block ${shownJson(v.hash)} with previousblockhash ${shownJson(v.previousblockhash)}`);
  const prevouts = new Map<string, BitcoinPrevout>();
  const txs: Tx[] = v.tx.map((t) => {
    if (typeof t?.hex !== 'string') bad(`transaction ${shownJson(t?.txid)} without hex (getblock verbosity 2 or 3 is needed)`);
    const tx = decodeBitcoinTx(fromHex(t.hex, `hex of transaction ${shownJson(t.txid)}`), { network, scripts });
    if (tx.txid !== t.txid) {
      throw new InvalidInputError(`transaction hex does not hash to its txid ${shownJson(t.txid)} (got ${tx.txid}); the answer is corrupted`, { code: 'BTC_TXID_MISMATCH' });
    }
    if (t.vin !== undefined && (!Array.isArray(t.vin) || t.vin.length !== tx.inputs.length)) bad(`transaction ${tx.txid} with a vin list that does not match its ${tx.inputs.length} inputs`);
    t.vin?.forEach((vin, i) => {
      if (typeof vin !== 'object' || vin === null) bad(`input ${i} of transaction ${tx.txid} as ${shownJson(vin)}`);
      if (!vin.prevout || vin.coinbase !== undefined) return;
      if (typeof vin.prevout !== 'object') bad(`the prevout of input ${i} of transaction ${tx.txid} as ${shownJson(vin.prevout)}`);
      const c = classifyScript(fromHex(vin.prevout.scriptPubKey?.hex ?? '', 'prevout script'), network);
      const input = tx.inputs[i];
      prevouts.set(`${input.prevTxid}:${input.prevVout}`, { value: satoshis(vin.prevout.value), scriptType: c.scriptType, ...(c.address ? { address: c.address } : {}) });
    });
    return { ...tx, blockHash: v.hash, blockHeight: v.height, time: v.time };
  });
  const block: Block = { chain: 'btc', hash: v.hash, height: v.height, prevHash: v.previousblockhash ?? '0'.repeat(64), time: v.time, txs };
  return prevouts.size > 0 ? { block, prevouts } : block;
}

/**
 * A source over a Bitcoin Core node: the blocks of a height range, in order, with prevouts when
 * verbosity is 3. Resuming starts after the checkpoint's height.
 */
export function rpcBlockSource(options: RpcBlockSourceOptions): (resume: BitcoinCheckpoint | undefined) => AsyncIterable<Block | BitcoinItemWithPrevouts> {
  const client = new BitcoinRpcClient(options);
  const verbosity = options.verbosity ?? 3;
  const batchSize = options.batchSize ?? 100;
  return (resume) =>
    (async function* () {
      const info = await client.getBlockchainInfo();
      if (!info || !Number.isSafeInteger(info.blocks) || info.blocks < 0) bad(`a getblockchaininfo answer without a block count (${shownJson(info)})`);
      const network = typeof info.chain === 'string' && Object.hasOwn(NETWORK_OF_CHAIN, info.chain) ? NETWORK_OF_CHAIN[info.chain] : 'bitcoin';
      const from = Math.max(options.from ?? 0, resume?.height !== undefined ? resume.height + 1 : 0);
      const to = Math.min(options.to ?? info.blocks, info.blocks);
      for (let h = from; h <= to; h += batchSize) {
        const heights = Array.from({ length: Math.min(batchSize, to - h + 1) }, (_, i) => h + i);
        const hashes = await client.batch<string>(heights.map((height) => ({ method: 'getblockhash', params: [height] })));
        for (const hash of hashes) if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) bad(`a getblockhash answer that is not a block hash: ${shownJson(hash)}`);
        for (let i = 0; i < hashes.length; i++) {
          options.signal?.throwIfAborted();
          const answer = await client.call<unknown>('getblock', [hashes[i], verbosity]);
          if (verbosity === 0) {
            if (typeof answer !== 'string') bad('a non-string answer to getblock verbosity 0');
            const block = decodeBitcoinBlock(fromHex(answer, `block ${hashes[i]}`), { network, height: heights[i], scripts: options.scripts });
            if (block.hash !== hashes[i]) bad(`block ${block.hash} when asked for ${hashes[i]}`);
            yield block;
          } else {
            const item = fromVerbose(answer as VerboseBlock, network, options.scripts ?? false);
            const hash = 'prevouts' in item ? item.block?.hash : item.hash;
            if (hash !== hashes[i]) bad(`block ${shownJson(hash)} when asked for ${hashes[i]}`);
            yield item;
          }
        }
      }
    })();
}
