/**
 * What a `simulate` config is: its types and keys, and which of its parts are not components.
 * Reading one from its JSON form (`configFromJSON`, and simulate's revival of `{ kind, params }`
 * parts) is revive.ts, which needs every factory: `simulate` from `descent` carries it,
 * descent/simulate does not (issue 21: a lean embed).
 */
import { DescentError } from './errors.ts';
import { Landscape } from './landscapes/landscape.ts';
import { isOptimizer, type Optimizer } from './optimizers/optimizer.ts';
import { isSampler, type Sampler } from './sampler.ts';
import { isNoise, type Noise } from './noiseModel.ts';
import { isInit, type Init } from './inits.ts';

// What a simulate config is (simulate.ts runs it; revive.ts reads it from JSON).

/**
 * A ball that stops a particle when it enters it (basins, escapes), or — with `exit: true` — when
 * it leaves it (first-exit times: the particle stops at the first x_t with ‖x_t − center‖ ≥ radius).
 */
export interface Region {
  center: ArrayLike<number>;
  radius: number;
  /** Stop on leaving the ball instead of on entering it. Default false. */
  exit?: boolean;
}

/**
 * A component in its JSON form, as a result's `config` holds it: `{ kind, params }` (the factories
 * also write `type`, which may be left out). `simulate` rebuilds it with the kind's factory.
 */
export interface ComponentJSON {
  kind: string;
  params?: unknown;
  type?: string;
}

/**
 * Config of {@link simulate}: plain data, JSON-serialisable. Its update rule is an `optimizer`
 * (`optimizers.*`) or a `sampler` (`samplers.*`): exactly one of the two.
 */
export interface SimulateConfig {
  landscape: Landscape;
  /**
   * An optimiser (`optimizers.*`); give a sampler as `sampler` instead. (A sampler here still
   * runs, as before — deprecated, kept for one release; the result's config names it `sampler`.)
   */
  optimizer?: Optimizer | Sampler;
  /** A Langevin or Stein sampler (`samplers.*`), instead of an `optimizer`. */
  sampler?: Sampler;
  /** Gradient noise. Default `noise.none()`. */
  noise?: Noise;
  /** Where particles start. */
  init: Init;
  /** Number of particles P (implied by grid and array inits). */
  particles?: number;
  /** Steps T. */
  steps: number;
  /** Seed of every random draw (noise, random inits). */
  seed: number;
  /** What to record besides the final state. */
  record?: {
    /**
     * Statistics every k steps (t = 0, k, 2k, … < T): loss mean/variance/min/max/quantiles, mean ‖∇f‖, per-coordinate mean and variance.
     */
    every?: number;
    /** Loss quantile levels (of records and of the final state). Default [0.05, 0.25, 0.5, 0.75, 0.95]. */
    quantiles?: number[];
    /**
     * Mantissa bits b of the mergeable quantile sketch, 1–19 (default 8): quantiles are exact
     * type-7 quantiles of the losses rounded to 2^−b relative buckets, so within relative error
     * 2^−(b+1) of the exact ones; memory grows as 2^b buckets per binade the losses span.
     */
    quantileBits?: number;
    /** Ascending edges of a loss histogram (records and final state): bins (−∞, e₀), [e₀, e₁), …, [e_{k−1}, ∞). */
    lossEdges?: number[];
    /** Ascending edges of a histogram of each coordinate of the final state x_T (e.g. which basin): bins as for lossEdges. */
    paramEdges?: number[];
    /** Keep the full paths x_0 … x_T of the first m particles. */
    trajectories?: number;
    /**
     * Append the final state x_T as a last record row, at step T (default false: rows stop at the
     * last multiple of `every` below T, so `steps: 100, every: 10` records 0 … 90). Needs `every`.
     * The row holds the final statistics (`result.final`); its mean ‖∇f‖ is NaN, as no gradient
     * is taken at x_T. Opt-in so existing records keep their rows; the result hash is unchanged.
     */
    final?: boolean;
  };
  /** Per-particle stop conditions, tested on x_t before each step. */
  stop?: {
    /** Stop when ‖∇f(x_t)‖ < gradTol. */
    gradTol?: number;
    /** Stop on entering a region (first one listed wins); the result says which, and when. */
    regions?: Region[];
  };
  /** A particle with max_j |x_j| above this (or non-finite) has diverged. Default 1e100. */
  divergenceBound?: number;
  /** Curvature measured inside the run. */
  track?: {
    /**
     * Top-k Hessian eigenvalues (thick-restart Lanczos, spectral.topEigenvalues' algorithm) of the
     * first `particles` particles at steps t = 0, every, 2·every, … < steps, with the loss there.
     * The result's `sharpness` holds them; `catapults(result)` finds catapult episodes in it.
     */
    sharpness?: SharpnessTrackConfig;
  };
}

/** Config of the sharpness tracker. */
export interface SharpnessTrackConfig {
  /** Measure every `every` steps (required). */
  every: number;
  /** How many particles (the first ones). Default 1. */
  particles?: number;
  /** How many top eigenvalues. Default 1; below the dimension (1 for d = 1). */
  k?: number;
  /** Lanczos relative residual tolerance. Default 1e-8. */
  tol?: number;
  /** Lanczos product budget per measurement. Default 1000. */
  maxMatvecs?: number;
  /** Lanczos basis size, k < ncv ≤ d. Default min(d, max(2k + 1, 20)). */
  ncv?: number;
}

/**
 * What {@link simulate} takes: a {@link SimulateConfig} whose components may also be in their JSON
 * form (so `simulate(JSON.parse(text).config)` replays a run; `configFromJSON` builds them).
 */
export type SimulateConfigJSON = Omit<SimulateConfig, 'landscape' | 'optimizer' | 'sampler' | 'noise' | 'init'> & {
  landscape: Landscape | ComponentJSON;
  optimizer?: Optimizer | Sampler | ComponentJSON;
  sampler?: Sampler | ComponentJSON;
  noise?: Noise | ComponentJSON;
  init: Init | ComponentJSON;
};

/** @internal The keys of a simulate config. */
export const CONFIG_KEYS = [
  'landscape',
  'optimizer',
  'sampler',
  'noise',
  'init',
  'particles',
  'steps',
  'seed',
  'record',
  'stop',
  'divergenceBound',
  'track',
];

/**
 * @internal Which field holds a config's update rule: `sampler` when it is given, else
 * `optimizer`; both at once is an error (at `path` + the key).
 */
export function ruleKey(c: { optimizer?: unknown; sampler?: unknown }, path: string): 'optimizer' | 'sampler' {
  if (c.sampler === undefined) return 'optimizer';
  if (c.optimizer !== undefined)
    throw new DescentError('E_CONFIG', `${path}sampler: give an optimizer or a sampler, not both`, {
      path: `${path}sampler`,
      expected: 'optimizer or sampler, one of the two',
      actual: 'both',
    });
  return 'sampler';
}

/** @internal An object naming a kind: a component or its JSON form. */
export function hasKind(v: unknown): v is { kind: string } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { kind?: unknown }).kind === 'string';
}

/**
 * @internal The first part of a config that is not a component of this copy of the library — its
 * JSON `{ kind, params }`, or a component of the other bundle — and so must be rebuilt by
 * revive.ts (reviveParts' own tests, here so that a run made of components never loads every
 * factory); undefined when there is none.
 */
export function revivalField(
  c: Partial<Record<'landscape' | 'optimizer' | 'sampler' | 'noise' | 'init', unknown>>,
): 'landscape' | 'optimizer' | 'sampler' | 'noise' | 'init' | undefined {
  const { landscape: l, optimizer: o, sampler: s, noise: n, init: i } = c;
  if (!(l instanceof Landscape) && hasKind(l)) return 'landscape';
  if (!(Object.isFrozen(o) && (isOptimizer(o) || isSampler(o))) && hasKind(o)) return 'optimizer';
  if (!(Object.isFrozen(s) && isSampler(s)) && hasKind(s)) return 'sampler';
  if (!(Object.isFrozen(n) && isNoise(n)) && hasKind(n)) return 'noise';
  if (!(Object.isFrozen(i) && isInit(i)) && hasKind(i)) return 'init';
  return undefined;
}
