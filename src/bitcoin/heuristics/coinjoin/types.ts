import type { Tx } from '../../../model/tx.js';

/** The names of the built-in CoinJoin detectors. */
export type CoinJoinDetectorName = 'equal-output' | 'wasabi-1' | 'wasabi-2' | 'whirlpool' | 'whirlpool-tx0' | 'joinmarket';

/** One detector that fired on a transaction, and why. */
export interface CoinJoinDetection {
  readonly detector: CoinJoinDetectorName;
  /** human-readable reason with the measured figures */
  readonly reason: string;
  /**
   * true when the detector says the inputs belong to several owners (a CoinJoin proper);
   * false for shapes reported for context only (Whirlpool Tx0 is one wallet's transaction)
   */
  readonly coinjoin: boolean;
  /** number of participants (equal outputs) the detector counted */
  readonly participants?: number;
  /** the mixed denomination(s), satoshi */
  readonly denominations?: readonly bigint[];
}

/** A CoinJoin detector: returns a detection, or `undefined` when it does not fire. */
export type CoinJoinDetector = (tx: Tx) => CoinJoinDetection | undefined;
