/**
 * Integration: the crawler through a real SOCKS5 server on 127.0.0.1 (a SOCKS5 server written
 * for the test, which records the address type of every CONNECT and maps the market's .onion
 * name to the fixture market), serving the fixture market of test/fixtures/market.
 */
import { spawn } from 'node:child_process';
import dns from 'node:dns';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { Case } from '../../src/case.js';
import { archivedPages, crawlMarket, Frontier, pageHtml, TorClient, type PauseRequest } from '../../adapters/tor/index.js';
import { startFixtureMarket } from '../fixtures/market/server.js';
import { contentPaths, FAST, startMarketBehindProxy, type MarketBehindProxy } from './harness.js';
import { freePort } from '../setup/ports.js';
import { CONTENT, fixturePolicy } from './policy.js';

let env: MarketBehindProxy | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** Makes every dns.lookup (callback, promise, CJS) throw for every name, and counts the attempts. */
function forbidAllDns(): { calls: string[]; restore(): void } {
  const require = createRequire(import.meta.url);
  const targets = [dns, require('node:dns') as typeof dns];
  const calls: string[] = [];
  const saved = targets.map((t) => [t.lookup, t.promises.lookup] as const);
  for (const t of targets) {
    (t as { lookup: unknown }).lookup = (name: string) => {
      calls.push(name);
      throw new Error(`dns.lookup(${name}) during a Tor crawl`);
    };
    (t.promises as { lookup: unknown }).lookup = (name: string) => {
      calls.push(name);
      throw new Error(`dns.promises.lookup(${name}) during a Tor crawl`);
    };
  }
  return {
    calls,
    restore() {
      targets.forEach((t, i) => {
        (t as { lookup: unknown }).lookup = saved[i][0];
        (t.promises as { lookup: unknown }).lookup = saved[i][1];
      });
    },
  };
}

describe('crawl through a SOCKS5 proxy (socks5h; the SOCKS5 server written for the test records address types)', () => {
  it('crawls the whole fixture market with dns.lookup throwing; the proxy only ever sees the .onion name (ATYP 3)', async () => {
    env = await startMarketBehindProxy({ traps: [] });
    const { market, proxy } = env;
    const c = await Case.memory();
    const client = new TorClient({ proxy: proxy.url, politeness: FAST });
    const guard = forbidAllDns();
    let summary;
    try {
      summary = await crawlMarket(c, client, fixturePolicy('aurora', market.onionHost, CONTENT)).run();
    } finally {
      guard.restore();
    }
    expect(guard.calls).toEqual([]);
    expect(summary.complete).toBe(true);
    expect(summary.failed).toEqual([]);
    // every content page fetched exactly once, nothing else
    const paths = contentPaths(market);
    expect(summary.fetched).toBe(paths.length);
    for (const p of paths) expect(market.hits(p), p).toBe(1);
    expect(market.stats.requests).toBe(paths.length);
    // the proxy received a domain name, never an IP
    expect(proxy.connects.length).toBe(paths.length);
    for (const k of proxy.connects) {
      expect(k.atyp).toBe(3);
      expect(k.host).toBe(market.onionHost);
      expect(k.username).toBe('wildtrace-anonymous');
    }
    // every listing and vendor page is in the archive, and parses from there
    const archived = new Map<string, string>();
    for await (const { retrieval, page } of archivedPages(c, { market: 'aurora' })) archived.set(new URL(retrieval.url).pathname + new URL(retrieval.url).search, pageHtml(page));
    for (const l of market.site.catalogue.listings) {
      const html = archived.get(market.site.skin.listingPath(l));
      expect(html, l.id).toBeDefined();
      expect(html).toContain(l.title.replace(/&/g, '&amp;').slice(0, 10));
    }
    for (const v of market.site.catalogue.vendors) expect(archived.has(market.site.skin.vendorPath(v.handle)), v.handle).toBe(true);
    await c.close();
  });

  it('pauses at the login and CAPTCHA pages, asks for a session, and goes on after resume', async () => {
    env = await startMarketBehindProxy({ traps: ['login', 'captcha'] });
    const { market, proxy } = env;
    const c = await Case.memory();
    const client = new TorClient({ proxy: proxy.url, politeness: FAST });
    const policy = fixturePolicy('aurora', market.onionHost, new RegExp(`${CONTENT.source}|^/(?:account|captcha)$`));

    // without a pause listener the run stops at the first wall page
    const first = await crawlMarket(c, client, policy).run();
    expect(first.paused?.verdict).toMatch(/login|captcha/);
    expect(first.complete).toBe(false);
    const wall = first.paused!;
    expect(await new Frontier(c, 'aurora').state(wall.url)).toMatchObject({ state: 'queued' });
    expect(await c.store.collection('page').has(wall.sha256)).toBe(true);

    // with a listener: every wall page asks; the analyst "imports a cookie" and resumes once per wall,
    // then stops when the same wall comes back (the fixture keeps serving it)
    const asked: PauseRequest[] = [];
    const crawl = crawlMarket(c, client, policy);
    crawl.on('pause', (req) => {
      asked.push(req);
      const again = asked.filter((a) => a.url === req.url).length > 1;
      if (again) req.stop();
      else
        void client
          .identity(req.identity)
          .importCookies(`${market.onionHost}\tFALSE\t/\tFALSE\t0\tsession\tfresh-${asked.length}`)
          .then(() => req.resume());
    });
    const second = await crawl.run();
    // a pause nobody answers ends when the crawl is aborted
    const ac = new AbortController();
    const third = crawlMarket(c, client, policy, { signal: ac.signal });
    third.on('pause', () => setTimeout(() => ac.abort(), 50));
    expect((await third.run()).stoppedBy?.code).toBe('TOR_ABORTED');
    expect(asked.length).toBeGreaterThanOrEqual(2);
    expect(asked[0].verdict).toBe(wall.verdict);
    expect(second.paused).toBeDefined();
    expect(second.stoppedBy).toBeUndefined();
    // the wall pages were fetched (and refetched after resume) but never marked done
    for (const path of ['/account', '/captcha']) {
      expect(await new Frontier(c, 'aurora').state(market.url(path))).toMatchObject({ state: 'queued' });
    }
    await c.close();
  });

  it('holds the limits: the 50 MiB page is refused, the slow page times out, the clearnet redirect is not followed', async () => {
    env = await startMarketBehindProxy({ traps: ['huge', 'slow', 'out', 'hops', 'logo'], slowMs: 5000, clearnetUrl: 'http://clearnet-mirror.example.com/' });
    const { market, proxy } = env;
    const c = await Case.memory();
    const client = new TorClient({ proxy: proxy.url, politeness: FAST, timeoutMs: 1500, retries: 1, backoffMs: 50 });
    const traps = /^\/(?:huge|slow|out|hop\/1|logo\.png)$/;
    const policy = fixturePolicy('aurora', market.onionHost, new RegExp(`${CONTENT.source}|${traps.source}`));
    const summary = await crawlMarket(c, client, policy).run();
    expect(summary.complete).toBe(true);
    const codes = Object.fromEntries(summary.failed.map((f) => [new URL(f.url).pathname, f.code]));
    expect(codes).toEqual({
      '/huge': 'TOR_BODY_TOO_LARGE',
      '/slow': 'TOR_TIMEOUT',
      '/out': 'TOR_REDIRECT_OFF_HOST',
      '/hop/1': 'TOR_TOO_MANY_REDIRECTS',
      '/logo.png': 'TOR_CONTENT_TYPE_REFUSED',
    });
    // the slow page was tried twice (1 retry), the huge page once, and far less than 50 MiB was sent
    expect(market.hits('/slow')).toBe(2);
    expect(market.hits('/huge')).toBe(1);
    expect(market.stats.bytesSent).toBeLessThan(12 * 1024 * 1024);
    // no connection was ever asked for outside the market
    expect(proxy.connects.every((k) => k.host === market.onionHost && k.atyp === 3)).toBe(true);
    // the refused redirect is archived as evidence
    const out = await new Frontier(c, 'aurora').state(market.url('/out'));
    expect(out).toMatchObject({ state: 'failed', code: 'TOR_REDIRECT_OFF_HOST' });
    const page = await c.store.collection('page').get((out as { sha256: string }).sha256);
    expect(page?.status).toBe(302);
    expect(page?.headers.location).toBe('http://clearnet-mirror.example.com/');
    // the content pages were all fetched anyway
    for (const p of contentPaths(market)) expect(market.hits(p), p).toBe(1);
    await c.close();
  });

  it('refuses a second concurrent crawl (or requeueFailed) of one market in one case (CASE_BUSY), not of another market; the first completes, every page once', async () => {
    env = await startMarketBehindProxy({ traps: [] });
    const { market, proxy } = env;
    const c = await Case.memory();
    const client = new TorClient({ proxy: proxy.url, politeness: FAST });
    const policy = fixturePolicy('aurora', market.onionHost, CONTENT);
    const first = crawlMarket(c, client, policy).run();
    // the same market again while the first runs: refused before any request
    const before = market.stats.requests;
    await expect(crawlMarket(c, client, policy).run()).rejects.toMatchObject({ code: 'CASE_BUSY' });
    await expect(new Frontier(c, 'aurora').requeueFailed()).rejects.toMatchObject({ code: 'CASE_BUSY', message: expect.stringMatching(/a crawl of aurora is already running on this case, so requeueFailed of aurora cannot start/) });
    // another market id (here: the same site under a second id) may be crawled at the same time
    const other = crawlMarket(c, client, fixturePolicy('aurora-mirror', market.onionHost, CONTENT, [market.url('/')])).run();
    const [summary, otherSummary] = await Promise.all([first, other]);
    expect(summary).toMatchObject({ complete: true, failed: [] });
    expect(otherSummary).toMatchObject({ complete: true, failed: [] });
    const paths = contentPaths(market);
    expect(summary.fetched).toBe(paths.length);
    expect(otherSummary.fetched).toBe(paths.length);
    expect(market.stats.requests - before).toBe(2 * paths.length); // each page once per market id, none for the refused run
    // the lock is released: a third run of the finished crawl starts (nothing left to fetch), also after a failing one
    expect(await crawlMarket(c, client, policy).run()).toMatchObject({ complete: true, fetched: 0 });
    const dead = new TorClient({ proxy: 'socks5h://127.0.0.1:9', politeness: FAST });
    await expect(crawlMarket(c, dead, policy).run()).rejects.toMatchObject({ code: 'TOR_PROXY_UNREACHABLE' });
    expect(await crawlMarket(c, client, policy).run()).toMatchObject({ complete: true, fetched: 0 });
    client.close();
    dead.close();
    await c.close();
  });

  it('fails closed when the proxy is down: nothing reaches the market or a direct listener', async () => {
    env = await startMarketBehindProxy({ traps: [], allowLocalHost: true });
    const { market, proxy } = env;
    await proxy.close();
    const c = await Case.memory();
    const client = new TorClient({ proxy: proxy.url, politeness: FAST, retries: 3, backoffMs: 10 });
    // preflight refuses to start
    await expect(crawlMarket(c, client, fixturePolicy('aurora', market.onionHost, CONTENT)).run()).rejects.toMatchObject({ code: 'TOR_PROXY_UNREACHABLE' });
    // a request for the market's own 127.0.0.1 address (which a direct connection WOULD reach) fails closed too
    await expect(client.fetch(`http://127.0.0.1:${market.port}/`)).rejects.toMatchObject({ code: 'TOR_PROXY_UNREACHABLE' });
    await expect(client.fetch(market.url('/'))).rejects.toMatchObject({ code: 'TOR_PROXY_UNREACHABLE' });
    expect(market.stats.connections).toBe(0);
    expect(await c.store.collection('page').count()).toBe(0);
    await c.close();
  });

  it('stops with TOR_PROXY_UNREACHABLE when the proxy dies mid-crawl, keeps the rest queued, and resumes through a new proxy', async () => {
    env = await startMarketBehindProxy({ traps: [] });
    const { market, proxy } = env;
    const c = await Case.memory();
    const client = new TorClient({ proxy: proxy.url, politeness: FAST, retries: 0 });
    const crawl = crawlMarket(c, client, fixturePolicy('aurora', market.onionHost, CONTENT), {
      onProgress: (p) => {
        if (p.fetched === 5) void proxy.close();
      },
    });
    const summary = await crawl.run();
    expect(summary.stoppedBy?.code).toBe('TOR_PROXY_UNREACHABLE');
    expect(summary.complete).toBe(false);
    const connectionsWhenDown = market.stats.connections;
    expect(connectionsWhenDown).toBe(summary.fetched);

    const { startSocksServer } = await import('./socks5-server.js');
    const proxy2 = await startSocksServer({ [market.onionHost]: { port: market.port } });
    try {
      const again = await crawlMarket(c, new TorClient({ proxy: proxy2.url, politeness: FAST }), fixturePolicy('aurora', market.onionHost, CONTENT)).run();
      expect(again.complete).toBe(true);
      for (const p of contentPaths(market)) expect(market.hits(p), p).toBe(1);
    } finally {
      await proxy2.close();
    }
    await c.close();
  });

  it('keeps to the politeness limits: one request at a time per host, spaced by the delay', async () => {
    env = await startMarketBehindProxy({ traps: [] });
    const { market, proxy } = env;
    const c = await Case.memory();
    const client = new TorClient({ proxy: proxy.url, politeness: { minDelayMs: 60, maxDelayMs: 90 } });
    const summary = await crawlMarket(c, client, fixturePolicy('aurora', market.onionHost, CONTENT), { parallel: 4, maxPages: 8 }).run();
    expect(summary.fetched).toBe(8);
    expect(market.stats.maxConcurrent).toBe(1);
    const t = market.stats.times;
    for (let i = 1; i < t.length; i++) expect(t[i] - t[i - 1]).toBeGreaterThanOrEqual(55);
    expect(summary.queued).toBeGreaterThan(0);
    await c.close();
  });

  it('waits at a DDoS-queue page and asks again a bounded number of times, then ends paused; a throwing profile fails only its page', async () => {
    env = await startMarketBehindProxy({ traps: ['queue'] });
    const { market, proxy } = env;
    const c = await Case.memory();
    const client = new TorClient({ proxy: proxy.url, politeness: FAST });
    const base = fixturePolicy('aurora', market.onionHost, new RegExp(`${CONTENT.source}|^/queue$`));
    const summary = await crawlMarket(c, client, base, { queueWaitMs: 30, queueRetries: 2 }).run();
    expect(summary.paused?.verdict).toBe('queue');
    expect(market.hits('/queue')).toBe(3);

    const c2 = await Case.memory();
    const content = fixturePolicy('aurora', market.onionHost, CONTENT);
    const broken = {
      ...content,
      links: (page: Parameters<typeof content.links>[0]) => {
        if (page.url.includes('/vendor/')) throw new Error('selector exploded');
        return content.links(page);
      },
    };
    const s2 = await crawlMarket(c2, client, broken).run();
    expect(s2.complete).toBe(true);
    const vendorFailures = s2.failed.filter((f) => f.code === 'CRAWL_POLICY_FAILED');
    expect(vendorFailures.length).toBeGreaterThan(0);
    expect(vendorFailures.every((f) => f.url.includes('/vendor/'))).toBe(true);
    const st = await new Frontier(c2, 'aurora').state(vendorFailures[0].url);
    expect(st).toMatchObject({ state: 'failed', code: 'CRAWL_POLICY_FAILED', message: expect.stringMatching(/selector exploded/) });
    expect(await c2.store.collection('page').has((st as { sha256: string }).sha256)).toBe(true);
    await c.close();
    await c2.close();
  });
});

describe('crawl through Debian microsocks (a third-party SOCKS5 server)', () => {
  it('sends the host name to the proxy, which resolves and logs it; dns.lookup throws in this process', async () => {
    const market = await startFixtureMarket({ traps: [], allowLocalHost: true });
    const port = await freePort();
    // microsocks resolves `localhost` from /etc/hosts (nsswitch "files" first): no DNS query leaves the machine
    const socks = spawn('microsocks', ['-i', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    socks.stderr.setEncoding('utf8');
    socks.stderr.on('data', (d: string) => (log += d));
    const c = await Case.memory();
    try {
      const client = new TorClient({ proxy: `socks5h://127.0.0.1:${port}`, politeness: FAST });
      for (let i = 0; i < 50; i++) {
        try {
          await client.preflight({ timeoutMs: 500 });
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const origin = `http://localhost:${market.port}`;
      const guard = forbidAllDns();
      let summary;
      try {
        summary = await crawlMarket(c, client, fixturePolicy('aurora', 'localhost', CONTENT, [`${origin}/`])).run();
      } finally {
        guard.restore();
      }
      expect(guard.calls).toEqual([]);
      expect(summary.complete).toBe(true);
      for (const p of contentPaths(market)) expect(market.hits(p), p).toBe(1);
      // microsocks: "connected to <name>:<port>" for a name it resolved, an IP otherwise
      const lines = log.split('\n').filter((l) => l.includes('connected to'));
      expect(lines.length).toBe(contentPaths(market).length);
      expect(lines.every((l) => l.includes(`connected to localhost:${market.port}`))).toBe(true);
    } finally {
      socks.kill('SIGKILL');
      await market.close();
      await c.close();
    }
  });
});
