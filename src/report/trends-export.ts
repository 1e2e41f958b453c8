/**
 * CSV and JSON of the trend tables (src/report/trends.ts), for a national report's annex.
 *
 * CSV: RFC 4180 (comma, CRLF, fields with a comma, quote or line break quoted, quotes doubled), a
 * header row, one row per table row. Each row carries the dates of the snapshots of its period,
 * the number of archived pages behind its figures and their SHA-256 list (space-separated), so a
 * reader can audit every figure against the case's page archive. A cell that a spreadsheet would
 * run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) is prefixed with `'`: scraped
 * text must not execute.
 *
 * JSON: the same data with sorted keys (byte-identical for the same case).
 */
import { toJsonValue } from '../model/json.js';
import { formatPriceMedians, type PaymentRow, type TrackSummary, type TrendReport, type TrendTable } from './trends.js';

/** One CSV cell: neutralised against formula injection and quoted when needed. */
export function csvCell(value: string | number | undefined): string {
  let s = value === undefined ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(header: readonly string[], rows: readonly (readonly (string | number | undefined)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** A trend table as CSV. */
export function trendTableCsv(table: TrendTable): string {
  const snapshotsOf = new Map(table.periods.map((p) => [p.period, p.snapshots.map((s) => `${s.market} ${s.date}`).join('; ')]));
  const header = [
    'period',
    table.by,
    ...(table.by === 'taxon' ? ['cites_appendix'] : []),
    ...(table.by === 'route' ? ['ships_from', 'ships_to'] : []),
    'snapshots',
    'active',
    'new',
    'removed',
    'price_changes',
    'vendor_changes',
    'median_prices',
    'median_usd',
    'usd_listings',
    'vendors',
    'snapshot_dates',
    'pages',
    'page_sha256',
  ];
  return csv(
    header,
    table.rows.map((r) => [
      r.period,
      r.key,
      ...(table.by === 'taxon' ? [r.appendix ?? ''] : []),
      ...(table.by === 'route' ? [r.from, r.to] : []),
      r.snapshots,
      r.active,
      r.new,
      r.removed,
      r.priceChanges,
      r.vendorChanges,
      formatPriceMedians(r.prices),
      r.medianUsd,
      r.usdListings,
      r.vendors,
      snapshotsOf.get(r.period),
      r.pages,
      r.sha256.join(' '),
    ]),
  );
}

/** The payment mix (address types by period) as CSV. */
export function paymentsCsv(rows: readonly PaymentRow[]): string {
  return csv(['period', 'address_type', 'addresses', 'vendors', 'pages', 'page_sha256'], rows.map((r) => [r.period, r.type, r.addresses, r.vendors, r.pages, r.sha256.join(' ')]));
}

/** The followed listings as CSV: one row per listing and snapshot it was seen in. */
export function tracksCsv(tracks: readonly TrackSummary[]): string {
  return csv(
    ['listing', 'market', 'listing_ids', 'title', 'categories', 'first_seen', 'last_seen', 'removed', 'snapshot_date', 'price', 'currency', 'vendor', 'page_sha256'],
    tracks.flatMap((t) => t.history.map((h) => [t.id, t.market, t.listingIds.join(' '), t.title, t.categories.join(' '), t.firstSeen, t.lastSeen, t.removed, h.date, h.price, h.currency, h.vendor, h.sha256])),
  );
}

/** The snapshots behind the tables as CSV. */
export function snapshotsCsv(report: TrendReport): string {
  return csv(['market', 'snapshot', 'date', 'last_retrieval', 'pages', 'listings'], report.snapshots.map((s) => [s.market, s.id, s.date, s.to, s.pages, s.listings]));
}

/** A trend table, the whole trend report or a part of it, as stable JSON (sorted keys, two-space indent). */
export function trendsJson(value: TrendTable | TrendReport | Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(toJsonValue(value), null, 2)}\n`;
}
