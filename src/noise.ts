/**
 * `noise.*`: models of gradient noise for test-function landscapes. Each perturbs the gradient
 * before the optimiser step, with draws from the counter-based generator (stream NOISE), scaled
 * by an optional annealing schedule m_t (`anneal`, whose values multiply σ).
 */
import { DescentError, invalid } from './errors.ts';
import { finite, integer, isKindData, options, vector } from './validate.ts';
import { withRevivedRate } from './schedules.ts';
import { isSchedule, type Schedule } from './schedule.ts';
import { NOISE_KINDS, makeNoise, none, type Noise, type NoiseKind, type NoiseRun } from './noiseModel.ts';

export { none, isNoise, type Noise, type NoiseKind } from './noiseModel.ts';

/** Noise whose kernel takes σ alone (loss-scaled, Hessian-aligned). */
const packSigma = (p: { sigma: number }): NoiseRun => ({ pack: () => Float64Array.of(p.sigma) });

/**
 * What a run of minibatch or label noise needs: the terms it samples from, and its kernel
 * parameters b | replacement | σ | flip probability | K (assembly/noise/kinds.ts).
 */
const batchRun =
  (kind: 'minibatch' | 'labelNoise') =>
  (m: BatchParams): NoiseRun => ({
    terms: (landscape, path) => sampledTerms(kind, m, landscape, path),
    pack: (_d, _path, terms) =>
      Float64Array.of(
        m.batchSize,
        m.replacement ? 1 : 0,
        kind === 'labelNoise' ? m.sigma! : 0,
        kind === 'labelNoise' ? m.flipProbability! : 0,
        terms,
      ),
  });

/** Parameters of minibatch and label noise. */
interface BatchParams {
  batchSize: number;
  replacement: boolean;
  sigma?: number;
  flipProbability?: number;
}

function anneal(v: unknown, path: string): Schedule | undefined {
  if (v === undefined) return undefined;
  if (isSchedule(v) && Object.isFrozen(v)) return v;
  throw invalid('E_CONFIG', path, 'a schedule from schedules.* (its values multiply σ)', v);
}

/** Config of {@link gaussian}. */
export interface GaussianNoiseConfig {
  /** σ ≥ 0: one value (isotropic) or one per coordinate. */
  sigma: number | ArrayLike<number>;
  /** Schedule m_t multiplying σ at step t (noise annealing). */
  anneal?: Schedule;
}

/** Additive Gaussian noise: g ← g + m_t σ ⊙ z, z ~ N(0, I). */
export function gaussian(config: GaussianNoiseConfig): Noise<{ sigma: number | number[]; anneal?: Schedule }> {
  const c = options<GaussianNoiseConfig>(config, 'noise.gaussian', ['sigma', 'anneal']);
  const sigma =
    typeof c.sigma === 'number' || c.sigma === undefined
      ? finite(c.sigma, 'noise.gaussian.sigma', { min: 0 })
      : Array.from(vector(c.sigma, 'noise.gaussian.sigma', undefined, { min: 0 }));
  const a = anneal(c.anneal, 'noise.gaussian.anneal');
  return makeNoise('gaussian', a ? { sigma, anneal: a } : { sigma }, (p) => ({
    pack(d, path) {
      if (Array.isArray(p.sigma) && p.sigma.length !== d)
        throw invalid('E_CONFIG', `${path}.params.sigma`, `one σ, or ${d} (the landscape's dim)`, p.sigma);
      return Array.isArray(p.sigma) ? Float64Array.from(p.sigma) : new Float64Array(d).fill(p.sigma as number);
    },
  }));
}

/** Config of {@link lossScaled}. */
export interface LossScaledNoiseConfig {
  /** σ ≥ 0. */
  sigma: number;
  /** Schedule m_t multiplying σ. */
  anneal?: Schedule;
}

/**
 * Loss-scaled noise, covariance σ²·f(x)·I: g ← g + m_t σ √max(f(x), 0) z — the
 * "machine-learning noise" whose size vanishes at global minima of value 0.
 */
export function lossScaled(config: LossScaledNoiseConfig): Noise<{ sigma: number; anneal?: Schedule }> {
  const c = options<LossScaledNoiseConfig>(config, 'noise.lossScaled', ['sigma', 'anneal']);
  const sigma = finite(c.sigma, 'noise.lossScaled.sigma', { min: 0 });
  const a = anneal(c.anneal, 'noise.lossScaled.anneal');
  return makeNoise('lossScaled', a ? { sigma, anneal: a } : { sigma }, packSigma);
}

/** Config of {@link heavyTailed}. */
export interface HeavyTailedNoiseConfig {
  /** Scale σ ≥ 0. */
  sigma: number;
  /** Degrees of freedom ν > 0 of the Student-t (ν ≤ 2: infinite variance). */
  nu: number;
  /** Schedule m_t multiplying σ. */
  anneal?: Schedule;
}

/** Heavy-tailed noise: g_j ← g_j + m_t σ T_j, T_j i.i.d. Student-t(ν) (Bailey's polar method). */
export function heavyTailed(config: HeavyTailedNoiseConfig): Noise<{ sigma: number; nu: number; anneal?: Schedule }> {
  const c = options<HeavyTailedNoiseConfig>(config, 'noise.heavyTailed', ['sigma', 'nu', 'anneal']);
  const sigma = finite(c.sigma, 'noise.heavyTailed.sigma', { min: 0 });
  const nu = finite(c.nu, 'noise.heavyTailed.nu', { gt: 0 });
  const a = anneal(c.anneal, 'noise.heavyTailed.anneal');
  return makeNoise('heavyTailed', a ? { sigma, nu, anneal: a } : { sigma, nu }, (p) => ({ pack: () => Float64Array.of(p.sigma, p.nu) }));
}

/** Config of {@link hessianAligned}. */
export interface HessianAlignedNoiseConfig {
  /** σ ≥ 0. */
  sigma: number;
  /** Schedule m_t multiplying σ. */
  anneal?: Schedule;
}

/**
 * Hessian-aligned noise, covariance σ²·H(x) — the classic model of SGD noise near a minimum.
 * Sampled as σ L √D z from H = L D Lᵀ (dense Hessian from exact HVPs); where H is not positive
 * semi-definite its negative LDLᵀ pivots are set to 0 (a PSD modification). O(d³) per particle
 * and step: meant for small d.
 */
export function hessianAligned(config: HessianAlignedNoiseConfig): Noise<{ sigma: number; anneal?: Schedule }> {
  const c = options<HessianAlignedNoiseConfig>(config, 'noise.hessianAligned', ['sigma', 'anneal']);
  const sigma = finite(c.sigma, 'noise.hessianAligned.sigma', { min: 0 });
  const a = anneal(c.anneal, 'noise.hessianAligned.anneal');
  return makeNoise('hessianAligned', a ? { sigma, anneal: a } : { sigma }, packSigma);
}

/** Config of {@link minibatch}. */
export interface MinibatchNoiseConfig {
  /** Components per minibatch b ≥ 1 (≤ the number of components without replacement). */
  batchSize: number;
  /** Sample with replacement. Default false (b distinct components). */
  replacement?: boolean;
}

/**
 * Minibatch SGD: each particle's gradient at each step is the mean over its own random batch of b
 * terms — a model's examples, (1/b) Σ_{i∈batch} w_i ∇ℓ_i, or a finite sum's components,
 * (K/b) Σ_{k∈batch} w_k ∇f_k. Without replacement (default) each particle walks through its own
 * shuffle of the K terms per epoch, ⌊K/b⌋ batches an epoch (torch's DataLoader with shuffle=True,
 * drop_last=True); with replacement every batch is b i.i.d. uniform draws. Unbiased, with
 * covariance Σ/b (with replacement) or (K − b)/(K − 1)·Σ/b (without), Σ the population
 * covariance of the terms. Draws: streams MINIBATCH and SHUFFLE (assembly/noise/minibatch.ts).
 */
export function minibatch(config: MinibatchNoiseConfig): Noise<{ batchSize: number; replacement: boolean }> {
  const c = options<MinibatchNoiseConfig>(config, 'noise.minibatch', ['batchSize', 'replacement']);
  const batchSize = integer(c.batchSize, 'noise.minibatch.batchSize', { min: 1, max: 1 << 24 });
  if (c.replacement !== undefined && typeof c.replacement !== 'boolean')
    throw invalid('E_CONFIG', 'noise.minibatch.replacement', 'true or false', c.replacement);
  return makeNoise('minibatch', { batchSize, replacement: c.replacement === true }, batchRun('minibatch'));
}

/** Config of {@link importanceMinibatch}. */
export interface ImportanceMinibatchConfig {
  /** Draws per minibatch b ≥ 1 (i.i.d., with replacement). */
  batchSize: number;
  /** p_i, one per term (a model's examples, a finite sum's components), ≥ 0 and summing to 1 (within 1e-9; renormalised). */
  probabilities: ArrayLike<number>;
  /** Weight each draw by 1/(K p_i), making ĝ unbiased (default true); false: the plain mean (resampling without reweighting, biased). */
  correction?: boolean;
}

/**
 * Minibatches drawn with non-uniform probabilities (importance sampling: Needell, Srebro & Ward
 * 2014; Zhao & Zhang 2015): each particle draws b i.i.d. term indices with P(i) = p_i each step.
 * With u_i the one-term uniform estimate (a mean-loss model's w_i∇ℓ_i, a finite sum's K·c_i∇f_i):
 *
 *     correction: true   ĝ = (1/b) Σ_m u_{i_m} / (K p_{i_m})     unbiased, E ĝ = ∇L
 *     correction: false  ĝ = (1/b) Σ_m u_{i_m}                   E ĝ = Σ_i p_i u_i (biased unless p is uniform)
 *
 * The corrected form needs every p_i > 0. Index m of (particle, step) is the inverse-CDF image of
 * uniform m of stream MINIBATCH (assembly/noise/minibatch.ts).
 */
export function importanceMinibatch(
  config: ImportanceMinibatchConfig,
): Noise<{ batchSize: number; probabilities: number[]; correction: boolean }> {
  const what = 'noise.importanceMinibatch';
  const c = options<ImportanceMinibatchConfig>(config, what, ['batchSize', 'probabilities', 'correction']);
  const batchSize = integer(c.batchSize, `${what}.batchSize`, { min: 1, max: 1 << 24 });
  if (c.correction !== undefined && typeof c.correction !== 'boolean')
    throw invalid('E_CONFIG', `${what}.correction`, 'true or false', c.correction);
  const correction = c.correction !== false;
  const p = vector(c.probabilities, `${what}.probabilities`, undefined, correction ? { gt: 0 } : { min: 0 });
  const total = p.reduce((a, v) => a + v, 0);
  if (!(Math.abs(total - 1) <= 1e-9))
    throw invalid('E_CONFIG', `${what}.probabilities`, 'probabilities summing to 1 (within 1e-9)', `a sum of ${total}`);
  return makeNoise('importanceMinibatch', { batchSize, probabilities: Array.from(p, (v) => v / total), correction }, (m) => ({
    terms(landscape, path) {
      const K = sampledTerms('minibatch', { batchSize: 1, replacement: true }, landscape, path);
      if (m.probabilities.length !== K)
        throw invalid('E_CONFIG', `${path}.params.probabilities`, `${K} probabilities (one per term)`, `${m.probabilities.length} of them`);
      return K;
    },
    // b | 1 (with replacement) | 0 | 0 | K | correction | cumulative P_0 … P_{K−1}, P_{K−1} = 1 (assembly/noise/kinds.ts)
    pack(_d, _path, terms) {
      const q = new Float64Array(6 + terms);
      q.set([m.batchSize, 1, 0, 0, terms, m.correction ? 1 : 0]);
      let acc = 0;
      m.probabilities.forEach((v, i) => (q[6 + i] = acc += v));
      q[5 + terms] = 1;
      return q;
    },
  }));
}

/** Config of {@link labelNoise}: exactly one of `sigma` (regression) and `flipProbability` (classification). */
export interface LabelNoiseConfig {
  /** σ > 0: regression targets become y + σ ξ, ξ ~ N(0, I), fresh each step (mse models). */
  sigma?: number;
  /** ρ ∈ (0, 1]: each label is replaced by a uniformly random other class with probability ρ, fresh each step. */
  flipProbability?: number;
  /** Minibatch size b; default: the full batch (every example, every step). */
  batchSize?: number;
  /** Minibatches with replacement. Default false. */
  replacement?: boolean;
}

/**
 * Label-noise SGD (Blanc et al. 2020; Damian et al. 2021): every step each example of a
 * particle's batch gets a freshly perturbed label (stream LABEL, per batch slot), and the
 * gradient is taken at those labels. Models only. With `batchSize`, batches are drawn as in
 * {@link minibatch}.
 */
export function labelNoise(
  config: LabelNoiseConfig,
): Noise<{ sigma: number; flipProbability: number; batchSize: number; replacement: boolean }> {
  const c = options<LabelNoiseConfig>(config, 'noise.labelNoise', ['sigma', 'flipProbability', 'batchSize', 'replacement']);
  if ((c.sigma === undefined) === (c.flipProbability === undefined)) {
    throw invalid(
      'E_CONFIG',
      'noise.labelNoise',
      'exactly one of sigma (regression) and flipProbability (classification)',
      c.sigma === undefined ? 'neither' : 'both',
    );
  }
  const sigma = c.sigma === undefined ? 0 : finite(c.sigma, 'noise.labelNoise.sigma', { gt: 0 });
  const flipProbability =
    c.flipProbability === undefined ? 0 : finite(c.flipProbability, 'noise.labelNoise.flipProbability', { gt: 0, max: 1 });
  const batchSize = integer(c.batchSize, 'noise.labelNoise.batchSize', { min: 1, max: 1 << 24 }, 0);
  if (c.replacement !== undefined && typeof c.replacement !== 'boolean')
    throw invalid('E_CONFIG', 'noise.labelNoise.replacement', 'true or false', c.replacement);
  return makeNoise('labelNoise', { sigma, flipProbability, batchSize, replacement: c.replacement === true }, batchRun('labelNoise'));
}

/** Config of {@link zerothOrder}. */
export interface ZerothOrderConfig {
  /** Smoothing radius σ > 0 (the finite-difference step along each direction). */
  sigma: number;
  /** Random directions K ≥ 1 per step. Default 1. */
  directions?: number;
  /** Two-sided differences f(x + σu) − f(x − σu) (default true), or one-sided f(x + σu) − f(x). */
  antithetic?: boolean;
}

/**
 * Zeroth-order (gradient-free) gradients: each particle's gradient at each step is replaced by a
 * Gaussian-smoothing / evolution-strategies estimate from K random directions u_k ~ N(0, I) and
 * function values only (Nesterov & Spokoiny 2017; Salimans et al. 2017):
 *
 *     antithetic  ĝ = (1/K) Σ_k [f(x + σu_k) − f(x − σu_k)]/(2σ) · u_k      (2K values per step)
 *     one-sided   ĝ = (1/K) Σ_k [f(x + σu_k) − f(x)]/σ · u_k                (K + 1 values)
 *
 * Both are unbiased for ∇f_σ, the gradient of the smoothed f_σ(x) = E f(x + σu) (= ∇f on
 * quadratics); their covariance has a closed form on quadratics (docs/optimizers.md,
 * "Zeroth-order gradients"). Any optimiser or sampler then steps with ĝ as its gradient, so
 * `optimizers.adam` + `noise.zerothOrder` is a zeroth-order Adam. Draws: Philox stream 40
 * (assembly/noise/zerothOrder.ts).
 */
export function zerothOrder(config: ZerothOrderConfig): Noise<{ sigma: number; directions: number; antithetic: boolean }> {
  const c = options<ZerothOrderConfig>(config, 'noise.zerothOrder', ['sigma', 'directions', 'antithetic']);
  const sigma = finite(c.sigma, 'noise.zerothOrder.sigma', { gt: 0 });
  const directions = integer(c.directions, 'noise.zerothOrder.directions', { min: 1, max: 1 << 20 }, 1);
  if (c.antithetic !== undefined && typeof c.antithetic !== 'boolean')
    throw invalid('E_CONFIG', 'noise.zerothOrder.antithetic', 'true or false', c.antithetic);
  // σ | K | antithetic (assembly/noise/kinds.ts ZEROTH_ORDER)
  return makeNoise('zerothOrder', { sigma, directions, antithetic: c.antithetic !== false }, (z) => ({
    pack: () => Float64Array.of(z.sigma, z.directions, z.antithetic ? 1 : 0),
  }));
}

/** Rebuild a noise model from its JSON form `{ kind, params }` (`type: 'noise'` optional), re-validating. */
export function fromJSON(json: unknown): Noise {
  if (!isKindData(json, NOISE_KINDS, 'noise'))
    throw new DescentError('E_CONFIG', `noise must be { kind, params } with kind one of ${Object.keys(NOISE_KINDS).join(', ')}`, {
      path: 'noise',
      actual: json,
    });
  const factories = {
    none,
    gaussian,
    lossScaled,
    heavyTailed,
    minibatch,
    hessianAligned,
    labelNoise,
    zerothOrder,
    importanceMinibatch,
  } as Record<NoiseKind, (c: never) => Noise>;
  return factories[json.kind as NoiseKind](withRevivedRate(json.params, 'anneal') as never);
}

/**
 * The number of terms K that minibatch or label noise (params `p`) samples from on `landscape`
 * (examples of a model, components of a finite sum), after checking the pair makes sense.
 */
function sampledTerms(kind: 'minibatch' | 'labelNoise', p: BatchParams, landscape: { kind: string; params: object }, path: string): number {
  const data = (landscape.params as { data?: { n: number; task: string; classes?: number } }).data;
  const parts = (landscape.params as { components?: unknown[] }).components;
  let K: number, what: string;
  if (data && landscape.kind !== 'simplexKL') {
    K = data.n;
    what = 'examples';
    if (kind === 'labelNoise') {
      if (p.sigma! > 0 && data.task !== 'regression')
        throw invalid('E_CONFIG', `${path}.params.sigma`, 'regression data (use flipProbability for classes)', `${data.task} data`);
      if (p.flipProbability! > 0 && data.task !== 'classification')
        throw invalid('E_CONFIG', `${path}.params.flipProbability`, 'classification data (use sigma for regression)', `${data.task} data`);
    }
  } else if (kind === 'minibatch' && parts && ['finiteSum', 'sum'].includes(landscape.kind)) {
    K = parts.length;
    what = 'components';
  } else {
    throw invalid(
      'E_CONFIG',
      path,
      kind === 'minibatch'
        ? 'minibatch noise only with a model (models.*) or a finite sum (landscapes.finiteSum, sum)'
        : 'label noise only with a finite-sum model (models.*)',
      `${kind} noise on ${landscape.kind}`,
    );
  }
  if (!p.replacement && p.batchSize > K)
    throw invalid('E_CONFIG', `${path}.params.batchSize`, `≤ ${K} (the number of ${what}) without replacement`, p.batchSize);
  return K;
}
