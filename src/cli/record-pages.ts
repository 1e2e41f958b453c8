/**
 * Parsed market pages into the case, snapshot by snapshot: the listings and vendors (latest
 * version of each id), the snapshot records, each retrieval's page entry and the listing and
 * vendor sightings, all in the batch of the pages (src/market/sightings.ts).
 *
 * Two callers: the page import (`importPages`, which archives the pages in the same batch) and
 * {@link parseArchive}, which parses retrievals already in the case's archive (pages a crawl
 * fetched, or a case written before snapshots existed) that no snapshot holds yet.
 */
import type { Case } from '../case.js';
import type { Address, Listing, Page, Vendor } from '../model/index.js';
import type { MarketSnapshot } from '../model/snapshot.js';
import { assignSnapshots, type AssignSnapshotsOptions } from '../market/snapshots.js';
import { putLatestInBatch, readSnapshots, recordedRetrievals, recordSightingsInBatch, type PageSightings } from '../market/sightings.js';
import type { CaseBatch } from '../store/store.js';
import { archivedPages, type PageRetrieval } from '../../adapters/tor/archive.js';
import { MARKET_PROFILES, parseMarketPage, withHosts, type MarketProfile } from '../../adapters/markets/index.js';

/** One retrieval to parse and record. */
export interface RetrievedPage {
  readonly page: Page;
  /** canonical URL asked for */
  readonly url: string;
  /** this retrieval's time (the stored page keeps its first retrieval's) */
  readonly retrievedAt: string;
  readonly profile: MarketProfile;
}

/** Finds the profile of a host: from `markets` (host → profile id), or the shipped profile that lists the host. */
export function profileResolver(markets: ReadonlyMap<string, string> = new Map()): (host: string) => MarketProfile | undefined {
  const profiles = new Map<string, MarketProfile | undefined>();
  return (host) => {
    if (!profiles.has(host)) {
      const id = markets.get(host) ?? Object.entries(MARKET_PROFILES).find(([, p]) => p.hosts.includes(host))?.[0];
      profiles.set(host, id && MARKET_PROFILES[id] ? withHosts(MARKET_PROFILES[id], [host]) : undefined);
    }
    return profiles.get(host);
  };
}

/**
 * Parses pages, reusing the parse of identical bytes at the same URL (a page that did not change
 * between crawls parses once); every record is stamped with its own retrieval time.
 */
export class SnapshotParser {
  private readonly cache = new Map<string, { listings: readonly Listing[]; vendors: readonly Vendor[] }>();

  /** The listings and vendors of one retrieval. */
  async parse(r: RetrievedPage): Promise<{ listings: Listing[]; vendors: Vendor[] }> {
    const k = `${r.page.sha256}\0${r.page.finalUrl}\0${r.profile.id}`;
    let parsed = this.cache.get(k);
    if (!parsed) {
      const p = await parseMarketPage(r.page, r.profile);
      this.cache.set(k, (parsed = { listings: p.listings, vendors: p.vendors }));
      if (this.cache.size > 20_000) this.cache.delete(this.cache.keys().next().value!);
    }
    return { listings: parsed.listings.map((l) => ({ ...l, seenAt: r.retrievedAt })), vendors: parsed.vendors.map((v) => ({ ...v, seenAt: r.retrievedAt })) };
  }
}

/** Assigns snapshots to `retrievals` (market and time each), against the snapshots already in the case. */
export async function snapshotsFor(c: Case, retrievals: readonly { market: string; at: string }[], options: AssignSnapshotsOptions = {}): Promise<{ ids: readonly string[]; snapshots: readonly MarketSnapshot[] }> {
  const markets = [...new Set(retrievals.map((r) => r.market))];
  const existing = (await Promise.all(markets.map((market) => readSnapshots(c.store, { market })))).flat();
  return assignSnapshots(retrievals, existing, options);
}

/**
 * Queues in `batch` the parsed pages: listings and vendors (latest wins), their addresses
 * interned, the snapshots and the sightings. Returns the listings and vendors written.
 */
export async function recordParsedInBatch(c: Case, batch: CaseBatch, parsed: readonly PageSightings[], snapshots: readonly MarketSnapshot[]): Promise<{ listings: Listing[]; vendors: Vendor[] }> {
  const listings = parsed.flatMap((p) => p.listings);
  const vendors = parsed.flatMap((p) => p.vendors);
  await putLatestInBatch(c.store, batch, 'listing', listings);
  await putLatestInBatch(c.store, batch, 'vendor', vendors);
  await recordSightingsInBatch(c.store, batch, parsed, snapshots);
  const addresses: Address[] = [];
  for (const x of [...listings, ...vendors]) addresses.push(...(x.addresses ?? []));
  await batch.intern(addresses);
  return { listings, vendors };
}

/** Options of {@link parseArchive}. */
export interface ParseArchiveOptions extends AssignSnapshotsOptions {
  /** only this market's retrievals (the crawl's market id) */
  readonly market?: string;
  /** onion host → profile id, for retrievals of hosts no shipped profile lists */
  readonly markets?: ReadonlyMap<string, string>;
  /** retrievals parsed per atomic batch (default 250) */
  readonly batchSize?: number;
}

/** What {@link parseArchive} did. */
export interface ArchiveParse {
  /** retrievals parsed and recorded in a snapshot */
  readonly pages: number;
  /** distinct listings and vendors read */
  readonly listings: number;
  readonly vendors: number;
  /** the snapshots they fell in */
  readonly snapshots: readonly MarketSnapshot[];
  /** retrievals of hosts with no profile, left alone */
  readonly unknownHost: number;
}

/**
 * Parses the archived retrievals no snapshot holds yet (all markets, or `market`) with the
 * shipped profiles, and records listings, vendors, snapshots and sightings. Running it again
 * finds nothing new; a crawl of the same market later is recorded as its next snapshot.
 */
export async function parseArchive(c: Case, options: ParseArchiveOptions = {}): Promise<ArchiveParse> {
  const profileOf = profileResolver(options.markets);
  const todo: { retrieval: PageRetrieval; profile: MarketProfile }[] = [];
  const recorded = new Map<string, Set<string>>();
  let unknownHost = 0;
  for await (const { retrieval } of archivedPages(c, options.market === undefined ? {} : { market: options.market })) {
    const profile = profileOf(new URL(retrieval.finalUrl).hostname);
    if (!profile) {
      unknownHost++;
      continue;
    }
    let done = recorded.get(profile.id);
    if (!done) recorded.set(profile.id, (done = await recordedRetrievals(c.store, profile.id)));
    if (!done.has(`${retrieval.url}\0${retrieval.retrievedAt}`)) todo.push({ retrieval, profile });
  }
  todo.sort((a, b) => (a.retrieval.retrievedAt < b.retrieval.retrievedAt ? -1 : a.retrieval.retrievedAt > b.retrieval.retrievedAt ? 1 : 0));
  const { ids, snapshots } = await snapshotsFor(c, todo.map((t) => ({ market: t.profile.id, at: t.retrieval.retrievedAt })), options);
  const parser = new SnapshotParser();
  const pages = c.store.collection('page');
  const size = options.batchSize ?? 250;
  const listings = new Set<string>();
  const vendors = new Set<string>();
  for (let i = 0; i < todo.length; i += size) {
    const parsed: PageSightings[] = [];
    for (const [j, { retrieval, profile }] of todo.slice(i, i + size).entries()) {
      const page = await pages.get(retrieval.sha256);
      if (!page) continue;
      const p = await parser.parse({ page: { ...page, finalUrl: retrieval.finalUrl }, url: retrieval.url, retrievedAt: retrieval.retrievedAt, profile });
      parsed.push({ market: profile.id, snapshot: ids[i + j], url: retrieval.url, retrievedAt: retrieval.retrievedAt, sha256: retrieval.sha256, ...p });
    }
    const written = await c.store.write((batch) => recordParsedInBatch(c, batch, parsed, snapshots));
    for (const l of written.listings) listings.add(l.id);
    for (const v of written.vendors) vendors.add(v.id);
  }
  return { pages: todo.length, listings: listings.size, vendors: vendors.size, snapshots, unknownHost };
}
