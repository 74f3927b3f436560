/**
 * The {@link Schedule} value and how the kernels take it. Split from the factories
 * (src/schedules.ts) so that what every optimiser and sampler needs — checking a rate and packing
 * it — does not bring the six factories and their JSON reviver into an application's bundle
 * (issue 21: an embedder pays for what it imports).
 */
import { finite } from './validate.ts';
import { invalid } from './errors.ts';

/** @internal Schedule kind ids. MUST MATCH assembly/schedules.ts (test/layout.test.ts checks every id). */
export const SCHEDULE_KINDS = { constant: 0, step: 1, exponential: 2, cosine: 3, inverseTime: 4, array: 5 } as const satisfies Record<
  ScheduleKind,
  number
>;

/** Name of a schedule kind. */
export type ScheduleKind = 'constant' | 'step' | 'exponential' | 'cosine' | 'inverseTime' | 'array';

/** A learning-rate schedule: frozen, JSON-serialisable. */
export interface Schedule<P = Record<string, unknown>> {
  readonly type: 'schedule';
  readonly kind: ScheduleKind;
  readonly params: Readonly<P>;
}

/**
 * Each kind's kernel parameters q, in order (assembly/schedules.ts reads them so); `array` packs
 * as its length, then its values.
 */
const FIELDS = {
  constant: ['lr'],
  step: ['lr', 'stepSize', 'gamma'],
  exponential: ['lr', 'gamma'],
  cosine: ['lr', 'steps', 'minLr', 'warmup'],
  inverseTime: ['lr', 'gamma', 'power'],
  array: [],
} as const satisfies Record<ScheduleKind, readonly string[]>;

/** @internal Kind id and parameter block for the kernel. */
export function packSchedule(s: Schedule): { id: number; q: Float64Array } {
  const p = s.params as Record<string, number & number[]>;
  if (s.kind === 'array') return { id: SCHEDULE_KINDS.array, q: Float64Array.of(p.values.length, ...p.values) };
  return { id: SCHEDULE_KINDS[s.kind], q: Float64Array.from(FIELDS[s.kind], (name) => p[name]) };
}

/** @internal A rate as the kernels take it: a constant η packs as the constant schedule. */
export function packRate(rate: number | Schedule): { id: number; q: Float64Array } {
  return typeof rate === 'number' ? { id: SCHEDULE_KINDS.constant, q: Float64Array.of(rate) } : packSchedule(rate);
}

/** Is `v` a schedule (as made by `schedules.*`)? */
export function isSchedule(v: unknown): v is Schedule {
  return typeof v === 'object' && v !== null && (v as Schedule).type === 'schedule' && Object.hasOwn(SCHEDULE_KINDS, (v as Schedule).kind);
}

/**
 * @internal A rate parameter: a number within `bound`, or a schedule made by `schedules.*`. A JSON
 * schedule `{ kind, params }` is rebuilt by the namespace's fromJSON (or schedules.fromJSON), not
 * here, so that a factory does not carry every schedule factory.
 */
export function rate(value: unknown, path: string, bound: { min?: number; gt?: number }, fallback?: number): number | Schedule {
  if (isSchedule(value) && Object.isFrozen(value)) return value;
  // A schedule's JSON, or an unfrozen copy of one: not validated here.
  if (value !== null && typeof value === 'object' && 'kind' in value)
    throw invalid('E_CONFIG', path, 'a number or a schedule made by schedules.* (rebuild JSON with schedules.fromJSON)', value);
  return finite(value, path, bound, fallback);
}
