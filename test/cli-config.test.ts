// The CLI's config files: a result's `config` read back by configFromJSON (every component
// through its fromJSON) reproduces the run bit for bit; bad files fail with the field's path.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { resolveShard } from '../src/cli/shard-env.ts';
import { rejectsDescent, throwsDescent } from './util.ts';

const { configFromJSON } = descent;

const s = suite('CLI config and shard environment');
s.before(() => descent.init());
const L = descent.landscapes, O = descent.optimizers, N = descent.noise, I = descent.inits;

s("a result's config, as JSON text, runs again to the same hash (normal std, covariance, grid, schedules)", async () => {
  const configs = [
    { landscape: L.doubleWell({ tilt: 0.1 }), optimizer: O.sgd({ lr: 0.05, momentum: 0.5 }), noise: N.gaussian({ sigma: 1 }), init: I.normal({ mean: [0], std: 0.3 }), particles: 200, steps: 30, seed: 1, record: { every: 5 } },
    { landscape: L.rosenbrock({ dim: 2 }), optimizer: O.adam({ lr: 0.01 }), noise: N.lossScaled({ sigma: 0.1 }), init: I.normal({ mean: [0, 0], covariance: [[1, 0.5], [0.5, 2]] }), particles: 100, steps: 20, seed: 2, stop: { gradTol: 1e-3 } },
    { landscape: L.himmelblau(), optimizer: O.sgd({ lr: descent.schedules.cosine({ lr: 0.01, steps: 20 }) }), init: I.grid({ low: [-2, -2], high: [2, 2], counts: [5, 4] }), steps: 20, seed: 3 },
  ];
  for (const c of configs) {
    const r = await descent.simulate(c as descent.SimulateConfig);
    const again = await descent.simulate(configFromJSON(JSON.parse(JSON.stringify(r.config))));
    assert.is(again.hash, r.hash, JSON.stringify(r.config).slice(0, 120));
  }
});

/** The JSON with every `type` field left out: `{ kind, params }` must be enough everywhere. */
function untyped(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(untyped);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'type').map(([k, x]) => [k, untyped(x)]));
}

s("simulate replays a run from its own JSON config (with or without type fields) to the same hash", async () => {
  const configs = [
    { landscape: L.doubleWell({ tilt: 0.1 }), optimizer: O.sgd({ lr: descent.schedules.cosine({ lr: 0.05, steps: 30 }), momentum: 0.5 }), noise: N.gaussian({ sigma: 1, anneal: descent.schedules.exponential({ lr: 1, gamma: 0.99 }) }), init: I.normal({ mean: [0], std: 0.3 }), particles: 200, steps: 30, seed: 1, record: { every: 5 } },
    { landscape: L.shift(L.rosenbrock({ dim: 2 }), [1, 0]), optimizer: descent.samplers.ula({ stepSize: 1e-3 }), init: I.uniform({ low: [-1, -1], high: [1, 1] }), particles: 100, steps: 20, seed: 2 },
    { landscape: L.himmelblau(), optimizer: descent.samplers.svgd({ optimizer: O.adagrad({ lr: 0.1 }) }), init: I.grid({ low: [-2, -2], high: [2, 2], counts: [5, 4] }), steps: 5, seed: 3 },
  ];
  for (const c of configs) {
    const r = await descent.simulate(c as descent.SimulateConfig);
    const json = JSON.parse(JSON.stringify(r)).config;
    assert.is((await descent.simulate(json)).hash, r.hash, `simulate(result JSON config): ${JSON.stringify(json).slice(0, 100)}`);
    assert.is((await descent.simulate(untyped(json) as descent.SimulateConfigJSON)).hash, r.hash, 'without type fields');
    assert.is((await descent.simulate(configFromJSON(untyped(json)))).hash, r.hash, 'configFromJSON without type fields');
  }
  // A part in the wrong slot, or of no kind, still says where.
  const base = JSON.parse(JSON.stringify((await descent.simulate(configs[0] as descent.SimulateConfig)).config));
  await rejectsDescent(descent.simulate({ ...base, noise: { kind: 'sgd', params: { lr: 1 } } }), 'E_CONFIG', /^simulate\.noise/);
  await rejectsDescent(descent.simulate({ ...base, optimizer: { kind: 'sgd', params: { lr: -1 } } }), 'E_CONFIG', /^simulate\.optimizer/);
  await rejectsDescent(descent.simulate({ ...base, landscape: { params: {} } }), 'E_CONFIG', 'simulate.landscape');
});

s('configFromJSON: overrides, and errors with paths', () => {
  const base = { landscape: { kind: 'himmelblau', params: {} }, optimizer: { type: 'optimizer', kind: 'sgd', params: { lr: 0.01 } }, init: { type: 'init', kind: 'point', params: { x: [0, 0] } }, particles: 3, steps: 2, seed: 0 };
  const c = configFromJSON(base, { particles: 7, steps: 9, seed: 4 });
  assert.is(c.particles, 7); assert.is(c.steps, 9); assert.is(c.seed, 4);
  throwsDescent(() => configFromJSON({ ...base, extra: 1 }), 'E_CONFIG', 'extra');
  throwsDescent(() => configFromJSON({ ...base, optimizer: undefined }), 'E_CONFIG', 'optimizer');
  throwsDescent(() => configFromJSON({ ...base, landscape: { kind: 'nope' } }), 'E_CONFIG', 'landscape.kind');
  throwsDescent(() => configFromJSON({ ...base, optimizer: { ...base.optimizer, params: { lr: -1 } } }), 'E_CONFIG', /lr/);
  throwsDescent(() => configFromJSON([1, 2]), 'E_CONFIG');
});

s('--shard: i/n, and auto under Slurm, Kubernetes and AWS Batch', () => {
  assert.equal(resolveShard(undefined, {}), undefined);
  assert.equal({ ...resolveShard('2/5', {})! }, { index: 2, count: 5, source: '--shard 2/5' });
  assert.is(resolveShard('auto', { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_MIN: '4', SLURM_ARRAY_TASK_COUNT: '4' })!.index, 3);
  assert.is(resolveShard('auto', { JOB_COMPLETION_INDEX: '1' }, '3')!.count, 3);
  assert.is(resolveShard('auto', { AWS_BATCH_JOB_ARRAY_INDEX: '9', AWS_BATCH_JOB_ARRAY_SIZE: '10' })!.index, 9);
  throwsDescent(() => resolveShard('auto', { JOB_COMPLETION_INDEX: '1' }), 'E_CONFIG', '--shard-count');
  throwsDescent(() => resolveShard('auto', {}), 'E_CONFIG', '--shard');
  throwsDescent(() => resolveShard('auto', { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4' }), 'E_CONFIG', '--shard');
  throwsDescent(() => resolveShard('auto', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '2', SLURM_ARRAY_TASK_STEP: '2' }), 'E_CONFIG', '--shard');
  throwsDescent(() => resolveShard('3', {}), 'E_CONFIG', '--shard');
  throwsDescent(() => resolveShard('1/0', {}), 'E_CONFIG', '--shard');
});

s.run();
