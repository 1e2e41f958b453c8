/**
 * Vendor linking: which vendor accounts (handles, across markets) are one person.
 *
 * Signals, for each pair of vendor accounts:
 * - `shared-pgp` (strong, {@link PGP_CONFIDENCE}): the same full 40-hex PGP fingerprint (short
 *   key ids are ignored). An impostor can copy a public key, so by default it links only with a
 *   second signal of any strength (`pgpAlone: true` lets it link alone); alone it is reported as
 *   a candidate;
 * - `shared-address` (strong, {@link ADDRESS_CONFIDENCE}): the same payout address posted by
 *   both (in the vendor profile or its listings). An address posted by more than
 *   {@link MAX_VENDORS_PER_ADDRESS} vendors is a market's or an example address and is ignored;
 * - `similar-handle` (weak, {@link HANDLE_CONFIDENCE} × similarity): normalised handles
 *   (see handle.ts) with Jaro-Winkler ≥ {@link HANDLE_THRESHOLD}, and the same ships-from or a
 *   listing category in common. Similarity without that context is no signal; with it, it is
 *   still weak: it never links alone (a pair with only this signal is a candidate), it can be
 *   the second signal a shared PGP key needs, and it is dropped with `minConfidence` above it.
 * Accepted pair links join accounts into persons (connected components). A person's id is
 * `person:<smallest vendor id>`; it carries its handles, vendor ids, posted addresses and the
 * evidence (links) that joined it.
 */
import { addressKey, type Address } from '../../model/address.js';
import type { Entity } from '../../model/entity.js';
import type { Evidence, Link } from '../../model/evidence.js';
import type { Listing, Vendor } from '../../model/market.js';
import { handleSimilarity } from './handle.js';

/** Confidence of a shared full PGP fingerprint. */
export const PGP_CONFIDENCE = 0.9;
/** Confidence of a shared payout address. */
export const ADDRESS_CONFIDENCE = 0.9;
/** Confidence of a similar handle in the same context, times the similarity. */
export const HANDLE_CONFIDENCE = 0.5;
/** Jaro-Winkler threshold for similar handles. */
export const HANDLE_THRESHOLD = 0.9;
/** Addresses posted by more vendors than this are ignored. */
export const MAX_VENDORS_PER_ADDRESS = 5;

/** Options of {@link linkVendors}. */
export interface LinkVendorsOptions {
  /** let a shared PGP fingerprint link alone (default `false`) */
  pgpAlone?: boolean;
  /** Jaro-Winkler threshold (default 0.9) */
  handleThreshold?: number;
  /** drop pair links below this confidence (default 0) */
  minConfidence?: number;
  /** addresses posted by more vendors are ignored (default 5) */
  maxVendorsPerAddress?: number;
}

/** A person: vendor accounts judged to be one actor. */
export interface VendorPerson {
  /** the person as a model entity (`kind: 'person'`) */
  readonly entity: Entity;
  readonly vendorIds: readonly string[];
  readonly handles: readonly string[];
  /** payout addresses the person's accounts posted */
  readonly addresses: readonly Address[];
  /** the links that joined its accounts */
  readonly links: readonly Link[];
}

/** What {@link linkVendors} found. */
export interface VendorLinkResult {
  /** every person, one per group of linked accounts (single accounts included) */
  readonly persons: readonly VendorPerson[];
  /** accepted vendor–vendor links */
  readonly links: readonly Link[];
  /** shared PGP fingerprints without a second signal (not linked) */
  readonly candidates: readonly Link[];
}

const FPR = /^[0-9A-F]{40}$/;

/** Links vendor accounts into persons (see the file comment). */
export function linkVendors(vendors: Iterable<Vendor>, listings: Iterable<Listing> = [], options: LinkVendorsOptions = {}): VendorLinkResult {
  const vs = [...vendors].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(vs.map((v, i) => [v.id, i]));
  const threshold = options.handleThreshold ?? HANDLE_THRESHOLD;
  const maxPerAddress = options.maxVendorsPerAddress ?? MAX_VENDORS_PER_ADDRESS;

  // per vendor: posted addresses (with their source page), categories, ships-from
  const posted = vs.map(() => new Map<string, { address: Address; source?: string }>());
  const categories = vs.map(() => new Set<string>());
  const shipsFrom = vs.map((v) => new Set<string>(v.shipsFrom ? [v.shipsFrom.trim().toLowerCase()] : []));
  vs.forEach((v, i) => v.addresses?.forEach((a) => posted[i].set(addressKey(a), { address: a, source: v.source?.sha256 })));
  for (const l of listings) {
    const i = l.vendorId === undefined ? undefined : index.get(l.vendorId);
    if (i === undefined) continue;
    l.addresses?.forEach((a) => posted[i].has(addressKey(a)) || posted[i].set(addressKey(a), { address: a, source: l.source?.sha256 }));
    if (l.category) categories[i].add(l.category.trim().toLowerCase());
    if (l.shipsFrom) shipsFrom[i].add(l.shipsFrom.trim().toLowerCase());
  }

  // signals per pair "i:j" (i < j)
  const signals = new Map<string, Evidence[]>();
  const add = (i: number, j: number, e: Evidence) => {
    const key = i < j ? `${i}:${j}` : `${j}:${i}`;
    (signals.get(key) ?? signals.set(key, []).get(key)!).push(e);
  };
  const groups = <K>(keysOf: (i: number) => Iterable<K>) => {
    const m = new Map<K, number[]>();
    vs.forEach((_, i) => {
      for (const k of new Set(keysOf(i))) (m.get(k) ?? m.set(k, []).get(k)!).push(i);
    });
    return m;
  };
  const pairs = function* (members: number[]) {
    for (let x = 0; x < members.length; x++) for (let y = x + 1; y < members.length; y++) yield [members[x], members[y]] as const;
  };

  const sourceOf = (v: Vendor) => (v.source ? `page:${v.source.sha256}` : `vendor:${v.id}`);
  for (const [fpr, members] of groups((i) => (vs[i].pgpFingerprints ?? []).map((f) => f.replace(/\s+/g, '').toUpperCase()).filter((f) => FPR.test(f)))) {
    for (const [i, j] of pairs(members)) add(i, j, { heuristic: 'shared-pgp', proof: sourceOf(vs[i]), confidence: PGP_CONFIDENCE, note: `both publish PGP key ${fpr} (${sourceOf(vs[j])})` });
  }
  for (const [key, members] of groups((i) => posted[i].keys())) {
    if (members.length > maxPerAddress) continue;
    for (const [i, j] of pairs(members)) {
      const where = (k: number) => {
        const src = posted[k].get(key)!.source;
        return src ? `page:${src}` : sourceOf(vs[k]);
      };
      add(i, j, { heuristic: 'shared-address', proof: where(i), confidence: ADDRESS_CONFIDENCE, note: `both posted ${key} (${where(i)}, ${where(j)})` });
    }
  }
  // similar handles, compared only within a shared context (ships-from or category)
  const compared = new Set<string>();
  const contexts = groups((i) => [...[...shipsFrom[i]].map((s) => `from:${s}`), ...[...categories[i]].map((c) => `cat:${c}`)]);
  for (const [ctx, members] of contexts) {
    for (const [i, j] of pairs(members)) {
      const key = `${i}:${j}`;
      if (compared.has(key)) continue;
      compared.add(key);
      if (vs[i].market === vs[j].market && vs[i].handle === vs[j].handle) continue;
      const sim = handleSimilarity(vs[i].handle, vs[j].handle);
      if (sim < threshold) continue;
      add(i, j, {
        heuristic: 'similar-handle',
        proof: sourceOf(vs[i]),
        confidence: HANDLE_CONFIDENCE * sim,
        note: `handles "${vs[i].handle}" and "${vs[j].handle}" are ${sim.toFixed(3)} similar (Jaro-Winkler, normalised), same ${ctx.replace(':', ' ')}`,
      });
    }
  }

  // accept: PGP needs a second signal unless pgpAlone
  const links: Link[] = [];
  const candidates: Link[] = [];
  const parent = vs.map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const min = options.minConfidence ?? 0;
  for (const [key, evs] of [...signals].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [i, j] = key.split(':').map(Number);
    const end = (k: number) => ({ kind: 'vendor' as const, vendorId: vs[k].id });
    const others = evs.filter((e) => e.heuristic !== 'shared-pgp');
    for (const e of evs) {
      const link: Link = { a: end(i), b: end(j), evidence: e };
      const weakOnly = evs.every((x) => x.heuristic === 'similar-handle');
      if ((e.heuristic === 'shared-pgp' && others.length === 0 && !options.pgpAlone) || weakOnly) candidates.push(link);
      else if (e.confidence >= min) {
        links.push(link);
        const ri = find(i);
        const rj = find(j);
        if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
      }
    }
  }

  const members = new Map<number, number[]>();
  vs.forEach((_, i) => (members.get(find(i)) ?? members.set(find(i), []).get(find(i))!).push(i));
  const persons: VendorPerson[] = [];
  for (const [root, ms] of [...members].sort(([a], [b]) => a - b)) {
    const vendorIds = ms.map((i) => vs[i].id);
    const addresses = new Map<string, Address>();
    for (const i of ms) for (const [k, p] of posted[i]) addresses.set(k, p.address);
    const inside = new Set(vendorIds);
    persons.push({
      entity: { id: `person:${vs[root].id}`, kind: 'person', vendorIds, addresses: [...addresses.values()], label: vs[root].handle },
      vendorIds,
      handles: [...new Set(ms.map((i) => vs[i].handle))],
      addresses: [...addresses.values()],
      links: links.filter((l) => l.a.kind === 'vendor' && inside.has(l.a.vendorId)),
    });
  }
  return { persons, links, candidates };
}
