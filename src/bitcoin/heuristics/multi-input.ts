/**
 * Multi-input heuristic (common-input ownership; Nakamoto 2008 §10, Reid & Harrigan 2011,
 * Meiklejohn et al. 2013).
 *
 * Rule: the addresses of all inputs of one non-coinbase transaction belong to one entity, since
 * one wallet had to sign for all of them. CoinJoins break the rule (several owners sign one
 * transaction), so clustering skips transactions judged to be CoinJoins unless told otherwise.
 * Inputs whose address is unknown (an unresolved prevout, a bare multisig or non-standard
 * script) take no part, as in GraphSense.
 *
 * Confidence: {@link MULTI_INPUT_CONFIDENCE}; the residual doubt covers undetected CoinJoins and
 * PayJoin (BIP 78), which this rule cannot see.
 */
import type { Tx } from '../../model/tx.js';
import { isCoinbase } from './tx-shape.js';

/** The heuristic's name in merge provenance. */
export const MULTI_INPUT = 'multi-input';
/** Confidence of a multi-input link. */
export const MULTI_INPUT_CONFIDENCE = 0.95;

/** The distinct input addresses of `tx` in input order, and how many inputs had none. */
export function multiInputAddresses(tx: Tx): { addresses: string[]; unresolved: number } {
  if (isCoinbase(tx)) return { addresses: [], unresolved: 0 };
  const seen = new Set<string>();
  const addresses: string[] = [];
  let unresolved = 0;
  for (const input of tx.inputs) {
    const a = input.address;
    if (a === undefined) unresolved++;
    else if (!seen.has(a)) {
      seen.add(a);
      addresses.push(a);
    }
  }
  return { addresses, unresolved };
}
