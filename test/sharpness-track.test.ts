// Sharpness tracking inside simulate (track.sharpness) and the catapult detector, against closed
// forms. The oracle model is a depth-2 scalar linear net f = w₂w₁x on one example (x, y) = (1, 1)
// with mse loss L = (w₁w₂ − 1)², whose Hessian is [[2w₂², 2(2w₁w₂ − 1)], [2(2w₁w₂ − 1), 2w₁²]]:
// its top eigenvalue at each recorded point of the trajectory is computed here in closed form
// (trace/2 + √((Δ/2)² + off²)). On its minimum manifold w₁w₂ = 1 the sharpness is 2(w₁² + w₂²),
// and GD with 2/λ < η < 4/λ catapults (Lewkowycz et al. 2020): from (3, 0.3), λ ≈ 18.1 and
// η = 0.15 (2/η ≈ 13.3) the loss spikes by ~400× and the run settles where λ < 2/η, while
// η = 0.05 (2/η = 40) converges monotonically at λ ≈ 18.3.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close } from './util.ts';

const s = suite('sharpness track');
s.before(() => descent.init());
const I = descent.inits;
const net = () => descent.models.deepLinear({ widths: [1, 1, 1], data: descent.data.from({ X: [[1]], y: [1] }) });

function lambdaMax(a: number, b: number): number {
  const h11 = 2 * b * b, h22 = 2 * a * a, h12 = 2 * (2 * a * b - 1);
  return (h11 + h22) / 2 + Math.sqrt(((h11 - h22) / 2) ** 2 + h12 * h12);
}

const run = (lr: number, extra: Partial<descent.SimulateConfig> = {}) => descent.simulate({
  landscape: net(), optimizer: descent.optimizers.sgd({ lr }), init: I.point({ x: [3, 0.3] }), particles: 1, steps: 60, seed: 1,
  track: { sharpness: { every: 1 } }, record: { trajectories: 1 }, ...extra,
});

s('tracked λmax and loss equal the closed forms at every recorded point of the trajectory', async () => {
  const r = await run(0.15);
  const sh = r.sharpness!, traj = r.trajectories!.data;
  assert.is(sh.steps.length, 60);
  for (let t = 0; t < 60; t++) {
    const a = traj[2 * t], b = traj[2 * t + 1];
    close(sh.eigenvalues[t], lambdaMax(a, b), 1e-10, `λmax at step ${t}`);
    close(sh.loss[t], (a * b - 1) ** 2, 1e-12, `loss at step ${t}`, 1e-300);
    assert.is(sh.status[t], 0, `Lanczos converged at step ${t}`);
  }
});

s('top-k of a quadratic: its eigenvalues, descending, at every row and particle; residuals tiny', async () => {
  const eig = [9, 5, 2, 1, 0.5, 0.25];
  const r = await descent.simulate({
    landscape: descent.landscapes.quadratic({ eigenvalues: eig, seed: 4 }), optimizer: descent.optimizers.adam({ lr: 0.01 }),
    init: I.normal({ mean: new Array(6).fill(1), std: 1 }), particles: 50, steps: 20, seed: 2,
    track: { sharpness: { every: 5, particles: 3, k: 3, ncv: 5 } },
  });
  const sh = r.sharpness!;
  assert.equal(Array.from(sh.steps), [0, 5, 10, 15]);
  for (let i = 0; i < 4 * 3; i++) {
    close(sh.eigenvalues.subarray(3 * i, 3 * i + 3), [9, 5, 2], 1e-9, `row/particle ${i}`);
    assert.is(sh.values, sh.eigenvalues, 'values: the deprecated name of the same array');
    for (const res of sh.residuals.subarray(3 * i, 3 * i + 3)) assert.ok(res <= 1e-7 * 9, `residual ${res}`);
  }
});

s('catapult: detected for 2/λ < η < 4/λ (loss spike, then λ below 2/η); none for a small η', async () => {
  const big = await run(0.15);
  const eps = descent.catapults(big);
  assert.is(eps.length, 1);
  const e = eps[0];
  assert.ok(e.sharpnessStart > 2 / 0.15 && e.sharpnessEnd < 2 / 0.15 && e.lossPeak > 100 * e.lossStart, JSON.stringify(e));
  assert.ok(e.start < e.peak && e.peak < e.end);
  // Where it settled: on the manifold w₁w₂ = 1 with sharpness 2(w₁² + w₂²) < 2/η (closed form at the final point).
  const [a, b] = [big.x[0], big.x[1]];
  assert.ok(Math.abs(a * b - 1) < 1e-9 && 2 * (a * a + b * b) < 2 / 0.15, `final (${a}, ${b})`);
  assert.is(descent.catapults(await run(0.05)).length, 0);
  // Same run seen with a smaller threshold η (a larger 2/η): never unstable, no episode.
  assert.is(descent.catapults(big, { lr: 0.01 }).length, 0);
});

s('determinism: chunks, workers and shards give the same track and hash; stopped particles read NaN', async () => {
  const cfg: descent.SimulateConfig = {
    landscape: descent.landscapes.rosenbrock({ dim: 4 }), optimizer: descent.optimizers.sgd({ lr: 1e-3, momentum: 0.9 }),
    noise: descent.noise.gaussian({ sigma: 0.5 }), init: I.normal({ mean: [0, 0, 0, 0], std: 0.5 }), particles: 150, steps: 40, seed: 8,
    track: { sharpness: { every: 7, particles: 70, k: 2 } }, stop: { regions: [{ center: [0, 0, 0, 0], radius: 0.35 }] },
  };
  const a = await descent.simulate(cfg), b = await descent.simulate(cfg, { chunkSize: 3 }), c = await descent.simulate(cfg, { workers: 2 });
  assert.is(b.hash, a.hash);
  assert.is(c.hash, a.hash);
  assert.equal(Array.from(c.sharpness!.values), Array.from(a.sharpness!.values));
  const shards = await Promise.all([0, 1, 2].map((index) => descent.simulate(cfg, { shard: { index, count: 3 } })));
  const merged = await descent.merge(shards.map((x) => descent.load(descent.save(x))));
  assert.is(merged.hash, a.hash);
  const sh = a.sharpness!;
  let stoppedRows = 0;
  for (let p = 0; p < 70; p++) {
    if (a.stoppedAt[p] < 0) continue;
    for (let r = 0; r < sh.steps.length; r++) {
      if (sh.steps[r] < a.stoppedAt[p]) continue;
      stoppedRows++;
      assert.ok(Number.isNaN(sh.values[(r * 70 + p) * 2]) && sh.status[r * 70 + p] === -1);
    }
  }
  assert.ok(stoppedRows > 0, 'some tracked particle stopped');
  console.log(`DETERMINISM sharpness-track ${a.hash}`);
});

s('bad input: k ≥ d, every out of range, more tracked particles than particles, ncv ≤ k, no track for catapults', async () => {
  const base = { landscape: descent.landscapes.rosenbrock({ dim: 3 }), optimizer: descent.optimizers.sgd({ lr: 1e-3 }), init: I.point({ x: [0, 0, 0] }), particles: 4, steps: 10, seed: 1 };
  for (const [sharpness, path] of [
    [{ every: 1, k: 3 }, 'simulate.track.sharpness.k'], [{ every: 0 }, 'simulate.track.sharpness.every'], [{ every: 11 }, 'simulate.track.sharpness.every'],
    [{ every: 1, particles: 5 }, 'simulate.track.sharpness.particles'], [{ every: 1, k: 2, ncv: 2 }, 'simulate.track.sharpness.ncv'],
    [{ every: 1, lanczos: 3 }, 'simulate.track.sharpness'],
  ] as const) {
    let err: unknown;
    try { await descent.simulate({ ...base, track: { sharpness: sharpness as never } }); } catch (e) { err = e; }
    assert.is((err as descent.DescentError)?.code, 'E_CONFIG', JSON.stringify(sharpness));
    assert.ok(String((err as descent.DescentError).path).startsWith(path), `${(err as descent.DescentError).path} vs ${path}`);
  }
  let err: unknown;
  try { descent.catapults(await descent.simulate(base)); } catch (e) { err = e; }
  assert.is((err as descent.DescentError)?.code, 'E_INPUT');
});

s.run();
