/**
 * The pure parts of snapshots and trends: exact decimals, snapshot assignment by retrieval gaps,
 * following listings across snapshots (same id, or the vendor's re-post with a near-identical
 * title), rate files, periods.
 */
import { describe, expect, it } from 'vitest';
import {
  assignSnapshots,
  compareDecimal,
  formatDecimal,
  matchListings,
  medianDecimal,
  multiplyDecimal,
  parseRatesCsv,
  periodOf,
  readDecimal,
  roundDecimal,
  trackEvents,
  UsdRateTable,
  type ListingSighting,
  type MarketSnapshot,
} from '../../src/index.js';

const d = (s: string) => readDecimal(s)!;

describe('exact decimals', () => {
  it('reads decimal strings and refuses anything else', () => {
    expect(d('1250.00')).toEqual({ units: 125000n, scale: 2 });
    expect(d('0.0425')).toEqual({ units: 425n, scale: 4 });
    expect(d('.5')).toEqual({ units: 5n, scale: 1 });
    expect(d('-3')).toEqual({ units: -3n, scale: 0 });
    for (const bad of ['', '.', '1e5', '1,250.00', 'abc', '1.2.3', '0x10', ' - 1']) expect(readDecimal(bad), bad).toBeUndefined();
  });

  it('compares, multiplies and rounds exactly (no float error)', () => {
    expect(compareDecimal(d('0.1'), d('0.10'))).toBe(0);
    expect(compareDecimal(d('0.0024'), d('0.024'))).toBeLessThan(0);
    // 0.1 × 3 is 0.3, not 0.30000000000000004
    expect(formatDecimal(multiplyDecimal(d('0.1'), d('3')))).toBe('0.3');
    expect(formatDecimal(multiplyDecimal(d('0.0024'), d('60000')))).toBe('144.0000');
    expect(formatDecimal(roundDecimal(d('2.345'), 2))).toBe('2.35');
    expect(formatDecimal(roundDecimal(d('-2.345'), 2))).toBe('-2.35');
    expect(formatDecimal(roundDecimal(d('2.344'), 2))).toBe('2.34');
    expect(formatDecimal(roundDecimal(d('7'), 2))).toBe('7.00');
    expect(formatDecimal(d('0.05'))).toBe('0.05');
  });

  it('medians: middle value, or the exact mean of the two middle ones', () => {
    expect(medianDecimal([])).toBeUndefined();
    expect(formatDecimal(medianDecimal([d('3.00'), d('1.00'), d('2.00')])!)).toBe('2.00');
    expect(formatDecimal(medianDecimal([d('10.00'), d('10.01')])!)).toBe('10.005');
    expect(formatDecimal(medianDecimal([d('10.00'), d('12.00')])!)).toBe('11.00');
    expect(formatDecimal(medianDecimal([d('0.0024'), d('0.36'), d('0.0602'), d('0.0138')])!)).toBe('0.0370');
  });
});

describe('snapshots: one crawl of a market is a run of retrievals without a pause longer than the gap', () => {
  const at = (market: string, times: string[]) => times.map((t) => ({ market, at: t }));

  it('splits at gaps longer than 12 hours, per market; ids are the first retrieval time', () => {
    const r = [
      ...at('aurora', ['2026-01-05T09:00:00Z', '2026-01-05T11:59:00Z', '2026-01-05T22:00:00Z', '2026-02-02T09:00:00Z', '2026-02-02T09:30:00Z']),
      ...at('pangolin', ['2026-01-05T09:10:00Z', '2026-03-01T00:00:00Z']),
    ];
    const a = assignSnapshots(r, []);
    expect(a.ids).toEqual([
      '2026-01-05T09:00:00.000Z', '2026-01-05T09:00:00.000Z', '2026-01-05T09:00:00.000Z', '2026-02-02T09:00:00.000Z', '2026-02-02T09:00:00.000Z',
      '2026-01-05T09:10:00.000Z', '2026-03-01T00:00:00.000Z',
    ]);
    expect(a.snapshots).toEqual([
      { market: 'aurora', id: '2026-01-05T09:00:00.000Z', from: '2026-01-05T09:00:00.000Z', to: '2026-01-05T22:00:00.000Z' },
      { market: 'aurora', id: '2026-02-02T09:00:00.000Z', from: '2026-02-02T09:00:00.000Z', to: '2026-02-02T09:30:00.000Z' },
      { market: 'pangolin', id: '2026-01-05T09:10:00.000Z', from: '2026-01-05T09:10:00.000Z', to: '2026-01-05T09:10:00.000Z' },
      { market: 'pangolin', id: '2026-03-01T00:00:00.000Z', from: '2026-03-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' },
    ]);
  });

  it('joins a retrieval to a snapshot already in the case when within the gap (a resumed crawl), in any input order', () => {
    const existing: MarketSnapshot[] = [{ market: 'aurora', id: 'crawl-1', from: '2026-01-05T09:00:00.000Z', to: '2026-01-05T10:00:00.000Z' }];
    const a = assignSnapshots(at('aurora', ['2026-02-02T09:00:00Z', '2026-01-05T20:00:00Z']), existing);
    expect(a.ids).toEqual(['2026-02-02T09:00:00.000Z', 'crawl-1']);
    expect(a.snapshots[0]).toEqual({ market: 'aurora', id: 'crawl-1', from: '2026-01-05T09:00:00.000Z', to: '2026-01-05T20:00:00.000Z' });
  });

  it('a label puts every retrieval into one snapshot; bad times and labels are typed errors', () => {
    expect(assignSnapshots(at('m', ['2026-01-01T00:00:00Z', '2026-01-09T00:00:00Z']), [], { label: 'January crawl' }).ids).toEqual(['January crawl', 'January crawl']);
    expect(() => assignSnapshots(at('m', ['yesterday']), [])).toThrow(expect.objectContaining({ code: 'SNAPSHOT_BAD_TIME' }));
    expect(() => assignSnapshots(at('m', [undefined as unknown as string]), [])).toThrow(expect.objectContaining({ code: 'SNAPSHOT_BAD_TIME' }));
    expect(() => assignSnapshots([], [], { label: 'a\0b' })).toThrow(expect.objectContaining({ code: 'SNAPSHOT_BAD_LABEL' }));
  });
});

describe('following listings across snapshots', () => {
  const snaps: MarketSnapshot[] = ['2026-01-05', '2026-02-02', '2026-03-02', '2026-04-06'].map((day) => ({ market: 'm', id: day, from: `${day}T09:00:00.000Z`, to: `${day}T10:00:00.000Z` }));
  const sight = (snapshot: string, listingId: string, title: string, vendorId: string, price = '10.00'): ListingSighting => ({
    listingId: `m/${listingId}`, market: 'm', snapshot, seenAt: `${snapshot}T09:30:00.000Z`, sha256: `${snapshot}:${listingId}`, title, vendorId: `m/${vendorId}`, price, currency: 'USD',
  });

  it('same id, or a new id of the same vendor with a near-identical title while the old one is gone; changes between snapshots', () => {
    const sightings = [
      sight('2026-01-05', '1', 'Rhino horn powder 10g', 'A'),
      sight('2026-01-05', '2', 'Carved ivory bangle', 'A'),
      sight('2026-01-05', '3', 'Pangolin scales 500g', 'B'),
      sight('2026-02-02', '1', 'Rhino horn powder 10g', 'A', '12.00'), // price change
      sight('2026-02-02', '2', 'Carved ivory bangle', 'B'), // vendor move
      // 3 is gone; 4 is new
      sight('2026-02-02', '4', 'Leopard pelt', 'B'),
      // 1 is gone and re-posted by A as 9 with a near-identical title: the same listing
      sight('2026-03-02', '9', 'Rhino horn powder, 10 g', 'A', '12.00'),
      sight('2026-03-02', '2', 'Carved ivory bangle', 'B'),
      // 3's title again, but by another vendor: a new listing
      sight('2026-03-02', '5', 'Pangolin scales 500g', 'C'),
      sight('2026-04-06', '9', 'Rhino horn powder, 10 g', 'A', '12.00'),
      sight('2026-04-06', '4', 'Leopard pelt', 'B'), // 4 comes back after a gap
    ];
    const [tl] = matchListings(snaps, sightings);
    expect(tl.tracks.map((t) => [t.id, t.listingIds.join(' '), t.sightings.map((s) => (s ? 'x' : '.')).join('')])).toEqual([
      ['m/1', 'm/1 m/9', 'xxxx'],
      ['m/2', 'm/2', 'xxx.'],
      ['m/3', 'm/3', 'x...'],
      ['m/4', 'm/4', '.x.x'],
      ['m/5', 'm/5', '..x.'],
    ]);
    const events = trackEvents(tl).map((e) => `${e.snapshot.id} ${e.kind} ${e.track.id}`);
    expect(events).toEqual([
      '2026-02-02 price m/1',
      '2026-02-02 vendor m/2',
      '2026-02-02 removed m/3',
      '2026-02-02 appeared m/4',
      '2026-03-02 removed m/4',
      '2026-03-02 appeared m/5',
      '2026-04-06 removed m/2',
      '2026-04-06 appeared m/4',
      '2026-04-06 removed m/5',
    ]);
    // the title rule off: the re-post is a new listing
    const [off] = matchListings(snaps, sightings, { titleSimilarity: 2 });
    expect(off.tracks.map((t) => t.id)).toEqual(['m/1', 'm/2', 'm/3', 'm/4', 'm/5', 'm/9']);
  });
});

describe('rates and periods', () => {
  it('reads a rate file, skipping bad rows with their line and reason; converts with the rate on or before the day', () => {
    const r = parseRatesCsv('currency,date,usd\nBTC,2026-01-01,42000\nbtc,2026-03-01,60000\nEUR,2026-01-01,1.08\nXMR,someday,150\nEUR,2026-02-01,-1\n');
    expect(r.rates).toHaveLength(3);
    expect(r.skipped).toEqual([
      { line: 5, reason: 'date "someday" is not YYYY-MM-DD' },
      { line: 6, reason: 'usd "-1" is not a positive decimal number' },
    ]);
    const t = new UsdRateTable(r.rates);
    expect(formatDecimal(t.toUsd('0.5', 'BTC', '2026-02-15T00:00:00Z')!)).toBe('21000.0');
    expect(formatDecimal(t.toUsd('0.5', 'BTC', '2026-03-01T00:00:00Z')!)).toBe('30000.0');
    expect(t.toUsd('0.5', 'BTC', '2025-12-31T00:00:00Z')).toBeUndefined();
    expect(formatDecimal(t.toUsd('12.50', 'usd', '2020-01-01T00:00:00Z')!)).toBe('12.50');
    expect(t.toUsd('1', 'XMR', '2026-03-01T00:00:00Z')).toBeUndefined();
    expect(() => parseRatesCsv('day,cur,rate\n')).toThrow(expect.objectContaining({ code: 'RATES_BAD_HEADER' }));
  });

  it('periods: day, ISO week, month, quarter (UTC)', () => {
    expect(periodOf('2026-03-02T09:00:00.000Z', 'day')).toBe('2026-03-02');
    expect(periodOf('2026-03-02T09:00:00.000Z', 'month')).toBe('2026-03');
    expect(periodOf('2026-03-02T09:00:00.000Z', 'quarter')).toBe('2026-Q1');
    expect(periodOf('2026-03-02T09:00:00.000Z', 'week')).toBe('2026-W10');
    // ISO weeks across the year boundary: 2026-01-01 is a Thursday (week 1); 2027-01-01 a Friday (2026-W53)
    expect(periodOf('2026-01-01T00:00:00Z', 'week')).toBe('2026-W01');
    expect(periodOf('2027-01-01T00:00:00Z', 'week')).toBe('2026-W53');
    expect(periodOf('2024-12-30T00:00:00Z', 'week')).toBe('2025-W01');
  });
});
