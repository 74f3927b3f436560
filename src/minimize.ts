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

/** Options of {@link minimize}. */
export interface MinimizeOptions {
  /** Number of optimiser steps T (≥ 1). */
  steps: number;
  /** Keep every iterate x_1 … x_T (T·d doubles). Default false: only the losses. */
  trajectory?: boolean;
  /** Steps per wasm call. Default: about 10⁵ coordinate updates per call. Does not change results. */
  chunkSize?: number;
  /** Cancels the run within one chunk (rejects with E_ABORTED). */
  signal?: AbortSignal;
  /** Called after each chunk with the steps done so far. */
  onProgress?: (progress: { step: number; steps: number }) => void;
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
  /** x_{t+1} after each step, row-major steps×dim, when `trajectory` was asked for. */
  trajectory?: Float64Array;
  /** Steps run: T, or fewer if the iterate diverged. */
  steps: number;
  /** The step whose iterate first became non-finite, or −1. Divergence is data, not an error. */
  divergedAt: number;
  /** The configs the result came from. */
  config: { landscape: unknown; optimizer: Optimizer; x0: number[]; steps: number };
}

/**
 * Run `steps` steps of `optimizer` on `landscape` from `x0`.
 * @example
 * const r = await descent.minimize(descent.landscapes.rosenbrock(), descent.optimizers.adam({ lr: 0.01 }), [-1.2, 1], { steps: 2000 });
 * r.x; r.losses;
 */
export async function minimize(
  landscape: Landscape,
  optimizer: Optimizer,
  x0: ArrayLike<number>,
  opts: MinimizeOptions,
): Promise<MinimizeResult> {
  if (!(landscape instanceof Landscape)) throw invalid('E_CONFIG', 'minimize: landscape', 'a landscape from landscapes.*', landscape);
  if (!isOptimizer(optimizer)) throw invalid('E_CONFIG', 'minimize: optimizer', 'an optimizer from optimizers.*', optimizer);
  const x = point(x0, 'minimize: x0', landscape.dim).slice();
  const o = options<MinimizeOptions>(opts, 'minimize.options', ['steps', 'trajectory', 'chunkSize', 'signal', 'onProgress']);
  const steps = integer(o.steps, 'minimize.options.steps', { min: 1, max: 2 ** 31 - 2 });
  const d = landscape.dim;
  const chunk = integer(o.chunkSize, 'minimize.options.chunkSize', { min: 1 }, Math.max(1, Math.min(steps, Math.ceil(1e5 / d))));
  // Curvature-aware optimisers need the landscape inside their step: the ensemble loop has it, this path does not.
  if (isCurvatureOptimizer(optimizer) || isDistributedOptimizer(optimizer))
    throw invalid(
      'E_CONFIG',
      'minimize: optimizer',
      `a first-order optimizer (optimizers.${optimizer.kind} runs in simulate only; use simulate({ particles: 1, … }) for one trajectory)`,
      optimizer.kind,
    );
  const rule = packOptimizer(optimizer);
  checkChunkOptions(o, 'minimize.options', 'minimize');

  const live = await dedicated('minimize');
  // The trajectory's buffers hold steps losses (and steps × dim positions with trajectory: true).
  const traj = sizedBy('minimize.options.steps', () =>
    runOn(live, 'minimize', (l) => new Trajectory(l, landscape.packed(l), rule, x, steps, o.trajectory === true)),
  );
  let divergedAt = -1;
  const done = await runChunks('minimize', steps, chunk, o, (t0, t1) => {
    divergedAt = runOn(live, 'minimize', () => traj.advance(t0, t1));
    return divergedAt >= 0 ? { done: divergedAt + 1, stop: true } : { done: t1, stop: false };
  });
  const { x: xT, losses, xs } = runOn(live, 'minimize', () => traj.read(done));
  const loss = divergedAt >= 0 ? NaN : landscape.value(xT);
  return {
    x: xT,
    loss,
    value: loss,
    losses,
    ...(xs ? { trajectory: xs } : {}),
    steps: done,
    divergedAt,
    config: { landscape: landscape.toJSON(), optimizer, x0: Array.from(x), steps },
  };
}
