// Landscape objects as users meet them: data is frozen and JSON round-trips; batches equal
// single calls; output buffers are honoured; the spectral quadratic has the spectrum asked for.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, rng, uniformArray, throwsDescent } from './util.ts';

const api = suite('landscape API');
api.before(() => descent.init());

api('a landscape is frozen data; JSON.stringify → fromJSON gives an equal landscape', () => {
  const f = descent.landscapes.gaussianMixture({ means: [[0, 0], [2, 1]], weights: [1, 3], stds: 0.5 });
  assert.ok(Object.isFrozen(f) && Object.isFrozen(f.params) && Object.isFrozen(f.params.means[0]));
  const json = JSON.parse(JSON.stringify(f));
  assert.equal(json, { kind: 'gaussianMixture', params: { means: [[0, 0], [2, 1]], weights: [0.25, 0.75], covariances: [[[0.25, 0], [0, 0.25]], [[0.25, 0], [0, 0.25]]] } });
  const g = descent.landscapes.fromJSON(json);
  assert.is(g.value([0.3, 0.2]), f.value([0.3, 0.2]));
  for (const kind of descent.landscapes.kinds) assert.type((descent.landscapes as Record<string, unknown>)[kind], 'function', kind);
});

api('gaussianMixture: ensemble gradients (two and four particles per f64x2 pass) equal the single-point gradient, bit for bit', async () => {
  // SGD with lr 1 moves each particle to x₀ − ∇U(x₀) (one IEEE subtraction), so the ensemble's
  // gradient must equal `grad`'s exactly. Diagonal precisions take the four-particle kernel with
  // K = 2 (one exp) and K = 3; a full covariance takes the general one. Points span both modes,
  // the region between them and far tails where one responsibility underflows to 0.
  const L = descent.landscapes;
  const mixtures = [
    L.gaussianMixture({ means: [[-1, 0], [1.5, 0.5]], weights: [1, 2], stds: [0.5, 0.8] }),
    L.gaussianMixture({ means: [[-1, 0, 2], [1.5, 0.5, 0], [0, 3, -1]], weights: [1, 2, 3], stds: [0.5, 0.8, 1.3] }),
    L.gaussianMixture({ means: [[-1, 0], [1.5, 0.5]], covariances: [[[1, 0.6], [0.6, 0.5]], [[0.3, -0.1], [-0.1, 2]]] }),
  ];
  const next = rng(17);
  for (const f of mixtures) {
    const d = f.dim, P = 70;
    const points = Array.from({ length: P }, (_, p) => Array.from({ length: d }, () => (next() - 0.5) * (p < 60 ? 8 : 80)));
    const r = await descent.simulate({ landscape: f, optimizer: descent.optimizers.sgd({ lr: 1 }), init: descent.inits.array({ points }), particles: P, steps: 1, seed: 1 });
    for (let p = 0; p < P; p++) {
      const g = f.grad(points[p]);
      assert.equal(Array.from(r.x.subarray(d * p, d * (p + 1))), points[p].map((x, j) => x - g[j]), `${f.dim}-d mixture, particle ${p}`);
    }
  }
});

api('defaults are filled in and visible', () => {
  assert.equal(descent.landscapes.rosenbrock().params, { dim: 2, a: 1, b: 100 });
  assert.equal(descent.landscapes.ackley({ dim: 3 }).params, { dim: 3, a: 20, b: 0.2, c: 2 * Math.PI });
  assert.equal(descent.landscapes.saddle({ dim: 3, negative: 2 }).params, { dim: 3, curvatures: [-1, -1, 1], quartic: 0 });
  assert.is(descent.landscapes.polynomial({ coefficients: [1, 2], dim: 4 }).dim, 4);
});

api('batch methods equal the single-point methods, bit for bit', () => {
  const next = rng(3);
  for (const f of [descent.landscapes.rosenbrock({ dim: 5 }), descent.landscapes.gaussianMixture({ means: [[0, 0, 1], [1, -1, 0]] }), descent.landscapes.mullerBrown()]) {
    const n = 7, d = f.dim;
    const X = uniformArray(next, n * d), V = uniformArray(next, n * d);
    const vals = f.valueBatch(X), grads = f.gradBatch(X), hvps = f.hvpBatch(X, V);
    for (let i = 0; i < n; i++) {
      const x = X.subarray(i * d, (i + 1) * d), v = V.subarray(i * d, (i + 1) * d);
      assert.is(vals[i], f.value(x));
      assert.equal(Array.from(grads.subarray(i * d, (i + 1) * d)), Array.from(f.grad(x)));
      assert.equal(Array.from(hvps.subarray(i * d, (i + 1) * d)), Array.from(f.hvp(x, v)));
    }
  }
});

api('number[] and Float64Array inputs agree; `out` buffers are filled and returned', () => {
  const f = descent.landscapes.himmelblau();
  const out = new Float64Array(2);
  const g = f.grad([1, 2], out);
  assert.is(g, out);
  assert.equal(Array.from(out), Array.from(f.grad(Float64Array.of(1, 2))));
  const H = new Float64Array(4);
  assert.is(f.hessian([1, 2], H), H);
  assert.equal(Array.from(H), [4 * (1 + 2 - 11) + 8 + 2, 12, 12, 4 * (1 + 4 - 7) + 32 + 2]);
});

api('single-point calls equal batch rows bit for bit, for small and large parameter blocks, alternating landscapes', () => {
  // Small landscapes evaluate single points in a fixed region of wasm memory (their parameters
  // copied in once); a 100-d dense quadratic (10⁴ parameters) does not fit and takes the general
  // path. Alternating landscapes makes each re-upload its parameters. Batches always take the
  // general path, so every single call must equal its batch row exactly.
  const L = descent.landscapes, next = rng(23);
  const data = descent.data.reluTeacher({ n: 8, inputs: 3, hidden: 4, seed: 2 });
  const fs = [
    L.rosenbrock(), L.rosenbrock({ dim: 40 }), L.rastrigin({ dim: 3 }), L.himmelblau(), L.ackley({ dim: 20 }),
    L.gaussianMixture({ means: [[0, 0], [2, 1]], weights: [1, 3], stds: 0.5 }), L.quadratic({ eigenvalues: Array.from({ length: 100 }, (_, i) => 1 + i), seed: 4 }),
    L.sum([L.rosenbrock(), L.himmelblau()], [1, 2]), descent.models.mlp({ widths: [3, 5, 1], activation: 'tanh', data }),
  ];
  for (let round = 0; round < 3; round++) {
    for (const f of fs) {
      const n = 3, d = f.dim;
      const X = uniformArray(next, n * d), V = uniformArray(next, n * d);
      const vals = f.valueBatch(X), grads = f.gradBatch(X), hvps = f.hvpBatch(X, V);
      for (let i = 0; i < n; i++) {
        const x = X.slice(i * d, (i + 1) * d), v = V.slice(i * d, (i + 1) * d), what = `${f.kind} d=${d} point ${i}`;
        const g = grads.subarray(i * d, (i + 1) * d), h = hvps.subarray(i * d, (i + 1) * d);
        assert.is(f.value(x), vals[i], what);
        assert.is(f.value(Array.from(x)), vals[i], what);
        assert.equal(f.grad(x), g, what);
        assert.equal(f.grad(Array.from(x)), g, what);
        const out = new Float64Array(d).fill(NaN);
        assert.is(f.grad(x, out), out, what);
        assert.equal(out, g, what);
        const vg = f.valueAndGrad(x, out.fill(NaN));
        assert.is(vg.grad, out, what);
        assert.is(vg.value, vals[i], what);
        assert.equal(out, g, what);
        assert.is(f.hvp(x, v, out.fill(NaN)), out, what);
        assert.equal(out, h, what);
        assert.equal(f.hvp(Array.from(x), Array.from(v)), h, what);
      }
    }
  }
  assert.is(descent.__testing.heapUsed(), 0);
});

api('single-point `out` and arguments are validated on every call, before and after the first', () => {
  for (const d of [2, 40]) {
    const f = descent.landscapes.rosenbrock({ dim: d }), x = new Float64Array(d).fill(0.5);
    for (let round = 0; round < 2; round++) { // round 1 runs after a successful call made the fast slot
      for (const bad of [new Float64Array(d + 1), new Float32Array(d), Array(d).fill(0), {}]) {
        throwsDescent(() => f.grad(x, bad as never), 'E_INPUT', 'rosenbrock.grad: out');
        throwsDescent(() => f.valueAndGrad(x, bad as never), 'E_INPUT', 'rosenbrock.valueAndGrad: out');
        throwsDescent(() => f.hvp(x, x, bad as never), 'E_INPUT', 'rosenbrock.hvp: out');
      }
      const y = x.slice(); y[d - 1] = NaN;
      throwsDescent(() => f.grad(y), 'E_INPUT', `rosenbrock.grad: x[${d - 1}]`);
      throwsDescent(() => f.value(y), 'E_INPUT', `rosenbrock.value: x[${d - 1}]`);
      throwsDescent(() => f.hvp(x, y), 'E_INPUT', `rosenbrock.hvp: v[${d - 1}]`);
      throwsDescent(() => f.valueAndGrad(Array.from(y)), 'E_INPUT', `rosenbrock.valueAndGrad: x[${d - 1}]`);
      throwsDescent(() => f.grad([...Array.from(x).slice(1), '1'] as never), 'E_INPUT', `rosenbrock.grad: x[${d - 1}]`);
      throwsDescent(() => f.grad(x.subarray(1)), 'E_INPUT', 'rosenbrock.grad: x');
      assert.equal(Array.from(f.grad(x)), Array.from(f.gradBatch(x)));
    }
  }
  assert.is(descent.__testing.heapUsed(), 0);
});

api('single-point calls work after a trap replaced the instance', () => {
  const f = descent.landscapes.rosenbrock(), x = Float64Array.of(-1.2, 1);
  const g = f.grad(x), v = f.value(x);
  throwsDescent(() => descent.__testing.trap(), 'E_TRAP');
  assert.equal(f.grad(x), g);
  assert.is(f.value(x), v);
});

api('Hessians are exactly symmetric', () => {
  const f = descent.landscapes.gaussianMixture({ means: [[0, 0, 0], [1, 2, 3]], covariances: [[[2, 0.5, 0.1], [0.5, 1, 0.2], [0.1, 0.2, 0.5]], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]] });
  const H = f.hessian([0.2, 0.7, 1.1]);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.is(H[i * 3 + j], H[j * 3 + i]);
});

api('spectral quadratic: Hessian has exactly the requested spectrum (traces of powers), minimum at center', () => {
  const lambda = [-2, 0.5, 1, 3, 7];
  const f = descent.landscapes.quadratic({ eigenvalues: lambda, seed: 11, center: [1, -1, 2, 0, 0.5] });
  const d = 5, H = f.hessian([0, 0, 0, 0, 0]);
  // tr(Hᵏ) = Σ λᵏ for k = 1..d determines the spectrum (Newton's identities).
  let P = Float64Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0));
  for (let k = 1; k <= d; k++) {
    const Q = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let m = 0; m < d; m++) Q[i * d + j] += P[i * d + m] * H[m * d + j];
    P = Q;
    let tr = 0;
    for (let i = 0; i < d; i++) tr += P[i * d + i];
    close(tr, lambda.reduce((s, l) => s + l ** k, 0), 1e-12, `tr(H^${k})`);
  }
  const g = f.grad([1, -1, 2, 0, 0.5]);
  close(g, [0, 0, 0, 0, 0], 0, 'gradient at centre', 1e-13);
  close(f.value([1, -1, 2, 0, 0.5]), 0, 0, 'value at centre', 1e-13);
});

api('spectral quadratic: same seed ⇒ same rotation; different seeds ⇒ different rotations', () => {
  const a = descent.landscapes.quadratic({ eigenvalues: [1, 2, 3], seed: 1 }).hessian([0, 0, 0]);
  const b = descent.landscapes.quadratic({ eigenvalues: [1, 2, 3], seed: 1 }).hessian([0, 0, 0]);
  const c = descent.landscapes.quadratic({ eigenvalues: [1, 2, 3], seed: 2 }).hessian([0, 0, 0]);
  assert.equal(Array.from(a), Array.from(b));
  assert.not.equal(Array.from(a), Array.from(c));
});

api('known closed forms: Rosenbrock (a, a²) in 2-d, Styblinski–Tang, double well, saddle minima', () => {
  const r = descent.landscapes.rosenbrock({ a: 2, b: 5 });
  assert.is(r.value([2, 4]), 0);
  assert.equal(Array.from(r.grad([2, 4])), [0, 0]);
  const st = descent.landscapes.styblinskiTang({ dim: 3 });
  close(st.value([-2.903534027771178, -2.903534027771178, -2.903534027771178]), -39.16616570377142 * 3, 1e-14, 'Styblinski–Tang minimum');
  const dw = descent.landscapes.doubleWell({ dim: 2, depth: 3, a: 2 });
  assert.is(dw.value([2, 0]), 0);
  assert.is(dw.value([0, 0]), 3);
  close(dw.hessian([-2, 0]), [8 * 3 / 4, 0, 0, 1], 1e-15, 'double-well curvature 8h/a²');
  const s = descent.landscapes.saddle({ dim: 3, negative: 1, quartic: 0.25 });
  close(s.grad([2, 0, 0]), [0, 0, 0], 0, 'saddle minimum ±√(1/q)', 1e-15);
  assert.equal(Array.from(descent.landscapes.monkeySaddle().hessian([0, 0])), [0, 0, 0, 0]);
  const a = descent.landscapes.ackley({ dim: 4 });
  close(a.value([0, 0, 0, 0]), 0, 0, 'Ackley at 0', 1e-15);
  assert.equal(Array.from(a.grad([0, 0, 0, 0])), [0, 0, 0, 0]);
});

api('method arguments are validated: E_INPUT with the argument path', () => {
  const f = descent.landscapes.rosenbrock({ dim: 3 });
  throwsDescent(() => f.value([1, 2]), 'E_INPUT', 'rosenbrock.value: x');
  throwsDescent(() => f.value([1, NaN, 2]), 'E_INPUT', 'rosenbrock.value: x[1]');
  throwsDescent(() => f.grad(Float64Array.of(1, 2, Infinity)), 'E_INPUT', 'rosenbrock.grad: x[2]');
  throwsDescent(() => f.hvp([1, 2, 3], [1, 2]), 'E_INPUT', 'rosenbrock.hvp: v');
  throwsDescent(() => f.grad([1, 2, 3], new Float64Array(2)), 'E_INPUT', 'rosenbrock.grad: out');
  throwsDescent(() => f.gradBatch(new Float64Array(7)), 'E_INPUT', 'rosenbrock.gradBatch: xs');
  throwsDescent(() => f.hvpBatch(new Float64Array(6), new Float64Array(3)), 'E_INPUT', 'rosenbrock.hvpBatch: vs');
  throwsDescent(() => f.value('abc' as never), 'E_INPUT', 'rosenbrock.value: x');
});

api('batches: an array of points, or their coordinates row-major, give the same numbers', () => {
  const f = descent.landscapes.rosenbrock({ dim: 2 });
  const rows = [[0, 0], [1, 1], [-1, 2]], flat = rows.flat(), dirs = [[1, 0], [0, 1], [1, 1]];
  assert.equal(Array.from(f.gradBatch(rows)), Array.from(f.gradBatch(flat)));
  assert.equal(Array.from(f.gradBatch(rows)), [...f.grad([0, 0]), ...f.grad([1, 1]), ...f.grad([-1, 2])]);
  assert.equal(Array.from(f.valueBatch([Float64Array.of(1, 1), [0, 0]])), [f.value([1, 1]), f.value([0, 0])]);
  assert.equal(Array.from(f.hvpBatch(rows, dirs)), Array.from(f.hvpBatch(flat, dirs.flat())));
  throwsDescent(() => f.gradBatch([[0, 0], [1]]), 'E_INPUT', 'rosenbrock.gradBatch: xs[1]');
  throwsDescent(() => f.gradBatch([[0, 0], [1, NaN]]), 'E_INPUT', 'rosenbrock.gradBatch: xs[1][1]');
  throwsDescent(() => f.hvpBatch(rows, [[1, 0]]), 'E_INPUT', 'rosenbrock.hvpBatch: vs');
});

api('every call frees its wasm memory', () => {
  const f = descent.landscapes.quadratic({ eigenvalues: [1, 2, 3, 4], seed: 3 });
  f.hessian([1, 2, 3, 4]);
  f.gradBatch(new Float64Array(4000));
  try { f.value([1]); } catch { /* expected */ }
  assert.is(descent.__testing.heapUsed(), 0);
});

api.run();
