/**
 * The fixed-seed subset of the parser fuzz harness (`npm run fuzz` runs the full one with a random
 * seed): every target's `runs.test` cases in a worker thread with a watchdog (pool.ts). Each case
 * must return or throw a typed WildtraceError with a code, keep the target's invariants, and stay
 * under the target's time bound. A failure names the shrunk input and the replay command.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { TargetResult } from './harness.js';
import { FuzzWorker } from './pool.js';
import { summarise, table } from './summary.js';

/** Fixed, so that `npm test` is reproducible; `npm run fuzz -- --profile test --seed 20261128` is the same run. */
const SEED = 20261128;

let worker = new FuzzWorker();
const plan = await worker.plan();
const results: TargetResult[] = [];

describe('parser fuzzing (fixed-seed subset)', () => {
  afterAll(() => worker.close());

  it.each(plan.map((t) => [t.name, t] as const))('%s: typed rejections only, invariants hold, every case under its bound', async (_name, target) => {
    if (worker.stopped) worker = new FuzzWorker(); // the watchdog stopped a hung case of the previous target
    const r = await worker.run(target, SEED, target.runs.test);
    results.push(r);
    const replay = r.failure?.path ? `\nreplay: npm run fuzz -- --target ${r.target} --seed ${SEED} --path ${r.failure.path}` : '';
    expect(r.failure, r.failure && `${r.failure.message}\ninput: ${r.failure.counterexample}${replay}`).toBeUndefined();
    expect(r.cases).toBe(target.runs.test);
    expect(r.accepted + r.rejected).toBe(r.cases);
    expect(r.maxCaseMs).toBeLessThanOrEqual(target.boundMs);
  });

  it('ran at least 10^4 cases in all, and both accepted and rejected inputs', () => {
    expect(results).toHaveLength(plan.length);
    const total = results.reduce((n, r) => n + r.cases, 0);
    console.log(table(summarise(results, { seed: SEED, profile: 'test', scale: 1, started: '', wallMs: results.reduce((n, r) => n + r.totalMs, 0) })));
    expect(total).toBeGreaterThanOrEqual(10_000);
    // a generator that never reaches the parser's error paths (or never produces a valid input) tests little
    const oneSided = results.filter((r) => r.accepted === 0 || (r.rejected === 0 && r.target !== 'addresses' && r.target !== 'markets'));
    expect(oneSided.map((r) => r.target)).toEqual([]);
  });
});
