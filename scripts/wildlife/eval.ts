/**
 * `npm run eval:wildlife [-- --set dev|heldout|all] [--errors]`: precision, recall and F1 of the
 * wildlife detector on the evaluation set in test/fixtures/wildlife/ (overall and per category).
 * The held-out part (heldout.jsonl) was written together with the dev part, before the detector,
 * and is not used for tuning; see docs/wildlife.md.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateWildlifeDetector, prepareWildlifeDetector, type WildlifeSample } from '../../src/wildlife/index.js';

const DIR = path.resolve(import.meta.dirname, '../../test/fixtures/wildlife');
const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const set = arg('--set') ?? 'all';
const files = set === 'all' ? ['dev', 'heldout'] : [set];

/** Reads one JSONL file of samples. */
export function readSamples(name: string): WildlifeSample[] {
  return readFileSync(path.join(DIR, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as WildlifeSample);
}

const pct = (x: number) => x.toFixed(3);
const prep = prepareWildlifeDetector();
console.log(`detector compiled in ${prep.ms.toFixed(0)} ms (${prep.phrases} phrases, CITES taxonomy loaded)`);
for (const f of [...files, ...(files.length > 1 ? ['all'] : [])]) {
  const samples = f === 'all' ? files.flatMap(readSamples) : readSamples(f);
  const r = evaluateWildlifeDetector(samples);
  const o = r.overall;
  console.log(`\n## ${f}: ${o.n} listings (${o.tp + o.fn} positives, ${o.fp + o.tn} negatives)`);
  console.log(`overall  precision ${pct(o.precision)}  recall ${pct(o.recall)}  F1 ${pct(o.f1)}   (tp ${o.tp} fp ${o.fp} fn ${o.fn} tn ${o.tn})`);
  console.table(Object.fromEntries(Object.entries(r.perCategory).map(([c, v]) => [c, { precision: pct(v.precision), recall: pct(v.recall), f1: pct(v.f1), tp: v.tp, fp: v.fp, fn: v.fn }])));
  if (process.argv.includes('--errors')) for (const e of r.errors) console.log(JSON.stringify(e));
}
