// An ensemble held in a dedicated instance: a contiguous range of the run's particle blocks (the
// whole run, a worker's share, a shard, or a segment of one). Every buffer is allocated once and
// only for the range (so a range that does not fit fails before its first step, saying how much
// it needs, and a shard of 10⁵ particles of a 10⁹-particle run costs what 10⁵ particles cost);
// `advance` runs a chunk of steps over the range in one wasm call and hands back each record
// row's mergeable summary (assembly/run/summary.ts): the canonical dyadic nodes of the range's
// block partials, the quantile sketch and the histogram. Layout: assembly/run/descriptor.ts.

import type { Live } from './engine.ts';
import type { Packed } from './landscapes.ts';
import type { PackedRule } from './trajectory.ts';
import { SVGD_ID, allocSvgdWork } from './svgd.ts';

/** Descriptor slot indices. MUST MATCH assembly/run/descriptor.ts (test/layout.test.ts checks every slot). */
export const D = {
  LK: 0, LP: 1, DIM: 2, LW: 3, OK: 4, HP: 5, SK: 6, SQ: 7, SLOTS: 8, NK: 9, NQ: 10, NSK: 11, NSQ: 12,
  P: 13, B: 14, NB: 15, K0: 16, K1: 17, X: 18, S: 19, R: 20, G: 21, F: 22, GN: 23, STATUS: 24,
  EVENT: 25, REGION: 26, FROZEN: 27, BOUND: 28, GRADTOL: 29, NREG: 30, REGC: 31, REGR: 32,
  EVERY: 33, PART: 34, LOSSBUF: 35, TRAJM: 36, TRAJ: 37, MBI: 38, MBG: 39, HNW: 40,
  SVW: 41, ACC: 42, CVW: 43, SHP: 44, SHW: 45, FIRST: 46, FUSED: 47, DSW: 48, ZOW: 56, SIZE: 64,
} as const;

/**
 * Whether runs use the fused block kernels (assembly/run/fused.ts) where they apply: a run without
 * their work space (descriptor slot FUSED = 0) goes through the general pipeline. Only tests turn
 * them off, to compare both paths' bits; the switch is per JS realm (workers keep them on).
 * `lastCase` is the fused kernel the last ensemble built here uses (assembly/run/fused.ts fusedCase).
 */
export const fusedKernels = { on: true, lastCase: 0 };

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
   * Hold and run only global blocks [first, end) (a worker's, a shard's or a segment's share).
   * Every per-particle number depends only on (block state, global particle index, t), so a
   * block evolves exactly as in the whole run. Default: every block.
   */
  blocks?: BlockRange;
  /** Mantissa bits of the loss quantile sketch (assembly/run/sketch.ts), 1–19. */
  sketchBits: number;
  /** Ascending edges of the loss histogram (empty: none). */
  lossEdges: Float64Array;
  /** Ascending edges of the final state's per-coordinate histograms (empty: none). */
  paramEdges: Float64Array;
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
export function copyTrack(sections: number[], R: number, src: Float64Array, ns: number, from: number,
  dst: Float64Array, nd: number, to: number, count: number): void {
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

/** Sampler id of MALA. MUST MATCH assembly/optimizers/kinds.ts (test/layout.test.ts). */
export const MALA_ID = 18;

/**
 * Sampler id of Metropolis–Hastings, which counts accepted proposals as MALA does. MUST MATCH
 * assembly/optimizers/kinds.ts (test/layout.test.ts).
 */
export const MH_ID = 21;

/** Sampler id of underdamped Langevin, whose particles carry a velocity. MUST MATCH assembly/optimizers/kinds.ts (test/layout.test.ts). */
export const UNDERDAMPED_ID = 17;

/**
 * Slots of the sharpness tracker's parameters, the first doubles of its work space (D.SHW), and
 * their count (PARAMS). MUST MATCH assembly/run/sharpness.ts (T_EVERY … T_PARAMS); test/layout.test.ts checks them.
 */
export const TRACK_SLOTS = { EVERY: 0, M: 1, K: 2, TOL: 3, MAXMV: 4, NCV: 5, ROWS: 6, PARAMS: 7 } as const;

/** Particle status values. MUST MATCH assembly/run/block.ts (ACTIVE, DIVERGED, STOPPED, PADDING); test/layout.test.ts checks them. */
export const STATUS = { ACTIVE: 0, DIVERGED: 1, STOPPED: 2, PADDING: 3 } as const;

/**
 * Doubles per record partial of one block: n, loss mean, loss M2, min, max, Σ‖g‖, then (mean, M2)
 * per coordinate. MUST MATCH assembly/run/descriptor.ts partialWidth (test/layout.test.ts, through finalWidth).
 */
export function partialWidth(d: number): number {
  return 6 + 2 * d;
}


/**
 * Doubles per final partial (assembly/run/summary.ts finalWidth): a record partial, running,
 * accepted, proposals, then 2 + regions time groups of 5. MUST MATCH (test/layout.test.ts compares
 * it with the module's).
 */
export function finalWidth(d: number, regions: number): number {
  return partialWidth(d) + 3 + 5 * (2 + regions);
}

/** A dyadic node of block indices: level h, index i; it covers blocks [i·2^h, (i+1)·2^h). */
export interface DyadicNode {
  h: number;
  i: number;
}

/**
 * The canonical decomposition of blocks [first, end) into maximal aligned dyadic nodes, left to
 * right: O(log(end − first)) of them. Any node of any range's decomposition lies inside exactly
 * one node of the decomposition of an enclosing range, so nodes merge up a fixed tree.
 */
export function canonicalNodes(first: number, end: number): DyadicNode[] {
  const out: DyadicNode[] = [];
  let a = first;
  while (a < end) {
    let h = 0;
    while (a % 2 ** (h + 1) === 0 && a + 2 ** (h + 1) <= end) h++;
    out.push({ h, i: a / 2 ** h });
    a += 2 ** h;
  }
  return out;
}

/**
 * The mergeable summary of one record row (or of the final state) over a block range: its
 * canonical dyadic nodes' partials, the loss quantile sketch and the loss histogram.
 */
export interface RowPiece {
  /** Node levels and indices (see {@link DyadicNode}). */
  h: Int32Array;
  i: Int32Array;
  /** Node partials, nodes × width (record or final partial layout). */
  data: Float64Array;
  /** Sketch buckets (ascending keys) and their counts. */
  keys: Int32Array;
  counts: Float64Array;
  /** Loss histogram counts (edges + 1 bins; empty without edges). */
  hist: Float64Array;
  /** The final state only: per-coordinate histograms of x_T, d × (paramEdges + 1) (empty without edges). */
  xhist?: Float64Array;
}

/** Summaries of a chunk's record rows: rows row0, row0 + 1, …. */
export interface ChunkPieces {
  row0: number;
  rows: RowPiece[];
}

/** Per-particle final state of a range of particles (opt-in: `keepParticles`, `onParticles`). */
export interface ParticleColumns {
  /** Global index of the first particle. */
  first: number;
  /** Particles × d, row-major. */
  x: Float64Array;
  /** f(x_T) (also for diverged particles: f of their last, non-finite or out-of-bound, position). */
  loss: Float64Array;
  /** 0 running, 1 diverged, 2 stopped. */
  status: Int32Array;
  /** Step of divergence or stop, −1. */
  event: Int32Array;
  /** Region stopped in, −1. */
  region: Int32Array;
  /** Accepted proposals (samplers.mala and samplers.metropolisHastings only). */
  accepted?: Int32Array;
  /** Final velocities v_T, particles × d, row-major (samplers.underdamped only; assembly/run/velocities.ts). */
  v?: Float64Array;
}

/** The end of a range's run: the final state's summary, and what the range holds of the bounded per-particle records. */
export interface FinalPiece {
  summary: RowPiece;
  /** x_0 … x_T of the range's particles among the first m: (T + 1) × those × d. */
  trajectories: Float64Array;
  /** Sharpness track of the range's particles among the tracked ones. */
  sharpness?: Float64Array;
  /** SVGD: the kernel bandwidth h each step used (NaN for steps not run: every particle diverged). */
  bandwidths?: Float64Array;
  particles?: ParticleColumns;
}

/** A live ensemble: its buffers in a dedicated instance. */
export class Ensemble {
  readonly #live: Live;
  readonly #spec: EnsembleSpec;
  readonly #desc: number;
  readonly #ptr: Record<string, number>;
  /** The blocks this instance runs. */
  readonly range: BlockRange;

  constructor(live: Live, spec: EnsembleSpec) {
    const { heap, exports } = live;
    const d = spec.landscape.dim, B = spec.block, P = spec.particles;
    const total = Math.ceil(P / B);
    this.range = spec.blocks ?? { first: 0, end: total };
    const first = this.range.first, nb = this.range.end - first, padded = nb * B, n = d * B;
    const p0 = first * B, p1 = Math.min(P, this.range.end * B);
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
    const pw = partialWidth(d), fw = finalWidth(d, spec.regions.radii.length);
    const part = f64(rowsPerChunk * nb * pw, 'record partials');
    const lossbuf = f64(rowsPerChunk * padded, 'record losses');
    const fpart = f64(nb * fw, 'final partials'), flo = f64(padded, 'final losses'), fmask = f64(padded, 'final losses');
    // Sketch scratch (assembly/run/sketch.ts sketchBuild): keys, counts, radix scratch, digit counts; histogram bins.
    const skeys = heap.alloc(4 * padded, 'sketch keys'), scounts = f64(padded, 'sketch counts');
    const stmp = heap.alloc(4 * padded, 'sketch scratch'), shist = heap.alloc(4 * 2048, 'sketch scratch');
    const ne = spec.lossEdges.length;
    const edges = heap.pushF64(spec.lossEdges.length ? spec.lossEdges : new Float64Array(1), 'histogram edges');
    const hcounts = f64(ne + 1, 'histogram counts');
    const nx = spec.paramEdges.length;
    const xedges = heap.pushF64(nx ? spec.paramEdges : new Float64Array(1), 'histogram edges');
    const xcounts = f64(nx ? d * (nx + 1) : 0, 'histogram counts'), xcol = f64(nx ? padded : 0, 'histogram column');
    // Trajectories and the sharpness track are indexed by global particle (first m only): held only by ranges that reach them.
    const m = p0 < spec.trajectories ? spec.trajectories : 0;
    const traj = f64(m * (spec.steps + 1) * d, 'trajectories');
    const initWork = f64(2 * d, 'init scratch');
    // The noise kernels' work space, sized by the module beside its layouts (assembly/noise/work.ts).
    const noiseWork = (slot: number) => exports.noiseWorkBytes(spec.noise.id, nq, d, B, slot);
    const mbi = heap.alloc(noiseWork(D.MBI), 'minibatch scratch');
    const mbg = heap.alloc(noiseWork(D.MBG), 'minibatch gradient');
    const hnwBytes = noiseWork(D.HNW), zowBytes = noiseWork(D.ZOW);
    const hnw = hnwBytes > 0 ? heap.alloc(hnwBytes, 'Hessian-aligned noise scratch') : 0;
    const zow = zowBytes > 0 ? heap.alloc(zowBytes, 'zeroth-order gradient work space') : 0;
    // Curvature-aware optimisers' work space (assembly/run/curvature.ts; its size in the first double), or 0.
    const cvn = exports.curvatureWorkDoubles(spec.rule.id, hp, d, B);
    const cvw = cvn > 0 ? f64(cvn, 'curvature-aware optimiser work space') : 0;
    if (cvw) heap.f64(cvw, 1)[0] = cvn;
    // Distributed and variance-reduced optimisers' lane work space (assembly/run/distributed.ts; its size in the first double), or 0.
    const dsn = exports.distributedWorkSize(spec.rule.id, hp, d, spec.noise.id === 4 ? spec.noise.q[0] : 0);
    const dsw = dsn > 0 ? f64(dsn, 'distributed optimiser work space') : 0;
    if (dsw) heap.f64(dsw, 1)[0] = dsn;
    // SVGD's work space and bandwidth record (bindings/svgd.ts), or 0.
    const { work: svw, bandwidths: svbw } =
      spec.rule.id === SVGD_ID ? allocSvgdWork(heap, P, d, B, spec.rule.hyper, spec.steps) : { work: 0, bandwidths: 0 };
    // MALA and Metropolis–Hastings count accepted proposals per particle.
    const acc = spec.rule.id === MALA_ID || spec.rule.id === MH_ID ? heap.alloc(4 * padded, 'acceptance counts') : 0;
    const tr = spec.track && p0 < spec.track.particles ? spec.track : undefined, trRows = tr ? trackRows(spec.steps, tr.every) : 0;
    const shp = tr ? f64(trRows * tr.particles * trackWidth(tr.k), 'sharpness track') : 0;
    const shw = tr ? f64(exports.sharpnessWorkSize(d, tr.k, tr.ncv), 'sharpness tracker work') : 0;
    // The fused kernels' work space (assembly/run/fused.ts): a window's table of per-step scalars.
    const fused = spec.rule.id === SVGD_ID || !fusedKernels.on ? 0 : f64(exports.fusedWorkDoubles(), 'fused-kernel work');
    const desc = f64(D.SIZE, 'run descriptor');
    const v = heap.f64(desc, D.SIZE);
    const seed = spec.seed;
    v[D.LK] = spec.landscape.id; v[D.LP] = lp; v[D.DIM] = d; v[D.LW] = lw;
    v[D.OK] = spec.rule.id; v[D.HP] = hp; v[D.SK] = spec.rule.schedule.id; v[D.SQ] = sq; v[D.SLOTS] = slots;
    v[D.NK] = spec.noise.id; v[D.NQ] = nq; v[D.NSK] = spec.noise.schedule ? spec.noise.schedule.id : -1; v[D.NSQ] = nsq;
    const k0 = seed % 2 ** 32, k1 = Math.floor(seed / 2 ** 32);
    v[D.P] = P; v[D.B] = B; v[D.NB] = nb; v[D.FIRST] = first; v[D.K0] = k0; v[D.K1] = k1;
    v[D.X] = x; v[D.S] = s; v[D.R] = r; v[D.G] = g; v[D.F] = fl; v[D.GN] = gn;
    v[D.STATUS] = status; v[D.EVENT] = event; v[D.REGION] = region; v[D.FROZEN] = frozen;
    v[D.BOUND] = spec.bound; v[D.GRADTOL] = spec.gradTol; v[D.NREG] = spec.regions.radii.length; v[D.REGC] = regc; v[D.REGR] = regr;
    v[D.EVERY] = spec.every; v[D.PART] = part; v[D.LOSSBUF] = lossbuf; v[D.TRAJM] = m; v[D.TRAJ] = traj;
    v[D.MBI] = mbi; v[D.MBG] = mbg; v[D.HNW] = hnw; v[D.ZOW] = zow;
    v[D.SVW] = 0; v[D.ACC] = acc; v[D.CVW] = 0; v[D.SHP] = 0; v[D.SHW] = 0; v[D.FUSED] = fused;
    if (cvw) v[D.CVW] = cvw;
    v[D.DSW] = dsw;
    if (svw) v[D.SVW] = svw;
    heap.f64(traj, m * (spec.steps + 1) * d).fill(NaN);
    if (acc) new Int32Array(exports.memory.buffer, acc, padded).fill(0);
    if (tr) {
      v[D.SHP] = shp; v[D.SHW] = shw; // views re-taken below: nothing allocates in between
      heap.f64(shp, trRows * tr.particles * trackWidth(tr.k)).fill(NaN);
      const t = heap.f64(shw, TRACK_SLOTS.PARAMS), T = TRACK_SLOTS;
      t[T.EVERY] = tr.every; t[T.M] = tr.particles; t[T.K] = tr.k; t[T.TOL] = tr.tol;
      t[T.MAXMV] = tr.maxMatvecs; t[T.NCV] = tr.ncv; t[T.ROWS] = trRows;
    }
    // The seed words from locals: pushF64 may grow memory, which detaches the view v.
    const iq = heap.pushF64(spec.init.q, 'init parameters');
    exports.initPositions(spec.init.id, iq, d, P, B, first, nb, k0, k1, x, initWork);
    exports.ensembleInit(desc);
    fusedKernels.lastCase = exports.fusedCase(desc); // which fused kernel serves this run (0: the pipeline); read by tests
    this.#live = live;
    this.#spec = spec;
    this.#desc = desc;
    this.#ptr = {
      x, status, event, region, part, lossbuf, fpart, flo, fmask, skeys, scounts, stmp, shist, edges, ne, hcounts, nx, xedges,
      xcounts, xcol, traj, m, pw, fw, rowsPerChunk, nb, padded, p0, p1, lp, lw, acc, shp, trRows, svbw,
    };
  }

  /** Run steps [t0, t1) (t1 − t0 ≤ chunk) and return the summaries of that chunk's record rows. */
  advance(t0: number, t1: number): ChunkPieces {
    const { exports, heap } = this.#live;
    const p = this.#ptr, every = this.#spec.every;
    const row0 = every > 0 ? Math.ceil(t0 / every) : 0;
    const rows = every > 0 ? Math.ceil(t1 / every) - row0 : 0;
    if (rows > 0) {
      heap.f64(p.part, rows * p.nb * p.pw).fill(0);
      heap.f64(p.lossbuf, rows * p.padded).fill(NaN);
    }
    exports.ensembleRun(this.#desc, t0, t1, row0);
    const out: RowPiece[] = [];
    for (let r = 0; r < rows; r++) out.push(this.#summarize(p.part + 8 * r * p.nb * p.pw, p.pw, -1, p.lossbuf + 8 * r * p.padded));
    return { row0, rows: out };
  }

  /**
   * One row's summary: each canonical node's partial by the dyadic tree over its blocks' partials
   * at `part` (nb × width, reduced in place), the sketch and histogram of the values at `values`.
   */
  #summarize(part: number, width: number, regions: number, values: number): RowPiece {
    const { exports, heap } = this.#live;
    const p = this.#ptr, spec = this.#spec, d = spec.landscape.dim, first = this.range.first;
    const nodes = canonicalNodes(first, this.range.end);
    const data = new Float64Array(nodes.length * width);
    nodes.forEach((node, k) => {
      const at = part + 8 * width * (node.i * 2 ** node.h - first);
      exports.treeReduce(at, 2 ** node.h, width, d, regions);
      data.set(heap.f64(at, width), k * width);
    });
    const K = exports.sketchBuild(values, p.padded, spec.sketchBits, p.skeys, p.scounts, p.stmp, p.shist);
    let hist: Float64Array = new Float64Array(0);
    if (p.ne > 0) {
      heap.f64(p.hcounts, p.ne + 1).fill(0);
      exports.histogramAdd(values, p.padded, p.edges, p.ne, p.hcounts);
      hist = heap.copyOutF64(p.hcounts, p.ne + 1);
    }
    return {
      h: Int32Array.from(nodes, (n) => n.h), i: Int32Array.from(nodes, (n) => n.i), data,
      keys: new Int32Array(exports.memory.buffer, p.skeys, K).slice(), counts: heap.copyOutF64(p.scounts, K), hist,
    };
  }

  /**
   * The end of the run: the final state's summary, the bounded per-particle records the range
   * holds (trajectories, sharpness track) and, if `keep`, every particle's final state.
   */
  /**
   * A copy of the current positions x_t of this range's first `count` particles (fewer if the
   * range holds fewer), row-major count × dim: for drawing a run while it goes. Reads only.
   */
  positions(count: number): Float64Array {
    const { exports, heap } = this.#live;
    const p = this.#ptr, d = this.#spec.landscape.dim;
    const n = Math.min(count, p.p1 - p.p0);
    const mark = heap.mark();
    try {
      const rows = heap.allocF64(n * d, 'live positions');
      exports.gatherRows(p.x, d, n, this.#spec.block, rows);
      return heap.copyOutF64(rows, n * d);
    } finally {
      heap.release(mark);
    }
  }

  finish(steps: number, keep: boolean): FinalPiece {
    const { exports, heap } = this.#live;
    const p = this.#ptr, spec = this.#spec, d = spec.landscape.dim, B = spec.block, regions = spec.regions.radii.length;
    exports.finalPartials(this.#desc, steps, p.fpart, p.flo, p.fmask);
    let particles: ParticleColumns | undefined;
    const n = p.p1 - p.p0;
    if (keep) {
      const rows = heap.allocF64(n * d, 'final positions');
      exports.gatherRows(p.x, d, n, B, rows);
      const i32 = (ptr: number) => new Int32Array(exports.memory.buffer, ptr, n).slice();
      const status = i32(p.status);
      particles = {
        first: p.p0, x: heap.copyOutF64(rows, n * d), loss: heap.copyOutF64(p.flo, n), status, event: i32(p.event), region: i32(p.region),
        ...(p.acc ? { accepted: i32(p.acc) } : {}),
        ...(spec.rule.id === UNDERDAMPED_ID ? { v: this.#velocities(steps, n) } : {}),
      };
    }
    const summary = this.#summarize(p.fpart, p.fw, regions, p.fmask);
    if (p.nx > 0) {
      heap.f64(p.xcounts, d * (p.nx + 1)).fill(0);
      for (let j = 0; j < d; j++) {
        exports.maskedCoordinate(this.#desc, j, p.xcol);
        exports.histogramAdd(p.xcol, p.padded, p.xedges, p.nx, p.xcounts + 8 * j * (p.nx + 1));
      }
      summary.xhist = heap.copyOutF64(p.xcounts, d * (p.nx + 1));
    }
    // Trajectories: x_0 … x_{T−1} recorded by the loop, x_T the final positions.
    const mine = Math.max(0, Math.min(p.m, p.p1) - p.p0);
    const trajectories = new Float64Array((steps + 1) * mine * d);
    if (mine > 0) {
      for (let t = 0; t < steps; t++) trajectories.set(heap.f64(p.traj + 8 * (t * p.m + p.p0) * d, mine * d), t * mine * d);
      const last = heap.allocF64(mine * d, 'final positions');
      exports.gatherRows(p.x, d, mine, B, last);
      trajectories.set(heap.f64(last, mine * d), steps * mine * d);
    }
    const bandwidths = p.svbw ? { bandwidths: heap.copyOutF64(p.svbw, steps) } : {};
    return { summary, trajectories, ...this.#track(), ...bandwidths, ...(particles ? { particles } : {}) };
  }

  /** Final velocities of the range's n particles (row-major n × d), completed by the closing half-steps (assembly/run/velocities.ts). */
  #velocities(steps: number, n: number): Float64Array {
    const { exports, heap } = this.#live;
    const d = this.#spec.landscape.dim, B = this.#spec.block;
    const blocked = heap.allocF64(this.#ptr.nb * d * B, 'final velocities');
    const rows = heap.allocF64(n * d, 'final velocities');
    exports.finalVelocities(this.#desc, steps, blocked);
    exports.gatherRows(blocked, d, n, B, rows);
    return heap.copyOutF64(rows, n * d);
  }

  /** The sharpness track of this range's particles among the tracked ones (sections: see {@link trackSections}). */
  #track(): { sharpness?: Float64Array } {
    const tr = this.#spec.track;
    if (!tr) return {};
    const p = this.#ptr, mine = Math.max(0, Math.min(tr.particles, p.p1) - p.p0);
    if (!p.shp) return { sharpness: new Float64Array(0) };
    const R = p.trRows, m = tr.particles;
    const all = this.#live.heap.f64(p.shp, R * m * trackWidth(tr.k));
    const out = new Float64Array(R * mine * trackWidth(tr.k));
    copyTrack(trackSections(tr.k), R, all, m, p.p0, out, mine, 0, mine);
    return { sharpness: out };
  }
}
