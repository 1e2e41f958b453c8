/**
 * Canonical V8 serialisation: bytes that `v8.deserialize` reads, chosen by the value alone.
 *
 * `v8.serialize` writes what V8 holds in memory, not just the value: an array V8 keeps "holey"
 * (`Array.prototype.map` makes one) is written in the sparse form, a number in an object field V8
 * has widened to doubles is written as a double even when it is 132, a Latin-1 string sliced from a
 * two-byte string is written as two-byte. Equal evidence written by two processes (or twice by one)
 * could get different bytes, so a store's digest depended on the JIT's history. This writer picks
 * each form from the value:
 *
 *   header     FF 0F                                   (format version 15, as Node 20–22 write)
 *   undefined  '_'     null '0'     true 'T'     false 'F'
 *   number     'I' zigzag varint   for an int32 other than −0;   else 'N' float64 LE
 *   bigint     'Z' varint(byteLength·2 | sign) magnitude as 64-bit words LE
 *   string     '"' varint(n) Latin-1 bytes  when every code unit ≤ U+00FF;
 *              else [00 padding so the data is 2-aligned] 'c' varint(2n) UTF-16LE code units
 *   Date       'D' float64 LE
 *   array      'A' varint(n) element×n '$' varint(0) varint(n)       (dense, no holes)
 *   object     'o' (key value)× '{' varint(count)       (own enumerable string keys, in order)
 *   Map        ';' (key value)× ':' varint(2·size)       Set  '\'' value× ',' varint(size)
 *   Buffer, typed array, DataView: Node's host-object form '\' varint(type) varint(byteLength) bytes
 *
 * Anything else — a holey array, an object with integer-like keys or another prototype, a
 * RegExp, an Error, an ArrayBuffer — is handed to `v8.serialize` whole: stored exactly, though
 * not canonically. Functions and symbols throw, as they do there.
 */
import v8 from 'node:v8';

/** Node's host-object type numbers (lib/v8.js `arrayBufferViewTypes`; 10 = Buffer). */
const VIEW_TYPES = new Map<unknown, number>([
  [Int8Array, 0],
  [Uint8Array, 1],
  [Uint8ClampedArray, 2],
  [Int16Array, 3],
  [Uint16Array, 4],
  [Int32Array, 5],
  [Uint32Array, 6],
  [Float32Array, 7],
  [Float64Array, 8],
  [DataView, 9],
  [Buffer, 10],
  [BigInt64Array, 11],
  [BigUint64Array, 12],
]);

const NOT_LATIN1 = /[\u0100-\uffff]/;
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;

/** Thrown inside the writer when a value needs `v8.serialize`. */
class NotCanonical extends Error {}

/** Deeper nesting than this (or a cycle) goes to `v8.serialize`, which keeps references. */
const MAX_DEPTH = 512;
const INITIAL = 1 << 16;

/**
 * A growable output buffer (one per module: encoding is synchronous). A getter of the value being
 * written may still encode another value before this call is done (see {@link nested}).
 */
let buf: Buffer = Buffer.allocUnsafe(INITIAL);
/** `buf` as a plain Uint8Array: its `slice` makes the result without Buffer's species constructor */
let view: Uint8Array = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
let pos = 0;

function setBuffer(next: Buffer): void {
  buf = next;
  view = new Uint8Array(next.buffer, next.byteOffset, next.length);
}
let depth = 0;
/** a call is writing into {@link buf} */
let busy = false;

function reserve(n: number): void {
  if (pos + n <= buf.length) return;
  let size = buf.length * 2;
  while (size < pos + n) size *= 2;
  const next = Buffer.allocUnsafe(size);
  buf.copy(next, 0, 0, pos);
  setBuffer(next);
}

function tag(byte: number): void {
  reserve(1);
  buf[pos++] = byte;
}

function varint(n: number): void {
  reserve(10);
  while (n >= 0x80) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
}

function double(n: number): void {
  reserve(8);
  buf.writeDoubleLE(n, pos);
  pos += 8;
}

function writeNumber(n: number): void {
  if ((n | 0) === n && !Object.is(n, -0)) {
    tag(0x49); // 'I'
    varint(((n << 1) ^ (n >> 31)) >>> 0);
  } else {
    tag(0x4e); // 'N'
    double(n);
  }
}

const U64 = 1n << 64n;

function writeBigInt(n: bigint): void {
  tag(0x5a); // 'Z'
  if (n > 0n && n < U64) {
    // one word: every amount in satoshi or wei below 2^64 (the common case, without an array)
    reserve(9);
    buf[pos++] = 16; // varint(1 word · 16 + positive)
    buf.writeBigUInt64LE(n, pos);
    pos += 8;
    return;
  }
  let m = n < 0n ? -n : n;
  const words: bigint[] = [];
  while (m > 0n) {
    words.push(BigInt.asUintN(64, m));
    m >>= 64n;
  }
  varint(words.length * 16 + (n < 0n ? 1 : 0));
  reserve(words.length * 8);
  for (const w of words) {
    buf.writeBigUInt64LE(w, pos);
    pos += 8;
  }
}

function writeString(s: string): void {
  const n = s.length;
  let latin1 = true;
  if (n < 64) {
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) > 0xff) {
        latin1 = false;
        break;
      }
    }
  } else latin1 = !NOT_LATIN1.test(s);
  if (latin1) {
    tag(0x22); // '"'
    varint(n);
    reserve(n);
    if (n < 64) for (let i = 0; i < n; i++) buf[pos++] = s.charCodeAt(i);
    else pos += buf.write(s, pos, n, 'latin1');
    return;
  }
  const bytes = n * 2;
  let lengthBytes = 1;
  for (let b = bytes; b >= 0x80; b = Math.floor(b / 128)) lengthBytes++;
  if ((pos + 1 + lengthBytes) & 1) tag(0x00); // padding, as V8 aligns two-byte data
  tag(0x63); // 'c'
  varint(bytes);
  reserve(bytes);
  pos += buf.write(s, pos, bytes, 'utf16le');
}

function writeView(view: ArrayBufferView): void {
  const type = VIEW_TYPES.get(view.constructor);
  if (type === undefined) throw new NotCanonical();
  tag(0x5c); // '\' host object
  varint(type);
  varint(view.byteLength);
  reserve(view.byteLength);
  buf.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), pos);
  pos += view.byteLength;
}

function writeValue(value: unknown): void {
  switch (typeof value) {
    case 'string':
      return writeString(value);
    case 'number':
      return writeNumber(value);
    case 'bigint':
      return writeBigInt(value);
    case 'boolean':
      return tag(value ? 0x54 : 0x46); // 'T' / 'F'
    case 'undefined':
      return tag(0x5f); // '_'
    case 'object':
      if (value === null) return tag(0x30); // '0'
      return writeObject(value);
    default:
      throw new NotCanonical(); // function, symbol: v8.serialize throws its own error
  }
}

function writeObject(o: object): void {
  if (++depth > MAX_DEPTH) throw new NotCanonical();
  writeContainer(o);
  depth--;
}

function writeContainer(o: object): void {
  const proto = Object.getPrototypeOf(o);
  if (proto === Object.prototype || proto === null) {
    const keys = Object.keys(o);
    if (keys.length > 0 && ARRAY_INDEX.test(keys[0])) throw new NotCanonical(); // V8 writes such keys as numbers
    // the values in the keys' order, in one call: a keyed load per key turns megamorphic (slow) once
    // the encoder has seen objects of many shapes, which is what a store writes
    const values = Object.values(o);
    tag(0x6f); // 'o'
    for (let i = 0; i < keys.length; i++) {
      writeString(keys[i]);
      writeValue(values[i]);
    }
    tag(0x7b); // '{'
    return varint(keys.length);
  }
  if (Array.isArray(o)) {
    if (proto !== Array.prototype) throw new NotCanonical();
    const n = o.length;
    tag(0x41); // 'A'
    varint(n);
    for (let i = 0; i < n; i++) {
      const v = o[i];
      if (v === undefined && !(i in o)) throw new NotCanonical(); // a hole
      writeValue(v);
    }
    tag(0x24); // '$'
    varint(0);
    return varint(n);
  }
  if (ArrayBuffer.isView(o)) return writeView(o);
  if (o instanceof Date && proto === Date.prototype) {
    tag(0x44); // 'D'
    return double(o.getTime());
  }
  if (o instanceof Map && proto === Map.prototype) {
    tag(0x3b); // ';'
    for (const [k, v] of o) {
      writeValue(k);
      writeValue(v);
    }
    tag(0x3a); // ':'
    return varint(o.size * 2);
  }
  if (o instanceof Set && proto === Set.prototype) {
    tag(0x27); // '\''
    for (const v of o) writeValue(v);
    tag(0x2c); // ','
    return varint(o.size);
  }
  throw new NotCanonical();
}

/**
 * Serialises `value` in V8's format (read it with `v8.deserialize`), with bytes that depend on the
 * value only (see the file comment). Values outside the canonical subset go to `v8.serialize`.
 */
export function serializeCanonical(value: unknown): Uint8Array {
  if (busy) return nested(value);
  busy = true;
  pos = 0;
  depth = 0;
  try {
    tag(0xff);
    tag(0x0f);
    writeValue(value);
    return view.slice(0, pos); // copied out before the finally below may drop the buffer
  } catch (err) {
    if (err instanceof NotCanonical) return v8.serialize(value);
    throw err;
  } finally {
    busy = false;
    // let a huge value's buffer go once a small one is written (its bytes are copied out by now)
    if (buf.length > 64 * INITIAL && pos < INITIAL) setBuffer(Buffer.allocUnsafe(INITIAL));
  }
}

/**
 * A call made while another one is writing: a getter of the outer value (read by `Object.values`
 * or an array index) encoded another value, for example by storing it. It gets a buffer of its
 * own; the outer call's buffer, position and depth are put back afterwards, so neither call sees
 * the other's bytes and the outer buffer is not dropped under it.
 */
function nested(value: unknown): Uint8Array {
  const outer = buf;
  const outerPos = pos;
  const outerDepth = depth;
  setBuffer(Buffer.allocUnsafe(INITIAL));
  busy = false;
  try {
    return serializeCanonical(value);
  } finally {
    setBuffer(outer);
    pos = outerPos;
    depth = outerDepth;
    busy = true;
  }
}
