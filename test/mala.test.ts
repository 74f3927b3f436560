// samplers.mala against exact answers. MALA's kernel leaves the target π ∝ exp(−U/T) invariant
// for every step size, so chains started from π stay exactly π-distributed: particles are i.i.d.
// draws from π at every step, and sample moments are tested with plain i.i.d. intervals. ULA,
// the same proposal without the Metropolis test, fails the same checks (so they have power).
// Multiple checks per test: each uses a 99.9% normal interval (z = 3.29), so a correct kernel
// fails a test with probability ≲ 0.5%; seeds are fixed, so the outcome is deterministic.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { throwsDescent } from './util.ts';

const s = suite('samplers.mala');
s.before(() => descent.init());
const L = descent.landscapes, S = descent.samplers, I = descent.inits;
const Z = 3.29; // two-sided 99.9%

/** Mean of f over particles and its i.i.d. standard error. */
function meanSE(n: number, f: (p: number) => number): { mean: number; se: number } {
  let m = 0, m2 = 0;
  for (let p = 0; p < n; p++) { const v = f(p); const dv = v - m; m += dv / (p + 1); m2 += dv * (v - m); }
  return { mean: m, se: Math.sqrt(m2 / (n - 1) / n) };
}

/** |estimate − truth| ≤ Z·SE, reported with the z-score. */
function within(est: { mean: number; se: number }, truth: number, what: string): boolean {
  const z = (est.mean - truth) / est.se;
  if (Math.abs(z) > Z) console.log(`  ${what}: ${est.mean.toFixed(5)} vs ${truth.toFixed(5)} (z = ${z.toFixed(2)})`);
  return Math.abs(z) <= Z;
}

// Target N(0, T·A⁻¹) of U = ½xᵀAx, correlated.
const A = [[2, 0.5], [0.5, 1]], T = 0.7, det = 2 - 0.25;
const cov = [[T * 1 / det, -T * 0.5 / det], [-T * 0.5 / det, T * 2 / det]];
const gauss = L.quadratic({ A });
const P = 40000;

/** Second moments E[x₀²], E[x₀x₁], E[x₁²] of the final positions against cov. */
function secondMomentsMatch(x: Float64Array, what: string): boolean {
  const n = x.length / 2;
  return [within(meanSE(n, (p) => x[2 * p] ** 2), cov[0][0], `${what} E[x₀²]`),
    within(meanSE(n, (p) => x[2 * p] * x[2 * p + 1]), cov[0][1], `${what} E[x₀x₁]`),
    within(meanSE(n, (p) => x[2 * p + 1] ** 2), cov[1][1], `${what} E[x₁²]`),
    within(meanSE(n, (p) => x[2 * p]), 0, `${what} E[x₀]`)].every(Boolean);
}

s('a correlated Gaussian stays exactly the target for any step size (ULA does not)', async () => {
  for (const [h, seed] of [[0.3, 1], [0.8, 2]]) {
    const run = (optimizer: descent.samplers.Sampler) => descent.simulate({
      landscape: gauss, optimizer, init: I.normal({ mean: [0, 0], covariance: cov }), particles: P, steps: 60, seed,
    });
    const r = await run(S.mala({ stepSize: h, temperature: T }));
    assert.ok(secondMomentsMatch(r.x, `MALA h = ${h}`), `MALA h = ${h}: moments off the target`);
    assert.is(r.counts.diverged, 0);
    // ULA at h = 0.3 is stationary at a different covariance ((I − hA/2)⁻¹ T A⁻¹ in the eigenbasis): it must fail.
    if (h === 0.3) assert.not.ok(secondMomentsMatch((await run(S.ula({ stepSize: h, temperature: T }))).x, 'ULA (expected off)'), 'ULA passed: the check has no power');
  }
});

s('a two-mode mixture: mean, second moment and mass of each mode match the truth from a point start', async () => {
  // π ∝ 0.3·N(−1.5, 1) + 0.7·N(1.5, 1) in 1-d (gaussianMixture is −log of the mixture density; T = 1).
  const w = [0.3, 0.7], mu = [-1.5, 1.5];
  const r = await descent.simulate({
    landscape: L.gaussianMixture({ means: [[mu[0]], [mu[1]]], weights: w, stds: [1, 1] }),
    optimizer: S.mala({ stepSize: 0.6 }), init: I.point({ x: [0] }), particles: 20000, steps: 1500, seed: 3,
  });
  const n = r.particles, x = r.x;
  // Truth: E x = Σw μ, E x² = Σw(1 + μ²), P(x > 0) = Σ w Φ(μ), Φ(z) = erfc(−z/√2)/2.
  const Phi = (z: number) => 0.5 * erfc(-z / Math.SQRT2);
  assert.ok(within(meanSE(n, (p) => x[p]), w[0] * mu[0] + w[1] * mu[1], 'E x'), 'mean');
  assert.ok(within(meanSE(n, (p) => x[p] ** 2), w[0] * (1 + mu[0] ** 2) + w[1] * (1 + mu[1] ** 2), 'E x²'), 'second moment');
  assert.ok(within(meanSE(n, (p) => (x[p] > 0 ? 1 : 0)), w[0] * Phi(mu[0]) + w[1] * Phi(mu[1]), 'P(x > 0)'), 'mode masses');
});

/** erfc by the Chebyshev-fitted formula of Numerical Recipes (erfcc) (|error| < 1.2e-7): enough for a 99.9% check at n = 2·10⁴. */
function erfc(x: number): number {
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

s('acceptance → 1 as h → 0; accepted counts are per particle and at most the steps', async () => {
  const rates: number[] = [];
  for (const h of [0.5, 0.05, 0.005]) {
    const r = await descent.simulate({ landscape: gauss, optimizer: S.mala({ stepSize: h, temperature: T }), init: I.normal({ mean: [0, 0], covariance: cov }), particles: 4000, steps: 100, seed: 5 });
    assert.ok(r.accepted instanceof Int32Array && r.accepted.length === 4000, 'accepted: one count per particle');
    let sum = 0;
    for (const a of r.accepted) { assert.ok(a >= 0 && a <= 100); sum += a; }
    rates.push(sum / (4000 * 100));
  }
  assert.ok(rates[0] < rates[1] && rates[1] < rates[2], `acceptance not increasing as h falls: ${rates}`);
  assert.ok(rates[0] < 0.95, `h = 0.5 should reject visibly: ${rates[0]}`);
  assert.ok(1 - rates[2] < 2e-3, `h = 0.005: acceptance ${rates[2]}`);
});

s('on a flat potential every proposal is accepted and MALA is ULA, bit for bit', async () => {
  // U ≡ 0: both proposal densities are equal (‖x − y‖² = ‖y − x‖²), so log α = 0 > log u.
  const cfg = (optimizer: descent.samplers.Sampler) => ({ landscape: L.quadratic({ A: [[0, 0], [0, 0]] }), optimizer, init: I.point({ x: [0.5, -1] }), particles: 130, steps: 40, seed: 9 });
  const m = await descent.simulate(cfg(S.mala({ stepSize: 0.2, temperature: 2 }))), u = await descent.simulate(cfg(S.ula({ stepSize: 0.2, temperature: 2 })));
  assert.equal(Array.from(m.x), Array.from(u.x));
  assert.ok(Array.from(m.accepted!).every((a) => a === 40));
  assert.is(u.accepted, undefined, 'only MALA results carry acceptance counts');
});

s('determinism: chunks, workers and shards give the same bits, acceptance counts included', async () => {
  const cfg = { landscape: L.doubleWell({ tilt: 0.1 }), optimizer: S.mala({ stepSize: 0.4, temperature: 0.5 }), init: I.normal({ mean: [0], std: 0.5 }), particles: 300, steps: 90, seed: 4, record: { every: 10 } };
  const a = await descent.simulate(cfg), b = await descent.simulate(cfg, { chunkSize: 7 }), c = await descent.simulate(cfg, { workers: 2 });
  assert.is(b.hash, a.hash);
  assert.is(c.hash, a.hash);
  assert.equal(Array.from(c.accepted!), Array.from(a.accepted!));
  const shards = await Promise.all([0, 1, 2].map((index) => descent.simulate(cfg, { shard: { index, count: 3 } })));
  const merged = await descent.merge(shards.map((sh) => descent.load(descent.save(sh))));
  assert.is(merged.hash, a.hash);
  // The merged summary carries the exact acceptance totals the per-particle counts sum to.
  assert.is(merged.acceptance!.accepted, a.accepted!.reduce((x, y) => x + y, 0));
  const proposals = Array.from(a.divergedAt, (t, p) => (t >= 0 ? t : a.stoppedAt[p] >= 0 ? a.stoppedAt[p] : a.steps)).reduce((x, y) => x + y, 0);
  assert.is(merged.acceptance!.proposals, proposals);
  console.log(`DETERMINISM mala ${a.hash}`);
});

s("a particle's chain does not depend on its block: d = 1, last block partly filled or not", async () => {
  // Regression: with d = 1 the U(x) | U(y) scratch (2B doubles) overran its slot of dB doubles, and
  // in the last block U(y) overwrote the block's gradient, so particles 256–299 of a 300-particle
  // run differed from the same particles in a 1 000-particle run (44 of them did).
  const run = (particles: number) => descent.simulate({ landscape: L.doubleWell({ tilt: 0.1 }), optimizer: S.mala({ stepSize: 0.4, temperature: 0.5 }),
    init: I.normal({ mean: [0], std: 0.5 }), particles, steps: 90, seed: 4 });
  const a = await run(300), b = await run(1000);
  assert.equal(Array.from(a.x), Array.from(b.x.subarray(0, 300)));
  assert.equal(Array.from(a.accepted!), Array.from(b.accepted!.subarray(0, 300)));
});

s('bad input: noise with MALA, non-positive step size or temperature', async () => {
  throwsDescent(() => S.mala({ stepSize: 0 }), 'E_CONFIG', 'samplers.mala.stepSize');
  throwsDescent(() => S.mala({ stepSize: -0.1 }), 'E_CONFIG', 'samplers.mala.stepSize');
  throwsDescent(() => S.mala({ stepSize: 0.1, temperature: 0 }), 'E_CONFIG', 'samplers.mala.temperature');
  throwsDescent(() => S.mala({ stepSize: 0.1, friction: 1 } as never), 'E_CONFIG');
  let err: unknown;
  try {
    await descent.simulate({ landscape: gauss, optimizer: S.mala({ stepSize: 0.1 }), noise: descent.noise.gaussian({ sigma: 0.1 }), init: I.point({ x: [0, 0] }), particles: 2, steps: 2, seed: 1 });
  } catch (e) { err = e; }
  assert.is((err as descent.DescentError)?.code, 'E_CONFIG');
  assert.is((err as descent.DescentError)?.path, 'simulate.noise');
});

s.run();
