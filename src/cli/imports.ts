/**
 * Imports of evidence files: a page archive (JSON lines, optionally gzipped, one archived
 * response per line: url, finalUrl, status, headers, retrievedAt, identity, body) parsed with the
 * shipped market profiles, and a file of token transfers (JSON lines, values as decimal strings).
 * The demo imports the training case with them; `wildtrace pages import` and
 * `wildtrace transfers import` import an analyst's own files.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { Case } from '../case.js';
import type { Address, Listing, Page, Transfer, Vendor } from '../model/index.js';
import { InvalidInputError } from '../model/errors.js';
import { redactHeaders } from '../model/redact.js';
import { archiveInBatch } from '../../adapters/tor/archive.js';
import { MARKET_PROFILES, parseMarketPage, withHosts, type MarketProfile } from '../../adapters/markets/index.js';

async function jsonLines(file: string): Promise<string[]> {
  const bytes = await readFile(file);
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** What {@link importPages} did. */
export interface PagesImport {
  pages: number;
  listings: Listing[];
  vendors: Vendor[];
  /** lines that were not archived pages, with why */
  skipped: { line: number; reason: string }[];
}

/**
 * Archives the pages of `file` in the case (content-addressed by SHA-256) and parses each with
 * the profile of its market: `markets` maps onion host → profile id; without it, a page is
 * parsed by the shipped profile whose hosts include its host.
 */
export async function importPages(c: Case, file: string, markets: ReadonlyMap<string, string> = new Map()): Promise<PagesImport> {
  const lines = await jsonLines(file);
  const profiles = new Map<string, MarketProfile>();
  const profileFor = (host: string): MarketProfile | undefined => {
    const id = markets.get(host) ?? Object.entries(MARKET_PROFILES).find(([, p]) => p.hosts.includes(host))?.[0];
    if (!id || !MARKET_PROFILES[id]) return undefined;
    if (!profiles.has(host)) profiles.set(host, withHosts(MARKET_PROFILES[id], [host]));
    return profiles.get(host);
  };
  const result: PagesImport = { pages: 0, listings: [], vendors: [], skipped: [] };
  for (let i = 0; i < lines.length; i += 250) {
    const chunk: { page: Page; host: string }[] = [];
    lines.slice(i, i + 250).forEach((line, k) => {
      try {
        const raw = JSON.parse(line) as Omit<Page, 'body' | 'sha256'> & { body: string };
        if (typeof raw.url !== 'string' || typeof raw.body !== 'string') throw new InvalidInputError('needs url and body');
        const body = new TextEncoder().encode(raw.body);
        const page: Page = { url: raw.url, finalUrl: raw.finalUrl ?? raw.url, status: raw.status ?? 200, headers: redactHeaders(raw.headers ?? {}), retrievedAt: raw.retrievedAt, identity: raw.identity ?? 'import', body, sha256: createHash('sha256').update(body).digest('hex') };
        chunk.push({ page, host: new URL(page.finalUrl).hostname });
      } catch (err) {
        result.skipped.push({ line: i + k + 1, reason: (err as Error).message });
      }
    });
    const parsed: { listings: Listing[]; vendors: Vendor[] } = { listings: [], vendors: [] };
    for (const { page, host } of chunk) {
      const profile = profileFor(host);
      if (!profile) continue;
      const p = await parseMarketPage(page, profile);
      parsed.listings.push(...p.listings);
      parsed.vendors.push(...p.vendors);
    }
    await c.store.write(async (batch) => {
      for (const { page, host } of chunk) await archiveInBatch(c, batch, page, page.url, markets.get(host));
      const addresses: Address[] = [];
      for (const l of parsed.listings) {
        batch.put('listing', l.id, l);
        addresses.push(...(l.addresses ?? []));
      }
      for (const v of parsed.vendors) {
        batch.put('vendor', v.id, v);
        addresses.push(...(v.addresses ?? []));
      }
      await batch.intern(addresses);
    });
    result.pages += chunk.length;
    result.listings.push(...parsed.listings);
    result.vendors.push(...parsed.vendors);
  }
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
