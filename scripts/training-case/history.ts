/**
 * The earlier crawls of the training case's markets, so the case holds several dated snapshots
 * per market and the trend tables have something to show. The world's catalogues are the latest
 * crawl (`pages.jsonl.gz`, 2026-03-02); this builds the three crawls before it, a month apart,
 * deterministically from the seed (its own random stream, so the world itself does not change):
 *
 * - every listing of the latest crawl first appeared in one of the four crawls (most in the
 *   first) and stayed until the latest; its price in an earlier crawl sometimes differs (the
 *   market moved: a few percent to a quarter lower or higher);
 * - listings of earlier crawls that are gone by the latest one: offers a vendor withdrew (or
 *   sold out); wildlife offers only from vendor accounts of persons who sell wildlife, so the
 *   ground truth of persons and flows stays as it is;
 * - re-posts: some listings of the latest crawl continue an earlier offer of the same vendor
 *   that had another id and the same title in other letter case;
 * - the exchange rates of each crawl's date (`rates.csv`) for the USD medians.
 *
 * Vendor accounts are the same in every crawl (their pages list their listings of that crawl).
 */
import { listingId, SeededRandom, type CatalogueOptions, type FixtureCatalogue, type FixtureListing } from '../../adapters/markets/fixtures/catalogue.js';
import { fill, ORDINARY, WILDLIFE } from './listing-texts.js';
import type { World } from './world.js';

/** Dates of the earlier crawls, oldest first; the latest crawl (the world's catalogues) is on {@link LATEST_CRAWL}. */
export const HISTORY_DATES = ['2025-12-01', '2026-01-05', '2026-02-02'] as const;
/** Date of the latest crawl. */
export const LATEST_CRAWL = '2026-03-02';

/** US dollars per unit on each crawl date (the world prices in BTC at 60 000 USD on the latest). */
const RATES: Readonly<Record<string, { BTC: number; EUR: string }>> = {
  '2025-12-01': { BTC: 52_000, EUR: '1.05' },
  '2026-01-05': { BTC: 55_000, EUR: '1.06' },
  '2026-02-02': { BTC: 58_000, EUR: '1.07' },
  '2026-03-02': { BTC: 60_000, EUR: '1.08' },
};

/** The earlier crawls and what they add to the ground truth. */
export interface History {
  /** per earlier crawl (oldest first): its date and the catalogue of each market on that date */
  readonly crawls: readonly { readonly date: string; readonly catalogues: readonly FixtureCatalogue[] }[];
  /** wildlife listings seen only in earlier crawls (listing id → group), beside `truth.wildlifeListings` */
  readonly wildlifeListings: Readonly<Record<string, string>>;
  /** `date,currency,usd` rows for every crawl date */
  readonly rates: readonly { readonly date: string; readonly currency: string; readonly usd: string }[];
  /** how the listings changed, for the manifest */
  readonly stats: { readonly appeared: number; readonly removed: number; readonly repriced: number; readonly reposted: number };
}

/** A price `factor` times `price`, in the listing's own format (BTC 5 decimals, others 2). */
function scaled(price: string, currency: string, factor: number): string {
  const digits = currency === 'BTC' ? 5 : 2;
  const v = Math.max(Number(price) * factor, currency === 'BTC' ? 0.00001 : 1);
  return v.toFixed(digits);
}

/** Builds the crawls before the latest one (see the file comment). */
export function buildHistory(world: World, options: { idStyles?: Readonly<Record<string, CatalogueOptions['listingIds']>> } = {}): History {
  const rnd = new SeededRandom(`${world.seed}/history`);
  const crawls = HISTORY_DATES.length;
  const wildlifeListings: Record<string, string> = {};
  const stats = { appeared: 0, removed: 0, repriced: 0, reposted: 0 };
  // vendor accounts whose person sells wildlife (from the ground truth of the latest crawl)
  const wildPersons = new Set<string>();
  for (const cat of world.catalogues) for (const l of cat.listings) if (world.truth.wildlifeListings[`${cat.market}/${l.id}`]) wildPersons.add(world.truth.persons[`${cat.market}/${l.vendor}`]);
  const perCrawl: FixtureListing[][][] = HISTORY_DATES.map(() => world.catalogues.map(() => []));
  world.catalogues.forEach((cat, mi) => {
    const market = cat.market;
    const vendorOf = new Map(cat.vendors.map((v) => [v.handle, v]));
    let n = cat.listings.length;
    const newId = (title: string) => listingId(options.idStyles?.[market] ?? 'numeric', market, ++n + 10_000, title);
    for (const l of cat.listings) {
      // the crawl it first appeared in (0 … 3 = latest); most were there from the first crawl
      const r = rnd.next();
      const first = r < 0.6 ? 0 : r < 0.73 ? 1 : r < 0.87 ? 2 : 3;
      if (first === crawls) stats.appeared++;
      let price = l.price;
      const versions: FixtureListing[] = [];
      for (let k = crawls - 1; k >= first; k--) {
        if (rnd.next() < 0.15) {
          price = scaled(price, l.currency, 1 / (0.9 + rnd.next() * 0.35));
          stats.repriced++;
        }
        versions[k] = { ...l, price };
      }
      versions.forEach((v, k) => perCrawl[k][mi].push(v));
      // a re-post: an offer that appeared later continues an earlier one of the same vendor under another id
      if (first > 0 && rnd.next() < 0.25) {
        const title = rnd.next() < 0.5 ? l.title.toUpperCase() : l.title.toLowerCase();
        const id = newId(title);
        const from = rnd.int(0, first - 1);
        for (let k = from; k < first; k++) perCrawl[k][mi].push({ ...l, id, title, price: scaled(l.price, l.currency, 0.9 + rnd.next() * 0.2) });
        const group = world.truth.wildlifeListings[`${market}/${l.id}`];
        if (group) wildlifeListings[`${market}/${id}`] = group;
        stats.reposted++;
      }
    }
    // offers withdrawn before the latest crawl: about one for every ten listings
    const accounts = [...vendorOf.keys()];
    const gone = Math.round(cat.listings.length / 10);
    for (let i = 0; i < gone; i++) {
      const handle = rnd.pick(accounts);
      const vendor = vendorOf.get(handle)!;
      const wild = wildPersons.has(world.truth.persons[`${market}/${handle}`]) && rnd.next() < 0.6;
      const tpl = wild ? rnd.pick(WILDLIFE) : rnd.pick(ORDINARY);
      const title = fill(tpl.title, rnd);
      const currency = rnd.pick(['USD', 'USD', 'EUR', 'BTC']);
      const from = rnd.int(0, crawls - 1);
      const until = rnd.int(from, crawls - 1);
      const usd = rnd.int(20, tpl.wildlife ? 4000 : 600);
      const listing: FixtureListing = {
        id: newId(title),
        vendor: handle,
        title,
        description: fill(tpl.description, rnd),
        price: currency === 'BTC' ? (usd / RATES[HISTORY_DATES[from]].BTC).toFixed(5) : `${usd}.00`,
        currency,
        category: tpl.category,
        shipsFrom: vendor.shipsFrom,
        shipsTo: [rnd.pick(['Worldwide', 'Europe', 'United States', 'Asia'])],
        addresses: [],
      };
      for (let k = from; k <= until; k++) perCrawl[k][mi].push(listing);
      if (tpl.wildlife) wildlifeListings[`${market}/${listing.id}`] = tpl.wildlife;
      stats.removed++;
    }
  });
  const order = (cat: FixtureCatalogue, list: FixtureListing[]) => {
    const rank = new Map(cat.listings.map((l, i) => [l.id, i]));
    return list.sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || (a.id < b.id ? -1 : 1));
  };
  return {
    crawls: HISTORY_DATES.map((date, k) => ({ date, catalogues: world.catalogues.map((cat, mi) => ({ ...cat, listings: order(cat, perCrawl[k][mi]) })) })),
    wildlifeListings,
    rates: Object.entries(RATES).flatMap(([date, r]) => [
      { date, currency: 'BTC', usd: String(r.BTC) },
      { date, currency: 'EUR', usd: r.EUR },
    ]),
    stats,
  };
}
