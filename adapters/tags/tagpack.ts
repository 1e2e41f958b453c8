/**
 * GraphSense TagPacks (YAML), read and written.
 *
 * Format (graphsense-tagpack-tool `conf/tagpack_schema.yaml`):
 * ```yaml
 * title: …            # header, required
 * creator: …          # header, required
 * description: …      # header, optional; also is_public, owner
 * <any tag field>: …  # header default, inherited by every tag that does not set it
 * tags:               # required, a list
 *   - address: …      # required
 *     label: …        # required (here or in the header), likewise source, currency, confidence
 *     network: …      # optional chain of a token currency (newer packs)
 *     category: …     # optional, a concept id
 *     concepts: [ … ] # optional, concept ids
 *     actor: …        # optional actor id
 *     is_cluster_definer: true   # optional: the tag names the address's whole cluster
 *     lastmod, context, abuse, tx_hash, tag_type  # optional
 * ```
 * Checks: required fields present after inheritance; `confidence` in the GraphSense vocabulary
 * (a pack without any confidence loads with `unknown`, level 5, and a warning — or fails with
 * `strict`); `category`, `concepts`, `abuse` in the concept taxonomy (+ wildtrace's
 * `wildlife_trafficking`, `wildlife_listing`); the address valid for its currency (see
 * ./currency.ts); field types. An address valid on another chain than its currency says
 * ("wrong currency") is an error with `strict`; by default it is tagged on the chain it is valid on,
 * with a warning naming the line (real packs hold such slips: ofac.yaml files a TRON address under
 * BTC). A currency that is not a ticker at all is always an error. Every error names the file, line and field. Skipped and counted, not
 * errors (errors with `strict`): tags of chains wildtrace does not follow (BCH, ZEC, …) and
 * addresses valid on no chain (real packs hold a few, e.g. a 64-hex string filed as XMR).
 * Surrounding whitespace in an address is trimmed. Exact duplicates are dropped with a warning.
 */
import { LineCounter, isMap, isScalar, isSeq, parseDocument, stringify, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Tag } from '../../src/model/tag.js';
import { buildTag, duplicateKey, type BuildContext, type SkippedTag, type TagWarning } from './build.js';
import { CHAIN_TICKER } from './currency.js';
import { TagInputError } from './errors.js';

export type { SkippedTag, TagWarning } from './build.js';

/** A TagPack read by {@link parseTagPack}. */
export interface TagPack {
  readonly title: string;
  readonly creator: string;
  readonly description?: string;
  readonly isPublic?: boolean;
  /** the tags, every header default applied, addresses canonical */
  readonly tags: Tag[];
  /** tags of chains wildtrace does not follow, with the reason */
  readonly skipped: SkippedTag[];
  readonly warnings: TagWarning[];
}

/** Options of {@link parseTagPack}. */
export interface ParseTagPackOptions {
  /** name used in error messages and as each tag's `tagpack` (default: the pack's title) */
  readonly name?: string;
  /**
   * fail instead of warning or skipping (default `false`): on a missing confidence, unknown
   * fields, an address valid only on another chain than its currency, and an address valid on no
   * chain
   */
  readonly strict?: boolean;
  /** more concept ids to accept, besides GraphSense's and wildtrace's */
  readonly extraConcepts?: Iterable<string>;
}

/** Largest TagPack text accepted (64 MiB); bigger sets belong in several packs or a CSV. */
export const MAX_TAGPACK_CHARS = 64 * 1024 * 1024;

const HEADER_ONLY = new Set(['title', 'creator', 'description', 'is_public', 'owner', 'tags']);
const TAG_FIELDS = new Set([
  'address', 'label', 'source', 'currency', 'network', 'confidence', 'category', 'concepts', 'actor',
  'is_cluster_definer', 'lastmod', 'context', 'abuse', 'tx_hash', 'tag_type',
]);
const STRING_FIELDS = new Set(['label', 'source', 'currency', 'network', 'confidence', 'category', 'actor', 'context', 'abuse', 'tag_type', 'tx_hash', 'title', 'creator', 'description', 'owner']);
const BOOLEAN_FIELDS = new Set(['is_cluster_definer', 'is_public']);

interface Field {
  readonly value: unknown;
  readonly line: number;
  readonly column: number;
}

/**
 * Reads a TagPack. Throws {@link TagInputError} (with file, line and field) on YAML syntax
 * errors, a wrong shape, missing required fields, unknown confidence or concepts, wrong field
 * types, and addresses that are not valid for their currency.
 */
export function parseTagPack(text: string, options: ParseTagPackOptions = {}): TagPack {
  const src = options.name;
  if (typeof text !== 'string') throw new TagInputError('TAGPACK_SHAPE', 'a TagPack must be YAML text', { source: src });
  if (text.length > MAX_TAGPACK_CHARS) {
    throw new TagInputError('TAGPACK_TOO_LARGE', `TagPack of ${text.length} characters is larger than ${MAX_TAGPACK_CHARS}; split it`, { source: src });
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: true });
  const pos = (node: Node | null | undefined): { line: number; column: number } => {
    const p = node?.range ? lc.linePos(node.range[0]) : { line: 1, col: 1 };
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const p = e.linePos?.[0] ?? { line: 1, col: 1 };
    throw new TagInputError('TAGPACK_YAML', `YAML syntax: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, { source: src, line: p.line, column: p.col });
  }
  const root = doc.contents;
  if (!isMap(root)) throw new TagInputError('TAGPACK_SHAPE', 'a TagPack is a YAML mapping with title, creator and tags', { source: src, ...pos(root as Node) });

  const warnings: TagWarning[] = [];
  const extra = options.extraConcepts ? new Set(options.extraConcepts) : undefined;
  const fieldsOf = (map: YAMLMap, isHeader: boolean): Map<string, Field> => {
    const out = new Map<string, Field>();
    for (const pair of map.items as Pair<Node, Node>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      const at = pos(pair.key);
      if (key === undefined) throw new TagInputError('TAGPACK_SHAPE', 'keys must be plain names', { source: src, ...at });
      const known = TAG_FIELDS.has(key) || (isHeader && HEADER_ONLY.has(key));
      if (!known) {
        if (options.strict) throw new TagInputError('TAGPACK_SHAPE', `unknown field "${key}"`, { source: src, ...at, field: key });
        warnings.push({ line: at.line, message: `unknown field "${key}" ignored` });
        continue;
      }
      if (key === 'tags') continue;
      out.set(key, { value: plain(pair.value, key, src, pos), ...pos(pair.value ?? pair.key) });
    }
    return out;
  };

  const header = fieldsOf(root, true);
  const title = requireString(header, 'title', src, pos(root));
  const creator = requireString(header, 'creator', src, pos(root));
  const tagsNode = root.get('tags', true) as Node | undefined;
  if (!isSeq(tagsNode)) {
    throw new TagInputError('TAGPACK_MISSING_FIELD', tagsNode === undefined ? 'required field "tags" is missing' : '"tags" must be a list', {
      source: src,
      ...pos(tagsNode ?? root),
      field: 'tags',
    });
  }
  const packName = options.name ?? title;
  const tags: Tag[] = [];
  const skipped: SkippedTag[] = [];
  const seen = new Set<string>();
  const ctx: BuildContext = { source: src, strict: options.strict ?? false, tagpack: packName, warnings, ...(extra ? { extraConcepts: extra } : {}) };

  for (const item of tagsNode.items as Node[]) {
    const itemAt = pos(item);
    if (!isMap(item)) throw new TagInputError('TAGPACK_SHAPE', 'each entry of "tags" must be a mapping with an address', { source: src, ...itemAt });
    const own = fieldsOf(item, false);
    const built = buildTag((k) => own.get(k) ?? header.get(k), itemAt, ctx);
    if ('skip' in built) {
      skipped.push(built.skip);
      continue;
    }
    const tag = built.tag;
    const dedupe = duplicateKey(tag);
    if (seen.has(dedupe)) {
      warnings.push({ line: itemAt.line, message: `duplicate tag for ${tag.address.address} (${tag.label}) dropped` });
      continue;
    }
    seen.add(dedupe);
    tags.push(tag);
  }

  const description = header.get('description')?.value as string | undefined;
  const isPublic = header.get('is_public')?.value as boolean | undefined;
  return {
    title,
    creator,
    ...(description !== undefined && description !== null ? { description } : {}),
    ...(isPublic !== undefined ? { isPublic } : {}),
    tags,
    skipped,
    warnings,
  };
}

/** A YAML value as plain data, type-checked for `field`. */
function plain(node: Node | null, field: string, src: string | undefined, pos: (n: Node | null | undefined) => { line: number; column: number }): unknown {
  const at = { source: src, ...pos(node), field };
  if (node === null || node === undefined) return null;
  if (field === 'concepts') {
    if (!isSeq(node)) throw new TagInputError('TAGPACK_FIELD_TYPE', 'concepts must be a list of concept ids', at);
    return (node.items as Node[]).map((n) => {
      if (!isScalar(n) || typeof n.value !== 'string') throw new TagInputError('TAGPACK_FIELD_TYPE', 'each concept must be a plain id', { ...at, ...pos(n) });
      return n.value;
    });
  }
  if (!isScalar(node)) throw new TagInputError('TAGPACK_FIELD_TYPE', `"${field}" must be a single value, not a ${isSeq(node) ? 'list' : 'mapping'}`, at);
  const v = node.value;
  if (BOOLEAN_FIELDS.has(field)) {
    if (typeof v !== 'boolean') throw new TagInputError('TAGPACK_FIELD_TYPE', `"${field}" must be true or false`, at);
    return v;
  }
  if (field === 'address') return v; // type checked by the caller, with a hint
  if (STRING_FIELDS.has(field) || field === 'lastmod') {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && field !== 'currency' && field !== 'network' && field !== 'confidence') return String(node.source ?? v);
    if (v === null) return null;
    throw new TagInputError('TAGPACK_FIELD_TYPE', `"${field}" must be text`, at);
  }
  return v;
}

function requireString(fields: Map<string, Field>, key: string, src: string | undefined, at: { line: number; column: number }): string {
  const f = fields.get(key);
  if (f === undefined || f.value === null || f.value === '') {
    throw new TagInputError('TAGPACK_MISSING_FIELD', `required header field "${key}" is missing`, { source: src, ...at, field: key });
  }
  return String(f.value);
}

/** Header fields of {@link writeTagPack}. */
export interface TagPackHeader {
  readonly title: string;
  readonly creator: string;
  readonly description?: string;
  readonly isPublic?: boolean;
}

const HOISTABLE = ['label', 'source', 'currency', 'confidence', 'category', 'actor', 'is_cluster_definer', 'lastmod'] as const;

/**
 * Writes tags as a TagPack. Fields equal on every tag (label, source, currency, confidence,
 * category, actor, is_cluster_definer, lastmod) go into the header, the rest stay on each tag;
 * addresses are quoted so YAML never reads them as numbers. `parseTagPack` of the result gives
 * back the same tags (with `tagpack` = the name it is read under).
 */
export function writeTagPack(header: TagPackHeader, tags: readonly Tag[]): string {
  const rows = tags.map((t) => {
    const r: Record<string, unknown> = {
      address: t.address.address,
      currency: t.currency ?? CHAIN_TICKER[t.address.chain],
      ...(t.currency ? { network: CHAIN_TICKER[t.address.chain] } : {}),
      label: t.label,
      source: t.source,
      confidence: t.confidence ?? 'unknown',
    };
    if (t.category !== undefined) r.category = t.category;
    if (t.concepts && t.concepts.length > 0) r.concepts = [...t.concepts];
    if (t.actor !== undefined) r.actor = t.actor;
    if (t.isClusterDefiner !== undefined) r.is_cluster_definer = t.isClusterDefiner;
    if (t.lastmod !== undefined) r.lastmod = t.lastmod;
    return r;
  });
  const head: Record<string, unknown> = { title: header.title, creator: header.creator };
  if (header.description !== undefined) head.description = header.description;
  if (header.isPublic !== undefined) head.is_public = header.isPublic;
  if (rows.length > 0) {
    for (const k of HOISTABLE) {
      const v = rows[0][k];
      if (v === undefined) continue;
      if (rows.every((r) => r[k] === v)) {
        head[k] = v;
        for (const r of rows) delete r[k];
      }
    }
    // a token's network cannot be hoisted apart from its currency; keep both per tag then
    if (head.currency !== undefined && rows.some((r) => r.network !== undefined) && !rows.every((r) => r.network === rows[0].network)) {
      for (const r of rows) r.currency = head.currency;
      delete head.currency;
    } else if (head.currency !== undefined && rows.length > 0 && rows[0].network !== undefined) {
      head.network = rows[0].network;
      for (const r of rows) delete r.network;
    }
  }
  head.tags = rows;
  return stringify(head, { defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN', lineWidth: 0 }).replace(
    /^(\s*-?\s*address: )(.+)$/gm,
    (_m, pre: string, addr: string) => (addr.startsWith("'") || addr.startsWith('"') ? `${pre}${addr}` : `${pre}'${addr}'`),
  );
}
