/**
 * The entity graph: who paid whom, and which identities belong together.
 *
 * Nodes are entities (ids as in the model's `Entity`: `cluster:…`, `person:…`, `service:…`,
 * `listing:…`). Edges are of two families:
 * - flow edges (`kind: 'flow'`, directed from payer to payee), one per ordered pair, aggregating
 *   every value movement between the two: `value` = the exact `bigint` sum in base units as a
 *   decimal string (lossless in every export), `weight` = the same as a float for algorithms,
 *   `txCount`, `firstSeen`, `lastSeen` (seconds since the epoch);
 * - attribute edges: `advertised` (a vendor person posted an address of a cluster), `same-person`
 *   (two handles are one person), `sells` (a person offers a listing), each with its `evidence`.
 * All attribute values are scalars (lists are `;`-joined, sorted) so every export format holds
 * them exactly. The graph is a graphology directed multigraph with deterministic edge keys
 * (`flow:<from>><to>`, `<kind>:<from>><to>`).
 */
import { MultiDirectedGraph } from 'graphology';
import { InvalidInputError } from '../model/errors.js';
import type { EntityKind } from '../model/entity.js';

/** A node of the entity graph, as the caller describes it. */
export interface EntityNodeInput {
  /** entity id, e.g. `cluster:17`, `person:aurora/GreenLeaf`, `service:Binance` */
  id: string;
  kind: EntityKind;
  label?: string;
  /** tag categories or labels present on the entity (`exchange`, `mixer`, `sanctioned`, …) */
  tags?: readonly string[];
  /** vendor ids (market/handle) the entity stands for or is tied to */
  vendors?: readonly string[];
  /** listing nodes: true when the wildlife detector flagged the listing */
  flagged?: boolean;
  /** number of addresses in a cluster */
  addressCount?: number;
}

/** One value movement (or an already summed set of them) between two entities. */
export interface FlowInput {
  from: string;
  to: string;
  /** base units */
  value: bigint;
  /** number of transactions it stands for (default 1) */
  txCount?: number;
  /** seconds since the epoch */
  time?: number;
  /** when summed flows are given: first and last time seen */
  firstSeen?: number;
  lastSeen?: number;
}

/** The kinds of attribute edge. */
export type AttributeEdgeKind = 'advertised' | 'same-person' | 'sells';

/** An attribute edge: why two entities are tied without money moving. */
export interface AttributeEdgeInput {
  from: string;
  to: string;
  kind: AttributeEdgeKind;
  /** proof reference (`page:<sha256>`, a heuristic name …) */
  evidence?: string;
}

/** Node attributes of the entity graph. */
export interface EntityNodeAttributes {
  [key: string]: string | number | boolean;
  kind: EntityKind;
  label: string;
  /** `;`-joined sorted tags, '' for none */
  tags: string;
  /** `;`-joined sorted vendor ids, '' for none */
  vendors: string;
  flagged: boolean;
  addressCount: number;
}

/** Edge attributes of the entity graph (flow edges carry value fields, attribute edges evidence). */
export interface EntityEdgeAttributes {
  [key: string]: string | number | boolean;
  kind: 'flow' | AttributeEdgeKind;
  /** flows: base units as a decimal string; attribute edges: '0' */
  value: string;
  /** float of `value` (flows), 1 for attribute edges */
  weight: number;
  txCount: number;
  /** seconds since the epoch; 0 when unknown */
  firstSeen: number;
  lastSeen: number;
  evidence: string;
}

/** The entity graph: a graphology directed multigraph with {@link EntityNodeAttributes}. */
export type EntityGraph = MultiDirectedGraph<EntityNodeAttributes, EntityEdgeAttributes>;

/** What {@link buildEntityGraph} is built from. */
export interface EntityGraphInput {
  nodes?: Iterable<EntityNodeInput>;
  flows?: Iterable<FlowInput>;
  links?: Iterable<AttributeEdgeInput>;
}

/** Options of {@link buildEntityGraph}. */
export interface EntityGraphOptions {
  /** keep flows between an entity and itself (default `false`: internal moves are dropped) */
  selfFlows?: boolean;
  /** create a bare node (kind from the id prefix) for an edge end that `nodes` did not describe (default `true`; `false` throws) */
  createMissing?: boolean;
}

const KINDS: readonly EntityKind[] = ['cluster', 'person', 'service', 'listing'];
const LINK_KINDS: readonly AttributeEdgeKind[] = ['advertised', 'same-person', 'sells'];

/** `;`-joins a sorted set of list items (the list form of every entity-graph attribute). */
export function joinList(items: Iterable<string>): string {
  return [...new Set(items)].filter((x) => x !== '').sort().join(';');
}

/** Splits a `;`-joined list attribute back into its items. */
export function splitList(value: unknown): string[] {
  return typeof value === 'string' && value !== '' ? value.split(';') : [];
}

/**
 * Builds an entity graph from nodes, flows and attribute edges (see the top of this file).
 * Flows of the same ordered pair are summed exactly (`bigint`). Nodes given twice are merged
 * (tags and vendors united). Throws `InvalidInputError` for an unknown kind, a negative or
 * non-bigint value, or (with `createMissing: false`) an edge to an undescribed node.
 */
export function buildEntityGraph(input: EntityGraphInput, options: EntityGraphOptions = {}): EntityGraph {
  const graph: EntityGraph = new MultiDirectedGraph<EntityNodeAttributes, EntityEdgeAttributes>();
  const createMissing = options.createMissing ?? true;
  for (const node of input.nodes ?? []) addEntityNode(graph, node);
  const ensure = (id: unknown, role: string): string => {
    if (typeof id !== 'string' || id === '') throw new InvalidInputError(`entity graph: ${role} must be a non-empty entity id, got ${String(id)}`);
    if (!graph.hasNode(id)) {
      if (!createMissing) throw new InvalidInputError(`entity graph: ${role} ${id} is not among the nodes; describe it in nodes or pass createMissing: true`);
      const prefix = id.slice(0, id.indexOf(':')) as EntityKind;
      addEntityNode(graph, { id, kind: KINDS.includes(prefix) ? prefix : 'cluster' });
    }
    return id;
  };

  interface Sum {
    value: bigint;
    txCount: number;
    first: number;
    last: number;
  }
  const sums = new Map<string, Sum>();
  const ends = new Map<string, [string, string]>();
  for (const f of input.flows ?? []) {
    const from = ensure(f.from, 'flow source');
    const to = ensure(f.to, 'flow target');
    if (typeof f.value !== 'bigint' || f.value < 0n)
      throw new InvalidInputError(`entity graph: flow ${from} → ${to} has value ${String(f.value)}; values are non-negative bigint base units`);
    if (from === to && !options.selfFlows) continue;
    const key = `flow:${from}>${to}`;
    const first = f.firstSeen ?? f.time ?? 0;
    const last = f.lastSeen ?? f.time ?? 0;
    const s = sums.get(key);
    if (s) {
      s.value += f.value;
      s.txCount += f.txCount ?? 1;
      if (first && (!s.first || first < s.first)) s.first = first;
      if (last > s.last) s.last = last;
    } else {
      sums.set(key, { value: f.value, txCount: f.txCount ?? 1, first, last });
      ends.set(key, [from, to]);
    }
  }
  for (const [key, s] of sums) {
    const [from, to] = ends.get(key)!;
    graph.addDirectedEdgeWithKey(key, from, to, {
      kind: 'flow',
      value: s.value.toString(),
      weight: Number(s.value),
      txCount: s.txCount,
      firstSeen: s.first,
      lastSeen: s.last,
      evidence: '',
    });
  }
  for (const l of input.links ?? []) {
    if (!LINK_KINDS.includes(l.kind)) throw new InvalidInputError(`entity graph: link kind ${String(l.kind)} is not one of ${LINK_KINDS.join(', ')}`);
    const from = ensure(l.from, `${l.kind} link source`);
    const to = ensure(l.to, `${l.kind} link target`);
    const key = `${l.kind}:${from}>${to}`;
    if (graph.hasEdge(key)) {
      const evidence = joinList([...splitList(graph.getEdgeAttribute(key, 'evidence')), ...(l.evidence ? [l.evidence] : [])]);
      graph.setEdgeAttribute(key, 'evidence', evidence);
      continue;
    }
    graph.addDirectedEdgeWithKey(key, from, to, { kind: l.kind, value: '0', weight: 1, txCount: 0, firstSeen: 0, lastSeen: 0, evidence: l.evidence ?? '' });
  }
  return graph;
}

function addEntityNode(graph: EntityGraph, node: EntityNodeInput): void {
  if (typeof node?.id !== 'string' || node.id === '') throw new InvalidInputError(`entity graph: a node has id ${String(node?.id)}; ids are non-empty strings like cluster:17`);
  if (!KINDS.includes(node.kind)) throw new InvalidInputError(`entity graph: node ${node.id} has kind ${String(node.kind)}; use one of ${KINDS.join(', ')}`);
  const existing = graph.hasNode(node.id) ? graph.getNodeAttributes(node.id) : undefined;
  const attributes: EntityNodeAttributes = {
    kind: node.kind,
    label: node.label ?? existing?.label ?? node.id,
    tags: joinList([...splitList(existing?.tags), ...(node.tags ?? [])]),
    vendors: joinList([...splitList(existing?.vendors), ...(node.vendors ?? [])]),
    flagged: Boolean(node.flagged || existing?.flagged),
    addressCount: node.addressCount ?? existing?.addressCount ?? 0,
  };
  if (existing) graph.replaceNodeAttributes(node.id, attributes);
  else graph.addNode(node.id, attributes);
}
