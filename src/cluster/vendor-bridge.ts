/**
 * The bridge from vendor persons to address clusters: a person (an `Entity` of kind `person`,
 * e.g. from `linkVendors`) posted payout addresses; each address belongs to a cluster; so the
 * person is linked to those clusters (heuristic `posted-address`, proof `address:<chain:address>`).
 * Addresses the clustering never saw are listed as unclustered.
 */
import { addressKey, type Address } from '../model/address.js';
import type { Entity } from '../model/entity.js';
import type { Link } from '../model/evidence.js';
import type { AddressClustering } from './cluster-addresses.js';
import type { CaseClustering } from './case-clustering.js';

/** Confidence that a posted payout address is the poster's. */
export const POSTED_ADDRESS_CONFIDENCE = 0.9;

/** A person's clusters. */
export interface PersonClusters {
  /** the person's entity id */
  readonly person: string;
  /** each cluster holding a posted address, with the posted addresses in it */
  readonly clusters: readonly { readonly clusterId: number; readonly posted: readonly Address[] }[];
  /** posted addresses the clustering never saw */
  readonly unclustered: readonly Address[];
  /** person → `cluster:<id>` links */
  readonly links: readonly Link[];
}

function bridge(person: Entity, clusterOf: (a: Address) => number | undefined): PersonClusters {
  const byCluster = new Map<number, Address[]>();
  const unclustered: Address[] = [];
  for (const a of person.addresses ?? []) {
    const id = clusterOf(a);
    if (id === undefined) unclustered.push(a);
    else (byCluster.get(id) ?? byCluster.set(id, []).get(id)!).push(a);
  }
  const clusters = [...byCluster].sort(([a], [b]) => a - b).map(([clusterId, posted]) => ({ clusterId, posted }));
  const links: Link[] = clusters.flatMap((c) =>
    c.posted.map((a) => ({
      a: { kind: 'entity' as const, entityId: person.id },
      b: { kind: 'entity' as const, entityId: `cluster:${c.clusterId}` },
      evidence: { heuristic: 'posted-address', proof: `address:${addressKey(a)}`, confidence: POSTED_ADDRESS_CONFIDENCE },
    })),
  );
  return { person: person.id, clusters, unclustered, links };
}

/** Links persons to the clusters of an in-memory clustering (`clusterAddresses`). */
export function personClusters(persons: Iterable<Entity>, clustering: AddressClustering): PersonClusters[] {
  return [...persons].map((p) => bridge(p, (a) => clustering.clusterOf(a.address)));
}

/** Links persons to the clusters of a case's persisted clustering (`clusterCase`). */
export async function personClustersInCase(persons: Iterable<Entity>, clustering: CaseClustering): Promise<PersonClusters[]> {
  const out: PersonClusters[] = [];
  for (const p of persons) {
    const ids = new Map<string, number | undefined>();
    for (const a of p.addresses ?? []) ids.set(addressKey(a), await clustering.clusterOf(a));
    out.push(bridge(p, (a) => ids.get(addressKey(a))));
  }
  return out;
}
