// Models against finite differences and against identities that hold exactly, independent of
// the fixtures: central differences of the value (gradient) and of the gradient (HVP), the mean
// of per-example gradients, GGN = Hessian for linear least squares, GGN symmetric positive
// semi-definite, and the diagonal-linear and factorisation models against closed forms.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, rng, uniformArray } from './util.ts';

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

fd.run();
