/**
 * `simulate`: Monte Carlo ensembles of optimiser trajectories. P independent particles run T
 * steps of an optimiser on a landscape, each with its own noise, inside WebAssembly: JS calls in
 * once per chunk of steps over all particles (docs/design.md, the hot-path rule), so progress and
 * cancellation happen between chunks and never change the numbers. Same config + same seed ⇒
 * the same bits, whatever the chunk size or runtime.
 *
 * @example
 * const r = await descent.simulate({
 *   landscape: descent.landscapes.doubleWell({ tilt: 0.1 }),
 *   optimizer: descent.optimizers.sgd({ lr: 0.05 }),
 *   noise: descent.noise.gaussian({ sigma: 1 }),
 *   init: descent.inits.point({ x: [0] }),
 *   particles: 100_000, steps: 1000, seed: 1,
 *   record: { every: 10 },
 *   stop: { regions: [{ center: [-1], radius: 0.1 }, { center: [1], radius: 0.1 }] },
 * });
 * r.counts.regions; // how many particles reached each well
 */
import { dedicated, runOn } from '../bindings/engine.ts';
import { partialWidth, type EnsembleSpec, type ParticleColumns, type SharpnessTrack } from '../bindings/ensemble.ts';
import { formatBytes } from '../bindings/memory.ts';
import { invalid } from './errors.ts';
import { Landscape } from './landscapes/landscape.ts';
import { isOptimizer, type Optimizer } from './optimizers/index.ts';
import { checkRun, flag, packOptimizer } from './optimizers/optimizer.ts';
import { isSampler, samplerRun, type Sampler } from './sampler.ts';
import { batchTerms, isNoise, none, packNoise, type Noise } from './noiseModel.ts';
import { isInit, packInit, type Init } from './inits.ts';
import { finite, integer, options, seed as seedOf, vector } from './validate.ts';
import { checkChunkOptions } from './chunks.ts';
import { assembleSummary, blockCount, withParticles, type EnsembleResult, type EnsembleShape, type EnsembleSummary } from './result.ts';
import { checkWorkers, workerPool, type WorkerPool, type WorkersOption } from './workers.ts';
import { sharding, type ShardResult, type ShardSpec } from './shard.ts';
import { runRange, type Progress } from './scale.ts';
import { DescentError } from './errors.ts';
import { reviveParts } from './revive.ts';
import {
  CONFIG_KEYS,
  revivalField,
  ruleKey,
  type Region,
  type SharpnessTrackConfig,
  type SimulateConfig,
  type SimulateConfigJSON,
} from './config.ts';

export type {
  EnsembleRecord,
  EnsembleResult,
  EnsembleSummary,
  EventTimes,
  FinalStatistics,
  Histogram,
  SharpnessTrackResult,
  SketchQuantiles,
} from './result.ts';
export type { ParticleColumns } from '../bindings/ensemble.ts';
export type { Progress, LatestRecord } from './scale.ts';

export type { Region, ComponentJSON, SimulateConfig, SharpnessTrackConfig, SimulateConfigJSON } from './config.ts';

/** Options of {@link simulate} that do not change results. */
export interface SimulateOptions {
  /** Cancel: rejects with E_ABORTED within one chunk. */
  signal?: AbortSignal;
  /** After each chunk: `step` of `steps` over the whole run (and the segment, for runs larger than a segment). */
  onProgress?: (p: Progress) => void;
  /** Steps per wasm call (default ≈ 4·10⁶ particle-coordinate updates per call over a segment). */
  chunkSize?: number;
  /**
   * Keep every particle's final state in the result (x, loss, divergedAt, stoppedAt, region,
   * accepted): memory ∝ particles. Default: true for runs in this process of at most 2²⁴
   * particle-coordinates (16.7 M), false beyond; never for a shard (use `onParticles`). Without
   * it, `simulate` returns an {@link EnsembleSummary}, whose size does not grow with the particles.
   */
  keepParticles?: boolean;
  /**
   * Stream every particle's final state: called once per segment (or per worker's share), in
   * particle order, with that range's columns, which are not kept (e.g. to write them to a file;
   * the CLI's `--per-particle` writes Apache Parquet files from it).
   */
  onParticles?: (columns: ParticleColumns) => void;
  /**
   * Give progress reports (`onProgress`, `stream`'s snapshots) the current positions of the
   * first `positions` particles as `x` (row-major, a copy): to draw a run while it goes. Every
   * report that other tasks can see carries them — those after which the run gives the event loop
   * a turn (one per ~15 ms, a display frame), and the last — so a `stream` loop gets them with
   * every snapshot; reports in between carry none (copying them every step would cost as much as
   * a small step). Runs in this thread only (with `workers`, reports carry no positions). Never
   * changes the numbers.
   */
  positions?: number;
  /**
   * Most bytes of wasm memory this run may use (each worker's instance, with `workers`). Default:
   * init's limit (1 GiB). The record, which grows in JS memory (⌈steps / record.every⌉ rows and
   * the trajectories), is held to the same limit: a run whose record exceeds it fails with
   * E_MEMORY before its first step.
   */
  memoryLimit?: number;
  /**
   * Run the particle blocks in n workers (Node worker_threads; Web Workers in browsers, Deno and
   * Bun), each with its own wasm instance; `'auto'`: one per available core. The result is
   * bit-identical to a run without workers (partials are merged in block order). Omitted: run in
   * this thread; `workers: 1` runs in one worker, which keeps the calling thread (a page's UI)
   * free. Each worker holds only its own blocks.
   */
  workers?: WorkersOption;
  /**
   * Run only shard `index` of `count`: a contiguous range of whole particle blocks, allocating
   * and initialising only those. `simulate` then returns a {@link ShardResult} (a summary whose
   * size is O(log particles)); `save` it, and `merge` all `count` of them into exactly the summary
   * of the unsharded run.
   */
  shard?: ShardSpec;
}

const DEFAULT_QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];

/**
 * Particles per block for dimension d: an even power of two, 64 for d ≤ 64, so a block's state fits in L1/L2. Fixed by d: results never
 * depend on anything else.
 */
export function blockSize(d: number): number {
  let b = 64;
  while (b > 2 && b * d > 4096) b /= 2;
  return b;
}

/** Most particle-coordinates kept by default ({@link SimulateOptions.keepParticles}). */
export const KEEP_PARTICLES_LIMIT = 2 ** 24;

/**
 * Run an ensemble. See {@link SimulateConfig} and {@link SimulateOptions}. With `shard`, run only
 * that shard's blocks and return a {@link ShardResult} (see `merge`); with `keepParticles: false`
 * (the default above {@link KEEP_PARTICLES_LIMIT} particle-coordinates), an {@link EnsembleSummary}.
 */
export async function simulate(
  config: SimulateConfig | SimulateConfigJSON,
  opts: SimulateOptions & { shard: ShardSpec },
): Promise<ShardResult>;
export async function simulate(
  config: SimulateConfig | SimulateConfigJSON,
  opts: SimulateOptions & { shard?: undefined; keepParticles: false },
): Promise<EnsembleSummary>;
export async function simulate(
  config: SimulateConfig | SimulateConfigJSON,
  opts?: SimulateOptions & { shard?: undefined; keepParticles?: true },
): Promise<EnsembleResult>;
export async function simulate(
  config: SimulateConfig | SimulateConfigJSON,
  opts?: SimulateOptions,
): Promise<EnsembleResult | EnsembleSummary | ShardResult>;
export async function simulate(
  config: SimulateConfig | SimulateConfigJSON,
  opts: SimulateOptions = {},
): Promise<EnsembleResult | EnsembleSummary | ShardResult> {
  return simulateWith(config, opts, FULL);
}

/**
 * @internal What a `simulate` can do beyond running components of this copy in this thread and
 * process, each brought by the entry point that offers it: `simulate` from `descent` has all
 * three; descent/simulate has none, so that an embedder's bundle carries neither every factory,
 * nor the worker program, nor the shard machinery (issue 21).
 */
export interface Machinery {
  /** Rebuild JSON parts ({ kind, params }, e.g. a result's own config) and the other bundle's components. */
  revive?: typeof reviveParts;
  /** Run particle blocks in workers. */
  pool?: WorkerPool;
  /** Run one shard of the particle blocks (`shard`) and package it for `merge`. */
  shard?: typeof sharding;
}

const FULL: Machinery = { revive: reviveParts, pool: workerPool, shard: sharding };

/** The factory namespace of each part of a config. */
const NAMESPACES = { landscape: 'landscapes', optimizer: 'optimizers', sampler: 'samplers', noise: 'noise', init: 'inits' } as const;

/** @internal `simulate` with the machinery an entry point brings. */
export async function simulateWith(
  config: SimulateConfig | SimulateConfigJSON,
  opts: SimulateOptions,
  machinery: Machinery,
): Promise<EnsembleResult | EnsembleSummary | ShardResult> {
  const given = options<SimulateConfig>(config, 'simulate', CONFIG_KEYS);
  const field = revivalField(given);
  if (field !== undefined && !machinery.revive)
    throw invalid(
      'E_CONFIG',
      `simulate.${field}`,
      `a component made by this copy's ${NAMESPACES[field]}.* ` +
        "(descent/simulate takes no JSON forms: rebuild the config with configFromJSON, or use simulate from 'descent')",
      given[field],
    );
  const parts = field === undefined ? given : machinery.revive!(given, 'simulate');
  const run = normalise(parts, opts, machinery);
  const {
    landscape,
    particles,
    steps,
    seed,
    bound,
    every,
    recordFinal,
    levels,
    bits,
    edges,
    paramEdges,
    trajectories,
    gradTol,
    centers,
    radii,
    track,
  } = run;
  const { rule, packedNoise, svgd, chunkSize, memoryLimit, workers, shard, keep } = run,
    d = landscape.dim,
    o = run.options;

  const live = await dedicated('simulate');
  if (memoryLimit !== undefined) live.heap.limit = memoryLimit;
  checkRecordMemory(
    { dim: d, steps, every, final: recordFinal, quantiles: levels.length, edges: edges.length, trajectories },
    live.heap.limit,
  );
  try {
    return await execute();
  } catch (error) {
    throw memoryField(error);
  }
  // The run proper; its out-of-memory errors get the config field that sized the buffer (memoryField).
  async function execute(): Promise<EnsembleResult | EnsembleSummary | ShardResult> {
    const block = blockSize(d);
    const spec: EnsembleSpec = runOn(live, 'simulate', (l) => {
      const init = packInit(run.init, (cov, n) => {
        const a = l.heap.pushF64(cov),
          lp = l.heap.allocF64(n * n);
        if (!l.exports.choleskyFactor(n, a, lp)) throw invalid('E_CONFIG', 'simulate.init.params.covariance', 'positive definite', cov);
        return l.heap.copyOutF64(lp, n * n);
      });
      return {
        landscape: landscape.packed(l),
        rule,
        noise: packedNoise,
        init,
        particles,
        block,
        steps,
        seed,
        bound,
        gradTol,
        regions: { centers, radii },
        every,
        quantiles: Float64Array.from(levels),
        trajectories,
        chunk: chunkSize ?? 1,
        sketchBits: bits,
        lossEdges: Float64Array.from(edges),
        paramEdges: Float64Array.from(paramEdges),
        ...(track ? { track } : {}),
      };
    });
    const shape: EnsembleShape = {
      particles,
      steps,
      dim: d,
      block,
      every,
      levels,
      bits,
      edges,
      paramEdges,
      trajectories,
      regions: radii.length,
      accepts: run.accepts,
      ...(recordFinal ? { recordFinal } : {}),
      ...(track ? { track: { every: track.every, particles: track.particles, k: track.k } } : {}),
    };
    const json = resultConfig(run);
    const scaled = {
      what: 'simulate',
      live,
      spec,
      shape,
      config: json,
      chunkSize,
      memoryLimit: live.heap.limit,
      signal: o.signal,
      onProgress: o.onProgress,
      ...(run.positions ? { positions: run.positions } : {}),
    };
    const nb = blockCount(shape);
    const range = shard ? machinery.shard!.range(nb, shard.index, shard.count) : { first: 0, end: nb };
    if (keep && particles * (d + 5) * 8 > 2 ** 31) {
      throw new DescentError(
        'E_MEMORY',
        `simulate: keeping every particle's final state needs ${((particles * (d + 5) * 8) / 2 ** 30).toFixed(1)} GiB ` +
          `(simulate.particles × (dim + 5) doubles); pass keepParticles: false (statistics stay exact) or stream them with onParticles`,
        { path: 'simulate.particles', expected: `≤ ${2 ** 31} bytes`, actual: particles * (d + 5) * 8 },
      );
    }
    if (workers !== undefined && spec.landscape.links?.some((l) => l.host)) {
      throw new DescentError(
        'E_CONFIG',
        'simulate: a landscape from landscapes.fromFunction calls JS functions of this thread, which a worker cannot reach; ' +
          'run without workers, or write the function as landscapes.expression (compiled to wasm, runs anywhere)',
        { path: 'simulate.options.workers', expected: 'undefined with a fromFunction landscape', actual: workers.option },
      );
    }
    const ran = await runRange(scaled, range, { workers, keep, onParticles: o.onParticles, oneSegment: svgd });
    if (shard) return machinery.shard!.finish(json, shape, shard, range, ran.acc, ran.bounded);
    const summary = runOn(live, 'simulate', () => assembleSummary(shape, json, ran.acc.statistics(), ran.bounded));
    return keep ? withParticles(summary, ran.particles!) : summary;
  }
}

/** A run as simulate executes it: the config validated and defaulted (Normalised), its packed parts, and the options. */
interface Run extends Normalised {
  rule: ReturnType<typeof packOptimizer>;
  packedNoise: ReturnType<typeof packNoise>;
  svgd: boolean;
  /** The sampler counts accepted proposals (samplers.mala, metropolisHastings). */
  accepts: boolean;
  chunkSize: number | undefined;
  memoryLimit: number | undefined;
  workers: { option: WorkersOption; pool: WorkerPool } | undefined;
  shard: ShardSpec | undefined;
  keep: boolean;
  positions: number;
  options: SimulateOptions;
}

/**
 * Validate and default a simulate call — config and options — without running anything: every
 * E_CONFIG a run can raise before its first step is raised here, with its path.
 */
function normalise(c: Partial<SimulateConfig>, opts: SimulateOptions, machinery: Machinery): Run {
  const o = options<SimulateOptions>(opts, 'simulate.options', [
    'signal',
    'onProgress',
    'chunkSize',
    'memoryLimit',
    'workers',
    'shard',
    'keepParticles',
    'onParticles',
    'positions',
  ]);
  if (!(c.landscape instanceof Landscape))
    throw invalid('E_CONFIG', 'simulate.landscape', 'a landscape from landscapes.* or its JSON { kind, params }', c.landscape);
  const method = updateRule(c);
  const noise = c.noise ?? none();
  if (!isNoise(noise)) throw invalid('E_CONFIG', 'simulate.noise', 'a noise model from noise.* (or its JSON { kind, params })', c.noise);
  if (!isInit(c.init)) throw invalid('E_CONFIG', 'simulate.init', 'an init from inits.* (or its JSON { kind, params })', c.init);
  const landscape = c.landscape,
    d = landscape.dim;
  if (c.init.dim !== d)
    throw invalid('E_CONFIG', 'simulate.init', `an init of dimension ${d} (the landscape's)`, `an init of dimension ${c.init.dim}`);
  const implied = c.init.particles;
  const particles =
    c.particles === undefined && implied !== undefined ? implied : integer(c.particles, 'simulate.particles', { min: 1, max: 2 ** 31 - 1 });
  if (implied !== undefined && particles !== implied)
    throw invalid('E_CONFIG', 'simulate.particles', `${implied} (the number of points of the ${c.init.kind} init) or omitted`, c.particles);
  const steps = integer(c.steps, 'simulate.steps', { min: 1, max: 2 ** 31 - 2 });
  const seed = seedOf(c.seed, 'simulate.seed');
  const bound = finite(c.divergenceBound, 'simulate.divergenceBound', { gt: 0 }, 1e100);
  const rec = options<NonNullable<SimulateConfig['record']>>(c.record, 'simulate.record', [
    'every',
    'quantiles',
    'quantileBits',
    'lossEdges',
    'paramEdges',
    'trajectories',
    'final',
  ]);
  const every = rec.every === undefined ? 0 : integer(rec.every, 'simulate.record.every', { min: 1 });
  const levels =
    rec.quantiles === undefined
      ? DEFAULT_QUANTILES
      : Array.from(vector(rec.quantiles, 'simulate.record.quantiles', undefined, { min: 0, max: 1 }, 'E_CONFIG', 0));
  const bits = integer(rec.quantileBits, 'simulate.record.quantileBits', { min: 1, max: 19 }, 8);
  const edges = ascending(rec.lossEdges, 'simulate.record.lossEdges'),
    paramEdges = ascending(rec.paramEdges, 'simulate.record.paramEdges');
  const trajectories = integer(rec.trajectories, 'simulate.record.trajectories', { min: 0, max: particles }, 0);
  if (rec.final !== undefined && typeof rec.final !== 'boolean')
    throw invalid('E_CONFIG', 'simulate.record.final', 'true or false', rec.final);
  const recordFinal = rec.final === true;
  if (recordFinal && every === 0)
    throw invalid('E_CONFIG', 'simulate.record.final', 'used with record.every (the final row ends a record)', rec.final);
  const st = options<NonNullable<SimulateConfig['stop']>>(c.stop, 'simulate.stop', ['gradTol', 'regions']);
  const gradTol = finite(st.gradTol, 'simulate.stop.gradTol', { min: 0 }, 0);
  const regionList = st.regions === undefined ? [] : st.regions;
  if (!Array.isArray(regionList)) throw invalid('E_CONFIG', 'simulate.stop.regions', 'an array of { center, radius }', st.regions);
  const centers = new Float64Array(regionList.length * d),
    radii = new Float64Array(regionList.length);
  regionList.forEach((r, k) => {
    const rr = options<Region>(r, `simulate.stop.regions[${k}]`, ['center', 'radius', 'exit']);
    centers.set(vector(rr.center, `simulate.stop.regions[${k}].center`, d), k * d);
    // The kernel reads a negative radius as an exit region (assembly/run/ensemble.ts stopTests).
    radii[k] =
      finite(rr.radius, `simulate.stop.regions[${k}].radius`, { gt: 0 }) * (flag(rr.exit, `simulate.stop.regions[${k}].exit`) ? -1 : 1);
  });
  const sampling = isSampler(method) ? samplerRun(method) : undefined;
  const svgd = isSampler(method) && method.kind === 'svgd'; // interacting particles (samplers.ts)
  sampling?.check?.({ particles, stopping: gradTol > 0 || radii.length > 0, noise, workers: o.workers, shard: o.shard });
  const track = sharpnessTrack(c.track, d, particles, steps);
  const chunkSize =
    o.chunkSize === undefined
      ? sampling?.chunkSteps
        ? Math.max(1, Math.min(steps, sampling.chunkSteps(particles, d)))
        : undefined
      : integer(o.chunkSize, 'simulate.options.chunkSize', { min: 1 });
  const memoryLimit =
    o.memoryLimit === undefined ? undefined : finite(o.memoryLimit, 'simulate.options.memoryLimit', { gt: 0, max: 4 * 1024 ** 3 });
  const rule = sampling ? sampling.pack(d, `simulate.${ruleKey(c, 'simulate.')}`) : packOptimizer(method as Optimizer);
  const terms = batchTerms(noise, landscape, 'simulate.noise');
  if (!sampling) checkRun(method as Optimizer, { landscape, noise, terms, path: 'simulate.optimizer', noisePath: 'simulate.noise' });
  const packedNoise = packNoise(noise, d, 'simulate.noise', terms);
  const option = checkWorkers(o.workers, 'simulate.options.workers');
  if (option !== undefined && !machinery.pool)
    throw invalid(
      'E_CONFIG',
      'simulate.options.workers',
      "omitted (descent/simulate runs in this thread; use simulate from 'descent' for workers)",
      option,
    );
  const workers = option === undefined ? undefined : { option, pool: machinery.pool! };
  if (o.shard !== undefined && !machinery.shard)
    throw invalid(
      'E_CONFIG',
      'simulate.options.shard',
      "omitted (descent/simulate runs the whole ensemble in this process; use simulate from 'descent' for shards)",
      o.shard,
    );
  const shard = machinery.shard?.check(o.shard, 'simulate.options.shard');
  checkChunkOptions(o, 'simulate.options', 'simulate');
  if (o.keepParticles !== undefined && typeof o.keepParticles !== 'boolean')
    throw invalid('E_CONFIG', 'simulate.options.keepParticles', 'true or false', o.keepParticles);
  if (o.keepParticles === true && shard)
    throw invalid(
      'E_CONFIG',
      'simulate.options.keepParticles',
      'omitted or false with shard (a shard keeps a bounded summary; stream particles with onParticles)',
      o.keepParticles,
    );
  if (o.onParticles !== undefined && typeof o.onParticles !== 'function')
    throw invalid('E_CONFIG', 'simulate.options.onParticles', 'a function', o.onParticles);
  const keep = shard ? false : (o.keepParticles ?? particles * d <= KEEP_PARTICLES_LIMIT);
  const positions = integer(o.positions, 'simulate.options.positions', { min: 0, max: particles }, 0);
  return {
    landscape,
    optimizer: method,
    noise,
    init: c.init,
    particles,
    steps,
    seed,
    every,
    recordFinal,
    levels,
    bits,
    edges,
    paramEdges,
    trajectories,
    gradTol,
    centers,
    radii,
    bound,
    regionList,
    ...(track ? { track } : {}),
    rule,
    packedNoise,
    svgd,
    accepts: sampling?.accepts === true,
    chunkSize,
    memoryLimit,
    workers,
    shard,
    keep,
    positions,
    options: o,
  };
}

/** The update rule of a config: a sampler in `sampler`, an optimiser (or, deprecated, a sampler) in `optimizer`. */
function updateRule(c: Partial<SimulateConfig>): Optimizer | Sampler {
  const key = ruleKey(c, 'simulate.');
  const method: unknown = key === 'sampler' ? c.sampler : c.optimizer;
  if (isSampler(method) || (key === 'optimizer' && isOptimizer(method))) return method;
  throw invalid(
    'E_CONFIG',
    `simulate.${key}`,
    key === 'sampler'
      ? 'a sampler from samplers.* (or its JSON { kind, params })'
      : 'an optimizer from optimizers.* (or its JSON { kind, params }), or a sampler given as `sampler`',
    method,
  );
}

// Which config field sizes each of the ensemble's wasm buffers (their labels in
// bindings/ensemble.ts); the rest (positions, optimiser state, scratch) grow with the particles a
// segment or worker holds, times the dimension.
const BUFFER_FIELDS: [RegExp, string, string][] = [
  [
    /\b(record partials|record losses) needs/,
    'simulate.record.every',
    'record rows per chunk: ⌈chunkSize / record.every⌉ + 1, for every particle block',
  ],
  [/\btrajectories needs/, 'simulate.record.trajectories', 'record.trajectories × (steps + 1) × dim'],
  [/\bsharpness track(er work)? needs/, 'simulate.track.sharpness', 'track.sharpness.particles × measurements × (k + 1)'],
  [
    /\b(landscape parameters|landscape scratch|minibatch gradient|Hessian-aligned noise scratch) needs/,
    'simulate.landscape',
    "the landscape's parameters and dimension",
  ],
  [
    /\b[\w -]+ needs [\d.]+ \w+ of wasm memory/,
    'simulate.particles',
    "particles held at once (a segment of ≈ 2²² coordinates, or a worker's share) × dim",
  ],
];

/** An E_MEMORY from the heap names no field: give it the path of the field that drives the size. */
function memoryField(error: unknown): unknown {
  if (!(error instanceof DescentError) || error.code !== 'E_MEMORY' || error.path !== '') return error;
  const hit = BUFFER_FIELDS.find(([re]) => re.test(error.message));
  if (!hit) return error;
  return new DescentError('E_MEMORY', `${error.message} (its size: ${hit[2]}; the field: ${hit[1]})`, {
    path: hit[1],
    expected: error.expected,
    actual: error.actual,
    cause: error,
  });
}

/**
 * Bytes one record row holds in JS until the run ends, at least: its statistics in the result
 * (partialWidth(d) numbers, 3 per quantile level, its histogram), and in the accumulator one
 * dyadic node (partialWidth(d)) and one page of quantile-sketch counts (src/summary.ts, 4 096).
 */
export function recordRowBytes(d: number, quantiles: number, edges: number): number {
  return 8 * (2 * partialWidth(d) + 3 * quantiles + (edges + 1) + 4096);
}

/**
 * The record lives in JS memory, row by row, outside the wasm heap the memory limit guards; its
 * size is known before the run (rows × bytes per row, plus the trajectories), so a run whose
 * record would not fit the same limit fails before it starts, naming the fields that size it.
 */
function checkRecordMemory(
  r: { dim: number; steps: number; every: number; final: boolean; quantiles: number; edges: number; trajectories: number },
  limit: number,
): void {
  // The final row (record.final) is the final state's statistics, already held: only its copy counts.
  const rows = r.every > 0 ? Math.ceil(r.steps / r.every) + (r.final ? 1 : 0) : 0;
  const perRow = recordRowBytes(r.dim, r.quantiles, r.edges);
  const rowBytes = rows * perRow,
    trajBytes = 8 * (r.steps + 1) * r.trajectories * r.dim;
  if (rowBytes + trajBytes <= limit) return;
  const byRows = rowBytes >= trajBytes;
  const parts = [
    ...(rows
      ? [`${rows} record rows (⌈steps ${r.steps} / record.every ${r.every}⌉${r.final ? ' + the final row' : ''}) × ${formatBytes(perRow)}`]
      : []),
    ...(trajBytes ? [`trajectories ${formatBytes(trajBytes)} (record.trajectories ${r.trajectories} × (steps + 1) × dim ${r.dim})`] : []),
  ];
  const advice = byRows
    ? 'record less often (a larger record.every) or run fewer steps'
    : 'keep fewer trajectories (record.trajectories) or run fewer steps';
  throw new DescentError(
    'E_MEMORY',
    `simulate: the record needs ${formatBytes(rowBytes + trajBytes)} (${parts.join(' + ')}), over the memory limit of ` +
      `${formatBytes(limit)}; ${advice}, or raise memoryLimit`,
    { path: byRows ? 'simulate.record.every' : 'simulate.record.trajectories', expected: `≤ ${limit} bytes`, actual: rowBytes + trajBytes },
  );
}

interface Normalised {
  landscape: Landscape;
  optimizer: Optimizer | Sampler;
  noise: Noise;
  init: Init;
  particles: number;
  steps: number;
  seed: number;
  every: number;
  recordFinal: boolean;
  levels: number[];
  bits: number;
  edges: number[];
  paramEdges: number[];
  trajectories: number;
  gradTol: number;
  centers: Float64Array;
  radii: Float64Array;
  bound: number;
  regionList: Region[];
  track?: SharpnessTrack;
}

/** Histogram edges: an optional array of finite, strictly ascending numbers (undefined: none). */
function ascending(value: unknown, path: string): number[] {
  if (value === undefined) return [];
  const e = Array.from(vector(value, path, undefined, undefined, 'E_CONFIG', 1));
  for (let k = 1; k < e.length; k++) {
    if (!(e[k] > e[k - 1])) throw invalid('E_CONFIG', `${path}[${k}]`, `a number > ${e[k - 1]} (edges ascend)`, e[k]);
  }
  return e;
}

/** Validate `track` (undefined: no tracking). */
function sharpnessTrack(value: unknown, d: number, particles: number, steps: number): SharpnessTrack | undefined {
  const t = options<NonNullable<SimulateConfig['track']>>(value, 'simulate.track', ['sharpness']);
  if (t.sharpness === undefined) return undefined;
  const path = 'simulate.track.sharpness';
  const c = options<SharpnessTrackConfig>(t.sharpness, path, ['every', 'particles', 'k', 'tol', 'maxMatvecs', 'ncv']);
  const every = integer(c.every, `${path}.every`, { min: 1, max: steps });
  const m = integer(c.particles, `${path}.particles`, { min: 1, max: Math.min(particles, 4096) }, 1);
  const k = integer(c.k, `${path}.k`, { min: 1, max: Math.max(1, d - 1) }, 1);
  const ncv = d === 1 ? 1 : integer(c.ncv, `${path}.ncv`, { min: k + 1, max: d }, Math.min(d, Math.max(2 * k + 1, 20)));
  return {
    every,
    particles: m,
    k,
    ncv,
    tol: finite(c.tol, `${path}.tol`, { min: 0 }, 1e-8),
    maxMatvecs: integer(c.maxMatvecs, `${path}.maxMatvecs`, { min: 1, max: 1e7 }, 1000),
  };
}

/** The normalised config a result carries (JSON-serialisable; `simulate` of it reproduces the run). */
function resultConfig(n: Normalised): Record<string, unknown> {
  const config = {
    landscape: n.landscape.toJSON(),
    // One vocabulary: a sampler is written as `sampler`, whichever field it came in.
    ...(isSampler(n.optimizer) ? { sampler: n.optimizer } : { optimizer: n.optimizer }),
    noise: n.noise,
    init: n.init,
    particles: n.particles,
    steps: n.steps,
    seed: n.seed,
    // quantiles, quantileBits and lossEdges shape the final state's statistics too, so they are kept without `every`.
    record: {
      ...(n.every > 0 ? { every: n.every } : {}),
      ...(n.recordFinal ? { final: true } : {}),
      quantiles: n.levels,
      quantileBits: n.bits,
      ...(n.edges.length ? { lossEdges: n.edges } : {}),
      ...(n.paramEdges.length ? { paramEdges: n.paramEdges } : {}),
      ...(n.trajectories > 0 ? { trajectories: n.trajectories } : {}),
    },
    stop:
      n.gradTol > 0 || n.radii.length > 0
        ? {
            ...(n.gradTol > 0 ? { gradTol: n.gradTol } : {}),
            ...(n.radii.length
              ? {
                  regions: n.regionList.map((r) => ({ center: Array.from(r.center), radius: r.radius, ...(r.exit ? { exit: true } : {}) })),
                }
              : {}),
          }
        : undefined,
    divergenceBound: n.bound,
    track: n.track
      ? {
          sharpness: {
            every: n.track.every,
            particles: n.track.particles,
            k: n.track.k,
            tol: n.track.tol,
            maxMatvecs: n.track.maxMatvecs,
            ...(n.landscape.dim > 1 ? { ncv: n.track.ncv } : {}),
          },
        }
      : undefined,
  };
  return JSON.parse(JSON.stringify(config));
}
