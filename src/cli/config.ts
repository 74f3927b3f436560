/**
 * The CLI's config file: the `simulate` config in JSON form — exactly what `EnsembleResult.config`
 * holds, so a result's config can be run again — with every component in its JSON form:
 * `landscape` `{ kind, params }`, `optimizer`, `noise` and `init` as their factories return them
 * (`{ type, kind, params }`). Each component is rebuilt (and re-validated) by its `fromJSON`, so
 * a bad value fails with the same DescentError and path as the factory would give.
 *
 * @example
 * { "landscape": { "kind": "doubleWell", "params": { "dim": 1, "tilt": 0.1 } },
 *   "optimizer": { "type": "optimizer", "kind": "sgd", "params": { "lr": 0.05 } },
 *   "noise": { "type": "noise", "kind": "gaussian", "params": { "sigma": 1 } },
 *   "init": { "type": "init", "kind": "point", "params": { "x": [0] } },
 *   "particles": 100000, "steps": 1000, "seed": 1, "record": { "every": 10 } }
 */
import { DescentError } from '../errors.ts';
import * as landscapes from '../landscapes/index.ts';
import * as optimizers from '../optimizers/index.ts';
import * as samplers from '../samplers.ts';
import * as noises from '../noise.ts';
import * as inits from '../inits.ts';
import type { SimulateConfig } from '../simulate.ts';

const KEYS = ['landscape', 'optimizer', 'noise', 'init', 'particles', 'steps', 'seed', 'record', 'stop', 'divergenceBound', 'track'];

/** Overrides from the command line. */
export interface ConfigOverrides {
  particles?: number;
  steps?: number;
  seed?: number;
}

/** Rebuild a `simulate` config from its JSON form (already parsed). Throws DescentError with the path of the first bad field. */
export function configFromJSON(json: unknown, overrides: ConfigOverrides = {}): SimulateConfig {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new DescentError('E_CONFIG', 'the config must be a JSON object { landscape, optimizer, noise, init, particles, steps, seed, … }', { path: '', actual: json });
  }
  const j = json as Record<string, unknown>;
  for (const k of Object.keys(j)) {
    if (!KEYS.includes(k)) throw new DescentError('E_CONFIG', `${k} is not a key of a simulate config (known keys: ${KEYS.join(', ')})`, { path: k, actual: k });
  }
  for (const k of ['landscape', 'optimizer', 'init']) {
    if (j[k] === undefined) throw new DescentError('E_CONFIG', `${k} is missing (a simulate config needs landscape, optimizer, init, steps and seed)`, { path: k });
  }
  const config: Record<string, unknown> = { ...j };
  config.landscape = component('landscape', () => landscapes.fromJSON(j.landscape));
  config.optimizer = component('optimizer', () => ((j.optimizer as { type?: unknown } | null)?.type === 'sampler' ? samplers.fromJSON(j.optimizer) : optimizers.fromJSON(j.optimizer)));
  if (j.noise !== undefined && j.noise !== null) config.noise = component('noise', () => noises.fromJSON(j.noise));
  else delete config.noise;
  config.init = component('init', () => inits.fromJSON(j.init));
  for (const k of ['record', 'stop', 'track'] as const) if (j[k] === null) delete config[k];
  if (overrides.particles !== undefined) config.particles = overrides.particles;
  if (overrides.steps !== undefined) config.steps = overrides.steps;
  if (overrides.seed !== undefined) config.seed = overrides.seed;
  return config as unknown as SimulateConfig;
}

/** Build one component, prefixing its error's path with the config key when the factory's path does not start with it. */
function component<T>(key: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof DescentError && !error.path.startsWith(key)) {
      const path = error.path ? `${key}: ${error.path}` : key;
      throw new DescentError(error.code, `${key}: ${error.message}`, { path, expected: error.expected, actual: error.actual, cause: error });
    }
    throw error;
  }
}
