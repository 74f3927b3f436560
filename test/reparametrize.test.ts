// landscapes.reparametrize: g(y) = f(Ay + b) against three independent oracles.
// 1. Closed forms on a quadratic child f = ½xᵀQx (A 3×2, so g lives in ℝ² and f in ℝ³):
//    g = ½(Ay + b)ᵀQ(Ay + b), ∇g = AᵀQ(Ay + b), ∇²g v = AᵀQAv, computed in JS.
// 2. The chain rule through the child's own kernels, bit for bit: g(y) = f(x), ∇g = Aᵀ∇f(x) and
//    ∇²g v = Aᵀ∇²f(x)(Av) with x = Ay + b summed in the kernel's order (j ascending, then + b).
// 3. Central finite differences of g's values (gradients) and gradients (HVPs) on Rosenbrock.
// And dynamics: gradient descent on g = f(Ay + b) converges to y* = A⁻¹(x* − b), the reparametrised minimiser.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, throwsDescent } from './util.ts';

const s = suite('reparametrize');
s.before(() => descent.init());
const L = descent.landscapes;

const Q = [
  [2, 0.5, 0],
  [0.5, 1, -0.3],
  [0, -0.3, 3],
];
const A = [
  [1, 2],
  [-0.5, 0.7],
  [0.3, -1.1],
];
const b = [0.2, -0.4, 1.5];
const Ay = (y: number[], off = true) => A.map((r, i) => r.reduce((s, a, j) => s + a * y[j], 0) + (off ? b[i] : 0));
const mv = (M: number[][], v: number[]) => M.map((r) => r.reduce((s, a, j) => s + a * v[j], 0));
const tmv = (M: number[][], v: number[]) => M[0].map((_, j) => M.reduce((s, r, i) => s + r[j] * v[i], 0));

s('closed forms on a quadratic child (A 3×2: a 2-d slice of a 3-d quadratic)', () => {
  const g = L.reparametrize(L.quadratic({ A: Q }), { A, b });
  assert.is(g.dim, 2);
  for (const y of [
    [0.3, -1.2],
    [2, 0.5],
    [0, 0],
  ]) {
    const x = Ay(y),
      Qx = mv(Q, x);
    close(g.value(y), 0.5 * x.reduce((s, v, i) => s + v * Qx[i], 0), 1e-14, 'value');
    close(g.grad(y), tmv(A, Qx), 1e-14, 'gradient', 1e-15);
    const v = [0.7, -0.2];
    close(g.hvp(y, v), tmv(A, mv(Q, Ay(v, false))), 1e-14, 'HVP', 1e-15);
    close(
      g.hessian(y),
      tmv(
        A,
        mv(
          Q,
          A.map((r) => r[0]),
        ),
      ).concat(
        tmv(
          A,
          mv(
            Q,
            A.map((r) => r[1]),
          ),
        ),
      ),
      1e-13,
      'Hessian (AᵀQA, symmetric)',
      1e-15,
    );
  }
});

s('the chain rule through the child kernels, bit for bit (Rosenbrock 3-d child)', () => {
  const f = L.rosenbrock({ dim: 3 }),
    g = L.reparametrize(f, { A, b });
  for (const y of [
    [0.3, -0.2],
    [1.1, 0.4],
  ]) {
    const x = Ay(y);
    assert.is(g.value(y), f.value(x));
    assert.equal(Array.from(g.grad(y)), tmv(A, Array.from(f.grad(x))));
    const v = [0.7, -0.2];
    assert.equal(Array.from(g.hvp(y, v)), tmv(A, Array.from(f.hvp(x, Ay(v, false)))));
  }
});

s('finite differences of values and gradients (Rosenbrock, square A: a change of coordinates)', () => {
  const Asq = [
      [1, 0.4],
      [-0.3, 2],
    ],
    g = L.reparametrize(L.rosenbrock(), { A: Asq, b: [0.1, -0.2] });
  const y = [0.4, 0.3],
    e = 1e-6,
    v = [0.6, -0.8];
  const fd = [0, 1].map((j) => {
    const p = [...y],
      m = [...y];
    p[j] += e;
    m[j] -= e;
    return (g.value(p) - g.value(m)) / (2 * e);
  });
  close(g.grad(y), fd, 1e-6, 'gradient vs central differences');
  const gp = g.grad(y.map((t, j) => t + e * v[j])),
    gm = g.grad(y.map((t, j) => t - e * v[j]));
  close(
    g.hvp(y, v),
    Array.from(gp, (t, j) => (t - gm[j]) / (2 * e)),
    1e-6,
    'HVP vs central differences of gradients',
  );
});

s('gradient descent on the reparametrised quadratic reaches y* = A⁻¹(x* − b); JSON round trip; nesting', async () => {
  const Asq = [
      [2, 1],
      [0, 0.5],
    ],
    off = [1, -1];
  const g = L.reparametrize(
    L.quadratic({
      A: [
        [1, 0],
        [0, 1],
      ],
    }),
    { A: Asq, b: off },
  ); // x* = 0 ⇒ y* = −A⁻¹b
  const r = await descent.simulate({
    landscape: g,
    optimizer: descent.optimizers.sgd({ lr: 0.1 }),
    init: descent.inits.point({ x: [0, 0] }),
    particles: 3,
    steps: 2000,
    seed: 1,
  });
  const yStar = [-(off[0] - (Asq[0][1] / Asq[1][1]) * off[1]) / Asq[0][0], -off[1] / Asq[1][1]];
  close(r.x.subarray(0, 2), yStar, 1e-9, 'minimiser', 1e-12);
  const back = L.fromJSON(JSON.parse(JSON.stringify(g)));
  assert.is(back.kind, 'reparametrize');
  assert.equal(back.toJSON(), g.toJSON());
  const again = await descent.simulate(descent.configFromJSON(r.config));
  assert.is(again.hash, r.hash);
  // A reparametrised shift of a sum: composites nest.
  const nested = L.reparametrize(L.shift(L.sum([L.himmelblau(), L.beale()]), [1, 2]), {
    A: [
      [1, 0],
      [0, 2],
    ],
  });
  const y = [0.3, 0.1],
    x = [0.3 - 1, 0.2 - 2];
  assert.is(nested.value(y), L.himmelblau().value(x) + L.beale().value(x));
});

s('bad configs name their path', () => {
  const f = L.rosenbrock({ dim: 3 });
  throwsDescent(() => L.reparametrize(f, {} as never), 'E_CONFIG', 'reparametrize.A');
  throwsDescent(() => L.reparametrize(f, { A: [[1], [2]] }), 'E_CONFIG', 'reparametrize.A');
  throwsDescent(() => L.reparametrize(f, { A: [[1, 2], [3], [4, 5]] }), 'E_CONFIG', 'reparametrize.A[1]');
  throwsDescent(() => L.reparametrize(f, { A: [[1], [2], [NaN]] }), 'E_CONFIG', 'reparametrize.A[2][0]');
  throwsDescent(() => L.reparametrize(f, { A: [[1], [2], [3]], b: [1] }), 'E_CONFIG', 'reparametrize.b');
  throwsDescent(() => L.reparametrize(f, { A: [[1], [2], [3]], c: 1 } as never), 'E_CONFIG', 'reparametrize.c');
  throwsDescent(() => L.reparametrize({} as never, { A: [[1]] }), 'E_CONFIG', 'reparametrize.landscape');
});

s.run();
