/** KL divergence on the probability simplex (assembly/models/simplexKL.ts; docs/models.md). */
import { invalid } from '../errors.ts';
import { options, vector } from '../validate.ts';
import { Model } from './model.ts';

/** Config of {@link simplexKL}. */
export interface SimplexKLConfig {
  /** Target distribution q (K ≥ 2 probabilities summing to 1). */
  target: ArrayLike<number>;
  /** 'logits' (θ ∈ ℝᴷ, p = softmax θ; default) or 'expectation' (η ∈ ℝᴷ⁻¹, p = (η, 1 − Σ η)). */
  parameterization?: 'logits' | 'expectation';
}

/** Normalised params of {@link simplexKL}. */
export interface SimplexKLParams {
  target: number[];
  parameterization: 'logits' | 'expectation';
}

/**
 * L = KL(q ‖ p) over the simplex, in natural (logit) or expectation coordinates — the same
 * objective in two geometries, for mirror-descent and natural-gradient studies. Not a finite sum.
 */
export function simplexKL(config: SimplexKLConfig): Model<'simplexKL', SimplexKLParams> {
  const c = options<SimplexKLConfig>(config, 'simplexKL', ['target', 'parameterization']);
  const q = vector(c.target, 'simplexKL.target', undefined, { min: 0 });
  if (q.length < 2) throw invalid('E_CONFIG', 'simplexKL.target', 'at least two probabilities', q.length);
  const s = q.reduce((a, b) => a + b, 0);
  if (Math.abs(s - 1) > 1e-12) throw invalid('E_CONFIG', 'simplexKL.target', 'probabilities summing to 1', s);
  const par = c.parameterization ?? 'logits';
  if (par !== 'logits' && par !== 'expectation') throw invalid('E_CONFIG', 'simplexKL.parameterization', "'logits' or 'expectation'", par);
  const K = q.length,
    dim = par === 'logits' ? K : K - 1;
  return new Model(
    'simplexKL',
    dim,
    { target: Array.from(q), parameterization: par },
    () => ({ params: Float64Array.of(K, par === 'logits' ? 0 : 1, ...q), scratch: K }),
    [{ name: par === 'logits' ? 'theta' : 'eta', offset: 0, size: dim, fanIn: 1, fanOut: 1, bias: false }],
  );
}
