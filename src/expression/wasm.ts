/**
 * A small writer of WebAssembly binary modules (the core spec's binary format, §5, and the
 * fixed-width SIMD proposal's opcodes): LEB128 integers, little-endian f64 constants, vectors and
 * sections. Just what the expression compiler emits: one memory import, function imports,
 * functions with i32/f64/v128 locals, and function exports.
 */

/** Growable byte buffer with the format's encodings. */
export class Bytes {
  #buf = new Uint8Array(256);
  length = 0;

  #room(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    const bigger = new Uint8Array(Math.max(this.#buf.length * 2, this.length + n));
    bigger.set(this.#buf.subarray(0, this.length));
    this.#buf = bigger;
  }
  byte(b: number): this {
    this.#room(1);
    this.#buf[this.length++] = b;
    return this;
  }
  raw(bytes: ArrayLike<number>): this {
    this.#room(bytes.length);
    this.#buf.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }
  /** Unsigned LEB128. */
  u32(v: number): this {
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }
  /** Signed LEB128 (32-bit). */
  i32(v: number): this {
    v |= 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return this.byte(b);
      this.byte(b | 0x80);
    }
  }
  /** IEEE 754 binary64, little-endian (the bit pattern of v, -0 and NaN payloads included). */
  f64(v: number): this {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v, true);
    return this.raw(new Uint8Array(view.buffer));
  }
  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    return this.u32(utf8.length).raw(utf8);
  }
  /** A vector: its length, then each element's bytes. */
  vec(items: readonly Bytes[]): this {
    this.u32(items.length);
    for (const it of items) this.raw(it.bytes());
    return this;
  }
  bytes(): Uint8Array {
    return this.#buf.subarray(0, this.length);
  }
}

export const I32 = 0x7f,
  F64 = 0x7c,
  V128 = 0x7b;

/** Opcodes used by the emitter (core §5.4; SIMD ops follow the 0xfd prefix). */
export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  call: 0x10,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32GtS: 0x4a,
  i32LeS: 0x4c,
  i32GeS: 0x4e,
  f64Lt: 0x63,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  f64Abs: 0x99,
  f64Neg: 0x9a,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64Min: 0xa4,
  f64Max: 0xa5,
  f64ConvertI32S: 0xb7,
  simd: 0xfd,
} as const;

export const SIMD = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  splat: 0x14,
  extractLane: 0x21,
  replaceLane: 0x22,
  lt: 0x49,
  bitselect: 0x52,
  abs: 0xec,
  neg: 0xed,
  sqrt: 0xef,
  add: 0xf0,
  sub: 0xf1,
  mul: 0xf2,
  div: 0xf3,
  min: 0xf4,
  max: 0xf5,
} as const;

/** A function type: parameter and result value types. */
export interface FuncType {
  readonly params: readonly number[];
  readonly results: readonly number[];
}

/** A defined function: its type index, its locals beyond the parameters (by type), and its body (without the final end). */
export interface Func {
  readonly type: number;
  readonly locals: readonly { count: number; type: number }[];
  readonly body: Bytes;
}

/** A module importing memory `env.memory` and functions `env.<name>`, defining and exporting functions. */
export function writeModule(
  types: readonly FuncType[],
  imports: readonly { name: string; type: number }[],
  funcs: readonly Func[],
  exports: readonly { name: string; func: number }[],
): Uint8Array {
  const out = new Bytes().raw([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, content: Bytes): void => {
    out.byte(id).u32(content.length).raw(content.bytes());
  };
  section(
    1,
    new Bytes().vec(types.map((t) => new Bytes().byte(0x60).u32(t.params.length).raw(t.params).u32(t.results.length).raw(t.results))),
  );
  const imp = [
    new Bytes().name('env').name('memory').byte(0x02).byte(0x00).u32(0),
    ...imports.map((i) => new Bytes().name('env').name(i.name).byte(0x00).u32(i.type)),
  ];
  section(2, new Bytes().vec(imp));
  section(3, new Bytes().vec(funcs.map((f) => new Bytes().u32(f.type))));
  section(7, new Bytes().vec(exports.map((e) => new Bytes().name(e.name).byte(0x00).u32(e.func))));
  section(
    10,
    new Bytes().vec(
      funcs.map((f) => {
        const body = new Bytes()
          .vec(f.locals.map((l) => new Bytes().u32(l.count).byte(l.type)))
          .raw(f.body.bytes())
          .byte(OP.end);
        return new Bytes().u32(body.length).raw(body.bytes());
      }),
    ),
  );
  return out.bytes().slice();
}
