/**
 * Wildlife detector: listings per second over the evaluation set (target >= 5,000/s, taxonomy
 * loaded once), the load time and heap of the CITES taxonomy, and the compile time of the phrase
 * table. Baselines measured in the same run: (a) a naive detector, one case-insensitive RegExp
 * alternation of every lexicon term over the raw text (no normalisation, no context rules, no
 * CITES names); (b) tokenisation alone, the floor of any normalising detector.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { CitesTaxonomy, detectListingWildlife, LEXICON, prepareWildlifeDetector, tokenize, type WildlifeSample } from '../../src/index.js';
import { opsPerSecond, type BenchContext } from '../lib.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function gcFunction(): () => void {
  v8.setFlagsFromString('--expose_gc');
  return vm.runInNewContext('gc') as () => void;
}

export default async function wildlifeSuite(ctx: BenchContext): Promise<void> {
  const gc = gcFunction();
  const samples: WildlifeSample[] = ['dev', 'heldout'].flatMap((f) =>
    readFileSync(path.join(ROOT, 'test/fixtures/wildlife', `${f}.jsonl`), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as WildlifeSample),
  );
  const listings = samples.map((s) => ({ title: s.t, description: s.d ?? '' }));

  // taxonomy: read + parse + index, three fresh loads; heap retained by one instance
  const file = path.join(ROOT, 'src/wildlife/data/cites-taxonomy.generated.json');
  const loads: number[] = [];
  let keep: CitesTaxonomy | undefined;
  for (let i = 0; i < 3; i++) {
    keep = undefined;
    gc();
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    keep = new CitesTaxonomy(readFileSync(file, 'utf8'));
    loads.push(performance.now() - t0);
    gc();
    if (i === 2) ctx.record({ name: `CITES taxonomy heap (${keep.size} taxa, indexes built)`, value: (process.memoryUsage().heapUsed - before) / 2 ** 20, unit: 'MiB' });
  }
  loads.sort((a, b) => a - b);
  ctx.record({ name: 'CITES taxonomy load (read + parse + index), median of 3', value: loads[1], unit: 'ms' });
  keep = undefined;

  gc();
  const h0 = process.memoryUsage().heapUsed;
  const prep = prepareWildlifeDetector();
  gc();
  ctx.record({ name: `detector ready: taxonomy + phrase table (${prep.phrases} phrases), first call`, value: prep.ms, unit: 'ms' });
  ctx.record({ name: 'detector heap (taxonomy + phrase table)', value: (process.memoryUsage().heapUsed - h0) / 2 ** 20, unit: 'MiB' });

  // naive baseline: one RegExp of all lexicon terms over the raw text
  const terms = LEXICON.flatMap((g) => [...(g.strong ?? []), ...(g.anchor ?? [])]).sort((a, b) => b.length - a.length);
  const naive = new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'giu');
  let sink = 0;
  const bench = ctx.bench({ time: 2000 });
  bench.add('wildtrace detectListingWildlife', () => {
    for (const l of listings) sink += detectListingWildlife(l).length;
  });
  bench.add('baseline: naive RegExp alternation', () => {
    for (const l of listings) sink += (`${l.title}\n\n${l.description}`.match(naive) ?? []).length;
  });
  bench.add('baseline: tokenize only', () => {
    for (const l of listings) sink += tokenize(`${l.title}\n\n${l.description}`).length;
  });
  await bench.run();
  if (sink < 0) console.log(sink);
  const ours = opsPerSecond(bench, 'wildtrace detectListingWildlife') * listings.length;
  const regex = opsPerSecond(bench, 'baseline: naive RegExp alternation') * listings.length;
  const tok = opsPerSecond(bench, 'baseline: tokenize only') * listings.length;
  ctx.record({ name: `detectListingWildlife over the evaluation set (${listings.length} listings)`, value: ours, unit: 'listings/s', target: '>= 5000', met: ours >= 5000 });
  ctx.record({ name: 'baseline: naive RegExp alternation (no normalisation / context / CITES names)', value: regex, unit: 'listings/s' });
  ctx.record({ name: 'baseline: tokenize only', value: tok, unit: 'listings/s' });
  ctx.ratio('detector / naive RegExp', ours, regex);
  ctx.ratio('detector / tokenize only', ours, tok);
  ctx.record({ name: 'peak RSS', value: ctx.peakRss() / 2 ** 20, unit: 'MiB' });
}
