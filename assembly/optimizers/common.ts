// Shared pieces of the optimiser kernels. Every optimiser updates n contiguous doubles — one
// point (n = d) or a whole block of particles (n = d·B, structure of arrays) — elementwise, so one
// loop serves both and runs two lanes at a time (f64x2) with a scalar tail.
//
// torch.optim applies `maximize` and L2 weight decay to the gradient first:
//   g′ = σ·g + λ·x,   σ = −1 if maximize else +1
// Folding both into one expression is exact: σ·g is exact, and for finite x, λ = 0 adds ±0.

/** Effective gradient σ·g + λ·x (torch's maximize and L2 weight decay), two lanes. */
@inline export function effectiveGrad2(g: v128, x: v128, sign: v128, wd: v128): v128 {
  return f64x2.add(f64x2.mul(sign, g), f64x2.mul(wd, x));
}

/** Effective gradient σ·g + λ·x, one lane. */
@inline export function effectiveGrad(g: f64, x: f64, sign: f64, wd: f64): f64 {
  return sign * g + wd * x;
}
