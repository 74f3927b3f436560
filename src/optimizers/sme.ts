/**
 * `optimizers.sme`: the stochastic modified equation of SGD (Li, Tai & E, ICML 2017; JMLR 2019) —
 * the SDE whose solution at t = kη approximates SGD's k-th iterate in distribution (weak error
 * O(η) at order 1, O(η²) at order 2) — integrated in the ensemble loop, so an SGD ensemble and its
 * SME run side by side: swap `optimizers.sgd({ lr })` for `optimizers.sme({ lr })` and keep the
 * noise model, which sets the diffusion Σ (none, Gaussian, or a minibatch's covariance).
 * Equations and schemes: assembly/optimizers/sme.ts; docs/optimizers.md.
 *
 * @example
 * const cfg = (optimizer) => ({ landscape: f, optimizer, noise: descent.noise.gaussian({ sigma: 1 }), particles: 1e5, steps: 20, seed: 1,
 *   init: descent.inits.point({ x: [1] }) });
 * const sgd = await descent.simulate(cfg(descent.optimizers.sgd({ lr: 0.1 })));
 * const sde = await descent.simulate(cfg(descent.optimizers.sme({ lr: 0.1, order: 2, scheme: 'heun', substeps: 8 })));
 */
import { invalid } from '../errors.ts';
import { finite, integer } from '../validate.ts';
import { configOf, flag, learningRate, maker, type LearningRate, type Optimizer, type RunContext } from './optimizer.ts';

/**
 * Kind ids and h layouts of this module's optimisers. MUST MATCH assembly/optimizers/kinds.ts
 * (test/layout.test.ts checks them; ./kinds.ts joins every module's).
 */
export const SME_IDS = { sme: 29 } as const;
export const SME_HYPER = { sme: { order: 2, scheme: 3, substeps: 4, delay: 5 } } as const;

const make = maker(SME_IDS, SME_HYPER);

/** Integration scheme of {@link sme}: Euler–Maruyama (weak order 1), or Heun (weak order 2 for additive noise). */
export type SmeScheme = 'euler' | 'heun';

/** Config of {@link sme}. */
export interface SmeConfig {
  /** SGD's learning rate η, or a schedule: each step advances the SDE's time by η (required). */
  lr: LearningRate;
  /** Order of the modified equation: 1 (drift −∇f) or 2 (drift −∇(f + (η/4)‖∇f‖²)). Default 1. */
  order?: 1 | 2;
  /** 'euler' (Euler–Maruyama) or 'heun' (weak order 2; additive noise only: none or Gaussian). Default 'euler'. */
  scheme?: SmeScheme;
  /** Substeps m per step (h = η/m), 1 … 10⁶: the SDE's own discretisation error falls with m. Default 1. */
  substeps?: number;
  /** Maximise f instead (the drift's gradient changes sign). Default false. */
  maximize?: boolean;
  /**
   * Mean staleness τ ≥ 0 of asynchronous SGD (`optimizers.asyncSGD`): τ > 0 gives its SME of Langevin
   * type (An, Lu & Ying 2020), dX = V dt, τη dV = −(V + ∇f) dt + √η Σ^{1/2} dW, V(0) = −∇f(x₀), integrated by
   * semi-implicit Euler (order 1 only; `scheme` must stay 'euler'). Default 0: plain SGD's SME.
   */
  delay?: number;
}

/**
 * The stochastic modified equation of SGD with learning rate `lr`, as an optimiser of `simulate`
 * (curvature-aware: it needs the landscape, and at order 2 its Hessian-vector products, inside its
 * step; `minimize` refuses it). The run's noise model gives the diffusion: `noise.none()` (the
 * modified gradient flow), `noise.gaussian({ sigma })` (Σ = diag σ²), or `noise.minibatch({ batchSize })`
 * on a finite sum or model (Σ = the minibatch gradient's covariance, from all K term gradients per
 * substep). Other noise models are E_CONFIG.
 */
export function sme(config: SmeConfig): Optimizer<'sme', Required<SmeConfig>> {
  const c = configOf<SmeConfig>(config, 'sme', ['lr', 'order', 'scheme', 'substeps', 'maximize', 'delay']);
  const order = c.order ?? 1;
  if (order !== 1 && order !== 2) throw invalid('E_CONFIG', 'optimizers.sme.order', '1 or 2', c.order);
  const scheme = c.scheme ?? 'euler';
  if (scheme !== 'euler' && scheme !== 'heun') throw invalid('E_CONFIG', 'optimizers.sme.scheme', "'euler' or 'heun'", c.scheme);
  const p = {
    lr: learningRate(c.lr, 'optimizers.sme.lr'),
    order,
    scheme,
    substeps: integer(c.substeps, 'optimizers.sme.substeps', { min: 1, max: 1_000_000 }, 1),
    maximize: flag(c.maximize, 'optimizers.sme.maximize'),
    delay: finite(c.delay, 'optimizers.sme.delay', { min: 0, max: 1e6 }, 0),
  } as Required<SmeConfig>;
  if (p.delay > 0 && (p.order !== 1 || p.scheme !== 'euler')) {
    throw invalid(
      'E_CONFIG',
      'optimizers.sme.delay',
      "0 with order 2 or scheme 'heun' (the asynchronous SGD's SME is first order, by semi-implicit Euler)",
      p.delay,
    );
  }
  return make(
    'sme',
    p,
    (q) => ({ order: q.order, scheme: q.scheme === 'heun' ? 1 : 0, substeps: q.substeps, delay: q.delay }),
    checkSmeNoise,
  );
}

/**
 * The noise models an SME can take its diffusion from (its run check, called by simulate): none,
 * Gaussian, minibatch, Gaussian label noise (σ, regression); Heun's scheme only with additive
 * noise (none, Gaussian).
 */
function checkSmeNoise(params: Required<SmeConfig>, { noise, noisePath: path }: RunContext): void {
  const scheme = params.scheme;
  const allowed = scheme === 'heun' ? ['none', 'gaussian'] : ['none', 'gaussian', 'minibatch', 'labelNoise'];
  if (!allowed.includes(noise.kind)) {
    throw invalid(
      'E_CONFIG',
      path,
      scheme === 'heun'
        ? "noise.none() or noise.gaussian() with optimizers.sme({ scheme: 'heun' }) " +
            "(its weak order 2 holds for additive noise; use 'euler' for minibatch and label noise)"
        : 'noise.none(), gaussian(), minibatch() or labelNoise({ sigma }) with optimizers.sme (the diffusion Σ comes from the noise model)',
      `${noise.kind} noise`,
    );
  }
  if (noise.kind === 'labelNoise' && ((noise.params as { flipProbability?: number }).flipProbability ?? 0) > 0) {
    throw invalid(
      'E_CONFIG',
      `${path}.params.flipProbability`,
      '0 with optimizers.sme (label flips make non-Gaussian gradient noise; the SME takes Gaussian label noise σ on regression)',
      (noise.params as { flipProbability: number }).flipProbability,
    );
  }
}
