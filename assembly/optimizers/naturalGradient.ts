// Natural gradient descent (Amari, "Natural gradient works efficiently in learning", Neural
// Computation 10, 1998), damped and solved by conjugate gradients (Martens, "Deep learning via
// Hessian-free optimization", ICML 2010, for CG on curvature products), on one point:
//   p  = CG solution of (F(x) + λI) p = g     (conjugateGradient.ts: at most cgIters
//        iterations, stopped at ‖r‖ ≤ cgTol·‖g‖)
//   x⁺ = x − η p
// F is the Fisher information of the distribution the landscape defines (curvatureOp.ts): for a
// finite-sum model, the true Fisher (1/n) Σ_i w_i E_{y∼p_θ(·|x_i)}[∇ℓ_i ∇ℓ_iᵀ], which for its
// losses (mse, crossEntropy, bce) equals the Gauss–Newton matrix (docs/models.md; Martens, JMLR
// 2020, §9.2), or on request the empirical Fisher (1/n) Σ_i w_i ∇ℓ_i ∇ℓ_iᵀ; for simplexKL, the
// Fisher of its categorical distribution in the chosen coordinates. F + λI is positive
// semidefinite, so CG meets κ ≤ 0 only when λ = 0 and a direction lies in F's null space; it then
// stops (with p = g at the first iteration: conjugateGradient.ts).
// Invariance: the natural-gradient flow ẋ = −F⁻¹∇f is the same curve in any coordinates; a step
// of size η is invariant to first order in η (so trajectories in two parameterisations agree to
// O(η) over a fixed time ηT, and coincide as η → 0).

import { conjugateGradient } from './conjugateGradient';
import { axpy } from '../spectral/vec';

/** Doubles of work space naturalGradientLane needs (p, r, dir, Fd). */
export function naturalGradientWork(d: i32): i32 { return 4 * d; }

/**
 * One natural-gradient step on the contiguous point x (d doubles, updated in place) with
 * gradient g; op: a Fisher operator descriptor at x (curvatureOp.ts). work: naturalGradientWork(d).
 */
export function naturalGradientLane(op: usize, d: i32, x: usize, g: usize, lr: f64, lambda: f64, cgIters: i32,
                                    cgTol: f64, work: usize): void {
  const vb = <usize>d << 3;
  const p = work, r = p + vb, dir = r + vb, fd = dir + vb;
  conjugateGradient(op, d, g, lambda, cgIters, cgTol, true, p, r, dir, fd);
  axpy(-lr, p, x, d);
}
