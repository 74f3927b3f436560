/**
 * Distributed and variance-reduced optimisers (issue 19): several workers inside one trajectory
 * (local SGD, asynchronous SGD with stale gradients, compressed SGD with RandK / PermK / TopK,
 * MARINA) and variance reduction on finite sums (SVRG, SARAH). Each particle of an ensemble is a
 * whole distributed run: its K workers, their minibatches, snapshots and delays are its own
 * state, every draw a pure function of (seed, stream, particle, step, index). The stochastic
 * gradients come from the run's noise: `noise.minibatch({ batchSize: b })` on a finite sum
 * (`landscapes.finiteSum`) or a model gives each worker b samples a step (worker w takes draws
 * [w·b, (w+1)·b) of the K·b the step draws, so local SGD with one local step IS minibatch SGD with
 * K·b samples); with `noise.none()` every worker sees the full gradient. They run in `simulate`
 * only, stepped by the ensemble loop with the landscape in wasm (assembly/run/distributed.ts;
 * asynchronous SGD through the ordinary pipeline at stale points). Docs: docs/optimizers.md.
 *
 * @example
 * const bowl = (c: number) => descent.landscapes.quadratic({ A: [[1, 0], [0, 3]], b: [-c, c] });
 * const f = descent.landscapes.finiteSum([bowl(1), bowl(-2), bowl(0.5)]);
 * const init = descent.inits.point({ x: [2, 2] });
 * const r = await descent.simulate({
 *   landscape: f, optimizer: descent.optimizers.svrg({ lr: 0.1, epochLength: 20 }),
 *   noise: descent.noise.minibatch({ batchSize: 1 }), init, particles: 100, steps: 200, seed: 1,
 * });
 */
import { invalid } from '../errors.ts';
import { finite, integer } from '../validate.ts';
import {
  configOf,
  flag,
  isOptimizer,
  learningRate,
  maker,
  type LearningRate,
  type Optimizer,
  type OptimizerKind,
  type RunContext,
} from './optimizer.ts';
import { withRevivedRate } from '../schedules.ts';
import { sgd, type SgdConfig } from './torch.ts';

/**
 * Kind ids and h layouts of this module's optimisers. MUST MATCH assembly/optimizers/kinds.ts
 * (test/layout.test.ts checks them; ./kinds.ts joins every module's).
 */
export const DISTRIBUTED_IDS = { localSGD: 32, asyncSGD: 33, compressedSGD: 34, marina: 35, svrg: 36, sarah: 37 } as const;
export const DISTRIBUTED_HYPER = {
  localSGD: { workers: 2, localSteps: 3 },
  asyncSGD: { maxDelay: 2, delay: 3, q: 4 },
  compressedSGD: { workers: 2, compressor: 3, k: 4 },
  marina: { workers: 2, compressor: 3, k: 4, p: 5 },
  svrg: { epochLength: 2, p: 3 },
  sarah: { epochLength: 2, p: 3 },
} as const;

const make = maker(DISTRIBUTED_IDS, DISTRIBUTED_HYPER);

/** Kinds of the distributed and variance-reduced optimisers (kernel ids 32–37: assembly/optimizers/kinds.ts). */
export const DISTRIBUTED_OPTIMIZERS = ['localSGD', 'asyncSGD', 'compressedSGD', 'marina', 'svrg', 'sarah'] as const;

/** Name of a distributed or variance-reduced optimiser kind. */
export type DistributedOptimizerKind = (typeof DISTRIBUTED_OPTIMIZERS)[number];

/** Compressor ids. MUST MATCH RAND_K, PERM_K, TOP_K in assembly/optimizers/kinds.ts (test/layout.test.ts). */
export const COMPRESSORS = { randK: 0, permK: 1, topK: 2 } as const;
/** A compression operator: RandK (scaled d/k), PermK (Szlendak et al.; scaled K) or TopK (biased). */
export type Compressor = keyof typeof COMPRESSORS;

/** Delay laws of asyncSGD. MUST MATCH DELAY_FIXED, DELAY_UNIFORM, DELAY_GEOMETRIC in assembly/optimizers/kinds.ts. */
export const DELAYS = { fixed: 0, uniform: 1, geometric: 2 } as const;
/** How asyncSGD's delay τ_t is drawn. */
export type DelayLaw = keyof typeof DELAYS;

/** Is `o` one of the distributed or variance-reduced optimisers (simulate only)? */
export function isDistributedOptimizer(o: { kind: string }): o is Optimizer<DistributedOptimizerKind> {
  return (DISTRIBUTED_OPTIMIZERS as readonly string[]).includes(o.kind);
}

const MAX_WORKERS = 4096;
const MAX_DELAY = 1024;

const workers = (v: unknown, kind: string) => integer(v, `optimizers.${kind}.workers`, { min: 1, max: MAX_WORKERS });
const probability = (v: unknown, path: string, fallback?: number) => finite(v, path, { gt: 0, max: 1 }, fallback);

/** Config of {@link localSGD}. */
export interface LocalSGDConfig {
  /** Workers K (integer 1 … 4096; required). */
  workers: number;
  /** Local steps H between averagings (integer ≥ 1; required). H = 1 is minibatch SGD with K·b samples. */
  localSteps: number;
  /** Each worker's optimiser: `optimizers.sgd({ lr })` (plain SGD: no momentum or weight decay; maximize allowed). */
  inner: Optimizer<'sgd'>;
}

/**
 * Local SGD (Stich, ICLR 2019): K workers each take H SGD steps on their own minibatches, then
 * their points are averaged; x reports the workers' average every step. `inner` gives the
 * learning rate (a number or schedule). H = 1 equals minibatch SGD with K·b samples bit for bit.
 */
export function localSGD(config: LocalSGDConfig): Optimizer<'localSGD', { workers: number; localSteps: number; inner: Optimizer<'sgd'> }> {
  const c = configOf<LocalSGDConfig>(config, 'localSGD', ['workers', 'localSteps', 'inner']);
  const path = 'optimizers.localSGD.inner';
  const raw = c.inner as unknown;
  const json = raw as { kind?: unknown; params?: unknown } | undefined;
  if (raw === undefined || json === null || typeof json !== 'object' || json.kind !== 'sgd')
    throw invalid('E_CONFIG', path, 'optimizers.sgd({ lr }) (or its JSON { kind: "sgd", params })', raw);
  const inner = isOptimizer(raw) ? (raw as Optimizer<'sgd'>) : sgd(withRevivedRate(json.params, 'lr') as SgdConfig);
  const ip = inner.params as Required<SgdConfig>;
  if (ip.momentum !== 0 || ip.weightDecay !== 0 || ip.nesterov)
    throw invalid('E_CONFIG', path, 'plain SGD: momentum 0, weightDecay 0, nesterov false', inner.params);
  const p = {
    workers: workers(c.workers, 'localSGD'),
    localSteps: integer(c.localSteps, 'optimizers.localSGD.localSteps', { min: 1, max: 2 ** 31 - 1 }),
    inner,
  };
  return make(
    'localSGD',
    p as never,
    (q: typeof p) => ({ workers: q.workers, localSteps: q.localSteps }),
    (q, run) => checkDistributedRun(q, run, 'localSGD'),
  ) as never;
}

/** Config of {@link asyncSGD}. */
export interface AsyncSGDConfig {
  /** Learning rate η, or a schedule (required). */
  lr: LearningRate;
  /** Largest delay τmax (integer 0 … 1024; required). The state holds τmax + 1 iterates per particle. */
  maxDelay: number;
  /** `'fixed'` (τ = τmax, default), `'uniform'` on {0 … τmax}, or `'geometric'` (P(τ = k) ∝ (1 − q)q^k, truncated at τmax). */
  delay?: DelayLaw;
  /** The geometric law's q in [0, 1). Default 0.5. */
  q?: number;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

/**
 * Asynchronous SGD with stale gradients: x_{t+1} = x_t − η g(x_{t−τ_t}), τ_t = min(τ′_t, t), with
 * g the run's gradient and noise at the stale point (any landscape and noise). τ ≡ 0 is SGD bit for bit.
 * Draws: Philox stream 32 (DELAY), counter (0, step, particle).
 */
export function asyncSGD(config: AsyncSGDConfig): Optimizer<'asyncSGD', Required<AsyncSGDConfig>> {
  const c = configOf<AsyncSGDConfig>(config, 'asyncSGD', ['lr', 'maxDelay', 'delay', 'q', 'maximize']);
  const delay = c.delay ?? 'fixed';
  if (!Object.hasOwn(DELAYS, delay)) throw invalid('E_CONFIG', 'optimizers.asyncSGD.delay', "'fixed', 'uniform' or 'geometric'", delay);
  const p = {
    lr: learningRate(c.lr, 'optimizers.asyncSGD.lr'),
    maxDelay: integer(c.maxDelay, 'optimizers.asyncSGD.maxDelay', { min: 0, max: MAX_DELAY }),
    delay: delay as DelayLaw,
    q: finite(c.q, 'optimizers.asyncSGD.q', { min: 0, max: 1 - Number.EPSILON / 2 }, 0.5),
    maximize: flag(c.maximize, 'optimizers.asyncSGD.maximize'),
  };
  return make('asyncSGD', p, (q) => ({ maxDelay: q.maxDelay, delay: DELAYS[q.delay], q: q.q }));
}

/** Config of {@link compressedSGD}. */
export interface CompressedSGDConfig {
  /** Learning rate η, or a schedule (required). */
  lr: LearningRate;
  /** Workers K (integer 1 … 4096). Default 1. */
  workers?: number;
  /** `'randK'` (default), `'permK'` (needs d a multiple of K) or `'topK'`. */
  compressor?: Compressor;
  /** Coordinates k each worker sends (randK, topK; integer 1 … d; required for them). Ignored by permK (d/K). */
  k?: number;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

/**
 * Distributed SGD with compressed communication: x_{t+1} = x_t − η (1/K) Σ_w Q_w(ĝ_w(x_t)).
 * With K = 1 and k = d it is minibatch SGD bit for bit. Draws: Philox stream 34 (COMPRESS).
 */
export function compressedSGD(config: CompressedSGDConfig): Optimizer<'compressedSGD', Required<CompressedSGDConfig>> {
  const c = configOf<CompressedSGDConfig>(config, 'compressedSGD', ['lr', 'workers', 'compressor', 'k', 'maximize']);
  const compressor = compressorOf(c.compressor, 'compressedSGD', ['randK', 'permK', 'topK']);
  const p = {
    lr: learningRate(c.lr, 'optimizers.compressedSGD.lr'),
    workers: c.workers === undefined ? 1 : workers(c.workers, 'compressedSGD'),
    compressor,
    k: compressor === 'permK' ? 0 : integer(c.k, 'optimizers.compressedSGD.k', { min: 1, max: 2 ** 31 - 1 }),
    maximize: flag(c.maximize, 'optimizers.compressedSGD.maximize'),
  };
  return make(
    'compressedSGD',
    p,
    (q) => ({ workers: q.workers, compressor: COMPRESSORS[q.compressor], k: q.k }),
    (q, run) => checkDistributedRun(q, run, 'compressedSGD'),
  );
}

/** Config of {@link marina}. */
export interface MarinaConfig {
  /** Learning rate γ, or a schedule (required). */
  lr: LearningRate;
  /** Workers K (integer 1 … 4096). Default 1. */
  workers?: number;
  /** The unbiased compressor: `'randK'` (default) or `'permK'` (needs d a multiple of K). */
  compressor?: 'randK' | 'permK';
  /** Coordinates k each worker sends with randK (integer 1 … d; required for it). */
  k?: number;
  /** Probability p ∈ (0, 1] of a full-gradient step (required). p = 1 is gradient descent. */
  p: number;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

/**
 * MARINA (Gorbunov et al., ICML 2021): g_t = ∇f(x_t) with probability p, else
 * g_{t−1} + (1/K) Σ_w Q_w(ĝ_w(x_t) − ĝ_w(x_{t−1})); x_{t+1} = x_t − γ g_t. Draws: Philox
 * streams 33 (COIN) and 34 (COMPRESS).
 */
export function marina(config: MarinaConfig): Optimizer<'marina', Required<MarinaConfig>> {
  const c = configOf<MarinaConfig>(config, 'marina', ['lr', 'workers', 'compressor', 'k', 'p', 'maximize']);
  const compressor = compressorOf(c.compressor, 'marina', ['randK', 'permK']) as 'randK' | 'permK';
  const p = {
    lr: learningRate(c.lr, 'optimizers.marina.lr'),
    workers: c.workers === undefined ? 1 : workers(c.workers, 'marina'),
    compressor,
    k: compressor === 'permK' ? 0 : integer(c.k, 'optimizers.marina.k', { min: 1, max: 2 ** 31 - 1 }),
    p: probability(c.p, 'optimizers.marina.p'),
    maximize: flag(c.maximize, 'optimizers.marina.maximize'),
  };
  return make(
    'marina',
    p,
    (q) => ({ workers: q.workers, compressor: COMPRESSORS[q.compressor], k: q.k, p: q.p }),
    (q, run) => checkDistributedRun(q, run, 'marina'),
  );
}

/** Config of {@link svrg} and {@link sarah}. */
export interface VarianceReducedConfig {
  /** Learning rate η, or a schedule (required). */
  lr: LearningRate;
  /** Steps m between snapshots (restarts, for SARAH): an integer ≥ 1. Give this or `p`. */
  epochLength?: number;
  /** Loopless form: a snapshot (restart) each step with probability p ∈ (0, 1]. Give this or `epochLength`. */
  p?: number;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

/** Validated form of {@link VarianceReducedConfig}: epochLength 0 means loopless. */
export interface VarianceReducedParams {
  lr: LearningRate;
  epochLength: number;
  p: number;
  maximize: boolean;
}

function varianceReduced<K extends 'svrg' | 'sarah'>(kind: K, config: VarianceReducedConfig): Optimizer<K, VarianceReducedParams> {
  const c = configOf<VarianceReducedConfig>(config, kind, ['lr', 'epochLength', 'p', 'maximize']);
  const loopless = c.p !== undefined && c.p !== 0;
  if ((c.epochLength === undefined || c.epochLength === 0) === !loopless)
    throw invalid('E_CONFIG', `optimizers.${kind}`, 'exactly one of epochLength (steps between snapshots) and p (loopless)', config);
  const p = {
    lr: learningRate(c.lr, `optimizers.${kind}.lr`),
    epochLength: loopless ? 0 : integer(c.epochLength, `optimizers.${kind}.epochLength`, { min: 1, max: 2 ** 31 - 1 }),
    p: loopless ? probability(c.p, `optimizers.${kind}.p`) : 0,
    maximize: flag(c.maximize, `optimizers.${kind}.maximize`),
  };
  return make(
    kind,
    p,
    (q) => ({ epochLength: q.epochLength, p: q.p }) as never,
    (q, run) => checkDistributedRun(q, run, kind),
  );
}

/**
 * SVRG (Johnson & Zhang, NeurIPS 2013): v_t = ĝ_B(x_t) − ĝ_B(x̃) + ∇f(x̃), the snapshot x̃ taken
 * every `epochLength` steps or (loopless, Kovalev et al. 2020) with probability p; x_{t+1} = x_t − η v_t.
 * epochLength 1 (or p = 1) is gradient descent bit for bit. Draws: Philox stream 33 (COIN).
 */
export function svrg(config: VarianceReducedConfig): Optimizer<'svrg', VarianceReducedParams> {
  return varianceReduced('svrg', config);
}

/**
 * SARAH (Nguyen et al., ICML 2017): v_t = ĝ_B(x_t) − ĝ_B(x_{t−1}) + v_{t−1}, restarted at
 * v_t = ∇f(x_t) every `epochLength` steps or with probability p; x_{t+1} = x_t − η v_t.
 */
export function sarah(config: VarianceReducedConfig): Optimizer<'sarah', VarianceReducedParams> {
  return varianceReduced('sarah', config);
}

function compressorOf(v: unknown, kind: string, allowed: readonly Compressor[]): Compressor {
  const value = v ?? 'randK';
  if (!(allowed as readonly unknown[]).includes(value))
    throw invalid('E_CONFIG', `optimizers.${kind}.compressor`, allowed.map((a) => `'${a}'`).join(', '), value);
  return value as Compressor;
}

/**
 * The run check of the distributed and variance-reduced kinds but asyncSGD (called by `simulate`
 * before anything is allocated), that they can run on a landscape of dimension d with `noise`: they
 * draw their own minibatches take `noise.none()` or `noise.minibatch` (each worker's K·b draws
 * without replacement must fit in the n terms); PermK needs d a multiple of K; k ≤ d.
 */
function checkDistributedRun(params: object, { landscape, noise, terms, path, noisePath }: RunContext, kind: OptimizerKind): void {
  const q = params as { workers?: number; compressor?: Compressor; k?: number };
  const d = landscape.dim;
  const K = q.workers ?? 1;
  if (noise.kind !== 'none' && noise.kind !== 'minibatch')
    throw invalid(
      'E_CONFIG',
      noisePath,
      `noise.none() or noise.minibatch(…) with optimizers.${kind} (it draws its own minibatches)`,
      noise.kind,
    );
  if (noise.kind === 'minibatch') {
    const m = noise.params as { batchSize: number; replacement: boolean };
    if (!m.replacement && K * m.batchSize > terms)
      throw invalid(
        'E_CONFIG',
        `${noisePath}.params.batchSize`,
        `≤ ${Math.floor(terms / K)} (${terms} terms over ${K} workers) without replacement`,
        m.batchSize,
      );
  }
  if (q.compressor === 'permK' && d % K !== 0)
    throw invalid('E_CONFIG', `${path}.params.workers`, `a divisor of the dimension ${d} (permK splits the coordinates evenly)`, K);
  if (q.compressor !== undefined && q.compressor !== 'permK' && q.k! > d)
    throw invalid('E_CONFIG', `${path}.params.k`, `≤ ${d} (the landscape's dimension)`, q.k);
  if (K * d > 2 ** 31) throw invalid('E_CONFIG', `${path}.params.workers`, `workers × dimension ≤ 2³¹`, K);
}
