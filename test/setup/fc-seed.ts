/**
 * Test setup: fast-check runs from a fixed seed, so `npm test` checks the same cases on every run
 * and a failure on CI repeats on a laptop. Set `FC_SEED` to explore other cases (an integer;
 * `FC_SEED=7 npx vitest run test/cluster`); a failing property prints its seed and path, and
 * `FC_SEED=<seed>` replays it. A `seed` given to one `fc.assert` still wins over this one (fast-check
 * reads the global parameters first, then the call's own), and `npm run fuzz` seeds its targets
 * itself in worker threads, where this file does not run.
 */
import fc from 'fast-check';

/** The seed of `npm test` when `FC_SEED` is not set. */
const DEFAULT_SEED = 20261128;

const raw = process.env.FC_SEED?.trim() || undefined; // set but empty counts as not set
const seed = raw === undefined ? DEFAULT_SEED : Number(raw);
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, not ${JSON.stringify(raw)}`);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
