/**
 * Case-sized subgraphs: the k-hop neighbourhood of seed entities.
 *
 * Rule: breadth-first from the seeds for `hops` steps. A flow edge can be walked when it passes
 * the filters — its value is at least `minValue` and its [firstSeen, lastSeen] span overlaps the
 * [from, to] window (an aggregated edge is kept or dropped whole; to cut flows by time exactly,
 * build the graph from the window's transactions, as `entityGraph` does) — and in the asked
 * `direction` (`out`: payer → payee, `in`: payee → payer, `both`). Attribute edges (`advertised`,
 * `same-person`, `sells`) tie identities, not money: they are walked both ways, without filters.
 * The result holds the reached nodes and every edge between them that passes the filters.
 */
import { InvalidInputError } from '../model/errors.js';
import type { EntityEdgeAttributes, EntityGraph } from './entity-graph.js';

/** Options of {@link extractSubgraph}. */
export interface SubgraphOptions {
  /** entity ids to start from; unknown ids are an error */
  seeds: readonly string[];
  /** steps from the seeds (default 2) */
  hops?: number;
  /** follow money `out` of the seeds, `in` to them, or `both` (default) */
  direction?: 'out' | 'in' | 'both';
  /** seconds since the epoch: keep flows seen at or after this time */
  from?: number;
  /** seconds since the epoch: keep flows seen at or before this time */
  to?: number;
  /** base units: keep flows of at least this total value */
  minValue?: bigint;
}

/** Returns the filtered k-hop neighbourhood of the seeds as a new entity graph. */
export function extractSubgraph(graph: EntityGraph, options: SubgraphOptions): EntityGraph {
  const hops = options.hops ?? 2;
  const direction = options.direction ?? 'both';
  if (!Number.isInteger(hops) || hops < 0) throw new InvalidInputError(`extractSubgraph: hops must be a non-negative integer, got ${hops}`);
  if (direction !== 'out' && direction !== 'in' && direction !== 'both') throw new InvalidInputError(`extractSubgraph: direction must be out, in or both, got ${String(direction)}`);
  if (!Array.isArray(options.seeds)) throw new InvalidInputError('extractSubgraph: seeds must be an array of entity ids');
  for (const s of options.seeds) if (!graph.hasNode(s)) throw new InvalidInputError(`extractSubgraph: seed ${s} is not a node of the graph`);
  const passes = edgeFilter(options);

  const reached = new Set<string>(options.seeds);
  let frontier = [...reached];
  for (let h = 0; h < hops && frontier.length > 0; h++) {
    const next: string[] = [];
    const visit = (n: string): void => {
      if (!reached.has(n)) {
        reached.add(n);
        next.push(n);
      }
    };
    for (const node of frontier) {
      graph.forEachOutEdge(node, (_e, a, _s, target) => {
        if (a.kind !== 'flow' || (direction !== 'in' && passes(a))) visit(target);
      });
      graph.forEachInEdge(node, (_e, a, source) => {
        if (a.kind !== 'flow' || (direction !== 'out' && passes(a))) visit(source);
      });
    }
    frontier = next;
  }

  const sub = graph.nullCopy() as EntityGraph;
  graph.forEachNode((node, attributes) => {
    if (reached.has(node)) sub.addNode(node, { ...attributes });
  });
  graph.forEachEdge((edge, attributes, source, target) => {
    if (reached.has(source) && reached.has(target) && (attributes.kind !== 'flow' || passes(attributes)))
      sub.addDirectedEdgeWithKey(edge, source, target, { ...attributes });
  });
  return sub;
}

function edgeFilter(options: SubgraphOptions): (a: EntityEdgeAttributes) => boolean {
  const { from, to, minValue } = options;
  if (minValue !== undefined && (typeof minValue !== 'bigint' || minValue < 0n))
    throw new InvalidInputError(`extractSubgraph: minValue must be a non-negative bigint, got ${String(minValue)}`);
  if (from !== undefined && !Number.isFinite(from)) throw new InvalidInputError(`extractSubgraph: from must be seconds since the epoch, got ${from}`);
  if (to !== undefined && !Number.isFinite(to)) throw new InvalidInputError(`extractSubgraph: to must be seconds since the epoch, got ${to}`);
  return (a) => {
    if (minValue !== undefined && BigInt(a.value) < minValue) return false;
    if (from !== undefined && a.lastSeen < from) return false;
    if (to !== undefined && a.firstSeen > to) return false;
    return true;
  };
}
