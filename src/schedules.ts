/**
 * `schedules.*`: learning-rate schedules η_t, t = 0, 1, 2, … (one value per optimiser step).
 * Pass one as an optimiser's `lr`: `optimizers.sgd({ lr: schedules.cosine({ lr: 0.1, steps: 1000 }) })`.
 * Each is a closed form of t (assembly/schedules.ts), so a run's rates do not depend on chunking.
 */
import { run } from '../bindings/engine.ts';
import { DescentError, sizedBy } from './errors.ts';
import { finite, integer, isKindData, options, vector } from './validate.ts';
import { SCHEDULE_KINDS, isSchedule, packSchedule, type Schedule, type ScheduleKind } from './schedule.ts';

export { isSchedule, type Schedule, type ScheduleKind } from './schedule.ts';

function make<P>(kind: ScheduleKind, params: P): Schedule<P> {
  return Object.freeze({ type: 'schedule', kind, params: Object.freeze(params) });
}

const lr0 = (v: unknown, path: string) => finite(v, path, { min: 0 });

/** η_t = lr. */
export function constant(config: { lr: number }): Schedule<{ lr: number }> {
  const c = options<{ lr: number }>(config, 'schedules.constant', ['lr']);
  return make('constant', { lr: lr0(c.lr, 'schedules.constant.lr') });
}

/** Step decay (torch StepLR): η_t = lr·γ^⌊t/stepSize⌋. */
export function step(config: { lr: number; stepSize: number; gamma?: number }): Schedule<{ lr: number; stepSize: number; gamma: number }> {
  const c = options<{ lr: number; stepSize: number; gamma: number }>(config, 'schedules.step', ['lr', 'stepSize', 'gamma']);
  return make('step', {
    lr: lr0(c.lr, 'schedules.step.lr'),
    stepSize: integer(c.stepSize, 'schedules.step.stepSize', { min: 1 }),
    gamma: finite(c.gamma, 'schedules.step.gamma', { min: 0 }, 0.1),
  });
}

/** Exponential decay (torch ExponentialLR): η_t = lr·γ^t. */
export function exponential(config: { lr: number; gamma: number }): Schedule<{ lr: number; gamma: number }> {
  const c = options<{ lr: number; gamma: number }>(config, 'schedules.exponential', ['lr', 'gamma']);
  return make('exponential', {
    lr: lr0(c.lr, 'schedules.exponential.lr'),
    gamma: finite(c.gamma, 'schedules.exponential.gamma', { min: 0 }),
  });
}

/**
 * Cosine annealing with linear warm-up: η_t = lr·(t+1)/warmup for t < warmup, then
 * minLr + (lr − minLr)(1 + cos(π(t − warmup)/(steps − warmup)))/2, and minLr from t = steps on.
 */
export function cosine(config: {
  lr: number;
  steps: number;
  minLr?: number;
  warmup?: number;
}): Schedule<{ lr: number; steps: number; minLr: number; warmup: number }> {
  const c = options<{ lr: number; steps: number; minLr: number; warmup: number }>(config, 'schedules.cosine', [
    'lr',
    'steps',
    'minLr',
    'warmup',
  ]);
  const steps = integer(c.steps, 'schedules.cosine.steps', { min: 1 });
  const warmup = integer(c.warmup, 'schedules.cosine.warmup', { min: 0 }, 0);
  if (warmup >= steps)
    throw new DescentError('E_CONFIG', `schedules.cosine.warmup must be < steps (${steps}), got ${warmup}`, {
      path: 'schedules.cosine.warmup',
      expected: `< ${steps}`,
      actual: warmup,
    });
  return make('cosine', {
    lr: lr0(c.lr, 'schedules.cosine.lr'),
    steps,
    minLr: finite(c.minLr, 'schedules.cosine.minLr', { min: 0 }, 0),
    warmup,
  });
}

/** Inverse-time decay: η_t = lr / (1 + γt)^power (power 1: the Robbins–Monro rate). */
export function inverseTime(config: { lr: number; gamma: number; power?: number }): Schedule<{ lr: number; gamma: number; power: number }> {
  const c = options<{ lr: number; gamma: number; power: number }>(config, 'schedules.inverseTime', ['lr', 'gamma', 'power']);
  return make('inverseTime', {
    lr: lr0(c.lr, 'schedules.inverseTime.lr'),
    gamma: finite(c.gamma, 'schedules.inverseTime.gamma', { min: 0 }),
    power: finite(c.power, 'schedules.inverseTime.power', { min: 0 }, 1),
  });
}

/** Explicit rates η_0, η_1, …; the last value is held after the array ends. */
export function array(config: { values: ArrayLike<number> }): Schedule<{ values: number[] }> {
  const c = options<{ values: ArrayLike<number> }>(config, 'schedules.array', ['values']);
  return make('array', { values: Array.from(vector(c.values, 'schedules.array.values', undefined, { min: 0 })) });
}

/**
 * A schedule, or its JSON form `{ kind, params }` (rebuilt and re-validated; what the factories
 * return is frozen, JSON is not); undefined for anything else.
 */
export function coerce(v: unknown): Schedule | undefined {
  if (isSchedule(v) && Object.isFrozen(v)) return v;
  if (isKindData(v, SCHEDULE_KINDS, 'schedule')) return fromJSON(v);
  return undefined;
}

/**
 * @internal A JSON config with its rate field `key` rebuilt as a schedule when it is one's JSON
 * `{ kind, params }`: the namespaces' fromJSON call this before a factory, since the factories
 * take schedules made by schedules.* (and so do not carry every schedule factory). Anything else
 * is passed on as it is, for the factory to check.
 */
export function withRevivedRate(params: unknown, key: string): unknown {
  if (params === null || typeof params !== 'object' || !(key in params)) return params;
  const value = (params as Record<string, unknown>)[key];
  return { ...params, [key]: coerce(value) ?? value };
}

/** Rebuild a schedule from its JSON form `{ kind, params }` (`type: 'schedule'` optional). */
export function fromJSON(json: unknown): Schedule {
  const j = json as Schedule | undefined;
  if (!isKindData(j, SCHEDULE_KINDS, 'schedule'))
    throw new DescentError('E_CONFIG', `schedule must be { kind, params } with kind one of ${Object.keys(SCHEDULE_KINDS).join(', ')}`, {
      path: 'schedule',
      actual: json,
    });
  const factories = { constant, step, exponential, cosine, inverseTime, array } as Record<ScheduleKind, (c: never) => Schedule>;
  return factories[j.kind](j.params as never);
}

/** η_t for t = from, …, from + count − 1, computed by the kernel (for plots and checks). */
export function values(schedule: Schedule, count: number, from = 0): Float64Array {
  if (!isSchedule(schedule))
    throw new DescentError('E_INPUT', 'schedules.values: schedule must be made by schedules.*', {
      path: 'schedules.values: schedule',
      actual: schedule,
    });
  const n = integer(count, 'schedules.values: count', { min: 0, max: 2 ** 26 }, undefined, 'E_INPUT');
  const t0 = integer(from, 'schedules.values: from', { min: 0, max: 2 ** 31 - 1 - n }, undefined, 'E_INPUT');
  const { id, q } = packSchedule(schedule);
  return sizedBy('schedules.values: count', () =>
    run('schedules.values', ({ exports, heap }) => {
      const qp = heap.pushF64(q),
        out = heap.allocF64(n);
      exports.learningRates(id, qp, t0, n, out);
      return heap.copyOutF64(out, n);
    }),
  );
}
