/**
 * A fuzz worker thread (started by pool.ts through worker-boot.mjs): runs the targets it is asked
 * for, one at a time, writing each case's start time into the shared clock so that the parent can
 * stop a case that never returns. Messages: `{ type: 'plan' }` → the targets' names, runs and
 * bounds; `{ type: 'run', target, seed, numRuns, path? }` → a TargetResult; `{ type: 'close' }`
 * → teardown of what was set up, then `{ type: 'closed' }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { installNetGuard } from '../setup/net-guard.js';
import { runTarget, type FuzzTarget } from './harness.js';
import { TARGETS } from './targets.js';

// the house rule holds in this thread too: nothing past 127.0.0.1 (TCP, TLS, UDP, DNS)
const guard = installNetGuard();

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
    const before = guard.violations.length;
    let result = await runTarget(target, { seed: m.seed, numRuns: m.numRuns, clock, ...(m.path ? { path: m.path } : {}) });
    const reached = guard.violations.slice(before);
    if (reached.length > 0 && !result.failure) {
      const where = reached.map((a) => `${a.kind} ${a.host}${a.port === undefined ? '' : `:${a.port}`}`).join(', ');
      result = { ...result, failure: { message: `network guard: ${target.name} tried to reach past 127.0.0.1: ${where}`, counterexample: '' } };
    }
    port.postMessage({ type: 'result', result });
  } else {
    for (const t of ready) await t.teardown?.();
    ready.clear();
    port.postMessage({ type: 'closed' });
  }
}
