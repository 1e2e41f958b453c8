/**
 * Snapshots and sightings in the case store: what each crawl of a market saw.
 *
 *   snap       `market\0snapshotId`                          → json MarketSnapshot (first and last retrieval)
 *   snap-page  `market\0snapshotId\0canonical URL\0retrievedAt` → utf8 page SHA-256
 *   sighting   `market\0snapshotId\0listingId`                → model ListingSighting
 *   vsighting  `market\0snapshotId\0vendorId`                 → model VendorSighting
 *
 * A page import writes its pages' sightings in the same atomic batch as the pages, listings and
 * vendors ({@link recordSightingsInBatch}), so a crash never leaves a page without its sightings.
 * The `listing` and `vendor` collections keep the latest version of each record
 * ({@link putLatestInBatch}): a crawl imported after a newer one does not overwrite it.
 * Cases written before snapshots existed simply hold none; re-parsing their archive
 * (`wildtrace pages parse`) records them.
 */
import type { Listing, Vendor } from '../model/market.js';
import type { ListingSighting, MarketSnapshot, VendorSighting } from '../model/snapshot.js';
import { jsonCodec, modelCodec } from '../store/codecs.js';
import type { AnySublevel } from '../store/collection.js';
import { INDEX_SUBLEVELS } from '../store/layout.js';
import type { CaseBatch, CaseStore } from '../store/store.js';
import { sortSnapshots } from './snapshots.js';

/** The four sublevels of snapshots and sightings. */
export interface SnapshotIndexes {
  readonly snapshots: AnySublevel;
  readonly pages: AnySublevel;
  readonly sightings: AnySublevel;
  readonly vendorSightings: AnySublevel;
}

/** Opens the snapshot sublevels of a store. */
export function snapshotIndexes(store: CaseStore): SnapshotIndexes {
  return {
    snapshots: store.sublevel(INDEX_SUBLEVELS.snapshots, 'utf8', jsonCodec),
    pages: store.sublevel(INDEX_SUBLEVELS.snapshotPages, 'utf8', 'utf8'),
    sightings: store.sublevel(INDEX_SUBLEVELS.listingSightings, 'utf8', modelCodec),
    vendorSightings: store.sublevel(INDEX_SUBLEVELS.vendorSightings, 'utf8', modelCodec),
  };
}

/** One parsed retrieval to record: where and when it was fetched, and what it showed. */
export interface PageSightings {
  readonly market: string;
  readonly snapshot: string;
  /** canonical URL asked for */
  readonly url: string;
  readonly retrievedAt: string;
  readonly sha256: string;
  readonly listings: readonly Listing[];
  readonly vendors: readonly Vendor[];
}

/** The sighting of `l` in `snapshot`, read from the page `sha256` retrieved at `seenAt`. */
export function listingSighting(l: Listing, snapshot: string, seenAt: string, sha256: string): ListingSighting {
  return {
    listingId: l.id,
    market: l.market,
    snapshot,
    seenAt,
    sha256,
    title: l.title,
    ...(l.vendorId !== undefined ? { vendorId: l.vendorId } : {}),
    ...(l.price !== undefined ? { price: l.price } : {}),
    ...(l.currency !== undefined ? { currency: l.currency } : {}),
    ...(l.shipsFrom !== undefined ? { shipsFrom: l.shipsFrom } : {}),
    ...(l.shipsTo !== undefined ? { shipsTo: l.shipsTo } : {}),
    ...(l.addresses?.length ? { addresses: l.addresses } : {}),
  };
}

const key = (...parts: string[]) => parts.join('\0');

/** Keeps, per key, the record with the latest `seenAt` (the later one on a tie), adding to `out` when given. */
export function latestByKey<T extends { seenAt?: string }>(items: Iterable<[string, T]>, out = new Map<string, T>()): Map<string, T> {
  for (const [k, v] of items) {
    const had = out.get(k);
    if (!had || (had.seenAt ?? '') <= (v.seenAt ?? '')) out.set(k, v);
  }
  return out;
}

/**
 * Queues in `batch` the snapshot records (widened to cover `snapshots`), each retrieval's page
 * entry, and the listing and vendor sightings of `pages`. A listing seen twice in one snapshot
 * keeps its latest sighting. Returns how many sightings were written.
 */
export async function recordSightingsInBatch(
  store: CaseStore,
  batch: CaseBatch,
  pages: readonly PageSightings[],
  snapshots: readonly MarketSnapshot[],
): Promise<{ listings: number; vendors: number }> {
  const ix = snapshotIndexes(store);
  const wanted = new Map<string, MarketSnapshot>();
  for (const p of pages) {
    const s = snapshots.find((x) => x.market === p.market && x.id === p.snapshot);
    const at = s ?? { market: p.market, id: p.snapshot, from: p.retrievedAt, to: p.retrievedAt };
    const k = key(p.market, p.snapshot);
    const had = wanted.get(k);
    wanted.set(k, had ? widen(had, at) : at);
  }
  const snapKeys = [...wanted.keys()];
  const stored = (await ix.snapshots.getMany(snapKeys)) as (MarketSnapshot | undefined)[];
  snapKeys.forEach((k, i) => batch.putIn(ix.snapshots, k, stored[i] ? widen(stored[i]!, wanted.get(k)!) : wanted.get(k)));

  const listings = latestByKey(
    pages.flatMap((p) => p.listings.map((l): [string, ListingSighting] => [key(p.market, p.snapshot, l.id), listingSighting(l, p.snapshot, p.retrievedAt, p.sha256)])),
  );
  const vendors = latestByKey(
    pages.flatMap((p) =>
      p.vendors.map((v): [string, VendorSighting] => [
        key(p.market, p.snapshot, v.id),
        { vendorId: v.id, market: v.market, snapshot: p.snapshot, seenAt: p.retrievedAt, sha256: p.sha256, ...(v.addresses?.length ? { addresses: v.addresses } : {}) },
      ]),
    ),
  );
  for (const p of pages) batch.putIn(ix.pages, key(p.market, p.snapshot, p.url, p.retrievedAt), p.sha256);
  await putNewer(listings, (keys) => ix.sightings.getMany(keys), (k, v) => batch.putIn(ix.sightings, k, v));
  await putNewer(vendors, (keys) => ix.vendorSightings.getMany(keys), (k, v) => batch.putIn(ix.vendorSightings, k, v));
  return { listings: listings.size, vendors: vendors.size };
}

/**
 * Puts each record of `records` whose stored version (read with `getMany`) is missing or not
 * newer, comparing `seenAt` (none counts as oldest). Returns how many were put.
 */
async function putNewer<T extends { seenAt?: string }>(records: ReadonlyMap<string, T>, getMany: (keys: string[]) => Promise<unknown[]>, put: (key: string, value: T) => void): Promise<number> {
  const keys = [...records.keys()];
  const stored = (await getMany(keys)) as ({ seenAt?: string } | undefined)[];
  let written = 0;
  keys.forEach((k, i) => {
    const r = records.get(k)!;
    if (stored[i] && (stored[i]!.seenAt ?? '') > (r.seenAt ?? '')) return;
    put(k, r);
    written++;
  });
  return written;
}

function widen(a: MarketSnapshot, b: MarketSnapshot): MarketSnapshot {
  return { market: a.market, id: a.id, from: a.from <= b.from ? a.from : b.from, to: a.to >= b.to ? a.to : b.to };
}

/**
 * Queues `records` into a model collection where each is newer than (or as new as) the stored
 * version, comparing `seenAt`; a record without `seenAt` counts as oldest. Of several records
 * with one id, the latest is kept.
 */
export async function putLatestInBatch(store: CaseStore, batch: CaseBatch, collection: 'listing', records: readonly Listing[]): Promise<number>;
export async function putLatestInBatch(store: CaseStore, batch: CaseBatch, collection: 'vendor', records: readonly Vendor[]): Promise<number>;
export async function putLatestInBatch(store: CaseStore, batch: CaseBatch, collection: 'listing' | 'vendor', records: readonly (Listing | Vendor)[]): Promise<number> {
  const latest = latestByKey(records.map((r): [string, Listing | Vendor] => [r.id, r]));
  return putNewer(latest, (ids) => store.collection(collection).getMany(ids), (id, r) => batch.put(collection, id, r as never));
}

/** A snapshot with the number of pages recorded in it. */
export interface SnapshotWithPages extends MarketSnapshot {
  readonly pages: number;
}

/** Everything the case knows about its snapshots. */
export interface SnapshotData {
  /** by market, then date */
  readonly snapshots: readonly SnapshotWithPages[];
  /** by market, snapshot, listing id */
  readonly sightings: readonly ListingSighting[];
  /** by market, snapshot, vendor id */
  readonly vendorSightings: readonly VendorSighting[];
}

/** The snapshots of the case (of one market, with `market`), by market then date. */
export async function readSnapshots(store: CaseStore, options: { market?: string } = {}): Promise<MarketSnapshot[]> {
  const ix = snapshotIndexes(store);
  const range = options.market === undefined ? {} : { gte: `${options.market}\0`, lt: `${options.market}\u0001` };
  const out: MarketSnapshot[] = [];
  for await (const v of ix.snapshots.values(range)) out.push(v as MarketSnapshot);
  return sortSnapshots(out);
}

/** Reads every snapshot (with its page count), listing sighting and vendor sighting of the case. */
export async function readSnapshotData(store: CaseStore): Promise<SnapshotData> {
  const ix = snapshotIndexes(store);
  const pageCount = new Map<string, number>();
  for await (const k of ix.pages.keys()) {
    const parts = (k as string).split('\0');
    const sk = key(parts[0], parts[1]);
    pageCount.set(sk, (pageCount.get(sk) ?? 0) + 1);
  }
  const snapshots = (await readSnapshots(store)).map((s) => ({ ...s, pages: pageCount.get(key(s.market, s.id)) ?? 0 }));
  const sightings: ListingSighting[] = [];
  for await (const v of ix.sightings.values()) sightings.push(v as ListingSighting);
  const vendorSightings: VendorSighting[] = [];
  for await (const v of ix.vendorSightings.values()) vendorSightings.push(v as VendorSighting);
  return { snapshots, sightings, vendorSightings };
}

/** The retrievals (`canonical URL\0retrievedAt`) of `market` already recorded in a snapshot. */
export async function recordedRetrievals(store: CaseStore, market: string): Promise<Set<string>> {
  const ix = snapshotIndexes(store);
  const out = new Set<string>();
  for await (const k of ix.pages.keys({ gte: `${market}\0`, lt: `${market}\u0001` })) {
    const parts = (k as string).split('\0');
    out.add(key(parts[2], parts[3]));
  }
  return out;
}
