/**
 * Child process of the resource-bounds test: runs ONE case (argv[2], options as JSON in argv[3])
 * and prints one JSON line with what each step gave (a result or an error code), its time, and
 * the memory: RSS before the case (after setting up its input and a GC) and the process's peak
 * RSS (`resourceUsage().maxRSS`), so the figures are this case's alone. Run with --expose-gc.
 *
 *   page-50mib      the 50 MiB pages of the fixture market through the Tor client and the crawler
 *   lying-length    a 5 GB Content-Length, a short body, a trickle (Tor client, crawler, httpRequest),
 *                   after one warm-up request (a 404) through the same client
 *   write-addresses a text of 10^6 distinct valid addresses, to the file `file` (input of the next two)
 *   addresses-1e6   extractAddresses on that text
 *   parse-1e6       parseMarketPage on a listing page with those 10^6 addresses, and on one at the crawl cap
 *   block-20000     a block whose second transaction has 20,000 inputs: decode, ingest
 *   block-fat       the same with 107-byte scriptSigs (2.9 MB, weight 11.8 M) and 200-byte ones (4.8 MB)
 */
import '../setup/no-dns.js';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { Case } from '../../src/case.js';
import { extractAddresses } from '../../src/addresses/extract.js';
import { encodeBase58Check, segwitAddress } from '../../src/bitcoin/address.js';
import { decodeBitcoinBlock } from '../../src/bitcoin/decode.js';
import { ingestBitcoin } from '../../src/bitcoin/ingest.js';
import { bitcoinNetwork } from '../../src/bitcoin/network.js';
import { encodeCompactSize } from '../../src/bitcoin/compact-size.js';
import { httpRequest } from '../../adapters/bitcoin-core/http.js';
import { fixtureOnionHost, fixtureSite } from '../../adapters/markets/fixtures/index.js';
import { parseMarketPage } from '../../adapters/markets/parse.js';
import { auroraProfile } from '../../adapters/markets/profiles/index.js';
import { TorClient } from '../../adapters/tor/client.js';
import { crawlMarket } from '../../adapters/tor/crawler.js';
import { archivedPage } from '../fixtures/market/pages.js';
import { fixturePolicy } from '../tor/policy.js';

const [name, json] = process.argv.slice(2);
const opts = JSON.parse(json ?? '{}') as Record<string, string>;
const MB = 1024 * 1024;
const mb = (bytes: number) => Math.round((bytes / MB) * 10) / 10;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

// A thread that samples the process's RSS every 2 ms, so a step's peak is seen even when the
// process's high-water mark was set earlier (by building the step's input).
const peak = new Float64Array(new SharedArrayBuffer(8));
const sampler = new Worker(
  `const { workerData } = require('node:worker_threads'); const a = new Float64Array(workerData);
   setInterval(() => { const r = process.memoryUsage.rss(); if (r > a[0]) a[0] = r; }, 2);`,
  { eval: true, workerData: peak.buffer },
);

/** What one step gave and cost: its value or typed error code, time, RSS before and peak RSS during it. */
interface Step<T> {
  ms: number;
  value?: T;
  code?: string;
  message?: string;
  rssBeforeMB: number;
  peakMB: number;
  /** peak RSS during the step above the RSS before it */
  deltaMB: number;
}

/**
 * Runs one step after a GC, measuring it (see {@link Step}). Typed errors are results, not failures.
 * After the GC it yields one event-loop turn before taking the start time: libuv caches the loop's
 * clock at the start of a turn, so a timer the step arms in the GC's turn would count from before
 * the GC and could fire that much early against `t0` (a deadline measured short of itself).
 */
async function step<T>(f: () => Promise<T> | T): Promise<Step<T>> {
  gc();
  await new Promise((r) => setImmediate(r)); // the loop's cached clock is read again after the GC
  const before = process.memoryUsage.rss();
  peak[0] = before;
  const t0 = performance.now();
  let out: Pick<Step<T>, 'value' | 'code' | 'message'>;
  try {
    out = { value: await f() };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (!e.code) throw err;
    out = { code: e.code, message: e.message };
  }
  const ms = Math.round(performance.now() - t0);
  await new Promise((r) => setTimeout(r, 5)); // one more sample
  const top = Math.max(peak[0], process.memoryUsage.rss());
  return { ms, ...out, rssBeforeMB: mb(before), peakMB: mb(top), deltaMB: mb(top - before) };
}

const sha256d = (b: Uint8Array) => createHash('sha256').update(createHash('sha256').update(b).digest()).digest();
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

/**
 * A real serialised block: a coinbase, then one transaction spending `inputs` distinct outpoints
 * with `scriptSigBytes`-byte scriptSigs (a 72-byte signature push and a 33-byte key push when
 * 107, else a single push), paying one P2WPKH output; the header carries their merkle root.
 */
function bigBlock(inputs: number, scriptSigBytes: number): Buffer {
  const coinbase = Buffer.concat([
    u32(1),
    Buffer.of(1),
    Buffer.alloc(32),
    u32(0xffffffff),
    Buffer.of(4, 3, 0x40, 0x0d, 0x03), // BIP34 height push (200,000)
    u32(0xffffffff),
    Buffer.of(1),
    Buffer.from('00f2052a01000000', 'hex'), // 50 BTC
    Buffer.from('160014', 'hex'),
    randomBytes(20),
    u32(0),
  ]);
  const scriptSig = (i: number): Buffer => {
    if (scriptSigBytes === 1) return Buffer.of(0x51); // OP_1
    if (scriptSigBytes === 107) return Buffer.concat([Buffer.of(72, 0x30), randomBytes(71), Buffer.of(33, 2), randomBytes(32)]);
    const n = scriptSigBytes - 2; // OP_PUSHDATA1 n <n bytes>
    return Buffer.concat([Buffer.of(0x4c, n), Buffer.alloc(n, i & 0xff)]);
  };
  const parts: Buffer[] = [u32(2), encodeCompactSize(inputs)];
  for (let i = 0; i < inputs; i++) {
    const s = scriptSig(i);
    parts.push(createHash('sha256').update(`outpoint ${i}`).digest(), u32(i % 3), encodeCompactSize(s.length), s, u32(0xfffffffd));
  }
  parts.push(Buffer.of(1), Buffer.from('1027000000000000', 'hex'), Buffer.from('160014', 'hex'), randomBytes(20), u32(0));
  const spend = Buffer.concat(parts);
  const root = sha256d(Buffer.concat([sha256d(coinbase), sha256d(spend)]));
  const header = Buffer.concat([u32(0x20000000), Buffer.alloc(32, 7), root, u32(1_700_000_000), u32(0x207fffff), u32(0)]);
  return Buffer.concat([header, Buffer.of(2), coinbase, spend]);
}

/** `n` distinct valid addresses, one in a hundred Bitcoin (Base58 and bech32), the rest Ethereum. */
function manyAddresses(n: number): string {
  const net = bitcoinNetwork('bitcoin');
  const eth = randomBytes(20 * n).toString('hex');
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (i % 100 === 0) {
      const hash = randomBytes(20);
      out[i] = i % 200 === 0 ? encodeBase58Check(0, hash) : segwitAddress(net, 0, hash);
    } else out[i] = `0x${eth.slice(i * 40, i * 40 + 40)}`;
  }
  return out.join(' ');
}

/** The first listing page of the Aurora fixture market with `text` in its description. */
function listingWith(text: string) {
  const site = fixtureSite('aurora');
  const listingPath = site.paths.listings[0];
  const html = (site.page(listingPath) as string).replace('<div class="item-desc"><p>', `<div class="item-desc"><p>${text}`);
  return archivedPage(`http://${fixtureOnionHost('aurora')}${listingPath}`, html);
}

/** A step's figures without its (possibly huge) value, plus what the test checks of the value. */
function report<T>(s: Step<T>, facts: (value: T) => Record<string, unknown> = () => ({})): Record<string, unknown> {
  const { value, ...figures } = s;
  return { ...figures, ...(value === undefined ? {} : facts(value)) };
}

async function run(): Promise<Record<string, unknown>> {
  switch (name) {
    case 'page-50mib': {
      const host = opts.host;
      const client = new TorClient({ proxy: opts.proxy, politeness: { minDelayMs: 0, maxDelayMs: 0 } });
      const c = await Case.open(opts.caseDir);
      const declared = await step(() => client.fetch(`http://${host}/huge`));
      const chunked = await step(() => client.fetch(`http://${host}/huge-chunked`));
      const crawl = await step(() => crawlMarket(c, client, fixturePolicy('huge', host, /^$/, [`http://${host}/huge`, `http://${host}/huge-chunked`])).run());
      const pages = await c.store.collection('page').count();
      await c.close();
      client.close();
      return { steps: { declared: report(declared), chunked: report(chunked), crawl: report(crawl, (v) => ({ failed: v.failed.map((f) => f.code) })) }, pages };
    }
    case 'lying-length': {
      const host = opts.host;
      const client = new TorClient({ proxy: opts.proxy, politeness: { minDelayMs: 0, maxDelayMs: 0 }, timeoutMs: 3000, retries: 1, backoffMs: 100 });
      const c = await Case.open(opts.caseDir);
      // the first request through the client compiles and sets up what every later one reuses (HTTP
      // parser, SOCKS agent, young generation): warm it on a path the server answers 404 at once,
      // so the 5 GB step's memory is that request's own
      const warm = await step(() => client.fetch(`http://${host}/warm-up`));
      const fiveGb = await step(() => client.fetch(`http://${host}/five-gb`));
      const short = await step(() => client.fetch(`http://${host}/short`));
      const trickle = await step(() => client.fetch(`http://${host}/trickle`));
      const crawl = await step(() => crawlMarket(c, client, fixturePolicy('liar', host, /^$/, [`http://${host}/five-gb`, `http://${host}/short`])).run());
      const pages = await c.store.collection('page').count();
      // the same server to the Bitcoin adapters' HTTP client (Esplora, Bitcoin Core RPC), directly
      const direct = `http://127.0.0.1:${opts.port}`;
      const httpFiveGb = await step(() => httpRequest({ url: `${direct}/five-gb`, maxBytes: 64 * MB, timeoutMs: 3000 }));
      const httpShort = await step(() => httpRequest({ url: `${direct}/short`, timeoutMs: 3000 }));
      await c.close();
      client.close();
      return {
        steps: {
          warm: report(warm, (v) => ({ status: v.status })),
          fiveGb: report(fiveGb),
          short: report(short),
          trickle: report(trickle),
          crawl: report(crawl, (v) => ({ failed: v.failed.map((f) => f.code) })),
          httpFiveGb: report(httpFiveGb),
          httpShort: report(httpShort),
        },
        pages,
      };
    }
    case 'write-addresses': {
      await writeFile(opts.file, manyAddresses(1_000_000));
      return { steps: {} };
    }
    case 'addresses-1e6': {
      const text = await readFile(opts.file, 'latin1');
      const found = await step(() => extractAddresses(text).length);
      const withOneMore = await step(() => extractAddresses(text, { maxAddresses: 10_001 }).length);
      return { textMB: mb(text.length), steps: { found: report(found, (n) => ({ n })), withOneMore: report(withOneMore, (n) => ({ n })) } };
    }
    case 'parse-1e6': {
      const text = await readFile(opts.file, 'latin1');
      const page = listingWith(text);
      const byDefault = await step(() => parseMarketPage(page, auroraProfile));
      // the largest page a crawl archives (the Tor client's 5 MiB cap), all addresses
      const cut = text.lastIndexOf(' ', 5 * MB - 16 * 1024);
      const capped = listingWith(text.slice(0, cut));
      const atCrawlCap = await step(() => parseMarketPage(capped, auroraProfile));
      const facts = (v: Awaited<ReturnType<typeof parseMarketPage>>) => ({ title: v.listings[0]?.title, addresses: v.listings[0]?.addresses?.length, skipped: v.skipped });
      return {
        pageMB: mb(page.body.length),
        capMB: mb(capped.body.length),
        capAddresses: text.slice(0, cut).split(' ').length,
        steps: { byDefault: report(byDefault), atCrawlCap: report(atCrawlCap, facts) },
      };
    }
    case 'block-20000':
    case 'block-fat': {
      const blocks = name === 'block-fat' ? { weight: bigBlock(20_000, 107), size: bigBlock(20_000, 200) } : { ok: bigBlock(20_000, 1) };
      const steps: Record<string, unknown> = {};
      for (const [k, bytes] of Object.entries(blocks)) {
        const decoded = await step(() => decodeBitcoinBlock(bytes));
        steps[k] = report(decoded, (b) => ({ inputs: b.txs[1]?.inputs.length, weight: b.txs.reduce((w, t) => w + (t.weight ?? 0), 0) }));
        (steps[k] as Record<string, unknown>).bytes = bytes.length;
        if (!decoded.value) continue;
        const block = decoded.value;
        const c = await Case.open(opts.caseDir);
        const ingested = await step(() => ingestBitcoin(c, [block]));
        steps.ingest = report(ingested, (r) => ({ blocks: r.blocks, inputs: r.inputs, unresolved: r.unresolved }));
        steps.spends = (await c.store.sublevel('btc-spend', 'utf8', 'utf8').keys().all()).length;
        await c.close();
      }
      return { steps };
    }
    default:
      throw new Error(`unknown case ${name}`);
  }
}

const out = await run();
await sampler.terminate();
const maxRssMB = mb(process.resourceUsage().maxRSS * 1024);
process.stdout.write(`${JSON.stringify({ case: name, ...out, maxRssMB }, (_, v) => (typeof v === 'bigint' ? String(v) : v))}\n`);
