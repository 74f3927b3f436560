/**
 * The {@link Optimizer} type: a frozen, JSON-serialisable optimiser config (`kind`, `params`),
 * made by the factories in `optimizers.*`. Update rules and names follow torch.optim.
 */
import { DescentError, describe } from '../errors.ts';
import { finite, options } from '../validate.ts';
import { packRate, rate, type Schedule } from '../schedule.ts';
import type { PackedRule } from '../../bindings/trajectory.ts';

/** Optimiser kind ids. MUST MATCH assembly/optimizers/kinds.ts (test/layout.test.ts checks every id). */
export const OPTIMIZER_KINDS = {
  sgd: 0,
  adam: 1,
  adamw: 2,
  rmsprop: 3,
  adagrad: 4,
  nadam: 5,
  lion: 6,
  heavyBall: 7,
  nesterovGD: 8,
  // Curvature-aware (./curvature.ts): stepped with the landscape by simulate's ensemble loop only.
  sam: 24,
  perturbedGD: 25,
  newtonCG: 26,
  naturalGradient: 27,
  saddleFreeNewton: 28,
  sme: 29,
  // Distributed and variance-reduced (./distributed.ts): stepped by simulate's ensemble loop only.
  localSGD: 32,
  asyncSGD: 33,
  compressedSGD: 34,
  marina: 35,
  svrg: 36,
  sarah: 37,
} as const;

/** Name of an optimiser kind. */
export type OptimizerKind = keyof typeof OPTIMIZER_KINDS;

/** @internal Offsets of η (1 in h: the schedule gives η) and of the gradient sign σ in every kind's h. */
export const HYPER_LR = 0,
  HYPER_SIGN = 1;

/**
 * @internal Where each kind's hyperparameters sit in h, by name. MUST MATCH the named offsets in
 * assembly/optimizers/kinds.ts (test/layout.test.ts checks every one); the packers give values by
 * these names and packOptimizer places them.
 */
export const OPTIMIZER_HYPER = {
  sgd: { momentum: 2, dampening: 3, weightDecay: 4, nesterov: 5 },
  adam: { beta1: 2, beta2: 3, eps: 4, weightDecay: 5, amsgrad: 6 },
  adamw: { beta1: 2, beta2: 3, eps: 4, weightDecay: 5, amsgrad: 6 },
  rmsprop: { alpha: 2, eps: 3, weightDecay: 4, momentum: 5, centered: 6 },
  adagrad: { lrDecay: 2, weightDecay: 3, initialAccumulatorValue: 4, eps: 5 },
  nadam: { beta1: 2, beta2: 3, eps: 4, weightDecay: 5, momentumDecay: 6 },
  lion: { beta1: 2, beta2: 3, weightDecay: 4 },
  heavyBall: { beta: 2 },
  nesterovGD: { beta: 2 },
  sam: { rho: 2, momentum: 3, adaptive: 4 },
  perturbedGD: { gThres: 2, tThres: 3, radius: 4 },
  newtonCG: { damping: 2, cgIters: 3, cgTol: 4, lineSearch: 5, negativeCurvature: 6 },
  naturalGradient: { damping: 2, cgIters: 3, cgTol: 4, fisher: 5 },
  saddleFreeNewton: { damping: 2, k: 3 },
  sme: { order: 2, scheme: 3, substeps: 4, delay: 5 },
  localSGD: { workers: 2, localSteps: 3 },
  asyncSGD: { maxDelay: 2, delay: 3, q: 4 },
  compressedSGD: { workers: 2, compressor: 3, k: 4 },
  marina: { workers: 2, compressor: 3, k: 4, p: 5 },
  svrg: { epochLength: 2, p: 3 },
  sarah: { epochLength: 2, p: 3 },
} as const satisfies Record<OptimizerKind, Record<string, number>>;

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

// How each kind packs and what it checks of a run, registered when its factory first runs, so that
// a bundle holds the code of the kinds an application makes (issue 21).
const packers = new Map<OptimizerKind, (params: never) => Readonly<Record<string, number>>>();
const checks = new Map<OptimizerKind, RunCheck<never>>();

/** @internal Build an optimiser value and register how its kind packs and what it checks of a run. */
export function make<K extends OptimizerKind, P extends { lr: LearningRate; maximize?: boolean }>(
  kind: K,
  params: P,
  pack: (p: P) => HyperValues<K>,
  check?: RunCheck<P>,
): Optimizer<K, P> {
  packers.set(kind, pack as (p: never) => Readonly<Record<string, number>>);
  if (check) checks.set(kind, check as RunCheck<never>);
  return Object.freeze({ type: 'optimizer', kind, params: Object.freeze(params) });
}

/** @internal Run optimiser `o`'s own checks of a run (none for most kinds). */
export function checkRun(o: Optimizer, run: RunContext): void {
  checks.get(o.kind)?.(o.params as never, run);
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
  const values = packers.get(o.kind)!(o.params as never);
  const layout: Readonly<Record<string, number>> = OPTIMIZER_HYPER[o.kind];
  const schedule = packRate(p.lr);
  // h[0] = 1: the step's η comes from the schedule; h[1] = σ; then each value at its named offset.
  const hyper = new Float64Array(2 + Object.keys(layout).length);
  hyper[HYPER_LR] = 1;
  hyper[HYPER_SIGN] = p.maximize ? -1 : 1;
  for (const name in layout) hyper[layout[name]] = values[name];
  return { id: OPTIMIZER_KINDS[o.kind], hyper, schedule };
}

/** Is `v` an optimiser made by `optimizers.*`? */
export function isOptimizer(v: unknown): v is Optimizer {
  return (
    typeof v === 'object' &&
    v !== null &&
    (v as Optimizer).type === 'optimizer' &&
    Object.hasOwn(OPTIMIZER_KINDS, (v as Optimizer).kind) &&
    packers.has((v as Optimizer).kind)
  );
}
