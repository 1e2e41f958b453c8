/**
 * The SOCKS proxy the Tor client talks to, and the preflight that checks it before any request.
 *
 * Rules:
 * - Only `socks5h://` (and `socks://`, which socks-proxy-agent treats as 5h) is accepted: the
 *   proxy resolves names. `socks5://` and `socks4://` make the client resolve the name itself,
 *   which leaks every visited host name to the local resolver (and cannot resolve `.onion` at
 *   all), so they are refused. `socks4a://` resolves remotely but has no password field, so it
 *   cannot isolate identities; it is refused too.
 * - Preflight: a SOCKS5 greeting (RFC 1928 §3: `05 nmethods methods…`) must be answered with
 *   `05 method`. Optionally the proxy must be Tor: a plain HTTP request sent to Tor's SocksPort is
 *   answered with an HTTP 501 whose body says "Tor is not an HTTP Proxy".
 */
import type http from 'node:http';
import net from 'node:net';
import { SocksProxyAgent } from 'socks-proxy-agent';
import { InvalidInputError, SourceError } from '../../src/model/errors.js';

/** A parsed proxy endpoint. */
export interface ProxyEndpoint {
  /** proxy host (an IP literal or `localhost`; other names are resolved by the OS to reach the proxy itself) */
  readonly host: string;
  readonly port: number;
  /** the URL as given, normalised, without credentials */
  readonly url: string;
}

const LEAKING = new Set(['socks5:', 'socks4:']);
const ACCEPTED = new Set(['socks5h:', 'socks:']);

/**
 * Parses and checks a proxy URL. Throws {@link InvalidInputError} `TOR_PROXY_LEAKS_DNS` for
 * `socks5://`/`socks4://`, and `TOR_PROXY_URL_INVALID` for anything else that is not
 * `socks5h://host:port`.
 */
export function parseProxyUrl(proxy: string): ProxyEndpoint {
  let url: URL;
  try {
    url = new URL(proxy);
  } catch (cause) {
    throw new InvalidInputError(`proxy ${JSON.stringify(proxy)} is not a URL; use socks5h://127.0.0.1:9050`, {
      code: 'TOR_PROXY_URL_INVALID',
      cause,
    });
  }
  if (LEAKING.has(url.protocol)) {
    throw new InvalidInputError(
      `proxy ${url.protocol}// resolves host names on this machine before asking the proxy: every visited ` +
        'host name would leak to the local DNS resolver (and .onion names cannot be resolved at all). ' +
        `Use socks5h://${url.host} so that Tor resolves names.`,
      { code: 'TOR_PROXY_LEAKS_DNS' },
    );
  }
  if (!ACCEPTED.has(url.protocol)) {
    throw new InvalidInputError(
      `proxy scheme ${url.protocol} is not supported: use socks5h://host:port (remote name resolution with ` +
        'username/password, which Tor needs for stream isolation)',
      { code: 'TOR_PROXY_URL_INVALID' },
    );
  }
  if (url.username || url.password) {
    throw new InvalidInputError(
      'put no credentials in the proxy URL: the client sets a SOCKS username and password per identity (stream isolation)',
      { code: 'TOR_PROXY_URL_INVALID' },
    );
  }
  const port = url.port === '' ? 1080 : Number(url.port);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw new InvalidInputError(`proxy ${proxy} has no host`, { code: 'TOR_PROXY_URL_INVALID' });
  return { host, port, url: `socks5h://${url.host}` };
}

/** Options of {@link preflight}. */
export interface PreflightOptions {
  /** also check that the proxy is Tor ("Tor is not an HTTP Proxy"); default `false` */
  requireTor?: boolean;
  /** per probe, default 10 000 ms */
  timeoutMs?: number;
}

/** What {@link preflight} found. */
export interface PreflightResult {
  /** the proxy answered a SOCKS5 greeting */
  readonly socks5: true;
  /** the proxy answered a plain HTTP request like Tor's SocksPort (only checked with `requireTor`) */
  readonly tor?: boolean;
}

/**
 * Opens a TCP connection to the proxy, writes `hello`, and collects the answer until `enough` says
 * so, the proxy closes, or `timeoutMs` passes (`timedOut`).
 */
function probe(
  endpoint: ProxyEndpoint,
  hello: Uint8Array | string,
  enough: (got: Buffer) => boolean,
  timeoutMs: number,
): Promise<{ answer: Buffer; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = net.connect({ host: endpoint.host, port: endpoint.port });
    const done = (err: Error | null, timedOut = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve({ answer: Buffer.concat(chunks), timedOut });
    };
    const timer = setTimeout(() => done(null, true), timeoutMs);
    socket.on('connect', () => socket.write(hello));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (enough(Buffer.concat(chunks))) done(null);
    });
    socket.on('end', () => done(null));
    socket.on('error', (err) => done(err));
  });
}

/**
 * Checks that the proxy answers before any request is made, so a crawl fails closed at once with
 * a clear error instead of at its first page. Throws {@link SourceError} `TOR_PROXY_UNREACHABLE`
 * when nothing listens or the listener stays silent for `timeoutMs` (a stopped or hung Tor: the
 * kernel still accepts the connection), `TOR_PROXY_NOT_SOCKS5` when the answer is not SOCKS5, and
 * (with `requireTor`) `TOR_PROXY_NOT_TOR` when the proxy does not answer like Tor's SocksPort.
 */
export async function preflight(endpoint: ProxyEndpoint, options: PreflightOptions = {}): Promise<PreflightResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let greeting: Awaited<ReturnType<typeof probe>>;
  try {
    // offer "no auth" and "username/password"
    greeting = await probe(endpoint, Uint8Array.of(0x05, 0x02, 0x00, 0x02), (got) => got.length >= 2, timeoutMs);
  } catch (cause) {
    throw new SourceError(
      'TOR_PROXY_UNREACHABLE',
      `the SOCKS proxy at ${endpoint.url} does not answer (${(cause as Error).message}). Start Tor (or Tor Browser, port ` +
        '9150) and check the address; wildtrace never falls back to a direct connection.',
      { cause },
    );
  }
  const { answer, timedOut } = greeting;
  if (timedOut && answer.length === 0) {
    throw new SourceError(
      'TOR_PROXY_UNREACHABLE',
      `the SOCKS proxy at ${endpoint.url} accepted a connection but did not answer the SOCKS5 greeting within ${timeoutMs} ms ` +
        '(Tor stopped, frozen or overloaded?). Check the Tor process; wildtrace never falls back to a direct connection.',
    );
  }
  if (answer.length < 2 || answer[0] !== 0x05 || answer[1] === 0xff) {
    throw new SourceError(
      'TOR_PROXY_NOT_SOCKS5',
      `${endpoint.url} did not answer a SOCKS5 greeting (got ${answer.length === 0 ? 'nothing' : answer.subarray(0, 8).toString('hex')}). ` +
        'Point the client at Tor\'s SocksPort.',
    );
  }
  if (!options.requireTor) return { socks5: true };
  let http: Buffer;
  try {
    http = (await probe(endpoint, 'GET / HTTP/1.0\r\n\r\n', (got) => got.includes('Tor is not an HTTP Proxy'), timeoutMs)).answer;
  } catch (cause) {
    http = Buffer.alloc(0);
    void cause;
  }
  if (!http.includes('Tor is not an HTTP Proxy')) {
    throw new SourceError(
      'TOR_PROXY_NOT_TOR',
      `${endpoint.url} speaks SOCKS5 but is not Tor (a plain HTTP request was not answered with "Tor is not an HTTP Proxy"). ` +
        'Point the client at Tor\'s SocksPort, or leave requireTor off for another anonymising proxy.',
    );
  }
  return { socks5: true, tor: true };
}

/**
 * Called after a request through `agent` failed to connect, broke off or timed out. When `agent`
 * is a SOCKS agent whose proxy no longer answers a SOCKS5 greeting within `timeoutMs` (nothing
 * listens: Tor is not running; or it accepts and stays silent: Tor is stopped or hung), returns
 * the {@link SourceError} `TOR_PROXY_UNREACHABLE` to throw instead of retrying: a dead proxy does
 * not come back by itself, and nothing may fall back to a direct connection. Returns `undefined`
 * when there is no SOCKS agent or its proxy answers (the failure lay beyond it and may be retried).
 * `what` names the request in the message (no credentials).
 */
export async function proxyDownError(agent: http.Agent | undefined, what: string, failure: Error, timeoutMs = 5000): Promise<SourceError | undefined> {
  if (!(agent instanceof SocksProxyAgent)) return undefined;
  const { host, port } = agent.proxy;
  if (!host) return undefined;
  const endpoint: ProxyEndpoint = { host, port, url: `socks${agent.proxy.type === 4 ? '4a' : '5h'}://${host.includes(':') ? `[${host}]` : host}:${port}` };
  try {
    await preflight(endpoint, { timeoutMs });
    return undefined;
  } catch (err) {
    if (!(err instanceof SourceError) || err.code !== 'TOR_PROXY_UNREACHABLE') return undefined;
    return new SourceError('TOR_PROXY_UNREACHABLE', `${what} failed (${failure.message}), and ${err.message}`, { cause: failure });
  }
}
