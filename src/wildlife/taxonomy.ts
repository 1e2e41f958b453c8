/**
 * The CITES taxonomy: every taxon of the CITES checklist (Species+ export, 2017-04-21, plus the
 * documented overrides) with its rank, listing, higher taxa, synonyms and common names.
 *
 * Data: `data/cites-taxonomy.generated.json`, written by `scripts/wildlife/generate-taxonomy.ts`
 * (format `wildtrace-cites-taxonomy/1`, described at the top of that script). Attribution:
 * CITES Checklist / Species+, UNEP-WCMC.
 *
 * Listing rule: a taxon's own annotation lines name its appendices ("Appendix I: …", "Appendix II:
 * …" → split listing I/II). A taxon without lines of its own inherits the appendices of the nearest
 * ancestor that has them (species ← genus ← family ← order), so an orchid species the checklist does
 * not name individually still gets Appendix II from Orchidaceae. `NC` marks a taxon excluded from
 * the Appendices (e.g. the budgerigar inside Psittaciformes); it stops the inheritance.
 *
 * Resolution: accepted name → itself; synonym → its accepted name; an unknown binomial whose genus
 * is known → the genus (and through it the listing); anything else → undefined.
 *
 * The file is read once, lazily, on the first call (synchronously from disk next to this module,
 * in `src/` under tsx/vitest and in `dist/` in the built package).
 */
import { readFileSync } from 'node:fs';
import { WildtraceError } from '../model/errors.js';

/** A CITES appendix. */
export type CitesAppendix = 'I' | 'II' | 'III';

/** Taxonomic rank as the checklist names it. */
export type TaxonRank = 'KINGDOM' | 'PHYLUM' | 'CLASS' | 'ORDER' | 'FAMILY' | 'SUBFAMILY' | 'GENUS' | 'SPECIES' | 'SUBSPECIES' | 'VARIETY';

/** One taxon of the CITES checklist. */
export interface CitesTaxon {
  /** accepted scientific name, e.g. `Loxodonta africana` */
  readonly name: string;
  readonly rank: TaxonRank;
  /** effective appendices (own, or inherited from the nearest listed ancestor); empty = not listed */
  readonly appendices: readonly CitesAppendix[];
  /** the appendices as the checklist writes them, e.g. `I/II`; `''` when not listed */
  readonly appendix: string;
  /** the taxon whose listing applies: itself or the ancestor it inherits from */
  readonly listedAs: string;
  /** the checklist's CurrentListing: appendices of this taxon and its members (`I/II/NC` …) */
  readonly memberListing: string;
  /** CITES annotation (`#4` …) that applies, with its text */
  readonly annotation?: { readonly symbol: string; readonly text: string };
  /** higher taxa from kingdom down to the parent, by rank */
  readonly higher: Readonly<Partial<Record<TaxonRank, string>>>;
  readonly synonyms: readonly string[];
  readonly commonNames: { readonly en: readonly string[]; readonly es: readonly string[]; readonly fr: readonly string[] };
}

/** How a name was resolved. */
export interface TaxonResolution {
  /** the name that was asked for */
  readonly query: string;
  /** `accepted` name, `synonym` of an accepted name, or a binomial known only by its `genus` */
  readonly via: 'accepted' | 'synonym' | 'genus';
  readonly taxon: CitesTaxon;
}

interface TaxonomyFile {
  attribution: string;
  format: string;
  ranks: Record<string, TaxonRank>;
  annotations: Record<string, string>;
  rows: string[];
}

const DATA_FILE = 'cites-taxonomy.generated.json';

/** Lower-cases and collapses white space: the key of the name indexes. */
const key = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The loaded checklist. Taxa are materialised on demand from compact arrays; the name indexes
 * (accepted names and synonyms, lower-case) are built once at load.
 */
export class CitesTaxonomy {
  /** attribution line of the data */
  readonly attribution: string;
  /** number of taxa */
  readonly size: number;
  /** milliseconds spent reading, parsing and indexing the data file */
  readonly loadMs: number;
  private readonly names: string[];
  private readonly ranks: TaxonRank[];
  private readonly parents: Int32Array;
  private readonly rows: string[];
  private readonly annotationTexts: Record<string, string>;
  private readonly byName = new Map<string, number>();
  private readonly bySynonym = new Map<string, number>();
  private readonly cache = new Map<number, CitesTaxon>();
  /** first words of all accepted names and synonyms (lower-case): the prefilter of name lookups */
  private readonly firstWords = new Set<string>();

  /** Takes the generated file (its JSON text or parsed). Prefer {@link loadTaxonomy} / {@link citesTaxonomy}. */
  constructor(json: string | object) {
    const t0 = performance.now();
    let doc: TaxonomyFile;
    try {
      doc = (typeof json === 'string' ? JSON.parse(json) : json) as TaxonomyFile;
    } catch (cause) {
      throw new WildtraceError('TAXONOMY_CORRUPT', `the CITES taxonomy file is not valid JSON; regenerate it with scripts/wildlife/generate-taxonomy.ts`, { cause });
    }
    if (doc === null || typeof doc !== 'object' || doc.format !== 'wildtrace-cites-taxonomy/1' || !Array.isArray(doc.rows)) {
      throw new WildtraceError('TAXONOMY_CORRUPT', `the CITES taxonomy file has format ${String((doc as TaxonomyFile | null)?.format)}, expected wildtrace-cites-taxonomy/1; regenerate it with scripts/wildlife/generate-taxonomy.ts`);
    }
    this.attribution = doc.attribution;
    this.annotationTexts = doc.annotations;
    this.rows = doc.rows;
    const n = doc.rows.length;
    this.size = n;
    this.names = new Array<string>(n);
    this.ranks = new Array<TaxonRank>(n);
    this.parents = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const row = doc.rows[i];
      const f = row.split('|', 7);
      const parent = f[2] === '' || f[2] === undefined ? -1 : i - Number(f[2]);
      this.parents[i] = parent;
      this.ranks[i] = doc.ranks[f[1]];
      const local = f[0];
      const name = local.startsWith('=') ? local.slice(1) : parent >= 0 && isBelowGenus(this.ranks[i]) ? `${this.names[parent]} ${local}` : local;
      this.names[i] = name;
      // names in the generated file are already trimmed and single-spaced
      const lower = name.toLowerCase();
      this.byName.set(lower, i);
      const sp = lower.indexOf(' ');
      this.firstWords.add(sp < 0 ? lower : lower.slice(0, sp));
      const syn = f[6];
      if (syn) {
        const genus = this.genusOf(i);
        for (const s of syn.split(',')) {
          const full = s.charCodeAt(0) === 126 /* ~ */ ? `${genus} ${s.slice(1)}` : s;
          const k = full.toLowerCase();
          if (!this.bySynonym.has(k)) this.bySynonym.set(k, i);
          const sp2 = k.indexOf(' ');
          this.firstWords.add(sp2 < 0 ? k : k.slice(0, sp2));
        }
      }
    }
    this.loadMs = performance.now() - t0;
  }

  private genusOf(i: number): string {
    let j = i;
    while (j >= 0 && this.ranks[j] !== 'GENUS') j = this.parents[j];
    return j >= 0 ? this.names[j] : '';
  }

  /** The taxon with this accepted name (case-insensitive), or undefined. */
  get(name: string): CitesTaxon | undefined {
    const i = this.byName.get(key(name));
    return i === undefined ? undefined : this.taxon(i);
  }

  /**
   * Resolves a scientific name: an accepted name, a synonym (→ its accepted name, e.g.
   * `Phataginus tricuspis` → `Manis tricuspis`), or an unknown binomial whose genus is in the
   * checklist (→ the genus, carrying the listing the species inherits).
   */
  resolve(name: string): TaxonResolution | undefined {
    const k = key(name);
    const a = this.byName.get(k);
    if (a !== undefined) return { query: name, via: 'accepted', taxon: this.taxon(a) };
    const s = this.bySynonym.get(k);
    if (s !== undefined) return { query: name, via: 'synonym', taxon: this.taxon(s) };
    const sp = k.indexOf(' ');
    if (sp > 0) {
      const g = k.slice(0, sp);
      const gi = this.byName.get(g) ?? this.bySynonym.get(g);
      if (gi !== undefined && this.ranks[gi] === 'GENUS') return { query: name, via: 'genus', taxon: this.taxon(gi) };
    }
    return undefined;
  }

  /** Index of an accepted name or synonym (lower-case key), for the detector's token lookup. */
  indexOf(lowerName: string): number | undefined {
    return this.byName.get(lowerName) ?? this.bySynonym.get(lowerName);
  }

  /** True when `lowerWord` is the first word (a genus or higher taxon) of some accepted name or synonym. */
  isGenusWord(lowerWord: string): boolean {
    return this.firstWords.has(lowerWord);
  }

  /** Rank of the taxon at `index`. */
  rankAt(index: number): TaxonRank {
    return this.ranks[index];
  }

  /** The taxon at `index` (0 ≤ index < size). */
  taxon(index: number): CitesTaxon {
    const hit = this.cache.get(index);
    if (hit) return hit;
    if (!(index >= 0 && index < this.size)) throw new RangeError(`taxon index ${index} out of range 0..${this.size - 1}`);
    const f = this.rows[index].split('|');
    // effective listing: own appendices, else the nearest ancestor's; NC stops inheritance
    let j = index;
    let own = f[3] ?? '';
    while (own === '' && this.parents[j] >= 0) {
      j = this.parents[j];
      own = this.rows[j].split('|', 4)[3] ?? '';
    }
    const appendices = own === '' || own === 'NC' ? [] : (own.split('/') as CitesAppendix[]);
    let symbol = '';
    for (let a = index; a >= 0; a = this.parents[a]) {
      const s = this.rows[a].split('|', 6)[5] ?? '';
      if (s === '-') break;
      if (s !== '') {
        symbol = s;
        break;
      }
    }
    const higher: Partial<Record<TaxonRank, string>> = {};
    for (let a = this.parents[index]; a >= 0; a = this.parents[a]) higher[this.ranks[a]] = this.names[a];
    const genus = this.ranks[index] === 'GENUS' ? this.names[index] : (higher.GENUS ?? '');
    const list = (s: string | undefined) => (s ? s.split(',') : []);
    const t: CitesTaxon = {
      name: this.names[index],
      rank: this.ranks[index],
      appendices,
      appendix: appendices.join('/'),
      listedAs: appendices.length ? this.names[j] : '',
      memberListing: f[4] || f[3] || '',
      ...(symbol ? { annotation: { symbol: `#${symbol}`, text: this.annotationTexts[symbol] ?? '' } } : {}),
      higher,
      synonyms: list(f[6]).map((s) => (s.startsWith('~') ? `${genus} ${s.slice(1)}` : s)),
      commonNames: { en: list(f[7]), es: list(f[8]), fr: list(f[9]) },
    };
    this.cache.set(index, t);
    return t;
  }

  /** Iterates over every taxon index with its accepted name and common names (for index building). */
  *entries(): Generator<{ index: number; name: string; rank: TaxonRank; common: string[] }> {
    for (let i = 0; i < this.size; i++) {
      const f = this.rows[i].split('|');
      yield { index: i, name: this.names[i], rank: this.ranks[i], common: [...list(f[7]), ...list(f[8]), ...list(f[9])] };
    }
    function list(s: string | undefined) {
      return s ? s.split(',') : [];
    }
  }
}

const isBelowGenus = (r: TaxonRank) => r === 'SPECIES' || r === 'SUBSPECIES' || r === 'VARIETY';

let loaded: CitesTaxonomy | undefined;

/**
 * The CITES taxonomy, read from disk on the first call and kept for the life of the process.
 * Synchronous, so the detector can use it; see {@link loadTaxonomy} to load it ahead of time.
 */
export function citesTaxonomy(): CitesTaxonomy {
  if (!loaded) {
    let json: string;
    const url = new URL(`./data/${DATA_FILE}`, import.meta.url);
    try {
      json = readFileSync(url, 'utf8');
    } catch (cause) {
      throw new WildtraceError('TAXONOMY_MISSING', `the CITES taxonomy file ${url.pathname} is missing; reinstall wildtrace or run scripts/wildlife/generate-taxonomy.ts`, { cause });
    }
    loaded = new CitesTaxonomy(json);
  }
  return loaded;
}

/**
 * Loads the CITES taxonomy (once, as a JSON module) and returns it; later calls and
 * {@link citesTaxonomy} share the same instance. This import also makes the TypeScript build emit
 * the data file into `dist/` next to this module.
 */
export async function loadTaxonomy(): Promise<CitesTaxonomy> {
  if (!loaded) {
    const mod = await import('./data/cites-taxonomy.generated.json', { with: { type: 'json' } });
    loaded ??= new CitesTaxonomy(mod.default);
  }
  return loaded;
}
