/**
 * Change heuristic "address reuse" (self-change).
 *
 * Rule: when exactly one output pays an address that also appears among the inputs, and there is
 * at least one other output, that output is the change (the wallet sent the remainder back to
 * the spending address). Confidence {@link ADDRESS_REUSE_CONFIDENCE}.
 *
 * The change address is already in the inputs' cluster, so this rule adds no merge; it names the
 * change output for flow tracing.
 */
import type { ChangeHeuristic } from './types.js';

/** Confidence of the rule. */
export const ADDRESS_REUSE_CONFIDENCE = 0.9;

/** The self-change rule. */
export const addressReuseChange: ChangeHeuristic = {
  name: 'address-reuse',
  confidence: ADDRESS_REUSE_CONFIDENCE,
  description: 'the only output paying back to an input address is the change',
  links: false,
  guess(tx) {
    if (tx.outputs.length < 2) return undefined;
    const inputs = new Set(tx.inputs.map((i) => i.address).filter((a) => a !== undefined));
    const hits = tx.outputs.filter((o) => o.address !== undefined && inputs.has(o.address));
    if (hits.length !== 1) return undefined;
    return {
      output: hits[0].n,
      heuristic: 'address-reuse',
      confidence: ADDRESS_REUSE_CONFIDENCE,
      reason: `output ${hits[0].n} pays input address ${hits[0].address}`,
    };
  },
};
