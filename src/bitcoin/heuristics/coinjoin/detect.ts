/**
 * `detectCoinJoin`: runs the CoinJoin detectors over one transaction and says which fired and why.
 * A transaction is a CoinJoin when at least one detector with `coinjoin: true` fired; Whirlpool
 * Tx0 is reported but does not make it one. Coinbase transactions are never CoinJoins.
 */
import type { Tx } from '../../../model/tx.js';
import { isCoinbase } from '../tx-shape.js';
import { detectEqualOutput } from './equal-output.js';
import { detectJoinMarket } from './joinmarket.js';
import type { CoinJoinDetection, CoinJoinDetector, CoinJoinDetectorName } from './types.js';
import { detectWasabi1 } from './wasabi1.js';
import { detectWasabi2 } from './wasabi2.js';
import { detectWhirlpool, detectWhirlpoolTx0 } from './whirlpool.js';

/** The built-in detectors by name, in the order they run. */
export const COINJOIN_DETECTORS: Readonly<Record<CoinJoinDetectorName, CoinJoinDetector>> = {
  'wasabi-1': detectWasabi1,
  'wasabi-2': detectWasabi2,
  whirlpool: detectWhirlpool,
  'whirlpool-tx0': detectWhirlpoolTx0,
  joinmarket: detectJoinMarket,
  'equal-output': detectEqualOutput,
};

/** What {@link detectCoinJoin} found. */
export interface CoinJoinVerdict {
  /** true when a detector that recognises CoinJoins proper fired */
  readonly isCoinJoin: boolean;
  /** every detector that fired, with its reason */
  readonly fired: readonly CoinJoinDetection[];
}

/** Options of {@link detectCoinJoin}. */
export interface DetectCoinJoinOptions {
  /** which detectors to run (default: all) */
  detectors?: readonly CoinJoinDetectorName[];
}

/** Runs the CoinJoin detectors over `tx`. */
export function detectCoinJoin(tx: Tx, options: DetectCoinJoinOptions = {}): CoinJoinVerdict {
  if (isCoinbase(tx)) return { isCoinJoin: false, fired: [] };
  const names = options.detectors ?? (Object.keys(COINJOIN_DETECTORS) as CoinJoinDetectorName[]);
  const fired: CoinJoinDetection[] = [];
  for (const name of names) {
    const d = COINJOIN_DETECTORS[name]?.(tx);
    if (d) fired.push(d);
  }
  return { isCoinJoin: fired.some((d) => d.coinjoin), fired };
}
