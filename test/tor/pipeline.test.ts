/**
 * End to end with the shipped Aurora profile (adapters/markets): crawl the fixture market through
 * the SOCKS5 server written for the test (it records address types; it maps the .onion name
 * itself) with dns.lookup throwing, then parse every page FROM THE ARCHIVE and compare with the
 * market's ground truth: every listing and every vendor is extracted.
 */
import dns from 'node:dns';
import { afterEach, describe, expect, it } from 'vitest';
import { Case } from '../../src/case.js';
import { archivedPages, crawlMarket, TorClient, type PauseRequest } from '../../adapters/tor/index.js';
import { auroraProfile, crawlPolicy, parseMarketPage } from '../../adapters/markets/index.js';
import { FAST, startMarketBehindProxy, type MarketBehindProxy } from './harness.js';

let env: MarketBehindProxy | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('Tor crawl + Aurora profile, parsed from the archive', () => {
  it('extracts every listing and vendor of the fixture market; the login, CAPTCHA and queue validators of the profile pause the crawl', async () => {
    env = await startMarketBehindProxy({ traps: ['login', 'captcha', 'queue', 'messages'] });
    const { market, proxy } = env;
    const c = await Case.memory();
    const client = new TorClient({ proxy: proxy.url, politeness: FAST });
    const lookups: string[] = [];
    const saved = [dns.lookup, dns.promises.lookup] as const;
    (dns as { lookup: unknown }).lookup = (name: string) => {
      lookups.push(name);
      throw new Error('no DNS during the crawl');
    };
    (dns.promises as { lookup: unknown }).lookup = (name: string) => {
      lookups.push(name);
      throw new Error('no DNS during the crawl');
    };
    let summary;
    try {
      summary = await crawlMarket(c, client, crawlPolicy(auroraProfile)).run();
    } finally {
      (dns as { lookup: unknown }).lookup = saved[0];
      (dns.promises as { lookup: unknown }).lookup = saved[1];
    }
    // the profile follows listing, vendor and pagination links only, so the walls linked from every page are not visited
    expect(summary.complete).toBe(true);
    expect(summary.paused).toBeUndefined();
    expect(summary.failed).toEqual([]);
    expect(lookups).toEqual([]);
    expect(proxy.connects.every((k) => k.atyp === 3 && k.host === market.onionHost)).toBe(true);

    const listings = new Map<string, unknown>();
    const vendors = new Map<string, unknown>();
    for await (const { page } of archivedPages(c, { market: 'aurora' })) {
      const parsed = await parseMarketPage(page, auroraProfile);
      for (const l of parsed.listings) listings.set(l.id, l);
      for (const v of parsed.vendors) vendors.set(v.id, v);
    }
    const truth = market.site.catalogue;
    expect([...listings.keys()].sort()).toEqual(truth.listings.map((l) => `aurora/${l.id}`).sort());
    expect([...vendors.keys()].sort()).toEqual(truth.vendors.map((v) => `aurora/${v.handle}`).sort());
    for (const l of truth.listings) expect(listings.get(`aurora/${l.id}`), l.id).toMatchObject({ title: l.title, vendorId: `aurora/${l.vendor}` });

    // the profile's validators pause the crawl at the walls: login, CAPTCHA, and a login wall behind a redirect
    for (const [path, verdict] of [['/account', 'login'], ['/captcha', 'captcha'], ['/messages', 'login'], ['/queue', 'queue']] as const) {
      const policy = { ...crawlPolicy(auroraProfile), startUrls: [market.url(path)] };
      const wallCase = await Case.memory(); // a fresh case: the wall stays queued in the frontier of the one it paused
      const crawl = crawlMarket(wallCase, client, policy, { queueRetries: 0 });
      const asked: PauseRequest[] = [];
      crawl.on('pause', (p) => {
        asked.push(p);
        p.stop();
      });
      const s = await crawl.run();
      expect(asked.map((a) => a.verdict), path).toEqual([verdict]);
      expect(s.paused?.verdict).toBe(verdict);
      await wallCase.close();
    }
    await c.close();
  });
});
