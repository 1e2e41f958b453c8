/**
 * `npm run bench [suite …]`: runs the tinybench suites in bench/suites/ (all of them, or the
 * ones named), prints a table per suite and writes bench/results/<suite>.json.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSuite, type BenchContext } from './lib.js';

const dir = path.join(import.meta.dirname, 'suites');
const wanted = new Set(process.argv.slice(2));
const files = (await readdir(dir)).filter((f) => f.endsWith('.bench.ts')).sort();
let failed = 0;
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  if (wanted.size > 0 && !wanted.has(name)) continue;
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { default: (ctx: BenchContext) => Promise<void> };
  try {
    await runSuite(name, mod.default);
  } catch (err) {
    failed++;
    console.error(`suite ${name} failed:`, err);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
