/**
 * A JSON-RPC 2.0 client over HTTP(S), built on ethers' `FetchRequest`.
 *
 * - Bounded answers: a body above `maxResponseBytes` is cut off (`RPC_RESPONSE_TOO_LARGE`).
 * - Batching: calls are sent as JSON-RPC batch arrays of up to `batchMaxCount` (1 = one call per
 *   request, no batching). A node that refuses a whole batch (one error object instead of an
 *   array) gets it again in halves.
 * - Bounded concurrency: at most `concurrency` HTTP requests in flight.
 * - Retry with backoff: HTTP 429 (honouring `Retry-After`), 5xx, dropped connections, timeouts
 *   and malformed bodies are retried `retries` times with exponential backoff and jitter; then
 *   the call fails with a `SourceError` whose `code` says which (`RPC_RATE_LIMITED`,
 *   `RPC_HTTP_ERROR`, `RPC_CONNECTION`, `RPC_TIMEOUT`, `RPC_MALFORMED`).
 * - An optional `http.Agent` (e.g. a `SocksProxyAgent` to the Tor client) carries every request,
 *   through the `getUrlFunc` of `FetchRequest` (Node's global fetch ignores agents; see
 *   get-url.ts for why it is not ethers' own `createGetUrlFunc`). When a request through a SOCKS
 *   agent fails and its proxy no longer answers, the call fails at once with
 *   `TOR_PROXY_UNREACHABLE` instead of being retried (adapters/tor/proxy.ts `proxyDownError`).
 */
import http from 'node:http';
import https from 'node:https';
import { FetchRequest, type FetchCancelSignal, type FetchGetUrlFunc } from 'ethers';
import { SourceError, WildtraceError } from '../../src/model/errors.js';
import { createGetUrl } from './get-url.js';
import { checkRoute } from '../tor/onion-route.js';
import { proxyDownError } from '../tor/proxy.js';

/** Options of {@link JsonRpcClient}. */
export interface JsonRpcClientOptions {
  /** agent for every request, e.g. `new SocksProxyAgent('socks5h://127.0.0.1:9050')` (default: a keep-alive agent) */
  agent?: http.Agent;
  /** per-request timeout, ms (default 30 000) */
  timeoutMs?: number;
  /** retries after a retryable failure (default 4) */
  retries?: number;
  /** first backoff delay, ms; doubled each retry, capped at 10 s (default 250) */
  backoffMs?: number;
  /** calls per batch request; 1 sends each call on its own (default 100) */
  batchMaxCount?: number;
  /** HTTP requests in flight at once (default 4) */
  concurrency?: number;
  /** largest answer body accepted, bytes (default 512 MiB); above it: `RPC_RESPONSE_TOO_LARGE` */
  maxResponseBytes?: number;
  /** extra HTTP headers (an API key, …) */
  headers?: Readonly<Record<string, string>>;
}

/** The answer to one call of a batch: its result, or the node's error. */
export type RpcOutcome = { result: unknown } | { error: { code: number; message: string; data?: unknown } };

/** A JSON-RPC error answered by the node for one call. */
export class RpcCallError extends SourceError {
  constructor(
    /** the JSON-RPC method */
    readonly method: string,
    /** the node's JSON-RPC error code */
    readonly rpcCode: number,
    message: string,
  ) {
    super('RPC_ERROR', `${method} failed on the node: ${message} (JSON-RPC error ${rpcCode})`);
  }
}

/** Counters of a {@link JsonRpcClient}. */
export interface RpcStats {
  requests: number;
  calls: number;
  retries: number;
}

class RetryableError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly delayMs?: number,
  ) {
    super(message);
  }
}

/** A JSON-RPC client for one endpoint. */
export class JsonRpcClient {
  readonly stats: RpcStats = { requests: 0, calls: 0, retries: 0 };
  private readonly getUrl: FetchGetUrlFunc;
  private readonly ownAgent?: http.Agent;
  private readonly opts: Required<Omit<JsonRpcClientOptions, 'agent' | 'headers' | 'maxResponseBytes'>>;
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private nextId = 1;

  constructor(
    private readonly url: string,
    private readonly options: JsonRpcClientOptions = {},
  ) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new SourceError('RPC_BAD_URL', `not an URL: ${JSON.stringify(url)}; give the node's http(s):// address`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new SourceError('RPC_BAD_URL', `unsupported protocol ${parsed.protocol} in the node URL; use http:// or https://`);
    }
    this.opts = {
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 4,
      backoffMs: options.backoffMs ?? 250,
      batchMaxCount: Math.max(1, options.batchMaxCount ?? 100),
      concurrency: Math.max(1, options.concurrency ?? 4),
    };
    checkRoute(parsed, options.agent); // refuse a .onion node without Tor at once, before any call
    let agent = options.agent;
    if (!agent) {
      const Agent = parsed.protocol === 'https:' ? https.Agent : http.Agent;
      agent = this.ownAgent = new Agent({ keepAlive: true, maxSockets: this.opts.concurrency });
    }
    this.getUrl = createGetUrl(agent, options.maxResponseBytes ?? 512 * 1024 * 1024);
  }

  /** Calls one method; resolves to its result or rejects with {@link RpcCallError} / `SourceError`. */
  async call<T = unknown>(method: string, params: unknown[], signal?: AbortSignal): Promise<T> {
    const [outcome] = await this.batch([{ method, params }], signal);
    if ('error' in outcome) throw new RpcCallError(method, outcome.error.code, outcome.error.message);
    return outcome.result as T;
  }

  /**
   * Sends calls in batches (bounded concurrency) and returns one outcome per call, in order.
   * Node errors for single calls come back as outcomes; transport failures reject.
   */
  async batch(calls: readonly { method: string; params: unknown[] }[], signal?: AbortSignal): Promise<RpcOutcome[]> {
    const out: RpcOutcome[] = new Array(calls.length);
    const groups: number[][] = [];
    for (let i = 0; i < calls.length; i += this.opts.batchMaxCount) {
      groups.push(Array.from({ length: Math.min(this.opts.batchMaxCount, calls.length - i) }, (_, j) => i + j));
    }
    await Promise.all(
      groups.map(async (group) => {
        const answers = await this.sendGroup(group.map((i) => calls[i]), signal);
        group.forEach((i, j) => (out[i] = answers[j]));
      }),
    );
    return out;
  }

  /** Releases the keep-alive sockets of the client's own agent. */
  close(): void {
    this.ownAgent?.destroy();
  }

  private async sendGroup(calls: readonly { method: string; params: unknown[] }[], signal?: AbortSignal): Promise<RpcOutcome[]> {
    const batched = this.opts.batchMaxCount > 1;
    const ids = calls.map(() => this.nextId++);
    const payload = calls.map((c, j) => ({ jsonrpc: '2.0', id: ids[j], method: c.method, params: c.params }));
    const body = await this.post(batched ? payload : payload[0], signal, calls.length);
    if (!Array.isArray(body)) {
      const one = body as { id?: unknown; error?: { code: number; message: string } };
      if (!batched && one && typeof one === 'object' && one.id === ids[0]) return [this.outcome(one, calls[0].method)];
      if (batched && calls.length > 1 && one && typeof one === 'object' && one.error) {
        // the node refused the batch as a whole (too large, …): send it in halves
        const half = Math.ceil(calls.length / 2);
        const [a, b] = await Promise.all([this.sendGroupSized(calls.slice(0, half), signal), this.sendGroupSized(calls.slice(half), signal)]);
        return [...a, ...b];
      }
      if (batched && calls.length === 1 && one && typeof one === 'object' && (one.id === ids[0] || one.error)) {
        return [this.outcome(one, calls[0].method)];
      }
      throw new SourceError('RPC_MALFORMED', `the node at ${this.label} answered a JSON-RPC ${batched ? 'batch' : 'call'} with ${describe(body)}`);
    }
    const byId = new Map<unknown, unknown>();
    for (const entry of body) if (entry && typeof entry === 'object') byId.set((entry as { id?: unknown }).id, entry);
    return ids.map((id, j) => {
      const entry = byId.get(id);
      if (entry === undefined) {
        throw new SourceError('RPC_MALFORMED', `the node at ${this.label} left call ${calls[j].method} out of its batch answer`);
      }
      return this.outcome(entry, calls[j].method);
    });
  }

  private sendGroupSized(calls: readonly { method: string; params: unknown[] }[], signal?: AbortSignal): Promise<RpcOutcome[]> {
    if (calls.length === 0) return Promise.resolve([]);
    return this.sendGroup(calls, signal);
  }

  private outcome(entry: unknown, method: string): RpcOutcome {
    const e = entry as { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
    if (e.error !== undefined && e.error !== null) {
      const code = typeof e.error.code === 'number' ? e.error.code : 0;
      const message = typeof e.error.message === 'string' ? e.error.message : JSON.stringify(e.error).slice(0, 200);
      return { error: { code, message, data: e.error.data } };
    }
    if (!('result' in e)) throw new SourceError('RPC_MALFORMED', `the node at ${this.label} answered ${method} with neither result nor error`);
    return { result: e.result };
  }

  /** The endpoint without credentials, path or query (API keys often sit there). */
  get label(): string {
    const u = new URL(this.url);
    return `${u.protocol}//${u.host}`;
  }

  private async post(payload: unknown, signal: AbortSignal | undefined, calls: number): Promise<unknown> {
    const text = JSON.stringify(payload);
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw new SourceError('ABORTED', 'the request was aborted');
      await this.acquire();
      try {
        this.stats.requests++;
        this.stats.calls += calls;
        return await this.once(text, signal);
      } catch (err) {
        if (!(err instanceof RetryableError)) throw err;
        if (attempt >= this.opts.retries) {
          throw new SourceError(err.code, `${err.message} (after ${attempt + 1} attempts to ${this.label}); check the node, or retry later`, {
            cause: err,
          });
        }
        this.stats.retries++;
        const backoff = Math.min(10_000, this.opts.backoffMs * 2 ** attempt) * (0.5 + Math.random() / 2);
        await sleep(err.delayMs ?? backoff, signal);
      } finally {
        this.release();
      }
    }
  }

  private async once(text: string, signal?: AbortSignal): Promise<unknown> {
    const req = new FetchRequest(this.url);
    req.method = 'POST';
    req.body = text;
    req.setHeader('content-type', 'application/json');
    for (const [k, v] of Object.entries(this.options.headers ?? {})) req.setHeader(k, v);
    req.timeout = this.opts.timeoutMs;
    // The transport is called directly rather than through req.send(): FetchResponse copies the
    // body twice (constructor and getter), megabytes per batch; retries and 429s are ours anyway.
    const listeners: (() => void)[] = [];
    const onAbort = () => listeners.forEach((l) => l());
    signal?.addEventListener('abort', onAbort, { once: true });
    const cancel = { addListener: (l: () => void) => listeners.push(l) } as unknown as FetchCancelSignal;
    let status: number;
    let bytes: Uint8Array | null;
    let headers: Record<string, string>;
    try {
      const resp = await this.getUrl(req, cancel);
      status = resp.statusCode;
      bytes = resp.body;
      headers = resp.headers;
    } catch (err) {
      if (signal?.aborted) throw new SourceError('ABORTED', 'the request was aborted', { cause: err });
      if (err instanceof WildtraceError) throw err; // refused before connecting (a .onion node without Tor): no retry
      const e = err as { code?: string; message?: string };
      if (e.code !== 'RESPONSE_TOO_LARGE') {
        // through a SOCKS agent whose proxy no longer answers: fail closed at once, no retry
        const down = await proxyDownError(this.options.agent, `the call to ${this.label}`, err as Error, Math.min(this.opts.timeoutMs, 5000));
        if (down) throw down;
      }
      if (e.code === 'TIMEOUT') throw new RetryableError('RPC_TIMEOUT', `no answer within ${this.opts.timeoutMs} ms`);
      if (e.code === 'RESPONSE_TOO_LARGE') {
        throw new SourceError(
          'RPC_RESPONSE_TOO_LARGE',
          `the node at ${this.label} sent ${e.message ?? 'too large an answer'}; lower chunkSize or batchMaxCount, or raise maxResponseBytes`,
          { cause: err },
        );
      }
      throw new RetryableError('RPC_CONNECTION', `the connection failed: ${e.code ?? ''} ${e.message ?? String(err)}`.trim());
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    if (status === 429) {
      const after = Number(headers['retry-after']);
      throw new RetryableError('RPC_RATE_LIMITED', 'the node rate-limited the client (HTTP 429)', Number.isFinite(after) && after > 0 ? Math.min(after, 60) * 1000 : undefined);
    }
    if (status >= 500) throw new RetryableError('RPC_HTTP_ERROR', `the node answered HTTP ${status}`);
    if (status !== 200) {
      throw new SourceError('RPC_HTTP_ERROR', `the node at ${this.label} answered HTTP ${status}; check the URL and any API key`);
    }
    const raw = bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : '';
    try {
      return JSON.parse(raw);
    } catch {
      throw new RetryableError('RPC_MALFORMED', `the node answered a body that is not JSON (${raw.length} bytes: ${JSON.stringify(raw.slice(0, 60))})`);
    }
  }

  private acquire(): Promise<void> {
    if (this.active < this.opts.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(() => (this.active++, resolve())));
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}

function describe(body: unknown): string {
  const s = JSON.stringify(body) ?? String(body);
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
