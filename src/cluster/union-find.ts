/**
 * Union-find (disjoint sets) on typed arrays, over dense integer ids 0 … n−1.
 *
 * Layout: three `Uint32Array`s, 12 bytes per element, grown by doubling.
 * - `parent[x]` — x's parent; `parent[x] === x` for a root;
 * - `size[r]` — number of elements under root r (meaningful for roots only); union by size
 *   keeps the trees shallow;
 * - `min[r]` — the smallest id under root r, which is the cluster's public id, so the id does not
 *   depend on the order the unions arrived in (determinism).
 *
 * `find` uses path halving (every node on the walk points to its grandparent), which with union
 * by size gives near-constant amortised cost without recursion.
 */

/** Bytes the union-find spends per element (parent + size + min, each a uint32). */
export const UNION_FIND_BYTES_PER_ELEMENT = 12;

/** A growable disjoint-set forest on typed arrays. */
export class UnionFind {
  private parent: Uint32Array;
  private size: Uint32Array;
  private min: Uint32Array;
  private n = 0;
  private sets = 0;

  /** Creates an empty forest with room for `capacity` elements before the first growth. */
  constructor(capacity = 1024) {
    const cap = Math.max(16, capacity | 0);
    this.parent = new Uint32Array(cap);
    this.size = new Uint32Array(cap);
    this.min = new Uint32Array(cap);
  }

  /** Number of elements (ids 0 … length − 1). */
  get length(): number {
    return this.n;
  }

  /** Number of disjoint sets. */
  get setCount(): number {
    return this.sets;
  }

  /** Bytes held by the arrays (allocated capacity, not just the used part). */
  get byteLength(): number {
    return this.parent.byteLength + this.size.byteLength + this.min.byteLength;
  }

  /** Makes sure ids 0 … n − 1 exist; new ids start as singletons. */
  ensure(n: number): void {
    if (n <= this.n) return;
    if (n > 0xffffffff) throw new RangeError(`union-find holds at most 2^32 - 1 elements, asked for ${n}`);
    if (n > this.parent.length) {
      let cap = this.parent.length;
      while (cap < n) cap = Math.min(0xffffffff, cap * 2);
      this.parent = grow(this.parent, cap);
      this.size = grow(this.size, cap);
      this.min = grow(this.min, cap);
    }
    const { parent, size, min } = this;
    for (let i = this.n; i < n; i++) {
      parent[i] = i;
      size[i] = 1;
      min[i] = i;
    }
    this.sets += n - this.n;
    this.n = n;
  }

  /** The root of x's set (path halving). `x` must be < {@link length}. */
  find(x: number): number {
    const parent = this.parent;
    let p = parent[x];
    while (p !== x) {
      const g = parent[p];
      parent[x] = g;
      x = g;
      p = parent[x];
    }
    return x;
  }

  /** The public id of x's set: the smallest id in it. */
  clusterId(x: number): number {
    return this.min[this.find(x)];
  }

  /** Number of elements in the set rooted at `root` (pass a root from {@link find}). */
  sizeOfRoot(root: number): number {
    return this.size[root];
  }

  /** Number of elements in x's set. */
  sizeOf(x: number): number {
    return this.size[this.find(x)];
  }

  /** True when a and b are in the same set. */
  connected(a: number, b: number): boolean {
    return this.find(a) === this.find(b);
  }

  /**
   * Joins the sets whose roots are `ra` and `rb` (both must be roots, and different);
   * returns the new root.
   */
  linkRoots(ra: number, rb: number): number {
    const { parent, size, min } = this;
    if (size[ra] < size[rb]) {
      const t = ra;
      ra = rb;
      rb = t;
    }
    parent[rb] = ra;
    size[ra] += size[rb];
    if (min[rb] < min[ra]) min[ra] = min[rb];
    this.sets--;
    return ra;
  }

  /** Joins a's and b's sets; returns false when they were already one set. */
  union(a: number, b: number): boolean {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return false;
    this.linkRoots(ra, rb);
    return true;
  }

  /**
   * The cluster id of every element, as one array (`out[x] = clusterId(x)`), computed in one
   * pass without recursion.
   */
  clusterIds(): Uint32Array {
    const out = new Uint32Array(this.n);
    for (let x = 0; x < this.n; x++) out[x] = this.min[this.find(x)];
    return out;
  }
}

function grow(a: Uint32Array, cap: number): Uint32Array {
  const b = new Uint32Array(cap);
  b.set(a);
  return b;
}
