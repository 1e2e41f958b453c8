/**
 * Fuzz targets of the tag readers (adapters/tags), on real data:
 *
 *   tagpack   the GraphSense TagPacks of ../shared/data/tags (the smaller ones whole, the large
 *             ones cut to their first tags), mutated as YAML text; and packs assembled from
 *             YAML fragments (anchors, aliases, flow collections, wrong types, documents)
 *   tag-csv   those packs' tags written by writeTagCsv, mutated as CSV text; read whole and as a
 *             stream cut into random chunks, which must give the same result
 *   ofac      the OFAC SDN address lists, mutated, with their currency or another ticker
 *
 * Rejections are TagInputErrors (`TAGPACK_*`, `CSV_*`) that say where.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { TagInputError, parseOfacList, parseTagCsv, parseTagPack, readTagCsv, writeTagCsv, type TagCsv } from '../../adapters/tags/index.js';
import type { FuzzTarget } from './harness.js';
import { applyTextOps, textOps, type TextOp } from './mutate.js';

const TAGS = path.resolve(import.meta.dirname, '../../../shared/data/tags');

interface TagCorpus {
  packs: string[];
  csv: string[];
  ofac: { currency: string; text: string }[];
}

let corpus: TagCorpus | undefined;

/** The first `n` tags of a pack: its header and the lines of its first `n` list items. */
function firstTags(yaml: string, n: number): string {
  const lines = yaml.split('\n');
  let items = 0;
  const out: string[] = [];
  for (const l of lines) {
    if (/^\s*- /.test(l) && ++items > n) break;
    out.push(l);
  }
  return out.join('\n');
}

function loadCorpus(): TagCorpus {
  if (corpus) return corpus;
  const dir = path.join(TAGS, 'graphsense-tagpacks');
  const packs = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .map((y) => (y.length > 8000 ? firstTags(y, 30) : y));
  const csv = packs.flatMap((p) => {
    try {
      const tags = parseTagPack(p).tags;
      return tags.length ? [writeTagCsv(tags.slice(0, 20))] : [];
    } catch {
      return [];
    }
  });
  const odir = path.join(TAGS, 'ofac');
  const ofac = readdirSync(odir)
    .sort()
    .map((f) => ({ currency: /sanctioned_addresses_([A-Z]+)\.txt/.exec(f)![1], text: readFileSync(path.join(odir, f), 'utf8').split('\n').slice(0, 60).join('\n') }));
  if (packs.length < 8 || csv.length < 5 || ofac.length < 7) throw new Error('tag corpus incomplete');
  corpus = { packs, csv, ofac };
  return corpus;
}

const YAML_TOKENS = [
  'title: t\n', 'creator: c\n', 'tags:\n', '- address: 1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx\n', "  address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'\n",
  '  currency: BTC\n', 'currency: ETH\n', '  currency: [x]\n', 'label: l\n', 'source: s\n', 'confidence: forensic\n', '  confidence: nope\n',
  '  concepts: [market, wildlife_listing]\n', '  is_cluster_definer: true\n', '  category: {a: 1}\n', '&a x: *a\n', '- *a\n', '---\n', '...\n',
  '  - \n', ': :\n', '"unterminated\n', '\t\n', 'tags: 5\n', '- address: 0x12\n', '  network: TRX\n', '? complex\n', '!!binary ', '!custom ',
  '<<: *a\n', '%YAML 1.2\n', '#', '|\n', '>-\n', '{', '}', '[', ']', '  ', '\n  - address: ', 'null', '~', '1e400', '0x', '2024-13-45', 'lastmod: 1700000000\n',
];
const CSV_TOKENS = ['address', 'label', 'currency', 'confidence', 'is_cluster_definer', 'concepts', ',', '"', '""', '\n', '\r\n', '\r', 'BTC', 'ETH', 'forensic', '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx', 'yes', '\uFEFF', ';', '|', 'exchange'];
const OFAC_TOKENS = ['\n', '\r\n', '#', ' ', '0x', '1HQ3Go3ggs8pFnXuHVHRytPCq5fGG8Hbhx', 'TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre', 'bc1q', 'L', 'T', '4'];

const isTagError = (e: unknown): e is TagInputError => e instanceof TagInputError;

function checkTags(r: { tags: readonly { address: unknown; confidenceLevel?: number }[] }): void {
  for (const t of r.tags) {
    const a = t.address as { chain?: string; address?: string };
    if (typeof a !== 'object' || a === null || typeof a.address !== 'string' || !a.address || typeof a.chain !== 'string') throw new Error(`tag with address ${JSON.stringify(a)}`);
    if (t.confidenceLevel !== undefined && !Number.isFinite(t.confidenceLevel)) throw new Error(`confidence level ${t.confidenceLevel}`);
  }
}

type PackCase = { readonly base: number; readonly ops: TextOp[]; readonly strict: boolean } | { readonly pieces: string[]; readonly strict: boolean };

/** TagPack YAML. */
export const tagpack: FuzzTarget<PackCase> = {
  name: 'tagpack',
  description: 'parseTagPack: the real GraphSense TagPacks mutated, and packs assembled from YAML fragments',
  runs: { test: 400, full: 5000 },
  boundMs: 2000,
  codes: /^TAGPACK_/,
  setup: () => void loadCorpus(),
  arbitrary: () =>
    fc.oneof(
      { weight: 3, arbitrary: fc.record({ base: fc.nat(), ops: textOps(YAML_TOKENS, { maxRepeat: 500 }), strict: fc.boolean() }) },
      { weight: 2, arbitrary: fc.record({ pieces: fc.array(fc.oneof(fc.constantFrom(...YAML_TOKENS), fc.string({ maxLength: 30 })), { maxLength: 40 }), strict: fc.boolean() }) },
    ),
  run(c) {
    const { packs } = loadCorpus();
    const text = 'pieces' in c ? c.pieces.join('') : applyTextOps(packs[c.base % packs.length], c.ops, packs);
    checkTags(parseTagPack(text, { strict: c.strict, name: 'fuzz.yaml' }));
  },
};

interface CsvCase {
  readonly base: number;
  readonly ops: TextOp[];
  /** chunk sizes the stream is cut into (cycled) */
  readonly chunks: number[];
  readonly bytes: boolean;
  readonly defaults: boolean;
}

async function* chunked(text: string, sizes: readonly number[], bytes: boolean): AsyncGenerator<string | Uint8Array> {
  const data = bytes ? new TextEncoder().encode(text) : text;
  for (let at = 0, k = 0; at < data.length; k++) {
    const n = sizes.length ? sizes[k % sizes.length] : data.length;
    yield data.slice(at, at + n);
    at += n;
  }
}

const outcome = (r: TagCsv) => JSON.stringify({ tags: r.tags, skipped: r.skipped, warnings: r.warnings });

/** Tag CSV, whole and streamed. */
export const tagCsv: FuzzTarget<CsvCase> = {
  name: 'tag-csv',
  description: 'parseTagCsv / readTagCsv: the packs written as CSV, mutated; the stream in random chunks must agree with the whole text',
  runs: { test: 600, full: 6000 },
  boundMs: 2000,
  codes: /^(CSV_|TAGPACK_)/,
  setup: () => void loadCorpus(),
  arbitrary: () =>
    fc.record({
      base: fc.nat(),
      ops: textOps(CSV_TOKENS, { maxRepeat: 500 }),
      chunks: fc.array(fc.integer({ min: 1, max: 300 }), { maxLength: 4 }),
      bytes: fc.boolean(),
      defaults: fc.boolean(),
    }),
  async run(c) {
    const { csv } = loadCorpus();
    const text = applyTextOps(csv[c.base % csv.length], c.ops, csv);
    const options = c.defaults ? { defaults: { source: 'fuzz', confidence: 'web_crawl', label: 'x' } } : {};
    let whole: TagCsv | TagInputError;
    try {
      whole = parseTagCsv(text, options);
    } catch (e) {
      if (!isTagError(e)) throw e;
      whole = e;
    }
    let streamed: TagCsv | TagInputError;
    try {
      streamed = await readTagCsv(chunked(text, c.chunks, c.bytes), options);
    } catch (e) {
      if (!isTagError(e)) throw e;
      streamed = e;
    }
    // as UTF-8 bytes, a lone surrogate comes back as U+FFFD: then only the error codes must agree
    const sameText = !c.bytes || Buffer.from(text, 'utf8').toString('utf8') === text;
    const said = (r: TagCsv | TagInputError) => (r instanceof TagInputError ? (sameText ? r.message : r.code) : sameText ? outcome(r) : 'accepted');
    if (said(whole) !== said(streamed)) throw new Error(`whole text and stream disagree:\n${said(whole).slice(0, 300)}\n${said(streamed).slice(0, 300)}`);
    if (whole instanceof TagInputError) throw whole;
    checkTags(whole);
  },
};

interface OfacCase {
  readonly base: number;
  readonly ops: TextOp[];
  readonly currency: string | null;
}

/** OFAC SDN address lists. */
export const ofac: FuzzTarget<OfacCase> = {
  name: 'ofac',
  description: 'parseOfacList: the real OFAC SDN lists mutated, with their currency or another ticker',
  runs: { test: 500, full: 5000 },
  boundMs: 2000,
  codes: /^TAGPACK_/,
  setup: () => void loadCorpus(),
  arbitrary: () =>
    fc.record({
      base: fc.nat(),
      ops: textOps(OFAC_TOKENS, { maxRepeat: 500 }),
      currency: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.oneof(fc.constantFrom('XBT', 'ETH', 'USDT', 'XMR', 'DOGE', 'btc', '', 'ETH ', 'USDC'), fc.string({ maxLength: 6 })) }),
    }),
  run(c) {
    const lists = loadCorpus().ofac;
    const list = lists[c.base % lists.length];
    const text = applyTextOps(list.text, c.ops, lists.map((l) => l.text));
    const r = parseOfacList(text, { currency: c.currency ?? list.currency, name: 'fuzz.txt' });
    const lines = text.split(/\r?\n/).length;
    if (r.tags.length + r.skipped.length > lines) throw new Error(`${r.tags.length} tags + ${r.skipped.length} skipped from ${lines} lines`);
    checkTags(r);
  },
};
