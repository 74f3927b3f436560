/**
 * `samplers.*`: Langevin samplers of a landscape read as a potential U (target density
 * ∝ exp(−U/temperature)), run by `simulate({ landscape, sampler: samplers.ula(...), ... })`
 * exactly like optimisers. Kernels (and the splittings) in assembly/samplers/langevin.ts; every
 * Gaussian draw is a ziggurat normal of Philox stream 9 (`SAMPLER`) for (particle, step) —
 * `random.normal({ stream: 9, particle, step, method: 'ziggurat' })` returns the same numbers —
 * so results obey the determinism contract (any chunk size, workers or shards give the same bits).
 *
 * @example
 * const r = await descent.simulate({
 *   landscape: descent.landscapes.quadratic({ A: [[1]] }),
 *   sampler: descent.samplers.underdamped({ stepSize: 0.5, friction: 1, integrator: 'baoab' }),
 *   init: descent.inits.point({ x: [0] }), particles: 10_000, steps: 1_000, seed: 1,
 * });
 */
import { DescentError, describe, invalid } from './errors.ts';
import { finite, isKindData, options, vector } from './validate.ts';
import { withRevivedRate } from './schedules.ts';
import { packRate, rate, type Schedule } from './schedule.ts';
import { fromJSON as optimizerFromJSON, isOptimizer, type Optimizer, type OptimizerKind } from './optimizers/index.ts';
import { HYPER_LR, HYPER_SIGN, packOptimizer } from './optimizers/optimizer.ts';
import { OPTIMIZER_KINDS } from './optimizers/kinds.ts';
import type { PackedRule } from '../bindings/trajectory.ts';
import { SAMPLER_KINDS, makeSampler, type Sampler, type SamplerKind, type SamplerRun } from './sampler.ts';

export { SAMPLER_KINDS, isSampler, type Sampler, type SamplerKind } from './sampler.ts';

/**
 * @internal Where each sampler's parameters sit in h (h[0] = h[1] = 1), by name. MUST MATCH the
 * named offsets in assembly/optimizers/kinds.ts (LANGEVIN_*, UNDERDAMPED_*, SVGD_*); test/layout.test.ts
 * checks every one. SVGD's innerHyper is where the inner optimiser's own h starts.
 */
export const SAMPLER_HYPER = {
  ula: { temperature: 2 },
  mala: { temperature: 2 },
  sgld: { temperature: 2 },
  underdamped: { friction: 2, mass: 3, temperature: 4, integrator: 5 },
  svgd: { temperature: 2, bandwidth: 3, inner: 4, innerHyper: 5 },
  metropolisHastings: { temperature: 2, proposal: 3, scale: 4, mean: 5 },
} as const satisfies Record<SamplerKind, Record<string, number>>;

/** h of length n: 1, 1, then each named value at its offset in `layout`. */
function hyperOf<L extends Readonly<Record<string, number>>>(
  n: number,
  layout: L,
  values: { readonly [N in keyof L]?: number },
): Float64Array {
  const h = new Float64Array(n);
  h[HYPER_LR] = 1;
  h[HYPER_SIGN] = 1;
  for (const name in values) h[layout[name]] = values[name]!;
  return h;
}

/** Integrators of {@link underdamped}. */
export type Integrator = 'baoab' | 'obabo' | 'euler' | 'symplectic';
/** In the kernel's order: BAOAB = 0, OBABO = 1, EULER = 2, SYMPLECTIC = 3 (assembly/samplers/langevin.ts). */
const INTEGRATORS: readonly Integrator[] = ['baoab', 'obabo', 'euler', 'symplectic'];

/**
 * A step size: a constant h > 0, or a schedule from `schedules.*` giving h_t (SGLD's decreasing
 * steps, e.g. `schedules.inverseTime({ lr: a, gamma, power: 0.55 })` for h_t = a(1 + γt)^−0.55).
 */
export type StepSize = number | Schedule;

/** Config of {@link ula}. */
export interface UlaConfig {
  /** Step size h > 0, or a schedule (required). */
  stepSize: StepSize;
  /** Temperature T > 0. Default 1. */
  temperature?: number;
}

/** Config of {@link underdamped}. */
export interface UnderdampedConfig {
  /** Step size h > 0, or a schedule (required). */
  stepSize: StepSize;
  /** Friction γ > 0 (required). */
  friction: number;
  /** Mass m > 0. Default 1. */
  mass?: number;
  /** Temperature T > 0. Default 1. */
  temperature?: number;
  /**
   * Splitting: 'baoab' (default), 'obabo', 'euler' (Euler–Maruyama: x⁺ = x + hv from the old v) or
   * 'symplectic' (semi-implicit Euler: v⁺ first, then x⁺ = x + hv⁺).
   */
  integrator?: Integrator;
}

const positive = { gt: 0 };

/** A constant step size > 0, or a schedule (or its JSON form). */
function stepSizeOf(value: unknown, path: string): StepSize {
  return rate(value, path, positive);
}

/** Config of {@link mala}. */
export interface MalaConfig {
  /** Step size h > 0, or a schedule (required). */
  stepSize: StepSize;
  /** Temperature T > 0. Default 1. */
  temperature?: number;
}

/** Config of {@link sgld}. */
export interface SgldConfig {
  /** Step size h > 0, or a schedule — Welling & Teh decrease it (required). */
  stepSize: StepSize;
  /** Temperature T > 0. Default 1. */
  temperature?: number;
}

/** Unadjusted Langevin: x⁺ = x − h∇U(x) + √(2hT)·ξ, ξ ~ N(0, I). */
export function ula(config: UlaConfig): Sampler<'ula', Required<UlaConfig>> {
  return overdamped('ula', config);
}

/**
 * What MALA and Metropolis–Hastings bring to a run: their accept/reject step counts accepted
 * proposals, and it is exact only with exact values (and, for MALA, gradients), so the run's
 * noise must be `noise.none()`.
 */
function metropolis(kind: 'mala' | 'metropolisHastings'): Pick<SamplerRun, 'accepts' | 'check'> {
  return {
    accepts: true,
    check({ noise }) {
      if (noise.kind !== 'none')
        throw invalid(
          'E_CONFIG',
          'simulate.noise',
          `noise.none() with samplers.${kind} (its Metropolis test needs exact values` +
            `${kind === 'mala' ? ' and gradients; use samplers.sgld for noisy ones' : ''})`,
          noise,
        );
    },
  };
}

/** The overdamped samplers share one config shape: { stepSize, temperature }. */
function overdamped<K extends 'ula' | 'mala' | 'sgld'>(kind: K, config: UlaConfig): Sampler<K, Required<UlaConfig>> {
  const c = options<UlaConfig>(config, `samplers.${kind}`, ['stepSize', 'temperature']);
  const p = {
    stepSize: stepSizeOf(c.stepSize, `samplers.${kind}.stepSize`),
    temperature: finite(c.temperature, `samplers.${kind}.temperature`, positive, 1),
  };
  return makeSampler(kind, p, (q) => ({ pack: () => packLangevin(kind, q), ...(kind === 'mala' ? metropolis('mala') : {}) }));
}

/**
 * Underdamped (kinetic) Langevin dx = v dt, m dv = −∇U dt − γmv dt + √(2γmT) dW, integrated by
 * BAOAB, OBABO (Leimkuhler & Matthews), Euler–Maruyama or symplectic (semi-implicit) Euler:
 * v⁺ = v − h∇U(x)/m − γhv + √(2γhT/m)·ξ, x⁺ = x + hv⁺. Velocities start at 0; a result that keeps
 * its particles has their final velocities in `v`.
 */
export function underdamped(config: UnderdampedConfig): Sampler<'underdamped', Required<UnderdampedConfig>> {
  const c = options<UnderdampedConfig>(config, 'samplers.underdamped', ['stepSize', 'friction', 'mass', 'temperature', 'integrator']);
  const integrator = c.integrator ?? 'baoab';
  if (!INTEGRATORS.includes(integrator)) {
    throw new DescentError(
      'E_CONFIG',
      `samplers.underdamped.integrator must be one of ${INTEGRATORS.join(', ')}, got ${describe(integrator)}`,
      { path: 'samplers.underdamped.integrator', expected: INTEGRATORS.join(' | '), actual: integrator },
    );
  }
  const p = {
    stepSize: stepSizeOf(c.stepSize, 'samplers.underdamped.stepSize'),
    friction: finite(c.friction, 'samplers.underdamped.friction', positive),
    mass: finite(c.mass, 'samplers.underdamped.mass', positive, 1),
    temperature: finite(c.temperature, 'samplers.underdamped.temperature', positive, 1),
    integrator,
  };
  return makeSampler('underdamped', p, (q) => ({ pack: () => packUnderdamped(q) }));
}

/**
 * Metropolis-adjusted Langevin (Roberts & Tweedie 1996): the ULA move is a proposal
 * y = x − h∇U(x) + √(2hT)·ξ, accepted with probability
 * min(1, exp(−(U(y) − U(x))/T) q(x|y)/q(y|x)), q(b|a) ∝ exp(−‖b − a + h∇U(a)‖²/(4hT)). Unbiased for
 * any h: the chain's stationary law is exactly ∝ exp(−U/T). Needs exact gradients (`noise.none()`);
 * each particle's accepted-proposal count is in the result (`accepted`). Kernel:
 * assembly/samplers/mala.ts; the proposals use ULA's draws, so with every proposal accepted the
 * chain is ULA's.
 */
export function mala(config: MalaConfig): Sampler<'mala', Required<MalaConfig>> {
  return overdamped('mala', config);
}

/**
 * Stochastic-gradient Langevin dynamics (Welling & Teh 2011): x⁺ = x − h_t ĝ(x) + √(2h_tT)·ξ with
 * ĝ the run's noisy gradient — a minibatch of a model (`noise.minibatch({ batchSize })`), or any
 * other noise model — and h_t a step-size schedule. With U = n·L (the summed loss of a model whose
 * loss L is a mean over n examples) the posterior exp(−U) is the target at temperature T = 1/n
 * (descent's models use mean losses). Same kernel and draws as {@link ula}.
 */
export function sgld(config: SgldConfig): Sampler<'sgld', Required<SgldConfig>> {
  return overdamped('sgld', config);
}

/** Proposals of {@link metropolisHastings}: y = x + sξ, or y = μ + sξ independent of x. */
export type MhProposal = 'randomWalk' | 'independence';
const MH_PROPOSALS: readonly MhProposal[] = ['randomWalk', 'independence'];

/** Config of {@link metropolisHastings}. */
export interface MetropolisHastingsConfig {
  /** 'randomWalk' (default): y = x + s·ξ; 'independence': y = μ + s·ξ, whatever x. */
  proposal?: MhProposal;
  /** The proposal's standard deviation s > 0 (required). */
  scale: number;
  /** μ, the independence proposal's mean (required with it; length = the landscape's dimension). */
  mean?: ArrayLike<number>;
  /** Temperature T > 0 of the target ∝ exp(−U/T). Default 1. */
  temperature?: number;
}

/** Normalised params of {@link metropolisHastings}. */
export interface MetropolisHastingsParams {
  proposal: MhProposal;
  scale: number;
  mean?: number[];
  temperature: number;
}

/**
 * Metropolis–Hastings (Metropolis et al. 1953; Hastings 1970) with values only — no gradients:
 * a proposal y, random walk y = x + sξ or independence y = μ + sξ (ξ ~ N(0, I)), accepted with
 * probability min(1, α), log α = −(U(y) − U(x))/T + log q(x|y) − log q(y|x)
 * (q symmetric for the random walk; for the independence proposal log q(x) − log q(y) =
 * (‖y − μ‖² − ‖x − μ‖²)/(2s²)). Exactly stationary for π ∝ exp(−U/T) at any s. Needs exact values
 * (`noise.none()`); each particle's accepted-proposal count is in the result (`accepted`,
 * `diagnostics.acceptanceRate`). Kernel: assembly/samplers/metropolisHastings.ts; draws on Philox
 * streams 42 (proposals) and 10 (accept uniforms, as MALA's).
 */
export function metropolisHastings(config: MetropolisHastingsConfig): Sampler<'metropolisHastings', MetropolisHastingsParams> {
  const what = 'samplers.metropolisHastings';
  const c = options<MetropolisHastingsConfig>(config, what, ['proposal', 'scale', 'mean', 'temperature']);
  const proposal = c.proposal ?? 'randomWalk';
  if (!MH_PROPOSALS.includes(proposal))
    throw invalid('E_CONFIG', `${what}.proposal`, MH_PROPOSALS.map((p) => `'${p}'`).join(' or '), proposal);
  const scale = finite(c.scale, `${what}.scale`, positive);
  const temperature = finite(c.temperature, `${what}.temperature`, positive, 1);
  if (proposal === 'randomWalk') {
    if (c.mean !== undefined) throw invalid('E_CONFIG', `${what}.mean`, "omitted with proposal 'randomWalk'", c.mean);
    return makeSampler('metropolisHastings', { proposal, scale, temperature } as MetropolisHastingsParams, mhRun);
  }
  if (c.mean === undefined) throw invalid('E_CONFIG', `${what}.mean`, "the proposal's mean μ (an array of numbers)", c.mean);
  const mean = Array.from(vector(c.mean, `${what}.mean`));
  return makeSampler('metropolisHastings', { proposal, scale, mean, temperature } as MetropolisHastingsParams, mhRun);
}

/** Bandwidth h of SVGD's kernel exp(−‖x − y‖²/h): a number > 0, or 'median' (recomputed each step). */
export type Bandwidth = 'median' | number;

/** Optimisers SVGD can step with (fed −φ as their gradient). */
export type SvgdInnerKind = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';
const SVGD_INNER: readonly OptimizerKind[] = ['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'];

/** Config of {@link svgd}. */
export interface SvgdConfig {
  /** Step size ε > 0, or a schedule ε_t. Required, unless `optimizer` is given (then omit it: the optimiser's lr is the step size). */
  stepSize?: StepSize;
  /** Temperature T > 0 of the target ∝ exp(−U/T). Default 1. */
  temperature?: number;
  /** The RBF kernel k(x, y) = exp(−‖x − y‖²/h). Default bandwidth 'median'. */
  kernel?: { bandwidth?: Bandwidth };
  /** An inner optimiser (optimizers.sgd, adam, adamw, rmsprop or adagrad) stepping on −φ as its gradient, at its own learning rate. */
  optimizer?: Optimizer<SvgdInnerKind>;
}

/** Normalised params of {@link svgd} (`stepSize` xor `optimizer`). */
export interface SvgdParams {
  stepSize?: StepSize;
  temperature: number;
  kernel: { bandwidth: Bandwidth };
  optimizer?: Optimizer;
}

/**
 * Stein variational gradient descent (Liu & Wang 2016, NeurIPS): the particles move together
 * along the RBF-kernel Stein direction
 * φ(x_i) = (1/N) Σ_j [k(x_j, x_i) ∇log p(x_j) + ∇_{x_j} k(x_j, x_i)],  ∇log p = −∇U/T,
 * x_i ← x_i + ε_t φ(x_i) (or the inner optimiser's step on −φ). The kernel is
 * k(x, y) = exp(−‖x − y‖²/h) with h fixed, or the median heuristic h = med²/log N (med: median of
 * the N(N−1)/2 pairwise distances, the mean of the middle two for an even count; h = 1 when
 * med = 0), recomputed every step. The N² interaction runs in wasm (assembly/samplers/svgd.ts,
 * assembly/run/svgd.ts); a diverged particle leaves the interaction. Deterministic: no draws
 * (only the init and the run's noise are random). `simulate` needs ≥ 2 particles and takes no
 * `stop`, `workers` or `shard` with SVGD (the particles interact). See docs/svgd.md.
 */
export function svgd(config: SvgdConfig): Sampler<'svgd', SvgdParams> {
  const c = options<SvgdConfig>(config, 'samplers.svgd', ['stepSize', 'temperature', 'kernel', 'optimizer']);
  const k = options<NonNullable<SvgdConfig['kernel']>>(c.kernel, 'samplers.svgd.kernel', ['bandwidth']);
  const bandwidth =
    k.bandwidth === undefined || k.bandwidth === 'median' ? 'median' : finite(k.bandwidth, 'samplers.svgd.kernel.bandwidth', positive);
  const temperature = finite(c.temperature, 'samplers.svgd.temperature', positive, 1);
  const kernel = Object.freeze({ bandwidth });
  if (c.optimizer === undefined) {
    const p = { stepSize: stepSizeOf(c.stepSize, 'samplers.svgd.stepSize'), temperature, kernel };
    return makeSampler('svgd', p as SvgdParams, svgdRun);
  }
  if (c.stepSize !== undefined) {
    throw invalid(
      'E_CONFIG',
      'samplers.svgd.stepSize',
      "omitted when an optimizer is given (the optimizer's lr is the step size)",
      c.stepSize,
    );
  }
  const o = c.optimizer as unknown;
  // A factory's optimiser as it is; its JSON ({ kind, params }) rebuilt and re-validated.
  const optimizer =
    isOptimizer(o) && Object.isFrozen(o) ? o : isKindData(o, OPTIMIZER_KINDS, 'optimizer') ? optimizerFromJSON(o) : undefined;
  if (optimizer === undefined || !SVGD_INNER.includes(optimizer.kind)) {
    throw invalid('E_CONFIG', 'samplers.svgd.optimizer', `one of optimizers.${SVGD_INNER.join(', optimizers.')}`, optimizer?.kind ?? o);
  }
  const op = optimizer.params as { lr: unknown; maximize?: boolean };
  if (op.maximize) throw invalid('E_CONFIG', 'samplers.svgd.optimizer.params.maximize', 'false (SVGD ascends log p itself)', op.maximize);
  if (op.lr === 0) throw invalid('E_CONFIG', 'samplers.svgd.optimizer.params.lr', 'a step size > 0', op.lr);
  return makeSampler('svgd', { temperature, kernel, optimizer } as SvgdParams, svgdRun);
}

/**
 * SVGD's kernel parameters: h = [1, 1, T, bandwidth (−1: median), inner kind (−1: none), inner
 * h …] (SAMPLER_HYPER.svgd; the kernel is assembly/samplers/svgd.ts); the schedule is ε_t, or the
 * inner optimiser's.
 */
function packSvgd(p: SvgdParams): PackedRule {
  const L = SAMPLER_HYPER.svgd;
  const bandwidth = p.kernel.bandwidth === 'median' ? -1 : p.kernel.bandwidth;
  if (p.optimizer) {
    const inner = packOptimizer(p.optimizer);
    const hyper = hyperOf(L.innerHyper + inner.hyper.length, L, { temperature: p.temperature, bandwidth, inner: inner.id });
    hyper.set(inner.hyper, L.innerHyper);
    return { id: SAMPLER_KINDS.svgd, hyper, schedule: inner.schedule };
  }
  const h = p.stepSize!;
  const hyper = hyperOf(L.innerHyper, L, { temperature: p.temperature, bandwidth, inner: -1 });
  return { id: SAMPLER_KINDS.svgd, hyper, schedule: packRate(h) };
}

/** MH's h = [1, 1, T, proposal (0 random walk, 1 independence), s, μ …]; a constant unit schedule (MH has no step size). */
function packMetropolisHastings(p: MetropolisHastingsParams, dim: number | undefined, path: string): PackedRule {
  const L = SAMPLER_HYPER.metropolisHastings;
  const mean = p.mean ?? [];
  if (p.mean && dim !== undefined && mean.length !== dim)
    throw invalid('E_CONFIG', `${path}.params.mean`, `an array of ${dim} numbers (the landscape's dimension)`, p.mean);
  const hyper = hyperOf(L.mean + mean.length, L, {
    temperature: p.temperature,
    proposal: MH_PROPOSALS.indexOf(p.proposal),
    scale: p.scale,
  });
  hyper.set(mean, L.mean);
  return { id: SAMPLER_KINDS.metropolisHastings, hyper, schedule: packRate(1) };
}

/** Names of every sampler kind. */
export const kinds: readonly SamplerKind[] = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ Object.keys(SAMPLER_KINDS) as SamplerKind[]);

/** Rebuild a sampler from its JSON form `{ kind, params }` (`type: 'sampler'` optional), re-validating. */
export function fromJSON(json: unknown): Sampler {
  const j = json as { kind?: unknown; params?: unknown } | null;
  if (!isKindData(j, SAMPLER_KINDS, 'sampler')) {
    throw new DescentError('E_CONFIG', `sampler.kind must be one of ${kinds.join(', ')}`, { path: 'sampler.kind', actual: j?.kind });
  }
  const params = withRevivedRate(j.params, 'stepSize');
  switch (j.kind as SamplerKind) {
    case 'ula':
      return ula(params as UlaConfig);
    case 'mala':
      return mala(params as MalaConfig);
    case 'sgld':
      return sgld(params as SgldConfig);
    case 'svgd':
      return svgd(params as SvgdConfig);
    case 'metropolisHastings':
      return metropolisHastings(params as MetropolisHastingsConfig);
    default:
      return underdamped(params as UnderdampedConfig);
  }
}

/** ULA's, MALA's and SGLD's h = [1, 1, T]; the step size as the schedule (h_t = η_t). */
function packLangevin(kind: 'ula' | 'mala' | 'sgld', p: Required<UlaConfig>): PackedRule {
  return {
    id: SAMPLER_KINDS[kind],
    hyper: hyperOf(3, SAMPLER_HYPER[kind], { temperature: p.temperature }),
    schedule: packRate(p.stepSize),
  };
}

/** Underdamped Langevin's h = [1, 1, γ, m, T, integrator]; the step size as the schedule. */
function packUnderdamped(p: Required<UnderdampedConfig>): PackedRule {
  const values = { friction: p.friction, mass: p.mass, temperature: p.temperature, integrator: INTEGRATORS.indexOf(p.integrator) };
  return { id: SAMPLER_KINDS.underdamped, hyper: hyperOf(6, SAMPLER_HYPER.underdamped, values), schedule: packRate(p.stepSize) };
}

/** What a Metropolis–Hastings run needs: its packing, which checks an independence proposal's mean against the dimension. */
const mhRun = (p: MetropolisHastingsParams): SamplerRun => ({
  pack: (dim, path) => packMetropolisHastings(p, dim, path),
  ...metropolis('metropolisHastings'),
});

/**
 * What an SVGD run needs: its packing; checks that it has at least 2 particles, no stop conditions,
 * and no workers or shards (every particle acts on every other, so they cannot be split or
 * frozen); and steps per wasm call of ≈ 5·10⁷ pair-coordinate operations (N² (d + 1) per step).
 */
const svgdRun = (p: SvgdParams): SamplerRun => ({
  pack: () => packSvgd(p),
  check({ particles, stopping, workers, shard }) {
    if (particles < 2) throw invalid('E_CONFIG', 'simulate.particles', '≥ 2 with samplers.svgd (its particles interact)', particles);
    if (stopping)
      throw invalid(
        'E_CONFIG',
        'simulate.stop',
        'omitted with samplers.svgd (a stopped particle would keep acting on the others)',
        'stop conditions',
      );
    if (workers !== undefined)
      throw invalid(
        'E_CONFIG',
        'simulate.options.workers',
        'omitted with samplers.svgd (its particles interact: they cannot be split between workers)',
        workers,
      );
    if (shard !== undefined)
      throw invalid(
        'E_CONFIG',
        'simulate.options.shard',
        'omitted with samplers.svgd (its particles interact: they cannot be split into shards)',
        shard,
      );
  },
  chunkSteps: (particles, d) => Math.max(1, Math.floor(5e7 / (particles * particles * (d + 1)))),
});
