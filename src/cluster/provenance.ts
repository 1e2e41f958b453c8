/**
 * Merge provenance: why every union of the clustering happened.
 *
 * One record per successful union (a union of two addresses already in one cluster adds
 * nothing and is not recorded), kept column-wise in growable typed arrays, 15 bytes a merge:
 * - `a`, `b` (uint32) — the two address ids the evidence links (not the roots);
 * - `heuristic` (uint8) — an index into a small table of rule names;
 * - `confidence` (uint16) — 0 … 10 000 for 0 … 1;
 * - `proof` (uint32) — an index into the proof table (`tx:<txid>`, `page:<sha256>`, …); all
 *   merges proved by one transaction share one entry.
 *
 * The merges of one cluster form a spanning tree of it (each one joined two different clusters),
 * so the chain of evidence between two addresses is the unique path between them in this forest.
 */
import { ClusterError } from './errors.js';

/** Scale of the stored confidence (uint16). */
const CONFIDENCE_SCALE = 10_000;

/** Bytes of the per-merge columns (a, b, heuristic, confidence, proof index). */
export const MERGE_BYTES = 15;

/** One recorded merge, decoded. */
export interface MergeRecord {
  /** position in the log (0-based, in merge order) */
  readonly index: number;
  readonly a: number;
  readonly b: number;
  readonly heuristic: string;
  readonly proof: string;
  readonly confidence: number;
}

/** A small append-only string table giving each distinct string a dense index. */
export class NameTable {
  private readonly index = new Map<string, number>();
  readonly names: string[] = [];

  constructor(private readonly max = 0xffffffff) {}

  /** The index of `name`, adding it when new. */
  id(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      if (this.names.length >= this.max) {
        throw new ClusterError('TOO_MANY_HEURISTICS', `at most ${this.max} distinct names fit this table; "${name}" is one too many`);
      }
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

/** The column store of merges. */
export class MergeLog {
  private a: Uint32Array;
  private b: Uint32Array;
  private h: Uint8Array;
  private c: Uint16Array;
  private p: Uint32Array;
  private n = 0;
  /** rule names (index = stored heuristic id) */
  readonly heuristics = new NameTable(255);
  /** proofs, appended; consecutive duplicates are shared (see {@link proofId}) */
  readonly proofs: string[] = [];

  constructor(capacity = 1024) {
    const cap = Math.max(16, capacity | 0);
    this.a = new Uint32Array(cap);
    this.b = new Uint32Array(cap);
    this.h = new Uint8Array(cap);
    this.c = new Uint16Array(cap);
    this.p = new Uint32Array(cap);
  }

  /** Number of merges recorded. */
  get length(): number {
    return this.n;
  }

  /** Bytes held by the columns (capacity), not counting the proof strings. */
  get byteLength(): number {
    return this.a.byteLength + this.b.byteLength + this.h.byteLength + this.c.byteLength + this.p.byteLength;
  }

  /**
   * The index of a proof string. Merges proved by the same transaction call this once and pass
   * the index to every {@link append}; a proof equal to the last one reuses its index.
   */
  proofId(proof: string): number {
    const last = this.proofs.length - 1;
    if (last >= 0 && this.proofs[last] === proof) return last;
    this.proofs.push(proof);
    return last + 1;
  }

  /** Records one merge. `heuristic` is an id from {@link heuristics}, `proof` from {@link proofId}. */
  append(a: number, b: number, heuristic: number, proof: number, confidence: number): void {
    if (this.n === this.a.length) this.grow(this.n * 2);
    const i = this.n++;
    this.a[i] = a;
    this.b[i] = b;
    this.h[i] = heuristic;
    this.c[i] = Math.round(Math.min(1, Math.max(0, confidence)) * CONFIDENCE_SCALE);
    this.p[i] = proof;
  }

  /** Endpoint a of merge i. */
  aOf(i: number): number {
    return this.a[i];
  }

  /** Endpoint b of merge i. */
  bOf(i: number): number {
    return this.b[i];
  }

  /** Merge i, decoded. */
  get(i: number): MergeRecord {
    if (i < 0 || i >= this.n) throw new RangeError(`merge ${i} does not exist (the log holds ${this.n})`);
    return {
      index: i,
      a: this.a[i],
      b: this.b[i],
      heuristic: this.heuristics.names[this.h[i]],
      proof: this.proofs[this.p[i]],
      confidence: this.c[i] / CONFIDENCE_SCALE,
    };
  }

  /**
   * The merges from `start` on, column-wise with their own name and proof tables, for persisting
   * one unit of work (see {@link appendChunk}).
   */
  chunk(start: number): MergeChunk {
    const end = this.n;
    const pStart = end > start ? this.p[start] : this.proofs.length;
    const p = this.p.slice(start, end);
    for (let i = 0; i < p.length; i++) p[i] -= pStart;
    return {
      a: this.a.slice(start, end),
      b: this.b.slice(start, end),
      h: this.h.slice(start, end),
      c: this.c.slice(start, end),
      p,
      heuristics: this.heuristics.names.slice(),
      proofs: this.proofs.slice(pStart),
    };
  }

  /** Appends a chunk made by {@link chunk} (possibly by another process), remapping its tables. */
  appendChunk(chunk: MergeChunk): void {
    checkChunk(chunk);
    const hMap = chunk.heuristics.map((name) => this.heuristics.id(name));
    const pBase = this.proofs.length;
    for (const proof of chunk.proofs) this.proofs.push(proof);
    const len = chunk.a.length;
    if (this.n + len > this.a.length) this.grow(Math.max(this.n + len, this.a.length * 2));
    this.a.set(chunk.a, this.n);
    this.b.set(chunk.b, this.n);
    this.c.set(chunk.c, this.n);
    for (let i = 0; i < len; i++) {
      this.h[this.n + i] = hMap[chunk.h[i]];
      this.p[this.n + i] = pBase + chunk.p[i];
    }
    this.n += len;
  }

  private grow(cap: number): void {
    const g = <T extends Uint32Array | Uint16Array | Uint8Array>(x: T): T => {
      const y = new (x.constructor as new (n: number) => T)(cap);
      y.set(x);
      return y;
    };
    this.a = g(this.a);
    this.b = g(this.b);
    this.h = g(this.h);
    this.c = g(this.c);
    this.p = g(this.p);
  }
}

/** A run of merges with its own name and proof tables: the unit the case store persists. */
export interface MergeChunk {
  readonly a: Uint32Array;
  readonly b: Uint32Array;
  /** index into `heuristics` */
  readonly h: Uint8Array;
  /** confidence × 10 000 */
  readonly c: Uint16Array;
  /** index into `proofs` */
  readonly p: Uint32Array;
  readonly heuristics: readonly string[];
  readonly proofs: readonly string[];
}

function checkChunk(chunk: MergeChunk): void {
  const bad = (what: string) => {
    throw new ClusterError('CLUSTER_STATE_CORRUPT', `a persisted merge chunk is damaged (${what}); re-run the clustering into a new case`);
  };
  if (!chunk || typeof chunk !== 'object') bad('not an object');
  const len = chunk.a?.length;
  if (!(chunk.a instanceof Uint32Array) || !(chunk.b instanceof Uint32Array) || !(chunk.h instanceof Uint8Array)) bad('column types');
  if (!(chunk.c instanceof Uint16Array) || !(chunk.p instanceof Uint32Array)) bad('column types');
  if (chunk.b.length !== len || chunk.h.length !== len || chunk.c.length !== len || chunk.p.length !== len) bad('column lengths differ');
  if (!Array.isArray(chunk.heuristics) || !Array.isArray(chunk.proofs)) bad('tables');
  for (let i = 0; i < len; i++) {
    if (chunk.h[i] >= chunk.heuristics.length || chunk.p[i] >= chunk.proofs.length) bad(`merge ${i} points outside its tables`);
  }
}
