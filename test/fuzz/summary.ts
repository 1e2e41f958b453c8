/** The summary of a fuzz run (written as JSON by run.ts) and its printed table. */
import type { TargetResult } from './harness.js';

/** What a fuzz run did, target by target. */
export interface FuzzSummary {
  readonly seed: number;
  readonly profile: 'full' | 'test';
  readonly scale: number;
  readonly started: string;
  readonly wallMs: number;
  readonly totalCases: number;
  readonly totalRejected: number;
  /** rejections by error code, over all targets */
  readonly byCode: Record<string, number>;
  /** slowest case of the run, ms, and its target */
  readonly maxCaseMs: number;
  readonly maxCaseTarget: string;
  /** targets that failed */
  readonly failed: string[];
  readonly targets: readonly TargetResult[];
}

/** Totals of `results`. */
export function summarise(results: readonly TargetResult[], run: Pick<FuzzSummary, 'seed' | 'profile' | 'scale' | 'started' | 'wallMs'>): FuzzSummary {
  const byCode: Record<string, number> = {};
  for (const r of results) for (const [code, n] of Object.entries(r.byCode)) byCode[code] = (byCode[code] ?? 0) + n;
  const slowest = results.reduce<TargetResult | undefined>((a, r) => (!a || r.maxCaseMs > a.maxCaseMs ? r : a), undefined);
  return {
    ...run,
    totalCases: results.reduce((n, r) => n + r.cases, 0),
    totalRejected: results.reduce((n, r) => n + r.rejected, 0),
    byCode,
    maxCaseMs: slowest?.maxCaseMs ?? 0,
    maxCaseTarget: slowest?.target ?? '',
    failed: results.filter((r) => r.failure).map((r) => r.target),
    targets: results,
  };
}

/** A plain-text table of a summary. */
export function table(s: FuzzSummary): string {
  const head = ['target', 'cases', 'accepted', 'rejected', 'rejections by code', 'max case ms', 'bound ms', 'time s', 'result'];
  const rows = s.targets.map((r) => [
    r.target,
    String(r.cases),
    String(r.accepted),
    String(r.rejected),
    Object.entries(r.byCode)
      .sort((a, b) => b[1] - a[1])
      .map(([c, n]) => `${c} ${n}`)
      .join(', '),
    r.maxCaseMs.toFixed(0),
    String(r.boundMs),
    (r.totalMs / 1000).toFixed(1),
    r.failure ? 'FAILED' : 'ok',
  ]);
  rows.push(['total', String(s.totalCases), String(s.totalCases - s.totalRejected), String(s.totalRejected), '', `${s.maxCaseMs.toFixed(0)} (${s.maxCaseTarget})`, '', (s.wallMs / 1000).toFixed(1), s.failed.length ? `${s.failed.length} FAILED` : 'ok']);
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => Math.min(r[i].length, i === 4 ? 70 : 1000))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 4 && c.length > 70 ? `${c.slice(0, 69)}…` : c).padEnd(width[i])).join('  ').trimEnd();
  return [line(head), line(width.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
