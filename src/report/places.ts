/**
 * Places as darknet listings name them ("Ships from: UK", "Ships to: Worldwide", "Viet Nam", "DE",
 * "🇳🇱") resolved to a country or a region with a point to draw it at.
 *
 * Rule: a place resolves, in this order, as (1) a flag emoji (two regional-indicator letters);
 * (2) an upper-case ISO 3166-1 alpha-2 code ("DE", "UK" for GB, "EU"); (3) a name: its
 * normalised form (Unicode NFKD without marks, lower case, `&` → and, punctuation dropped, a
 * leading "the" dropped, "st" → saint) looked up among the English names and aliases of the
 * bundled country table, the hand-written variants below, and the regions; (4) the same for the
 * text outside and inside one pair of parentheses and without a trailing "only" ("Germany (DE)",
 * "EU only"). Anything else is unknown: `undefined`, never a guess.
 *
 * Regions carry UN M.49 area codes (`150` Europe, `142` Asia …), the European Union its reserved
 * ISO code `EU`; "Worldwide" is `001` with no point (lon/lat NaN): the map draws it as a ring
 * around the other end of the route, not as a place.
 */
import { COUNTRY_TABLE } from './data/world-outline.generated.js';

/** What a resolved place is: a country or territory, a region drawn as an area marker, or the whole world. */
export type PlaceKind = 'country' | 'region' | 'world';

/** A resolved place. */
export interface Place {
  /** ISO 3166-1 alpha-2 for countries; UN M.49 area code for regions (`EU` for the European Union); `001` for the world */
  readonly code: string;
  /** English name as the map labels it */
  readonly name: string;
  readonly kind: PlaceKind;
  /** point to draw the place at, degrees east; NaN for the world */
  readonly lon: number;
  /** point to draw the place at, degrees north; NaN for the world */
  readonly lat: number;
}

/** Regions listings ship from or to: code, name, point (lon, lat), name variants. */
const REGIONS: readonly (readonly [string, string, number, number, readonly string[]])[] = [
  ['001', 'Worldwide', NaN, NaN, ['world', 'world wide', 'worldwide shipping', 'ships worldwide', 'anywhere', 'everywhere', 'global', 'globally', 'international', 'internationally', 'intl', 'ww', 'all countries', 'any country', 'earth', 'planet earth']],
  ['EU', 'European Union', 10, 49.8, ['eu', 'european union', 'eu countries', 'eu member states', 'schengen', 'schengen area', 'eurozone', 'eea']],
  ['150', 'Europe', 24, 55, ['europe', 'european countries', 'all of europe', 'all europe', 'continental europe']],
  ['154', 'Northern Europe', 14, 66, ['northern europe', 'scandinavia', 'nordics', 'nordic countries']],
  ['155', 'Western Europe', -4, 47, ['western europe', 'west europe']],
  ['151', 'Eastern Europe', 32, 50, ['eastern europe', 'east europe']],
  ['039', 'Southern Europe', 14, 39, ['southern europe', 'south europe']],
  ['142', 'Asia', 86, 47, ['asia', 'asia pacific', 'apac']],
  ['030', 'East Asia', 122, 40, ['east asia', 'eastern asia', 'far east']],
  ['035', 'Southeast Asia', 112, 8, ['southeast asia', 'south east asia', 'asean']],
  ['034', 'South Asia', 74, 16, ['south asia', 'southern asia', 'indian subcontinent']],
  ['145', 'Middle East', 48, 31, ['middle east', 'western asia', 'gulf', 'gcc', 'mena']],
  ['143', 'Central Asia', 66, 44, ['central asia']],
  ['002', 'Africa', 18, 8, ['africa']],
  ['202', 'Sub-Saharan Africa', 24, -8, ['sub saharan africa', 'subsaharan africa']],
  ['015', 'North Africa', 12, 27, ['north africa', 'northern africa', 'maghreb']],
  ['019', 'Americas', -80, 20, ['americas', 'the americas']],
  ['021', 'North America', -104, 50, ['north america']],
  ['013', 'Central America', -88, 15.5, ['central america']],
  ['029', 'Caribbean', -70, 20, ['caribbean', 'west indies']],
  ['419', 'Latin America', -66, -4, ['latin america', 'latam']],
  ['005', 'South America', -60, -16, ['south america']],
  ['009', 'Oceania', 162, -14, ['oceania', 'pacific islands', 'australasia']],
];

/** Variants listings use that are neither the CLDR nor the Natural Earth name. */
const COUNTRY_VARIANTS: Readonly<Record<string, readonly string[]>> = {
  GB: ['uk', 'u k', 'gb', 'great britain', 'britain', 'england', 'scotland', 'wales', 'northern ireland', 'united kingdom of great britain and northern ireland'],
  US: ['usa', 'us', 'u s', 'u s a', 'america', 'united states of america', 'the states', 'states', 'us only', 'usa only', 'domestic us'],
  VN: ['viet nam'],
  NL: ['holland', 'nederland', 'the netherlands'],
  DE: ['deutschland', 'ger'],
  RU: ['russian federation'],
  KR: ['korea', 'republic of korea', 'korea republic of'],
  KP: ['north korea', 'dprk', 'democratic peoples republic of korea'],
  CZ: ['czech republic', 'czechia'],
  CI: ['ivory coast', 'cote divoire'],
  MM: ['burma'],
  AE: ['uae', 'emirates', 'dubai'],
  SZ: ['swaziland'],
  MK: ['macedonia'],
  TR: ['turkiye', 'turkey'],
  LA: ['lao pdr', 'lao'],
  IR: ['iran islamic republic of', 'islamic republic of iran'],
  SY: ['syrian arab republic'],
  BO: ['bolivia plurinational state of'],
  VE: ['venezuela bolivarian republic of'],
  TZ: ['united republic of tanzania', 'tanzania united republic of'],
  TW: ['republic of china', 'chinese taipei'],
  CD: ['drc', 'dr congo', 'democratic republic of the congo', 'democratic republic of congo', 'congo kinshasa', 'zaire'],
  CG: ['republic of congo', 'congo brazzaville'],
  CV: ['cape verde', 'cabo verde'],
  TL: ['east timor'],
  VA: ['vatican', 'holy see'],
  CN: ['prc', 'mainland china', 'peoples republic of china'],
  HK: ['hongkong', 'hong kong sar', 'hk sar'],
  MO: ['macau', 'macau sar'],
  MD: ['republic of moldova'],
  PS: ['palestinian territories', 'state of palestine'],
  BA: ['bosnia', 'bosnia herzegovina'],
  ES: ['espana'],
  IT: ['italia'],
  CH: ['schweiz', 'suisse', 'svizzera'],
  AT: ['osterreich'],
  PL: ['polska'],
  SE: ['sverige'],
  NO: ['norge'],
  DK: ['danmark'],
  FI: ['suomi'],
  BR: ['brasil'],
  IE: ['eire', 'republic of ireland'],
  ZA: ['rsa'],
  NZ: ['aotearoa'],
  PH: ['pilipinas'],
};

/** Normalises a place name for lookup: NFKD without marks, lower case, punctuation dropped, "the" and "st" handled. */
export function normalizePlaceName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’‘`´.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the /, '')
    .replace(/\bst\b/g, 'saint');
}

interface PlaceIndex {
  readonly byCode: Map<string, Place>;
  readonly byName: Map<string, Place>;
  readonly all: readonly Place[];
}
let index: PlaceIndex | undefined;

/** Builds the code and name index once: countries first, then regions, then variants; the first claim of a name wins. */
function placeIndex(): PlaceIndex {
  if (index) return index;
  const byCode = new Map<string, Place>();
  const byName = new Map<string, Place>();
  const claim = (name: string, place: Place) => {
    const key = normalizePlaceName(name);
    if (key && !byName.has(key)) byName.set(key, place);
  };
  const aliases: [string, Place][] = [];
  for (const line of COUNTRY_TABLE.split('\n')) {
    const [code, lon, lat, name, more] = line.split('|');
    const place: Place = { code, name, kind: 'country', lon: Number(lon), lat: Number(lat) };
    byCode.set(code, place);
    claim(name, place);
    for (const a of more ? more.split(';') : []) aliases.push([a, place]);
  }
  for (const [code, name, lon, lat, variants] of REGIONS) {
    const place: Place = { code, name, kind: code === '001' ? 'world' : 'region', lon, lat };
    byCode.set(code, place);
    claim(name, place);
    for (const v of variants) aliases.push([v, place]);
  }
  for (const [code, variants] of Object.entries(COUNTRY_VARIANTS)) for (const v of variants) aliases.push([v, byCode.get(code)!]);
  for (const [a, place] of aliases) claim(a, place);
  byCode.set('UK', byCode.get('GB')!); // exceptionally reserved ISO code, in common use
  const all = [...new Set(byCode.values())].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  index = { byCode, byName, all };
  return index;
}

/** A flag emoji (two regional-indicator symbols) as its two-letter code, or undefined. */
function flagCode(text: string): string | undefined {
  const m = /^([\u{1F1E6}-\u{1F1FF}])([\u{1F1E6}-\u{1F1FF}])$/u.exec(text);
  return m ? String.fromCharCode(m[1].codePointAt(0)! - 0x1f1e6 + 65, m[2].codePointAt(0)! - 0x1f1e6 + 65) : undefined;
}

/** Longest place text looked at; longer strings are not place names. */
const MAX_PLACE_LENGTH = 120;

/**
 * Resolves a place as a listing names it: a country (English name, common variant, ISO 3166-1
 * alpha-2 code or flag emoji), a region ("Europe", "EU", "Asia", …) or the world ("Worldwide",
 * "Anywhere"). Returns undefined for anything it does not know; never guesses.
 */
export function resolvePlace(name: string): Place | undefined {
  if (typeof name !== 'string') return undefined;
  const text = name.trim();
  if (!text || text.length > MAX_PLACE_LENGTH) return undefined;
  const { byCode, byName } = placeIndex();
  const code = flagCode(text) ?? (/^[A-Z]{2}$/.test(text) ? text : undefined);
  if (code) return byCode.get(code);
  const byKey = (t: string) => byName.get(normalizePlaceName(t));
  const direct = byKey(text);
  if (direct) return direct;
  const paren = /^([^()]*)\(([^()]*)\)\s*$/.exec(text);
  if (paren) return resolvePlace(paren[1]) ?? resolvePlace(paren[2]);
  const only = /^(.*\S)\s+only$/i.exec(text);
  return only ? byKey(only[1]) : undefined;
}

/** Every place the resolver knows (countries, regions, the world), by code. */
export function listPlaces(): readonly Place[] {
  return placeIndex().all;
}

/** How many distinct normalised names and variants resolve (codes and flags not counted). */
export function knownPlaceNameCount(): number {
  return placeIndex().byName.size;
}
