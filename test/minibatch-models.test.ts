// Minibatch and label-noise SGD on models (noise.minibatch, noise.labelNoise), checked against
// exact reference values with stated confidence intervals (fixed seeds, so each check is
// deterministic; the intervals say how surprising a failure would be under a correct sampler):
//   · without replacement, each particle's batches within an epoch partition the examples
//     (exactly), and example i is in a particle's first batch with probability b/n;
//   · the minibatch gradient is unbiased with covariance (n − b)/(b(n − 1))·Σ (without) or Σ/b
//     (with replacement), Σ the population covariance of the per-example gradients;
//   · label noise: mean and covariance of the perturbed gradient in closed form.
// The sampled gradient is read back from one SGD step with lr = 1: ĝ = θ₀ − θ₁.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { rng, throwsDescent, uniformArray } from './util.ts';

const mb = suite('minibatch and label noise on models');
mb.before(() => descent.init());

/** Draws ĝ = θ₀ − θ₁ of P particles after one step (row-major P × d). */
async function oneStep(model: descent.Model, theta0: ArrayLike<number>, noise: descent.noise.Noise, P: number, seed: number): Promise<Float64Array> {
  const r = await descent.simulate({ landscape: model, optimizer: descent.optimizers.sgd({ lr: 1 }), noise, init: descent.inits.point({ x: theta0 }), particles: P, steps: 1, seed });
  const g = new Float64Array(r.x.length);
  for (let i = 0; i < r.x.length; i++) g[i] = theta0[i % model.dim] - r.x[i];
  return g;
}

/** Sample mean, covariance and the standard error of each variance (from the fourth moment). */
function moments(s: Float64Array, d: number) {
  const P = s.length / d;
  const mean = new Float64Array(d);
  for (let p = 0; p < P; p++) for (let j = 0; j < d; j++) mean[j] += s[p * d + j] / P;
  const cov = new Float64Array(d * d), m4 = new Float64Array(d);
  for (let p = 0; p < P; p++) {
    for (let j = 0; j < d; j++) {
      const a = s[p * d + j] - mean[j];
      m4[j] += a ** 4 / P;
      for (let k = 0; k < d; k++) cov[j * d + k] += a * (s[p * d + k] - mean[k]) / (P - 1);
    }
  }
  const varSE = Array.from(m4, (m, j) => Math.sqrt(Math.max(m - cov[j * d + j] ** 2, 0) / P));
  return { mean, cov, varSE, P };
}

/** Check mean within 4 standard errors and each variance within 4.5 SE of the exact values. */
function checkMoments(what: string, s: Float64Array, d: number, mean: ArrayLike<number>, cov: ArrayLike<number>): void {
  const m = moments(s, d);
  for (let j = 0; j < d; j++) {
    const se = Math.sqrt(cov[j * d + j] / m.P);
    assert.ok(Math.abs(m.mean[j] - mean[j]) <= 4 * se + 1e-15, `${what}: mean[${j}] ${m.mean[j]} vs ${mean[j]} (4 SE = ${4 * se})`);
    const dv = Math.abs(m.cov[j * d + j] - cov[j * d + j]);
    assert.ok(dv <= 4.5 * m.varSE[j] + 1e-15, `${what}: var[${j}] ${m.cov[j * d + j]} vs ${cov[j * d + j]} (4.5 SE = ${4.5 * m.varSE[j]})`);
  }
}

mb('without replacement: batches of an epoch partition the examples; first-batch membership b/n (99.9% CI)', async () => {
  // Separable least squares on X = I: ∇ℓ_i = 2(θ_i − 1)e_i, so lr = b/2 sets exactly the batch's
  // coordinates to 1 (and a coordinate drawn twice, with replacement, to 2).
  const n = 12, b = 3, P = 3000;
  const X = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  const model = descent.models.linearRegression({ data: descent.data.from({ X, y: new Array(n).fill(1) }), bias: false });
  const run = (steps: number, replacement: boolean) => descent.simulate({
    landscape: model, optimizer: descent.optimizers.sgd({ lr: b / 2 }), noise: descent.noise.minibatch({ batchSize: b, replacement }),
    init: descent.inits.point({ x: new Array(n).fill(0) }), particles: P, steps, seed: 21,
  });
  const one = await run(1, false);
  const hits = new Array(n).fill(0);
  for (let p = 0; p < P; p++) {
    const row = Array.from(one.x.subarray(p * n, (p + 1) * n));
    assert.is(row.filter((v) => v === 1).length, b, `particle ${p}: one batch of ${b} distinct examples`);
    row.forEach((v, i) => { if (v === 1) hits[i]++; });
  }
  // Binomial(3000, 1/4): sd 23.7; 3.29 sd = 78 (two-sided 99.9% per example).
  for (const h of hits) assert.ok(Math.abs(h - P * b / n) < 78, `first-batch count ${h} vs ${P * b / n}`);
  const epoch = await run(n / b, false);
  assert.ok(epoch.x.every((v) => v === 1), 'after one epoch every example was used exactly once');
  const withR = await run(n / b, true);
  let covered = 0;
  for (let p = 0; p < P; p++) if (withR.x.subarray(p * n, (p + 1) * n).every((v) => v === 1)) covered++;
  // With replacement, covering all 12 in 12 distinct draws has probability 12!/12¹² ≈ 5.4e-5.
  assert.ok(covered < 5, `with replacement ${covered} particles saw every example once`);
});

mb('without replacement: a new permutation each epoch — after 1½ epochs every example was seen once or twice, in whole batches', async () => {
  // X = I, y = 1, b = 4, lr = 1: a visit halves the gap to 1 (0 → 0.5 → 0.75, exactly), so
  // θ counts each example's visits across the epoch boundary.
  const n = 12, b = 4, P = 500;
  const X = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  const model = descent.models.linearRegression({ data: descent.data.from({ X, y: new Array(n).fill(1) }), bias: false });
  const run = (steps: number) => descent.simulate({
    landscape: model, optimizer: descent.optimizers.sgd({ lr: 1 }), noise: descent.noise.minibatch({ batchSize: b }),
    init: descent.inits.point({ x: new Array(n).fill(0) }), particles: P, steps, seed: 23,
  });
  const two = await run(2 * n / b);
  assert.ok(two.x.every((v) => v === 0.75), 'two epochs: every example visited exactly twice');
  const more = await run(n / b + 2);
  let differs = 0;
  for (let p = 0; p < P; p++) {
    const row = Array.from(more.x.subarray(p * n, (p + 1) * n));
    assert.is(row.filter((v) => v === 0.75).length, 2 * b, `particle ${p}: two batches of the second epoch`);
    assert.is(row.filter((v) => v === 0.5).length, n - 2 * b, `particle ${p}: the rest once`);
    if (row.slice(0, 2 * b).some((v) => v !== 0.75)) differs++;
  }
  assert.ok(differs > P / 2, 'second epochs are reshuffled, not the first epoch again');
});

for (const replacement of [false, true]) {
  mb(`minibatch gradient (${replacement ? 'with' : 'without'} replacement) is unbiased with the exact covariance`, async () => {
    const r = rng(31);
    const n = 10, b = 4;
    const data = descent.data.from({ X: uniformArray(r, n * 2, -2, 2), inputs: 2, y: uniformArray(r, n) });
    const model = descent.models.mlp({ widths: [2, 3, 1], activation: 'tanh', data });
    const th = uniformArray(r, model.dim, -1, 1), d = model.dim;
    const g = model.grad(th), G = model.perExampleGrad(th);
    const c = replacement ? 1 / b : (n - b) / (b * (n - 1));
    const cov = new Float64Array(d * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) cov[j * d + k] += c * (G[i * d + j] - g[j]) * (G[i * d + k] - g[k]) / n;
    const s = await oneStep(model, th, descent.noise.minibatch({ batchSize: b, replacement }), 20000, 32);
    checkMoments(replacement ? 'with replacement' : 'without replacement', s, d, g, cov);
  });
}

mb('label noise σ (regression): mean ∇L, covariance (4σ²/n²) XᵀX', async () => {
  const r = rng(41);
  const n = 8, m = 3, sigma = 0.5;
  const X = uniformArray(r, n * m, -1, 1);
  const model = descent.models.linearRegression({ data: descent.data.from({ X, inputs: m, y: uniformArray(r, n) }), bias: false });
  const th = uniformArray(r, m);
  const cov = new Float64Array(m * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) for (let k = 0; k < m; k++) cov[j * m + k] += 4 * sigma ** 2 / n ** 2 * X[i * m + j] * X[i * m + k];
  const s = await oneStep(model, th, descent.noise.labelNoise({ sigma }), 20000, 42);
  checkMoments('label noise σ', s, m, model.grad(th), cov);
});

mb('label flips ρ (classification): mean (1/n) Σ [(1 − ρ)∇ℓ_i(y_i) + ρ/(C − 1) Σ_{c≠y_i} ∇ℓ_i(c)]', async () => {
  const r = rng(51);
  const n = 6, m = 2, C = 3, rho = 0.3;
  const X = uniformArray(r, n * m, -1, 1), y = [0, 1, 2, 0, 1, 2];
  const model = descent.models.softmaxRegression({ data: descent.data.from({ X, inputs: m, y, classes: C }) });
  const th = uniformArray(r, model.dim), d = model.dim;
  const perLabel = [0, 1, 2].map((c) => descent.models.softmaxRegression({ data: descent.data.from({ X, inputs: m, y: new Array(n).fill(c), classes: C }) }).perExampleGrad(th));
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < C; c++) {
      const w = c === y[i] ? 1 - rho : rho / (C - 1);
      for (let j = 0; j < d; j++) mean[j] += w * perLabel[c][i * d + j] / n;
    }
  }
  const s = await oneStep(model, th, descent.noise.labelNoise({ flipProbability: rho }), 20000, 52);
  const mo = moments(s, d);
  for (let j = 0; j < d; j++) {
    const se = Math.sqrt(mo.cov[j * d + j] / mo.P);
    assert.ok(Math.abs(mo.mean[j] - mean[j]) <= 4 * se, `mean[${j}] ${mo.mean[j]} vs ${mean[j]} (4 SE ${4 * se})`);
  }
  assert.ok(mo.cov[0] > 0, 'flips make the gradient random');
});

mb('results do not depend on chunking (epoch permutations are regenerated, not carried)', async () => {
  const data = descent.data.reluTeacher({ n: 40, inputs: 3, hidden: 4, noise: 0.1, seed: 3 });
  const model = descent.models.mlp({ widths: [3, 5, 1], data });
  const config = { landscape: model, optimizer: descent.optimizers.sgd({ lr: 0.05, momentum: 0.9 }), init: model.initializer({ scheme: 'he' }), particles: 37, steps: 50, seed: 4, record: { every: 5 } };
  for (const noise of [descent.noise.minibatch({ batchSize: 6 }), descent.noise.minibatch({ batchSize: 6, replacement: true }), descent.noise.labelNoise({ sigma: 0.3, batchSize: 8 })]) {
    const a = await descent.simulate({ ...config, noise });
    const b = await descent.simulate({ ...config, noise }, { chunkSize: 7 });
    assert.is(b.hash, a.hash, noise.kind);
    console.log(`DETERMINISM models-${noise.kind}-${(noise.params as { replacement: boolean }).replacement ? 'r' : 'nr'} ${a.hash}`);
  }
});

mb('bad noise/model pairs fail before running, with the path', async () => {
  const reg = descent.data.from({ X: [[0], [1], [2]], y: [0, 1, 2] });
  const model = descent.models.linearRegression({ data: reg });
  const base = { landscape: model, optimizer: descent.optimizers.sgd({ lr: 0.1 }), init: descent.inits.point({ x: [0, 0] }), particles: 2, steps: 1, seed: 1 };
  const rejects = async (p: Promise<unknown>, path: string) => {
    try { await p; } catch (e) { assert.is((e as descent.DescentError).code, 'E_CONFIG'); assert.is((e as descent.DescentError).path, path); return; }
    assert.unreachable(`expected E_CONFIG at ${path}`);
  };
  await rejects(descent.simulate({ ...base, noise: descent.noise.minibatch({ batchSize: 4 }) }), 'simulate.noise.params.batchSize');
  await rejects(descent.simulate({ ...base, noise: descent.noise.labelNoise({ flipProbability: 0.1 }) }), 'simulate.noise.params.flipProbability');
  await rejects(descent.simulate({ ...base, landscape: descent.landscapes.rosenbrock({ dim: 2 }), noise: descent.noise.labelNoise({ sigma: 0.1 }) }), 'simulate.noise');
  await rejects(descent.simulate({ ...base, landscape: descent.landscapes.rosenbrock({ dim: 2 }), noise: descent.noise.minibatch({ batchSize: 1 }) }), 'simulate.noise');
  throwsDescent(() => descent.noise.labelNoise({}), 'E_CONFIG', 'noise.labelNoise');
  throwsDescent(() => descent.noise.labelNoise({ flipProbability: 1.5 }), 'E_CONFIG', 'noise.labelNoise.flipProbability');
  throwsDescent(() => descent.noise.minibatch({ batchSize: 0 }), 'E_CONFIG', 'noise.minibatch.batchSize');
});

mb.run();
