/**
 * `clusterLinks`: clusters from any list of evidence links (Ethereum deposit-address reuse,
 * airdrop participation, vendor links …) on the same union-find and merge log as the Bitcoin
 * clustering, so `explainLink` works the same way. Each link end is named by its key:
 * `chain:address` for an address, `vendor:<id>`, `entity:<id>`.
 */
import type { Link, LinkEnd } from '../model/evidence.js';
import { ClusterEngine, type SizeGuardOptions } from './engine.js';
import { AddressTable } from './address-table.js';
import { InMemoryClustering, type AddressClustering } from './cluster-addresses.js';
import { emptyStats } from './tx-runner.js';

/** The key of a link end: `chain:address`, `vendor:<id>` or `entity:<id>`. */
export function linkEndKey(end: LinkEnd): string {
  return end.kind === 'address' ? `${end.address.chain}:${end.address.address}` : end.kind === 'vendor' ? `vendor:${end.vendorId}` : `entity:${end.entityId}`;
}

/** Options of {@link clusterLinks}. */
export interface ClusterLinksOptions {
  /** keep only links at or above this confidence (default 0) */
  minConfidence?: number;
  /** super-cluster guard (default: none) */
  sizeGuard?: SizeGuardOptions;
}

/**
 * Clusters the ends of `links` (keys as in {@link linkEndKey}); every merge keeps its link's
 * heuristic, proof and confidence. `stats.links` counts the links used.
 */
export function clusterLinks(links: Iterable<Link>, options: ClusterLinksOptions = {}): AddressClustering {
  const engine = new ClusterEngine(options.sizeGuard ? { sizeGuard: options.sizeGuard } : {});
  const table = new AddressTable();
  const ends: LinkEnd[] = [];
  const idOf = (end: LinkEnd) => {
    const id = table.intern(linkEndKey(end), end.kind === 'address' ? end.address.chain : 'btc');
    if (id === ends.length) ends.push(end);
    return id;
  };
  const stats = emptyStats();
  const min = options.minConfidence ?? 0;
  for (const link of links) {
    if (link.evidence.confidence < min) continue;
    const a = idOf(link.a);
    const b = idOf(link.b);
    stats.links++;
    engine.link(a, b, engine.heuristicId(link.evidence.heuristic), engine.proofId(link.evidence.proof), link.evidence.confidence);
  }
  engine.ensure(table.size);
  return new InMemoryClustering(engine, table, stats, (id) => ends[id]);
}
