/**
 * Change heuristic "one-time change" (Meiklejohn et al. 2013, "A Fistful of Bitcoins").
 *
 * Rule: in a non-coinbase transaction with at least two outputs and no output paying an input
 * address, when exactly one output address appears for the first time and every other output
 * address was seen before, the fresh address is the change (wallets create a new address for
 * change; payees usually had published theirs). Confidence {@link ONE_TIME_CHANGE_CONFIDENCE}.
 */
import { isCoinbase } from '../tx-shape.js';
import type { ChangeHeuristic } from './types.js';

/** Confidence of the rule. */
export const ONE_TIME_CHANGE_CONFIDENCE = 0.7;

/** The one-time change rule. */
export const oneTimeChange: ChangeHeuristic = {
  name: 'one-time-change',
  confidence: ONE_TIME_CHANGE_CONFIDENCE,
  description: 'the only never-seen-before output address is the change',
  links: true,
  guess(tx, ctx) {
    if (isCoinbase(tx) || tx.outputs.length < 2) return undefined;
    const inputs = new Set(tx.inputs.map((i) => i.address));
    let fresh: number | undefined;
    for (const o of tx.outputs) {
      if (o.address === undefined) return undefined;
      if (inputs.has(o.address)) return undefined;
      if (!ctx.seenBefore(o.address)) {
        if (fresh !== undefined) return undefined;
        fresh = o.n;
      }
    }
    if (fresh === undefined) return undefined;
    return {
      output: fresh,
      heuristic: 'one-time-change',
      confidence: ONE_TIME_CHANGE_CONFIDENCE,
      reason: `output ${fresh} is the only address never seen before`,
    };
  },
};
