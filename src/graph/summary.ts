/**
 * Per-community summaries of an entity graph: who is in a community and how money crosses its
 * border.
 *
 * Rule: for each community of the partition, `members` are its node ids (graph order);
 * `valueIn` sums the `value` of flow edges entering the community from outside, `valueOut` of
 * flow edges leaving it, `valueInternal` of flow edges inside it (exact `bigint`s); `tags` unites
 * the members' tags, `vendors` their vendor ids, and `flaggedListings` lists members of kind
 * `listing` that are flagged. Communities are returned by id.
 */
import { InvalidInputError } from '../model/errors.js';
import type { EntityKind } from '../model/entity.js';
import { splitList, type EntityGraph } from './entity-graph.js';

/** One community of an entity graph, summarised. */
export interface CommunitySummary {
  id: number;
  members: string[];
  /** members per entity kind */
  kinds: Record<EntityKind, number>;
  /** base units entering from outside the community */
  valueIn: bigint;
  /** base units leaving to outside the community */
  valueOut: bigint;
  /** base units moving between members */
  valueInternal: bigint;
  txCount: number;
  tags: string[];
  vendors: string[];
  flaggedListings: string[];
}

/** Summarises every community of `partition` (node id → community id) on an entity graph. */
export function summarizeCommunities(graph: EntityGraph, partition: Readonly<Record<string, number>>): CommunitySummary[] {
  const byId = new Map<number, CommunitySummary>();
  const tags = new Map<number, Set<string>>();
  const vendors = new Map<number, Set<string>>();
  graph.forEachNode((node, a) => {
    const c = partition[node];
    if (!Number.isInteger(c)) throw new InvalidInputError(`summarizeCommunities: node ${node} has no community in the partition; pass the partition computed on this graph`);
    let s = byId.get(c);
    if (!s) {
      s = { id: c, members: [], kinds: { cluster: 0, person: 0, service: 0, listing: 0 }, valueIn: 0n, valueOut: 0n, valueInternal: 0n, txCount: 0, tags: [], vendors: [], flaggedListings: [] };
      byId.set(c, s);
      tags.set(c, new Set());
      vendors.set(c, new Set());
    }
    s.members.push(node);
    s.kinds[a.kind] = (s.kinds[a.kind] ?? 0) + 1;
    for (const t of splitList(a.tags)) tags.get(c)!.add(t);
    for (const v of splitList(a.vendors)) vendors.get(c)!.add(v);
    if (a.kind === 'listing' && a.flagged) s.flaggedListings.push(node);
  });
  graph.forEachEdge((_e, a, source, target) => {
    if (a.kind !== 'flow') return;
    const value = BigInt(a.value);
    const cs = partition[source];
    const ct = partition[target];
    if (cs === ct) {
      byId.get(cs)!.valueInternal += value;
      byId.get(cs)!.txCount += a.txCount;
    } else {
      byId.get(cs)!.valueOut += value;
      byId.get(ct)!.valueIn += value;
    }
  });
  for (const [c, s] of byId) {
    s.tags = [...tags.get(c)!].sort();
    s.vendors = [...vendors.get(c)!].sort();
  }
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
