/**
 * The Tor client on its own, through the test SOCKS5 server on 127.0.0.1: proxy URL rules,
 * preflight, identities (SOCKS credentials), cookies, limits, retries, budgets and the archive.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Case } from '../../src/case.js';
import {
  archiveResponse,
  archivedPages,
  canonicalUrl,
  crawlMarket,
  Frontier,
  pageHtml,
  parseProxyUrl,
  preflight,
  retrievalsOf,
  TorClient,
} from '../../adapters/tor/index.js';
import { FAST, startMarketBehindProxy, type MarketBehindProxy } from './harness.js';
import { fixturePolicy } from './policy.js';

let env: MarketBehindProxy | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await env?.close();
  env = undefined;
  for (const c of closers.splice(0)) await c();
});

/** A tiny HTTP server on 127.0.0.1 that echoes the request's Cookie header and can set one. */
async function startEcho(): Promise<{ port: number; seen: { path: string; cookie?: string; ua?: string }[] }> {
  const seen: { path: string; cookie?: string; ua?: string }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url ?? '', cookie: req.headers.cookie, ua: req.headers['user-agent'] });
    const headers: Record<string, string | string[]> = { 'content-type': 'text/plain; charset=utf-8' };
    if (req.url === '/set') headers['set-cookie'] = ['sid=from-server; Path=/; HttpOnly', 'theme=dark; Path=/'];
    res.writeHead(200, headers);
    res.end(`cookie: ${req.headers.cookie ?? ''}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { port: (server.address() as AddressInfo).port, seen };
}

const ECHO = 'echoechoechoechoechoechoechoechoechoechoechoechoechoecho.onion';

describe('proxy URL', () => {
  it('refuses socks5:// and socks4:// because they resolve names locally (DNS leak)', () => {
    for (const url of ['socks5://127.0.0.1:9050', 'socks4://127.0.0.1:9050']) {
      expect(() => parseProxyUrl(url)).toThrow(expect.objectContaining({ code: 'TOR_PROXY_LEAKS_DNS' }));
      expect(() => new TorClient({ proxy: url })).toThrow(/DNS resolver.*socks5h:\/\//s);
    }
  });
  it('accepts socks5h:// and socks://, refuses everything else', () => {
    expect(parseProxyUrl('socks5h://127.0.0.1:9050')).toEqual({ host: '127.0.0.1', port: 9050, url: 'socks5h://127.0.0.1:9050' });
    expect(parseProxyUrl('socks://127.0.0.1:9150').port).toBe(9150);
    for (const url of ['socks4a://127.0.0.1:9050', 'http://127.0.0.1:8118', 'socks5h://u:p@127.0.0.1:9050', 'not a url', 'socks5h://']) {
      expect(() => parseProxyUrl(url), url).toThrow(expect.objectContaining({ code: 'TOR_PROXY_URL_INVALID' }));
    }
  });
});

describe('preflight', () => {
  it('tells a dead proxy, a non-SOCKS listener and a SOCKS proxy that is not Tor apart', async () => {
    env = await startMarketBehindProxy({ traps: [] });
    // an HTTP server is not a SOCKS5 proxy
    await expect(preflight(parseProxyUrl(`socks5h://127.0.0.1:${env.market.port}`), { timeoutMs: 2000 })).rejects.toMatchObject({ code: 'TOR_PROXY_NOT_SOCKS5' });
    // the test SOCKS server speaks SOCKS5 but is not Tor
    expect(await preflight(parseProxyUrl(env.proxy.url))).toEqual({ socks5: true });
    await expect(preflight(parseProxyUrl(env.proxy.url), { requireTor: true, timeoutMs: 1000 })).rejects.toMatchObject({ code: 'TOR_PROXY_NOT_TOR' });
    const url = env.proxy.url;
    await env.proxy.close();
    await expect(preflight(parseProxyUrl(url))).rejects.toMatchObject({ code: 'TOR_PROXY_UNREACHABLE' });
  });

  it('fails closed on a proxy that accepts connections and never answers (a frozen Tor): no retries, TOR_PROXY_UNREACHABLE', async () => {
    // a listener that accepts and stays silent, like a SIGSTOPped tor whose kernel still completes handshakes
    const held = new Set<net.Socket>();
    const silent = net.createServer((s) => held.add(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    closers.push(async () => {
      for (const s of held) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    });
    const proxy = `socks5h://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    await expect(preflight(parseProxyUrl(proxy), { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'TOR_PROXY_UNREACHABLE',
      message: expect.stringContaining('did not answer the SOCKS5 greeting within 300 ms'),
    });
    const client = new TorClient({ proxy, timeoutMs: 400, retries: 3, backoffMs: 10_000 });
    const started = Date.now();
    const err = await client.fetch('http://aurora.onion/').catch((e: unknown) => e);
    // one attempt (its deadline), one greeting check, no backoff: the retries are never used
    expect(err).toMatchObject({ code: 'TOR_PROXY_UNREACHABLE', attempts: 1 });
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('identities and sessions', () => {
  it('gives each identity its own SOCKS credentials; rotation changes the password', async () => {
    env = await startMarketBehindProxy({ traps: [] });
    const client = new TorClient({ proxy: env.proxy.url, politeness: FAST });
    await client.fetch(env.market.url('/'), { identity: 'alice' });
    await client.fetch(env.market.url('/'), { identity: 'alice' });
    await client.fetch(env.market.url('/'), { identity: 'bob' });
    client.identity('alice').rotate();
    await client.fetch(env.market.url('/'), { identity: 'alice' });
    const k = env.proxy.connects;
    expect(k.map((x) => x.username)).toEqual(['wildtrace-alice', 'wildtrace-alice', 'wildtrace-bob', 'wildtrace-alice']);
    expect(k[0].password).toBe(k[1].password);
    expect(k[2].password).not.toBe(k[0].password);
    expect(k[3].password).not.toBe(k[0].password);
    expect(client.identity('alice').rotations).toBe(1);
    expect(() => client.identity('bad name with spaces')).toThrow(expect.objectContaining({ code: 'TOR_IDENTITY_INVALID' }));
  });

  it('imports Tor Browser cookies (cookies.txt and Cookie-Editor JSON), keeps jars apart, and stores Set-Cookie', async () => {
    const echo = await startEcho();
    env = await startMarketBehindProxy({ traps: [] }, { [ECHO]: { port: echo.port } });
    const client = new TorClient({ proxy: env.proxy.url, politeness: FAST });
    const txt = [
      '# Netscape HTTP Cookie File',
      `${ECHO}\tFALSE\t/\tTRUE\t0\tsession\tabc123`,
      `#HttpOnly_.${ECHO}\tTRUE\t/\tFALSE\t4102444800\tauth\tt0k3n`,
      `${ECHO}\tFALSE\t/\tFALSE\t946684800\told\texpired`,
      'garbage line',
    ].join('\n');
    const r1 = await client.identity('alice').importCookies(txt);
    expect(r1.imported).toBe(2);
    expect(r1.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/expected 7/), 'expired']);
    const json = JSON.stringify([
      { name: 'lang', value: 'en', domain: ECHO, path: '/', secure: false, httpOnly: false, hostOnly: true, session: true },
      { name: 'bad' },
    ]);
    const r2 = await client.identity('bob').importCookies(json);
    expect(r2.imported).toBe(1);
    expect(r2.skipped.length).toBe(1);
    await expect(client.identity('bob').importCookies('{"not":"an array"}')).rejects.toMatchObject({ code: 'TOR_COOKIES_INVALID' });

    await client.fetch(`http://${ECHO}/a`, { identity: 'alice' });
    await client.fetch(`http://${ECHO}/b`, { identity: 'bob' });
    await client.fetch(`http://${ECHO}/set`, { identity: 'carol' });
    await client.fetch(`http://${ECHO}/c`, { identity: 'carol' });
    const cookie = (p: string) => echo.seen.find((s) => s.path === p)?.cookie ?? '';
    // the Secure cookie goes to the .onion over http, as in Tor Browser
    expect(cookie('/a').split('; ').sort()).toEqual(['auth=t0k3n', 'session=abc123']);
    expect(cookie('/b')).toBe('lang=en');
    expect(cookie('/set')).toBe('');
    expect(cookie('/c').split('; ').sort()).toEqual(['sid=from-server', 'theme=dark']);
    expect(echo.seen[0].ua).toMatch(/Firefox\/128\.0$/);
  });
});

describe('cookie import, hostile input', () => {
  it('skips and counts garbage, survives huge and deeply nested files, never throws on a line', async () => {
    const client = new TorClient({ proxy: 'socks5h://127.0.0.1:9' });
    const id = client.identity('x');
    const huge = 'a'.repeat(5 * 1024 * 1024);
    const r1 = await id.importCookies(`${huge}\n\0\0\0\n${'\t'.repeat(10)}\n`);
    expect(r1.imported).toBe(0);
    expect(r1.skipped.length).toBeGreaterThanOrEqual(2);
    expect(r1.skipped.every((s) => s.entry.length <= 200)).toBe(true);
    await expect(id.importCookies('['.repeat(100_000))).rejects.toMatchObject({ code: 'TOR_COOKIES_INVALID' });
    const r2 = await id.importCookies(JSON.stringify([null, 1, 'x', { name: 'a', value: 'b', domain: '' }, { name: 'n', value: 'v', domain: 'ok.onion', expirationDate: 'soon' }]));
    expect(r2.imported).toBe(1);
    expect(r2.skipped.length).toBe(4);
  });
});

describe('limits, retries and budgets', () => {
  it('cuts off a 50 MiB chunked body at the cap, refuses a declared one before reading', async () => {
    env = await startMarketBehindProxy({ traps: [] });
    const client = new TorClient({ proxy: env.proxy.url, politeness: FAST });
    await expect(client.fetch(env.market.url('/huge'))).rejects.toMatchObject({ code: 'TOR_BODY_TOO_LARGE', message: expect.stringMatching(/declares 52428800 bytes/) });
    await expect(client.fetch(env.market.url('/huge-chunked'))).rejects.toMatchObject({ code: 'TOR_BODY_TOO_LARGE', message: expect.stringMatching(/cut off/) });
    expect(env.market.stats.bytesSent).toBeLessThan(16 * 1024 * 1024);
    const small = new TorClient({ proxy: env.proxy.url, politeness: FAST, maxBodyBytes: 100 });
    await expect(small.fetch(env.market.url('/'))).rejects.toMatchObject({ code: 'TOR_BODY_TOO_LARGE' });
  });

  it('follows redirects on the host up to the limit and refuses other hosts and content types', async () => {
    env = await startMarketBehindProxy({ traps: [] });
    const lenient = new TorClient({ proxy: env.proxy.url, politeness: FAST, maxRedirects: 5 });
    const r = await lenient.fetch(env.market.url('/hop/1'));
    expect(r.status).toBe(200);
    expect(r.finalUrl).toBe(env.market.url('/'));
    expect(r.redirects).toHaveLength(5);
    const strict = new TorClient({ proxy: env.proxy.url, politeness: FAST });
    await expect(strict.fetch(env.market.url('/hop/1'))).rejects.toMatchObject({ code: 'TOR_TOO_MANY_REDIRECTS' });
    const err = await strict.fetch(env.market.url('/out')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TOR_REDIRECT_OFF_HOST', response: { status: 302 } });
    await expect(strict.fetch(env.market.url('/logo.png'))).rejects.toMatchObject({ code: 'TOR_CONTENT_TYPE_REFUSED' });
    const other = new TorClient({ proxy: env.proxy.url, politeness: FAST, allowedHosts: ['elsewhere.onion'] });
    const before = env.proxy.connects.length;
    await expect(other.fetch(env.market.url('/'))).rejects.toMatchObject({ code: 'TOR_HOST_NOT_ALLOWED' });
    await expect(other.fetch('file:///etc/passwd')).rejects.toMatchObject({ code: 'TOR_HOST_NOT_ALLOWED' });
    expect(env.proxy.connects.length).toBe(before);
    // nothing ever asked the proxy for the clearnet host
    expect(env.proxy.connects.some((k) => k.host.includes('example.com'))).toBe(false);
  });

  it('retries 503 after its Retry-After, gives up on an unknown onion after bounded retries, and enforces page budgets', async () => {
    env = await startMarketBehindProxy({ traps: [], flakyFailures: 2 });
    const client = new TorClient({ proxy: env.proxy.url, politeness: FAST, retries: 2, backoffMs: 20, maxRetryAfterMs: 400 });
    const r = await client.fetch(env.market.url('/flaky'));
    expect(r.status).toBe(200);
    expect(env.market.hits('/flaky')).toBe(3);
    // the fixture answers 503 with Retry-After: 1 (s); honoured up to the 400 ms cap, not the 20 ms backoff
    const t = env.market.stats.times;
    expect(t[2] - t[1]).toBeGreaterThanOrEqual(390);
    const unknown = 'unknownunknownunknownunknownunknownunknownunknownunknown.onion';
    await expect(client.fetch(`http://${unknown}/`)).rejects.toMatchObject({ code: 'TOR_CONNECT_FAILED', retryable: true });
    expect(env.proxy.connects.filter((k) => k.host === unknown)).toHaveLength(3);

    const budget = new TorClient({ proxy: env.proxy.url, politeness: { ...FAST, maxPerHost: 2 } });
    await budget.fetch(env.market.url('/'));
    await budget.fetch(env.market.url('/listings?page=1'));
    await expect(budget.fetch(env.market.url('/listings?page=2'))).rejects.toMatchObject({ code: 'TOR_BUDGET_EXHAUSTED' });
  });
});

describe('abort', () => {
  it('an AbortSignal ends a fetch in flight and a crawl at once; the page stays queued', async () => {
    env = await startMarketBehindProxy({ traps: [], slowMs: 10_000 });
    const client = new TorClient({ proxy: env.proxy.url, politeness: FAST });
    const ac = new AbortController();
    const t = performance.now();
    setTimeout(() => ac.abort(), 200);
    await expect(client.fetch(env.market.url('/slow'), { signal: ac.signal })).rejects.toMatchObject({ code: 'TOR_ABORTED' });
    expect(performance.now() - t).toBeLessThan(5000);

    const c = await Case.memory();
    const ac2 = new AbortController();
    const crawl = crawlMarket(c, client, fixturePolicy('aurora', env.market.onionHost, /^\/slow$/, [env.market.url('/slow')]), { signal: ac2.signal });
    setTimeout(() => ac2.abort(), 200);
    const s = await crawl.run();
    expect(s.stoppedBy?.code).toBe('TOR_ABORTED');
    expect(await new Frontier(c, 'aurora').state(env.market.url('/slow'))).toMatchObject({ state: 'queued' });
    await c.close();
  });
});

describe('evidence archive', () => {
  it('stores each body once by SHA-256, records every retrieval, and parses again from the archive', async () => {
    env = await startMarketBehindProxy({ traps: [] });
    const client = new TorClient({ proxy: env.proxy.url, politeness: FAST });
    const c = await Case.memory();
    const url = env.market.url('/');
    const p1 = await archiveResponse(c, await client.fetch(url, { identity: 'alice' }), 'aurora');
    const p2 = await archiveResponse(c, await client.fetch(url, { identity: 'bob' }), 'aurora');
    expect(p1.sha256).toBe(p2.sha256);
    expect(p1.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await c.store.collection('page').count()).toBe(1);
    const stored = (await c.store.collection('page').get(p1.sha256))!;
    expect(stored).toMatchObject({ url, finalUrl: url, status: 200, identity: 'alice' });
    expect(stored.headers['content-type']).toMatch(/text\/html/);
    expect(Buffer.from(stored.body).equals(Buffer.from(p1.body))).toBe(true);
    const rs = await retrievalsOf(c, url);
    expect(rs.map((r) => r.identity)).toEqual(['alice', 'bob']);
    const again = [];
    for await (const { page } of archivedPages(c, { market: 'aurora' })) again.push(pageHtml(page));
    expect(again[0]).toBe(env.market.site.page('/'));
    await c.close();
  });
});

describe('canonicalUrl', () => {
  it('resolves, lower-cases the host, drops fragments and default ports, sorts the query', () => {
    expect(canonicalUrl('../item/7?b=2&a=1#top', 'http://ABC.onion/x/y')).toBe('http://abc.onion/item/7?a=1&b=2');
    expect(canonicalUrl('http://abc.onion:80')).toBe('http://abc.onion/');
    expect(canonicalUrl('http://abc.onion/p?')).toBe('http://abc.onion/p');
    expect(canonicalUrl('http://u:p@abc.onion/p')).toBe('http://abc.onion/p');
    for (const bad of ['mailto:x@y', 'javascript:alert(1)', 'data:text/html,hi', 'http://']) expect(canonicalUrl(bad, 'http://abc.onion/')).toBeUndefined();
  });
});
