/**
 * From the controls' state to descent configs, through the public API only: every component is
 * rebuilt by its `fromJSON` (the same validation as its factory), so a bad value fails with the
 * library's own DescentError, naming the field. Runs in the worker.
 */
import * as descent from 'descent';
import type { Catalog, State } from './protocol.ts';
import { MAX_LIVE, MAX_POINTS, MAX_ROWS, NO_STEP_SIZE, NOISES, OPTIMIZER_ARGS, presetOf, SAMPLER_ARGS } from './presets.ts';
import { parse, parseList, parseNumberOrList } from './state.ts';

type Params = Record<string, unknown>;

/** The library's defaults for every 2-d landscape it has, every optimiser and sampler, and every noise model a test function takes. */
export function buildCatalog(): Catalog {
  const landscapes: Catalog['landscapes'] = [];
  for (const kind of descent.landscapes.kinds) {
    const config = presetOf(kind).config;
    offer('landscape', kind, () => {
      let l = descent.landscapes.fromJSON({ kind, params: config });
      const dim = 'dim' in l.params;
      if (dim && l.dim !== 2) l = descent.landscapes.fromJSON({ kind, params: { ...config, dim: 2 } });
      if (l.dim !== 2) throw new Error(`it is ${l.dim}-dimensional with this config`);
      const { dim: _, ...params } = l.params as Params;
      landscapes.push({ kind, params, dim });
    });
  }
  const optimizers: Catalog['optimizers'] = [];
  for (const kind of descent.optimizers.kinds) {
    offer('optimizer', kind, () => optimizers.push({ kind, family: 'optimizer', params: { ...descent.optimizers.fromJSON({ kind, params: { lr: 0.01, ...OPTIMIZER_ARGS[kind] } }).params } }));
  }
  for (const kind of descent.samplers.kinds) {
    const step = NO_STEP_SIZE.has(kind) ? {} : { stepSize: 0.01 };
    offer('sampler', kind, () => optimizers.push({ kind, family: 'sampler', params: { ...descent.samplers.fromJSON({ kind, params: { ...step, ...SAMPLER_ARGS[kind] } }).params } }));
  }
  const noises: Catalog['noises'] = [];
  for (const [kind, args] of Object.entries(NOISES)) {
    offer('noise model', kind, () => noises.push({ kind, params: { ...descent.noise.fromJSON({ type: 'noise', kind, params: args ?? {} }).params } }));
  }
  return { version: descent.version, maxPoints: MAX_POINTS, maxLive: MAX_LIVE, landscapes, optimizers, noises };
}

/** Add a choice, or say on the console why it is left out (a kind added to the library that needs arguments presets.ts does not have yet). */
function offer(what: string, kind: string, add: () => void): void {
  try {
    add();
  } catch (e) {
    console.warn(`playground: ${what} ${kind} is not offered (${(e as Error).message}); add its arguments in playground/presets.ts`);
  }
}

/** The controls with prefix `prefix` (`l.`, `o.`, `n.`) as a params object, each typed like its default in `defaults`. */
function group(state: State, prefix: string, defaults: Params): Params {
  const out: Params = {};
  for (const [key, like] of Object.entries(defaults)) {
    const v = parse(state[prefix + key], like);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** A config error of the playground itself (not of a library factory), in the library's form. */
function invalid(path: string, expected: string, actual: string | undefined): descent.DescentError {
  return new descent.DescentError('E_CONFIG', `${path} must be ${expected}, got ${JSON.stringify(actual ?? '')}`, { path, expected, actual });
}

/** The landscape of the state (2-d). */
export function landscapeOf(catalog: Catalog, state: State): descent.Landscape {
  const kind = state.landscape;
  const entry = catalog.landscapes.find((l) => l.kind === kind);
  const params = { ...group(state, 'l.', entry?.params ?? {}), ...(entry?.dim ? { dim: 2 } : {}) };
  const l = descent.landscapes.fromJSON({ kind, params });
  if (l.dim !== 2) throw new descent.DescentError('E_CONFIG', `${kind} has dimension ${l.dim} with these parameters; the playground draws 2-d landscapes`, { path: kind, expected: 'dimension 2', actual: l.dim });
  return l;
}

/** The view box [xmin, xmax, ymin, ymax]. */
export function viewOf(state: State): [number, number, number, number] {
  const v = parseList(state.view);
  if (!Array.isArray(v) || v.length !== 4 || !(v[0] < v[1]) || !(v[2] < v[3]) || !v.every(Number.isFinite)) {
    throw invalid('playground.view', 'four numbers xmin, xmax, ymin, ymax with xmin < xmax and ymin < ymax', state.view);
  }
  return v as [number, number, number, number];
}

/**
 * Points at the centres of an nx × ny pixel grid over the view, row-major from the top row
 * (y = ymax) down, as `valueBatch` takes them. Grid coordinates are display inputs, not results.
 */
export function gridPoints(view: readonly number[], nx: number, ny: number): Float64Array {
  const [x0, x1, y0, y1] = view;
  const xs = new Float64Array(2 * nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      xs[2 * (j * nx + i)] = x0 + ((i + 0.5) * (x1 - x0)) / nx;
      xs[2 * (j * nx + i) + 1] = y1 - ((j + 0.5) * (y1 - y0)) / ny;
    }
  }
  return xs;
}

/**
 * The `simulate` config of the state: loss statistics every ⌈T/300⌉ steps, and — when
 * particles × (steps + 1) ≤ MAX_POINTS — every particle's trajectory (for the replay).
 */
export function runOf(catalog: Catalog, state: State): descent.SimulateConfig {
  const landscape = landscapeOf(catalog, state);
  const o = catalog.optimizers.find((e) => e.kind === state.optimizer);
  const oParams = group(state, 'o.', o?.params ?? {});
  const rule = o?.family === 'sampler'
    ? { sampler: descent.samplers.fromJSON({ kind: state.optimizer, params: oParams }) }
    : { optimizer: descent.optimizers.fromJSON({ kind: state.optimizer, params: oParams }) };
  const n = catalog.noises.find((e) => e.kind === state.noise);
  const noise = descent.noise.fromJSON({ type: 'noise', kind: state.noise, params: group(state, 'n.', n?.params ?? {}) });
  const init = descent.inits.normal({ mean: parseList(state.mean) as number[], std: parseNumberOrList(state.std) as number });
  const particles = parse(state.particles, 0) as number;
  const steps = parse(state.steps, 0) as number;
  const seed = parse(state.seed, 0) as number;
  if (typeof particles === 'number' && particles > MAX_LIVE) {
    throw new descent.DescentError('E_CONFIG',
      `particles = ${particles} is more than the playground draws (${MAX_LIVE}); use the library itself or the descent CLI for bigger runs`,
      { path: 'playground.particles', expected: `particles ≤ ${MAX_LIVE}`, actual: particles });
  }
  const every = typeof steps === 'number' ? Math.max(1, Math.ceil(steps / MAX_ROWS)) : 1;
  // Small runs keep every path, for the replay; bigger ones are drawn live (live.ts) and keep none.
  const replay = typeof particles === 'number' && typeof steps === 'number' && particles * (steps + 1) <= MAX_POINTS;
  return { landscape, ...rule, noise, init, particles, steps, seed, record: { every, ...(replay ? { trajectories: particles } : {}) } };
}
