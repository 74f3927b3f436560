/**
 * Extreme eigenvalues of symmetric operators: `topEigenvalues` (thick-restart Lanczos with full
 * reorthogonalisation, assembly/spectral/lanczos.ts), `powerIteration` (its simple twin) and
 * `conditionNumber`. Every iteration runs in wasm — for wasm operators the whole run is one call.
 */
import { run } from '../../bindings/engine.ts';
import * as kernels from '../../bindings/spectral.ts';
import { invalid } from '../errors.ts';
import { finite, integer, options, seed as seedOf } from '../validate.ts';
import { SpectralOperator, disposedError } from './operators.ts';

/** How a run ended: converged, out of budget, a non-finite product, or (only on non-finite input) the small eigensolver failed. */
export type SpectralStatus = kernels.Status;

/** Which end(s) of the spectrum {@link topEigenvalues} finds. */
export type Which = 'largest' | 'smallest' | 'both';

/** Options of {@link topEigenvalues}. */
export interface TopEigenvaluesOptions {
  /** How many eigenvalues, 1 ≤ k < dim. Default 1. */
  k?: number;
  /**
   * `'largest'` (default; algebraically largest, e.g. the sharpness λ_max of a Hessian),
   * `'smallest'`, or `'both'`: ⌈k/2⌉ from the top and ⌊k/2⌋ from the bottom (eigsh's 'BE').
   */
  which?: Which;
  /**
   * Relative residual tolerance: a Ritz pair (θ, y) is accepted when ‖A y − θ y‖ ≤
   * tol · max(|θ|, ε^{2/3}‖A‖) (ARPACK's test, as `scipy.sparse.linalg.eigsh`'s `tol`). The
   * eigenvalue error is then at most that residual, and about residual²/gap. Default 1e-8; 0
   * means machine precision.
   */
  tol?: number;
  /** Most operator products (matrix-vector products) to spend, ≥ k. Default 1000. */
  maxIter?: number;
  /** Largest Lanczos basis (memory (ncv + 1)·dim doubles); k < ncv ≤ dim. Default min(dim, max(2k + 1, 20)), as eigsh. */
  ncv?: number;
  /** Seed of the start vector (and of fresh vectors after a breakdown). Default 0. */
  seed?: number;
  /** Return the eigenvectors. Default true. */
  vectors?: boolean;
}

/** Result of {@link topEigenvalues}. */
export interface EigenResult {
  /**
   * The eigenvalues: `'largest'` in descending order, `'smallest'` ascending, `'both'`
   * descending overall (the top ones, then the bottom ones).
   */
  eigenvalues: Float64Array;
  /** Unit eigenvectors (Ritz vectors), in the order of `eigenvalues`; empty when `vectors: false`. */
  eigenvectors: Float64Array[];
  /** Residual norms ‖A y − θ y‖ (Lanczos estimates β|e_mᵀ z|, within O(ε‖A‖) of the true ones). */
  residuals: Float64Array;
  /** Whether every requested pair met the tolerance. */
  converged: boolean;
  /** How many of the k pairs met the tolerance. */
  convergedCount: number;
  /** Operator products used. */
  iterations: number;
  /** Thick restarts made. */
  restarts: number;
  /**
   * Convergence checks made (each an eigensolve of the small tridiagonal matrix). They are
   * scheduled by the observed convergence rate, not made after every product, yet the run
   * still stops at the first product count whose check would pass, unless convergence more
   * than doubles its recent speed (then at most 3 products later).
   */
  checks: number;
  /** How the run ended. */
  status: SpectralStatus;
  /** The options used, defaults filled in. */
  options: Required<Omit<TopEigenvaluesOptions, 'vectors'>> & { vectors: boolean };
}

/** Default product budget of the iterative methods. */
export const DEFAULT_MAX_ITER = 1000;

export function checkOperator(op: unknown, what: string): SpectralOperator {
  if (!(op instanceof SpectralOperator)) {
    throw invalid('E_CONFIG', `${what}: op`, 'a spectral operator (spectral.hessianOp, ggnOp, fisherOp, denseOp or matvecOp)', op);
  }
  if (op.disposed) throw disposedError(op, what);
  return op;
}

/** Validated Lanczos configuration. */
function lanczosConfig(op: SpectralOperator, opts: TopEigenvaluesOptions | undefined, what: string): EigenResult['options'] {
  const o = options<TopEigenvaluesOptions>(opts, what, ['k', 'which', 'tol', 'maxIter', 'ncv', 'seed', 'vectors']);
  const n = op.dim;
  if (n < 2) throw invalid('E_CONFIG', `${what}: op.dim`, 'at least 2 (k < dim)', n);
  const k = integer(o.k, `${what}.k`, { min: 1, max: n - 1 }, 1);
  const which = o.which ?? 'largest';
  if (which !== 'largest' && which !== 'smallest' && which !== 'both')
    throw invalid('E_CONFIG', `${what}.which`, "'largest', 'smallest' or 'both'", which);
  const tol = finite(o.tol, `${what}.tol`, { min: 0, max: 1 }, 1e-8);
  const maxIter = integer(o.maxIter, `${what}.maxIter`, { min: k, max: 2 ** 31 - 1 }, DEFAULT_MAX_ITER);
  const ncv = integer(o.ncv, `${what}.ncv`, { min: k + 1, max: n }, Math.min(n, Math.max(2 * k + 1, 20)));
  const seed = seedOf(o.seed, `${what}.seed`, 0);
  if (o.vectors !== undefined && typeof o.vectors !== 'boolean') throw invalid('E_CONFIG', `${what}.vectors`, 'a boolean', o.vectors);
  return { k, which, tol, maxIter, ncv, seed, vectors: o.vectors ?? true };
}

/** @internal Lanczos with validated options (also used by conditionNumber and perBlock). */
export function lanczosRun(op: SpectralOperator, c: EigenResult['options'], what: string): EigenResult {
  const nLarge = c.which === 'largest' ? c.k : c.which === 'smallest' ? 0 : Math.ceil(c.k / 2);
  const spec = op.spec();
  const raw = run(what, (live) =>
    kernels.lanczos(live, spec, {
      k: c.k,
      nLarge,
      nSmall: c.k - nLarge,
      tol: c.tol,
      maxIter: c.maxIter,
      ncv: c.ncv,
      seed: c.seed,
      vectors: c.vectors,
    }),
  );
  return {
    eigenvalues: raw.values,
    eigenvectors: raw.vectors ?? [],
    residuals: raw.residuals,
    converged: raw.status === 'converged',
    convergedCount: raw.converged,
    iterations: raw.matvecs,
    restarts: raw.restarts,
    checks: raw.checks,
    status: raw.status,
    options: c,
  };
}

/**
 * The k extreme eigenvalues (and eigenvectors) of a symmetric operator by thick-restart Lanczos
 * with full reorthogonalisation (Wu & Simon 2000), all iterations in wasm.
 *
 * Method: each step multiplies one vector and orthogonalises the product against the whole
 * basis (the three-term recurrence, then classical Gram–Schmidt, twice when the DGKS test asks,
 * as ARPACK), so the Ritz values carry no spurious copies; when the basis reaches `ncv`
 * vectors it restarts from the k + ⌊(ncv − k)/2⌋ best Ritz vectors. Convergence is ARPACK's
 * residual test (see `tol`). A breakdown (an invariant Krylov space) continues with a fresh
 * random vector, so repeated eigenvalues are found with their multiplicity.
 *
 * Not converging is reported, never hidden: `converged: false`, `status: 'maxIter'`, and the
 * residual of every pair. Errors: k ≥ dim, bad options → DescentError E_CONFIG with the path.
 *
 * @example
 * const H = descent.spectral.hessianOp(net, theta);
 * const { eigenvalues, residuals, converged } = descent.spectral.topEigenvalues(H, { k: 5 });
 */
export function topEigenvalues(op: SpectralOperator, opts?: TopEigenvaluesOptions): EigenResult {
  const what = 'spectral.topEigenvalues';
  checkOperator(op, what);
  return lanczosRun(op, lanczosConfig(op, opts, what), what);
}

/** Options of {@link powerIteration}. */
export interface PowerIterationOptions {
  /** Stop when ‖A v − λ v‖ ≤ tol·|λ|. Default 1e-8 (0: machine precision). */
  tol?: number;
  /** Most products. Default 1000. */
  maxIter?: number;
  /** Seed of the start vector. Default 0. */
  seed?: number;
}

/** Result of {@link powerIteration}. */
export interface PowerResult {
  /** The Rayleigh quotient λ = vᵀAv of the last vector: the eigenvalue of largest magnitude when converged. */
  eigenvalue: number;
  /** The last unit vector v. */
  eigenvector: Float64Array;
  /** ‖A v − λ v‖. */
  residual: number;
  converged: boolean;
  /** Products used. */
  iterations: number;
  status: SpectralStatus;
}

/**
 * The eigenvalue of largest magnitude by power iteration: v ← A v / ‖A v‖ from a Gaussian start,
 * λ = vᵀAv, until ‖A v − λ v‖ ≤ tol·|λ|. Converges at rate |λ₂/λ₁| per product (so slowly for
 * small gaps, and not at all when λ and −λ are both extreme); `topEigenvalues` is the robust
 * method. Non-convergence is reported (`converged: false`).
 */
export function powerIteration(op: SpectralOperator, opts?: PowerIterationOptions): PowerResult {
  const what = 'spectral.powerIteration';
  checkOperator(op, what);
  const o = options<PowerIterationOptions>(opts, what, ['tol', 'maxIter', 'seed']);
  const tol = finite(o.tol, `${what}.tol`, { min: 0, max: 1 }, 1e-8);
  const maxIter = integer(o.maxIter, `${what}.maxIter`, { min: 1, max: 2 ** 31 - 1 }, DEFAULT_MAX_ITER);
  const seed = seedOf(o.seed, `${what}.seed`, 0);
  const spec = op.spec();
  const raw = run(what, (live) => kernels.power(live, spec, { tol, maxIter, seed }));
  return {
    eigenvalue: raw.value,
    eigenvector: raw.vector,
    residual: raw.residual,
    converged: raw.status === 'converged',
    iterations: raw.matvecs,
    status: raw.status,
  };
}

/** Options of {@link conditionNumber}. */
export interface ConditionNumberOptions {
  /**
   * Use the top-k part of the spectrum: κ_k = λ₁/λ_k from the k largest eigenvalues (for
   * rank-deficient PSD operators, e.g. a Gauss–Newton matrix with more parameters than
   * outputs·examples, where λ_min = 0). Default: the whole spectrum, κ = λ_max/λ_min.
   */
  k?: number;
  tol?: number;
  maxIter?: number;
  ncv?: number;
  seed?: number;
}

/** Result of {@link conditionNumber}. */
export interface ConditionNumberResult {
  /**
   * κ = largest/smallest, or +∞ when smallest is not distinguishable from 0 or is negative
   * (singular or indefinite: not positive definite) — when smallest ≤ max(its residual,
   * 8√n·ε·|largest|), the size of the error of a computed eigenvalue near 0.
   */
  value: number;
  largest: number;
  /** λ_min, or λ_k with `k`. */
  smallest: number;
  /** The operator is singular or indefinite to working accuracy (see `value`). */
  singular: boolean;
  converged: boolean;
  /** The Lanczos run behind it. */
  eigen: EigenResult;
}

/**
 * Condition number λ_max/λ_min of a symmetric positive (semi)definite operator — Lanczos for
 * both ends at once — or λ₁/λ_k over its top-k part with `k`. For an operator that is singular
 * or indefinite (λ_min ≤ 0 to working accuracy) the value is +∞ and `singular` is true.
 */
export function conditionNumber(op: SpectralOperator, opts?: ConditionNumberOptions): ConditionNumberResult {
  const what = 'spectral.conditionNumber';
  checkOperator(op, what);
  const o = options<ConditionNumberOptions>(opts, what, ['k', 'tol', 'maxIter', 'ncv', 'seed']);
  const n = op.dim;
  const topK = o.k;
  let c: EigenResult['options'];
  if (topK === undefined) {
    if (n < 2) throw invalid('E_CONFIG', `${what}: op.dim`, 'at least 2', n);
    const tol = finite(o.tol, `${what}.tol`, { min: 0, max: 1 }, 1e-8);
    const maxIter = integer(o.maxIter, `${what}.maxIter`, { min: 1, max: 2 ** 31 - 1 }, DEFAULT_MAX_ITER);
    const ncv = integer(o.ncv, `${what}.ncv`, { min: Math.min(3, n), max: n }, Math.min(n, 20));
    const seed = seedOf(o.seed, `${what}.seed`, 0);
    c = { k: 2, which: 'both', tol, maxIter, ncv, seed, vectors: false };
  } else {
    c = { ...lanczosConfig(op, { ...o, k: topK, which: 'largest' }, what), vectors: false };
  }
  const eigen = lanczosRun(op, c, what);
  const last = eigen.eigenvalues.length - 1;
  const largest = eigen.eigenvalues[0];
  const smallest = eigen.eigenvalues[last];
  const noise = Math.max(eigen.residuals[last], 8 * Math.sqrt(n) * 2 ** -52 * Math.abs(largest));
  const singular = !(smallest > noise);
  return { value: singular ? Infinity : largest / smallest, largest, smallest, singular, converged: eigen.converged, eigen };
}
