// optimizers.sme, the stochastic modified equations of SGD (Li, Tai & E 2017), against closed
// forms: weak error orders O(η) (order 1) and O(η²) (order 2) against SGD — exactly, from
// noiseless runs, on a quadratic and on a nonconvex quartic; the schemes' own orders in h
// (Euler–Maruyama 1, Heun 2); the Ornstein–Uhlenbeck mean and variance the SME of a noisy quadratic
// must have (ensemble moments, fixed seeds, 4.5-standard-error intervals); the minibatch
// covariance of a finite sum; determinism over chunks and workers; validation.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { rejectsDescent, throwsDescent } from './util.ts';

const { landscapes: L, optimizers: O, noise: N, inits: I } = descent;
const test = suite('optimizers.sme');
test.before(() => descent.init());

async function final(f: descent.landscapes.Landscape, optimizer: descent.optimizers.Optimizer, steps: number, x0: number[],
  noise: descent.noise.Noise = N.none(), particles = 1, seed = 1): Promise<descent.EnsembleResult> {
  return (await descent.simulate({ landscape: f, optimizer, noise, particles, steps, seed, init: I.point({ x: x0 }) })) as descent.EnsembleResult;
}

/** Least-squares slope of log e against log η. */
function slope(etas: number[], errors: number[]): number {
  const X = etas.map(Math.log), Y = errors.map(Math.log);
  const mx = X.reduce((a, b) => a + b) / X.length, my = Y.reduce((a, b) => a + b) / Y.length;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < X.length; i++) {
    sxy += (X[i] - mx) * (Y[i] - my);
    sxx += (X[i] - mx) ** 2;
  }
  return sxy / sxx;
}

/** Sample mean and (n − 1) variance of the final positions. */
function meanVariance(xs: ArrayLike<number>): [number, number] {
  let m = 0, v = 0;
  for (let i = 0; i < xs.length; i++) m += xs[i];
  m /= xs.length;
  for (let i = 0; i < xs.length; i++) v += (xs[i] - m) ** 2;
  return [m, v / (xs.length - 1)];
}

const ETAS = [0.2, 0.1, 0.05, 0.025];

for (const [name, f, x0] of [
  ['quadratic ½x²', L.quadratic({ A: [[1]] }), [1]],
  ['nonconvex quartic x⁴/4 − x²/2 + 0.3x', L.polynomial({ coefficients: [0, 0.3, -0.5, 0, 0.25] }), [1.6]],
] as const) {
  test(`${name}: weak error against SGD at T = 2 falls as η (order 1) and η² (order 2)`, async () => {
    const e1: number[] = [], e2: number[] = [];
    for (const eta of ETAS) {
      const steps = Math.round(2 / eta);
      const sgd = (await final(f, O.sgd({ lr: eta }), steps, [...x0])).x[0];
      // the SDE solved finely (Heun, h = η/256): its own error is far below the modelling error
      const s1 = (await final(f, O.sme({ lr: eta, scheme: 'heun', substeps: 256 }), steps, [...x0])).x[0];
      const s2 = (await final(f, O.sme({ lr: eta, order: 2, scheme: 'heun', substeps: 256 }), steps, [...x0])).x[0];
      e1.push(Math.abs(sgd - s1));
      e2.push(Math.abs(sgd - s2));
    }
    const p1 = slope(ETAS, e1), p2 = slope(ETAS, e2);
    assert.ok(Math.abs(p1 - 1) < 0.15, `order 1: slope ${p1.toFixed(3)} (errors ${e1.map((e) => e.toExponential(2)).join(' ')})`);
    assert.ok(Math.abs(p2 - 2) < 0.2, `order 2: slope ${p2.toFixed(3)} (errors ${e2.map((e) => e.toExponential(2)).join(' ')})`);
    for (let k = 0; k < ETAS.length; k++) assert.ok(e2[k] < e1[k], `order 2 closer than order 1 at η = ${ETAS[k]}`);
  });
}

test("asynchronous SGD's SME of Langevin type (delay τ): O(η) weak error, far closer to ASGD than SGD's SME", async () => {
  // x_{k+1} = x_k − η x_{k−τ} (optimizers.asyncSGD, fixed delay) vs τη Ẍ + Ẋ = −X, V(0) = −x₀ (optimizers.sme({ delay: τ })).
  const f = L.quadratic({ A: [[1]] });
  for (const tau of [2, 8]) {
    const asgdErr: number[] = [], plainErr: number[] = [];
    for (const eta of ETAS.slice(1).concat([0.0125])) {
      const steps = Math.round(2 / eta);
      const asgd = (await final(f, O.asyncSGD({ lr: eta, maxDelay: tau }), steps, [1])).x[0];
      asgdErr.push(Math.abs(asgd - (await final(f, O.sme({ lr: eta, delay: tau, substeps: 64 }), steps, [1])).x[0]));
      plainErr.push(Math.abs(asgd - (await final(f, O.sme({ lr: eta, scheme: 'heun', substeps: 64 }), steps, [1])).x[0]));
    }
    const etas = ETAS.slice(1).concat([0.0125]);
    if (tau === 2) assert.ok(Math.abs(slope(etas, asgdErr) - 1) < 0.15, `τ = 2: slope ${slope(etas, asgdErr)} (${asgdErr.map((e) => e.toExponential(2))})`);
    // (τ = 8 at η = 0.1: τη = 0.8 is no longer small; the modified equation is an expansion in τη)
    for (let k = tau === 8 ? 1 : 0; k < etas.length; k++) {
      assert.ok(asgdErr[k] < plainErr[k] / 4, `τ = ${tau}, η = ${etas[k]}: ASGD's SME off by ${asgdErr[k]}, SGD's by ${plainErr[k]}`);
    }
  }
});

test('the schemes converge to the exact flow as h = η/m falls: Euler–Maruyama O(h), Heun O(h²)', async () => {
  const f = L.quadratic({ A: [[1]] });
  const eta = 0.1, steps = 20, exact = Math.exp(-eta * steps); // dX = −X dt from 1, at T = 2
  const ms = [2, 4, 8, 16];
  const eu: number[] = [], he: number[] = [];
  for (const m of ms) {
    eu.push(Math.abs((await final(f, O.sme({ lr: eta, substeps: m }), steps, [1])).x[0] - exact));
    he.push(Math.abs((await final(f, O.sme({ lr: eta, scheme: 'heun', substeps: m }), steps, [1])).x[0] - exact));
  }
  const hs = ms.map((m) => eta / m);
  // exact discrete values: Euler (1 − h)^{mk}, Heun (1 − h + h²/2)^{mk}
  ms.forEach((m, k) => {
    const h = hs[k];
    // (to rounding: the kernel multiplies step by step, the closed form raises to a power)
    assert.ok(Math.abs(eu[k] - Math.abs((1 - h) ** (m * steps) - exact)) < 1e-13, `Euler at m = ${m}`);
    assert.ok(Math.abs(he[k] - Math.abs((1 - h + (h * h) / 2) ** (m * steps) - exact)) < 1e-13, `Heun at m = ${m}`);
  });
  assert.ok(Math.abs(slope(hs, eu) - 1) < 0.1, `Euler slope ${slope(hs, eu)}`);
  assert.ok(Math.abs(slope(hs, he) - 2) < 0.1, `Heun slope ${slope(hs, he)}`);
});

test('Gaussian noise: the SME of a noisy quadratic is an Ornstein–Uhlenbeck process (mean and variance in 4.5-SE intervals)', async () => {
  const f = L.quadratic({ A: [[1]] });
  const eta = 0.1, steps = 20, T = eta * steps, P = 20_000, sigma = 1.5;
  for (const order of [1, 2] as const) {
    const r = await final(f, O.sme({ lr: eta, order, scheme: 'heun', substeps: 16 }), steps, [1], N.gaussian({ sigma }), P, 7);
    const a = order === 1 ? 1 : 1 + eta / 2; // drift −aX
    const mean = Math.exp(-a * T), variance = (eta * sigma * sigma * (1 - Math.exp(-2 * a * T))) / (2 * a);
    const [m, v] = meanVariance(r.x);
    const seMean = Math.sqrt(variance / P), seVar = variance * Math.sqrt(2 / (P - 1));
    assert.ok(Math.abs(m - mean) < 4.5 * seMean + 1e-4, `order ${order}: mean ${m} vs ${mean} (SE ${seMean})`);
    assert.ok(Math.abs(v - variance) < 4.5 * seVar + 1e-4, `order ${order}: variance ${v} vs ${variance} (SE ${seVar})`);
  }
});

test("minibatch noise: a finite sum's SME diffuses with the minibatch covariance (Euler–Maruyama's exact discrete OU variance)", async () => {
  // f = (1/K) Σ ½(x − c_i)²: G_i − ∇L = c̄ − c_i, so Σ = Var(c)/b (with replacement): dX = −(X − c̄)dt + √(η Var(c)/b) dW.
  const c = [-1, 0, 0.5, 2.5];
  const parts = c.map((ci) => L.shift(L.quadratic({ A: [[1]] }), [ci]));
  const f = L.finiteSum(parts);
  const cbar = c.reduce((s, v) => s + v) / c.length;
  const varc = c.reduce((s, v) => s + (v - cbar) ** 2, 0) / c.length;
  const eta = 0.2, m = 4, h = eta / m, steps = 60, P = 10_000, b = 2;
  const r = await final(f, O.sme({ lr: eta, substeps: m }), steps, [cbar], N.minibatch({ batchSize: b, replacement: true }), P, 3);
  // Euler–Maruyama on dX = −(X − c̄)dt + s dW from c̄: Var_n = s²h Σ_{j<n} (1 − h)^{2j}, s² = η Var(c)/b
  const n = m * steps, s2 = (eta * varc) / b;
  const variance = (s2 * h * (1 - (1 - h) ** (2 * n))) / (1 - (1 - h) ** 2);
  const [mean, v] = meanVariance(r.x);
  assert.ok(Math.abs(mean - cbar) < 4.5 * Math.sqrt(variance / P), `mean ${mean} vs ${cbar}`);
  assert.ok(Math.abs(v - variance) < 4.5 * variance * Math.sqrt(2 / (P - 1)), `variance ${v} vs ${variance}`);
});

test("label noise σ on a regression: the SME diffuses with the labels' covariance (Euler–Maruyama's exact discrete OU)", async () => {
  // L(θ) = (1/n) Σ (θ x_i − y_i)² (mse, one weight, no bias): ∇L = 2aθ − 2c, a = mean x², c = mean xy.
  // Label noise ỹ = y + σz: the full batch's gradient noise is −(2σ/n) Σ z_i x_i, variance 4σ²a/n; with a batch b,
  // the minibatch's sampling covariance (c/b)·C(θ) is added (C of the clean per-example gradients).
  const X = [0.5, -1, 1.5, 2, -0.5, 1], Y = [1, -0.5, 2, 1.5, 0, 0.5], n = X.length;
  const model = descent.models.linearRegression({ data: descent.data.from({ X, inputs: 1, y: Y }), bias: false });
  const a = X.reduce((s, x) => s + x * x, 0) / n, c = X.reduce((s, x, i) => s + x * Y[i], 0) / n;
  const eta = 0.05, m = 2, h = eta / m, steps = 40, P = 20_000, sigma = 0.8, theta0 = c / a;
  const r = await final(model, O.sme({ lr: eta, substeps: m }), steps, [theta0], N.labelNoise({ sigma }), P, 11);
  // from θ* the mean stays θ* and Var_N = s² Σ_{j<N} (1 − 2ah)^{2j}, s² = ηh·4σ²a/n (full batch: no sampling share)
  const N_ = m * steps, rho = (1 - 2 * a * h) ** 2, s2 = eta * h * ((4 * sigma * sigma * a) / n);
  const variance = (s2 * (1 - rho ** N_)) / (1 - rho);
  const [mean, v] = meanVariance(r.x);
  assert.ok(Math.abs(mean - theta0) < 4.5 * Math.sqrt(variance / P), `mean ${mean} vs ${theta0}`);
  assert.ok(Math.abs(v - variance) < 4.5 * variance * Math.sqrt(2 / (P - 1)), `variance ${v} vs ${variance}`);
  // a batch of b = 2 with replacement, one step from θ*: Var = η²·[C/b + 4σ²a/b], C the clean per-example gradients' variance
  const b = 2;
  const one = await final(model, O.sme({ lr: eta }), 1, [theta0], N.labelNoise({ sigma, batchSize: b, replacement: true }), P, 12);
  const G = X.map((x, i) => 2 * x * (theta0 * x - Y[i]));
  const C = G.reduce((s, g) => s + g * g, 0) / n; // ∇L(θ*) = 0
  const want = eta * eta * (C / b + (4 * sigma * sigma * a) / b);
  const [, v1] = meanVariance(one.x);
  assert.ok(Math.abs(v1 - want) < 4.5 * want * Math.sqrt(2 / (P - 1)), `batch ${b}: variance ${v1} vs ${want}`);
  // label flips are not Gaussian: refused
  await rejectsDescent(descent.simulate({ landscape: model, optimizer: O.sme({ lr: 0.1 }), noise: N.labelNoise({ flipProbability: 0.1 }),
    particles: 2, steps: 1, seed: 1, init: I.point({ x: [0] }) }), 'E_CONFIG');
});

test('the lane path (label noise, here vanishing) and the block path (no noise) take the same steps, delay SME included', async () => {
  const model = descent.models.linearRegression({ data: descent.data.from({ X: [0.5, -1, 1.5, 2], inputs: 1, y: [1, -0.5, 2, 1.5] }), bias: false });
  for (const optimizer of [O.sme({ lr: 0.05, substeps: 4 }), O.sme({ lr: 0.05, delay: 3, substeps: 4 })]) {
    const block = await final(model, optimizer, 30, [0], N.none(), 3);
    const lane = await final(model, optimizer, 30, [0], N.labelNoise({ sigma: 1e-300 }), 3);
    assert.equal(Array.from(lane.x), Array.from(block.x), `delay ${(optimizer.params as { delay: number }).delay}`);
  }
});

test('the same bits whatever the chunking or the workers', async () => {
  const cfg: descent.SimulateConfig = {
    landscape: L.rosenbrock({ dim: 3 }), optimizer: O.sme({ lr: 1e-3, order: 2, substeps: 3 }), noise: N.gaussian({ sigma: 0.3 }),
    init: I.normal({ mean: [0, 0, 0], std: 0.5 }), particles: 300, steps: 25, seed: 4,
  };
  for (const optimizer of [cfg.optimizer!, O.sme({ lr: 1e-3, delay: 3, substeps: 2 })]) {
    const c = { ...cfg, optimizer };
    const a = await descent.simulate(c), b = await descent.simulate(c, { chunkSize: 7 }), w = await descent.simulate(c, { workers: 2 });
    assert.is(b.hash, a.hash);
    assert.is(w.hash, a.hash);
  }
});

test('validation: order, scheme, substeps, the noise models it takes, minimize refuses it', async () => {
  throwsDescent(() => O.sme({ lr: 0.1, order: 3 as never }), 'E_CONFIG', 'optimizers.sme.order');
  throwsDescent(() => O.sme({ lr: 0.1, scheme: 'rk4' as never }), 'E_CONFIG', 'optimizers.sme.scheme');
  throwsDescent(() => O.sme({ lr: 0.1, substeps: 0 }), 'E_CONFIG', 'optimizers.sme.substeps');
  throwsDescent(() => O.sme({ lr: -1 }), 'E_CONFIG', 'optimizers.sme.lr');
  throwsDescent(() => O.sme({ lr: 0.1, delay: 2, order: 2 }), 'E_CONFIG', 'optimizers.sme.delay');
  throwsDescent(() => O.sme({ lr: 0.1, delay: -1 }), 'E_CONFIG', 'optimizers.sme.delay');
  const f = L.finiteSum([L.quadratic({ A: [[1]] }), L.quadratic({ A: [[2]] })]);
  const base = { landscape: f, particles: 2, steps: 2, seed: 1, init: I.point({ x: [1] }) };
  await rejectsDescent(descent.simulate({ ...base, optimizer: O.sme({ lr: 0.1, scheme: 'heun' }), noise: N.minibatch({ batchSize: 1 }) }), 'E_CONFIG', 'simulate.noise');
  await rejectsDescent(descent.simulate({ ...base, optimizer: O.sme({ lr: 0.1 }), noise: N.heavyTailed({ sigma: 1, nu: 3 }) }), 'E_CONFIG', 'simulate.noise');
  await rejectsDescent(descent.minimize(f, O.sme({ lr: 0.1 }), [1], { steps: 2 }), 'E_CONFIG');
  assert.equal(JSON.parse(JSON.stringify(O.sme({ lr: 0.1, order: 2 }))), {
    type: 'optimizer', kind: 'sme', params: { lr: 0.1, order: 2, scheme: 'euler', substeps: 1, maximize: false, delay: 0 },
  });
});

test.run();
