/**
 * The wildlife detector: which listings offer CITES-listed species or their parts, and why.
 *
 * Pipeline for one text:
 * 1. tokenize (normalize.ts): folded tokens with offsets into the original text.
 * 2. scan: every token position is looked up in ONE phrase table (compiled once from the lexicon
 *    and the CITES common names), for phrases of 1..N tokens; scientific names are looked up in the
 *    taxonomy's name index (binomials, trinomials, synonyms, and capitalised genus names).
 * 3. suppress (context rules): a hit is cancelled by
 *    - its group's `suppressNear` words within 4 tokens (ivory + colour/dress/paint; tiger + balm;
 *      python + programming/script; rhino + pills/kush; white gold + ring/18k …),
 *    - imitation words within 4 tokens (faux, fake, vegan, print, embossed, resin …),
 *    - depiction/other-trade words within 4 tokens for weak hits (plush, figurine, poster, strain …),
 *    - its group's `suppressListing` words anywhere (ivory + mammoth/fossil/tagua; totoaba + farmed),
 *    - "cultivated" words anywhere for plant hits (nursery grown, artificially propagated),
 *    - substitute materials anywhere for bone/horn categories ("cow bone", "buffalo horn"),
 *    - a negator right before it ("not ivory"); a negator right before a suppressor undoes the
 *      suppressor ("not resin").
 *    When one occurrence of a term is cancelled by a nearby word, every occurrence of that term in
 *    the text is (the title repeats what the description qualifies: "Snakeskin boots … snakeskin
 *    print"). A code word counts only when one of its `requires` terms is in the listing.
 * 4. score per category: noisy-OR of the evidence weights (strong 0.75, binomial 0.8, code 0.6,
 *    CITES common name 0.5 multi-word / 0.2 single-word, anchor 0.4, genus 0.35) and, only when the
 *    category already has evidence, up to two product terms (0.3) and two trade terms (0.2).
 *    A hit contained in a longer hit does not count twice.
 *
 * Threshold: a listing is wildlife when a match has `score >= 0.5` (WILDLIFE_THRESHOLD). By default
 * only such matches are returned, so an empty array means "not wildlife"; pass `minScore: 0` to
 * see the weak evidence as well.
 */
import type { Listing } from '../model/market.js';
import { InvalidInputError } from '../model/errors.js';
import { categoryOfTaxon, type WildlifeCategory } from './categories.js';
import {
  CULTIVATED_WORDS,
  DEPICTION_WORDS,
  IMITATION_EXEMPT,
  IMITATION_WORDS,
  LEXICON,
  NEGATORS,
  PLANT_CATEGORIES,
  PRODUCTS,
  SUBSTITUTE_CATEGORIES,
  SUBSTITUTE_WORDS,
  TRADE_TERMS,
  type ContextTerm,
  type LexiconGroup,
} from './lexicon.js';
import { phraseKey, tokenize, type Token } from './normalize.js';
import { citesTaxonomy, type CitesTaxon, type CitesTaxonomy } from './taxonomy.js';

/** Score at or above which a match means "wildlife". */
export const WILDLIFE_THRESHOLD = 0.5;

/** Maximum text length examined (characters); longer input is cut, and the match says so. */
export const MAX_TEXT_LENGTH = 200_000;

/** The role a piece of evidence played. */
export type EvidenceRole = 'strong' | 'code' | 'binomial' | 'genus' | 'common-name' | 'anchor' | 'product' | 'trade';

/** One piece of evidence behind a match. */
export interface WildlifeEvidence {
  /** the original text of the evidence */
  readonly text: string;
  readonly span: readonly [number, number];
  readonly role: EvidenceRole;
  readonly weight: number;
}

/** A wildlife match: one category in one text, with its evidence. */
export interface WildlifeMatch {
  readonly category: WildlifeCategory;
  /** the CITES taxon the evidence points to, with its appendix listing (e.g. `I/II`) */
  readonly taxon?: { readonly name: string; readonly appendix: string; readonly via: 'scientific-name' | 'common-name' | 'lexicon' };
  /** 0..1; the text is wildlife when a match has score >= {@link WILDLIFE_THRESHOLD} */
  readonly score: number;
  /** evidence spans `[start, end)` as offsets into the original text, in text order */
  readonly spans: [number, number][];
  /** the strongest evidence, as written in the text */
  readonly term: string;
  readonly evidence: readonly WildlifeEvidence[];
}

/** Options of {@link detectWildlife}. */
export interface DetectWildlifeOptions {
  /** return only matches with at least this score (default {@link WILDLIFE_THRESHOLD}) */
  readonly minScore?: number;
  /** look up CITES scientific and common names from the taxonomy (default true) */
  readonly taxonomy?: boolean;
}

type HitKind =
  | 'strong'
  | 'anchor'
  | 'code'
  | 'product'
  | 'trade'
  | 'suppress'
  | 'imitation'
  | 'depiction'
  | 'substitute'
  | 'negator'
  | 'cultivated'
  | 'context'
  | 'common-name';

interface PhraseEntry {
  kind: HitKind;
  category?: WildlifeCategory;
  weight: number;
  group?: number;
  code?: number;
  product?: ContextTerm;
  taxonIndex?: number;
}

interface Hit {
  entry: PhraseEntry;
  key: string;
  from: number; // token index, inclusive
  to: number; // token index, exclusive
  role?: EvidenceRole;
}

interface Compiled {
  phrases: Map<string, PhraseEntry[]>;
  maxLen: Map<string, number>;
  stems: { stem: string; entry: PhraseEntry }[];
  /** per category: suppressNear keys, suppressListing keys */
  near: Map<WildlifeCategory, Set<string>>;
  listing: Map<WildlifeCategory, Set<string>>;
  codeRequires: Set<string>[];
  groupTaxa: (CitesTaxon | undefined)[];
  taxonomy?: CitesTaxonomy;
  genusStop: Set<string>;
  /** every phrase that suppresses some group (near or listing-wide) */
  suppressors: Set<string>;
}

const W = { strong: 0.75, code: 0.6, binomial: 0.8, genus: 0.35, commonMulti: 0.5, commonSingle: 0.2, anchor: 0.4 };
const WINDOW = 4;
/** longest phrase, in tokens, that containment checks look back over */
const MAX_PHRASE = 8;
const COMPOUND_SUPPRESS = ['farb', 'optik', 'imitat', 'kunst', 'plusch', 'druck'];
/** Genus names that are also everyday words or brands: never evidence on their own. */
const GENUS_STOP = [
  'python', 'boa', 'naja', 'aloe', 'vanilla', 'gorilla', 'lynx', 'puma', 'ara', 'hippocampus', 'alligator', 'caiman', 'falco', 'aquila', 'equus',
  'lama', 'bos', 'ovis', 'capra', 'canis', 'felis', 'iguana', 'pongo', 'cebus', 'saiga', 'manis', 'totoaba', 'giraffa', 'prunus', 'taxus', 'panax',
  'hoodia', 'cyclamen', 'galanthus', 'euphorbia', 'opuntia', 'cereus', 'panthera', 'ursus', 'leopardus', 'caracal', 'amazona', 'dendrobium',
  'cattleya', 'vanda', 'phalaenopsis', 'cymbidium', 'oncidium', 'nepenthes', 'tillandsia', 'mantella', 'morelia', 'varanus', 'chamaeleo', 'strix',
  'bubo', 'otus', 'tyto', 'ninox', 'buteo', 'milvus', 'circus', 'cuora', 'testudo', 'hydrocynus', 'cobra', 'elephas', 'rhinoceros', 'diceros',
  'schlumbergera', 'hatiora', 'mammillaria', 'echinocactus', 'ferocactus', 'ariocarpus', 'astrophytum',
];

let compiled: Compiled | undefined;
let compiledNoTaxonomy: Compiled | undefined;

function add(c: Compiled, term: string, entry: PhraseEntry): void {
  addKey(c, phraseKey(term), entry);
}

function addKey(c: Compiled, key: string, entry: PhraseEntry): void {
  if (key === '') return;
  let list = c.phrases.get(key);
  if (!list) c.phrases.set(key, (list = []));
  list.push(entry);
  const first = key.split(' ', 1)[0];
  const len = key.split(' ').length;
  if ((c.maxLen.get(first) ?? 0) < len) c.maxLen.set(first, len);
}

function addSet(map: Map<WildlifeCategory, Set<string>>, category: WildlifeCategory, words: readonly string[] | undefined): void {
  if (!words) return;
  let s = map.get(category);
  if (!s) map.set(category, (s = new Set()));
  for (const w of words) s.add(phraseKey(w));
}

/** Compiles the lexicon (and, unless disabled, the CITES common names) into one phrase table. */
function compile(withTaxonomy: boolean): Compiled {
  const c: Compiled = {
    phrases: new Map(),
    maxLen: new Map(),
    stems: [],
    near: new Map(),
    listing: new Map(),
    codeRequires: [],
    groupTaxa: [],
    genusStop: new Set(GENUS_STOP),
    suppressors: new Set(),
  };
  const taxonomy = withTaxonomy ? citesTaxonomy() : undefined;
  c.taxonomy = taxonomy;
  LEXICON.forEach((g: LexiconGroup, gi) => {
    c.groupTaxa[gi] = taxonomy?.resolve(g.taxon)?.taxon;
    for (const t of g.strong ?? []) add(c, t, { kind: 'strong', category: g.category, weight: W.strong, group: gi });
    for (const t of g.anchor ?? []) add(c, t, { kind: 'anchor', category: g.category, weight: W.anchor, group: gi });
    for (const cw of g.code ?? []) {
      const ci = c.codeRequires.length;
      c.codeRequires.push(new Set(cw.requires.map(phraseKey)));
      add(c, cw.term, { kind: 'code', category: g.category, weight: cw.weight ?? W.code, group: gi, code: ci });
      for (const r of cw.requires) add(c, r, { kind: 'context', weight: 0 });
    }
    for (const s of g.stems?.strong ?? []) c.stems.push({ stem: phraseKey(s), entry: { kind: 'strong', category: g.category, weight: W.strong, group: gi } });
    for (const s of g.stems?.anchor ?? []) c.stems.push({ stem: phraseKey(s), entry: { kind: 'anchor', category: g.category, weight: W.anchor, group: gi } });
    addSet(c.near, g.category, g.suppressNear);
    addSet(c.listing, g.category, g.suppressListing);
    for (const w of [...(g.suppressNear ?? []), ...(g.suppressListing ?? [])]) {
      add(c, w, { kind: 'suppress', weight: 0 });
      c.suppressors.add(phraseKey(w));
    }
  });
  for (const p of PRODUCTS) for (const t of p.terms) add(c, t, { kind: 'product', weight: p.weight, product: p });
  for (const t of TRADE_TERMS.terms) add(c, t, { kind: 'trade', weight: TRADE_TERMS.weight, product: TRADE_TERMS });
  for (const t of IMITATION_WORDS) add(c, t, { kind: 'imitation', weight: 0 });
  for (const t of DEPICTION_WORDS) add(c, t, { kind: 'depiction', weight: 0 });
  for (const t of NEGATORS) add(c, t, { kind: 'negator', weight: 0 });
  for (const t of CULTIVATED_WORDS) add(c, t, { kind: 'cultivated', weight: 0 });
  for (const t of SUBSTITUTE_WORDS) add(c, t, { kind: 'substitute', weight: 0 });
  if (taxonomy) {
    // CITES common names (EN/ES/FR) of listed taxa
    for (const e of taxonomy.entries()) {
      if (e.common.length === 0) continue;
      const t = taxonomy.taxon(e.index);
      if (t.appendices.length === 0) continue;
      const category = categoryOfTaxon(t);
      for (const name of e.common) {
        if (/domestic|dom[eé]stic/i.test(name)) continue;
        const key = phraseKey(name);
        if (key.length < 4) continue;
        const multi = key.includes(' ');
        addKey(c, key, { kind: 'common-name', category, weight: multi ? W.commonMulti : W.commonSingle, taxonIndex: e.index });
      }
    }
  }
  return c;
}

function getCompiled(withTaxonomy: boolean): Compiled {
  if (withTaxonomy) return (compiled ??= compile(true));
  return (compiledNoTaxonomy ??= compile(false));
}

const isPlant = (c: WildlifeCategory) => PLANT_CATEGORIES.includes(c);
const ALPHA = /^[a-z][a-z-]*$/;

/** All phrase hits (overlapping) and scientific-name hits of a token list. */
function scan(c: Compiled, tokens: Token[]): Hit[] {
  const hits: Hit[] = [];
  const n = tokens.length;
  for (let i = 0; i < n; i++) {
    const first = tokens[i].text;
    const max = c.maxLen.get(first);
    if (max !== undefined) {
      let key = first;
      for (let len = 1; len <= max && i + len <= n; len++) {
        if (len > 1) key += ` ${tokens[i + len - 1].text}`;
        const entries = c.phrases.get(key);
        if (entries) for (const entry of entries) hits.push({ entry, key, from: i, to: i + len });
      }
    } else if (first.length >= 5 && !tokens[i].cjk) {
      // compounds (German) and unspaced scripts (Thai): a stem inside a longer token
      for (const s of c.stems) {
        if (first.includes(s.stem) && !COMPOUND_SUPPRESS.some((x) => first.includes(x))) {
          hits.push({ entry: s.entry, key: `${first}#${s.stem}`, from: i, to: i + 1 });
        }
      }
    }
    // scientific names
    const tx = c.taxonomy;
    if (tx && first.length >= 3 && tx.isGenusWord(first) && ALPHA.test(first)) {
      let found = false;
      for (let len = 3; len >= 2 && !found; len--) {
        if (i + len > n) continue;
        let key = first;
        let ok = true;
        for (let k = 1; k < len; k++) {
          const t = tokens[i + k];
          if (t.cjk || !ALPHA.test(t.text) || t.capitalised) {
            ok = false;
            break;
          }
          key += ` ${t.text}`;
        }
        if (!ok) continue;
        const idx = tx.indexOf(key);
        if (idx !== undefined && tx.rankAt(idx) !== 'GENUS') {
          hits.push({ entry: { kind: 'strong', weight: W.binomial, taxonIndex: idx }, key, from: i, to: i + len, role: 'binomial' });
          found = true;
        }
      }
      if (!found && tokens[i].capitalised && first.length >= 4 && !c.genusStop.has(first)) {
        const idx = tx.indexOf(first);
        if (idx !== undefined && tx.rankAt(idx) === 'GENUS') {
          hits.push({ entry: { kind: 'anchor', weight: W.genus, taxonIndex: idx }, key: first, from: i, to: i + 1, role: 'genus' });
        }
      }
    }
  }
  return hits;
}

interface Scored {
  category: WildlifeCategory;
  score: number;
  evidence: { hit: Hit; role: EvidenceRole; weight: number }[];
  taxon?: WildlifeMatch['taxon'];
}

const EVIDENCE_KINDS = new Set<HitKind>(['strong', 'anchor', 'code', 'common-name']);

/** Why a piece of evidence was cancelled (see the context rules at the top of this file). */
export type CancelRule =
  | 'negated'
  | 'listing-context'
  | 'cultivated'
  | 'substitute-material'
  | 'imitation'
  | 'depiction'
  | 'context'
  | 'code-without-context'
  | 'cancelled-elsewhere';

interface Cancelled {
  hit: Hit;
  category: WildlifeCategory;
  rule: CancelRule;
  /** token index of the word that cancelled it, or -1 */
  at: number;
}

function evaluate(c: Compiled, tokens: Token[], hits: Hit[], explain = false): { scored: Scored[]; cancelled: Cancelled[] } {
  const tx = c.taxonomy;
  // categories of taxonomy hits
  const categoryOf = (h: Hit): WildlifeCategory | undefined => {
    if (h.entry.category) return h.entry.category;
    if (h.entry.taxonIndex !== undefined && tx) {
      const t = tx.taxon(h.entry.taxonIndex);
      if (t.appendices.length === 0) return undefined;
      return categoryOfTaxon(t);
    }
    return undefined;
  };
  const n = tokens.length;
  const present = new Set<string>();
  const neg = new Uint8Array(n + 2);
  const imit = new Uint8Array(n);
  let imitExempt: Map<number, readonly WildlifeCategory[]> | undefined;
  const depic = new Uint8Array(n);
  const supp: (string[] | undefined)[] = new Array(n);
  let cultivated = false;
  let substitute = false;
  for (const h of hits) {
    present.add(h.key);
    switch (h.entry.kind) {
      case 'negator':
        neg[h.from + 2] = 1; // shifted by 2 so `negated` needs no bounds checks
        break;
      case 'imitation':
        imit[h.from] = 1;
        if (IMITATION_EXEMPT[h.key]) (imitExempt ??= new Map()).set(h.from, IMITATION_EXEMPT[h.key]);
        break;
      case 'depiction':
        depic[h.from] = 1;
        break;
      case 'cultivated':
        cultivated = true;
        break;
      default:
        break;
    }
    // any phrase can be a suppressor of some group (e.g. 'os' is a product and a parrot suppressor)
    if (c.suppressors.has(h.key)) (supp[h.from] ??= []).push(h.key);
  }
  const negated = (at: number) => neg[at + 1] === 1 || neg[at] === 1; // a negator 1 or 2 tokens before `at`
  for (const h of hits) if (h.entry.kind === 'substitute' && !negated(h.from)) substitute = true;
  // suppressor keys present anywhere, not negated (listing-wide rules)
  const listingKeys = new Map<string, number>();
  supp.forEach((keys, at) => {
    if (keys && !negated(at)) for (const k of keys) if (!listingKeys.has(k)) listingKeys.set(k, at);
  });
  /** token index of a flagged word within the window around `h` (not negated), or -1 */
  const nearFlag = (h: Hit, flags: Uint8Array): number => {
    for (let at = Math.max(0, h.from - WINDOW), end = Math.min(n, h.to + WINDOW); at < end; at++) {
      if (at === h.from) at = h.to;
      if (at < end && flags[at] === 1 && !negated(at)) return at;
    }
    return -1;
  };
  const nearSuppressor = (h: Hit, set: Set<string>): number => {
    for (let at = Math.max(0, h.from - WINDOW), end = Math.min(n, h.to + WINDOW); at < end; at++) {
      if (at === h.from) at = h.to;
      const keys = at < end ? supp[at] : undefined;
      if (keys && !negated(at)) for (const k of keys) if (set.has(k)) return at;
    }
    return -1;
  };
  const cancelled: Cancelled[] = [];
  const cancel = (h: Hit, category: WildlifeCategory, rule: CancelRule, at = -1) => {
    if (explain) cancelled.push({ hit: h, category, rule, at });
  };

  const context: Hit[] = [];
  const cancelledKeys = new Set<string>();
  const candidates: { hit: Hit; category: WildlifeCategory }[] = [];
  for (const h of hits) {
    const k = h.entry.kind;
    if (k === 'product' || k === 'trade') {
      if (nearFlag(h, imit) < 0) context.push(h);
      continue;
    }
    if (!EVIDENCE_KINDS.has(k) && h.role === undefined) continue;
    const category = categoryOf(h);
    if (!category) continue;
    if (k === 'code' && h.entry.code !== undefined) {
      let ok = false;
      for (const r of c.codeRequires[h.entry.code]) if (present.has(r)) ok = true;
      if (!ok) {
        cancel(h, category, 'code-without-context');
        continue;
      }
    }
    const weak = h.entry.weight < 0.5;
    if (neg[h.from + 1] === 1) {
      cancel(h, category, 'negated', h.from - 1); // "not ivory"
      continue;
    }
    const listingSet = c.listing.get(category);
    if (listingSet) {
      let at = -1;
      for (const key of listingSet) if (listingKeys.has(key)) at = listingKeys.get(key) as number;
      if (at >= 0) {
        cancel(h, category, 'listing-context', at);
        continue;
      }
    }
    if (cultivated && isPlant(category)) {
      cancel(h, category, 'cultivated');
      continue;
    }
    if (substitute && SUBSTITUTE_CATEGORIES.includes(category)) {
      cancel(h, category, 'substitute-material');
      continue;
    }
    const nearSet = c.near.get(category);
    let at = nearFlag(h, imit);
    if (at >= 0 && imitExempt?.get(at)?.includes(category)) at = -1;
    let rule: CancelRule = 'imitation';
    if (at < 0 && weak) {
      at = nearFlag(h, depic);
      rule = 'depiction';
    }
    if (at < 0 && nearSet) {
      at = nearSuppressor(h, nearSet);
      rule = 'context';
    }
    if (at >= 0) {
      cancel(h, category, rule, at);
      cancelledKeys.add(h.key);
      continue;
    }
    candidates.push({ hit: h, category });
  }
  type Ev = { hit: Hit; category: WildlifeCategory; weight: number; role: EvidenceRole };
  const evidence: Ev[] = [];
  for (const { hit: h, category } of candidates) {
    if (cancelledKeys.has(h.key)) {
      cancel(h, category, 'cancelled-elsewhere');
      continue;
    }
    const role: EvidenceRole = h.role ?? (h.entry.kind === 'common-name' ? 'common-name' : (h.entry.kind as EvidenceRole));
    evidence.push({ hit: h, category, weight: h.entry.weight, role });
  }
  // a hit inside a longer (or heavier) hit of the same category does not count twice
  const starts = new Map<string, Ev[]>();
  for (const e of evidence) {
    const key = `${e.category}@${e.hit.from}`;
    const l = starts.get(key);
    if (l) l.push(e);
    else starts.set(key, [e]);
  }
  const kept = evidence.filter((e) => {
    for (let f = Math.max(0, e.hit.from - MAX_PHRASE); f <= e.hit.from; f++) {
      const l = starts.get(`${e.category}@${f}`);
      if (l) for (const o of l) if (o !== e && o.hit.to >= e.hit.to && (o.hit.to - o.hit.from > e.hit.to - e.hit.from || o.weight > e.weight)) return false;
    }
    return true;
  });
  const byCategory = new Map<WildlifeCategory, typeof kept>();
  for (const e of kept) {
    let l = byCategory.get(e.category);
    if (!l) byCategory.set(e.category, (l = []));
    // same span, same category (lexicon anchor and CITES common name): keep one
    if (!l.some((o) => o.hit.from === e.hit.from && o.hit.to === e.hit.to && o.weight >= e.weight)) {
      for (let i = l.length - 1; i >= 0; i--) if (l[i].hit.from === e.hit.from && l[i].hit.to === e.hit.to) l.splice(i, 1);
      l.push(e);
    }
  }
  const out: Scored[] = [];
  for (const [category, ev] of byCategory) {
    const seen = new Set<string>();
    let miss = 1;
    const used: Scored['evidence'] = [];
    for (const e of ev.sort((a, b) => b.weight - a.weight)) {
      if (seen.has(e.hit.key)) continue;
      seen.add(e.hit.key);
      miss *= 1 - e.weight;
      used.push({ hit: e.hit, role: e.role, weight: e.weight });
    }
    const marked = new Uint8Array(n);
    for (const e of ev) marked.fill(1, e.hit.from, e.hit.to);
    const evidenceTokens = (i: number) => marked[i] === 1;
    let products = 0;
    let trade = 0;
    let skin = false;
    for (const h of context.sort((a, b) => b.to - b.from - (a.to - a.from))) {
      const p = h.entry.product as ContextTerm;
      if (seen.has(h.key) || evidenceTokens(h.from)) continue;
      if (h.entry.kind === 'product') {
        if (p.only ? !p.only.includes(category) : p.plant ? !isPlant(category) : isPlant(category)) continue;
        if (products >= 2) continue;
        products++;
        if (p.skin) skin = true;
      } else {
        if (trade >= 2) continue;
        trade++;
      }
      seen.add(h.key);
      miss *= 1 - h.entry.weight;
      used.push({ hit: h, role: h.entry.kind === 'product' ? 'product' : 'trade', weight: h.entry.weight });
    }
    const score = Math.round((1 - miss) * 1000) / 1000;
    // taxon: scientific name (binomial first) > CITES common name (multi-word first) > the lexicon
    // group's taxon; looked up over all evidence of the category, also hits inside longer ones
    // ("leopard" inside "leopard pelt" names Panthera pardus)
    let taxon: Scored['taxon'];
    const all = evidence.filter((e) => e.category === category).sort((a, b) => b.weight - a.weight);
    const sci = all.find((u) => u.role === 'binomial') ?? all.find((u) => u.role === 'genus');
    const common = all.find((u) => u.role === 'common-name');
    const group = used.find((u) => u.hit.entry.group !== undefined) ?? all.find((u) => u.hit.entry.group !== undefined);
    if (sci && tx) {
      const t = tx.taxon(sci.hit.entry.taxonIndex as number);
      taxon = { name: t.name, appendix: t.appendix, via: 'scientific-name' };
    } else if (common && tx) {
      const t = tx.taxon(common.hit.entry.taxonIndex as number);
      taxon = { name: t.name, appendix: t.appendix, via: 'common-name' };
    } else if (group) {
      const t = c.groupTaxa[group.hit.entry.group as number];
      if (t) taxon = { name: t.name, appendix: t.appendix, via: 'lexicon' };
    }
    out.push({ category: skin && category === 'live-reptile' ? 'reptile-skin' : category, score, evidence: used, taxon });
  }
  return { scored: out.sort((a, b) => b.score - a.score), cancelled };
}

/**
 * Finds CITES-listed wildlife in a text (a listing title and description, a forum post, a page).
 * Returns one match per category with score >= `minScore` (default 0.5), strongest first; an
 * empty array means "not wildlife". Spans are offsets into `text` as given.
 *
 * @throws InvalidInputError when `text` is not a string
 */
export function detectWildlife(text: string, options: DetectWildlifeOptions = {}): WildlifeMatch[] {
  if (typeof text !== 'string') throw new InvalidInputError(`detectWildlife expects a string, got ${text === null ? 'null' : typeof text}; pass the listing's title and description as text`);
  const minScore = options.minScore ?? WILDLIFE_THRESHOLD;
  const c = getCompiled(options.taxonomy !== false);
  const input = text.length > MAX_TEXT_LENGTH ? text.slice(0, MAX_TEXT_LENGTH) : text;
  const tokens = tokenize(input);
  const { scored } = evaluate(c, tokens, scan(c, tokens));
  const out: WildlifeMatch[] = [];
  for (const s of scored) {
    if (s.score < minScore || s.score === 0) continue;
    const ev = s.evidence
      .map((e) => {
        const span: [number, number] = [tokens[e.hit.from].start, tokens[e.hit.to - 1].end];
        return { text: input.slice(span[0], span[1]), span, role: e.role, weight: e.weight };
      })
      .sort((a, b) => a.span[0] - b.span[0]);
    const strongest = s.evidence.find((e) => e.role !== 'product' && e.role !== 'trade') ?? s.evidence[0];
    out.push({
      category: s.category,
      ...(s.taxon ? { taxon: s.taxon } : {}),
      score: s.score,
      spans: ev.map((e) => [e.span[0], e.span[1]]),
      term: input.slice(tokens[strongest.hit.from].start, tokens[strongest.hit.to - 1].end),
      evidence: ev,
    });
  }
  return out;
}

/** Evidence the context rules cancelled, with the rule and the word that triggered it. */
export interface CancelledEvidence {
  readonly text: string;
  readonly span: readonly [number, number];
  readonly category: WildlifeCategory;
  readonly rule: CancelRule;
  /** the word that cancelled it ("wedding", "balm", "mammoth"), when there is one */
  readonly by?: { readonly text: string; readonly span: readonly [number, number] };
}

/** The result of {@link explainWildlife}. */
export interface WildlifeExplanation {
  /** every match, weak ones included, strongest first */
  readonly matches: WildlifeMatch[];
  readonly cancelled: CancelledEvidence[];
  readonly threshold: number;
  readonly isWildlife: boolean;
}

/**
 * Explains a decision: all matches (weak ones too) and every piece of evidence the context rules
 * cancelled, with the rule and the word that cancelled it ("ivory" cancelled by "wedding",
 * rule `context`). For analysts checking a miss or a false alarm; slower than {@link detectWildlife}.
 */
export function explainWildlife(text: string, options: Pick<DetectWildlifeOptions, 'taxonomy'> = {}): WildlifeExplanation {
  const matches = detectWildlife(text, { ...options, minScore: 0 });
  const input = text.length > MAX_TEXT_LENGTH ? text.slice(0, MAX_TEXT_LENGTH) : text;
  const c = getCompiled(options.taxonomy !== false);
  const tokens = tokenize(input);
  const { cancelled } = evaluate(c, tokens, scan(c, tokens), true);
  const seen = new Set<string>();
  const out: CancelledEvidence[] = [];
  for (const x of cancelled) {
    const span: [number, number] = [tokens[x.hit.from].start, tokens[x.hit.to - 1].end];
    const id = `${span[0]}:${span[1]}:${x.category}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const by = x.at >= 0 ? { text: input.slice(tokens[x.at].start, tokens[x.at].end), span: [tokens[x.at].start, tokens[x.at].end] as const } : undefined;
    out.push({ text: input.slice(span[0], span[1]), span, category: x.category, rule: x.rule, ...(by ? { by } : {}) });
  }
  return { matches, cancelled: out, threshold: WILDLIFE_THRESHOLD, isWildlife: matches.some((m) => m.score >= WILDLIFE_THRESHOLD) };
}

/** A match in a listing: spans are offsets into the field they are in. */
export interface ListingWildlifeMatch extends WildlifeMatch {
  /** for each span of `spans`, the listing field it points into */
  readonly fields: readonly ('title' | 'description')[];
}

/**
 * {@link detectWildlife} over a listing's title and description, read together (a code word in
 * the title and its context in the description support each other). Spans point into the field
 * named by the same index of `fields`.
 */
export function detectListingWildlife(listing: Pick<Listing, 'title' | 'description'>, options: DetectWildlifeOptions = {}): ListingWildlifeMatch[] {
  if (listing === null || typeof listing !== 'object' || typeof listing.title !== 'string') {
    throw new InvalidInputError('detectListingWildlife expects a listing with a string title (and optionally a description)');
  }
  const title = listing.title;
  const description = typeof listing.description === 'string' ? listing.description : '';
  const sep = '\n\n';
  const text = description ? title + sep + description : title;
  const offset = title.length + sep.length;
  return detectWildlife(text, options).map((m) => {
    const fields: ('title' | 'description')[] = [];
    const spans = m.spans.map(([a, b]): [number, number] => {
      if (a >= offset) {
        fields.push('description');
        return [a - offset, b - offset];
      }
      fields.push('title');
      return [a, Math.min(b, title.length)];
    });
    const evidence = m.evidence.map((e) => ({ ...e, span: (e.span[0] >= offset ? [e.span[0] - offset, e.span[1] - offset] : [e.span[0], Math.min(e.span[1], title.length)]) as [number, number] }));
    return { ...m, spans, fields, evidence };
  });
}

/** True when the text (or listing) is wildlife: some match has score >= {@link WILDLIFE_THRESHOLD}. */
export function isWildlife(input: string | Pick<Listing, 'title' | 'description'>, options: Omit<DetectWildlifeOptions, 'minScore'> = {}): boolean {
  const matches = typeof input === 'string' ? detectWildlife(input, options) : detectListingWildlife(input, options);
  return matches.length > 0;
}

/** Compiles the lexicon and loads the taxonomy now (otherwise the first detection does it). */
export function prepareWildlifeDetector(options: Pick<DetectWildlifeOptions, 'taxonomy'> = {}): { phrases: number; ms: number } {
  const t0 = performance.now();
  const c = getCompiled(options.taxonomy !== false);
  return { phrases: c.phrases.size, ms: performance.now() - t0 };
}
