// Distributed and variance-reduced optimisers (issue 19; src/optimizers/distributed.ts), checked
// against independent oracles:
//   · exact reductions, bit for bit: local SGD with H = 1 is minibatch SGD with K·b samples; with
//     full gradients and K a power of two, local SGD and PermK-compressed SGD are GD; async SGD with
//     τ ≡ 0 is SGD; compressed SGD with K = 1, k = d is SGD; MARINA with p = 1, SVRG and SARAH with
//     a snapshot every step are GD;
//   · closed forms: async SGD with a fixed delay follows x_{t+1} = x_t − ηa(x_{t−τ} − c) exactly;
//     with uniform delays the ensemble mean follows the delayed linear recursion of the means;
//     SVRG's first and second error moments on a 1-d quadratic finite sum follow an exact linear
//     recursion (its linear rate), checked at stated confidence;
//   · exact means of estimators: RandK- and PermK-compressed gradients are unbiased; SVRG's
//     estimator has mean ∇f(x);
//   · determinism over chunk sizes and workers, and DescentErrors for bad options.
// Statistical checks use fixed seeds; each interval is ±4.5 standard errors (a correct kernel
// fails one with probability < 1e-5).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, rejectsDescent, throwsDescent } from './util.ts';

const L = descent.landscapes, O = descent.optimizers, I = descent.inits, N = descent.noise;
type Cfg = Parameters<typeof descent.simulate>[0];
const s = suite('distributed and variance-reduced optimisers');
s.before(() => descent.init());

/** f_k(x) = ½ a_k (x − c_k)² in one dimension, as a quadratic landscape. */
const term1 = (a: number, c: number) => L.quadratic({ A: [[a]], b: [-a * c] });
const A1 = [0.5, 1, 2, 4], C1 = [1, -1, 2, 0.5];
const sum1 = () => L.finiteSum(A1.map((a, k) => term1(a, C1[k])));

/** A 4-d finite sum of 6 quadratic bowls with different Hessians and centres. */
function sum4(): descent.Landscape {
  const parts = [];
  for (let k = 0; k < 6; k++) {
    const A = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? 1 + ((k + i) % 3) : i + j === 3 ? 0.2 * ((k % 2) + 1) : 0)));
    const b = [0, 1, 2, 3].map((i) => Math.sin(k + 2 * i));
    parts.push(L.quadratic({ A, b }));
  }
  return L.finiteSum(parts);
}

const x4 = I.uniform({ low: [-2, -2, -2, -2], high: [2, 2, 2, 2] });
const sim = (c: Cfg) => descent.simulate(c) as Promise<descent.EnsembleResult>;

/** Assert two runs end at the same bits. */
function same(a: descent.EnsembleResult, b: descent.EnsembleResult, what: string): void {
  assert.equal(Array.from(a.x), Array.from(b.x), what);
  assert.ok(a.x.length > 0, `${what}: particles kept`);
}

s('local SGD with one local step is minibatch SGD with K·b samples, bit for bit (with and without replacement, finite sum and model)', async () => {
  const X = Array.from({ length: 24 }, (_, i) => [Math.sin(i), Math.cos(3 * i), 1]);
  const lin = descent.models.linearRegression({ data: descent.data.from({ X, y: X.map((r) => r[0] - 2 * r[1]) }) });
  for (const [f, init] of [[sum4(), x4], [lin, I.uniform({ low: [-1, -1, -1, -1], high: [1, 1, 1, 1] })]] as const) {
    for (const replacement of [true, false]) {
      const base = { landscape: f, init, particles: 37, steps: 30, seed: 11 };
      const local = await sim({ ...base, optimizer: O.localSGD({ workers: 3, localSteps: 1, inner: O.sgd({ lr: 0.05 }) }), noise: N.minibatch({ batchSize: 2, replacement }) });
      const big = await sim({ ...base, optimizer: O.sgd({ lr: 0.05 }), noise: N.minibatch({ batchSize: 6, replacement }) });
      same(local, big, `${f.kind}, replacement ${replacement}`);
    }
  }
});

s('local SGD with H > 1: full gradients and K = 2 give GD bit for bit; minibatches differ from SGD and converge', async () => {
  const base = { landscape: sum4(), init: x4, particles: 20, steps: 25, seed: 3 };
  const gd = await sim({ ...base, optimizer: O.sgd({ lr: 0.1 }) });
  same(await sim({ ...base, optimizer: O.localSGD({ workers: 2, localSteps: 3, inner: O.sgd({ lr: 0.1 }) }) }), gd, 'localSGD K = 2, H = 3, full gradients');
  same(await sim({ ...base, optimizer: O.localSGD({ workers: 4, localSteps: 5, inner: O.sgd({ lr: 0.1 }) }) }), gd, 'localSGD K = 4, H = 5, full gradients');
  const noisy = { ...base, steps: 24, noise: N.minibatch({ batchSize: 1 }) };
  const a = await sim({ ...noisy, optimizer: O.localSGD({ workers: 3, localSteps: 4, inner: O.sgd({ lr: 0.1 }) }) });
  const b = await sim({ ...noisy, optimizer: O.localSGD({ workers: 3, localSteps: 1, inner: O.sgd({ lr: 0.1 }) }) });
  assert.not.equal(Array.from(a.x), Array.from(b.x), 'H = 4 is not H = 1');
});

s('local SGD: the average of K workers after a round is the mean of K independent SGD runs (exact mean of one round)', async () => {
  // On a 1-d quadratic finite sum with batch size 1, each worker's H steps are a linear map of
  // x with random coefficients (1 − ηa_i); E over one round: E[x_H] − x* = (1 − ηā)^H (x_0 − x*)
  // for every worker, so also for their average.
  const eta = 0.1, H = 4, x0 = 3, P = 6000;
  const abar = A1.reduce((u, v) => u + v) / A1.length, xs = A1.reduce((u, a, k) => u + a * C1[k], 0) / (abar * A1.length);
  const r = await sim({ landscape: sum1(), optimizer: O.localSGD({ workers: 3, localSteps: H, inner: O.sgd({ lr: eta }) }), noise: N.minibatch({ batchSize: 1, replacement: true }), init: I.point({ x: [x0] }), particles: P, steps: H, seed: 5 });
  const m = Array.from(r.x).reduce((u, v) => u + v) / P;
  const sd = Math.sqrt(Array.from(r.x).reduce((u, v) => u + (v - m) ** 2, 0) / (P - 1));
  const exact = xs + (1 - eta * abar) ** H * (x0 - xs);
  assert.ok(Math.abs(m - exact) <= 4.5 * sd / Math.sqrt(P), `mean ${m} vs ${exact} (4.5 SE = ${4.5 * sd / Math.sqrt(P)})`);
});

s('async SGD: τ ≡ 0 is SGD bit for bit (minibatch and Gaussian noise)', async () => {
  const base = { landscape: sum4(), init: x4, particles: 21, steps: 30, seed: 9 };
  for (const noise of [N.minibatch({ batchSize: 2 }), N.gaussian({ sigma: 0.3 }), N.none()]) {
    const sgdRun = await sim({ ...base, noise, optimizer: O.sgd({ lr: 0.05 }) });
    same(await sim({ ...base, noise, optimizer: O.asyncSGD({ lr: 0.05, maxDelay: 0 }) }), sgdRun, `τ ≡ 0, ${noise.kind}`);
    same(await sim({ ...base, noise, optimizer: O.asyncSGD({ lr: 0.05, maxDelay: 3, delay: 'geometric', q: 0 }) }), sgdRun, `geometric q = 0, ${noise.kind}`);
  }
});

s('async SGD: a fixed delay follows x_{t+1} = x_t − ηa(x_{t−τ} − c) (closed form)', async () => {
  const a = 2, c = 0.5, eta = 0.15, tau = 3, T = 40;
  const r = await sim({ landscape: term1(a, c), optimizer: O.asyncSGD({ lr: eta, maxDelay: tau }), init: I.point({ x: [2] }), particles: 1, steps: T, seed: 1 });
  const xs = [2];
  for (let t = 0; t < T; t++) xs.push(xs[t] - eta * a * (xs[Math.max(t - tau, 0)] - c));
  close(r.x[0], xs[T], 1e-12, 'x_T', 1e-14);
  // With τ = 3 and ηa = 0.3 the error still contracts, but oscillates (the delayed recursion's complex roots).
  assert.ok(Math.abs(xs[T] - c) < 0.1 * Math.abs(xs[0] - c), 'converges');
  assert.ok(xs.slice(1).some((v, t) => (v - c) * (xs[t] - c) < 0), 'overshoots: a delay effect GD (ηa = 0.3) does not have');
});

s('async SGD: with uniform delays the ensemble mean follows the delayed recursion of the means (99.999% CI)', async () => {
  const a = 1.5, c = -1, eta = 0.2, tmax = 4, T = 15, P = 8000, x0 = 2;
  const r = await sim({ landscape: term1(a, c), optimizer: O.asyncSGD({ lr: eta, maxDelay: tmax, delay: 'uniform' }), noise: N.gaussian({ sigma: 0.5 }), init: I.point({ x: [x0] }), particles: P, steps: T, seed: 21 });
  const m = [x0];
  for (let t = 0; t < T; t++) {
    let stale = 0;
    for (let k = 0; k <= tmax; k++) stale += m[Math.max(t - k, 0)] / (tmax + 1);
    m.push(m[t] - eta * a * (stale - c));
  }
  const xs = Array.from(r.x), mean = xs.reduce((u, v) => u + v) / P;
  const sd = Math.sqrt(xs.reduce((u, v) => u + (v - mean) ** 2, 0) / (P - 1));
  assert.ok(Math.abs(mean - m[T]) <= 4.5 * sd / Math.sqrt(P), `mean ${mean} vs ${m[T]} (4.5 SE = ${4.5 * sd / Math.sqrt(P)})`);
  // Fixed-delay mean differs from it by much more than the interval: the law of τ matters.
  const fixed = [x0];
  for (let t = 0; t < T; t++) fixed.push(fixed[t] - eta * a * (fixed[Math.max(t - tmax, 0)] - c));
  assert.ok(Math.abs(fixed[T] - m[T]) > 10 * sd / Math.sqrt(P), 'the test distinguishes the delay laws');
});

s('compressed SGD: K = 1 with k = d is SGD; PermK with K = 2 and full gradients is GD, bit for bit; TopK moves the k largest coordinates', async () => {
  const base = { landscape: sum4(), init: x4, particles: 19, steps: 20, seed: 4 };
  const mb = N.minibatch({ batchSize: 3 });
  const sgdRun = await sim({ ...base, noise: mb, optimizer: O.sgd({ lr: 0.07 }) });
  for (const compressor of ['randK', 'topK'] as const) {
    same(await sim({ ...base, noise: mb, optimizer: O.compressedSGD({ lr: 0.07, compressor, k: 4 }) }), sgdRun, `${compressor}, k = d`);
  }
  same(await sim({ ...base, noise: mb, optimizer: O.compressedSGD({ lr: 0.07, compressor: 'permK' }) }), sgdRun, 'permK, K = 1');
  const gd = await sim({ ...base, optimizer: O.sgd({ lr: 0.07 }) });
  same(await sim({ ...base, optimizer: O.compressedSGD({ lr: 0.07, workers: 2, compressor: 'permK' }) }), gd, 'permK, K = 2: the supports partition the coordinates');
  same(await sim({ ...base, optimizer: O.compressedSGD({ lr: 0.07, workers: 4, compressor: 'permK' }) }), gd, 'permK, K = 4');
  // TopK, k = 1, one step of lr 1 from x0: exactly the coordinate of largest |∂f| moves, by ∂f.
  const f = sum4(), x0 = [0.3, -0.7, 1.1, 0.2];
  const g = f.grad(x0);
  const r = await sim({ landscape: f, optimizer: O.compressedSGD({ lr: 1, compressor: 'topK', k: 1 }), init: I.point({ x: x0 }), particles: 1, steps: 1, seed: 1 });
  const j = Array.from(g).reduce((best, v, i) => (Math.abs(v) > Math.abs(g[best]) ? i : best), 0);
  assert.equal(Array.from(r.x), x0.map((v, i) => (i === j ? v - g[i] : v)), 'topK step');
});

s('RandK and PermK compressed gradients are unbiased; RandK has variance (d/k − 1)g_j² per coordinate (99.999% CI)', async () => {
  const f = sum4(), x0 = [0.3, -0.7, 1.1, 0.2], P = 20000, d = 4;
  const g = Array.from(f.grad(x0));
  for (const [opt, varOf] of [
    [O.compressedSGD({ lr: 1, workers: 1, compressor: 'randK', k: 1 }), (gj: number) => (d - 1) * gj * gj],
    [O.compressedSGD({ lr: 1, workers: 3, compressor: 'randK', k: 2 }), (gj: number) => ((d / 2 - 1) * gj * gj) / 3],
    [O.compressedSGD({ lr: 1, workers: 2, compressor: 'permK' }), () => 0],
  ] as const) {
    const r = await sim({ landscape: f, optimizer: opt, init: I.point({ x: x0 }), particles: P, steps: 1, seed: 8 });
    for (let j = 0; j < d; j++) {
      let m = 0, v = 0;
      for (let p = 0; p < P; p++) m += (x0[j] - r.x[p * d + j]) / P;
      for (let p = 0; p < P; p++) v += ((x0[j] - r.x[p * d + j]) - m) ** 2 / (P - 1);
      const se = Math.sqrt(varOf(g[j]) / P);
      assert.ok(Math.abs(m - g[j]) <= 4.5 * se + 1e-12, `${opt.params.compressor} K=${opt.params.workers}: mean[${j}] ${m} vs ${g[j]}`);
      const rel = varOf(g[j]) === 0 ? Math.abs(v) : Math.abs(v / varOf(g[j]) - 1);
      assert.ok(rel <= (varOf(g[j]) === 0 ? 1e-20 : 0.1), `${opt.params.compressor}: var[${j}] ${v} vs ${varOf(g[j])}`);
    }
  }
});

s('MARINA with p = 1 is GD bit for bit; with p < 1 it converges linearly to the minimiser', async () => {
  const base = { landscape: sum4(), init: x4, particles: 17, steps: 30, seed: 2 };
  const gd = await sim({ ...base, optimizer: O.sgd({ lr: 0.1 }) });
  same(await sim({ ...base, optimizer: O.marina({ lr: 0.1, p: 1, workers: 3, k: 2 }) }), gd, 'MARINA p = 1, randK');
  same(await sim({ ...base, optimizer: O.marina({ lr: 0.1, p: 1, workers: 2, compressor: 'permK' }), noise: N.minibatch({ batchSize: 2 }) }),
    await sim({ ...base, optimizer: O.sgd({ lr: 0.1 }) }), 'MARINA p = 1 ignores the minibatch: full gradients');
  // The minimiser of the sum: A x* = −b with A, b the means; GD run long to fixed point gives it.
  const ref = await sim({ ...base, particles: 1, init: I.point({ x: [0, 0, 0, 0] }), steps: 3000, optimizer: O.sgd({ lr: 0.1 }) });
  for (const opt of [O.marina({ lr: 0.05, p: 0.2, workers: 4, k: 1 }), O.marina({ lr: 0.05, p: 0.2, workers: 2, compressor: 'permK' })]) {
    const r = await sim({ ...base, steps: 1500, optimizer: opt, noise: N.minibatch({ batchSize: 1 }) });
    for (let p = 0; p < 17; p++) close(r.x.subarray(4 * p, 4 * p + 4), ref.x, 1e-8, `${opt.params.compressor}: particle ${p}`, 1e-10);
  }
});

s('SVRG and SARAH with a snapshot every step (epochLength 1, or p = 1) are GD bit for bit', async () => {
  const X = Array.from({ length: 10 }, (_, i) => [Math.sin(i), Math.cos(2 * i)]);
  const lin = descent.models.linearRegression({ data: descent.data.from({ X, y: X.map((r) => r[0] + r[1]) }) });
  for (const [f, init] of [[sum4(), x4], [lin, I.uniform({ low: [-1, -1, -1], high: [1, 1, 1] })]] as const) {
    const base = { landscape: f, init, particles: 23, steps: 20, seed: 6, noise: N.minibatch({ batchSize: 2 }) };
    const gd = await sim({ ...base, noise: N.none(), optimizer: O.sgd({ lr: 0.1 }) });
    same(await sim({ ...base, optimizer: O.svrg({ lr: 0.1, epochLength: 1 }) }), gd, `${f.kind}: SVRG m = 1`);
    same(await sim({ ...base, optimizer: O.svrg({ lr: 0.1, p: 1 }) }), gd, `${f.kind}: L-SVRG p = 1`);
    same(await sim({ ...base, optimizer: O.sarah({ lr: 0.1, epochLength: 1 }) }), gd, `${f.kind}: SARAH m = 1`);
  }
});

/** Exact E[e_T], E[e_T²] of SVRG on ½a_i(x − c_i)² (batch 1, with replacement), from the moment recursion. */
function svrgMoments(eta: number, m: number, T: number, e0: number): { mean: number; second: number } {
  const n = A1.length, abar = A1.reduce((u, v) => u + v) / n;
  const V = A1.reduce((u, a) => u + (a - abar) ** 2, 0) / n;
  const A2 = A1.reduce((u, a) => u + (1 - eta * a) ** 2, 0) / n, A1m = 1 - eta * abar, C = -eta * V;
  let e = e0, ee = e0 * e0, es = 0, ss = 0;
  for (let t = 0; t < T; t++) {
    if (t % m === 0) { es = ee; ss = ee; }
    // e′ = (1 − ηa_i)e + η(a_i − ā)ẽ
    const ee2 = A2 * ee + 2 * eta * C * es + eta * eta * V * ss;
    es = A1m * es;
    e = A1m * e;
    ee = ee2;
  }
  return { mean: e, second: ee };
}

s('SVRG on a quadratic finite sum: E[e_T] and E[e_T²] match the exact moment recursion; linear rate, below SGD\'s floor (99.999% CI)', async () => {
  const eta = 0.1, m = 10, T = 60, x0 = 3, P = 6000;
  const n = A1.length, abar = A1.reduce((u, v) => u + v) / n, xs = A1.reduce((u, a, k) => u + a * C1[k], 0) / (abar * n);
  const run = (optimizer: descent.optimizers.Optimizer) => sim({ landscape: sum1(), optimizer, noise: N.minibatch({ batchSize: 1, replacement: true }), init: I.point({ x: [x0] }), particles: P, steps: T, seed: 13 });
  const r = await run(O.svrg({ lr: eta, epochLength: m }));
  const e = Array.from(r.x, (v) => v - xs);
  const mean = e.reduce((u, v) => u + v) / P, sq = e.map((v) => v * v), second = sq.reduce((u, v) => u + v) / P;
  const sdSq = Math.sqrt(sq.reduce((u, v) => u + (v - second) ** 2, 0) / (P - 1));
  const sd = Math.sqrt(e.reduce((u, v) => u + (v - mean) ** 2, 0) / (P - 1));
  const exact = svrgMoments(eta, m, T, x0 - xs);
  assert.ok(Math.abs(mean - exact.mean) <= 4.5 * sd / Math.sqrt(P), `E[e]: ${mean} vs ${exact.mean}`);
  assert.ok(Math.abs(second - exact.second) <= 4.5 * sdSq / Math.sqrt(P), `E[e²]: ${second} vs ${exact.second} (4.5 SE = ${4.5 * sdSq / Math.sqrt(P)})`);
  // The rate: E[e²] falls by a constant factor per epoch (the recursion's), far below SGD's floor.
  const half = svrgMoments(eta, m, T / 2, x0 - xs).second;
  assert.ok(exact.second < 1e-3 * half, `linear rate: ${exact.second} after ${T} vs ${half} after ${T / 2}`);
  const sgdRun = await run(O.sgd({ lr: eta }));
  const sgdSecond = Array.from(sgdRun.x, (v) => (v - xs) ** 2).reduce((u, v) => u + v) / P;
  assert.ok(second < 1e-3 * sgdSecond, `SVRG ${second} vs SGD ${sgdSecond}`);
});

s('the SVRG estimator is unbiased: one step after a snapshot, E[v] = ∇f(x₁) (99.999% CI)', async () => {
  // epochLength 2: step 0 is a snapshot (v₀ = ∇f(x₀), x₁ deterministic); step 1's v₁ = ĝ(x₁) − ĝ(x₀) + ∇f(x₀).
  const f = sum4(), x0 = [0.3, -0.7, 1.1, 0.2], P = 20000, d = 4, eta = 0.5;
  const r1 = await sim({ landscape: f, optimizer: O.svrg({ lr: eta, epochLength: 2 }), noise: N.minibatch({ batchSize: 1, replacement: true }), init: I.point({ x: x0 }), particles: 1, steps: 1, seed: 3 });
  const x1 = Array.from(r1.x), g1 = Array.from(f.grad(x1));
  const r = await sim({ landscape: f, optimizer: O.svrg({ lr: eta, epochLength: 2 }), noise: N.minibatch({ batchSize: 1, replacement: true }), init: I.point({ x: x0 }), particles: P, steps: 2, seed: 3 });
  for (let j = 0; j < d; j++) {
    const v = Array.from({ length: P }, (_, p) => (x1[j] - r.x[p * d + j]) / eta);
    const m = v.reduce((u, w) => u + w) / P, sd = Math.sqrt(v.reduce((u, w) => u + (w - m) ** 2, 0) / (P - 1));
    assert.ok(Math.abs(m - g1[j]) <= 4.5 * sd / Math.sqrt(P) + 1e-12, `E[v][${j}] ${m} vs ${g1[j]}`);
    assert.ok(sd > 0, 'the estimator is random');
  }
});

s('SARAH and loopless SVRG converge linearly on a model (least squares)', async () => {
  const X = Array.from({ length: 16 }, (_, i) => [Math.sin(i), Math.cos(2 * i), 0.5 * Math.sin(3 * i + 1)]);
  const theta = [1, -2, 0.5];
  const lin = descent.models.linearRegression({ data: descent.data.from({ X, y: X.map((r) => r[0] * theta[0] + r[1] * theta[1] + r[2] * theta[2]) }), bias: false });
  for (const opt of [O.sarah({ lr: 0.3, epochLength: 8 }), O.svrg({ lr: 0.3, p: 0.1 })]) {
    const r = await sim({ landscape: lin, optimizer: opt, noise: N.minibatch({ batchSize: 2 }), init: I.uniform({ low: [-1, -1, -1], high: [1, 1, 1] }), particles: 12, steps: 800, seed: 7 });
    for (let p = 0; p < 12; p++) close(r.x.subarray(3 * p, 3 * p + 3), theta, 1e-8, `${opt.kind}: particle ${p}`);
  }
});

s('determinism: the same bits for any chunk size and with workers', async () => {
  const base = { landscape: sum4(), init: x4, particles: 150, steps: 24, seed: 31, record: { every: 6 }, noise: N.minibatch({ batchSize: 1 }) };
  const runs: [string, Cfg][] = [
    ['localSGD', { ...base, optimizer: O.localSGD({ workers: 3, localSteps: 4, inner: O.sgd({ lr: 0.05 }) }) }],
    ['asyncSGD', { ...base, optimizer: O.asyncSGD({ lr: 0.05, maxDelay: 3, delay: 'uniform' }) }],
    ['compressedSGD', { ...base, optimizer: O.compressedSGD({ lr: 0.05, workers: 2, k: 2 }) }],
    ['marina', { ...base, optimizer: O.marina({ lr: 0.05, workers: 2, compressor: 'permK', p: 0.3 }) }],
    ['svrg', { ...base, optimizer: O.svrg({ lr: 0.05, p: 0.2 }) }],
    ['sarah', { ...base, optimizer: O.sarah({ lr: 0.05, epochLength: 5 }), noise: N.minibatch({ batchSize: 2, replacement: false }) }],
  ];
  for (const [name, cfg] of runs) {
    const one = await descent.simulate(cfg);
    assert.is((await descent.simulate(cfg, { chunkSize: 7 })).hash, one.hash, `${name}: chunk size 7`);
    assert.is((await descent.simulate(cfg, { workers: 2, chunkSize: 5 })).hash, one.hash, `${name}: workers`);
  }
});

s('options are validated with DescentErrors (codes and paths)', async () => {
  throwsDescent(() => O.localSGD({ workers: 0, localSteps: 1, inner: O.sgd({ lr: 1 }) }), 'E_CONFIG', 'optimizers.localSGD.workers');
  throwsDescent(() => O.localSGD({ workers: 2, localSteps: 0, inner: O.sgd({ lr: 1 }) }), 'E_CONFIG', 'optimizers.localSGD.localSteps');
  throwsDescent(() => O.localSGD({ workers: 2, localSteps: 2, inner: O.adam({ lr: 1 }) as never }), 'E_CONFIG', 'optimizers.localSGD.inner');
  throwsDescent(() => O.localSGD({ workers: 2, localSteps: 2, inner: O.sgd({ lr: 1, momentum: 0.9 }) }), 'E_CONFIG', 'optimizers.localSGD.inner');
  throwsDescent(() => O.asyncSGD({ lr: 1, maxDelay: -1 }), 'E_CONFIG', 'optimizers.asyncSGD.maxDelay');
  throwsDescent(() => O.asyncSGD({ lr: 1, maxDelay: 2, delay: 'poisson' as never }), 'E_CONFIG', 'optimizers.asyncSGD.delay');
  throwsDescent(() => O.asyncSGD({ lr: 1, maxDelay: 2, delay: 'geometric', q: 1 }), 'E_CONFIG', 'optimizers.asyncSGD.q');
  throwsDescent(() => O.compressedSGD({ lr: 1, compressor: 'randK' }), 'E_CONFIG', 'optimizers.compressedSGD.k');
  throwsDescent(() => O.compressedSGD({ lr: 1, compressor: 'sign' as never, k: 1 }), 'E_CONFIG', 'optimizers.compressedSGD.compressor');
  throwsDescent(() => O.marina({ lr: 1, compressor: 'topK' as never, k: 1, p: 0.5 }), 'E_CONFIG', 'optimizers.marina.compressor');
  throwsDescent(() => O.marina({ lr: 1, k: 1, p: 0 }), 'E_CONFIG', 'optimizers.marina.p');
  throwsDescent(() => O.svrg({ lr: 1 }), 'E_CONFIG', 'optimizers.svrg');
  throwsDescent(() => O.svrg({ lr: 1, epochLength: 5, p: 0.5 }), 'E_CONFIG', 'optimizers.svrg');
  throwsDescent(() => O.sarah({ lr: 1, p: 1.5 }), 'E_CONFIG', 'optimizers.sarah.p');
  const base = { landscape: sum4(), init: x4, particles: 2, steps: 1, seed: 1 };
  await rejectsDescent(descent.simulate({ ...base, optimizer: O.svrg({ lr: 1, epochLength: 2 }), noise: N.gaussian({ sigma: 1 }) }), 'E_CONFIG', 'simulate.noise');
  await rejectsDescent(descent.simulate({ ...base, optimizer: O.localSGD({ workers: 4, localSteps: 2, inner: O.sgd({ lr: 1 }) }), noise: N.minibatch({ batchSize: 2, replacement: false }) }), 'E_CONFIG', 'simulate.noise.params.batchSize');
  await rejectsDescent(descent.simulate({ ...base, optimizer: O.compressedSGD({ lr: 1, workers: 3, compressor: 'permK' }) }), 'E_CONFIG', 'simulate.optimizer.params.workers');
  await rejectsDescent(descent.simulate({ ...base, optimizer: O.marina({ lr: 1, k: 5, p: 0.5 }) }), 'E_CONFIG', 'simulate.optimizer.params.k');
  await rejectsDescent(descent.minimize(sum4(), O.svrg({ lr: 1, epochLength: 2 }), [0, 0, 0, 0], { steps: 2 }), 'E_CONFIG', 'minimize: optimizer');
  // JSON round trips re-validate and rebuild the same config.
  for (const o of [O.localSGD({ workers: 2, localSteps: 3, inner: O.sgd({ lr: 0.1 }) }), O.marina({ lr: 0.1, k: 2, p: 0.5 }), O.svrg({ lr: 0.1, p: 0.5 })]) {
    assert.equal(JSON.parse(JSON.stringify(O.fromJSON(JSON.parse(JSON.stringify(o))))), JSON.parse(JSON.stringify(o)), `${o.kind} JSON`);
  }
});

s.run();
