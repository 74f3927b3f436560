// Rates given as schedules (an optimiser's lr, a sampler's stepSize, a noise model's anneal, the
// inner lr of localSGD): the factories take schedules made by schedules.* — so that a factory
// does not carry every schedule factory into a bundle (issue 21) — and refuse a JSON schedule
// with an E_CONFIG that says how to rebuild it; the namespaces' fromJSON (and configFromJSON)
// rebuild JSON rates first, giving the same component and the same run as the factories.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { throwsDescent } from './util.ts';

const { optimizers: O, samplers: S, noise: N, schedules: Sc } = descent;
const s = suite('JSON rates');
s.before(() => descent.init());

const cosine = { lr: 0.05, steps: 40, minLr: 0.001, warmup: 3 };
const json = () => ({ kind: 'cosine', params: { ...cosine } });

s('a factory refuses a JSON schedule, naming the rate and schedules.fromJSON', () => {
  const cases: [() => unknown, string][] = [
    [() => O.sgd({ lr: json() as never }), 'optimizers.sgd.lr'],
    [() => O.adam({ lr: { type: 'schedule', ...json() } as never }), 'optimizers.adam.lr'],
    [() => S.ula({ stepSize: json() as never }), 'samplers.ula.stepSize'],
    [() => N.gaussian({ sigma: 0.1, anneal: json() as never }), 'noise.gaussian.anneal'],
  ];
  for (const [make, path] of cases) {
    throwsDescent(make, 'E_CONFIG', path);
    try {
      make();
    } catch (e) {
      assert.match((e as Error).message, path.startsWith('noise') ? /schedules\.\*/ : /schedules\.fromJSON/);
    }
  }
  // An unfrozen copy of a schedule is JSON too: the factory cannot know it was validated.
  throwsDescent(() => O.sgd({ lr: JSON.parse(JSON.stringify(Sc.cosine(cosine))) }), 'E_CONFIG', 'optimizers.sgd.lr');
  // Numbers and factory-made schedules are taken as before.
  assert.is(O.sgd({ lr: 0.1 }).params.lr, 0.1);
  const schedule = Sc.cosine(cosine);
  assert.is(O.sgd({ lr: schedule }).params.lr, schedule);
});

s("the namespaces' fromJSON rebuild JSON rates: the factories' components, and the same runs", async () => {
  const made = {
    optimizer: O.sgd({ lr: Sc.cosine(cosine), momentum: 0.5 }),
    sampler: S.ula({ stepSize: Sc.cosine(cosine), temperature: 0.3 }),
    noise: N.gaussian({ sigma: 0.2, anneal: Sc.cosine(cosine) }),
    local: O.localSGD({ workers: 2, localSteps: 3, inner: O.sgd({ lr: Sc.cosine(cosine) }) }),
  };
  const rebuilt = {
    optimizer: O.fromJSON({ kind: 'sgd', params: { lr: json(), momentum: 0.5 } }),
    sampler: S.fromJSON({ kind: 'ula', params: { stepSize: json(), temperature: 0.3 } }),
    noise: N.fromJSON({ kind: 'gaussian', params: { sigma: 0.2, anneal: json() } }),
    local: O.fromJSON({ kind: 'localSGD', params: { workers: 2, localSteps: 3, inner: { kind: 'sgd', params: { lr: json() } } } }),
  };
  for (const key of Object.keys(made) as (keyof typeof made)[]) {
    assert.equal(JSON.parse(JSON.stringify(rebuilt[key])), JSON.parse(JSON.stringify(made[key])), key);
    assert.ok(Object.isFrozen(rebuilt[key]), key);
  }
  const landscape = descent.landscapes.doubleWell({ dim: 2, tilt: 0.1 });
  const init = descent.inits.normal({ mean: [0, 0], std: 1 });
  const run = (parts: object) => descent.simulate({ landscape, init, particles: 64, steps: 40, seed: 5, ...parts } as descent.SimulateConfig);
  const hash = async (parts: object) => (await run(parts)).hash;
  assert.is(await hash({ optimizer: rebuilt.optimizer, noise: rebuilt.noise }), await hash({ optimizer: made.optimizer, noise: made.noise }));
  assert.is(await hash({ sampler: rebuilt.sampler }), await hash({ sampler: made.sampler }));
  // A schedule changes the run (the control: the rebuilt rate is not dropped).
  assert.is.not(await hash({ sampler: rebuilt.sampler }), await hash({ sampler: S.ula({ stepSize: 0.05, temperature: 0.3 }) }));
  // localSGD on a finite sum: minibatches drawn per worker.
  const sum = descent.landscapes.finiteSum([descent.landscapes.quadratic({ eigenvalues: [1, 2], seed: 1 }), descent.landscapes.quadratic({ eigenvalues: [3, 1], seed: 2 })]);
  const local = (optimizer: object) =>
    descent.simulate({ landscape: sum, init, particles: 32, steps: 20, seed: 2, optimizer, noise: N.minibatch({ batchSize: 1 }) } as descent.SimulateConfig);
  assert.is((await local(rebuilt.local)).hash, (await local(made.local)).hash);
  // configFromJSON goes through the same reviver: a result's own config replays it.
  const first = await run({ optimizer: made.optimizer, noise: made.noise });
  assert.is((await descent.simulate(descent.configFromJSON(JSON.parse(JSON.stringify(first.config))))).hash, first.hash);
});

s.run();
