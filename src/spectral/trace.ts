/**
 * Trace and diagonal of symmetric operators from products only: Hutchinson's estimator, Hutch++
 * and the exact unit-vector sums (assembly/spectral/trace.ts). Probe vectors come from the
 * counter-based generator (stream 8), so an estimate is a pure function of the operator, the
 * options and the seed.
 */
import { run } from '../../bindings/engine.ts';
import * as kernels from '../../bindings/spectral.ts';
import { invalid } from '../errors.ts';
import { integer, options, seed as seedOf } from '../validate.ts';
import type { SpectralOperator } from './operators.ts';
import { checkOperator, type SpectralStatus } from './eigen.ts';

/** Probe distribution: Rademacher ±1 (default; the smaller variance) or standard Gaussian. */
export type ProbeDistribution = 'rademacher' | 'gaussian';

/** Options of {@link trace}. */
export interface TraceOptions {
  /**
   * `'hutchinson'` (default): mean of zᵀAz over `probes` probes; `'hutchpp'`: Hutch++ (Meyer et
   * al. 2021) with a budget of `probes` products — a third sketch the top of the spectrum, which
   * is then traced exactly; `'exact'`: Σ e_iᵀ A e_i (dim products, no error).
   */
  method?: 'hutchinson' | 'hutchpp' | 'exact';
  /** Products to spend: ≥ 2 for hutchinson, ≥ 6 for hutchpp (ignored by exact). Default 100. */
  probes?: number;
  /** Probe distribution. Default 'rademacher'. */
  distribution?: ProbeDistribution;
  /** Seed of the probes. Default 0. */
  seed?: number;
}

/** Result of {@link trace}. */
export interface TraceResult {
  /** The estimate of tr A. */
  estimate: number;
  /**
   * Its standard error: s/√N over the N Hutchinson samples (for hutchpp, those of the deflated
   * part; 0 for exact). A 95% interval is estimate ± 1.96·stdError (normal approximation).
   */
  stdError: number;
  method: 'hutchinson' | 'hutchpp' | 'exact';
  /** Operator products used. */
  iterations: number;
  /** Hutchinson samples zᵀAz (for hutchpp: of the deflated operator); empty for exact. */
  samples: Float64Array;
  /** Hutch++ only: tr(QᵀAQ), the exactly traced part, and the rank of its sketch. */
  sketch?: { trace: number; rank: number };
  status: SpectralStatus;
}

function commonOptions(
  op: SpectralOperator,
  o: { probes?: number; distribution?: ProbeDistribution; seed?: number },
  what: string,
  minProbes: number,
) {
  const probes = integer(o.probes, `${what}.probes`, { min: minProbes, max: 2 ** 31 - 1 }, 100);
  const distribution = o.distribution ?? 'rademacher';
  if (distribution !== 'rademacher' && distribution !== 'gaussian')
    throw invalid('E_CONFIG', `${what}.distribution`, "'rademacher' or 'gaussian'", distribution);
  const seed = seedOf(o.seed, `${what}.seed`, 0);
  return { probes, dist: kernels.DIST[distribution], seed, n: op.dim };
}

/**
 * Estimate tr A. Hutchinson: for probes with E[zzᵀ] = I, zᵀAz is unbiased with variance
 * 2(‖A‖_F² − Σa_ii²) (Rademacher) or 2‖A‖_F² (Gaussian); the standard error is estimated from
 * the samples. Hutch++ removes the top of the spectrum first and so needs O(1/ε) instead of
 * O(1/ε²) products for relative error ε on PSD operators with decaying spectra.
 *
 * @example
 * const { estimate, stdError } = descent.spectral.trace(H, { probes: 200, seed: 1 });
 */
export function trace(op: SpectralOperator, opts?: TraceOptions): TraceResult {
  const what = 'spectral.trace';
  checkOperator(op, what);
  const o = options<TraceOptions>(opts, what, ['method', 'probes', 'distribution', 'seed']);
  const method = o.method ?? 'hutchinson';
  if (method !== 'hutchinson' && method !== 'hutchpp' && method !== 'exact')
    throw invalid('E_CONFIG', `${what}.method`, "'hutchinson', 'hutchpp' or 'exact'", method);
  const c = commonOptions(op, o, what, method === 'hutchpp' ? 6 : 2);
  const spec = op.spec();
  if (method === 'hutchpp') {
    const r = run(what, (live) => kernels.hutchpp(live, spec, c));
    return {
      estimate: r.exact + r.mean,
      stdError: r.stdError,
      method,
      iterations: r.matvecs,
      samples: r.samples,
      sketch: { trace: r.exact, rank: r.rank },
      status: r.status,
    };
  }
  const exact = method === 'exact';
  const r = run(what, (live) => kernels.hutchinson(live, spec, { ...c, diagonal: false, exact }));
  return {
    estimate: r.mean,
    stdError: r.stdError,
    method,
    iterations: r.matvecs,
    samples: r.samples ?? new Float64Array(0),
    status: r.status,
  };
}

/** Options of {@link diagonal}. */
export interface DiagonalOptions {
  /** `'hutchinson'` (default): Bekas et al.'s estimator; `'exact'`: (A e_i)_i, dim products. */
  method?: 'hutchinson' | 'exact';
  /** Probes (≥ 2; ignored by exact). Default 100. */
  probes?: number;
  distribution?: ProbeDistribution;
  seed?: number;
}

/** Result of {@link diagonal}. */
export interface DiagonalResult {
  /** The estimate of diag A. */
  diagonal: Float64Array;
  /** Per-coordinate standard errors (0 for exact). */
  stdError: Float64Array;
  method: 'hutchinson' | 'exact';
  iterations: number;
  status: SpectralStatus;
}

/**
 * Estimate diag A: a_ii ≈ mean_j z_ji (A z_j)_i (Bekas, Kokiopoulou & Saad 2007; unbiased for
 * Rademacher and Gaussian probes), with per-coordinate standard errors; with the same seed,
 * probes and distribution its sum equals `trace`'s Hutchinson estimate (to rounding). Use
 * `method: 'exact'` for small operators (dim products).
 */
export function diagonal(op: SpectralOperator, opts?: DiagonalOptions): DiagonalResult {
  const what = 'spectral.diagonal';
  checkOperator(op, what);
  const o = options<DiagonalOptions>(opts, what, ['method', 'probes', 'distribution', 'seed']);
  const method = o.method ?? 'hutchinson';
  if (method !== 'hutchinson' && method !== 'exact') throw invalid('E_CONFIG', `${what}.method`, "'hutchinson' or 'exact'", method);
  const c = commonOptions(op, o, what, 2);
  const spec = op.spec();
  const exact = method === 'exact';
  const r = run(what, (live) => kernels.hutchinson(live, spec, { ...c, diagonal: true, exact }));
  return {
    diagonal: r.diagonal!,
    stdError: r.diagonalStdError ?? new Float64Array(op.dim),
    method,
    iterations: r.matvecs,
    status: r.status,
  };
}
