/**
 * Headless Chromium for the security tests (Debian's chromium driven by playwright-core), and a
 * page opened under watch: every request that gets past the page's Content-Security-Policy is
 * recorded, and every one but the report file itself is aborted; requests the CSP stopped,
 * dialogs, popups, WebSockets, navigations and page errors are recorded too.
 */
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS } from '../report/chromium.js';

/** Launches the system Chromium as the report tests do (../report/chromium.ts), with no domain-reliability reports or DNS prefetch either. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--disable-domain-reliability', '--dns-prefetch-disable'] });
}

/** What a watched page did. */
export interface PageWatch {
  readonly page: Page;
  readonly url: string;
  /**
   * every request that got past the page's Content-Security-Policy, i.e. would have reached the
   * network (all but the file itself are aborted)
   */
  readonly requests: string[];
  /** requests the page's Content-Security-Policy stopped before they left the browser */
  readonly blockedByCsp: string[];
  readonly dialogs: string[];
  readonly popups: string[];
  readonly websockets: string[];
  /** main-frame navigations after the first load */
  readonly navigations: string[];
  readonly pageErrors: string[];
  readonly consoleErrors: string[];
}

/**
 * Opens `file` in a fresh context of `browser`, aborting every request but the file itself, and
 * waits until the report's script says it is ready (when `waitReady`) and `settleMs` more, so
 * that a refresh, an image error or a deferred script would have happened.
 */
export async function openWatched(browser: Browser, file: string, options: { waitReady?: boolean; settleMs?: number } = {}): Promise<PageWatch> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const url = pathToFileURL(file).href;
  const watch: PageWatch = { page, url, requests: [], blockedByCsp: [], dialogs: [], popups: [], websockets: [], navigations: [], pageErrors: [], consoleErrors: [] };
  // a request reaches the route only when the page's CSP let it through
  await context.route('**/*', (route) => {
    watch.requests.push(route.request().url());
    return route.request().url() === url ? route.continue() : route.abort('blockedbyclient');
  });
  context.on('requestfailed', (r) => r.failure()?.errorText === 'csp' && watch.blockedByCsp.push(r.url()));
  context.on('page', (p) => p !== page && watch.popups.push(p.url()));
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('websocket', (w) => watch.websockets.push(w.url()));
  page.on('pageerror', (e) => watch.pageErrors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && watch.consoleErrors.push(m.text()));
  page.on('framenavigated', (f) => f === page.mainFrame() && f.url() !== url && watch.navigations.push(f.url()));
  await page.goto(url);
  if (options.waitReady ?? true) await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await page.waitForTimeout(options.settleMs ?? 1_000);
  return watch;
}
