/**
 * A `simulate` config from its JSON form — what `EnsembleResult.config` holds and what the CLI's
 * config files are — so a run can be replayed from its own output:
 * `simulate(configFromJSON(JSON.parse(result.json).config))`. Every component needs only
 * `{ kind, params }` (landscape, optimizer or sampler, noise, init, and schedules inside them);
 * a `type` field, as the factories write it, is allowed and checked. Each component is rebuilt,
 * and re-validated, by its `fromJSON`, so a bad value fails with the same DescentError and path
 * as the factory would give.
 *
 * `simulate` accepts the same JSON forms directly (it revives them with {@link reviveParts}), as
 * well as components made by the other bundle (`descent` and `descent/inline` are separate
 * copies of the library: a landscape of one is not an instance of the other's class, so it is
 * rebuilt from its `kind` and `params`; optimisers, noise and inits are plain data in both).
 *
 * @example
 * { "landscape": { "kind": "doubleWell", "params": { "dim": 1, "tilt": 0.1 } },
 *   "optimizer": { "kind": "sgd", "params": { "lr": 0.05 } },
 *   "noise": { "kind": "gaussian", "params": { "sigma": 1 } },
 *   "init": { "kind": "point", "params": { "x": [0] } },
 *   "particles": 100000, "steps": 1000, "seed": 1, "record": { "every": 10 } }
 */
import { DescentError } from './errors.ts';
import * as landscapes from './landscapes/index.ts';
import { Landscape } from './landscapes/landscape.ts';
import * as optimizers from './optimizers/index.ts';
import * as samplers from './samplers.ts';
import { SAMPLER_KINDS } from './samplers.ts';
import * as noises from './noise.ts';
import * as inits from './inits.ts';
import { isKindData } from './validate.ts';
import type { Optimizer } from './optimizers/index.ts';
import type { Sampler } from './samplers.ts';
import type { Noise } from './noise.ts';
import type { Init } from './inits.ts';

// What a simulate config is (simulate.ts runs it; this file reads it from JSON).

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

/** Overrides (the CLI's --particles, --steps, --seed). */
export interface ConfigOverrides {
  particles?: number;
  steps?: number;
  seed?: number;
}

/**
 * Rebuild a `simulate` config from its JSON form (already parsed; e.g. a result's `config`).
 * Throws DescentError (E_CONFIG) with the path of the first bad field.
 */
export function configFromJSON(json: unknown, overrides: ConfigOverrides = {}): SimulateConfig {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new DescentError(
      'E_CONFIG',
      'the config must be a JSON object { landscape, optimizer, noise, init, particles, steps, seed, … }',
      { path: 'config', actual: json },
    );
  }
  const j = json as Record<string, unknown>;
  for (const k of Object.keys(j)) {
    if (!CONFIG_KEYS.includes(k))
      throw new DescentError('E_CONFIG', `${k} is not a key of a simulate config (known keys: ${CONFIG_KEYS.join(', ')})`, {
        path: k,
        actual: k,
      });
  }
  const rule = ruleKey(j, '');
  for (const k of ['landscape', rule, 'init']) {
    if (j[k] === undefined)
      throw new DescentError(
        'E_CONFIG',
        `${k} is missing (a simulate config needs landscape, optimizer or sampler, init, steps and seed)`,
        {
          path: k,
        },
      );
  }
  const config: Record<string, unknown> = { ...j };
  config.landscape = component('landscape', () => landscapes.fromJSON(j.landscape));
  if (rule === 'sampler') config.sampler = component('sampler', () => samplers.fromJSON(j.sampler));
  else config.optimizer = component('optimizer', () => ruleFromJSON(j.optimizer));
  if (j.noise !== undefined && j.noise !== null) config.noise = component('noise', () => noises.fromJSON(j.noise));
  else delete config.noise;
  config.init = component('init', () => inits.fromJSON(j.init));
  // JSON has no undefined: a written-out null means "none".
  for (const k of ['record', 'stop', 'track'] as const) if (j[k] === null) delete config[k];
  if (overrides.particles !== undefined) config.particles = overrides.particles;
  if (overrides.steps !== undefined) config.steps = overrides.steps;
  if (overrides.seed !== undefined) config.seed = overrides.seed;
  return config as unknown as SimulateConfig;
}

/**
 * @internal `simulate`'s view of a config: components made by this copy's factories as they
 * are; their JSON forms, and components made by another copy of the library, rebuilt by their
 * `fromJSON`. Anything else is left for simulate's own checks to reject.
 */
export function reviveParts<T extends Partial<Record<'landscape' | 'optimizer' | 'sampler' | 'noise' | 'init', unknown>>>(
  c: T,
  path: string,
): T {
  const out: Record<string, unknown> = { ...c };
  const l = c.landscape;
  // Another copy's Landscape has kind and params like its JSON; fromJSON names an unknown kind.
  if (!(l instanceof Landscape) && hasKind(l))
    out.landscape = component(`${path}.landscape`, () => landscapes.fromJSON({ kind: l.kind, params: (l as { params?: unknown }).params }));
  const o = c.optimizer;
  if (!(Object.isFrozen(o) && (optimizers.isOptimizer(o) || samplers.isSampler(o))) && hasKind(o))
    out.optimizer = component(`${path}.optimizer`, () => ruleFromJSON(o));
  const s = c.sampler;
  if (!(Object.isFrozen(s) && samplers.isSampler(s)) && hasKind(s)) out.sampler = component(`${path}.sampler`, () => samplers.fromJSON(s));
  const n = c.noise;
  if (!(Object.isFrozen(n) && noises.isNoise(n)) && hasKind(n)) out.noise = component(`${path}.noise`, () => noises.fromJSON(n));
  const i = c.init;
  if (!(Object.isFrozen(i) && inits.isInit(i)) && hasKind(i)) out.init = component(`${path}.init`, () => inits.fromJSON(i));
  return out as T;
}

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

/** An object naming a kind: a component or its JSON form. */
function hasKind(v: unknown): v is { kind: string } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as { kind?: unknown }).kind === 'string';
}

/** An optimiser or a sampler from `{ kind, params }`: the kind says which (their kinds are disjoint), or `type` when given. */
function ruleFromJSON(v: unknown) {
  const t = (v as { type?: unknown } | null)?.type;
  if (t === 'sampler' || (t === undefined && isKindData(v, SAMPLER_KINDS, 'sampler'))) return samplers.fromJSON(v);
  return optimizers.fromJSON(v);
}

/** Build one component, prefixing its error's path with the config key when the factory's path does not start with it. */
function component<T>(key: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof DescentError && !error.path.startsWith(key)) {
      const path = error.path ? `${key}: ${error.path}` : key;
      throw new DescentError(error.code, `${key}: ${error.message}`, {
        path,
        expected: error.expected,
        actual: error.actual,
        cause: error,
      });
    }
    throw error;
  }
}
