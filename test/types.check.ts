// Type-level tests, checked by `tsc --noEmit` (npm test step 1): good calls compile; each
// `@ts-expect-error` line must be a compile error, or tsc fails with "Unused directive".
import * as descent from '../src/index.ts';
import * as lean from '../src/namespaces/simulate.ts';

export async function good(): Promise<number> {
  await descent.init();
  const q = descent.landscapes.quadratic({ A: [[1, 0], [0, 2]], b: [0, 1] });
  const s = descent.landscapes.quadratic({ eigenvalues: [1, -1], seed: 4, center: [0, 0] });
  const g: Float64Array = q.grad(new Float64Array(2));
  const vg: descent.landscapes.ValueAndGrad = s.valueAndGrad([1, 2]);
  const j: descent.LandscapeJSON = q.toJSON();
  const u: Float64Array = descent.random.normal({ seed: 1, count: 4 });
  const rows: Float64Array = q.gradBatch([[0, 0], [1, 1]]), flat: Float64Array = q.hvpBatch([0, 0, 1, 1], [[1, 0], Float64Array.of(0, 1)]);
  // A result's JSON config runs as it is; configFromJSON gives the built config.
  const replay = await descent.simulate({ landscape: { kind: 'himmelblau', params: {} }, optimizer: { kind: 'sgd', params: { lr: 0.01 } }, init: { kind: 'point', params: { x: [0, 0] } }, particles: 2, steps: 3, seed: 1 });
  const built: descent.SimulateConfig = descent.configFromJSON(JSON.parse(JSON.stringify(replay.config)));
  return g[0] + vg.value + u[0] + (j.kind === 'quadratic' ? 1 : 0) + rows[0] + flat[0] + built.steps;
}

export function bad(): void {
  // @ts-expect-error: unknown option
  descent.landscapes.rosenbrock({ dimension: 3 });
  // @ts-expect-error: dim must be a number
  descent.landscapes.rastrigin({ dim: '3' });
  // @ts-expect-error: quadratic needs A or eigenvalues
  descent.landscapes.quadratic({ b: [1] });
  // @ts-expect-error: fixed 2-d functions take no options
  descent.landscapes.beale({ dim: 2 });
  // @ts-expect-error: count is required
  descent.random.uniform({ seed: 1 });
  // @ts-expect-error: a batch holds numbers or rows of numbers
  descent.landscapes.himmelblau().gradBatch([['0', '0']]);
  // @ts-expect-error: a component's JSON form names its kind
  descent.simulate({ landscape: { params: {} }, optimizer: descent.optimizers.sgd({ lr: 1 }), init: descent.inits.point({ x: [0] }), steps: 1, seed: 1 });
  // @ts-expect-error: params are read-only
  descent.landscapes.rosenbrock().params.dim = 3;
}

/** Scaling out: simulate's return type follows the `shard` option; merge and load give back results. */
export async function scaled(config: descent.SimulateConfig): Promise<number> {
  const whole: descent.EnsembleResult = await descent.simulate(config, { workers: 2 });
  const auto: descent.EnsembleResult = await descent.simulate(config, { workers: 'auto' });
  const part: descent.ShardResult = await descent.simulate(config, { shard: { index: 0, count: 2 } });
  const bytes: Uint8Array = descent.save(part);
  const merged: descent.EnsembleSummary = await descent.merge([descent.load(bytes)]);
  // @ts-expect-error: a merge gives the summary; per-particle states are streamed, not merged
  const full: descent.EnsembleResult = await descent.merge([descent.load(bytes)]);
  const summary: descent.EnsembleSummary = await descent.simulate(config, { keepParticles: false });
  // @ts-expect-error: without kept particles there is no x
  summary.x;
  // @ts-expect-error: a sharded run returns a ShardResult, not an EnsembleResult
  const wrong: descent.EnsembleResult = await descent.simulate(config, { shard: { index: 0, count: 2 } });
  // @ts-expect-error: workers is a number or 'auto'
  await descent.simulate(config, { workers: 'all' });
  // @ts-expect-error: a shard needs its count
  await descent.simulate(config, { shard: { index: 0 } });
  return whole.particles + auto.particles + merged.particles + wrong.particles + full.particles + summary.particles;
}

/** descent/simulate: the same result types for a config of components; no JSON parts, no workers, no shards. */
export async function leanSimulate(config: descent.SimulateConfig): Promise<number> {
  const whole: descent.EnsembleResult = await lean.simulate(config, { chunkSize: 10, positions: 5 });
  const summary: descent.EnsembleSummary = await lean.simulate(config, { keepParticles: false });
  // @ts-expect-error: a JSON part needs configFromJSON first (or descent's simulate)
  await lean.simulate({ ...config, landscape: { kind: 'himmelblau', params: {} } });
  // @ts-expect-error: no workers (descent's simulate runs them)
  await lean.simulate(config, { workers: 2 });
  // @ts-expect-error: no shards (descent's simulate and the CLI run them)
  await lean.simulate(config, { shard: { index: 0, count: 2 } });
  return whole.particles + summary.particles;
}

/** Models are landscapes with typed configs; data and model options are checked at compile time. */
export function modelsTyped(data: descent.Dataset): number {
  const net = descent.models.mlp({ widths: [2, 4, 1], activation: 'tanh', loss: 'mse', data });
  const asLandscape: descent.Landscape = net;
  const m: descent.Model = descent.models.diagonalLinear({ data });
  const pe: Float64Array = net.perExampleGrad([0]);
  const f: Float64Array = net.fisherVp([0], [1], { type: 'empirical' });
  const b: number = net.batchValueAndGrad([0], [0, 1]).value;
  // @ts-expect-error: unknown activation
  descent.models.mlp({ widths: [2, 1], activation: 'swish', data });
  // @ts-expect-error: a model needs its data
  descent.models.linearRegression({ bias: true });
  // @ts-expect-error: Fisher type is 'true' or 'empirical'
  net.fisherVp([0], [1], { type: 'exact' });
  // @ts-expect-error: label noise takes sigma or flipProbability, not a string
  descent.noise.labelNoise({ sigma: 'big' });
  const s: descent.slices.PlaneSlice = descent.slices.plane(net, [0], { directions: 'pca', trajectory: [0] });
  return asLandscape.dim + m.dim + pe.length + f.length + b + s.loss.length;
}
