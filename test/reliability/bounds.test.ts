/**
 * Resource bounds (issue 11): hostile sizes are refused or truncated with a typed error, in bounded
 * time and memory. Each case runs in a child process (./bounds-child.ts) that measures every step:
 * its time, the RSS before it and the peak RSS during it (sampled by a thread every 2 ms), so the
 * memory figures are real and the case's own. The servers (the fixture market, a lying HTTP
 * server) run here, behind the SOCKS5 test proxy, as the crawler would meet them through Tor.
 *
 *   50 MiB page        Tor client cap (`maxBodyBytes`, 5 MiB): a declared 50 MiB is refused unread,
 *                      an undeclared one is cut off at the cap; the crawl archives nothing
 *   10⁶ addresses      `extractAddresses` stops at `maxAddresses` (10 000); the parser refuses the
 *                      41 MB page (16 MiB limit) and keeps 1 000 addresses of a page at the crawl cap
 *   20,000 inputs      decoded and ingested in one batch; the same with real-size scriptSigs is over
 *                      the consensus weight limit and refused (`BTC_BLOCK_TOO_LARGE`)
 *   lying length       5 GB `Content-Length` refused at the headers; a short body is
 *                      `TOR_BODY_TRUNCATED`; a trickle meets the attempt deadline; nothing archived
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMarketBehindProxy, type MarketBehindProxy } from '../tor/harness.js';
import { startSocksServer, type TestSocksServer } from '../tor/socks5-server.js';
import { bundleChild } from './bundle.js';

/** A step's figures as the child reports them. */
interface Step {
  ms: number;
  code?: string;
  message?: string;
  rssBeforeMB: number;
  peakMB: number;
  deltaMB: number;
  [fact: string]: unknown;
}

let child: string;
let root: string;
const figures: string[] = [];

beforeAll(async () => {
  child = await bundleChild(path.join(import.meta.dirname, 'bounds-child.ts'));
  root = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-bounds-'));
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
  console.log(`resource bounds (time; RSS before → peak during the step):\n${figures.join('\n')}`);
});

/** Runs one case in a child process; resolves with its JSON report. */
function runCase(name: string, options: Record<string, string | number> = {}): Promise<{ steps: Record<string, Step>; maxRssMB: number; [k: string]: unknown }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', child, name, JSON.stringify({ caseDir: path.join(root, name), ...options })], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`bounds child ${name} exited ${code}: ${err}`));
      const report = JSON.parse(out.trim().split('\n').pop()!);
      figures.push(`  [${name}: process peak RSS ${report.maxRssMB} MB]`);
      resolve(report);
    });
  });
}

/** Records a step's figures for the summary. */
function note(label: string, s: Step): void {
  const what = s.code ?? 'ok';
  figures.push(`  ${label.padEnd(52)} ${String(s.ms).padStart(6)} ms  ${what.padEnd(20)} RSS ${s.rssBeforeMB} → ${s.peakMB} MB (+${s.deltaMB})`);
}

describe('resource bounds', () => {
  it('a 50 MiB page: refused unread when declared, cut off at 5 MiB when not; the crawl archives nothing', async () => {
    const env: MarketBehindProxy = await startMarketBehindProxy({ traps: [] });
    try {
      const r = await runCase('page-50mib', { proxy: env.proxy.url, host: env.market.onionHost });
      const { declared, chunked, crawl } = r.steps;
      note('50 MiB page, Content-Length 52428800', declared);
      note('50 MiB page, chunked (no length)', chunked);
      note('crawl of both pages', crawl);
      expect(declared).toMatchObject({ code: 'TOR_BODY_TOO_LARGE', message: expect.stringMatching(/declares 52428800 bytes, above the 5242880-byte cap/) });
      expect(chunked).toMatchObject({ code: 'TOR_BODY_TOO_LARGE', message: expect.stringMatching(/cut off/) });
      expect(crawl.failed).toEqual(['TOR_BODY_TOO_LARGE', 'TOR_BODY_TOO_LARGE']);
      expect(r.pages).toBe(0);
      // bounded: less than the page in memory, and no more than a fraction of it sent
      expect(declared.deltaMB).toBeLessThan(16);
      expect(chunked.deltaMB).toBeLessThan(40);
      expect(crawl.deltaMB).toBeLessThan(40);
      expect(env.market.stats.bytesSent).toBeLessThan(4 * 16 * 1024 * 1024);
      for (const s of [declared, chunked, crawl]) expect(s.ms).toBeLessThan(30_000);
    } finally {
      await env.close();
    }
  }, 180_000);

  it('10^6 addresses in one page: extraction stops at maxAddresses; the parser refuses the page, or keeps 1,000 of a page at the crawl cap', async () => {
    const file = path.join(root, 'addresses.txt');
    await runCase('write-addresses', { file }); // built in another process, so it leaves no garbage in the measured one
    const r = await runCase('addresses-1e6', { file });
    const { found, withOneMore } = r.steps;
    note(`extractAddresses, ${r.textMB} MB text of 10^6 addresses`, found);
    note('extractAddresses, maxAddresses 10,001', withOneMore);
    expect(found.n).toBe(10_000);
    expect(withOneMore.n).toBe(10_001);
    expect(found.deltaMB).toBeLessThan(96); // unbounded, the same text cost +977 MB and 114 s here
    expect(found.ms).toBeLessThan(30_000);

    const p = await runCase('parse-1e6', { file });
    const { byDefault, atCrawlCap } = p.steps;
    note(`parseMarketPage, ${p.pageMB} MB page of 10^6 addresses`, byDefault);
    note(`parseMarketPage, ${p.capMB} MB page of ${p.capAddresses} addresses`, atCrawlCap);
    expect(byDefault).toMatchObject({ code: 'PAGE_TOO_LARGE', message: expect.stringMatching(/exceeds the parser limit of 16777216/) });
    expect(byDefault.ms).toBeLessThan(1000);
    expect(atCrawlCap.addresses).toBe(1000);
    expect(atCrawlCap.skipped).toEqual([{ what: 'listing', reason: expect.stringMatching(/posts more than 1000 distinct addresses; the first 1000 were kept/) }]);
    expect(atCrawlCap.ms).toBeLessThan(120_000);
    expect(atCrawlCap.deltaMB).toBeLessThan(512);
  }, 300_000);

  it('a block with 20,000 inputs: decoded and ingested in one batch; over the consensus weight it is refused', async () => {
    const r = await runCase('block-20000');
    const { ok, ingest } = r.steps;
    note(`decode block, 20,000 inputs (${ok.bytes} bytes, weight ${ok.weight})`, ok);
    note('ingest it (one atomic batch, on disk)', ingest);
    expect(ok).toMatchObject({ inputs: 20_000 });
    expect(ok.weight as number).toBeLessThanOrEqual(4_000_000);
    expect(ingest).toMatchObject({ blocks: 1, inputs: 20_001, unresolved: 20_000 });
    expect(r.steps.spends).toBe(20_000);
    expect(ok.ms).toBeLessThan(30_000);
    expect(ingest.ms).toBeLessThan(60_000);
    expect(ok.deltaMB + ingest.deltaMB).toBeLessThan(256);

    const f = await runCase('block-fat');
    const { weight, size } = f.steps;
    note(`decode block, 20,000 107-byte scriptSigs (${weight.bytes} bytes)`, weight);
    note(`decode block, 20,000 200-byte scriptSigs (${size.bytes} bytes)`, size);
    expect(weight).toMatchObject({ code: 'BTC_BLOCK_TOO_LARGE', message: expect.stringMatching(/weighs 11840840, above the consensus limit of 4000000/) });
    expect(size).toMatchObject({ code: 'BTC_BLOCK_TOO_LARGE', message: expect.stringMatching(/is 4820210 bytes/) });
    expect(size.ms).toBeLessThan(100); // refused before decoding
    expect(weight.ms).toBeLessThan(30_000);
  }, 180_000);

  it('a lying Content-Length: 5 GB is refused at the headers, a short body is TOR_BODY_TRUNCATED, a trickle meets the deadline; nothing archived', async () => {
    const liar = await startLiar();
    const host = 'liarliarliarliarliarliarliarliarliarliarliarliarliarliarl.onion';
    const proxy: TestSocksServer = await startSocksServer({ [host]: { port: liar.port } });
    try {
      const r = await runCase('lying-length', { proxy: proxy.url, host, port: liar.port });
      const { warm, fiveGb, short, trickle, crawl, httpFiveGb, httpShort } = r.steps;
      note('Tor client, warm-up (a 404, not measured against a bound)', warm);
      note('Tor client, Content-Length 5000000000', fiveGb);
      note('Tor client, 1,000 of 1,000,000 bytes, then close (2 tries)', short);
      note('Tor client, 1 byte / 100 ms (deadline 3 s, 2 tries)', trickle);
      note('crawl of the 5 GB and the short page', crawl);
      note('httpRequest (Esplora/RPC), Content-Length 5000000000', httpFiveGb);
      note('httpRequest, 1,000 of 1,000,000 bytes, then close', httpShort);
      expect(warm).toMatchObject({ status: 404 }); // the client is warm, so the next step's memory is its own
      expect(fiveGb).toMatchObject({ code: 'TOR_BODY_TOO_LARGE', message: expect.stringMatching(/declares 5000000000 bytes/) });
      expect(fiveGb.ms).toBeLessThan(3000);
      expect(fiveGb.deltaMB).toBeLessThan(8);
      expect(short).toMatchObject({ code: 'TOR_BODY_TRUNCATED', message: expect.stringMatching(/closed after 1000 of the 1000000 bytes/) });
      expect(trickle.code).toBe('TOR_TIMEOUT');
      expect(trickle.ms).toBeGreaterThanOrEqual(6000);
      expect(trickle.ms).toBeLessThan(20_000);
      expect(crawl.failed).toEqual(['TOR_BODY_TOO_LARGE', 'TOR_BODY_TRUNCATED']);
      expect(r.pages).toBe(0);
      expect(httpFiveGb).toMatchObject({ code: 'HTTP_TOO_LARGE', message: expect.stringMatching(/declares 5000000000 bytes/) });
      expect(httpShort.code).toBe('HTTP_FAILED');
      // the 5 GB page was asked for twice (fetch, crawl) through Tor and once directly, and each time dropped at once
      expect(liar.hits.get('/five-gb')).toBe(3);
      expect(liar.hits.get('/short')).toBe(2 + 2 + 1);
      expect(liar.sent.get('/five-gb') ?? 0).toBeLessThan(1024 * 1024);
    } finally {
      await proxy.close();
      await liar.close();
    }
  }, 180_000);
});

/**
 * An HTTP server that lies about its bodies, on 127.0.0.1: `/five-gb` declares 5,000,000,000 bytes
 * and trickles 1 KiB every 20 ms; `/short` declares 1,000,000 and closes after 1,000; `/trickle`
 * declares 100,000 and sends a byte every 100 ms; any other path is an empty 404 page (the child's
 * warm-up request). Counts requests and body bytes sent per path.
 */
async function startLiar(): Promise<{ port: number; hits: Map<string, number>; sent: Map<string, number>; close(): Promise<void> }> {
  const hits = new Map<string, number>();
  const sent = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let head = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('close', () => {
      clearInterval(timer);
      sockets.delete(socket);
    });
    socket.on('error', () => socket.destroy());
    socket.on('data', (d) => {
      if (timer || !(head += d.toString('latin1')).includes('\r\n\r\n')) return;
      const p = head.split(' ')[1] ?? '/';
      hits.set(p, (hits.get(p) ?? 0) + 1);
      const count = (n: number) => sent.set(p, (sent.get(p) ?? 0) + n);
      const reply = (length: number) => socket.write(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`);
      const every = (ms: number, chunk: Buffer) => {
        timer = setInterval(() => {
          if (socket.destroyed) return clearInterval(timer);
          count(chunk.length);
          socket.write(chunk);
        }, ms);
      };
      if (p === '/five-gb') {
        reply(5_000_000_000);
        every(20, Buffer.alloc(1024, 'x'));
      } else if (p === '/short') {
        reply(1_000_000);
        count(1000);
        socket.end(Buffer.alloc(1000, 'y'));
      } else if (p === '/trickle') {
        reply(100_000);
        every(100, Buffer.from('z'));
      } else socket.end('HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 0\r\n\r\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    hits,
    sent,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
