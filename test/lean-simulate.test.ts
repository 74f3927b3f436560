// descent/simulate (issue 21: a lean embed): `simulate` without JSON forms, workers and shards, so
// that a bundle of "init + one landscape + sgd + simulate" carries neither every factory, nor the
// worker program, nor the shard machinery (scripts/test-package.mjs measures it). It runs the same
// code: the same hash as descent's simulate, with records, stops and progress; JSON parts,
// workers and shards are refused with an E_CONFIG naming the field and where to find them.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { simulate } from '../src/namespaces/simulate.ts';
import { rejectsDescent } from './util.ts';

const s = suite('descent/simulate');
s.before(() => descent.init());

// Adam with noise on a tilted double well, recorded, with a stopping rule.
const config = (): descent.SimulateConfig => ({
  particles: 300, steps: 60, seed: 11, record: { every: 7, trajectories: 3 }, stop: { gradTol: 1e-6 },
  landscape: descent.landscapes.doubleWell({ dim: 2, tilt: 0.2 }), optimizer: descent.optimizers.adam({ lr: 0.02 }),
  noise: descent.noise.gaussian({ sigma: 0.5 }), init: descent.inits.normal({ mean: [0, 0], std: 1 }),
});

s('the same numbers as descent.simulate: a result and a summary', async () => {
  let reports = 0;
  const lean = await simulate(config(), { chunkSize: 9, onProgress: () => reports++ });
  const full = await descent.simulate(config());
  assert.is(lean.hash, full.hash);
  assert.is(reports, Math.ceil(60 / 9));
  assert.equal(lean.config, full.config);
  const leanSummary = await simulate(config(), { keepParticles: false });
  assert.is(leanSummary.hash, (await descent.simulate(config(), { keepParticles: false })).hash);
});

s('JSON parts are refused with the field and configFromJSON named; configFromJSON makes them runnable', async () => {
  const full = await descent.simulate(config());
  const json = JSON.parse(JSON.stringify(full.config));
  for (const field of ['landscape', 'optimizer', 'noise', 'init'] as const) {
    const mixed = { ...config(), [field]: json[field] };
    await rejectsDescent(simulate(mixed as never), 'E_CONFIG', `simulate.${field}`);
    const namespace = { landscape: 'landscapes', optimizer: 'optimizers', noise: 'noise', init: 'inits' }[field];
    await simulate(mixed as never).catch((e: Error) => assert.ok(e.message.includes(`${namespace}.*`) && e.message.includes('configFromJSON'), e.message));
    // descent's simulate revives them.
    assert.is((await descent.simulate(mixed as never)).hash, full.hash, field);
  }
  assert.is((await simulate(descent.configFromJSON(json))).hash, full.hash);
});

s('workers and shards are refused (descent/simulate runs the whole ensemble in this thread); other bad options as simulate says', async () => {
  await rejectsDescent(simulate(config(), { workers: 2 } as never), 'E_CONFIG', 'simulate.options.workers');
  await simulate(config(), { workers: 2 } as never).catch((e: Error) => assert.match(e.message, /simulate from 'descent'/));
  // Even a malformed shard is refused as a shard: descent/simulate never reads it.
  for (const shard of [{ index: 1, count: 2 }, { index: 5 }, null]) {
    await rejectsDescent(simulate(config(), { shard } as never), 'E_CONFIG', 'simulate.options.shard');
    await simulate(config(), { shard } as never).catch((e: Error) => assert.match(e.message, /simulate from 'descent' for shards/));
  }
  await rejectsDescent(simulate(config(), { chunkSize: 0 }), 'E_CONFIG', 'simulate.options.chunkSize');
  await rejectsDescent(simulate({ ...config(), steps: -1 }), 'E_CONFIG', 'simulate.steps');
});

s.run();
