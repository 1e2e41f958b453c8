/**
 * Change heuristic "peeling chain" (Meiklejohn et al. 2013).
 *
 * Shape: a transaction with one input and two outputs, one at least {@link PEEL_RATIO} times
 * the other: a small amount is "peeled off" and the large remainder moves on.
 * Rule: when a peel-shaped transaction spends the large output of an earlier peel-shaped
 * transaction, the chain continues: its large output is the change of the same owner.
 * Confidence {@link PEELING_CHAIN_CONFIDENCE}.
 */
import type { Tx } from '../../../model/tx.js';
import { isCoinbase } from '../tx-shape.js';
import type { ChangeHeuristic } from './types.js';

/** The large output is at least this many times the small one. */
export const PEEL_RATIO = 4n;
/** Confidence of the rule. */
export const PEELING_CHAIN_CONFIDENCE = 0.7;

/** The index of the large (continuing) output when `tx` is peel-shaped, else `undefined`. */
export function peelShape(tx: Tx): number | undefined {
  if (isCoinbase(tx) || tx.inputs.length !== 1 || tx.outputs.length !== 2) return undefined;
  const [x, y] = tx.outputs;
  if (x.value >= y.value * PEEL_RATIO && y.value > 0n) return x.n;
  if (y.value >= x.value * PEEL_RATIO && x.value > 0n) return y.n;
  return undefined;
}

/** The peeling-chain rule. */
export const peelingChainChange: ChangeHeuristic = {
  name: 'peeling-chain',
  confidence: PEELING_CHAIN_CONFIDENCE,
  description: 'a peel that spends the remainder of an earlier peel keeps its remainder as change',
  links: true,
  guess(tx, ctx) {
    const large = peelShape(tx);
    if (large === undefined) return undefined;
    const input = tx.inputs[0];
    if (!ctx.wasPeelOutput(input.prevTxid, input.prevVout)) return undefined;
    return {
      output: large,
      heuristic: 'peeling-chain',
      confidence: PEELING_CHAIN_CONFIDENCE,
      reason: `spends the remainder ${input.prevTxid}:${input.prevVout} of a peel and peels again`,
    };
  },
};
