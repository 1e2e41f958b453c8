/**
 * Esplora REST (Blockstream / mempool.space compatible) as a Bitcoin source.
 *
 *   GET /blocks/tip/height                 → text height
 *   GET /block-height/:height              → text block hash
 *   GET /block/:hash                       → JSON header (id, height, previousblockhash, timestamp, tx_count, merkle_root)
 *   GET /block/:hash/txs/:start            → JSON txs start … start+24 (start a multiple of 25)
 *   GET /tx/:txid                          → JSON tx
 *   GET /address/:address/txs              → JSON: unconfirmed txs, then the newest 25 confirmed
 *   GET /address/:address/txs/chain/:last  → JSON: the next 25 confirmed after txid `last`
 *
 * A tx JSON has version, locktime, vin[] (txid, vout, scriptsig, witness[], sequence, is_coinbase,
 * prevout {scriptpubkey, value in satoshi}) and vout[] (scriptpubkey, value). The adapter
 * re-serialises it to wire bytes and runs wildtrace's decoder on them, so an Esplora tx is
 * normalised exactly like a raw one, and a txid that does not recompute is rejected. Prevouts go
 * to ingestion as the source's prevouts. Requests are spaced by a rate limit, retried with
 * exponential backoff on 429/5xx/timeouts (honouring Retry-After), and can go through any
 * http.Agent (a SOCKS agent for Tor).
 */
import type http from 'node:http';
import {
  classifyScript,
  decodeBitcoinTx,
  redactUrl,
  SourceError,
  type BitcoinCheckpoint,
  type BitcoinItemWithPrevouts,
  type BitcoinNetworkName,
  type BitcoinPrevout,
  type BitcoinSkipped,
  type Block,
  type Tx,
} from '../../src/index.js';
import { fromHex } from '../../src/bitcoin/hex.js';
import { httpRequest, NETWORK_FAILURES, shownJson, sleep } from '../bitcoin-core/http.js';
import { encodeCompactSize } from '../../src/bitcoin/compact-size.js';

/** Options of {@link EsploraClient}. */
export interface EsploraOptions {
  /** API root, e.g. `https://blockstream.info/api` or `http://127.0.0.1:3000` */
  baseUrl: string;
  /** network of the server's addresses (default `bitcoin`) */
  network?: BitcoinNetworkName;
  /** at most this many requests per second (default 5; public servers throttle harder than you think) */
  requestsPerSecond?: number;
  /** retries after 429, 5xx, timeouts and dropped connections (default 4) */
  retries?: number;
  /** first backoff in ms, doubled per retry, unless the server sends Retry-After (default 1000) */
  backoffMs?: number;
  /** per-request timeout in ms (default 30 000) */
  timeoutMs?: number;
  /** e.g. a SocksProxyAgent to reach an onion Esplora through Tor */
  agent?: http.Agent;
  signal?: AbortSignal;
  /** keep raw scripts in the model (default `false`) */
  scripts?: boolean;
}

/** A transaction as Esplora sends it (the fields wildtrace reads). */
export interface EsploraTx {
  txid: string;
  version: number;
  locktime: number;
  vin: {
    txid: string;
    vout: number;
    is_coinbase: boolean;
    scriptsig: string;
    witness?: string[];
    sequence: number;
    prevout: { scriptpubkey: string; value: number } | null;
  }[];
  vout: { scriptpubkey: string; value: number }[];
  status?: { confirmed: boolean; block_height?: number; block_hash?: string; block_time?: number };
}

interface EsploraBlock {
  id: string;
  height: number;
  previousblockhash?: string | null;
  timestamp: number;
  tx_count: number;
}

const PAGE = 25;

function bad(what: string): never {
  throw new SourceError('ESPLORA_BAD_RESPONSE', `Esplora sent ${what}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A block hash or txid as Esplora writes them: 64 lowercase hex digits. */
const isHash = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

/** An integer field of an Esplora tx within [min, 2³² − 1] (a version may be a signed 32-bit number). */
function u32Field(value: unknown, what: string, txid: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 0xffffffff) bad(`an invalid ${what} ${shownJson(value)} in ${txid}`);
  return value;
}

/** Esplora tx JSON → wire bytes (with witness when any input has one). */
export function serializeEsploraTx(t: EsploraTx): Buffer {
  if (!isObject(t) || !Array.isArray(t.vin) || !Array.isArray(t.vout)) bad(`a transaction without vin/vout (${shownJson(t)})`);
  const id = shownJson(t.txid);
  for (const v of t.vin as unknown[]) {
    if (!isObject(v)) bad(`an input that is not an object in ${id}`);
    if (v.witness !== undefined && v.witness !== null && !Array.isArray(v.witness)) bad(`an input witness that is not a list in ${id}`);
  }
  for (const o of t.vout as unknown[]) if (!isObject(o)) bad(`an output that is not an object in ${id}`);
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    return b;
  };
  const bytes = (hex: unknown, what: string) => {
    if (hex !== undefined && typeof hex !== 'string') bad(`a ${what} that is not hex text in ${id}`);
    return Buffer.from(fromHex(hex ?? '', `${what} of ${id}`));
  };
  const segwit = t.vin.some((v) => (v.witness?.length ?? 0) > 0);
  parts.push(u32(u32Field(t.version, 'version', id, -0x80000000)));
  if (segwit) parts.push(Buffer.of(0, 1));
  parts.push(encodeCompactSize(t.vin.length));
  for (const v of t.vin) {
    parts.push(v.is_coinbase ? Buffer.alloc(32) : Buffer.from(bytes(v.txid, 'input txid')).reverse());
    parts.push(u32(v.is_coinbase ? 0xffffffff : u32Field(v.vout, 'input vout', id)));
    const sig = bytes(v.scriptsig, 'scriptsig');
    parts.push(encodeCompactSize(sig.length), sig, u32(u32Field(v.sequence, 'input sequence', id)));
  }
  parts.push(encodeCompactSize(t.vout.length));
  for (const o of t.vout) {
    if (!Number.isSafeInteger(o.value) || o.value < 0) bad(`an invalid output value ${shownJson(o.value)} in ${id}`);
    const v = Buffer.alloc(8);
    v.writeBigUInt64LE(BigInt(o.value));
    const script = bytes(o.scriptpubkey, 'scriptpubkey');
    parts.push(v, encodeCompactSize(script.length), script);
  }
  if (segwit) {
    for (const v of t.vin) {
      const w = v.witness ?? [];
      parts.push(encodeCompactSize(w.length));
      for (const item of w) {
        const b = bytes(item, 'witness item');
        parts.push(encodeCompactSize(b.length), b);
      }
    }
  }
  parts.push(u32(u32Field(t.locktime, 'locktime', id)));
  return Buffer.concat(parts);
}

/** An Esplora REST client: rate-limited, retrying, typed errors, optional agent. */
export class EsploraClient {
  private nextSlot = 0;
  /** HTTP requests sent (including retries) */
  requests = 0;

  constructor(readonly options: EsploraOptions) {}

  private get network(): BitcoinNetworkName {
    return this.options.network ?? 'bitcoin';
  }

  /**
   * Waits for this request's slot, `1000 / requestsPerSecond` ms after the previous one's. A timer
   * may fire a little early against the wall clock (libuv counts from the loop time it cached when
   * it was set), so the wait loops until the clock has reached the slot.
   */
  private async throttle(): Promise<void> {
    const gap = 1000 / (this.options.requestsPerSecond ?? 5);
    const at = Math.max(Date.now(), this.nextSlot);
    this.nextSlot = at + gap;
    for (let now = Date.now(); now < at; now = Date.now()) await sleep(at - now, this.options.signal);
  }

  /** GET `path` (relative to baseUrl) as text, with rate limiting and retries. */
  async getText(path: string): Promise<string> {
    const url = this.options.baseUrl.replace(/\/+$/, '') + path;
    const shown = redactUrl(url);
    const retries = this.options.retries ?? 4;
    for (let attempt = 0; ; attempt++) {
      await this.throttle();
      this.requests++;
      let retryAfterMs: number | undefined;
      let error: SourceError;
      try {
        const res = await httpRequest({ url, agent: this.options.agent, timeoutMs: this.options.timeoutMs ?? 30_000, signal: this.options.signal });
        if (res.status === 200) return res.body.toString('utf8');
        const text = res.body.toString('utf8', 0, 200).trim();
        if (res.status === 404 || res.status === 400) throw new SourceError('ESPLORA_NOT_FOUND', `Esplora ${shown}: HTTP ${res.status} ${text}`);
        if (res.status === 401 || res.status === 403) {
          throw new SourceError('ESPLORA_UNAUTHORIZED', `Esplora ${shown} refused access (HTTP ${res.status}); check the URL and any proxy credentials`);
        }
        const retryAfter = Number(res.headers['retry-after']);
        if (Number.isFinite(retryAfter)) retryAfterMs = retryAfter * 1000;
        error =
          res.status === 429
            ? new SourceError('ESPLORA_RATE_LIMITED', `Esplora ${shown} kept answering 429 Too Many Requests; lower requestsPerSecond`)
            : new SourceError('ESPLORA_HTTP_ERROR', `Esplora ${shown} answered HTTP ${res.status} ${text}`);
      } catch (err) {
        if (!(err instanceof SourceError) || !NETWORK_FAILURES.has(err.code)) throw err;
        error = err;
      }
      if (attempt >= retries) throw error;
      await sleep(retryAfterMs ?? (this.options.backoffMs ?? 1000) * 2 ** attempt, this.options.signal);
    }
  }

  /** GET `path` as JSON. */
  async getJson<T>(path: string): Promise<T> {
    const text = await this.getText(path);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new SourceError('ESPLORA_BAD_RESPONSE', `Esplora ${path} sent malformed JSON (${text.length} bytes: ${JSON.stringify(text.slice(0, 60))})`);
    }
  }

  /** The height of the server's tip. */
  async tipHeight(): Promise<number> {
    const h = Number((await this.getText('/blocks/tip/height')).trim());
    if (!Number.isSafeInteger(h) || h < 0) bad('a tip height that is not a number');
    return h;
  }

  /** The hash of the block at `height`. */
  async blockHash(height: number): Promise<string> {
    const hash = (await this.getText(`/block-height/${height}`)).trim();
    if (!isHash(hash)) bad(`a block hash that is not 64 hex digits for height ${height}`);
    return hash;
  }

  /** Normalises one Esplora tx and collects its prevouts into `prevouts`. */
  normalise(t: EsploraTx, prevouts: Map<string, BitcoinPrevout>): Tx {
    const tx = decodeBitcoinTx(serializeEsploraTx(t), { network: this.network, scripts: this.options.scripts });
    if (tx.txid !== t.txid) bad(`transaction ${shownJson(t.txid)} whose fields hash to ${tx.txid}`);
    t.vin.forEach((v, i) => {
      if (v.is_coinbase || !v.prevout) return;
      const p: unknown = v.prevout;
      if (!isObject(p) || typeof p.scriptpubkey !== 'string' || !Number.isSafeInteger(p.value) || (p.value as number) < 0) {
        bad(`an invalid prevout ${shownJson(p)} for input ${i} of ${t.txid}`);
      }
      const c = classifyScript(fromHex(v.prevout.scriptpubkey, 'prevout scriptpubkey'), this.network);
      prevouts.set(`${tx.inputs[i].prevTxid}:${tx.inputs[i].prevVout}`, {
        value: BigInt(v.prevout.value),
        scriptType: c.scriptType,
        ...(c.address ? { address: c.address } : {}),
      });
    });
    const s = t.status;
    if (!s?.confirmed) return tx;
    if (!isHash(s.block_hash) || !Number.isSafeInteger(s.block_height) || !Number.isSafeInteger(s.block_time)) {
      bad(`a confirmed transaction ${t.txid} with an invalid status ${shownJson(s)}`);
    }
    return { ...tx, blockHash: s.block_hash, blockHeight: s.block_height, time: s.block_time };
  }

  /** The block with `hash`, all its transactions (paged 25 at a time) and their prevouts. */
  async block(hash: string): Promise<BitcoinItemWithPrevouts & { block: Block }> {
    const header = await this.getJson<EsploraBlock>(`/block/${hash}`);
    if (!header || header.id !== hash || !Number.isSafeInteger(header.tx_count)) bad(`a block header that is not block ${hash}`);
    const prev = header.previousblockhash;
    if (!Number.isSafeInteger(header.height) || header.height < 0 || !Number.isSafeInteger(header.timestamp) || (prev != null && !isHash(prev))) {
      bad(`a header of block ${hash} with an invalid height, timestamp or previousblockhash (${shownJson(header)})`);
    }
    const prevouts = new Map<string, BitcoinPrevout>();
    const txs: Tx[] = [];
    for (let start = 0; start < header.tx_count; start += PAGE) {
      const page = await this.getJson<EsploraTx[]>(`/block/${hash}/txs/${start}`);
      if (!Array.isArray(page) || page.length === 0) bad(`an empty page ${start} of block ${hash}`);
      for (const t of page) txs.push({ ...this.normalise(t, prevouts), blockHash: hash, blockHeight: header.height, time: header.timestamp });
    }
    if (txs.length !== header.tx_count) bad(`${txs.length} transactions for block ${hash}, whose header says ${header.tx_count}`);
    return {
      block: { chain: 'btc', hash, height: header.height, prevHash: header.previousblockhash ?? '0'.repeat(64), time: header.timestamp, txs },
      prevouts,
    };
  }

  /** One transaction with its prevouts. */
  async tx(txid: string): Promise<{ txs: Tx[]; prevouts: Map<string, BitcoinPrevout> }> {
    const prevouts = new Map<string, BitcoinPrevout>();
    return { txs: [this.normalise(await this.getJson<EsploraTx>(`/tx/${txid}`), prevouts)], prevouts };
  }

  /**
   * Every confirmed transaction of an address, newest first, following the chained pagination
   * (`/address/:a/txs`, then `/txs/chain/:last_seen_txid` until a short page). Unconfirmed ones are
   * reported as skipped (`BTC_UNCONFIRMED`): they may never confirm.
   */
  async *addressTxs(address: string): AsyncGenerator<BitcoinItemWithPrevouts | { skipped: BitcoinSkipped }> {
    let path = `/address/${encodeURIComponent(address)}/txs`;
    for (;;) {
      const page = await this.getJson<EsploraTx[]>(path);
      if (!Array.isArray(page)) bad(`a non-array page of address ${address}`);
      for (const t of page as unknown[]) if (!isObject(t)) bad(`a page of address ${address} with an entry ${shownJson(t)}`);
      const confirmed = page.filter((t) => t.status?.confirmed !== false);
      for (const t of page) {
        if (t.status?.confirmed === false) {
          const id = typeof t.txid === 'string' ? t.txid : shownJson(t.txid);
          yield { skipped: { id, code: 'BTC_UNCONFIRMED', reason: `transaction ${id} of ${address} is not confirmed yet` } };
          continue;
        }
        const prevouts = new Map<string, BitcoinPrevout>();
        yield { txs: [this.normalise(t, prevouts)], prevouts };
      }
      if (confirmed.length < PAGE) return;
      const last = confirmed[confirmed.length - 1].txid;
      if (!isHash(last)) bad(`a page of address ${address} ending in txid ${shownJson(last)}`);
      path = `/address/${encodeURIComponent(address)}/txs/chain/${last}`;
    }
  }
}

/** Options of {@link esploraBlockSource}. */
export interface EsploraBlockSourceOptions extends EsploraOptions {
  /** first height (default: after the checkpoint, else 0) */
  from?: number;
  /** last height, inclusive (default: the tip at the start) */
  to?: number;
}

/** A source of the blocks of a height range from an Esplora server, with prevouts. */
export function esploraBlockSource(options: EsploraBlockSourceOptions): (resume: BitcoinCheckpoint | undefined) => AsyncIterable<BitcoinItemWithPrevouts> {
  const client = new EsploraClient(options);
  return (resume) =>
    (async function* () {
      const from = Math.max(options.from ?? 0, resume?.height !== undefined ? resume.height + 1 : 0);
      const to = options.to ?? (await client.tipHeight());
      for (let h = from; h <= to; h++) {
        options.signal?.throwIfAborted();
        yield await client.block(await client.blockHash(h));
      }
    })();
}

/** A source of every confirmed transaction of an address (newest first), with prevouts. */
export function esploraAddressSource(address: string, options: EsploraOptions): AsyncIterable<BitcoinItemWithPrevouts | { skipped: BitcoinSkipped }> {
  return new EsploraClient(options).addressTxs(address);
}
