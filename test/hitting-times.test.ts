// First hitting times of entry regions (diagnostics.hittingTimes), two ways.
// 1. Exact: gradient descent on f = x²/2 with lr η moves x_t = (1 − η)^t x₀, so it enters the
//    ball |x| < r at τ = ⌈log(r/|x₀|)/log(1 − η)⌉ (starting points chosen so that no x_t lies
//    within 1e-9 of r, where rounding could decide).
// 2. Statistical, as users check a diffusion: ULA on U = x²/2 at T = 1 approximates the
//    Ornstein–Uhlenbeck process dX = −X dt + √2 dW. Started at x₀ = 2, its mean time to enter
//    (−1, 1) solves u″ − x u′ = −1 on (1, ∞), u(1) = 0, u of at most polynomial growth:
//    u(x₀) = ∫₁^{x₀} e^{y²/2} ∫_y^∞ e^{−z²/2} dz dy = ∫₁^{x₀} ∫₀^∞ e^{−yw − w²/2} dw dy (u(2) =
//    0.5232965529 by SciPy quad of √(π/2)·erfcx(y/√2), checked below),
//    by composite Simpson in both variables (w ∈ [0, 40], 4000 × 400 intervals: error ≪ 1e-8).
//    Discrete monitoring overshoots by ≈ c√h (Gobet 2000), so the error must shrink with h and
//    the Richardson extrapolation 2τ(h/4) − τ(h) must agree with u(x₀) within its 99.9% interval
//    (independent seeds per h; h = 0.04, 0.01, 0.0025). P = 20 000 particles, 8/h steps: P(τ > 8) < 1e-6 per particle.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { assertRichardson, throwsDescent } from './util.ts';

const s = suite('hitting times');
s.before(() => descent.init());
const L = descent.landscapes,
  S = descent.samplers,
  I = descent.inits,
  D = descent.diagnostics,
  O = descent.optimizers;

/** Composite Simpson of f on [a, b] with n (even) intervals. */
function simpson(f: (x: number) => number, a: number, b: number, n: number): number {
  const h = (b - a) / n;
  let acc = f(a) + f(b);
  for (let i = 1; i < n; i++) acc += (i % 2 ? 4 : 2) * f(a + i * h);
  return (acc * h) / 3;
}

function reference(x0: number): number {
  return simpson((y) => simpson((w) => Math.exp(-y * w - (w * w) / 2), 0, 40, 4000), 1, x0, 400);
}

s('gradient descent enters a ball exactly when (1 − η)^t x₀ first falls inside', async () => {
  const eta = 0.1,
    r = 0.25,
    x0 = [1, -1.7, 3.3, 0.9, -2.6, 5.1, 0.2];
  const r1 = await descent.simulate({
    landscape: L.quadratic({ A: [[1]] }),
    optimizer: O.sgd({ lr: eta }),
    init: I.array({ points: x0.map((v) => [v]) }),
    steps: 60,
    seed: 1,
    stop: { regions: [{ center: [0], radius: r }] },
  });
  const h = 0.5; // times are steps × h
  const e = D.hittingTimes(r1, { stepSize: h });
  assert.is(e.exit, false);
  const expected = x0.map((v) => (Math.abs(v) < r ? 0 : Math.ceil(Math.log(r / Math.abs(v)) / Math.log(1 - eta))));
  for (const [p, v] of x0.entries()) {
    for (let t = 0; t <= 60; t++) assert.ok(Math.abs(Math.abs(v) * (1 - eta) ** t - r) > 1e-9, 'a boundary case');
    assert.is(e.times[p], expected[p] * h, `x₀ = ${v}`);
  }
  const mean = (expected.reduce((a, b) => a + b) * h) / x0.length;
  assert.ok(Math.abs(e.mean - mean) < 1e-12, `${e.mean} vs ${mean}`);
  const sd = Math.sqrt(expected.reduce((a, t) => a + (t * h - mean) ** 2, 0) / (x0.length - 1));
  assert.ok(Math.abs(e.standardError - sd / Math.sqrt(x0.length)) < 1e-12);
  assert.is(e.hit, 7);
  assert.is(e.censored, 0);
  // Too few steps: the slow ones are censored (NaN), the rest unchanged.
  const short = D.hittingTimes(await descent.simulate({ ...r1.config, steps: 20 } as never), { stepSize: h });
  assert.is(short.hit, expected.filter((t) => t < 20).length);
  for (const [p, t] of expected.entries()) assert.ok(t < 20 ? short.times[p] === t * h : Number.isNaN(short.times[p]));
});

s('ULA entry times into (−1, 1) from x₀ = 2 converge to the Ornstein–Uhlenbeck mean (Richardson in √h)', async () => {
  const u = reference(2);
  assert.ok(Math.abs(u - 0.5232965529) < 1e-8, `reference ${u}`);
  const hs = [0.04, 0.01, 0.0025],
    est: { mean: number; standardError: number }[] = [];
  for (const [i, h] of hs.entries()) {
    const r = await descent.simulate({
      landscape: L.quadratic({ A: [[1]] }),
      optimizer: S.ula({ stepSize: h }),
      init: I.point({ x: [2] }),
      particles: 20000,
      steps: Math.ceil(8 / h),
      seed: 50 + i,
      stop: { regions: [{ center: [0], radius: 1 }] },
    });
    const e = D.hittingTimes(r, { stepSize: h });
    assert.is(e.censored, 0, `h = ${h}: censored`);
    for (let p = 0; p < 100; p++) assert.ok(Math.abs(r.x[p]) < 1 && r.region[p] === 0 && r.stoppedAt[p] > 0);
    est.push(e);
  }
  assertRichardson(hs, est, u);
});

s('bad input: no stop regions, region out of range, step size; exitTimes on an entry region says what to use', async () => {
  const plain = await descent.simulate({
    landscape: L.quadratic({ A: [[1]] }),
    optimizer: S.ula({ stepSize: 0.1 }),
    init: I.point({ x: [0] }),
    particles: 4,
    steps: 3,
    seed: 1,
  });
  throwsDescent(() => D.hittingTimes(plain), 'E_INPUT', 'diagnostics.hittingTimes: result');
  const entering = await descent.simulate({ ...plain.config, stop: { regions: [{ center: [0.5], radius: 0.1 }] } } as never);
  throwsDescent(() => D.hittingTimes(entering, { region: 1 }), 'E_INPUT', 'diagnostics.hittingTimes.region');
  throwsDescent(() => D.hittingTimes(entering, { stepSize: -1 }), 'E_INPUT', 'diagnostics.hittingTimes.stepSize');
  let message = '';
  try {
    D.exitTimes(entering);
  } catch (e) {
    message = (e as Error).message;
  }
  assert.match(message, 'hittingTimes');
  assert.not.match(message, 'got undefined');
});

s.run();
