/**
 * Forward mode over a gradient program: the Hessian-vector product ∇²f(x)·v as the directional
 * derivative of the reverse-mode gradient program along v ("forward-over-reverse", Griewank &
 * Walther 2008, §5.4; Pearlmutter 1994). Every register r gets a tangent ṙ = Dr[v]: a loaded
 * coordinate x_j has ẋ_j = v_j, each operation's tangent follows from its partial derivatives,
 * and the gradient's stores become stores of their tangents into hv. Structural zeros (constants,
 * v-independent values) are tracked and never computed.
 */
import { ZERO, eliminateDeadCode, type Op, type Program, type Stmt } from './program.ts';
import { powChain, unaryChain, type Emitter } from './derivatives.ts';

/** The HVP program of gradient program `p` (its value store dropped, its ∇f stores turned into H·v stores). */
export function tangentProgram(p: Program): Program {
  let next = p.f64Locals;
  const tangent = new Map<number, number>();
  const accumulators = new Set<number>();
  const constantOf = new Map<number, number>();
  const negationOf = new Map<number, number>();
  const scan = (stmts: readonly Stmt[]): void => {
    for (const st of stmts) {
      if (st.s === 'update') accumulators.add(st.dst);
      else if (st.s === 'loop') scan(st.body);
      else if (st.s === 'let' && st.op === 'const') constantOf.set(st.dst, st.value);
    }
  };
  scan(p.stmts);
  for (const r of accumulators) constantOf.delete(r);

  const header: Stmt[] = [];
  const consts = new Map<number, number>();
  const constant = (v: number): number => {
    let r = consts.get(v);
    if (r === undefined) {
      r = next++;
      consts.set(v, r);
      constantOf.set(r, v);
      header.push({ s: 'let', dst: r, op: 'const', args: [], value: v });
    }
    return r;
  };

  function transform(stmts: readonly Stmt[]): Stmt[] {
    const out: Stmt[] = [];
    const emit = (op: Op, args: number[]): number => {
      const dst = next++;
      out.push({ s: 'let', dst, op, args, value: NaN });
      if (op === 'neg') negationOf.set(dst, args[0]!);
      return dst;
    };
    const t = (r: number): number => tangent.get(r) ?? ZERO;
    // Structural zeros vanish; IEEE identities (a + (−c) = a − c, a·1 = a, −(−a) = a) fold, bit for bit.
    const neg = (a: number): number => (a === ZERO ? ZERO : (negationOf.get(a) ?? emit('neg', [a])));
    const add = (a: number, b: number): number => {
      if (a === ZERO) return b;
      if (b === ZERO) return a;
      const nb = negationOf.get(b),
        na = negationOf.get(a);
      return nb !== undefined ? emit('sub', [a, nb]) : na !== undefined ? emit('sub', [b, na]) : emit('add', [a, b]);
    };
    const mul = (a: number, b: number): number => {
      if (a === ZERO || b === ZERO) return ZERO;
      if (constantOf.get(a) === 1) return b;
      if (constantOf.get(b) === 1) return a;
      return emit('mul', [a, b]);
    };
    const real = (a: number): number => (a === ZERO ? constant(0) : a);
    const e: Emitter = { op: emit, constant, mul, neg };

    /** Tangent of `dst = op(args)`. */
    function rule(op: Op, args: readonly number[], dst: number): number {
      const [a = 0, b = 0] = args;
      const ta = args.length > 0 ? t(a) : ZERO,
        tb = args.length > 1 ? t(b) : ZERO;
      switch (op) {
        case 'const':
        case 'int':
        case 'loadV':
          return ZERO;
        case 'loadX':
          return ZERO; // handled by the caller (needs the index)
        case 'neg':
          return neg(ta);
        case 'add':
          return add(ta, tb);
        case 'sub':
          return tb === ZERO ? ta : ta === ZERO ? neg(tb) : emit('sub', [ta, tb]);
        case 'mul':
          return add(mul(ta, b), mul(a, tb));
        case 'div': {
          // (ȧ − (a/b)·ḃ)/b
          const num = tb === ZERO ? ta : ta === ZERO ? neg(mul(dst, tb)) : emit('sub', [ta, mul(dst, tb)]);
          return num === ZERO ? ZERO : emit('div', [num, b]);
        }
        case 'min':
          return ta === ZERO && tb === ZERO ? ZERO : emit('selLt', [a, b, real(ta), real(tb)]);
        case 'max':
          return ta === ZERO && tb === ZERO ? ZERO : emit('selLt', [b, a, real(ta), real(tb)]);
        case 'pow': {
          const da =
            ta === ZERO
              ? ZERO
              : powChain(
                  0,
                  ta,
                  () => a,
                  () => b,
                  () => dst,
                  e,
                );
          const db =
            tb === ZERO
              ? ZERO
              : powChain(
                  1,
                  tb,
                  () => a,
                  () => b,
                  () => dst,
                  e,
                );
          return add(da, db);
        }
        case 'selLt': {
          const tp = t(args[2]!),
            tq = t(args[3]!);
          return tp === ZERO && tq === ZERO ? ZERO : emit('selLt', [a, b, real(tp), real(tq)]);
        }
        default:
          return ta === ZERO
            ? ZERO
            : unaryChain(
                op,
                ta,
                () => a,
                () => dst,
                e,
              );
      }
    }

    for (const st of stmts) {
      if (st.s === 'let') {
        out.push(st);
        if (accumulators.has(st.dst)) {
          const acc = next++;
          out.push({ s: 'let', dst: acc, op: 'const', args: [], value: 0 });
          tangent.set(st.dst, acc);
        } else if (st.op === 'loadX') {
          const r = next++;
          out.push({ s: 'let', dst: r, op: 'loadV', args: [], value: NaN, index: st.index });
          tangent.set(st.dst, r);
        } else {
          const r = rule(st.op, st.args, st.dst);
          if (r !== ZERO) tangent.set(st.dst, r);
        }
      } else if (st.s === 'update') {
        const td = tangent.get(st.dst)!,
          ts = t(st.src);
        if (st.op === 'add') {
          if (ts !== ZERO) out.push({ s: 'update', dst: td, op: 'add', src: ts });
        } else {
          // d(acc·s) = ȧcc·s + acc·ṡ, with acc's value before this update
          const cross = mul(st.dst, ts);
          out.push({ s: 'update', dst: td, op: 'mul', src: st.src });
          if (cross !== ZERO) out.push({ s: 'update', dst: td, op: 'add', src: cross });
        }
        out.push(st);
      } else if (st.s === 'loop') {
        out.push({ ...st, body: transform(st.body) });
      } else if (st.to === 'g') {
        const ts = t(st.src);
        if (ts !== ZERO || !st.accumulate) out.push({ s: 'store', to: 'hv', index: st.index, src: real(ts), accumulate: st.accumulate });
      }
    }
    return out;
  }

  const body = transform(p.stmts);
  const program: Program = {
    stmts: [...header, ...body],
    f64Locals: next,
    i32Locals: p.i32Locals,
    zeroFill: p.zeroFill === 'g' ? 'hv' : undefined,
    dim: p.dim,
  };
  return eliminateDeadCode(program);
}
