/**
 * `slices.*`: the loss along 1-d and 2-d slices of parameter space through a point, evaluated in
 * wasm (one `valueBatch` call for the whole grid). Directions are random (Gaussian, seeded),
 * filter-normalised (Li et al., *Visualizing the loss landscape of neural nets*, NeurIPS 2018:
 * each filter — row of a model's weight matrix — of the direction rescaled to the norm of the same
 * filter of θ, bias directions zero; a landscape without layers is one filter), given, or the top
 * two principal directions of a recorded trajectory (so the trajectory can be drawn on the plane).
 */
import { invalid } from './errors.ts';
import { finite, integer, options, point, seed as seedOf } from './validate.ts';
import * as random from './random.ts';
import { sqrt } from '../bindings/scalar.ts';
import type { Landscape } from './landscapes/landscape.ts';
import { Model } from './models/model.ts';

/** How a slice's directions are chosen. */
export type DirectionChoice = 'random' | 'filterNormalized' | ArrayLike<number>;

/** Config of {@link line}. */
export interface LineConfig {
  /** 'random', 'filterNormalized' (default) or a vector of the landscape's dimension. */
  direction?: DirectionChoice;
  /** Range of the step t along the direction. Default [−1, 1]. */
  range?: readonly [number, number];
  /** Points on the line (≥ 2). Default 101. */
  resolution?: number;
  /** Seed of random directions. Default 0. */
  seed?: number;
}

/** Config of {@link plane}. */
export interface PlaneConfig {
  /** 'random', 'filterNormalized' (default), 'pca' (needs `trajectory`) or two vectors. */
  directions?: 'random' | 'filterNormalized' | 'pca' | readonly [ArrayLike<number>, ArrayLike<number>];
  /** Points x_0 … x_T (row-major, T+1 rows of dim) for 'pca', also projected onto the plane. */
  trajectory?: ArrayLike<number>;
  /** Range of both coordinates, or one range each. Default [−1, 1]. */
  range?: readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];
  /** Grid points per axis (≥ 2), or one count each. Default 51. */
  resolution?: number | readonly [number, number];
  seed?: number;
}

/** A 1-d slice: f(x + t·d) at each t. */
export interface LineSlice {
  t: Float64Array;
  loss: Float64Array;
  direction: Float64Array;
}

/** A 2-d slice: f(x + α d₁ + β d₂) on a grid, rows β and columns α (row-major). */
export interface PlaneSlice {
  alpha: Float64Array;
  beta: Float64Array;
  /** beta.length × alpha.length, row-major. */
  loss: Float64Array;
  directions: [Float64Array, Float64Array];
  /** The trajectory's coordinates (α, β) in the plane (least squares), T+1 rows, when given. */
  projection?: Float64Array;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Li et al.'s filter normalisation of d against x (in place). */
function filterNormalize(f: Landscape, x: Float64Array, d: Float64Array): void {
  const groups: [number, number][] = [];
  if (f instanceof Model) {
    for (const b of f.blocks) {
      if (b.bias) {
        d.fill(0, b.offset, b.offset + b.size);
        continue;
      }
      const rows = b.size / b.fanIn;
      for (let r = 0; r < rows; r++) groups.push([b.offset + r * b.fanIn, b.offset + (r + 1) * b.fanIn]);
    }
  } else groups.push([0, d.length]);
  for (const [a, b] of groups) {
    let nd = 0,
      nx = 0;
    for (let j = a; j < b; j++) {
      nd += d[j] * d[j];
      nx += x[j] * x[j];
    }
    const s = nd > 0 ? sqrt(nx / nd) : 0;
    for (let j = a; j < b; j++) d[j] *= s;
  }
}

function direction(f: Landscape, x: Float64Array, choice: unknown, seed: number, stream: number, path: string): Float64Array {
  if (choice === 'random' || choice === 'filterNormalized') {
    const d = random.normal({ seed, stream, count: f.dim });
    if (choice === 'filterNormalized') filterNormalize(f, x, d);
    return d;
  }
  const d = point(choice, path, f.dim);
  if (!d.some((v) => v !== 0)) throw invalid('E_CONFIG', path, 'a non-zero direction', 'all zeros');
  return Float64Array.from(d);
}

function rangeOf(v: unknown, path: string): [number, number] {
  if (v === undefined) return [-1, 1];
  if (!Array.isArray(v) || v.length !== 2) throw invalid('E_CONFIG', path, 'a range [low, high]', v);
  const lo = finite(v[0], `${path}[0]`),
    hi = finite(v[1], `${path}[1]`, { gt: lo });
  return [lo, hi];
}

function grid([lo, hi]: [number, number], n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => lo + (hi - lo) * (i / (n - 1)));
}

/** The loss along x + t·d for t in `range` (wasm: one batched evaluation). */
export function line(f: Landscape, x: ArrayLike<number>, config: LineConfig = {}): LineSlice {
  const c = options<LineConfig>(config, 'slices.line', ['direction', 'range', 'resolution', 'seed']);
  const x0 = point(x, 'slices.line: x', f.dim);
  const seed = seedOf(c.seed, 'slices.line.seed', 0);
  const d = direction(f, x0, c.direction ?? 'filterNormalized', seed, 0, 'slices.line.direction');
  const n = integer(c.resolution, 'slices.line.resolution', { min: 2, max: 1 << 20 }, 101);
  const t = grid(rangeOf(c.range, 'slices.line.range'), n);
  const pts = new Float64Array(n * f.dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < f.dim; j++) pts[i * f.dim + j] = x0[j] + t[i] * d[j];
  return { t, loss: f.valueBatch(pts), direction: d };
}

/** Top two principal directions of the rows of Y (T × d, centred), by power iteration on YᵀY through Y. */
function pca(Y: Float64Array, T: number, d: number, seed: number): [Float64Array, Float64Array] {
  const out: Float64Array[] = [];
  for (let k = 0; k < 2; k++) {
    let v = random.normal({ seed, stream: 10 + k, count: d });
    for (let it = 0; it < 500; it++) {
      const w = new Float64Array(d);
      for (let r = 0; r < T; r++) {
        const row = Y.subarray(r * d, (r + 1) * d);
        const s = dot(row, v);
        for (let j = 0; j < d; j++) w[j] += s * row[j];
      }
      for (const u of out) {
        const s = dot(w, u);
        for (let j = 0; j < d; j++) w[j] -= s * u[j];
      }
      const nw = sqrt(dot(w, w));
      if (nw === 0)
        throw invalid('E_CONFIG', 'slices.plane.trajectory', 'a trajectory that spans at least two directions', 'a degenerate trajectory');
      for (let j = 0; j < d; j++) w[j] /= nw;
      const change = Math.abs(Math.abs(dot(w, v)) - 1);
      v = w;
      if (change < 1e-15) break;
    }
    out.push(v);
  }
  return [out[0], out[1]];
}

/**
 * The loss on the plane x + α d₁ + β d₂ (wasm: one batched evaluation of the whole grid). With
 * `directions: 'pca'`, x is usually the trajectory's last point and d₁, d₂ its principal
 * directions; the trajectory's coordinates in the plane are returned in `projection`.
 */
export function plane(f: Landscape, x: ArrayLike<number>, config: PlaneConfig = {}): PlaneSlice {
  const c = options<PlaneConfig>(config, 'slices.plane', ['directions', 'trajectory', 'range', 'resolution', 'seed']);
  const x0 = point(x, 'slices.plane: x', f.dim);
  const seed = seedOf(c.seed, 'slices.plane.seed', 0);
  const dim = f.dim;
  let traj: Float64Array | undefined;
  if (c.trajectory !== undefined) {
    traj = Float64Array.from(c.trajectory as ArrayLike<number>);
    if (traj.length === 0 || traj.length % dim !== 0)
      throw invalid('E_CONFIG', 'slices.plane.trajectory', `rows of ${dim} numbers (T+1 points, row-major)`, `${traj.length} numbers`);
    if (!traj.every(Number.isFinite)) throw invalid('E_CONFIG', 'slices.plane.trajectory', 'finite numbers', 'a non-finite number');
  }
  const choice = c.directions ?? 'filterNormalized';
  let d1: Float64Array, d2: Float64Array;
  if (choice === 'pca') {
    if (!traj) throw invalid('E_CONFIG', 'slices.plane.trajectory', "a trajectory for directions: 'pca'", undefined);
    const T = traj.length / dim;
    const Y = new Float64Array(traj.length);
    for (let r = 0; r < T; r++) for (let j = 0; j < dim; j++) Y[r * dim + j] = traj[r * dim + j] - x0[j];
    [d1, d2] = pca(Y, T, dim, seed);
  } else if (choice === 'random' || choice === 'filterNormalized') {
    d1 = direction(f, x0, choice, seed, 0, 'slices.plane.directions');
    d2 = direction(f, x0, choice, seed, 1, 'slices.plane.directions');
  } else {
    if (!Array.isArray(choice) || choice.length !== 2)
      throw invalid('E_CONFIG', 'slices.plane.directions', "'random', 'filterNormalized', 'pca' or two vectors", choice);
    d1 = direction(f, x0, choice[0], seed, 0, 'slices.plane.directions[0]');
    d2 = direction(f, x0, choice[1], seed, 1, 'slices.plane.directions[1]');
  }
  const r = c.range;
  const [ra, rb] =
    Array.isArray(r) && Array.isArray(r[0])
      ? [rangeOf(r[0], 'slices.plane.range[0]'), rangeOf(r[1], 'slices.plane.range[1]')]
      : [rangeOf(r, 'slices.plane.range'), rangeOf(r, 'slices.plane.range')];
  const res = c.resolution;
  const [na, nb] = Array.isArray(res)
    ? [
        integer(res[0], 'slices.plane.resolution[0]', { min: 2, max: 4096 }),
        integer(res[1], 'slices.plane.resolution[1]', { min: 2, max: 4096 }),
      ]
    : [
        integer(res, 'slices.plane.resolution', { min: 2, max: 4096 }, 51),
        integer(res, 'slices.plane.resolution', { min: 2, max: 4096 }, 51),
      ];
  const alpha = grid(ra, na),
    beta = grid(rb, nb);
  const pts = new Float64Array(na * nb * dim);
  for (let q = 0; q < nb; q++) {
    for (let p = 0; p < na; p++) {
      const o = (q * na + p) * dim;
      for (let j = 0; j < dim; j++) pts[o + j] = x0[j] + alpha[p] * d1[j] + beta[q] * d2[j];
    }
  }
  const out: PlaneSlice = { alpha, beta, loss: f.valueBatch(pts), directions: [d1, d2] };
  if (traj) {
    // Least squares coordinates of x_t − x in span(d₁, d₂): solve the 2×2 normal equations.
    const a11 = dot(d1, d1),
      a12 = dot(d1, d2),
      a22 = dot(d2, d2),
      det = a11 * a22 - a12 * a12;
    if (!(Math.abs(det) > 0)) throw invalid('E_CONFIG', 'slices.plane.directions', 'two independent directions', 'parallel directions');
    const T = traj.length / dim;
    const proj = new Float64Array(2 * T);
    const y = new Float64Array(dim);
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < dim; j++) y[j] = traj[t * dim + j] - x0[j];
      const b1 = dot(d1, y),
        b2 = dot(d2, y);
      proj[2 * t] = (a22 * b1 - a12 * b2) / det;
      proj[2 * t + 1] = (a11 * b2 - a12 * b1) / det;
    }
    out.projection = proj;
  }
  return out;
}
