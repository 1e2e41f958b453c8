/**
 * Tor crawler overhead: pages per second of a full crawl of the fixture market into a case on
 * disk (fetch + SHA-256 + archive + frontier batch + link extraction), against a baseline measured
 * in the same run: the same pages fetched by the same client through the same SOCKS5 proxy with
 * nothing stored. Politeness delays are off in both, so the figure is the crawler's own cost; a
 * real crawl waits 2–5 s per page for politeness, which dwarfs it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Case } from '../../src/index.js';
import { crawlMarket, TorClient } from '../../adapters/tor/index.js';
import { startFixtureMarket } from '../../test/fixtures/market/server.js';
import { startSocksServer } from '../../test/tor/socks5-server.js';
import { CONTENT, fixturePolicy } from '../../test/tor/policy.js';
import type { BenchContext } from '../lib.js';

const ROUNDS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export default async function torSuite(ctx: BenchContext): Promise<void> {
  const market = await startFixtureMarket({ traps: [] });
  const proxy = await startSocksServer({ [market.onionHost]: { port: market.port } });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-bench-tor-'));
  const politeness = { minDelayMs: 0, maxDelayMs: 0 };
  const p = market.site.paths;
  const urls = [p.home, ...p.index, ...p.listings, ...p.vendors].map((x) => market.url(x));
  try {
    const crawlRates: number[] = [];
    const fetchRates: number[] = [];
    let stored = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // baseline: fetch every page, store nothing
      const client = new TorClient({ proxy: proxy.url, politeness });
      let t = performance.now();
      for (const u of urls) await client.fetch(u);
      fetchRates.push(urls.length / ((performance.now() - t) / 1000));
      // crawler: discover, fetch, archive and commit every page
      const c = await Case.open(path.join(dir, `case-${round}`));
      t = performance.now();
      const s = await crawlMarket(c, new TorClient({ proxy: proxy.url, politeness }), fixturePolicy('aurora', market.onionHost, CONTENT)).run();
      crawlRates.push(s.fetched / ((performance.now() - t) / 1000));
      if (!s.complete || s.fetched !== urls.length) throw new Error(`crawl incomplete: ${JSON.stringify(s)}`);
      stored = 0;
      for await (const page of c.store.collection('page').values()) stored += page.body.byteLength;
      await c.close();
    }
    const crawl = median(crawlRates);
    const fetch = median(fetchRates);
    ctx.record({ name: `crawl into a case on disk (${urls.length} pages, median of ${ROUNDS})`, value: crawl, unit: 'pages/s' });
    ctx.record({ name: 'baseline: fetch only, same client and proxy', value: fetch, unit: 'pages/s' });
    ctx.ratio('crawl / fetch-only (archive + frontier + links overhead)', crawl, fetch);
    ctx.record({ name: 'raw bytes archived per crawl', value: stored, unit: 'bytes', note: `${urls.length} distinct bodies` });
    ctx.record({ name: 'politeness budget of a real crawl (default 2–5 s/page)', value: 1 / 3.5, unit: 'pages/s', note: 'mean of the default delay; the crawler overhead is far below it' });
  } finally {
    await proxy.close();
    await market.close();
    await rm(dir, { recursive: true, force: true });
  }
}
