/**
 * `minimize`: one optimiser trajectory on a landscape, run in wasm in chunks (each chunk one
 * call; between chunks the event loop runs, so progress is reported and an AbortSignal is
 * honoured within one chunk). For many trajectories at once use `simulate`.
 */
import { dedicated, runOn } from '../bindings/engine.ts';
import { Trajectory } from '../bindings/trajectory.ts';
import { invalid, sizedBy } from './errors.ts';
import { checkChunkOptions, runChunks } from './chunks.ts';
import { Landscape } from './landscapes/landscape.ts';
import { isOptimizer, type Optimizer } from './optimizers/index.ts';
import { packOptimizer } from './optimizers/optimizer.ts';
import { isCurvatureOptimizer } from './optimizers/curvature.ts';
import { isDistributedOptimizer } from './optimizers/distributed.ts';
import { integer, options, point } from './validate.ts';
import type { ComponentJSON } from './config.ts';
import { reviveParts } from './revive.ts';
import type { LandscapeJSON } from './landscapes/landscape.ts';
import type { SimulateConfig } from './config.ts';
import type { SimulateOptions } from './simulate.ts';

/**
 * What {@link minimize} runs: everything its numbers depend on, as {@link SimulateConfig} is for
 * `simulate` (one vocabulary: what changes results is config, what does not is options). A
 * result's own `config` is one, so `minimize(result.config)` replays a run; the landscape and
 * optimiser may be in their JSON form `{ kind, params }`.
 */
export interface MinimizeConfig {
  landscape: Landscape | ComponentJSON;
  optimizer: Optimizer | ComponentJSON;
  /** The start x₀ (length: the landscape's dimension). */
  x0: ArrayLike<number>;
  /** Number of optimiser steps T (≥ 1). */
  steps: number;
  /** What to keep besides the losses. */
  record?: {
    /** Keep the path x₀ … x_T as `result.trajectories` ((T + 1)·d doubles). Default false. */
    trajectories?: boolean;
  };
}

/** Options of {@link minimize} that do not change results (as {@link SimulateOptions} are for `simulate`). */
export interface MinimizeOptions {
  /** Steps per wasm call. Default: about 10⁵ coordinate updates per call. Does not change results. */
  chunkSize?: number;
  /** Cancels the run within one chunk (rejects with E_ABORTED). */
  signal?: AbortSignal;
  /** Called after each chunk with the steps done so far. */
  onProgress?: (progress: { step: number; steps: number }) => void;
  /**
   * @deprecated Only in the old call `minimize(landscape, optimizer, x0, { steps })`: steps are
   * config, `minimize({ landscape, optimizer, x0, steps })`.
   */
  steps?: number;
  /**
   * @deprecated Only in the old call `minimize(landscape, optimizer, x0, { steps, trajectory })`:
   * use `record: { trajectories: true }` in the config, which gives `result.trajectories` (with x₀).
   */
  trajectory?: boolean;
}

/** What {@link minimize} returns. */
export interface MinimizeResult {
  /** The final iterate x_T (non-finite if the run diverged: see `divergedAt`). */
  x: Float64Array;
  /** f(x_T) (NaN if diverged): `loss`, as f at a point is called in every result. */
  loss: number;
  /** @deprecated The same number as {@link MinimizeResult.loss}; kept for one release. */
  value: number;
  /** f(x_t) before each step t = 0 … T−1 (or up to divergence). */
  losses: Float64Array;
  /**
   * The path x₀, x₁, …, x_T (or up to divergence), row-major (steps + 1) × dim, when
   * `record.trajectories` was asked for — laid out as `simulate`'s `trajectories` of one particle.
   */
  trajectories?: { particles: 1; data: Float64Array };
  /**
   * @deprecated x₁ … x_T without x₀ (a view on `trajectories.data` after its first row); kept for
   * one release. Use {@link MinimizeResult.trajectories}.
   */
  trajectory?: Float64Array;
  /** Steps run: T, or fewer if the iterate diverged. */
  steps: number;
  /** The step whose iterate first became non-finite, or −1. Divergence is data, not an error. */
  divergedAt: number;
  /** The config the result came from, in JSON form: `minimize(result.config)` runs it again. */
  config: { landscape: LandscapeJSON; optimizer: Optimizer; x0: number[]; steps: number; record?: { trajectories: true } };
}

/**
 * Run `steps` steps of `optimizer` on `landscape` from `x0`.
 * @example
 * const r = await descent.minimize({
 *   landscape: descent.landscapes.rosenbrock(),
 *   optimizer: descent.optimizers.adam({ lr: 0.01 }),
 *   x0: [-1.2, 1],
 *   steps: 2000,
 * });
 * r.x; r.losses;
 */
export async function minimize(config: MinimizeConfig, options?: MinimizeOptions): Promise<MinimizeResult>;
/**
 * @deprecated The old call, with the steps among the options: use
 * `minimize({ landscape, optimizer, x0, steps }, options)`, as `simulate` takes its steps.
 */
export async function minimize(
  landscape: Landscape,
  optimizer: Optimizer,
  x0: ArrayLike<number>,
  opts: MinimizeOptions & { steps: number },
): Promise<MinimizeResult>;
export async function minimize(...args: unknown[]): Promise<MinimizeResult> {
  const { landscape, optimizer, x0, steps, keep, o, at, stepsPath } = callOf(args);
  const x = point(x0, `${at}x0`, landscape.dim).slice();
  const d = landscape.dim;
  const chunk = integer(o.chunkSize, 'minimize.options.chunkSize', { min: 1 }, Math.max(1, Math.min(steps, Math.ceil(1e5 / d))));
  // Curvature-aware optimisers need the landscape inside their step: the ensemble loop has it, this path does not.
  if (isCurvatureOptimizer(optimizer) || isDistributedOptimizer(optimizer))
    throw invalid(
      'E_CONFIG',
      `${at}optimizer`,
      `a first-order optimizer (optimizers.${optimizer.kind} runs in simulate only; use simulate({ particles: 1, … }) for one trajectory)`,
      optimizer.kind,
    );
  const rule = packOptimizer(optimizer);
  checkChunkOptions(o, 'minimize.options', 'minimize');

  const live = await dedicated('minimize');
  // The trajectory's buffers hold steps losses (and steps × dim positions when the path is kept).
  const traj = sizedBy(stepsPath, () => runOn(live, 'minimize', (l) => new Trajectory(l, landscape.packed(l), rule, x, steps, keep)));
  let divergedAt = -1;
  const report = o.onProgress;
  const done = await runChunks('minimize', steps, chunk, { signal: o.signal, onProgress: report && ((p) => report(p)) }, (t0, t1) => {
    divergedAt = runOn(live, 'minimize', () => traj.advance(t0, t1));
    return divergedAt >= 0 ? { done: divergedAt + 1, stop: true } : { done: t1, stop: false };
  });
  const { x: xT, losses, xs } = runOn(live, 'minimize', () => traj.read(done));
  const loss = divergedAt >= 0 ? NaN : landscape.value(xT);
  const path = xs ? withStart(x, xs) : undefined;
  return {
    x: xT,
    loss,
    value: loss,
    losses,
    ...(path ? { trajectories: { particles: 1 as const, data: path }, trajectory: path.subarray(d) } : {}),
    steps: done,
    divergedAt,
    config: {
      landscape: landscape.toJSON(),
      optimizer,
      x0: Array.from(x),
      steps,
      ...(keep ? { record: { trajectories: true as const } } : {}),
    },
  };
}

/** x₀ followed by the rows x₁ … x_t. */
function withStart(x0: Float64Array, xs: Float64Array): Float64Array {
  const out = new Float64Array(x0.length + xs.length);
  out.set(x0);
  out.set(xs, x0.length);
  return out;
}

/**
 * The two calls read as one: `minimize(config, options)`, or the deprecated
 * `minimize(landscape, optimizer, x0, { steps, trajectory, … })`. `at` prefixes the paths of the
 * config's fields (`minimize.x0` or `minimize: x0`, as each call has always named them).
 */
function callOf(args: unknown[]) {
  const oldCall = args.length > 2 || args[0] instanceof Landscape;
  if (oldCall) {
    const [landscape, optimizer, x0, opts] = args;
    const o = options<MinimizeOptions>(opts, 'minimize.options', ['steps', 'trajectory', 'chunkSize', 'signal', 'onProgress']);
    if (o.trajectory !== undefined && typeof o.trajectory !== 'boolean')
      throw invalid('E_CONFIG', 'minimize.options.trajectory', 'true or false', o.trajectory);
    const steps = integer(o.steps, 'minimize.options.steps', { min: 1, max: MAX_STEPS });
    const parts = checkParts(landscape, optimizer, 'minimize: ');
    return { ...parts, x0, steps, keep: o.trajectory === true, o, at: 'minimize: ', stepsPath: 'minimize.options.steps' };
  }
  const c = reviveParts(options<MinimizeConfig>(args[0], 'minimize', ['landscape', 'optimizer', 'x0', 'steps', 'record']), 'minimize');
  const o = options<MinimizeOptions>(args[1], 'minimize.options', ['chunkSize', 'signal', 'onProgress']);
  const rec = options<NonNullable<MinimizeConfig['record']>>(c.record, 'minimize.record', ['trajectories']);
  if (rec.trajectories !== undefined && typeof rec.trajectories !== 'boolean')
    throw invalid('E_CONFIG', 'minimize.record.trajectories', 'true or false', rec.trajectories);
  const steps = integer(c.steps, 'minimize.steps', { min: 1, max: MAX_STEPS });
  const parts = checkParts(c.landscape, c.optimizer, 'minimize.', ' (or its JSON { kind, params })');
  return { ...parts, x0: c.x0, steps, keep: rec.trajectories === true, o, at: 'minimize.', stepsPath: 'minimize.steps' };
}

const MAX_STEPS = 2 ** 31 - 2;

/** The landscape and optimiser of a call, checked. */
function checkParts(landscape: unknown, optimizer: unknown, at: string, json = ''): { landscape: Landscape; optimizer: Optimizer } {
  if (!(landscape instanceof Landscape)) throw invalid('E_CONFIG', `${at}landscape`, `a landscape from landscapes.*${json}`, landscape);
  if (!isOptimizer(optimizer)) throw invalid('E_CONFIG', `${at}optimizer`, `an optimizer from optimizers.*${json}`, optimizer);
  return { landscape, optimizer };
}
