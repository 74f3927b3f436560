// Shards: merge(shards) is exactly the unsharded run (same hash) for any shard count — including
// more shards than blocks — in any order, through save/load, with or without workers; statistics
// come from the dyadic tree of block partials (a merge from per-shard statistics would differ in
// the last bits, which the hash would catch). merge and load reject what is not one run's
// complete, intact set.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { throwsDescent } from './util.ts';

const s = suite('shards');
s.before(() => descent.init());
const L = descent.landscapes, O = descent.optimizers, N = descent.noise, I = descent.inits;

const run = (over: Record<string, unknown> = {}) => ({
  landscape: L.rastrigin({ dim: 2 }), optimizer: O.adam({ lr: 0.02 }), noise: N.gaussian({ sigma: [0.3, 0.6] }),
  init: I.uniform({ low: [-3, -3], high: [3, 3] }), particles: 999, steps: 90, seed: 4,
  record: { every: 9, quantiles: [0.05, 0.5, 0.95], trajectories: 100 }, stop: { gradTol: 1e-3 },
  ...over,
});

async function shards(count: number, over: Record<string, unknown> = {}, workers?: number): Promise<descent.ShardResult[]> {
  const out: descent.ShardResult[] = [];
  for (let index = 0; index < count; index++) out.push(await descent.simulate(run(over), { shard: { index, count }, ...(workers ? { workers } : {}) }));
  return out;
}

async function rejection(p: Promise<unknown>): Promise<{ name?: string; code?: string; message?: string; path?: string }> {
  try {
    await p;
  } catch (e) {
    return e as { name?: string; code?: string; message?: string };
  }
  assert.unreachable('expected a rejection');
  return {};
}

s('merge of 1, 2, 3, 7 and 40 shards (more shards than the 16 blocks: some empty) equals the single run', async () => {
  const one = await descent.simulate(run());
  for (const count of [1, 2, 3, 7, 40]) {
    const parts = await shards(count);
    const merged = await descent.merge(parts);
    assert.is(merged.hash, one.hash, `${count} shards`);
    assert.equal(merged.config, one.config);
    assert.equal(merged.counts, one.counts);
  }
  console.log(`DETERMINISM simulate-sharded ${one.hash}`);
});

s('shards are whole blocks, cover the run in order, and merge in any order through save/load', async () => {
  const one = await descent.simulate(run());
  const parts = await shards(3);
  assert.equal(parts.map((p) => [p.blocks.first, p.blocks.end]), [[0, 5], [5, 10], [10, 16]]);
  assert.equal(parts.map((p) => [p.particles.first, p.particles.end]), [[0, 320], [320, 640], [640, 999]]);
  assert.ok(parts.every((p) => p.configHash === parts[0].configHash && p.version === descent.version));
  const files = parts.map((p) => descent.save(p));
  const merged = await descent.merge(files.reverse().map((f) => descent.load(f)));
  assert.is(merged.hash, one.hash);
  assert.equal(Array.from(merged.trajectories!.data), Array.from(one.trajectories!.data));
});

s('shards run with workers, and sharded runs without records, merge to the same bits', async () => {
  const one = await descent.simulate(run());
  assert.is((await descent.merge(await shards(2, {}, 2))).hash, one.hash);
  const bare = await descent.simulate(run({ record: undefined, stop: undefined }));
  assert.is((await descent.merge(await shards(3, { record: undefined, stop: undefined }))).hash, bare.hash);
});

s('statistics are merged from block partials: equal to the single run, not to a merge of per-shard statistics', async () => {
  const one = await descent.simulate(run());
  const parts = await shards(2);
  // The single run's loss mean at a row equals the count-weighted mean of the shards' own means
  // only approximately; the merge reproduces it exactly.
  const merged = await descent.merge(parts);
  assert.equal(Array.from(merged.record!.lossMean), Array.from(one.record!.lossMean));
  assert.equal(Array.from(merged.record!.lossVariance), Array.from(one.record!.lossVariance));
  assert.equal(Array.from(merged.record!.paramVariance), Array.from(one.record!.paramVariance));
});

s('merge rejects shards of another config, another version, missing or duplicated shards (E_SHARD)', async () => {
  const parts = await shards(3);
  const other = await descent.simulate(run({ seed: 5 }), { shard: { index: 1, count: 3 } });
  let e = await rejection(descent.merge([parts[0], other, parts[2]]));
  assert.is(e.code, 'E_SHARD');
  assert.match(e.message!, /another config/);
  e = await rejection(descent.merge([parts[0], { ...parts[1], version: '0.0.1' }, parts[2]]));
  assert.is(e.code, 'E_SHARD');
  assert.match(e.message!, /computed by descent 0\.0\.1/);
  e = await rejection(descent.merge([parts[0], parts[2]]));
  assert.is(e.code, 'E_SHARD');
  assert.match(e.message!, /missing shard 1 of 3/);
  e = await rejection(descent.merge([parts[0], parts[1], parts[1], parts[2]]));
  assert.is(e.code, 'E_SHARD');
  assert.match(e.message!, /shard 1 of 3 is given twice/);
  const fourths = await shards(4);
  e = await rejection(descent.merge([parts[0], parts[1], fourths[3]]));
  assert.is(e.code, 'E_SHARD');
  assert.match(e.message!, /one of 4 shards/);
  e = await rejection(descent.merge([]));
  assert.is(e.code, 'E_INPUT');
  e = await rejection(descent.merge([parts[0], { kind: 'x' } as never]));
  assert.is(e.code, 'E_INPUT');
  assert.is(e.path, 'merge: shards[1]');
  e = await rejection(descent.merge([parts[0], { ...parts[1], summary: { ...parts[1].summary, data: parts[1].summary.data.subarray(1) } }, parts[2]]));
  assert.is(e.code, 'E_SHARD');
  assert.match(e.message!, /summary data of length/);
  e = await rejection(descent.merge([parts[0], { ...parts[1], config: { ...parts[1].config, steps: 1 } }, parts[2]]));
  assert.is(e.code, 'E_SHARD');
  assert.match(e.message!, /shards\[1\]: its config does not match its configHash/);
  e = await rejection(descent.merge([{ ...parts[0], trajectories: parts[0].trajectories.subarray(1) }, parts[1], parts[2]]));
  assert.is(e.code, 'E_SHARD');
  assert.match(e.message!, /trajectories of length/);
});

s('load rejects truncated, corrupted, trailing-byte and foreign files (E_SHARD), naming the problem', async () => {
  const [part] = await shards(1);
  const file = descent.save(part);
  const sm = part.summary;
  const arrays = [sm.nodes, sm.data, sm.offsets, sm.keys, sm.counts, sm.hist, part.trajectories, part.sharpness].reduce((n, a) => n + a.byteLength, 0);
  assert.ok(file.length > arrays && file.length < arrays + 2048, `compact: ${file.length} bytes for ${arrays} bytes of arrays`);
  throwsDescent(() => descent.load(file.subarray(0, file.length - 8)), 'E_SHARD');
  assert.throws(() => descent.load(file.subarray(0, file.length - 8)), /truncated/);
  assert.throws(() => descent.load(file.subarray(0, 20)), /truncated/);
  assert.throws(() => descent.load(file.subarray(0, 100)), /truncated/);
  const flipped = file.slice();
  flipped[file.length - 3] ^= 1;
  assert.throws(() => descent.load(flipped), /checksum/);
  throwsDescent(() => descent.load(flipped), 'E_SHARD');
  const header = file.slice();
  header[40] ^= 4;
  throwsDescent(() => descent.load(header), 'E_SHARD');
  const longer = new Uint8Array(file.length + 8);
  longer.set(file);
  assert.throws(() => descent.load(longer), /beyond/);
  assert.throws(() => descent.load(new TextEncoder().encode('{"not": "a shard file, but long enough to have a prefix"}')), /not a descent shard file/);
  throwsDescent(() => descent.load('x' as never), 'E_INPUT');
  // A header whose config was edited after the run, then saved again (so its checksum holds):
  // the config no longer hashes to configHash, and the shard must not merge as that config.
  const edited = { ...part, config: { ...part.config, seed: (part.config.seed as number) + 1 } };
  throwsDescent(() => descent.load(descent.save(edited)), 'E_SHARD');
  assert.throws(() => descent.load(descent.save(edited)), /config does not match its configHash/);
  // An intact file loads to the same numbers.
  const back = descent.load(file.buffer as ArrayBuffer);
  assert.equal(Array.from(back.summary.data), Array.from(part.summary.data));
  assert.equal(Array.from(back.summary.keys), Array.from(part.summary.keys));
  assert.equal(Array.from(back.summary.counts), Array.from(part.summary.counts));
});

s('bad shard options are E_CONFIG with their path', async () => {
  const cases: [unknown, string][] = [
    [{ index: 3, count: 3 }, 'simulate.options.shard.index'], [{ index: -1, count: 3 }, 'simulate.options.shard.index'],
    [{ index: 0, count: 0 }, 'simulate.options.shard.count'], [{ index: 0.5, count: 2 }, 'simulate.options.shard.index'],
    [{ index: 0 }, 'simulate.options.shard.count'], [{ index: 0, count: 2, extra: 1 }, 'simulate.options.shard.extra'], ['0/2', 'simulate.options.shard'],
  ];
  for (const [shard, path] of cases) {
    const e = await rejection(descent.simulate(run(), { shard: shard as never }));
    assert.is(e.name, 'DescentError', String(e));
    assert.is(e.code, 'E_CONFIG', e.message);
    assert.is(e.path, path, e.message);
  }
});


s('a shard allocates and runs only its own blocks: a shard of a huge run costs what its blocks cost', async () => {
  // 2·10⁹ particles would need > 100 GB of state; shard 0 of 20 000 holds 10⁵ (1 563 blocks of 64).
  const big = run({ particles: 2e9, steps: 5, record: { every: 2 }, stop: undefined });
  const part = await descent.simulate(big, { shard: { index: 0, count: 20000 }, memoryLimit: 64 * 1024 ** 2 });
  assert.is(part.particles.total, 2e9);
  assert.ok(part.particles.end - part.particles.first > 9e4);
  // The same blocks as their own small run give the same summary partials (blocks evolve alone).
  const small = await descent.simulate(run({ particles: part.particles.end, steps: 5, record: { every: 2 }, stop: undefined }), { shard: { index: 0, count: 1 } });
  assert.equal(Array.from(part.summary.data), Array.from(small.summary.data));
  assert.equal(Array.from(part.summary.counts), Array.from(small.summary.counts));
  // O(log blocks) nodes per row: at most ⌈log₂ 1 563⌉ + 1 = 12 for each of the 3 record rows and the final state.
  assert.ok(part.summary.nodes.length / 3 <= 4 * 12, `${part.summary.nodes.length / 3} nodes`);
});

s('any split into shards, workers and segments gives the one-process bits (seeded random splits)', async () => {
  const cfg = run({ particles: 3001, steps: 40, record: { every: 7, quantiles: [0.1, 0.5, 0.9], lossEdges: [1, 5, 20], paramEdges: [-1, 0, 1], trajectories: 10 }, stop: { regions: [{ center: [0, 0], radius: 0.5 }] } });
  const one = await descent.simulate(cfg);
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let trial = 0; trial < 4; trial++) {
    const count = 1 + Math.floor(rand() * 12), workers = rand() < 0.5 ? 2 : undefined;
    descent.__testing.setSegmentCoordinates(rand() < 0.5 ? 64 * 2 * (1 + Math.floor(rand() * 5)) : undefined);
    try {
      const parts = [];
      for (let index = 0; index < count; index++) parts.push(await descent.simulate(cfg, { shard: { index, count }, ...(workers ? { workers } : {}) }));
      const order = parts.map((p) => descent.load(descent.save(p))).sort(() => rand() - 0.5);
      const merged = await descent.merge(order);
      assert.is(merged.hash, one.hash, `trial ${trial}: ${count} shards, workers ${workers}`);
      const segmented = await descent.simulate(cfg, workers ? { workers } : {});
      assert.is(segmented.hash, one.hash, `trial ${trial}: segments`);
      assert.is(segmented.particlesHash, one.particlesHash, `trial ${trial}: segments, particles`);
    } finally {
      descent.__testing.setSegmentCoordinates(undefined);
    }
  }
  console.log(`DETERMINISM simulate-random-splits ${one.hash}`);
});

s('a Merger takes shards one at a time, in any order, and says which is missing', async () => {
  const one = await descent.simulate(run());
  const parts = await shards(5);
  const m = await descent.merger();
  for (const k of [3, 0, 4, 1]) m.add(parts[k]);
  assert.is(m.added, 4);
  const e = (() => { try { m.result(); } catch (err) { return err as { code?: string; message?: string }; } return {}; })();
  assert.is(e.code, 'E_SHARD');
  assert.match(e.message!, /missing shard 2 of 5/);
  m.add(parts[2], 'part-2.descent');
  assert.is(m.result().hash, one.hash);
});

s.run();
