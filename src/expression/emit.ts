/**
 * Programs (src/expression/program.ts) to a wasm module whose three exported functions have the
 * engine's batched landscape signatures (assembly/landscapes/dispatch.ts):
 *   value(p, d, n, x, sp, sc, w, out)   grad(p, d, n, x, sp, sc, g, w, out)   hvp(p, d, n, x, sp, sc, v, hv, w)
 * with point i's coordinate j at x + i·sp + j·sc bytes. When particles are adjacent (sp = 8, the
 * ensemble's structure-of-arrays blocks) two points go through one f64x2 pass; the rest, and
 * every other layout, one at a time. Both passes are the same program, operation for operation:
 * f64x2 arithmetic is lane-wise IEEE, and a function of the math library (exp, sin, …) is called
 * once per lane on the engine's own scalar export, so each lane's bits equal the scalar pass's.
 * The module imports the engine's memory and math; it is called through the engine's table.
 */
import { Bytes, F64, I32, OP, SIMD, V128, writeModule, type Func } from './wasm.ts';
import type { IntIR, Op, Program, Stmt } from './program.ts';

/** Math functions taken from the engine (its exports `math<Name>`), by the op that calls them. */
export const IMPORTED_UNARY = ['exp', 'log', 'log1p', 'expm1', 'sin', 'cos', 'tan', 'tanh', 'sinh', 'cosh', 'atan', 'erf'] as const;
const NATIVE_UNARY: Partial<Record<Op, [number, number]>> = {
  neg: [OP.f64Neg, SIMD.neg],
  abs: [OP.f64Abs, SIMD.abs],
  sqrt: [OP.f64Sqrt, SIMD.sqrt],
};
const NATIVE_BINARY: Partial<Record<Op, [number, number]>> = {
  add: [OP.f64Add, SIMD.add],
  sub: [OP.f64Sub, SIMD.sub],
  mul: [OP.f64Mul, SIMD.mul],
  div: [OP.f64Div, SIMD.div],
  min: [OP.f64Min, SIMD.min],
  max: [OP.f64Max, SIMD.max],
};

/** Engine export names of the math functions a module imports. */
export const mathExportName = (op: string): string => `math${op[0]!.toUpperCase()}${op.slice(1)}`;

type Kind = 'value' | 'grad' | 'hvp';
const PARAMS: Record<Kind, number> = { value: 8, grad: 9, hvp: 9 };

/** Which of a function's parameters hold what. */
const ARG = {
  value: { x: 3, sp: 4, sc: 5, out: 7, g: -1, v: -1, hv: -1 },
  grad: { x: 3, sp: 4, sc: 5, g: 6, out: 8, v: -1, hv: -1 },
  hvp: { x: 3, sp: 4, sc: 5, v: 6, hv: 7, out: -1, g: -1 },
} as const;

class FunctionWriter {
  readonly code = new Bytes();
  readonly i: number;
  readonly xb: number;
  readonly ob: number; // base of the vector output (g or hv)
  readonly vb: number;
  readonly j: number;
  readonly loopBase: number;
  readonly f64Base: number;
  readonly v128Base: number;
  readonly i32Count: number;
  /** i32 locals holding k·sc for the constant indices k > 0 the programs use (set once per call). */
  readonly offsets = new Map<number, number>();

  constructor(
    readonly kind: Kind,
    readonly programs: readonly Program[],
    readonly importIndex: ReadonlyMap<string, number>,
  ) {
    const p = PARAMS[kind];
    this.i = p;
    this.xb = p + 1;
    this.ob = p + 2;
    this.vb = p + 3;
    this.j = p + 4;
    this.loopBase = p + 5;
    const loops = Math.max(0, ...programs.map((q) => q.i32Locals));
    const regs = Math.max(0, ...programs.map((q) => q.f64Locals));
    const ks = new Set<number>();
    const visit = (stmts: readonly Stmt[]): void => {
      for (const st of stmts) {
        if (st.s === 'loop') visit(st.body);
        else if ((st.s === 'let' || st.s === 'store') && st.index?.k === 'c' && st.index.v > 0) ks.add(st.index.v);
      }
    };
    for (const q of programs) visit(q.stmts);
    let next = p + 5 + loops;
    for (const k of [...ks].sort((a, b) => a - b)) this.offsets.set(k, next++);
    this.i32Count = 5 + loops + ks.size;
    this.f64Base = p + this.i32Count;
    this.v128Base = this.f64Base + regs;
  }

  get func(): Omit<Func, 'type'> {
    const regs = this.v128Base - this.f64Base;
    return {
      locals: [
        { count: this.i32Count, type: I32 },
        { count: regs, type: F64 },
        { count: regs, type: V128 },
      ],
      body: this.code,
    };
  }

  op(...bytes: number[]): this {
    for (const b of bytes) this.code.byte(b);
    return this;
  }
  simd(op: number): this {
    this.code.byte(OP.simd).u32(op);
    return this;
  }
  get(l: number): this {
    this.code.byte(OP.localGet).u32(l);
    return this;
  }
  set(l: number): this {
    this.code.byte(OP.localSet).u32(l);
    return this;
  }
  i32c(v: number): this {
    this.code.byte(OP.i32Const).i32(v);
    return this;
  }

  int(e: IntIR): void {
    if (e.k === 'c') this.i32c(e.v);
    else if (e.k === 'l') this.get(this.loopBase + e.local);
    else {
      this.int(e.a);
      this.int(e.b);
      this.op(e.k === '+' ? OP.i32Add : e.k === '-' ? OP.i32Sub : OP.i32Mul);
    }
  }

  /** The prologue: k·sc into its local for each constant index k the body uses. */
  prologue(): void {
    for (const [k, local] of this.offsets) this.i32c(k).get(ARG[this.kind].sc).op(OP.i32Mul).set(local);
  }

  /** base + index·sc on the stack. */
  address(base: number, index: IntIR): void {
    this.get(base);
    if (index.k === 'c' && index.v === 0) return;
    const offset = index.k === 'c' ? this.offsets.get(index.v) : undefined;
    if (offset !== undefined) {
      this.get(offset).op(OP.i32Add);
      return;
    }
    this.int(index);
    this.get(ARG[this.kind].sc).op(OP.i32Mul, OP.i32Add);
  }

  load(pair: boolean): void {
    if (pair) this.simd(SIMD.load).code.u32(3).u32(0);
    else this.op(OP.f64Load).code.u32(3).u32(0);
  }
  store(pair: boolean): void {
    if (pair) this.simd(SIMD.store).code.u32(3).u32(0);
    else this.op(OP.f64Store).code.u32(3).u32(0);
  }

  reg(r: number, pair: boolean): number {
    return (pair ? this.v128Base : this.f64Base) + r;
  }

  callMath(name: string, args: readonly number[], pair: boolean): void {
    const f = this.importIndex.get(name)!;
    if (!pair) {
      for (const a of args) this.get(this.reg(a, false));
      this.op(OP.call).code.u32(f);
      return;
    }
    for (const lane of [0, 1]) {
      for (const a of args) this.get(this.reg(a, true)).simd(SIMD.extractLane).op(lane);
      this.op(OP.call).code.u32(f);
      if (lane === 0) this.simd(SIMD.splat);
      else this.simd(SIMD.replaceLane).op(1);
    }
  }

  statement(st: Stmt, pair: boolean): void {
    const A = ARG[this.kind];
    switch (st.s) {
      case 'let': {
        const { op, args } = st;
        if (op === 'const') {
          if (pair) this.simd(SIMD.const).code.f64(st.value).f64(st.value);
          else this.op(OP.f64Const).code.f64(st.value);
        } else if (op === 'loadX' || op === 'loadV') {
          this.address(op === 'loadX' ? this.xb : this.vb, st.index!);
          this.load(pair);
        } else if (op === 'int') {
          this.int(st.index!);
          this.op(OP.f64ConvertI32S);
          if (pair) this.simd(SIMD.splat);
        } else if (op === 'selLt') {
          for (const a of [args[2]!, args[3]!, args[0]!, args[1]!]) this.get(this.reg(a, pair));
          if (pair) this.simd(SIMD.lt).simd(SIMD.bitselect);
          else this.op(OP.f64Lt, OP.select);
        } else if (op === 'pow' || (IMPORTED_UNARY as readonly string[]).includes(op)) {
          this.callMath(op, args, pair);
        } else {
          const native = NATIVE_UNARY[op] ?? NATIVE_BINARY[op];
          if (!native) throw new Error(`cannot emit ${op}`);
          for (const a of args) this.get(this.reg(a, pair));
          if (pair) this.simd(native[1]);
          else this.op(native[0]);
        }
        this.set(this.reg(st.dst, pair));
        return;
      }
      case 'update': {
        const d = this.reg(st.dst, pair);
        this.get(d).get(this.reg(st.src, pair));
        if (pair) this.simd(st.op === 'add' ? SIMD.add : SIMD.mul);
        else this.op(st.op === 'add' ? OP.f64Add : OP.f64Mul);
        this.set(d);
        return;
      }
      case 'loop': {
        const v = this.loopBase + st.v;
        this.int(st.lo);
        this.set(v);
        this.op(OP.block, 0x40, OP.loop, 0x40);
        this.get(v);
        this.int(st.hi);
        this.op(OP.i32GtS, OP.brIf).code.u32(1);
        for (const s of st.body) this.statement(s, pair);
        this.get(v).i32c(1).op(OP.i32Add).set(v);
        this.op(OP.br).code.u32(0);
        this.op(OP.end, OP.end);
        return;
      }
      case 'store': {
        if (st.to === 'out') {
          // out + 8i: values are always one double per point, whatever the layout of x
          this.get(A.out).get(this.i).i32c(3).op(0x74 /* i32.shl */, OP.i32Add);
          this.get(this.reg(st.src, pair));
          this.store(pair);
          return;
        }
        this.address(this.ob, st.index);
        if (st.accumulate) {
          this.address(this.ob, st.index);
          this.load(pair);
        }
        this.get(this.reg(st.src, pair));
        if (st.accumulate) {
          if (pair) this.simd(SIMD.add);
          else this.op(OP.f64Add);
        }
        this.store(pair);
        return;
      }
    }
  }

  /** The loop over points: pairs when sp = 8, then one at a time. */
  points(program: Program): void {
    const A = ARG[this.kind];
    this.i32c(0).set(this.i);
    for (const pair of [true, false]) {
      const step = pair ? 2 : 1;
      if (pair) {
        this.get(A.sp).i32c(8).op(OP.i32Eq, OP.if, 0x40);
      }
      this.op(OP.block, 0x40, OP.loop, 0x40);
      this.get(this.i);
      if (pair) this.i32c(1).op(OP.i32Add);
      this.get(2 /* n */).op(OP.i32GeS, OP.brIf).code.u32(1);
      // bases of point i: x + i·sp (and the outputs and directions alike)
      const offset = (): void => {
        this.get(this.i).get(A.sp).op(OP.i32Mul, OP.i32Add);
      };
      this.get(A.x);
      offset();
      this.set(this.xb);
      const outArg = this.kind === 'grad' ? A.g : this.kind === 'hvp' ? A.hv : -1;
      if (outArg >= 0) {
        this.get(outArg);
        offset();
        this.set(this.ob);
      }
      if (this.kind === 'hvp') {
        this.get(A.v);
        offset();
        this.set(this.vb);
      }
      if (program.zeroFill) {
        this.i32c(0).set(this.j);
        this.op(OP.block, 0x40, OP.loop, 0x40);
        this.get(this.j).i32c(program.dim).op(OP.i32GeS, OP.brIf).code.u32(1);
        this.get(this.ob).get(this.j).get(A.sc).op(OP.i32Mul, OP.i32Add);
        if (pair) this.simd(SIMD.const).code.f64(0).f64(0);
        else this.op(OP.f64Const).code.f64(0);
        this.store(pair);
        this.get(this.j).i32c(1).op(OP.i32Add).set(this.j);
        this.op(OP.br).code.u32(0);
        this.op(OP.end, OP.end);
      }
      for (const st of program.stmts) this.statement(st, pair);
      this.get(this.i).i32c(step).op(OP.i32Add).set(this.i);
      this.op(OP.br).code.u32(0);
      this.op(OP.end, OP.end);
      if (pair) this.op(OP.end);
    }
  }
}

/** The programs one expression compiles to. */
export interface Programs {
  readonly value: Program;
  readonly grad: Program;
  readonly gradValue: Program;
  readonly hvp: Program;
}

function usedMath(programs: readonly Program[]): string[] {
  const used = new Set<string>();
  const visit = (stmts: readonly Stmt[]): void => {
    for (const st of stmts) {
      if (st.s === 'loop') visit(st.body);
      else if (st.s === 'let' && (st.op === 'pow' || (IMPORTED_UNARY as readonly string[]).includes(st.op))) used.add(st.op);
    }
  };
  for (const p of programs) visit(p.stmts);
  return [...used].sort();
}

/** The module's bytes, and the engine exports it imports (besides memory). */
export function emitModule(p: Programs): { bytes: Uint8Array; imports: string[] } {
  const math = usedMath([p.value, p.grad, p.gradValue, p.hvp]);
  const importIndex = new Map(math.map((m, k) => [m, k]));
  const types = [
    { params: Array(8).fill(I32), results: [] },
    { params: Array(9).fill(I32), results: [] },
    { params: [F64], results: [F64] },
    { params: [F64, F64], results: [F64] },
  ];
  const imports = math.map((m) => ({ name: mathExportName(m), type: m === 'pow' ? 3 : 2 }));

  const value = new FunctionWriter('value', [p.value], importIndex);
  value.prologue();
  value.points(p.value);

  const grad = new FunctionWriter('grad', [p.grad, p.gradValue], importIndex);
  grad.prologue();
  grad.get(ARG.grad.out).op(OP.i32Eqz, OP.if, 0x40);
  grad.points(p.grad);
  grad.op(OP.else);
  grad.points(p.gradValue);
  grad.op(OP.end);

  const hvp = new FunctionWriter('hvp', [p.hvp], importIndex);
  hvp.prologue();
  hvp.points(p.hvp);

  const funcs: Func[] = [
    { type: 0, ...value.func },
    { type: 1, ...grad.func },
    { type: 1, ...hvp.func },
  ];
  const first = math.length;
  const bytes = writeModule(types, imports, funcs, [
    { name: 'value', func: first },
    { name: 'grad', func: first + 1 },
    { name: 'hvp', func: first + 2 },
  ]);
  return { bytes, imports: imports.map((i) => i.name) };
}
