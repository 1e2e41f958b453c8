/**
 * Change heuristic "script-type match".
 *
 * Rule: when every input spends one script type (all known) and exactly one output has that
 * type while the others differ, that output is the change (a wallet's change uses its own script
 * type). Confidence {@link SCRIPT_TYPE_CHANGE_CONFIDENCE}.
 */
import { isCoinbase } from '../tx-shape.js';
import type { ChangeHeuristic } from './types.js';

/** Confidence of the rule. */
export const SCRIPT_TYPE_CHANGE_CONFIDENCE = 0.6;

/** The script-type match rule. */
export const scriptTypeChange: ChangeHeuristic = {
  name: 'script-type',
  confidence: SCRIPT_TYPE_CHANGE_CONFIDENCE,
  description: 'the only output of the inputs’ script type is the change',
  links: true,
  guess(tx) {
    if (isCoinbase(tx) || tx.outputs.length < 2) return undefined;
    const type = tx.inputs[0].scriptType;
    if (type === undefined || tx.inputs.some((i) => i.scriptType !== type)) return undefined;
    const hits = tx.outputs.filter((o) => o.scriptType === type);
    if (hits.length !== 1) return undefined;
    return {
      output: hits[0].n,
      heuristic: 'script-type',
      confidence: SCRIPT_TYPE_CHANGE_CONFIDENCE,
      reason: `output ${hits[0].n} is the only ${type} output, as are all inputs`,
    };
  },
};
