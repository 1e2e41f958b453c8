/**
 * The fuzz harness core: one {@link FuzzTarget} per parser, run by {@link runTarget} under
 * fast-check with a fixed or random seed. What must hold for every case:
 *
 *   - no uncaught exception: the parser returns, or throws a `WildtraceError` (or subclass) with a
 *     non-empty `code` (and, where the target says so, a code of its family) and a message;
 *   - what an accepted result promises (each target checks its own invariants);
 *   - no hang: the case's wall time stays under the target's bound (measured here; a case that
 *     never returns is caught by the watchdog of pool.ts, which reads {@link CaseClock}).
 *
 * Counts per target: cases, accepted, rejected (by error code), max and total case time.
 */
import fc from 'fast-check';
import { WildtraceError } from '../../src/model/errors.js';

/** One parser under fuzz. `T` is the generated input (usually a mutation plan and a corpus pick). */
export interface FuzzTarget<T = unknown> {
  /** short id, used on the command line (`--target`) and in the summary */
  readonly name: string;
  /** what is fuzzed, one line */
  readonly description: string;
  /** cases in the fixed-seed subset of `npm test`, and in `npm run fuzz` (scale 1) */
  readonly runs: { readonly test: number; readonly full: number };
  /** longest one case may take, ms; a slower case fails the run */
  readonly boundMs: number;
  /** the codes a rejection may carry (default: any non-empty code) */
  readonly codes?: RegExp;
  /** loads corpora and starts peers (called once per worker before the first case) */
  setup?(): Promise<void> | void;
  /** stops what setup started */
  teardown?(): Promise<void> | void;
  /** the input generator (called after setup) */
  arbitrary(): fc.Arbitrary<T>;
  /**
   * Runs one case: returns when the parser accepted (after checking the result's invariants with
   * plain `Error`s), or lets the parser's error propagate.
   */
  run(input: T): unknown;
}

/** Per-case progress shared with a watchdog: `[start time (Date.now(), 0 when idle), case number]`. */
export type CaseClock = Float64Array;

/** What a target's run found. */
export interface TargetResult {
  readonly target: string;
  readonly seed: number;
  /** cases run before the end (or the first failure) */
  readonly cases: number;
  readonly accepted: number;
  readonly rejected: number;
  /** rejections by error code */
  readonly byCode: Record<string, number>;
  readonly boundMs: number;
  /** slowest case, ms */
  readonly maxCaseMs: number;
  /** the slowest case's input, rendered by fast-check and cut at 2,000 characters */
  readonly slowest?: string;
  /** wall time of all cases, ms */
  readonly totalMs: number;
  /** set when a property failed: the shrunk input and the error */
  readonly failure?: FuzzFailure;
}

/** A failed case, with what replays it. */
export interface FuzzFailure {
  readonly message: string;
  /** the (shrunk) input, rendered by fast-check, cut at 4,000 characters */
  readonly counterexample: string;
  /** fast-check's replay path (with the seed: `npm run fuzz -- --target T --seed S --path P`) */
  readonly path?: string;
  readonly stack?: string;
}

/** Thrown for a rejection that is not a typed error, or a case over its time bound. */
export class FuzzViolation extends Error {
  override readonly name = 'FuzzViolation';
}

/** The seed a target runs with: the run's seed mixed with the target's name (so targets differ). */
export function targetSeed(seed: number, name: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h | 0;
}

/** Checks that `err` is a typed rejection; returns its code or throws a {@link FuzzViolation}. */
export function typedCode(err: unknown, codes?: RegExp): string {
  if (!(err instanceof WildtraceError)) {
    const e = err as { name?: string; message?: string; stack?: string };
    throw new FuzzViolation(`untyped throw: ${e?.name ?? typeof err}: ${e?.message ?? String(err)}\n${e?.stack ?? ''}`);
  }
  if (typeof err.code !== 'string' || err.code.length === 0) throw new FuzzViolation(`WildtraceError without a code: ${err.message}`);
  if (!err.message) throw new FuzzViolation(`WildtraceError ${err.code} without a message`);
  if (codes && !codes.test(err.code)) throw new FuzzViolation(`unexpected error code ${err.code} (expected ${codes}): ${err.message}`);
  return err.code;
}

/** Options of {@link runTarget}. */
export interface RunOptions {
  /** the run's seed (mixed with the target name by {@link targetSeed}) */
  readonly seed: number;
  readonly numRuns: number;
  /** fast-check replay path of a failure */
  readonly path?: string;
  /** written around each case for a watchdog */
  readonly clock?: CaseClock;
}

/** Runs `numRuns` cases of `target` (its setup must have run) and counts what happened. */
export async function runTarget<T>(target: FuzzTarget<T>, options: RunOptions): Promise<TargetResult> {
  const seed = targetSeed(options.seed, target.name);
  const byCode: Record<string, number> = {};
  let cases = 0;
  let accepted = 0;
  let rejected = 0;
  let maxCaseMs = 0;
  let slowest: string | undefined;
  let totalMs = 0;
  let counting = true; // shrinking re-runs cases: count only the first pass
  const clock = options.clock;
  const property = fc.asyncProperty(target.arbitrary(), async (input) => {
    if (clock) {
      clock[1] = cases;
      clock[0] = Date.now();
    }
    const t0 = performance.now();
    let code: string | undefined;
    try {
      await target.run(input);
    } catch (err) {
      if (err instanceof FuzzViolation) throw err;
      try {
        code = typedCode(err, target.codes);
      } catch (violation) {
        counting = false;
        throw violation;
      }
    } finally {
      if (clock) clock[0] = 0;
    }
    const ms = performance.now() - t0;
    if (counting) {
      cases++;
      totalMs += ms;
      if (ms > maxCaseMs) {
        maxCaseMs = ms;
        slowest = fc.stringify(input).slice(0, 2000);
      }
      if (code === undefined) accepted++;
      else {
        rejected++;
        byCode[code] = (byCode[code] ?? 0) + 1;
      }
    }
    if (ms > target.boundMs) {
      counting = false;
      throw new FuzzViolation(`case took ${ms.toFixed(0)} ms, over the ${target.boundMs} ms bound of ${target.name}`);
    }
  });
  const details = await fc.check(property, { seed, numRuns: options.numRuns, ...(options.path ? { path: options.path } : {}) });
  let failure: FuzzFailure | undefined;
  if (details.failed) {
    const e = details.errorInstance as Error | undefined;
    failure = {
      message: e?.message ?? 'property failed',
      counterexample: fc.stringify(details.counterexample).slice(0, 4000),
      path: details.counterexamplePath ?? undefined,
      stack: e?.stack,
    };
  }
  return { target: target.name, seed, cases, accepted, rejected, byCode, boundMs: target.boundMs, maxCaseMs, ...(slowest ? { slowest } : {}), totalMs, ...(failure ? { failure } : {}) };
}
