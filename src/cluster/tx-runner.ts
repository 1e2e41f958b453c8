/**
 * The heuristic runner: applies the Bitcoin clustering rules to one transaction at a time and
 * feeds the resulting links, with their evidence, to a {@link ClusterEngine}.
 *
 * Per transaction, in order:
 * 1. coinbase → nothing to link (its outputs are marked seen);
 * 2. CoinJoin verdict = the transaction's own `coinjoin` flag (an external verdict, e.g. a data
 *    set's precomputed field) OR the caller's `isCoinJoin(tx)` OR `detectCoinJoin(tx)`; with
 *    `coinjoin: 'exclude'` (the default) a CoinJoin takes no part in any heuristic;
 * 3. multi-input: all distinct input addresses are linked (proof `tx:<txid>`);
 * 4. change heuristics, only those named in `change` (opt-in): the combined guess links the
 *    change output's address to the first input address;
 * 5. every address of the transaction is marked seen (the history one-time change asks about).
 *
 * The runner works on ids; the caller supplies `idOf(address)` (an in-memory table or the case's
 * interned ids), so the in-memory and the case-level clustering share every rule.
 */
import type { Tx } from '../model/tx.js';
import {
  changeHeuristics,
  detectCoinJoin,
  guessChange,
  isCoinbase,
  MULTI_INPUT,
  MULTI_INPUT_CONFIDENCE,
  multiInputAddresses,
  peelShape,
  type ChangeContext,
  type ChangeHeuristic,
  type CoinJoinDetectorName,
} from '../bitcoin/heuristics/index.js';
import { InvalidInputError } from '../model/errors.js';
import type { ClusterEngine } from './engine.js';

/** Options of the Bitcoin clustering (both `clusterAddresses` and `clusterCase`). */
export interface ClusterOptions {
  /** `exclude` (default): CoinJoins take no part; `include`: cluster them like any transaction */
  coinjoin?: 'exclude' | 'include';
  /** an extra CoinJoin verdict, on top of the `tx.coinjoin` flag and the built-in detectors */
  isCoinJoin?: (tx: Tx) => boolean;
  /** which built-in CoinJoin detectors run (default: all); `[]` trusts only external verdicts */
  detectors?: readonly CoinJoinDetectorName[];
  /** change heuristics to apply, by name (default: none; see `CHANGE_HEURISTICS`) */
  change?: readonly string[];
}

/** Counters of a clustering run. */
export interface ClusterStats {
  txs: number;
  coinbase: number;
  /** CoinJoins left out (`coinjoin: 'exclude'`) */
  coinjoinsExcluded: number;
  /** CoinJoins that had an external verdict (flag or `isCoinJoin`) */
  coinjoinsExternal: number;
  /** transactions with ≥ 2 distinct input addresses that were clustered */
  multiInputTxs: number;
  /** links asked for (input links of multi-input plus change links) */
  links: number;
  /** inputs without an address (unresolved prevouts, bare multisig, non-standard) */
  unresolvedInputs: number;
  changeLinks: number;
  changeConflicts: number;
  /** malformed transactions skipped (see {@link ClusterStats.skippedTxs}) */
  skipped: number;
  /** the first {@link MAX_LISTED_SKIPS} skipped transactions with the reason */
  skippedTxs: { txid: string; reason: string }[];
}

/** How many skipped transactions {@link ClusterStats.skippedTxs} lists (all are counted). */
export const MAX_LISTED_SKIPS = 100;

/** Why `tx` cannot be clustered, or `undefined` when it is well-formed. */
export function malformedTx(tx: Tx): string | undefined {
  if (tx === null || typeof tx !== 'object') return 'not an object';
  if (typeof tx.txid !== 'string') return 'txid is not a string';
  if (!Array.isArray(tx.inputs) || !Array.isArray(tx.outputs)) return 'inputs or outputs is not an array';
  for (const i of tx.inputs) {
    if (i === null || typeof i !== 'object') return 'an input is not an object';
    if (i.address !== undefined && typeof i.address !== 'string') return 'an input address is not a string';
    if (i.value !== undefined && typeof i.value !== 'bigint') return 'an input value is not a bigint';
  }
  for (const o of tx.outputs) {
    if (o === null || typeof o !== 'object') return 'an output is not an object';
    if (typeof o.value !== 'bigint') return 'an output value is not a bigint (amounts are bigint satoshi)';
    if (o.address !== undefined && typeof o.address !== 'string') return 'an output address is not a string';
  }
  return undefined;
}

/** Fresh zeroed counters. */
export function emptyStats(): ClusterStats {
  return { txs: 0, coinbase: 0, coinjoinsExcluded: 0, coinjoinsExternal: 0, multiInputTxs: 0, links: 0, unresolvedInputs: 0, changeLinks: 0, changeConflicts: 0, skipped: 0, skippedTxs: [] };
}

/** Applies the clustering rules transaction by transaction. */
export class TxClusterer {
  readonly stats = emptyStats();
  /** bit per address id: seen in a processed transaction */
  private seen = new Uint8Array(1024);
  /** ids newly marked seen since the last {@link takeFresh} */
  private freshSeen: number[] = [];
  /** continuing outputs of peel-shaped transactions, `txid:vout` */
  readonly peels = new Set<string>();
  private freshPeels: string[] = [];
  private readonly heuristics: ChangeHeuristic[];
  private readonly changeName: string;
  private readonly tracksPeels: boolean;
  private readonly exclude: boolean;
  private readonly hMulti: number;
  private ids = new Uint32Array(64);

  constructor(
    private readonly engine: ClusterEngine,
    private readonly options: ClusterOptions = {},
  ) {
    const mode = options.coinjoin ?? 'exclude';
    if (mode !== 'exclude' && mode !== 'include') {
      throw new InvalidInputError(`coinjoin must be 'exclude' or 'include', got ${JSON.stringify(mode)}`, { code: 'INVALID_OPTION' });
    }
    this.exclude = mode === 'exclude';
    this.heuristics = changeHeuristics(options.change ?? []);
    this.changeName = `change:${this.heuristics.map((h) => h.name).join('+')}`;
    this.tracksPeels = this.heuristics.some((h) => h.name === 'peeling-chain');
    this.hMulti = engine.heuristicId(MULTI_INPUT);
  }

  /** True when address id `id` was seen in a processed transaction. */
  isSeen(id: number): boolean {
    return id < this.seen.length * 8 && (this.seen[id >>> 3] & (1 << (id & 7))) !== 0;
  }

  /** Marks ids seen (used when loading persisted state). */
  markSeen(ids: ArrayLike<number>): void {
    for (let i = 0; i < ids.length; i++) this.setSeen(ids[i], false);
  }

  /** Ids first seen and peel outputs found since the last call (what a unit of work persists). */
  takeFresh(): { seen: Uint32Array; peels: string[] } {
    const out = { seen: Uint32Array.from(this.freshSeen), peels: this.freshPeels };
    this.freshSeen = [];
    this.freshPeels = [];
    return out;
  }

  /** Applies the rules to `tx`; `idOf` gives (allocating if needed) the id of an address. */
  apply(tx: Tx, idOf: (address: string) => number): void {
    const s = this.stats;
    const bad = malformedTx(tx);
    if (bad !== undefined) {
      s.skipped++;
      if (s.skippedTxs.length < MAX_LISTED_SKIPS) s.skippedTxs.push({ txid: typeof tx?.txid === 'string' ? tx.txid : '?', reason: bad });
      return;
    }
    s.txs++;
    if (isCoinbase(tx)) {
      s.coinbase++;
      this.markTx(tx, idOf);
      return;
    }
    const external = tx.coinjoin === true || this.options.isCoinJoin?.(tx) === true;
    let coinjoin = external;
    if (!coinjoin && this.exclude && this.options.detectors?.length !== 0) {
      coinjoin = detectCoinJoin(tx, this.options.detectors ? { detectors: this.options.detectors } : {}).isCoinJoin;
    }
    if (external) s.coinjoinsExternal++;
    const { addresses, unresolved } = multiInputAddresses(tx);
    s.unresolvedInputs += unresolved;
    if (coinjoin && this.exclude) {
      s.coinjoinsExcluded++;
      this.markTx(tx, idOf);
      return;
    }
    const engine = this.engine;
    let proof = -1;
    const n = addresses.length;
    if (n >= 2) {
      if (this.ids.length < n) this.ids = new Uint32Array(n * 2);
      for (let i = 0; i < n; i++) this.ids[i] = idOf(addresses[i]);
      proof = engine.proofId(`tx:${tx.txid}`);
      engine.linkGroup(this.ids, n, this.hMulti, proof, MULTI_INPUT_CONFIDENCE);
      s.multiInputTxs++;
      s.links += n - 1;
    }
    if (this.heuristics.length > 0 && n >= 1) this.applyChange(tx, addresses[0], idOf, proof);
    this.markTx(tx, idOf);
  }

  private applyChange(tx: Tx, firstInput: string, idOf: (address: string) => number, proofIn: number): void {
    const ctx: ChangeContext = {
      seenBefore: (address) => this.isSeen(idOf(address)),
      wasPeelOutput: (txid, vout) => this.peels.has(`${txid}:${vout}`),
    };
    const verdict = guessChange(tx, this.heuristics, ctx);
    if (verdict === 'conflict') {
      this.stats.changeConflicts++;
      return;
    }
    if (!verdict || !verdict.links) return;
    const out = tx.outputs.find((o) => o.n === verdict.output);
    if (out?.address === undefined) return;
    const engine = this.engine;
    const proof = proofIn >= 0 ? proofIn : engine.proofId(`tx:${tx.txid}`);
    const name = verdict.guesses.length === this.heuristics.length ? this.changeName : `change:${verdict.guesses.map((g) => g.heuristic).join('+')}`;
    engine.link(idOf(firstInput), idOf(out.address), engine.heuristicId(name), proof, verdict.confidence);
    this.stats.changeLinks++;
    this.stats.links++;
  }

  private markTx(tx: Tx, idOf: (address: string) => number): void {
    for (const i of tx.inputs) if (i.address !== undefined) this.setSeen(idOf(i.address), true);
    for (const o of tx.outputs) if (o.address !== undefined) this.setSeen(idOf(o.address), true);
    if (this.tracksPeels) {
      const large = peelShape(tx);
      if (large !== undefined) {
        const key = `${tx.txid}:${large}`;
        this.peels.add(key);
        this.freshPeels.push(key);
      }
    }
  }

  private setSeen(id: number, record: boolean): void {
    const byte = id >>> 3;
    if (byte >= this.seen.length) {
      let cap = this.seen.length;
      while (cap <= byte) cap *= 2;
      const g = new Uint8Array(cap);
      g.set(this.seen);
      this.seen = g;
    }
    const bit = 1 << (id & 7);
    if ((this.seen[byte] & bit) === 0) {
      this.seen[byte] |= bit;
      if (record) this.freshSeen.push(id);
    }
  }
}
