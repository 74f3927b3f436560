// Every landscape against central finite differences, the second independent oracle: the
// gradient against differences of value(), the HVP against differences of grad(). With step
// h = 1e-5·max(1, |x_i|) the truncation error is O(h²·f‴) and rounding O(ε·f/h), so we ask for
// 1e-6 relative agreement (norm-wise), with an absolute floor for gradients that vanish.
import { suite } from 'uvu';
import * as descent from '../src/index.ts';
import { close, rng, uniformArray, maxAbs } from './util.ts';

const fd = suite('landscapes vs central finite differences');
fd.before(() => descent.init());

/** One instance of every kind, with the box its test points are drawn from. */
function instances(): [descent.Landscape, number][] {
  const L = descent.landscapes;
  return [
    [L.quadratic({ A: [[2, 0.5, 0], [0.5, 1, -0.3], [0, -0.3, 3]], b: [1, -1, 0.5], c: 2 }), 2],
    [L.quadratic({ eigenvalues: [-1, 0.5, 2, 4], seed: 7, center: [1, 2, 3, 4] }), 3],
    [L.rosenbrock({ dim: 6 }), 1.5],
    [L.rastrigin({ dim: 4 }), 2],
    [L.ackley({ dim: 5 }), 2],
    [L.styblinskiTang({ dim: 3 }), 4],
    [L.beale(), 2],
    [L.himmelblau(), 4],
    [L.mullerBrown(), 1],
    [L.sixHumpCamel(), 1.5],
    [L.polynomial({ coefficients: [[1, -1, 0.5, 0.2], [0, 0, 1], [2, 0, 0, 0, -0.1]] }), 2],
    [L.doubleWell({ dim: 3, depth: 2, a: 1.2, tilt: 0.4, stiffness: 3 }), 2],
    [L.multiWell({ centers: [[0, 0, 0], [1, 1, 0]], depths: [1, 2], widths: [0.5, 1], stiffness: 0.2 }), 1.5],
    [L.saddle({ dim: 4, negative: 2, quartic: 0.3 }), 2],
    [L.monkeySaddle(), 2],
    [L.gaussianMixture({ means: [[0, 0], [2, 1], [-1, 2]], weights: [1, 2, 3], covariances: [[[1, 0.3], [0.3, 0.5]], [[2, 0], [0, 1]], [[0.5, -0.2], [-0.2, 0.8]]] }), 2],
    [L.sum([L.himmelblau(), L.scale(L.shift(L.sixHumpCamel(), [0.5, -0.5]), 3)], [0.5, 2]), 1.5],
    [L.finiteSum([L.rosenbrock({ dim: 3 }), L.saddle({ dim: 3, quartic: 1 }), L.ackley({ dim: 3 })]), 1.5],
  ];
}

for (const [f, box] of instances()) {
  fd(`${f.kind} (d=${f.dim}): gradient and HVP match central differences at 5 random points`, () => {
    const next = rng(f.dim * 7919 + f.kind.length);
    for (let trial = 0; trial < 5; trial++) {
      const x = uniformArray(next, f.dim, -box, box);
      const v = uniformArray(next, f.dim);
      const g = f.grad(x);
      const gfd = new Float64Array(f.dim);
      const hvfd = new Float64Array(f.dim);
      for (let i = 0; i < f.dim; i++) {
        const h = 1e-5 * Math.max(1, Math.abs(x[i]));
        const xp = x.slice(), xm = x.slice();
        xp[i] += h; xm[i] -= h;
        gfd[i] = (f.value(xp) - f.value(xm)) / (xp[i] - xm[i]);
      }
      const t = 1e-5 / Math.max(1, maxAbs(x));
      const gp = f.grad(x.map((xi, i) => xi + t * v[i]));
      const gm = f.grad(x.map((xi, i) => xi - t * v[i]));
      for (let i = 0; i < f.dim; i++) hvfd[i] = (gp[i] - gm[i]) / (2 * t);
      const at = `${f.kind} x=${JSON.stringify(Array.from(x))}`;
      close(g, gfd, 1e-6, `${at} grad vs FD`, 1e-7 * Math.max(1, Math.abs(f.value(x))));
      close(f.hvp(x, v), hvfd, 1e-6, `${at} hvp vs FD`, 1e-7 * Math.max(1, maxAbs(g)));
    }
  });
}

fd.run();
