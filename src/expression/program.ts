/**
 * The expression graph as straight-line programs with loops — the value, the gradient by reverse
 * mode, and (src/expression/tangent.ts) the Hessian-vector product by forward mode over the
 * gradient program — in a small register IR that src/expression/emit.ts turns into wasm.
 *
 * Reverse mode (Griewank & Walther, *Evaluating Derivatives*, 2008, ch. 3): the forward sweep
 * computes every node once (value numbering shares equal operations; a node is computed in the
 * outermost loop it does not depend on). The reverse sweep visits nodes in reverse topological
 * order with their adjoints ā complete and adds ā·∂node/∂argument to each argument's adjoint.
 * A sum's body is swept in a second loop over its index that recomputes the body and propagates
 * the sum's adjoint through it; adjoints of nodes outside the loop accumulate across iterations.
 * A product P = Π tᵢ gives tᵢ the adjoint ā·Π_{j<i} tⱼ·Π_{j>i} tⱼ, the prefix kept as the loop runs
 * and the suffix recomputed (O(n²) body evaluations for a product over n terms; no divisions, so
 * a zero factor is handled exactly).
 */
import type { Binder, Graph, IntExpr, Node, UnaryOp } from './graph.ts';
import { powChain, unaryChain, type Emitter } from './derivatives.ts';

/** Integer arithmetic on constants and i32 loop variables. */
export type IntIR =
  | { readonly k: 'c'; readonly v: number }
  | { readonly k: 'l'; readonly local: number }
  | {
      readonly k: '+' | '-' | '*';
      readonly a: IntIR;
      readonly b: IntIR;
    };

/** Operations on f64 registers. `selLt`: args a, b, p, q → a < b ? p : q. */
export type Op = 'const' | 'loadX' | 'loadV' | 'int' | 'neg' | 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max' | 'pow' | 'selLt' | UnaryOp;

export type Stmt =
  | {
      readonly s: 'let';
      readonly dst: number;
      readonly op: Op;
      readonly args: readonly number[];
      readonly value: number;
      readonly index?: IntIR;
    }
  | { readonly s: 'update'; readonly dst: number; readonly op: 'add' | 'mul'; readonly src: number }
  | { readonly s: 'loop'; readonly v: number; readonly lo: IntIR; readonly hi: IntIR; readonly body: Stmt[] }
  | { readonly s: 'store'; readonly to: 'g' | 'hv' | 'out'; readonly index: IntIR; readonly src: number; accumulate: boolean };

/** A program: its statements, register counts, and whether an output array is zeroed first (stores then accumulate). */
export interface Program {
  stmts: Stmt[];
  f64Locals: number;
  i32Locals: number;
  zeroFill: 'g' | 'hv' | undefined;
  readonly dim: number;
}

/** The sentinel for a structural zero (a derivative known to vanish): never materialised unless needed. */
export const ZERO = -1;

/** One loop level (or the function body) of the program being built, with its value-numbering tables. */
class Scope {
  readonly stmts: Stmt[] = [];
  readonly values = new Map<Node, number>();
  readonly lets = new Map<string, number>();
  readonly adjoints = new Map<Node, { ssa: number[]; acc: number | undefined }>();
  constructor(
    readonly parent: Scope | undefined,
    readonly binder: Binder | undefined,
    readonly loopVar: number,
  ) {}
}

/** Register allocation and statement emission with value numbering. */
export class Builder {
  f64 = 0;
  i32 = 0;
  /** Registers known to hold a constant, and registers holding −r (for folding: x·1 = x, a + (−c) = a − c, exactly). */
  readonly constants = new Map<number, number>();
  readonly negations = new Map<number, number>();
  constructor(readonly dim: number) {}

  fresh(): number {
    return this.f64++;
  }

  /** `dst = op(args)` in `scope`, or an equal earlier one visible from it. */
  emit(scope: Scope, op: Op, args: readonly number[], value = NaN, index?: IntIR): number {
    const key = `${op}|${args.join(',')}|${Object.is(value, -0) ? '-0' : value}|${index ? intIRKey(index) : ''}`;
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const known = s.lets.get(key);
      if (known !== undefined) return known;
    }
    const dst = this.fresh();
    scope.stmts.push({ s: 'let', dst, op, args, value, index });
    scope.lets.set(key, dst);
    if (op === 'const') this.constants.set(dst, value);
    if (op === 'neg') this.negations.set(dst, args[0]!);
    return dst;
  }

  /** A constant, hoisted to the outermost scope. */
  constant(scope: Scope, value: number): number {
    let root = scope;
    while (root.parent) root = root.parent;
    return this.emit(root, 'const', [], value);
  }

  /** A mutable accumulator starting at `init` (never shared by value numbering). */
  accumulator(scope: Scope, init: number): number {
    const dst = this.fresh();
    scope.stmts.push({ s: 'let', dst, op: 'const', args: [], value: init });
    return dst;
  }

  // Arithmetic that folds structural zeros (ZERO) and ones.
  // IEEE identities only: a + (−c) = a − c, a·1 = a, a·(−1) = −a and −(−a) = a hold bit for bit.
  add(s: Scope, a: number, b: number): number {
    if (a === ZERO) return b;
    if (b === ZERO) return a;
    const nb = this.negations.get(b);
    if (nb !== undefined) return this.emit(s, 'sub', [a, nb]);
    const na = this.negations.get(a);
    if (na !== undefined) return this.emit(s, 'sub', [b, na]);
    return this.emit(s, 'add', [a, b]);
  }
  mul(s: Scope, a: number, b: number): number {
    if (a === ZERO || b === ZERO) return ZERO;
    if (this.constants.get(a) === 1) return b;
    if (this.constants.get(b) === 1) return a;
    if (this.constants.get(a) === -1) return this.neg(s, b);
    if (this.constants.get(b) === -1) return this.neg(s, a);
    return this.emit(s, 'mul', [a, b]);
  }
  neg(s: Scope, a: number): number {
    if (a === ZERO) return ZERO;
    const na = this.negations.get(a);
    return na !== undefined ? na : this.emit(s, 'neg', [a]);
  }
  /** A register holding `a`, materialising a structural zero as 0. */
  real(s: Scope, a: number): number {
    return a === ZERO ? this.constant(s, 0) : a;
  }
}

export const intIRKey = (e: IntIR): string =>
  e.k === 'c' ? String(e.v) : e.k === 'l' ? `i${e.local}` : `(${intIRKey(e.a)}${e.k}${intIRKey(e.b)})`;

/** Nodes in an order where every node comes after everything it depends on, sum bodies included. */
function topological(root: Node): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  const stack: [Node, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, k] = top;
    if (k < node.args.length) {
      top[1]++;
      const a = node.args[k]!;
      if (!seen.has(a)) {
        seen.add(a);
        stack.push([a, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order;
}

/**
 * Build the program for `graph`: its value (stored to `out`) and, with `gradient`, ∇f (stored to
 * g). `withValue` false drops the value's store (and whatever only it needed, by dead-code removal).
 */
export function buildProgram(graph: Graph, gradient: boolean, withValue: boolean): Program {
  const b = new Builder(graph.dim);
  const root = new Scope(undefined, undefined, -1);
  const order = topological(graph.root);
  const byScope = new Map<Binder | undefined, Node[]>();
  for (const n of order) {
    const list = byScope.get(n.scope) ?? [];
    list.push(n);
    byScope.set(n.scope, list);
  }

  /** The instance of `binder`'s loop visible from `scope` (the function body for undefined). */
  const instance = (scope: Scope, binder: Binder | undefined): Scope => {
    let s = scope;
    while (s.binder !== binder) s = s.parent!;
    return s;
  };
  const intIR = (scope: Scope, e: IntExpr): IntIR =>
    e.k === 'c'
      ? e
      : e.k === 'b'
        ? { k: 'l', local: instance(scope, e.binder).loopVar }
        : { k: e.k, a: intIR(scope, e.a), b: intIR(scope, e.b) };

  function loop(parent: Scope, binder: Binder, lo: IntIR, body: (inner: Scope) => void): void {
    const inner = new Scope(parent, binder, b.i32++);
    body(inner);
    parent.stmts.push({ s: 'loop', v: inner.loopVar, lo, hi: intIR(parent, binder.hi), body: inner.stmts });
  }

  /** The register holding node `n`'s value, computing it (and what it needs) in its own scope. */
  function val(n: Node, from: Scope): number {
    const at = instance(from, n.scope);
    const known = at.values.get(n);
    if (known !== undefined) return known;
    let r: number;
    switch (n.op) {
      case 'const':
        r = b.constant(at, n.value);
        break;
      case 'x':
        r = b.emit(at, 'loadX', [], NaN, intIR(at, n.index!));
        break;
      case 'int':
        r = b.emit(at, 'int', [], NaN, intIR(at, n.index!));
        break;
      case 'sum':
      case 'prod': {
        const acc = b.accumulator(at, n.op === 'sum' ? 0 : 1);
        const binder = n.binder!;
        loop(at, binder, intIR(at, binder.lo), (inner) => {
          const t = val(n.args[0]!, inner);
          inner.stmts.push({ s: 'update', dst: acc, op: n.op === 'sum' ? 'add' : 'mul', src: t });
        });
        r = acc;
        break;
      }
      default:
        r = b.emit(
          at,
          n.op,
          n.args.map((a) => val(a, at)),
        );
    }
    at.values.set(n, r);
    return r;
  }

  const stores: { stmt: Extract<Stmt, { s: 'store' }>; inLoop: boolean; key: string }[] = [];
  function store(scope: Scope, to: 'g' | 'out', index: IntIR, src: number): void {
    const stmt = { s: 'store' as const, to, index, src, accumulate: false };
    scope.stmts.push(stmt);
    stores.push({ stmt, inLoop: scope.parent !== undefined, key: intIRKey(index) });
  }

  /** Add contribution `c` (a register of `from`) to the adjoint of `m`. */
  function contribute(m: Node, c: number, from: Scope): void {
    if (c === ZERO || m.op === 'const' || m.op === 'int') return;
    const at = instance(from, m.scope);
    let adj = at.adjoints.get(m);
    if (!adj) at.adjoints.set(m, (adj = { ssa: [], acc: undefined }));
    if (at === from) {
      adj.ssa.push(c);
      return;
    }
    if (adj.acc === undefined) adj.acc = b.accumulator(at, 0);
    from.stmts.push({ s: 'update', dst: adj.acc, op: 'add', src: c });
  }

  /** The chain rules' view of scope `s` (derivatives.ts): its value-numbered, folding emission. */
  const emitter = (s: Scope): Emitter => ({
    op: (op, args) => b.emit(s, op, args),
    constant: (v) => b.constant(s, v),
    mul: (x, y) => b.mul(s, x, y),
    neg: (x) => b.neg(s, x),
  });

  /** ā·∂n/∂(argument k), as a register of `s`. */
  function partial(n: Node, k: number, a: number, s: Scope): number {
    const arg = (i: number): number => val(n.args[i]!, s);
    const out = (): number => val(n, s);
    const c = (v: number): number => b.constant(s, v);
    switch (n.op) {
      case 'add':
        return a;
      case 'sub':
        return k === 0 ? a : b.neg(s, a);
      case 'neg':
        return b.neg(s, a);
      case 'mul':
        return b.mul(s, a, arg(1 - k));
      case 'div': {
        const t = b.emit(s, 'div', [a, arg(1)]);
        return k === 0 ? t : b.neg(s, b.mul(s, t, out()));
      }
      case 'min':
        // The argument that is smaller (b on a tie) takes the whole adjoint.
        return k === 0 ? b.emit(s, 'selLt', [arg(0), arg(1), a, c(0)]) : b.emit(s, 'selLt', [arg(0), arg(1), c(0), a]);
      case 'max':
        return k === 0 ? b.emit(s, 'selLt', [arg(1), arg(0), a, c(0)]) : b.emit(s, 'selLt', [arg(1), arg(0), c(0), a]);
      case 'pow':
        return powChain(
          k,
          a,
          () => arg(0),
          () => arg(1),
          out,
          emitter(s),
        );
      default:
        return unaryChain(n.op as UnaryOp, a, () => arg(0), out, emitter(s));
    }
  }

  /** The reverse sweep over the nodes computed in `scope`'s loop level. */
  function sweep(scope: Scope): void {
    const nodes = byScope.get(scope.binder) ?? [];
    for (let i = nodes.length - 1; i >= 0; i--) {
      const n = nodes[i]!;
      const adj = scope.adjoints.get(n);
      if (!adj) continue;
      let a = ZERO;
      for (const c of adj.ssa) a = b.add(scope, a, c);
      if (adj.acc !== undefined) a = b.add(scope, a, adj.acc);
      if (a === ZERO) continue;
      if (n.op === 'x') store(scope, 'g', intIR(scope, n.index!), a);
      else if (n.op === 'sum') {
        loop(scope, n.binder!, intIR(scope, n.binder!.lo), (inner) => {
          contribute(n.args[0]!, a, inner);
          sweep(inner);
        });
      } else if (n.op === 'prod') sweepProduct(n, a, scope);
      else for (let k = 0; k < n.args.length; k++) contribute(n.args[k]!, partial(n, k, a, scope), scope);
    }
  }

  function sweepProduct(n: Node, a: number, scope: Scope): void {
    const binder = n.binder!,
      body = n.args[0]!;
    const prefix = b.accumulator(scope, 1);
    loop(scope, binder, intIR(scope, binder.lo), (inner) => {
      const suffix = b.accumulator(inner, 1);
      const next: IntIR = { k: '+', a: { k: 'l', local: inner.loopVar }, b: { k: 'c', v: 1 } };
      loop(inner, binder, next, (rest) => rest.stmts.push({ s: 'update', dst: suffix, op: 'mul', src: val(body, rest) }));
      const t = val(body, inner);
      contribute(body, b.mul(inner, a, b.emit(inner, 'mul', [prefix, suffix])), inner);
      sweep(inner);
      inner.stmts.push({ s: 'update', dst: prefix, op: 'mul', src: t });
    });
  }

  const f = val(graph.root, root);
  if (withValue) store(root, 'out', { k: 'c', v: 0 }, f);
  let zeroFill: Program['zeroFill'];
  if (gradient) {
    root.adjoints.set(graph.root, { ssa: [b.constant(root, 1)], acc: undefined });
    sweep(root);
    const gs = stores.filter((x) => x.stmt.to === 'g');
    const keys = new Set(gs.map((x) => x.key));
    if (gs.some((x) => x.inLoop) || keys.size < gs.length) {
      // Some coordinate is written from a loop or twice: zero ∇f first, then every store adds.
      zeroFill = 'g';
      for (const x of gs) x.stmt.accumulate = true;
    } else {
      // Each coordinate written at most once: store it; coordinates f does not depend on get 0.
      for (let j = 0; j < graph.dim; j++) if (!keys.has(String(j))) store(root, 'g', { k: 'c', v: j }, b.constant(root, 0));
    }
  }
  const program: Program = { stmts: root.stmts, f64Locals: b.f64, i32Locals: b.i32, zeroFill, dim: graph.dim };
  return eliminateDeadCode(program);
}

/** Registers read by a statement (loop bodies excluded). */
function reads(st: Stmt): number[] {
  if (st.s === 'let') return st.args as number[];
  if (st.s === 'update') return [st.src, st.dst];
  if (st.s === 'store') return [st.src];
  return [];
}

/** Drop statements whose results no store needs (iterated to a fixed point: loops carry accumulators). */
export function eliminateDeadCode(p: Program): Program {
  const live = new Set<number>();
  let changed = true;
  const mark = (stmts: readonly Stmt[]): void => {
    for (const st of stmts) {
      if (st.s === 'loop') mark(st.body);
      else if (st.s === 'store' || live.has(st.dst)) {
        for (const r of reads(st)) {
          if (!live.has(r)) {
            live.add(r);
            changed = true;
          }
        }
      }
    }
  };
  while (changed) {
    changed = false;
    mark(p.stmts);
  }
  const keep = (stmts: readonly Stmt[]): Stmt[] => {
    const out: Stmt[] = [];
    for (const st of stmts) {
      if (st.s === 'loop') {
        const body = keep(st.body);
        if (body.length > 0) out.push({ ...st, body });
      } else if (st.s === 'store' || live.has(st.dst)) out.push(st);
    }
    return out;
  };
  return { ...p, stmts: keep(p.stmts) };
}
