import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateWildlifeDetector, type WildlifeSample } from '../../src/index.js';

const DIR = path.resolve(import.meta.dirname, '../fixtures/wildlife');
const read = (name: string): WildlifeSample[] =>
  readFileSync(path.join(DIR, `${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as WildlifeSample);

describe('wildlife detector on the evaluation set (test/fixtures/wildlife)', () => {
  const dev = read('dev');
  const heldout = read('heldout');
  const all = [...dev, ...heldout];

  it('the set has >= 300 listings: >= 100 positives over >= 15 groups and >= 5 languages, >= 200 hard negatives', () => {
    expect(all.length).toBeGreaterThanOrEqual(300);
    expect(new Set(all.map((s) => s.id)).size).toBe(all.length);
    const pos = all.filter((s) => s.label === 1);
    const neg = all.filter((s) => s.label === 0);
    expect(pos.length).toBeGreaterThanOrEqual(100);
    expect(neg.length).toBeGreaterThanOrEqual(200);
    expect(new Set(pos.map((s) => s.cat)).size).toBeGreaterThanOrEqual(15);
    expect(new Set(pos.map((s) => s.lang)).size).toBeGreaterThanOrEqual(5);
    for (const kind of ['drugs', 'counterfeit', 'colour', 'jewellery', 'faux-leather', 'software', 'tiger-balm', 'legal-animal']) {
      expect(neg.some((s) => s.kind === kind), kind).toBe(true);
    }
  });

  it('overall precision >= 0.95 and recall >= 0.90 (dev + held-out)', () => {
    const r = evaluateWildlifeDetector(all);
    console.log(
      `wildlife eval: ${r.overall.n} listings  precision ${r.overall.precision.toFixed(3)}  recall ${r.overall.recall.toFixed(3)}  F1 ${r.overall.f1.toFixed(3)}  errors ${JSON.stringify(r.errors)}`,
    );
    expect(r.overall.precision).toBeGreaterThanOrEqual(0.95);
    expect(r.overall.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('the held-out part alone also meets the bar', () => {
    const r = evaluateWildlifeDetector(heldout);
    console.log(`wildlife eval held-out: ${r.overall.n} listings  precision ${r.overall.precision.toFixed(3)}  recall ${r.overall.recall.toFixed(3)}`);
    expect(r.overall.precision).toBeGreaterThanOrEqual(0.95);
    expect(r.overall.recall).toBeGreaterThanOrEqual(0.9);
  });
});
