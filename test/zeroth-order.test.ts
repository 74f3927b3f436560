// noise.zerothOrder: Gaussian-smoothing / evolution-strategies gradients from values only,
// against their exact moments (assembly/noise/zerothOrder.ts derives them).
// Estimator sample: one SGD step at lr 1 from x₀, so ĝ = x₀ − x₁ for each of P particles (exact to
// an ulp of x₀). On f = ½xᵀAx + bᵀx with g = Ax₀ + b and K directions:
//   mean  E ĝ = g (both estimators)
//   cov   antithetic (‖g‖²I + ggᵀ)/K;  one-sided (‖g‖²I + ggᵀ + (σ²/4)[((tr A)² + 2 tr A²)I + 4 tr A·A + 8A²])/K
// Each mean coordinate is compared with g at its exact standard error √(Σ_jj/P); each covariance
// entry C_ij = mean of (ĝ_i − g_i)(ĝ_j − g_j) (unbiased, the mean g being known) with Σ_ij/K at
// the empirical standard error of those products; every interval is 99.99% (z = 3.89), so the 27
// comparisons all pass with probability > 99.7% for a correct kernel (fixed seeds: deterministic).
// On f = x⁴/4 (not quadratic) both estimators are unbiased for the smoothed gradient
// ∇f_σ(x) = x³ + 3σ²x, not for f′ = x³: checked at x = 1, σ = 0.5 (1.75 vs 1).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { throwsDescent } from './util.ts';
import { oneStepEstimates } from './estimates.ts';

const s = suite('zeroth order');
s.before(() => descent.init());
const L = descent.landscapes,
  N = descent.noise,
  I = descent.inits,
  O = descent.optimizers;
const Z = 3.89;

const A = [
    [2, 0.5, 0],
    [0.5, 1, -0.3],
    [0, -0.3, 1.5],
  ],
  b = [0.3, -0.2, 0.1],
  x0 = [1, -0.5, 0.8];
const d = 3,
  P = 200_000;

/** ĝ of every particle (P × dim) after one SGD step at lr 1 from x₀ (test/estimates.ts). */
const estimates = (landscape: descent.Landscape, noise: descent.noise.Noise, x: number[], seed: number) =>
  oneStepEstimates(landscape, noise, x, seed, P);

/** The exact covariance of one direction's estimate (see the header). */
function covariance(g: number[], sigma: number, antithetic: boolean): number[][] {
  const gg = g.reduce((a, v) => a + v * v, 0);
  const trA = A[0][0] + A[1][1] + A[2][2];
  const A2 = A.map((r, i) => r.map((_, j) => r.reduce((a, v, k) => a + v * A[k][j], 0)));
  const trA2 = A2[0][0] + A2[1][1] + A2[2][2];
  return A.map((r, i) =>
    r.map((_, j) => {
      const base = (i === j ? gg : 0) + g[i] * g[j];
      if (antithetic) return base;
      return base + ((sigma * sigma) / 4) * ((i === j ? trA * trA + 2 * trA2 : 0) + 4 * trA * A[i][j] + 8 * A2[i][j]);
    }),
  );
}

s('exact mean and covariance on a quadratic: antithetic (K = 1, 4) and one-sided (K = 1, 3)', async () => {
  const f = L.quadratic({ A, b });
  const g = A.map((r, i) => r.reduce((a, v, j) => a + v * x0[j], 0) + b[i]);
  const cases: [boolean, number, number, number][] = [
    [true, 1, 0.5, 1],
    [true, 4, 0.5, 2],
    [false, 1, 0.5, 3],
    [false, 3, 0.8, 4],
  ];
  for (const [antithetic, K, sigma, seed] of cases) {
    const what = `${antithetic ? 'antithetic' : 'one-sided'} K = ${K} σ = ${sigma}`;
    const e = await estimates(f, N.zerothOrder({ sigma, directions: K, antithetic }), x0, seed);
    const S = covariance(g, sigma, antithetic).map((r) => r.map((v) => v / K));
    for (let j = 0; j < d; j++) {
      let m = 0;
      for (let p = 0; p < P; p++) m += e[p * d + j];
      m /= P;
      const se = Math.sqrt(S[j][j] / P);
      assert.ok(Math.abs(m - g[j]) <= Z * se, `${what}: mean[${j}] ${m} vs g ${g[j]} (±${(Z * se).toExponential(2)})`);
    }
    for (let i = 0; i < d; i++)
      for (let j = i; j < d; j++) {
        let sum = 0,
          sum2 = 0;
        for (let p = 0; p < P; p++) {
          const v = (e[p * d + i] - g[i]) * (e[p * d + j] - g[j]);
          sum += v;
          sum2 += v * v;
        }
        const c = sum / P,
          se = Math.sqrt((sum2 / P - c * c) / P);
        assert.ok(Math.abs(c - S[i][j]) <= Z * se, `${what}: cov[${i}][${j}] ${c} vs exact ${S[i][j]} (±${(Z * se).toExponential(2)})`);
      }
    if (!antithetic) {
      // The σ² term is resolved: the antithetic covariance is far outside this interval.
      const anti = covariance(g, sigma, true)[0][0] / K;
      assert.ok(Math.abs(anti - S[0][0]) > 10 * Z * Math.sqrt((2 * S[0][0] ** 2) / P), `${what}: σ² term too small to test`);
    }
  }
});

s('unbiased for the smoothed gradient x³ + 3σ²x of x⁴/4, not for x³', async () => {
  const f = L.polynomial({ coefficients: [0, 0, 0, 0, 0.25] }),
    sigma = 0.5,
    want = 1 + 3 * sigma * sigma;
  for (const [antithetic, seed] of [
    [true, 5],
    [false, 6],
  ] as const) {
    const e = await estimates(f, N.zerothOrder({ sigma, directions: 2, antithetic }), [1], seed);
    let m = 0,
      m2 = 0;
    for (const v of e) {
      m += v;
      m2 += v * v;
    }
    m /= e.length;
    const se = Math.sqrt((m2 / e.length - m * m) / e.length);
    assert.ok(Math.abs(m - want) <= Z * se, `antithetic ${antithetic}: mean ${m} vs ∇f_σ = ${want} (±${(Z * se).toFixed(4)})`);
    assert.ok(Math.abs(m - 1) > 20 * se, 'the smoothing bias is resolved');
  }
});

s('any optimiser steps on it: SGD and Adam reach the minimum of a quadratic (antithetic noise vanishes there)', async () => {
  // x* = −A⁻¹b by Cramer's rule (numpy.linalg.solve: −0.22822086, 0.31288344, −0.00408998).
  const det = (M: number[][]) =>
    M[0][0] * (M[1][1] * M[2][2] - M[1][2] * M[2][1]) -
    M[0][1] * (M[1][0] * M[2][2] - M[1][2] * M[2][0]) +
    M[0][2] * (M[1][0] * M[2][1] - M[1][1] * M[2][0]);
  const f = L.quadratic({ A, b }),
    xStar = [0, 1, 2].map((k) => det(A.map((r, i) => r.map((v, j) => (j === k ? -b[i] : v)))) / det(A));
  assert.ok(Math.abs(xStar[0] + 0.22822086) < 1e-8 && Math.abs(xStar[1] - 0.31288344) < 1e-8);
  for (const optimizer of [O.sgd({ lr: 0.1 }), O.adam({ lr: 0.01 })]) {
    const r = await descent.simulate({
      landscape: f,
      optimizer,
      noise: N.zerothOrder({ sigma: 0.1, directions: 4 }),
      init: I.normal({ mean: [0, 0, 0], std: 1 }),
      particles: 64,
      steps: 3000,
      seed: 9,
    });
    for (let p = 0; p < 64; p++)
      for (let j = 0; j < d; j++) assert.ok(Math.abs(r.x[p * d + j] - xStar[j]) < 2e-3, `${optimizer.kind} p ${p}: ${r.x[p * d + j]}`);
  }
});

s('determinism: chunk sizes and workers give the same bits; records keep exact gradient norms', async () => {
  const cfg = (noise: descent.noise.Noise) => ({
    landscape: L.rosenbrock(),
    optimizer: O.sgd({ lr: 1e-3 }),
    noise,
    init: I.normal({ mean: [0, 0], std: 0.5 }),
    particles: 150,
    steps: 40,
    seed: 3,
    record: { every: 7 },
  });
  const hashes: string[] = [];
  for (const antithetic of [true, false]) {
    const c = cfg(N.zerothOrder({ sigma: 0.05, directions: 3, antithetic }));
    const a = await descent.simulate(c),
      b2 = await descent.simulate(c, { chunkSize: 3 }),
      w = await descent.simulate(c, { workers: 2 });
    assert.is(b2.hash, a.hash);
    assert.is(w.hash, a.hash);
    assert.ok(a.record!.gradNormMean.every((v) => v > 0));
    hashes.push(a.hash);
  }
  assert.is.not(hashes[0], hashes[1]);
  console.log(`DETERMINISM zeroth-order ${hashes.join(' ')}`);
});

s('bad configs name their path', () => {
  throwsDescent(() => N.zerothOrder({} as never), 'E_CONFIG', 'noise.zerothOrder.sigma');
  throwsDescent(() => N.zerothOrder({ sigma: 0 }), 'E_CONFIG', 'noise.zerothOrder.sigma');
  throwsDescent(() => N.zerothOrder({ sigma: 1, directions: 0 }), 'E_CONFIG', 'noise.zerothOrder.directions');
  throwsDescent(() => N.zerothOrder({ sigma: 1, directions: 1.5 }), 'E_CONFIG', 'noise.zerothOrder.directions');
  throwsDescent(() => N.zerothOrder({ sigma: 1, antithetic: 'yes' as never }), 'E_CONFIG', 'noise.zerothOrder.antithetic');
  assert.equal(N.fromJSON(JSON.parse(JSON.stringify(N.zerothOrder({ sigma: 0.2 })))).params, {
    sigma: 0.2,
    directions: 1,
    antithetic: true,
  });
});

s.run();
