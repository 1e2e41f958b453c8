/**
 * The trade-route map: places resolve by name, variant, code, flag and region and never by guess;
 * routes are summed, filtered by period, capped, and what is not drawn is counted; the SVG is the
 * same bytes for the same routes; hostile place names stay text (Chromium's strict XML parser
 * and its HTML parser find no script, no event attribute, no link); and in headless Chromium,
 * under the report's Content-Security-Policy, the map draws land, markers on land and visible
 * arrows with no console error and no request.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/model/errors.js';
import { knownPlaceNameCount, listPlaces, planRouteMap, renderRouteMap, resolvePlace, type RouteFlow } from '../../src/report/route-map.js';
import { launchChromium } from './chromium.js';
import { PNG } from './png.js';

// browser globals inside page.evaluate callbacks (the project compiles without the DOM lib)
declare const window: Record<string, unknown>;
declare const document: { querySelector(s: string): DomElement | null; querySelectorAll(s: string): ArrayLike<DomElement>; elementsFromPoint(x: number, y: number): DomElement[] };
declare const DOMParser: new () => { parseFromString(text: string, type: string): { documentElement: DomElement; querySelectorAll(s: string): ArrayLike<DomElement> } };
interface DomElement {
  tagName: string;
  localName: string;
  textContent: string | null;
  attributes: ArrayLike<{ name: string; value: string }>;
  classList: { contains(c: string): boolean };
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  querySelector(s: string): DomElement | null;
  querySelectorAll(s: string): ArrayLike<DomElement>;
}

const code = (name: string) => resolvePlace(name)?.code;

describe('resolvePlace', () => {
  it('resolves English names, common variants, ISO codes and flags to countries', () => {
    for (const n of ['United Kingdom', 'UK', 'U.K.', 'uk', 'Great Britain', 'Britain', 'England', 'GB', '🇬🇧']) expect(code(n), n).toBe('GB');
    for (const n of ['USA', 'U.S.A.', 'US', 'United States', 'United States of America', 'America', 'usa']) expect(code(n), n).toBe('US');
    for (const n of ['Vietnam', 'Viet Nam', 'VIET NAM', 'VN']) expect(code(n), n).toBe('VN');
    for (const n of ['Netherlands', 'The Netherlands', 'Holland', 'NL', '🇳🇱', '  netherlands  ']) expect(code(n), n).toBe('NL');
    for (const n of ['Hong Kong', 'Hong Kong SAR China', 'HK']) expect(code(n), n).toBe('HK');
    for (const n of ["Côte d'Ivoire", 'Cote d’Ivoire', 'Ivory Coast', 'CI']) expect(code(n), n).toBe('CI');
    for (const n of ['DR Congo', 'Dem. Rep. Congo', 'DRC', 'Congo - Kinshasa']) expect(code(n), n).toBe('CD');
    expect(code('St. Kitts & Nevis')).toBe('KN');
    expect(code('Saint Kitts and Nevis')).toBe('KN');
    expect(code('Germany (DE)')).toBe('DE');
    expect(code('Deutschland')).toBe('DE');
    expect(code('Türkiye')).toBe('TR');
    expect(code('Kosovo')).toBe('XK');
    const de = resolvePlace('Germany')!;
    expect(de).toMatchObject({ code: 'DE', name: 'Germany', kind: 'country' });
    expect(de.lon).toBeGreaterThan(6);
    expect(de.lon).toBeLessThan(15);
    expect(de.lat).toBeGreaterThan(47);
    expect(de.lat).toBeLessThan(55);
    // countries whose largest polygon crosses the antimeridian or is far from the bounding box's middle
    expect(resolvePlace('Russia')!.lon).toBeGreaterThan(60);
    expect(resolvePlace('France')!.lon).toBeGreaterThan(-5); // metropolitan France, not French Guiana
    expect(resolvePlace('Norway')!.lat).toBeLessThan(72); // mainland, not Svalbard
  });

  it('resolves regions and the world as regions, not countries', () => {
    expect(resolvePlace('Europe')).toMatchObject({ code: '150', kind: 'region' });
    for (const n of ['EU', 'European Union', 'EU only', 'eu']) expect(resolvePlace(n), n).toMatchObject({ code: 'EU', kind: 'region' });
    expect(resolvePlace('Asia')).toMatchObject({ code: '142', kind: 'region' });
    expect(resolvePlace('Scandinavia')).toMatchObject({ code: '154', kind: 'region' });
    for (const n of ['Worldwide', 'World', 'World Wide', 'Anywhere', 'worldwide shipping', 'Global', 'international']) {
      const p = resolvePlace(n);
      expect(p, n).toMatchObject({ code: '001', kind: 'world', name: 'Worldwide' });
      expect(p!.lon).toBeNaN();
    }
  });

  it('returns undefined for what it does not know, and never guesses from lower-case codes or noise', () => {
    for (const n of ['Narnia', '', '   ', 'N/A', 'no', 'de', 'in', '<script>alert(1)</script>', 'Germany; France', 'Ger many', 'x'.repeat(500), '\u0000', 'XX', 'ZZ', '🇽🇽'])
      expect(resolvePlace(n), JSON.stringify(n)).toBeUndefined();
    expect(resolvePlace(42 as unknown as string)).toBeUndefined();
  });

  it('knows every country by its own name and code, one place per name', () => {
    const all = listPlaces();
    const countries = all.filter((p) => p.kind === 'country');
    expect(countries.length).toBeGreaterThanOrEqual(240);
    expect(all.filter((p) => p.kind === 'region').length).toBeGreaterThanOrEqual(20);
    for (const p of all) {
      expect(resolvePlace(p.name)?.code, p.name).toBe(p.code);
      if (/^[A-Z]{2}$/.test(p.code)) expect(resolvePlace(p.code), p.code).toBe(p);
      if (p.kind !== 'world') {
        expect(Number.isFinite(p.lon) && Number.isFinite(p.lat), p.code).toBe(true);
        expect(Math.abs(p.lon) <= 180 && p.lat >= -57 && p.lat <= 84, p.code).toBe(true);
      }
    }
    expect(knownPlaceNameCount()).toBeGreaterThan(all.length + 150);
  });
});

describe('planRouteMap', () => {
  const ROUTES: RouteFlow[] = [
    { from: 'UK', to: 'Germany', listings: 3, period: '2024-01' },
    { from: 'United Kingdom', to: 'DE', listings: 4, period: '2024-02' },
    { from: 'Vietnam', to: 'China', listings: 2, period: '2024-02' },
    { from: 'Narnia', to: 'Germany', listings: 2 },
    { from: 'Germany', to: 'Narnia', listings: 1 },
    { from: 'Worldwide', to: 'Anywhere', listings: 5 },
    { from: 'France', to: 'Spain', listings: 0 },
    { from: 'France', to: 'Spain', listings: NaN },
    { from: 'France', to: 'Spain', listings: -1 },
    { from: 'France', to: 'Spain', listings: Infinity },
    null as unknown as RouteFlow,
    { from: 7, to: 'Spain', listings: 1 } as unknown as RouteFlow,
  ];

  it('sums the spellings of one route, lists unknown places with their listings, counts what it skips', () => {
    const plan = planRouteMap(ROUTES);
    expect(plan.routes.map((r) => [r.from.code, r.to.code, r.listings])).toEqual([
      ['GB', 'DE', 7],
      ['VN', 'CN', 2],
    ]);
    expect(plan.routes[0].fromAs).toEqual(['UK', 'United Kingdom']);
    expect(plan.routes[0].toAs).toEqual(['DE', 'Germany']);
    expect(plan.unknown).toEqual([{ name: 'Narnia', listings: 3 }]);
    expect(plan.unplaceable).toEqual({ routes: 1, listings: 5 });
    expect(plan.skipped).toBe(5);
    expect(plan.listings).toBe(7 + 2 + 3 + 5);
    expect(plan.places.map((p) => [p.place.code, p.out, p.in])).toEqual([
      ['CN', 0, 2],
      ['DE', 0, 7],
      ['GB', 7, 0],
      ['VN', 2, 0],
    ]);
  });

  it('filters by period and keeps the largest maxRoutes routes, counting the rest', () => {
    const feb = planRouteMap(ROUTES, { period: '2024-02' });
    expect(feb.routes.map((r) => [r.from.code, r.to.code, r.listings])).toEqual([
      ['GB', 'DE', 4],
      ['VN', 'CN', 2],
    ]);
    expect(feb.unknown).toEqual([]);
    const top = planRouteMap(ROUTES, { maxRoutes: 1 });
    expect(top.routes).toHaveLength(1);
    expect(top.hidden).toEqual({ routes: 1, listings: 2 });
    expect(renderRouteMap(ROUTES, { maxRoutes: 1 })).toContain('1 more route (2 listings) below the 1 largest route not drawn.');
  });

  it('rejects options out of range and routes that are not an array with typed errors', () => {
    for (const o of [{ width: 10 }, { width: NaN }, { height: 5 }, { maxRoutes: -1 }, { maxRoutes: 1.5 }, { maxStrokeWidth: 0 }, { labels: 'all' }] as const) {
      const e = (() => {
        try {
          renderRouteMap(ROUTES, o as never);
        } catch (err) {
          return err;
        }
      })();
      expect(e, JSON.stringify(o)).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).code).toBe('ROUTE_MAP_OPTIONS');
    }
    expect(() => renderRouteMap('UK → DE' as unknown as RouteFlow[])).toThrow(expect.objectContaining({ code: 'ROUTE_MAP_INPUT' }));
  });
});

/** Scraped place names as a hostile market page could carry them. */
const HOSTILE = [
  '<script>window.__pwned=1</script>',
  '"/><script>window.__pwned=2</script>',
  "' onload='window.__pwned=3",
  '</svg><img src=x onerror="window.__pwned=4">',
  ']]><foreignObject><iframe src="javascript:window.__pwned=5"></iframe></foreignObject>',
  '&lt;b&gt; &amp; <!-- -->',
  'nul\u0000bell\u0007 lone\ud800 ok',
];

const ROUTES: RouteFlow[] = [
  { from: 'Vietnam', to: 'China', listings: 120 },
  { from: 'Germany', to: 'United Kingdom', listings: 40 },
  { from: 'UK', to: 'Germany', listings: 10 },
  { from: 'Viet Nam', to: 'Worldwide', listings: 30 },
  { from: 'Nigeria', to: 'EU', listings: 25 },
  { from: 'South Africa', to: 'Europe', listings: 12 },
  { from: 'Thailand', to: 'USA', listings: 8 },
  { from: 'Mexico', to: 'United States', listings: 15 },
  { from: 'Netherlands', to: 'Netherlands', listings: 5 },
  { from: 'Hong Kong', to: 'Asia', listings: 9 },
  { from: 'Germany (<script>window.__pwned=6</script>)', to: 'Kenya', listings: 6 },
  ...HOSTILE.map((h, i) => ({ from: h, to: i % 2 ? 'Germany' : h, listings: 1 + i })),
];

describe('renderRouteMap output', () => {
  it('is the same bytes for the same routes, whatever their order', () => {
    const a = renderRouteMap(ROUTES);
    expect(renderRouteMap(ROUTES)).toBe(a);
    const shuffled = [...ROUTES].reverse();
    shuffled.push(shuffled.shift()!);
    expect(renderRouteMap(shuffled)).toBe(a);
    expect(renderRouteMap(ROUTES, { width: 600 })).not.toBe(a);
    // a period no route has draws the same map as no routes at all
    expect(renderRouteMap(ROUTES, { period: '1999-01' })).toBe(renderRouteMap([], { period: '1999-01' }));
  });

  it('is small, references nothing outside itself and uses no style attribute', () => {
    const svg = renderRouteMap(ROUTES);
    expect(svg.length).toBeLessThan(60_000);
    expect(svg).not.toMatch(/\bhref\b|url\(|@import|<style|\sstyle=|<image|<use|<script|<foreignObject/i);
    // the one URL is the SVG namespace, an identifier that is never fetched
    expect(svg.match(/[a-z]+:\/\/[^"]*/gi)).toEqual(['http://www.w3.org/2000/svg']);
  });
});

let browser: Browser;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-route-map-'));
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

const PAGE_STYLE = 'body{margin:0;background:#fff}';
/** The policy of report.html (src/report/html.ts) for a page without scripts: styles only by hash, nothing fetched. */
const CSP = [
  "default-src 'none'",
  "script-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`,
  'img-src data:',
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** Opens the SVG inline in an HTML page under the report's CSP, recording console errors, requests and dialogs. */
async function openMap(svg: string, name: string): Promise<{ page: Page; errors: string[]; requests: string[]; dialogs: string[]; url: string }> {
  const file = path.join(dir, `${name}.html`);
  await writeFile(file, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><style>${PAGE_STYLE}</style><title>map</title></head><body>${svg}</body></html>`);
  const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  const errors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const url = pathToFileURL(file).href;
  await page.goto(url);
  await page.waitForTimeout(200);
  return { page, errors, requests, dialogs, url };
}

describe('the route map in headless Chromium', () => {
  it('parses as strict XML with only drawing elements and no event, link or style attribute; hostile names stay text', async () => {
    const svg = renderRouteMap(ROUTES);
    const page = await browser.newPage();
    const doc = await page.evaluate((text) => {
      const d = new DOMParser().parseFromString(text, 'image/svg+xml');
      const all = [d.documentElement, ...Array.from(d.documentElement.querySelectorAll('*'))];
      return {
        errors: d.querySelectorAll('parsererror').length,
        root: d.documentElement.localName,
        elements: [...new Set(all.map((e) => e.localName))].sort(),
        attributes: [...new Set(all.flatMap((e) => Array.from(e.attributes).map((a) => a.name)))].sort(),
        texts: all.filter((e) => e.localName === 'title' || e.localName === 'text').map((e) => e.textContent ?? ''),
      };
    }, svg);
    await page.close();
    expect(doc.errors).toBe(0);
    expect(doc.root).toBe('svg');
    for (const e of doc.elements) expect(['svg', 'title', 'g', 'rect', 'path', 'circle', 'text']).toContain(e);
    for (const a of doc.attributes) {
      expect(a, a).not.toMatch(/^on|href|^style$|^src$/i);
    }
    const note = doc.texts.filter((t) => t.startsWith('Not drawn') || t.startsWith('“')).join(' ');
    for (const h of HOSTILE.slice(0, 4)) expect(note).toContain(h.length > 40 ? Array.from(h).slice(0, 39).join('') : h);
    expect(note).toContain('nul\ufffdbell\ufffd lone\ufffd ok');
    // a spelling that resolves keeps its raw text in the route's hover title
    expect(doc.texts.some((t) => t.startsWith('Germany → Kenya: 6 listings (listed as Germany (<script>window.__pwned=6</script>) → Kenya)'))).toBe(true);
  }, 60_000);

  it('renders under the report CSP with no console error and no request: land, markers on land, visible arrows, hover titles, payloads inert', async () => {
    const svg = renderRouteMap(ROUTES);
    const { page, errors, requests, dialogs, url } = await openMap(svg, 'routes');
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    expect(await page.locator('script, img, iframe, foreignObject').count()).toBe(0);

    const box = (await page.locator('svg.route-map').boundingBox())!;
    expect(box.width).toBe(960);
    // land: the outline spans the frame, and the screenshot holds land-coloured pixels (#d9dee4)
    const land = (await page.locator('path.land').boundingBox())!;
    expect(land.width).toBeGreaterThan(900);
    expect(land.height).toBeGreaterThan(350);
    const shot = await page.locator('svg.route-map').screenshot();
    const landPixels = PNG.count(shot, (r, g, b) => Math.abs(r - 0xd9) < 8 && Math.abs(g - 0xde) < 8 && Math.abs(b - 0xe4) < 8);
    expect(landPixels).toBeGreaterThan(40_000);

    // every route has a drawn shape and a hover title; the largest is thick and red on screen
    const routes = await page.evaluate(() =>
      Array.from(document.querySelectorAll('g.route')).map((g) => {
        const shape = g.querySelector('path, circle')!.getBoundingClientRect();
        const all = g.getBoundingClientRect(); // geometry with the arrowhead, without the stroke's width
        return { from: g.getAttribute('data-from'), to: g.getAttribute('data-to'), title: g.querySelector('title')?.textContent, w: shape.width, h: shape.height, box: { x: all.left - 5, y: all.top - 5, width: all.width + 10, height: all.height + 10 } };
      }),
    );
    expect(routes.map((r) => `${r.from}>${r.to}`)).toEqual(['VN>CN', 'DE>GB', 'VN>001', 'NG>EU', 'MX>US', 'ZA>150', 'GB>DE', 'HK>142', 'TH>US', 'DE>KE', 'NL>NL']);
    for (const r of routes) expect(r.w + r.h, `${r.from}>${r.to}`).toBeGreaterThan(5);
    expect(routes[0].title).toBe('Vietnam → China: 120 listings');
    expect(routes[2].title).toBe('Vietnam → Worldwide: 30 listings (listed as Viet Nam → Worldwide)');
    const reddish = (r: number, g: number, b: number) => r > 150 && g < 130 && b < 130;
    const painted = async (i: number) => PNG.count(await page.screenshot({ clip: routes[i].box }), reddish);
    expect(await painted(0)).toBeGreaterThan(150); // Vietnam → China, 120 listings, 10 px wide
    expect(await painted(3)).toBeGreaterThan(300); // Nigeria → EU, 25 listings, ~130 px long
    expect(await painted(routes.length - 2)).toBeGreaterThan(40); // Germany → Kenya, 6 listings

    // markers: a title each, and the countries' markers sit on drawn land
    const places = await page.evaluate(() =>
      Array.from(document.querySelectorAll('g.place')).map((g) => {
        const c = g.querySelector('circle')!.getBoundingClientRect();
        const x = c.left + c.width / 2;
        const y = c.top + c.height / 2;
        return { code: g.getAttribute('data-code'), title: g.querySelector('title')?.textContent, onLand: document.elementsFromPoint(x, y).some((e) => e.classList.contains('land')) };
      }),
    );
    expect(places.map((p) => p.code)).toEqual(['142', '150', 'CN', 'DE', 'EU', 'GB', 'HK', 'KE', 'MX', 'NG', 'NL', 'TH', 'US', 'VN', 'ZA']);
    for (const p of places.filter((q) => /^[A-Z]{2}$/.test(q.code!) && q.code !== 'EU')) expect(p.onLand, p.code!).toBe(true);
    expect(places.find((p) => p.code === 'DE')!.title).toBe('Germany (DE): ships from 46, ships to 10 listings');
    expect(places.find((p) => p.code === '150')!.title).toBe('Europe (150, region): ships from 0, ships to 12 listings');
    expect(await page.locator('g.labels text').count()).toBeGreaterThan(8);
    await page.close();
  }, 60_000);

  it('puts the point of every mainland country on the drawn land', async () => {
    const countries = listPlaces().filter((p) => p.kind === 'country');
    const svg = renderRouteMap(
      countries.map((p) => ({ from: p.code, to: 'Worldwide', listings: 1 })),
      { maxRoutes: 1000, labels: 'none' },
    );
    const { page, errors } = await openMap(svg, 'all-countries');
    expect(errors).toEqual([]);
    const offLand: string[] = await page.evaluate(() =>
      Array.from(document.querySelectorAll('g.place'))
        .filter((g) => {
          const c = g.querySelector('circle')!.getBoundingClientRect();
          return !document.elementsFromPoint(c.left + c.width / 2, c.top + c.height / 2).some((e) => e.classList.contains('land'));
        })
        .map((g) => g.getAttribute('data-code')!),
    );
    await page.close();
    // off the 1:110m land are only islands too small for it (Malta, Mauritius, Tonga …)
    expect(offLand.length).toBeLessThan(70);
    for (const c of ['US', 'CA', 'MX', 'BR', 'AR', 'CL', 'GB', 'IE', 'FR', 'DE', 'NL', 'BE', 'ES', 'PT', 'IT', 'NO', 'SE', 'FI', 'PL', 'RU', 'UA', 'TR', 'CN', 'IN', 'VN', 'TH', 'LA', 'KH', 'MY', 'ID', 'PH', 'JP', 'KR', 'AU', 'NZ', 'NG', 'ZA', 'KE', 'CD', 'EG', 'MG', 'IR', 'SA'])
      expect(offLand, c).not.toContain(c);
  }, 60_000);

  it('draws the land and a note for an empty or all-unknown input', async () => {
    const svg = renderRouteMap([{ from: 'Atlantis', to: 'Lemuria', listings: 3 }], { title: '' });
    expect(svg).toContain('No routes to draw');
    const { page, errors } = await openMap(svg, 'empty');
    expect(errors).toEqual([]);
    expect(await page.locator('g.route').count()).toBe(0);
    expect(await page.locator('g.note text').first().textContent()).toBe('Not drawn, place unknown (listings): “Atlantis” (3), “Lemuria” (3)');
    expect((await page.locator('path.land').boundingBox())!.width).toBeGreaterThan(900);
    await page.close();
  }, 60_000);
});
