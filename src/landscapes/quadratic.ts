/**
 * Quadratic landscapes: given a symmetric matrix, or given a spectrum and a seeded random
 * rotation (docs/landscapes.md, `quadratic`).
 */
import { Landscape } from './landscape.ts';
import { DescentError } from '../errors.ts';
import { finite, matrix, options, seed as seedOf, symmetrize, vector } from '../validate.ts';

/** Explicit form: f(x) = ½ xᵀAx + bᵀx + c. */
export interface QuadraticMatrixConfig {
  /** Symmetric d×d matrix, as an array of rows. Symmetric to rounding is accepted and made exact. */
  A: ArrayLike<ArrayLike<number>>;
  /** Linear term (length d). Default 0. */
  b?: ArrayLike<number>;
  /** Constant. Default 0. */
  c?: number;
}

/** Spectral form: f(x) = ½ (x − m)ᵀ Q diag(λ) Qᵀ (x − m), Q Haar-random from `seed`. */
export interface QuadraticSpectrumConfig {
  /** Eigenvalues λ (length d); any signs: positive definite, indefinite, singular. */
  eigenvalues: ArrayLike<number>;
  /** Seed of the rotation Q (integer ≥ 0). */
  seed: number;
  /** Centre m (length d). Default 0. */
  center?: ArrayLike<number>;
}

/** Config of {@link quadratic}: a matrix, or a spectrum with a seed. */
export type QuadraticConfig = QuadraticMatrixConfig | QuadraticSpectrumConfig;

/** Normalised params of a quadratic (arrays as plain numbers). */
export type QuadraticParams = { A: number[][]; b: number[]; c: number } | { eigenvalues: number[]; seed: number; center: number[] };

/**
 * A quadratic: `quadratic({ A, b?, c? })` for ½ xᵀAx + bᵀx + c, or
 * `quadratic({ eigenvalues, seed, center? })` for a quadratic with that spectrum in a random
 * orientation, minimised (when λ > 0) at `center`. Hessian = A everywhere.
 */
export function quadratic(config: QuadraticConfig): Landscape<'quadratic', QuadraticParams> {
  const c = options<QuadraticMatrixConfig & QuadraticSpectrumConfig>(config, 'quadratic', ['A', 'b', 'c', 'eigenvalues', 'seed', 'center']);
  if (c.A !== undefined && c.eigenvalues !== undefined) {
    throw new DescentError('E_CONFIG', 'quadratic takes either A (with b, c) or eigenvalues (with seed, center), not both', {
      path: 'quadratic',
      expected: 'A or eigenvalues',
      actual: config,
    });
  }
  if (c.A === undefined && c.eigenvalues === undefined) {
    throw new DescentError('E_CONFIG', 'quadratic needs A (a symmetric matrix) or eigenvalues (with a seed)', {
      path: 'quadratic',
      expected: 'A or eigenvalues',
      actual: config,
    });
  }
  if (c.A !== undefined) {
    for (const key of ['seed', 'center'] as const) {
      if (c[key] !== undefined)
        throw new DescentError('E_CONFIG', `quadratic.${key} goes with eigenvalues, not with A`, {
          path: `quadratic.${key}`,
          actual: c[key],
        });
    }
    const { data: A, rows: d } = matrix(c.A, 'quadratic.A', undefined, undefined);
    if (A.length !== d * d)
      throw new DescentError('E_CONFIG', `quadratic.A must be square, got ${d} rows of ${A.length / d}`, {
        path: 'quadratic.A',
        expected: 'a square matrix',
        actual: c.A,
      });
    symmetrize(A, d, 'quadratic.A');
    const b = c.b === undefined ? new Float64Array(d) : vector(c.b, 'quadratic.b', d);
    const k = finite(c.c, 'quadratic.c', {}, 0);
    const rows = Array.from({ length: d }, (_, i) => Array.from(A.subarray(i * d, (i + 1) * d)));
    const packed = new Float64Array(d * d + d + 1);
    packed.set(A);
    packed.set(b, d * d);
    packed[d * d + d] = k;
    return new Landscape('quadratic', d, { A: rows, b: Array.from(b), c: k }, () => ({ params: packed }));
  }
  for (const key of ['b', 'c'] as const) {
    if (c[key] !== undefined)
      throw new DescentError('E_CONFIG', `quadratic.${key} goes with A, not with eigenvalues (use center)`, {
        path: `quadratic.${key}`,
        actual: c[key],
      });
  }
  const lambda = vector(c.eigenvalues, 'quadratic.eigenvalues');
  const d = lambda.length;
  if (d > 8192)
    throw new DescentError('E_CONFIG', `quadratic.eigenvalues has ${d} entries; the dense spectral form takes at most 8192`, {
      path: 'quadratic.eigenvalues',
      actual: d,
    });
  const s = seedOf(c.seed, 'quadratic.seed');
  const m = c.center === undefined ? new Float64Array(d) : vector(c.center, 'quadratic.center', d);
  return new Landscape('quadratic', d, { eigenvalues: Array.from(lambda), seed: s, center: Array.from(m) }, (live) => {
    const h = live.heap;
    const lp = h.pushF64(lambda),
      mp = h.pushF64(m);
    const pp = h.allocF64(d * d + d + 1, 'quadratic parameters'),
      wp = h.allocF64(d * d, 'rotation');
    const bad = live.exports.quadraticFromSpectrum(d, lp, mp, s % 2 ** 32, Math.floor(s / 2 ** 32), pp, wp);
    if (bad >= 0)
      throw new DescentError('E_CONFIG', `quadratic.seed ${s} gave a numerically singular random matrix; use another seed`, {
        path: 'quadratic.seed',
        actual: s,
      });
    return { params: h.copyOutF64(pp, d * d + d + 1) };
  });
}
