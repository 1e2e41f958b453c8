/**
 * Tags as CSV (RFC 4180), read and written.
 *
 * Format: a header row naming the columns, then one tag per row. Columns (case-insensitive, any
 * order): `address` (required), `label`, `source`, `currency` (or `chain`), `network`,
 * `confidence`, `category`, `concepts` (ids separated by `;` or `|`), `actor`,
 * `is_cluster_definer` (`true`/`false`/`1`/`0`/`yes`/`no`), `lastmod`. `label`, `source`,
 * `currency` and `confidence` may instead come from `defaults`. Fields may be quoted with `"`
 * (a quote inside is doubled) and then hold commas and line breaks; lines end in LF or CRLF; a
 * UTF-8 BOM is ignored. Unknown columns are ignored with a warning. The same checks as a TagPack
 * apply to each row (./build.ts); errors name the line and column.
 *
 * {@link CsvRecordReader} parses incrementally, so a large file can be streamed
 * ({@link readTagCsv} takes an async iterable of chunks).
 */
import type { Tag } from '../../src/model/tag.js';
import { buildTag, duplicateKey, type BuildContext, type RawField, type SkippedTag, type TagWarning } from './build.js';
import { CHAIN_TICKER } from './currency.js';
import { TagInputError } from './errors.js';

/** Options of {@link parseTagCsv} and {@link readTagCsv}. */
export interface TagCsvOptions {
  /** each tag's `tagpack` and the name in messages (default `csv`) */
  readonly name?: string;
  /** values for columns a file leaves out or leaves empty (e.g. `{ source: '…', confidence: 'web_crawl' }`) */
  readonly defaults?: Readonly<Partial<Record<'label' | 'source' | 'currency' | 'network' | 'confidence' | 'category' | 'actor' | 'lastmod', string>>>;
  /** see {@link ParseTagPackOptions.strict} */
  readonly strict?: boolean;
  /** more concept ids to accept */
  readonly extraConcepts?: Iterable<string>;
  /** longest field accepted, in characters (default 64 KiB): a runaway quote is reported, not buffered */
  readonly maxFieldChars?: number;
}

/** The result of reading a tag CSV. */
export interface TagCsv {
  readonly tags: Tag[];
  readonly skipped: SkippedTag[];
  readonly warnings: TagWarning[];
}

/** One CSV record with the line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/**
 * An incremental RFC 4180 record parser: `push` chunks, collect complete records, `end()` for the
 * last one. Throws {@link TagInputError} `CSV_SYNTAX` on a quote in an unquoted field, text after a
 * closing quote, an unterminated quote, or a field longer than the limit.
 */
export class CsvRecordReader {
  private field = '';
  private fields: string[] = [];
  private quoted = false; // inside a quoted field
  private afterQuote = false; // a quoted field just closed
  private pendingQuote = false; // saw '"' inside quotes: either an escaped quote or the closing one
  private line = 1;
  private recordLine = 1;
  private started = false;
  private lastWasCR = false;

  constructor(
    private readonly name = 'csv',
    private readonly maxField = 64 * 1024,
  ) {}

  /**
   * Parses a chunk; returns the records it completed, or hands each to `onRecord` as soon as it
   * is complete (then a record's own problems are reported before a syntax error after it).
   */
  push(chunk: string, onRecord?: (record: CsvRecord) => void): CsvRecord[] {
    const out: CsvRecord[] = [];
    const emit = onRecord ?? ((r: CsvRecord) => void out.push(r));
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.lastWasCR) {
        this.lastWasCR = false;
        if (c === '\n') {
          // CRLF, also when a chunk ends between the two: one line break (inside quotes, kept)
          if (this.quoted) this.field += c;
          continue;
        }
      }
      if (this.pendingQuote) {
        this.pendingQuote = false;
        if (c === '"') {
          this.field += '"';
          continue;
        }
        this.quoted = false;
        this.afterQuote = true;
      }
      if (this.quoted) {
        if (c === '"') this.pendingQuote = true;
        else {
          if (c === '\n' || c === '\r') this.line++;
          if (c === '\r') this.lastWasCR = true;
          this.field += c;
        }
      } else if (c === ',') {
        this.endField();
      } else if (c === '\n' || c === '\r') {
        if (c === '\r') this.lastWasCR = true;
        if (this.started || this.field !== '' || this.fields.length > 0) {
          this.endField();
          emit({ line: this.recordLine, fields: this.fields });
        }
        this.fields = [];
        this.started = false;
        this.line++;
        this.recordLine = this.line;
      } else if (c === '"') {
        if (this.field !== '' || this.afterQuote) this.fail('a quote inside an unquoted field; quote the whole field and double the quote');
        this.quoted = true;
        this.started = true;
      } else {
        if (this.afterQuote) this.fail('text after a closing quote; put the whole field in quotes');
        this.field += c;
        this.started = true;
      }
      if (this.field.length > this.maxField) this.fail(`a field is longer than ${this.maxField} characters (unterminated quote?)`);
    }
    return out;
  }

  /** Ends the input; returns the last record, if any. */
  end(): CsvRecord[] {
    if (this.pendingQuote) {
      this.pendingQuote = false;
      this.quoted = false;
      this.afterQuote = true;
    }
    if (this.quoted) this.fail(`unterminated quote (the field opened on line ${this.recordLine} never closes)`);
    if (this.started || this.field !== '' || this.fields.length > 0) {
      this.endField();
      const rec = { line: this.recordLine, fields: this.fields };
      this.fields = [];
      return [rec];
    }
    return [];
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.afterQuote = false;
    this.started = true;
  }

  private fail(problem: string): never {
    throw new TagInputError('CSV_SYNTAX', problem, { source: this.name, line: this.line });
  }
}

const COLUMN_ALIASES: Readonly<Record<string, string>> = { chain: 'currency', cluster_definer: 'is_cluster_definer' };
const KNOWN_COLUMNS = new Set(['address', 'label', 'source', 'currency', 'network', 'confidence', 'category', 'concepts', 'actor', 'is_cluster_definer', 'lastmod', 'context', 'abuse']);

/** Builds tags from CSV records (the first is the header). Used by both entry points. */
class TagCsvBuilder {
  readonly tags: Tag[] = [];
  readonly skipped: SkippedTag[] = [];
  readonly warnings: TagWarning[] = [];
  private columns: string[] | undefined;
  private readonly seen = new Set<string>();
  private readonly ctx: BuildContext;

  constructor(private readonly options: TagCsvOptions) {
    const extra = options.extraConcepts ? new Set(options.extraConcepts) : undefined;
    this.ctx = { source: options.name ?? 'csv', strict: options.strict ?? false, tagpack: options.name ?? 'csv', warnings: this.warnings, ...(extra ? { extraConcepts: extra } : {}) };
  }

  add(rec: CsvRecord): void {
    const src = this.ctx.source;
    if (!this.columns) {
      const names = rec.fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim().toLowerCase()).map((n) => COLUMN_ALIASES[n] ?? n);
      if (!names.includes('address')) {
        throw new TagInputError('CSV_HEADER', `the first row must name the columns and include "address" (found: ${names.join(', ') || 'nothing'})`, { source: src, line: rec.line });
      }
      const dup = names.find((n, i) => n !== '' && names.indexOf(n) !== i);
      if (dup) throw new TagInputError('CSV_HEADER', `column "${dup}" appears twice`, { source: src, line: rec.line, field: dup });
      for (const n of names) if (!KNOWN_COLUMNS.has(n)) this.warnings.push({ line: rec.line, message: `unknown column "${n}" ignored` });
      this.columns = names;
      return;
    }
    if (rec.fields.length === 1 && rec.fields[0].trim() === '') return; // blank line
    if (rec.fields.length !== this.columns.length) {
      throw new TagInputError('CSV_COLUMNS', `row has ${rec.fields.length} fields, the header has ${this.columns.length}`, { source: src, line: rec.line });
    }
    const row = new Map<string, RawField>();
    this.columns.forEach((name, i) => {
      if (!KNOWN_COLUMNS.has(name)) return;
      const text = rec.fields[i].trim();
      if (text === '') return;
      row.set(name, { value: this.convert(name, text, rec.line, i + 1), line: rec.line, column: i + 1 });
    });
    const defaults = this.options.defaults ?? {};
    const get = (k: string): RawField | undefined => {
      const v = row.get(k);
      if (v !== undefined) return v;
      const d = (defaults as Record<string, string | undefined>)[k];
      return d === undefined ? undefined : { value: d, line: rec.line };
    };
    const built = buildTag(get, { line: rec.line }, this.ctx);
    if ('skip' in built) {
      this.skipped.push(built.skip);
      return;
    }
    const key = duplicateKey(built.tag);
    if (this.seen.has(key)) {
      this.warnings.push({ line: rec.line, message: `duplicate tag for ${built.tag.address.address} (${built.tag.label}) dropped` });
      return;
    }
    this.seen.add(key);
    this.tags.push(built.tag);
  }

  finish(): TagCsv {
    if (!this.columns) throw new TagInputError('CSV_HEADER', 'empty CSV: expected a header row with at least "address"', { source: this.ctx.source });
    return { tags: this.tags, skipped: this.skipped, warnings: this.warnings };
  }

  private convert(name: string, text: string, line: number, column: number): unknown {
    if (name === 'concepts') return text.split(/[;|]/).map((s) => s.trim()).filter(Boolean);
    if (name === 'is_cluster_definer') {
      const v = text.toLowerCase();
      if (['true', '1', 'yes'].includes(v)) return true;
      if (['false', '0', 'no'].includes(v)) return false;
      throw new TagInputError('TAGPACK_FIELD_TYPE', `"${text}" is not true or false`, { source: this.ctx.source, line, column, field: name });
    }
    return text;
  }
}

/** Reads tags from CSV text (see the file comment for the columns). */
export function parseTagCsv(text: string, options: TagCsvOptions = {}): TagCsv {
  if (typeof text !== 'string') throw new TagInputError('CSV_SYNTAX', 'CSV input must be text', { source: options.name });
  const reader = new CsvRecordReader(options.name ?? 'csv', options.maxFieldChars);
  const builder = new TagCsvBuilder(options);
  const add = (rec: CsvRecord) => builder.add(rec);
  reader.push(text, add);
  reader.end().forEach(add);
  return builder.finish();
}

/** Reads tags from a stream of CSV chunks (strings or UTF-8 bytes, e.g. `fs.createReadStream(path)`). */
export async function readTagCsv(chunks: AsyncIterable<string | Uint8Array>, options: TagCsvOptions = {}): Promise<TagCsv> {
  const reader = new CsvRecordReader(options.name ?? 'csv', options.maxFieldChars);
  const builder = new TagCsvBuilder(options);
  const add = (rec: CsvRecord) => builder.add(rec);
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) reader.push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }), add);
  const tail = decoder.decode();
  if (tail) reader.push(tail, add);
  reader.end().forEach(add);
  return builder.finish();
}

const CSV_COLUMNS = ['address', 'currency', 'network', 'label', 'source', 'confidence', 'category', 'concepts', 'actor', 'is_cluster_definer', 'lastmod'] as const;

function quote(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes tags as CSV (header row + one row per tag, CRLF line ends); {@link parseTagCsv} reads it back. */
export function writeTagCsv(tags: readonly Tag[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const t of tags) {
    const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
      address: t.address.address,
      currency: t.currency ?? CHAIN_TICKER[t.address.chain],
      network: t.currency ? CHAIN_TICKER[t.address.chain] : '',
      label: t.label,
      source: t.source,
      confidence: t.confidence ?? '',
      category: t.category ?? '',
      concepts: (t.concepts ?? []).join(';'),
      actor: t.actor ?? '',
      is_cluster_definer: t.isClusterDefiner === undefined ? '' : String(t.isClusterDefiner),
      lastmod: t.lastmod ?? '',
    };
    rows.push(CSV_COLUMNS.map((c) => quote(cells[c])).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
