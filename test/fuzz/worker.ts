/**
 * A fuzz worker thread (started by pool.ts through worker-boot.mjs): runs the targets it is asked
 * for, one at a time, writing each case's start time into the shared clock so that the parent can
 * stop a case that never returns. Messages: `{ type: 'plan' }` → the targets' names, runs and
 * bounds; `{ type: 'run', target, seed, numRuns, path? }` → a TargetResult; `{ type: 'close' }`
 * → teardown of what was set up, then `{ type: 'closed' }`.
 */
import '../setup/no-dns.js';
import { parentPort, workerData } from 'node:worker_threads';
import { runTarget, type FuzzTarget } from './harness.js';
import { TARGETS } from './targets.js';

/** What the parent asks. */
export type WorkerRequest = { type: 'plan' } | { type: 'run'; target: string; seed: number; numRuns: number; path?: string } | { type: 'close' };

/** A target's name, case counts and bound, for planning a run without loading the targets. */
export interface TargetPlan {
  readonly name: string;
  readonly description: string;
  readonly runs: { readonly test: number; readonly full: number };
  readonly boundMs: number;
}

const port = parentPort!;
const clock = new Float64Array(workerData.clock as SharedArrayBuffer);
const ready = new Set<FuzzTarget>();

port.on('message', (m: WorkerRequest) => {
  void handle(m).catch((err: unknown) => port.postMessage({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }));
});

async function handle(m: WorkerRequest): Promise<void> {
  if (m.type === 'plan') {
    port.postMessage({ type: 'plan', plan: TARGETS.map(({ name, description, runs, boundMs }): TargetPlan => ({ name, description, runs, boundMs })) });
  } else if (m.type === 'run') {
    const target = TARGETS.find((t) => t.name === m.target);
    if (!target) throw new Error(`no fuzz target ${m.target}; targets: ${TARGETS.map((t) => t.name).join(', ')}`);
    if (!ready.has(target)) {
      await target.setup?.();
      ready.add(target);
    }
    const result = await runTarget(target, { seed: m.seed, numRuns: m.numRuns, clock, ...(m.path ? { path: m.path } : {}) });
    port.postMessage({ type: 'result', result });
  } else {
    for (const t of ready) await t.teardown?.();
    ready.clear();
    port.postMessage({ type: 'closed' });
  }
}
