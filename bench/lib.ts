/**
 * Shared benchmark harness. A suite is a file `bench/suites/<name>.bench.ts` whose default export
 * is `async (ctx: BenchContext) => void`. It measures with tinybench, reports each figure through
 * `ctx.record`, and compares against a baseline measured in the same run with `ctx.ratio`.
 * `npm run bench` runs every suite (or those named on the command line), prints a table per suite
 * and writes `bench/results/<suite>.json`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Bench, type BenchOptions } from 'tinybench';

/** One measured figure. */
export interface BenchFigure {
  /** what was measured, e.g. `decode block 413567 (wildtrace)` */
  name: string;
  value: number;
  /** e.g. `tx/s`, `ms`, `bytes/address` */
  unit: string;
  /** optional target, as text (`>= 100000`), and whether it was met */
  target?: string;
  met?: boolean;
  note?: string;
}

/** What a suite gets from the runner. */
export interface BenchContext {
  readonly suite: string;
  /** records a figure for the table and the JSON */
  record(figure: BenchFigure): void;
  /** records `value / baseline` as a ratio figure named `name` */
  ratio(name: string, value: number, baseline: number, target?: number): void;
  /** a tinybench `Bench` with the harness defaults (override per suite) */
  bench(options?: BenchOptions): Bench;
  /** peak resident set size so far, bytes */
  peakRss(): number;
}

/** Throughput of a tinybench task in operations per second (mean of the samples). */
export function opsPerSecond(bench: Bench, taskName: string): number {
  const task = bench.getTask(taskName);
  const result = task?.result as { throughput?: { mean?: number }; hz?: number } | undefined;
  const hz = result?.throughput?.mean ?? result?.hz;
  if (!hz) throw new Error(`benchmark task ${taskName} has no result (did it throw?)`);
  return hz;
}

/** Runs one suite and returns its figures. */
export async function runSuite(name: string, fn: (ctx: BenchContext) => Promise<void>): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const ctx: BenchContext = {
    suite: name,
    record: (f) => figures.push(f),
    ratio: (figName, value, baseline, target) =>
      figures.push({
        name: figName,
        value: value / baseline,
        unit: 'x',
        ...(target === undefined ? {} : { target: `>= ${target}`, met: value / baseline >= target }),
      }),
    bench: (options) => new Bench({ time: 1000, warmupTime: 200, ...options }),
    peakRss: () => process.resourceUsage().maxRSS * 1024,
  };
  await fn(ctx);
  console.log(`\n## ${name}`);
  console.table(
    figures.map((f) => ({
      figure: f.name,
      value: Number(f.value.toPrecision(4)),
      unit: f.unit,
      target: f.target ?? '',
      met: f.met === undefined ? '' : f.met ? 'yes' : 'NO',
    })),
  );
  const dir = path.join(import.meta.dirname, 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(
    path.join(dir, `${name}.json`),
    `${JSON.stringify({ suite: name, date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, figures }, null, 2)}\n`,
  );
  return figures;
}
