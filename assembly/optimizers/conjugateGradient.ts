// Conjugate gradients for the damped system (A + λI) p = b, A symmetric and given only by
// products (curvatureOp.ts), as Newton-CG and natural gradient solve it at every step
// (Hestenes & Stiefel 1952; Nocedal & Wright, Numerical Optimization, 2nd ed. 2006, Alg. 5.2, and
// Alg. 7.1 "line search Newton–CG" for the exit on negative curvature):
//   p₀ = 0,  r₀ = b,  d₀ = r₀
//   for j = 0 … maxIter − 1:
//     κ_j = d_jᵀ (A + λI) d_j
//     exit if κ_j ≤ 0 (stopOnNegative) or κ_j = 0 (otherwise: a breakdown)        ← negative curvature
//     α_j = ‖r_j‖² / κ_j,   p_{j+1} = p_j + α_j d_j,   r_{j+1} = r_j − α_j (A + λI) d_j
//     stop if ‖r_{j+1}‖ ≤ tol · ‖b‖                                                ← converged
//     d_{j+1} = r_{j+1} + (‖r_{j+1}‖² / ‖r_j‖²) d_j
// On a negative-curvature exit the result is p_j, or b itself when it happens at j = 0 (the
// gradient direction: Nocedal & Wright's "if j = 0 return p = −∇f" in our sign convention, where
// the step is −η p). A non-finite κ_j (a NaN product, or b) makes the whole result NaN, so the
// caller's particle is marked diverged instead of silently taking a gradient step. In exact
// arithmetic CG ends in at most d iterations; maxIter does not assume it (rounding may need more).
// Dot products are spectral/vec.ts's (fixed accumulation order: same bits in every runtime).

import { curvatureProduct } from './curvatureOp';
import { dot, axpy, copy, zero } from '../spectral/vec';

/** How a CG solve ended. */
export const CG_CONVERGED = 0;
export const CG_MAX_ITER = 1;
export const CG_NEGATIVE = 2;
export const CG_NON_FINITE = 3;

/**
 * Solve (A + λI) p = b for the operator at `op`, all vectors d contiguous doubles: p (out), and
 * scratch r, dir, ad. Returns how it ended (CG_*).
 */
export function conjugateGradient(op: usize, d: i32, b: usize, lambda: f64, maxIter: i32, tol: f64,
                                  stopOnNegative: bool, p: usize, r: usize, dir: usize, ad: usize): i32 {
  zero(p, d);
  copy(r, b, d);
  copy(dir, b, d);
  let rr = dot(r, r, d);
  if (!isFinite(rr)) { fillNaN(p, d); return CG_NON_FINITE; }
  const stop = tol * Math.sqrt(rr);
  if (rr == 0.0) return CG_CONVERGED; // b = 0: p = 0
  for (let j = 0; j < maxIter; j++) {
    curvatureProduct(op, dir, ad);
    if (lambda != 0.0) axpy(lambda, dir, ad, d);
    const kappa = dot(dir, ad, d);
    if (!isFinite(kappa)) { fillNaN(p, d); return CG_NON_FINITE; }
    if (stopOnNegative ? kappa <= 0.0 : kappa == 0.0) {
      if (j == 0) copy(p, b, d);
      return CG_NEGATIVE;
    }
    const alpha = rr / kappa;
    axpy(alpha, dir, p, d);
    axpy(-alpha, ad, r, d);
    const rrNext = dot(r, r, d);
    if (Math.sqrt(rrNext) <= stop) return CG_CONVERGED;
    const beta = rrNext / rr;
    // d ← r + β d
    for (let i = 0; i < d; i++) {
      const o = <usize>i << 3;
      store<f64>(dir + o, load<f64>(r + o) + beta * load<f64>(dir + o));
    }
    rr = rrNext;
  }
  return CG_MAX_ITER;
}

@inline function fillNaN(p: usize, d: i32): void {
  for (let i = 0; i < d; i++) store<f64>(p + (<usize>i << 3), NaN);
}
