/**
 * The market crawler: walks a market's pages through a {@link TorClient} under a
 * {@link CrawlPolicy}, archiving every response in the case and keeping its frontier there.
 *
 * Per fetched page, one atomic batch: the raw page (by SHA-256) and its retrieval record, the
 * page's `done` state and the removal of its queue entry, the newly discovered links, and the
 * checkpoint. A crawl SIGKILLed at any point resumes with {@link crawlMarket} on the same case:
 * every page is fetched once; only a page whose response was in flight at the moment of the kill
 * is asked for again (its response was never recorded).
 *
 * Pauses: when the policy classifies a page as `login`, `captcha` or `queue`, the page is
 * archived (it is evidence too), its URL stays queued, and the crawl pauses and emits a `pause`
 * event. The analyst imports a fresh cookie into the identity (`client.identity(name)
 * .importCookies(...)`) and calls `resume()`, or calls `stop()`. With no `pause` listener the crawl
 * returns at once with `paused` set (after waiting `queueWaitMs` and trying a DDoS-queue page
 * again `queueRetries` times). CAPTCHAs are never solved automatically. A profile that throws on
 * a page does not stop the crawl: the page is archived and marked failed `CRAWL_POLICY_FAILED`.
 *
 * Crawling again: a market's frontier remembers every URL, so a second `run()` only resumes an
 * unfinished crawl. With `recrawl: true` a finished crawl starts its next pass (see Frontier) and
 * fetches the market again: the next snapshot of it.
 *
 * Fail closed: before the first request the proxy is checked (`preflight`); a proxy that stops
 * answering mid-crawl stops the crawl with `TOR_PROXY_UNREACHABLE`, leaving the URL queued.
 *
 * One crawl per market and case at a time: the frontier's sequence numbers and counters are
 * allocated by the crawl that loaded them, so a second concurrent `run()` of the same market in
 * the same case (or a `requeueFailed`) would overwrite the first one's queue entries (URLs lost)
 * and counters. It is refused with `CASE_BUSY` (see `Frontier.exclusive`; another process cannot
 * open the case at all: LevelDB is locked).
 */
import { EventEmitter } from 'node:events';
import type { Case } from '../../src/case.js';
import type { CrawlPolicy, PageVerdict } from '../../src/market/crawl-policy.js';
import { SourceError, WildtraceError } from '../../src/model/errors.js';
import { archiveInBatch, policyPage, toPage } from './archive.js';
import { canonicalUrl } from './canonical.js';
import { TorFetchError, type FetchResult, type TorClient } from './client.js';
import { Frontier, type QueuedUrl } from './frontier.js';

/** Options of {@link crawlMarket}. */
export interface CrawlOptions {
  /** the identity whose circuit and cookies the crawl uses; default `anonymous` */
  identity?: string;
  /** pages fetched at once (each host still gets the client's per-host concurrency); default 1 */
  parallel?: number;
  /** stop after this many pages fetched in this run (a run budget; the frontier keeps the rest) */
  maxPages?: number;
  /** check that the proxy is Tor before starting (see `preflight`); default `false` */
  requireTor?: boolean;
  /** stops the crawl; pages in flight are abandoned and stay queued */
  signal?: AbortSignal;
  /** called after every committed page */
  onProgress?: (progress: CrawlProgress) => void;
  /** with no `pause` listener, how long to wait before fetching a DDoS-queue page again; default 30 000 ms */
  queueWaitMs?: number;
  /**
   * crawl the market again: when its previous crawl is finished, start the next pass and fetch
   * every page anew (the next snapshot); refused with `CRAWL_UNFINISHED` while URLs are queued
   * (run without it to finish first). Default `false`: resume, fetching only what is queued
   */
  recrawl?: boolean;
  /** with no `pause` listener, how many times to try a DDoS-queue page again before ending paused; default 2 */
  queueRetries?: number;
}

/** Progress after each committed page. */
export interface CrawlProgress {
  readonly market: string;
  /** pages fetched and committed in this run */
  readonly fetched: number;
  /** URLs still queued */
  readonly queued: number;
  /** all-time counters of the market's frontier */
  readonly done: number;
  readonly failed: number;
  /** the URL just committed */
  readonly url: string;
}

/** A page that paused the crawl. */
export interface CrawlPause {
  readonly market: string;
  readonly url: string;
  readonly verdict: Exclude<PageVerdict, 'ok'>;
  /** the identity whose session needs a fresh cookie */
  readonly identity: string;
  /** SHA-256 of the archived login/CAPTCHA/queue page */
  readonly sha256: string;
}

/** The `pause` event's argument: the page, and the two ways on. */
export interface PauseRequest extends CrawlPause {
  /** fetch the page again (after importing a fresh cookie) and carry on */
  resume(): void;
  /** end the crawl; the page stays queued for a later run */
  stop(): void;
}

/** A URL the crawl gave up on: it is marked `failed` in the frontier (`requeueFailed` puts it back). */
export interface CrawlFailure {
  readonly url: string;
  /** the error code, e.g. `TOR_TIMEOUT`, `TOR_CONNECT_FAILED`, `TOR_BODY_TOO_LARGE`, `CRAWL_POLICY_FAILED` */
  readonly code: string;
  /** what went wrong, in words */
  readonly message: string;
  /** fetch attempts made (1 + the retries used) when the fetch failed; absent for a profile failure */
  readonly attempts?: number;
}

/** How a run ended. */
export interface CrawlSummary {
  readonly market: string;
  /** pages fetched and committed in this run (including refused responses that were archived) */
  readonly fetched: number;
  /** URLs given up on in this run, with the reason (see {@link CrawlFailure}) */
  readonly failed: readonly CrawlFailure[];
  /** URLs still queued */
  readonly queued: number;
  /** true when the frontier is empty */
  readonly complete: boolean;
  /** set when the run ended at a login/CAPTCHA/queue page */
  readonly paused?: CrawlPause;
  /** set when the run ended on an error that stops every request (dead proxy, budget, abort) */
  readonly stoppedBy?: { readonly code: string; readonly message: string };
}

/** Errors that stop the whole crawl (the URL stays queued). */
const FATAL = new Set(['TOR_PROXY_UNREACHABLE', 'TOR_PROXY_NOT_SOCKS5', 'TOR_BUDGET_EXHAUSTED', 'TOR_ABORTED']);

/** Events of a {@link MarketCrawl}. */
export interface MarketCrawlEvents {
  pause: [PauseRequest];
  page: [{ url: string; sha256: string; status: number; verdict: PageVerdict }];
  failed: [{ url: string; code: string; message: string }];
}

/** One crawl run of one market; create with {@link crawlMarket}, then `await crawl.run()`. */
export class MarketCrawl extends EventEmitter<MarketCrawlEvents> {
  private readonly frontier: Frontier;
  private readonly hosts: Set<string>;
  private pending: QueuedUrl[] = [];
  private readonly inFlight = new Set<string>();
  private fetched = 0;
  private readonly failures: CrawlFailure[] = [];
  private paused: CrawlPause | undefined;
  private gate: Promise<'resume' | 'stop'> | undefined;
  private stopped: { code: string; message: string } | undefined;
  private readonly queueTries = new Map<string, number>();

  /** @internal use {@link crawlMarket} */
  constructor(
    private readonly c: Case,
    private readonly client: TorClient,
    private readonly policy: CrawlPolicy,
    private readonly options: CrawlOptions = {},
  ) {
    super();
    this.frontier = new Frontier(c, policy.market);
    this.hosts = new Set(policy.hosts.map((h) => h.toLowerCase()));
  }

  /** Runs until the frontier is empty, a pause is not resumed, a budget is spent or the proxy fails. */
  async run(): Promise<CrawlSummary> {
    return this.frontier.exclusive('a crawl', () => this.runAlone());
  }

  private async runAlone(): Promise<CrawlSummary> {
    await this.client.preflight({ requireTor: this.options.requireTor });
    this.pending = await this.frontier.load();
    const recrawl = this.options.recrawl === true;
    if (recrawl && this.pending.length > 0) {
      throw new WildtraceError(
        'CRAWL_UNFINISHED',
        `the last crawl of ${this.policy.market} is unfinished (${this.pending.length} URLs queued): run it without recrawl to finish it, then crawl again`,
      );
    }
    const starts = this.policy.startUrls.flatMap((u) => this.keep(canonicalUrl(u)));
    const seeded = await this.c.store.write(async (batch) => {
      if (recrawl) this.frontier.startPassInBatch(batch);
      const added = await this.frontier.enqueueInBatch(batch, starts);
      if (added.length) this.frontier.checkpointInBatch(batch);
      return added;
    });
    this.pending.push(...seeded);
    const workers = Array.from({ length: Math.max(1, this.options.parallel ?? 1) }, () => this.worker());
    await Promise.all(workers);
    const queued = (await this.frontier.load()).length;
    return {
      market: this.policy.market,
      fetched: this.fetched,
      failed: this.failures,
      queued,
      complete: queued === 0,
      ...(this.paused ? { paused: this.paused } : {}),
      ...(this.stopped ? { stoppedBy: this.stopped } : {}),
    };
  }

  private keep(url: string | undefined): string[] {
    if (url === undefined) return [];
    return this.hosts.has(new URL(url).hostname) ? [url] : [];
  }

  private get halted(): boolean {
    return this.stopped !== undefined || (this.paused !== undefined && this.gate === undefined);
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (this.gate && (await this.gate) === 'stop') return;
      if (this.halted) return;
      if (this.options.signal?.aborted) {
        this.stopped ??= { code: 'TOR_ABORTED', message: 'the crawl was aborted' };
        return;
      }
      if (this.options.maxPages !== undefined && this.fetched + this.inFlight.size >= this.options.maxPages) return;
      const item = this.pending.shift();
      if (!item) {
        if (this.inFlight.size === 0) return;
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      this.inFlight.add(item.url);
      try {
        await this.visit(item);
      } finally {
        this.inFlight.delete(item.url);
      }
    }
  }

  private async visit(item: QueuedUrl): Promise<void> {
    const identity = this.options.identity ?? 'anonymous';
    let result: FetchResult;
    try {
      result = await this.client.fetch(item.url, { identity, signal: this.options.signal });
    } catch (err) {
      if (!(err instanceof SourceError)) throw err;
      if (FATAL.has(err.code)) {
        this.stopped ??= { code: err.code, message: err.message };
        this.pending.unshift(item);
        return;
      }
      const response = err instanceof TorFetchError ? err.response : undefined;
      const attempts = err instanceof TorFetchError ? err.attempts : 1;
      const at = this.client.clock().toISOString();
      await this.c.store.write(async (batch) => {
        let sha256: string | undefined;
        if (response) {
          const page = toPage(response);
          await archiveInBatch(this.c, batch, page, item.url, this.policy.market);
          sha256 = page.sha256;
        }
        this.frontier.settleInBatch(batch, item, { state: 'failed', seq: item.seq, code: err.code, message: err.message, at, attempts, ...(sha256 ? { sha256 } : {}) });
      });
      this.fetched += response ? 1 : 0;
      this.failures.push({ url: item.url, code: err.code, message: err.message, attempts });
      this.emit('failed', { url: item.url, code: err.code, message: err.message });
      this.progress(item.url);
      return;
    }
    const page = toPage(result);
    const view = policyPage(page);
    let verdict: PageVerdict;
    let links: string[];
    try {
      verdict = this.policy.classify(view);
      links = verdict === 'ok' ? this.policy.links(view).flatMap((href) => this.keep(canonicalUrl(href, view.url))) : [];
    } catch (err) {
      // a profile that throws on a page: keep the page, record why, go on (re-queue after fixing the profile)
      const message = `the ${this.policy.market} profile failed on ${item.url}: ${(err as Error).message}`;
      await this.c.store.write(async (batch) => {
        await archiveInBatch(this.c, batch, page, item.url, this.policy.market);
        this.frontier.settleInBatch(batch, item, { state: 'failed', seq: item.seq, code: 'CRAWL_POLICY_FAILED', message, at: page.retrievedAt, sha256: page.sha256 });
      });
      this.fetched++;
      this.failures.push({ url: item.url, code: 'CRAWL_POLICY_FAILED', message });
      this.emit('failed', { url: item.url, code: 'CRAWL_POLICY_FAILED', message });
      this.progress(item.url);
      return;
    }
    if (verdict !== 'ok') {
      // archive the wall page as evidence; the URL stays queued
      await this.c.store.write((batch) => archiveInBatch(this.c, batch, page, item.url, this.policy.market));
      this.fetched++;
      this.emit('page', { url: item.url, sha256: page.sha256, status: page.status, verdict });
      this.pending.unshift(item);
      const tries = this.queueTries.get(item.url) ?? 0;
      if (verdict === 'queue' && this.listenerCount('pause') === 0 && tries < (this.options.queueRetries ?? 2)) {
        // a DDoS queue usually lets you in after a while: wait, then ask again
        this.queueTries.set(item.url, tries + 1);
        await new Promise((r) => setTimeout(r, this.options.queueWaitMs ?? 30_000));
        return;
      }
      await this.pause({ market: this.policy.market, url: item.url, verdict, identity, sha256: page.sha256 });
      return;
    }
    const added = await this.c.store.write(async (batch) => {
      await archiveInBatch(this.c, batch, page, item.url, this.policy.market);
      const fresh = await this.frontier.enqueueInBatch(batch, links);
      this.frontier.settleInBatch(batch, item, { state: 'done', seq: item.seq, sha256: page.sha256, status: page.status, at: page.retrievedAt });
      return fresh;
    });
    this.pending.push(...added);
    this.fetched++;
    this.emit('page', { url: item.url, sha256: page.sha256, status: page.status, verdict });
    this.progress(item.url);
  }

  private async pause(p: CrawlPause): Promise<void> {
    this.paused = p;
    if (this.gate) return;
    if (this.listenerCount('pause') === 0) return; // nobody to ask: the run ends paused
    let answer!: (a: 'resume' | 'stop') => void;
    this.gate = new Promise((r) => (answer = r));
    // an abort while waiting for the analyst ends the run too
    const signal = this.options.signal;
    const onAbort = () => {
      this.stopped ??= { code: 'TOR_ABORTED', message: 'the crawl was aborted while paused' };
      answer('stop');
    };
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.emit('pause', {
      ...p,
      resume: () => answer('resume'),
      stop: () => answer('stop'),
    });
    const a = await this.gate;
    signal?.removeEventListener('abort', onAbort);
    this.gate = undefined;
    if (a === 'resume') this.paused = undefined;
  }

  private progress(url: string): void {
    const cp = this.frontier.checkpoint;
    this.options.onProgress?.({
      market: this.policy.market,
      fetched: this.fetched,
      queued: this.pending.length + this.inFlight.size - 1,
      done: cp.done,
      failed: cp.failed,
      url,
    });
  }
}

/**
 * Prepares a crawl of the market described by `policy` into case `c` through `client`. It resumes
 * the market's frontier if the case already holds one. Listen for `pause` before `run()` to be
 * asked for a fresh session instead of ending the run at a login or CAPTCHA page.
 */
export function crawlMarket(c: Case, client: TorClient, policy: CrawlPolicy, options: CrawlOptions = {}): MarketCrawl {
  return new MarketCrawl(c, client, policy, options);
}
