// An ensemble run held in a dedicated instance: every buffer is allocated once (so a run that
// does not fit fails before its first step, saying how much it needs), then `advance` runs a
// chunk of steps over all blocks in one wasm call. Layout: assembly/run/descriptor.ts.

import type { Live } from './engine.ts';
import type { Packed } from './landscapes.ts';
import type { PackedRule } from './trajectory.ts';
import { allocCurvatureWork } from './curvature.ts';
import { SVGD_ID, allocSvgdWork } from './svgd.ts';

/** Descriptor slot indices. MUST MATCH assembly/run/descriptor.ts. */
export const D = {
  LK: 0, LP: 1, DIM: 2, LW: 3, OK: 4, HP: 5, SK: 6, SQ: 7, SLOTS: 8, NK: 9, NQ: 10, NSK: 11, NSQ: 12,
  P: 13, B: 14, NB: 15, K0: 16, K1: 17, X: 18, S: 19, R: 20, G: 21, F: 22, GN: 23, STATUS: 24,
  EVENT: 25, REGION: 26, FROZEN: 27, BOUND: 28, GRADTOL: 29, NREG: 30, REGC: 31, REGR: 32,
  EVERY: 33, PART: 34, LOSSBUF: 35, TRAJM: 36, TRAJ: 37, MBI: 38, MBG: 39, HNW: 40,
  SVW: 41, ACC: 42, CVW: 43, SHP: 44, SHW: 45, SIZE: 46,
} as const;

/** Everything the kernels need to know about a run, already validated and packed. */
export interface EnsembleSpec {
  landscape: Packed;
  rule: PackedRule;
  noise: { id: number; q: Float64Array; schedule?: { id: number; q: Float64Array } };
  init: { id: number; q: Float64Array };
  particles: number;
  block: number;
  steps: number;
  seed: number;
  bound: number;
  gradTol: number;
  regions: { centers: Float64Array; radii: Float64Array };
  every: number;
  quantiles: Float64Array;
  trajectories: number;
  /** Sharpness tracking (assembly/run/sharpness.ts): top-k Hessian eigenvalues of the first `particles` particles every `every` steps. */
  track?: SharpnessTrack;
  chunk: number;
  /**
   * Run only blocks [first, end) (a worker's or a shard's share): the others are marked as
   * padding, so the kernel skips them. Every per-particle number depends only on (block state,
   * global particle index, t), so an owned block evolves exactly as in the whole run. Default:
   * every block. (The whole run's buffers are still allocated: the kernel addresses blocks
   * by global index.)
   */
  blocks?: BlockRange;
}

/** What the sharpness tracker measures, already validated. */
export interface SharpnessTrack {
  every: number;
  particles: number;
  k: number;
  /** Lanczos relative residual tolerance. */
  tol: number;
  maxMatvecs: number;
  /** Lanczos basis size (k < ncv ≤ d; ignored for d = 1). */
  ncv: number;
}

/** Rows of a sharpness track: t = 0, every, … < steps. */
export function trackRows(steps: number, every: number): number {
  return Math.ceil(steps / every);
}

/**
 * Doubles per tracked particle and row of each section of a sharpness track, in buffer order:
 * loss, Lanczos status, k eigenvalues (descending), k residual norms. Each section is
 * rows × particles × width, row-major. MUST MATCH assembly/run/sharpness.ts.
 */
export function trackSections(k: number): number[] {
  return [1, 1, k, k];
}

/** Doubles per row and tracked particle: the sum of {@link trackSections}. */
export function trackWidth(k: number): number {
  return trackSections(k).reduce((a, b) => a + b);
}

/**
 * Copy `count` particles of a track of R rows: from particle `from` of `src` (which holds `ns`
 * particles) to particle `to` of `dst` (which holds `nd`), section by section.
 */
export function copyTrack(sections: number[], R: number, src: Float64Array, ns: number, from: number, dst: Float64Array, nd: number, to: number, count: number): void {
  if (count <= 0) return;
  let so = 0, dof = 0;
  for (const w of sections) {
    for (let r = 0; r < R; r++) dst.set(src.subarray(so + (r * ns + from) * w, so + (r * ns + from + count) * w), dof + (r * nd + to) * w);
    so += R * ns * w;
    dof += R * nd * w;
  }
}

/** Blocks [first, end) of a run. */
export interface BlockRange {
  first: number;
  end: number;
}

/** Sampler id of MALA. MUST MATCH assembly/optimizers/kinds.ts. */
const MALA_ID = 18;

/** Particle status values. MUST MATCH assembly/run/ensemble.ts (ACTIVE, DIVERGED, STOPPED, PADDING). */
export const STATUS = { ACTIVE: 0, DIVERGED: 1, STOPPED: 2, PADDING: 3 } as const;

/** Doubles per record partial of one block: n, loss mean, loss M2, min, max, Σ‖g‖, then (mean, M2) per coordinate. MUST MATCH assembly/run/descriptor.ts partialWidth. */
export function partialWidth(d: number): number {
  return 6 + 2 * d;
}

/** Raw record partials of one chunk for the owned blocks, before reduction (assembly/run/reduce.ts merges them). */
export interface BlockRows {
  rows: number;
  /** rows × owned blocks × partialWidth(d), row-major. */
  partials: Float64Array;
  /** rows × owned particles: each counted particle's loss, NaN when excluded. */
  losses: Float64Array;
}

/** Final state of the owned particles [first·B, min(P, end·B)). */
export interface BlockFinal {
  /** Owned particles × d, row-major. */
  x: Float64Array;
  loss: Float64Array;
  status: Int32Array;
  event: Int32Array;
  region: Int32Array;
  /** x_0 … x_T of the owned particles among the first m: (T + 1) × owned × d. */
  trajectories: Float64Array;
  /** Accepted proposals per owned particle (MALA runs only). */
  accepted?: Int32Array;
  /** Sharpness track of the owned particles among the first m (rows × mine losses | rows × mine × k values | residuals). */
  sharpness?: Float64Array;
}

/** Statistics rows of one chunk (see assembly/run/reduce.ts for the row layout). */
export interface ChunkRows {
  rows: number;
  data: Float64Array;
}

/** A live ensemble: its buffers in a dedicated instance. */
export class Ensemble {
  readonly #live: Live;
  readonly #spec: EnsembleSpec;
  readonly #desc: number;
  readonly #ptr: Record<string, number>;
  readonly width: number;
  /** The blocks this instance runs. */
  readonly range: BlockRange;

  constructor(live: Live, spec: EnsembleSpec) {
    const { heap, exports } = live;
    const d = spec.landscape.dim, B = spec.block, P = spec.particles;
    const nb = Math.ceil(P / B), padded = nb * B, n = d * B;
    const f64 = (count: number, what: string) => heap.allocF64(count, what);
    const lp = heap.pushF64(spec.landscape.params, 'landscape parameters');
    const lw = f64(spec.landscape.scratch, 'landscape scratch');
    const hp = heap.pushF64(spec.rule.hyper, 'optimizer hyperparameters');
    const sq = heap.pushF64(spec.rule.schedule.q, 'schedule');
    const slots = Math.max(1, exports.optimizerSlots(spec.rule.id, hp));
    const nq = heap.pushF64(spec.noise.q, 'noise parameters');
    const nsq = heap.pushF64(spec.noise.schedule?.q ?? new Float64Array(1), 'noise schedule');
    const x = f64(nb * n, 'positions');
    const s = f64(nb * slots * n, 'optimizer state');
    const r = f64(2 * nb, 'optimizer scalars');
    const g = f64(n, 'gradient block'), fl = f64(B, 'loss block'), gn = f64(B, 'gradient norms');
    const status = heap.alloc(4 * padded, 'particle status');
    const event = heap.alloc(4 * padded, 'particle events');
    const region = heap.alloc(4 * padded, 'particle regions');
    const stopping = spec.gradTol > 0 || spec.regions.radii.length > 0;
    const frozen = stopping ? f64(nb * n, 'frozen positions') : 0;
    const regc = heap.pushF64(spec.regions.centers, 'regions'), regr = heap.pushF64(spec.regions.radii, 'regions');
    const rowsPerChunk = spec.every > 0 ? Math.ceil(spec.chunk / spec.every) + 1 : 0;
    const pw = partialWidth(d);
    const part = f64(rowsPerChunk * nb * pw, 'record partials');
    const lossbuf = f64(rowsPerChunk * P, 'record losses');
    const qs = heap.pushF64(spec.quantiles, 'quantile levels');
    this.width = exports.recordWidth(d, spec.quantiles.length);
    const out = f64(rowsPerChunk * this.width, 'record rows');
    const work = f64(spec.every > 0 ? P : 0, 'quantile scratch');
    const traj = f64(spec.trajectories * (spec.steps + 1) * d, 'trajectories');
    const initWork = f64(2 * d, 'init scratch');
    // Minibatch scratch (i32): epoch tags (B) | epoch permutations (B × K) | drawn indices (b).
    const batched = spec.noise.id === 4 || spec.noise.id === 6;
    const mbi = heap.alloc(4 * (batched ? B + B * spec.noise.q[4] + spec.noise.q[0] : 1), 'minibatch scratch');
    const mbg = f64(d, 'minibatch gradient');
    const hnw = spec.noise.id === 5 ? f64(2 * d * d + 7 * d, 'Hessian-aligned noise scratch') : 0;
    const cvw = allocCurvatureWork(heap, spec.rule, d, B); // curvature-aware optimisers' work space, or 0
    const svw = spec.rule.id === SVGD_ID ? allocSvgdWork(heap, P, d, B, spec.rule.hyper) : 0; // SVGD's work space (bindings/svgd.ts), or 0
    // MALA (sampler id 18) counts accepted proposals per particle.
    const acc = spec.rule.id === MALA_ID ? heap.alloc(4 * padded, 'acceptance counts') : 0;
    const tr = spec.track, trRows = tr ? trackRows(spec.steps, tr.every) : 0;
    const shp = tr ? f64(trRows * tr.particles * trackWidth(tr.k), 'sharpness track') : 0;
    const shw = tr ? f64(exports.sharpnessWorkSize(d, tr.k, tr.ncv), 'sharpness tracker work') : 0;
    const desc = f64(D.SIZE, 'run descriptor');
    const v = heap.f64(desc, D.SIZE);
    const seed = spec.seed;
    v[D.LK] = spec.landscape.id; v[D.LP] = lp; v[D.DIM] = d; v[D.LW] = lw;
    v[D.OK] = spec.rule.id; v[D.HP] = hp; v[D.SK] = spec.rule.schedule.id; v[D.SQ] = sq; v[D.SLOTS] = slots;
    v[D.NK] = spec.noise.id; v[D.NQ] = nq; v[D.NSK] = spec.noise.schedule ? spec.noise.schedule.id : -1; v[D.NSQ] = nsq;
    v[D.P] = P; v[D.B] = B; v[D.NB] = nb; v[D.K0] = seed % 2 ** 32; v[D.K1] = Math.floor(seed / 2 ** 32);
    v[D.X] = x; v[D.S] = s; v[D.R] = r; v[D.G] = g; v[D.F] = fl; v[D.GN] = gn;
    v[D.STATUS] = status; v[D.EVENT] = event; v[D.REGION] = region; v[D.FROZEN] = frozen;
    v[D.BOUND] = spec.bound; v[D.GRADTOL] = spec.gradTol; v[D.NREG] = spec.regions.radii.length; v[D.REGC] = regc; v[D.REGR] = regr;
    v[D.EVERY] = spec.every; v[D.PART] = part; v[D.LOSSBUF] = lossbuf; v[D.TRAJM] = spec.trajectories; v[D.TRAJ] = traj;
    v[D.MBI] = mbi; v[D.MBG] = mbg; v[D.HNW] = hnw;
    v[D.SVW] = 0; v[D.ACC] = acc; v[D.CVW] = 0; v[D.SHP] = 0; v[D.SHW] = 0;
    if (cvw) v[D.CVW] = cvw;
    if (svw) v[D.SVW] = svw;
    heap.f64(traj, spec.trajectories * (spec.steps + 1) * d).fill(NaN);
    if (acc) new Int32Array(exports.memory.buffer, acc, padded).fill(0);
    if (tr) {
      v[D.SHP] = shp; v[D.SHW] = shw; // views re-taken below: nothing allocates in between
      heap.f64(shp, trRows * tr.particles * trackWidth(tr.k)).fill(NaN);
      heap.f64(shw, 7).set([tr.every, tr.particles, tr.k, tr.tol, tr.maxMatvecs, tr.ncv, trRows]); // MUST MATCH run/sharpness.ts T_*
    }
    const iq = heap.pushF64(spec.init.q, 'init parameters');
    exports.initPositions(spec.init.id, iq, d, P, B, v[D.K0], v[D.K1], x, initWork);
    exports.ensembleInit(desc);
    this.range = spec.blocks ?? { first: 0, end: nb };
    if (this.range.first > 0 || this.range.end < nb) {
      const st = new Int32Array(exports.memory.buffer, status, padded);
      st.fill(STATUS.PADDING, 0, this.range.first * B);
      st.fill(STATUS.PADDING, this.range.end * B);
    }
    this.#live = live;
    this.#spec = spec;
    this.#desc = desc;
    this.#ptr = { x, fl, status, event, region, part, lossbuf, qs, out, work, traj, frozen, pw, rowsPerChunk, nb, lp, lw, acc, shp, trRows };
  }

  /** Run steps [t0, t1) (t1 − t0 ≤ chunk) and return that chunk's record rows. */
  advance(t0: number, t1: number): ChunkRows {
    const { exports, heap } = this.#live;
    const p = this.#ptr, spec = this.#spec, every = spec.every;
    const row0 = every > 0 ? Math.ceil(t0 / every) : 0;
    const rows = every > 0 ? Math.ceil(t1 / every) - row0 : 0;
    if (rows > 0) {
      heap.f64(p.part, rows * p.nb * p.pw).fill(0);
      heap.f64(p.lossbuf, rows * spec.particles).fill(NaN);
    }
    exports.ensembleRun(this.#desc, t0, t1, row0);
    if (rows === 0) return { rows: 0, data: new Float64Array(0) };
    exports.ensembleReduce(this.#desc, rows, p.qs, spec.quantiles.length, p.out, p.work);
    return { rows, data: heap.copyOutF64(p.out, rows * this.width) };
  }

  /** Particles [p0, p1) of the owned blocks. */
  particleRange(): { p0: number; p1: number } {
    const B = this.#spec.block;
    return { p0: this.range.first * B, p1: Math.min(this.#spec.particles, this.range.end * B) };
  }

  /**
   * Run steps [t0, t1) like {@link advance}, but return the owned blocks' raw record partials
   * and losses instead of reduced rows, for a reduction elsewhere (workers, shards).
   */
  advancePartials(t0: number, t1: number): BlockRows {
    const { exports, heap } = this.#live;
    const p = this.#ptr, spec = this.#spec, every = spec.every, P = spec.particles;
    const row0 = every > 0 ? Math.ceil(t0 / every) : 0;
    const rows = every > 0 ? Math.ceil(t1 / every) - row0 : 0;
    const { first, end } = this.range, owned = end - first, { p0, p1 } = this.particleRange();
    for (let r = 0; r < rows; r++) {
      heap.f64(p.part + 8 * (r * p.nb + first) * p.pw, owned * p.pw).fill(0);
      heap.f64(p.lossbuf + 8 * (r * P + p0), p1 - p0).fill(NaN);
    }
    exports.ensembleRun(this.#desc, t0, t1, row0);
    const partials = new Float64Array(rows * owned * p.pw), losses = new Float64Array(rows * (p1 - p0));
    for (let r = 0; r < rows; r++) {
      partials.set(heap.f64(p.part + 8 * (r * p.nb + first) * p.pw, owned * p.pw), r * owned * p.pw);
      losses.set(heap.f64(p.lossbuf + 8 * (r * P + p0), p1 - p0), r * (p1 - p0));
    }
    return { rows, partials, losses };
  }

  /** Final state of the owned particles (the same numbers {@link finish} gives for them). */
  finishRange(steps: number): BlockFinal {
    const { exports, heap } = this.#live;
    const p = this.#ptr, spec = this.#spec, d = spec.landscape.dim, B = spec.block;
    const { p0, p1 } = this.particleRange(), n = p1 - p0;
    const rows = heap.allocF64(n * d, 'final positions');
    exports.gatherRows(p.x + 8 * this.range.first * d * B, d, n, B, rows);
    const loss = heap.allocF64(n, 'final losses');
    // f is evaluated point by point (landscapeValue has no cross-particle lanes), so any subset gives the same bits.
    exports.landscapeValue(spec.landscape.id, p.lp, d, n, rows, 8 * d, 8, p.lw, loss);
    const i32 = (ptr: number) => new Int32Array(exports.memory.buffer, ptr + 4 * p0, n).slice();
    const x = heap.copyOutF64(rows, n * d);
    const m = spec.trajectories, mine = Math.max(0, Math.min(m, p1) - p0);
    const trajectories = new Float64Array((steps + 1) * mine * d);
    for (let t = 0; t < steps && mine > 0; t++) trajectories.set(heap.f64(p.traj + 8 * (t * m + p0) * d, mine * d), t * mine * d);
    trajectories.set(x.subarray(0, mine * d), steps * mine * d); // x_T: the loop records x_t before each step
    return { x, loss: heap.copyOutF64(loss, n), status: i32(p.status), event: i32(p.event), region: i32(p.region), trajectories, ...(p.acc ? { accepted: i32(p.acc) } : {}), ...this.#track(p0, p1) };
  }

  /** Final state: positions (P×d rows; frozen ones for stopped particles), losses, events. */
  finish(steps: number): BlockFinal {
    const { exports, heap } = this.#live;
    const p = this.#ptr, spec = this.#spec, d = spec.landscape.dim, P = spec.particles;
    const rows = heap.allocF64(P * d, 'final positions');
    exports.gatherRows(p.x, d, P, spec.block, rows);
    const loss = heap.allocF64(P, 'final losses');
    exports.landscapeValue(spec.landscape.id, p.lp, d, P, rows, 8 * d, 8, p.lw, loss);
    const i32 = (ptr: number) => new Int32Array(exports.memory.buffer, ptr, P).slice();
    const x = heap.copyOutF64(rows, P * d);
    const m = spec.trajectories;
    const trajectories = heap.copyOutF64(p.traj, m * (steps + 1) * d);
    trajectories.set(x.subarray(0, m * d), steps * m * d); // x_T: the loop records x_t before each step
    return { x, loss: heap.copyOutF64(loss, P), status: i32(p.status), event: i32(p.event), region: i32(p.region), trajectories, ...(p.acc ? { accepted: i32(p.acc) } : {}), ...this.#track(0, P) };
  }

  /** The sharpness track of particles [p0, p1) ∩ [0, m) (sections: see {@link trackSections}). */
  #track(p0: number, p1: number): { sharpness?: Float64Array } {
    const tr = this.#spec.track;
    if (!tr) return {};
    const p = this.#ptr, R = p.trRows, m = tr.particles, mine = Math.max(0, Math.min(m, p1) - p0);
    const all = this.#live.heap.f64(p.shp, R * m * trackWidth(tr.k));
    const out = new Float64Array(R * mine * trackWidth(tr.k));
    copyTrack(trackSections(tr.k), R, all, m, p0, out, mine, 0, mine);
    return { sharpness: out };
  }
}
