/**
 * Tags in a case: each {@link Tag} is stored in the `tag` collection under
 * `chain:address:tagpack:label`, its address is interned, and the `tag-addr` index sublevel
 * holds `id(8 hex)\0tagKey → ''`, so the tags of an address are one prefix range away.
 * Imports are written in atomic batches (one batch per `batchSize` tags); importing the same
 * tag again overwrites it (idempotent).
 */
import { validateAddress } from '../../src/addresses/index.js';
import type { Case } from '../../src/case.js';
import { addressKey, parseAddressKey, type Address, type AddressId } from '../../src/model/address.js';
import { isChain } from '../../src/model/chain.js';
import { InvalidInputError } from '../../src/model/errors.js';
import type { Tag } from '../../src/model/tag.js';
import type { AnySublevel } from '../../src/store/collection.js';
import { INDEX_SUBLEVELS } from '../../src/store/layout.js';

/** Options of {@link importTags}. */
export interface ImportTagsOptions {
  /** tags per atomic batch (default 5000) */
  readonly batchSize?: number;
  /** called after each batch with the number of tags written so far */
  readonly onProgress?: (written: number) => void;
  readonly signal?: AbortSignal;
}

/** What {@link importTags} did. */
export interface ImportTagsResult {
  readonly imported: number;
  /** tags not stored, with why (a tag whose address is not canonical and valid, or an empty label) */
  readonly skipped: { readonly tag: Tag; readonly reason: string }[];
}

/** The key of a tag in the `tag` collection: `chain:address:tagpack:label`. */
export function tagKey(t: Tag): string {
  return `${addressKey(t.address)}:${t.tagpack ?? ''}:${t.label}`;
}

const HEX8 = (id: number): string => id.toString(16).padStart(8, '0');

function indexOf(c: Case): AnySublevel {
  return c.store.sublevel(INDEX_SUBLEVELS.tagsByAddress, 'utf8', 'utf8');
}

/**
 * Stores tags in the case and attaches each to its (interned) address. Tags whose address does
 * not validate for its chain are skipped and counted, never stored.
 */
export async function importTags(c: Case, tags: Iterable<Tag> | AsyncIterable<Tag>, options: ImportTagsOptions = {}): Promise<ImportTagsResult> {
  const size = Math.max(1, options.batchSize ?? 5000);
  const index = indexOf(c);
  const skipped: { tag: Tag; reason: string }[] = [];
  let imported = 0;
  let pending: Tag[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    await c.store.write(async (b) => {
      const ids = await b.intern(batch.map((t) => t.address));
      for (let i = 0; i < batch.length; i++) {
        const key = tagKey(batch[i]);
        b.put('tag', key, batch[i]);
        b.putIn(index, `${HEX8(ids[i])}\0${key}`, '');
      }
    });
    imported += batch.length;
    options.onProgress?.(imported);
  };
  for await (const t of tags as AsyncIterable<Tag>) {
    options.signal?.throwIfAborted();
    const reason = invalidReason(t);
    if (reason) {
      skipped.push({ tag: t, reason });
      continue;
    }
    pending.push(t);
    if (pending.length >= size) await flush();
  }
  await flush();
  return { imported, skipped };
}

function invalidReason(t: Tag): string | undefined {
  if (!t || typeof t !== 'object' || !t.address || !isChain(t.address.chain)) return 'tag has no address of a known chain';
  if (typeof t.label !== 'string' || t.label === '') return 'tag has no label';
  const d = validateAddress(t.address.address, { chain: t.address.chain, testnets: true });
  if (!d) return `${t.address.address} is not a valid ${t.address.chain} address`;
  if (d.address !== t.address.address) return `${t.address.address} is not in canonical form (${d.address})`;
  return undefined;
}

/**
 * The tags of an address, in key order. `address` is an {@link Address}, a `chain:address` key,
 * an interned id, or a bare address string (its chain found by validation; bech32 and Ethereum
 * may be in any case).
 */
export async function tagsOf(c: Case, address: Address | AddressId | string): Promise<Tag[]> {
  const id = await resolveId(c, address);
  if (id === undefined) return [];
  const prefix = `${HEX8(id)}\0`;
  const keys: string[] = [];
  for await (const k of indexOf(c).keys({ gte: prefix, lt: `${HEX8(id)}\u0001` })) keys.push((k as string).slice(prefix.length));
  if (keys.length === 0) return [];
  const tags = await c.store.collection('tag').getMany(keys);
  return tags.filter((t): t is Tag => t !== undefined);
}

async function resolveId(c: Case, address: Address | AddressId | string): Promise<AddressId | undefined> {
  if (typeof address === 'number') return address;
  if (typeof address === 'object' && address !== null) return c.store.addressId(address);
  if (typeof address !== 'string') throw new InvalidInputError('tagsOf needs an address, a chain:address key or an id');
  const colon = address.indexOf(':');
  if (colon > 0 && isChain(address.slice(0, colon))) return c.store.addressId(parseAddressKey(address));
  const d = validateAddress(address.trim(), { testnets: true });
  return d ? c.store.addressId({ chain: d.chain, address: d.address }) : undefined;
}

/**
 * Every tag of the case in memory, by interned address id — for hot loops (tracing with
 * stop-at-tag rules, flagging) that ask "is this address tagged?" millions of times.
 * Tag sets are small (thousands to a few hundred thousand), so this costs little memory.
 */
export class TagIndex {
  /** @internal */
  constructor(
    private readonly byId: ReadonlyMap<AddressId, readonly Tag[]>,
    /** the tagged address ids, ascending */
    readonly ids: Uint32Array,
  ) {}

  /** The tags of address `id` (empty when untagged). */
  get(id: AddressId): readonly Tag[] {
    return this.byId.get(id) ?? [];
  }

  /** True when address `id` has any tag. */
  has(id: AddressId): boolean {
    return this.byId.has(id);
  }

  /** Number of tagged addresses. */
  get size(): number {
    return this.ids.length;
  }

  /**
   * The tags that label a whole cluster, given its member address ids: GraphSense semantics —
   * a tag with `isClusterDefiner` names every address of its address's cluster; other tags stay
   * on their own address. Highest confidence level first (ties by label), one per tag.
   */
  clusterDefiners(members: ArrayLike<AddressId>): Tag[] {
    const out: Tag[] = [];
    for (let i = 0; i < members.length; i++) {
      const tags = this.byId.get(members[i]);
      if (tags) for (const t of tags) if (t.isClusterDefiner) out.push(t);
    }
    return out.sort((a, b) => (b.confidenceLevel ?? 0) - (a.confidenceLevel ?? 0) || a.label.localeCompare(b.label));
  }
}

/** Loads every tag of the case into a {@link TagIndex} (one pass over the `tag-addr` index). */
export async function loadTagIndex(c: Case): Promise<TagIndex> {
  const pairs: [number, string][] = [];
  for await (const k of indexOf(c).keys()) {
    const key = k as string;
    pairs.push([parseInt(key.slice(0, 8), 16), key.slice(9)]);
  }
  const tags = pairs.length === 0 ? [] : await c.store.collection('tag').getMany(pairs.map((p) => p[1]));
  const byId = new Map<number, Tag[]>();
  pairs.forEach(([id], i) => {
    const t = tags[i];
    if (!t) return;
    const list = byId.get(id);
    if (list) list.push(t);
    else byId.set(id, [t]);
  });
  return new TagIndex(byId, Uint32Array.from(byId.keys()).sort());
}
