// Gradient throughput: descent's wasm landscapes against plain-JS Float64Array twins.
//
// The twins are what a competent JS developer would write by hand for speed: one pass over a
// Float64Array, no allocation, constants hoisted, the batched form indexing one flat row-major
// buffer by offset (no subarrays). They compute only the gradient; descent's kernel also returns
// f(x) from the same pass (the API discards it for grad/gradBatch), so the twin does strictly less
// arithmetic per point.
//
// Each workload is timed as one benchmark.js "op"; `evalsPerOp` gradient evaluations of `dim`
// coordinates happen per op. Single-point workloads at small d make `evalsPerOp` separate API calls
// (one per point) so the op is long enough to time and every call sees a different point.

/** A small seeded PRNG (mulberry32): deterministic inputs on every run and runtime. */
export function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` numbers uniform in [-2, 2), from `seed`. */
export function points(count, seed) {
  const next = mulberry32(seed);
  const x = new Float64Array(count);
  for (let i = 0; i < count; i++) x[i] = 4 * next() - 2;
  return x;
}

// ---------------------------------------------------------------------------------------------
// Plain-JS twins.

/**
 * ∇ of the chained Rosenbrock f(x) = Σ_{i<d−1} b (x_{i+1} − x_i²)² + (a − x_i)², into g.
 * With t_i = x_{i+1} − x_i²: g_i = [i<d−1](−4b x_i t_i − 2(a − x_i)) + [i>0] 2b t_{i−1}.
 */
export function rosenbrockGrad(x, g, a, b) {
  const d = x.length;
  let carry = 0; // 2b t_{i−1}
  let xi = x[0];
  for (let i = 0; i < d - 1; i++) {
    const xn = x[i + 1];
    const t = xn - xi * xi;
    g[i] = carry - 4 * b * xi * t - 2 * (a - xi);
    carry = 2 * b * t;
    xi = xn;
  }
  g[d - 1] = carry;
  return g;
}

/** Rosenbrock gradients of n row-major points X (n·d) into G (n·d). */
export function rosenbrockGradBatch(X, G, n, d, a, b) {
  const b2 = 2 * b, b4 = 4 * b;
  for (let p = 0, o = 0; p < n; p++, o += d) {
    let carry = 0;
    let xi = X[o];
    const end = o + d - 1;
    for (let k = o; k < end; k++) {
      const xn = X[k + 1];
      const t = xn - xi * xi;
      G[k] = carry - b4 * xi * t - 2 * (a - xi);
      carry = b2 * t;
      xi = xn;
    }
    G[end] = carry;
  }
  return G;
}

const TWO_PI = 2 * Math.PI;

/** ∇ of Rastrigin f(x) = A d + Σ (x_i² − A cos 2πx_i), into g: g_i = 2x_i + 2πA sin(2πx_i). */
export function rastriginGrad(x, g, A) {
  const k = TWO_PI * A;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    g[i] = 2 * xi + k * Math.sin(TWO_PI * xi);
  }
  return g;
}

/** Rastrigin gradients of a row-major batch: coordinates are independent, so one flat loop. */
export function rastriginGradBatch(X, G, A) {
  const k = TWO_PI * A;
  for (let i = 0; i < X.length; i++) {
    const xi = X[i];
    G[i] = 2 * xi + k * Math.sin(TWO_PI * xi);
  }
  return G;
}

// ---------------------------------------------------------------------------------------------
// Workloads.

/**
 * One gradient workload: `descent()` and `js()` each run one op, writing into `out.descent` and
 * `out.js`, which the runner compares before timing.
 */
function single({ id, title, landscape, dim, evals, seed, twin }) {
  const f = landscape;
  const X = points(evals * dim, seed);
  const GD = new Float64Array(evals * dim), GJ = new Float64Array(evals * dim);
  // Views made once, outside the timed loop: a caller holding its points as separate arrays.
  const xs = [], gd = [], gj = [];
  for (let p = 0; p < evals; p++) {
    xs.push(X.subarray(p * dim, (p + 1) * dim));
    gd.push(GD.subarray(p * dim, (p + 1) * dim));
    gj.push(GJ.subarray(p * dim, (p + 1) * dim));
  }
  return {
    id, title, dim, evalsPerOp: evals, mode: 'single',
    out: { descent: GD, js: GJ },
    descent: evals === 1
      ? () => { f.grad(xs[0], gd[0]); }
      : () => { for (let p = 0; p < evals; p++) f.grad(xs[p], gd[p]); },
    js: evals === 1
      ? () => { twin(xs[0], gj[0]); }
      : () => { for (let p = 0; p < evals; p++) twin(xs[p], gj[p]); },
  };
}

function batched({ id, title, landscape, dim, evals, seed, twin }) {
  const f = landscape;
  const X = points(evals * dim, seed);
  const GD = new Float64Array(evals * dim), GJ = new Float64Array(evals * dim);
  return {
    id, title, dim, evalsPerOp: evals, mode: 'batch',
    out: { descent: GD, js: GJ },
    descent: () => { f.gradBatch(X, GD); },
    js: () => { twin(X, GJ, evals, dim); },
  };
}

export const name = 'gradients';
export const description = 'landscape gradients: wasm (descent) vs plain-JS Float64Array twins';

/** The workloads of this module, built against an initialised `descent`. */
export function workloads(descent) {
  const rosen = (dim) => descent.landscapes.rosenbrock({ dim });
  const rast = (dim) => descent.landscapes.rastrigin({ dim });
  const { a, b } = rosen(2).params;
  const { A } = rast(2).params;
  const rosenTwin = (x, g) => rosenbrockGrad(x, g, a, b);
  const rosenBatchTwin = (X, G, n, d) => rosenbrockGradBatch(X, G, n, d, a, b);
  const rastTwin = (x, g) => rastriginGrad(x, g, A);
  const rastBatchTwin = (X, G) => rastriginGradBatch(X, G, A);
  return [
    single({
      id: 'rosenbrock-d2-single', title: 'Rosenbrock d=2, single point ×1000 calls',
      landscape: rosen(2), dim: 2, evals: 1000, seed: 1, twin: rosenTwin,
    }),
    batched({
      id: 'rosenbrock-d2-batch', title: 'Rosenbrock d=2, batch n=100 000',
      landscape: rosen(2), dim: 2, evals: 100_000, seed: 2, twin: rosenBatchTwin,
    }),
    single({
      id: 'rosenbrock-d1000-single', title: 'Rosenbrock d=1000, single point',
      landscape: rosen(1000), dim: 1000, evals: 1, seed: 3, twin: rosenTwin,
    }),
    batched({
      id: 'rosenbrock-d1000-batch', title: 'Rosenbrock d=1000, batch n=1000',
      landscape: rosen(1000), dim: 1000, evals: 1000, seed: 4, twin: rosenBatchTwin,
    }),
    batched({
      id: 'rastrigin-d2-batch', title: 'Rastrigin d=2, batch n=100 000',
      landscape: rast(2), dim: 2, evals: 100_000, seed: 5, twin: rastBatchTwin,
    }),
    single({
      id: 'rastrigin-d1000-single', title: 'Rastrigin d=1000, single point',
      landscape: rast(1000), dim: 1000, evals: 1, seed: 6, twin: rastTwin,
    }),
  ];
}
