/**
 * A small HTTP/1.1 client for the Bitcoin adapters (Bitcoin Core JSON-RPC, Esplora REST) on
 * node:http/https, because Node's global fetch ignores `agent` and the adapters must be able to run
 * through a SOCKS agent (the Tor client). It bounds the time and the size of every response (a
 * `Content-Length` above `maxBytes` is refused unread, a body that grows past it is cut off) and
 * turns network failures into {@link SourceError}s with a code:
 * `HTTP_TIMEOUT`, `HTTP_UNREACHABLE`, `HTTP_TOO_LARGE`, `HTTP_FAILED`; through a SOCKS agent whose
 * proxy no longer answers, a failed request is `TOR_PROXY_UNREACHABLE` instead, which the adapters
 * do not retry (fail closed at once; see adapters/tor/proxy.ts `proxyDownError`). A `.onion` URL without a
 * socks5h agent, or an agent that resolves names locally, is refused before any socket opens
 * (`ONION_WITHOUT_TOR`, `TOR_PROXY_LEAKS_DNS`; see adapters/tor/onion-route.ts).
 */
import http from 'node:http';
import https from 'node:https';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { SourceError } from '../../src/index.js';
import { checkRoute } from '../tor/onion-route.js';
import { proxyDownError } from '../tor/proxy.js';

/** One HTTP request. */
export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** e.g. a SocksProxyAgent; default: Node's global agent */
  agent?: http.Agent;
  /** whole-request timeout in ms (default 30 000) */
  timeoutMs?: number;
  /** largest accepted body in bytes (default 512 MiB); a larger `Content-Length` is refused before reading */
  maxBytes?: number;
  signal?: AbortSignal;
}

/** A response: status, headers and the whole body. */
export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * The codes of a request that failed to connect, broke off or timed out: the adapters retry them,
 * and after one the SOCKS agent's proxy is checked.
 */
export const NETWORK_FAILURES: ReadonlySet<string> = new Set(['HTTP_TIMEOUT', 'HTTP_UNREACHABLE', 'HTTP_FAILED']);

/** Sends `req` and reads the whole response. */
export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  try {
    return await send(req);
  } catch (err) {
    if (!(err instanceof SourceError) || !NETWORK_FAILURES.has(err.code) || req.signal?.aborted) throw err;
    const url = new URL(req.url);
    throw (await proxyDownError(req.agent, `${req.method ?? 'GET'} ${url.origin}${url.pathname}`, err, Math.min(req.timeoutMs ?? 30_000, 5000))) ?? err;
  }
}

function send(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  const lib = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!lib) return Promise.reject(new SourceError('HTTP_FAILED', `unsupported URL scheme in ${url.protocol}//${url.host}; use http:// or https://`));
  try {
    checkRoute(url, req.agent); // a .onion host only through Tor, and no name resolved here
  } catch (err) {
    return Promise.reject(err);
  }
  const timeoutMs = req.timeoutMs ?? 30_000;
  const maxBytes = req.maxBytes ?? 512 * 1024 * 1024;
  const shown = `${url.origin}${url.pathname}`;
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    const fail = (err: SourceError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(err);
    };
    const request = lib.request(
      url,
      {
        method: req.method ?? 'GET',
        headers: { ...(req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) }), ...req.headers },
        agent: req.agent,
      },
      (res) => {
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          fail(new SourceError('HTTP_TOO_LARGE', `${shown} declares ${declared} bytes, above maxBytes (${maxBytes}); not read (raise maxBytes if this is expected)`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) fail(new SourceError('HTTP_TOO_LARGE', `${shown} sent more than ${maxBytes} bytes; raise maxBytes if this is expected`));
          else chunks.push(chunk);
        });
        res.on('end', () => {
          if (!res.complete) fail(new SourceError('HTTP_FAILED', `${shown}: the server closed the connection mid-response`));
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', (err) => fail(new SourceError('HTTP_FAILED', `${shown}: the response broke off (${err.message})`, { cause: err })));
        res.on('aborted', () => fail(new SourceError('HTTP_FAILED', `${shown}: the server closed the connection mid-response`)));
      },
    );
    const timer = setTimeout(
      () => fail(new SourceError('HTTP_TIMEOUT', `${shown} did not answer within ${timeoutMs} ms; is the server up and not overloaded? (raise timeoutMs)`)),
      timeoutMs,
    );
    request.on('error', (err: NodeJS.ErrnoException) => {
      // a SOCKS agent's errors carry the system code only in their message ("connect ECONNREFUSED …")
      const code = err.code ?? /\b(E[A-Z_]{3,})\b/.exec(err.message)?.[1] ?? '';
      const unreachable = ['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code);
      const via = req.agent instanceof SocksProxyAgent ? ` through the SOCKS proxy ${req.agent.proxy.host}:${req.agent.proxy.port}` : '';
      fail(
        new SourceError(
          unreachable ? 'HTTP_UNREACHABLE' : 'HTTP_FAILED',
          `${shown}: ${unreachable ? 'cannot connect' : 'request failed'}${via} (${err.code ?? err.message})`,
          { cause: err },
        ),
      );
    });
    if (req.signal) {
      if (req.signal.aborted) fail(new SourceError('HTTP_ABORTED', `${shown}: aborted`, { cause: req.signal.reason }));
      req.signal.addEventListener('abort', () => fail(new SourceError('HTTP_ABORTED', `${shown}: aborted`, { cause: req.signal!.reason })), { once: true });
    }
    request.end(req.body);
  });
}

/** Waits `ms` milliseconds (rejecting early if `signal` aborts). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** A JSON value of an answer shortened for an error message (any value a JSON parser gives). */
export function shownJson(v: unknown): string {
  return (JSON.stringify(v) ?? String(v)).slice(0, 80);
}
