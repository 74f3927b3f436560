/**
 * Curvature-aware optimisers: sharpness-aware minimisation, perturbed gradient descent,
 * Newton-CG, natural gradient and saddle-free Newton. Each needs the landscape itself inside its
 * step (a second gradient, Hessian-vector or Fisher-vector products, values for a line search),
 * so they run in `simulate` only, where the ensemble loop steps them with the landscape in wasm
 * (assembly/run/curvature.ts; each kernel in assembly/optimizers/ states its equations and
 * source). `minimize` rejects them: use `simulate({ particles: 1, … })` for one trajectory.
 * Configs are frozen, JSON-serialisable data like every optimiser's; the learning rate may be a
 * schedule. Docs: docs/curvature-optimizers.md.
 *
 * @example
 * const f = descent.landscapes.saddle({ quartic: 1 });
 * const r = await descent.simulate({
 *   landscape: f, optimizer: descent.optimizers.saddleFreeNewton({ k: 2 }),
 *   init: descent.inits.point({ x: [1e-3, 1] }), particles: 1, steps: 30, seed: 1,
 * });
 * r.x; // ≈ [1, 0]: the minimum the escape leads to (Newton would stop at the saddle [0, 0])
 */
import { MODEL_KINDS } from '../../bindings/kinds.ts';
import { invalid } from '../errors.ts';
import { finite, integer } from '../validate.ts';
import { configOf, flag, learningRate, maker, type LearningRate, type Optimizer, type RunContext } from './optimizer.ts';

/**
 * Kind ids and h layouts of this module's optimisers. MUST MATCH assembly/optimizers/kinds.ts
 * (test/layout.test.ts checks them; ./kinds.ts joins every module's).
 */
export const CURVATURE_IDS = { sam: 24, perturbedGD: 25, newtonCG: 26, naturalGradient: 27, saddleFreeNewton: 28 } as const;
export const CURVATURE_HYPER = {
  sam: { rho: 2, momentum: 3, adaptive: 4 },
  perturbedGD: { gThres: 2, tThres: 3, radius: 4 },
  newtonCG: { damping: 2, cgIters: 3, cgTol: 4, lineSearch: 5, negativeCurvature: 6 },
  naturalGradient: { damping: 2, cgIters: 3, cgTol: 4, fisher: 5 },
  saddleFreeNewton: { damping: 2, k: 3 },
} as const;

const make = maker(CURVATURE_IDS, CURVATURE_HYPER);

/** Kinds of the curvature-aware optimisers (kernel ids 24–29: assembly/optimizers/kinds.ts; sme: ./sme.ts). */
export const CURVATURE_OPTIMIZERS = ['sam', 'perturbedGD', 'newtonCG', 'naturalGradient', 'saddleFreeNewton', 'sme'] as const;

/** Name of a curvature-aware optimiser kind. */
export type CurvatureOptimizerKind = (typeof CURVATURE_OPTIMIZERS)[number];

/** Is `o` one of the curvature-aware optimisers (which need the landscape inside their step)? */
export function isCurvatureOptimizer(o: { kind: string }): o is Optimizer<CurvatureOptimizerKind> {
  return (CURVATURE_OPTIMIZERS as readonly string[]).includes(o.kind);
}

const MAX_CG_ITERS = 1_000_000;
const MAX_KRYLOV = 1_000;

/** Config of {@link sam}. */
export interface SamConfig {
  /** Learning rate η of the base SGD step, or a schedule (required). */
  lr: LearningRate;
  /** Radius ρ ≥ 0 of the ascent step ε = ρ g/‖g‖ (0: plain SGD). Default 0.05 (Foret et al.'s). */
  rho?: number;
  /** Momentum μ ≥ 0 of the base SGD (torch.optim.SGD's buffer, dampening 0). Default 0. */
  momentum?: number;
  /** ASAM's scale-invariant neighbourhood ε = ρ x²⊙g/‖|x|⊙g‖ (Kwon et al. 2021). Default false. */
  adaptive?: boolean;
}

/**
 * Sharpness-aware minimisation (Foret et al., ICLR 2021): ε = ρ g/‖g‖, then an SGD step with the
 * gradient at x + ε: b ← μb + ∇f(x + ε) (b = ∇f(x + ε) at the first step), x ← x − ηb. With
 * gradient noise, the step's noise realisation is added to both gradients.
 */
export function sam(config: SamConfig): Optimizer<'sam', Required<SamConfig>> {
  const c = configOf<SamConfig>(config, 'sam', ['lr', 'rho', 'momentum', 'adaptive']);
  const p = {
    lr: learningRate(c.lr, 'optimizers.sam.lr'),
    rho: finite(c.rho, 'optimizers.sam.rho', { min: 0 }, 0.05),
    momentum: finite(c.momentum, 'optimizers.sam.momentum', { min: 0 }, 0),
    adaptive: flag(c.adaptive, 'optimizers.sam.adaptive'),
  };
  return make('sam', p, (q) => ({ rho: q.rho, momentum: q.momentum, adaptive: q.adaptive ? 1 : 0 }));
}

/** Config of {@link perturbedGD}. All but `tThres` are required: Jin et al. derive them from the landscape's smoothness constants. */
export interface PerturbedGDConfig {
  /** Learning rate η, or a schedule (required). */
  lr: LearningRate;
  /** Perturb only where ‖g‖ ≤ gThres (≥ 0; required). */
  gThres: number;
  /** Perturbations at least tThres steps apart (integer ≥ 1). Default 10. */
  tThres?: number;
  /** Radius r > 0 of the ball ξ is drawn from uniformly (required). */
  radius: number;
}

/**
 * Perturbed gradient descent (Jin et al., ICML 2017): where ‖g‖ ≤ gThres and the last
 * perturbation is at least tThres steps back, x ← x + ξ with ξ uniform in the ball of radius r;
 * then x ← x − η∇f(x). Draws: Philox stream 11 (PERTURB) of (draw, step, particle).
 */
export function perturbedGD(config: PerturbedGDConfig): Optimizer<'perturbedGD', Required<PerturbedGDConfig>> {
  const c = configOf<PerturbedGDConfig>(config, 'perturbedGD', ['lr', 'gThres', 'tThres', 'radius']);
  const p = {
    lr: learningRate(c.lr, 'optimizers.perturbedGD.lr'),
    gThres: finite(c.gThres, 'optimizers.perturbedGD.gThres', { min: 0 }),
    tThres: integer(c.tThres, 'optimizers.perturbedGD.tThres', { min: 1, max: 2 ** 31 - 1 }, 10),
    radius: finite(c.radius, 'optimizers.perturbedGD.radius', { gt: 0 }),
  };
  return make('perturbedGD', p, (q) => ({ gThres: q.gThres, tThres: q.tThres, radius: q.radius }));
}

/** What Newton-CG does when CG meets a direction of non-positive curvature. */
export type NegativeCurvature = 'stop' | 'ignore';

/** Config of {@link newtonCG}. */
export interface NewtonCGConfig {
  /** Step size η on the Newton direction, or a schedule. Default 1 (Newton's step). */
  lr?: LearningRate;
  /** Damping λ ≥ 0: CG solves (∇²f + λI)p = g. Default 0. */
  damping?: number;
  /** Most CG iterations per step (integer ≥ 1). Default 50. */
  cgIters?: number;
  /** CG stops when ‖r‖ ≤ cgTol·‖g‖ (≥ 0). Default 1e-6. */
  cgTol?: number;
  /** Backtracking Armijo line search on f (c₁ = 1e-4, halving, at most 30 halvings). Default false. */
  lineSearch?: boolean;
  /**
   * `'stop'` (default): CG ends at a direction of non-positive curvature and returns its last
   * iterate (the gradient if at the first iteration), so the step descends (Nocedal & Wright
   * Alg. 7.1). `'ignore'`: CG goes on through indefinite curvature — plain Newton, attracted by saddles.
   */
  negativeCurvature?: NegativeCurvature;
}

/**
 * Newton-CG, damped and truncated: p solves (∇²f(x) + λI)p = g by conjugate gradients on exact
 * Hessian-vector products; x ← x − αηp, α = 1 or from an Armijo line search.
 */
export function newtonCG(config?: NewtonCGConfig): Optimizer<'newtonCG', Required<NewtonCGConfig>> {
  const c = configOf<NewtonCGConfig>(config, 'newtonCG', ['lr', 'damping', 'cgIters', 'cgTol', 'lineSearch', 'negativeCurvature']);
  const nc = c.negativeCurvature ?? 'stop';
  if (nc !== 'stop' && nc !== 'ignore') throw invalid('E_CONFIG', 'optimizers.newtonCG.negativeCurvature', "'stop' or 'ignore'", nc);
  const p = {
    lr: learningRate(c.lr, 'optimizers.newtonCG.lr', 1),
    damping: finite(c.damping, 'optimizers.newtonCG.damping', { min: 0 }, 0),
    cgIters: integer(c.cgIters, 'optimizers.newtonCG.cgIters', { min: 1, max: MAX_CG_ITERS }, 50),
    cgTol: finite(c.cgTol, 'optimizers.newtonCG.cgTol', { min: 0 }, 1e-6),
    lineSearch: flag(c.lineSearch, 'optimizers.newtonCG.lineSearch'),
    negativeCurvature: nc as NegativeCurvature,
  };
  return make('newtonCG', p, (q) => ({
    damping: q.damping,
    cgIters: q.cgIters,
    cgTol: q.cgTol,
    lineSearch: q.lineSearch ? 1 : 0,
    negativeCurvature: q.negativeCurvature === 'ignore' ? 1 : 0,
  }));
}

/** Which Fisher matrix natural gradient preconditions with. */
export type FisherKind = 'true' | 'empirical';

/** Config of {@link naturalGradient}. */
export interface NaturalGradientConfig {
  /** Learning rate η, or a schedule (required). */
  lr: LearningRate;
  /** Damping λ ≥ 0: CG solves (F + λI)p = g. Default 1e-3. */
  damping?: number;
  /** Most CG iterations per step (integer ≥ 1). Default 50. */
  cgIters?: number;
  /** CG stops when ‖r‖ ≤ cgTol·‖g‖ (≥ 0). Default 1e-6. */
  cgTol?: number;
  /**
   * `'true'` (default): the Fisher of the model's predictive distribution (= its Gauss–Newton
   * matrix for mse, crossEntropy and bce; for simplexKL, the categorical Fisher in its
   * coordinates). `'empirical'`: (1/n) Σ w_i ∇ℓ_i ∇ℓ_iᵀ, finite-sum models only.
   */
  fisher?: FisherKind;
}

/**
 * Natural gradient (Amari 1998): p solves (F(x) + λI)p = g by conjugate gradients on exact
 * Fisher-vector products; x ← x − ηp. Defined where the landscape is a distribution's negative
 * log-likelihood: finite-sum models (models.mlp and its family, diagonalLinear,
 * matrixFactorization) and models.simplexKL; `simulate` rejects it on any other landscape.
 */
export function naturalGradient(config: NaturalGradientConfig): Optimizer<'naturalGradient', Required<NaturalGradientConfig>> {
  const c = configOf<NaturalGradientConfig>(config, 'naturalGradient', ['lr', 'damping', 'cgIters', 'cgTol', 'fisher']);
  const fisher = c.fisher ?? 'true';
  if (fisher !== 'true' && fisher !== 'empirical')
    throw invalid('E_CONFIG', 'optimizers.naturalGradient.fisher', "'true' or 'empirical'", fisher);
  const p = {
    lr: learningRate(c.lr, 'optimizers.naturalGradient.lr'),
    damping: finite(c.damping, 'optimizers.naturalGradient.damping', { min: 0 }, 1e-3),
    cgIters: integer(c.cgIters, 'optimizers.naturalGradient.cgIters', { min: 1, max: MAX_CG_ITERS }, 50),
    cgTol: finite(c.cgTol, 'optimizers.naturalGradient.cgTol', { min: 0 }, 1e-6),
    fisher: fisher as FisherKind,
  };
  return make(
    'naturalGradient',
    p,
    (q) => ({ damping: q.damping, cgIters: q.cgIters, cgTol: q.cgTol, fisher: q.fisher === 'empirical' ? 1 : 0 }),
    checkFisher,
  );
}

/** Config of {@link saddleFreeNewton}. */
export interface SaddleFreeNewtonConfig {
  /** Step size η, or a schedule. Default 1. */
  lr?: LearningRate;
  /** Damping λ ≥ 0 added to |Λ|. Default 1e-3. */
  damping?: number;
  /** Krylov subspace dimension k (integer 1 … 1000; capped at the landscape's dimension). Default 10. */
  k?: number;
}

/**
 * Saddle-free Newton (Dauphin et al., NeurIPS 2014) in the Krylov subspace K_k(H, g): k Lanczos
 * steps from g give T = VᵀHV = QΛQᵀ, and Δ = −V Q(|Λ| + λI)⁻¹QᵀVᵀg; x ← x + ηΔ. Negative
 * curvature is descended, so saddles repel instead of attract.
 */
export function saddleFreeNewton(config?: SaddleFreeNewtonConfig): Optimizer<'saddleFreeNewton', Required<SaddleFreeNewtonConfig>> {
  const c = configOf<SaddleFreeNewtonConfig>(config, 'saddleFreeNewton', ['lr', 'damping', 'k']);
  const p = {
    lr: learningRate(c.lr, 'optimizers.saddleFreeNewton.lr', 1),
    damping: finite(c.damping, 'optimizers.saddleFreeNewton.damping', { min: 0 }, 1e-3),
    k: integer(c.k, 'optimizers.saddleFreeNewton.k', { min: 1, max: MAX_KRYLOV }, 10),
  };
  return make('saddleFreeNewton', p, (q) => ({ damping: q.damping, k: q.k }));
}

/**
 * Natural gradient's run check (called by `simulate` before anything is allocated): it needs a
 * Fisher — a finite-sum model with data, or simplexKL (true Fisher only).
 */
function checkFisher(params: Required<NaturalGradientConfig>, { landscape, path }: RunContext): void {
  const fisher = params.fisher;
  // A landscape of a model kind is a Model, whose data is its params' (read here without the
  // Model class, which a simulate call would otherwise carry into every bundle).
  const finiteSum =
    (MODEL_KINDS as readonly string[]).includes(landscape.kind) && (landscape.params as { data?: unknown }).data !== undefined;
  if (finiteSum) return;
  if (landscape.kind === 'simplexKL') {
    if (fisher === 'true') return;
    throw invalid(
      'E_CONFIG',
      `${path}.params.fisher`,
      "'true' on simplexKL (its Fisher is the categorical distribution's; there are no examples for an empirical one)",
      fisher,
    );
  }
  throw invalid(
    'E_CONFIG',
    path,
    `an optimizer defined on ${landscape.kind} (naturalGradient needs a Fisher matrix, which finite-sum models — ` +
      `${MODEL_KINDS.join(', ')} — and simplexKL have)`,
    'naturalGradient',
  );
}
