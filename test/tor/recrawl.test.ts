/**
 * Crawling a market again (the next snapshot): a finished crawl resumed fetches nothing; with
 * `recrawl` every content page is fetched once more and archived as a new retrieval; a recrawl
 * while the last crawl is unfinished is refused with `CRAWL_UNFINISHED`, and resuming finishes
 * it. Through the test SOCKS5 server, against the fixture market.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Case } from '../../src/case.js';
import { crawlMarket, Frontier, retrievalsOf, TorClient } from '../../adapters/tor/index.js';
import { contentPaths, FAST, startMarketBehindProxy, type MarketBehindProxy } from './harness.js';
import { CONTENT, fixturePolicy } from './policy.js';

let env: MarketBehindProxy | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('recrawl: the next crawl of a market', () => {
  it('fetches every page again only when asked, refuses while the last crawl is unfinished, and keeps both retrievals', async () => {
    env = await startMarketBehindProxy({ traps: [] });
    const { market, proxy } = env;
    const c = await Case.memory();
    let t = Date.parse('2026-01-05T09:00:00Z');
    const client = new TorClient({ proxy: proxy.url, politeness: FAST, clock: () => new Date((t += 1000)) });
    const policy = fixturePolicy('aurora', market.onionHost, CONTENT);
    const paths = contentPaths(market);

    // an unfinished first crawl: a recrawl is refused, resuming finishes it
    const first = await crawlMarket(c, client, policy, { maxPages: 5 }).run();
    expect(first.complete).toBe(false);
    await expect(crawlMarket(c, client, policy, { recrawl: true }).run()).rejects.toMatchObject({ code: 'CRAWL_UNFINISHED' });
    const rest = await crawlMarket(c, client, policy).run();
    expect(rest.complete).toBe(true);
    expect(first.fetched + rest.fetched).toBe(paths.length);

    // resuming a finished crawl fetches nothing
    expect((await crawlMarket(c, client, policy).run()).fetched).toBe(0);

    // a month later: the next pass fetches every page once more
    t = Date.parse('2026-02-02T09:00:00Z');
    const again = await crawlMarket(c, client, policy, { recrawl: true }).run();
    expect(again).toMatchObject({ complete: true, fetched: paths.length, failed: [] });
    for (const p of paths) expect(market.hits(p), p).toBe(2);
    const frontier = new Frontier(c, 'aurora');
    await frontier.load();
    expect(frontier.pass).toBe(1);
    for await (const [, e] of frontier.entries()) expect(e).toMatchObject({ state: 'done', pass: 1 });
    const home = await retrievalsOf(c, market.url('/'));
    expect(home.map((r) => r.retrievedAt.slice(0, 10))).toEqual(['2026-01-05', '2026-02-02']);
    expect(home[0].sha256).toBe(home[1].sha256); // same bytes: one page, two retrievals
    await c.close();
  }, 60_000);
});
