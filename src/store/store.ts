/**
 * The case store: one abstract-level database (classic-level on disk, memory-level in memory)
 * split into the sublevels of `layout.ts`.
 *
 * Rules it keeps:
 * - one writer at a time: {@link CaseStore.write} runs its callbacks one after another, and each
 *   becomes exactly one atomic LevelDB batch (objects, indexes, interned addresses, the id
 *   counter and the checkpoint together), so a crash leaves either all of it or none of it;
 * - addresses are interned to dense ids 0, 1, 2, … that never change once written;
 * - the schema version is checked on open, and a store of another version is refused.
 */
import { createHash, type Hash } from 'node:crypto';
import type { AbstractLevel } from 'abstract-level';
import { addressKey, parseAddressKey, type Address, type AddressId } from '../model/address.js';
import { StoreError } from '../model/errors.js';
import { Collection, type AnySublevel, type CollectionTypes } from './collection.js';
import { jsonCodec, modelCodec, uint32Codec, type StoreCodec } from './codecs.js';
import {
  MODEL_COLLECTIONS,
  SCHEMA_VERSION,
  STORE_FORMAT,
  SYSTEM_SUBLEVELS,
  type CollectionName,
} from './layout.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyLevel = AbstractLevel<any, any, any>;

/** One operation of a batch, in abstract-level's shape. */
interface BatchOp {
  type: 'put' | 'del';
  sublevel: AnySublevel;
  key: unknown;
  value?: unknown;
}

/** Options of {@link CaseStore.open}. */
export interface StoreOpenOptions {
  /** where the store lives, for error messages (a directory, or `memory`) */
  location: string;
}

/**
 * The writes of one unit of work (a block, a page, an import), committed as one atomic batch by
 * {@link CaseStore.write}. Build it inside the callback; do not keep it after.
 */
export class CaseBatch {
  private readonly ops: BatchOp[] = [];
  /** addresses this batch interned for the first time, key → id */
  private readonly fresh = new Map<string, number>();
  private closed = false;

  /** @internal */
  constructor(private readonly store: CaseStore) {}

  /** Number of operations queued so far. */
  get length(): number {
    return this.ops.length + this.fresh.size * 2;
  }

  /** Queues `value` under `key` in a model collection. */
  put<K extends CollectionName>(collection: K, key: string, value: CollectionTypes[K]): this {
    return this.putIn(this.store.collection(collection).sublevel, key, value);
  }

  /** Queues the deletion of `key` from a model collection. */
  del(collection: CollectionName, key: string): this {
    return this.delIn(this.store.collection(collection).sublevel, key);
  }

  /** Queues a put into any sublevel of this store (an index made with {@link CaseStore.sublevel}). */
  putIn(sublevel: AnySublevel, key: unknown, value: unknown): this {
    this.assertOpen();
    this.ops.push({ type: 'put', sublevel, key, value });
    return this;
  }

  /** Queues a deletion from any sublevel of this store. */
  delIn(sublevel: AnySublevel, key: unknown): this {
    this.assertOpen();
    this.ops.push({ type: 'del', sublevel, key });
    return this;
  }

  /** Records a checkpoint in this batch: it is written if and only if the rest of it is. */
  checkpoint(name: string, value: unknown): this {
    return this.putIn(this.store.system.checkpoint, name, value);
  }

  /**
   * Interns addresses: returns each one's dense id, giving new ids to addresses the store has not
   * seen. The new ids become permanent when this batch commits, and are forgotten if it fails.
   */
  async intern(addresses: readonly Address[]): Promise<Uint32Array> {
    return this.internKeys(addresses.map(addressKey));
  }

  /** {@link intern} for keys already in `chain:address` form. */
  async internKeys(keys: readonly string[]): Promise<Uint32Array> {
    this.assertOpen();
    const out = new Uint32Array(keys.length);
    const missing: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const id = this.fresh.get(keys[i]) ?? this.store.cachedId(keys[i]);
      if (id === undefined) missing.push(i);
      else out[i] = id;
    }
    if (missing.length === 0) return out;
    const found = await this.store.lookupIds(missing.map((i) => keys[i]));
    for (let j = 0; j < missing.length; j++) {
      const i = missing[j];
      const key = keys[i];
      let id = found[j] ?? this.fresh.get(key);
      if (id === undefined) {
        id = this.store.allocateId();
        this.fresh.set(key, id);
      }
      out[i] = id;
    }
    return out;
  }

  /** @internal the operations to write, including interned addresses and the id counter */
  finish(): { ops: BatchOp[]; fresh: Map<string, number> } {
    this.closed = true;
    const ops = this.ops.slice();
    if (this.fresh.size > 0) {
      for (const [key, id] of this.fresh) {
        ops.push({ type: 'put', sublevel: this.store.system.addressToId, key, value: id });
        ops.push({ type: 'put', sublevel: this.store.system.idToAddress, key: id, value: key });
      }
      ops.push({ type: 'put', sublevel: this.store.system.meta, key: 'nextAddressId', value: this.store.nextAddressId });
    }
    return { ops, fresh: this.fresh };
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('BATCH_CLOSED', 'this batch was already written; start a new store.write()');
  }
}

/** The sublevels every store has. */
interface SystemSublevels {
  meta: AnySublevel;
  addressToId: AnySublevel;
  idToAddress: AnySublevel;
  checkpoint: AnySublevel;
}

/** The case store over one abstract-level database. Create it with {@link CaseStore.open}. */
export class CaseStore {
  /** @internal */ readonly system: SystemSublevels;
  private readonly collections = new Map<CollectionName, Collection<unknown>>();
  private readonly idCache = new Map<string, number>();
  private writeQueue: Promise<unknown> = Promise.resolve();
  /** what holds each name of {@link exclusive} */
  private readonly holders = new Map<string, string>();
  /** the last work queued under each name of {@link inTurn} */
  private readonly turns = new Map<string, Promise<unknown>>();
  private nextId = 0;
  private committedNextId = 0;
  private isClosed = false;

  private constructor(
    /** @internal */ readonly db: AnyLevel,
    /** where the store lives (a directory, or `memory`) */
    readonly location: string,
  ) {
    const sub = (name: string, keyEncoding: StoreCodec<unknown> | 'utf8', valueEncoding: StoreCodec<unknown> | 'utf8') =>
      db.sublevel(name, { keyEncoding, valueEncoding }) as AnySublevel;
    this.system = {
      meta: sub(SYSTEM_SUBLEVELS.meta, 'utf8', jsonCodec),
      addressToId: sub(SYSTEM_SUBLEVELS.addressToId, 'utf8', uint32Codec as StoreCodec<unknown>),
      idToAddress: sub(SYSTEM_SUBLEVELS.idToAddress, uint32Codec as StoreCodec<unknown>, 'utf8'),
      checkpoint: sub(SYSTEM_SUBLEVELS.checkpoint, 'utf8', jsonCodec),
    };
  }

  /**
   * Opens (and on first use initialises) a store on an abstract-level database that is not yet
   * open. Throws {@link StoreError} `STORE_LOCKED` when another handle holds it,
   * `STORE_NOT_A_CASE` for a foreign database and `STORE_SCHEMA_MISMATCH` for another version.
   */
  static async open(db: AnyLevel, options: StoreOpenOptions): Promise<CaseStore> {
    try {
      await db.open();
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      if (cause?.code === 'LEVEL_LOCKED') {
        throw new StoreError(
          'STORE_LOCKED',
          `the case at ${options.location} is already open (in this process or another one). ` +
            'Close the other handle first (case.close()), or open a copy of the directory.',
          { cause: err },
        );
      }
      throw new StoreError('STORE_OPEN_FAILED', `cannot open the case at ${options.location}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const store = new CaseStore(db, options.location);
    try {
      await store.checkOrInitialise();
    } catch (err) {
      await db.close();
      throw err;
    }
    return store;
  }

  private async checkOrInitialise(): Promise<void> {
    const meta = this.system.meta;
    const format = await meta.get('format');
    if (format === undefined) {
      const anyKey = await this.db.keys({ limit: 1 }).all();
      if (anyKey.length > 0) {
        throw new StoreError(
          'STORE_NOT_A_CASE',
          `${this.location} holds a LevelDB database that is not a wildtrace case. Choose an empty or new directory.`,
        );
      }
      await this.db.batch([
        { type: 'put', sublevel: meta, key: 'format', value: STORE_FORMAT },
        { type: 'put', sublevel: meta, key: 'schema', value: SCHEMA_VERSION },
        { type: 'put', sublevel: meta, key: 'createdAt', value: new Date().toISOString() },
        { type: 'put', sublevel: meta, key: 'nextAddressId', value: 0 },
      ] as never);
      return;
    }
    if (format !== STORE_FORMAT) {
      throw new StoreError('STORE_NOT_A_CASE', `${this.location} is not a wildtrace case (format marker ${JSON.stringify(format)}).`);
    }
    const schema = await meta.get('schema');
    if (schema !== SCHEMA_VERSION) {
      throw new StoreError(
        'STORE_SCHEMA_MISMATCH',
        `the case at ${this.location} has schema version ${JSON.stringify(schema)}, but this wildtrace reads version ` +
          `${SCHEMA_VERSION}. Open it with the wildtrace version that wrote it, or re-ingest the evidence into a new case.`,
      );
    }
    const next = (await meta.get('nextAddressId')) as number | undefined;
    this.nextId = this.committedNextId = next ?? 0;
  }

  /** The schema version of this store. */
  get schemaVersion(): number {
    return SCHEMA_VERSION;
  }

  /** How many addresses are interned (ids run from 0 to this − 1). */
  get addressCount(): number {
    return this.committedNextId;
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Read access to a model collection. */
  collection<K extends CollectionName>(name: K): Collection<CollectionTypes[K]> {
    let c = this.collections.get(name);
    if (!c) {
      const sublevel = this.db.sublevel(MODEL_COLLECTIONS[name], {
        keyEncoding: 'utf8',
        valueEncoding: modelCodec,
      }) as AnySublevel;
      c = new Collection<unknown>(name, sublevel);
      this.collections.set(name, c);
    }
    return c as Collection<CollectionTypes[K]>;
  }

  /**
   * A sublevel of this store for an index of a room (for example address → transactions).
   * Declare its name in `layout.ts` and docs/store.md.
   */
  sublevel<K, V>(name: string, keyEncoding: StoreCodec<K> | 'utf8', valueEncoding: StoreCodec<V> | 'utf8'): AnySublevel {
    return this.db.sublevel(name, { keyEncoding, valueEncoding }) as AnySublevel;
  }

  /** The id of an interned address, or `undefined` if it was never interned. */
  async addressId(address: Address): Promise<AddressId | undefined> {
    const key = addressKey(address);
    return this.cachedId(key) ?? (await this.lookupIds([key]))[0];
  }

  /** The ids of many addresses (`undefined` where never interned), in order. */
  async addressIds(addresses: readonly Address[]): Promise<(AddressId | undefined)[]> {
    const keys = addresses.map(addressKey);
    const out: (number | undefined)[] = keys.map((k) => this.cachedId(k));
    const miss = out.flatMap((v, i) => (v === undefined ? [i] : []));
    if (miss.length > 0) {
      const found = await this.lookupIds(miss.map((i) => keys[i]));
      miss.forEach((i, j) => (out[i] = found[j]));
    }
    return out;
  }

  /** The address with id `id`, or `undefined`. */
  async address(id: AddressId): Promise<Address | undefined> {
    const key = (await this.system.idToAddress.get(id)) as string | undefined;
    return key === undefined ? undefined : parseAddressKey(key);
  }

  /** Iterates every interned address with its id, in id order. */
  async *addresses(): AsyncGenerator<[AddressId, Address]> {
    for await (const [id, key] of this.system.idToAddress.iterator()) yield [id as number, parseAddressKey(key as string)];
  }

  /** The value of checkpoint `name`, or `undefined`. */
  async checkpoint<T = unknown>(name: string): Promise<T | undefined> {
    return (await this.system.checkpoint.get(name)) as T | undefined;
  }

  /**
   * Runs `work` with a fresh {@link CaseBatch} and commits everything it queued as one atomic
   * batch. Calls run one at a time, in call order. If `work` throws, nothing is written.
   */
  write<T>(work: (batch: CaseBatch) => Promise<T> | T): Promise<T> {
    const run = async (): Promise<T> => {
      this.assertOpen();
      const batch = new CaseBatch(this);
      let result: T;
      let finished: ReturnType<CaseBatch['finish']> | undefined;
      try {
        result = await work(batch);
        finished = batch.finish();
        if (finished.ops.length > 0) await this.db.batch(finished.ops as never);
      } catch (err) {
        this.nextId = this.committedNextId;
        throw err;
      }
      for (const [key, id] of finished.fresh) this.idCache.set(key, id);
      this.committedNextId = this.nextId;
      return result;
    };
    const next = this.writeQueue.then(run, run);
    this.writeQueue = next.catch(() => undefined);
    return next;
  }

  /**
   * Runs `work` as the only holder of `name` in this store (`name` is usually a checkpoint's: one
   * market's crawl frontier, one ingestion). Work that loads a checkpoint, then allocates from it
   * over many batches (sequence numbers, counters, covered ranges) must not run twice at once: the
   * second would overwrite what the first wrote. A second call while `name` is held throws
   * {@link StoreError} `CASE_BUSY`, naming what holds it. (No other process can open the case: its
   * LevelDB is locked.)
   */
  async exclusive<T>(name: string, what: string, work: () => Promise<T>): Promise<T> {
    const holder = this.holders.get(name);
    if (holder !== undefined) {
      throw new StoreError('CASE_BUSY', `${holder} is already running on this case, so ${what} cannot start: await the first one`);
    }
    this.holders.set(name, what);
    try {
      return await work();
    } finally {
      this.holders.delete(name);
    }
  }

  /**
   * Runs `work` once every earlier `inTurn(name, …)` call on this store has settled: one queue per
   * name, for work that may wait its turn (where {@link exclusive} refuses a second caller).
   */
  inTurn<T>(name: string, work: () => Promise<T>): Promise<T> {
    const next = (this.turns.get(name) ?? Promise.resolve()).then(work, work);
    this.turns.set(name, next.catch(() => undefined));
    return next;
  }

  /**
   * A canonical digest of the store's content: one SHA-256 per sublevel over its raw keys and
   * values in key order (plus `*` over everything). Two stores with the same evidence have the
   * same digest, whatever order or how many sessions it was written in. `meta/createdAt` is left
   * out, being the only value that records when rather than what.
   */
  async digest(): Promise<Record<string, string>> {
    this.assertOpen();
    const hashes = new Map<string, Hash>();
    const all = createHash('sha256');
    const frame = (h: Hash, bytes: Uint8Array) => {
      const len = Buffer.allocUnsafe(4);
      len.writeUInt32BE(bytes.byteLength);
      h.update(len).update(bytes);
    };
    for await (const [key, value] of this.db.iterator({ keyEncoding: 'view', valueEncoding: 'view' })) {
      const k = key as Uint8Array;
      const end = k.indexOf(0x21, 1); // sublevel keys are `!name!key`
      const name = k[0] === 0x21 && end > 0 ? Buffer.from(k.subarray(1, end)).toString('latin1') : '';
      if (name === SYSTEM_SUBLEVELS.meta && Buffer.from(k.subarray(end + 1)).toString() === 'createdAt') continue;
      let h = hashes.get(name);
      if (!h) hashes.set(name, (h = createHash('sha256')));
      for (const target of [h, all]) {
        frame(target, k);
        frame(target, value as Uint8Array);
      }
    }
    const out: Record<string, string> = {};
    for (const name of [...hashes.keys()].sort()) out[name] = hashes.get(name)!.digest('hex');
    out['*'] = all.digest('hex');
    return out;
  }

  /** Closes the database. Later calls fail with `STORE_CLOSED`; a second close is a no-op. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    await this.writeQueue;
    await this.db.close();
  }

  /** @internal */
  cachedId(key: string): number | undefined {
    return this.idCache.get(key);
  }

  /** @internal looks ids up in the intern table and caches the ones found */
  async lookupIds(keys: readonly string[]): Promise<(number | undefined)[]> {
    const found = (await this.system.addressToId.getMany(keys as string[])) as (number | undefined)[];
    found.forEach((id, i) => id !== undefined && this.idCache.set(keys[i], id));
    return found;
  }

  /** @internal */
  allocateId(): number {
    if (this.nextId >= 0xffffffff) throw new StoreError('STORE_FULL', 'the case holds 2³²−1 addresses; split the investigation into several cases');
    return this.nextId++;
  }

  /** @internal the id counter including ids allocated by the batch being built */
  get nextAddressId(): number {
    return this.nextId;
  }

  private assertOpen(): void {
    if (this.isClosed) throw new StoreError('STORE_CLOSED', `the case at ${this.location} is closed; open it again`);
  }
}
