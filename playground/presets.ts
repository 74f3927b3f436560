/**
 * The playground's defaults: for each 2-d landscape a view box, a starting cloud and step sizes
 * that make a first run worth watching. Plain data shared by the page (to fill the controls) and
 * the worker (to call the factories once for their normalised defaults). The factories' own
 * defaults win everywhere else: the controls show `landscape.params`, `optimizer.params`, … as
 * the library normalises them.
 */

/** Sensible settings for one landscape. */
export interface LandscapePreset {
  /** Config given to the factory when it needs one (the playground adds `dim: 2` where it takes a dim). */
  config?: Record<string, unknown>;
  /** View box [xmin, xmax, ymin, ymax]. */
  view: [number, number, number, number];
  /** Mean and standard deviation of the normal starting cloud. */
  mean: [number, number];
  std: number;
  /** Learning rate of gradient-proportional rules (sgd, heavy ball, Nesterov) and samplers' step size: below 2/(largest curvature in view). */
  lr: number;
  /** Learning rate of sign- or scale-free rules (Adam, RMSprop, Lion, …): roughly how far a particle moves per step. */
  step: number;
  /** σ of additive (Gaussian, Student-t) gradient noise, on the scale of the landscape's gradients. */
  sigma: number;
}

export const LANDSCAPES: Readonly<Record<string, LandscapePreset>> = {
  // Curvatures 1 and 10: stable for lr < 0.2.
  quadratic: { config: { eigenvalues: [1, 10], seed: 1, center: [0, 0] }, view: [-3, 3, -3, 3], mean: [2, 2], std: 0.3, lr: 0.05, step: 0.02, sigma: 1 },
  // Starts on the far side of the banana; the largest curvature there is ≈ 1900.
  rosenbrock: { view: [-2, 2, -1, 3], mean: [-1.5, 2], std: 0.1, lr: 5e-4, step: 0.01, sigma: 1 },
  rastrigin: { view: [-5.12, 5.12, -5.12, 5.12], mean: [0, 0], std: 2, lr: 2e-3, step: 0.02, sigma: 5 },
  ackley: { view: [-5, 5, -5, 5], mean: [0, 0], std: 2, lr: 0.05, step: 0.02, sigma: 1 },
  styblinskiTang: { view: [-5, 5, -5, 5], mean: [0, 0], std: 1, lr: 0.01, step: 0.05, sigma: 2 },
  beale: { view: [-4.5, 4.5, -4.5, 4.5], mean: [1, 1], std: 0.3, lr: 1e-3, step: 0.01, sigma: 1 },
  himmelblau: { view: [-5, 5, -5, 5], mean: [0, 0], std: 1, lr: 0.01, step: 0.05, sigma: 5 },
  // Gradients in the hundreds: the cloud starts between the three minima.
  mullerBrown: { view: [-1.5, 1.2, -0.5, 2], mean: [-0.2, 0.8], std: 0.2, lr: 1e-4, step: 5e-3, sigma: 30 },
  sixHumpCamel: { view: [-2, 2, -1, 1], mean: [0, 0], std: 0.5, lr: 0.01, step: 0.01, sigma: 1 },
  // x⁴/4 − x² along x (minima at ±√2), y²/2 along y.
  polynomial: { config: { coefficients: [[0, 0, -1, 0, 0.25], [0, 0, 0.5]] }, view: [-2.5, 2.5, -2.5, 2.5], mean: [0, 1], std: 0.3, lr: 0.05, step: 0.02, sigma: 0.5 },
  doubleWell: { config: { tilt: 0.1 }, view: [-2, 2, -1.5, 1.5], mean: [0, 0], std: 0.1, lr: 0.05, step: 0.02, sigma: 1 },
  // A sharp and a flat well of equal depth.
  multiWell: { config: { centers: [[-1.5, 0], [1.5, 0]], depths: [1, 1], widths: [0.3, 1], stiffness: 0.1 }, view: [-3, 3, -2.5, 2.5], mean: [0, 0], std: 1, lr: 0.05, step: 0.02, sigma: 0.5 },
  // x²-escape from a strict saddle into the minima at x = ±1 made by the quartic.
  saddle: { config: { quartic: 1 }, view: [-2, 2, -2, 2], mean: [0, 1], std: 0.01, lr: 0.05, step: 0.02, sigma: 0.1 },
  // Unbounded below: particles that slide off are marked diverged.
  monkeySaddle: { view: [-1.5, 1.5, -1.5, 1.5], mean: [0.5, 0], std: 0.2, lr: 0.01, step: 0.01, sigma: 0.5 },
  // Your own function, typed (landscapes.expression): Rosenbrock to start with.
  expression: { config: { expr: '(1-x)^2 + 100*(y-x^2)^2' }, view: [-2, 2, -1, 3], mean: [-1.5, 2], std: 0.1, lr: 5e-4, step: 0.01, sigma: 1 },
  gaussianMixture: { config: { means: [[-2, 0], [2, 1]], stds: [0.7, 1], weights: [0.3, 0.7] }, view: [-5, 5, -4, 4], mean: [0, 0], std: 0.5, lr: 0.05, step: 0.02, sigma: 1 },
};

/** For a landscape added to the library after this table: the factory's defaults in a generic box. */
export const FALLBACK: LandscapePreset = { view: [-3, 3, -3, 3], mean: [0, 0], std: 0.5, lr: 0.01, step: 0.01, sigma: 1 };

export const presetOf = (kind: string): LandscapePreset => LANDSCAPES[kind] ?? FALLBACK;

/** Optimisers whose step length does not scale with the gradient: they get the preset's `step` as lr. */
export const SCALE_FREE: ReadonlySet<string> = new Set(['adam', 'adamw', 'rmsprop', 'adagrad', 'nadam', 'lion']);

/**
 * Arguments of optimisers beyond a learning rate: required ones (perturbed GD's thresholds) and
 * Newton-type step sizes. An `lr` here is kept (Newton's step is 1 on any landscape's scale);
 * other optimisers get the landscape preset's `lr` or `step`.
 */
export const OPTIMIZER_ARGS: Readonly<Record<string, Record<string, unknown>>> = {
  perturbedGD: { gThres: 0.1, radius: 0.1 },
  newtonCG: { lr: 1 },
  saddleFreeNewton: { lr: 1 },
  naturalGradient: { lr: 1 },
  // Distributed and variance-reduced (on a test function: exact gradients, so they show their update rules).
  // localSGD is not offered: its learning rate is its inner optimiser's, an object the controls do not edit.
  asyncSGD: { maxDelay: 4 },
  compressedSGD: { k: 1 },
  marina: { k: 1, p: 0.1 },
  svrg: { epochLength: 10 },
  sarah: { epochLength: 10 },
};

/** Required arguments of samplers besides the step size. */
export const SAMPLER_ARGS: Readonly<Record<string, Record<string, unknown>>> = {
  underdamped: { friction: 1 },
  // Metropolis–Hastings takes a proposal scale, not a step size (values only, no gradient).
  metropolisHastings: { scale: 0.3 },
};

/** Samplers without a step size (the catalog gives the others stepSize, set from the landscape's preset). */
export const NO_STEP_SIZE: ReadonlySet<string> = new Set(['metropolisHastings']);

/**
 * The noise models that apply to a test function, with their factories' arguments. Minibatch and
 * label noise need a finite sum or a model, which the playground does not build.
 */
export const NOISES: Readonly<Record<string, Record<string, unknown> | undefined>> = {
  none: undefined,
  gaussian: { sigma: 1 },
  heavyTailed: { sigma: 1, nu: 3 },
  lossScaled: { sigma: 1 },
  hessianAligned: { sigma: 1 },
};

/** Noise models whose σ is in the units of the gradient (and so takes the preset's σ). */
export const ADDITIVE: ReadonlySet<string> = new Set(['gaussian', 'heavyTailed']);

/**
 * Most particles × (steps + 1) of a replayed run: the animation keeps every particle's path,
 * (T + 1)·P·2 doubles = 32 MB at this cap. Bigger runs are drawn live instead (live.ts).
 */
export const MAX_POINTS = 2_000_000;

/** Most particles of a run drawn live: each drawn frame carries all their positions (P·2 doubles). */
export const MAX_LIVE = 200_000;

/** Frames sent to the page at most (evenly spaced steps, always the first and the last). */
export const MAX_FRAMES = 241;

/** Record rows at most (the loss-quantile chart). */
export const MAX_ROWS = 300;

/** The default run of a fresh page. */
export const START = { landscape: 'himmelblau', optimizer: 'sgd', noise: 'gaussian', particles: 2000, steps: 400, seed: 1 };
