/**
 * A small seeded pseudo-random generator for reproducible graph algorithms.
 *
 * Rule: mulberry32 — a 32-bit state advanced by the Weyl constant 0x6D2B79F5 and mixed with two
 * multiply-xorshift rounds; the output is the mixed state divided by 2^32, in [0, 1). It is not
 * cryptographic; it only makes Louvain's random node order and the generators repeatable.
 */

/** A function returning numbers in [0, 1), like `Math.random`. */
export type Rng = () => number;

/** Returns a seeded generator: the same `seed` always gives the same sequence. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
