/**
 * `samplers.*`: Langevin samplers of a landscape read as a potential U (target density
 * ∝ exp(−U/temperature)), run by `simulate({ landscape, optimizer: samplers.ula(...), ... })`
 * exactly like optimisers. Kernels (and the splittings) in assembly/optimizers/langevin.ts; every
 * Gaussian draw is Philox stream 9 (`SAMPLER`) of (draw, step, particle), so results obey the
 * determinism contract (any chunk size, workers or shards give the same bits).
 *
 * @example
 * const r = await descent.simulate({
 *   landscape: descent.landscapes.quadratic({ A: [[1]] }),
 *   optimizer: descent.samplers.underdamped({ stepSize: 0.5, friction: 1, integrator: 'baoab' }),
 *   init: descent.inits.point({ x: [0] }), particles: 10_000, steps: 1_000, seed: 1,
 * });
 */
import { DescentError } from './errors.ts';
import { finite, options } from './validate.ts';
import * as schedules from './schedules.ts';
import type { PackedRule } from '../bindings/trajectory.ts';

/** Sampler kind ids. MUST MATCH assembly/optimizers/kinds.ts. */
export const SAMPLER_KINDS = { ula: 16, underdamped: 17 } as const;

/** Name of a sampler kind. */
export type SamplerKind = keyof typeof SAMPLER_KINDS;

/** Integrators of {@link underdamped}. */
export type Integrator = 'baoab' | 'obabo' | 'euler';
const INTEGRATORS: readonly Integrator[] = ['baoab', 'obabo', 'euler'];

/** A sampler config: frozen, plain data. */
export interface Sampler<K extends SamplerKind = SamplerKind, P = Record<string, unknown>> {
  readonly type: 'sampler';
  readonly kind: K;
  readonly params: Readonly<P>;
}

/** Config of {@link ula}. */
export interface UlaConfig {
  /** Step size h > 0 (required). */
  stepSize: number;
  /** Temperature T > 0. Default 1. */
  temperature?: number;
}

/** Config of {@link underdamped}. */
export interface UnderdampedConfig {
  /** Step size h > 0 (required). */
  stepSize: number;
  /** Friction γ > 0 (required). */
  friction: number;
  /** Mass m > 0. Default 1. */
  mass?: number;
  /** Temperature T > 0. Default 1. */
  temperature?: number;
  /** Splitting: 'baoab' (default), 'obabo' or 'euler' (Euler–Maruyama). */
  integrator?: Integrator;
}

const positive = { gt: 0 };

/** Unadjusted Langevin: x⁺ = x − h∇U(x) + √(2hT)·ξ, ξ ~ N(0, I). */
export function ula(config: UlaConfig): Sampler<'ula', Required<UlaConfig>> {
  const c = options<UlaConfig>(config, 'samplers.ula', ['stepSize', 'temperature']);
  const p = {
    stepSize: finite(c.stepSize, 'samplers.ula.stepSize', positive),
    temperature: finite(c.temperature, 'samplers.ula.temperature', positive, 1),
  };
  return Object.freeze({ type: 'sampler', kind: 'ula', params: Object.freeze(p) });
}

/**
 * Underdamped (kinetic) Langevin dx = v dt, m dv = −∇U dt − γmv dt + √(2γmT) dW, integrated by
 * BAOAB, OBABO (Leimkuhler & Matthews) or Euler–Maruyama. Velocities start at 0.
 */
export function underdamped(config: UnderdampedConfig): Sampler<'underdamped', Required<UnderdampedConfig>> {
  const c = options<UnderdampedConfig>(config, 'samplers.underdamped', ['stepSize', 'friction', 'mass', 'temperature', 'integrator']);
  const integrator = c.integrator ?? 'baoab';
  if (!INTEGRATORS.includes(integrator)) {
    throw new DescentError('E_CONFIG', `samplers.underdamped.integrator must be one of ${INTEGRATORS.join(', ')}, got ${String(integrator)}`,
      { path: 'samplers.underdamped.integrator', expected: INTEGRATORS.join(' | '), actual: integrator });
  }
  const p = {
    stepSize: finite(c.stepSize, 'samplers.underdamped.stepSize', positive),
    friction: finite(c.friction, 'samplers.underdamped.friction', positive),
    mass: finite(c.mass, 'samplers.underdamped.mass', positive, 1),
    temperature: finite(c.temperature, 'samplers.underdamped.temperature', positive, 1),
    integrator,
  };
  return Object.freeze({ type: 'sampler', kind: 'underdamped', params: Object.freeze(p) });
}

/** Is `v` a sampler made by `samplers.*`? */
export function isSampler(v: unknown): v is Sampler {
  return typeof v === 'object' && v !== null && (v as Sampler).type === 'sampler' && Object.hasOwn(SAMPLER_KINDS, (v as Sampler).kind);
}

/** Names of every sampler kind. */
export const kinds: readonly SamplerKind[] = Object.freeze(Object.keys(SAMPLER_KINDS) as SamplerKind[]);

/** Rebuild a sampler from its JSON form `{ type: 'sampler', kind, params }`, re-validating. */
export function fromJSON(json: unknown): Sampler {
  const j = json as { kind?: unknown; params?: unknown } | null;
  if (!j || typeof j !== 'object' || typeof j.kind !== 'string' || !Object.hasOwn(SAMPLER_KINDS, j.kind)) {
    throw new DescentError('E_CONFIG', `sampler.kind must be one of ${kinds.join(', ')}`, { path: 'sampler.kind', actual: j?.kind });
  }
  return j.kind === 'ula' ? ula(j.params as UlaConfig) : underdamped(j.params as UnderdampedConfig);
}

/** @internal Pack a sampler for the kernels: h = [1, 1, …], step size as a constant schedule. */
export function packSampler(s: Sampler): PackedRule {
  const schedule = schedules.packSchedule(schedules.constant({ lr: (s.params as { stepSize: number }).stepSize }));
  if (s.kind === 'ula') {
    const p = s.params as Required<UlaConfig>;
    return { id: SAMPLER_KINDS.ula, hyper: Float64Array.of(1, 1, p.temperature), schedule };
  }
  const p = s.params as Required<UnderdampedConfig>;
  return { id: SAMPLER_KINDS.underdamped, hyper: Float64Array.of(1, 1, p.friction, p.mass, p.temperature, INTEGRATORS.indexOf(p.integrator)), schedule };
}
