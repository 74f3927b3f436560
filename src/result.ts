/**
 * What a run returns, and how it is built from a complete summary (src/summary.ts), the bounded
 * per-particle records (trajectories of the first m particles, the sharpness track) and, when kept,
 * every particle's final state — one function for every way a run is executed (one instance,
 * workers, segments, merged shards), so the same numbers give the same result and the same hash.
 */
import { copyTrack, STATUS, trackRows, trackSections, trackWidth, type BlockRange, type ParticleColumns } from '../bindings/ensemble.ts';
import { hashFloat64 } from './hash.ts';
import type { SummaryStatistics } from './summary.ts';

/** What shapes a result besides its numbers (all derived from the normalised config). */
export interface EnsembleShape {
  particles: number;
  steps: number;
  dim: number;
  /** Particles per block. */
  block: number;
  /** Record every k steps (0: no records). */
  every: number;
  levels: number[];
  /** Mantissa bits of the loss quantile sketch. */
  bits: number;
  /** Loss histogram edges (empty: none). */
  edges: number[];
  /** Final-state coordinate histogram edges (empty: none). */
  paramEdges: number[];
  /** Trajectories kept for the first m particles (0: none). */
  trajectories: number;
  /** Number of stop regions. */
  regions: number;
  /** record.final: the record ends with a row for the final state, at step T. */
  recordFinal?: boolean;
  /** MALA: acceptance is summarised (and kept per particle with the particles). */
  accepts?: boolean;
  /** Sharpness tracking: top-k Hessian eigenvalues of the first `particles` particles every `every` steps. */
  track?: { every: number; particles: number; k: number };
}

/** Loss quantiles from the sketch: type-7 quantiles of the losses rounded to their buckets. */
export interface SketchQuantiles {
  levels: number[];
  /** rows × levels (a record) or levels (the final state). Within relative error 2^−(bits+1) of the exact type-7 quantile. */
  values: Float64Array;
  /**
   * Fraction of counted particles strictly below the bucket of the lower order statistic each value interpolates from (same shape as
   * values).
   */
  rankLow: Float64Array;
  /** Fraction at or below that bucket: the exact rank interval the reported bucket occupies. */
  rankHigh: Float64Array;
  /** Mantissa bits of the sketch. */
  bits: number;
}

/** Counts of a histogram on declared edges: bins (−∞, e₀), [e₀, e₁), …, [e_{k−1}, ∞). */
export interface Histogram {
  edges: number[];
  /** rows × (edges + 1) (a record), edges + 1 (the final loss) or dim × (edges + 1) (final coordinates). */
  counts: Float64Array;
}

/** Statistics recorded every `every` steps over counted particles (active or stopped; diverged ones excluded). */
export interface EnsembleRecord {
  every: number;
  /** The recorded steps t: 0, every, … < T, then T with `record.final` (that row's gradNormMean is NaN). */
  steps: Int32Array;
  /** Particles counted at each recorded step. */
  count: Float64Array;
  lossMean: Float64Array;
  /** Unbiased sample variance of the loss. */
  lossVariance: Float64Array;
  lossMin: Float64Array;
  lossMax: Float64Array;
  /** Loss quantiles from the mergeable sketch, rows × levels. */
  lossQuantiles: SketchQuantiles;
  /** Loss histogram on `record.lossEdges`. */
  lossHistogram?: Histogram;
  /** Mean ‖∇f(x_t)‖ (before noise). */
  gradNormMean: Float64Array;
  /** Per-coordinate mean, rows × dim. */
  paramMean: Float64Array;
  /** Per-coordinate unbiased variance, rows × dim. */
  paramVariance: Float64Array;
}

/** Statistics of the final state x_T over counted particles (running or stopped). */
export interface FinalStatistics {
  count: number;
  lossMean: number;
  lossVariance: number;
  lossMin: number;
  lossMax: number;
  lossQuantiles: SketchQuantiles;
  lossHistogram?: Histogram;
  /** Per-coordinate mean and unbiased variance of x_T (stopped particles where they stopped). */
  paramMean: Float64Array;
  paramVariance: Float64Array;
  /** Histograms of each coordinate of x_T on `record.paramEdges`: counts are dim × (edges + 1). */
  paramHistogram?: Histogram;
}

/** Moments of event steps (divergence or stop) of the particles they happened to. */
export interface EventTimes {
  count: number;
  mean: number;
  /** Unbiased variance (0 for one event, NaN for none). */
  variance: number;
  min: number;
  max: number;
}

/** The sharpness track of a run (`track: { sharpness }`): R rows t = 0, every, … < steps, m particles. */
export interface SharpnessTrackResult {
  every: number;
  /** Tracked particles m (the first ones). */
  particles: number;
  k: number;
  /** The measured steps t (R). */
  steps: Int32Array;
  /** f(x_t), R × m (NaN once a particle has stopped or diverged: only active particles are measured). */
  loss: Float64Array;
  /**
   * Lanczos status, R × m: 0 converged, 1 product budget spent (values are the best estimates), 2 non-finite product, 3 eigensolver
   * failure, −1 not measured.
   */
  status: Int32Array;
  /** Top-k eigenvalues of ∇²f(x_t), descending, R × m × k: `eigenvalues`, as spectral.topEigenvalues names them. */
  eigenvalues: Float64Array;
  /** @deprecated The same array as {@link SharpnessTrackResult.eigenvalues}; kept for one release. */
  values: Float64Array;
  /** Lanczos residual norms ‖Hy − θy‖ of those, R × m × k. */
  residuals: Float64Array;
}

/**
 * What every run gives, however it was split: the mergeable statistics. Its size does not grow
 * with the number of particles (beyond the trajectories and track the config asks for).
 */
export interface EnsembleSummary {
  /** The normalised config (JSON-serialisable) and the seed it ran with. */
  config: Record<string, unknown>;
  particles: number;
  steps: number;
  dim: number;
  counts: { running: number; diverged: number; stopped: number; regions: number[] };
  /** Statistics of x_T. */
  final: FinalStatistics;
  /** When particles diverged, and when they stopped: by the gradient tolerance, and in each region. */
  times: { diverged: EventTimes; gradTol: EventTimes; regions: EventTimes[] };
  /**
   * samplers.mala, metropolisHastings: accepted and made proposals over all particles (a particle
   * that stopped or diverged at step t made t).
   */
  acceptance?: { accepted: number; proposals: number; rate: number };
  record?: EnsembleRecord;
  /** The sharpness track (config `track.sharpness`). */
  sharpness?: SharpnessTrackResult;
  /** Paths x_0 … x_T of the first m particles: (T + 1) × m × dim. */
  trajectories?: { particles: number; data: Float64Array };
  /**
   * samplers.svgd: the RBF kernel bandwidth h of exp(−‖x − y‖²/h) that step t used, t = 0 … T − 1
   * (the median heuristic's, recomputed each step, or the fixed h; NaN after every particle
   * diverged). A function of the trajectory, so not part of `hash`.
   */
  svgd?: { bandwidths: Float64Array };
  /** FNV-1a 64 over every number above (hex): equal for one process, workers and merged shards. */
  hash: string;
}

/** A run's result with every particle's final state (in-process runs keep them by default). */
export interface EnsembleResult extends EnsembleSummary {
  /** Final positions, particles × dim (row-major); stopped particles where they stopped; diverged ones non-finite. */
  x: Float64Array;
  /** f at the final positions. */
  loss: Float64Array;
  /** Step at which each particle diverged, or −1. */
  divergedAt: Int32Array;
  /** Step at which each particle stopped, or −1. */
  stoppedAt: Int32Array;
  /** Region each particle stopped in (−1: gradient tolerance or not stopped). */
  region: Int32Array;
  /**
   * Accepted proposals of each particle (samplers.mala and metropolisHastings only); a particle that
   * stopped or diverged at step t made t proposals, others
   * `steps`.
   */
  accepted?: Int32Array;
  /**
   * Final velocities v_T, particles × dim (row-major), of a kinetic sampler (samplers.underdamped):
   * the textbook scheme's v_T for every integrator (BAOAB's and OBABO's closing half-steps of the
   * last step applied). Meaningful for particles that ran every step: a stopped or diverged
   * particle's velocity is not frozen with it.
   */
  v?: Float64Array;
  /** FNV-1a 64 over x, loss, divergedAt, stoppedAt, region (and accepted, v). */
  particlesHash: string;
}

/** Doubles per row and tracked particle of a sharpness track. */
export function trackWidthOf(s: EnsembleShape): number {
  return s.track ? trackWidth(s.track.k) : 0;
}

/** Rows of a sharpness track. */
export function trackRowsOf(s: EnsembleShape): number {
  return s.track ? trackRows(s.steps, s.track.every) : 0;
}

/** Blocks in the whole run. */
export function blockCount(s: EnsembleShape): number {
  return Math.ceil(s.particles / s.block);
}

/** Record rows of the whole run: t = 0, every, 2·every, … < steps. */
export function recordRows(s: EnsembleShape): number {
  return s.every > 0 ? Math.ceil(s.steps / s.every) : 0;
}

/** Particles [p0, p1) of a block range. */
export function particlesOf(s: EnsembleShape, r: BlockRange): { p0: number; p1: number } {
  return { p0: Math.min(s.particles, r.first * s.block), p1: Math.min(s.particles, r.end * s.block) };
}

/** The bounded per-particle records of a block range: trajectories and the sharpness track of its particles among the first m. */
export interface Bounded {
  trajectories: Float64Array;
  sharpness?: Float64Array;
  /** SVGD (always one range: its particles interact): the bandwidth each step used. */
  bandwidths?: Float64Array;
}

/**
 * The bounded records of block range `outer` from those of consecutive ranges covering it, in
 * block order (only ranges reaching the first m particles hold any).
 */
export function combineBounded(s: EnsembleShape, parts: { range: BlockRange; piece: Bounded }[], outer: BlockRange): Bounded {
  const d = s.dim,
    T = s.steps,
    m = s.trajectories;
  const { p0: P0, p1: P1 } = particlesOf(s, outer),
    M = Math.max(0, Math.min(m, P1) - P0);
  const trajectories = new Float64Array((T + 1) * M * d);
  const total = s.track ? Math.max(0, Math.min(s.track.particles, P1) - P0) : 0;
  const sharpness = s.track ? new Float64Array(trackRowsOf(s) * total * trackWidthOf(s)) : undefined;
  for (const { range, piece } of parts) {
    const { p0, p1 } = particlesOf(s, range),
      at = p0 - P0;
    const mine = Math.max(0, Math.min(m, p1) - p0);
    for (let t = 0; t <= T && mine > 0; t++)
      trajectories.set(piece.trajectories.subarray(t * mine * d, (t + 1) * mine * d), (t * M + at) * d);
    if (sharpness && s.track) {
      const tm = Math.max(0, Math.min(s.track.particles, p1) - p0);
      if (tm > 0) copyTrack(trackSections(s.track.k), trackRowsOf(s), piece.sharpness!, tm, 0, sharpness, total, at, tm);
    }
  }
  const bandwidths = parts.find((q) => q.piece.bandwidths)?.piece.bandwidths;
  return { trajectories, ...(sharpness ? { sharpness } : {}), ...(bandwidths ? { bandwidths } : {}) };
}

/** Particle columns of consecutive ranges, concatenated (the whole run's, in particle order). */
export function combineParticles(d: number, parts: ParticleColumns[], accepts: boolean): ParticleColumns {
  const n = parts.reduce((k, p) => k + p.loss.length, 0);
  const out: ParticleColumns = {
    first: parts[0]?.first ?? 0,
    x: new Float64Array(n * d),
    loss: new Float64Array(n),
    status: new Int32Array(n),
    event: new Int32Array(n),
    region: new Int32Array(n),
    ...(accepts ? { accepted: new Int32Array(n) } : {}),
    ...(parts.some((p) => p.v) ? { v: new Float64Array(n * d) } : {}),
  };
  let at = 0;
  for (const p of parts) {
    out.x.set(p.x, at * d);
    out.loss.set(p.loss, at);
    out.status.set(p.status, at);
    out.event.set(p.event, at);
    out.region.set(p.region, at);
    if (out.accepted) out.accepted.set(p.accepted!, at);
    if (out.v) out.v.set(p.v!, at * d);
    at += p.loss.length;
  }
  return out;
}

/** Status codes of the final state (bindings/ensemble.ts STATUS, checked by test/layout.test.ts). */
const { DIVERGED, STOPPED } = STATUS;

function times(g: Float64Array, k: number): EventTimes {
  return { count: g[5 * k], mean: g[5 * k + 1], variance: g[5 * k + 2], min: g[5 * k + 3], max: g[5 * k + 4] };
}

/** The summary result of a run from its complete statistics and bounded records. */
export function assembleSummary(
  s: EnsembleShape,
  config: Record<string, unknown>,
  st: SummaryStatistics,
  bounded: Bounded,
): EnsembleSummary {
  const d = s.dim,
    nq = s.levels.length,
    R = recordRows(s),
    sw = 6 + 2 * d,
    ne = s.edges.length;
  const hashed: (Float64Array | number[])[] = [];
  let record: EnsembleRecord | undefined;
  if (R > 0) {
    // record.final: row R is the final state (st.final is laid out as a record row, with mean
    // ‖∇f‖ NaN; its quantiles as a row's; its histogram follows the rows'). It is hashed already,
    // as the final statistics, so the row changes no hash.
    const Rf = R + (s.recordFinal ? 1 : 0);
    const row = (r: number) => (r < R ? st.rows.subarray(r * sw, (r + 1) * sw) : st.final);
    const qrow = (r: number) => (r < R ? st.quantiles.subarray(r * 3 * nq, (r + 1) * 3 * nq) : st.finalQuantiles);
    const col = (k: number) => Float64Array.from({ length: Rf }, (_, r) => row(r)[k]);
    const block = (k0: number, m: number) => {
      const out = new Float64Array(Rf * m);
      for (let r = 0; r < Rf; r++) out.set(row(r).subarray(k0, k0 + m), r * m);
      return out;
    };
    const quant = (k: number) => {
      const out = new Float64Array(Rf * nq);
      for (let r = 0; r < Rf; r++) out.set(qrow(r).subarray(k * nq, (k + 1) * nq), r * nq);
      return out;
    };
    record = {
      every: s.every,
      steps: Int32Array.from({ length: Rf }, (_, r) => (r < R ? r * s.every : s.steps)),
      count: col(0),
      lossMean: col(1),
      lossVariance: col(2),
      lossMin: col(3),
      lossMax: col(4),
      lossQuantiles: { levels: s.levels, values: quant(0), rankLow: quant(1), rankHigh: quant(2), bits: s.bits },
      ...(ne ? { lossHistogram: { edges: s.edges, counts: st.hist.slice(0, Rf * (ne + 1)) } } : {}),
      gradNormMean: col(5),
      paramMean: block(6, d),
      paramVariance: block(6 + d, d),
    };
    hashed.push(st.rows, st.quantiles);
  }
  const fq = st.finalQuantiles;
  const final: FinalStatistics = {
    count: st.final[0],
    lossMean: st.final[1],
    lossVariance: st.final[2],
    lossMin: st.final[3],
    lossMax: st.final[4],
    lossQuantiles: { levels: s.levels, values: fq.slice(0, nq), rankLow: fq.slice(nq, 2 * nq), rankHigh: fq.slice(2 * nq), bits: s.bits },
    ...(ne ? { lossHistogram: { edges: s.edges, counts: st.hist.slice(R * (ne + 1)) } } : {}),
    paramMean: st.final.slice(6, 6 + d),
    paramVariance: st.final.slice(6 + d, 6 + 2 * d),
    ...(s.paramEdges.length ? { paramHistogram: { edges: s.paramEdges, counts: st.xhist.slice() } } : {}),
  };
  const g = st.groups;
  const regions = Array.from({ length: s.regions }, (_, q) => g[5 * (2 + q)]);
  const stopped = g[5] + regions.reduce((a, b) => a + b, 0);
  hashed.push(st.final, fq, g, [st.running, st.accepted, st.proposals], st.hist, st.xhist);
  const trajectories = s.trajectories > 0 ? { particles: s.trajectories, data: bounded.trajectories } : undefined;
  if (trajectories) hashed.push(trajectories.data);
  let sharpness: SharpnessTrackResult | undefined;
  if (s.track) {
    const Rt = trackRowsOf(s),
      m = s.track.particles,
      k = s.track.k,
      all = bounded.sharpness!;
    const top = all.slice(2 * Rt * m, Rt * m * (2 + k));
    sharpness = {
      every: s.track.every,
      particles: m,
      k,
      steps: Int32Array.from({ length: Rt }, (_, r) => r * s.track!.every),
      loss: all.slice(0, Rt * m),
      status: Int32Array.from(all.subarray(Rt * m, 2 * Rt * m), (v) => (v === v ? v : -1)),
      eigenvalues: top,
      values: top,
      residuals: all.slice(Rt * m * (2 + k)),
    };
    hashed.push(all);
  }
  return {
    config: JSON.parse(JSON.stringify(config)),
    particles: s.particles,
    steps: s.steps,
    dim: d,
    counts: { running: st.running, diverged: g[0], stopped, regions },
    final,
    times: { diverged: times(g, 0), gradTol: times(g, 1), regions: regions.map((_, q) => times(g, 2 + q)) },
    ...(s.accepts
      ? { acceptance: { accepted: st.accepted, proposals: st.proposals, rate: st.proposals > 0 ? st.accepted / st.proposals : NaN } }
      : {}),
    ...(record ? { record } : {}),
    ...(trajectories ? { trajectories } : {}),
    ...(sharpness ? { sharpness } : {}),
    ...(bounded.bandwidths ? { svgd: { bandwidths: bounded.bandwidths } } : {}),
    hash: hashFloat64(...hashed),
  };
}

/** The full result: the summary and every particle's final state. */
export function withParticles(summary: EnsembleSummary, p: ParticleColumns): EnsembleResult {
  const P = p.loss.length;
  const divergedAt = new Int32Array(P).fill(-1),
    stoppedAt = new Int32Array(P).fill(-1),
    region = new Int32Array(P).fill(-1);
  // One pass with the arrays in locals (a per-element callback, e.g. Int32Array.from's, cost ~6 ms per 10⁵ particles).
  const status = p.status,
    event = p.event,
    reg = p.region;
  for (let k = 0; k < P; k++) {
    const s = status[k];
    if (s === DIVERGED) divergedAt[k] = event[k];
    else if (s === STOPPED) {
      stoppedAt[k] = event[k];
      region[k] = reg[k];
    }
  }
  const hashed: ArrayLike<number>[] = [p.x, p.loss, Float64Array.from(divergedAt), Float64Array.from(stoppedAt), Float64Array.from(region)];
  if (p.accepted) hashed.push(Float64Array.from(p.accepted));
  if (p.v) hashed.push(p.v);
  return {
    ...summary,
    x: p.x,
    loss: p.loss,
    divergedAt,
    stoppedAt,
    region,
    ...(p.accepted ? { accepted: p.accepted } : {}),
    ...(p.v ? { v: p.v } : {}),
    particlesHash: hashFloat64(...hashed),
  };
}
