/** Separable polynomial landscapes (docs/landscapes.md, `polynomial`). */
import { Landscape } from './landscape.ts';
import { DescentError, describe } from '../errors.ts';
import { dimension, largest, options, vector } from '../validate.ts';

/** Config of {@link polynomial}. */
export interface PolynomialConfig {
  /**
   * Coefficients in ascending powers: one array [c₀, c₁, …] shared by every coordinate, or an
   * array of d arrays (one polynomial per coordinate; lengths may differ).
   */
  coefficients: ArrayLike<number> | ArrayLike<ArrayLike<number>>;
  /** Dimension when `coefficients` is one shared array. Default 1. */
  dim?: number;
}

/** Normalised params: one coefficient array per coordinate. */
export interface PolynomialParams {
  coefficients: number[][];
  dim: number;
}

/** f(x) = Σ_i p_i(x_i): a 1-d polynomial, or a separable sum of 1-d polynomials. */
export function polynomial(config: PolynomialConfig): Landscape<'polynomial', PolynomialParams> {
  const c = options<PolynomialConfig>(config, 'polynomial', ['coefficients', 'dim']);
  const coef = c.coefficients as unknown;
  const nested = Array.isArray(coef) && coef.length > 0 && typeof coef[0] === 'object';
  let rows: Float64Array[];
  if (nested) {
    rows = (coef as unknown[]).map((row, i) => vector(row, `polynomial.coefficients[${i}]`));
    if (c.dim !== undefined && c.dim !== rows.length) {
      throw new DescentError(
        'E_CONFIG',
        `polynomial.dim must equal the number of coefficient arrays (${rows.length}), got ${describe(c.dim)}`,
        { path: 'polynomial.dim', expected: String(rows.length), actual: c.dim },
      );
    }
  } else {
    const shared = vector(coef, 'polynomial.coefficients');
    const dim = dimension(c.dim, 'polynomial.dim', 1, 1);
    rows = Array.from({ length: dim }, () => shared);
  }
  const d = dimension(rows.length, 'polynomial.coefficients.length');
  const m = largest(rows.map((r) => r.length));
  return new Landscape('polynomial', d, { coefficients: rows.map((r) => Array.from(r)), dim: d }, () => {
    const packed = new Float64Array(1 + d * m);
    packed[0] = m;
    rows.forEach((r, i) => packed.set(r, 1 + i * m));
    return { params: packed };
  });
}
