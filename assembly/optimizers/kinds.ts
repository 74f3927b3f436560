// Optimiser kind ids and hyperparameter layouts. MUST MATCH src/optimizers/optimizer.ts
// (OPTIMIZER_KINDS, and OPTIMIZER_HYPER, by which the packers fill h); test/layout.test.ts checks
// every id and offset in this file against layoutTable (assembly/layout.ts).
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

// Offsets into h, by optimiser, as the layouts above list them; the read sites (dispatch.ts,
// laneRules.ts, run/curvature.ts, run/svgd.ts) use these names.
export const H_LR = 0, H_SIGN = 1; // every kind: η (× the schedule), σ
export const SGD_MOMENTUM = 2, SGD_DAMPENING = 3, SGD_WEIGHT_DECAY = 4, SGD_NESTEROV = 5;
export const ADAM_BETA1 = 2, ADAM_BETA2 = 3, ADAM_EPS = 4, ADAM_WEIGHT_DECAY = 5, ADAM_AMSGRAD = 6; // ADAM and ADAMW
export const RMSPROP_ALPHA = 2, RMSPROP_EPS = 3, RMSPROP_WEIGHT_DECAY = 4, RMSPROP_MOMENTUM = 5, RMSPROP_CENTERED = 6;
export const ADAGRAD_LR_DECAY = 2, ADAGRAD_WEIGHT_DECAY = 3, ADAGRAD_INITIAL_ACCUMULATOR = 4, ADAGRAD_EPS = 5;
export const NADAM_BETA1 = 2, NADAM_BETA2 = 3, NADAM_EPS = 4, NADAM_WEIGHT_DECAY = 5, NADAM_MOMENTUM_DECAY = 6;
export const LION_BETA1 = 2, LION_BETA2 = 3, LION_WEIGHT_DECAY = 4;
export const HEAVY_BALL_BETA = 2;
export const NESTEROV_GD_BETA = 2;

// Samplers (samplers/langevin.ts), run by the ensemble loop only (they need the particle, step
// and seed). Ids from 16 so optimiser ids stay contiguous. MUST MATCH src/samplers.ts
// (SAMPLER_KINDS, SAMPLER_HYPER), bindings/ensemble.ts (MALA_ID), bindings/svgd.ts (SVGD_ID,
// SVGD_BANDWIDTH).
export const ULA = 16;         // h: 1 1 | T
export const UNDERDAMPED = 17; // h: 1 1 | γ m T integrator (0 BAOAB, 1 OBABO, 2 Euler–Maruyama)
export const MALA = 18;        // h: 1 1 | T (samplers/mala.ts; stepped by the ensemble loop, which has the landscape)
export const SGLD = 19;        // h: 1 1 | T (the ULA kernel; its gradients are the run's noisy ones, η_t its schedule)
export const SVGD = 20;        // h: 1 1 | T bandwidth (−1: median) inner (−1: none) | inner optimiser's h (samplers/svgd.ts; run/svgd.ts)
export const METROPOLIS_HASTINGS = 21; // h: 1 1 | T proposal (0 random walk, 1 independence) s | μ (d; independence)
                                       // (samplers/metropolisHastings.ts)
export const SAMPLER_END = 24; // samplers are ids [ULA, SAMPLER_END)
// Offsets into h:
export const LANGEVIN_TEMPERATURE = 2; // ULA, MALA, SGLD: T
export const UNDERDAMPED_FRICTION = 2, UNDERDAMPED_MASS = 3, UNDERDAMPED_TEMPERATURE = 4, UNDERDAMPED_INTEGRATOR = 5;
export const SVGD_TEMPERATURE = 2;  // T > 0
export const SVGD_BANDWIDTH = 3;    // h > 0, or −1: the median heuristic
export const SVGD_INNER = 4;        // inner optimiser kind, or −1: x += ε_t φ
export const SVGD_INNER_HYPER = 5;  // the inner optimiser's own h array starts here
export const MH_TEMPERATURE = 2, MH_PROPOSAL_KIND = 3, MH_SCALE = 4, MH_MEAN = 5; // METROPOLIS_HASTINGS

// Curvature-aware optimisers, which need the landscape itself (second gradients, HVPs, Fisher
// products, values) inside their step: ids from 24, stepped by the ensemble loop through
// run/curvature.ts (simulate only). MUST MATCH src/optimizers/optimizer.ts,
// bindings/curvature.ts (CURVATURE_KINDS, SADDLE_FREE_NEWTON_K).
export const SAM = 24;                // h: η σ | ρ momentum adaptive (0/1)
export const PERTURBED_GD = 25;       // h: η σ | gThres tThres radius
export const NEWTON_CG = 26;          // h: η σ | λ cgIters cgTol lineSearch (0/1) negativeCurvature (0 stop, 1 ignore)
export const NATURAL_GRADIENT = 27;   // h: η σ | λ cgIters cgTol fisher (0 true, 1 empirical)
export const SADDLE_FREE_NEWTON = 28; // h: η σ | λ k
export const SME = 29;                // h: η σ | order (1, 2) scheme (0 Euler–Maruyama, 1 Heun) substeps delay τ (optimizers/sme.ts)
export const CURVATURE_END = 30;      // curvature-aware optimisers are ids [SAM, CURVATURE_END)
// Offsets into h:
export const SAM_RHO = 2, SAM_MOMENTUM = 3, SAM_ADAPTIVE = 4;
export const PERTURBED_GD_G_THRES = 2, PERTURBED_GD_T_THRES = 3, PERTURBED_GD_RADIUS = 4;
export const NEWTON_CG_DAMPING = 2, NEWTON_CG_CG_ITERS = 3, NEWTON_CG_CG_TOL = 4, NEWTON_CG_LINE_SEARCH = 5;
export const NEWTON_CG_NEGATIVE_CURVATURE = 6;
export const NATURAL_GRADIENT_DAMPING = 2, NATURAL_GRADIENT_CG_ITERS = 3, NATURAL_GRADIENT_CG_TOL = 4;
export const NATURAL_GRADIENT_FISHER = 5;
export const SADDLE_FREE_NEWTON_DAMPING = 2, SADDLE_FREE_NEWTON_K = 3;
export const SME_ORDER = 2, SME_SCHEME = 3, SME_SUBSTEPS = 4, SME_DELAY = 5;

// Distributed and variance-reduced optimisers (issue 19), which draw their own minibatches and
// take several gradients per step (worker replicas, snapshots, stale points): ids from 32, stepped
// one lane at a time by run/distributed.ts (simulate only). Async SGD alone takes the ordinary
// pipeline gradient, at a stale point (optimizers/asyncSGD.ts). MUST MATCH
// src/optimizers/optimizer.ts (OPTIMIZER_KINDS, OPTIMIZER_HYPER), bindings/distributed.ts.
export const LOCAL_SGD = 32;      // h: η σ | workers K, localSteps H
export const ASYNC_SGD = 33;      // h: η σ | maxDelay τmax, delay law (0 fixed τmax, 1 uniform, 2 geometric), q (geometric)
export const COMPRESSED_SGD = 34; // h: η σ | workers K, compressor (0 randK, 1 permK, 2 topK), k
export const MARINA = 35;         // h: η σ | workers K, compressor (0 randK, 1 permK), k, p
export const SVRG = 36;           // h: η σ | m (0: loopless), p
export const SARAH = 37;          // h: η σ | m (0: loopless), p
export const DISTRIBUTED = LOCAL_SGD; // this family is ids [DISTRIBUTED, DISTRIBUTED_END); 38 … 47 reserved
export const DISTRIBUTED_END = 38;
// Offsets into h:
export const LOCAL_SGD_WORKERS = 2, LOCAL_SGD_LOCAL_STEPS = 3;
export const ASYNC_SGD_MAX_DELAY = 2, ASYNC_SGD_DELAY = 3, ASYNC_SGD_Q = 4;
export const COMPRESSED_SGD_WORKERS = 2, COMPRESSED_SGD_COMPRESSOR = 3, COMPRESSED_SGD_K = 4;
export const MARINA_WORKERS = 2, MARINA_COMPRESSOR = 3, MARINA_K = 4, MARINA_P = 5;
export const VR_EPOCH = 2, VR_P = 3; // SVRG and SARAH
// Compressor ids (optimizers/compressors.ts) and delay laws (optimizers/asyncSGD.ts):
export const RAND_K = 0, PERM_K = 1, TOP_K = 2;
export const DELAY_FIXED = 0, DELAY_UNIFORM = 1, DELAY_GEOMETRIC = 2;

/** Is `kind` a sampler (samplers/langevin.ts, mala.ts, svgd.ts)? */
@inline export function isSampler(kind: i32): bool { return kind >= ULA && kind < SAMPLER_END; }

/** Is `kind` a curvature-aware optimiser, stepped with the landscape by run/curvature.ts? */
@inline export function isCurvature(kind: i32): bool { return kind >= SAM && kind < CURVATURE_END; }

/** Is `kind` a distributed or variance-reduced optimiser (ids 32 …)? */
@inline export function isDistributed(kind: i32): bool { return kind >= DISTRIBUTED && kind < DISTRIBUTED_END; }

/** Does `kind` draw its own minibatches and gradients in its step (run/distributed.ts), so the pipeline takes none for it? */
@inline export function ownsGradient(kind: i32): bool { return isDistributed(kind) && kind != ASYNC_SGD; }

/** Number of optimiser kinds this module implements. */
export function optimizerKindCount(): i32 {
  return OPTIMIZER_KIND_COUNT;
}
