/**
 * Trend tables of the listings a case has seen across repeated crawls: the figures a CITES Party
 * reports on Internet trade (Decision 15.57: extent of and trends in commerce of CITES-listed
 * species; changes in trade routes and methods of shipment), each traceable to archived pages.
 *
 * Per period (day, ISO week, month or quarter of a snapshot's date) and group (taxon, category,
 * market, vendor, vendor person, ships-from, ships-to, currency, route ships-from → ships-to):
 *
 * - `active`: listings (tracks, src/market `matchListings`) seen in a snapshot of the period; each
 *   counts in the groups of its latest sighting in the period (its *period sighting*);
 * - `new` / `removed` / `priceChanges` / `vendorChanges`: changes seen at snapshots dated in the
 *   period (src/market `trackEvents`); a removal counts in the groups of the last sighting before;
 * - `prices`: per listed currency, the exact median of the period sightings' prices;
 *   `medianUsd`: the median of those converted with the case's rate table (rounded to cents),
 *   over `usdListings` listings;
 * - `vendors`: distinct vendor accounts among the period sightings;
 * - `snapshots`: snapshots that contributed a sighting; `pages` and `sha256`: the archived pages
 *   behind every figure of the row (period sightings and change sightings).
 *
 * A listing counts in every group its sighting names (each taxon it offers, each destination);
 * so the rows of a table may add up to more than the listings. By default only wildlife listings
 * count (a track is wildlife when any of its listing ids was detected as wildlife).
 */
import type { Address } from '../model/address.js';
import type { ListingSighting, VendorSighting } from '../model/snapshot.js';
import { validateAddress } from '../addresses/validate.js';
import { formatDecimal, medianDecimal, readDecimal, roundDecimal, type Decimal } from '../market/decimal.js';
import type { UsdRateTable } from '../market/rates.js';
import type { SnapshotWithPages } from '../market/sightings.js';
import { matchListings, trackEvents, type ListingTrack, type MarketTimeline, type TrackEvent } from '../market/tracks.js';
import type { TradeGroups } from '../wildlife/trade-groups.js';

/** How rows are grouped. */
export type TrendGrouping = 'taxon' | 'category' | 'market' | 'vendor' | 'person' | 'ships-from' | 'ships-to' | 'currency' | 'route';

/** Every grouping, in the order reports show them. */
export const TREND_GROUPINGS: readonly TrendGrouping[] = ['taxon', 'category', 'market', 'person', 'vendor', 'ships-from', 'ships-to', 'route', 'currency'];

/** The length of a period. */
export type TrendPeriod = 'day' | 'week' | 'month' | 'quarter';

/** Which listings count. */
export type TrendScope = 'wildlife' | 'all';

/** What the trend tables are computed from (read with src/market `readSnapshotData`). */
export interface TrendInput {
  readonly snapshots: readonly SnapshotWithPages[];
  readonly sightings: readonly ListingSighting[];
  readonly vendorSightings?: readonly VendorSighting[];
  /** listing id → its categories and taxa, for the listings detected as wildlife */
  readonly wildlife: ReadonlyMap<string, TradeGroups>;
  /** vendor id → vendor person id (src/market `linkVendors`); a vendor without one is its own person */
  readonly personOf?: ReadonlyMap<string, string>;
  /** converts prices into US dollars; without it there is no `medianUsd` */
  readonly rates?: UsdRateTable;
}

/** Options of {@link buildTrends}. */
export interface TrendOptions {
  /** default `month` */
  readonly period?: TrendPeriod;
  /** default `wildlife` */
  readonly scope?: TrendScope;
  /** title similarity of the re-post rule (src/market `matchListings`) */
  readonly titleSimilarity?: number;
}

/** The median price of the listings priced in one currency. */
export interface CurrencyMedian {
  readonly currency: string;
  readonly listings: number;
  /** exact decimal string */
  readonly median: string;
}

/** One row of a trend table: one group in one period. */
export interface TrendRow {
  readonly period: string;
  /** the group: a taxon name, a category, a market, a vendor or person id, a country, a currency, or `from → to` */
  readonly key: string;
  /** CITES appendix (taxon tables) */
  readonly appendix?: string;
  /** route tables: ships-from and ships-to */
  readonly from?: string;
  readonly to?: string;
  readonly snapshots: number;
  readonly active: number;
  readonly new: number;
  readonly removed: number;
  readonly priceChanges: number;
  readonly vendorChanges: number;
  readonly prices: readonly CurrencyMedian[];
  /** median in US dollars (2 decimals), when the case has rates */
  readonly medianUsd?: string;
  /** listings converted into US dollars */
  readonly usdListings: number;
  readonly vendors: number;
  /** archived pages behind the row's figures */
  readonly pages: number;
  readonly sha256: readonly string[];
}

/** A period and the snapshots dated in it. */
export interface TrendPeriodInfo {
  readonly period: string;
  readonly snapshots: readonly { readonly market: string; readonly id: string; readonly date: string; readonly pages: number }[];
}

/** One trend table. */
export interface TrendTable {
  readonly by: TrendGrouping;
  readonly period: TrendPeriod;
  readonly scope: TrendScope;
  readonly periods: readonly TrendPeriodInfo[];
  /** by period, then most active first, then key */
  readonly rows: readonly TrendRow[];
}

/** The per-currency medians of a row as text: `0.01000 BTC (3); 250.00 USD (1)`. */
export function formatPriceMedians(prices: readonly CurrencyMedian[]): string {
  return prices.map((p) => `${p.median} ${p.currency} (${p.listings})`).join('; ');
}

/** Address types posted by the vendors of the listings in scope, in one period. */
export interface PaymentRow {
  readonly period: string;
  /** `btc p2wpkh`, `xmr standard`, `eth`, … */
  readonly type: string;
  /** distinct addresses of that type */
  readonly addresses: number;
  /** vendors that posted one */
  readonly vendors: number;
  readonly pages: number;
  readonly sha256: readonly string[];
}

/** A listing followed through the snapshots: first and last seen, disappearance, price and vendor history. */
export interface TrackSummary {
  readonly id: string;
  readonly market: string;
  readonly listingIds: readonly string[];
  readonly title: string;
  readonly categories: readonly string[];
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** the date of the first snapshot that no longer showed it, when it is gone from the market's latest */
  readonly removed?: string;
  /** one entry per snapshot it was seen in */
  readonly history: readonly { readonly date: string; readonly snapshot: string; readonly price?: string; readonly currency?: string; readonly vendor?: string; readonly sha256: string }[];
}

/** Every trend table of a case. */
export interface TrendReport {
  readonly period: TrendPeriod;
  readonly scope: TrendScope;
  readonly snapshots: readonly { readonly market: string; readonly id: string; readonly date: string; readonly to: string; readonly pages: number; readonly listings: number }[];
  readonly tables: Readonly<Record<TrendGrouping, TrendTable>>;
  /** the mix of address types wildlife vendors post, by period */
  readonly payments: readonly PaymentRow[];
  /** the listings in scope, followed through the snapshots */
  readonly tracks: readonly TrackSummary[];
}

/** The period of an ISO-8601 time: `2026-03-02`, `2026-W10`, `2026-03` or `2026-Q1` (UTC). */
export function periodOf(iso: string, period: TrendPeriod): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  if (period === 'day') return iso.slice(0, 10);
  if (period === 'month') return iso.slice(0, 7);
  if (period === 'quarter') return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
  // ISO 8601 week: the week with the year's first Thursday is week 1
  const date = Date.UTC(y, m - 1, d);
  const dow = (new Date(date).getUTCDay() + 6) % 7;
  const thursday = new Date(date + (3 - dow) * 86_400_000);
  const wy = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(wy, 0, 1)) / (7 * 86_400_000));
  return `${wy}-W${String(week).padStart(2, '0')}`;
}

/** The type of a posted address: `btc p2wpkh`, `ltc p2sh`, `xmr subaddress`, `eth`, `trx`, or `<chain> unrecognised`. */
export function addressType(a: Address): string {
  const d = validateAddress(a.address, { chain: a.chain, testnets: true });
  if (!d) return `${a.chain} unrecognised`;
  return d.chain === 'eth' || d.chain === 'trx' ? d.chain : `${d.chain} ${d.type}`;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface RowAcc {
  period: string;
  key: string;
  appendix?: string;
  from?: string;
  to?: string;
  snapshots: Set<string>;
  active: Set<string>;
  new: number;
  removed: number;
  priceChanges: number;
  vendorChanges: number;
  prices: Map<string, Decimal[]>;
  usd: Decimal[];
  vendors: Set<string>;
  sha: Set<string>;
}

interface GroupValue {
  key: string;
  appendix?: string;
  from?: string;
  to?: string;
}

/** Builds every trend table, the payment mix and the track list (see the file comment). */
export function buildTrends(input: TrendInput, options: TrendOptions = {}): TrendReport {
  const period = options.period ?? 'month';
  const scope = options.scope ?? 'wildlife';
  const timelines = matchListings(input.snapshots, input.sightings, { titleSimilarity: options.titleSimilarity });
  const groupsOf = trackGroups(timelines, input.wildlife);
  const inScope = (t: ListingTrack) => scope === 'all' || groupsOf.has(t);
  const facts = trendFacts(period, timelines, input, groupsOf, inScope);
  const tables = Object.fromEntries(TREND_GROUPINGS.map((by) => [by, buildTable(by, period, scope, facts, input.personOf)])) as Record<TrendGrouping, TrendTable>;
  const listingsPer = new Map<string, number>();
  for (const s of input.sightings) listingsPer.set(`${s.market}\0${s.snapshot}`, (listingsPer.get(`${s.market}\0${s.snapshot}`) ?? 0) + 1);
  return {
    period,
    scope,
    snapshots: input.snapshots.map((s) => ({ market: s.market, id: s.id, date: s.from, to: s.to, pages: s.pages, listings: listingsPer.get(`${s.market}\0${s.id}`) ?? 0 })),
    tables,
    payments: buildPayments(period, timelines, input, inScope),
    tracks: timelines.flatMap((tl) => tl.tracks.filter(inScope).map((t) => trackSummary(tl, t, groupsOf.get(t)))),
  };
}

/** The trade groups of each wildlife track: the union over its listing ids. */
function trackGroups(timelines: readonly MarketTimeline[], wildlife: ReadonlyMap<string, TradeGroups>): Map<ListingTrack, TradeGroups> {
  const out = new Map<ListingTrack, TradeGroups>();
  for (const tl of timelines) {
    for (const t of tl.tracks) {
      const groups = t.listingIds.map((id) => wildlife.get(id)).filter((g): g is TradeGroups => g !== undefined);
      if (groups.length === 0) continue;
      const categories = [...new Set(groups.flatMap((g) => g.categories))];
      const taxa = groups.flatMap((g) => g.taxa).filter((x, i, all) => all.findIndex((y) => y.name === x.name) === i);
      out.set(t, { categories, taxa });
    }
  }
  return out;
}

function groupValues(by: TrendGrouping, s: ListingSighting, groups: TradeGroups | undefined, personOf: ReadonlyMap<string, string> | undefined): GroupValue[] {
  const dests = s.shipsTo?.length ? [...new Set(s.shipsTo)] : ['(unknown)'];
  switch (by) {
    case 'taxon':
      return (groups?.taxa ?? []).map((t) => ({ key: t.name, appendix: t.appendix }));
    case 'category':
      return (groups?.categories ?? []).map((key) => ({ key }));
    case 'market':
      return [{ key: s.market }];
    case 'vendor':
      return [{ key: s.vendorId ?? '(unknown)' }];
    case 'person':
      return [{ key: (s.vendorId && personOf?.get(s.vendorId)) || s.vendorId || '(unknown)' }];
    case 'ships-from':
      return [{ key: s.shipsFrom ?? '(unknown)' }];
    case 'ships-to':
      return dests.map((key) => ({ key }));
    case 'currency':
      return [{ key: s.currency ?? '(none)' }];
    case 'route': {
      const from = s.shipsFrom ?? '(unknown)';
      return dests.map((to) => ({ key: `${from} → ${to}`, from, to }));
    }
  }
}

/** What every table is counted from, computed once: the period sightings and the changes in scope. */
interface TrendFacts {
  readonly periods: readonly TrendPeriodInfo[];
  /** the latest sighting of each track in each period, with its price read and converted */
  readonly sightings: readonly { readonly track: string; readonly snapshot: string; readonly period: string; readonly s: ListingSighting; readonly groups?: TradeGroups; readonly price?: Decimal; readonly usd?: Decimal }[];
  /** the changes, with the snapshot whose sighting they count */
  readonly events: readonly { readonly kind: TrackEvent['kind']; readonly snapshot: string; readonly period: string; readonly s: ListingSighting; readonly groups?: TradeGroups }[];
}

function trendFacts(period: TrendPeriod, timelines: readonly MarketTimeline[], input: TrendInput, groupsOf: ReadonlyMap<ListingTrack, TradeGroups>, inScope: (t: ListingTrack) => boolean): TrendFacts {
  const periods = new Map<string, TrendPeriodInfo['snapshots'][number][]>();
  for (const s of input.snapshots) {
    const p = periodOf(s.from, period);
    const list = periods.get(p) ?? [];
    list.push({ market: s.market, id: s.id, date: s.from, pages: s.pages });
    periods.set(p, list);
  }
  const sightings: TrendFacts['sightings'][number][] = [];
  const events: TrendFacts['events'][number][] = [];
  for (const tl of timelines) {
    const periodAt = tl.snapshots.map((s) => periodOf(s.from, period));
    const snapshotAt = tl.snapshots.map((s) => `${tl.market}\0${s.id}`);
    for (const track of tl.tracks) {
      if (!inScope(track)) continue;
      const groups = groupsOf.get(track);
      const latest = new Map<string, number>();
      track.sightings.forEach((s, k) => s && latest.set(periodAt[k], k));
      for (const [p, k] of latest) {
        const s = track.sightings[k]!;
        const price = s.price === undefined || s.currency === undefined ? undefined : readDecimal(s.price);
        const usd = price && input.rates?.decimalToUsd(price, s.currency!, s.seenAt);
        sightings.push({ track: `${track.market}\0${track.id}`, snapshot: snapshotAt[k], period: p, s, ...(groups ? { groups } : {}), ...(price ? { price } : {}), ...(usd ? { usd } : {}) });
      }
    }
    for (const e of trackEvents(tl)) {
      if (!inScope(e.track)) continue;
      const groups = groupsOf.get(e.track);
      events.push({ kind: e.kind, snapshot: snapshotAt[e.kind === 'removed' ? e.index - 1 : e.index], period: periodAt[e.index], s: e.sighting, ...(groups ? { groups } : {}) });
    }
  }
  return { periods: [...periods.entries()].sort((a, b) => cmp(a[0], b[0])).map(([p, snapshots]) => ({ period: p, snapshots })), sightings, events };
}

function buildTable(by: TrendGrouping, period: TrendPeriod, scope: TrendScope, facts: TrendFacts, personOf: ReadonlyMap<string, string> | undefined): TrendTable {
  const rows = new Map<string, RowAcc>();
  const rowFor = (p: string, g: GroupValue): RowAcc => {
    const k = `${p}\0${g.key}`;
    let r = rows.get(k);
    if (!r) {
      r = { period: p, ...g, snapshots: new Set(), active: new Set(), new: 0, removed: 0, priceChanges: 0, vendorChanges: 0, prices: new Map(), usd: [], vendors: new Set(), sha: new Set() };
      rows.set(k, r);
    }
    return r;
  };
  for (const x of facts.sightings) {
    for (const g of groupValues(by, x.s, x.groups, personOf)) {
      const r = rowFor(x.period, g);
      r.active.add(x.track);
      r.snapshots.add(x.snapshot);
      r.sha.add(x.s.sha256);
      if (x.s.vendorId) r.vendors.add(x.s.vendorId);
      if (x.price) {
        const list = r.prices.get(x.s.currency!);
        if (list) list.push(x.price);
        else r.prices.set(x.s.currency!, [x.price]);
      }
      if (x.usd) r.usd.push(x.usd);
    }
  }
  for (const e of facts.events) {
    for (const g of groupValues(by, e.s, e.groups, personOf)) {
      const r = rowFor(e.period, g);
      if (e.kind === 'appeared') r.new++;
      else if (e.kind === 'removed') r.removed++;
      else if (e.kind === 'price') r.priceChanges++;
      else r.vendorChanges++;
      r.sha.add(e.s.sha256);
      r.snapshots.add(e.snapshot);
    }
  }
  const out: TrendRow[] = [...rows.values()].map((r) => {
    const usd = medianDecimal(r.usd);
    const sha256 = [...r.sha].sort();
    return {
      period: r.period,
      key: r.key,
      ...(r.appendix !== undefined ? { appendix: r.appendix } : {}),
      ...(r.from !== undefined ? { from: r.from, to: r.to } : {}),
      snapshots: r.snapshots.size,
      active: r.active.size,
      new: r.new,
      removed: r.removed,
      priceChanges: r.priceChanges,
      vendorChanges: r.vendorChanges,
      prices: [...r.prices.entries()]
        .sort((a, b) => b[1].length - a[1].length || cmp(a[0], b[0]))
        .map(([currency, list]) => ({ currency, listings: list.length, median: formatDecimal(medianDecimal(list)!) })),
      ...(usd ? { medianUsd: formatDecimal(roundDecimal(usd, 2)) } : {}),
      usdListings: r.usd.length,
      vendors: r.vendors.size,
      pages: sha256.length,
      sha256,
    };
  });
  out.sort((a, b) => cmp(a.period, b.period) || b.active - a.active || cmp(a.key, b.key));
  return { by, period, scope, periods: facts.periods, rows: out };
}

function buildPayments(period: TrendPeriod, timelines: readonly MarketTimeline[], input: TrendInput, inScope: (t: ListingTrack) => boolean): PaymentRow[] {
  // vendors of the listings in scope, per period, with the sightings that make them so
  const vendorsIn = new Map<string, Set<string>>();
  const acc = new Map<string, { addresses: Set<string>; vendors: Set<string>; sha: Set<string> }>();
  // an address is posted again in every snapshot and period: validate it once
  const typeOf = new Map<string, string>();
  const add = (p: string, vendor: string, a: Address, sha: string) => {
    const id = `${a.chain}:${a.address}`;
    let type = typeOf.get(id);
    if (type === undefined) typeOf.set(id, (type = addressType(a)));
    const k = `${p}\0${type}`;
    let r = acc.get(k);
    if (!r) acc.set(k, (r = { addresses: new Set(), vendors: new Set(), sha: new Set() }));
    r.addresses.add(id);
    r.vendors.add(vendor);
    r.sha.add(sha);
  };
  for (const tl of timelines) {
    const periodAt = tl.snapshots.map((s) => periodOf(s.from, period));
    for (const t of tl.tracks) {
      if (!inScope(t)) continue;
      t.sightings.forEach((s, k) => {
        if (!s?.vendorId) return;
        const p = periodAt[k];
        const set = vendorsIn.get(p) ?? new Set();
        set.add(s.vendorId);
        vendorsIn.set(p, set);
        for (const a of s.addresses ?? []) add(p, s.vendorId, a, s.sha256);
      });
    }
  }
  const dateOf = new Map(input.snapshots.map((s) => [`${s.market}\0${s.id}`, s.from]));
  for (const v of input.vendorSightings ?? []) {
    const date = dateOf.get(`${v.market}\0${v.snapshot}`);
    if (date === undefined) continue;
    const p = periodOf(date, period);
    if (!vendorsIn.get(p)?.has(v.vendorId)) continue;
    for (const a of v.addresses ?? []) add(p, v.vendorId, a, v.sha256);
  }
  return [...acc.entries()]
    .map(([k, r]) => {
      const [p, type] = k.split('\0');
      const sha256 = [...r.sha].sort();
      return { period: p, type, addresses: r.addresses.size, vendors: r.vendors.size, pages: sha256.length, sha256 };
    })
    .sort((a, b) => cmp(a.period, b.period) || b.addresses - a.addresses || cmp(a.type, b.type));
}

function trackSummary(tl: MarketTimeline, t: ListingTrack, groups: TradeGroups | undefined): TrackSummary {
  const history: TrackSummary['history'][number][] = [];
  let lastK = -1;
  t.sightings.forEach((s, k) => {
    if (!s) return;
    lastK = k;
    history.push({
      date: tl.snapshots[k].from,
      snapshot: tl.snapshots[k].id,
      ...(s.price !== undefined ? { price: s.price } : {}),
      ...(s.currency !== undefined ? { currency: s.currency } : {}),
      ...(s.vendorId !== undefined ? { vendor: s.vendorId } : {}),
      sha256: s.sha256,
    });
  });
  const last = t.sightings[lastK]!;
  return {
    id: t.id,
    market: t.market,
    listingIds: t.listingIds,
    title: last.title,
    categories: groups?.categories ?? [],
    firstSeen: history[0].date,
    lastSeen: history[history.length - 1].date,
    ...(lastK < tl.snapshots.length - 1 ? { removed: tl.snapshots[lastK + 1].from } : {}),
    history,
  };
}
