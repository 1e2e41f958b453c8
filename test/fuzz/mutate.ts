/**
 * Mutation plans for the fuzz targets: fast-check generates a short list of operations (small,
 * shrinkable), and the case applies them to a real document from the target's corpus. Positions
 * are free naturals taken modulo the current length (or the current list of field boundaries), so
 * one plan applies to any document.
 *
 *   bytes   flip a bit, overwrite a byte, truncate (anywhere or at a field boundary), delete or
 *           duplicate a range, insert bytes, replace a CompactSize at a boundary by an absurd one,
 *           splice this document's prefix to another document's suffix (both cut at boundaries)
 *   text    the same on UTF-16 strings, plus line drops/duplicates/swaps and dictionary inserts
 *   JSON    replace, delete, duplicate or move a node chosen among all nodes of the document
 */
import fc from 'fast-check';

// ---------------------------------------------------------------------------------------------
// bytes

/** One byte-level mutation. */
export type ByteOp =
  | { readonly op: 'flip'; readonly at: number; readonly bit: number }
  | { readonly op: 'set'; readonly at: number; readonly value: number }
  | { readonly op: 'truncate'; readonly at: number; readonly boundary: boolean }
  | { readonly op: 'delete'; readonly at: number; readonly len: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly len: number }
  | { readonly op: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly op: 'varint'; readonly at: number; readonly encoding: Uint8Array }
  | { readonly op: 'splice'; readonly at: number; readonly other: number; readonly from: number };

/** A document with the offsets where its fields start (for boundary-aware mutations). */
export interface ByteDoc {
  readonly bytes: Uint8Array;
  /** offsets where a field starts, ascending */
  readonly boundaries: readonly number[];
  /** offsets of CompactSize (varint) fields */
  readonly varints: readonly number[];
}

/** Byte values that sit on edges of the formats: markers, signs, lengths. */
const EDGE_BYTES = [0x00, 0x01, 0x02, 0x4b, 0x4c, 0x4d, 0x4e, 0x7f, 0x80, 0xfc, 0xfd, 0xfe, 0xff];

/** CompactSize encodings a parser must refuse or survive: huge, non-canonical, ≥ 2³². */
const ABSURD_VARINTS = [
  [0xfd, 0xff, 0xff],
  [0xfe, 0xff, 0xff, 0xff, 0xff],
  [0xfe, 0x00, 0x00, 0x00, 0x80],
  [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
  [0xff, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00],
  [0xff, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80],
  [0xfd, 0x01, 0x00],
  [0xfe, 0x01, 0x00, 0x00, 0x00],
  [0xfd, 0xfd, 0x00],
  [0x00],
  [0xfc],
  [0xfd],
  [0xff],
].map((a) => Uint8Array.from(a));

/** A plan of 1..`maxOps` byte mutations. */
export function byteOps(maxOps = 4): fc.Arbitrary<ByteOp[]> {
  const at = fc.nat();
  const op: fc.Arbitrary<ByteOp> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('flip' as const), at, bit: fc.nat(7) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('set' as const), at, value: fc.oneof(fc.constantFrom(...EDGE_BYTES), fc.nat(255)) }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('truncate' as const), at, boundary: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 64 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at, len: fc.integer({ min: 1, max: 256 }) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constant('varint' as const), at, encoding: fc.oneof(fc.constantFrom(...ABSURD_VARINTS), fc.uint8Array({ minLength: 1, maxLength: 9 })) }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('splice' as const), at, other: fc.nat(), from: fc.nat() }) },
  );
  return fc.array(op, { minLength: 1, maxLength: maxOps });
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Length of the CompactSize whose first byte is `b`. */
const varintLength = (b: number | undefined): number => (b === 0xfd ? 3 : b === 0xfe ? 5 : b === 0xff ? 9 : 1);

/** Picks a boundary of `doc` (or an offset when it has none) and clamps it to `len`. */
function pick(list: readonly number[], k: number, len: number): number {
  return list.length === 0 ? k % (len + 1) : Math.min(list[k % list.length], len);
}

/**
 * Applies `ops` to a copy of `doc.bytes`. Boundaries are those of the original document: after
 * an op that moves bytes they are approximate, which is fine for a fuzzer. `others` are the
 * documents a splice may take its tail from.
 */
export function applyByteOps(doc: ByteDoc, ops: readonly ByteOp[], others: readonly ByteDoc[] = []): Uint8Array {
  let b: Uint8Array = doc.bytes.slice();
  for (const o of ops) {
    const n = b.length;
    switch (o.op) {
      case 'flip':
        if (n > 0) b[o.at % n] ^= 1 << o.bit;
        break;
      case 'set':
        if (n > 0) b[o.at % n] = o.value;
        break;
      case 'truncate':
        b = b.subarray(0, o.boundary ? pick(doc.boundaries, o.at, n) : o.at % (n + 1));
        break;
      case 'delete': {
        const s = o.at % (n + 1);
        b = concat(b.subarray(0, s), b.subarray(Math.min(n, s + o.len)));
        break;
      }
      case 'duplicate': {
        const s = o.at % (n + 1);
        const range = b.subarray(s, Math.min(n, s + o.len));
        b = concat(b.subarray(0, s), range, range, b.subarray(s + range.length));
        break;
      }
      case 'insert': {
        const s = pick(doc.boundaries, o.at, n);
        b = concat(b.subarray(0, s), o.bytes, b.subarray(s));
        break;
      }
      case 'varint': {
        const s = pick(doc.varints, o.at, n);
        b = concat(b.subarray(0, s), o.encoding, b.subarray(Math.min(n, s + varintLength(b[s]))));
        break;
      }
      case 'splice': {
        const other = others.length ? others[o.other % others.length] : doc;
        const cut = pick(doc.boundaries, o.at, n);
        const from = pick(other.boundaries, o.from, other.bytes.length);
        b = concat(b.subarray(0, cut), other.bytes.subarray(from));
        break;
      }
    }
  }
  return b;
}

// ---------------------------------------------------------------------------------------------
// text

/** One text mutation. */
export type TextOp =
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'delete'; readonly at: number; readonly len: number }
  | { readonly op: 'insert'; readonly at: number; readonly text: string; readonly times: number }
  | { readonly op: 'duplicate'; readonly at: number; readonly len: number; readonly times: number }
  | { readonly op: 'char'; readonly at: number; readonly ch: string }
  | { readonly op: 'dropLine'; readonly line: number }
  | { readonly op: 'dupLine'; readonly line: number }
  | { readonly op: 'swapLines'; readonly a: number; readonly b: number }
  | { readonly op: 'case'; readonly at: number; readonly len: number; readonly upper: boolean }
  | { readonly op: 'splice'; readonly at: number; readonly other: number; readonly from: number };

/** Characters that break text formats: quotes, separators, controls, lone surrogates, BOM, NUL. */
const EDGE_CHARS = ['"', "'", ',', ';', ':', '-', '#', '&', '<', '>', '/', '\\', '\n', '\r', '\t', ' ', '\u0000', '\uFEFF', '\uD800', '\uDFFF', '\u00a0', '\u202e', '😀', '0', 'x', '=', '%', '*', '|'];

/**
 * A plan of 1..`maxOps` text mutations; inserts draw from `dictionary` (the format's tokens) or
 * random strings, repeated up to `maxRepeat` times (to reach sizes that expose super-linear work).
 */
export function textOps(dictionary: readonly string[], options: { maxOps?: number; maxRepeat?: number } = {}): fc.Arbitrary<TextOp[]> {
  const at = fc.nat();
  const piece = dictionary.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...dictionary) }, { weight: 1, arbitrary: fc.string({ maxLength: 24 }) }) : fc.string({ maxLength: 24 });
  const times = fc.oneof({ weight: 6, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: options.maxRepeat ?? 1000 }) });
  const op: fc.Arbitrary<TextOp> = fc.oneof(
    { weight: 2, arbitrary: fc.record({ op: fc.constant('truncate' as const), at }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at, len: fc.integer({ min: 1, max: 80 }) }) },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('insert' as const), at, text: piece, times }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at, len: fc.integer({ min: 1, max: 200 }), times }) },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('char' as const), at, ch: fc.oneof(fc.constantFrom(...EDGE_CHARS), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('dropLine' as const), line: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('dupLine' as const), line: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('swapLines' as const), a: fc.nat(), b: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('case' as const), at, len: fc.integer({ min: 1, max: 200 }), upper: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('splice' as const), at, other: fc.nat(), from: fc.nat() }) },
  );
  return fc.array(op, { minLength: 1, maxLength: options.maxOps ?? 5 });
}

/** Applies `ops` to `text`; `others` are the documents a splice may take its tail from. */
export function applyTextOps(text: string, ops: readonly TextOp[], others: readonly string[] = []): string {
  let t = text;
  for (const o of ops) {
    const n = t.length;
    switch (o.op) {
      case 'truncate':
        t = t.slice(0, o.at % (n + 1));
        break;
      case 'delete': {
        const s = o.at % (n + 1);
        t = t.slice(0, s) + t.slice(s + o.len);
        break;
      }
      case 'insert': {
        const s = o.at % (n + 1);
        t = t.slice(0, s) + o.text.repeat(o.times) + t.slice(s);
        break;
      }
      case 'duplicate': {
        const s = o.at % (n + 1);
        const range = t.slice(s, s + o.len);
        t = t.slice(0, s) + range.repeat(o.times + 1) + t.slice(s + range.length);
        break;
      }
      case 'char': {
        const s = o.at % (n + 1);
        t = t.slice(0, s) + o.ch + t.slice(s + 1);
        break;
      }
      case 'case': {
        const s = o.at % (n + 1);
        const part = t.slice(s, s + o.len);
        t = t.slice(0, s) + (o.upper ? part.toUpperCase() : part.toLowerCase()) + t.slice(s + part.length);
        break;
      }
      case 'dropLine':
      case 'dupLine':
      case 'swapLines': {
        const lines = t.split('\n');
        if (o.op === 'dropLine') lines.splice(o.line % lines.length, 1);
        else if (o.op === 'dupLine') lines.splice(o.line % lines.length, 0, lines[o.line % lines.length]);
        else {
          const a = o.a % lines.length;
          const b = o.b % lines.length;
          [lines[a], lines[b]] = [lines[b], lines[a]];
        }
        t = lines.join('\n');
        break;
      }
      case 'splice': {
        const other = others.length ? others[o.other % others.length] : t;
        t = t.slice(0, o.at % (n + 1)) + other.slice(o.from % (other.length + 1));
        break;
      }
    }
  }
  return t;
}

// ---------------------------------------------------------------------------------------------
// JSON

/** A JSON-like value (what a node's answer parses to). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * One JSON mutation; `node` and `to` select among the nodes of the document in pre-order — all
 * of them, or (`depth` set) those at most `depth` levels below the root, so that the structure
 * (array entries, top-level fields) is hit as often as the leaves.
 */
export type JsonOp = { readonly depth: number | null } & (
  | { readonly op: 'replace'; readonly node: number; readonly value: Json }
  | { readonly op: 'delete'; readonly node: number }
  | { readonly op: 'duplicate'; readonly node: number }
  | { readonly op: 'move'; readonly node: number; readonly to: number }
  | { readonly op: 'hex'; readonly node: number; readonly how: 'upper' | 'strip0x' | 'pad' | 'odd' | 'space' | 'negate' | 'huge' }
);

/** Values that sit on the edges of the JSON-RPC hex encodings and of JavaScript's coercions. */
export const HOSTILE_JSON: readonly Json[] = [
  null, true, false, 0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2, '', '0x', '0x0', '0x00', '0X1', '-0x1', '0x-1', '0x1g', ' 0x1', '0x1 ',
  '0x' + 'f'.repeat(64), '0x' + 'f'.repeat(65), '0x' + '0'.repeat(100) + '1', '0x' + '1'.repeat(40), '0x' + 'ab'.repeat(32), '0x' + 'AB'.repeat(20),
  'latest', 'NaN', 'Infinity', '1e3', '__proto__', 'constructor', 'toString', [], [null], [[]], {}, { toString: 'x' }, { valueOf: 1 },
  { length: 5 }, JSON.parse('{"__proto__":{"polluted":1}}') as Json, { 0: 'a', length: 1 },
];

/** A hostile JSON value: an edge value, or a random JSON tree. */
export const hostileJson: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_JSON) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
);

/** A plan of 1..`maxOps` JSON mutations. */
export function jsonOps(maxOps = 3): fc.Arbitrary<JsonOp[]> {
  const node = fc.nat();
  const depth = fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat(3) });
  const op = fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('replace' as const), node, value: hostileJson }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), node }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), node }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('move' as const), node, to: fc.nat() }) },
    {
      weight: 3,
      arbitrary: fc.record({ op: fc.constant('hex' as const), node, how: fc.constantFrom('upper' as const, 'strip0x' as const, 'pad' as const, 'odd' as const, 'space' as const, 'negate' as const, 'huge' as const) }),
    },
  );
  return fc.array(fc.tuple(op, depth).map(([o, d]): JsonOp => ({ ...o, depth: d })), { minLength: 1, maxLength: maxOps });
}

interface Slot {
  readonly parent: Json[] | { [key: string]: Json } | null;
  readonly key: string | number;
  readonly value: Json;
  readonly depth: number;
}

/** Every node of `root` down to `maxDepth` with where it sits, in pre-order (the root has no parent). */
function slots(root: Json, maxDepth = Infinity): Slot[] {
  const out: Slot[] = [];
  const stack: Slot[] = [{ parent: null, key: '', value: root, depth: 0 }];
  while (stack.length) {
    const s = stack.pop()!;
    out.push(s);
    const v = s.value;
    const depth = s.depth + 1;
    if (depth > maxDepth) continue;
    if (Array.isArray(v)) for (let i = v.length - 1; i >= 0; i--) stack.push({ parent: v, key: i, value: v[i], depth });
    else if (v && typeof v === 'object') for (const k of Object.keys(v).reverse()) stack.push({ parent: v, key: k, value: v[k], depth });
  }
  return out;
}

function put(s: Slot, value: Json | undefined): void {
  if (!s.parent) return;
  if (Array.isArray(s.parent)) {
    if (value === undefined) s.parent.splice(s.key as number, 1);
    else s.parent[s.key as number] = value;
  } else if (value === undefined) delete s.parent[s.key as string];
  else s.parent[s.key as string] = value;
}

function hexEdit(v: Json, how: JsonOp & { op: 'hex' }): Json {
  if (typeof v !== 'string') return v;
  switch (how.how) {
    case 'upper':
      return v.toUpperCase();
    case 'strip0x':
      return v.replace(/^0x/i, '');
    case 'pad':
      return v.replace(/^0x/i, '0x0000');
    case 'odd':
      return v + 'a';
    case 'space':
      return ` ${v}\n`;
    case 'negate':
      return `-${v}`;
    case 'huge':
      return v + '0'.repeat(4096);
  }
}

/**
 * Applies `ops` to a deep copy of `doc` and returns the mutated document (the root itself may be
 * replaced). Deleting a node removes it from its array or object.
 */
export function applyJsonOps(doc: Json, ops: readonly JsonOp[]): Json {
  let root: Json = structuredClone(doc);
  for (const o of ops) {
    const all = slots(root, o.depth ?? Infinity);
    const s = all[o.node % all.length];
    const replaceRoot = (v: Json) => (s.parent ? put(s, v) : (root = v));
    switch (o.op) {
      case 'replace':
        replaceRoot(structuredClone(o.value));
        break;
      case 'delete':
        if (s.parent) put(s, undefined);
        else root = null;
        break;
      case 'duplicate':
        if (Array.isArray(s.parent)) s.parent.splice(s.key as number, 0, structuredClone(s.value));
        else replaceRoot([s.value, structuredClone(s.value)]);
        break;
      case 'move': {
        const t = all[o.to % all.length];
        if (t !== s && t.parent) put(t, structuredClone(s.value));
        break;
      }
      case 'hex':
        replaceRoot(hexEdit(s.value, o));
        break;
    }
  }
  return root;
}
