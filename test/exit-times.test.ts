// Mean first-exit times (stop regions with `exit: true`, diagnostics.exitTimes) against the
// continuous-time value, the way users check a stochastic modified equation: ULA on U = x²/2 at
// T = 1 approximates dX = −X dt + √2 dW. Started at 0, its mean exit time from (−1, 1) solves
// u″ − x u′ = −1, u(±1) = 0, so u(0) = ∫₀¹ e^{x²/2} ∫₀ˣ e^{−y²/2} dy dx (≈ 0.59575), computed below
// by a power series (inner) and composite Simpson (outer, 4000 intervals, error ≪ 1e-10).
// Discrete monitoring overshoots: τ(h) − u(0) ≈ c√h (Gobet 2000; Broadie, Glasserman & Kou 1997),
// so the error must shrink with h, and the Richardson extrapolation 2τ(h/4) − τ(h), which cancels
// the √h term, must agree with u(0) within its 99.9% interval (independent seeds per h, so the
// standard errors add in quadrature). P = 10 000 particles, 12/h steps: no particle is censored.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { assertRichardson, throwsDescent } from './util.ts';

const s = suite('exit times');
s.before(() => descent.init());
const L = descent.landscapes, S = descent.samplers, I = descent.inits, D = descent.diagnostics;

function reference(): number {
  const inner = (x: number) => { let sum = 0, term = x, k = 0; while (Math.abs(term) > 1e-18 && k < 60) { sum += term / (2 * k + 1); k++; term *= (-x * x) / (2 * k); } return sum; };
  const N = 4000;
  let acc = 0;
  for (let i = 0; i <= N; i++) { const x = i / N, w = i === 0 || i === N ? 1 : i % 2 ? 4 : 2; acc += w * Math.exp((x * x) / 2) * inner(x); }
  return acc / (3 * N);
}

const run = (h: number, seed: number) => descent.simulate({
  landscape: L.quadratic({ A: [[1]] }), optimizer: S.ula({ stepSize: h }), init: I.point({ x: [0] }), particles: 10000,
  steps: Math.ceil(12 / h), seed, stop: { regions: [{ center: [0], radius: 1, exit: true }] },
});

s('ULA exit times from (−1, 1) converge to the continuous-time mean as h → 0 (Richardson in √h)', async () => {
  const u0 = reference();
  assert.ok(Math.abs(u0 - 0.5957) < 1e-3, `reference ${u0}`);
  const hs = [0.02, 0.005, 0.00125], est: { mean: number; standardError: number }[] = [];
  for (const [i, h] of hs.entries()) {
    const r = await run(h, 7 + i);
    const e = D.exitTimes(r, { stepSize: h });
    assert.is(e.censored, 0, `h = ${h}: censored`);
    assert.is(e.exited, 10000);
    // Every stopped particle is really outside, and was inside one step earlier is not observable; check the first.
    for (let p = 0; p < 100; p++) assert.ok(Math.abs(r.x[p]) >= 1 && r.region[p] === 0 && r.stoppedAt[p] > 0);
    est.push(e);
  }
  assertRichardson(hs, est, u0);
  assert.ok(est[2].mean - u0 > 0, 'discrete monitoring overshoots');
});

s('exit regions stop on leaving; entry regions still stop on entering; config round-trips', async () => {
  const r = await descent.simulate({
    landscape: L.quadratic({ A: [[0]] }), optimizer: S.ula({ stepSize: 0.01 }), init: I.point({ x: [0] }), particles: 200, steps: 3000, seed: 2,
    stop: { regions: [{ center: [0.3], radius: 0.1 }, { center: [0], radius: 0.5, exit: true }] },
  });
  let entered = 0, left = 0;
  for (let p = 0; p < 200; p++) {
    if (r.region[p] === 0) { entered++; assert.ok(Math.abs(r.x[p] - 0.3) < 0.1); }
    if (r.region[p] === 1) { left++; assert.ok(Math.abs(r.x[p]) >= 0.5); }
  }
  assert.ok(entered > 0 && left > 0 && entered + left === r.counts.stopped, `${entered} entered, ${left} left`);
  assert.equal(r.counts.regions, [entered, left]);
  assert.equal((r.config.stop as { regions: unknown[] }).regions[1], { center: [0], radius: 0.5, exit: true });
  const again = await descent.simulate(descent.configFromJSON(r.config));
  assert.is(again.hash, r.hash, 'the result config reproduces the run');
  const e = D.exitTimes(r);
  assert.is(e.exited, left);
  assert.is(e.censored, 200 - left);
  assert.ok(Number.isNaN(e.times[Array.from(r.region).indexOf(0)]), 'particles stopped in the entry region are censored');
});

s('bad input: exitTimes without an exit region, non-positive step size; exit must be boolean', async () => {
  const r = await descent.simulate({ landscape: L.quadratic({ A: [[1]] }), optimizer: S.ula({ stepSize: 0.1 }), init: I.point({ x: [0] }), particles: 4, steps: 3, seed: 1 });
  throwsDescent(() => D.exitTimes(r), 'E_INPUT', 'diagnostics.exitTimes.region');
  const e = await run(0.02, 1);
  throwsDescent(() => D.exitTimes(e, { stepSize: 0 }), 'E_INPUT', 'diagnostics.exitTimes.stepSize');
  throwsDescent(() => D.exitTimes(e, { region: 3 }), 'E_INPUT', 'diagnostics.exitTimes.region');
  let err: unknown;
  try {
    await descent.simulate({ landscape: L.quadratic({ A: [[1]] }), optimizer: S.ula({ stepSize: 0.1 }), init: I.point({ x: [0] }), particles: 4, steps: 3, seed: 1, stop: { regions: [{ center: [0], radius: 1, exit: 'yes' as never }] } });
  } catch (x) { err = x; }
  assert.is((err as descent.DescentError)?.path, 'simulate.stop.regions[0].exit');
});

s.run();
