/**
 * Listings followed across the snapshots of a market: which sightings are the same listing.
 *
 *   rule: two sightings in different snapshots of one market are the same listing (one track)
 *         when they have the same listing id; or when a listing id seen for the first time has
 *         the same vendor as a track that is absent from that snapshot and a near-identical
 *         title (Jaro-Winkler ≥ 0.95 of the normalised titles: NFKC, lower case, runs of
 *         anything but letters and digits as one space) — a vendor that re-posts an offer under
 *         a new id. Candidates are paired best similarity first, one to one; ties go to the
 *         older track, then the smaller listing id.
 *
 * From the tracks follow the changes between consecutive snapshots k−1 → k of a market:
 * `appeared` (in k, not in k−1), `removed` (in k−1, not in k), `price` (price or currency differ)
 * and `vendor` (vendor id differs). The first snapshot of a market is its baseline: nothing
 * appears in it.
 */
import type { ListingSighting, MarketSnapshot } from '../model/snapshot.js';
import { jaroWinkler } from './linking/handle.js';
import { sortSnapshots } from './snapshots.js';

/** Titles at least this similar (Jaro-Winkler of normal forms) are near-identical. */
export const TITLE_SIMILARITY = 0.95;

/** One listing followed through the snapshots of its market. */
export interface ListingTrack {
  /** the first listing id it was seen under (stable: the track's id) */
  readonly id: string;
  readonly market: string;
  /** every listing id it was seen under, in the order first seen */
  readonly listingIds: readonly string[];
  /** its sighting in each snapshot of the market, by snapshot index; `undefined` where absent */
  readonly sightings: readonly (ListingSighting | undefined)[];
}

/** The snapshots of one market and the listings followed through them. */
export interface MarketTimeline {
  readonly market: string;
  /** by date */
  readonly snapshots: readonly MarketSnapshot[];
  readonly tracks: readonly ListingTrack[];
}

/** A change between two consecutive snapshots of a market. */
export interface TrackEvent {
  readonly kind: 'appeared' | 'removed' | 'price' | 'vendor';
  readonly track: ListingTrack;
  /** index (in the market's timeline) of the snapshot where the change was seen */
  readonly index: number;
  readonly snapshot: MarketSnapshot;
  /** the sighting showing it: in `snapshot`, or for `removed` the last one before it */
  readonly sighting: ListingSighting;
  /** the sighting in the snapshot before (price and vendor changes) */
  readonly previous?: ListingSighting;
}

/** Options of {@link matchListings}. */
export interface MatchListingsOptions {
  /** title similarity for a re-posted listing (default {@link TITLE_SIMILARITY}); above 1 turns the title rule off */
  readonly titleSimilarity?: number;
}

/** The normal form of a listing title the title rule compares. */
export function normaliseTitle(title: string): string {
  return title.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

interface MutableTrack {
  id: string;
  market: string;
  listingIds: string[];
  sightings: (ListingSighting | undefined)[];
  last: ListingSighting;
  order: number;
}

/**
 * Follows the listings of every market through its snapshots (see the rule at the top). Sightings
 * of snapshots not in `snapshots` are ignored. Pure and deterministic.
 */
export function matchListings(snapshots: readonly MarketSnapshot[], sightings: readonly ListingSighting[], options: MatchListingsOptions = {}): MarketTimeline[] {
  const threshold = options.titleSimilarity ?? TITLE_SIMILARITY;
  // normal forms only where the title rule compares them, once per distinct title
  const normal = new Map<string, string>();
  const normalOf = (title: string): string => {
    let n = normal.get(title);
    if (n === undefined) normal.set(title, (n = normaliseTitle(title)));
    return n;
  };
  const byMarket = new Map<string, MarketSnapshot[]>();
  for (const s of sortSnapshots(snapshots)) {
    const list = byMarket.get(s.market);
    if (list) list.push(s);
    else byMarket.set(s.market, [s]);
  }
  const seen = new Map<string, ListingSighting[]>();
  for (const s of sightings) {
    const k = `${s.market}\0${s.snapshot}`;
    let list = seen.get(k);
    if (!list) seen.set(k, (list = []));
    list.push(s);
  }
  const out: MarketTimeline[] = [];
  for (const [market, snaps] of byMarket) {
    const tracks: MutableTrack[] = [];
    const trackOf = new Map<string, MutableTrack>();
    snaps.forEach((snap, k) => {
      const here = (seen.get(`${market}\0${snap.id}`) ?? []).slice().sort((a, b) => (a.listingId < b.listingId ? -1 : a.listingId > b.listingId ? 1 : 0));
      const fresh: ListingSighting[] = [];
      for (const s of here) {
        const t = trackOf.get(s.listingId);
        if (t) place(t, s, k);
        else fresh.push(s);
      }
      // the title rule: new ids against tracks of the same vendor that are absent here
      const pairs: { s: ListingSighting; t: MutableTrack; sim: number }[] = [];
      if (threshold <= 1 && fresh.length > 0) {
        const absent = new Map<string, MutableTrack[]>();
        for (const t of tracks) {
          if (t.sightings[k] !== undefined || t.last.vendorId === undefined) continue;
          const list = absent.get(t.last.vendorId);
          if (list) list.push(t);
          else absent.set(t.last.vendorId, [t]);
        }
        for (const s of fresh) {
          if (s.vendorId === undefined) continue;
          const norm = normalOf(s.title);
          for (const t of absent.get(s.vendorId) ?? []) {
            const sim = jaroWinkler(norm, normalOf(t.last.title));
            if (sim >= threshold) pairs.push({ s, t, sim });
          }
        }
        pairs.sort((a, b) => b.sim - a.sim || a.t.order - b.t.order || (a.s.listingId < b.s.listingId ? -1 : a.s.listingId > b.s.listingId ? 1 : 0));
      }
      const taken = new Set<MutableTrack>();
      const matched = new Set<ListingSighting>();
      for (const { s, t } of pairs) {
        if (taken.has(t) || matched.has(s)) continue;
        taken.add(t);
        matched.add(s);
        t.listingIds.push(s.listingId);
        trackOf.set(s.listingId, t);
        place(t, s, k);
      }
      for (const s of fresh) {
        if (matched.has(s)) continue;
        const t: MutableTrack = { id: s.listingId, market, listingIds: [s.listingId], sightings: [], last: s, order: tracks.length };
        tracks.push(t);
        trackOf.set(s.listingId, t);
        place(t, s, k);
      }
    });
    out.push({
      market,
      snapshots: snaps,
      tracks: tracks.map((t) => ({ id: t.id, market, listingIds: t.listingIds, sightings: Array.from({ length: snaps.length }, (_, k) => t.sightings[k]) })),
    });
  }
  return out;
}

function place(t: MutableTrack, s: ListingSighting, k: number): void {
  t.sightings[k] = s;
  t.last = s;
}

/** The changes between consecutive snapshots of a timeline, by snapshot, then track order. */
export function trackEvents(timeline: MarketTimeline): TrackEvent[] {
  const out: TrackEvent[] = [];
  for (let k = 1; k < timeline.snapshots.length; k++) {
    const snapshot = timeline.snapshots[k];
    for (const track of timeline.tracks) {
      const now = track.sightings[k];
      const before = track.sightings[k - 1];
      if (now && !before) out.push({ kind: 'appeared', track, index: k, snapshot, sighting: now });
      else if (!now && before) out.push({ kind: 'removed', track, index: k, snapshot, sighting: before });
      else if (now && before) {
        if (now.price !== before.price || now.currency !== before.currency) out.push({ kind: 'price', track, index: k, snapshot, sighting: now, previous: before });
        if (now.vendorId !== before.vendorId) out.push({ kind: 'vendor', track, index: k, snapshot, sighting: now, previous: before });
      }
    }
  }
  return out;
}

/** The first and last snapshot a track was seen in, and whether it is gone from the latest one. */
export function trackSpan(timeline: MarketTimeline, track: ListingTrack): { first: MarketSnapshot; last: MarketSnapshot; removed: boolean } {
  let first = -1;
  let last = -1;
  track.sightings.forEach((s, k) => {
    if (s === undefined) return;
    if (first < 0) first = k;
    last = k;
  });
  return { first: timeline.snapshots[first], last: timeline.snapshots[last], removed: last < timeline.snapshots.length - 1 };
}
