/**
 * Generates `src/report/data/world-outline.generated.ts`, the bundled world of the route map, from
 * Natural Earth data (public domain) as TopoJSON in the npm package `world-atlas` (ISC, a dev
 * dependency used by nothing but this script).
 *
 * Input: `world-atlas/land-110m.json` (Natural Earth 1:110m land) for the outline and
 * `world-atlas/countries-50m.json` (1:50m admin-0 countries, `id` = ISO 3166-1 numeric) for one
 * representative point per country. TopoJSON: a shared list of arcs, each quantised and
 * delta-encoded (position k = translate + scale · Σ deltas 0…k); a ring lists arc indices, `~i`
 * meaning arc i reversed; consecutive arcs share their joining point.
 *
 * Output:
 * - `WORLD_OUTLINE_PATH`: every land polygon except Antarctica, projected by
 *   `src/report/map-projection.ts` (Natural Earth projection) to map units, rounded to 0.1 unit
 *   (0.01 % of the map width), as one SVG path: `M` absolute start, then `l` relative moves,
 *   `z` per ring (even-odd fill keeps lakes open). Points that round onto the previous are dropped.
 * - `COUNTRY_TABLE`: one line per ISO 3166-1 alpha-2 code, `code|lon|lat|name|alias;alias`:
 *   alpha-2 from the numeric id through the Unicode CLDR aliases built into Node's ICU
 *   (`Intl.Locale`), English name from CLDR (`Intl.DisplayNames`) unless overridden below, the
 *   Natural Earth name as an alias when it differs; the point is the centroid of the country's
 *   largest polygon, or, when that centroid falls outside it (a crescent, a ring), the middle of
 *   the longest east–west chord through the polygon. Territories too small for the 1:50m data get
 *   the approximate point listed in EXTRA_POINTS, rounded to 0.1°. A country whose point lies
 *   outside the map frame (Antarctica) is left out.
 *
 * Run: `npx tsx scripts/world-outline/generate.ts [--out file.ts]`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MAP_BOTTOM_LAT, MAP_TOP_LAT, projectToMap } from '../../src/report/map-projection.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const OUTPUT = outAt >= 0 ? path.resolve(args[outAt + 1]) : path.join(ROOT, 'src/report/data/world-outline.generated.ts');
const require = createRequire(import.meta.url);
const ATLAS = path.dirname(require.resolve('world-atlas/package.json'));
const ATLAS_VERSION = (JSON.parse(readFileSync(path.join(ATLAS, 'package.json'), 'utf8')) as { version: string }).version;

type Position = [number, number];
type Ring = Position[];
type Polygon = Ring[];
interface TopoGeometry {
  type: string;
  id?: string;
  properties?: { name?: string };
  arcs?: number[][] | number[][][];
}
interface Topology {
  transform: { scale: [number, number]; translate: [number, number] };
  arcs: [number, number][][];
  objects: Record<string, { type: string; geometries: TopoGeometry[] }>;
}

/** English names where CLDR's standard one is not what a listing would say. */
const NAME_OVERRIDES: Record<string, string> = {
  HK: 'Hong Kong',
  MO: 'Macao',
  CD: 'DR Congo',
  CG: 'Republic of the Congo',
  MM: 'Myanmar',
  PS: 'Palestine',
};

/** Approximate points (lon, lat) of territories that 1:50m Natural Earth does not outline on their own. */
const EXTRA_POINTS: Record<string, Position> = {
  GI: [-5.35, 36.14],
  GF: [-53.1, 3.9],
  GP: [-61.55, 16.25],
  MQ: [-61.0, 14.65],
  RE: [55.5, -21.1],
  YT: [45.15, -12.8],
  TV: [179.2, -8.5],
  TK: [-171.8, -9.2],
  CX: [105.7, -10.5],
  CC: [96.85, -12.15],
  SJ: [16.0, 78.5],
  BQ: [-68.3, 12.2],
};

/** Decodes a topology's arcs to absolute (lon, lat) positions. */
function decodeArcs(topo: Topology): Position[][] {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  return topo.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]): Position => {
      x += dx;
      y += dy;
      return [tx + sx * x, ty + sy * y];
    });
  });
}

/** A ring from its arc indices (`~i` = arc i reversed), the shared joining points kept once. */
function ring(arcs: Position[][], indices: number[]): Ring {
  const out: Ring = [];
  indices.forEach((index, k) => {
    const arc = index < 0 ? [...arcs[~index]].reverse() : arcs[index];
    out.push(...(k === 0 ? arc : arc.slice(1)));
  });
  return out;
}

/** The polygons of a Polygon or MultiPolygon geometry. */
function polygons(arcs: Position[][], g: TopoGeometry): Polygon[] {
  if (g.type === 'Polygon') return [(g.arcs as number[][]).map((r) => ring(arcs, r))];
  if (g.type === 'MultiPolygon') return (g.arcs as number[][][]).map((p) => p.map((r) => ring(arcs, r)));
  return [];
}

/** The ring with longitudes made continuous: a step across the antimeridian continues past ±180. */
function unwrap(r: Ring): Ring {
  let shift = 0;
  return r.map(([lon, lat], i) => {
    if (i > 0) {
      const step = lon + shift - (r[i - 1][0] + shift);
      if (step > 180) shift -= 360;
      else if (step < -180) shift += 360;
    }
    return [lon + shift, lat];
  });
}

/** Sutherland–Hodgman: the part of a ring on the side `keep` of the meridian `at` (unwrapped longitudes). */
function clipAtMeridian(r: Ring, at: number, keep: 'east' | 'west'): Ring {
  const kept = (p: Position) => (keep === 'east' ? p[0] >= at : p[0] <= at);
  const out: Ring = [];
  for (let i = 0; i < r.length; i++) {
    const a = r[i === 0 ? r.length - 1 : i - 1];
    const b = r[i];
    if (kept(a) !== kept(b)) out.push([at, a[1] + ((b[1] - a[1]) * (at - a[0])) / (b[0] - a[0])]);
    if (kept(b)) out.push(b);
  }
  return out;
}

/** A ring that crosses the antimeridian cut into its pieces west and east of it, each within −180…180. */
function splitAtAntimeridian(r: Ring): Ring[] {
  const u = unwrap(r);
  const lons = u.map((p) => p[0]);
  if (Math.min(...lons) >= -180 && Math.max(...lons) <= 180) return [r];
  const pieces: Ring[] = [];
  for (const s of [-360, 0, 360]) {
    const piece = clipAtMeridian(clipAtMeridian(u, s - 180, 'east'), s + 180, 'west');
    if (piece.length >= 3) pieces.push(piece.map(([lon, lat]): Position => [lon - s, lat]));
  }
  return pieces;
}

/** Twice the signed planar area of a ring in degrees² (shoelace). */
function ringArea2(r: Ring): number {
  let a = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) a += r[j][0] * r[i][1] - r[i][0] * r[j][1];
  return a;
}

/** Planar area of a polygon (outer ring minus holes) in degrees². */
function polygonArea(p: Polygon): number {
  return Math.abs(ringArea2(p[0])) / 2 - p.slice(1).reduce((s, h) => s + Math.abs(ringArea2(h)) / 2, 0);
}

/** Even-odd point-in-polygon over all rings. */
function inside(p: Polygon, [x, y]: Position): boolean {
  let c = false;
  for (const r of p)
    for (let i = 0, j = r.length - 1; i < r.length; j = i++)
      if (r[i][1] > y !== r[j][1] > y && x < ((r[j][0] - r[i][0]) * (y - r[i][1])) / (r[j][1] - r[i][1]) + r[i][0]) c = !c;
  return c;
}

/** Area centroid of the outer ring. */
function centroid(r: Ring): Position {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const f = r[j][0] * r[i][1] - r[i][0] * r[j][1];
    a += f;
    cx += (r[j][0] + r[i][0]) * f;
    cy += (r[j][1] + r[i][1]) * f;
  }
  return a === 0 ? r[0] : [cx / (3 * a), cy / (3 * a)];
}

/** The middle of the longest east–west chord through the polygon, over 31 latitudes. */
function widestChordMiddle(p: Polygon): Position {
  const lats = p[0].map((q) => q[1]);
  const [lo, hi] = [Math.min(...lats), Math.max(...lats)];
  let best: Position = p[0][0];
  let bestLength = -1;
  for (let k = 1; k < 32; k++) {
    const y = lo + ((hi - lo) * k) / 32;
    const xs: number[] = [];
    for (const r of p)
      for (let i = 0, j = r.length - 1; i < r.length; j = i++)
        if (r[i][1] > y !== r[j][1] > y) xs.push(((r[j][0] - r[i][0]) * (y - r[i][1])) / (r[j][1] - r[i][1]) + r[i][0]);
    xs.sort((a, b) => a - b);
    for (let i = 0; i + 1 < xs.length; i += 2)
      if (xs[i + 1] - xs[i] > bestLength) {
        bestLength = xs[i + 1] - xs[i];
        best = [(xs[i] + xs[i + 1]) / 2, y];
      }
  }
  return best;
}

/** A point inside the country's largest polygon, and that polygon's area. */
function representativePoint(polygons: Polygon[]): { point: Position; area: number } {
  const ps = polygons.map((p) => p.map(unwrap)); // Russia's mainland ring runs on across the antimeridian
  const largest = ps.reduce((a, b) => (polygonArea(b) > polygonArea(a) ? b : a));
  const c = centroid(largest[0]);
  const [lon, lat] = inside(largest, c) ? c : widestChordMiddle(largest);
  return { point: [((((lon + 180) % 360) + 360) % 360) - 180, lat], area: ps.reduce((s, p) => s + polygonArea(p), 0) };
}

const tenths = (n: number) => {
  const s = (n / 10).toString();
  return s.replace(/^(-?)0\./, '$1.');
};

/** One SVG path of all land polygons but Antarctica, in map units rounded to 0.1. */
function outlinePath(topo: Topology): { path: string; rings: number; points: number } {
  const arcs = decodeArcs(topo);
  const parts: string[] = [];
  let rings = 0;
  let points = 0;
  for (const g of topo.objects.land.geometries)
    for (const p of polygons(arcs, g)) {
      if (Math.max(...p[0].map((q) => q[1])) < MAP_BOTTOM_LAT) continue; // Antarctica
      for (const r of p.flatMap(splitAtAntimeridian)) {
        const q = r.map(([lon, lat]) => projectToMap(lon, lat)).map(({ x, y }) => [Math.round(x * 10), Math.round(y * 10)] as const);
        const kept = q.filter((pt, i) => i === 0 || pt[0] !== q[i - 1][0] || pt[1] !== q[i - 1][1]);
        if (kept.length > 1 && kept[kept.length - 1][0] === kept[0][0] && kept[kept.length - 1][1] === kept[0][1]) kept.pop();
        if (kept.length < 3) continue;
        let d = `M${tenths(kept[0][0])} ${tenths(kept[0][1])}l`;
        for (let i = 1; i < kept.length; i++) {
          const dx = tenths(kept[i][0] - kept[i - 1][0]);
          const dy = tenths(kept[i][1] - kept[i - 1][1]);
          d += `${i > 1 && !dx.startsWith('-') ? ' ' : ''}${dx}${dy.startsWith('-') ? '' : ' '}${dy}`;
        }
        parts.push(`${d}z`);
        rings++;
        points += kept.length;
      }
    }
  return { path: parts.join(''), rings, points };
}

/** The country table: code|lon|lat|name|aliases, sorted by code. */
function countryTable(topo: Topology): { table: string; count: number } {
  const arcs = decodeArcs(topo);
  const names = new Intl.DisplayNames('en', { type: 'region', fallback: 'none' });
  const byCode = new Map<string, { point: Position; area: number; neName: string }>();
  for (const g of topo.objects.countries.geometries) {
    const neName = g.properties?.name ?? '';
    const code = g.id ? new Intl.Locale(`und-${g.id}`).region : neName === 'Kosovo' ? 'XK' : undefined;
    if (!code || !/^[A-Z]{2}$/.test(code)) continue; // N. Cyprus, Somaliland, Indian Ocean Ter., Siachen Glacier
    const ps = polygons(arcs, g);
    if (ps.length === 0) continue;
    const rep = representativePoint(ps);
    const seen = byCode.get(code);
    if (!seen || rep.area > seen.area) byCode.set(code, { ...rep, neName }); // Ashmore and Cartier Is. share AU's id
  }
  for (const [code, point] of Object.entries(EXTRA_POINTS)) if (!byCode.has(code)) byCode.set(code, { point, area: 0, neName: '' });
  for (const [code, { point }] of byCode) if (point[1] < MAP_BOTTOM_LAT || point[1] > MAP_TOP_LAT) byCode.delete(code); // Antarctica: outside the frame
  const round = (n: number) => (Math.round(n * 10) / 10).toString();
  const lines = [...byCode.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, { point, neName }]) => {
      const cldr = names.of(code) ?? neName;
      const name = NAME_OVERRIDES[code] ?? cldr;
      const aliases = [...new Set([cldr, neName].filter((a) => a && a !== name))];
      return [code, round(point[0]), round(point[1]), name, aliases.join(';')].join('|');
    });
  return { table: lines.join('\n'), count: lines.length };
}

const land = JSON.parse(readFileSync(path.join(ATLAS, 'land-110m.json'), 'utf8')) as Topology;
const countries = JSON.parse(readFileSync(path.join(ATLAS, 'countries-50m.json'), 'utf8')) as Topology;
const outline = outlinePath(land);
const { table, count } = countryTable(countries);
if (/[`\\]|\$\{/.test(table)) throw new Error('a name holds a backtick, backslash or ${: the table cannot be written as a template literal');
const source = `Natural Earth 1:110m land and 1:50m admin-0 countries (public domain, naturalearthdata.com), TopoJSON of world-atlas ${ATLAS_VERSION} (ISC); names from Unicode CLDR ${process.versions.cldr}`;
const text = `/**
 * GENERATED by scripts/world-outline/generate.ts — do not edit; run \`npx tsx scripts/world-outline/generate.ts\`.
 *
 * Source: ${source}.
 * Natural Earth is in the public domain ("free vector and raster map data", no permission needed);
 * world-atlas is ISC-licensed (Copyright 2013-2019 Michael Bostock); Unicode CLDR data is under the
 * Unicode License v3. Country points: centroid of the largest polygon (see the generator); twelve
 * small territories (${Object.keys(EXTRA_POINTS).join(', ')}) have approximate points set by hand.
 */

/** Where the outline and the country points come from (shown in the route map's docs). */
export const WORLD_OUTLINE_SOURCE = ${JSON.stringify(source)};

/** Land of the world but Antarctica: ${outline.rings} rings, ${outline.points} points, Natural Earth projection, map units of src/report/map-projection.ts. */
export const WORLD_OUTLINE_PATH =
  ${JSON.stringify(outline.path)};

/** ${count} countries and territories: \`ISO 3166-1 alpha-2|lon|lat|English name|alias;alias\`, one a line. */
export const COUNTRY_TABLE = \`${table}\`;
`;
writeFileSync(OUTPUT, text);
console.log(`${path.relative(ROOT, OUTPUT)}: ${text.length} bytes; outline ${outline.rings} rings, ${outline.points} points, ${outline.path.length} chars; ${count} countries`);
