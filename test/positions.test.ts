// simulate's `positions` option (issue 21, the playground's live drawing): progress reports and
// stream snapshots carry the current positions of the first n particles; they are x_t of the
// run (the report at step T holds the final positions), and asking for them changes no number.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { rejectsDescent } from './util.ts';

const s = suite('live positions');
s.before(() => descent.init());

const config = () => ({
  landscape: descent.landscapes.himmelblau(),
  optimizer: descent.optimizers.sgd({ lr: 0.01 }),
  noise: descent.noise.gaussian({ sigma: 1 }),
  init: descent.inits.normal({ mean: [0, 0], std: 1 }),
  particles: 1000,
  steps: 40,
  seed: 7,
  record: { trajectories: 300 },
});

s('each snapshot holds x_t of the first n particles; the last report at step T is the final state; the hash is unchanged', async () => {
  const plain = await descent.simulate(config());
  const seen: { step: number; x: Float64Array }[] = [];
  let result: descent.EnsembleResult | undefined;
  for await (const snap of descent.stream(config(), { positions: 300, chunkSize: 7 })) {
    if (snap.x) seen.push({ step: snap.step, x: snap.x });
    if (snap.result) result = snap.result as descent.EnsembleResult;
  }
  assert.is(result!.hash, plain.hash, 'positions change no number');
  assert.ok(seen.length >= 2, `${seen.length} snapshots with positions`);
  const T = plain.trajectories!.data;
  for (const { step, x } of seen) {
    assert.is(x.length, 300 * 2);
    // The recorded trajectories hold x_t of the first 300 particles at every step.
    assert.equal(Array.from(x), Array.from(T.subarray(step * 600, (step + 1) * 600)), `x at step ${step}`);
  }
  assert.is(seen[seen.length - 1].step, 40);
  assert.equal(Array.from(seen[seen.length - 1].x), Array.from(plain.x.subarray(0, 600)), 'the final positions');
});

s('a stream snapshot always carries x; onProgress gets x on the reports before a turn and on the last one', async () => {
  const reports: { step: number; x?: Float64Array }[] = [];
  let snapshots = 0;
  for await (const snap of descent.stream(config(), { positions: 10, chunkSize: 1, onProgress: (p) => reports.push({ step: p.step, x: p.x }) })) {
    snapshots++;
    assert.ok(snap.x, `snapshot at step ${snap.step} carries x`);
  }
  assert.ok(snapshots >= 2);
  assert.is(reports.length, 40, 'one report per chunk');
  const last = reports[reports.length - 1];
  assert.is(last.step, 40);
  assert.ok(last.x && last.x.length === 20, 'the last report carries the final positions');
});

s('positions is a count of particles', async () => {
  await rejectsDescent(descent.simulate(config(), { positions: 1001 }), 'E_CONFIG', 'simulate.options.positions');
  await rejectsDescent(descent.simulate(config(), { positions: 1.5 }), 'E_CONFIG', 'simulate.options.positions');
});

s.run();
