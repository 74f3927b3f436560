/** Saddle points: strict saddles in n-d and the degenerate monkey saddle (docs/landscapes.md). */
import { Landscape } from './landscape.ts';
import { DescentError } from '../errors.ts';
import { dimension, finite, integer, options, vector } from '../validate.ts';
import type { NoConfig } from './classic.ts';

/** Config of {@link saddle}. */
export interface SaddleConfig {
  /** Dimension. Default 2 (or the length of `curvatures`). */
  dim?: number;
  /** Number of negative-curvature directions (the first ones), 0 ≤ negative ≤ dim. Default 1. */
  negative?: number;
  /** Signed curvatures λ_i, overriding `negative` (λ_i = −1 for i < negative, else +1). */
  curvatures?: ArrayLike<number>;
  /** Quartic confinement q ≥ 0 of ¼ q x_i⁴, which gives the escape somewhere to go. Default 0. */
  quartic?: number;
}

/** Normalised params of {@link saddle}. */
export interface SaddleParams {
  dim: number;
  curvatures: number[];
  quartic: number;
}

/**
 * Strict saddle Σ_i (½ λ_i x_i² + ¼ q x_i⁴): `saddle()` is x²/2 − … the n-d x² − y² family, with
 * `negative` escape directions. With q > 0 the escape ends in minima at x_i = ±√(−λ_i/q).
 */
export function saddle(config?: SaddleConfig): Landscape<'saddle', SaddleParams> {
  const c = options<SaddleConfig>(config, 'saddle', ['dim', 'negative', 'curvatures', 'quartic']);
  const quartic = finite(c.quartic, 'saddle.quartic', { min: 0 }, 0);
  let lambda: Float64Array;
  if (c.curvatures !== undefined) {
    if (c.negative !== undefined) {
      throw new DescentError('E_CONFIG', 'saddle takes curvatures or negative, not both', { path: 'saddle.negative', actual: c.negative });
    }
    lambda = vector(c.curvatures, 'saddle.curvatures', c.dim === undefined ? undefined : dimension(c.dim, 'saddle.dim'));
  } else {
    const dim = dimension(c.dim, 'saddle.dim', 1, 2);
    const negative = integer(c.negative, 'saddle.negative', { min: 0, max: dim }, 1);
    lambda = Float64Array.from({ length: dim }, (_, i) => (i < negative ? -1 : 1));
  }
  const dim = lambda.length;
  return new Landscape('saddle', dim, { dim, curvatures: Array.from(lambda), quartic }, () => {
    const packed = new Float64Array(1 + dim);
    packed[0] = quartic;
    packed.set(lambda, 1);
    return { params: packed };
  });
}

/** Monkey saddle x³ − 3xy² (2-d): a degenerate saddle at 0, where the Hessian vanishes. */
export function monkeySaddle(config?: NoConfig): Landscape<'monkeySaddle', NoConfig> {
  options(config, 'monkeySaddle', []);
  return new Landscape('monkeySaddle', 2, {}, () => ({ params: new Float64Array(0) }));
}
