/**
 * A minimal WebAssembly binary encoder: just what the hashing lanes need (one memory, functions of
 * i32 parameters and at most one i32 result, i32 and v128 locals, loop / block / if / br, loads and
 * stores, select, the integer and SIMD-128 opcodes below). Written against the WebAssembly core specification 2.0, binary format (§5) and the
 * fixed-width SIMD opcode table (the 0xFD prefix followed by a LEB128 opcode number).
 */

/** Value types of the binary format. */
export const I32 = 0x7f;
/** the 128-bit vector type */
export const V128 = 0x7b;

/** SIMD opcodes (after the 0xFD prefix), numbered as in the final SIMD-128 table. */
export const Simd = {
  load: 0,
  store: 11,
  const: 12,
  shuffle: 13,
  i8x16Splat: 15,
  i8x16LtS: 37,
  i32x4Splat: 17,
  i32x4ExtractLane: 27,
  not: 77,
  and: 78,
  andnot: 79,
  or: 80,
  xor: 81,
  bitselect: 82,
  i32x4Shl: 171,
  i32x4ShrU: 173,
  i32x4Add: 174,
} as const;

/** i32 opcodes without immediates, for {@link Body.op}. */
export const I32Op = {
  eqz: 0x45,
  eq: 0x46,
  ne: 0x47,
  ltU: 0x49,
  gtU: 0x4b,
  geU: 0x4f,
  mul: 0x6c,
  and: 0x71,
  shl: 0x74,
  shrU: 0x76,
} as const;

/** A growing byte buffer. */
export class Bytes {
  private buf = new Uint8Array(1024);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(2 * this.buf.length, this.length + n));
    bigger.set(this.buf.subarray(0, this.length));
    this.buf = bigger;
  }

  byte(b: number): this {
    this.room(1);
    this.buf[this.length++] = b;
    return this;
  }

  /** appends bytes (a short list, or another buffer's contents) */
  bytes(bs: ArrayLike<number>): this {
    this.room(bs.length);
    if (bs instanceof Uint8Array) {
      this.buf.set(bs, this.length);
      this.length += bs.length;
    } else {
      for (let i = 0; i < bs.length; i++) this.buf[this.length++] = bs[i];
    }
    return this;
  }

  /** unsigned LEB128 */
  uleb(n: number): this {
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n !== 0) b |= 0x80;
      this.byte(b);
    } while (n !== 0);
    return this;
  }

  /** signed LEB128 of a 32-bit integer */
  sleb(n: number): this {
    n |= 0;
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return this.byte(b);
      this.byte(b | 0x80);
    }
  }

  /** the bytes written so far (a view) */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/**
 * The body of one function, built instruction by instruction. Locals are numbered after the
 * parameters; {@link Body.local} declares one more.
 */
export class Body {
  readonly code = new Bytes();
  private readonly localTypes: number[] = [];

  /** `params` i32 parameters; `results` i32 results (0 or 1) */
  constructor(
    readonly params: number,
    readonly results = 0,
  ) {}

  /** declares a local of type `type` and returns its index */
  local(type: number): number {
    this.localTypes.push(type);
    return this.params + this.localTypes.length - 1;
  }

  get(i: number): this {
    this.code.byte(0x20).uleb(i);
    return this;
  }

  set(i: number): this {
    this.code.byte(0x21).uleb(i);
    return this;
  }

  tee(i: number): this {
    this.code.byte(0x22).uleb(i);
    return this;
  }

  i32Const(n: number): this {
    this.code.byte(0x41).sleb(n);
    return this;
  }

  i32Add(): this {
    this.code.byte(0x6a);
    return this;
  }

  i32Sub(): this {
    this.code.byte(0x6b);
    return this;
  }

  /** an i32 instruction without immediates (see {@link I32Op}) */
  op(code: number): this {
    this.code.byte(code);
    return this;
  }

  /** i32.store8 with a static byte offset */
  i32Store8(offset = 0): this {
    this.code.byte(0x3a).byte(0).uleb(offset);
    return this;
  }

  /** `block` with no result; close with {@link Body.end} */
  block(): this {
    this.code.byte(0x02).byte(0x40);
    return this;
  }

  /** `if` with no result (pops the condition); close with {@link Body.end} */
  if(): this {
    this.code.byte(0x04).byte(0x40);
    return this;
  }

  /** br to the enclosing label `depth` (0 = innermost) */
  br(depth: number): this {
    this.code.byte(0x0c).uleb(depth);
    return this;
  }

  /** select: pops c, b, a and pushes c ≠ 0 ? a : b */
  select(): this {
    this.code.byte(0x1b);
    return this;
  }

  /** i32.load with a static byte offset (alignment hint 4) */
  i32Load(offset = 0): this {
    this.code.byte(0x28).byte(2).uleb(offset);
    return this;
  }

  /** i32.store with a static byte offset */
  i32Store(offset = 0): this {
    this.code.byte(0x36).byte(2).uleb(offset);
    return this;
  }

  /** `loop` with no result; close with {@link Body.end} */
  loop(): this {
    this.code.byte(0x03).byte(0x40);
    return this;
  }

  /** br_if to the enclosing label `depth` (0 = innermost) */
  brIf(depth: number): this {
    this.code.byte(0x0d).uleb(depth);
    return this;
  }

  end(): this {
    this.code.byte(0x0b);
    return this;
  }

  /** a SIMD instruction without immediates */
  simd(op: number): this {
    this.code.byte(0xfd).uleb(op);
    return this;
  }

  /** v128.load / v128.store with a static offset (alignment hint 16 bytes) */
  v128Load(offset = 0): this {
    this.code.byte(0xfd).uleb(Simd.load).byte(4).uleb(offset);
    return this;
  }

  v128Store(offset = 0): this {
    this.code.byte(0xfd).uleb(Simd.store).byte(4).uleb(offset);
    return this;
  }

  /** v128.const of four 32-bit lanes */
  v128Const(lanes: readonly [number, number, number, number]): this {
    this.code.byte(0xfd).uleb(Simd.const);
    for (const w of lanes) this.code.byte(w & 0xff).byte((w >>> 8) & 0xff).byte((w >>> 16) & 0xff).byte((w >>> 24) & 0xff);
    return this;
  }

  /** v128.const with the same 32-bit word in all four lanes */
  splatConst(word: number): this {
    return this.v128Const([word, word, word, word]);
  }

  /** i8x16.shuffle of the two vectors on the stack (byte indices 0–31) */
  shuffle(bytes: readonly number[]): this {
    if (bytes.length !== 16) throw new RangeError('a shuffle takes 16 byte indices');
    this.code.byte(0xfd).uleb(Simd.shuffle).bytes(bytes);
    return this;
  }

  i32x4ExtractLane(lane: number): this {
    this.code.byte(0xfd).uleb(Simd.i32x4ExtractLane).byte(lane);
    return this;
  }

  /** appends the encoded body (size, local declarations, code, `end`) to `out` */
  encodeTo(out: Bytes): void {
    const groups: [number, number][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const head = new Bytes().uleb(groups.length);
    for (const [n, t] of groups) head.uleb(n).byte(t);
    out.uleb(head.length + this.code.length + 1).bytes(head.view()).bytes(this.code.view()).byte(0x0b);
  }
}

/** One exported function of a module: its name and body (all parameters and results i32). */
export interface ExportedFunction {
  name: string;
  body: Body;
}

function section(out: Bytes, id: number, payload: Bytes): void {
  out.byte(id).uleb(payload.length).bytes(payload.view());
}

function name(out: Bytes, s: string): Bytes {
  const bytes = Buffer.from(s, 'utf8');
  return out.uleb(bytes.length).bytes(bytes);
}

/**
 * A module with one memory (`initialPages` of 64 KiB, exported as `memory`) and the given
 * functions, each exported under its name.
 */
export function encodeModule(functions: readonly ExportedFunction[], initialPages: number): Uint8Array {
  const types = new Bytes();
  const typeIndex = new Map<string, number>();
  const funcs = new Bytes().uleb(functions.length);
  for (const fn of functions) {
    const key = `${fn.body.params}:${fn.body.results}`;
    let t = typeIndex.get(key);
    if (t === undefined) {
      t = typeIndex.size;
      typeIndex.set(key, t);
      types.byte(0x60).uleb(fn.body.params);
      for (let i = 0; i < fn.body.params; i++) types.byte(I32);
      types.uleb(fn.body.results);
      for (let i = 0; i < fn.body.results; i++) types.byte(I32);
    }
    funcs.uleb(t);
  }
  const exports = new Bytes().uleb(functions.length + 1);
  functions.forEach((fn, i) => name(exports, fn.name).byte(0x00).uleb(i));
  name(exports, 'memory').byte(0x02).uleb(0);
  const code = new Bytes().uleb(functions.length);
  for (const fn of functions) fn.body.encodeTo(code);
  const module = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  section(module, 1, new Bytes().uleb(typeIndex.size).bytes(types.view()));
  section(module, 3, funcs);
  section(module, 5, new Bytes().byte(1).byte(0x00).uleb(initialPages));
  section(module, 7, exports);
  section(module, 10, code);
  return module.view().slice();
}
