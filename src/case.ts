/**
 * The investigation workspace. A case owns one store; every room of wildtrace reads and writes
 * evidence through it. Rooms add their entry points (`ingestBitcoin`, `trace`, …) as functions
 * that take a case, so this class stays small.
 */
import { mkdir } from 'node:fs/promises';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';
import { CaseStore } from './store/store.js';
import type { CollectionTypes, RangeOptions } from './store/collection.js';
import type { CollectionName } from './store/layout.js';
import type { Transfer } from './model/transfer.js';
import { transfersOf } from './ethereum/case-index.js';
import { caseSpendGraph } from './flow/case-spend-graph.js';
import { FlagView } from './flow/flag-view.js';
import { traceTransfers, type AccountTraceOptions, type AccountTraceResult } from './flow/trace-account.js';
import { traceTaint, type TraceOptions, type TraceResult, type TraceSource } from './flow/trace-utxo.js';

/** Options of {@link Case.open}. */
export interface CaseOpenOptions {
  /** create the directory when it does not exist (default `true`) */
  create?: boolean;
}

/** An investigation: evidence in a LevelDB store, and the questions asked of it. */
export class Case {
  private constructor(
    /** the store of this case: collections, interned addresses, atomic batches */
    readonly store: CaseStore,
  ) {}

  /**
   * Opens the case in directory `dir` (LevelDB via classic-level), creating it if needed.
   * Fails with a `StoreError` whose `code` is `STORE_LOCKED` when the case is already open,
   * `STORE_SCHEMA_MISMATCH` when another wildtrace version wrote it, and `STORE_NOT_A_CASE`
   * for a LevelDB directory of something else.
   */
  static async open(dir: string, options: CaseOpenOptions = {}): Promise<Case> {
    const create = options.create ?? true;
    if (create) await mkdir(dir, { recursive: true });
    const db = new ClassicLevel(dir, { createIfMissing: create });
    return new Case(await CaseStore.open(db, { location: dir }));
  }

  /** Opens an empty case held in memory (memory-level), for tests and notebooks. */
  static async memory(): Promise<Case> {
    return new Case(await CaseStore.open(new MemoryLevel(), { location: 'memory' }));
  }

  /** Where the case lives: its directory, or `memory`. */
  get location(): string {
    return this.store.location;
  }

  /** The object stored under `key` in `collection`, or `undefined`. */
  get<K extends CollectionName>(collection: K, key: string): Promise<CollectionTypes[K] | undefined> {
    return this.store.collection(collection).get(key);
  }

  /** Iterates the objects of `collection` in key order. */
  list<K extends CollectionName>(collection: K, range?: RangeOptions): AsyncGenerator<CollectionTypes[K]> {
    return this.store.collection(collection).values(range);
  }

  /** The objects of `collection` in key order, as one array (for collections that fit in memory). */
  async all<K extends CollectionName>(collection: K, range?: RangeOptions): Promise<CollectionTypes[K][]> {
    const out: CollectionTypes[K][] = [];
    for await (const x of this.list(collection, range)) out.push(x);
    return out;
  }

  /** The Ethereum transfers (ETH, internal, ERC-20, ERC-721) to or from `address`, in chain order. */
  transfers(address: string): AsyncGenerator<Transfer> {
    return transfersOf(this, address);
  }

  /**
   * Traces money from (or, with `direction: 'backward'`, into) an address or outputs.
   * A Bitcoin address or outpoints are traced over the ingested spend graph with the policy
   * given (`poison`, `haircut` — the default — or `fifo`); an Ethereum address (`0x…`) over the
   * case's transfers, haircut in time order.
   */
  trace(source: TraceSource, options?: TraceOptions): Promise<TraceResult>;
  trace(source: `0x${string}`, options?: AccountTraceOptions): Promise<AccountTraceResult>;
  async trace(source: TraceSource, options: TraceOptions & AccountTraceOptions = {}): Promise<TraceResult | AccountTraceResult> {
    if (typeof source === 'string' && /^0x[0-9a-fA-F]{40}$/.test(source)) {
      return traceTransfers(await this.all('transfer'), source, options);
    }
    return traceTaint(caseSpendGraph(this), source, options);
  }

  /** The flags stored in the case, most severe first, each with `explain()` and `toJSON()`. */
  async flags(): Promise<FlagView[]> {
    const out = (await this.all('flag')).map((f) => new FlagView(f));
    return out.sort((a, b) => b.severity - a.severity || (a.id < b.id ? -1 : 1));
  }

  /** Closes the store. The case cannot be used afterwards; open it again to go on. */
  close(): Promise<void> {
    return this.store.close();
  }
}
