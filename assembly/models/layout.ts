// Parameter blocks of finite-sum models (doubles from p; data are stored inline, at offsets in
// doubles from p, so a block can be copied anywhere). MUST MATCH src/models/pack.ts.
//   N     examples n                     LOSS   0 mse, 1 crossEntropy, 2 bce
//   M     input width m (0: no inputs)   OFFX   offset of X (n × m row-major), or 0
//   KOUT  outputs k (classes for CE)     OFFY   offset of y (n × YW row-major)
//   YW    target width (k for mse, 1)    OFFW   offset of example weights (n), or 0: all 1
//   RED   reduction: 0 mean, 1 sum       LSCALE s, the factor on every example's loss: `scale`,
//                                               times k for an mse summed over its k outputs
// L = (s/n) Σ w_i ℓ_i (mean) or s Σ w_i ℓ_i (sum), docs/models.md "Reduction, weights and scale".
// Model-specific fields start at SPEC.
export const N = 0;
export const M = 1;
export const KOUT = 2;
export const LOSS = 3;
export const OFFX = 4;
export const OFFY = 5;
export const OFFW = 6;
export const YW = 7;
export const RED = 8;
export const LSCALE = 9;
export const SPEC = 10;

export const REDUCTION_MEAN = 0;
export const REDUCTION_SUM = 1;

export const MSE = 0;
export const CROSS_ENTROPY = 1;
export const BCE = 2;

@inline export function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline export function ldi(p: usize, i: i32): i32 { return <i32>load<f64>(p + (<usize>i << 3)); }
@inline export function at(p: usize, i: i32): usize { return p + (<usize>i << 3); }
