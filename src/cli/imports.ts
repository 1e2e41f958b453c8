/**
 * Imports of evidence files: a page archive (JSON lines, optionally gzip or Brotli, one archived
 * response per line: url, finalUrl, status, headers, retrievedAt, identity, body) parsed with the
 * shipped market profiles, and a file of token transfers (JSON lines, values as decimal strings).
 * The demo imports the training case with them; `wildtrace pages import` and
 * `wildtrace transfers import` import an analyst's own files.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { Case } from '../case.js';
import type { Listing, MarketSnapshot, Page, Transfer, Vendor } from '../model/index.js';
import { InvalidInputError } from '../model/errors.js';
import { redactHeaders } from '../model/redact.js';
import { archiveInBatch } from '../../adapters/tor/archive.js';
import type { MarketProfile } from '../../adapters/markets/index.js';
import { latestByKey, type PageSightings } from '../market/sightings.js';
import { timeOf, type AssignSnapshotsOptions } from '../market/snapshots.js';
import { profileResolver, recordParsedInBatch, SnapshotParser, snapshotsFor } from './record-pages.js';

/** The lines of a JSON-lines file: plain, gzip (by its magic bytes) or Brotli (by the `.br` extension; Brotli has no magic). */
async function jsonLines(file: string): Promise<string[]> {
  const bytes = await readFile(file);
  let raw: Uint8Array = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) raw = gunzipSync(bytes);
  else if (file.endsWith('.br')) {
    try {
      raw = brotliDecompressSync(bytes);
    } catch (err) {
      throw new InvalidInputError(`${file} is not a Brotli file (${(err as Error).message}); give a .jsonl, .jsonl.gz or .jsonl.br file`, { code: 'IMPORT_BAD_COMPRESSION', cause: err });
    }
  }
  return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8').split('\n').filter((l) => l.trim() !== '');
}

/** What {@link importPages} did. */
export interface PagesImport {
  /** pages archived */
  pages: number;
  /** the listings read, the latest version of each id */
  listings: Listing[];
  /** the vendors read, the latest version of each id */
  vendors: Vendor[];
  /** listing sightings read (one per listing and snapshot) */
  sightings: number;
  /** the snapshots the pages fell in (new ones, or ones already in the case that they extended) */
  snapshots: readonly MarketSnapshot[];
  /** lines that were not archived pages, with why */
  skipped: { line: number; reason: string }[];
}

/** Options of {@link importPages}: how pages fall into snapshots, and a parser to share between imports. */
export interface PagesImportOptions extends AssignSnapshotsOptions {
  /** reuse the parses of another import (crawls of one market repeat most pages byte for byte) */
  readonly parser?: SnapshotParser;
}

/** A line of a page archive, checked. */
type PageLine = Omit<Page, 'body' | 'sha256'> & { body: string };

/** A line checked, with the host of its final URL. */
function readPageLine(line: string): { raw: PageLine; host: string } {
  const raw = JSON.parse(line) as Partial<PageLine>;
  if (typeof raw.url !== 'string' || typeof raw.body !== 'string') throw new InvalidInputError('needs url and body');
  timeOf(raw.retrievedAt as string); // throws SNAPSHOT_BAD_TIME
  return { raw: raw as PageLine, host: new URL(raw.finalUrl ?? raw.url).hostname };
}

function archivedPage(raw: PageLine): Page {
  const body = new TextEncoder().encode(raw.body);
  return { url: raw.url, finalUrl: raw.finalUrl ?? raw.url, status: raw.status ?? 200, headers: redactHeaders(raw.headers ?? {}), retrievedAt: raw.retrievedAt, identity: raw.identity ?? 'import', body, sha256: createHash('sha256').update(body).digest('hex') };
}

/**
 * Archives the pages of `file` in the case (content-addressed by SHA-256) and parses each with
 * the profile of its market: `markets` maps onion host → profile id; without it, a page is
 * parsed by the shipped profile whose hosts include its host. Each page of a known market goes
 * into a snapshot of that market (src/market `assignSnapshots`: a crawl is a run of retrievals
 * without a pause longer than `options.gapMs`, or `options.label` for all of them), and its
 * listings and vendors are recorded as sightings of that snapshot, in the page's batch. The
 * `listing` and `vendor` collections keep the latest version of each record, whatever the order
 * of the lines or of the imports. A line needs `url`, `body` and an ISO-8601 `retrievedAt`.
 */
export async function importPages(c: Case, file: string, markets: ReadonlyMap<string, string> = new Map(), options: PagesImportOptions = {}): Promise<PagesImport> {
  const lines = await jsonLines(file);
  const profileOf = profileResolver(markets);
  const result: PagesImport = { pages: 0, listings: [], vendors: [], sightings: 0, snapshots: [], skipped: [] };
  // pass 1: check every line and place the pages of known markets in snapshots
  const valid: { raw: PageLine; host: string; profile?: MarketProfile }[] = [];
  lines.forEach((line, i) => {
    try {
      const { raw, host } = readPageLine(line);
      valid.push({ raw, host, profile: profileOf(host) });
    } catch (err) {
      result.skipped.push({ line: i + 1, reason: (err as Error).message });
    }
  });
  const placed = valid.filter((v) => v.profile !== undefined);
  const { ids, snapshots } = await snapshotsFor(c, placed.map((v) => ({ market: v.profile!.id, at: v.raw.retrievedAt })), options);
  const snapshotOf = new Map(placed.map((v, i) => [v, ids[i]]));
  result.snapshots = snapshots;
  // pass 2: archive, parse and record, one atomic batch per 250 pages
  const parser = options.parser ?? new SnapshotParser();
  const listings = new Map<string, Listing>();
  const vendors = new Map<string, Vendor>();
  for (let i = 0; i < valid.length; i += 250) {
    const chunk = valid.slice(i, i + 250).map((v) => ({ ...v, page: archivedPage(v.raw), snapshot: snapshotOf.get(v) }));
    const parsed: PageSightings[] = [];
    for (const { page, profile, snapshot } of chunk) {
      if (!profile || snapshot === undefined) continue;
      const p = await parser.parse({ page, url: page.url, retrievedAt: page.retrievedAt, profile });
      parsed.push({ market: profile.id, snapshot, url: page.url, retrievedAt: page.retrievedAt, sha256: page.sha256, ...p });
    }
    await c.store.write(async (batch) => {
      for (const { page, host } of chunk) await archiveInBatch(c, batch, page, page.url, markets.get(host));
      await recordParsedInBatch(c, batch, parsed, snapshots);
    });
    result.pages += chunk.length;
    for (const p of parsed) {
      result.sightings += p.listings.length;
      latestByKey(p.listings.map((l) => [l.id, l]), listings);
      latestByKey(p.vendors.map((v) => [v.id, v]), vendors);
    }
  }
  result.listings = [...listings.values()];
  result.vendors = [...vendors.values()];
  return result;
}

/** Stores the transfers of `file` (JSON lines of model `Transfer`s, `value` as a decimal string). */
export async function importTransfers(c: Case, file: string): Promise<Transfer[]> {
  const list: Transfer[] = (await jsonLines(file)).map((l, i) => {
    const t = JSON.parse(l) as Transfer & { value: string };
    if (!/^\d+$/.test(String(t.value)) || typeof t.from !== 'string' || typeof t.to !== 'string' || typeof t.txHash !== 'string') {
      throw new InvalidInputError(`${file} line ${i + 1}: a transfer needs from, to, txHash and a decimal value`, { code: 'TRANSFER_BAD_RECORD' });
    }
    return { ...t, value: BigInt(t.value) };
  });
  await c.store.write(async (batch) => {
    await batch.intern(list.flatMap((t) => [{ chain: t.chain, address: t.from }, { chain: t.chain, address: t.to }]));
    for (const t of list) batch.put('transfer', `${t.txHash}:${t.kind}:${t.index ?? 0}`, t);
  });
  return list;
}
