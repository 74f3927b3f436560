// samplers.sgld against exact discrete answers. With minibatch gradients of a 1-d least-squares
// model the chain is linear with random coefficients: for example i (drawn uniformly, with
// replacement, batch 1), ĝ = a_i θ − c_i with a_i = 2x_i², c_i = 2x_i y_i (mse: ℓ_i = (x_iθ − y_i)²), so
//   θ⁺ − m = (1 − h a_i)(θ − m) − h(a_i m − c_i) + √(2hT) ξ,   m = E[c]/E[a] (least squares).
// The draw i is independent of θ_t, so at stationarity E θ = m exactly and
//   v = (h² E[(a m − c)²] + 2hT) / (1 − E[(1 − h a)²])
// (cross terms vanish because E[θ − m] = 0). ULA (exact gradients) would give 2hT/(1 − (1 − hĒa)²)-like
// values without the h² term: the test resolves the difference. Intervals: 99.9% (z = 3.29),
// standard errors from the sample variance of the per-particle statistic.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { throwsDescent } from './util.ts';

const s = suite('samplers.sgld');
s.before(() => descent.init());
const L = descent.landscapes, S = descent.samplers, I = descent.inits, Z = 3.29;

function meanSE(v: ArrayLike<number>): { mean: number; se: number } {
  let m = 0, m2 = 0;
  for (let i = 0; i < v.length; i++) { const d = v[i] - m; m += d / (i + 1); m2 += d * (v[i] - m); }
  return { mean: m, se: Math.sqrt(m2 / (v.length - 1) / v.length) };
}

s('minibatch SGLD on least squares: exact stationary mean and variance (with the minibatch term)', async () => {
  const X = [0.5, 1, 1.5, 2], y = [1, -0.5, 2, 0.3], h = 0.05, T = 0.01;
  const a = X.map((x) => 2 * x * x), c = X.map((x, i) => 2 * x * y[i]);
  const E = (f: (i: number) => number) => X.reduce((acc, _, i) => acc + f(i), 0) / X.length;
  const m = E((i) => c[i]) / E((i) => a[i]);
  const v = (h * h * E((i) => (a[i] * m - c[i]) ** 2) + 2 * h * T) / (1 - E((i) => (1 - h * a[i]) ** 2));
  const vUla = (2 * h * T) / (1 - (1 - h * E((i) => a[i])) ** 2);
  const model = descent.models.linearRegression({ data: descent.data.from({ X: X.map((x) => [x]), y }), bias: false });
  const r = await descent.simulate({
    landscape: model, optimizer: S.sgld({ stepSize: h, temperature: T }), noise: descent.noise.minibatch({ batchSize: 1, replacement: true }),
    init: I.point({ x: [m] }), particles: 40000, steps: 400, seed: 3,
  });
  // E[(1 − ha)²]^400 < 1e-60: stationary.
  const mean = meanSE(r.x), sq = meanSE(Array.from(r.x, (t) => (t - m) ** 2));
  assert.ok(Math.abs(mean.mean - m) <= Z * mean.se, `mean ${mean.mean} vs ${m} ± ${Z * mean.se}`);
  assert.ok(Math.abs(sq.mean - v) <= Z * sq.se, `variance ${sq.mean} vs ${v} ± ${Z * sq.se}`);
  assert.ok(Math.abs(sq.mean - vUla) > Z * sq.se, `indistinguishable from the exact-gradient value ${vUla}`);
});

s('a step-size schedule: on a flat potential Var x_T = 2T Σ h_t exactly', async () => {
  const sched = descent.schedules.inverseTime({ lr: 0.1, gamma: 0.05, power: 0.55 }), T = 0.5, steps = 200;
  let sum = 0;
  for (let t = 0; t < steps; t++) sum += 0.1 / (1 + 0.05 * t) ** 0.55;
  const r = await descent.simulate({ landscape: L.quadratic({ A: [[0, 0], [0, 0]] }), optimizer: S.sgld({ stepSize: sched, temperature: T }), init: I.point({ x: [0, 0] }), particles: 30000, steps, seed: 5 });
  // x_T is exactly N(0, 2TΣh_t) per coordinate: n·s²/σ² ~ χ²_n, n = 60 000.
  let ss = 0;
  for (const x of r.x) ss += x * x;
  const rel = ss / r.x.length / (2 * T * sum) - 1;
  assert.ok(Math.abs(rel) <= Z * Math.sqrt(2 / r.x.length), `relative error ${rel}`);
  // A constant step of the schedule's first value would be resolved (Σh_t differs by > 50%).
  assert.ok(Math.abs(ss / r.x.length / (2 * T * 0.1 * steps) - 1) > 0.3);
});

s('without noise SGLD is ULA bit for bit; a constant schedule equals the number', async () => {
  const cfg = (optimizer: descent.samplers.Sampler) => ({ landscape: L.doubleWell({ tilt: 0.2 }), optimizer, init: I.normal({ mean: [0], std: 1 }), particles: 100, steps: 50, seed: 4 });
  const a = await descent.simulate(cfg(S.sgld({ stepSize: 0.05, temperature: 0.4 })));
  const b = await descent.simulate(cfg(S.ula({ stepSize: 0.05, temperature: 0.4 })));
  const c = await descent.simulate(cfg(S.sgld({ stepSize: descent.schedules.constant({ lr: 0.05 }), temperature: 0.4 })));
  assert.equal(Array.from(a.x), Array.from(b.x));
  assert.equal(Array.from(c.x), Array.from(a.x));
  assert.equal(S.fromJSON(JSON.parse(JSON.stringify(S.sgld({ stepSize: descent.schedules.cosine({ lr: 0.1, steps: 10 }) })))), S.sgld({ stepSize: descent.schedules.cosine({ lr: 0.1, steps: 10 }) }));
});

s('bad input', () => {
  throwsDescent(() => S.sgld({ stepSize: 0 }), 'E_CONFIG', 'samplers.sgld.stepSize');
  throwsDescent(() => S.sgld({ stepSize: 0.1, temperature: -1 }), 'E_CONFIG', 'samplers.sgld.temperature');
  throwsDescent(() => S.sgld({ stepSize: { type: 'schedule', kind: 'nope', params: {} } as never }), 'E_CONFIG');
});

s.run();
