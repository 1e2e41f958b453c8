/**
 * The Tor HTTP client: every request goes through the SOCKS proxy with remote name resolution
 * (`socks5h`), under the identity's own credentials, agent and cookie jar. It never opens a
 * direct connection and never resolves a name on this machine: the agent is always the
 * identity's SOCKS agent, and the request's `lookup` hook refuses any local lookup outright.
 *
 * Limits, all per attempt: the host must be allowed; the body is capped (5 MiB by default; a
 * `Content-Length` above the cap is refused before reading, a body that grows past it is cut
 * off and refused, and one that ends short of its `Content-Length` is dropped, `TOR_BODY_TRUNCATED`); at most 3 redirects, each staying on the allowed hosts (a redirect elsewhere
 * is refused, and the 3xx response is handed back on the error as evidence); only `text/*` and
 * `application/xhtml+xml` bodies are read; a whole attempt has a deadline. Failures that may pass
 * (SOCKS "host unreachable" while a circuit builds, resets, timeouts, HTTP 429/502/503/504) are
 * retried a bounded number of times with exponential backoff and jitter (or the server's
 * `Retry-After`, when longer, up to a cap). A proxy that does not
 * answer is never retried around: the client fails closed at once. After every failed attempt
 * that could be transient, the client first checks that the proxy still answers a SOCKS5
 * greeting, so a Tor that was stopped or frozen mid-request (its port still accepts, nothing
 * answers, and the attempt times out) also fails closed instead of failing page after page.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { SourceError } from '../../src/model/errors.js';
import { jarUrl } from './cookies.js';
import { TorIdentity } from './identity.js';
import { HostScheduler, type PolitenessOptions } from './politeness.js';
import { parseProxyUrl, preflight, type PreflightOptions, type PreflightResult, type ProxyEndpoint } from './proxy.js';

/** Options of {@link TorClient}. Every limit has a default that suits a real market. */
export interface TorClientOptions {
  /** the Tor SocksPort, `socks5h://127.0.0.1:9050` (Tor Browser: 9150); `socks5://` and `socks4://` are refused */
  proxy: string;
  /** hosts the client may contact (requests and redirects); default: any host for a first request, and redirects stay on its host */
  allowedHosts?: readonly string[];
  /** largest body read, default 5 MiB (5 242 880 bytes) */
  maxBodyBytes?: number;
  /** most redirects followed per fetch, default 3 */
  maxRedirects?: number;
  /** media types read (`type/*` wildcards allowed), default `['text/*', 'application/xhtml+xml']` */
  contentTypes?: readonly string[];
  /** deadline of one attempt (connect, headers and body), default 120 000 ms */
  timeoutMs?: number;
  /** retries after a transient failure, default 2 */
  retries?: number;
  /** first backoff, doubled at each retry, with ±50 % jitter; default 2000 ms */
  backoffMs?: number;
  /** longest `Retry-After` (of a 429/503) honoured before a retry; default 60 000 ms */
  maxRetryAfterMs?: number;
  /** per-host concurrency, delay and budgets (default: 1 at a time, 2–5 s apart, no budget) */
  politeness?: PolitenessOptions;
  /** User-Agent sent; default Tor Browser's (Firefox ESR 128 on Windows), so the crawler does not stand out */
  userAgent?: string;
  /**
   * the clock that stamps `retrievedAt` on responses (and the crawler's records); default the system
   * clock. A frozen clock makes two crawls of the same site archive byte-identical records (tests,
   * reproducible archives); a real investigation keeps the default, since the time is evidence.
   */
  clock?: () => Date;
}

/** One fetched response: the raw bytes and what is needed to archive them. */
export interface FetchResult {
  /** the URL asked for */
  readonly url: string;
  /** the URL of the response, after redirects */
  readonly finalUrl: string;
  readonly status: number;
  /** response headers, names lower-case; repeated headers joined by `, ` (`set-cookie` by newline) */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** ISO-8601 time the response headers arrived */
  readonly retrievedAt: string;
  /** the identity whose circuit fetched it */
  readonly identity: string;
  /** URLs redirected through, in order */
  readonly redirects: readonly string[];
}

/** A failed fetch. `code` says why; `response` holds a response worth archiving (e.g. a refused redirect). */
export class TorFetchError extends SourceError {
  constructor(
    code: string,
    message: string,
    /** the URL being fetched */
    readonly url: string,
    options?: { cause?: unknown; response?: FetchResult; retryable?: boolean },
  ) {
    super(code, message, options);
    this.response = options?.response;
    this.retryable = options?.retryable ?? false;
  }
  /** a complete response that was refused, kept as evidence */
  readonly response: FetchResult | undefined;
  /** whether another attempt may succeed */
  readonly retryable: boolean;
  /** attempts made for this URL before giving up (1 when it failed at once, 1 + retries when they were all used) */
  attempts = 1;
}

/** The default User-Agent: Tor Browser 14 (Firefox ESR 128), which every Tor Browser user sends. */
export const TOR_BROWSER_USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const RETRY_STATUS = new Set([429, 502, 503, 504]);

/** A `lookup` that refuses: a request through the client must never resolve a name here. */
const noLocalLookup: LookupFunction = (hostname, _options, callback) => {
  const err = new Error(`wildtrace refused to resolve ${hostname} locally: names are resolved by Tor`) as NodeJS.ErrnoException;
  err.code = 'ETORNOLOCALDNS';
  callback(err, '', 4);
};

function flattenHeaders(res: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(name === 'set-cookie' ? '\n' : ', ') : value;
  }
  return out;
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A Tor HTTP client: identities, politeness and limits over one SOCKS proxy. */
export class TorClient {
  /** the proxy every request goes through */
  readonly proxy: ProxyEndpoint;
  /** per-host slots and budgets */
  readonly scheduler: HostScheduler;
  private readonly identities = new Map<string, TorIdentity>();
  private readonly allowed: Set<string> | undefined;
  private readonly maxBody: number;
  private readonly maxRedirects: number;
  private readonly types: readonly string[];
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly userAgent: string;
  /** the clock of {@link TorClientOptions.clock} */
  readonly clock: () => Date;

  /** Checks the proxy URL (throws `TOR_PROXY_LEAKS_DNS` for `socks5://`/`socks4://`); does not connect. */
  constructor(options: TorClientOptions) {
    this.proxy = parseProxyUrl(options.proxy);
    this.allowed = options.allowedHosts ? new Set(options.allowedHosts.map((h) => h.toLowerCase())) : undefined;
    this.maxBody = options.maxBodyBytes ?? 5 * 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 3;
    this.types = (options.contentTypes ?? ['text/*', 'application/xhtml+xml']).map((t) => t.toLowerCase());
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.retries = options.retries ?? 2;
    this.backoffMs = options.backoffMs ?? 2000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.userAgent = options.userAgent ?? TOR_BROWSER_USER_AGENT;
    this.clock = options.clock ?? (() => new Date());
    this.scheduler = new HostScheduler(options.politeness);
  }

  /** Checks that the proxy answers (and, with `requireTor`, that it is Tor). See {@link preflight}. */
  preflight(options?: PreflightOptions): Promise<PreflightResult> {
    return preflight(this.proxy, options);
  }

  /** The identity called `name` (created on first use), default `anonymous`. */
  identity(name = 'anonymous'): TorIdentity {
    let id = this.identities.get(name);
    if (!id) this.identities.set(name, (id = new TorIdentity(name, this.proxy, this.timeoutMs)));
    return id;
  }

  /**
   * Fetches `url` as `identity` under every limit, retrying transient failures. Resolves with the
   * response (any status); rejects with {@link TorFetchError} (`TOR_PROXY_UNREACHABLE`,
   * `TOR_HOST_NOT_ALLOWED`, `TOR_REDIRECT_OFF_HOST`, `TOR_TOO_MANY_REDIRECTS`, `TOR_BODY_TOO_LARGE`,
   * `TOR_BODY_TRUNCATED`, `TOR_CONTENT_TYPE_REFUSED`, `TOR_TIMEOUT`, `TOR_CONNECT_FAILED`,
   * `TOR_BUDGET_EXHAUSTED` …).
   */
  async fetch(url: string, options: { identity?: string | TorIdentity; signal?: AbortSignal } = {}): Promise<FetchResult> {
    const identity = options.identity instanceof TorIdentity ? options.identity : this.identity(options.identity);
    let attempt = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      let result: FetchResult | undefined;
      let failure: TorFetchError | undefined;
      try {
        result = await this.fetchFollowing(url, identity, options.signal);
      } catch (err) {
        if (!(err instanceof TorFetchError)) throw err;
        failure = err;
        failure.attempts = attempt + 1;
      }
      // a transient-looking failure may be a dead or frozen proxy: check it before deciding
      if (failure?.retryable) await this.proxyAnswers(url, failure);
      const transient = failure ? failure.retryable : RETRY_STATUS.has(result!.status);
      if (!transient || attempt >= this.retries) {
        if (failure) throw failure;
        return result!;
      }
      attempt++;
      const base = this.backoffMs * 2 ** (attempt - 1);
      await sleep(Math.max(base * (0.5 + Math.random()), this.retryAfter(result)));
    }
  }

  /**
   * Throws `TOR_PROXY_UNREACHABLE` (fatal, with the failed attempt as cause) when the proxy no
   * longer answers a SOCKS5 greeting within min(timeoutMs, 5 s).
   */
  private async proxyAnswers(url: string, failure: TorFetchError): Promise<void> {
    try {
      await preflight(this.proxy, { timeoutMs: Math.min(this.timeoutMs, 5000) });
    } catch (err) {
      const e = new TorFetchError((err as SourceError).code, `${(err as Error).message} (while fetching ${url}: ${failure.message})`, url, { cause: failure });
      e.attempts = failure.attempts;
      throw e;
    }
  }

  /** The server's `Retry-After` (delta seconds or an HTTP date) in ms, capped; 0 when absent. */
  private retryAfter(result: FetchResult | undefined): number {
    const value = result?.headers['retry-after'];
    if (value === undefined) return 0;
    const ms = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value) - Date.now();
    return Number.isFinite(ms) ? Math.min(Math.max(0, ms), this.maxRetryAfterMs) : 0;
  }

  /** Closes every identity's sockets. */
  close(): void {
    for (const id of this.identities.values()) id.close();
  }

  private checkHost(target: URL, firstHost: string, url: string, redirect: boolean, response?: FetchResult): void {
    const host = target.hostname.toLowerCase();
    const ok = this.allowed ? this.allowed.has(host) : !redirect || host === firstHost;
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new TorFetchError('TOR_HOST_NOT_ALLOWED', `${target.href} is not an http(s) URL`, url, { response });
    }
    if (!ok) {
      throw redirect
        ? new TorFetchError(
            'TOR_REDIRECT_OFF_HOST',
            `${url} redirects to ${target.href}, outside the allowed hosts; the redirect was not followed`,
            url,
            { response },
          )
        : new TorFetchError('TOR_HOST_NOT_ALLOWED', `${host} is not among the allowed hosts of this client`, url);
    }
  }

  private async fetchFollowing(url: string, identity: TorIdentity, signal?: AbortSignal): Promise<FetchResult> {
    let current: URL;
    try {
      current = new URL(url);
    } catch (cause) {
      throw new TorFetchError('TOR_URL_INVALID', `${JSON.stringify(url)} is not an absolute URL`, url, { cause });
    }
    const firstHost = current.hostname.toLowerCase();
    this.checkHost(current, firstHost, url, false);
    const redirects: string[] = [];
    for (;;) {
      const res = await this.request(url, current, identity, redirects, signal);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || location === undefined) return res;
      let next: URL;
      try {
        next = new URL(location, current);
      } catch (cause) {
        throw new TorFetchError('TOR_REDIRECT_INVALID', `${current.href} redirects to an unreadable location ${JSON.stringify(location)}`, url, { cause, response: res });
      }
      this.checkHost(next, firstHost, url, true, res);
      if (redirects.length >= this.maxRedirects) {
        throw new TorFetchError('TOR_TOO_MANY_REDIRECTS', `${url} redirected more than ${this.maxRedirects} times`, url, { response: res });
      }
      redirects.push(current.href);
      current = next;
    }
  }

  /** One HTTP exchange through the identity's SOCKS agent, under a politeness slot. */
  private async request(url: string, target: URL, identity: TorIdentity, redirects: string[], signal?: AbortSignal): Promise<FetchResult> {
    let release: () => void;
    try {
      release = await this.scheduler.acquire(target.host.toLowerCase());
    } catch (err) {
      throw new TorFetchError((err as SourceError).code, (err as Error).message, url, { cause: err });
    }
    try {
      const cookie = await identity.jar.getCookieString(jarUrl(target));
      const res = await this.exchange(url, target, identity, cookie, redirects, signal);
      const setCookie = res.headers['set-cookie'];
      if (setCookie) {
        for (const line of setCookie.split('\n')) await identity.jar.setCookie(line, jarUrl(target), { ignoreError: true });
      }
      return res;
    } finally {
      release();
    }
  }

  private exchange(
    url: string,
    target: URL,
    identity: TorIdentity,
    cookie: string,
    redirects: string[],
    signal?: AbortSignal,
  ): Promise<FetchResult> {
    const lib = target.protocol === 'https:' ? https : http;
    return new Promise<FetchResult>((resolve, reject) => {
      let settled = false;
      const fail = (err: TorFetchError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        req.destroy();
        reject(err);
      };
      const succeed = (r: FetchResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const headers: Record<string, string> = {
        'user-agent': this.userAgent,
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
        'accept-language': 'en-US,en;q=0.5',
        connection: 'close',
      };
      if (cookie) headers.cookie = cookie;
      const req = lib.request(target, {
        method: 'GET',
        agent: identity.agent,
        lookup: noLocalLookup,
        headers,
      });
      const timer = setTimeout(
        () => fail(new TorFetchError('TOR_TIMEOUT', `${target.href} took longer than ${this.timeoutMs} ms`, url, { retryable: true })),
        this.timeoutMs,
      );
      const onAbort = () => fail(new TorFetchError('TOR_ABORTED', `fetching ${target.href} was aborted`, url, { cause: signal?.reason }));
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => fail(this.classify(err, url, target)));
      req.on('response', (res) => {
        const retrievedAt = this.clock().toISOString();
        const status = res.statusCode ?? 0;
        const flat = flattenHeaders(res);
        const isRedirect = REDIRECTS.has(status) && flat.location !== undefined;
        const declared = Number(flat['content-length']);
        if (Number.isFinite(declared) && declared > this.maxBody) {
          fail(new TorFetchError('TOR_BODY_TOO_LARGE', `${target.href} declares ${declared} bytes, above the ${this.maxBody}-byte cap; not read`, url));
          return;
        }
        if (!isRedirect && !this.typeAllowed(flat['content-type'])) {
          fail(
            new TorFetchError(
              'TOR_CONTENT_TYPE_REFUSED',
              `${target.href} is ${JSON.stringify(flat['content-type'] ?? '(no content type)')}, not one of ${this.types.join(', ')}; not read`,
              url,
            ),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        /** the body ended before its Content-Length (or its last chunk): nothing of it is kept */
        const truncated = () =>
          new TorFetchError(
            'TOR_BODY_TRUNCATED',
            Number.isFinite(declared)
              ? `${target.href}: the connection closed after ${size} of the ${declared} bytes its Content-Length declares; the partial body was dropped`
              : `${target.href}: the connection closed before the chunked body ended (${size} bytes); the partial body was dropped`,
            url,
            { retryable: true },
          );
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxBody) {
            fail(new TorFetchError('TOR_BODY_TOO_LARGE', `${target.href} sent more than the ${this.maxBody}-byte cap; cut off and refused`, url));
            return;
          }
          chunks.push(chunk);
        });
        // Node reports a connection that closed before the body ended as an `aborted` error
        res.on('error', (err) => fail(res.complete ? this.classify(err, url, target) : truncated()));
        res.on('close', () => {
          if (!res.complete) fail(truncated());
        });
        res.on('end', () => {
          if (!res.complete) {
            fail(truncated());
            return;
          }
          const body = Buffer.concat(chunks);
          succeed({
            url,
            finalUrl: target.href,
            status,
            headers: flat,
            body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
            retrievedAt,
            identity: identity.name,
            redirects: [...redirects],
          });
        });
      });
      req.end();
    });
  }

  private typeAllowed(contentType: string | undefined): boolean {
    const type = mediaType(contentType);
    if (!type) return false;
    return this.types.some((p) => (p.endsWith('/*') ? type.startsWith(p.slice(0, -1)) : type === p));
  }

  /** Turns a socket/SOCKS error into a typed one: a dead proxy fails closed, a SOCKS refusal may be retried. */
  private classify(err: Error, url: string, target: URL): TorFetchError {
    const msg = err.message ?? String(err);
    const code = (err as NodeJS.ErrnoException).code;
    // the socks client passes the proxy socket's error message on ("connect ECONNREFUSED 127.0.0.1:9050")
    if (/\b(?:ECONNREFUSED|EHOSTUNREACH|ENETUNREACH)\b/.test(msg) || code === 'ECONNREFUSED') {
      return new TorFetchError(
        'TOR_PROXY_UNREACHABLE',
        `the SOCKS proxy at ${this.proxy.url} does not answer (${msg}); nothing was sent, and wildtrace never connects directly. Start Tor and retry.`,
        url,
        { cause: err },
      );
    }
    if (/Socks5 Authentication failed|InitialHandshake|IntiailHandshake/.test(msg)) {
      return new TorFetchError('TOR_PROXY_NOT_SOCKS5', `the proxy at ${this.proxy.url} refused the SOCKS5 handshake (${msg})`, url, { cause: err });
    }
    if (/rejected connection|Socks5 proxy rejected|FinalHandshakeRejected/i.test(msg)) {
      return new TorFetchError('TOR_CONNECT_FAILED', `Tor could not reach ${target.host} (${msg})`, url, { cause: err, retryable: true });
    }
    if (/timed out|ETIMEDOUT|Proxy connection timed out/i.test(msg)) {
      return new TorFetchError('TOR_TIMEOUT', `${target.href} timed out (${msg})`, url, { cause: err, retryable: true });
    }
    return new TorFetchError('TOR_CONNECT_FAILED', `${target.href} failed: ${msg}`, url, { cause: err, retryable: true });
  }
}
