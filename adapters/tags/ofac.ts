/**
 * OFAC SDN digital-currency address lists, one address per line, one file per currency — the
 * format of 0xB10C/ofac-sanctioned-digital-currency-addresses (`sanctioned_addresses_<CUR>.txt`,
 * CUR = XBT, ETH, LTC, XMR, TRX, USDT, USDC, …), extracted from the SDN list's "Digital Currency
 * Address - <CUR>" fields.
 *
 * Each line is validated for its currency (see ./currency.ts). A line valid on another chain is
 * tagged there with a warning (the 2024-09-27 XBT list holds one TRON address); a line valid on no
 * chain is skipped and counted (the XMR list holds a 64-hex string); blank lines and `#` comments
 * are ignored.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Tag } from '../../src/model/tag.js';
import { CHAIN_TICKER, resolveCurrency } from './currency.js';
import { TagInputError } from './errors.js';
import type { SkippedTag, TagWarning } from './build.js';
import { confidenceLevel } from './vocabulary.js';

/** Options of {@link parseOfacList}. */
export interface OfacListOptions {
  /** the list's currency as OFAC writes it: XBT, ETH, LTC, XMR, TRX, USDT, … */
  readonly currency: string;
  /** attribution source (default: the SDN list URL) */
  readonly source?: string;
  /** each tag's `tagpack` (default `ofac-sdn`) */
  readonly tagpack?: string;
  /** each tag's `lastmod`, e.g. the extraction date */
  readonly lastmod?: string;
  /** file name for messages */
  readonly name?: string;
}

/** Tags read from an OFAC list. */
export interface OfacList {
  readonly tags: Tag[];
  readonly skipped: SkippedTag[];
  readonly warnings: TagWarning[];
}

/** Where the SDN list is published. */
export const OFAC_SDN_SOURCE = 'https://www.treasury.gov/ofac/downloads/sdnlist.txt';

/** Reads one OFAC address list (text, one address per line). */
export function parseOfacList(text: string, options: OfacListOptions): OfacList {
  if (typeof text !== 'string') throw new TagInputError('TAGPACK_SHAPE', 'an OFAC list must be text', { source: options.name });
  const tags: Tag[] = [];
  const skipped: SkippedTag[] = [];
  const warnings: TagWarning[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].trim();
    if (raw === '' || raw.startsWith('#')) continue;
    let r = resolveCurrency(raw, options.currency);
    if (r.kind === 'bad-currency') throw new TagInputError('TAGPACK_CURRENCY', r.problem, { source: options.name, field: 'currency' });
    if (r.kind === 'bad-address' && r.validOn !== undefined) {
      warnings.push({ line: i + 1, message: `${r.problem}; tagged on ${CHAIN_TICKER[r.validOn]}` });
      r = resolveCurrency(raw, CHAIN_TICKER[r.validOn]);
    }
    if (r.kind === 'unsupported') {
      skipped.push({ line: i + 1, address: raw, reason: `currency ${r.ticker} is not a chain wildtrace follows` });
      continue;
    }
    if (r.kind !== 'ok') {
      skipped.push({ line: i + 1, address: raw, reason: r.problem });
      continue;
    }
    tags.push({
      address: r.address,
      label: 'OFAC SDN list',
      category: 'user',
      concepts: ['sanction'],
      confidence: 'authority_data',
      confidenceLevel: confidenceLevel('authority_data'),
      source: options.source ?? OFAC_SDN_SOURCE,
      tagpack: options.tagpack ?? 'ofac-sdn',
      isClusterDefiner: false,
      ...(options.lastmod ? { lastmod: options.lastmod } : {}),
      ...(r.currency ? { currency: r.currency } : {}),
    });
  }
  return { tags, skipped, warnings };
}

/**
 * Reads every `sanctioned_addresses_<CUR>.txt` in a directory (the currency comes from the file
 * name). Results are merged in file-name order; messages name the file.
 */
export async function readOfacDirectory(dir: string, options: Omit<OfacListOptions, 'currency' | 'name'> = {}): Promise<OfacList & { files: string[] }> {
  const files = (await readdir(dir)).filter((f) => /^sanctioned_addresses_[A-Za-z0-9]+\.txt$/.test(f)).sort();
  const out = { tags: [] as Tag[], skipped: [] as SkippedTag[], warnings: [] as TagWarning[], files };
  for (const f of files) {
    const currency = /^sanctioned_addresses_([A-Za-z0-9]+)\.txt$/.exec(f)![1];
    const list = parseOfacList(await readFile(path.join(dir, f), 'utf8'), { ...options, currency, name: f });
    out.tags.push(...list.tags);
    out.skipped.push(...list.skipped.map((s) => ({ ...s, reason: `${f}: ${s.reason}` })));
    out.warnings.push(...list.warnings.map((w) => ({ ...w, message: `${f}: ${w.message}` })));
  }
  return out;
}
