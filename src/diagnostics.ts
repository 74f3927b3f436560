/**
 * `diagnostics.*`: how good is a sample? Moments with Monte Carlo standard errors,
 * autocorrelation and effective sample size of chains, MALA acceptance rates, kernel Stein
 * discrepancy to a target, maximum mean discrepancy between two samples, and mean first-exit
 * and first-hitting times. Every number is computed in wasm (assembly/diagnostics/*); estimators are stated on each
 * function and in docs/samplers.md.
 *
 * @example
 * const r = await descent.simulate({ landscape, sampler: descent.samplers.mala({ stepSize: 0.2 }), ... , record: { trajectories: 50 } });
 * descent.diagnostics.acceptanceRate(r).rate;
 * descent.diagnostics.effectiveSampleSize(descent.diagnostics.chains(r, { coordinate: 0, burnIn: 100 }));
 * descent.diagnostics.ksd(landscape, r.x);
 */
import { DescentError, invalid } from './errors.ts';
import { finite, integer, options, vector } from './validate.ts';
import { sqrt } from '../bindings/scalar.ts';
import * as W from '../bindings/diagnostics.ts';
import { Landscape } from './landscapes/landscape.ts';
import type { EnsembleResult } from './simulate.ts';

const INPUT = 'E_INPUT' as const;

/** A sample array: n rows of `dim` numbers, row-major. */
function rows(x: unknown, dim: number, path: string, minRows: number): { data: Float64Array; n: number } {
  const data = vector(x, path, undefined, {}, INPUT);
  if (data.length % dim !== 0) throw invalid(INPUT, path, `a multiple of dim = ${dim} numbers (rows of dim)`, `${data.length} numbers`);
  const n = data.length / dim;
  if (n < minRows) throw invalid(INPUT, path, `at least ${minRows} rows of ${dim}`, `${n}`);
  return { data, n };
}

function dimOf(v: unknown, path: string): number {
  return integer(v, path, { min: 1, max: 1 << 20 }, undefined, INPUT);
}

/** Per-coordinate sample moments with i.i.d. standard errors. */
export interface Moments {
  /** Rows (samples). */
  n: number;
  mean: Float64Array;
  /** Unbiased sample variance. */
  variance: Float64Array;
  /** √(variance/n): the Monte Carlo standard error of the mean for independent samples (an ensemble's particles). */
  standardError: Float64Array;
}

/** Mean, variance and standard error of each coordinate of n samples (rows of `dim`, e.g. `result.x`). */
export function moments(samples: ArrayLike<number>, config: { dim: number }): Moments {
  const c = options<{ dim: number }>(config, 'diagnostics.moments', ['dim']);
  const d = dimOf(c.dim, 'diagnostics.moments.dim');
  const { data, n } = rows(samples, d, 'diagnostics.moments: samples', 2);
  return { n, ...W.columnMoments(data, n, d) };
}

/** m chains of equal length, row-major (chain c's draws at c·length …). */
export interface Chains {
  data: ArrayLike<number>;
  /** Number of chains m. */
  chains: number;
  /** Draws per chain n. */
  length: number;
}

function chainsOf(value: unknown, path: string): { data: Float64Array; m: number; n: number } {
  if (value !== null && typeof value === 'object' && 'chains' in (value as object)) {
    const c = options<Chains>(value, path, ['data', 'chains', 'length']);
    const m = integer(c.chains, `${path}.chains`, { min: 1 }, undefined, INPUT);
    const n = integer(c.length, `${path}.length`, { min: 4 }, undefined, INPUT);
    const data = vector(c.data, `${path}.data`, m * n, {}, INPUT);
    return { data, m, n };
  }
  const data = vector(value, path, undefined, {}, INPUT);
  if (data.length < 4) throw invalid(INPUT, path, 'a chain of at least 4 draws', `${data.length}`);
  return { data, m: 1, n: data.length };
}

/**
 * Chains of one coordinate from a result's recorded trajectories (`record: { trajectories: m }`):
 * m chains x_t[coordinate], t = burnIn … T.
 */
export function chains(result: EnsembleResult, config: { coordinate?: number; burnIn?: number } = {}): Chains {
  const c = options<{ coordinate?: number; burnIn?: number }>(config, 'diagnostics.chains', ['coordinate', 'burnIn']);
  if (!result?.trajectories)
    throw new DescentError(INPUT, 'diagnostics.chains: the result has no trajectories; run simulate with record: { trajectories: m }', {
      path: 'diagnostics.chains: result',
    });
  const d = result.dim,
    m = result.trajectories.particles,
    T = result.steps;
  const j = integer(c.coordinate, 'diagnostics.chains.coordinate', { min: 0, max: d - 1 }, 0, INPUT);
  const burn = integer(c.burnIn, 'diagnostics.chains.burnIn', { min: 0, max: T - 3 }, 0, INPUT);
  const n = T + 1 - burn,
    src = result.trajectories.data,
    data = new Float64Array(m * n);
  for (let p = 0; p < m; p++) for (let t = 0; t < n; t++) data[p * n + t] = src[((t + burn) * m + p) * d + j];
  return { data, chains: m, length: n };
}

/**
 * Autocorrelation ρ(0 … maxLag) of one chain (an array) or of several ({@link Chains}): the
 * multi-chain estimator of Vehtari et al. (2021, eq. 10, without rank normalisation), with
 * biased per-chain autocovariances; for one chain it is γ(k)/γ(0) up to the factor n/(n − 1).
 */
export function autocorrelation(chain: ArrayLike<number> | Chains, config: { maxLag?: number } = {}): Float64Array {
  const c = options<{ maxLag?: number }>(config, 'diagnostics.autocorrelation', ['maxLag']);
  const { data, m, n } = chainsOf(chain, 'diagnostics.autocorrelation: chain');
  const maxLag = integer(c.maxLag, 'diagnostics.autocorrelation.maxLag', { min: 0, max: n - 1 }, Math.min(n - 1, 100), INPUT);
  return W.autocorrelation(data, m, n, maxLag);
}

/**
 * Effective sample size of one chain or several: m·n/τ, τ = −1 + 2 Σ_t P_t with Geyer's initial
 * monotone sequence of pair sums P_t = ρ(2t) + ρ(2t+1) (Geyer 1992) over the multi-chain
 * autocorrelation of {@link autocorrelation}. NaN for constant chains.
 */
export function effectiveSampleSize(chain: ArrayLike<number> | Chains): number {
  const { data, m, n } = chainsOf(chain, 'diagnostics.effectiveSampleSize: chain');
  return W.effectiveSampleSize(data, m, n);
}

/** MALA and Metropolis–Hastings acceptance: the overall rate Σ accepted / Σ proposals, and each particle's. */
export function acceptanceRate(result: EnsembleResult): { rate: number; perParticle: Float64Array } {
  if (!result?.accepted)
    throw new DescentError(
      INPUT,
      'diagnostics.acceptanceRate: the result has no acceptance counts (only samplers.mala and samplers.metropolisHastings results do)',
      {
        path: 'diagnostics.acceptanceRate: result',
      },
    );
  // A particle that stopped or diverged at step t made t proposals; the others made `steps`.
  let acc = 0,
    prop = 0;
  const perParticle = new Float64Array(result.particles);
  for (let p = 0; p < result.particles; p++) {
    const end = result.stoppedAt[p] >= 0 ? result.stoppedAt[p] : result.divergedAt[p] >= 0 ? result.divergedAt[p] + 1 : result.steps;
    perParticle[p] = end > 0 ? result.accepted[p] / end : NaN;
    acc += result.accepted[p];
    prop += end;
  }
  return { rate: acc / prop, perParticle };
}

/** Config of {@link ksd}. */
export interface KsdConfig {
  /** Temperature T of the target π ∝ exp(−U/T). Default 1. */
  temperature?: number;
  /** IMQ scale c > 0. Default 1. */
  c?: number;
  /** IMQ exponent β ∈ (−1, 0). Default −1/2. */
  beta?: number;
}

/**
 * Kernel Stein discrepancy of the sample `x` (rows of the landscape's dimension) to
 * π ∝ exp(−U/T), U the landscape, with the IMQ kernel (c² + ‖x − y‖²)^β (Gorham & Mackey 2017):
 * √KSD², KSD² the V-statistic (1/N²)Σᵢⱼ k_π(xᵢ, xⱼ) with scores ∇log π = −∇U/T computed by the
 * landscape in wasm. Zero only when the sample's empirical law is π (in the limit); O(N²d).
 */
export function ksd(landscape: Landscape, x: ArrayLike<number>, config: KsdConfig = {}): number {
  if (!(landscape instanceof Landscape))
    throw invalid(INPUT, 'diagnostics.ksd: landscape', 'a landscape from landscapes.* or models.*', landscape);
  const c = options<KsdConfig>(config, 'diagnostics.ksd', ['temperature', 'c', 'beta']);
  const T = finite(c.temperature, 'diagnostics.ksd.temperature', { gt: 0 }, 1, INPUT);
  const scale = finite(c.c, 'diagnostics.ksd.c', { gt: 0 }, 1, INPUT);
  const beta = finite(c.beta, 'diagnostics.ksd.beta', { gt: -1, max: 0, not: 0 }, -0.5, INPUT);
  const d = landscape.dim;
  const { data, n } = rows(x, d, 'diagnostics.ksd: x', 1);
  const g = landscape.gradBatch(data);
  const scores = g.map((v) => -v / T);
  return sqrt(W.steinImq(data, scores, n, d, scale, beta));
}

/** Config of {@link mmd}. */
export interface MmdConfig {
  /** Dimension of a sample row. */
  dim: number;
  /** Gaussian kernel bandwidth ℓ > 0, or 'median' (default): the median distance between points of the pooled sample. */
  bandwidth?: number | 'median';
}

/**
 * Maximum mean discrepancy between samples x and y (rows of `dim`): the unbiased MMD²ᵤ of
 * Gretton et al. (2012, Lemma 6) with the Gaussian kernel exp(−‖a − b‖²/(2ℓ²)). Near 0 (and
 * possibly slightly negative) when both come from one distribution.
 */
export function mmd(x: ArrayLike<number>, y: ArrayLike<number>, config: MmdConfig): { mmd2: number; bandwidth: number } {
  const c = options<MmdConfig>(config, 'diagnostics.mmd', ['dim', 'bandwidth']);
  const d = dimOf(c.dim, 'diagnostics.mmd.dim');
  const X = rows(x, d, 'diagnostics.mmd: x', 2),
    Y = rows(y, d, 'diagnostics.mmd: y', 2);
  let ell: number;
  if (c.bandwidth === undefined || c.bandwidth === 'median') {
    const pooled = new Float64Array(X.data.length + Y.data.length);
    pooled.set(X.data);
    pooled.set(Y.data, X.data.length);
    ell = W.medianPairDistance(pooled, X.n + Y.n, d);
    if (!(ell > 0))
      throw new DescentError(INPUT, 'diagnostics.mmd: the median pairwise distance is 0 (repeated points); give bandwidth explicitly', {
        path: 'diagnostics.mmd.bandwidth',
      });
  } else {
    ell = finite(c.bandwidth, 'diagnostics.mmd.bandwidth', { gt: 0 }, undefined, INPUT);
  }
  return { mmd2: W.mmdGaussian(X.data, Y.data, X.n, Y.n, d, ell), bandwidth: ell };
}

/** Mean first hitting time of a stop region (entering a ball, or leaving an exit ball). */
export interface HittingTimes {
  /** Mean of τ = stoppedAt·stepSize over the particles that hit the region. */
  mean: number;
  /** Its i.i.d. standard error. */
  standardError: number;
  /** Particles that hit the region within the run. */
  hit: number;
  /** Particles that never hit it (or stopped elsewhere first): excluded, so `mean` is biased low unless this is 0. */
  censored: number;
  /** τ of each particle (NaN when censored). */
  times: Float64Array;
  /** Whether the region is an exit region (τ: the first x_t outside) or an entry region (τ: the first x_t inside). */
  exit: boolean;
}

/** Mean first-exit time, from a run whose stop regions include an exit region. */
export interface ExitTimes {
  /** Mean of τ = stoppedAt·stepSize over the particles that exited. */
  mean: number;
  /** Its i.i.d. standard error. */
  standardError: number;
  /** Particles that left the region within the run. */
  exited: number;
  /** Particles still inside at the end (or stopped elsewhere): excluded, so `mean` is biased low unless this is 0. */
  censored: number;
  /** τ of each particle (NaN when censored). */
  times: Float64Array;
}

/** The stop regions of a result's run config (exit: true marks exit regions). */
function stopRegions(result: EnsembleResult): { exit?: boolean }[] {
  return (result?.config?.stop as { regions?: { exit?: boolean }[] } | undefined)?.regions ?? [];
}

/** τ_p = stoppedAt·h of the particles stopped by region k, their mean and standard error. */
function timesIn(result: EnsembleResult, k: number, h: number): Omit<HittingTimes, 'exit'> {
  const times = new Float64Array(result.particles).fill(NaN);
  const hits: number[] = [];
  for (let p = 0; p < result.particles; p++) {
    if (result.region[p] === k && result.stoppedAt[p] >= 0) {
      times[p] = result.stoppedAt[p] * h;
      hits.push(times[p]);
    }
  }
  const n = hits.length;
  const m = n >= 2 ? W.columnMoments(Float64Array.from(hits), n, 1) : undefined;
  return {
    mean: m ? m.mean[0] : n === 1 ? hits[0] : NaN,
    standardError: m ? m.standardError[0] : NaN,
    hit: n,
    censored: result.particles - n,
    times,
  };
}

/**
 * First hitting times of any stop region of a `simulate` run (`stop: { regions: [...] }`):
 * particle p hit region k at step τ_p — the first x_t inside the ball for an entry region, the
 * first x_t outside for an exit region (`exit: true`) — i.e. at time τ_p·stepSize. `region`
 * picks the stop region (default 0). A particle stopped by another region first is censored.
 *
 * @example
 * const r = await descent.simulate({ ..., stop: { regions: [{ center: [1], radius: 0.1 }] } });
 * descent.diagnostics.hittingTimes(r, { stepSize: 0.01 }).mean; // mean time to enter the well
 */
export function hittingTimes(result: EnsembleResult, config: { region?: number; stepSize?: number } = {}): HittingTimes {
  const c = options<{ region?: number; stepSize?: number }>(config, 'diagnostics.hittingTimes', ['region', 'stepSize']);
  const regions = stopRegions(result);
  if (regions.length === 0)
    throw invalid(INPUT, 'diagnostics.hittingTimes: result', 'the result of a run with stop regions (stop.regions)', 'a run without any');
  const k = integer(c.region, 'diagnostics.hittingTimes.region', { min: 0, max: regions.length - 1 }, 0, INPUT);
  const h = finite(c.stepSize, 'diagnostics.hittingTimes.stepSize', { gt: 0 }, 1, INPUT);
  return { ...timesIn(result, k, h), exit: regions[k].exit === true };
}

/**
 * First-exit times from `simulate` with `stop: { regions: [{ center, radius, exit: true }] }`:
 * particle p left the ball at step τ_p (the first x_t outside), i.e. at time τ_p·stepSize.
 * `region` picks the stop region (default: the first exit region in the config). For entry
 * regions (entering a ball) use {@link hittingTimes}.
 */
export function exitTimes(result: EnsembleResult, config: { region?: number; stepSize?: number } = {}): ExitTimes {
  const c = options<{ region?: number; stepSize?: number }>(config, 'diagnostics.exitTimes', ['region', 'stepSize']);
  const regions = stopRegions(result);
  const fallback = regions.findIndex((r) => r.exit === true);
  if (c.region === undefined && fallback < 0)
    throw invalid(
      INPUT,
      'diagnostics.exitTimes.region',
      'the index of an exit region (stop.regions[k].exit: true) of the run; for entering a region use diagnostics.hittingTimes',
      `a run with ${regions.length} entry region(s) and no exit region`,
    );
  const k = integer(c.region, 'diagnostics.exitTimes.region', { min: 0, max: Math.max(0, regions.length - 1) }, fallback, INPUT);
  if (regions[k]?.exit !== true)
    throw invalid(
      INPUT,
      'diagnostics.exitTimes.region',
      'the index of an exit region (stop.regions[k].exit: true) of the run; for an entry region use diagnostics.hittingTimes',
      k,
    );
  const h = finite(c.stepSize, 'diagnostics.exitTimes.stepSize', { gt: 0 }, 1, INPUT);
  const { hit, ...rest } = timesIn(result, k, h);
  return { ...rest, exited: hit };
}
