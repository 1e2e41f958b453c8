/**
 * Change heuristic "round-number payment".
 *
 * Rule: in a two-output transaction where exactly one output value is a multiple of
 * {@link ROUND_UNIT} satoshi (at most four decimals in BTC), that output is the payment and the
 * other is the change (people pay round amounts; change is what is left). Confidence
 * {@link ROUND_NUMBER_CHANGE_CONFIDENCE}.
 */
import { isCoinbase } from '../tx-shape.js';
import type { ChangeHeuristic } from './types.js';

/** A value is round when it is a multiple of this many satoshi. */
export const ROUND_UNIT = 10_000n;
/** Confidence of the rule. */
export const ROUND_NUMBER_CHANGE_CONFIDENCE = 0.5;

/** The round-number payment rule. */
export const roundNumberChange: ChangeHeuristic = {
  name: 'round-number',
  confidence: ROUND_NUMBER_CHANGE_CONFIDENCE,
  description: 'in a two-output transaction, the output that is not a round amount is the change',
  links: true,
  guess(tx) {
    if (isCoinbase(tx) || tx.outputs.length !== 2) return undefined;
    const [x, y] = tx.outputs;
    const rx = x.value % ROUND_UNIT === 0n;
    const ry = y.value % ROUND_UNIT === 0n;
    if (rx === ry) return undefined;
    const change = rx ? y : x;
    return {
      output: change.n,
      heuristic: 'round-number',
      confidence: ROUND_NUMBER_CHANGE_CONFIDENCE,
      reason: `output ${(rx ? x : y).n} is a round ${(rx ? x : y).value} sat payment`,
    };
  },
};
