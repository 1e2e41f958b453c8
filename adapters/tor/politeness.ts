/**
 * Politeness per host: at most `concurrency` requests at a time to one host, a pause of
 * `minDelayMs`–`maxDelayMs` (uniform random jitter) between the end of one request to a host and
 * the start of the next, and page budgets per host and overall. Hosts are independent: a slow
 * market does not hold up another one.
 */
import { SourceError } from '../../src/model/errors.js';

/** Politeness options (defaults suit a real market). */
export interface PolitenessOptions {
  /** requests at a time per host; default 1 */
  concurrency?: number;
  /** shortest pause between requests to one host; default 2000 ms */
  minDelayMs?: number;
  /** longest pause between requests to one host; default 5000 ms */
  maxDelayMs?: number;
  /** requests allowed per host in the life of the client; default unlimited */
  maxPerHost?: number;
  /** requests allowed overall in the life of the client; default unlimited */
  maxTotal?: number;
}

interface HostState {
  active: number;
  /** time (ms) before which the next request must not start */
  notBefore: number;
  used: number;
  waiters: (() => void)[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Hands out per-host request slots under {@link PolitenessOptions}. */
export class HostScheduler {
  private readonly hosts = new Map<string, HostState>();
  private total = 0;
  private readonly concurrency: number;
  private readonly minDelay: number;
  private readonly maxDelay: number;

  constructor(private readonly options: PolitenessOptions = {}) {
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.minDelay = Math.max(0, options.minDelayMs ?? 2000);
    this.maxDelay = Math.max(this.minDelay, options.maxDelayMs ?? Math.max(5000, this.minDelay));
  }

  /** Requests made so far, overall. */
  get used(): number {
    return this.total;
  }

  /** Requests made so far to `host`. */
  usedBy(host: string): number {
    return this.hosts.get(host)?.used ?? 0;
  }

  /**
   * Waits for a slot for `host` and counts it against the budgets; call the returned function when
   * the request is over. Throws {@link SourceError} `TOR_BUDGET_EXHAUSTED` when a budget is spent.
   */
  async acquire(host: string): Promise<() => void> {
    let s = this.hosts.get(host);
    if (!s) this.hosts.set(host, (s = { active: 0, notBefore: 0, used: 0, waiters: [] }));
    const state = s;
    while (state.active >= this.concurrency) await new Promise<void>((r) => state.waiters.push(r));
    state.active++;
    try {
      for (;;) {
        const wait = state.notBefore - Date.now();
        if (wait <= 0) break;
        await sleep(wait);
      }
      this.checkBudget(host, state);
    } catch (err) {
      this.releaseSlot(state);
      throw err;
    }
    state.used++;
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      state.notBefore = Date.now() + this.minDelay + Math.random() * (this.maxDelay - this.minDelay);
      this.releaseSlot(state);
    };
  }

  private checkBudget(host: string, state: HostState): void {
    if (this.options.maxPerHost !== undefined && state.used >= this.options.maxPerHost) {
      throw new SourceError('TOR_BUDGET_EXHAUSTED', `the page budget for ${host} (${this.options.maxPerHost} requests) is spent; raise politeness.maxPerHost to continue`);
    }
    if (this.options.maxTotal !== undefined && this.total >= this.options.maxTotal) {
      throw new SourceError('TOR_BUDGET_EXHAUSTED', `the overall page budget (${this.options.maxTotal} requests) is spent; raise politeness.maxTotal to continue`);
    }
  }

  private releaseSlot(state: HostState): void {
    state.active--;
    state.waiters.shift()?.();
  }
}
