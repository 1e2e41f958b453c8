/**
 * Trends end to end: two fixture markets (aurora, pangolin) crawled four times each, a month
 * apart, through the test SOCKS5 server, the crawler's recrawl pass and the shipped profiles;
 * between the crawls the catalogues change: listings appear, change price, move to another
 * vendor, disappear (and one comes back), and a vendor re-posts an offer under a new id with a
 * near-identical title. Every figure of every trend table — active, new, removed, price and
 * vendor changes, medians per currency and in USD, vendor counts, snapshots, the pages behind
 * each row and their SHA-256 — is computed again here from the catalogue states and the bytes
 * the fixture server served, and must be equal. Then the CLI (`wildtrace trends`) on the same
 * case on disk, and the report's trend section with its route maps in headless Chromium.
 *
 * What comes from wildtrace on both sides: the wildlife classification of each listing text
 * (src/wildlife, tested on its own) and the vendor persons (src/market linking); the arithmetic
 * of the trends is recomputed here with plain sets and bigints.
 */
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Case, csvCell, detectListingWildlife, importRates, parseCsv, parseRatesCsv, renderHtmlReport, type ReportData, type TrendGrouping, type TrendReport, type TrendRow } from '../../src/index.js';
import { caseTrends, trendText } from '../../src/cli/trends.js';
import { linkVendorPersons } from '../../src/cli/persons.js';
import { parseArchive } from '../../src/cli/record-pages.js';
import { crawlMarket, TorClient } from '../../adapters/tor/index.js';
import { auroraProfile, crawlPolicy, pangolinProfile } from '../../adapters/markets/index.js';
import { fixtureCatalogue, type FixtureCatalogue, type FixtureListing } from '../../adapters/markets/fixtures/index.js';
import { startFixtureMarket, type FixtureMarket } from '../fixtures/market/server.js';
import { startSocksServer, type TestSocksServer } from '../tor/socks5-server.js';
import { FAST } from '../tor/harness.js';
import { launchChromium } from './chromium.js';

// browser globals inside page.evaluate callbacks (the project compiles without the DOM lib)
interface El {
  querySelectorAll(s: string): ArrayLike<El>;
  querySelector(s: string): El | null;
  readonly textContent: string | null;
}
declare const document: El;

type Market = 'aurora' | 'pangolin';
const MARKETS: readonly Market[] = ['aurora', 'pangolin'];
const DAYS = ['2026-01-05', '2026-02-02', '2026-03-02', '2026-04-06'];
const START: Record<Market, string> = { aurora: 'T09:00:00Z', pangolin: 'T14:00:00Z' };

/** What changes from one crawl to the next. */
interface Edit {
  drop?: string[];
  /** listing ids of the bundled catalogue that come (back), or new listings */
  add?: (string | (Partial<FixtureListing> & { id: string; base: string }))[];
  price?: Record<string, string>;
  vendor?: Record<string, string>;
}

const EDITS: Record<Market, Edit[]> = {
  aurora: [
    { drop: ['10512', '10526'] },
    { add: ['10512', '10526'], price: { '10407': '3600.00' }, vendor: { '10449': 'OrchidHouse' }, drop: ['10470'] },
    {
      // 10421 is re-posted by its vendor as 10600 with a near-identical title: the same listing
      drop: ['10421', '10533'],
      add: [
        { id: '10600', base: '10421', title: 'Wild Paphiopedilum orchids', price: '0.0150' },
        { id: '10607', base: '10428', title: 'Raw ivory tusk section 1.2kg', description: 'Raw tusk piece from West Africa. Photos on request.', price: '7000.00', currency: 'USD', shipsTo: ['Asia'] },
      ],
      price: { '10435': '4500.00' },
    },
    { drop: ['10400', '10512'], add: ['10470'], price: { '10407': '3450.00' } },
  ],
  pangolin: [
    {},
    {
      price: { '4-pangolin-scales-500g': '5200.00' },
      add: [{ id: '12-rhino-horn-powder-10g', base: '0-tiger-skin-rug', title: 'Rhino horn powder 10g', description: 'Pure rhinoceros horn powder, lab tested. Vacuum sealed.', price: '0.0800', currency: 'BTC', shipsTo: ['United States'] }],
    },
    { drop: ['9-slow-loris-baby'], vendor: { '1-tiger-bone-wine-500ml': 'Savanna_Supply' } },
    { drop: ['11-leopard-pelt'], price: { '12-rhino-horn-powder-10g': '0.0750' } },
  ],
};
/** The re-post rule's ground truth: listing → the listing it continues. */
const SAME_AS: Record<string, string> = { 'aurora/10600': 'aurora/10421' };

/** The four catalogue states of a market. */
function states(market: Market): FixtureCatalogue[] {
  const base = fixtureCatalogue(market);
  const byId = new Map(base.listings.map((l) => [l.id, l]));
  const vendorOf = new Map(base.vendors.map((v) => [v.handle, v]));
  let listings: FixtureListing[] = [...base.listings];
  return EDITS[market].map((e) => {
    listings = listings.filter((l) => !e.drop?.includes(l.id));
    for (const a of e.add ?? []) {
      if (typeof a === 'string') listings.push(byId.get(a)!);
      else {
        const { base: from, ...fields } = a;
        const like = byId.get(from!)!;
        // a new text posts no address; a re-post keeps the old description and its addresses
        listings.push({ ...like, ...fields, addresses: fields.description === undefined ? like.addresses : [] });
      }
    }
    listings = listings.map((l) => {
      let out = l;
      if (e.price?.[l.id]) out = { ...out, price: e.price[l.id] };
      if (e.vendor?.[l.id]) out = { ...out, vendor: e.vendor[l.id], shipsFrom: vendorOf.get(e.vendor[l.id])!.shipsFrom };
      return out;
    });
    return { ...base, listings: [...listings] };
  });
}

const RATES = 'date,currency,usd\n2026-01-01,BTC,42000\n2026-02-01,BTC,45000\n2026-03-01,BTC,60000\n2026-04-01,BTC,58000.50\n2026-01-01,EUR,1.08\n2026-03-01,EUR,1.10\n2026-01-01,XMR,150\n';

// ---------------------------------------------------------------------------------------------
// the independent computation: plain sets and bigints over what the fixture served
// ---------------------------------------------------------------------------------------------

/** A decimal string as an integer number of 10⁻⁹ units (exact for these prices and rates). */
const units = (s: string): bigint => {
  const [i, f = ''] = s.split('.');
  return BigInt(i + f.padEnd(9, '0'));
};
const medianUnits = (xs: bigint[]): bigint => {
  const s = [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2n; // exact: the inputs carry ≤ 8 digits at scale 9
};
const cents = (u: bigint): string => {
  const c = (u + 5_000_000n) / 10_000_000n; // half up at scale 9 → cents
  return `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
};

interface Served {
  market: Market;
  k: number;
  period: string;
  track: string;
  listing: FixtureListing;
  sha: string;
}

/** A normalised row, comparable between wildtrace's tables and the recomputation. */
interface Row {
  period: string;
  key: string;
  appendix?: string;
  snapshots: number;
  active: number;
  new: number;
  removed: number;
  priceChanges: number;
  vendorChanges: number;
  prices: { currency: string; listings: number; median: string }[];
  medianUsd?: string;
  usdListings: number;
  vendors: number;
  pages: number;
  sha256: string[];
}

function normalise(r: TrendRow): Row {
  return {
    period: r.period,
    key: r.key,
    ...(r.appendix !== undefined ? { appendix: r.appendix } : {}),
    snapshots: r.snapshots,
    active: r.active,
    new: r.new,
    removed: r.removed,
    priceChanges: r.priceChanges,
    vendorChanges: r.vendorChanges,
    prices: r.prices.map((p) => ({ currency: p.currency, listings: p.listings, median: String(units(p.median)) })).sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    ...(r.medianUsd !== undefined ? { medianUsd: r.medianUsd } : {}),
    usdListings: r.usdListings,
    vendors: r.vendors,
    pages: r.pages,
    sha256: [...r.sha256],
  };
}

function rateOn(currency: string, day: string): bigint | undefined {
  if (currency === 'USD') return units('1');
  const rows = RATES.trim().split('\n').slice(1).map((l) => l.split(',')).filter(([d, c]) => c === currency && d <= day).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return rows.length ? units(rows[rows.length - 1][2]) : undefined;
}

describe('trends over four crawls of two fixture markets', () => {
  let dir: string;
  let caseDir: string;
  const served = new Map<Market, Served[][]>();
  const catalogues = new Map<Market, FixtureCatalogue[]>();
  let report: TrendReport;
  let personOf: Map<string, string>;
  let groupsOfTrack: Map<string, { categories: string[]; taxa: { name: string; appendix: string }[] }>;
  let crawlMs = 0;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-trends-'));
    caseDir = path.join(dir, 'case');
    const c = await Case.open(caseDir);
    const started = performance.now();
    const markets = new Map<Market, FixtureMarket>();
    const proxies: TestSocksServer[] = [];
    try {
      for (const m of MARKETS) {
        const all = states(m);
        catalogues.set(m, all);
        const market = await startFixtureMarket({ market: m, traps: [], catalogue: all[0] });
        markets.set(m, market);
        const proxy = await startSocksServer({ [market.onionHost]: { port: market.port } });
        proxies.push(proxy);
        const perState: Served[][] = [];
        for (let k = 0; k < DAYS.length; k++) {
          market.setCatalogue(all[k]);
          let tick = Date.parse(`${DAYS[k]}${START[m]}`);
          const client = new TorClient({ proxy: proxy.url, politeness: FAST, clock: () => new Date((tick += 2000)) });
          const summary = await crawlMarket(c, client, crawlPolicy(m === 'aurora' ? auroraProfile : pangolinProfile), { recrawl: k > 0 }).run();
          expect(summary.complete, `${m} crawl ${k}`).toBe(true);
          expect(summary.failed).toEqual([]);
          // aurora is parsed after each crawl (as `wildtrace crawl` does); pangolin's four crawls at the end, split by the gaps
          if (m === 'aurora') expect((await parseArchive(c, { market: 'aurora' })).snapshots).toHaveLength(1);
          const site = market.site;
          perState.push(
            all[k].listings.map((l) => {
              const id = `${m}/${l.id}`;
              return { market: m, k, period: DAYS[k].slice(0, 7), track: SAME_AS[id] ?? id, listing: l, sha: createHash('sha256').update(site.page(site.skin.listingPath(l))!).digest('hex') };
            }),
          );
        }
        served.set(m, perState);
      }
      const parsed = await parseArchive(c);
      expect(parsed.snapshots.map((s) => s.market)).toEqual(['pangolin', 'pangolin', 'pangolin', 'pangolin']);
      expect(await parseArchive(c)).toMatchObject({ pages: 0, snapshots: [] }); // nothing new the second time
      crawlMs = performance.now() - started;
      await importRates(c.store, parseRatesCsv(RATES).rates);
      report = (await caseTrends(c))!;
      const listings = [];
      for await (const l of c.list('listing')) listings.push(l);
      const vendors = [];
      for await (const v of c.list('vendor')) vendors.push(v);
      personOf = new Map(linkVendorPersons(vendors, listings).flatMap((p) => p.vendorIds.map((v) => [v, p.id] as const)));
    } finally {
      await c.close();
      for (const p of proxies) await p.close();
      for (const m of markets.values()) await m.close();
    }
    // the wildlife groups of each track: the classification of each listing text, joined over the track's ids
    groupsOfTrack = new Map();
    for (const [m, perState] of served) {
      for (const s of perState.flat()) {
        const found = detectListingWildlife(s.listing);
        if (found.length === 0) continue;
        const g = groupsOfTrack.get(s.track) ?? { categories: [], taxa: [] };
        for (const x of found) {
          if (!g.categories.includes(x.category)) g.categories.push(x.category);
          const name = x.taxon?.name ?? `${x.category} (taxon not named)`;
          if (!g.taxa.some((t) => t.name === name)) g.taxa.push({ name, appendix: x.taxon?.appendix ?? '' });
        }
        groupsOfTrack.set(s.track, g);
      }
      void m;
    }
  }, 180_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Every row of one table, recomputed from the catalogue states and the served bytes. */
  function expected(by: TrendGrouping): Row[] {
    const vid = (s: Served) => `${s.market}/${s.listing.vendor}`;
    const keys = (s: Served): { key: string; appendix?: string }[] => {
      const g = groupsOfTrack.get(s.track)!;
      const l = s.listing;
      const dests = [...new Set(l.shipsTo)];
      switch (by) {
        case 'taxon':
          return g.taxa.map((t) => ({ key: t.name, appendix: t.appendix }));
        case 'category':
          return g.categories.map((key) => ({ key }));
        case 'market':
          return [{ key: s.market }];
        case 'vendor':
          return [{ key: vid(s) }];
        case 'person':
          return [{ key: personOf.get(vid(s)) ?? vid(s) }];
        case 'ships-from':
          return [{ key: l.shipsFrom }];
        case 'ships-to':
          return dests.map((key) => ({ key }));
        case 'currency':
          return [{ key: l.currency }];
        case 'route':
          return dests.map((to) => ({ key: `${l.shipsFrom} → ${to}` }));
      }
    };
    type Acc = Omit<Row, 'snapshots' | 'prices' | 'vendors' | 'pages' | 'sha256' | 'active' | 'medianUsd' | 'usdListings'> & {
      snap: Set<string>;
      act: Set<string>;
      prices: Map<string, bigint[]>;
      usd: bigint[];
      vend: Set<string>;
      sha: Set<string>;
    };
    const rows = new Map<string, Acc>();
    const row = (period: string, g: { key: string; appendix?: string }): Acc => {
      const k = `${period}|${g.key}`;
      if (!rows.has(k)) rows.set(k, { period, ...g, new: 0, removed: 0, priceChanges: 0, vendorChanges: 0, snap: new Set(), act: new Set(), prices: new Map(), usd: [], vend: new Set(), sha: new Set() });
      return rows.get(k)!;
    };
    for (const [m, perState] of served) {
      perState.forEach((now, k) => {
        for (const s of now) {
          if (!groupsOfTrack.has(s.track)) continue;
          for (const g of keys(s)) {
            const r = row(s.period, g);
            r.act.add(s.track);
            r.snap.add(`${m}${k}`);
            r.sha.add(s.sha);
            r.vend.add(vid(s));
            r.prices.set(s.listing.currency, [...(r.prices.get(s.listing.currency) ?? []), units(s.listing.price)]);
            const rate = rateOn(s.listing.currency, DAYS[k]);
            if (rate !== undefined) r.usd.push((units(s.listing.price) * rate) / units('1'));
          }
        }
        if (k === 0) return;
        const before = new Map(perState[k - 1].map((s) => [s.track, s]));
        const here = new Map(now.map((s) => [s.track, s]));
        const count = (s: Served, what: 'new' | 'removed' | 'priceChanges' | 'vendorChanges', at: number) => {
          if (!groupsOfTrack.has(s.track)) return;
          for (const g of keys(s)) {
            const r = row(DAYS[k].slice(0, 7), g);
            r[what]++;
            r.sha.add(s.sha);
            r.snap.add(`${m}${at}`);
          }
        };
        for (const [t, s] of here) {
          const b = before.get(t);
          if (!b) count(s, 'new', k);
          else {
            if (b.listing.price !== s.listing.price || b.listing.currency !== s.listing.currency) count(s, 'priceChanges', k);
            if (b.listing.vendor !== s.listing.vendor) count(s, 'vendorChanges', k);
          }
        }
        for (const [t, b] of before) if (!here.has(t)) count(b, 'removed', k - 1);
      });
    }
    return [...rows.values()]
      .map((r): Row => ({
        period: r.period,
        key: r.key,
        ...(r.appendix !== undefined ? { appendix: r.appendix } : {}),
        snapshots: r.snap.size,
        active: r.act.size,
        new: r.new,
        removed: r.removed,
        priceChanges: r.priceChanges,
        vendorChanges: r.vendorChanges,
        prices: [...r.prices].map(([currency, xs]) => ({ currency, listings: xs.length, median: String(medianUnits(xs)) })).sort((a, b) => (a.currency < b.currency ? -1 : 1)),
        ...(r.usd.length ? { medianUsd: cents(medianUnits(r.usd)) } : {}),
        usdListings: r.usd.length,
        vendors: r.vend.size,
        pages: r.sha.size,
        sha256: [...r.sha].sort(),
      }))
      .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : b.active - a.active || (a.key < b.key ? -1 : 1)));
  }

  it('crawls: four snapshots per market, dated by their crawl, each with its pages', () => {
    expect(report.snapshots.map((s) => `${s.market} ${s.date.slice(0, 10)}`)).toEqual(MARKETS.flatMap((m) => DAYS.map((d) => `${m} ${d}`)));
    for (const s of report.snapshots) {
      const k = DAYS.indexOf(s.date.slice(0, 10));
      expect(s.listings, `${s.market} ${k}`).toBe(catalogues.get(s.market as Market)![k].listings.length);
      expect(s.pages).toBeGreaterThan(s.listings);
    }
    console.log(`4 crawls × 2 markets, parsed: ${crawlMs.toFixed(0)} ms; rows recomputed: ${Object.values(report.tables).map((t) => `${t.by} ${t.rows.length}`).join(', ')}; ${report.tracks.length} wildlife listings followed`);
  });

  it('the changes happened as planned: appearances, price changes, vendor moves, removals, a return and a re-post', () => {
    const t = expected('market');
    const sum = (p: string, f: keyof Row) => t.filter((r) => r.period === p).reduce((s, r) => s + (r[f] as number), 0);
    // wildlife only: the red coral branch (10533) is not wildlife, so its removal does not count
    expect(['2026-02', '2026-03', '2026-04'].map((p) => [sum(p, 'new'), sum(p, 'removed'), sum(p, 'priceChanges'), sum(p, 'vendorChanges')])).toEqual([
      [3, 1, 2, 1],
      [1, 1, 2, 1],
      [1, 3, 2, 0],
    ]);
  });

  for (const by of ['taxon', 'category', 'market', 'person', 'vendor', 'ships-from', 'ships-to', 'route', 'currency'] as const) {
    it(`by ${by}: every figure of every row equals the recomputation`, () => {
      const table = report.tables[by];
      expect(table.periods.map((p) => p.period)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04']);
      expect(table.rows.map(normalise)).toEqual(expected(by));
    });
  }

  it('a listing is followed through its re-post, its price history and its disappearance are known', () => {
    const orchid = report.tracks.find((t) => t.id === 'aurora/10421')!;
    expect(orchid.listingIds).toEqual(['aurora/10421', 'aurora/10600']);
    expect(orchid.history.map((h) => `${h.date.slice(0, 10)} ${h.price} ${h.currency}`)).toEqual(['2026-01-05 0.0132 BTC', '2026-02-02 0.0132 BTC', '2026-03-02 0.0150 BTC', '2026-04-06 0.0150 BTC']);
    expect(orchid.removed).toBeUndefined();
    const leopard = report.tracks.find((t) => t.id === 'aurora/10470')!;
    expect(leopard.history.map((h) => h.date.slice(0, 10))).toEqual(['2026-01-05', '2026-04-06']);
    const loris = report.tracks.find((t) => t.id === 'pangolin/9-slow-loris-baby')!;
    expect([loris.firstSeen.slice(0, 10), loris.lastSeen.slice(0, 10), loris.removed?.slice(0, 10)]).toEqual(['2026-01-05', '2026-02-02', '2026-03-02']);
    const wine = report.tracks.find((t) => t.id === 'pangolin/1-tiger-bone-wine-500ml')!;
    expect(wine.history.map((h) => h.vendor)).toEqual(['pangolin/HornTrader88', 'pangolin/HornTrader88', 'pangolin/Savanna_Supply', 'pangolin/Savanna_Supply']);
  });

  it('payment mix: the address types wildlife vendors post, per period', () => {
    const kind = (a: { chain: string; address: string }) => (a.chain === 'btc' ? (a.address.startsWith('bc1q') ? 'btc p2wpkh' : 'btc p2pkh') : a.chain === 'xmr' ? 'xmr standard' : a.chain);
    const want = new Map<string, { addresses: Set<string>; vendors: Set<string> }>();
    for (const [m, perState] of served) {
      perState.forEach((now, k) => {
        const cat = catalogues.get(m)![k];
        const wild = new Set(now.filter((s) => groupsOfTrack.has(s.track)).map((s) => s.listing.vendor));
        for (const v of cat.vendors.filter((x) => wild.has(x.handle))) {
          const posted = [...v.addresses, ...now.filter((s) => s.listing.vendor === v.handle && groupsOfTrack.has(s.track)).flatMap((s) => s.listing.addresses)];
          for (const a of posted) {
            const key = `${DAYS[k].slice(0, 7)}|${kind(a)}`;
            const e = want.get(key) ?? { addresses: new Set(), vendors: new Set() };
            e.addresses.add(`${a.chain}:${a.chain === 'eth' ? a.address.toLowerCase() : a.address}`);
            e.vendors.add(`${m}/${v.handle}`);
            want.set(key, e);
          }
        }
      });
    }
    const got = new Map(report.payments.map((p) => [`${p.period}|${p.type}`, { addresses: p.addresses, vendors: p.vendors }]));
    expect(got).toEqual(new Map([...want].map(([k, e]) => [k, { addresses: e.addresses.size, vendors: e.vendors.size }])));
    for (const p of report.payments) expect(p.sha256.length).toBe(p.pages);
  });

  it('the CLI: `wildtrace trends --period month --by all --out DIR` on the case on disk: every table as CSV and JSON', async () => {
    const bin = path.resolve(import.meta.dirname, '../../src/cli/bin.ts');
    const annex = path.join(dir, 'annex');
    // one run (each costs seconds of start-up): the taxon CSV, the route and market JSON are the same text `--by X --format F` prints
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', bin, 'trends', '--period', 'month', '--by', 'all', '--out', annex, '--case', caseDir, '--json'], { maxBuffer: 64 << 20 });
    const files = (JSON.parse(stdout) as { files: string[] }).files.map((f) => path.basename(f));
    expect(files).toEqual([...['taxon', 'category', 'market', 'person', 'vendor', 'ships-from', 'ships-to', 'route', 'currency', 'payments', 'tracks', 'snapshots'].flatMap((t) => [`trends-${t}.csv`, `trends-${t}.json`]), 'trends.json']);
    const read = (f: string) => readFile(path.join(annex, f), 'utf8');
    const csv = await read('trends-taxon.csv');
    const [header, ...rows] = parseCsv(csv).map((r) => r.map((cell) => cell ?? ''));
    expect(header).toEqual(['period', 'taxon', 'cites_appendix', 'snapshots', 'active', 'new', 'removed', 'price_changes', 'vendor_changes', 'median_prices', 'median_usd', 'usd_listings', 'vendors', 'snapshot_dates', 'pages', 'page_sha256']);
    const col = (name: string) => header.indexOf(name);
    const want = expected('taxon');
    expect(rows.map((r) => [r[col('period')], r[col('taxon')], r[col('cites_appendix')], Number(r[col('active')]), Number(r[col('new')]), Number(r[col('removed')]), r[col('median_usd')], Number(r[col('pages')]), r[col('page_sha256')].split(' ')])).toEqual(
      want.map((r) => [r.period, r.key, r.appendix, r.active, r.new, r.removed, r.medianUsd ?? '', r.pages, r.sha256]),
    );
    expect(rows.every((r) => r[col('snapshot_dates')].includes('aurora 2026-') && r[col('snapshot_dates')].includes('pangolin 2026-'))).toBe(true);
    // scraped text cannot become a spreadsheet formula, and quoting round-trips
    const hostile = ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'a,b', 'say "hi"', 'line\nbreak', 'plain'];
    expect(hostile.map((v) => csvCell(v))).toEqual([`"'=HYPERLINK(""x"")"`, "'+1", "'-2", "'@SUM(A1)", '"a,b"', '"say ""hi"""', '"line\nbreak"', 'plain']);
    expect(parseCsv(`${hostile.map((v) => csvCell(v)).join(',')}\r\n`)[0]).toEqual(["'=HYPERLINK(\"x\")", "'+1", "'-2", "'@SUM(A1)", 'a,b', 'say "hi"', 'line\nbreak', 'plain']);

    const route = JSON.parse(await read('trends-route.json')) as { by: string; rows: TrendRow[]; periods: { period: string; snapshots: { date: string; pages: number }[] }[] };
    expect(route.by).toBe('route');
    expect(route.rows.map(normalise)).toEqual(expected('route'));
    expect(route.periods.every((p) => p.snapshots.length === 2)).toBe(true);
    expect((JSON.parse(await read('trends-market.json')) as { rows: TrendRow[] }).rows.map(normalise)).toEqual(expected('market'));
    expect(parseCsv(await read('trends-tracks.csv')).length).toBe(1 + report.tracks.reduce((n, t) => n + t.history.length, 0));
    // by quarter, in process
    const c = await Case.open(caseDir);
    try {
      const quarterly = (await caseTrends(c, { period: 'quarter' }))!;
      const q = (JSON.parse(trendText(quarterly, 'market', 'json')) as { rows: TrendRow[] }).rows;
      expect(q.map((r) => r.period)).toEqual(['2026-Q1', '2026-Q1', '2026-Q2', '2026-Q2']);
      // a quarter counts each listing once (its latest sighting in the quarter)
      const inQ1 = (m: Market) => new Set(served.get(m)!.slice(0, 3).flat().filter((x) => groupsOfTrack.has(x.track)).map((x) => x.track)).size;
      expect(q.filter((r) => r.period === '2026-Q1').map((r) => [r.key, r.active])).toEqual(expect.arrayContaining([['aurora', inQ1('aurora')], ['pangolin', inQ1('pangolin')]]));
    } finally {
      await c.close();
    }
  }, 120_000);

  it('the report: trend section with route maps, rendered in headless Chromium under the report CSP', async () => {
    const data: ReportData = { title: 'trends', source: 'test', summary: {}, flags: [], communities: [], listings: [], graph: { nodes: [], edges: [] }, trends: report };
    const file = path.join(dir, 'report.html');
    await writeFile(file, renderHtmlReport(data));
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href);
      await page.waitForSelector('section#trends svg.route-map');
      expect(errors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      const maps = page.locator('section#trends svg.route-map');
      expect(await maps.count()).toBe(2);
      // the maps are the first and the latest month: each draws the resolvable routes of its rows, with their counts on hover
      const drawn = await page.evaluate(() => Array.from(document.querySelectorAll('section#trends svg.route-map')).map((svg) => Array.from(svg.querySelectorAll('g.route')).map((g) => g.querySelector('title')!.textContent ?? '')));
      for (const [i, period] of (['2026-01', '2026-04'] as const).entries()) {
        // rows with listings (a row of removals only has none to draw)
        const rows = report.tables.route.rows.filter((r) => r.period === period && r.active > 0);
        const total = rows.reduce((s, r) => s + r.active, 0);
        const titles = drawn[i];
        // the map draws its 40 largest routes (the rest are counted in its note)
        expect(titles.length, period).toBe(Math.min(40, rows.length));
        const counted = titles.reduce((s, t) => s + Number(/: (\d+) listings?/.exec(t)![1]), 0);
        if (rows.length <= 40) expect(counted, period).toBe(total);
        console.log(`route map ${period}: ${titles.length} routes drawn, ${counted} of ${total} listing-routes`);
        const box = (await maps.nth(i).boundingBox())!;
        expect(box.width).toBeGreaterThan(300);
        expect(box.height).toBeGreaterThan(150);
      }
      expect(await page.locator('table.trend[data-by="taxon"] tr').count()).toBe(1 + new Set(report.tables.taxon.rows.map((r) => r.key)).size);
      expect(await page.locator('#trend-tracks tr').count()).toBeGreaterThan(5);
      await page.close();
    } finally {
      await browser?.close();
    }
  }, 120_000);
});
