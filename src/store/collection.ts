import type { AbstractSublevel } from 'abstract-level';
import type {
  BlockRecord,
  Entity,
  EthTx,
  Flag,
  Link,
  Listing,
  Page,
  Tag,
  Transfer,
  Tx,
  Vendor,
} from '../model/index.js';
import type { CollectionName } from './layout.js';

/** The model type each collection holds. */
export interface CollectionTypes {
  block: BlockRecord;
  tx: Tx;
  ethTx: EthTx;
  transfer: Transfer;
  page: Page;
  listing: Listing;
  vendor: Vendor;
  tag: Tag;
  entity: Entity;
  link: Link;
  flag: Flag;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnySublevel = AbstractSublevel<any, any, any, any>;

/** Range options for iterating a collection, in key order. */
export interface RangeOptions {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  limit?: number;
  reverse?: boolean;
}

/**
 * Read access to one model collection of a case (writes go through a {@link CaseBatch}).
 * Keys are strings; values are decoded model objects.
 */
export class Collection<T> {
  /** @internal */
  constructor(
    readonly name: CollectionName,
    /** @internal */ readonly sublevel: AnySublevel,
  ) {}

  /** The value under `key`, or `undefined`. */
  async get(key: string): Promise<T | undefined> {
    return (await this.sublevel.get(key)) as T | undefined;
  }

  /** The values under `keys`, in the same order (`undefined` where missing). */
  async getMany(keys: readonly string[]): Promise<(T | undefined)[]> {
    return (await this.sublevel.getMany(keys as string[])) as (T | undefined)[];
  }

  /** True when `key` is present. */
  async has(key: string): Promise<boolean> {
    return (await this.sublevel.get(key)) !== undefined;
  }

  /** Iterates `[key, value]` pairs in key order. */
  async *entries(range: RangeOptions = {}): AsyncGenerator<[string, T]> {
    for await (const [k, v] of this.sublevel.iterator(range)) yield [k as string, v as T];
  }

  /** Iterates values in key order. */
  async *values(range: RangeOptions = {}): AsyncGenerator<T> {
    for await (const v of this.sublevel.values(range)) yield v as T;
  }

  /** Iterates keys in key order. */
  async *keys(range: RangeOptions = {}): AsyncGenerator<string> {
    for await (const k of this.sublevel.keys(range)) yield k as string;
  }

  /** Counts the entries (a full key scan). */
  async count(range: RangeOptions = {}): Promise<number> {
    let n = 0;
    for await (const _ of this.sublevel.keys(range)) n++;
    return n;
  }
}
