// The dense quadratic's block gradient (assembly/landscapes/quadratic.ts, quadraticGrad2: a 4×4
// register-blocked f64x2 micro-kernel over the block's lanes) against an independent oracle: a
// plain-JS gradient descent with the scalar kernel's summation order (acc = 0; acc += A_ij x_j for
// j ascending; + b_i), which the micro-kernel promises to keep, so positions must agree BIT FOR BIT.
// Sizes cover every tail: d mod 4 ∈ {0, 1, 2, 3} (row tails), particle counts that leave an odd
// pair and padding lanes in the last block, one-lane blocks and several blocks. The value path
// (f = Σ_i x_i(½(Ax)_i + b_i) + c, used for records) is checked through the recorded loss min and
// max, which are the values of single particles.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { rng } from './util.ts';

const dense = suite('dense quadratic micro-kernel vs plain-JS twin');
dense.before(() => descent.init());

interface Problem { d: number; A: Float64Array; b: Float64Array; c: number; landscape: descent.Landscape }

function explicit(d: number, seed: number): Problem {
  const r = rng(seed), A = new Float64Array(d * d), b = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) { const a = 2 * r() - 1 + (i === j ? d : 0); A[i * d + j] = a; A[j * d + i] = a; }
    b[i] = 2 * r() - 1;
  }
  const rows = Array.from({ length: d }, (_, i) => Array.from(A.subarray(i * d, (i + 1) * d)));
  return { d, A, b, c: 0.25, landscape: descent.landscapes.quadratic({ A: rows, b: Array.from(b), c: 0.25 }) };
}

/** The scalar kernel's order: one particle at a time. Returns final x (P×d) and per-step loss min/max. */
function twin(pr: Problem, X0: Float64Array, P: number, T: number, lr: number) {
  const { d, A, b, c } = pr, x = Float64Array.from(X0), g = new Float64Array(d);
  const lmin: number[] = [], lmax: number[] = [];
  for (let t = 0; t < T; t++) {
    let mn = Infinity, mx = -Infinity;
    for (let p = 0; p < P; p++) {
      const o = p * d;
      let f = 0;
      for (let i = 0; i < d; i++) {
        let acc = 0;
        for (let j = 0; j < d; j++) acc += A[i * d + j] * x[o + j];
        f += x[o + i] * (0.5 * acc + b[i]);
        g[i] = acc + b[i];
      }
      f += c;
      mn = Math.min(mn, f); mx = Math.max(mx, f);
      for (let i = 0; i < d; i++) x[o + i] = x[o + i] - lr * g[i];
    }
    lmin.push(mn); lmax.push(mx);
  }
  return { x, lmin, lmax };
}

for (const d of [1, 2, 3, 4, 5, 6, 7, 8, 13, 32, 33]) {
  for (const P of [1, 3, 37, 130]) {
    dense(`d = ${d}, P = ${P}: positions and recorded losses bit-identical`, async () => {
      const pr = explicit(d, 100 * d + P);
      const r = rng(d + 7 * P), X0 = Float64Array.from({ length: P * d }, () => 4 * r() - 2);
      const T = 4, lr = 0.3 / d;
      const points = Array.from({ length: P }, (_, i) => Array.from(X0.subarray(i * d, (i + 1) * d)));
      const res = await descent.simulate({
        landscape: pr.landscape, optimizer: descent.optimizers.sgd({ lr }), noise: descent.noise.none(),
        init: descent.inits.array({ points }), particles: P, steps: T, seed: 1, record: { every: 1 },
      });
      const want = twin(pr, X0, P, T, lr);
      for (let i = 0; i < P * d; i++) {
        if (!Object.is(res.x[i], want.x[i])) assert.unreachable(`x[${i}] (particle ${Math.floor(i / d)}): got ${res.x[i]}, expected ${want.x[i]}`);
      }
      for (let t = 0; t < T; t++) {
        assert.is(res.record!.lossMin[t], want.lmin[t], `loss min at t = ${t}`);
        assert.is(res.record!.lossMax[t], want.lmax[t], `loss max at t = ${t}`);
      }
    });
  }
}

dense('spectral quadratic (A = QΛQᵀ, d = 32): bit-identical to the twin on its own A', async () => {
  const d = 32, P = 70, T = 3, lr = 0.05;
  const eigenvalues = Array.from({ length: d }, (_, i) => 0.1 * 10 ** (2 * i / (d - 1)));
  const center = Array.from({ length: d }, (_, i) => Math.cos(i));
  const landscape = descent.landscapes.quadratic({ eigenvalues, seed: 3, center });
  const A = landscape.hessian(new Float64Array(d));
  // b = −A m and c = ½ mᵀ A m exactly as quadraticFromSpectrum builds them.
  const b = new Float64Array(d);
  let c = 0;
  for (let i = 0; i < d; i++) {
    let am = 0;
    for (let j = 0; j < d; j++) am += A[i * d + j] * center[j];
    b[i] = -am;
    c += 0.5 * center[i] * am;
  }
  const r = rng(5), X0 = Float64Array.from({ length: P * d }, () => 4 * r() - 2);
  const points = Array.from({ length: P }, (_, i) => Array.from(X0.subarray(i * d, (i + 1) * d)));
  const res = await descent.simulate({
    landscape, optimizer: descent.optimizers.sgd({ lr }), noise: descent.noise.none(),
    init: descent.inits.array({ points }), particles: P, steps: T, seed: 1,
  });
  const want = twin({ d, A, b, c, landscape }, X0, P, T, lr);
  for (let i = 0; i < P * d; i++) {
    if (!Object.is(res.x[i], want.x[i])) assert.unreachable(`x[${i}]: got ${res.x[i]}, expected ${want.x[i]}`);
  }
});

dense('quadratic Hessian read from A equals the one assembled from HVP columns, bit for bit (−0 entries too)', () => {
  const L = descent.landscapes;
  for (const f of [L.quadratic({ A: [[2, -0, 0.5], [-0, 1, -0.3], [0.5, -0.3, 3]] }), L.quadratic({ eigenvalues: [-1, 0.5, 2, 4, 8, 3, 1], seed: 3 })]) {
    const d = f.dim, x = Float64Array.from({ length: d }, (_, i) => Math.sin(i));
    const H = f.hessian(x), want = new Float64Array(d * d);
    for (let j = 0; j < d; j++) {
      const e = new Float64Array(d);
      e[j] = 1;
      const c = f.hvp(x, e);
      for (let i = 0; i < d; i++) want[i * d + j] = c[i];
    }
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) { const m = 0.5 * (want[i * d + j] + want[j * d + i]); want[i * d + j] = m; want[j * d + i] = m; }
    for (let q = 0; q < d * d; q++) if (!Object.is(H[q], want[q])) assert.unreachable(`H[${q}]: got ${H[q]}, expected ${want[q]}`);
  }
});

dense.run();
