// Composite landscapes against their parts (linearity, chain rule), and minibatch noise: the
// minibatch gradient is unbiased and its covariance is the exact finite-population one —
// Σ/b with replacement, (K − b)/(K − 1)·Σ/b without — within 4.4 standard errors (each check
// fails with probability ≈ 1e-5 for a correct sampler; fixed seeds make the run deterministic).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, rng, uniformArray, throwsDescent } from './util.ts';

const c = suite('composite landscapes and minibatch noise');
c.before(() => descent.init());
const L = descent.landscapes;

const parts = () => [L.rosenbrock({ dim: 3 }), L.gaussianMixture({ means: [[0, 0, 0], [1, -1, 2]], stds: [1, 0.5] }), L.rastrigin({ dim: 3 })];

c('sum, scale, finiteSum: value, gradient and HVP are the weighted sums of the parts', () => {
  const ps = parts(), w = [0.5, -2, 1.5];
  const next = rng(11);
  for (const [f, weights] of [[L.sum(ps, w), w], [L.finiteSum(ps), [1 / 3, 1 / 3, 1 / 3]], [L.scale(ps[1], 3), [0, 3, 0]]] as const) {
    for (let trial = 0; trial < 3; trial++) {
      const x = uniformArray(next, 3, -2, 2), v = uniformArray(next, 3);
      const ev = (fn: (l: descent.Landscape) => ArrayLike<number> | number) => {
        const out = new Float64Array(typeof fn(ps[0]) === 'number' ? 1 : 3);
        ps.forEach((p, k) => { const r = fn(p); const a = typeof r === 'number' ? [r] : r; for (let j = 0; j < out.length; j++) out[j] += weights[k] * a[j]; });
        return out;
      };
      close(f.value(x), ev((p) => p.value(x))[0], 1e-14, `${f.kind} value`);
      close(f.grad(x), ev((p) => p.grad(x)), 1e-14, `${f.kind} grad`);
      close(f.hvp(x, v), ev((p) => p.hvp(x, v)), 1e-14, `${f.kind} hvp`);
      close(f.valueBatch(Float64Array.of(...x, ...x)), [f.value(x), f.value(x)], 0, `${f.kind} batch`);
    }
  }
});

c('shift moves every feature: the minimum of rosenbrock shifted by o is at 1 + o', () => {
  const f = L.shift(L.rosenbrock(), [2, -3]);
  assert.is(f.value([3, -2]), 0);
  assert.equal(Array.from(f.grad([3, -2])), [0, 0]);
  const g = L.rosenbrock();
  close(f.hessian([0.5, 0.1]), g.hessian([-1.5, 3.1]), 0, 'Hessian shifts too');
});

c('composites nest, round-trip through JSON, and their Hessians are exact', () => {
  const inner = L.finiteSum([L.himmelblau(), L.shift(L.beale(), [1, 1])], [0.25, 0.75], { reduction: 'sum' });
  const f = L.scale(L.sum([inner, L.monkeySaddle()]), 2);
  const g = L.fromJSON(JSON.parse(JSON.stringify(f)));
  const x = [0.3, -0.7];
  assert.is(g.value(x), f.value(x));
  const H = f.hessian(x);
  const expected = new Float64Array(4);
  const add = (h: Float64Array, k: number) => h.forEach((v, i) => { expected[i] += k * v; });
  add(L.himmelblau().hessian(x), 2 * 0.25); add(L.beale().hessian([x[0] - 1, x[1] - 1]), 2 * 0.75); add(L.monkeySaddle().hessian(x), 2);
  close(H, expected, 1e-13, 'nested Hessian');
});

c('finiteSum follows the models\' convention: (c/n) Σ w_i f_i (mean) or c Σ w_i f_i (sum); old configs replay unchanged', () => {
  const ps = parts(), w = [0.5, 2, 1.5], n = ps.length;
  const x = [0.3, -0.7, 1.1], v = [1, -2, 0.5];
  // Weighted mean, as a model's loss (1/n) Σ w_i ℓ_i (docs/models.md); formerly Σ w_i f_i.
  const wsum = L.sum(ps, w);
  const mean = L.finiteSum(ps, w);
  close(mean.value(x), wsum.value(x) / n, 1e-14, 'mean value');
  close(mean.grad(x), Array.from(wsum.grad(x), (g) => g / n), 1e-14, 'mean grad');
  close(mean.hvp(x, v), Array.from(wsum.hvp(x, v), (h) => h / n), 1e-14, 'mean hvp');
  // reduction 'sum' is the plain weighted sum, bit for bit; scale multiplies everything.
  const summed = L.finiteSum(ps, w, { reduction: 'sum' });
  assert.is(summed.value(x), wsum.value(x));
  assert.equal(Array.from(summed.grad(x)), Array.from(wsum.grad(x)));
  const scaled = L.finiteSum(ps, w, { scale: 0.5 * n });
  close(scaled.value(x), 0.5 * wsum.value(x), 1e-14, 'scale × mean');
  close(scaled.hvp(x, v), Array.from(wsum.hvp(x, v), (h) => 0.5 * h), 1e-14, 'scale × mean hvp');
  // Without weights nothing changed: the coefficients are exactly 1/n (the determinism hashes).
  const plain = L.finiteSum(ps), third = L.sum(ps, [1 / 3, 1 / 3, 1 / 3]);
  assert.is(plain.value(x), third.value(x));
  assert.equal(Array.from(plain.grad(x)), Array.from(third.grad(x)));
  // JSON says which: reduction and scale round-trip; a config without `reduction` (written when the
  // weights were the coefficients) is read with reduction 'sum', so it replays to the same numbers.
  assert.equal(JSON.parse(JSON.stringify(mean)).params.reduction, 'mean');
  assert.is(L.fromJSON(JSON.parse(JSON.stringify(scaled))).value(x), scaled.value(x));
  const old = { kind: 'finiteSum', params: { components: ps.map((p) => p.toJSON()), weights: [1 / 3, 1 / 3, 1 / 3] } };
  assert.is(L.fromJSON(old).value(x), plain.value(x));
  const oldWeighted = { kind: 'finiteSum', params: { components: ps.map((p) => p.toJSON()), weights: w } };
  assert.is(L.fromJSON(oldWeighted).value(x), wsum.value(x));
  throwsDescent(() => L.finiteSum(ps, w, { reduction: 'none' as never }), 'E_CONFIG', 'finiteSum.options.reduction');
  throwsDescent(() => L.finiteSum(ps, w, { scale: Infinity }), 'E_CONFIG', 'finiteSum.options.scale');
});

c('minibatch noise on a weighted finiteSum is unbiased for (1/n) Σ w_i ∇f_i', async () => {
  // With b = K without replacement the batch is every component: ĝ equals the full gradient.
  const ps = [L.quadratic({ A: [[2, 0], [0, 1]], b: [1, 0] }), L.quadratic({ A: [[1, 0], [0, 3]], b: [0, -1] }), L.quadratic({ A: [[1, 0], [0, 1]] })];
  const f = L.finiteSum(ps, [3, 0.5, 1]);
  const x0 = [0.5, -1];
  const expected = [0, 1].map((j) => (3 * ps[0].grad(x0)[j] + 0.5 * ps[1].grad(x0)[j] + ps[2].grad(x0)[j]) / 3);
  close(f.grad(x0), expected, 1e-14, 'full gradient');
  const all = await samples(f, x0, 3, false, 4, 1);
  for (const g of all) close(g, expected, 1e-14, 'b = K');
});

c('bad composites are E_CONFIG', () => {
  throwsDescent(() => L.sum([]), 'E_CONFIG', 'sum.components');
  throwsDescent(() => L.sum([L.rosenbrock(), L.rosenbrock({ dim: 3 })]), 'E_CONFIG', 'sum.components[1]');
  throwsDescent(() => L.finiteSum([L.himmelblau()], [-1]), 'E_CONFIG', 'finiteSum.weights[0]');
  throwsDescent(() => L.shift(L.himmelblau(), [1]), 'E_CONFIG', 'shift.offset');
  throwsDescent(() => L.scale({} as never, 2), 'E_CONFIG', 'scale.landscape[0]');
});

/** One SGD step with lr = 1 from x₀ gives ĝ = x₀ − x₁ for every particle: P minibatch gradient samples. */
async function samples(f: descent.Landscape, x0: number[], batchSize: number, replacement: boolean, P: number, seed: number) {
  const r = await descent.simulate({ landscape: f, optimizer: descent.optimizers.sgd({ lr: 1 }), noise: descent.noise.minibatch({ batchSize, replacement }),
    init: descent.inits.point({ x: x0 }), particles: P, steps: 1, seed });
  const d = x0.length;
  return Array.from({ length: P }, (_, p) => x0.map((v, j) => v - r.x[p * d + j]));
}

function checkMoments(gs: number[][], mean: number[], cov: number[][], what: string) {
  const P = gs.length, d = mean.length;
  const m = mean.map((_, j) => gs.reduce((a, g) => a + g[j], 0) / P);
  for (let j = 0; j < d; j++) {
    const se = Math.sqrt(cov[j][j] / P);
    assert.ok(Math.abs(m[j] - mean[j]) < 4.4 * se + 1e-15, `${what}: mean[${j}] ${m[j]} vs ${mean[j]} (se ${se})`);
    for (let k = 0; k <= j; k++) {
      const prods = gs.map((g) => (g[j] - m[j]) * (g[k] - m[k]));
      const c = prods.reduce((a, b) => a + b, 0) / (P - 1);
      const se2 = Math.sqrt(prods.reduce((a, b) => a + (b - c) ** 2, 0) / (P - 1) / P);
      assert.ok(Math.abs(c - cov[j][k]) < 4.4 * se2 + 1e-12, `${what}: cov[${j}][${k}] ${c} vs ${cov[j][k]} (se ${se2})`);
    }
  }
}

c('minibatch gradients are unbiased with the exact covariance, with and without replacement', async () => {
  // K = 5 quadratics with different curvature and minima (sharp and flat components).
  const A = [[[4, 0], [0, 1]], [[1, 0.5], [0.5, 1]], [[0.2, 0], [0, 0.2]], [[9, 0], [0, 3]], [[1, 0], [0, 5]]];
  const b = [[1, 0], [-2, 1], [0, 3], [1, 1], [-1, -4]];
  const comps = A.map((a, k) => L.quadratic({ A: a, b: b[k] }));
  const f = L.finiteSum(comps);
  const x0 = [0.5, -1], K = comps.length;
  const g = comps.map((q) => Array.from(q.grad(x0))); // K·w_k·∇f_k = ∇f_k (w = 1/K)
  const mean = [0, 1].map((j) => g.reduce((a, gk) => a + gk[j], 0) / K);
  close(mean, f.grad(x0), 1e-14, 'full gradient is the mean of the components');
  const sigma = [0, 1].map((j) => [0, 1].map((k) => g.reduce((a, gk) => a + (gk[j] - mean[j]) * (gk[k] - mean[k]), 0) / K));
  for (const [bs, repl] of [[1, true], [3, true], [2, false], [4, false]] as const) {
    const factor = repl ? 1 / bs : (K - bs) / ((K - 1) * bs);
    const gs = await samples(f, x0, bs, repl, 40000, 100 + bs);
    checkMoments(gs, mean, sigma.map((row) => row.map((v) => v * factor)), `b=${bs} ${repl ? 'with' : 'without'} replacement`);
  }
  // Without replacement and b = K the batch is everything: no noise at all.
  const all = await samples(f, x0, K, false, 10, 1);
  for (const gk of all) close(gk, mean, 1e-14, 'b = K');
});

c('minibatch noise needs a finite sum and b ≤ K without replacement', async () => {
  const bad = async (cfg: Record<string, unknown>, path: string) => {
    try { await descent.simulate({ landscape: L.finiteSum([L.himmelblau(), L.beale()]), optimizer: descent.optimizers.sgd({ lr: 0.01 }), init: descent.inits.point({ x: [0, 0] }), particles: 2, steps: 1, seed: 0, ...cfg } as never); assert.unreachable(); }
    catch (e) { assert.is((e as descent.DescentError).code, 'E_CONFIG'); assert.is((e as descent.DescentError).path, path); }
  };
  await bad({ noise: descent.noise.minibatch({ batchSize: 3 }) }, 'simulate.noise.params.batchSize');
  await bad({ landscape: L.himmelblau(), noise: descent.noise.minibatch({ batchSize: 1 }) }, 'simulate.noise');
});

c.run();
