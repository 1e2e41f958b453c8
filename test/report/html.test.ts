/**
 * report.html in real headless Chromium (Debian's chromium driven by playwright-core): it loads
 * with no console error and no network request, the graph canvas draws, clicking a node shows its
 * details, and scraped text with script payloads renders as text and runs nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport, type ReportData } from '../../src/index.js';
import { launchChromium } from './chromium.js';

// browser globals inside page.evaluate callbacks (the project compiles without the DOM lib)
declare const window: Record<string, unknown>;
declare const document: { getElementById(id: string): { getBoundingClientRect(): { left: number; top: number } } | null };

const PAYLOAD_TITLE = '<script>window.__pwned=1</script>Ivory <img src=x onerror="window.__pwned=2">';
const PAYLOAD_DESC = 'Raw elephant ivory. <a href="javascript:window.__pwned=3">click</a> </script><script>window.__pwned=4</script>';

const DATA: ReportData = {
  title: 'Report test <b>not bold</b>',
  source: 'test',
  summary: { listings: 3, flags: 1 },
  quality: { clustering: { precision: 1, recall: 0.5 } },
  flags: [
    { id: 'wildlife-payment-in:person:1', kind: 'wildlife-payment-in', severity: 70, person: 'person:1', vendorIds: ['m/<i>evil</i>'], listingIds: ['m/1'], amounts: { btc: '1000' }, flows: 1, explanation: 'listing m/1 "<script>alert(1)</script>"' },
  ],
  communities: [{ id: 0, size: 2, members: ['cluster:1', 'person:1'], tags: [], vendors: ['m/<i>evil</i>'], flaggedListings: ['m/1'] }],
  listings: [
    { id: 'm/1', market: 'm', vendor: 'm/<i>evil</i>', title: PAYLOAD_TITLE, description: PAYLOAD_DESC, wildlife: true, matches: [{ term: 'ivory', category: 'ivory', score: 0.9, spans: [{ field: 'description', span: [13, 18] }] }] },
    { id: 'm/2', market: 'm', title: 'plain', wildlife: false, matches: [] },
  ],
  graph: {
    nodes: [
      { id: 'person:1', label: 'person <img src=x onerror=alert(1)>', kind: 'person', community: 0, flagged: true, search: ['m/evil'], details: { handle: '<script>window.__pwned=5</script>' } },
      { id: 'cluster:1', label: 'cluster 1', kind: 'cluster', community: 0, search: ['bc1qtestaddress'] },
      { id: 'service:ex', label: 'Exchange', kind: 'service' },
      ...Array.from({ length: 30 }, (_, i) => ({ id: `cluster:${i + 10}`, label: `cluster ${i + 10}`, kind: 'cluster', community: 1 + (i % 3) })),
    ],
    edges: [
      { source: 'person:1', target: 'cluster:1', kind: 'advertised' },
      { source: 'cluster:1', target: 'service:ex', kind: 'flow', value: '1000', flagged: true },
      ...Array.from({ length: 30 }, (_, i) => ({ source: `cluster:${i + 10}`, target: `cluster:${((i + 1) % 30) + 10}`, kind: 'flow', value: '5' })),
    ],
  },
};

let browser: Browser;
let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wildtrace-report-'));
  file = path.join(dir, 'report.html');
  await writeFile(file, renderHtmlReport(DATA));
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('report.html in headless Chromium', () => {
  it('loads with no console error and no network request, draws the graph, and shows details on click', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    const dialogs: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
    await page.waitForTimeout(300);
    expect(errors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(file).href]);

    // the canvas has drawn pixels that are not background
    const shot = await page.locator('#graph').screenshot();
    const { PNG } = await import('./png.js');
    const painted = PNG.countNonWhite(shot);
    expect(painted).toBeGreaterThan(500);

    // click the flagged node where sigma drew it
    const pos = await page.evaluate(() => {
      const w = (window as unknown as { __wildtrace: { renderer: { graphToViewport(p: { x: number; y: number }): { x: number; y: number } }; graph: { getNodeAttributes(id: string): { x: number; y: number } } } }).__wildtrace;
      const p = w.renderer.graphToViewport(w.graph.getNodeAttributes('person:1'));
      const box = document.getElementById('graph')!.getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.move(pos.x, pos.y);
    await page.mouse.click(pos.x, pos.y);
    await page.waitForSelector('#details[data-node="person:1"]', { timeout: 5_000 });
    const details = await page.locator('#details').innerText();
    expect(details).toContain('<script>window.__pwned=5</script>');
    expect(details).toContain('person <img src=x onerror=alert(1)>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  }, 60_000);

  it('renders scraped payloads as text and runs nothing', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-ready="true"]');
    const title = await page.locator('#listing-m\\/1 td').nth(2).innerText();
    expect(title).toBe(PAYLOAD_TITLE);
    const desc = await page.locator('#listing-m\\/1 td').nth(3).innerText();
    expect(desc).toBe(PAYLOAD_DESC);
    expect(await page.locator('#listing-m\\/1 mark').innerText()).toBe('ivory');
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.locator('main a[href^="javascript:"]').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(5);
    // the search box finds a node by an address it holds
    await page.fill('#search', 'bc1qtestaddress');
    await page.waitForSelector('#details[data-node="cluster:1"]');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.title()).toBe('Report test <b>not bold</b>');
    await page.close();
  }, 60_000);
});
