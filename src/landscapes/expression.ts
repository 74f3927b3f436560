/**
 * `landscapes.expression`: your own function as a formula, compiled at run time to a SIMD wasm
 * module with exact derivatives (src/expression/: reverse-mode gradient, forward-over-reverse
 * Hessian-vector product), called by the engine through its function table like a built-in
 * kernel — in minimize, simulate (every optimiser, noise model and sampler), spectral, slices,
 * workers and shards, with the same bits in every runtime. The config is the string: JSON holds
 * it, and a worker, a shard or `fromJSON` compiles it again to the same bytes.
 */
import { Landscape } from './landscape.ts';
import { DescentError, invalid } from '../errors.ts';
import { MAX_DIM, options } from '../validate.ts';
import { parse, type Syntax } from '../expression/parse.ts';
import { isParameterName } from '../expression/graph.ts';
import { compileExpression } from '../expression/compile.ts';
import { register } from '../../bindings/linked.ts';

/** Config of {@link expression}. */
export interface ExpressionConfig {
  /**
   * The function of x, e.g. `(1-x)^2 + 100*(y-x^2)^2` or `sum(i, 0, d-2, 100*(x[i+1]-x[i]^2)^2 + (1-x[i])^2)`.
   * Numbers; `x` and `y` (d = 1 or 2) or `x[i]` (indices 0 … d−1); `d`; `pi`; parameters by name;
   * `+ − * / ^` (`^` right-associative, above unary minus: `-x^2` is −(x²)); exp log log1p expm1 sqrt sin
   * cos tan tanh sinh cosh atan abs erf, min(a, b, …), max(a, b, …); `sum(i, from, to, body)` and
   * `prod(i, from, to, body)` over integers from…to inclusive, with integer index arithmetic (+ − ×).
   */
  expr: string;
  /** Dimension. Default: 2 if `y` appears, else 1 + the largest constant index (1 for bare `x`); required with `d` or indices that vary. */
  dim?: number;
  /** Values of named parameters, e.g. `{ a: 1, b: 100 }` for `(a-x)^2 + b*(y-x^2)^2`. */
  params?: Readonly<Record<string, number>>;
}

/** The normalised config an expression landscape carries (`landscape.params`). */
export interface ExpressionParams {
  expr: string;
  dim: number;
  params: Readonly<Record<string, number>>;
}

/** The dimension `source` implies when `dim` is not given, or undefined when it does not fix one. */
function impliedDim(tree: Syntax): number | undefined {
  let y = false,
    fixed = true,
    top = 0;
  const visit = (s: Syntax): void => {
    if (s.k === 'name') {
      if (s.name === 'y') y = true;
      if (s.name === 'd') fixed = false;
    } else if (s.k === 'index') {
      if (s.index.k === 'num') top = Math.max(top, s.index.value);
      else fixed = false;
      visit(s.index);
    } else if (s.k === 'neg') visit(s.a);
    else if (s.k === 'bin') {
      visit(s.a);
      visit(s.b);
    } else if (s.k === 'call') s.args.forEach(visit);
  };
  visit(tree);
  if (y) return 2;
  return fixed && Number.isSafeInteger(top) ? top + 1 : undefined;
}

function parameters(value: unknown, path: string): Record<string, number> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw invalid('E_CONFIG', path, 'an object of numbers by name', value);
  const out: Record<string, number> = {};
  for (const name of Object.keys(value).sort()) {
    if (!isParameterName(name)) {
      throw invalid('E_CONFIG', `${path}.${name}`, 'a name of letters, digits and _ that is not x, y, d, pi or a function', name);
    }
    const v = (value as Record<string, unknown>)[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid('E_CONFIG', `${path}.${name}`, 'a finite number', v);
    out[name] = v;
  }
  return out;
}

/**
 * A landscape from a formula, compiled to wasm with exact gradients and Hessian-vector products
 * (see {@link ExpressionConfig} for the language). Parse errors are DescentError `E_CONFIG` with
 * `position`, the offset in `expr`. Domain errors (log of a negative, 1/0) are NaN or ±Infinity in
 * the results, and a particle there diverges, as with any landscape.
 * @example
 * const f = descent.landscapes.expression({ expr: '(a-x)^2 + b*(y-x^2)^2', params: { a: 1, b: 100 } });
 * f.grad([0, 0]); // Float64Array [-2, 0]
 */
export function expression(config: ExpressionConfig): Landscape<'expression', ExpressionParams> {
  const c = options<ExpressionConfig>(config, 'expression', ['expr', 'dim', 'params']);
  if (config === undefined) throw invalid('E_CONFIG', 'expression', 'an object { expr, dim?, params? }', config);
  const expr = c.expr;
  if (typeof expr !== 'string') throw invalid('E_CONFIG', 'expression.expr', 'a formula (a string)', expr);
  const params = parameters(c.params, 'expression.params');
  let dim: number;
  if (c.dim === undefined) {
    const implied = impliedDim(parse(expr, 'expression.expr'));
    if (implied === undefined) {
      throw new DescentError(
        'E_CONFIG',
        'expression.dim is required: the formula uses d or indices that vary, which do not fix a dimension',
        {
          path: 'expression.dim',
          expected: 'an integer ≥ 1',
          actual: undefined,
        },
      );
    }
    dim = implied;
  } else {
    const v = c.dim;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_DIM)
      throw invalid('E_CONFIG', 'expression.dim', `an integer from 1 to ${MAX_DIM}`, v);
    dim = v;
  }
  const compiled = compileExpression(expr, dim, params, 'expression.expr');
  const key = `${dim}|${JSON.stringify(params)}|${expr}`;
  return new Landscape('expression', dim, { expr, dim, params }, (live) => {
    const link = register(live, key, compiled.bytes, compiled.imports);
    return { params: Float64Array.of(link.slot), links: [link] };
  });
}
