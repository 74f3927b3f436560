/**
 * The {@link Optimizer} type: a frozen, JSON-serialisable optimiser config (`kind`, `params`),
 * made by the factories in `optimizers.*`. Update rules and names follow torch.optim.
 */
import { DescentError, describe } from '../errors.ts';
import { finite, options } from '../validate.ts';
import { packRate, rate, type Schedule } from '../schedule.ts';
import type { PackedRule } from '../../bindings/trajectory.ts';
import type { OPTIMIZER_HYPER, OPTIMIZER_KINDS } from './kinds.ts';

/** Name of an optimiser kind. */
export type OptimizerKind = keyof typeof OPTIMIZER_KINDS;

/** @internal Offsets of η (1 in h: the schedule gives η) and of the gradient sign σ in every kind's h. */
export const HYPER_LR = 0,
  HYPER_SIGN = 1;

/** @internal A packer's result: kind K's hyperparameters by name (OPTIMIZER_HYPER), as numbers. */
export type HyperValues<K extends OptimizerKind> = { readonly [N in keyof (typeof OPTIMIZER_HYPER)[K]]: number };

/** A learning rate: a constant, or a schedule from `schedules.*`. */
export type LearningRate = number | Schedule;

/** An optimiser config: frozen, plain data. */
export interface Optimizer<K extends OptimizerKind = OptimizerKind, P = Record<string, unknown>> {
  readonly type: 'optimizer';
  readonly kind: K;
  readonly params: Readonly<P>;
}

/** @internal What the kernels take: kind id, hyperparameters h (h[0] = 1: the schedule gives η), schedule. */
export type PackedOptimizer = PackedRule;

/**
 * @internal What a kind's checks of a whole run see: the landscape, the noise model with the
 * number of terms it samples from (0: none), and the paths of the optimiser and the noise.
 */
export interface RunContext {
  landscape: { kind: string; dim: number; params: object };
  noise: { kind: string; params: unknown };
  terms: number;
  path: string;
  noisePath: string;
}

/** @internal A kind's check of a run it steps (a Fisher to exist, the noise to suit it, …). */
export type RunCheck<P> = (params: P, run: RunContext) => void;

/** @internal How a kind packs and what it checks of a run. */
interface KindRun {
  id: number;
  layout: Readonly<Record<string, number>>;
  pack: (params: never) => Readonly<Record<string, number>>;
  check?: RunCheck<never>;
}

// Each kind's id, h layout, packing and run check, registered when its factory first runs, so that
// a bundle holds the code and tables of the kinds an application makes (issue 21).
const kinds = new Map<OptimizerKind, KindRun>();

/**
 * @internal The `make` of one module of optimisers, given its kinds' ids and h layouts (each module
 * keeps its own tables, so importing one optimiser does not bring every kind's: ./kinds.ts joins
 * them). `make` builds an optimiser value and registers how its kind packs and what it checks.
 */
export function maker<M extends OptimizerKind>(
  ids: { readonly [K in M]: number },
  layouts: { readonly [K in M]: (typeof OPTIMIZER_HYPER)[K] },
) {
  return function make<K extends M, P extends { lr: LearningRate; maximize?: boolean }>(
    kind: K,
    params: P,
    pack: (p: P) => HyperValues<K>,
    check?: RunCheck<P>,
  ): Optimizer<K, P> {
    const layout: Readonly<Record<string, number>> = layouts[kind];
    kinds.set(kind, { id: ids[kind], layout, pack: pack as KindRun['pack'], ...(check ? { check: check as RunCheck<never> } : {}) });
    return Object.freeze({ type: 'optimizer', kind, params: Object.freeze(params) });
  };
}

/** @internal Run optimiser `o`'s own checks of a run (none for most kinds). */
export function checkRun(o: Optimizer, run: RunContext): void {
  kinds.get(o.kind)!.check?.(o.params as never, run);
}

/** @internal Validate a learning rate (number ≥ 0 or a schedule). */
export function learningRate(value: unknown, path: string, fallback?: number): LearningRate {
  return rate(value, path, { min: 0 }, fallback);
}

/** @internal Validate an optional boolean. */
export function flag(value: unknown, path: string, fallback = false): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new DescentError('E_CONFIG', `${path} must be true or false, got ${describe(value)}`, {
      path,
      expected: 'a boolean',
      actual: value,
    });
  return value;
}

/** @internal Validate betas = [β₁, β₂] in [0, 1). */
export function betas(value: unknown, path: string, fallback: [number, number]): [number, number] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.length !== 2)
    throw new DescentError('E_CONFIG', `${path} must be [beta1, beta2], got ${describe(value)}`, {
      path,
      expected: '[beta1, beta2]',
      actual: value,
    });
  return [
    finite(value[0], `${path}[0]`, { min: 0, max: 1 - Number.EPSILON / 2 }),
    finite(value[1], `${path}[1]`, { min: 0, max: 1 - Number.EPSILON / 2 }),
  ];
}

/** @internal Common validation: the config object and its allowed keys. */
export function configOf<C extends object>(config: unknown, kind: string, keys: readonly string[]): Partial<C> {
  return options<C>(config, `optimizers.${kind}`, keys);
}

/** @internal Pack an optimiser for the kernels. */
export function packOptimizer(o: Optimizer): PackedOptimizer {
  if (!isOptimizer(o)) throw new DescentError('E_CONFIG', 'optimizer must be made by optimizers.*', { path: 'optimizer', actual: o });
  // An optimiser wrapping another (localSGD's `inner`) takes its learning rate and sign from it.
  const own = o.params as { lr: LearningRate; maximize?: boolean; inner?: Optimizer };
  const p = (own.inner ? own.inner.params : own) as { lr: LearningRate; maximize?: boolean };
  const { id, layout, pack } = kinds.get(o.kind)!;
  const values = pack(o.params as never);
  const schedule = packRate(p.lr);
  // h[0] = 1: the step's η comes from the schedule; h[1] = σ; then each value at its named offset.
  const hyper = new Float64Array(2 + Object.keys(layout).length);
  hyper[HYPER_LR] = 1;
  hyper[HYPER_SIGN] = p.maximize ? -1 : 1;
  for (const name in layout) hyper[layout[name]] = values[name];
  return { id, hyper, schedule };
}

/** Is `v` an optimiser made by `optimizers.*`? */
export function isOptimizer(v: unknown): v is Optimizer {
  return typeof v === 'object' && v !== null && (v as Optimizer).type === 'optimizer' && kinds.has((v as Optimizer).kind);
}
