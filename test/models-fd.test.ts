// Models against finite differences and against identities that hold exactly, independent of
// the fixtures: central differences of the value (gradient) and of the gradient (HVP), the mean
// of per-example gradients, GGN = Hessian for linear least squares, GGN symmetric positive
// semi-definite, and the diagonal-linear and factorisation models against closed forms.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, rng, uniformArray, throwsDescent } from './util.ts';

const fd = suite('models: finite differences and identities');
fd.before(() => descent.init());

function dataset(seed: number, n: number, m: number, opts: { classes?: number; k?: number; weights?: boolean } = {}) {
  const r = rng(seed);
  const X = uniformArray(r, n * m, -1.5, 1.5);
  const y = opts.classes ? Array.from({ length: n }, (_, i) => i % opts.classes!) : Array.from(uniformArray(r, n * (opts.k ?? 1)));
  return descent.data.from({ X, inputs: m, y, ...(opts.classes ? { classes: opts.classes } : {}), ...(opts.weights ? { weights: uniformArray(r, n, 0.2, 2) } : {}) });
}

function models(): descent.Model[] {
  const M = descent.models;
  return [
    M.mlp({ widths: [3, 6, 5, 2], activation: 'tanh', loss: 'mse', data: dataset(1, 9, 3, { k: 2 }) }),
    M.mlp({ widths: [4, 7, 3], activation: 'gelu', loss: 'crossEntropy', data: dataset(2, 8, 4, { classes: 3 }) }),
    M.mlp({ widths: [2, 5, 1], activation: 'sigmoid', loss: 'bce', bias: false, data: dataset(3, 7, 2, { classes: 2, weights: true }) }),
    M.mlp({ widths: [3, 4, 1], activation: 'leakyRelu', negativeSlope: 0.2, data: dataset(4, 6, 3) }),
    M.deepLinear({ widths: [3, 2, 1, 2], data: dataset(5, 7, 3, { k: 2 }) }),
    M.diagonalLinear({ data: dataset(6, 6, 4, { weights: true }) }),
    M.matrixFactorization({ rows: 3, cols: 2, rank: 2, target: [[1, 0.5], [-0.3, 2], [0.1, 0.2]] }),
    M.matrixFactorization({ rows: 3, rank: 2, symmetric: true, data: descent.data.matrixSensing({ n: 7, rows: 3, rank: 1, symmetric: true, seed: 9 }) }),
    M.simplexKL({ target: [0.2, 0.3, 0.5], parameterization: 'expectation' }),
  ];
}

fd('gradients and HVPs agree with central differences (relative 1e-6)', () => {
  const r = rng(11);
  for (const m of models()) {
    const x = m.kind === 'simplexKL' ? Float64Array.of(0.3, 0.25) : uniformArray(r, m.dim, -0.8, 0.8);
    const v = uniformArray(r, m.dim);
    const g = m.grad(x), hv = m.hvp(x, v);
    const h = 1e-5;
    const fdg = new Float64Array(m.dim);
    for (let j = 0; j < m.dim; j++) {
      const xp = x.slice(), xm = x.slice();
      xp[j] += h; xm[j] -= h;
      fdg[j] = (m.value(xp) - m.value(xm)) / (2 * h);
    }
    close(g, fdg, 1e-6, `${m.kind} gradient vs differences`, 1e-9);
    const xp = x.map((xi, j) => xi + h * v[j]), xm = x.map((xi, j) => xi - h * v[j]);
    const gp = m.grad(xp), gm = m.grad(xm);
    close(hv, gp.map((a, j) => (a - gm[j]) / (2 * h)), 1e-6, `${m.kind} HVP vs differences`, 1e-9);
  }
});

fd('weighted mean of per-example gradients is the gradient; batch of all examples is the full batch', () => {
  const r = rng(12);
  for (const m of models().filter((q) => q.data)) {
    const x = uniformArray(r, m.dim, -0.8, 0.8);
    const d = m.data!;
    const { loss, grad } = m.perExample(x);
    const mean = new Float64Array(m.dim);
    let f = 0;
    for (let i = 0; i < d.n; i++) {
      const w = d.weights ? d.weights[i] : 1;
      f += w * loss[i] / d.n;
      for (let j = 0; j < m.dim; j++) mean[j] += w * grad[i * m.dim + j] / d.n;
    }
    close(mean, m.grad(x), 1e-12, `${m.kind} mean per-example gradient`);
    close(f, m.value(x), 1e-12, `${m.kind} mean per-example loss`);
    const all = m.batchValueAndGrad(x, Array.from({ length: d.n }, (_, i) => i));
    close(all.grad, m.grad(x), 1e-12, `${m.kind} batch of every example`);
    close(all.value, m.value(x), 1e-12, `${m.kind} batch value of every example`);
  }
});

fd('Gauss–Newton: symmetric PSD, equals the Hessian for linear least squares, and the true Fisher', () => {
  const r = rng(13);
  for (const m of models().filter((q) => q.data)) {
    const x = uniformArray(r, m.dim, -0.8, 0.8);
    const u = uniformArray(r, m.dim), v = uniformArray(r, m.dim);
    const Gu = m.ggnvp(x, u), Gv = m.ggnvp(x, v);
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, ai, j) => s + ai * b[j], 0);
    close(dot(v, Gu), dot(u, Gv), 1e-12, `${m.kind} vᵀGu = uᵀGv`);
    assert.ok(dot(v, Gv) >= -1e-12, `${m.kind} vᵀGv ≥ 0`);
    assert.equal(Array.from(m.fisherVp(x, v)), Array.from(Gv), `${m.kind} true Fisher is the GGN`);
    const Fv = m.fisherVp(x, v, { type: 'empirical' });
    assert.ok(dot(v, Fv) >= -1e-12, `${m.kind} empirical Fisher PSD`);
  }
  const lin = descent.models.linearRegression({ data: dataset(14, 9, 3, { k: 2 }) });
  const x = uniformArray(r, lin.dim), v = uniformArray(r, lin.dim);
  close(lin.ggnvp(x, v), lin.hvp(x, v), 1e-13, 'least squares: G = H');
});

fd('diagonal linear network: gradient in closed form at a hand-computed point', () => {
  // One example x = (1, 2), y = 1; u = (1, 0.5), v = (0.5, 1): w = (0.75, −0.75), f = −0.75, r = −1.75.
  const data = descent.data.from({ X: [[1, 2]], y: [1] });
  const m = descent.models.diagonalLinear({ data });
  const th = [1, 0.5, 0.5, 1];
  close(m.value(th), 1.75 ** 2, 1e-15, 'value r²');
  // ∂/∂u = 2r x ⊙ 2u, ∂/∂v = −2r x ⊙ 2v
  close(m.grad(th), [2 * -1.75 * 1 * 2, 2 * -1.75 * 2 * 1, -2 * -1.75 * 1 * 1, -2 * -1.75 * 2 * 2], 1e-15, 'gradient');
});

fd('matrix factorisation (full observation): L = mse_loss(U Vᵀ, M), zero at an exact factorisation', () => {
  const U = [[1, 0], [0, 2], [1, 1]], V = [[1, -1], [0.5, 2]];
  const M = U.map((u) => V.map((v) => u[0] * v[0] + u[1] * v[1]));
  const m = descent.models.matrixFactorization({ rows: 3, cols: 2, rank: 2, target: M });
  const th = [...U.flat(), ...V.flat()];
  assert.is(m.value(th), 0);
  assert.equal(Array.from(m.grad(th)), new Array(10).fill(0));
  const shifted = th.slice(); shifted[0] += 0.1; // changes row 0 of U Vᵀ by 0.1·V[:,0] = (0.1, 0.05)
  close(m.value(shifted), (0.1 ** 2 + 0.05 ** 2) / 6, 1e-14, 'one perturbed entry row');
});

fd('simplex KL: zero at p = q in both parameterisations; logits gradient p − q', () => {
  const q = [0.25, 0.25, 0.5];
  const logits = descent.models.simplexKL({ target: q });
  const th = q.map(Math.log);
  close(logits.value(th), 0, 0, 'KL at q', 1e-15);
  const eta = descent.models.simplexKL({ target: q, parameterization: 'expectation' });
  close(eta.value([0.25, 0.25]), 0, 0, 'KL at q (η)', 1e-15);
  close(logits.grad([0, 0, 0]), [1 / 3 - 0.25, 1 / 3 - 0.25, 1 / 3 - 0.5], 1e-15, 'softmax(0) − q');
  assert.is(eta.value([0.7, 0.4]), Infinity, 'outside the simplex');
  assert.ok(Number.isNaN(eta.grad([0.7, 0.4])[0]));
});

fd('initialisation schemes: He/Xavier standard deviations per layer, zero biases, seeded', () => {
  const data = dataset(15, 4, 3);
  const m = descent.models.mlp({ widths: [3, 8, 1], data });
  const std = m.initStd({ scheme: 'he' });
  assert.equal(Array.from(std.subarray(0, 24)), new Array(24).fill(Math.sqrt(2 / 3)));
  assert.equal(Array.from(std.subarray(24, 32)), new Array(8).fill(0));
  assert.equal(Array.from(std.subarray(32, 40)), new Array(8).fill(Math.sqrt(2 / 8)));
  const xa = m.initStd({ scheme: 'xavier' });
  close(xa[0], Math.sqrt(2 / 11), 1e-15, 'xavier layer 1');
  assert.equal(Array.from(m.initStd({ scheme: 'zero' })), new Array(m.dim).fill(0));
  assert.equal(Array.from(m.initStd({ scheme: 'smallScale', scale: 0.01 })), new Array(m.dim).fill(0.01));
  assert.equal(Array.from(m.initialize({ scheme: 'he', seed: 3 })), Array.from(m.initialize({ scheme: 'he', seed: 3 })));
  assert.equal(m.blocks.map((b) => b.name), ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']);
});

/** The same model with reduction options (rebuilt from its JSON: every factory takes them). */
function reduced(m: descent.Model, red: descent.models.ReductionOptions): descent.Model {
  const json = JSON.parse(JSON.stringify(m));
  return descent.landscapes.fromJSON({ kind: json.kind, params: { ...json.params, ...red } }) as descent.Model;
}

fd('reduction sum and scale: gradient, HVP against differences; empirical Fisher from per-example gradients; minibatch unbiased', async () => {
  const r = rng(21);
  for (const base of models().filter((q) => q.data)) {
    const m = reduced(base, { reduction: 'sum', scale: 0.5 });
    const x = uniformArray(r, m.dim, -0.8, 0.8), v = uniformArray(r, m.dim);
    const h = 1e-5;
    const fdg = new Float64Array(m.dim);
    for (let j = 0; j < m.dim; j++) {
      const xp = x.slice(), xm = x.slice();
      xp[j] += h; xm[j] -= h;
      fdg[j] = (m.value(xp) - m.value(xm)) / (2 * h);
    }
    close(m.grad(x), fdg, 1e-6, `${m.kind} sum: gradient vs differences`, 1e-9);
    const gp = m.grad(x.map((xi, j) => xi + h * v[j])), gm = m.grad(x.map((xi, j) => xi - h * v[j]));
    close(m.hvp(x, v), gp.map((a, j) => (a - gm[j]) / (2 * h)), 1e-6, `${m.kind} sum: HVP vs differences`, 1e-9);
    // L = c Σ w_i ℓ_i^sum with ℓ^sum = k ℓ for an mse over k outputs (torch's elementwise sum).
    const d = m.data!, p = m.params as { loss?: string; widths?: number[] };
    const k = (p.loss ?? 'mse') === 'mse' && p.widths ? p.widths[p.widths.length - 1] : 1;
    const { loss, grad } = m.perExample(x);
    let f = 0;
    const g = new Float64Array(m.dim), fe = new Float64Array(m.dim);
    for (let i = 0; i < d.n; i++) {
      const w = d.weights ? d.weights[i] : 1, gi = grad.subarray(i * m.dim, (i + 1) * m.dim);
      f += 0.5 * w * k * loss[i];
      const gv = gi.reduce((a, gij, j) => a + 0.5 * k * gij * v[j], 0);
      for (let j = 0; j < m.dim; j++) { g[j] += 0.5 * w * k * gi[j]; fe[j] += w * 0.5 * k * gi[j] * gv; }
    }
    close(m.value(x), f, 1e-12, `${m.kind} sum: value from per-example losses`);
    close(m.grad(x), g, 1e-12, `${m.kind} sum: gradient from per-example gradients`);
    close(m.fisherVp(x, v, { type: 'empirical' }), fe, 1e-12, `${m.kind} sum: empirical Fisher Σ w_i ∇(cℓ_i^sum)∇(cℓ_i^sum)ᵀ v`);
    // Minibatch noise with b = n without replacement is the whole sum: one SGD step of lr 1 moves by ∇L.
    const run = await descent.simulate({ landscape: m, optimizer: descent.optimizers.sgd({ lr: 1 }), noise: descent.noise.minibatch({ batchSize: d.n }), init: descent.inits.point({ x }), particles: 2, steps: 1, seed: 4 });
    close(x.map((xi, j) => xi - run.x[j]), m.grad(x), 1e-12, `${m.kind} sum: minibatch of every example`);
  }
});

fd('matrix factorisation with reduction sum, scale ½ is ½‖UVᵀ − M‖²_F, gradient ((UVᵀ − M)V, (UVᵀ − M)ᵀU)', () => {
  const M = [[1, 0.5, -1], [-0.3, 2, 0], [0.1, 0.2, 0.7], [1, 1, -2]];
  const a = 4, b = 3, rk = 2;
  const m = descent.models.matrixFactorization({ rows: a, cols: b, rank: rk, target: M, reduction: 'sum', scale: 0.5 });
  const x = uniformArray(rng(22), m.dim, -1, 1);
  const U = (i: number, t: number) => x[i * rk + t], V = (j: number, t: number) => x[a * rk + j * rk + t];
  const R = M.map((row, i) => row.map((mij, j) => U(i, 0) * V(j, 0) + U(i, 1) * V(j, 1) - mij));
  const value = 0.5 * R.flat().reduce((s, e) => s + e * e, 0);
  const grad = [
    ...Array.from({ length: a * rk }, (_, q) => R[Math.floor(q / rk)].reduce((s, e, j) => s + e * V(j, q % rk), 0)),
    ...Array.from({ length: b * rk }, (_, q) => R.reduce((s, row, i) => s + row[Math.floor(q / rk)] * U(i, q % rk), 0)),
  ];
  close(m.value(x), value, 1e-13, '½‖UVᵀ − M‖²_F');
  close(m.grad(x), grad, 1e-13, 'its gradient');
});

fd('bad reduction options are E_CONFIG with their path', () => {
  const data = dataset(1, 4, 2);
  throwsDescent(() => descent.models.linearRegression({ data, reduction: 'none' as never }), 'E_CONFIG', 'linearRegression.reduction');
  throwsDescent(() => descent.models.mlp({ widths: [2, 1], data, scale: NaN }), 'E_CONFIG', 'mlp.scale');
  throwsDescent(() => descent.models.diagonalLinear({ data, scale: '2' as never }), 'E_CONFIG', 'diagonalLinear.scale');
});

fd.run();
