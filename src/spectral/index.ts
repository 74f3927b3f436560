/**
 * `spectral.*`: curvature of landscapes and models from matrix-vector products — extreme
 * eigenvalues (Lanczos, power iteration), condition numbers, traces (Hutchinson, Hutch++),
 * diagonals, spectral densities (stochastic Lanczos quadrature) and per-layer versions of each —
 * with every iteration in wasm. Operators: `hessianOp(landscape, x)`, `ggnOp(model, θ)`,
 * `fisherOp(model, θ, { kind })`, `denseOp(matrix)` and `matvecOp(fn, dim)` (a JS function: the
 * slow path). Random probes come from the counter-based generator (stream 8), so every result is
 * a pure function of its inputs and seed, the same bits in every runtime.
 *
 * @example
 * await descent.init();
 * const H = descent.spectral.hessianOp(descent.landscapes.rosenbrock({ dim: 100 }), x);
 * const top = descent.spectral.topEigenvalues(H, { k: 3 });       // sharpness and the next two
 * const tr = descent.spectral.trace(H, { method: 'hutchpp', probes: 60 });
 * const rho = descent.spectral.density(H, { probes: 4, lanczosSteps: 50 });
 * @module
 */
export {
  SpectralOperator,
  hessianOp,
  ggnOp,
  fisherOp,
  denseOp,
  matvecOp,
  blocks,
  MAX_DENSE_ORDER,
  type OperatorKind,
  type OperatorBlock,
  type Matvec,
  type FisherOptions,
  type BlocksOptions,
} from './operators.ts';
export {
  topEigenvalues,
  powerIteration,
  conditionNumber,
  DEFAULT_MAX_ITER,
  type Which,
  type TopEigenvaluesOptions,
  type EigenResult,
  type PowerIterationOptions,
  type PowerResult,
  type ConditionNumberOptions,
  type ConditionNumberResult,
  type SpectralStatus,
} from './eigen.ts';
export {
  trace,
  diagonal,
  type TraceOptions,
  type TraceResult,
  type DiagonalOptions,
  type DiagonalResult,
  type ProbeDistribution,
} from './trace.ts';
export { density, EXACT_MAX_DIM, type DensityOptions, type DensityResult } from './density.ts';
export { perBlock, type PerBlockOptions, type BlockResult } from './blocks.ts';
