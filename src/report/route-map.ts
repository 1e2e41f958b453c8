/**
 * The trade-route map: ships-from → ships-to flows of listings drawn as one self-contained SVG
 * over the bundled Natural Earth outline (`data/world-outline.generated.ts`), for the HTML report.
 *
 * Drawing: land in grey; a dot per country, a dashed ring per region ("Europe", "EU", "Asia");
 * a curved arrow per route, bowed to the left of its direction (so A → B and B → A stay apart),
 * stroke width ∝ √listings; a route to or from "Worldwide" is a dashed ring around its other end;
 * a route from a place to itself is a loop. Every route and place has a `<title>` for hover.
 * Places the resolver does not know are not drawn: the note under the map lists them.
 *
 * Safety: every scraped string is escaped for XML and cleared of characters XML cannot hold; the
 * SVG has no script, no style attribute or element (the report's CSP blocks them; presentation
 * attributes only), no id, no link, font or image: nothing outside itself. Deterministic: the
 * same routes and options give the same bytes.
 */
import { escapeXml } from '../graph/export/xml.js';
import { InvalidInputError } from '../model/errors.js';
import { WORLD_OUTLINE_PATH } from './data/world-outline.generated.js';
import { MAP_HEIGHT, MAP_WIDTH, projectToMap } from './map-projection.js';
import { resolvePlace, type Place } from './places.js';

export { resolvePlace, listPlaces, knownPlaceNameCount, normalizePlaceName, type Place, type PlaceKind } from './places.js';

/** Listings that ship from one place to another (in one period, when given). */
export interface RouteFlow {
  /** ships-from as the listing says it: a country name or variant, an ISO 3166-1 alpha-2 code, a region */
  readonly from: string;
  /** ships-to, same forms; "Worldwide", "Anywhere" … for no restriction */
  readonly to: string;
  /** number of listings on this route (a finite number ≥ 0) */
  readonly listings: number;
  /** the period the count belongs to, e.g. `2024-03` */
  readonly period?: string;
}

/** Options of {@link renderRouteMap} and {@link planRouteMap}. */
export interface RouteMapOptions {
  /** width of the SVG in CSS pixels, 240…4000; default 960 */
  readonly width?: number;
  /** height in CSS pixels; default: what the map at `width` plus legend and note need. A given height shrinks the map to fit. */
  readonly height?: number;
  /** heading drawn above the map and the SVG's accessible name; default `Trade routes`; `''` draws none */
  readonly title?: string;
  /** draw only routes whose `period` equals this; default: all routes, summed over periods */
  readonly period?: string;
  /** how many routes to draw, largest first; the rest are counted in the note; default 40 */
  readonly maxRoutes?: number;
  /** place labels: English name, code, or none; default `name` */
  readonly labels?: 'name' | 'code' | 'none';
  /** stroke width of the largest route in pixels (the smallest is 1); default 10 */
  readonly maxStrokeWidth?: number;
}

/** A route the map draws: both ends resolved, listings summed over the spellings and periods that name it. */
export interface PlannedRoute {
  readonly from: Place;
  readonly to: Place;
  readonly listings: number;
  /** the spellings of the two ends as the input had them, sorted */
  readonly fromAs: readonly string[];
  readonly toAs: readonly string[];
}

/** What the map shows and what it leaves out, before any drawing. */
export interface RouteMapPlan {
  /** the routes drawn, most listings first (ties by codes) */
  readonly routes: readonly PlannedRoute[];
  /** routes with both ends known but beyond `maxRoutes` */
  readonly hidden: { readonly routes: number; readonly listings: number };
  /** routes between two ends that cannot be drawn (Worldwide → Worldwide) */
  readonly unplaceable: { readonly routes: number; readonly listings: number };
  /** every place of a drawn route with its listings out and in */
  readonly places: readonly { readonly place: Place; readonly out: number; readonly in: number }[];
  /** place names the resolver does not know, with the listings of their routes, most first */
  readonly unknown: readonly { readonly name: string; readonly listings: number }[];
  /** input entries that were not routes (no string from/to, listings not a finite number ≥ 0) */
  readonly skipped: number;
  /** listings of all valid routes in the period */
  readonly listings: number;
}

const DEFAULTS = { width: 960, title: 'Trade routes', maxRoutes: 40, labels: 'name', maxStrokeWidth: 10 } as const;

function checkOptions(o: RouteMapOptions): void {
  const bad = (what: string) => {
    throw new InvalidInputError(`route map: ${what}`, { code: 'ROUTE_MAP_OPTIONS' });
  };
  if (o.width !== undefined && !(Number.isFinite(o.width) && o.width >= 240 && o.width <= 4000)) bad(`width ${String(o.width)} is not a number of pixels from 240 to 4000`);
  if (o.height !== undefined && !(Number.isFinite(o.height) && o.height >= 120 && o.height <= 4000)) bad(`height ${String(o.height)} is not a number of pixels from 120 to 4000`);
  if (o.maxRoutes !== undefined && !(Number.isInteger(o.maxRoutes) && o.maxRoutes >= 0)) bad(`maxRoutes ${String(o.maxRoutes)} is not a whole number ≥ 0`);
  if (o.maxStrokeWidth !== undefined && !(Number.isFinite(o.maxStrokeWidth) && o.maxStrokeWidth >= 1 && o.maxStrokeWidth <= 40)) bad(`maxStrokeWidth ${String(o.maxStrokeWidth)} is not from 1 to 40`);
  if (o.labels !== undefined && o.labels !== 'name' && o.labels !== 'code' && o.labels !== 'none') bad(`labels must be 'name', 'code' or 'none', not ${String(o.labels)}`);
  if (o.title !== undefined && typeof o.title !== 'string') bad('title must be a string');
  if (o.period !== undefined && typeof o.period !== 'string') bad('period must be a string');
}

const byCodes = (a: Place, b: Place) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const sortedSet = (s: Set<string>) => [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * Resolves and sums the routes: which are drawn (largest `maxRoutes`), which are hidden, which
 * names are unknown, how many entries were not routes. Throws `InvalidInputError`
 * (`ROUTE_MAP_OPTIONS`) for options out of range; never for a bad route, which is counted.
 */
export function planRouteMap(routes: readonly RouteFlow[], options: RouteMapOptions = {}): RouteMapPlan {
  if (!Array.isArray(routes)) throw new InvalidInputError('route map: routes must be an array of { from, to, listings }', { code: 'ROUTE_MAP_INPUT' });
  checkOptions(options);
  const maxRoutes = options.maxRoutes ?? DEFAULTS.maxRoutes;
  const sums = new Map<string, { from: Place; to: Place; listings: number; fromAs: Set<string>; toAs: Set<string> }>();
  const unknown = new Map<string, number>();
  const resolved = new Map<string, Place | undefined>();
  const resolve = (name: string) => {
    if (!resolved.has(name)) resolved.set(name, resolvePlace(name));
    return resolved.get(name);
  };
  let skipped = 0;
  let listings = 0;
  const unplaceable = { routes: 0, listings: 0 };
  for (const r of routes as readonly unknown[]) {
    const route = r as Partial<RouteFlow> | null;
    if (typeof route !== 'object' || route === null || typeof route.from !== 'string' || typeof route.to !== 'string' || typeof route.listings !== 'number' || !Number.isFinite(route.listings) || route.listings < 0) {
      skipped++;
      continue;
    }
    if (options.period !== undefined && route.period !== options.period) continue;
    if (route.listings === 0) continue;
    listings += route.listings;
    const fromName = route.from.trim();
    const toName = route.to.trim();
    const from = resolve(fromName);
    const to = resolve(toName);
    if (!from || !to) {
      for (const [place, name] of [[from, fromName], [to, toName]] as const) if (!place) unknown.set(name, (unknown.get(name) ?? 0) + route.listings);
      continue;
    }
    if (from.kind === 'world' && to.kind === 'world') {
      unplaceable.routes++;
      unplaceable.listings += route.listings;
      continue;
    }
    const key = `${from.code}>${to.code}`;
    const sum = sums.get(key) ?? { from, to, listings: 0, fromAs: new Set<string>(), toAs: new Set<string>() };
    sum.listings += route.listings;
    sum.fromAs.add(fromName);
    sum.toAs.add(toName);
    sums.set(key, sum);
  }
  const all = [...sums.values()].sort((a, b) => b.listings - a.listings || byCodes(a.from, b.from) || byCodes(a.to, b.to));
  const drawn = all.slice(0, maxRoutes).map((s): PlannedRoute => ({ from: s.from, to: s.to, listings: s.listings, fromAs: sortedSet(s.fromAs), toAs: sortedSet(s.toAs) }));
  const hidden = all.slice(maxRoutes);
  const places = new Map<string, { place: Place; out: number; in: number }>();
  for (const r of drawn) {
    for (const p of [r.from, r.to]) if (p.kind !== 'world' && !places.has(p.code)) places.set(p.code, { place: p, out: 0, in: 0 });
    if (r.from.kind !== 'world') places.get(r.from.code)!.out += r.listings;
    if (r.to.kind !== 'world') places.get(r.to.code)!.in += r.listings;
  }
  return {
    routes: drawn,
    hidden: { routes: hidden.length, listings: hidden.reduce((s, r) => s + r.listings, 0) },
    unplaceable,
    places: [...places.values()].sort((a, b) => byCodes(a.place, b.place)),
    unknown: [...unknown.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([name, n]) => ({ name, listings: n })),
    skipped,
    listings,
  };
}

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text safe in an SVG element or attribute: characters XML cannot hold become U+FFFD, then escaped; cut to `max` characters. */
function text(value: string, max = 200): string {
  const chars = Array.from(value.replace(NOT_XML, '\ufffd'));
  return escapeXml(chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join(''), 'route map');
}

/** A number for an attribute: two decimals at most, no exponent, no `-0`. */
const num = (n: number) => {
  const r = Math.round(n * 100) / 100;
  return r === 0 ? '0' : String(r);
};

const count = (n: number) => (Number.isInteger(n) ? String(n) : num(n));
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

type Point = { x: number; y: number };
const quad = (p0: Point, p1: Point, p2: Point, t: number): Point => ({
  x: (1 - t) * (1 - t) * p0.x + 2 * (1 - t) * t * p1.x + t * t * p2.x,
  y: (1 - t) * (1 - t) * p0.y + 2 * (1 - t) * t * p1.y + t * t * p2.y,
});
const dist = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/** The parameter t in [lo, hi] where the curve is `d` away from `target`, by bisection; `before`: target lies before lo (distance grows with t). */
function paramAtDistance(curve: readonly [Point, Point, Point], target: Point, d: number, lo: number, hi: number, before: boolean): number {
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (dist(quad(...curve, mid), target) < d === before) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

const COLORS = { sea: '#f3f7fb', land: '#d9dee4', coast: '#b9c1ca', route: '#b3261e', country: '#16324f', region: '#6a3d9a', world: '#b3261e', text: '#222222', muted: '#555555' } as const;

/** Draws one route: a curved arrow, a ring for Worldwide, a loop for a place to itself. */
function drawRoute(r: PlannedRoute, at: (p: Place) => Point, width: number, radius: (p: Place) => number): string {
  const label = `${r.from.name} → ${r.to.name}: ${plural(r.listings, 'listing')}${
    r.fromAs.join() !== r.from.name || r.toAs.join() !== r.to.name ? ` (listed as ${r.fromAs.slice(0, 3).join(' / ')} → ${r.toAs.slice(0, 3).join(' / ')})` : ''
  }`;
  const open = `<g class="route" data-from="${text(r.from.code)}" data-to="${text(r.to.code)}" data-listings="${count(r.listings)}"><title>${text(label, 400)}</title>`;
  const stroke = `fill="none" stroke="${COLORS.route}" stroke-opacity="0.7" stroke-width="${num(width)}"`;
  if (r.from.kind === 'world' || r.to.kind === 'world') {
    const end = r.from.kind === 'world' ? r.to : r.from;
    const c = at(end);
    return `${open}<circle cx="${num(c.x)}" cy="${num(c.y)}" r="${num(radius(end) + 4 + width / 2)}" ${stroke} stroke-dasharray="${num(width + 2)} ${num(width + 1.5)}"/></g>`;
  }
  const p0 = at(r.from);
  const p2 = at(r.to);
  if (r.from.code === r.to.code || dist(p0, p2) < 1) {
    const lift = 16 + radius(r.from) + width;
    return `${open}<path d="M${num(p0.x)} ${num(p0.y)}c${num(-lift / 1.6)} ${num(-lift)} ${num(lift / 1.6)} ${num(-lift)} 0 0" ${stroke}/></g>`;
  }
  const d = dist(p0, p2);
  const bow = 0.22 * d;
  const p1 = { x: (p0.x + p2.x) / 2 + ((p2.y - p0.y) / d) * bow, y: (p0.y + p2.y) / 2 - ((p2.x - p0.x) / d) * bow };
  const head = Math.min(4 + 1.2 * width, d / 3);
  const curve = [p0, p1, p2] as const;
  const t0 = paramAtDistance(curve, p0, Math.min(radius(r.from) + 1, d / 4), 0, 0.5, true);
  const tTip = paramAtDistance(curve, p2, Math.min(radius(r.to) + 1, d / 4), 0.5, 1, false);
  const tip = quad(p0, p1, p2, tTip);
  const tBase = paramAtDistance(curve, tip, head, t0, tTip, false);
  // the piece of the curve from t0 to tBase is again a quadratic Bézier; its control point is the blossom B(t0, tBase)
  const a = quad(p0, p1, p2, t0);
  const b = quad(p0, p1, p2, tBase);
  const c = {
    x: (1 - t0) * (1 - tBase) * p0.x + ((1 - t0) * tBase + t0 * (1 - tBase)) * p1.x + t0 * tBase * p2.x,
    y: (1 - t0) * (1 - tBase) * p0.y + ((1 - t0) * tBase + t0 * (1 - tBase)) * p1.y + t0 * tBase * p2.y,
  };
  const ux = (tip.x - b.x) / (dist(tip, b) || 1);
  const uy = (tip.y - b.y) / (dist(tip, b) || 1);
  const half = Math.max(2.5, width * 0.8);
  const wing = (s: number) => `${num(b.x - uy * half * s)} ${num(b.y + ux * half * s)}`;
  return `${open}<path d="M${num(a.x)} ${num(a.y)}Q${num(c.x)} ${num(c.y)} ${num(b.x)} ${num(b.y)}" ${stroke}/><path d="M${num(tip.x)} ${num(tip.y)}L${wing(1)}L${wing(-1)}z" fill="${COLORS.route}" fill-opacity="0.85"/></g>`;
}

type Box = { x0: number; y0: number; x1: number; y1: number };
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Label positions, greedily: places with the most listings first, each label right, left, above or
 * below its marker, the first spot inside `bounds` that overlaps no marker and no label already placed; a place
 * with no free spot goes unlabelled (its marker's title still names it).
 */
function placeLabels(
  places: RouteMapPlan['places'],
  at: (p: Place) => Point,
  radius: (p: Place) => number,
  labels: 'name' | 'code',
  bounds: Box,
): { place: Place; text: string; x: number; y: number; anchor: 'start' | 'end' | 'middle' }[] {
  const markers: Box[] = places.map(({ place }) => {
    const c = at(place);
    const r = radius(place);
    return { x0: c.x - r, y0: c.y - r, x1: c.x + r, y1: c.y + r };
  });
  const taken: Box[] = [];
  const result: ReturnType<typeof placeLabels> = [];
  const order = places.map((p, i) => i).sort((a, b) => places[b].out + places[b].in - (places[a].out + places[a].in) || a - b);
  for (const i of order) {
    const { place } = places[i];
    const label = labels === 'code' ? place.code : place.name;
    const w = Math.min(Array.from(label).length, 200) * 5.6;
    const c = at(place);
    const r = radius(place);
    const spots = [
      { x: c.x + r + 2, y: c.y + 3.5, anchor: 'start' as const, box: { x0: c.x + r + 2, y0: c.y - 4, x1: c.x + r + 2 + w, y1: c.y + 5 } },
      { x: c.x - r - 2, y: c.y + 3.5, anchor: 'end' as const, box: { x0: c.x - r - 2 - w, y0: c.y - 4, x1: c.x - r - 2, y1: c.y + 5 } },
      { x: c.x, y: c.y - r - 3, anchor: 'middle' as const, box: { x0: c.x - w / 2, y0: c.y - r - 12, x1: c.x + w / 2, y1: c.y - r - 3 } },
      { x: c.x, y: c.y + r + 10, anchor: 'middle' as const, box: { x0: c.x - w / 2, y0: c.y + r + 1, x1: c.x + w / 2, y1: c.y + r + 10 } },
    ];
    const spot = spots.find((s) => s.box.x0 >= bounds.x0 && s.box.x1 <= bounds.x1 && s.box.y0 >= bounds.y0 && s.box.y1 <= bounds.y1 && !taken.some((b) => overlaps(b, s.box)) && !markers.some((b, j) => j !== i && overlaps(b, s.box)));
    if (!spot) continue;
    taken.push(spot.box);
    result.push({ place, text: label, x: spot.x, y: spot.y, anchor: spot.anchor });
  }
  return result;
}

/** Greedy word wrap by an estimated character width. */
function wrap(items: readonly string[], perLine: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line && line.length + item.length + 2 > perLine) {
      lines.push(`${line},`);
      line = item;
    } else line = line ? `${line}, ${item}` : item;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Renders the routes as one self-contained SVG: the world outline, a marker per place, a curved
 * arrow per route (stroke width by listings), hover titles, a legend, and a note listing what is
 * not drawn (unknown places, routes beyond `maxRoutes`, skipped entries). Throws
 * `InvalidInputError` only for options out of range or routes that are not an array.
 */
export function renderRouteMap(routes: readonly RouteFlow[], options: RouteMapOptions = {}): string {
  const plan = planRouteMap(routes, options);
  const width = options.width ?? DEFAULTS.width;
  const title = options.title ?? DEFAULTS.title;
  const labels = options.labels ?? DEFAULTS.labels;
  const maxStroke = options.maxStrokeWidth ?? DEFAULTS.maxStrokeWidth;
  const margin = 8;
  const top = title ? 30 : margin;

  // the note under the map: what is not drawn
  const perLine = Math.floor((width - 2 * margin) / 6.2);
  const notes: string[] = [];
  if (plan.unknown.length) {
    const shown = plan.unknown.slice(0, 12).map((u) => `“${Array.from(u.name).length > 40 ? `${Array.from(u.name).slice(0, 39).join('')}…` : u.name}” (${count(u.listings)})`);
    if (plan.unknown.length > 12) shown.push(`and ${plan.unknown.length - 12} more`);
    notes.push(...wrap([`Not drawn, place unknown (listings): ${shown[0]}`, ...shown.slice(1)], perLine));
  }
  if (plan.hidden.routes) notes.push(`${plural(plan.hidden.routes, 'more route')} (${plural(plan.hidden.listings, 'listing')}) below the ${plural(plan.routes.length, 'largest route')} not drawn.`);
  if (plan.unplaceable.routes) notes.push(`${plural(plan.unplaceable.routes, 'route')} from worldwide to worldwide (${plural(plan.unplaceable.listings, 'listing')}) not drawn.`);
  if (plan.skipped) notes.push(`${plural(plan.skipped, 'entry', 'entries')} without a from, a to and a listing count ≥ 0 skipped.`);
  const legendHeight = 46;
  const noteHeight = notes.length * 15 + (notes.length ? 4 : 0);
  const natural = (width - 2 * margin) / MAP_WIDTH;
  const height = options.height ?? Math.ceil(top + MAP_HEIGHT * natural + legendHeight + noteHeight + margin);
  const scale = Math.max(0.05, Math.min(natural, (height - top - legendHeight - noteHeight - margin) / MAP_HEIGHT));
  const mapW = MAP_WIDTH * scale;
  const mapH = MAP_HEIGHT * scale;
  const left = (width - mapW) / 2;
  const at = (p: Place): Point => {
    const q = projectToMap(p.lon, p.lat);
    return { x: left + q.x * scale, y: top + q.y * scale };
  };

  const maxListings = plan.routes.reduce((m, r) => Math.max(m, r.listings), 0);
  const strokeFor = (n: number) => 1 + (maxStroke - 1) * Math.sqrt(maxListings ? n / maxListings : 0);
  const maxPlace = plan.places.reduce((m, p) => Math.max(m, p.out + p.in), 0);
  const sizeOf = new Map(plan.places.map((p) => [p.place.code, 2.5 + 2.5 * Math.sqrt((p.out + p.in) / (maxPlace || 1))]));
  const radius = (p: Place) => (p.kind === 'region' ? 6 : (sizeOf.get(p.code) ?? 2.5));

  const out: string[] = [];
  const name = title || 'Trade routes';
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="route-map" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" role="img" aria-label="${text(name)}" font-family="system-ui, sans-serif" font-size="11" fill="${COLORS.text}">`,
    `<title>${text(name)}${options.period !== undefined ? ` (${text(options.period, 60)})` : ''}: ${plural(plan.routes.length, 'route')} drawn, ${plural(plan.listings, 'listing')}</title>`,
  );
  if (title) out.push(`<text x="${margin}" y="20" font-size="15" font-weight="bold">${text(title)}${options.period !== undefined ? ` — ${text(options.period, 60)}` : ''}</text>`);
  out.push(
    `<rect class="sea" x="${num(left)}" y="${num(top)}" width="${num(mapW)}" height="${num(mapH)}" fill="${COLORS.sea}" stroke="${COLORS.coast}" stroke-width="0.5"/>`,
    `<path class="land" transform="translate(${num(left)} ${num(top)}) scale(${Number(scale.toFixed(5))})" fill="${COLORS.land}" fill-rule="evenodd" stroke="${COLORS.coast}" stroke-width="0.5" vector-effect="non-scaling-stroke" d="${WORLD_OUTLINE_PATH}"/>`,
  );
  if (!plan.routes.length) out.push(`<text x="${num(left + mapW / 2)}" y="${num(top + mapH / 2)}" text-anchor="middle" font-size="14" fill="${COLORS.muted}">No routes to draw</text>`);

  // routes, widest first so thin ones stay visible on top
  out.push('<g class="routes">');
  for (const r of plan.routes) out.push(drawRoute(r, at, strokeFor(r.listings), radius));
  out.push('</g>', '<g class="places">');
  for (const { place, out: sent, in: received } of plan.places) {
    const c = at(place);
    const hover = `${place.name} (${place.code}${place.kind === 'region' ? ', region' : ''}): ships from ${count(sent)}, ships to ${count(received)} listings`;
    const marker =
      place.kind === 'region'
        ? `<circle cx="${num(c.x)}" cy="${num(c.y)}" r="6" fill="#ffffff" fill-opacity="0.7" stroke="${COLORS.region}" stroke-width="1.5" stroke-dasharray="2.5 1.5"/>`
        : `<circle cx="${num(c.x)}" cy="${num(c.y)}" r="${num(radius(place))}" fill="${COLORS.country}" stroke="#ffffff" stroke-width="0.8"/>`;
    out.push(`<g class="place" data-code="${text(place.code)}"><title>${text(hover)}</title>${marker}</g>`);
  }
  out.push('</g>');
  if (labels !== 'none') {
    out.push(`<g class="labels" font-size="10" stroke="#ffffff" stroke-width="2.5" stroke-opacity="0.85" paint-order="stroke">`);
    for (const l of placeLabels(plan.places, at, radius, labels, { x0: 0, y0: top, x1: width, y1: top + mapH })) {
      const italic = l.place.kind === 'region' ? ` font-style="italic" fill="${COLORS.region}"` : '';
      out.push(`<text x="${num(l.x)}" y="${num(l.y)}"${l.anchor === 'start' ? '' : ` text-anchor="${l.anchor}"`}${italic}>${text(l.text)}</text>`);
    }
    out.push('</g>');
  }

  // legend: widths, markers
  const ly = top + mapH + 18;
  const samples = maxListings ? [...new Set([maxListings, Math.round(maxListings / 4), 1].filter((n) => n >= 1 && n <= maxListings))] : [];
  const legend: string[] = [`<g class="legend"><text x="${margin}" y="${num(ly + 4)}">Listings per route</text>`];
  let x = margin + 112;
  for (const n of samples) {
    legend.push(`<path d="M${num(x)} ${num(ly)}h28" stroke="${COLORS.route}" stroke-opacity="0.7" stroke-width="${num(strokeFor(n))}"/><text x="${num(x + 32)}" y="${num(ly + 4)}">${count(n)}</text>`);
    x += 40 + 7 * count(n).length;
  }
  const ly2 = ly + 20;
  legend.push(
    `<circle cx="${margin + 4}" cy="${num(ly2)}" r="3.5" fill="${COLORS.country}"/><text x="${margin + 12}" y="${num(ly2 + 4)}">country</text>`,
    `<circle cx="${margin + 70}" cy="${num(ly2)}" r="5" fill="#ffffff" stroke="${COLORS.region}" stroke-width="1.5" stroke-dasharray="2.5 1.5"/><text x="${margin + 80}" y="${num(ly2 + 4)}">region</text>`,
    `<circle cx="${margin + 134}" cy="${num(ly2)}" r="5" fill="none" stroke="${COLORS.route}" stroke-width="1.5" stroke-dasharray="3 2.5"/><text x="${margin + 144}" y="${num(ly2 + 4)}">ships worldwide</text>`,
    `<text x="${margin + 236}" y="${num(ly2 + 4)}" fill="${COLORS.muted}">arrows point from ships-from to ships-to; hover for counts. Land: Natural Earth.</text>`,
    '</g>',
  );
  out.push(...legend);
  if (notes.length) {
    out.push(`<g class="note" fill="${COLORS.muted}">`);
    notes.forEach((line, i) => out.push(`<text x="${margin}" y="${num(ly2 + 22 + i * 15)}">${text(line, 1000)}</text>`));
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}
