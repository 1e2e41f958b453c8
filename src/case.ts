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

  /** Closes the store. The case cannot be used afterwards; open it again to go on. */
  close(): Promise<void> {
    return this.store.close();
  }
}
