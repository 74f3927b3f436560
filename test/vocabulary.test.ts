// One vocabulary (issue 21): minimize and simulate name the same things the same way.
// - The numbers a run depends on are its config, the rest options: minimize takes
//   { landscape, optimizer, x0, steps } as simulate takes { landscape, optimizer, init, steps, … }.
// - `trajectories` is a path x₀ … x_T with its start, in both results ({ particles, data }).
// - A sampler goes in a `sampler` field, an optimiser in `optimizer`.
// The old forms (minimize's positional call, its `trajectory` without x₀, a sampler in
// `optimizer`) still run as deprecated aliases, and give the same numbers.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { rejectsDescent, throwsDescent } from './util.ts';

const v = suite('one vocabulary');
v.before(() => descent.init());
const L = descent.landscapes, O = descent.optimizers, S = descent.samplers, I = descent.inits;

v('minimize takes its steps in the config, as simulate does, and gives the old call\'s numbers', async () => {
  const landscape = L.rosenbrock(), optimizer = O.adam({ lr: 0.01 });
  const r = await descent.minimize({ landscape, optimizer, x0: [-1.2, 1], steps: 50 });
  const old = await descent.minimize(landscape, optimizer, [-1.2, 1], { steps: 50 });
  assert.is(r.steps, 50);
  assert.is(descent.hashFloat64(r.x, r.losses), descent.hashFloat64(old.x, old.losses));
  await rejectsDescent(descent.minimize({ landscape, optimizer, x0: [0, 0], steps: 0 }), 'E_CONFIG', 'minimize.steps');
  // steps are config: in the new call's options they are an unknown option, not silently used.
  const stepsInOptions = descent.minimize({ landscape, optimizer, x0: [0, 0], steps: 5 }, { steps: 5 } as never);
  await rejectsDescent(stepsInOptions, 'E_CONFIG', 'minimize.options.steps');
});

v('minimize and simulate trajectories both start at x₀: { particles, data } of (T + 1)·d', async () => {
  const landscape = L.himmelblau(), optimizer = O.sgd({ lr: 0.01 }), x0 = [0.5, -0.25], steps = 20;
  const m = await descent.minimize({ landscape, optimizer, x0, steps, record: { trajectories: true } });
  const init = I.point({ x: x0 });
  const s = await descent.simulate({ landscape, optimizer, init, particles: 1, steps, seed: 1, record: { trajectories: 1 } });
  assert.is(m.trajectories!.particles, 1);
  assert.equal(Array.from(m.trajectories!.data.subarray(0, 2)), x0);
  assert.is(m.trajectories!.data.length, (steps + 1) * 2);
  assert.equal(Array.from(m.trajectories!.data), Array.from(s.trajectories!.data));
  // The deprecated `trajectory` is the same path without x₀.
  assert.equal(Array.from(m.trajectory!), Array.from(m.trajectories!.data.subarray(2)));
  const old = await descent.minimize(landscape, optimizer, x0, { steps, trajectory: true });
  assert.equal(Array.from(old.trajectories!.data), Array.from(m.trajectories!.data));
});

v('minimize replays from its own config, also as JSON', async () => {
  const r = await descent.minimize({ landscape: L.beale(), optimizer: O.nadam({ lr: 0.01 }), x0: [1, 1], steps: 30 });
  const again = await descent.minimize(JSON.parse(JSON.stringify(r.config)));
  assert.is(descent.hashFloat64(again.x, again.losses), descent.hashFloat64(r.x, r.losses));
});

v('a sampler goes in `sampler`: same bits as the deprecated `optimizer` field, and the result config says `sampler`', async () => {
  const base = { landscape: L.quadratic({ A: [[1, 0], [0, 2]] }), init: I.point({ x: [1, 1] }), particles: 64, steps: 30, seed: 3 };
  const sampler = S.ula({ stepSize: 0.05 });
  const r = await descent.simulate({ ...base, sampler });
  const old = await descent.simulate({ ...base, optimizer: sampler });
  assert.is(r.hash, old.hash);
  assert.ok('sampler' in r.config && !('optimizer' in r.config));
  assert.ok('sampler' in old.config && !('optimizer' in old.config), 'the deprecated field is written in the new vocabulary');
  // The result's config replays, through configFromJSON and directly.
  const json = JSON.parse(JSON.stringify(r.config));
  assert.is((await descent.simulate(descent.configFromJSON(json))).hash, r.hash);
  assert.is((await descent.simulate(json)).hash, r.hash);
});

v('`sampler` holds samplers only, and one of optimizer and sampler is given', async () => {
  const base = { landscape: L.himmelblau(), init: I.point({ x: [0, 0] }), particles: 1, steps: 1, seed: 1 };
  const sampler = S.ula({ stepSize: 0.1 }), optimizer = O.sgd({ lr: 0.1 });
  await rejectsDescent(descent.simulate({ ...base, sampler: optimizer as never }), 'E_CONFIG', /^simulate.sampler/);
  await rejectsDescent(descent.simulate({ ...base, sampler, optimizer }), 'E_CONFIG', 'simulate.sampler');
  await rejectsDescent(descent.simulate(base as never), 'E_CONFIG', 'simulate.optimizer');
  const json = { ...base, landscape: { kind: 'himmelblau' }, init: { kind: 'point', params: { x: [0, 0] } } };
  throwsDescent(() => descent.configFromJSON(json), 'E_CONFIG', 'optimizer');
});

v.run();
