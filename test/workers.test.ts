// simulate(config, { workers }): bit-identical to one instance for any worker count (and chunk
// size); progress and cancellation across workers; a worker that throws, traps, runs out of
// memory or exits fails the run with a DescentError instead of hanging; bad options say where.
// Runs in every runtime: Node (worker_threads), Deno, Bun, Chromium, Firefox (Web Workers).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';

const s = suite('workers');
s.before(() => descent.init());
const L = descent.landscapes, O = descent.optimizers, N = descent.noise, I = descent.inits;

/** Records, quantiles, trajectories, stop regions and divergence: every part of a result. */
const wells = () => ({
  landscape: L.doubleWell({ tilt: 0.1 }), optimizer: O.sgd({ lr: 0.05, momentum: 0.5 }), noise: N.gaussian({ sigma: 1 }),
  init: I.normal({ mean: [0], std: 0.1 }), particles: 1001, steps: 120, seed: 9,
  record: { every: 7, quantiles: [0, 0.1, 0.5, 1], trajectories: 70 },
  stop: { regions: [{ center: [-1], radius: 0.001 }, { center: [1], radius: 0.001 }] },
});
/** A run where some particles diverge (lr too large for the steep ones). */
const diverging = () => ({
  landscape: L.quadratic({ eigenvalues: [0.5, 1, 30], seed: 2 }), optimizer: O.sgd({ lr: 0.07 }), noise: N.gaussian({ sigma: 0.5 }),
  init: I.uniform({ low: [-1, -1, -1], high: [1, 1, 1] }), particles: 300, steps: 60, seed: 3, record: { every: 5 }, divergenceBound: 50,
});

/** Node's worker_threads report a worker's exit; Web Workers (Deno, Bun, browsers) give no event when a worker closes itself. */
const webWorkers = typeof (globalThis as { Worker?: unknown }).Worker === 'function';

function rejectsDescent(e: unknown, code: string, message?: RegExp): void {
  const err = e as { name?: string; code?: string; message?: string };
  assert.is(err?.name, 'DescentError', `expected a DescentError, got ${String(e)}`);
  assert.is(err.code, code, `code of: ${err.message}`);
  if (message) assert.match(err.message ?? '', message);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.unreachable('expected the run to fail');
  return undefined;
}

s('workers: 1, 2 and 3 give the same bits as one instance (records, quantiles, trajectories, stops)', async () => {
  const one = await descent.simulate(wells());
  assert.ok(one.counts.stopped > 0 && one.counts.stopped < one.particles, 'the run stops some particles and not others');
  for (const workers of [1, 2, 3] as const) {
    const r = await descent.simulate(wells(), { workers });
    assert.is(r.hash, one.hash, `workers: ${workers}`);
    assert.equal(Array.from(r.record!.lossQuantiles.values), Array.from(one.record!.lossQuantiles.values));
    assert.equal(r.counts, one.counts);
    assert.equal(r.config, one.config);
  }
  console.log(`DETERMINISM simulate-workers ${one.hash}`);
});

s('workers with divergence, odd chunk sizes and more workers than blocks', async () => {
  const one = await descent.simulate(diverging());
  assert.ok(one.counts.diverged > 0 && one.counts.diverged < one.particles, `some diverge: ${one.counts.diverged}`);
  const a = await descent.simulate(diverging(), { workers: 2, chunkSize: 7 });
  const b = await descent.simulate(diverging(), { workers: 64 }); // 300 particles, d = 3: 5 blocks → 5 workers
  assert.is(a.hash, one.hash);
  assert.is(b.hash, one.hash);
  assert.equal(Array.from(a.divergedAt), Array.from(one.divergedAt));
});

s('minibatch noise on a finite sum (per-particle batches, epoch shuffles): workers and shards give the same bits', async () => {
  const cfg = () => ({
    landscape: L.finiteSum([L.himmelblau(), L.shift(L.beale(), [1, 1]), L.rosenbrock({ dim: 2 }), L.himmelblau()]), optimizer: O.sgd({ lr: 0.002 }),
    noise: N.minibatch({ batchSize: 2 }), init: I.uniform({ low: [-1, -1], high: [1, 1] }), particles: 301, steps: 40, seed: 5, record: { every: 4 },
  });
  const one = await descent.simulate(cfg());
  assert.is((await descent.simulate(cfg(), { workers: 3, chunkSize: 9 })).hash, one.hash, 'workers');
  const parts = [];
  for (let index = 0; index < 3; index++) parts.push(await descent.simulate(cfg(), { shard: { index, count: 3 } }));
  assert.is((await descent.merge(parts)).hash, one.hash, 'shards');
});

s("workers: 'auto' uses the available cores and gives the same bits", async () => {
  const one = await descent.simulate({ ...wells(), record: undefined });
  const r = await descent.simulate({ ...wells(), record: undefined }, { workers: 'auto' });
  assert.is(r.hash, one.hash);
});

s('the hash is a real check: another seed with workers gives another hash', async () => {
  const a = await descent.simulate(wells(), { workers: 2 });
  const b = await descent.simulate({ ...wells(), seed: 10 }, { workers: 2 });
  assert.is.not(a.hash, b.hash);
});

s('progress across workers: increasing, one call per chunk, ending at the last step', async () => {
  const seen: number[] = [];
  await descent.simulate(wells(), { workers: 2, chunkSize: 25, onProgress: (p) => { assert.is(p.steps, 120); seen.push(p.step); } });
  assert.equal(seen, [25, 50, 75, 100, 120]);
});

s('an AbortSignal stops a run in workers (E_ABORTED), and the next run works', async () => {
  const ac = new AbortController();
  const e = await rejection(descent.simulate(wells(), { workers: 2, chunkSize: 10, signal: ac.signal, onProgress: (p) => { if (p.step >= 20) ac.abort(); } }));
  rejectsDescent(e, 'E_ABORTED', /aborted at step 20 of 120/);
  const ac2 = new AbortController();
  const late = descent.simulate({ ...wells(), particles: 20000, steps: 2000, record: undefined }, { workers: 2, signal: ac2.signal });
  setTimeout(() => ac2.abort(), 30);
  rejectsDescent(await rejection(late), 'E_ABORTED');
  const ok = await descent.simulate(wells(), { workers: 2 });
  assert.is(ok.hash, (await descent.simulate(wells())).hash);
});

s('a worker that throws fails the run with E_WORKER (no hang), and the next run works', async () => {
  descent.__testing.injectWorkerFault('throw', 1);
  rejectsDescent(await rejection(descent.simulate(wells(), { workers: 2 })), 'E_WORKER', /worker 2 of 2 .*injected worker fault/);
  const ok = await descent.simulate(wells(), { workers: 2 });
  assert.is(ok.hash, (await descent.simulate(wells())).hash);
});

s('a worker that cannot reserve memory asks this thread to collect its garbage and retries (same bits)', async () => {
  descent.__testing.injectWorkerFault('pressure', 1);
  const r = await descent.simulate(wells(), { workers: 2 });
  assert.is(r.hash, (await descent.simulate(wells())).hash);
});

s('a worker whose wasm traps fails the run with E_TRAP', async () => {
  descent.__testing.injectWorkerFault('trap', 0);
  rejectsDescent(await rejection(descent.simulate(wells(), { workers: 2 })), 'E_TRAP', /worker 1 of 2 .*trapped/);
});

s('a worker over its memory limit fails the run with E_MEMORY, saying how much it needed', async () => {
  descent.__testing.injectWorkerFault('oom', 0);
  rejectsDescent(await rejection(descent.simulate(wells(), { workers: 2 })), 'E_MEMORY', /needs .* over the limit/);
});

(webWorkers ? s.skip : s)('a worker that exits fails the run with E_WORKER (worker_threads only: Web Workers report no exit)', async () => {
  descent.__testing.injectWorkerFault('exit', 1);
  rejectsDescent(await rejection(descent.simulate(wells(), { workers: 2 })), 'E_WORKER', /exited with code 7/);
});
if (webWorkers) console.log('workers: skipped "a worker that exits" here: Web Workers (Deno, Bun, browsers) fire no event when a worker closes itself');

s('bad workers options are E_CONFIG at simulate.options.workers', async () => {
  for (const bad of [0, -1, 1.5, 257, 'all', null]) {
    const e = await rejection(descent.simulate(wells(), { workers: bad as never }));
    rejectsDescent(e, 'E_CONFIG');
    assert.is((e as { path: string }).path, 'simulate.options.workers');
  }
});

s.run();
