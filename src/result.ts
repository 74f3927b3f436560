/**
 * Building an {@link EnsembleResult} from a run's final state and reduced record rows — one
 * function for every way a run is executed (one instance, workers, merged shards), so the same
 * numbers give the same result and the same hash.
 */
import type { BlockFinal, BlockRange } from '../bindings/ensemble.ts';
import { copyTrack, partialWidth, trackRows, trackSections, trackWidth } from '../bindings/ensemble.ts';
import { hashFloat64 } from './hash.ts';
import type { EnsembleRecord, EnsembleResult, SharpnessTrackResult } from './simulate.ts';

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
  /** Trajectories kept for the first m particles (0: none). */
  trajectories: number;
  /** Number of stop regions. */
  regions: number;
  /** Per-particle accepted-proposal counts are kept (samplers.mala). */
  accepts?: boolean;
  /** Sharpness tracking: top-k Hessian eigenvalues of the first `particles` particles every `every` steps. */
  track?: { every: number; particles: number; k: number };
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

/**
 * The final state of blocks `outer` (default: the whole run) from the final states of the
 * consecutive ranges that cover it, in block order.
 */
export function combineFinals(s: EnsembleShape, parts: { range: BlockRange; final: BlockFinal }[], outer: BlockRange = { first: 0, end: blockCount(s) }): BlockFinal {
  const d = s.dim, m = s.trajectories, T = s.steps;
  const { p0: P0, p1: P1 } = particlesOf(s, outer), P = P1 - P0, M = Math.max(0, Math.min(m, P1) - P0);
  const out: BlockFinal = {
    x: new Float64Array(P * d), loss: new Float64Array(P), status: new Int32Array(P), event: new Int32Array(P), region: new Int32Array(P),
    trajectories: new Float64Array((T + 1) * M * d),
    ...(s.accepts ? { accepted: new Int32Array(P) } : {}),
    ...(s.track ? { sharpness: new Float64Array(trackRowsOf(s) * Math.max(0, Math.min(s.track.particles, P1) - P0) * trackWidthOf(s)) } : {}),
  };
  for (const { range, final } of parts) {
    const { p0, p1 } = particlesOf(s, range), at = p0 - P0;
    out.x.set(final.x, at * d);
    out.loss.set(final.loss, at);
    out.status.set(final.status, at);
    out.event.set(final.event, at);
    out.region.set(final.region, at);
    if (out.accepted) out.accepted.set(final.accepted!, at);
    if (out.sharpness && s.track) {
      const mine = Math.max(0, Math.min(s.track.particles, p1) - p0), total = Math.max(0, Math.min(s.track.particles, P1) - P0);
      copyTrack(trackSections(s.track.k), trackRowsOf(s), final.sharpness!, mine, 0, out.sharpness, total, at, mine);
    }
    const mine = Math.max(0, Math.min(m, p1) - p0);
    for (let t = 0; t <= T && mine > 0; t++) out.trajectories.set(final.trajectories.subarray(t * mine * d, (t + 1) * mine * d), (t * M + at) * d);
  }
  return out;
}

/** Raw record data of a block range: partials rows × its blocks × partialWidth, losses rows × its particles. */
export interface RawRows {
  partials: Float64Array;
  losses: Float64Array;
}

/**
 * Copy rows [from, from + rows) of `range`'s raw record data into rows [to, to + rows) of the
 * raw data of the enclosing range `outer` (default: the whole run), at the range's place.
 */
export function scatterRows(s: EnsembleShape, range: BlockRange, src: RawRows, from: number, rows: number, dst: RawRows, to = 0,
                            outer: BlockRange = { first: 0, end: blockCount(s) }): void {
  const pw = partialWidth(s.dim), own = range.end - range.first, nbo = outer.end - outer.first;
  const { p0, p1 } = particlesOf(s, range), np = p1 - p0;
  const { p0: P0, p1: P1 } = particlesOf(s, outer), npo = P1 - P0;
  for (let r = 0; r < rows; r++) {
    dst.partials.set(src.partials.subarray((from + r) * own * pw, (from + r + 1) * own * pw), ((to + r) * nbo + range.first - outer.first) * pw);
    dst.losses.set(src.losses.subarray((from + r) * np, (from + r + 1) * np), (to + r) * npo + p0 - P0);
  }
}

/** Status codes of the final state. MUST MATCH assembly/run/ensemble.ts. */
const DIVERGED = 1, STOPPED = 2;

/** The result of a run: its config, final state, record rows (concatenated chunks of `width` doubles each) and hash. */
export function assemble(s: EnsembleShape, config: Record<string, unknown>, fin: BlockFinal, chunks: Float64Array[], rows: number, width: number): EnsembleResult {
  const d = s.dim, P = s.particles, nq = s.levels.length;
  const divergedAt = new Int32Array(P).fill(-1), stoppedAt = new Int32Array(P).fill(-1), region = new Int32Array(P).fill(-1);
  const regionCounts = new Array<number>(s.regions).fill(0);
  let diverged = 0, stopped = 0;
  // One pass with the arrays in locals (a per-element callback, e.g. Int32Array.from's, cost ~6 ms per 10⁵ particles).
  const status = fin.status, event = fin.event, reg = fin.region;
  for (let p = 0; p < P; p++) {
    const st = status[p];
    if (st === DIVERGED) { divergedAt[p] = event[p]; diverged++; }
    else if (st === STOPPED) { stoppedAt[p] = event[p]; stopped++; region[p] = reg[p]; if (reg[p] >= 0) regionCounts[reg[p]]++; }
  }
  let record: EnsembleRecord | undefined;
  if (s.every > 0) {
    const all = new Float64Array(rows * width);
    let off = 0;
    for (const c of chunks) { all.set(c, off); off += c.length; }
    const col = (k: number) => Float64Array.from({ length: rows }, (_, r) => all[r * width + k]);
    const block = (k0: number, m: number) => {
      const out = new Float64Array(rows * m);
      for (let r = 0; r < rows; r++) out.set(all.subarray(r * width + k0, r * width + k0 + m), r * m);
      return out;
    };
    record = {
      every: s.every, steps: Int32Array.from({ length: rows }, (_, r) => r * s.every),
      count: col(0), lossMean: col(1), lossVariance: col(2), lossMin: col(3), lossMax: col(4),
      lossQuantiles: { levels: s.levels, values: block(5, nq) }, gradNormMean: col(5 + nq),
      paramMean: block(6 + nq, d), paramVariance: block(6 + nq + d, d),
    };
  }
  const trajectories = s.trajectories > 0 ? { particles: s.trajectories, data: fin.trajectories } : undefined;
  const hashed: ArrayLike<number>[] = [fin.x, fin.loss, Float64Array.from(divergedAt), Float64Array.from(stoppedAt), Float64Array.from(region)];
  if (record) hashed.push(record.count, record.lossMean, record.lossVariance, record.lossMin, record.lossMax, record.lossQuantiles.values, record.gradNormMean, record.paramMean, record.paramVariance);
  if (trajectories) hashed.push(trajectories.data);
  if (s.accepts) hashed.push(Float64Array.from(fin.accepted!));
  let sharpness: SharpnessTrackResult | undefined;
  if (s.track) {
    const R = trackRowsOf(s), m = s.track.particles, k = s.track.k, all = fin.sharpness!;
    sharpness = {
      every: s.track.every, particles: m, k, steps: Int32Array.from({ length: R }, (_, r) => r * s.track!.every),
      loss: all.slice(0, R * m), status: Int32Array.from(all.subarray(R * m, 2 * R * m), (v) => (v === v ? v : -1)),
      values: all.slice(2 * R * m, R * m * (2 + k)), residuals: all.slice(R * m * (2 + k)),
    };
    hashed.push(all);
  }
  return {
    config: JSON.parse(JSON.stringify(config)), particles: P, steps: s.steps, dim: d,
    x: fin.x, loss: fin.loss, divergedAt, stoppedAt, region,
    counts: { running: P - diverged - stopped, diverged, stopped, regions: regionCounts },
    ...(record ? { record } : {}), ...(trajectories ? { trajectories } : {}), ...(s.accepts ? { accepted: fin.accepted! } : {}), ...(sharpness ? { sharpness } : {}),
    hash: hashFloat64(...hashed),
  };
}
