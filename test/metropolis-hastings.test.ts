// samplers.metropolisHastings against exact values.
// 1. Acceptance rate of a known case: random-walk MH on the 1-d Gaussian target N(0, T)
//    (U = x²/2) with proposal y = x + sξ accepts at stationarity with probability
//    E min(1, π(y)/π(x)) = (2/π)·arctan(2√T/s) (checked against a SciPy dblquad to 1e-9 for
//    s = 0.5, 1, 2.4, 5 at T = 1). The chains start at the target (inits.normal), so every step
//    is stationary; each particle's rate accepted/T is i.i.d. across particles: the mean rate is
//    compared at its empirical standard error, 99.9% interval (z = 3.29).
// 2. Stationary moments on a correlated 2-d Gaussian U = ½xᵀAx at T = 0.7 (Σ = T·A⁻¹), from a
//    point far from the mode, after enough steps for the start to be forgotten (geometric
//    ergodicity; ρ^T < 1e-30 for these chains): E x = 0 at standard error √(Σ_jj/P) and
//    E x_i x_j = Σ_ij at √((Σ_ii Σ_jj + Σ_ij²)/P) (Gaussian fourth moments), 99.9% intervals, for
//    the random-walk and the independence proposal.
// 3. An independence proposal equal to the target accepts every proposal (log α = 0).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { throwsDescent } from './util.ts';

const s = suite('metropolis-hastings');
s.before(() => descent.init());
const L = descent.landscapes,
  S = descent.samplers,
  I = descent.inits,
  D = descent.diagnostics;
const Z = 3.29;

s('random-walk acceptance rate at stationarity is (2/π)·arctan(2√T/s) on a Gaussian target', async () => {
  const P = 20_000,
    T = 40;
  for (const [scale, temperature, seed] of [
    [1, 1, 1],
    [2.4, 1, 2],
    [0.8, 0.5, 3],
  ]) {
    const r = await descent.simulate({
      landscape: L.quadratic({ A: [[1]] }),
      optimizer: S.metropolisHastings({ scale, temperature }),
      init: I.normal({ mean: [0], std: Math.sqrt(temperature) }),
      particles: P,
      steps: T,
      seed,
    });
    const exact = (2 / Math.PI) * Math.atan((2 * Math.sqrt(temperature)) / scale);
    let m = 0,
      m2 = 0;
    for (const a of r.accepted!) {
      m += a / T;
      m2 += (a / T) ** 2;
    }
    m /= P;
    const se = Math.sqrt((m2 / P - m * m) / P);
    assert.ok(Math.abs(m - exact) <= Z * se, `s = ${scale}, T = ${temperature}: rate ${m} vs ${exact} (±${(Z * se).toFixed(4)})`);
    close2(D.acceptanceRate(r).rate, m, 'diagnostics.acceptanceRate');
    assert.is(r.acceptance!.proposals, P * T);
  }
});

function close2(a: number, b: number, what: string): void {
  assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);
}

s('stationary moments of a correlated Gaussian (random walk and independence proposals, far start)', async () => {
  const A = [
      [2, 0.8],
      [0.8, 1],
    ],
    T = 0.7,
    det = A[0][0] * A[1][1] - A[0][1] ** 2;
  const Sig = [
    [(T * A[1][1]) / det, (-T * A[0][1]) / det],
    [(-T * A[1][0]) / det, (T * A[0][0]) / det],
  ];
  const P = 20_000;
  const cases: [string, descent.samplers.Sampler, number, number][] = [
    ['random walk', S.metropolisHastings({ scale: 0.9, temperature: T }), 1500, 4],
    ['independence', S.metropolisHastings({ proposal: 'independence', mean: [0.3, -0.2], scale: 1.5, temperature: T }), 400, 5],
  ];
  for (const [what, optimizer, steps, seed] of cases) {
    const r = await descent.simulate({
      landscape: L.quadratic({ A }),
      optimizer,
      init: I.point({ x: [3, -2] }),
      particles: P,
      steps,
      seed,
    });
    assert.is(r.counts.diverged, 0);
    for (let i = 0; i < 2; i++) {
      let m = 0;
      for (let p = 0; p < P; p++) m += r.x[2 * p + i];
      m /= P;
      assert.ok(Math.abs(m) <= Z * Math.sqrt(Sig[i][i] / P), `${what}: mean[${i}] = ${m}`);
      for (let j = i; j < 2; j++) {
        let c = 0;
        for (let p = 0; p < P; p++) c += r.x[2 * p + i] * r.x[2 * p + j];
        c /= P;
        const se = Math.sqrt((Sig[i][i] * Sig[j][j] + Sig[i][j] ** 2) / P);
        assert.ok(Math.abs(c - Sig[i][j]) <= Z * se, `${what}: E x${i}x${j} = ${c} vs Σ = ${Sig[i][j]} (±${(Z * se).toFixed(4)})`);
      }
    }
    const rate = D.acceptanceRate(r).rate;
    assert.ok(rate > 0.2 && rate < 0.95, `${what}: acceptance ${rate}`);
  }
});

s('an independence proposal equal to the target accepts every proposal', async () => {
  const r = await descent.simulate({
    landscape: L.quadratic({
      A: [
        [1, 0],
        [0, 1],
      ],
    }),
    optimizer: S.metropolisHastings({ proposal: 'independence', mean: [0, 0], scale: 1 }),
    init: I.point({ x: [5, 5] }),
    particles: 100,
    steps: 20,
    seed: 6,
  });
  assert.ok(r.accepted!.every((a) => a === 20));
});

s('determinism: chunk sizes, workers and shards give the same bits', async () => {
  const hashes: string[] = [];
  for (const optimizer of [
    S.metropolisHastings({ scale: 0.5 }),
    S.metropolisHastings({ proposal: 'independence', mean: [0.5], scale: 2 }),
  ]) {
    const cfg = {
      landscape: L.doubleWell({ tilt: 0.1 }),
      optimizer,
      init: I.normal({ mean: [0], std: 1 }),
      particles: 301,
      steps: 60,
      seed: 8,
      record: { every: 9, trajectories: 2 },
    };
    const a = await descent.simulate(cfg);
    assert.is((await descent.simulate(cfg, { chunkSize: 7 })).hash, a.hash);
    assert.is((await descent.simulate(cfg, { workers: 2 })).hash, a.hash);
    const shards = [];
    for (let index = 0; index < 3; index++) shards.push(await descent.simulate(cfg, { shard: { index, count: 3 } }));
    assert.is((await descent.merge(shards)).hash, (await descent.simulate(cfg, { keepParticles: false })).hash);
    hashes.push(a.hash);
  }
  console.log(`DETERMINISM metropolis-hastings ${hashes.join(' ')}`);
});

s('bad configs name their path', async () => {
  const MH = S.metropolisHastings;
  throwsDescent(() => MH({} as never), 'E_CONFIG', 'samplers.metropolisHastings.scale');
  throwsDescent(() => MH({ scale: -1 }), 'E_CONFIG', 'samplers.metropolisHastings.scale');
  throwsDescent(() => MH({ scale: 1, proposal: 'gibbs' as never }), 'E_CONFIG', 'samplers.metropolisHastings.proposal');
  throwsDescent(() => MH({ scale: 1, proposal: 'independence' }), 'E_CONFIG', 'samplers.metropolisHastings.mean');
  throwsDescent(() => MH({ scale: 1, mean: [0] }), 'E_CONFIG', 'samplers.metropolisHastings.mean');
  throwsDescent(() => MH({ scale: 1, temperature: 0 }), 'E_CONFIG', 'samplers.metropolisHastings.temperature');
  const base = {
    landscape: L.quadratic({
      A: [
        [1, 0],
        [0, 1],
      ],
    }),
    init: I.point({ x: [0, 0] }),
    particles: 4,
    steps: 2,
    seed: 1,
  };
  let path = '';
  try {
    await descent.simulate({ ...base, optimizer: MH({ scale: 1, proposal: 'independence', mean: [0] }) });
  } catch (e) {
    path = (e as descent.DescentError).path ?? '';
  }
  assert.is(path, 'simulate.optimizer.params.mean');
  try {
    await descent.simulate({ ...base, optimizer: MH({ scale: 1 }), noise: descent.noise.gaussian({ sigma: 1 }) });
  } catch (e) {
    path = (e as descent.DescentError).path ?? '';
  }
  assert.is(path, 'simulate.noise');
  assert.equal(S.fromJSON(JSON.parse(JSON.stringify(MH({ scale: 2, proposal: 'independence', mean: [1, 2] })))).params, {
    proposal: 'independence',
    scale: 2,
    mean: [1, 2],
    temperature: 1,
  });
});

s.run();
