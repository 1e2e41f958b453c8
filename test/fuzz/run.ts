/**
 * `npm run fuzz` — property-based fuzzing of every parser (see harness.ts and the target modules).
 *
 *   npm run fuzz                                  every target, its full case count (≥ 10^5 in all), a random seed
 *   npm run fuzz -- --seed 123                    replay a run
 *   npm run fuzz -- --scale 10                    ten times the cases
 *   npm run fuzz -- --target btc-tx,eth-rpc       some targets only
 *   npm run fuzz -- --runs 500                    this many cases of each target
 *   npm run fuzz -- --profile test                the fixed-size subset of `npm test`
 *   npm run fuzz -- --target T --seed S --path P  replay one failure (fast-check path, printed on failure)
 *   npm run fuzz -- --out file.json               where the summary goes (default bench/results/fuzz.json)
 *
 * Prints a table (cases, accepted, rejected by code, slowest case, bound) and writes the summary
 * JSON; exits 1 when a case crashed, threw an untyped error, broke an invariant or ran over its
 * bound.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { TargetResult } from './harness.js';
import { FuzzWorker, runPlan } from './pool.js';
import { summarise, table } from './summary.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    scale: { type: 'string', default: '1' },
    target: { type: 'string' },
    runs: { type: 'string' },
    profile: { type: 'string', default: 'full' },
    path: { type: 'string' },
    out: { type: 'string', default: path.resolve(import.meta.dirname, '../../bench/results/fuzz.json') },
  },
});

const seed = values.seed === undefined ? randomInt(0, 2 ** 31) : Number(values.seed);
const scale = Number(values.scale);
if (!Number.isInteger(seed) || !(scale > 0) || (values.profile !== 'full' && values.profile !== 'test')) {
  console.error('usage: npm run fuzz -- [--seed N] [--scale F] [--target a,b] [--runs N] [--profile full|test] [--path P] [--out file]');
  process.exit(2);
}
const profile = values.profile as 'full' | 'test';

const worker = new FuzzWorker();
const plan = await worker.plan();
const wanted = values.target?.split(',');
const targets = wanted ? plan.filter((t) => wanted.includes(t.name)) : plan;
if (wanted && targets.length !== wanted.length) {
  console.error(`unknown target in ${values.target}; targets: ${plan.map((t) => t.name).join(', ')}`);
  await worker.close();
  process.exit(2);
}
const runsOf = (t: (typeof plan)[number]) => (values.runs ? Number(values.runs) : Math.round(t.runs[profile] * scale));
console.log(`fuzzing ${targets.length} targets, ${targets.reduce((n, t) => n + runsOf(t), 0)} cases, seed ${seed} (replay: npm run fuzz -- --seed ${seed}${values.scale !== '1' ? ` --scale ${values.scale}` : ''}${values.profile !== 'full' ? ` --profile ${profile}` : ''})`);

const started = new Date();
const t0 = performance.now();
const results: TargetResult[] = await runPlan(targets, {
  seed,
  runs: runsOf,
  ...(values.path ? { path: values.path } : {}),
  onResult: (r) => console.log(`  ${r.target.padEnd(11)} ${String(r.cases).padStart(7)} cases  ${(r.totalMs / 1000).toFixed(1).padStart(6)} s  ${r.failure ? 'FAILED' : 'ok'}`),
}, worker);
const summary = summarise(results, { seed, profile, scale, started: started.toISOString(), wallMs: performance.now() - t0 });

console.log(`\n${table(summary)}`);
mkdirSync(path.dirname(values.out!), { recursive: true });
writeFileSync(values.out!, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`\nsummary: ${values.out}`);

for (const r of results) {
  if (!r.failure) continue;
  console.error(`\n${r.target} FAILED (seed ${seed}): ${r.failure.message}\n  input: ${r.failure.counterexample}`);
  if (r.failure.path) console.error(`  replay: npm run fuzz -- --target ${r.target} --seed ${seed} --path ${r.failure.path}`);
}
process.exit(summary.failed.length ? 1 : 0);
