/**
 * The clustering engine on address ids: a {@link UnionFind}, the {@link MergeLog} of why each
 * union happened, the super-cluster size guard and `explain` (the chain of merges joining two
 * ids). It knows nothing about chains or strings; `clusterAddresses` and `clusterCase` feed it.
 */
import { ClusterError } from './errors.js';
import { MergeLog, type MergeRecord } from './provenance.js';
import { UnionFind } from './union-find.js';

/**
 * The super-cluster guard (after BlockSci's super-cluster reports, issues #167 and #220): one
 * false link — a missed CoinJoin, an exchange hot wallet — can glue two large entities together.
 */
export interface SizeGuardOptions {
  /** alarm when a merge joins two clusters that both hold more than this many addresses */
  threshold: number;
  /** also refuse such merges (default `false`: merge and alarm) */
  refuse?: boolean;
  /** called for every alarm, as it happens */
  onAlarm?: (alarm: SizeAlarm) => void;
}

/** A merge the size guard reported. Ids are address ids; cluster ids are the smallest ids. */
export interface SizeAlarm {
  readonly a: number;
  readonly b: number;
  readonly clusterA: number;
  readonly clusterB: number;
  readonly sizeA: number;
  readonly sizeB: number;
  readonly heuristic: string;
  readonly proof: string;
  /** true when the guard refused the merge */
  readonly refused: boolean;
}

/** Options of {@link ClusterEngine}. */
export interface ClusterEngineOptions {
  /** initial room for addresses and merges (grows on demand; default 1024) */
  capacity?: number;
  /** super-cluster guard (default: none) */
  sizeGuard?: SizeGuardOptions;
}

/** One step of an explanation: the merge that links `from` to `to`. */
export interface ExplainStep {
  readonly from: number;
  readonly to: number;
  readonly merge: MergeRecord;
}

/** How many alarms are kept in {@link ClusterEngine.alarms} (all are counted). */
export const MAX_KEPT_ALARMS = 10_000;

/** Union-find plus provenance plus the size guard. */
export class ClusterEngine {
  readonly uf: UnionFind;
  readonly merges: MergeLog;
  /** size-guard alarms, the first {@link MAX_KEPT_ALARMS} */
  readonly alarms: SizeAlarm[] = [];
  /** number of size-guard alarms raised */
  alarmCount = 0;
  /** number of links asked for between ids already in one cluster (no merge recorded) */
  redundantLinks = 0;
  private readonly guard?: SizeGuardOptions;
  private adjacency?: { merges: number; offsets: Uint32Array; edges: Uint32Array };

  constructor(options: ClusterEngineOptions = {}) {
    this.uf = new UnionFind(options.capacity);
    this.merges = new MergeLog(options.capacity);
    if (options.sizeGuard) {
      const t = options.sizeGuard.threshold;
      if (!Number.isInteger(t) || t < 1) {
        throw new ClusterError('INVALID_OPTION', `sizeGuard.threshold must be a positive integer, got ${String(t)}`);
      }
      this.guard = options.sizeGuard;
    }
  }

  /** Makes ids 0 … n − 1 known (each new one a singleton cluster). */
  ensure(n: number): void {
    this.uf.ensure(n);
  }

  /** The stored id of a heuristic name. */
  heuristicId(name: string): number {
    return this.merges.heuristics.id(name);
  }

  /** The stored id of a proof (call once per transaction / page). */
  proofId(proof: string): number {
    return this.merges.proofId(proof);
  }

  /**
   * Links ids a and b with its evidence. Returns true when two clusters merged, false when they
   * were already one or the size guard refused.
   */
  link(a: number, b: number, heuristic: number, proof: number, confidence: number): boolean {
    const uf = this.uf;
    if (a >= uf.length || b >= uf.length) uf.ensure((a > b ? a : b) + 1);
    const ra = uf.find(a);
    const rb = uf.find(b);
    if (ra === rb) {
      this.redundantLinks++;
      return false;
    }
    const guard = this.guard;
    if (guard !== undefined) {
      const sa = uf.sizeOfRoot(ra);
      const sb = uf.sizeOfRoot(rb);
      if (sa > guard.threshold && sb > guard.threshold) {
        const alarm: SizeAlarm = {
          a,
          b,
          clusterA: uf.clusterId(ra),
          clusterB: uf.clusterId(rb),
          sizeA: sa,
          sizeB: sb,
          heuristic: this.merges.heuristics.names[heuristic],
          proof: this.merges.proofs[proof],
          refused: guard.refuse === true,
        };
        this.alarmCount++;
        if (this.alarms.length < MAX_KEPT_ALARMS) this.alarms.push(alarm);
        guard.onAlarm?.(alarm);
        if (alarm.refused) return false;
      }
    }
    uf.linkRoots(ra, rb);
    this.merges.append(a, b, heuristic, proof, confidence);
    return true;
  }

  /**
   * Links every id of `ids[0 … count)` to the first one (a star: the evidence is the same for
   * all of them). Returns the number of merges made.
   */
  linkGroup(ids: ArrayLike<number>, count: number, heuristic: number, proof: number, confidence: number): number {
    let merged = 0;
    const first = ids[0];
    for (let i = 1; i < count; i++) if (this.link(first, ids[i], heuristic, proof, confidence)) merged++;
    return merged;
  }

  /** Replays merges from the log into the union-find (after loading persisted chunks). */
  replay(from: number): void {
    const m = this.merges;
    for (let i = from; i < m.length; i++) {
      const a = m.aOf(i);
      const b = m.bOf(i);
      this.uf.ensure(Math.max(a, b) + 1);
      const ra = this.uf.find(a);
      const rb = this.uf.find(b);
      if (ra !== rb) this.uf.linkRoots(ra, rb);
    }
  }

  /**
   * The chain of merges joining a to b, from a to b. Empty when a === b. Throws
   * {@link ClusterError} `NOT_LINKED` when they are in different clusters.
   */
  explain(a: number, b: number): ExplainStep[] {
    const n = this.uf.length;
    if (a >= n || b >= n || a < 0 || b < 0) {
      throw new ClusterError('UNKNOWN_ADDRESS', `address id ${a >= n || a < 0 ? a : b} is not part of this clustering`);
    }
    if (a === b) return [];
    if (!this.uf.connected(a, b)) {
      throw new ClusterError(
        'NOT_LINKED',
        `the two addresses are in different clusters (${this.uf.clusterId(a)} and ${this.uf.clusterId(b)}): no chain of evidence links them`,
      );
    }
    const { offsets, edges } = this.adjacencyIndex();
    // BFS over the merge forest from b, so that following `via` from a walks towards b.
    const via = new Map<number, number>(); // node → merge index leading one step closer to b
    via.set(b, -1);
    const queue: number[] = [b];
    for (let head = 0; head < queue.length && !via.has(a); head++) {
      const x = queue[head];
      for (let k = offsets[x]; k < offsets[x + 1]; k++) {
        const e = edges[k];
        const y = this.merges.aOf(e) === x ? this.merges.bOf(e) : this.merges.aOf(e);
        if (!via.has(y)) {
          via.set(y, e);
          queue.push(y);
        }
      }
    }
    const steps: ExplainStep[] = [];
    let x = a;
    while (x !== b) {
      const e = via.get(x);
      if (e === undefined || e < 0) {
        throw new ClusterError('CLUSTER_STATE_CORRUPT', `the merge log does not connect ids ${a} and ${b} although the union-find does`);
      }
      const merge = this.merges.get(e);
      const to = merge.a === x ? merge.b : merge.a;
      steps.push({ from: x, to, merge });
      x = to;
    }
    return steps;
  }

  /** CSR adjacency of the merge forest, rebuilt when merges were added since the last call. */
  private adjacencyIndex(): { offsets: Uint32Array; edges: Uint32Array } {
    const m = this.merges;
    if (this.adjacency && this.adjacency.merges === m.length && this.adjacency.offsets.length === this.uf.length + 1) {
      return this.adjacency;
    }
    const n = this.uf.length;
    const offsets = new Uint32Array(n + 1);
    for (let i = 0; i < m.length; i++) {
      offsets[m.aOf(i) + 1]++;
      offsets[m.bOf(i) + 1]++;
    }
    for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
    const fill = offsets.slice(0, n);
    const edges = new Uint32Array(2 * m.length);
    for (let i = 0; i < m.length; i++) {
      edges[fill[m.aOf(i)]++] = i;
      edges[fill[m.bOf(i)]++] = i;
    }
    this.adjacency = { merges: m.length, offsets, edges };
    return this.adjacency;
  }
}
