/**
 * Case-level, incremental Bitcoin clustering.
 *
 * State in the case store (see docs/store.md):
 * - `cl-chunk`: the merge log, one chunk per clustered block — merged address-id pairs with
 *   heuristic, proof and confidence as typed arrays, the address ids the block showed for the
 *   first time, and (with the peeling-chain rule) its peel outputs;
 * - `cl-block`: `chain:blockHash` → chunk seq, the blocks already clustered;
 * - checkpoint `cluster`: the number of chunks and the options the state was built with.
 * Each block's chunk, its `cl-block` entry and the checkpoint are one atomic batch.
 *
 * Loading replays the merge log into a fresh union-find (O(merges)); updating clusters only the
 * blocks not in `cl-block`, in height order, with the same {@link TxClusterer} rules as
 * `clusterAddresses`, so the partition is the same. Address ids are the case's interned ids.
 * Loose transactions (ingested without a block) are not clustered.
 */
import type { Case } from '../case.js';
import { parseAddressKey, type Address } from '../model/address.js';
import type { Link } from '../model/evidence.js';
import type { BlockRecord, Tx } from '../model/tx.js';
import { modelCodec, uint32Codec, type StoreCodec } from '../store/codecs.js';
import { INDEX_SUBLEVELS } from '../store/layout.js';
import type { AnySublevel } from '../store/collection.js';
import { ClusterEngine, type SizeAlarm, type SizeGuardOptions } from './engine.js';
import { ClusterError } from './errors.js';
import type { MergeChunk } from './provenance.js';
import { malformedTx, TxClusterer, type ClusterOptions, type ClusterStats } from './tx-runner.js';
import { groupByCluster, type AddressCluster } from './cluster-addresses.js';

/** The checkpoint that records the clustering state. */
export const CLUSTER_CHECKPOINT = 'cluster';

/** One persisted unit of clustering work (one block). */
export interface ClusterChunkRecord {
  readonly v: 1;
  /** `chain:blockHash` */
  readonly block: string;
  readonly height?: number;
  readonly merges: MergeChunk;
  /** address ids first seen in this block */
  readonly seen: Uint32Array;
  /** peel outputs found in this block, `txid:vout` */
  readonly peels: readonly string[];
}

/** The options a state was built with (those that change the partition). */
interface StateOptions {
  coinjoin: 'exclude' | 'include';
  detectors: readonly string[] | null;
  change: readonly string[];
  externalVerdict: boolean;
}

interface ClusterCheckpoint {
  chunks: number;
  merges: number;
  options: StateOptions;
}

/** Options of {@link clusterCase} and {@link CaseClustering.load}. */
export interface ClusterCaseOptions extends ClusterOptions {
  /** super-cluster guard (default: none) */
  sizeGuard?: SizeGuardOptions;
  /** drop the persisted clustering and start again (needed to change the options) */
  rebuild?: boolean;
  /** called after each clustered block */
  onProgress?: (progress: { blocks: number; of: number; hash: string; height?: number }) => void;
  /** stops between blocks; what was committed stays */
  signal?: AbortSignal;
}

/** What one {@link CaseClustering.update} did. */
export interface ClusterUpdateResult {
  /** blocks clustered in this run */
  blocks: number;
  /** block transactions missing from the `tx` collection (skipped and counted) */
  missingTxs: number;
}

/**
 * The clustering work of each case runs in turn (CaseStore.inTurn): every load and update, of any
 * {@link CaseClustering} object of the case, after the one before has finished. Two updates running
 * together each listed the same unclustered blocks across their awaits and clustered them twice
 * (duplicate chunks, doubled stats), and a load running beside an update could read a checkpoint
 * and chunks from two different moments.
 */
const inTurn = <T>(c: Case, work: () => Promise<T>): Promise<T> => c.store.inTurn('clustering', work);

/** Clusters the case's new blocks and returns the clustering (loads the persisted state first). */
export async function clusterCase(c: Case, options: ClusterCaseOptions = {}): Promise<CaseClustering> {
  // load and update in one turn, so that a clusterCase running beside it starts from its result
  return inTurn(c, async () => {
    const clustering = await CaseClustering.loadNow(c, options);
    await clustering.updateNow();
    return clustering;
  });
}

/** The persisted, incremental clustering of a case. */
export class CaseClustering {
  /** counters since this object was loaded */
  readonly stats: ClusterStats;
  private readonly runner: TxClusterer;
  private stale = false;
  private missingTxs = 0;

  private constructor(
    private readonly c: Case,
    readonly engine: ClusterEngine,
    private readonly options: ClusterCaseOptions,
    private readonly chunks: AnySublevel,
    private readonly blocks: AnySublevel,
    private chunkCount: number,
  ) {
    this.runner = new TxClusterer(engine, options);
    this.stats = this.runner.stats;
  }

  /**
   * Loads the clustering persisted in `c` (empty for a case never clustered). Throws
   * {@link ClusterError} `CLUSTER_OPTIONS_CHANGED` when the case was clustered with other options
   * (pass the same ones, or `rebuild: true`), `CLUSTER_STATE_CORRUPT` for damaged state.
   */
  static async load(c: Case, options: ClusterCaseOptions = {}): Promise<CaseClustering> {
    return inTurn(c, () => CaseClustering.loadNow(c, options));
  }

  /** @internal {@link load}, inside the case's turn */
  static async loadNow(c: Case, options: ClusterCaseOptions): Promise<CaseClustering> {
    const store = c.store;
    const chunks = store.sublevel(INDEX_SUBLEVELS.clusterChunks, uint32Codec, modelCodec as StoreCodec<unknown>);
    const blocks = store.sublevel(INDEX_SUBLEVELS.clusterBlocks, 'utf8', uint32Codec);
    const wanted = stateOptions(options);
    if (options.rebuild) await dropState(c, chunks, blocks, wanted);
    const cp = await store.checkpoint<ClusterCheckpoint>(CLUSTER_CHECKPOINT);
    if (cp && JSON.stringify(cp.options) !== JSON.stringify(wanted)) {
      throw new ClusterError(
        'CLUSTER_OPTIONS_CHANGED',
        `this case was clustered with options ${JSON.stringify(cp.options)}, not ${JSON.stringify(wanted)}; ` +
          'pass the same options to go on incrementally, or { rebuild: true } to cluster it again from scratch',
      );
    }
    const engine = new ClusterEngine({ capacity: Math.max(1024, store.addressCount), ...(options.sizeGuard ? { sizeGuard: options.sizeGuard } : {}) });
    const self = new CaseClustering(c, engine, options, chunks, blocks, cp?.chunks ?? 0);
    let seq = 0;
    for await (const [key, value] of chunks.iterator()) {
      if (key !== seq) throw new ClusterError('CLUSTER_STATE_CORRUPT', `cluster chunk ${seq} is missing (found ${String(key)}); cluster again with { rebuild: true }`);
      const rec = value as ClusterChunkRecord;
      if (rec?.v !== 1) throw new ClusterError('CLUSTER_STATE_CORRUPT', `cluster chunk ${seq} has an unknown format; cluster again with { rebuild: true }`);
      const from = engine.merges.length;
      engine.merges.appendChunk(rec.merges);
      engine.replay(from);
      self.runner.markSeen(rec.seen);
      let maxSeen = 0;
      for (let i = 0; i < rec.seen.length; i++) if (rec.seen[i] > maxSeen) maxSeen = rec.seen[i];
      if (rec.seen.length > 0) engine.ensure(maxSeen + 1);
      for (const p of rec.peels) self.runner.peels.add(p);
      seq++;
    }
    if (seq !== self.chunkCount) {
      throw new ClusterError('CLUSTER_STATE_CORRUPT', `the cluster checkpoint counts ${self.chunkCount} chunks but ${seq} are stored; cluster again with { rebuild: true }`);
    }
    return self;
  }

  /**
   * Clusters the blocks of the case not clustered yet, one atomic batch per block. Throws
   * {@link ClusterError} `CLUSTER_STATE_STALE` when another object clustered the case since this
   * one was loaded (load it again).
   */
  async update(): Promise<ClusterUpdateResult> {
    return inTurn(this.c, () => this.updateNow());
  }

  /** @internal {@link update}, inside the case's turn */
  async updateNow(): Promise<ClusterUpdateResult> {
    this.assertFresh();
    await this.assertCurrent();
    const store = this.c.store;
    const pending: BlockRecord[] = [];
    for await (const record of store.collection('block').values()) {
      pending.push(record);
    }
    const done = await this.blocks.getMany(pending.map((b) => `${b.chain}:${b.hash}`));
    const todo = pending.filter((_, i) => done[i] === undefined);
    todo.sort((a, b) => (a.height ?? Infinity) - (b.height ?? Infinity) || (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    const result: ClusterUpdateResult = { blocks: 0, missingTxs: 0 };
    for (const block of todo) {
      this.options.signal?.throwIfAborted();
      const txs = await store.collection('tx').getMany(block.txids.map((t) => `${block.chain}:${t}`));
      const present = txs.filter((t): t is Tx => t !== undefined);
      result.missingTxs += txs.length - present.length;
      await this.clusterBlock(block, present);
      result.blocks++;
      this.options.onProgress?.({ blocks: result.blocks, of: todo.length, hash: block.hash, height: block.height });
    }
    this.missingTxs += result.missingTxs;
    return result;
  }

  private async clusterBlock(block: BlockRecord, txs: readonly Tx[]): Promise<void> {
    const keys: string[] = [];
    const index = new Map<string, number>();
    for (const tx of txs) {
      if (malformedTx(tx) !== undefined) continue; // the runner skips and counts it
      for (const io of [...tx.inputs, ...tx.outputs]) {
        if (io.address !== undefined && !index.has(io.address)) {
          index.set(io.address, keys.length);
          keys.push(`${block.chain}:${io.address}`);
        }
      }
    }
    const start = this.engine.merges.length;
    try {
      await this.c.store.write(async (batch) => {
        await this.assertCurrent();
        const ids = await batch.internKeys(keys);
        let max = -1;
        for (let i = 0; i < ids.length; i++) if (ids[i] > max) max = ids[i];
        this.engine.ensure(max + 1);
        const idOf = (address: string) => ids[index.get(address)!];
        for (const tx of txs) this.runner.apply(tx, idOf);
        const fresh = this.runner.takeFresh();
        const record: ClusterChunkRecord = {
          v: 1,
          block: `${block.chain}:${block.hash}`,
          ...(block.height === undefined ? {} : { height: block.height }),
          merges: this.engine.merges.chunk(start),
          seen: fresh.seen,
          peels: fresh.peels,
        };
        const seq = this.chunkCount;
        batch.putIn(this.chunks, seq, record);
        batch.putIn(this.blocks, record.block, seq);
        const cp: ClusterCheckpoint = { chunks: seq + 1, merges: this.engine.merges.length, options: stateOptions(this.options) };
        batch.checkpoint(CLUSTER_CHECKPOINT, cp);
      });
      this.chunkCount++;
    } catch (err) {
      // memory ran ahead of the store: refuse further use until reloaded
      this.stale = true;
      throw err;
    }
  }

  /** Number of addresses the clustering has seen. */
  get addressCount(): number {
    let n = 0;
    for (let id = 0; id < this.engine.uf.length; id++) if (this.runner.isSeen(id)) n++;
    return n;
  }

  /** The cluster id (smallest address id) of address id `id`, or `undefined` if never seen. */
  clusterOfId(id: number): number | undefined {
    return id < this.engine.uf.length && this.runner.isSeen(id) ? this.engine.uf.clusterId(id) : undefined;
  }

  /** The cluster id of an address (`chain:address` key or {@link Address}), or `undefined`. */
  async clusterOf(address: Address | string): Promise<number | undefined> {
    const id = await this.idOf(address);
    return id === undefined ? undefined : this.clusterOfId(id);
  }

  /** Every cluster of seen addresses, in id order; addresses as `chain:address` keys. */
  async *clusters(): AsyncGenerator<AddressCluster> {
    this.assertFresh();
    const keys = new Map<number, string>();
    for await (const [id, a] of this.c.store.addresses()) if (this.clusterOfId(id) !== undefined) keys.set(id, `${a.chain}:${a.address}`);
    for (const [id, members] of groupByCluster(this.engine.uf.clusterIds(), (x) => this.runner.isSeen(x))) {
      yield { id, addresses: Array.from(members, (m) => keys.get(m)!) };
    }
  }

  /**
   * The chain of evidence joining two addresses (see `AddressClustering.explainLink`). Throws
   * {@link ClusterError} `NOT_LINKED` or `UNKNOWN_ADDRESS`.
   */
  async explainLink(a: Address | string, b: Address | string): Promise<Link[]> {
    const ia = await this.idOf(a);
    const ib = await this.idOf(b);
    if (ia === undefined || this.clusterOfId(ia) === undefined || ib === undefined || this.clusterOfId(ib) === undefined) {
      throw new ClusterError('UNKNOWN_ADDRESS', `address ${JSON.stringify(ia === undefined || this.clusterOfId(ia) === undefined ? a : b)} is not in the case's clustered transactions`);
    }
    const steps = this.engine.explain(ia, ib);
    const out: Link[] = [];
    for (const step of steps) {
      const from = await this.c.store.address(step.from);
      const to = await this.c.store.address(step.to);
      if (!from || !to) throw new ClusterError('CLUSTER_STATE_CORRUPT', `address id ${!from ? step.from : step.to} of the merge log is not interned`);
      out.push({
        a: { kind: 'address', address: from },
        b: { kind: 'address', address: to },
        evidence: { heuristic: step.merge.heuristic, proof: step.merge.proof, confidence: step.merge.confidence },
      });
    }
    return out;
  }

  /** Size-guard alarms raised since this object was loaded. */
  get alarms(): readonly SizeAlarm[] {
    return this.engine.alarms;
  }

  private async idOf(address: Address | string): Promise<number | undefined> {
    const a = typeof address === 'string' ? (address.includes(':') ? parseAddressKey(address) : { chain: 'btc' as const, address }) : address;
    return this.c.store.addressId(a);
  }

  private assertFresh(): void {
    if (this.stale) {
      throw new ClusterError('CLUSTER_STATE_STALE', 'a clustering write failed, so this object is ahead of the case; load it again with CaseClustering.load()');
    }
  }

  /**
   * Throws `CLUSTER_STATE_STALE` unless the case's checkpoint is the one this object loaded or last
   * wrote: another object (or a rebuild) that clustered the case since would otherwise have its
   * chunks overwritten from this object's older state.
   */
  private async assertCurrent(): Promise<void> {
    const cp = await this.c.store.checkpoint<ClusterCheckpoint>(CLUSTER_CHECKPOINT);
    const chunks = cp?.chunks ?? 0;
    const merges = cp?.merges ?? 0;
    if (chunks !== this.chunkCount || merges !== this.engine.merges.length || (cp && JSON.stringify(cp.options) !== JSON.stringify(stateOptions(this.options)))) {
      throw new ClusterError(
        'CLUSTER_STATE_STALE',
        `the case's clustering moved on since this object was loaded (it has ${chunks} blocks clustered, this object knows ${this.chunkCount}); ` +
          'load it again with CaseClustering.load() or use clusterCase()',
      );
    }
  }
}

function stateOptions(o: ClusterCaseOptions): StateOptions {
  return {
    coinjoin: o.coinjoin ?? 'exclude',
    detectors: o.detectors ? [...o.detectors] : null,
    change: [...(o.change ?? [])],
    externalVerdict: o.isCoinJoin !== undefined,
  };
}

async function dropState(c: Case, chunks: AnySublevel, blocks: AnySublevel, options: StateOptions): Promise<void> {
  const chunkKeys = await chunks.keys().all();
  const blockKeys = await blocks.keys().all();
  await c.store.write((batch) => {
    for (const k of chunkKeys) batch.delIn(chunks, k);
    for (const k of blockKeys) batch.delIn(blocks, k);
    const cp: ClusterCheckpoint = { chunks: 0, merges: 0, options };
    batch.checkpoint(CLUSTER_CHECKPOINT, cp);
  });
}
