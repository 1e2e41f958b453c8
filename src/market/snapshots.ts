/**
 * Which crawl of a market a retrieved page belongs to.
 *
 *   rule: the retrievals of one market, in time order, form one snapshot as long as no two
 *         consecutive retrievals are more than `gapMs` apart (default 12 hours); a longer gap
 *         starts a new snapshot, whose id is the ISO-8601 time of its first retrieval.
 *
 * A retrieval within `gapMs` of a snapshot the case already holds joins it (a crawl resumed, an
 * archive imported in two files); snapshots already in the case are extended, never merged or
 * renamed. An explicit `label` puts every retrieval of the call into the snapshot of that id
 * (per market), for a crawl that was interrupted for longer than the gap.
 *
 * A snapshot is dated by its first retrieval (`from`). A crawl that reached only part of a market
 * is still a snapshot: listings it did not reach look removed, so compare complete crawls.
 */
import { InvalidInputError } from '../model/errors.js';
import type { MarketSnapshot } from '../model/snapshot.js';

/** Default gap between two crawls of a market: 12 hours. */
export const SNAPSHOT_GAP_MS = 12 * 3600 * 1000;

/** Options of {@link assignSnapshots}. */
export interface AssignSnapshotsOptions {
  /** longest pause inside one crawl, in ms (default {@link SNAPSHOT_GAP_MS}) */
  readonly gapMs?: number;
  /** put every retrieval into the snapshot of this id instead (per market) */
  readonly label?: string;
}

/** One retrieval to place: its market and ISO-8601 time. */
export interface TimedRetrieval {
  readonly market: string;
  readonly at: string;
}

/** What {@link assignSnapshots} decided. */
export interface SnapshotAssignment {
  /** the snapshot id of each retrieval, in input order */
  readonly ids: readonly string[];
  /** the snapshots the retrievals fell in, new or extended, by market then `from` */
  readonly snapshots: readonly MarketSnapshot[];
}

/** Milliseconds since the epoch of an ISO-8601 time; throws a clear error on anything else. */
export function timeOf(iso: string): number {
  const t = typeof iso === 'string' && /^\d{4}-\d\d-\d\dT/.test(iso) ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) throw new InvalidInputError(`retrievedAt ${JSON.stringify(iso)} is not an ISO-8601 date-time (e.g. 2026-03-02T09:00:00Z)`, { code: 'SNAPSHOT_BAD_TIME' });
  return t;
}

/** Checks a snapshot label: non-empty, printable, no NUL (it is part of store keys). */
export function checkSnapshotLabel(label: string): string {
  if (typeof label !== 'string' || label.trim() === '' || label.length > 100 || [...label].some((ch) => ch.charCodeAt(0) < 0x20)) {
    throw new InvalidInputError(`snapshot label ${JSON.stringify(label)} must be 1–100 printable characters`, { code: 'SNAPSHOT_BAD_LABEL' });
  }
  return label;
}

interface Span {
  id: string;
  from: number;
  to: number;
  touched: boolean;
}

/**
 * Assigns each retrieval to a snapshot of its market (see the rule at the top of this file).
 * `existing` are the snapshots already in the case. Pure: it writes nothing.
 */
export function assignSnapshots(retrievals: readonly TimedRetrieval[], existing: readonly MarketSnapshot[], options: AssignSnapshotsOptions = {}): SnapshotAssignment {
  const gap = options.gapMs ?? SNAPSHOT_GAP_MS;
  if (!(gap >= 0)) throw new InvalidInputError(`the snapshot gap must be a number of ms ≥ 0, got ${gap}`, { code: 'SNAPSHOT_BAD_GAP' });
  const label = options.label === undefined ? undefined : checkSnapshotLabel(options.label);
  const times = retrievals.map((r) => timeOf(r.at));
  const spans = new Map<string, Span[]>();
  const spansOf = (market: string): Span[] => {
    let list = spans.get(market);
    if (!list) {
      list = existing.filter((s) => s.market === market).map((s) => ({ id: s.id, from: timeOf(s.from), to: timeOf(s.to), touched: false }));
      spans.set(market, list);
    }
    return list;
  };
  const ids = new Array<string>(retrievals.length);
  const order = retrievals.map((_, i) => i).sort((a, b) => times[a] - times[b] || a - b);
  for (const i of order) {
    const { market } = retrievals[i];
    const t = times[i];
    const list = spansOf(market);
    let span: Span | undefined;
    if (label !== undefined) {
      span = list.find((s) => s.id === label);
      if (!span) list.push((span = { id: label, from: t, to: t, touched: true }));
    } else {
      // the nearest snapshot whose span, widened by the gap on both sides, holds t
      let best = Infinity;
      for (const s of list) {
        const d = t < s.from ? s.from - t : t > s.to ? t - s.to : 0;
        if (d <= gap && d < best) {
          best = d;
          span = s;
        }
      }
      if (!span) list.push((span = { id: new Date(t).toISOString(), from: t, to: t, touched: true }));
    }
    span.from = Math.min(span.from, t);
    span.to = Math.max(span.to, t);
    span.touched = true;
    ids[i] = span.id;
  }
  const snapshots: MarketSnapshot[] = [];
  for (const market of [...spans.keys()].sort()) {
    for (const s of spans.get(market)!.filter((x) => x.touched).sort((a, b) => a.from - b.from || (a.id < b.id ? -1 : 1))) {
      snapshots.push({ market, id: s.id, from: new Date(s.from).toISOString(), to: new Date(s.to).toISOString() });
    }
  }
  return { ids, snapshots };
}

/** Orders snapshots by market, then date (`from`), then id. */
export function sortSnapshots<T extends MarketSnapshot>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => (a.market < b.market ? -1 : a.market > b.market ? 1 : a.from < b.from ? -1 : a.from > b.from ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
