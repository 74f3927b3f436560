/**
 * The spectral density of a symmetric operator by stochastic Lanczos quadrature
 * (assembly/spectral/slq.ts): the raw Gauss nodes and weights, and their Gaussian-broadened
 * density on a grid; or, for small operators, exactly from every eigenvalue (method 'exact').
 */
import { run, type Live } from '../../bindings/engine.ts';
import * as kernels from '../../bindings/spectral.ts';
import type { OperatorSpec } from '../../bindings/spectral.ts';
import { invalid } from '../errors.ts';
import { finite, integer, options, seed as seedOf, vector } from '../validate.ts';
import type { SpectralOperator } from './operators.ts';
import { checkOperator, type SpectralStatus } from './eigen.ts';

/**
 * Bounds of σ: the kernel divides by 2σ², which underflows to 0 below ≈ 1.5e-154 (a density of
 * NaN) and overflows above ≈ 1.3e154; these keep σ² a normal double with room to spare.
 */
const SIGMA_MIN = 1e-150,
  SIGMA_MAX = 1e150;

/** Largest dimension of {@link density}'s method 'exact' (n products and an O(n³) Jacobi eigendecomposition per call). */
export const EXACT_MAX_DIM = 512;

/** Options of {@link density}. */
export interface DensityOptions {
  /**
   * 'slq' (default): stochastic Lanczos quadrature. 'exact': every eigenvalue λ_i of the operator
   * (its matrix from n products, a Jacobi eigendecomposition), each with weight 1/n — the exact
   * Gaussian-smoothed density (1/n) Σ_i N(t; λ_i, σ²), for dim ≤ {@link EXACT_MAX_DIM}; takes no
   * probes, lanczosSteps or seed.
   */
  method?: 'slq' | 'exact';
  /** Random probe vectors (Rademacher, normalised). Default 10. */
  probes?: number;
  /** Lanczos steps per probe, 1 ≤ m ≤ dim (moments up to degree 2m − 1 are exact per probe). Default min(dim, 80). */
  lanczosSteps?: number;
  /**
   * Where to evaluate the density: a number of points (≥ 2; default 200) spread evenly over
   * [min node − 5σ, max node + 5σ], or the points themselves (ascending or not).
   */
  grid?: number | ArrayLike<number>;
  /**
   * Width of the Gaussian broadening, 1e-150 ≤ σ ≤ 1e150. Default 1% of the node range (max − min), or 1e-3·max(1, |node|) when all nodes
   * coincide (kept within those bounds).
   */
  sigma?: number;
  /** Seed of the probes. Default 0. */
  seed?: number;
}

/** Result of {@link density}. */
export interface DensityResult {
  /** Grid points t. */
  grid: Float64Array;
  /**
   * φ(t) = Σ_k w_k N(t; θ_k, σ²): the estimated density of the normalised spectral measure (1/n)Σδ_λ; it integrates to 1 (multiply by dim
   * for a density of eigenvalue counts).
   */
  density: Float64Array;
  sigma: number;
  /** How the measure was obtained: 'slq', or 'exact' (nodes: every eigenvalue, ascending; weights 1/n; no probes). */
  method: 'slq' | 'exact';
  /** All Ritz nodes θ_k, probe after probe (probe j contributes steps[j] of them); 'exact': the n eigenvalues. */
  nodes: Float64Array;
  /** Their weights (first eigenvector components squared, divided by the number of probes): they sum to 1. */
  weights: Float64Array;
  /**
   * Lanczos steps made per probe (fewer than lanczosSteps when the probe's Krylov space was
   * invariant: that quadrature is exact); 'exact': empty.
   */
  steps: Int32Array;
  probes: number;
  lanczosSteps: number;
  /** Operator products used. */
  iterations: number;
  status: SpectralStatus;
}

/**
 * Stochastic Lanczos quadrature (Ubaru, Chen & Saad 2017; Ghorbani, Krishnan & Xiao 2019): for
 * each probe v, m Lanczos steps with full reorthogonalisation give an m-point Gauss quadrature
 * (θ_k, τ_k) of the measure Σ_i (q_iᵀv)² δ_{λ_i}, whose mean over probes is the spectral
 * measure. Returns the nodes and weights and their Gaussian-broadened density. With
 * `method: 'exact'` (dim ≤ 512) the measure is the exact one, (1/n) Σ_i δ_{λ_i}, from a full
 * eigendecomposition, and the density is the exact Gaussian-smoothed spectral density.
 *
 * @example
 * const { grid, density, nodes, weights } = descent.spectral.density(H, { probes: 5, lanczosSteps: 60 });
 * const exact = descent.spectral.density(H, { method: 'exact', sigma: 0.05 }); // small H: every eigenvalue
 */
export function density(op: SpectralOperator, opts?: DensityOptions): DensityResult {
  const what = 'spectral.density';
  checkOperator(op, what);
  const o = options<DensityOptions>(opts, what, ['method', 'probes', 'lanczosSteps', 'grid', 'sigma', 'seed']);
  const n = op.dim;
  const method = o.method ?? 'slq';
  if (method !== 'slq' && method !== 'exact') throw invalid('E_CONFIG', `${what}.method`, "'slq' or 'exact'", o.method);
  if (method === 'exact') {
    if (n > EXACT_MAX_DIM)
      throw invalid(
        'E_CONFIG',
        `${what}.method`,
        `'slq' for an operator of dimension > ${EXACT_MAX_DIM} ('exact' is for small operators)`,
        'exact',
      );
    for (const k of ['probes', 'lanczosSteps', 'seed'] as const)
      if (o[k] !== undefined) throw invalid('E_CONFIG', `${what}.${k}`, "omitted with method 'exact' (it uses no probes)", o[k]);
  }
  const probes = method === 'exact' ? 0 : integer(o.probes, `${what}.probes`, { min: 1, max: 2 ** 20 }, 10);
  const m = method === 'exact' ? 0 : integer(o.lanczosSteps, `${what}.lanczosSteps`, { min: 1, max: n }, Math.min(n, 80));
  const seed = seedOf(o.seed, `${what}.seed`, 0);
  let gridPoints: Float64Array | undefined;
  let gridCount = 200;
  if (typeof o.grid === 'number' || o.grid === undefined) gridCount = integer(o.grid, `${what}.grid`, { min: 2, max: 2 ** 24 }, 200);
  else gridPoints = vector(o.grid, `${what}.grid`);
  const sigmaGiven = o.sigma === undefined ? undefined : finite(o.sigma, `${what}.sigma`, { min: SIGMA_MIN, max: SIGMA_MAX });
  const spec = op.spec();
  return run(what, (live) => {
    const r = method === 'exact' ? exactMeasure(live, spec) : slqMeasure(live, spec, probes, m, seed);
    const { nodes, weights } = r;
    let lo = Infinity,
      hi = -Infinity;
    for (const x of nodes) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    const finiteRange = Number.isFinite(lo) && Number.isFinite(hi);
    const sigma =
      sigmaGiven ??
      Math.min(SIGMA_MAX, Math.max(SIGMA_MIN, !finiteRange ? 1 : hi > lo ? (hi - lo) / 100 : 1e-3 * Math.max(1, Math.abs(lo))));
    let grid: Float64Array;
    if (gridPoints) grid = gridPoints;
    else {
      grid = new Float64Array(gridCount);
      const a = finiteRange ? lo - 5 * sigma : -1,
        b = finiteRange ? hi + 5 * sigma : 1;
      const step = (b - a) / (gridCount - 1);
      for (let i = 0; i < gridCount; i++) grid[i] = a + i * step;
    }
    if (!finiteRange && r.status === 'converged')
      throw invalid('E_INPUT', `${what}: op`, 'an operator with finite products', 'non-finite Ritz values');
    const dens = kernels.density(live, nodes, weights, sigma, grid);
    return {
      grid,
      density: dens,
      sigma,
      method,
      nodes,
      weights,
      steps: r.steps,
      probes,
      lanczosSteps: m,
      iterations: r.matvecs,
      status: r.status,
    };
  });
}

/** A measure Σ w_k δ_{θ_k} and how it was obtained. */
interface Measure {
  nodes: Float64Array;
  weights: Float64Array;
  steps: Int32Array;
  matvecs: number;
  status: SpectralStatus;
}

/** SLQ: each probe's Gauss nodes and weights (divided by the number of probes), probe after probe. */
function slqMeasure(live: Live, spec: OperatorSpec, probes: number, m: number, seed: number): Measure {
  const r = kernels.slq(live, spec, { probes, steps: m, seed });
  let total = 0;
  for (const c of r.counts) total += c;
  const nodes = new Float64Array(total),
    weights = new Float64Array(total);
  let q = 0;
  for (let j = 0; j < probes; j++) {
    nodes.set(r.nodes[j], q);
    weights.set(r.weights[j], q);
    q += r.nodes[j].length;
  }
  return { nodes, weights, steps: Int32Array.from(r.counts), matvecs: r.matvecs, status: r.status };
}

/** Every eigenvalue, weight 1/n (bindings/spectral.ts exactSpectrum). */
function exactMeasure(live: Live, spec: OperatorSpec): Measure {
  const r = kernels.exactSpectrum(live, spec);
  const n = r.values.length;
  return { nodes: r.values, weights: new Float64Array(n).fill(1 / n), steps: new Int32Array(0), matvecs: r.matvecs, status: r.status };
}
