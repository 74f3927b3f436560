/** Negative log-density of a Gaussian mixture, the standard multi-modal sampling target. */
import { Landscape } from './landscape.ts';
import { DescentError, invalid } from '../errors.ts';
import { finite, matrix, options, positiveDefinite, symmetrize, vector } from '../validate.ts';

/** Config of {@link gaussianMixture}. */
export interface GaussianMixtureConfig {
  /** Component means μ_k: K rows of d numbers. */
  means: ArrayLike<ArrayLike<number>>;
  /** Positive component weights (normalised to sum 1). Default uniform. */
  weights?: ArrayLike<number>;
  /** Isotropic standard deviations σ_k > 0 (Σ_k = σ_k² I): K numbers, or one for all. */
  stds?: ArrayLike<number> | number;
  /** Full covariances Σ_k: K symmetric positive-definite d×d matrices. */
  covariances?: ArrayLike<ArrayLike<ArrayLike<number>>>;
}

/** Normalised params: weights normalised, covariances explicit. */
export interface GaussianMixtureParams {
  means: number[][];
  weights: number[];
  covariances: number[][][];
}

/**
 * U(x) = −log Σ_k w_k 𝒩(x; μ_k, Σ_k), with exact gradient and HVP (responsibility-weighted
 * precisions, docs/landscapes.md). Default covariance: identity.
 */
export function gaussianMixture(config: GaussianMixtureConfig): Landscape<'gaussianMixture', GaussianMixtureParams> {
  const c = options<GaussianMixtureConfig>(config, 'gaussianMixture', ['means', 'weights', 'stds', 'covariances']);
  const { data: means, rows: K, cols: d } = matrix(c.means, 'gaussianMixture.means');
  if (K > 4096 || d > 1024) {
    throw new DescentError('E_CONFIG', `gaussianMixture takes at most 4096 components of dimension ≤ 1024, got ${K} of ${d}`, {
      path: 'gaussianMixture.means',
      actual: [K, d],
    });
  }
  const raw = c.weights === undefined ? new Float64Array(K).fill(1) : vector(c.weights, 'gaussianMixture.weights', K, { gt: 0 });
  let total = 0;
  for (const w of raw) total += w;
  const weights = raw.map((w) => w / total);
  if (c.stds !== undefined && c.covariances !== undefined) {
    throw new DescentError('E_CONFIG', 'gaussianMixture takes stds or covariances, not both', {
      path: 'gaussianMixture.covariances',
      actual: c.covariances,
    });
  }
  const covs = new Float64Array(K * d * d);
  if (c.covariances !== undefined) {
    const list = c.covariances as unknown;
    if (!Array.isArray(list) || list.length !== K)
      throw invalid('E_CONFIG', 'gaussianMixture.covariances', `an array of ${K} matrices`, list);
    list.forEach((m, k) => {
      const path = `gaussianMixture.covariances[${k}]`;
      const { data } = matrix(m, path, d, d);
      symmetrize(data, d, path);
      if (!positiveDefinite(data, d)) throw invalid('E_CONFIG', path, 'positive definite', m);
      covs.set(data, k * d * d);
    });
  } else {
    const stds =
      c.stds === undefined
        ? new Float64Array(K).fill(1)
        : typeof c.stds === 'number'
          ? new Float64Array(K).fill(finite(c.stds, 'gaussianMixture.stds', { gt: 0 }))
          : vector(c.stds, 'gaussianMixture.stds', K, { gt: 0 });
    for (let k = 0; k < K; k++) for (let i = 0; i < d; i++) covs[k * d * d + i * d + i] = stds[k] * stds[k];
  }
  const params: GaussianMixtureParams = {
    means: Array.from({ length: K }, (_, k) => Array.from(means.subarray(k * d, (k + 1) * d))),
    weights: Array.from(weights),
    covariances: Array.from({ length: K }, (_, k) =>
      Array.from({ length: d }, (_, i) => Array.from(covs.subarray(k * d * d + i * d, k * d * d + (i + 1) * d))),
    ),
  };
  return new Landscape('gaussianMixture', d, params, (live) => {
    const n = 1 + 2 * K + K * d + 2 * K * d * d;
    const packed = new Float64Array(n);
    packed[0] = K;
    packed.set(weights, 1);
    packed.set(means, 1 + K);
    packed.set(covs, 1 + K + K * d);
    const h = live.heap;
    const pp = h.pushF64(packed, 'gaussianMixture parameters');
    const wp = h.allocF64(2 * d * d + d, 'gaussianMixture factorisation');
    const bad = live.exports.gaussianMixturePrepare(d, pp, wp);
    if (bad >= 0) {
      throw invalid('E_CONFIG', `gaussianMixture.covariances[${bad}]`, 'positive definite', params.covariances[bad]);
    }
    return { params: h.copyOutF64(pp, n), scratch: live.exports.gaussianMixtureScratch(K, d) };
  });
}
