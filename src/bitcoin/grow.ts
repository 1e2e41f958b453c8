/** Growable scratch arrays of the decoding passes. */

/** `a` if it holds `n` items, else a copy of it at least twice as long. */
export function growInt32(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (n <= a.length) return a;
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}
