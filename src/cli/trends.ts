/**
 * The trend tables of a case (src/report/trends.ts) from what the store holds: the snapshots and
 * sightings, the wildlife detected in the listings, the vendor persons and the rate table; and
 * the files `wildtrace trends` writes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Case } from '../case.js';
import type { PersonLike } from '../flow/wildlife-flags.js';
import type { Listing, Vendor } from '../model/market.js';
import { readRates, UsdRateTable } from '../market/rates.js';
import { readSnapshotData } from '../market/sightings.js';
import { buildTrends, TREND_GROUPINGS, type TrendGrouping, type TrendOptions, type TrendReport } from '../report/trends.js';
import { paymentsCsv, snapshotsCsv, tracksCsv, trendsJson, trendTableCsv } from '../report/trends-export.js';
import { detectWildlifeListings, type WildlifeListingScan } from '../wildlife/scan-listings.js';
import { tradeGroups, type TradeGroups } from '../wildlife/trade-groups.js';
import { linkVendorPersons } from './persons.js';

/** What {@link caseTrends} can reuse from an analysis already run. */
export interface TrendInputs {
  readonly scan?: WildlifeListingScan;
  readonly persons?: readonly PersonLike[];
  readonly listings?: readonly Listing[];
  readonly vendors?: readonly Vendor[];
}

/**
 * The trend report of case `c`, or `undefined` when the case holds no snapshot (pages imported
 * before wildtrace recorded snapshots: `wildtrace pages parse` records them from the archive).
 */
export async function caseTrends(c: Case, options: TrendOptions = {}, inputs: TrendInputs = {}): Promise<TrendReport | undefined> {
  const data = await readSnapshotData(c.store);
  if (data.snapshots.length === 0) return undefined;
  const listings = inputs.listings ?? (await c.all('listing'));
  const scan = inputs.scan ?? detectWildlifeListings(listings);
  const persons = inputs.persons ?? linkVendorPersons(inputs.vendors ?? (await c.all('vendor')), listings);
  const wildlife = new Map<string, TradeGroups>();
  for (const [id, matches] of scan.matches) wildlife.set(id, tradeGroups(matches));
  const personOf = new Map<string, string>();
  for (const p of persons) for (const v of p.vendorIds) personOf.set(v, p.id);
  const rates = await readRates(c.store);
  return buildTrends({ ...data, wildlife, personOf, ...(rates.length ? { rates: new UsdRateTable(rates) } : {}) }, options);
}

/** What `wildtrace trends --by` accepts: a grouping, or one of the side tables. */
export type TrendSelection = TrendGrouping | 'payments' | 'tracks' | 'snapshots';

/** Every selection `--by` accepts. */
export const TREND_SELECTIONS: readonly TrendSelection[] = [...TREND_GROUPINGS, 'payments', 'tracks', 'snapshots'];

/** One selection of a trend report as CSV or JSON text. */
export function trendText(report: TrendReport, by: TrendSelection, format: 'csv' | 'json'): string {
  const { period, scope, snapshots } = report;
  switch (by) {
    case 'payments':
      return format === 'csv' ? paymentsCsv(report.payments) : trendsJson({ period, scope, snapshots, payments: report.payments });
    case 'tracks':
      return format === 'csv' ? tracksCsv(report.tracks) : trendsJson({ period, scope, snapshots, tracks: report.tracks });
    case 'snapshots':
      return format === 'csv' ? snapshotsCsv(report) : trendsJson({ snapshots });
    default:
      return format === 'csv' ? trendTableCsv(report.tables[by]) : trendsJson(report.tables[by]);
  }
}

/** Writes every table of `report` into `dir` as `trends-<table>.csv` and `.json`, and `trends.json` (all of it). Returns the files. */
export async function writeTrendFiles(report: TrendReport, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const by of TREND_SELECTIONS) {
    for (const format of ['csv', 'json'] as const) {
      const file = path.join(dir, `trends-${by}.${format}`);
      await writeFile(file, trendText(report, by, format));
      files.push(file);
    }
  }
  const whole = path.join(dir, 'trends.json');
  await writeFile(whole, trendsJson(report));
  files.push(whole);
  return files;
}
