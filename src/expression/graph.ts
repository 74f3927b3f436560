/**
 * From syntax to a hash-consed expression graph: names resolved (x, y, x[i], d, pi, parameters,
 * sum and product indices), integer index arithmetic separated from real arithmetic, parameters
 * baked in as constants, constant arithmetic folded, and every index checked against 0…d−1 for
 * every value its sum indices take. Equal subexpressions are one node (common subexpressions are
 * computed once by the code generator).
 *
 * Folding happens only for + − × ÷ of two constants and negation, whose IEEE results JS and wasm
 * agree on bit for bit; a function of a constant (exp(1)) stays a node, computed in wasm
 * (determinism contract 2: every float of a result is computed in wasm).
 */
import { parse, syntaxError, type Syntax } from './parse.ts';

/** Real-valued functions of one argument the language offers (each compiled to the engine's wasm math). */
export const UNARY = ['exp', 'log', 'log1p', 'expm1', 'sqrt', 'sin', 'cos', 'tan', 'tanh', 'sinh', 'cosh', 'atan', 'abs', 'erf'] as const;
export type UnaryOp = (typeof UNARY)[number];

/** A sum or product index. `depth` is its nesting level (outermost 0). */
export interface Binder {
  readonly id: number;
  readonly name: string;
  readonly depth: number;
  /** Its range, lo…hi inclusive (integer expressions of outer indices and constants). */
  readonly lo: IntExpr;
  readonly hi: IntExpr;
}

/** Integer index arithmetic: constants, sum indices, + − ×. */
export type IntExpr =
  | { readonly k: 'c'; readonly v: number }
  | { readonly k: 'b'; readonly binder: Binder }
  | { readonly k: '+' | '-' | '*'; readonly a: IntExpr; readonly b: IntExpr };

export type NodeOp = 'const' | 'x' | 'int' | 'neg' | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'min' | 'max' | 'sum' | 'prod' | UnaryOp;

/** A node of the expression graph. */
export interface Node {
  readonly id: number;
  readonly op: NodeOp;
  readonly args: readonly Node[];
  /** `const`: its value. */
  readonly value: number;
  /** `x`: the coordinate index; `int`: the integer converted to a real. */
  readonly index: IntExpr | undefined;
  /** `sum` / `prod`: the index it binds (its range is on the binder). */
  readonly binder: Binder | undefined;
  /** The innermost sum/product index the node depends on, or undefined: where it is computed. */
  readonly scope: Binder | undefined;
  /** Every index the node depends on. */
  readonly free: ReadonlySet<Binder>;
}

/** The elaborated expression: its graph's root and the dimension it was built for. */
export interface Graph {
  readonly root: Node;
  readonly dim: number;
  /** Number of distinct nodes. */
  readonly size: number;
  /** Every sum/product index, outermost first. */
  readonly binders: readonly Binder[];
}

/** Bounds on the work one expression may ask for: nodes, and loop iterations per evaluation. */
export const MAX_NODES = 20_000;
export const MAX_ITERATIONS = 1 << 24;
/** Integer powers up to this are written as products (x^2 is x·x, as the built-in kernels write it). */
const MAX_EXPANDED_POWER = 16;

const RESERVED = new Set(['x', 'y', 'd', 'pi', 'sum', 'prod', 'min', 'max', ...UNARY]);

/** Whether `name` may name a parameter (an identifier that is not one of the language's own names). */
export function isParameterName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name);
}

export const intKey = (e: IntExpr): string =>
  e.k === 'c' ? String(e.v) : e.k === 'b' ? `#${e.binder.id}` : `(${intKey(e.a)}${e.k}${intKey(e.b)})`;

function intFree(e: IntExpr, into: Set<Binder>): void {
  if (e.k === 'b') into.add(e.binder);
  else if (e.k !== 'c') {
    intFree(e.a, into);
    intFree(e.b, into);
  }
}

/** Interval of an integer expression over every value its indices take. */
export function intRange(e: IntExpr): [number, number] {
  if (e.k === 'c') return [e.v, e.v];
  if (e.k === 'b') return [intRange(e.binder.lo)[0], intRange(e.binder.hi)[1]];
  const [a0, a1] = intRange(e.a),
    [b0, b1] = intRange(e.b);
  if (e.k === '+') return [a0 + b0, a1 + b1];
  if (e.k === '-') return [a0 - b1, a1 - b0];
  const p = [a0 * b0, a0 * b1, a1 * b0, a1 * b1];
  return [Math.min(...p), Math.max(...p)];
}

function intOp(k: '+' | '-' | '*', a: IntExpr, b: IntExpr): IntExpr {
  if (a.k === 'c' && b.k === 'c') return { k: 'c', v: k === '+' ? a.v + b.v : k === '-' ? a.v - b.v : a.v * b.v };
  if (k === '+' && b.k === 'c' && b.v === 0) return a;
  if (k === '-' && b.k === 'c' && b.v === 0) return a;
  return { k, a, b };
}

/** Elaborate `source` for dimension `dim` with parameter values `params`; `path` names the field in errors. */
export function elaborate(source: string, dim: number, params: Readonly<Record<string, number>>, path: string): Graph {
  const syntax = parse(source, path);
  const table = new Map<string, Node>();
  const binders: Binder[] = [];
  let nextId = 0;
  const fail = (pos: number, message: string): never => {
    throw syntaxError(source, path, pos, message);
  };

  function make(op: NodeOp, args: readonly Node[], extra: Partial<Pick<Node, 'value' | 'index' | 'binder'>> = {}): Node {
    const key =
      op === 'const'
        ? `c${Object.is(extra.value, -0) ? '-0' : String(extra.value)}`
        : `${op}(${args.map((a) => a.id).join(',')})${extra.index ? intKey(extra.index) : ''}${extra.binder ? `#${extra.binder.id}` : ''}`;
    const known = table.get(key);
    if (known) return known;
    if (table.size >= MAX_NODES) fail(0, `an expression of at most ${MAX_NODES} distinct subexpressions`);
    const free = new Set<Binder>();
    for (const a of args) for (const b of a.free) free.add(b);
    if (extra.index) intFree(extra.index, free);
    if (extra.binder) free.delete(extra.binder);
    let scope: Binder | undefined;
    for (const b of free) if (!scope || b.depth > scope.depth) scope = b;
    const node: Node = {
      id: nextId++,
      op,
      args,
      value: extra.value ?? NaN,
      index: extra.index,
      binder: extra.binder,
      scope,
      free,
    };
    table.set(key, node);
    return node;
  }
  const constant = (v: number): Node => make('const', [], { value: v });

  /** Arithmetic with constant folding (exact in IEEE: JS and wasm agree). */
  function arith(op: 'add' | 'sub' | 'mul' | 'div', a: Node, b: Node): Node {
    if (a.op === 'const' && b.op === 'const') {
      const x = a.value,
        y = b.value;
      return constant(op === 'add' ? x + y : op === 'sub' ? x - y : op === 'mul' ? x * y : x / y);
    }
    return make(op, [a, b]);
  }

  type Value = { int: IntExpr } | { node: Node };
  type Env = ReadonlyMap<string, Binder>;

  const asNode = (v: Value): Node => ('node' in v ? v.node : v.int.k === 'c' ? constant(v.int.v) : make('int', [], { index: v.int }));

  function asInt(s: Syntax, env: Env, what: string): IntExpr {
    const v = value(s, env);
    if ('int' in v) return v.int;
    return fail(s.pos, `${what} must be an integer expression (integers, d and sum indices with + − ×)`);
  }

  function coordinate(index: IntExpr, pos: number): Node {
    const [lo, hi] = intRange(index);
    if (lo < 0 || hi > dim - 1) {
      const range = lo === hi ? `is ${lo}` : `ranges over ${lo}…${hi}`;
      fail(pos, `an index in 0…${dim - 1} (d = ${dim}); this one ${range}`);
    }
    return make('x', [], { index });
  }

  function name(s: Extract<Syntax, { k: 'name' }>, env: Env): Value {
    const bound = env.get(s.name);
    if (bound) return { int: { k: 'b', binder: bound } };
    if (s.name === 'd') return { int: { k: 'c', v: dim } };
    if (s.name === 'pi') return { node: constant(Math.PI) };
    if (s.name === 'x') {
      if (dim > 2) fail(s.pos, `x[0] … x[${dim - 1}] (x alone is for d = 1 or 2)`);
      return { node: coordinate({ k: 'c', v: 0 }, s.pos) };
    }
    if (s.name === 'y') {
      if (dim !== 2) fail(s.pos, `y only for d = 2 (here d = ${dim}; write x[1])`);
      return { node: coordinate({ k: 'c', v: 1 }, s.pos) };
    }
    if (Object.hasOwn(params, s.name)) return { node: constant(params[s.name]!) };
    const names = ['x', ...(dim === 2 ? ['y'] : []), 'd', 'pi', ...Object.keys(params), ...env.keys()];
    return fail(s.pos, `a known name (${names.join(', ')}); '${s.name}' is not one`);
  }

  function power(a: Node, b: Value, pos: number): Node {
    if ('int' in b && b.int.k === 'c' && Math.abs(b.int.v) <= MAX_EXPANDED_POWER) {
      const n = Math.abs(b.int.v);
      if (n === 0) return constant(1);
      let p = a;
      for (let i = 1; i < n; i++) p = arith('mul', p, a);
      return b.int.v < 0 ? arith('div', constant(1), p) : p;
    }
    void pos;
    return make('pow', [a, asNode(b)]);
  }

  function call(s: Extract<Syntax, { k: 'call' }>, env: Env): Value {
    const { name: f, args } = s;
    if (f === 'sum' || f === 'prod') {
      if (args.length !== 4) fail(s.pos, `${f}(index, from, to, body): 4 arguments`);
      const id = args[0]!;
      if (id.k !== 'name') return fail(id.pos, `an index name as the first argument of ${f}`);
      if (RESERVED.has(id.name) || Object.hasOwn(params, id.name) || env.has(id.name)) {
        fail(id.pos, `a new index name ('${id.name}' is already a name here)`);
      }
      const lo = asInt(args[1]!, env, `the lower bound of ${f}`);
      const hi = asInt(args[2]!, env, `the upper bound of ${f}`);
      const binder: Binder = { id: binders.length, name: id.name, depth: env.size, lo, hi };
      binders.push(binder);
      const [lo0] = intRange(lo),
        [, hi1] = intRange(hi);
      const inner = new Map(env).set(id.name, binder);
      let trips = Math.max(0, hi1 - lo0 + 1);
      for (const b of env.values()) trips *= Math.max(1, intRange(b.hi)[1] - intRange(b.lo)[0] + 1);
      if (trips > MAX_ITERATIONS) fail(s.pos, `sums and products of at most ${MAX_ITERATIONS} iterations per evaluation`);
      const body = asNode(value(args[3]!, inner));
      if (lo.k === 'c' && hi.k === 'c' && lo.v > hi.v) return { node: constant(f === 'sum' ? 0 : 1) };
      return { node: make(f, [body], { binder }) };
    }
    if (f === 'min' || f === 'max') {
      if (args.length < 2) fail(s.pos, `${f}(a, b, …): at least 2 arguments`);
      let m = asNode(value(args[0]!, env));
      for (const a of args.slice(1)) m = make(f, [m, asNode(value(a, env))]);
      return { node: m };
    }
    if ((UNARY as readonly string[]).includes(f)) {
      if (args.length !== 1) fail(s.pos, `${f}(a): 1 argument`);
      return { node: make(f as UnaryOp, [asNode(value(args[0]!, env))]) };
    }
    const known = [...UNARY, 'min', 'max', 'sum', 'prod'].join(', ');
    return fail(s.pos, `a known function (${known}); '${f}' is not one`);
  }

  function value(s: Syntax, env: Env): Value {
    switch (s.k) {
      case 'num':
        return Number.isSafeInteger(s.value) ? { int: { k: 'c', v: s.value } } : { node: constant(s.value) };
      case 'name':
        return name(s, env);
      case 'index': {
        if (s.name !== 'x') fail(s.pos, `an index only on x ('${s.name}' is not indexable)`);
        return { node: coordinate(asInt(s.index, env, 'an index of x'), s.pos) };
      }
      case 'neg': {
        const a = value(s.a, env);
        if ('int' in a) return { int: intOp('-', { k: 'c', v: 0 }, a.int) };
        return { node: a.node.op === 'const' ? constant(-a.node.value) : make('neg', [a.node]) };
      }
      case 'bin': {
        const a = value(s.a, env),
          b = value(s.b, env);
        if (s.op === '^') return { node: power(asNode(a), b, s.pos) };
        if ('int' in a && 'int' in b && s.op !== '/') {
          const r = intOp(s.op, a.int, b.int);
          if (r.k === 'c' && !Number.isSafeInteger(r.v)) return { node: constant(r.v) };
          return { int: r };
        }
        const op = s.op === '+' ? 'add' : s.op === '-' ? 'sub' : s.op === '*' ? 'mul' : 'div';
        return { node: arith(op, asNode(a), asNode(b)) };
      }
      case 'call':
        return call(s, env);
    }
  }

  const root = asNode(value(syntax, new Map()));
  return { root, dim, size: table.size, binders };
}
