/**
 * The torch.optim family, exact to torch 1.13 in float64: names, defaults, validation and update
 * order follow torch (kernels in assembly/optimizers/, each with its equations). `lr` may be a
 * number or a schedule.
 */
import { DescentError } from '../errors.ts';
import { finite } from '../validate.ts';
import { betas, configOf, flag, learningRate, maker, type HyperValues, type LearningRate, type Optimizer } from './optimizer.ts';

/**
 * Kind ids and h layouts of this module's optimisers. MUST MATCH assembly/optimizers/kinds.ts
 * (test/layout.test.ts checks them; ./kinds.ts joins every module's).
 */
export const TORCH_IDS = { sgd: 0, adam: 1, adamw: 2, rmsprop: 3, adagrad: 4, nadam: 5 } as const;
export const TORCH_HYPER = {
  sgd: { momentum: 2, dampening: 3, weightDecay: 4, nesterov: 5 },
  adam: { beta1: 2, beta2: 3, eps: 4, weightDecay: 5, amsgrad: 6 },
  adamw: { beta1: 2, beta2: 3, eps: 4, weightDecay: 5, amsgrad: 6 },
  rmsprop: { alpha: 2, eps: 3, weightDecay: 4, momentum: 5, centered: 6 },
  adagrad: { lrDecay: 2, weightDecay: 3, initialAccumulatorValue: 4, eps: 5 },
  nadam: { beta1: 2, beta2: 3, eps: 4, weightDecay: 5, momentumDecay: 6 },
} as const;

const make = maker(TORCH_IDS, TORCH_HYPER);

const nonNeg = (v: unknown, path: string, fallback: number) => finite(v, path, { min: 0 }, fallback);

/** Config of {@link sgd} (torch.optim.SGD). */
export interface SgdConfig {
  /** Learning rate η (required, as in torch). */
  lr: LearningRate;
  /** Momentum μ ≥ 0. Default 0. */
  momentum?: number;
  /** Dampening τ of the momentum. Default 0. */
  dampening?: number;
  /** Nesterov momentum (needs μ > 0 and τ = 0). Default false. */
  nesterov?: boolean;
  /** L2 penalty λ added to the gradient. Default 0. */
  weightDecay?: number;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

/** Stochastic gradient descent with momentum (torch.optim.SGD). */
export function sgd(config: SgdConfig): Optimizer<'sgd', Required<SgdConfig>> {
  const c = configOf<SgdConfig>(config, 'sgd', ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'maximize']);
  const p = {
    lr: learningRate(c.lr, 'optimizers.sgd.lr'),
    momentum: nonNeg(c.momentum, 'optimizers.sgd.momentum', 0),
    dampening: finite(c.dampening, 'optimizers.sgd.dampening', {}, 0),
    nesterov: flag(c.nesterov, 'optimizers.sgd.nesterov'),
    weightDecay: nonNeg(c.weightDecay, 'optimizers.sgd.weightDecay', 0),
    maximize: flag(c.maximize, 'optimizers.sgd.maximize'),
  };
  if (p.nesterov && (p.momentum <= 0 || p.dampening !== 0)) {
    throw new DescentError('E_CONFIG', 'optimizers.sgd.nesterov requires momentum > 0 and dampening = 0 (as torch.optim.SGD)', {
      path: 'optimizers.sgd.nesterov',
      actual: true,
    });
  }
  return make('sgd', p, (q) => ({
    momentum: q.momentum,
    dampening: q.dampening,
    weightDecay: q.weightDecay,
    nesterov: q.nesterov ? 1 : 0,
  }));
}

/** Config of {@link adam} and {@link adamw}. */
export interface AdamConfig {
  /** Learning rate. Default 1e-3. */
  lr?: LearningRate;
  /** [β₁, β₂] in [0, 1). Default [0.9, 0.999]. */
  betas?: [number, number];
  /** ε added to the denominator. Default 1e-8. */
  eps?: number;
  /** Weight decay λ: L2 in Adam (default 0), decoupled in AdamW (default 1e-2). */
  weightDecay?: number;
  /** The AMSGrad variant. Default false. */
  amsgrad?: boolean;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

function adamLike<K extends 'adam' | 'adamw'>(kind: K, config: AdamConfig | undefined, wd: number): Optimizer<K, Required<AdamConfig>> {
  const c = configOf<AdamConfig>(config, kind, ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize']);
  const p = {
    lr: learningRate(c.lr, `optimizers.${kind}.lr`, 1e-3),
    betas: betas(c.betas, `optimizers.${kind}.betas`, [0.9, 0.999]),
    eps: nonNeg(c.eps, `optimizers.${kind}.eps`, 1e-8),
    weightDecay: nonNeg(c.weightDecay, `optimizers.${kind}.weightDecay`, wd),
    amsgrad: flag(c.amsgrad, `optimizers.${kind}.amsgrad`),
    maximize: flag(c.maximize, `optimizers.${kind}.maximize`),
  };
  // adam and adamw share a layout, which TypeScript cannot see through the generic K.
  const pack = (q: typeof p): HyperValues<'adam' | 'adamw'> => ({
    beta1: q.betas[0],
    beta2: q.betas[1],
    eps: q.eps,
    weightDecay: q.weightDecay,
    amsgrad: q.amsgrad ? 1 : 0,
  });
  return make(kind, p, pack as (q: typeof p) => HyperValues<K>);
}

/** Adam (torch.optim.Adam), with L2 weight decay and AMSGrad. */
export function adam(config?: AdamConfig): Optimizer<'adam', Required<AdamConfig>> {
  return adamLike('adam', config, 0);
}

/** AdamW (torch.optim.AdamW): Adam with decoupled weight decay x ← x(1 − ηλ), default λ = 1e-2. */
export function adamw(config?: AdamConfig): Optimizer<'adamw', Required<AdamConfig>> {
  return adamLike('adamw', config, 1e-2);
}

/** Config of {@link rmsprop} (torch.optim.RMSprop). */
export interface RmspropConfig {
  /** Learning rate. Default 1e-2. */
  lr?: LearningRate;
  /** Smoothing constant α. Default 0.99. */
  alpha?: number;
  /** ε added to the denominator (outside the square root). Default 1e-8. */
  eps?: number;
  /** L2 penalty. Default 0. */
  weightDecay?: number;
  /** Momentum μ ≥ 0. Default 0. */
  momentum?: number;
  /** Centred RMSprop (normalise by the variance estimate). Default false. */
  centered?: boolean;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

/** RMSprop (torch.optim.RMSprop), optionally centred and with momentum. */
export function rmsprop(config?: RmspropConfig): Optimizer<'rmsprop', Required<RmspropConfig>> {
  const c = configOf<RmspropConfig>(config, 'rmsprop', ['lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize']);
  const p = {
    lr: learningRate(c.lr, 'optimizers.rmsprop.lr', 1e-2),
    alpha: nonNeg(c.alpha, 'optimizers.rmsprop.alpha', 0.99),
    eps: nonNeg(c.eps, 'optimizers.rmsprop.eps', 1e-8),
    weightDecay: nonNeg(c.weightDecay, 'optimizers.rmsprop.weightDecay', 0),
    momentum: nonNeg(c.momentum, 'optimizers.rmsprop.momentum', 0),
    centered: flag(c.centered, 'optimizers.rmsprop.centered'),
    maximize: flag(c.maximize, 'optimizers.rmsprop.maximize'),
  };
  return make('rmsprop', p, (q) => ({
    alpha: q.alpha,
    eps: q.eps,
    weightDecay: q.weightDecay,
    momentum: q.momentum,
    centered: q.centered ? 1 : 0,
  }));
}

/** Config of {@link adagrad} (torch.optim.Adagrad). */
export interface AdagradConfig {
  /** Learning rate. Default 1e-2. */
  lr?: LearningRate;
  /** Learning-rate decay δ: η_t = η/(1 + (t−1)δ). Default 0. */
  lrDecay?: number;
  /** L2 penalty. Default 0. */
  weightDecay?: number;
  /** Starting value of the squared-gradient sum. Default 0. */
  initialAccumulatorValue?: number;
  /** ε added to the denominator. Default 1e-10. */
  eps?: number;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

/** Adagrad (torch.optim.Adagrad). */
export function adagrad(config?: AdagradConfig): Optimizer<'adagrad', Required<AdagradConfig>> {
  const c = configOf<AdagradConfig>(config, 'adagrad', ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps', 'maximize']);
  const p = {
    lr: learningRate(c.lr, 'optimizers.adagrad.lr', 1e-2),
    lrDecay: nonNeg(c.lrDecay, 'optimizers.adagrad.lrDecay', 0),
    weightDecay: nonNeg(c.weightDecay, 'optimizers.adagrad.weightDecay', 0),
    initialAccumulatorValue: nonNeg(c.initialAccumulatorValue, 'optimizers.adagrad.initialAccumulatorValue', 0),
    eps: nonNeg(c.eps, 'optimizers.adagrad.eps', 1e-10),
    maximize: flag(c.maximize, 'optimizers.adagrad.maximize'),
  };
  return make('adagrad', p, (q) => ({
    lrDecay: q.lrDecay,
    weightDecay: q.weightDecay,
    initialAccumulatorValue: q.initialAccumulatorValue,
    eps: q.eps,
  }));
}

/** Config of {@link nadam} (torch.optim.NAdam). */
export interface NadamConfig {
  /** Learning rate. Default 2e-3. */
  lr?: LearningRate;
  /** [β₁, β₂]. Default [0.9, 0.999]. */
  betas?: [number, number];
  /** ε. Default 1e-8. */
  eps?: number;
  /** L2 penalty. Default 0. */
  weightDecay?: number;
  /** Momentum decay ψ of the μ_t schedule. Default 4e-3. */
  momentumDecay?: number;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

/** NAdam (torch.optim.NAdam, Dozat 2016). */
export function nadam(config?: NadamConfig): Optimizer<'nadam', Required<NadamConfig>> {
  const c = configOf<NadamConfig>(config, 'nadam', ['lr', 'betas', 'eps', 'weightDecay', 'momentumDecay', 'maximize']);
  const p = {
    lr: learningRate(c.lr, 'optimizers.nadam.lr', 2e-3),
    betas: betas(c.betas, 'optimizers.nadam.betas', [0.9, 0.999]),
    eps: nonNeg(c.eps, 'optimizers.nadam.eps', 1e-8),
    weightDecay: nonNeg(c.weightDecay, 'optimizers.nadam.weightDecay', 0),
    momentumDecay: nonNeg(c.momentumDecay, 'optimizers.nadam.momentumDecay', 4e-3),
    maximize: flag(c.maximize, 'optimizers.nadam.maximize'),
  };
  return make('nadam', p, (q) => ({
    beta1: q.betas[0],
    beta2: q.betas[1],
    eps: q.eps,
    weightDecay: q.weightDecay,
    momentumDecay: q.momentumDecay,
  }));
}
