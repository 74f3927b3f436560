/**
 * A `simulate` config from its JSON form — what `EnsembleResult.config` holds and what the CLI's
 * config files are — so a run can be replayed from its own output:
 * `simulate(configFromJSON(JSON.parse(result.json).config))`. Every component needs only
 * `{ kind, params }` (landscape, optimizer or sampler, noise, init, and schedules inside them);
 * a `type` field, as the factories write it, is allowed and checked. Each component is rebuilt,
 * and re-validated, by its `fromJSON`, so a bad value fails with the same DescentError and path
 * as the factory would give.
 *
 * `simulate` from `descent` accepts the same JSON forms directly (it revives them with
 * {@link reviveParts}; descent/simulate, which carries no factory it is not given, does not), as
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
import { CONFIG_KEYS, hasKind, ruleKey, type SimulateConfig } from './config.ts';

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
