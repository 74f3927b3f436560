/**
 * Deep matrix factorisation of a covariance trained with the Bures–Wasserstein loss
 * (assembly/models/buresWasserstein.ts; docs/models.md, `buresWasserstein`).
 */
import { DescentError, invalid } from '../errors.ts';
import { finite, integer, matrix, options, positiveDefinite, symmetrize } from '../validate.ts';
import { Model, type ParameterBlock } from './model.ts';

/** Config of {@link buresWasserstein}. */
export interface BuresWassersteinConfig {
  /** Widths [d_0, …, d_N] (N ≥ 1 factors): W_k is d_k × d_{k−1}, W = W_N ⋯ W_1 is d_N × d_0. */
  widths: ArrayLike<number>;
  /** The target covariance Σ₀: d_N rows of d_N numbers, symmetric positive semi-definite. */
  target: ArrayLike<ArrayLike<number>>;
  /** ε ≥ 0 in Σ = W Wᵀ + ε I (default 0; ε > 0 is the paper's smooth perturbative version). */
  epsilon?: number;
}

/** Normalised params of {@link buresWasserstein}. */
export interface BuresWassersteinParams {
  widths: number[];
  /** Σ₀, made exactly symmetric (½(a_ij + a_ji)). */
  target: number[][];
  epsilon: number;
}

/**
 * Relative tolerance of the PSD check: Σ₀ + RANK_TOL·max_i(Σ₀)_ii·I must be positive definite,
 * and the kernel takes eigenvalues ≤ RANK_TOL·λ_max as 0. MUST MATCH RANK_TOL in
 * assembly/models/buresWasserstein.ts (test/layout.test.ts compares it with buresRankTol).
 */
export const RANK_TOL = 1e-12;
/** Largest width (the kernel's work is O(n³) per evaluation in the target's size n). */
const MAX_WIDTH = 4096;

/**
 * Doubles of scratch one evaluation needs. MUST MATCH the layout in
 * assembly/models/buresWasserstein.ts: 11 n² + 3 n + 2 Σ_{k≥1} d_k d_0 + 4 max_k(d_k) d_0 + n (d_0 + n)
 * (the last term: Y of the polar path).
 */
function scratchSize(widths: readonly number[]): number {
  const n = widths[widths.length - 1],
    d0 = widths[0];
  let sumP = 0,
    maxd = d0;
  for (let k = 1; k < widths.length; k++) {
    sumP += widths[k] * d0;
    maxd = Math.max(maxd, widths[k]);
  }
  return 11 * n * n + 3 * n + 2 * sumP + 4 * maxd * d0 + n * (d0 + n);
}

/**
 * L(θ) = BW²(Σ, Σ₀) = tr Σ + tr Σ₀ − 2 tr (Σ₀^{1/2} Σ Σ₀^{1/2})^{1/2} with Σ = W Wᵀ + ε I and
 * W = W_N ⋯ W_1 — a deep linear network fitted to a covariance in the Bures–Wasserstein
 * geometry (Bréchet, Papagiannouli, An & Montúfar, ICML 2023). θ lists W_1, …, W_N, each
 * row-major (out × in, as `torch.nn.Linear(bias=False).weight`). Not a finite sum: value,
 * gradient, HVP and Hessian only.
 *
 * The target must be symmetric (to 1e-12 relative; it is symmetrised) and positive
 * semi-definite: Σ₀ + 1e-12·max_i(Σ₀)_ii·I must admit a Cholesky factorisation (eigenvalues
 * ≥ −1e-12·max diagonal); eigenvalues ≤ 1e-12·λ_max count as exact zeros (a rank-deficient
 * target). With ε = 0, the gradient is finite and accurate wherever the loss is differentiable,
 * including near-singular M and bottlenecks narrower than rank Σ₀, and so is the HVP (accurate to
 * the Hessian's conditioning); at non-differentiable points (W = 0, a singular factor) both are
 * non-finite (docs/models.md).
 *
 * @example
 * const m = descent.models.buresWasserstein({ widths: [3, 4, 3], target: [[2, 0, 0], [0, 1, 0], [0, 0, 0.5]] });
 * const theta = m.initialize({ scheme: 'xavier', seed: 1 });
 * m.value(theta); m.grad(theta); m.hvp(theta, v);
 */
export function buresWasserstein(config: BuresWassersteinConfig): Model<'buresWasserstein', BuresWassersteinParams> {
  const c = options<BuresWassersteinConfig>(config, 'buresWasserstein', ['widths', 'target', 'epsilon']);
  const raw = c.widths as unknown;
  if (!Array.isArray(raw) && !(ArrayBuffer.isView(raw) && !(raw instanceof DataView))) {
    throw invalid('E_CONFIG', 'buresWasserstein.widths', 'an array of at least two widths [d_0, …, d_N]', raw);
  }
  const list = raw as ArrayLike<unknown>;
  if (list.length < 2) throw invalid('E_CONFIG', 'buresWasserstein.widths', 'an array of at least two widths [d_0, …, d_N]', raw);
  const widths = Array.from({ length: list.length }, (_, k) =>
    integer(list[k], `buresWasserstein.widths[${k}]`, { min: 1, max: MAX_WIDTH }),
  );
  const n = widths[widths.length - 1];
  const epsilon = finite(c.epsilon, 'buresWasserstein.epsilon', { min: 0 }, 0);
  if (c.target === undefined)
    throw invalid('E_CONFIG', 'buresWasserstein.target', `a ${n}×${n} symmetric positive semi-definite matrix (rows)`, undefined);
  const { data: target } = matrix(c.target, 'buresWasserstein.target', n, n);
  symmetrize(target, n, 'buresWasserstein.target');
  if (!semidefinite(target, n)) {
    throw invalid(
      'E_CONFIG',
      'buresWasserstein.target',
      `positive semi-definite (eigenvalues ≥ −${RANK_TOL}·max diagonal entry)`,
      c.target,
    );
  }
  let dim = 0;
  const blocks: ParameterBlock[] = [];
  for (let k = 1; k < widths.length; k++) {
    const size = widths[k] * widths[k - 1];
    blocks.push({ name: `layers.${k - 1}.weight`, offset: dim, size, fanIn: widths[k - 1], fanOut: widths[k], bias: false });
    dim += size;
  }
  if (dim > 1 << 24)
    throw new DescentError('E_CONFIG', `buresWasserstein has ${dim} parameters; at most ${1 << 24}`, {
      path: 'buresWasserstein.widths',
      actual: widths,
    });
  const params: BuresWassersteinParams = {
    widths,
    target: Array.from({ length: n }, (_, i) => Array.from(target.subarray(i * n, (i + 1) * n))),
    epsilon,
  };
  const N = widths.length - 1;
  return new Model(
    'buresWasserstein',
    dim,
    params,
    () => {
      const packed = new Float64Array(3 + N + n * n);
      packed[0] = N;
      packed[1] = epsilon;
      packed.set(widths, 2);
      packed.set(target, 3 + N);
      return { params: packed, scratch: scratchSize(widths) };
    },
    blocks,
  );
}

/**
 * Σ₀ symmetric PSD to relative tolerance: the zero matrix, or Σ₀ + τ I positive definite with
 * τ = RANK_TOL · max diagonal (an LDLᵀ test, IEEE arithmetic only — validate.positiveDefinite).
 */
function semidefinite(a: Float64Array, n: number): boolean {
  let top = 0;
  for (let i = 0; i < n; i++) top = Math.max(top, a[i * n + i]);
  if (!(top > 0)) return a.every((x) => x === 0);
  const shifted = a.slice();
  for (let i = 0; i < n; i++) shifted[i * n + i] += RANK_TOL * top;
  return positiveDefinite(shifted, n);
}
