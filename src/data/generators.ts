/**
 * Seeded synthetic datasets for the settings the papers study. Every random number comes from the
 * counter-based generator (`random.*`, computed in wasm) under the dataset's seed, one stream per
 * use; the rest is +, −, × and max, which IEEE 754 makes identical in every runtime. So a dataset
 * is a pure function of its config. Call `await descent.init()` first.
 */
import { invalid } from '../errors.ts';
import { finite, integer, options, seed as seedOf, vector } from '../validate.ts';
import * as random from '../random.ts';
import { sqrt } from '../../bindings/scalar.ts';
import { make, isDataset, type Dataset } from './dataset.ts';

// Streams of the generators (independent draws for inputs, teacher, noise, labels…).
const S_X = 0,
  S_TEACHER = 1,
  S_NOISE = 2,
  S_LABEL = 3,
  S_EXTRA = 4;

function normals(seed: number, stream: number, count: number, scale = 1): number[] {
  const z = random.normal({ seed, stream, count });
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = scale * z[i];
  return out;
}

function uniforms(seed: number, stream: number, count: number): Float64Array {
  return random.uniform({ seed, stream, count });
}

function counts(c: Record<string, unknown>, path: string) {
  return {
    n: integer(c.n, `${path}.n`, { min: 1, max: 1 << 24 }),
    m: integer(c.inputs, `${path}.inputs`, { min: 1, max: 1 << 16 }),
    noise: finite(c.noise, `${path}.noise`, { min: 0 }, 0),
    seed: seedOf(c.seed, `${path}.seed`),
  };
}

/** Config of {@link linearTeacher}. */
export interface LinearTeacherConfig {
  n: number;
  inputs: number;
  /** Targets per example k. Default 1. */
  outputs?: number;
  /** Label noise σ: y = W⋆x + σ ε. Default 0. */
  noise?: number;
  seed: number;
}

/**
 * Linear teacher–student regression: x ~ N(0, I_m), W⋆ (k × m) with entries ~ N(0, 1/m),
 * y = W⋆x + σ ε. `truth.weight` is W⋆ (row-major): `models.linearRegression({ data, bias: false })`
 * at θ = W⋆ has loss σ²-sized.
 */
export function linearTeacher(config: LinearTeacherConfig): Dataset {
  const c = options<LinearTeacherConfig>(config, 'data.linearTeacher', ['n', 'inputs', 'outputs', 'noise', 'seed']);
  const { n, m, noise, seed } = counts(c as Record<string, unknown>, 'data.linearTeacher');
  const k = integer(c.outputs, 'data.linearTeacher.outputs', { min: 1, max: 1 << 16 }, 1);
  const X = normals(seed, S_X, n * m);
  const W = normals(seed, S_TEACHER, k * m, 1 / sqrt(m));
  const eps = normals(seed, S_NOISE, n * k, noise);
  const y = new Array<number>(n * k);
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < k; o++) {
      let s = 0;
      for (let j = 0; j < m; j++) s += W[o * m + j] * X[i * m + j];
      y[i * k + o] = s + eps[i * k + o];
    }
  }
  return make('regression', n, m, k, X, y, { truth: { weight: W } });
}

/** Config of {@link reluTeacher}. */
export interface ReluTeacherConfig {
  n: number;
  inputs: number;
  /** Hidden width h of the teacher. */
  hidden: number;
  /** Label noise σ. Default 0. */
  noise?: number;
  seed: number;
}

/**
 * Two-layer ReLU teacher–student regression: x ~ N(0, I_m), y = a⋆ᵀ relu(W⋆x) + σ ε with
 * W⋆ (h × m) entries ~ N(0, 1/m) and a⋆ (h) ~ N(0, 1/h). `truth.theta` is the teacher flattened as
 * `models.twoLayerRelu({ data, width: h })` takes it (W⋆ then a⋆), so the student can start there.
 */
export function reluTeacher(config: ReluTeacherConfig): Dataset {
  const c = options<ReluTeacherConfig>(config, 'data.reluTeacher', ['n', 'inputs', 'hidden', 'noise', 'seed']);
  const { n, m, noise, seed } = counts(c as Record<string, unknown>, 'data.reluTeacher');
  const h = integer(c.hidden, 'data.reluTeacher.hidden', { min: 1, max: 1 << 16 });
  const X = normals(seed, S_X, n * m);
  const W = normals(seed, S_TEACHER, h * m, 1 / sqrt(m));
  const a = normals(seed, S_EXTRA, h, 1 / sqrt(h));
  const eps = normals(seed, S_NOISE, n, noise);
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let u = 0; u < h; u++) {
      let z = 0;
      for (let j = 0; j < m; j++) z += W[u * m + j] * X[i * m + j];
      s += a[u] * Math.max(z, 0);
    }
    y[i] = s + eps[i];
  }
  return make('regression', n, m, 1, X, y, { truth: { theta: [...W, ...a] } });
}

/** Config of {@link gaussianMixture}. */
export interface GaussianMixtureDataConfig {
  n: number;
  inputs: number;
  /** Number of classes C ≥ 2. */
  classes: number;
  /** Distance scale of the class means: μ_c ~ N(0, (separation²/m) I). Default 3. */
  separation?: number;
  seed: number;
}

/**
 * Gaussian-mixture classification: labels uniform on [0, C), x = μ_y + N(0, I_m).
 * `truth.means` holds the C × m class means.
 */
export function gaussianMixture(config: GaussianMixtureDataConfig): Dataset {
  const c = options<GaussianMixtureDataConfig>(config, 'data.gaussianMixture', ['n', 'inputs', 'classes', 'separation', 'seed']);
  const { n, m, seed } = counts(c as Record<string, unknown>, 'data.gaussianMixture');
  const C = integer(c.classes, 'data.gaussianMixture.classes', { min: 2, max: 1 << 16 });
  const sep = finite(c.separation, 'data.gaussianMixture.separation', { min: 0 }, 3);
  const mu = normals(seed, S_TEACHER, C * m, sep / sqrt(m));
  const u = uniforms(seed, S_LABEL, n);
  const X = normals(seed, S_X, n * m);
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const label = Math.min(C - 1, Math.floor(u[i] * C));
    y[i] = label;
    for (let j = 0; j < m; j++) X[i * m + j] += mu[label * m + j];
  }
  return make('classification', n, m, 1, X, y, { classes: C, truth: { means: mu } });
}

/** Config of {@link sparseRegression}. */
export interface SparseRegressionConfig {
  n: number;
  inputs: number;
  /** Non-zeros k of the ground truth (1 ≤ k ≤ m). */
  sparsity: number;
  /** Label noise σ. Default 0. */
  noise?: number;
  seed: number;
}

/**
 * Sparse linear regression: w⋆ has k entries ±1 (random support and signs) and m − k zeros;
 * x ~ N(0, I_m), y = xᵀw⋆ + σ ε. The setting of diagonal linear networks and label-noise SGD's
 * sparsity bias; `truth.weight` is w⋆, `truth.support` its indices.
 */
export function sparseRegression(config: SparseRegressionConfig): Dataset {
  const c = options<SparseRegressionConfig>(config, 'data.sparseRegression', ['n', 'inputs', 'sparsity', 'noise', 'seed']);
  const { n, m, noise, seed } = counts(c as Record<string, unknown>, 'data.sparseRegression');
  const k = integer(c.sparsity, 'data.sparseRegression.sparsity', { min: 1, max: m });
  // Support: the first k of a Fisher–Yates shuffle of 0 … m−1.
  const u = uniforms(seed, S_TEACHER, m + k);
  const idx = Array.from({ length: m }, (_, i) => i);
  for (let i = m - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(u[i] * (i + 1)));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const support = idx.slice(0, k).sort((a, b) => a - b);
  const w = new Array<number>(m).fill(0);
  support.forEach((j, q) => {
    w[j] = u[m + q] < 0.5 ? -1 : 1;
  });
  const X = normals(seed, S_X, n * m);
  const eps = normals(seed, S_NOISE, n, noise);
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (const j of support) s += w[j] * X[i * m + j];
    y[i] = s + eps[i];
  }
  return make('regression', n, m, 1, X, y, { truth: { weight: w, support } });
}

/** Config of {@link matrixSensing}. */
export interface MatrixSensingConfig {
  /** Measurements n. */
  n: number;
  rows: number;
  /** Columns (default rows; must equal rows when symmetric). */
  cols?: number;
  /** Rank r of the ground truth. */
  rank: number;
  /** M⋆ = U⋆U⋆ᵀ (PSD) instead of U⋆V⋆ᵀ. Default false. */
  symmetric?: boolean;
  /** Measurement noise σ. Default 0. */
  noise?: number;
  seed: number;
}

/**
 * Low-rank matrix sensing: M⋆ = U⋆V⋆ᵀ (or U⋆U⋆ᵀ) with U⋆, V⋆ entries ~ N(0, 1/√r), Gaussian
 * measurement matrices A_i (entries N(0, 1), row i of X, a·b row-major) and y_i = ⟨A_i, M⋆⟩ + σ ε.
 * For `models.matrixFactorization({ data, rows, cols, rank })`; `truth.matrix` is M⋆.
 */
export function matrixSensing(config: MatrixSensingConfig): Dataset {
  const c = options<MatrixSensingConfig>(config, 'data.matrixSensing', ['n', 'rows', 'cols', 'rank', 'symmetric', 'noise', 'seed']);
  const n = integer(c.n, 'data.matrixSensing.n', { min: 1, max: 1 << 24 });
  const a = integer(c.rows, 'data.matrixSensing.rows', { min: 1, max: 4096 });
  const b = integer(c.cols, 'data.matrixSensing.cols', { min: 1, max: 4096 }, a);
  const r = integer(c.rank, 'data.matrixSensing.rank', { min: 1, max: Math.min(a, b) });
  if (c.symmetric !== undefined && typeof c.symmetric !== 'boolean')
    throw invalid('E_CONFIG', 'data.matrixSensing.symmetric', 'true or false', c.symmetric);
  const sym = c.symmetric === true;
  if (sym && b !== a) throw invalid('E_CONFIG', 'data.matrixSensing.cols', `${a} (= rows) for a symmetric matrix`, b);
  const noise = finite(c.noise, 'data.matrixSensing.noise', { min: 0 }, 0);
  const seed = seedOf(c.seed, 'data.matrixSensing.seed');
  const s = 1 / sqrt(sqrt(r));
  const U = normals(seed, S_TEACHER, a * r, s);
  const V = sym ? U : normals(seed, S_EXTRA, b * r, s);
  const M = new Array<number>(a * b);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      let t = 0;
      for (let q = 0; q < r; q++) t += U[i * r + q] * V[j * r + q];
      M[i * b + j] = t;
    }
  }
  const X = normals(seed, S_X, n * a * b);
  const eps = normals(seed, S_NOISE, n, noise);
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let e = 0; e < a * b; e++) t += X[i * a * b + e] * M[e];
    y[i] = t + eps[i];
  }
  return make('regression', n, a * b, 1, X, y, { truth: { matrix: M, rows: a, cols: b, rank: r } });
}

/** Config of {@link biasedSample}. */
export interface BiasedSampleConfig {
  n: number;
  inputs: number;
  /** Fraction of each group in the sample (sums to 1). Default [0.9, 0.1]. */
  sampleFractions?: ArrayLike<number>;
  /** Fraction of each group in the population we care about (sums to 1). Default uniform. */
  targetFractions?: ArrayLike<number>;
  /** Distance of group means from the origin: x ~ N(shift·u_g, I), u_g a random unit vector. Default 2. */
  shift?: number;
  /** How much each group's teacher differs: w⋆_g = w⋆ + heterogeneity·δ_g, δ_g ~ N(0, I/m). Default 1. */
  heterogeneity?: number;
  /** Label noise σ. Default 0. */
  noise?: number;
  seed: number;
}

/**
 * A deliberately biased sample for reweighting-versus-resampling studies: G groups, group g
 * drawn with sample fraction π_g (counts ⌊nπ_g⌋, the last group takes the rest) instead of its
 * population fraction τ_g; inputs and linear teachers differ by group. The dataset carries the
 * exact importance weights w_i = τ_g/π_g (so its loss is the population-weighted risk);
 * `data.reweight(d, null)` drops them and `data.resample(d, …)` resamples by them instead.
 * `truth.group` is each example's group.
 */
export function biasedSample(config: BiasedSampleConfig): Dataset {
  const c = options<BiasedSampleConfig>(config, 'data.biasedSample', [
    'n',
    'inputs',
    'sampleFractions',
    'targetFractions',
    'shift',
    'heterogeneity',
    'noise',
    'seed',
  ]);
  const { n, m, noise, seed } = counts(c as Record<string, unknown>, 'data.biasedSample');
  const pi =
    c.sampleFractions === undefined
      ? [0.9, 0.1]
      : Array.from(vector(c.sampleFractions, 'data.biasedSample.sampleFractions', undefined, { gt: 0 }));
  const G = pi.length;
  const tau =
    c.targetFractions === undefined
      ? new Array<number>(G).fill(1 / G)
      : Array.from(vector(c.targetFractions, 'data.biasedSample.targetFractions', G, { min: 0 }));
  for (const [name, f] of [
    ['sampleFractions', pi],
    ['targetFractions', tau],
  ] as const) {
    const s = f.reduce((a, b) => a + b, 0);
    if (Math.abs(s - 1) > 1e-12) throw invalid('E_CONFIG', `data.biasedSample.${name}`, 'fractions summing to 1', s);
  }
  if (G < 2) throw invalid('E_CONFIG', 'data.biasedSample.sampleFractions', 'at least two groups', G);
  const shift = finite(c.shift, 'data.biasedSample.shift', { min: 0 }, 2);
  const het = finite(c.heterogeneity, 'data.biasedSample.heterogeneity', { min: 0 }, 1);
  const sizes = pi.map((f) => Math.floor(n * f));
  sizes[G - 1] = n - sizes.slice(0, G - 1).reduce((a, b) => a + b, 0);
  const dirs = normals(seed, S_EXTRA, G * m);
  for (let g = 0; g < G; g++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += dirs[g * m + j] ** 2;
    const inv = s > 0 ? shift / sqrt(s) : 0;
    for (let j = 0; j < m; j++) dirs[g * m + j] *= inv;
  }
  const base = normals(seed, S_TEACHER, m, 1 / sqrt(m));
  const delta = normals(seed, S_LABEL, G * m, het / sqrt(m));
  const X = normals(seed, S_X, n * m);
  const eps = normals(seed, S_NOISE, n, noise);
  const y = new Array<number>(n),
    group = new Array<number>(n),
    weights = new Array<number>(n);
  let i = 0;
  for (let g = 0; g < G; g++) {
    for (let q = 0; q < sizes[g]; q++, i++) {
      let t = 0;
      for (let j = 0; j < m; j++) {
        X[i * m + j] += dirs[g * m + j];
        t += (base[j] + delta[g * m + j]) * X[i * m + j];
      }
      y[i] = t + eps[i];
      group[i] = g;
      weights[i] = tau[g] / pi[g];
    }
  }
  return make('regression', n, m, 1, X, y, { weights, truth: { group, sampleFractions: pi, targetFractions: tau } });
}

/**
 * Resampling instead of reweighting: n′ examples drawn i.i.d. with probability ∝ w_i (the
 * dataset's weights), returned without weights, so the expected loss matches the weighted one.
 * Draws are inverse-CDF on uniforms of stream 5 under `seed`.
 */
export function resample(data: Dataset, config: { seed: number; n?: number }): Dataset {
  if (!isDataset(data)) throw invalid('E_CONFIG', 'data.resample: data', 'a dataset from data.*', data);
  const c = options<{ seed: number; n?: number }>(config, 'data.resample', ['seed', 'n']);
  const seed = seedOf(c.seed, 'data.resample.seed');
  const n = integer(c.n, 'data.resample.n', { min: 1, max: 1 << 24 }, data.n);
  if (!data.weights) throw invalid('E_CONFIG', 'data.resample: data', 'a dataset with weights (e.g. data.biasedSample)', 'no weights');
  const cdf = new Float64Array(data.n);
  let s = 0;
  for (let i = 0; i < data.n; i++) {
    s += data.weights[i];
    cdf[i] = s;
  }
  const u = uniforms(seed, 5, n);
  const m = data.inputs,
    k = data.outputs;
  const X: number[] = [],
    y: number[] = [];
  const picked: number[] = [];
  for (let q = 0; q < n; q++) {
    const target = u[q] * s;
    let lo = 0,
      hi = data.n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    picked.push(lo);
    for (let j = 0; j < m; j++) X.push(data.X[lo * m + j]);
    for (let j = 0; j < k; j++) y.push(data.y[lo * k + j]);
  }
  return make(data.task, n, m, k, X, y, { classes: data.classes, truth: { index: picked } });
}
