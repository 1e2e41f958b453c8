/**
 * One tag from its fields, as TagPack and CSV rows give them: the checks both formats share.
 *
 * Required: `address`, `label`, `source`, `currency`. `confidence` must be a GraphSense id
 * (missing → `unknown` with a warning, or an error with `strict`); `category`, `abuse` and each
 * of `concepts` must be known concepts; the address must be valid for its currency (see
 * ./currency.ts for what is skipped, re-filed or refused).
 */
import type { Tag } from '../../src/model/tag.js';
import { CHAIN_TICKER, resolveCurrency, type CurrencyResolution } from './currency.js';
import { TagInputError } from './errors.js';
import { confidenceLevel, isKnownConcept } from './vocabulary.js';

/** A field value with where it was written. */
export interface RawField {
  readonly value: unknown;
  readonly line: number;
  readonly column?: number;
}

/** A tag that was read but not kept. */
export interface SkippedTag {
  readonly line: number;
  readonly address: string;
  readonly reason: string;
}

/** A problem that did not stop the read. */
export interface TagWarning {
  readonly line?: number;
  readonly message: string;
}

/** What {@link buildTag} needs to know about the source. */
export interface BuildContext {
  readonly source?: string;
  readonly strict: boolean;
  readonly extraConcepts?: ReadonlySet<string>;
  readonly tagpack: string;
  readonly warnings: TagWarning[];
  /** set once the "no confidence" warning was given, so it is given once per source */
  noConfidenceWarned?: boolean;
}

const REQUIRED = ['address', 'label', 'source', 'currency'] as const;

/**
 * Builds a {@link Tag} from `get(field)`, or returns the reason to skip it. Throws
 * {@link TagInputError} naming the line and field for anything that is wrong.
 */
export function buildTag(
  get: (field: string) => RawField | undefined,
  at: { line: number; column?: number },
  ctx: BuildContext,
): { tag: Tag } | { skip: SkippedTag } {
  const src = ctx.source;
  const fail = (code: string, problem: string, field: string, f?: RawField): never => {
    throw new TagInputError(code, problem, { source: src, line: f?.line ?? at.line, column: f?.column ?? at.column, field });
  };
  const str = (k: string): string | undefined => {
    const v = get(k)?.value;
    return v === undefined || v === null || v === '' ? undefined : (v as string);
  };
  for (const k of REQUIRED) if (str(k) === undefined) fail('TAGPACK_MISSING_FIELD', `tag has no "${k}" (set it on the tag or as a default)`, k);
  const addressField = get('address')!;
  if (typeof addressField.value !== 'string') {
    fail('TAGPACK_FIELD_TYPE', `address must be a string; quote it ('0x…') — YAML reads an unquoted 0x… or digits as a number`, 'address', addressField);
  }
  const address = addressField.value as string;
  const currencyField = get('currency')!;
  const networkField = get('network');

  let r: CurrencyResolution = resolveCurrency(address, str('currency')!, str('network'));
  if (r.kind === 'bad-currency') {
    const isNetwork = r.problem.startsWith('network');
    fail('TAGPACK_CURRENCY', r.problem, isNetwork ? 'network' : 'currency', isNetwork ? networkField : currencyField);
  }
  if (r.kind === 'bad-address') {
    if (r.validOn !== undefined && !ctx.strict) {
      ctx.warnings.push({ line: addressField.line, message: `${r.problem}; tagged on ${CHAIN_TICKER[r.validOn]}` });
      r = resolveCurrency(address, CHAIN_TICKER[r.validOn]);
    } else if (r.validOn !== undefined) {
      fail('TAGPACK_CURRENCY', `wrong currency ${str('currency')}: ${r.problem}`, 'currency', currencyField);
    } else if (ctx.strict) {
      fail('TAGPACK_ADDRESS', r.problem, 'address', addressField);
    } else {
      return { skip: { line: addressField.line, address, reason: r.problem } };
    }
  }
  if (r.kind === 'unsupported') {
    return { skip: { line: addressField.line, address, reason: `currency ${r.ticker} is not a chain wildtrace follows` } };
  }
  if (r.kind !== 'ok') return { skip: { line: addressField.line, address, reason: 'unresolvable currency' } };

  let confidence = str('confidence');
  if (confidence === undefined) {
    if (ctx.strict) fail('TAGPACK_MISSING_FIELD', 'tag has no "confidence"', 'confidence');
    if (!ctx.noConfidenceWarned) ctx.warnings.push({ line: at.line, message: 'no confidence given: tags get "unknown" (level 5)' });
    ctx.noConfidenceWarned = true;
    confidence = 'unknown';
  }
  const level = confidenceLevel(confidence!);
  if (level === undefined) {
    fail(
      'TAGPACK_UNKNOWN_CONFIDENCE',
      `unknown confidence "${confidence}"; use one of GraphSense's ids (e.g. ownership, authority_data, service_data, forensic, web_crawl)`,
      'confidence',
      get('confidence'),
    );
  }
  for (const k of ['category', 'abuse']) {
    const v = str(k);
    if (v !== undefined && !isKnownConcept(v, ctx.extraConcepts)) {
      fail('TAGPACK_UNKNOWN_CONCEPT', `unknown ${k} "${v}": not a concept of the GraphSense taxonomy or wildtrace's additions`, k, get(k));
    }
  }
  const conceptsField = get('concepts');
  const concepts = (conceptsField?.value ?? undefined) as string[] | undefined;
  for (const c of concepts ?? []) {
    if (!isKnownConcept(c, ctx.extraConcepts)) fail('TAGPACK_UNKNOWN_CONCEPT', `unknown concept "${c}"`, 'concepts', conceptsField);
  }
  const definer = get('is_cluster_definer')?.value as boolean | undefined | null;
  const category = str('category');
  const actor = str('actor');
  const lastmod = str('lastmod');
  return {
    tag: {
      address: r.address,
      label: String(str('label')),
      source: String(str('source')),
      tagpack: ctx.tagpack,
      confidence,
      confidenceLevel: level,
      ...(category !== undefined ? { category } : {}),
      ...(concepts && concepts.length > 0 ? { concepts: [...concepts] } : {}),
      ...(actor !== undefined ? { actor } : {}),
      ...(definer !== undefined && definer !== null ? { isClusterDefiner: definer } : {}),
      ...(lastmod !== undefined ? { lastmod } : {}),
      ...(r.currency ? { currency: r.currency } : {}),
    },
  };
}

/** The key that makes two tags duplicates of each other. */
export function duplicateKey(t: Tag): string {
  return `${t.address.chain}:${t.address.address}\0${t.label}\0${t.source}\0${t.currency ?? ''}`;
}
