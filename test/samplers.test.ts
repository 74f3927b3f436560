// Langevin samplers (samplers.*) against exact discrete stationary variances on harmonic
// potentials U = ½k|x|² (landscapes.quadratic, A = k·I, d = 3 so the pair and tail paths of the
// draws both run). Every chain is linear with Gaussian noise and starts at x = 0 (v = 0), so x_t
// is exactly Gaussian with mean 0; its variance Σ_t[0][0] follows Σ_{t+1} = MΣ_tMᵀ + Q and tends
// to the solution of the discrete Lyapunov equation Σ = MΣMᵀ + Q, solved exactly below (2×2).
// The test asserts Σ_t is within 1e-6 of Σ_∞ at the final step, so the run is stationary.
// Estimator: s² = mean of x² over the n = 3P coordinates of the P particles (independent Philox
// counters); n·s²/σ² ~ χ²_n, so s²/σ² − 1 has standard deviation √(2/n) and the 99% interval
// is ±2.576·√(2/n) (n = 60 000: ±1.49%). Fixed seeds: the assertions are deterministic.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { throwsDescent } from './util.ts';

const s = suite('samplers');
s.before(() => descent.init());
const L = descent.landscapes, S = descent.samplers, I = descent.inits;

type M2 = number[][];
const mul = (A: M2, B: M2): M2 => [[A[0][0] * B[0][0] + A[0][1] * B[1][0], A[0][0] * B[0][1] + A[0][1] * B[1][1]], [A[1][0] * B[0][0] + A[1][1] * B[1][0], A[1][0] * B[0][1] + A[1][1] * B[1][1]]];
const tr = (A: M2): M2 => [[A[0][0], A[1][0]], [A[0][1], A[1][1]]];
const add = (A: M2, B: M2): M2 => A.map((r, i) => r.map((v, j) => v + B[i][j]));
const sandwich = (M: M2, X: M2): M2 => mul(mul(M, X), tr(M));
const zero = (): M2 => [[0, 0], [0, 0]];
type Op = [M2, M2]; // z ← F z + noise of covariance q, z = (x, v)

/** One step z⁺ = Mz + ε, Cov ε = Q, from the operators applied in order. */
function compose(ops: Op[]): { M: M2; Q: M2 } {
  let M: M2 = [[1, 0], [0, 1]], Q = zero();
  for (const [F, q] of ops) { M = mul(F, M); Q = add(sandwich(F, Q), q); }
  return { M, Q };
}

/** Exact solution of Σ = MΣMᵀ + Q for symmetric 2×2 Σ: three linear equations, Cramer's rule. */
function lyapunov({ M, Q }: { M: M2; Q: M2 }): M2 {
  const E: M2[] = [[[1, 0], [0, 0]], [[0, 1], [1, 0]], [[0, 0], [0, 1]]];
  const at: [number, number][] = [[0, 0], [0, 1], [1, 1]];
  const A = at.map(([r, c]) => E.map((e) => e[r][c] - sandwich(M, e)[r][c]));
  const b = at.map(([r, c]) => Q[r][c]);
  const det = (m: M2) => m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  const D = det(A);
  const x = [0, 1, 2].map((k) => det(A.map((row, i) => row.map((v, j) => (j === k ? b[i] : v)))) / D);
  return [[x[0], x[1]], [x[1], x[2]]];
}

/** Σ_t from Σ_0 = 0 (start at x = 0, v = 0). */
function afterSteps(step: { M: M2; Q: M2 }, t: number): M2 {
  let X = zero();
  for (let i = 0; i < t; i++) X = add(sandwich(step.M, X), step.Q);
  return X;
}

/** The textbook one-step maps (kernel doc comment in assembly/samplers/langevin.ts) for U = ½kx². */
function underdampedStep(integrator: string, h: number, gamma: number, m: number, k: number, T: number) {
  const B = (t: number): Op => [[[1, 0], [-t * k / m, 1]], zero()];
  const A = (t: number): Op => [[[1, t], [0, 1]], zero()];
  const O = (t: number): Op => { const a = Math.exp(-gamma * t); return [[[1, 0], [0, a]], [[0, 0], [0, (1 - a * a) * T / m]]]; };
  if (integrator === 'baoab') return compose([B(h / 2), A(h / 2), O(h), A(h / 2), B(h / 2)]);
  if (integrator === 'obabo') return compose([O(h / 2), B(h / 2), A(h), B(h / 2), O(h / 2)]);
  // Symplectic Euler: v⁺ = (1 − γh)v − (hk/m)x + √(2γhT/m)ξ, then A(h) with the new v.
  if (integrator === 'symplectic') return compose([[[[1, 0], [-h * k / m, 1 - gamma * h]], [[0, 0], [0, 2 * gamma * h * T / m]]], A(h)]);
  return compose([[[[1, h], [-h * k / m, 1 - gamma * h]], [[0, 0], [0, 2 * gamma * h * T / m]]]]);
}

const P = 20000, STEPS = 300, d = 3;
const harmonic = (k: number) => L.quadratic({ A: [[k, 0, 0], [0, k, 0], [0, 0, k]] });
const base = (k: number, optimizer: descent.samplers.Sampler, seed: number) => ({
  landscape: harmonic(k), optimizer, init: I.point({ x: [0, 0, 0] }), particles: P, steps: STEPS, seed,
});

/** s² = mean x² over all coordinates; assert within the 99% χ² interval of σ². */
function checkVariance(x: Float64Array, sigma2: number, what: string): void {
  const n = x.length;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += x[i] * x[i];
  const rel = ss / n / sigma2 - 1, ci = 2.576 * Math.sqrt(2 / n);
  assert.ok(Math.abs(rel) <= ci, `${what}: s² = ${(ss / n).toFixed(5)}, σ² = ${sigma2.toFixed(5)}, relative error ${rel.toFixed(4)} outside ±${ci.toFixed(4)} (99%)`);
}

s('ULA on U = ½|x|²: stationary variance T/(1 − h/2), for two step sizes (not the target T)', async () => {
  for (const [h, T, seed] of [[0.1, 1, 1], [0.5, 0.7, 2]]) {
    // x⁺ = (1 − h)x + √(2hT)ξ ⇒ σ² = 2hT/(1 − (1 − h)²) = T/(1 − h/2); after 300 steps (1 − h)^600 < 1e-27.
    const r = await descent.simulate(base(1, S.ula({ stepSize: h, temperature: T }), seed));
    assert.is(r.x.length, P * d);
    checkVariance(r.x, T / (1 - h / 2), `ULA h = ${h}`);
    // The bias is resolved: T itself is outside the interval (5% and 33% away).
    let ss = 0; for (const v of r.x) ss += v * v;
    assert.ok(Math.abs(ss / r.x.length / T - 1) > 2.576 * Math.sqrt(2 / r.x.length), `ULA h = ${h} indistinguishable from T`);
  }
});

s('BAOAB on a harmonic potential samples the exact position variance T/k at a large stable h', async () => {
  const h = 0.8, gamma = 1, m = 1, k = 2, T = 0.7; // stable: h²k/m = 1.28 < 4
  const step = underdampedStep('baoab', h, gamma, m, k, T);
  const exact = lyapunov(step)[0][0];
  assert.ok(Math.abs(exact - T / k) < 1e-12, `Lyapunov solution ${exact} ≠ T/k`); // the known BAOAB property
  assert.ok(Math.abs(afterSteps(step, STEPS)[0][0] / exact - 1) < 1e-6);
  const r = await descent.simulate(base(k, S.underdamped({ stepSize: h, friction: gamma, mass: m, temperature: T, integrator: 'baoab' }), 3));
  checkVariance(r.x, T / k, 'BAOAB');
});

s('OBABO, Euler–Maruyama and symplectic Euler match their closed-form discrete stationary variances (biased, resolved)', async () => {
  const cases: [string, number, number, number][] = [
    ['obabo', 0.8, 1, 4], ['euler', 0.1, 1, 5], ['obabo', 0.5, 2, 6], ['symplectic', 0.4, 1, 21],
  ];
  for (const [integrator, h, mass, seed] of cases) {
    const gamma = 1, k = 2, T = 0.7;
    const step = underdampedStep(integrator, h, gamma, mass, k, T);
    const exact = lyapunov(step)[0][0];
    assert.ok(Math.abs(afterSteps(step, STEPS)[0][0] / exact - 1) < 1e-6, `${integrator}: not stationary after ${STEPS} steps`);
    const r = await descent.simulate(base(k, S.underdamped({ stepSize: h, friction: gamma, mass, temperature: T, integrator: integrator as 'obabo' }), seed));
    checkVariance(r.x, exact, `${integrator} h = ${h} m = ${mass} (exact ${exact.toFixed(5)}, T/k = ${T / k})`);
    // The scheme's bias is resolved by the interval: T/k is excluded.
    assert.ok(Math.abs(exact / (T / k) - 1) > 3 * 2.576 * Math.sqrt(2 / (P * d)), `${integrator}: bias too small to test`);
  }
});

/**
 * The second moments E x², E v², E xv of every coordinate of P particles against Σ (all means
 * 0): for a centred Gaussian pair the estimators' variances are Σ_xx²·2/n, Σ_vv²·2/n and
 * (Σ_xxΣ_vv + Σ_xv²)/n; each within its 99.9% interval (z = 3.29).
 */
function checkMoments(x: Float64Array, v: Float64Array, S2: M2, what: string): void {
  const n = x.length;
  let xx = 0, vv = 0, xv = 0;
  for (let i = 0; i < n; i++) { xx += x[i] * x[i]; vv += v[i] * v[i]; xv += x[i] * v[i]; }
  const z = 3.29;
  const rows: [string, number, number, number][] = [
    ['E x²', xx / n, S2[0][0], S2[0][0] * Math.sqrt(2 / n)], ['E v²', vv / n, S2[1][1], S2[1][1] * Math.sqrt(2 / n)],
    ['E xv', xv / n, S2[0][1], Math.sqrt((S2[0][0] * S2[1][1] + S2[0][1] ** 2) / n)],
  ];
  for (const [name, got, exact, sd] of rows)
    assert.ok(Math.abs(got - exact) <= z * sd,
      `${what} ${name}: ${got.toFixed(5)} vs exact ${exact.toFixed(5)} (±${(z * sd).toFixed(5)}, 99.9%)`);
}

s('final velocities: each integrator\'s (x_T, v_T) has its textbook scheme\'s exact covariance, after 3 steps and stationary', async () => {
  const gamma = 0.7, k = 2, T = 0.7, m = 1.5;
  for (const [i, integrator] of (['baoab', 'obabo', 'euler', 'symplectic'] as const).entries()) {
    const h = integrator === 'euler' ? 0.1 : 0.5, step = underdampedStep(integrator, h, gamma, m, k, T);
    // After 3 steps from x = v = 0 (far from stationary: a closing half-step left out or applied twice shows in E v², E xv).
    const sampler = S.underdamped({ stepSize: h, friction: gamma, mass: m, temperature: T, integrator });
    const early = await descent.simulate({ ...base(k, sampler, 30 + i), steps: 3 });
    assert.is(early.v!.length, P * d);
    checkMoments(early.x, early.v!, afterSteps(step, 3), `${integrator} t = 3`);
    const late = await descent.simulate(base(k, sampler, 40 + i));
    const exact = lyapunov(step);
    assert.ok(Math.abs(afterSteps(step, STEPS)[1][1] / exact[1][1] - 1) < 1e-6, `${integrator}: not stationary`);
    checkMoments(late.x, late.v!, exact, `${integrator} stationary`);
  }
  // Samplers without a velocity return none.
  const r = await descent.simulate({ ...base(1, S.ula({ stepSize: 0.1 }), 1), steps: 2, particles: 10 });
  assert.is(r.v, undefined);
});

const small = (optimizer: descent.samplers.Sampler) => ({
  landscape: L.doubleWell({ tilt: 0.1 }), optimizer, init: I.normal({ mean: [0], std: 0.5 }), particles: 301, steps: 100, seed: 11,
  record: { every: 9, trajectories: 2 },
});
const all = [
  S.ula({ stepSize: 0.05, temperature: 0.3 }), ...(['baoab', 'obabo', 'euler'] as const).map((integrator) => S.underdamped({ stepSize: 0.1, friction: 0.5, mass: 2, temperature: 0.3, integrator })),
  S.mala({ stepSize: 0.3, temperature: 0.3 }), S.sgld({ stepSize: descent.schedules.inverseTime({ lr: 0.05, gamma: 0.1, power: 0.55 }), temperature: 0.3 }),
];

s('determinism: the same bits for any chunk size; distinct streams per sampler', async () => {
  const hashes: string[] = [];
  for (const opt of all) {
    const a = await descent.simulate(small(opt)), b = await descent.simulate(small(opt), { chunkSize: 7 }), c = await descent.simulate(small(opt), { chunkSize: 1 });
    assert.is(b.hash, a.hash, `${opt.kind} chunk 7`);
    assert.is(c.hash, a.hash, `${opt.kind} chunk 1`);
    assert.is((await descent.simulate(small(opt), { workers: 2 })).hash, a.hash, `${opt.kind} workers 2`);
    hashes.push(a.hash);
  }
  assert.is(new Set(hashes).size, hashes.length);
  console.log(`DETERMINISM samplers ${hashes.join(' ')}`);
});

s('particles are independent of their neighbours and of the particle count', async () => {
  const opt = S.underdamped({ stepSize: 0.1, friction: 0.5, integrator: 'obabo' });
  const a = await descent.simulate({ ...small(opt), particles: 70, record: undefined }), b = await descent.simulate({ ...small(opt), particles: 200, record: undefined });
  assert.equal(Array.from(a.x), Array.from(b.x.subarray(0, 70)));
});

s('configs are frozen JSON and round-trip; bad configs throw DescentError with the path', async () => {
  for (const o of all) assert.equal(S.fromJSON(JSON.parse(JSON.stringify(o))), o);
  assert.equal(S.ula({ stepSize: 0.1 }).params, { stepSize: 0.1, temperature: 1 });
  assert.equal(S.underdamped({ stepSize: 0.1, friction: 1 }).params, { stepSize: 0.1, friction: 1, mass: 1, temperature: 1, integrator: 'baoab' });
  throwsDescent(() => S.ula({ stepSize: 0 }), 'E_CONFIG', 'samplers.ula.stepSize');
  throwsDescent(() => S.ula({ stepSize: -1 }), 'E_CONFIG', 'samplers.ula.stepSize');
  throwsDescent(() => S.ula({ stepSize: NaN }), 'E_CONFIG', 'samplers.ula.stepSize');
  throwsDescent(() => S.ula({ stepSize: 0.1, temperature: 0 }), 'E_CONFIG', 'samplers.ula.temperature');
  throwsDescent(() => S.ula({ stepSize: 0.1, lr: 1 } as never), 'E_CONFIG');
  throwsDescent(() => S.underdamped({ stepSize: -0.1, friction: 1 }), 'E_CONFIG', 'samplers.underdamped.stepSize');
  throwsDescent(() => S.underdamped({ stepSize: 0.1 } as never), 'E_CONFIG', 'samplers.underdamped.friction');
  throwsDescent(() => S.underdamped({ stepSize: 0.1, friction: 0 }), 'E_CONFIG', 'samplers.underdamped.friction');
  throwsDescent(() => S.underdamped({ stepSize: 0.1, friction: -2 }), 'E_CONFIG', 'samplers.underdamped.friction');
  throwsDescent(() => S.underdamped({ stepSize: 0.1, friction: 1, mass: 0 }), 'E_CONFIG', 'samplers.underdamped.mass');
  throwsDescent(() => S.underdamped({ stepSize: 0.1, friction: 1, temperature: -1 }), 'E_CONFIG', 'samplers.underdamped.temperature');
  throwsDescent(() => S.underdamped({ stepSize: 0.1, friction: 1, integrator: 'leapfrog' as never }), 'E_CONFIG', 'samplers.underdamped.integrator');
  throwsDescent(() => S.fromJSON({ kind: 'hmc' }), 'E_CONFIG', 'sampler.kind');
  // minimize() runs optimisers only.
  let threw = false;
  try { await descent.minimize(L.quadratic({ A: [[1]] }), S.ula({ stepSize: 0.1 }) as never, [0], { steps: 2 }); } catch (e) { threw = (e as { name?: string }).name === 'DescentError'; }
  assert.ok(threw, 'minimize accepted a sampler');
});

s('divergence is data: an unstable step size marks particles diverged, no exception', async () => {
  // ULA on U = ½x² with h = 2.5: x⁺ = −1.5x + noise grows geometrically.
  const r = await descent.simulate({ landscape: L.quadratic({ A: [[1]] }), optimizer: S.ula({ stepSize: 2.5 }), init: I.point({ x: [1] }), particles: 64, steps: 2000, seed: 1, divergenceBound: 1e6 });
  assert.is(r.counts.diverged, 64);
  assert.ok(Array.from(r.divergedAt).every((t) => t > 0 && t < 2000), 'every particle diverged, at a step');
});

s.run();
