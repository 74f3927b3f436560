// slices.*: loss along lines and planes through a point, against closed forms (a quadratic),
// direct evaluation, the filter-normalisation rule, and PCA planes that contain a trajectory.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, rng, throwsDescent, uniformArray } from './util.ts';

const sl = suite('slices');
sl.before(() => descent.init());

sl('line: f(x + t d) on a quadratic equals ½(x + td)ᵀA(x + td) at every t', () => {
  const A = [[2, 0.5], [0.5, 1]];
  const f = descent.landscapes.quadratic({ A });
  const x = [0.3, -0.2], d = [1, 2];
  const s = descent.slices.line(f, x, { direction: d, range: [-2, 3], resolution: 11 });
  assert.is(s.t.length, 11);
  assert.is(s.t[0], -2); assert.is(s.t[10], 3);
  for (let i = 0; i < 11; i++) {
    const y = [x[0] + s.t[i] * d[0], x[1] + s.t[i] * d[1]];
    close(s.loss[i], 0.5 * (y[0] * (A[0][0] * y[0] + A[0][1] * y[1]) + y[1] * (A[1][0] * y[0] + A[1][1] * y[1])), 1e-14, `t = ${s.t[i]}`);
  }
});

sl('plane: grid values equal direct evaluation, rows β and columns α', () => {
  const f = descent.landscapes.rosenbrock({ dim: 3 });
  const x = [0.5, 0.2, -0.1], d1 = [1, 0, 0.5], d2 = [0, 1, -1];
  const s = descent.slices.plane(f, x, { directions: [d1, d2], range: [[-1, 1], [0, 2]], resolution: [5, 4] });
  assert.equal([s.alpha.length, s.beta.length, s.loss.length], [5, 4, 20]);
  for (let q = 0; q < 4; q++) for (let p = 0; p < 5; p++) {
    const y = x.map((xi, j) => xi + s.alpha[p] * d1[j] + s.beta[q] * d2[j]);
    assert.is(s.loss[q * 5 + p], f.value(y));
  }
});

sl('filter-normalised directions: each weight row has the norm of θ\'s row, biases zero', () => {
  const r = rng(3);
  const data = descent.data.from({ X: uniformArray(r, 12), inputs: 3, y: uniformArray(r, 4) });
  const m = descent.models.mlp({ widths: [3, 4, 1], data });
  const th = m.initialize({ scheme: 'he', seed: 1 });
  const { direction: d } = descent.slices.line(m, th, { seed: 5 });
  for (const b of m.blocks) {
    if (b.bias) { assert.ok(Array.from(d.subarray(b.offset, b.offset + b.size)).every((v) => v === 0), b.name); continue; }
    for (let row = 0; row < b.size / b.fanIn; row++) {
      const a = b.offset + row * b.fanIn, e = a + b.fanIn;
      const nd = Math.hypot(...d.subarray(a, e)), nx = Math.hypot(...th.subarray(a, e));
      close(nd, nx, 1e-12, `${b.name} row ${row}`);
    }
  }
  const again = descent.slices.line(m, th, { seed: 5 });
  assert.equal(Array.from(again.direction), Array.from(d), 'seeded');
});

sl('PCA plane of a planar trajectory contains it: projection reconstructs every point', () => {
  const r = rng(4);
  const dim = 6;
  const e1 = uniformArray(r, dim), e2 = uniformArray(r, dim), x0 = uniformArray(r, dim);
  const T = 30, traj = new Float64Array(T * dim);
  for (let t = 0; t < T; t++) for (let j = 0; j < dim; j++) traj[t * dim + j] = x0[j] + Math.cos(t / 5) * 2 * e1[j] + (t / T) * e2[j];
  const f = descent.landscapes.rastrigin({ dim });
  const s = descent.slices.plane(f, x0, { directions: 'pca', trajectory: traj, resolution: 3 });
  const [d1, d2] = s.directions;
  close(Math.hypot(...d1), 1, 1e-12, '‖d₁‖'); close(Math.hypot(...d2), 1, 1e-12, '‖d₂‖');
  close(d1.reduce((a, v, j) => a + v * d2[j], 0), 0, 0, 'd₁ ⟂ d₂', 1e-12);
  for (let t = 0; t < T; t++) {
    const rec = Array.from({ length: dim }, (_, j) => x0[j] + s.projection![2 * t] * d1[j] + s.projection![2 * t + 1] * d2[j]);
    close(rec, traj.subarray(t * dim, (t + 1) * dim), 1e-10, `point ${t}`);
  }
});

sl('bad slices are DescentErrors with the path', () => {
  const f = descent.landscapes.rosenbrock({ dim: 2 });
  throwsDescent(() => descent.slices.line(f, [0, 0], { resolution: 1 }), 'E_CONFIG', 'slices.line.resolution');
  throwsDescent(() => descent.slices.line(f, [0, 0], { range: [1, -1] }), 'E_CONFIG', 'slices.line.range[1]');
  throwsDescent(() => descent.slices.line(f, [0, 0], { direction: [0, 0] }), 'E_CONFIG', 'slices.line.direction');
  throwsDescent(() => descent.slices.line(f, [0, 0, 0]), 'E_INPUT', 'slices.line: x');
  throwsDescent(() => descent.slices.plane(f, [0, 0], { directions: 'pca' }), 'E_CONFIG', 'slices.plane.trajectory');
  throwsDescent(() => descent.slices.plane(f, [0, 0], { trajectory: [1, 2, 3] }), 'E_CONFIG', 'slices.plane.trajectory');
});

sl.run();
