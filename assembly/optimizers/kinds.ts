// Optimiser kind ids and hyperparameter layouts. MUST MATCH src/optimizers/*.ts (the packers).
// Each optimiser's hyperparameters are an f64 array h; h[0] is always the base learning rate η
// (multiplied by the schedule), h[1] the gradient sign σ (−1 when maximising).
export const SGD = 0;        // h: η σ | momentum dampening weightDecay nesterov
export const ADAM = 1;       // h: η σ | β₁ β₂ ε weightDecay amsgrad
export const ADAMW = 2;      // h: η σ | β₁ β₂ ε weightDecay amsgrad
export const RMSPROP = 3;    // h: η σ | α ε weightDecay momentum centered
export const ADAGRAD = 4;    // h: η σ | lrDecay weightDecay initialAccumulatorValue ε
export const NADAM = 5;      // h: η σ | β₁ β₂ ε weightDecay momentumDecay
export const LION = 6;       // h: η σ | β₁ β₂ weightDecay
export const HEAVY_BALL = 7; // h: η σ | β
export const NESTEROV_GD = 8; // h: η σ | β (β < 0: the schedule t/(t+3))
export const OPTIMIZER_KIND_COUNT = 9;
// Samplers (samplers/langevin.ts), run by the ensemble loop only (they need the particle, step
// and seed). Ids from 16 so optimiser ids stay contiguous. MUST MATCH src/samplers.ts.
export const ULA = 16;         // h: 1 1 | T
export const UNDERDAMPED = 17; // h: 1 1 | γ m T integrator (0 BAOAB, 1 OBABO, 2 Euler–Maruyama)
export const MALA = 18;        // h: 1 1 | T (samplers/mala.ts; stepped by the ensemble loop, which has the landscape)
export const SGLD = 19;        // h: 1 1 | T (the ULA kernel; its gradients are the run's noisy ones, η_t its schedule)
export const SVGD = 20;        // h: 1 1 | T bandwidth (−1: median) inner (−1: none) | inner optimiser's h (samplers/svgd.ts; run/svgd.ts)
export const SAMPLER_END = 24; // samplers are ids [ULA, SAMPLER_END)
// Curvature-aware optimisers, which need the landscape itself (second gradients, HVPs, Fisher
// products, values) inside their step: ids from 24, stepped by the ensemble loop through
// run/curvature.ts (simulate only). MUST MATCH src/optimizers/curvature.ts, bindings/curvature.ts.
export const SAM = 24;                // h: η σ | ρ momentum adaptive (0/1)
export const PERTURBED_GD = 25;       // h: η σ | gThres tThres radius
export const NEWTON_CG = 26;          // h: η σ | λ cgIters cgTol lineSearch (0/1) negativeCurvature (0 stop, 1 ignore)
export const NATURAL_GRADIENT = 27;   // h: η σ | λ cgIters cgTol fisher (0 true, 1 empirical)
export const SADDLE_FREE_NEWTON = 28; // h: η σ | λ k
export const CURVATURE_END = 29;      // curvature-aware optimisers are ids [SAM, CURVATURE_END)

/** Is `kind` a sampler (samplers/langevin.ts, mala.ts, svgd.ts)? */
@inline export function isSampler(kind: i32): bool { return kind >= ULA && kind < SAMPLER_END; }

/** Is `kind` a curvature-aware optimiser, stepped with the landscape by run/curvature.ts? */
@inline export function isCurvature(kind: i32): bool { return kind >= SAM && kind < CURVATURE_END; }

/** Number of optimiser kinds this module implements. */
export function optimizerKindCount(): i32 {
  return OPTIMIZER_KIND_COUNT;
}
