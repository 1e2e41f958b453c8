/**
 * The crawl frontier of one market, kept in the case so a crawl survives any crash.
 *
 * - `crawlq`: `market\0seq` → canonical URL, the URLs still to fetch in discovery order
 *   (seq is a 12-digit zero-padded counter, so keys sort numerically);
 * - `crawlseen`: `market\0canonical URL` → state, for every URL ever queued: `queued`, `done`
 *   (with the SHA-256 of the archived page) or `failed` (with the error code);
 * - checkpoint `tor-crawl:<market>`: the next seq and the counters.
 *
 * Passes: a market crawled again (`crawlMarket(…, { recrawl: true })`) starts a new pass once the
 * previous one is finished (queue empty): every state carries the pass that wrote it, and a URL
 * settled in an earlier pass counts as not yet seen, so the start URLs and everything they lead
 * to are fetched again; the archive keeps both retrievals. The pass is in the checkpoint.
 *
 * A fetched page is committed in ONE atomic batch with its archive record, the removal of its
 * queue entry, its `done` state, the newly discovered URLs and the checkpoint. A crawl killed at
 * any point therefore restarts from a queue in which every page is either done (archived) or
 * still queued, never both and never neither.
 */
import type { Case } from '../../src/case.js';
import { jsonCodec } from '../../src/store/codecs.js';
import { INDEX_SUBLEVELS } from '../../src/store/layout.js';
import type { CaseBatch } from '../../src/store/store.js';

/** What the frontier knows about one URL. */
export type FrontierEntry = (
  | { readonly state: 'queued'; readonly seq: number }
  | { readonly state: 'done'; readonly seq: number; readonly sha256: string; readonly status: number; readonly at: string }
  | {
      readonly state: 'failed';
      readonly seq: number;
      readonly code: string;
      readonly message: string;
      readonly at: string;
      /** fetch attempts made before giving up (absent for a profile failure) */
      readonly attempts?: number;
      /** the archived response that was refused (e.g. a redirect off the market) */
      readonly sha256?: string;
    }
) & {
  /** the crawl pass that wrote this state (absent: the first pass, 0) */
  readonly pass?: number;
};

/** The checkpoint a crawl writes with every page. */
export interface CrawlCheckpoint {
  readonly nextSeq: number;
  readonly done: number;
  readonly failed: number;
  /** the current crawl pass (absent: 0) */
  readonly pass?: number;
}

/** A queued URL. */
export interface QueuedUrl {
  readonly url: string;
  readonly seq: number;
}

const pad = (n: number) => String(n).padStart(12, '0');

/** The frontier of one market in one case. */
export class Frontier {
  private readonly queue;
  private readonly seen;
  private counters: CrawlCheckpoint = { nextSeq: 0, done: 0, failed: 0 };

  constructor(
    private readonly c: Case,
    /** market id */
    readonly market: string,
  ) {
    if (market.includes('\0')) throw new RangeError('market id must not contain NUL');
    this.queue = c.store.sublevel(INDEX_SUBLEVELS.crawlQueue, 'utf8', 'utf8');
    this.seen = c.store.sublevel(INDEX_SUBLEVELS.crawlSeen, 'utf8', jsonCodec);
  }

  /**
   * Runs `work` as the only writer of this market's frontier in this case. Sequence numbers and
   * counters are allocated by whoever loaded them, so two writers at once (two crawls, or a crawl
   * and {@link requeueFailed}) would overwrite each other's queue entries: the second is refused
   * with `CASE_BUSY` (CaseStore.exclusive). `what` names the work in the message.
   */
  exclusive<T>(what: string, work: () => Promise<T>): Promise<T> {
    return this.c.store.exclusive(this.checkpointName, `${what} of ${this.market}`, work);
  }

  /** Name of this market's checkpoint. */
  get checkpointName(): string {
    return `tor-crawl:${this.market}`;
  }

  /** Counters as of the last committed page (after {@link load}). */
  get checkpoint(): CrawlCheckpoint {
    return this.counters;
  }

  /** The current crawl pass (0 until a recrawl starts the next). */
  get pass(): number {
    return this.counters.pass ?? 0;
  }

  /** The `pass` field states of the current pass carry (none in the first pass, as before passes existed). */
  private get passField(): { pass?: number } {
    return this.pass > 0 ? { pass: this.pass } : {};
  }

  /** True when `entry` was settled in an earlier pass, so its URL is due again. */
  private stale(entry: FrontierEntry): boolean {
    return entry.state !== 'queued' && (entry.pass ?? 0) < this.pass;
  }

  /**
   * Starts the next crawl pass in `batch` (with the checkpoint): URLs settled before count as not
   * seen. Call after {@link load}, with the queue empty.
   */
  startPassInBatch(batch: CaseBatch): void {
    this.counters = { ...this.counters, pass: this.pass + 1 };
    this.checkpointInBatch(batch);
  }

  /** Reads the checkpoint and returns the queue in discovery order. */
  async load(): Promise<QueuedUrl[]> {
    this.counters = (await this.c.store.checkpoint<CrawlCheckpoint>(this.checkpointName)) ?? { nextSeq: 0, done: 0, failed: 0 };
    const out: QueuedUrl[] = [];
    const prefix = `${this.market}\0`;
    for await (const [k, v] of this.queue.iterator({ gte: prefix, lt: `${this.market}\u0001` })) {
      out.push({ url: v as string, seq: Number((k as string).slice(prefix.length)) });
    }
    return out;
  }

  /** The state of `url` (canonical), or `undefined` when never queued. */
  async state(url: string): Promise<FrontierEntry | undefined> {
    return (await this.seen.get(`${this.market}\0${url}`)) as FrontierEntry | undefined;
  }

  /** Every URL with its state, in URL order. */
  async *entries(): AsyncGenerator<[string, FrontierEntry]> {
    const prefix = `${this.market}\0`;
    for await (const [k, v] of this.seen.iterator({ gte: prefix, lt: `${this.market}\u0001` })) {
      yield [(k as string).slice(prefix.length), v as FrontierEntry];
    }
  }

  /**
   * Queues, in `batch`, those of `urls` (canonical) the frontier has never seen; returns them with
   * their seq. Call inside `store.write` so the check and the write are one unit.
   */
  async enqueueInBatch(batch: CaseBatch, urls: readonly string[]): Promise<QueuedUrl[]> {
    const unique = [...new Set(urls)];
    if (unique.length === 0) return [];
    const states = await this.seen.getMany(unique.map((u) => `${this.market}\0${u}`));
    const added: QueuedUrl[] = [];
    unique.forEach((url, i) => {
      if (states[i] !== undefined && !this.stale(states[i] as FrontierEntry)) return;
      const seq = this.counters.nextSeq + added.length;
      batch.putIn(this.queue, `${this.market}\0${pad(seq)}`, url);
      batch.putIn(this.seen, `${this.market}\0${url}`, { state: 'queued', seq, ...this.passField } satisfies FrontierEntry);
      added.push({ url, seq });
    });
    this.counters = { ...this.counters, nextSeq: this.counters.nextSeq + added.length };
    return added;
  }

  /** Marks `item` done or failed in `batch`, takes it off the queue and writes the checkpoint. */
  settleInBatch(batch: CaseBatch, item: QueuedUrl, entry: Exclude<FrontierEntry, { state: 'queued' }>): void {
    batch.delIn(this.queue, `${this.market}\0${pad(item.seq)}`);
    batch.putIn(this.seen, `${this.market}\0${item.url}`, { ...entry, ...this.passField });
    this.counters = {
      ...this.counters,
      done: this.counters.done + (entry.state === 'done' ? 1 : 0),
      failed: this.counters.failed + (entry.state === 'failed' ? 1 : 0),
    };
    this.checkpointInBatch(batch);
  }

  /** Writes the checkpoint (next seq and counters) into `batch`. */
  checkpointInBatch(batch: CaseBatch): void {
    batch.checkpoint(this.checkpointName, this.counters);
  }

  /**
   * Puts failed URLs back on the queue (all, or those whose code is in `codes`), in one batch.
   * Returns how many were re-queued.
   */
  requeueFailed(codes?: readonly string[]): Promise<number> {
    return this.exclusive('requeueFailed', () => this.requeue(codes));
  }

  private async requeue(codes?: readonly string[]): Promise<number> {
    await this.load();
    const again: string[] = [];
    for await (const [url, e] of this.entries()) if (e.state === 'failed' && !this.stale(e) && (!codes || codes.includes(e.code))) again.push(url);
    if (again.length === 0) return 0;
    await this.c.store.write((batch) => {
      again.forEach((url, i) => {
        const seq = this.counters.nextSeq + i;
        batch.putIn(this.queue, `${this.market}\0${pad(seq)}`, url);
        batch.putIn(this.seen, `${this.market}\0${url}`, { state: 'queued', seq, ...this.passField } satisfies FrontierEntry);
      });
      this.counters = { ...this.counters, nextSeq: this.counters.nextSeq + again.length, failed: this.counters.failed - again.length };
      this.checkpointInBatch(batch);
    });
    return again.length;
  }
}
