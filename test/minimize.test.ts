// minimize(): results independent of chunking, cancellation, progress, divergence as data;
// schedules against their closed forms; optimiser configs validated as torch validates them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, throwsDescent } from './util.ts';

const m = suite('minimize, schedules, optimiser configs');
m.before(() => descent.init());
const O = descent.optimizers, S = descent.schedules, L = descent.landscapes;

m('the same bits whatever the chunk size', async () => {
  const f = L.rosenbrock({ dim: 4 });
  for (const opt of [O.adam({ lr: 0.01, amsgrad: true }), O.nadam(), O.nesterovGD({ lr: 1e-4, beta: 'schedule' }), O.rmsprop({ lr: 1e-3, centered: true, momentum: 0.5 })]) {
    const runs = await Promise.all([1, 13, 500].map((chunkSize) => descent.minimize(f, opt, [-1, 1, -1, 1], { steps: 500, chunkSize, trajectory: true })));
    for (const r of runs.slice(1)) {
      assert.is(descent.hashFloat64(r.trajectory!, r.losses), descent.hashFloat64(runs[0].trajectory!, runs[0].losses), opt.kind);
    }
  }
});

m('converges to the known minimum: Newton-free sanity on a quadratic (x* = −A⁻¹b)', async () => {
  const f = L.quadratic({ A: [[2, 0.5], [0.5, 1]], b: [1, -1] });
  const r = await descent.minimize(f, O.sgd({ lr: 0.3, momentum: 0.5 }), [5, 5], { steps: 400 });
  // A⁻¹ = [[1, −0.5], [−0.5, 2]] / 1.75 → x* = −A⁻¹ b = [−(1 + 0.5)/1.75, −(−0.5 − 2)/1.75]
  close(r.x, [-1.5 / 1.75, 2.5 / 1.75], 1e-12, 'minimiser');
});

m('divergence is data: the run stops, divergedAt says when, nothing throws', async () => {
  const r = await descent.minimize(L.rosenbrock(), O.sgd({ lr: 0.1 }), [-1.2, 1], { steps: 1000, trajectory: true });
  assert.ok(r.divergedAt >= 0 && r.divergedAt < 1000);
  assert.is(r.steps, r.divergedAt + 1);
  assert.is(r.losses.length, r.steps);
  assert.ok(Number.isNaN(r.value));
  assert.ok(!Number.isFinite(r.x[0]) || !Number.isFinite(r.x[1]));
});

m('onProgress sees every chunk; an AbortSignal stops within one chunk with E_ABORTED', async () => {
  const seen: number[] = [];
  await descent.minimize(L.himmelblau(), O.adam({ lr: 0.01 }), [0, 0], { steps: 100, chunkSize: 30, onProgress: (p) => seen.push(p.step) });
  assert.equal(seen, [30, 60, 90, 100]);
  const controller = new AbortController();
  let last = 0;
  try {
    await descent.minimize(L.rastrigin({ dim: 50 }), O.sgd({ lr: 1e-3 }), new Float64Array(50).fill(1), {
      steps: 10_000_000, chunkSize: 1000,
      onProgress: ({ step }) => { last = step; if (step >= 5000) controller.abort(); },
      signal: controller.signal,
    });
    assert.unreachable('should have been aborted');
  } catch (e) {
    assert.is((e as descent.DescentError).code, 'E_ABORTED');
    assert.is(last, 5000, 'stopped right after the chunk that saw the abort');
  }
  const pre = new AbortController();
  pre.abort();
  try {
    await descent.minimize(L.himmelblau(), O.adam(), [0, 0], { steps: 10, signal: pre.signal });
    assert.unreachable();
  } catch (e) {
    assert.is((e as descent.DescentError).code, 'E_ABORTED');
  }
});

m('a trajectory too large for the memory limit is E_MEMORY before any step', async () => {
  await descent.init({ memoryLimit: 1 << 20 });
  try {
    await descent.minimize(L.rosenbrock({ dim: 100 }), O.sgd({ lr: 1e-4 }), new Float64Array(100), { steps: 10_000, trajectory: true });
    assert.unreachable();
  } catch (e) {
    assert.is((e as descent.DescentError).code, 'E_MEMORY');
    assert.is((e as descent.DescentError).path, 'minimize.options.steps', (e as Error).message);
  } finally {
    await descent.init({ memoryLimit: 1024 ** 3 });
  }
});

m('schedules equal their closed forms', () => {
  close(S.values(S.step({ lr: 0.1, stepSize: 3, gamma: 0.5 }), 8), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025], 1e-15, 'step');
  close(S.values(S.exponential({ lr: 2, gamma: 0.5 }), 4), [2, 1, 0.5, 0.25], 1e-15, 'exponential');
  close(S.values(S.inverseTime({ lr: 1, gamma: 1, power: 2 }), 3), [1, 0.25, 1 / 9], 1e-15, 'inverse time');
  close(S.values(S.array({ values: [3, 2] }), 4), [3, 2, 2, 2], 0, 'array holds its last value');
  // Cosine with warm-up 2 over 6 steps to minLr 0: warm-up (t+1)/2, then (1 + cos(π(t−2)/4))/2.
  close(S.values(S.cosine({ lr: 1, steps: 6, warmup: 2 }), 7), [0.5, 1, 1, (1 + Math.SQRT1_2) / 2, 0.5, (1 - Math.SQRT1_2) / 2, 0], 1e-15, 'cosine');
  close(S.values(S.constant({ lr: 0.3 }), 2, 1000), [0.3, 0.3], 0, 'constant');
});

m('a schedule drives the optimiser: SGD with lr = schedule equals SGD with the rates applied by hand', async () => {
  const f = L.quadratic({ A: [[1]], b: [0] });
  const r = await descent.minimize(f, O.sgd({ lr: S.array({ values: [0.5, 0.25, 0.125] }) }), [8], { steps: 4, trajectory: true });
  // x ← x − η_t x: 8 → 4 → 3 → 2.625 → 2.296875
  close(r.trajectory!, [4, 3, 2.625, 2.296875], 0, 'iterates');
});

m('one vocabulary: loss is f(x_T), as in every result; value is its deprecated alias', async () => {
  const f = L.rosenbrock();
  const r = await descent.minimize(f, O.sgd({ lr: 1e-3 }), [-1.2, 1], { steps: 10 });
  assert.is(r.loss, f.value(r.x));
  assert.is(r.value, r.loss);
  const diverged = await descent.minimize(f, O.sgd({ lr: 10 }), [-1.2, 1], { steps: 50 });
  assert.ok(diverged.divergedAt >= 0 && Number.isNaN(diverged.loss), 'NaN after divergence');
});

const badOptimizers: [string, () => unknown, string][] = [
  ['sgd without lr', () => O.sgd({} as never), 'optimizers.sgd.lr'],
  ['negative lr', () => O.adam({ lr: -1 }), 'optimizers.adam.lr'],
  ['beta ≥ 1', () => O.adam({ betas: [0.9, 1] }), 'optimizers.adam.betas[1]'],
  ['betas not a pair', () => O.nadam({ betas: [0.9] as never }), 'optimizers.nadam.betas'],
  ['nesterov without momentum (torch rule)', () => O.sgd({ lr: 0.1, nesterov: true }), 'optimizers.sgd.nesterov'],
  ['nesterov with dampening (torch rule)', () => O.sgd({ lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }), 'optimizers.sgd.nesterov'],
  ['negative weight decay', () => O.rmsprop({ weightDecay: -0.1 }), 'optimizers.rmsprop.weightDecay'],
  ['non-boolean flag', () => O.adam({ amsgrad: 1 as never }), 'optimizers.adam.amsgrad'],
  ['unknown option', () => O.adagrad({ lr_decay: 0.1 } as never), 'optimizers.adagrad.lr_decay'],
  ['bad nesterovGD beta', () => O.nesterovGD({ lr: 0.1, beta: 'auto' as never }), 'optimizers.nesterovGD.beta'],
  ['cosine warm-up ≥ steps', () => S.cosine({ lr: 1, steps: 10, warmup: 10 }), 'schedules.cosine.warmup'],
  ['step schedule stepSize 0', () => S.step({ lr: 1, stepSize: 0 }), 'schedules.step.stepSize'],
  ['unknown optimizer kind', () => O.fromJSON({ kind: 'adamax' }), 'optimizer.kind'],
];
for (const [what, call, path] of badOptimizers) m(`E_CONFIG: ${what}`, () => throwsDescent(call, 'E_CONFIG', path));

m('minimize validates its arguments', async () => {
  const f = L.himmelblau();
  const rejects = async (p: Promise<unknown>, code: string, path: string) => {
    try { await p; assert.unreachable(); } catch (e) { assert.is((e as descent.DescentError).code, code); assert.is((e as descent.DescentError).path, path); }
  };
  await rejects(descent.minimize(f, O.adam(), [0], { steps: 10 }), 'E_INPUT', 'minimize: x0');
  await rejects(descent.minimize(f, O.adam(), [0, 0], { steps: 0 }), 'E_CONFIG', 'minimize.options.steps');
  await rejects(descent.minimize(f, { kind: 'adam' } as never, [0, 0], { steps: 1 }), 'E_CONFIG', 'minimize: optimizer');
  await rejects(descent.minimize({} as never, O.adam(), [0, 0], { steps: 1 }), 'E_CONFIG', 'minimize: landscape');
  await rejects(descent.minimize(f, O.adam(), [0, 0], { steps: 1, chunkSize: 0 }), 'E_CONFIG', 'minimize.options.chunkSize');
});

m('optimisers are frozen data and round-trip through JSON', () => {
  const o = O.sgd({ lr: S.cosine({ lr: 0.1, steps: 100, warmup: 10 }), momentum: 0.9, nesterov: true });
  assert.ok(Object.isFrozen(o) && Object.isFrozen(o.params));
  const back = O.fromJSON(JSON.parse(JSON.stringify(o)));
  assert.equal(JSON.parse(JSON.stringify(back)), JSON.parse(JSON.stringify(o)));
});

m.run();
