/**
 * A minimal WebAssembly binary encoder: just what the hashing lanes need (one memory, functions of
 * i32 parameters, i32 and v128 locals, a loop, loads and stores, the integer and SIMD-128 opcodes
 * below). Written against the WebAssembly core specification 2.0, binary format (§5) and the
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

/** Unsigned LEB128. */
export function uleb(n: number, out: number[] = []): number[] {
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number, out: number[] = []): number[] {
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

/**
 * The body of one function, built instruction by instruction. Locals are numbered after the
 * parameters; {@link local} declares one more.
 */
export class Body {
  readonly code: number[] = [];
  private readonly localTypes: number[] = [];

  constructor(readonly params: number) {}

  /** declares a local of type `type` and returns its index */
  local(type: number): number {
    this.localTypes.push(type);
    return this.params + this.localTypes.length - 1;
  }

  get(i: number): this {
    this.code.push(0x20, ...uleb(i));
    return this;
  }

  set(i: number): this {
    this.code.push(0x21, ...uleb(i));
    return this;
  }

  tee(i: number): this {
    this.code.push(0x22, ...uleb(i));
    return this;
  }

  i32Const(n: number): this {
    this.code.push(0x41, ...sleb(n));
    return this;
  }

  i32Add(): this {
    this.code.push(0x6a);
    return this;
  }

  i32Sub(): this {
    this.code.push(0x6b);
    return this;
  }

  /** i32.load with a static byte offset (alignment hint 4) */
  i32Load(offset = 0): this {
    this.code.push(0x28, 2, ...uleb(offset));
    return this;
  }

  /** i32.store with a static byte offset */
  i32Store(offset = 0): this {
    this.code.push(0x36, 2, ...uleb(offset));
    return this;
  }

  /** `loop` with no result; close with {@link end} */
  loop(): this {
    this.code.push(0x03, 0x40);
    return this;
  }

  /** br_if to the enclosing label `depth` (0 = innermost) */
  brIf(depth: number): this {
    this.code.push(0x0d, ...uleb(depth));
    return this;
  }

  end(): this {
    this.code.push(0x0b);
    return this;
  }

  /** a SIMD instruction without immediates */
  simd(op: number): this {
    this.code.push(0xfd, ...uleb(op));
    return this;
  }

  /** v128.load / v128.store with a static offset (alignment hint 16 bytes) */
  v128Load(offset = 0): this {
    this.code.push(0xfd, ...uleb(Simd.load), 4, ...uleb(offset));
    return this;
  }

  v128Store(offset = 0): this {
    this.code.push(0xfd, ...uleb(Simd.store), 4, ...uleb(offset));
    return this;
  }

  /** v128.const of four 32-bit lanes */
  v128Const(lanes: readonly [number, number, number, number]): this {
    this.code.push(0xfd, ...uleb(Simd.const));
    for (const w of lanes) this.code.push(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff);
    return this;
  }

  /** v128.const with the same 32-bit word in all four lanes */
  splatConst(word: number): this {
    return this.v128Const([word, word, word, word]);
  }

  /** i8x16.shuffle of the two vectors on the stack (byte indices 0–31) */
  shuffle(bytes: readonly number[]): this {
    if (bytes.length !== 16) throw new RangeError('a shuffle takes 16 byte indices');
    this.code.push(0xfd, ...uleb(Simd.shuffle), ...bytes);
    return this;
  }

  i32x4ExtractLane(lane: number): this {
    this.code.push(0xfd, ...uleb(Simd.i32x4ExtractLane), lane);
    return this;
  }

  /** the encoded body: local declarations, code, `end` */
  encode(): number[] {
    const groups: [number, number][] = [];
    for (const t of this.localTypes) {
      const last = groups[groups.length - 1];
      if (last && last[1] === t) last[0]++;
      else groups.push([1, t]);
    }
    const bytes = uleb(groups.length);
    for (const [n, t] of groups) bytes.push(...uleb(n), t);
    append(bytes, this.code);
    bytes.push(0x0b);
    return append(uleb(bytes.length), bytes);
  }
}

/** One exported function of a module: its name and body (all parameters i32, no results). */
export interface ExportedFunction {
  name: string;
  body: Body;
}

/** appends `src` to `dst` without spreading (bodies are too long for spread arguments) */
function append(dst: number[], src: readonly number[]): number[] {
  for (let i = 0; i < src.length; i++) dst.push(src[i]);
  return dst;
}

function section(id: number, payload: number[]): number[] {
  return append([id, ...uleb(payload.length)], payload);
}

function name(s: string): number[] {
  const bytes = [...Buffer.from(s, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

/**
 * A module with one memory (`initialPages` of 64 KiB, exported as `memory`) and the given
 * functions, each exported under its name.
 */
export function encodeModule(functions: readonly ExportedFunction[], initialPages: number): Uint8Array {
  const types: number[] = [];
  const typeIndex = new Map<number, number>();
  const funcTypes: number[] = [];
  for (const fn of functions) {
    let t = typeIndex.get(fn.body.params);
    if (t === undefined) {
      t = typeIndex.size;
      typeIndex.set(fn.body.params, t);
      types.push(0x60, ...uleb(fn.body.params), ...new Array<number>(fn.body.params).fill(I32), 0);
    }
    funcTypes.push(t);
  }
  const exports: number[] = [...uleb(functions.length + 1)];
  functions.forEach((fn, i) => exports.push(...name(fn.name), 0x00, ...uleb(i)));
  exports.push(...name('memory'), 0x02, 0);
  const code: number[] = [...uleb(functions.length)];
  for (const fn of functions) append(code, fn.body.encode());
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  append(bytes, section(1, [...uleb(typeIndex.size), ...types]));
  append(bytes, section(3, [...uleb(functions.length), ...funcTypes]));
  append(bytes, section(5, [1, 0x00, ...uleb(initialPages)]));
  append(bytes, section(7, exports));
  append(bytes, section(10, code));
  return new Uint8Array(bytes);
}
