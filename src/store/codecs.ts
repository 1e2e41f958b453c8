/**
 * Codecs of the case store.
 *
 * - `model`: model objects as V8 structured-serialisation bytes (read with Node's `v8.deserialize`).
 *   It keeps `bigint`, `Uint8Array`, `Map`, `Date` and nested objects exactly, is compact and fast,
 *   and Node documents the format as backward-compatible ("safe to store to disk"). The bytes are
 *   written canonically (./canonical-v8.ts): equal values give equal bytes, whatever V8 held in
 *   memory, so a store's digest depends on its evidence only. Every typed array, Buffer or DataView
 *   read back has bytes of its own ({@link deserializeModel}).
 * - `uint32`: a 4-byte big-endian unsigned integer, so that integer keys sort numerically.
 * - `json`: small metadata values (schema version, checkpoints).
 */
import v8 from 'node:v8';
import { serializeCanonical } from './canonical-v8.js';

/** A value encoding in abstract-level's custom-encoding shape. */
export interface StoreCodec<T> {
  readonly name: string;
  readonly format: 'buffer' | 'view' | 'utf8';
  encode(value: T): Uint8Array | string;
  decode(data: Uint8Array | string): T;
}

/** Node's own reader of a host object (a typed array, Buffer or DataView), not in its typings. */
const readHostObject = (v8.DefaultDeserializer.prototype as unknown as { _readHostObject(this: v8.Deserializer): ArrayBufferView })._readHostObject;

/**
 * `v8.deserialize` with each typed array, Buffer and DataView copied out of the bytes read. Node's
 * deserializer returns them as views into its input, and memory-level gives every reader the very
 * bytes it stores: a page body read from a memory case was the store's own memory, so a reader
 * writing into it changed that page for every later read (and the case's digest), and it kept the
 * whole record alive.
 */
class OwningDeserializer extends v8.DefaultDeserializer {
  _readHostObject(): ArrayBufferView {
    const view = readHostObject.call(this);
    const bytes = new Uint8Array(view.byteLength);
    bytes.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
    if (Buffer.isBuffer(view)) return Buffer.from(bytes.buffer);
    return new (view.constructor as new (buffer: ArrayBuffer) => ArrayBufferView)(bytes.buffer);
  }
}

/** Reads V8 serialisation bytes as `v8.deserialize` does; typed arrays in the value own their bytes. */
export function deserializeModel(data: Uint8Array): unknown {
  const reader = new OwningDeserializer(data);
  reader.readHeader();
  return reader.readValue();
}

/** Model objects as V8 serialisation bytes, written canonically. */
export const modelCodec: StoreCodec<unknown> = {
  name: 'wildtrace-v8',
  format: 'view',
  encode: serializeCanonical,
  decode: (data) => deserializeModel(data as Uint8Array),
};

/** Writes `n` (0 ≤ n < 2³²) as 4 big-endian bytes. */
export function encodeUint32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, false);
  return out;
}

/** Reads 4 big-endian bytes written by {@link encodeUint32}. */
export function decodeUint32(data: Uint8Array): number {
  if (data.byteLength !== 4) throw new RangeError(`expected 4 bytes, got ${data.byteLength}`);
  return new DataView(data.buffer, data.byteOffset, 4).getUint32(0, false);
}

/** Unsigned 32-bit integers as sortable 4-byte big-endian keys or values. */
export const uint32Codec: StoreCodec<number> = {
  name: 'wildtrace-uint32',
  format: 'view',
  encode: encodeUint32,
  decode: (data) => decodeUint32(data as Uint8Array),
};

/** JSON for small metadata values. */
export const jsonCodec: StoreCodec<unknown> = {
  name: 'wildtrace-json',
  format: 'utf8',
  encode: (value) => JSON.stringify(value),
  decode: (data) => JSON.parse(data as string),
};
