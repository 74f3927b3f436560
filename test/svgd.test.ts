// samplers.svgd (Stein variational gradient descent) against an independent plain-JS twin of the
// same update, and against its targets.
//
// The twin (jsSvgdStep) is written from Liu & Wang's formula, sharing no code or structure with
// the kernel: a double loop over all ordered pairs (i, j) with Math.exp, the median of the
// distinct-pair distances by a full sort (the kernel selects on a sample-bracketed band), no
// centring, no symmetry. Only the gradients ∇U come from the library (landscape.gradBatch,
// tested elsewhere): the update is what is under test. Runs start from the same points
// (inits.array), so the two agree to rounding: per step they differ by a few ulps (exp, summation
// order, centring, the Gram trick) — observed ≤ 4e-16 relative over ≤ 5 steps and 7e-16 over
// 300 — and the tolerances are 1e-12 and 1e-10.
//
// Against the target (statistical, deterministic given the seed): SVGD with N particles is a
// deterministic quadrature with a known finite-N bias (the particles under-spread a Gaussian: the
// independent numpy implementation of the same update, bench/svgd_numpy.py's step, gives
// variances 0.92, 0.95, 0.97 of the target's at N = 100, 200, 400 after 3 000 steps on N(0, I)).
// The bounds below are stated per test from that bias, and also require it to shrink with N.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { rng, throwsDescent } from './util.ts';

const s = suite('svgd');
s.before(() => descent.init());
const L = descent.landscapes, S = descent.samplers, I = descent.inits, O = descent.optimizers;

type Rows = number[][];

/** N × d starting points: seeded uniforms in [lo, hi)^d. */
function points(N: number, d: number, seed: number, lo = -2, hi = 2): Rows {
  const next = rng(seed);
  return Array.from({ length: N }, () => Array.from({ length: d }, () => lo + (hi - lo) * next()));
}

/** Median of the N(N−1)/2 distinct-pair distances, by sorting (numpy.median's convention). */
function jsMedianDistance(x: Rows): number {
  const dist: number[] = [];
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) dist.push(Math.sqrt(x[i].reduce((a, v, c) => a + (v - x[j][c]) ** 2, 0)));
  }
  dist.sort((a, b) => a - b);
  const M = dist.length;
  return M % 2 === 1 ? dist[(M - 1) / 2] : (dist[M / 2 - 1] + dist[M / 2]) / 2;
}

/** The median-heuristic bandwidth med²/log N (1 when med = 0). */
function jsMedianBandwidth(x: Rows): number {
  const med = jsMedianDistance(x);
  return med === 0 ? 1 : (med * med) / Math.log(x.length);
}

/**
 * One SVGD step x_i ← x_i + ε φ(x_i), φ(x_i) = (1/N) Σ_j [k(x_j, x_i)(−∇U(x_j)/T) + ∇_{x_j} k(x_j, x_i)],
 * k(x, y) = exp(−‖x − y‖²/h), ∇_{x_j} k(x_j, x_i) = (2/h)(x_i − x_j) k. Returns the new points and φ.
 */
function jsSvgdStep(f: descent.Landscape, x: Rows, eps: number, T: number, bandwidth: number | 'median'): { x: Rows; phi: Rows } {
  const N = x.length, d = x[0].length;
  const g = f.gradBatch(x.flat());
  const h = bandwidth === 'median' ? jsMedianBandwidth(x) : bandwidth;
  const phi = x.map(() => new Array<number>(d).fill(0));
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      let r2 = 0;
      for (let c = 0; c < d; c++) r2 += (x[j][c] - x[i][c]) ** 2;
      const k = Math.exp(-r2 / h);
      for (let c = 0; c < d; c++) phi[i][c] += k * (-g[j * d + c] / T) + (2 / h) * (x[i][c] - x[j][c]) * k;
    }
  }
  for (const p of phi) for (let c = 0; c < d; c++) p[c] /= N;
  return { x: x.map((p, i) => p.map((v, c) => v + eps * phi[i][c])), phi };
}

/** descent's final positions as rows. */
function rows(r: descent.EnsembleResult): Rows {
  return Array.from({ length: r.particles }, (_, p) => Array.from(r.x.subarray(p * r.dim, (p + 1) * r.dim)));
}

/** max over particles of ‖a_p − b_p‖∞ / max(1, ‖b‖∞). */
function maxRelDiff(a: Rows, b: Rows): number {
  let scale = 1, diff = 0;
  for (let p = 0; p < b.length; p++) {
    for (let c = 0; c < b[p].length; c++) {
      scale = Math.max(scale, Math.abs(b[p][c]));
      diff = Math.max(diff, Math.abs(a[p][c] - b[p][c]));
    }
  }
  return diff / scale;
}

// Σ = A⁻¹ = [[1, 1], [1, 2]] (det A = 1, correlation 1/√2), μ = (1, −1): b = −Aμ.
const SIGMA = [[1, 1], [1, 2]], MU = [1, -1];
const corrGauss = L.quadratic({ A: [[2, -1], [-1, 1]], b: [-3, 2] });
const mixture3 = L.gaussianMixture({ means: [[-1, 0, 0.5], [1, 0.5, 0]], weights: [1, 2], stds: [0.6, 0.9] });

/** descent's SVGD run from `start` (no noise). */
function run(f: descent.Landscape, start: Rows, steps: number, optimizer: descent.samplers.Sampler, extra: Partial<descent.SimulateConfig> = {}) {
  return descent.simulate({ landscape: f, optimizer, init: I.array({ points: start }), steps, seed: 1, ...extra });
}

/** The twin's points after `steps` steps. */
function jsRun(f: descent.Landscape, start: Rows, steps: number, eps: number, T: number, bw: number | 'median'): Rows {
  let x = start;
  for (let t = 0; t < steps; t++) x = jsSvgdStep(f, x, eps, T, bw).x;
  return x;
}

s('T steps equal the plain-JS twin (median and fixed bandwidth; d = 1 … 20, both product paths; odd and even pair counts; the sampled median path)', async () => {
  const cases: { f: descent.Landscape; N: number; eps: number; T: number; bw: number | 'median'; temp: number }[] = [
    { f: corrGauss, N: 7, eps: 0.2, T: 1, bw: 'median', temp: 1 },     // M = 21 pairs (odd)
    { f: corrGauss, N: 8, eps: 0.2, T: 5, bw: 'median', temp: 1 },     // M = 28 (even)
    { f: corrGauss, N: 2, eps: 0.3, T: 5, bw: 'median', temp: 0.5 },   // M = 1
    { f: corrGauss, N: 33, eps: 0.1, T: 5, bw: 0.7, temp: 2 },
    { f: mixture3, N: 41, eps: 0.1, T: 5, bw: 'median', temp: 1 },
    { f: L.quadratic({ A: [[2]] }), N: 50, eps: 0.05, T: 5, bw: 'median', temp: 1 },
    { f: L.rosenbrock({ dim: 5 }), N: 19, eps: 1e-3, T: 5, bw: 3, temp: 10 },
    { f: L.rosenbrock({ dim: 14 }), N: 23, eps: 1e-4, T: 3, bw: 'median', temp: 30 }, // d > 12: gathered row tiles
    { f: L.quadratic({ eigenvalues: Array.from({ length: 20 }, (_, i) => 0.5 + i / 10), seed: 2 }), N: 45, eps: 0.2, T: 4, bw: 'median', temp: 1 },
    { f: corrGauss, N: 301, eps: 0.2, T: 3, bw: 'median', temp: 1 },   // M = 45 150 ≥ 4 096: sample-bracketed selection
    { f: mixture3, N: 130, eps: 0.1, T: 2, bw: 'median', temp: 1 },    // M = 8 385 (odd), blocks of 64: three blocks, padding
  ];
  for (const { f, N, eps, T, bw, temp } of cases) {
    const start = points(N, f.dim, 100 + N);
    const x = jsRun(f, start, T, eps, temp, bw);
    const r = await run(f, start, T, S.svgd({ stepSize: eps, temperature: temp, kernel: { bandwidth: bw } }));
    const err = maxRelDiff(rows(r), x);
    assert.ok(err < 1e-12, `${f.kind} d=${f.dim} N=${N} bandwidth ${bw}: relative difference ${err.toExponential(2)} after ${T} steps`);
    // Not a trivial agreement: the particles moved by far more than the tolerance.
    assert.ok(maxRelDiff(x, start) > 1e-4, 'particles did not move');
  }
});

s('300 steps to near-equilibrium equal the plain-JS twin (N = 40, correlated Gaussian)', async () => {
  const start = points(40, 2, 7, -3, 3);
  const x = jsRun(corrGauss, start, 300, 0.3, 1, 'median');
  const r = await run(corrGauss, start, 300, S.svgd({ stepSize: 0.3 }));
  const err = maxRelDiff(rows(r), x);
  assert.ok(err < 1e-10, `relative difference ${err.toExponential(2)}`);
});

s('the result records each step\'s bandwidth: med²/log N of that step\'s positions (from the trajectories), or the fixed h', async () => {
  const N = 40, T = 30, start = points(N, 2, 11, -3, 3);
  const r = await run(corrGauss, start, T, S.svgd({ stepSize: 0.3 }), { record: { trajectories: N } });
  const bw = r.svgd!.bandwidths, traj = r.trajectories!.data;
  assert.is(bw.length, T);
  for (let t = 0; t < T; t++) {
    const xt = Array.from({ length: N }, (_, p) => Array.from(traj.subarray((t * N + p) * 2, (t * N + p + 1) * 2)));
    const h = jsMedianBandwidth(xt);
    assert.ok(Math.abs(bw[t] / h - 1) < 1e-12, `step ${t}: recorded ${bw[t]} vs med²/log N = ${h}`);
  }
  assert.ok(bw[T - 1] !== bw[0], 'the median bandwidth moves with the particles');
  const fixed = await run(corrGauss, start, 5, S.svgd({ stepSize: 0.3, kernel: { bandwidth: 0.7 } }));
  assert.equal(Array.from(fixed.svgd!.bandwidths), [0.7, 0.7, 0.7, 0.7, 0.7]);
  assert.is((await run(corrGauss, start, 5, S.ula({ stepSize: 0.1 }))).svgd, undefined);
});

s('median bandwidth h = med²/log N equals an independent sorted median of the pair distances (ties, med = 0, both selection paths)', async () => {
  const grid: Rows = [];
  for (let a = 0; a < 12; a++) for (let b = 0; b < 12; b++) grid.push([a, b]); // integer grid: heavily tied distances
  const sets: [string, Rows][] = [
    ['N = 20 (190 pairs, even)', points(20, 2, 1)], ['N = 19 (171 pairs, odd)', points(19, 2, 2)],
    ['N = 160 (12 720 pairs, sampled)', points(160, 3, 3)], ['N = 151 (11 325 pairs, odd, sampled)', points(151, 3, 4)],
    ['12 × 12 grid (ties)', grid], ['5 points, 4 coincide (med = 0 → h = 1)', [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [1, 2]]],
  ];
  for (const [what, start] of sets) {
    const f = L.quadratic({ A: start[0].map((_, i) => start[0].map((__, j) => (i === j ? 0.5 : 0))) });
    const h = jsMedianBandwidth(start);
    const median = await run(f, start, 1, S.svgd({ stepSize: 0.1 }));
    const fixed = await run(f, start, 1, S.svgd({ stepSize: 0.1, kernel: { bandwidth: h } }));
    const err = maxRelDiff(rows(median), rows(fixed));
    assert.ok(err < 1e-13, `${what}: median run vs fixed h = ${h}: ${err.toExponential(2)}`);
    // The step resolves the bandwidth: 1% off in h moves the particles by far more than that tolerance.
    const off = await run(f, start, 1, S.svgd({ stepSize: 0.1, kernel: { bandwidth: 1.01 * h } }));
    assert.ok(maxRelDiff(rows(median), rows(off)) > 1e-7, `${what}: step insensitive to h`);
  }
});

s('correlated Gaussian: particle mean and covariance converge to μ and Σ (finite-N bias bounded and shrinking with N)', async () => {
  // Start at the target (i.i.d. N(μ, Σ)): SVGD must keep the mean and only trade the i.i.d.
  // scatter for its own finite-N configuration. Bounds: ‖mean − μ‖∞ ≤ 0.01 (i.i.d. particles
  // would have standard error √(Σ_jj/N) ≥ 0.05 at N = 400: SVGD places them far better), and
  // the relative Frobenius error of the covariance ≤ 0.05 at N = 400 — the finite-N under-spread
  // of the same update in numpy is 3.4% at N = 400 — and smaller at N = 400 than at N = 100.
  const errs: number[] = [];
  for (const [N, T] of [[100, 1000], [400, 1200]]) {
    const r = await descent.simulate({ landscape: corrGauss, optimizer: S.svgd({ stepSize: 0.3 }), init: I.normal({ mean: MU, covariance: SIGMA }), particles: N, steps: T, seed: 5 });
    const m = [0, 1].map((j) => { let a = 0; for (let p = 0; p < N; p++) a += r.x[2 * p + j]; return a / N; });
    const C = [0, 1].map((a) => [0, 1].map((b) => { let c = 0; for (let p = 0; p < N; p++) c += (r.x[2 * p + a] - m[a]) * (r.x[2 * p + b] - m[b]); return c / N; }));
    const meanErr = Math.max(Math.abs(m[0] - MU[0]), Math.abs(m[1] - MU[1]));
    const covErr = Math.hypot(C[0][0] - SIGMA[0][0], C[0][1] - SIGMA[0][1], C[1][0] - SIGMA[1][0], C[1][1] - SIGMA[1][1]) / Math.hypot(1, 1, 1, 2);
    assert.ok(meanErr <= 0.01, `N = ${N}: mean ${m} vs ${MU}`);
    errs.push(covErr);
    if (N === 400) assert.ok(covErr <= 0.05, `N = ${N}: covariance ${JSON.stringify(C)} vs ${JSON.stringify(SIGMA)}: relative error ${covErr.toFixed(4)}`);
    assert.is(r.counts.diverged, 0);
  }
  assert.ok(errs[1] < errs[0], `covariance error did not shrink with N: ${errs}`);
});

s('2-mode mixture: the particles cover both modes in the mixture proportion (within 0.03)', async () => {
  // U = −log(¼ N((−1.5, 0), 0.7² I) + ¾ N((1.5, 0), 0.7² I)); mass of {x₁ > 0} = ¼Φ(−1.5/0.7) + ¾Φ(1.5/0.7)
  // = 0.74197. Particles start symmetric about 0 (N(0, 1.5² I): about half on each side), so the
  // ¾ : ¼ split has to be made by the dynamics. Bound 0.03: i.i.d. draws of N = 200 would have
  // standard error 0.031; SVGD's placement is better (0.725 … 0.755 over seeds 1–6); keeping the
  // start's split (≈ 0.5) or equal weights (0.5) is far outside.
  const f = L.gaussianMixture({ means: [[-1.5, 0], [1.5, 0]], weights: [1, 3], stds: [0.7, 0.7] });
  const N = 200;
  const r = await descent.simulate({ landscape: f, optimizer: S.svgd({ stepSize: 0.5 }), init: I.normal({ mean: [0, 0], std: 1.5 }), particles: N, steps: 1500, seed: 3, record: { trajectories: N } });
  const right = (t: number) => { let c = 0; for (let p = 0; p < N; p++) if (r.trajectories!.data[(t * N + p) * 2] > 0) c++; return c / N; };
  assert.ok(Math.abs(right(0) - 0.5) < 0.1, `start split ${right(0)}`);
  const exact = 0.7419689; // ¼(1 − Φ(z)) + ¾Φ(z) = ¼ + ½Φ(z), Φ(1.5/0.7) = 0.9839377 (Python math.erf)
  assert.ok(Math.abs(right(1500) - exact) <= 0.03, `fraction right of 0: ${right(1500)} vs ${exact.toFixed(4)}`);
  // Both modes are populated near their centres (within 2σ = 1.4).
  const near = [0, 0];
  for (let p = 0; p < N; p++) for (const [k, c] of [[0, -1.5], [1, 1.5]]) if (Math.hypot(r.x[2 * p] - c, r.x[2 * p + 1]) < 1.4) near[k]++;
  assert.ok(near[0] >= 0.2 * N && near[1] >= 0.6 * N, `particles near the modes: ${near}`);
});

s('inner optimisers: sgd({ lr: ε }) is the plain update bit for bit; adam fed −φ equals a JS twin', async () => {
  const start = points(25, 2, 9);
  const plain = await run(corrGauss, start, 20, S.svgd({ stepSize: 0.1 }));
  const viaSgd = await run(corrGauss, start, 20, S.svgd({ optimizer: O.sgd({ lr: 0.1 }) }));
  assert.is(viaSgd.hash, plain.hash);
  // torch.optim.Adam on g = −φ: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², x ← x − lr·m̂/(√v̂ + ε).
  const lr = 0.05, b1 = 0.9, b2 = 0.99, eps = 1e-8, T = 8;
  let x = start;
  const m = start.map((p) => p.map(() => 0)), v = start.map((p) => p.map(() => 0));
  for (let t = 1; t <= T; t++) {
    const { phi } = jsSvgdStep(corrGauss, x, 0, 1, 'median');
    x = x.map((p, i) => p.map((xi, c) => {
      const g = -phi[i][c];
      m[i][c] = b1 * m[i][c] + (1 - b1) * g;
      v[i][c] = b2 * v[i][c] + (1 - b2) * g * g;
      return xi - (lr / (1 - b1 ** t)) * m[i][c] / (Math.sqrt(v[i][c]) / Math.sqrt(1 - b2 ** t) + eps);
    }));
  }
  const r = await run(corrGauss, start, T, S.svgd({ optimizer: O.adam({ lr, betas: [b1, b2], eps }) }));
  const err = maxRelDiff(rows(r), x);
  assert.ok(err < 1e-12, `adam: relative difference ${err.toExponential(2)}`);
  assert.ok(maxRelDiff(rows(r), rows(plain)) > 1e-3, 'adam made the plain steps');
});

s('a diverged particle leaves the interaction: the others continue exactly as a run without it', async () => {
  const start = points(30, 2, 11);
  const far = [...start, [9, 0]]; // beyond the bound 8 from the first step on
  const a = await run(corrGauss, far, 12, S.svgd({ stepSize: 0.1 }), { divergenceBound: 8, record: { trajectories: 31 } });
  assert.is(a.counts.diverged, 1);
  assert.is(a.divergedAt[30], 0);
  // The diverged particle stays where it was marked; the others, from their positions after step 0, follow a 30-particle run.
  const after0 = Array.from({ length: 30 }, (_, p) => Array.from(a.trajectories!.data.subarray((31 + p) * 2, (31 + p) * 2 + 2)));
  const b = await run(corrGauss, after0, 11, S.svgd({ stepSize: 0.1 }), { divergenceBound: 8 });
  assert.equal(Array.from(a.x.subarray(0, 60)), Array.from(b.x));
  assert.equal(Array.from(a.x.subarray(60)), Array.from(a.trajectories!.data.subarray((31 + 30) * 2, (31 + 30) * 2 + 2)));
});

s('records and trajectories are those of the ensemble loop: taken at x_t before step t', async () => {
  const N = 70, T = 30;
  const r = await descent.simulate({ landscape: mixture3, optimizer: S.svgd({ stepSize: 0.1 }), init: I.normal({ mean: [0, 0, 0], std: 1 }), particles: N, steps: T, seed: 4, record: { every: 7, trajectories: N } });
  const rec = r.record!, tr = r.trajectories!.data, d = 3;
  assert.equal(Array.from(rec.steps), [0, 7, 14, 21, 28]);
  rec.steps.forEach((t, k) => {
    assert.is(rec.count[k], N);
    for (let j = 0; j < d; j++) {
      let mean = 0;
      for (let p = 0; p < N; p++) mean += tr[(t * N + p) * d + j];
      mean /= N;
      assert.ok(Math.abs(rec.paramMean[k * d + j] - mean) < 1e-13, `t = ${t}: mean ${rec.paramMean[k * d + j]} vs ${mean}`);
    }
    const losses = mixture3.valueBatch(tr.subarray(t * N * d, (t + 1) * N * d));
    assert.ok(Math.abs(rec.lossMean[k] - losses.reduce((a, b) => a + b, 0) / N) < 1e-12);
  });
  assert.equal(Array.from(tr.subarray(T * N * d)), Array.from(r.x));
});

s('determinism: the same bits for any chunk size, with noise, records and trajectories; configs round-trip', async () => {
  const config = {
    landscape: mixture3, optimizer: S.svgd({ stepSize: 0.05, temperature: 0.7 }), noise: descent.noise.gaussian({ sigma: 0.3 }),
    init: I.normal({ mean: [0, 0, 0], std: 1 }), particles: 150, steps: 25, seed: 21, record: { every: 4, trajectories: 3 },
  };
  const a = await descent.simulate(config), b = await descent.simulate(config, { chunkSize: 1 }), c = await descent.simulate(config, { chunkSize: 7 });
  assert.is(b.hash, a.hash);
  assert.is(c.hash, a.hash);
  const plain = await descent.simulate({ ...config, noise: undefined });
  assert.not.equal(plain.hash, a.hash); // the noise reached the gradients
  // Seeds whose low 32-bit word is ≥ 2³¹ are distinct keys (only the noise draws differ here: the start is fixed).
  const fixed = { ...config, init: I.array({ points: points(40, 3, 12) }), particles: undefined, record: undefined };
  assert.not.equal((await descent.simulate({ ...fixed, seed: 3e9 })).hash, (await descent.simulate({ ...fixed, seed: 3e9 + 1 })).hash);
  // Minibatch noise (its epoch permutations are regenerated per block and step, as a pure function of particle and epoch).
  const parts = L.finiteSum([L.quadratic({ A: [[1, 0], [0, 2]], b: [1, 0] }), L.quadratic({ A: [[2, 0.5], [0.5, 1]], b: [-1, 1] }), L.quadratic({ A: [[1, 0], [0, 1]] }), L.quadratic({ A: [[3, 0], [0, 1]], b: [0, -2] })]);
  const mb = { landscape: parts, optimizer: S.svgd({ stepSize: 0.05 }), noise: descent.noise.minibatch({ batchSize: 2 }), init: I.normal({ mean: [0, 0], std: 1 }), particles: 130, steps: 9, seed: 3, record: { every: 2 } };
  const m1 = await descent.simulate(mb), m2 = await descent.simulate(mb, { chunkSize: 1 });
  assert.is(m2.hash, m1.hash);
  assert.not.equal((await descent.simulate({ ...mb, noise: undefined })).hash, m1.hash);
  const { configFromJSON } = descent;
  for (const o of [S.svgd({ stepSize: 0.05 }), S.svgd({ optimizer: O.adagrad({ lr: 0.1 }), kernel: { bandwidth: 0.5 }, temperature: 2 }),
    S.svgd({ stepSize: descent.schedules.exponential({ lr: 0.1, gamma: 0.99 }) })]) {
    assert.equal(S.fromJSON(JSON.parse(JSON.stringify(o))), o);
    const r = await descent.simulate({ ...config, optimizer: o });
    assert.is((await descent.simulate(configFromJSON(JSON.parse(JSON.stringify(r.config))))).hash, r.hash);
  }
});

s('bad input: DescentError with the path', async () => {
  throwsDescent(() => S.svgd({ stepSize: 0 }), 'E_CONFIG', 'samplers.svgd.stepSize');
  throwsDescent(() => S.svgd({ stepSize: -0.1 }), 'E_CONFIG', 'samplers.svgd.stepSize');
  throwsDescent(() => S.svgd({}), 'E_CONFIG', 'samplers.svgd.stepSize');
  throwsDescent(() => S.svgd({ stepSize: 0.1, temperature: 0 }), 'E_CONFIG', 'samplers.svgd.temperature');
  throwsDescent(() => S.svgd({ stepSize: 0.1, temperature: -1 }), 'E_CONFIG', 'samplers.svgd.temperature');
  throwsDescent(() => S.svgd({ stepSize: 0.1, kernel: { bandwidth: 0 } }), 'E_CONFIG', 'samplers.svgd.kernel.bandwidth');
  throwsDescent(() => S.svgd({ stepSize: 0.1, kernel: { bandwidth: -2 } }), 'E_CONFIG', 'samplers.svgd.kernel.bandwidth');
  throwsDescent(() => S.svgd({ stepSize: 0.1, kernel: { bandwidth: 'mean' as never } }), 'E_CONFIG', 'samplers.svgd.kernel.bandwidth');
  throwsDescent(() => S.svgd({ stepSize: 0.1, kernel: { width: 1 } as never }), 'E_CONFIG', 'samplers.svgd.kernel.width');
  throwsDescent(() => S.svgd({ stepSize: 0.1, optimizer: O.adam() }), 'E_CONFIG', 'samplers.svgd.stepSize');
  throwsDescent(() => S.svgd({ optimizer: O.lion() as never }), 'E_CONFIG', 'samplers.svgd.optimizer');
  throwsDescent(() => S.svgd({ optimizer: O.adam({ maximize: true }) }), 'E_CONFIG', 'samplers.svgd.optimizer.params.maximize');
  throwsDescent(() => S.svgd({ optimizer: O.sgd({ lr: 0 }) }), 'E_CONFIG', 'samplers.svgd.optimizer.params.lr');
  throwsDescent(() => S.svgd({ optimizer: 'adam' as never }), 'E_CONFIG', 'samplers.svgd.optimizer');
  const ok = { landscape: corrGauss, optimizer: S.svgd({ stepSize: 0.1 }), init: I.normal({ mean: [0, 0], std: 1 }), particles: 10, steps: 3, seed: 1 };
  await descent.simulate(ok);
  for (const [bad, opts, path] of [
    [{ particles: 1 }, {}, 'simulate.particles'],
    [{ stop: { gradTol: 1e-3 } }, {}, 'simulate.stop'],
    [{ stop: { regions: [{ center: [0, 0], radius: 1 }] } }, {}, 'simulate.stop'],
    [{}, { workers: 2 }, 'simulate.options.workers'],
    [{}, { shard: { index: 0, count: 2 } }, 'simulate.options.shard'],
  ] as const) {
    let threw = false;
    try { await descent.simulate({ ...ok, ...bad } as descent.SimulateConfig, opts as never); } catch (e) {
      threw = true;
      assert.is((e as descent.DescentError).code, 'E_CONFIG');
      assert.is((e as descent.DescentError).path, path);
    }
    assert.ok(threw, `no error for ${path}`);
  }
});

s.run();
