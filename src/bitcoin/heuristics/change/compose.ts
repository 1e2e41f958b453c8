/**
 * Composing change heuristics. Each chosen rule guesses on its own; the guesses are combined:
 * - no rule fired → no change;
 * - every rule that fired names the same output → that output, with confidence
 *   1 − Π(1 − cᵢ) over the rules that agreed (independent evidence);
 * - rules disagree → no change (a conflict, counted by the caller).
 *
 * Change heuristics are opt-in and never part of the default clustering (as in GraphSense).
 */
import type { Tx } from '../../../model/tx.js';
import { InvalidInputError } from '../../../model/errors.js';
import { addressReuseChange } from './address-reuse.js';
import { oneTimeChange } from './one-time.js';
import { optimalChange } from './optimal.js';
import { peelingChainChange } from './peeling-chain.js';
import { roundNumberChange } from './round-number.js';
import { scriptTypeChange } from './script-type.js';
import type { ChangeContext, ChangeGuess, ChangeHeuristic } from './types.js';

/** The built-in change heuristics by name. */
export const CHANGE_HEURISTICS: Readonly<Record<string, ChangeHeuristic>> = {
  'address-reuse': addressReuseChange,
  'one-time-change': oneTimeChange,
  'script-type': scriptTypeChange,
  'round-number': roundNumberChange,
  'optimal-change': optimalChange,
  'peeling-chain': peelingChainChange,
};

/** The combined verdict of several change heuristics. */
export interface ChangeVerdict {
  readonly output: number;
  readonly confidence: number;
  /** the guesses that agreed */
  readonly guesses: readonly ChangeGuess[];
  /** true when at least one agreeing rule adds a link (see {@link ChangeHeuristic.links}) */
  readonly links: boolean;
}

/** The heuristics named in `names`; throws `InvalidInputError` `UNKNOWN_HEURISTIC` for a wrong name. */
export function changeHeuristics(names: readonly string[]): ChangeHeuristic[] {
  return names.map((name) => {
    const h = CHANGE_HEURISTICS[name];
    if (!h) {
      throw new InvalidInputError(`unknown change heuristic "${name}"; choose from ${Object.keys(CHANGE_HEURISTICS).join(', ')}`, {
        code: 'UNKNOWN_HEURISTIC',
      });
    }
    return h;
  });
}

/** Runs `heuristics` over `tx` and combines their guesses ("conflict" when they disagree). */
export function guessChange(tx: Tx, heuristics: readonly ChangeHeuristic[], ctx: ChangeContext): ChangeVerdict | 'conflict' | undefined {
  const guesses: ChangeGuess[] = [];
  for (const h of heuristics) {
    const g = h.guess(tx, ctx);
    if (g) guesses.push(g);
  }
  if (guesses.length === 0) return undefined;
  const output = guesses[0].output;
  if (guesses.some((g) => g.output !== output)) return 'conflict';
  let doubt = 1;
  for (const g of guesses) doubt *= 1 - g.confidence;
  const links = guesses.some((g) => heuristics.find((h) => h.name === g.heuristic)?.links === true);
  return { output, confidence: 1 - doubt, guesses, links };
}
