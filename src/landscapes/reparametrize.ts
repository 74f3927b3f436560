/**
 * Affine reparametrisation of a landscape, for coordinate-dependence studies (is a phenomenon a
 * property of f, or of the coordinates it is written in?): g(y) = f(Ay + b), with exact derivatives
 * by the chain rule (assembly/landscapes/reparametrize.ts):
 *
 *     ∇g(y) = Aᵀ∇f(Ay + b),    ∇²g(y)v = Aᵀ∇²f(Ay + b)Av.
 */
import { Landscape, type LandscapeJSON } from './landscape.ts';
import { invalid } from '../errors.ts';
import { matrix, options, vector } from '../validate.ts';

/** Config of {@link reparametrize}. */
export interface ReparametrizeConfig {
  /** The n×d matrix A (n = the landscape's dimension, d ≥ 1 the new one), as an array of n rows. */
  A: ArrayLike<ArrayLike<number>>;
  /** The offset b ∈ ℝⁿ. Default 0. */
  b?: ArrayLike<number>;
}

/** Normalised params of {@link reparametrize}. */
export interface ReparametrizeParams {
  landscape: LandscapeJSON;
  A: number[][];
  b: number[];
}

/**
 * Scratch doubles of the kernel beyond its child's: y, v (d each), x, ∇f or Hv, Av (n each), f.
 * MUST MATCH assembly/landscapes/reparametrize.ts reparametrizeScratch.
 */
const own = (d: number, n: number) => 2 * d + 3 * n + 1;

/**
 * g(y) = f(Ay + b): the landscape f (dimension n) seen through the affine map y ↦ Ay + b, A n×d,
 * so g has dimension d (d < n: f on an affine subspace; d = n and A invertible: a change of
 * coordinates, e.g. a rotation or a rescaling of one axis). Values, gradients Aᵀ∇f and
 * Hessian-vector products Aᵀ∇²f A v are exact wherever f's are.
 *
 * @example
 * const f = descent.landscapes.rosenbrock({ dim: 2 });
 * // Rosenbrock with its first axis stretched tenfold: g(y) = f(10 y₀, y₁).
 * const g = descent.landscapes.reparametrize(f, { A: [[10, 0], [0, 1]] });
 */
export function reparametrize(landscape: Landscape, config: ReparametrizeConfig): Landscape<'reparametrize', ReparametrizeParams> {
  if (!(landscape instanceof Landscape)) throw invalid('E_CONFIG', 'reparametrize.landscape', 'a landscape from landscapes.*', landscape);
  const c = options<ReparametrizeConfig>(config, 'reparametrize', ['A', 'b']);
  const n = landscape.dim;
  if (c.A === undefined) throw invalid('E_CONFIG', 'reparametrize.A', `an array of ${n} rows (the landscape's dimension)`, c.A);
  const { data: A, cols: d } = matrix(c.A, 'reparametrize.A', n);
  const b = c.b === undefined ? new Float64Array(n) : vector(c.b, 'reparametrize.b', n);
  const params: ReparametrizeParams = {
    landscape: landscape.toJSON(),
    A: Array.from({ length: n }, (_, i) => Array.from(A.subarray(i * d, (i + 1) * d))),
    b: Array.from(b),
  };
  return new Landscape('reparametrize', d, params, (live) => {
    const child = landscape.packed(live);
    const out = new Float64Array(2 + n * d + n + child.params.length);
    out[0] = child.id;
    out[1] = n;
    out.set(A, 2);
    out.set(b, 2 + n * d);
    out.set(child.params, 2 + n * d + n);
    return { params: out, scratch: own(d, n) + child.scratch };
  });
}
