/**
 * `clusterAddresses`: the pure, in-memory Bitcoin clustering for notebooks. It interns the
 * addresses of the given transactions in first-seen order, runs the rules of {@link TxClusterer}
 * and answers which cluster an address is in, what the clusters are, and why two addresses are
 * one entity.
 */
import type { Tx } from '../model/tx.js';
import type { Link, LinkEnd } from '../model/evidence.js';
import type { Chain } from '../model/chain.js';
import { ClusterEngine, type SizeAlarm, type SizeGuardOptions } from './engine.js';
import { AddressTable } from './address-table.js';
import { ClusterError } from './errors.js';
import { TxClusterer, type ClusterOptions, type ClusterStats } from './tx-runner.js';

/** A cluster: its id (the smallest address id in it) and its addresses, in id order. */
export interface AddressCluster {
  readonly id: number;
  readonly addresses: string[];
}

/** Options of {@link clusterAddresses}. */
export interface ClusterAddressesOptions extends ClusterOptions {
  /** super-cluster guard (default: none) */
  sizeGuard?: SizeGuardOptions;
}

/** The answer of {@link clusterAddresses}. */
export interface AddressClustering {
  /** the cluster id of `address` (the smallest id in its cluster), `undefined` if never seen */
  clusterOf(address: string): number | undefined;
  /** every cluster (singletons included), in id order */
  clusters(): IterableIterator<AddressCluster>;
  /**
   * The chain of evidence joining `a` to `b`: links in order from `a` to `b`, each with the
   * heuristic, the proof (`tx:<txid>`) and the confidence. Empty when `a === b`. Throws
   * {@link ClusterError} `NOT_LINKED` for addresses in different clusters and `UNKNOWN_ADDRESS`
   * for an address never seen.
   */
  explainLink(a: string, b: string): Link[];
  /** the dense id this run gave `address` (first-seen order), or `undefined` */
  addressId(address: string): number | undefined;
  /** the address with id `id` */
  address(id: number): string;
  /** number of addresses seen */
  readonly addressCount: number;
  /** number of clusters (singletons included) */
  readonly clusterCount: number;
  /** counters of the run */
  readonly stats: Readonly<ClusterStats>;
  /** size-guard alarms */
  readonly alarms: readonly SizeAlarm[];
  /** the engine (union-find and merge log), for advanced use */
  readonly engine: ClusterEngine;
}

/**
 * Clusters the addresses of `txs` with the multi-input heuristic (CoinJoins excluded unless
 * `coinjoin: 'include'`) and, when asked, change heuristics. CoinJoins are the transactions with
 * `tx.coinjoin === true`, those `options.isCoinJoin` accepts, and those the built-in detectors
 * recognise.
 */
export function clusterAddresses(txs: Iterable<Tx>, options: ClusterAddressesOptions = {}): AddressClustering {
  const engine = new ClusterEngine(options.sizeGuard ? { sizeGuard: options.sizeGuard } : {});
  const table = new AddressTable();
  const runner = new TxClusterer(engine, options);
  for (const tx of txs) {
    const chain: Chain = tx?.chain ?? 'btc';
    runner.apply(tx, (address) => table.intern(address, chain));
  }
  engine.ensure(table.size);
  const endOf = (id: number): LinkEnd => ({ kind: 'address', address: { chain: table.chain(id), address: table.address(id) } });
  return new InMemoryClustering(engine, table, runner.stats, endOf);
}

/** @internal an {@link AddressClustering} over an engine and an intern table */
export class InMemoryClustering implements AddressClustering {
  constructor(
    readonly engine: ClusterEngine,
    private readonly table: AddressTable,
    readonly stats: ClusterStats,
    private readonly endOf: (id: number) => LinkEnd,
  ) {}

  get addressCount(): number {
    return this.table.size;
  }

  get clusterCount(): number {
    return this.engine.uf.setCount;
  }

  get alarms(): readonly SizeAlarm[] {
    return this.engine.alarms;
  }

  addressId(address: string): number | undefined {
    return this.table.idOf(address);
  }

  address(id: number): string {
    return this.table.address(id);
  }

  clusterOf(address: string): number | undefined {
    const id = this.table.idOf(address);
    return id === undefined ? undefined : this.engine.uf.clusterId(id);
  }

  *clusters(): IterableIterator<AddressCluster> {
    for (const [id, members] of groupByCluster(this.engine.uf.clusterIds())) {
      yield { id, addresses: Array.from(members, (m) => this.table.address(m)) };
    }
  }

  explainLink(a: string, b: string): Link[] {
    const ia = this.table.idOf(a);
    const ib = this.table.idOf(b);
    if (ia === undefined || ib === undefined) {
      throw new ClusterError('UNKNOWN_ADDRESS', `address ${ia === undefined ? a : b} never appeared in the clustered transactions`);
    }
    return this.engine.explain(ia, ib).map((step) => ({
      a: this.endOf(step.from),
      b: this.endOf(step.to),
      evidence: { heuristic: step.merge.heuristic, proof: step.merge.proof, confidence: step.merge.confidence },
    }));
  }
}

/**
 * Groups ids by cluster id (`clusterIds[x]` = cluster of x): yields `[clusterId, members]` with
 * members in id order, clusters in id order, leaving out ids `include` rejects. Counting sort, O(n).
 */
export function* groupByCluster(clusterIds: Uint32Array, include?: (id: number) => boolean): Generator<[number, Uint32Array]> {
  const n = clusterIds.length;
  const counts = new Uint32Array(n + 1);
  for (let x = 0; x < n; x++) if (!include || include(x)) counts[clusterIds[x] + 1]++;
  for (let i = 0; i < n; i++) counts[i + 1] += counts[i];
  const order = new Uint32Array(counts[n]);
  const fill = counts.slice(0, n);
  for (let x = 0; x < n; x++) if (!include || include(x)) order[fill[clusterIds[x]]++] = x;
  for (let c = 0; c < n; c++) {
    if (counts[c + 1] > counts[c]) yield [c, order.subarray(counts[c], counts[c + 1])];
  }
}
