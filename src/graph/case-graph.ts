/**
 * The entity graph of a case: transactions, tags, vendors, listings and links in the case store
 * turned into an {@link EntityGraph}, optionally cut to the neighbourhood of seeds.
 *
 * Rules:
 * - Entities: an address belongs to the cluster `clusterOf` gives (`cluster:<id>`), or alone
 *   (`cluster:<chain>:<address>`) without a clustering. A cluster holding an address tagged with
 *   a service category (exchange, mixer, market, sanctioned, …) becomes the service
 *   `service:<label>` (the tag with the highest confidence level, then the first label), so all
 *   clusters of one exchange meet in one node. Vendors are persons `person:<personOf(vendor)>`
 *   (default: one person per vendor id).
 * - Flows, per UTXO transaction inside the [from, to] window: each output's value goes from the
 *   input entities in proportion to the value they put in (bigint floor division; the remainder
 *   goes to the first input entity), flows from an entity to itself (change) are dropped.
 *   Inputs without a resolved address and value, and transactions without a time when a window
 *   is asked, are skipped and counted.
 * - Attribute edges: a vendor's or its listing's advertised address → `advertised` from the person
 *   to the cluster; a link between two vendor handles (Link collection) → `same-person`; with
 *   `listings: true`, each listing is a node, `sells` from its person, flagged when a Flag names it.
 */
import type { Case } from '../case.js';
import type { Address } from '../model/address.js';
import type { Chain } from '../model/chain.js';
import { InvalidInputError } from '../model/errors.js';
import type { Tag } from '../model/tag.js';
import { buildEntityGraph, type AttributeEdgeInput, type EntityGraph, type EntityNodeInput, type FlowInput } from './entity-graph.js';
import { extractSubgraph } from './subgraph.js';

/** Tag categories that make a cluster a service node. */
export const SERVICE_CATEGORIES: readonly string[] = [
  'exchange',
  'mixer',
  'mixing_service',
  'coinjoin',
  'market',
  'darknet_market',
  'gambling',
  'payment_processor',
  'mining_service',
  'miner',
  'defi',
  'bridge',
  'sanctioned',
];

/** Something that maps an address to its cluster id, like the cluster room's clusterings. */
export type ClusterLookup = ((address: string, chain: Chain) => number | string | undefined) | { clusterOf(address: string): number | string | undefined };

/** Options of {@link entityGraph}. */
export interface CaseEntityGraphOptions {
  /** cluster of each address (default: every address alone) */
  clustering?: ClusterLookup;
  /** person id of a vendor id (default: the vendor id) */
  personOf?: (vendorId: string) => string;
  /** add listing nodes and `sells` edges (default `false`) */
  listings?: boolean;
  /** entity ids, `chain:address` keys or vendor ids to start from (default: the whole case) */
  seeds?: readonly string[];
  /** steps from the seeds (default 2) */
  hops?: number;
  /** follow money `out` of the seeds, `in`, or `both` (default) */
  direction?: 'out' | 'in' | 'both';
  /** seconds since the epoch: only transactions at or after */
  from?: number;
  /** seconds since the epoch: only transactions at or before */
  to?: number;
  /** base units: only flow edges whose total is at least this */
  minValue?: bigint;
}

/** Counts of what {@link entityGraph} skipped. */
export interface EntityGraphSkipped {
  /** inputs without a resolved address or value */
  unresolvedInputs: number;
  /** transactions without a time while a window was asked */
  untimedTxs: number;
  /** transactions whose every input was unresolved */
  txsWithoutInputs: number;
}

/** The case's entity graph and what was skipped building it. */
export interface CaseEntityGraph {
  graph: EntityGraph;
  skipped: EntityGraphSkipped;
  /** number of transactions that contributed flows */
  txs: number;
}

/** Builds the entity graph of a case (see the rules at the top of this file). */
export async function entityGraph(c: Case, options: CaseEntityGraphOptions = {}): Promise<CaseEntityGraph> {
  const { from, to } = options;
  if (from !== undefined && !Number.isFinite(from)) throw new InvalidInputError(`entityGraph: from must be seconds since the epoch, got ${from}`);
  if (to !== undefined && !Number.isFinite(to)) throw new InvalidInputError(`entityGraph: to must be seconds since the epoch, got ${to}`);
  const lookup = options.clustering;
  const clusterFn = typeof lookup === 'function' ? lookup : lookup ? (a: string) => lookup.clusterOf(a) : undefined;
  const personOf = options.personOf ?? ((v: string) => v);

  // tags by address key; the service a tagged address stands for
  const tagsByAddress = new Map<string, Tag[]>();
  for await (const tag of c.list('tag')) {
    const key = `${tag.address.chain}:${tag.address.address}`;
    const list = tagsByAddress.get(key);
    if (list) list.push(tag);
    else tagsByAddress.set(key, [tag]);
  }
  const clusterKey = (chain: Chain, address: string): string => {
    const id = clusterFn?.(address, chain);
    return id === undefined ? `cluster:${chain}:${address}` : `cluster:${id}`;
  };
  const nodes = new Map<string, EntityNodeInput & { tags: string[]; addressCount: number; addresses: Set<string> }>();
  const serviceOfCluster = new Map<string, { label: string; level: number }>();
  const entityOfCluster = (cluster: string): string => {
    const s = serviceOfCluster.get(cluster);
    return s ? `service:${s.label}` : cluster;
  };
  const touch = (chain: Chain, address: string): string => {
    const cluster = clusterKey(chain, address);
    let node = nodes.get(cluster);
    if (!node) {
      node = { id: cluster, kind: 'cluster', tags: [], addressCount: 0, addresses: new Set() };
      nodes.set(cluster, node);
    }
    const key = `${chain}:${address}`;
    if (!node.addresses.has(key)) {
      node.addresses.add(key);
      node.addressCount++;
      for (const tag of tagsByAddress.get(key) ?? []) {
        node.tags.push(tag.category ?? tag.label);
        if (tag.category && SERVICE_CATEGORIES.includes(tag.category)) {
          const level = tag.confidenceLevel ?? 0;
          const seen = serviceOfCluster.get(cluster);
          if (!seen || level > seen.level || (level === seen.level && tag.label < seen.label)) serviceOfCluster.set(cluster, { label: tag.label, level });
        }
      }
    }
    return cluster;
  };

  // flows, per transaction, between clusters (mapped to services at the end)
  const rawFlows: { from: string; to: string; value: bigint; time?: number }[] = [];
  const skipped: EntityGraphSkipped = { unresolvedInputs: 0, untimedTxs: 0, txsWithoutInputs: 0 };
  let txCount = 0;
  for await (const tx of c.list('tx')) {
    if (from !== undefined || to !== undefined) {
      if (tx.time === undefined) {
        skipped.untimedTxs++;
        continue;
      }
      if ((from !== undefined && tx.time < from) || (to !== undefined && tx.time > to)) continue;
    }
    const chain = tx.chain ?? 'btc';
    const inputs = new Map<string, bigint>();
    let totalIn = 0n;
    for (const input of tx.inputs) {
      if (input.coinbase) continue;
      if (input.address === undefined || input.value === undefined) {
        skipped.unresolvedInputs++;
        continue;
      }
      const e = touch(chain, input.address);
      inputs.set(e, (inputs.get(e) ?? 0n) + input.value);
      totalIn += input.value;
    }
    if (inputs.size === 0 || totalIn === 0n) {
      if (!tx.inputs.every((i) => i.coinbase)) skipped.txsWithoutInputs++;
      for (const o of tx.outputs) if (o.address) touch(chain, o.address);
      continue;
    }
    txCount++;
    const payers = [...inputs];
    for (const output of tx.outputs) {
      if (!output.address || output.value === 0n) continue;
      const payee = touch(chain, output.address);
      let rest = output.value;
      const shares = payers.map(([payer, put]) => {
        const share = (output.value * put) / totalIn;
        rest -= share;
        return [payer, share] as const;
      });
      shares.forEach(([payer, share], i) => {
        const value = i === 0 ? share + rest : share;
        if (payer !== payee && value > 0n) rawFlows.push({ from: payer, to: payee, value, time: tx.time });
      });
    }
  }

  // vendors, persons and what they advertised
  const links: AttributeEdgeInput[] = [];
  const persons = new Map<string, EntityNodeInput & { vendors: string[] }>();
  const personNode = (vendorId: string): string => {
    const id = `person:${personOf(vendorId)}`;
    let p = persons.get(id);
    if (!p) {
      p = { id, kind: 'person', vendors: [] };
      persons.set(id, p);
    }
    if (!p.vendors.includes(vendorId)) p.vendors.push(vendorId);
    return id;
  };
  const advertise = (person: string, addresses: readonly Address[] | undefined, evidence: string | undefined): void => {
    for (const a of addresses ?? []) links.push({ from: person, to: touch(a.chain, a.address), kind: 'advertised', evidence });
  };
  for await (const v of c.list('vendor')) advertise(personNode(v.id), v.addresses, v.source ? `page:${v.source.sha256}` : undefined);
  const flaggedListings = new Set<string>();
  for await (const f of c.list('flag')) for (const id of f.listingIds) flaggedListings.add(id);
  const listingNodes: EntityNodeInput[] = [];
  for await (const l of c.list('listing')) {
    const person = l.vendorId ? personNode(l.vendorId) : undefined;
    if (person) advertise(person, l.addresses, l.source ? `page:${l.source.sha256}` : undefined);
    if (options.listings) {
      listingNodes.push({ id: `listing:${l.id}`, kind: 'listing', label: l.title, flagged: flaggedListings.has(l.id) });
      if (person) links.push({ from: person, to: `listing:${l.id}`, kind: 'sells', evidence: l.source ? `page:${l.source.sha256}` : undefined });
    }
  }
  for await (const link of c.list('link')) {
    if (link.a.kind !== 'vendor' || link.b.kind !== 'vendor') continue;
    const a = personNode(link.a.vendorId);
    const b = personNode(link.b.vendorId);
    if (a !== b) links.push({ from: a, to: b, kind: 'same-person', evidence: `${link.evidence.heuristic}:${link.evidence.proof}` });
  }

  // clusters that are services fold into their service node
  const entityNodes: EntityNodeInput[] = [];
  for (const node of nodes.values()) {
    const id = entityOfCluster(node.id);
    if (id === node.id) entityNodes.push({ id, kind: 'cluster', tags: node.tags, addressCount: node.addressCount });
    else entityNodes.push({ id, kind: 'service', label: serviceOfCluster.get(node.id)!.label, tags: node.tags, addressCount: node.addressCount });
  }
  const merged = new Map<string, EntityNodeInput>();
  for (const n of entityNodes) {
    const seen = merged.get(n.id);
    merged.set(n.id, seen ? { ...seen, tags: [...(seen.tags ?? []), ...(n.tags ?? [])], addressCount: (seen.addressCount ?? 0) + (n.addressCount ?? 0) } : n);
  }
  const flows: FlowInput[] = rawFlows.map((f) => ({ ...f, from: entityOfCluster(f.from), to: entityOfCluster(f.to) }));
  const graph = buildEntityGraph({
    nodes: [...merged.values(), ...persons.values(), ...listingNodes],
    flows,
    links: links.map((l) => ({ ...l, from: l.from.startsWith('cluster:') ? entityOfCluster(l.from) : l.from, to: l.to.startsWith('cluster:') ? entityOfCluster(l.to) : l.to })),
  });

  if (!options.seeds && options.minValue === undefined) return { graph, skipped, txs: txCount };
  const seeds = options.seeds
    ? options.seeds.map((s) => {
        if (graph.hasNode(s)) return s;
        const colon = s.indexOf(':');
        if (colon > 0) {
          const cluster = entityOfCluster(clusterKey(s.slice(0, colon) as Chain, s.slice(colon + 1)));
          if (graph.hasNode(cluster)) return cluster;
        }
        const person = `person:${personOf(s)}`;
        if (graph.hasNode(person)) return person;
        throw new InvalidInputError(`entityGraph: seed ${s} is neither an entity id, an address (chain:address) nor a vendor id of this case`);
      })
    : graph.nodes();
  const sub = extractSubgraph(graph, { seeds, hops: options.hops, direction: options.direction, minValue: options.minValue });
  return { graph: sub, skipped, txs: txCount };
}
