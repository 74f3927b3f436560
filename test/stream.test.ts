// descent.stream and the progress reports it carries: snapshots in step order with elapsed time,
// an ETA and the latest record row's loss statistics (checked against the result's own record
// row), the result on the last snapshot (the same bits as simulate), errors thrown from the
// iterator, and leaving the loop early aborting the run.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';

const s = suite('stream and progress');
s.before(() => descent.init());

const config = (steps = 60): descent.SimulateConfig => ({
  landscape: descent.landscapes.rosenbrock(), optimizer: descent.optimizers.sgd({ lr: 1e-3 }), noise: descent.noise.gaussian({ sigma: 0.3 }),
  init: descent.inits.normal({ mean: [-1, 1], std: 0.3 }), particles: 500, steps, seed: 3, record: { every: 7 },
});

s('snapshots come in step order and the last carries the result simulate gives', async () => {
  const snaps: descent.Snapshot[] = [];
  for await (const snap of descent.stream(config(), { chunkSize: 5 })) snaps.push(snap);
  assert.ok(snaps.length >= 2, `${snaps.length} snapshots`);
  for (let k = 1; k < snaps.length; k++) assert.ok(snaps[k].step >= snaps[k - 1].step, 'steps never go back');
  const last = snaps[snaps.length - 1];
  assert.is(last.step, 60);
  assert.ok(last.result !== undefined && snaps.slice(0, -1).every((x) => x.result === undefined), 'only the last snapshot has the result');
  const direct = await descent.simulate(config()) as descent.EnsembleResult;
  assert.is(last.result!.hash, direct.hash);
  for (const x of snaps) {
    assert.ok(x.elapsedMs >= 0 && (x.etaMs === undefined || x.etaMs >= 0), 'elapsed and ETA are times');
  }
  assert.is(last.etaMs, 0, 'nothing left at the end');
});

s('progress.latest is the last record row reached, with the loss statistics the result reports for it', async () => {
  // In one thread a row arrives as one piece; with two workers as two, whose partials are merged.
  for (const workers of [undefined, 2]) {
    const reports: descent.Progress[] = [];
    const r = await descent.simulate(config(), { chunkSize: 10, workers, onProgress: (p) => reports.push(p) }) as descent.EnsembleResult;
    const rec = r.record!;
    // Chunks end at t = 10, 20, …: the last record row reached by step t is ⌊(t − 1)/7⌋·7.
    for (const p of reports) {
      const expected = Math.floor((p.step - 1) / 7) * 7;
      assert.is(p.latest?.step, expected, `latest row after step ${p.step}`);
      const row = expected / 7;
      assert.is(p.latest!.count, rec.count[row]);
      assert.ok(Math.abs(p.latest!.mean - rec.lossMean[row]) <= 1e-12 * Math.abs(rec.lossMean[row]), `mean at row ${row}, workers ${workers}`);
      assert.is(p.latest!.min, rec.lossMin[row]);
      assert.is(p.latest!.max, rec.lossMax[row]);
    }
  }
  // Without records there is nothing to report.
  const plain: descent.Progress[] = [];
  await descent.simulate({ ...config(), record: undefined }, { chunkSize: 10, onProgress: (p) => plain.push(p) });
  assert.ok(plain.length > 0 && plain.every((p) => p.latest === undefined));
});

s('a bad config is thrown from the iterator; leaving the loop early aborts the run', async () => {
  try {
    for await (const _ of descent.stream({ ...config(), steps: -1 })) assert.unreachable('no snapshot of an invalid run');
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.instance(e, descent.DescentError);
    assert.is((e as descent.DescentError).code, 'E_CONFIG');
  }
  let seen = 0, reports = 0, atBreak = 0, lastStep = 0;
  for await (const snap of descent.stream({ ...config(2_000_000), record: { every: 100_000 } }, { chunkSize: 10, onProgress: (p) => { reports++; lastStep = p.step; } })) {
    seen++;
    assert.is(snap.result, undefined);
    if (seen === 2) { atBreak = reports; break; }
  }
  // The run yields to the event loop between chunks (which is when the consumer runs) and checks
  // its signal right after: once the consumer has left, at most one more chunk reports.
  assert.is(seen, 2);
  assert.ok(reports - atBreak <= 1, `${reports - atBreak} progress reports after the consumer left`);
  assert.ok(lastStep < 2_000_000, 'the run did not go on to the end');
});

s.run();
