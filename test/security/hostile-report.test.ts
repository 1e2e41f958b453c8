/**
 * Hostile scraped text in the analyst's report. A case is built the way an analyst builds one
 * (pages archived and parsed by the shipped profile, blocks ingested, a TagPack imported: see
 * hostile-case.ts) from a market whose every text field carries payloads — scripts, event
 * handlers, SVG, `javascript:`/`data:` links, CSS that fetches, meta refresh, `<base>`, iframes,
 * attribute, JSON-block, template and JS-string breakouts, mXSS shapes, U+2028/U+2029. The
 * investigation runs, and report.html is opened in headless Chromium with every request
 * intercepted:
 * - nothing runs (`window.__pwned` never set, no dialog, no popup), nothing is fetched (the only
 *   request is the file; the 127.0.0.1 listener the payloads point at gets no hit), the page does
 *   not navigate;
 * - the DOM has exactly the elements of the same report rendered from the same data with the
 *   markup characters replaced (nothing injected), and no event-handler attribute;
 * - every payload is in the page as text, byte for byte what the case holds;
 * - the graph still draws, a click and a search still show a hostile node's details as text;
 * - escaping alone holds (the report with its CSP removed), and the CSP alone holds (markup
 *   spliced in past the escaping runs and fetches nothing);
 * - report.json round-trips every payload exactly.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport, type ReportData } from '../../src/index.js';
import { investigate } from '../../src/cli/investigate.js';
import { launchChromium, openWatched, type PageWatch } from './browser.js';
import { PAYLOADS, SEPARATORS, writeHostileCase, type HostileCase } from './hostile-case.js';

// browser globals inside page.evaluate callbacks (the project compiles without the DOM lib)
declare const window: Record<string, unknown>;
declare const document: {
  querySelectorAll(s: string): ArrayLike<{ tagName: string; attributes: ArrayLike<{ name: string; value: string }> }>;
  getElementById(id: string): { getBoundingClientRect(): { left: number; top: number } } | null;
};

let dir: string;
let leakServer: Server;
const leakHits: string[] = [];
let hostile: HostileCase;
let data: ReportData;
let reportJson: string;
let htmlFile: string;
let browser: Browser;
/** report.html, opened once and shared by the tests that only read it or click in it */
let shared: PageWatch | undefined;
const openShared = async () => (shared ??= await openWatched(browser, htmlFile));

/** Every string of `value` (not object keys) passed through `f`. */
function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === 'string') return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  return value;
}

/** The same text with every character markup or script could use replaced one for one (same length, so highlights stay put). */
const defuse = (s: string) => s.replace(/[<>"'&`\\\u2028\u2029]/g, '_');

/** Tag name → count, and every event-handler or script-URL attribute, of the page's DOM. */
async function census(w: PageWatch): Promise<{ tags: Record<string, number>; handlers: string[]; scriptUrls: string[] }> {
  return w.page.evaluate(() => {
    const tags: Record<string, number> = {};
    const handlers: string[] = [];
    const scriptUrls: string[] = [];
    const all = document.querySelectorAll('*');
    for (let i = 0; i < all.length; i++) {
      const el = all[i];
      const t = el.tagName.toLowerCase();
      tags[t] = (tags[t] ?? 0) + 1;
      for (let j = 0; j < el.attributes.length; j++) {
        const a = el.attributes[j];
        if (/^on/i.test(a.name)) handlers.push(`${t}[${a.name}]`);
        if (/^\s*(javascript|data|vbscript):/i.test(a.value) && a.name !== 'content') scriptUrls.push(`${t}[${a.name}=${a.value.slice(0, 40)}]`);
      }
    }
    return { tags, handlers, scriptUrls };
  });
}

/**
 * Asserts that nothing ran, nothing was fetched and the page stayed where it was (and, unless
 * markup was spliced in on purpose, that no frame was created).
 */
async function expectInert(w: PageWatch, spliced = false): Promise<void> {
  expect(await w.page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(w.requests).toEqual([w.url]);
  expect(w.dialogs).toEqual([]);
  expect(w.popups).toEqual([]);
  expect(w.websockets).toEqual([]);
  expect(w.navigations).toEqual([]);
  expect(w.page.url()).toBe(w.url);
  if (!spliced) expect(w.page.frames()).toHaveLength(1);
  expect(leakHits).toEqual([]);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-hostile-report-'));
  leakServer = createServer((req, res) => {
    leakHits.push(req.url ?? '');
    res.end('');
  });
  await new Promise<void>((r) => leakServer.listen(0, '127.0.0.1', () => r()));
  const leak = `http://127.0.0.1:${(leakServer.address() as AddressInfo).port}/leak`;
  hostile = await writeHostileCase(path.join(dir, 'data'), leak);
  const result = await investigate(hostile.dataDir, { caseDir: path.join(dir, 'case'), outDir: path.join(dir, 'out') });
  reportJson = await readFile(path.join(dir, 'out', 'report.json'), 'utf8');
  data = JSON.parse(reportJson) as ReportData;
  expect(result.reportJson).toBe(reportJson);
  htmlFile = path.join(dir, 'out', 'report.html');
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((r) => (leakServer ? leakServer.close(() => r()) : r()));
  await rm(dir, { recursive: true, force: true });
});

describe('hostile scraped text in report.html (headless Chromium)', () => {
  it('the payloads reached the case as text, through the real parser and the TagPack reader', () => {
    const wild = data.listings.filter((l) => l.wildlife);
    expect(wild.length).toBeGreaterThanOrEqual(3);
    expect(data.flags.length).toBeGreaterThanOrEqual(3);
    const leak = `http://127.0.0.1:${(leakServer.address() as AddressInfo).port}/leak`;
    for (const l of wild) {
      const n = hostile.world.catalogues[0].listings.findIndex((x) => `aurora/${x.id}` === l.id);
      for (const [name, payload] of Object.entries(PAYLOADS)) {
        // the parser collapses runs of white space, as a browser shows them
        expect(l.title, `${name} in the title of ${l.id}`).toContain(payload(1000 + n, leak));
        expect(l.description, `${name} in the description of ${l.id}`).toContain(payload(2000 + n, leak));
      }
    }
    // hostile handles made it into vendor ids and flags; tag labels (with U+2028/U+2029) into service nodes
    expect(data.flags.some((f) => f.vendorIds.some((v) => /<|"/.test(v)))).toBe(true);
    const services = data.graph.nodes.filter((n) => n.kind === 'service');
    expect(services.length).toBeGreaterThan(0);
    for (const s of services) expect(s.label).toContain(SEPARATORS);
    expect(data.title).toContain('<script>window.__pwned=9000</script>');
  });

  it('runs nothing, fetches nothing, navigates nowhere, and injects no element', async () => {
    const w = await openShared();
    await expectInert(w);
    expect(w.pageErrors).toEqual([]);
    const seen = await census(w);
    expect(seen.handlers).toEqual([]);
    expect(seen.scriptUrls).toEqual([]);
    // the same report from the same data with every markup character replaced: same elements, one for one
    const twinFile = path.join(dir, 'out', 'twin.html');
    await writeFile(twinFile, renderHtmlReport(mapStrings(data, defuse)));
    const twin = await openWatched(browser, twinFile);
    expect(seen.tags).toEqual((await census(twin)).tags);
    await twin.page.context().close();
  }, 120_000);

  it('shows every payload as text, exactly as the case holds it', async () => {
    const w = await openShared();
    const page = w.page;
    expect(await page.title()).toBe(data.title);
    expect(await page.locator('header h1').textContent()).toBe(data.title);
    const wild = data.listings.filter((l) => l.wildlife);
    const rows = page.locator('#listings tr[id^="listing-"]');
    expect(await rows.count()).toBe(wild.length);
    for (let i = 0; i < wild.length; i++) {
      const cells = rows.nth(i).locator('td');
      expect(await cells.nth(0).textContent()).toBe(wild[i].id);
      expect(await cells.nth(1).textContent()).toBe(wild[i].vendor ?? '');
      expect(await cells.nth(2).textContent()).toBe(wild[i].title);
      expect(await cells.nth(3).textContent()).toBe(wild[i].description ?? '');
    }
    // visible, not only in the DOM: the rendered text of the first row holds every payload
    const visible = (await rows.nth(0).innerText()).replace(/\s+/g, ' ');
    for (const [name, payload] of Object.entries(PAYLOADS)) {
      const n = hostile.world.catalogues[0].listings.findIndex((x) => `aurora/${x.id}` === wild[0].id);
      expect(visible, name).toContain(payload(1000 + n, `http://127.0.0.1:${(leakServer.address() as AddressInfo).port}/leak`).replace(/\s+/g, ' '));
    }
    const flagRows = page.locator('#flags tr[id^="flag-"]');
    expect(await flagRows.count()).toBe(data.flags.length);
    for (let i = 0; i < data.flags.length; i++) {
      const f = data.flags[i];
      const cells = flagRows.nth(i).locator('td');
      expect(await cells.nth(2).textContent()).toBe(f.person ?? '');
      expect(await cells.nth(3).textContent()).toBe(f.vendorIds.join(', '));
      expect(await flagRows.nth(i).locator('pre').textContent()).toBe(f.explanation);
    }
    const communityRows = page.locator('#communities tr').filter({ has: page.locator('td') });
    const shown = data.communities.slice(0, 50);
    expect(await communityRows.count()).toBe(shown.length);
    for (let i = 0; i < shown.length; i++) expect(await communityRows.nth(i).locator('td').nth(2).textContent()).toBe(shown[i].vendors.join(', '));
    await expectInert(w);
  }, 120_000);

  it('the graph draws, and a click and a search show hostile nodes as text', async () => {
    const w = await openShared();
    const page = w.page;
    await page.locator('#graph').scrollIntoViewIfNeeded();
    const { PNG } = await import('../report/png.js');
    expect(PNG.countNonWhite(await page.locator('#graph').screenshot())).toBeGreaterThan(500);
    type Sigma = {
      renderer: { graphToViewport(p: { x: number; y: number }): { x: number; y: number }; getNodeDisplayData(id: string): { x: number; y: number }; getCamera(): { setState(s: { x: number; y: number; ratio: number }): void }; refresh(): void };
      graph: { getNodeAttributes(id: string): { x: number; y: number } };
    };
    /**
     * Zooms in on a node, as an analyst would with the wheel (nodes in the middle overlap at full view), and clicks it.
     * The camera's setState only schedules a frame, and a click is resolved against the picking buffer of the last
     * frame drawn, so the zoomed frame is drawn at once (sigma's refresh() renders synchronously) before the click.
     */
    const click = async (id: string) => {
      await page.evaluate((node) => {
        const g = (window as unknown as { __wildtrace: Sigma }).__wildtrace;
        const d = g.renderer.getNodeDisplayData(node);
        g.renderer.getCamera().setState({ x: d.x, y: d.y, ratio: 0.03 });
        g.renderer.refresh();
      }, id);
      const pos = await page.evaluate((node) => {
        const g = (window as unknown as { __wildtrace: Sigma }).__wildtrace;
        const p = g.renderer.graphToViewport(g.graph.getNodeAttributes(node));
        const box = document.getElementById('graph')!.getBoundingClientRect();
        return { x: box.left + p.x, y: box.top + p.y };
      }, id);
      await page.mouse.move(pos.x, pos.y);
      await page.mouse.click(pos.x, pos.y);
      await page.waitForFunction((node) => (document as unknown as { getElementById(i: string): { getAttribute(a: string): string | null } }).getElementById('details').getAttribute('data-node') === node, id, { timeout: 10_000 });
    };
    // a service (in the middle of the graph) whose tag label carries payloads and U+2028/U+2029
    const service = data.graph.nodes.find((n) => n.kind === 'service')!;
    await click(service.id);
    expect(await page.locator('#details h3').textContent()).toBe(service.label);
    // a flagged person whose vendor handles carry payloads, found by searching for a hostile handle
    const person = data.graph.nodes.find((n) => n.kind === 'person' && n.flagged && n.search?.some((s) => s.includes('<')))!;
    expect(person).toBeDefined();
    const handle = person.search!.find((s) => s.includes('<'))!;
    await page.fill('#search', handle);
    await page.waitForFunction((node) => (document as unknown as { getElementById(i: string): { getAttribute(a: string): string | null } }).getElementById('details').getAttribute('data-node') === node, person.id, { timeout: 10_000 });
    expect(await page.locator('#details h3').textContent()).toBe(person.label);
    const dd = await page.locator('#details dd').allTextContents();
    expect(dd).toContain(person.id);
    for (const v of Object.values(person.details ?? {})) expect(dd).toContain(v);
    await expectInert(w);
    expect(w.pageErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('escaping alone holds: the report without its Content-Security-Policy runs and fetches nothing', async () => {
    const html = await readFile(htmlFile, 'utf8');
    const bare = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '');
    expect(bare).not.toBe(html);
    const file = path.join(dir, 'out', 'no-csp.html');
    await writeFile(file, bare);
    const w = await openWatched(browser, file);
    await expectInert(w);
    expect((await census(w)).handlers).toEqual([]);
    await w.page.context().close();
  }, 120_000);

  it('the CSP alone holds: markup spliced in past the escaping runs nothing and fetches nothing', async () => {
    const html = await readFile(htmlFile, 'utf8');
    const leak = `http://127.0.0.1:${(leakServer.address() as AddressInfo).port}/leak`;
    const spliced = html.replace(
      '</main>',
      `<script>window.__pwned=-1;fetch("${leak}/fetch")</script><img src="${leak}/csp-img" onerror="window.__pwned=-2"><iframe src="${leak}/csp-frame"></iframe>` +
        `<link rel="stylesheet" href="${leak}/csp-link"><style>body{background:url(${leak}/csp-css)}</style><object data="${leak}/csp-object"></object>` +
        `<a id="js" href="javascript:window.__pwned=-3">x</a><form action="${leak}/csp-form"><button id="go">go</button></form></main>`,
    );
    const file = path.join(dir, 'out', 'spliced.html');
    await writeFile(file, spliced);
    const w = await openWatched(browser, file);
    // click the link and submit the form from inside the page (a blocked form navigation would keep Playwright's click waiting)
    await w.page.evaluate(() => ['js', 'go'].forEach((id) => (document as unknown as { getElementById(i: string): { click(): void } }).getElementById(id).click()));
    await w.page.waitForTimeout(500);
    await expectInert(w, true);
    // the spliced markup was live, and the policy is what stopped it
    expect(w.blockedByCsp).toEqual(expect.arrayContaining([`${leak}/csp-img`, `${leak}/csp-link`]));
    // the report's own scripts still ran under the same policy
    expect(await w.page.getAttribute('body', 'data-ready')).toBe('true');
    await w.page.context().close();
  }, 120_000);
});

describe('hostile scraped text in report.json', () => {
  it('is valid JSON that gives back every payload exactly, U+2028/U+2029 included', () => {
    const reparsed = JSON.parse(reportJson) as ReportData;
    expect(reparsed).toEqual(data);
    const services = reparsed.graph.nodes.filter((n) => n.kind === 'service');
    const labels = hostile.world.tags.map((t) => t.label);
    for (const s of services) expect(labels).toContain(s.label);
    for (const l of reparsed.listings) {
      const source = hostile.world.catalogues[0].listings.find((x) => `aurora/${x.id}` === l.id)!;
      expect(l.title).toBe(source.title.replace(/\s+/g, ' ').trim());
    }
  });
});
