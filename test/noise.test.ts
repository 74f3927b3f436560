// Every noise model's distribution, through one SGD step with lr = 1 from x₀: the P particles'
// x₀ − x₁ are P samples of the noisy gradient ∇f(x₀) + ξ. Means and covariances are checked
// against closed forms within 4.4 standard errors estimated from the sample (each check fails
// with probability ≈ 1e-5 for a correct sampler; seeds are fixed).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close } from './util.ts';

const n = suite('noise models');
n.before(() => descent.init());
const L = descent.landscapes, N = descent.noise, S = descent.schedules;

async function samples(f: descent.Landscape, noise: descent.noise.Noise, x0: number[], P: number, seed: number, steps = 1) {
  const r = await descent.simulate({ landscape: f, optimizer: descent.optimizers.sgd({ lr: steps === 1 ? 1 : 0 }), noise, init: descent.inits.point({ x: x0 }), particles: P, steps, seed });
  return Array.from({ length: P }, (_, p) => x0.map((v, j) => v - r.x[p * x0.length + j]));
}

function moments(gs: number[][], mean: number[], cov: number[][], what: string): void {
  const P = gs.length, d = mean.length;
  const m = mean.map((_, j) => gs.reduce((a, g) => a + g[j], 0) / P);
  for (let j = 0; j < d; j++) {
    assert.ok(Math.abs(m[j] - mean[j]) < 4.4 * Math.sqrt(Math.max(cov[j][j], 1e-300) / P) + 1e-12, `${what}: mean[${j}] = ${m[j]}, expected ${mean[j]}`);
    for (let k = 0; k <= j; k++) {
      const prods = gs.map((g) => (g[j] - m[j]) * (g[k] - m[k]));
      const c = prods.reduce((a, b) => a + b, 0) / (P - 1);
      const se = Math.sqrt(prods.reduce((a, b) => a + (b - c) ** 2, 0) / (P - 1) / P);
      assert.ok(Math.abs(c - cov[j][k]) < 4.4 * se + 1e-12, `${what}: cov[${j}][${k}] = ${c}, expected ${cov[j][k]} (se ${se})`);
    }
  }
}

n('gaussian: per-coordinate σ gives covariance diag(σ²)', async () => {
  const f = L.quadratic({ A: [[1, 0], [0, 1]] }), x0 = [1, -2];
  moments(await samples(f, N.gaussian({ sigma: [0.5, 2] }), x0, 30000, 1), [1, -2], [[0.25, 0], [0, 4]], 'gaussian');
});

n('hessianAligned: covariance σ²H on a positive-definite quadratic', async () => {
  const A = [[2, 0.6, 0], [0.6, 1, -0.3], [0, -0.3, 0.5]], x0 = [0.3, -0.2, 1];
  const f = L.quadratic({ A }), sigma = 0.8;
  moments(await samples(f, N.hessianAligned({ sigma }), x0, 30000, 2), Array.from(f.grad(x0)), A.map((r) => r.map((v) => sigma * sigma * v)), 'hessianAligned');
});

n('hessianAligned: a negative-curvature direction gets no noise (PSD modification)', async () => {
  const f = L.saddle({ curvatures: [2, -1] }), x0 = [0.5, 0.5];
  moments(await samples(f, N.hessianAligned({ sigma: 1 }), x0, 20000, 3), Array.from(f.grad(x0)), [[2, 0], [0, 0]], 'hessianAligned at a saddle');
});

n('lossScaled: covariance σ²·f(x)·I', async () => {
  const f = L.himmelblau(), x0 = [1, 1], sigma = 0.1;
  const v = sigma * sigma * f.value(x0);
  moments(await samples(f, N.lossScaled({ sigma }), x0, 30000, 4), Array.from(f.grad(x0)), [[v, 0], [0, v]], 'lossScaled');
});

n('heavyTailed: Student-t(ν) increments have variance σ²ν/(ν − 2) and heavier tails than a normal', async () => {
  const f = L.quadratic({ A: [[1]] }), sigma = 0.5, nu = 5;
  const gs = await samples(f, N.heavyTailed({ sigma, nu }), [0], 60000, 5);
  moments(gs, [0], [[sigma * sigma * nu / (nu - 2)]], 'heavyTailed');
  // Excess kurtosis of t(5) is 6/(ν − 4) = 6; a normal's is 0. The sample value is far from 0.
  const m2 = gs.reduce((a, g) => a + g[0] ** 2, 0) / gs.length, m4 = gs.reduce((a, g) => a + g[0] ** 4, 0) / gs.length;
  assert.ok(m4 / (m2 * m2) - 3 > 2, `excess kurtosis ${m4 / (m2 * m2) - 3}`);
});

n('annealing multiplies σ by the schedule at each step', async () => {
  // lr = 0: x never moves, so after T steps... use the recorded positions instead: SGD with lr 1 on
  // f = 0·x (a zero quadratic) accumulates x_T = x₀ − Σ_t m_t σ z_t: variance σ² Σ_t m_t².
  const f = L.quadratic({ A: [[0]] }), sigma = 1.5, T = 4;
  const anneal = S.array({ values: [1, 0.5, 0.25, 0] });
  const r = await descent.simulate({ landscape: f, optimizer: descent.optimizers.sgd({ lr: 1 }), noise: N.gaussian({ sigma, anneal }), init: descent.inits.point({ x: [0] }), particles: 40000, steps: T, seed: 6 });
  const gs = Array.from(r.x, (v) => [v]);
  moments(gs, [0], [[sigma * sigma * (1 + 0.25 + 0.0625 + 0)]], 'annealed');
});

n('noise configs are validated', () => {
  for (const [call, path] of [
    [() => N.gaussian({ sigma: -1 }), 'noise.gaussian.sigma'], [() => N.heavyTailed({ sigma: 1, nu: 0 }), 'noise.heavyTailed.nu'],
    [() => N.hessianAligned({ sigma: NaN }), 'noise.hessianAligned.sigma'], [() => N.minibatch({ batchSize: 0 }), 'noise.minibatch.batchSize'],
    [() => N.gaussian({ sigma: 1, anneal: 3 as never }), 'noise.gaussian.anneal'], [() => N.lossScaled({ sigma: 1, s: 1 } as never), 'noise.lossScaled.s'],
  ] as [() => unknown, string][]) {
    try { call(); assert.unreachable(path); } catch (e) { assert.is((e as descent.DescentError).path, path); }
  }
  const g = N.gaussian({ sigma: [1, 2], anneal: S.exponential({ lr: 1, gamma: 0.9 }) });
  close(N.fromJSON(JSON.parse(JSON.stringify(g))).params.sigma as number[], [1, 2], 0, 'round trip');
});

n.run();
