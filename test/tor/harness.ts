/**
 * Test harness: the fixture market (test/fixtures/market) on 127.0.0.1 behind the test SOCKS5
 * server, which maps the market's .onion name to it (the proxy resolves; nothing is looked up).
 */
import { startFixtureMarket, type FixtureMarket, type FixtureMarketOptions } from '../fixtures/market/server.js';
import { startSocksServer, type TestSocksServer } from './socks5-server.js';

export interface MarketBehindProxy {
  market: FixtureMarket;
  proxy: TestSocksServer;
  close(): Promise<void>;
}

export async function startMarketBehindProxy(options: FixtureMarketOptions = {}, extraNames: Record<string, { port: number }> = {}): Promise<MarketBehindProxy> {
  const market = await startFixtureMarket(options);
  const proxy = await startSocksServer({ [market.onionHost]: { port: market.port }, ...extraNames });
  return {
    market,
    proxy,
    async close() {
      await proxy.close();
      await market.close();
    },
  };
}

/** The paths of a site the crawler must archive (home, index pages, listings, vendors). */
export function contentPaths(market: FixtureMarket): string[] {
  const p = market.site.paths;
  return [p.home, ...p.index, ...p.listings, ...p.vendors];
}

/** Politeness fast enough for tests (the defaults are 2–5 s). */
export const FAST = { minDelayMs: 0, maxDelayMs: 5 } as const;
