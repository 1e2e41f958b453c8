/**
 * Change heuristic "optimal change" (Nick 2015, "Data-Driven De-Anonymization in Bitcoin").
 *
 * Rule: with every input value known and at least two outputs, when exactly one output is
 * smaller than the smallest input, it is the change (had the payment been smaller than an
 * input, that input would have been unnecessary). Confidence {@link OPTIMAL_CHANGE_CONFIDENCE}.
 */
import { isCoinbase } from '../tx-shape.js';
import type { ChangeHeuristic } from './types.js';

/** Confidence of the rule. */
export const OPTIMAL_CHANGE_CONFIDENCE = 0.5;

/** The optimal-change rule. */
export const optimalChange: ChangeHeuristic = {
  name: 'optimal-change',
  confidence: OPTIMAL_CHANGE_CONFIDENCE,
  description: 'the only output smaller than every input is the change',
  links: true,
  guess(tx) {
    if (isCoinbase(tx) || tx.outputs.length < 2 || tx.inputs.length < 2) return undefined;
    let min: bigint | undefined;
    for (const i of tx.inputs) {
      if (i.value === undefined) return undefined;
      if (min === undefined || i.value < min) min = i.value;
    }
    const hits = tx.outputs.filter((o) => o.scriptType !== 'op_return' && o.value < min!);
    if (hits.length !== 1) return undefined;
    return {
      output: hits[0].n,
      heuristic: 'optimal-change',
      confidence: OPTIMAL_CHANGE_CONFIDENCE,
      reason: `output ${hits[0].n} (${hits[0].value} sat) is the only one below the smallest input (${min} sat)`,
    };
  },
};
