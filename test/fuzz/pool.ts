/**
 * The parent side of the fuzz harness: runs targets in a worker thread (worker.ts) and watches
 * the shared case clock. A case that runs longer than its hang limit (three times the target's
 * bound, at least 10 s) never returned in time: the worker is terminated, the target is reported
 * failed with the case number, and a fresh worker takes the next target. Used by run.ts
 * (`npm run fuzz`) and fuzz.test.ts (the fixed-seed subset of `npm test`).
 */
import { Worker } from 'node:worker_threads';
import type { TargetResult } from './harness.js';
import type { TargetPlan, WorkerRequest } from './worker.js';

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

/** The hang limit of a target: how long one case may run before the worker is stopped. */
export const hangLimitMs = (boundMs: number): number => Math.max(10_000, 3 * boundMs);

type Reply = { type: 'plan'; plan: TargetPlan[] } | { type: 'result'; result: TargetResult } | { type: 'closed' } | { type: 'error'; message: string };

/** One worker thread running fuzz targets, with a watchdog. */
export class FuzzWorker {
  private readonly clock = new Float64Array(new SharedArrayBuffer(16));
  private readonly worker: Worker;
  private pending?: { resolve: (r: Reply) => void; reject: (e: Error) => void };
  private dead?: Error;

  constructor() {
    this.worker = new Worker(BOOT, { workerData: { clock: this.clock.buffer }, execArgv: [] });
    this.worker.on('message', (m: Reply) => {
      const p = this.pending;
      this.pending = undefined;
      if (m.type === 'error') p?.reject(new Error(`fuzz worker: ${m.message}`));
      else p?.resolve(m);
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`fuzz worker exited with code ${code}`)));
  }

  private fail(e: Error): void {
    this.dead ??= e;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(e);
  }

  private ask(m: WorkerRequest): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.pending) return Promise.reject(new Error('fuzz worker is busy'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(m);
    });
  }

  /** The targets the worker knows. */
  async plan(): Promise<TargetPlan[]> {
    const r = await this.ask({ type: 'plan' });
    if (r.type !== 'plan') throw new Error(`unexpected reply ${r.type}`);
    return r.plan;
  }

  /** Runs `numRuns` cases of `target`; a case that hangs stops the worker and fails the target. */
  async run(target: TargetPlan, seed: number, numRuns: number, path?: string): Promise<TargetResult> {
    const limit = hangLimitMs(target.boundMs);
    let hung: TargetResult | undefined;
    const watchdog = setInterval(() => {
      const started = this.clock[0];
      if (started > 0 && Date.now() - started > limit) {
        const ms = Date.now() - started;
        hung = {
          target: target.name,
          seed,
          cases: this.clock[1],
          accepted: 0,
          rejected: 0,
          byCode: {},
          boundMs: target.boundMs,
          maxCaseMs: ms,
          totalMs: 0,
          failure: {
            message: `case ${this.clock[1]} of ${target.name} ran for ${ms} ms without returning (hang limit ${limit} ms); the worker was stopped`,
            counterexample: `replay: npm run fuzz -- --target ${target.name} --seed ${seed} --runs ${this.clock[1] + 1}`,
          },
        };
        clearInterval(watchdog);
        void this.worker.terminate();
      }
    }, 250);
    try {
      const r = await this.ask({ type: 'run', target: target.name, seed, numRuns, ...(path ? { path } : {}) });
      if (r.type !== 'result') throw new Error(`unexpected reply ${r.type}`);
      return r.result;
    } catch (err) {
      if (hung) return hung;
      throw err;
    } finally {
      clearInterval(watchdog);
    }
  }

  /** True after the worker was stopped (by the watchdog or a crash). */
  get stopped(): boolean {
    return this.dead !== undefined;
  }

  /** Tears the targets down and ends the thread. */
  async close(): Promise<void> {
    if (!this.dead) {
      await this.ask({ type: 'close' }).catch(() => undefined);
      this.dead = new Error('fuzz worker closed');
    }
    await this.worker.terminate();
  }
}

/** Options of {@link runPlan}. */
export interface RunPlanOptions {
  readonly seed: number;
  /** cases of each target */
  readonly runs: (t: TargetPlan) => number;
  /** fast-check replay path (with one target) */
  readonly path?: string;
  /** called after each target */
  readonly onResult?: (r: TargetResult) => void;
}

/**
 * Runs `targets` one after the other in `worker` (which it closes at the end), replacing the
 * worker after a hang.
 */
export async function runPlan(targets: readonly TargetPlan[], options: RunPlanOptions, first = new FuzzWorker()): Promise<TargetResult[]> {
  const results: TargetResult[] = [];
  let worker = first;
  try {
    for (const t of targets) {
      if (worker.stopped) {
        await worker.close();
        worker = new FuzzWorker();
      }
      const r = await worker.run(t, options.seed, options.runs(t), options.path);
      results.push(r);
      options.onResult?.(r);
    }
  } finally {
    await worker.close();
  }
  return results;
}
