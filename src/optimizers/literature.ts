/**
 * Optimisers from the literature outside torch.optim: Lion, Polyak's heavy ball and Nesterov's
 * original accelerated gradient (kernels in assembly/optimizers/ state the equations).
 */
import { finite } from '../validate.ts';
import { betas, configOf, flag, learningRate, maker, type LearningRate, type Optimizer } from './optimizer.ts';

/**
 * Kind ids and h layouts of this module's optimisers. MUST MATCH assembly/optimizers/kinds.ts
 * (test/layout.test.ts checks them; ./kinds.ts joins every module's).
 */
export const LITERATURE_IDS = { lion: 6, heavyBall: 7, nesterovGD: 8 } as const;
export const LITERATURE_HYPER = {
  lion: { beta1: 2, beta2: 3, weightDecay: 4 },
  heavyBall: { beta: 2 },
  nesterovGD: { beta: 2 },
} as const;

const make = maker(LITERATURE_IDS, LITERATURE_HYPER);

/** Config of {@link lion}. */
export interface LionConfig {
  /** Learning rate. Default 1e-4. */
  lr?: LearningRate;
  /** [β₁, β₂]. Default [0.9, 0.99]. */
  betas?: [number, number];
  /** Decoupled weight decay λ. Default 0. */
  weightDecay?: number;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

/** Lion (Chen et al. 2023): sign of an interpolated momentum. */
export function lion(config?: LionConfig): Optimizer<'lion', Required<LionConfig>> {
  const c = configOf<LionConfig>(config, 'lion', ['lr', 'betas', 'weightDecay', 'maximize']);
  const p = {
    lr: learningRate(c.lr, 'optimizers.lion.lr', 1e-4),
    betas: betas(c.betas, 'optimizers.lion.betas', [0.9, 0.99]),
    weightDecay: finite(c.weightDecay, 'optimizers.lion.weightDecay', { min: 0 }, 0),
    maximize: flag(c.maximize, 'optimizers.lion.maximize'),
  };
  return make('lion', p, (q) => ({ beta1: q.betas[0], beta2: q.betas[1], weightDecay: q.weightDecay }));
}

/** Config of {@link heavyBall}. */
export interface HeavyBallConfig {
  /** Learning rate η (required). */
  lr: LearningRate;
  /** Momentum β ≥ 0 of the β(x_t − x_{t−1}) term. Default 0.9. */
  beta?: number;
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

/** Polyak's heavy ball: x_{t+1} = x_t − η∇f(x_t) + β(x_t − x_{t−1}). */
export function heavyBall(config: HeavyBallConfig): Optimizer<'heavyBall', Required<HeavyBallConfig>> {
  const c = configOf<HeavyBallConfig>(config, 'heavyBall', ['lr', 'beta', 'maximize']);
  const p = {
    lr: learningRate(c.lr, 'optimizers.heavyBall.lr'),
    beta: finite(c.beta, 'optimizers.heavyBall.beta', { min: 0 }, 0.9),
    maximize: flag(c.maximize, 'optimizers.heavyBall.maximize'),
  };
  return make('heavyBall', p, (q) => ({ beta: q.beta }));
}

/** Config of {@link nesterovGD}. */
export interface NesterovGDConfig {
  /** Learning rate η (required). */
  lr: LearningRate;
  /** Momentum β_t: a constant ≥ 0, or 'schedule' for t/(t + 3). Default 0.9. */
  beta?: number | 'schedule';
  /** Ascend instead of descend. Default false. */
  maximize?: boolean;
}

/** Nesterov's accelerated gradient, original look-ahead form: y = x + β(x − x₋), x₊ = y − η∇f(y). */
export function nesterovGD(config: NesterovGDConfig): Optimizer<'nesterovGD', Required<NesterovGDConfig>> {
  const c = configOf<NesterovGDConfig>(config, 'nesterovGD', ['lr', 'beta', 'maximize']);
  const beta: number | 'schedule' = c.beta === 'schedule' ? 'schedule' : finite(c.beta, 'optimizers.nesterovGD.beta', { min: 0 }, 0.9);
  const p = { lr: learningRate(c.lr, 'optimizers.nesterovGD.lr'), beta, maximize: flag(c.maximize, 'optimizers.nesterovGD.maximize') };
  return make('nesterovGD', p, (q) => ({ beta: q.beta === 'schedule' ? -1 : q.beta }));
}
