/**
 * Generates `src/wildlife/data/cites-taxonomy.generated.json` from the Species+ export of the
 * CITES checklist (`../shared/data/cites/Index_of_CITES_Species_2017-04-21.csv.gz`).
 *
 * Input: RFC 4180 CSV, one row per taxon, columns TaxonId, Kingdom, Phylum, Class, Order, Family,
 * Genus, Species, Subspecies, FullName, AuthorYear, RankName, CurrentListing, FullAnnotationEnglish,
 * AnnotationEnglish, …, #AnnotationSymbol, #Annotation, SynonymsWithAuthors, EnglishNames,
 * SpanishNames, FrenchNames, CitesAccepted, distributions … (distributions are dropped).
 *
 * Output (format `wildtrace-cites-taxonomy/1`, decoded by `src/wildlife/taxonomy.ts`): one row
 * string per taxon, fields separated by `|`, lists inside a field separated by `,`:
 *
 *   local name | rank | parent offset | own appendices | member listing | annotation symbol |
 *   synonyms | English names | Spanish names | French names
 *
 * - Rows are ordered so that a parent always precedes its children. Higher taxa that the checklist
 *   names only as a column (a genus or family without a row of its own) get an implicit row with
 *   no listing of their own, so every species has a full chain kingdom → … → genus.
 * - `local name`: the part after the parent's name (species epithet, subspecies epithet,
 *   `var. x`); `=Full Name` when the name does not extend the parent's.
 * - `own appendices`: the appendices this taxon's own annotation lines list ("Appendix I: …",
 *   "Appendix II: …"), e.g. `I/II` for the split listing of Loxodonta africana; `NC` for taxa
 *   excluded from the Appendices; empty = inherits from the parent.
 * - `parent offset`: this row's index minus its parent's index (empty for a kingdom).
 * - `member listing`: the checklist's CurrentListing (covers the members of a higher taxon);
 *   empty when equal to the own appendices.
 * - `annotation symbol`: the number of the checklist's #annotation; empty = same as the parent,
 *   `-` = none although the parent has one. The texts are in the `annotations` table.
 * - Synonyms are stored without authors; `~epithet` = same genus as the accepted name.
 * - The documented overrides below (name changes and listings after 2017-04-21) are applied last.
 *
 * Run: `npx tsx scripts/wildlife/generate-taxonomy.ts [input.csv.gz] [--out file.json]`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const ROOT = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const OUTPUT = outAt >= 0 ? path.resolve(args[outAt + 1]) : path.join(ROOT, 'src/wildlife/data/cites-taxonomy.generated.json');
const INPUT = args.find((a, i) => !a.startsWith('--') && (outAt < 0 || i !== outAt + 1)) ?? path.resolve(ROOT, '../shared/data/cites/Index_of_CITES_Species_2017-04-21.csv.gz');

/** RFC 4180 CSV: quoted fields may hold commas, newlines and doubled quotes. */
export function* parseCsv(text: string): Generator<string[]> {
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      yield row;
      row = [];
      field = '';
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    yield row;
  }
}

type Rank = 'KINGDOM' | 'PHYLUM' | 'CLASS' | 'ORDER' | 'FAMILY' | 'SUBFAMILY' | 'GENUS' | 'SPECIES' | 'SUBSPECIES' | 'VARIETY';
const RANK_CODE: Record<Rank, string> = {
  KINGDOM: 'K', PHYLUM: 'P', CLASS: 'C', ORDER: 'O', FAMILY: 'F', SUBFAMILY: 'f', GENUS: 'G', SPECIES: 's', SUBSPECIES: 'u', VARIETY: 'v',
};

interface Node {
  name: string;
  rank: Rank;
  parent: Node | undefined;
  own: string;
  /** the taxon's own annotation text (not written out; used to spot echoed higher-taxon listings) */
  text: string;
  members: string;
  symbol: string;
  synonyms: string[];
  en: string[];
  es: string[];
  fr: string[];
  children: Node[];
  index?: number;
}

const clean = (s: string) => s.replace(/\s+/g, ' ').trim();
const list = (s: string) => s.split(',').map(clean).filter((x) => x !== '').map((x) => x.replace(/[|]/g, '/'));
const stripHtml = (s: string) => clean(s.replace(/<p>/g, ' ').replace(/<[^>]+>/g, ''));

/** Appendices named by the taxon's own annotation lines, e.g. "Appendix I: …\nAppendix II: …" → I/II. */
function ownAppendices(annotation: string, current: string): string {
  const found = new Set<string>();
  for (const m of annotation.matchAll(/Appendix (III|II|I)\s*:/g)) found.add(m[1]);
  if (found.size === 0) return current === 'NC' ? 'NC' : '';
  return ['I', 'II', 'III'].filter((a) => found.has(a)).join('/');
}

/** Synonym names without authors: "Astrea echinata Dana, 1846, Acanthastrea spinosa Milne Edwards & Haime, 1848" → both binomials. */
function synonymNames(field: string, rank: Rank): string[] {
  const f = clean(field);
  if (f === '') return [];
  const out = new Set<string>();
  const PARTICLES = new Set(['de', 'da', 'del', 'der', 'van', 'von', 'la', 'le', 'du', 'ex', 'in', 'et', 'f', 'al']);
  for (const m of f.matchAll(/(?<![\w.])([A-Z][a-z]+(?:-[a-z]+)?)((?: (?:var\. |subsp\. |ssp\. )?[a-z][a-z-]+){1,2})/g)) {
    const epithets = m[2].trim().split(' ').filter((e) => !PARTICLES.has(e));
    if (epithets.length === 0 || PARTICLES.has(m[2].trim().split(' ')[0])) continue;
    out.add(`${m[1]} ${m[2].trim()}`);
  }
  if (rank === 'GENUS' || rank === 'FAMILY' || rank === 'ORDER' || rank === 'SUBFAMILY') {
    for (const part of f.split(',')) {
      const w = clean(part).split(' ')[0];
      if (/^[A-Z][a-z]+$/.test(w) && !/\d/.test(part)) out.add(w);
    }
  }
  return [...out];
}

/**
 * Documented overrides: changes after the 2017-04-21 export that matter for detection.
 * Each carries its source; see docs/wildlife.md.
 */
interface Override {
  /** accepted name in the checklist the override applies to (created if absent) */
  name: string;
  rank?: Rank;
  /** parent name for a taxon created by the override */
  parent?: string;
  own?: string;
  synonyms?: string[];
  en?: string[];
  source: string;
}
const OVERRIDES: Override[] = [
  {
    name: 'Manis',
    synonyms: ['Phataginus', 'Smutsia'],
    source: 'Gaubert et al. 2018 (Mol. Phylogenet. Evol.) split African pangolins into Phataginus and Smutsia; CITES/Species+ now list Phataginus tricuspis, P. tetradactyla, Smutsia gigantea, S. temminckii (all Appendix I since CoP17, 2017)',
  },
  { name: 'Manis tricuspis', synonyms: ['Phataginus tricuspis'], source: 'as above' },
  { name: 'Manis tetradactyla', synonyms: ['Phataginus tetradactyla'], source: 'as above' },
  { name: 'Manis gigantea', synonyms: ['Smutsia gigantea'], source: 'as above' },
  { name: 'Manis temminckii', synonyms: ['Smutsia temminckii'], source: 'as above' },
  { name: 'Giraffidae', rank: 'FAMILY', parent: 'Artiodactyla', source: 'family of Giraffa (not in the 2017 checklist)' },
  { name: 'Giraffa', rank: 'GENUS', parent: 'Giraffidae', own: 'II', source: 'CoP18 (2019): Giraffa camelopardalis included in Appendix II' },
  { name: 'Giraffa camelopardalis', rank: 'SPECIES', parent: 'Giraffa', own: 'II', en: ['Giraffe'], source: 'CoP18 (2019), Appendix II' },
  { name: 'Isurus', rank: 'GENUS', parent: 'Lamnidae', own: 'II', en: ['Mako sharks'], source: 'CoP18 (2019): Isurus oxyrinchus and I. paucus included in Appendix II' },
  { name: 'Carcharhinidae', rank: 'FAMILY', parent: 'Carcharhiniformes', own: 'II', en: ['Requiem sharks'], source: 'CoP19 (2022): the family Carcharhinidae included in Appendix II (in force 25 Nov 2023)' },
  { name: 'Sphyrnidae', rank: 'FAMILY', parent: 'Carcharhiniformes', own: 'II', en: ['Hammerhead sharks'], source: 'CoP19 (2022): the family Sphyrnidae included in Appendix II' },
  { name: 'Gekko', rank: 'GENUS', parent: 'Gekkonidae', source: 'genus of Gekko gecko (not in the 2017 checklist)' },
  { name: 'Gekko gecko', rank: 'SPECIES', parent: 'Gekko', own: 'II', en: ['Tokay gecko'], source: 'CoP18 (2019): Gekko gecko included in Appendix II' },
  { name: 'Centrolenidae', rank: 'FAMILY', parent: 'Anura', own: 'II', en: ['Glass frogs'], source: 'CoP19 (2022): the family Centrolenidae included in Appendix II' },
  { name: 'Rhinopristiformes', rank: 'ORDER', parent: 'Elasmobranchii', source: 'order of guitarfishes and wedgefishes (not in the 2017 checklist)' },
  { name: 'Glaucostegus', rank: 'GENUS', parent: 'Rhinopristiformes', own: 'II', en: ['Giant guitarfishes'], source: 'CoP18 (2019): Glaucostegus spp. included in Appendix II' },
  { name: 'Rhinidae', rank: 'FAMILY', parent: 'Rhinopristiformes', own: 'II', en: ['Wedgefishes'], source: 'CoP18 (2019): Rhinidae spp. included in Appendix II' },
];

function main(): void {
  const text = gunzipSync(readFileSync(INPUT)).toString('utf8');
  const rows = parseCsv(text);
  const header = rows.next().value as string[];
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`column ${name} missing from ${INPUT}; header: ${header.join(',')}`);
    return i;
  };
  const C = {
    kingdom: col('Kingdom'), phylum: col('Phylum'), class: col('Class'), order: col('Order'), family: col('Family'),
    genus: col('Genus'), species: col('Species'), full: col('FullName'), rank: col('RankName'), listing: col('CurrentListing'),
    annotation: col('AnnotationEnglish'), symbol: col('#AnnotationSymbol'), symbolText: col('#Annotation'),
    synonyms: col('SynonymsWithAuthors'), en: col('EnglishNames'), es: col('SpanishNames'), fr: col('FrenchNames'),
  };
  const byName = new Map<string, Node>();
  const annotations = new Map<string, string>();
  const roots: Node[] = [];
  const ensure = (name: string, rank: Rank, parent: Node | undefined): Node => {
    let n = byName.get(name);
    if (!n) {
      n = { name, rank, parent, own: '', text: '', members: '', symbol: '', synonyms: [], en: [], es: [], fr: [], children: [] };
      byName.set(name, n);
      (parent ? parent.children : roots).push(n);
    }
    return n;
  };
  let count = 0;
  for (const r of rows) {
    if (r.length < header.length) continue;
    count++;
    const rank = r[C.rank] as Rank;
    if (!(rank in RANK_CODE)) throw new Error(`unknown rank ${rank} for ${r[C.full]}`);
    // chain of higher taxa named in the columns
    let parent: Node | undefined;
    const chain: [number, Rank][] = [[C.kingdom, 'KINGDOM'], [C.phylum, 'PHYLUM'], [C.class, 'CLASS'], [C.order, 'ORDER'], [C.family, 'FAMILY'], [C.genus, 'GENUS']];
    const full = clean(r[C.full]);
    for (const [ci, crank] of chain) {
      const v = clean(r[ci]);
      if (v === '') continue;
      if (v === full) break;
      parent = ensure(v, crank, parent);
    }
    if (rank === 'SUBSPECIES' || rank === 'VARIETY') {
      const sp = `${clean(r[C.genus])} ${clean(r[C.species])}`;
      parent = ensure(sp, 'SPECIES', parent);
    }
    const n = ensure(full, rank, parent);
    n.rank = rank;
    n.own = ownAppendices(r[C.annotation], clean(r[C.listing]));
    n.text = clean(r[C.annotation]);
    n.members = clean(r[C.listing]);
    n.symbol = clean(r[C.symbol]).replace(/^#/, '');
    if (n.symbol && !annotations.has(n.symbol)) annotations.set(n.symbol, stripHtml(r[C.symbolText]));
    n.synonyms = synonymNames(r[C.synonyms], rank).filter((s) => s !== full);
    n.en = list(r[C.en]);
    n.es = list(r[C.es]);
    n.fr = list(r[C.fr]);
  }
  for (const o of OVERRIDES) {
    let n = byName.get(o.name);
    if (!n) {
      const parent = o.parent ? byName.get(o.parent) : undefined;
      if (o.parent && !parent) throw new Error(`override ${o.name}: parent ${o.parent} not in the checklist`);
      n = ensure(o.name, o.rank ?? 'SPECIES', parent);
    }
    if (o.own !== undefined) n.own = o.own;
    if (o.own !== undefined && n.members === '') n.members = o.own;
    for (const s of o.synonyms ?? []) if (!n.synonyms.includes(s)) n.synonyms.push(s);
    for (const s of o.en ?? []) if (!n.en.includes(s)) n.en.push(s);
  }
  const effectiveSymbol = (n: Node): string => n.symbol || (n.parent ? effectiveSymbol(n.parent) : '');
  // A listing echoed from a higher taxon is inherited, not the taxon's own: the checklist repeats
  // the family's annotation on each orchid species ("Included in Appendix II, except …") and says
  // "Included in Pythonidae spp." on each python. Such taxa get no own appendices.
  let echoed = 0;
  for (const n of byName.values()) {
    if (n.own === '' || n.own === 'NC' || n.text === '') continue;
    const bare = n.text.replace(/Appendix (?:III|II|I)\s*:/g, '').trim();
    if (bare === '') continue;
    const included = /Included in (?:<i>)?([A-Z][A-Za-z]+)(?:<\/i>)? spp/i.exec(n.text)?.[1];
    for (let a = n.parent; a; a = a.parent) {
      if (a.own !== n.own) continue;
      if (a.text === n.text || (included && a.name.toLowerCase() === included.toLowerCase())) {
        n.own = '';
        echoed++;
        break;
      }
    }
  }
  console.log(`${echoed} taxa inherit a listing their annotation only echoes`);
  // depth-first order: parents precede children; siblings sorted by name for a stable file
  const out: string[] = [];
  const visit = (n: Node) => {
    n.index = out.length;
    const p = n.parent;
    const local = p && n.name.startsWith(`${p.name} `) && (n.rank === 'SPECIES' || n.rank === 'SUBSPECIES' || n.rank === 'VARIETY') ? n.name.slice(p.name.length + 1) : p && (n.rank === 'SPECIES' || n.rank === 'SUBSPECIES' || n.rank === 'VARIETY') ? `=${n.name}` : n.name;
    const genus = n.rank === 'SPECIES' ? p?.name : n.rank === 'SUBSPECIES' || n.rank === 'VARIETY' ? p?.parent?.name : undefined;
    const synonyms = n.synonyms.map((s) => (genus && s.startsWith(`${genus} `) ? `~${s.slice(genus.length + 1)}` : s));
    const parentSymbol = p ? effectiveSymbol(p) : '';
    const symbol = n.symbol === parentSymbol ? '' : n.symbol === '' ? '-' : n.symbol;
    const members = n.members === n.own ? '' : n.members;
    const delta = p?.index === undefined ? '' : String(n.index - p.index);
    out.push([local, RANK_CODE[n.rank], delta, n.own, members, symbol, synonyms.join(','), n.en.join(','), n.es.join(','), n.fr.join(',')].join('|').replace(/\|+$/, ''));
    for (const c of [...n.children].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) visit(c);
  };
  for (const r of [...roots].sort((a, b) => (a.name < b.name ? -1 : 1))) visit(r);
  const doc = {
    attribution: 'CITES Checklist / Species+, UNEP-WCMC (Cambridge, UK), compiled for the CITES Secretariat. Export of 2017-04-21 (via naturalis/HTS-barcode-checker), with the overrides listed in docs/wildlife.md.',
    format: 'wildtrace-cites-taxonomy/1',
    generatedBy: 'scripts/wildlife/generate-taxonomy.ts',
    source: path.basename(INPUT),
    sourceRows: count,
    fields: 'localName|rank|parentOffset|ownAppendices|memberListing|annotationSymbol|synonyms|en|es|fr',
    ranks: Object.fromEntries(Object.entries(RANK_CODE).map(([k, v]) => [v, k])),
    annotations: Object.fromEntries([...annotations].sort(([a], [b]) => Number(a) - Number(b))),
    overrides: OVERRIDES.map((o) => ({ name: o.name, source: o.source })),
    rows: out,
  };
  const json = `{\n${Object.entries(doc).map(([k, v]) => k === 'rows' ? `"rows": [\n${out.map((s) => JSON.stringify(s)).join(',\n')}\n]` : `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')}\n}\n`;
  writeFileSync(OUTPUT, json);
  console.log(`${count} checklist rows → ${out.length} taxa, ${(Buffer.byteLength(json) / 1024).toFixed(0)} KiB → ${path.relative(ROOT, OUTPUT)}`);
}

main();
