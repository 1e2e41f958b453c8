import type { Tx } from '../../../model/tx.js';

/** What a change heuristic may ask about the history before the transaction at hand. */
export interface ChangeContext {
  /** true when `address` appeared in an earlier transaction (as input or output) */
  seenBefore(address: string): boolean;
  /**
   * true when output `vout` of `txid` was the continuing (large) output of an earlier
   * peel-shaped transaction (see `peelShape`)
   */
  wasPeelOutput(txid: string, vout: number): boolean;
}

/** A change heuristic's guess: which output is the change and why. */
export interface ChangeGuess {
  /** index into `tx.outputs` */
  readonly output: number;
  readonly heuristic: string;
  readonly confidence: number;
  readonly reason: string;
}

/** A named change heuristic. */
export interface ChangeHeuristic {
  readonly name: string;
  /** how often the rule is right, 0..1 (stated, not learnt) */
  readonly confidence: number;
  /** the rule in one sentence */
  readonly description: string;
  /** true when adding a link for the guessed change adds information (false for self-change) */
  readonly links: boolean;
  guess(tx: Tx, ctx: ChangeContext): ChangeGuess | undefined;
}
