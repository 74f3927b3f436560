// Saddle-free Newton in a Krylov subspace (Dauphin, Pascanu, Gulcehre, Cho, Ganguli & Bengio,
// "Identifying and attacking the saddle point problem in high-dimensional non-convex
// optimization", NeurIPS 2014, §6 and Algorithm 1), on one point:
//   V = [v₀ … v_{k−1}]  orthonormal basis of the Krylov subspace K_k(H, g) = span{g, Hg, …, H^{k−1}g},
//                        H = ∇²f(x), by k steps of Lanczos from v₀ = g/‖g‖ (spectral/lanczos.ts,
//                        full reorthogonalisation)
//   T = VᵀHV = QΛQᵀ      (the Ritz pairs: θ_i = Λ_ii, y_i = V q_i)
//   Δ = −V Q (|Λ| + λI)⁻¹ Qᵀ Vᵀ g = −Σ_i (y_iᵀ g)/(|θ_i| + λ) · y_i
//   x⁺ = x + η Δ
// i.e. Newton's step with every curvature replaced by its absolute value, so a direction of
// negative curvature is descended (away from a saddle) instead of ascended (Newton) — in the
// subspace, as in Dauphin et al.'s Krylov variant (which follows Vinyals & Povey's Krylov
// subspace descent, whose subspace contains g). Since v₀ = g/‖g‖, g lies in span(V): no component
// of the gradient is outside the subspace, so none is dropped; what the subspace truncates is H's
// spectrum (T's Ritz values approximate H's extreme eigenvalues first). k is capped at d; when
// K_k(H, g) is invariant under H — always for k = d, and for smaller k when g lies in the span of
// k eigenvectors — |T| is |H| on that subspace and Δ = −(|H| + λI)⁻¹g exactly (|H| = U|Λ_H|Uᵀ,
// the saddle-free Newton step of Dauphin et al. §5). If Lanczos breaks down early (an invariant
// Krylov space) it continues with a random vector orthogonal to it (spectral/lanczos.ts, seeded
// by the run's seed); those directions are orthogonal to g and do not change Δ.
// ‖g‖ = 0: Δ = 0 (an exact critical point is left alone; perturbedGD is the remedy). A
// non-finite product makes Δ NaN (the particle diverges).
// The Lanczos machine draws its own random start vector; reverse communication hands us v₀'s
// address with its product request, so v₀ is overwritten with g/‖g‖ before the product is made.

import { lanczosStep, lanczosRunSize, lanczosStart } from '../spectral/lanczos';
import { REQ_X, REQ_Y, gp } from '../spectral/state';
import { curvatureProduct } from './curvatureOp';
import { dot, axpy, copy, scale, zero, norm } from '../spectral/vec';

@inline function keff(k: i32, d: i32): i32 { return min(k, d); }

/** Doubles of work space saddleFreeNewtonLane needs for dimension d and subspace size k. */
export function saddleFreeNewtonWork(d: i32, k: i32): i32 {
  const m = keff(k, d), ncv = m + 1;
  // Lanczos run (state, basis, T, work, w) | values, vectors, residuals | Δ (d)
  return lanczosRunSize(d, ncv) + m + m * d + m + d;
}


/**
 * One saddle-free Newton step on the contiguous point x (d doubles, updated in place) with
 * gradient g; op: a Hessian operator descriptor at x (curvatureOp.ts); (k0, k1): key of the
 * breakdown vectors. work: saddleFreeNewtonWork(d, k) doubles.
 */
export function saddleFreeNewtonLane(op: usize, d: i32, x: usize, g: usize, lr: f64, lambda: f64, k: i32,
                                     k0: u32, k1: u32, work: usize): void {
  const gn = norm(g, d);
  if (gn == 0.0) return;
  const m = keff(k, d), ncv = m + 1;
  const values = work + (<usize>lanczosRunSize(d, ncv) << 3);
  const vectors = values + (<usize>m << 3);
  const resid = vectors + (<usize>(m * d) << 3);
  const delta = resid + (<usize>m << 3);
  // Exactly m products: the k-step Krylov basis, no restart (tolerance 0, budget m).
  const st = lanczosStart(work, d, k0, k1, m, m, 0.0, m, ncv, values, vectors, resid);
  let first = true;
  while (lanczosStep(st) != 0) {
    const v = gp(st, REQ_X);
    if (first) {
      // The first request multiplies v₀: make it g/‖g‖ (see the header).
      copy(v, g, d);
      scale(1.0 / gn, v, d);
      first = false;
    }
    curvatureProduct(op, v, gp(st, REQ_Y));
  }
  // Δ = −Σ_i (y_iᵀ g)/(|θ_i| + λ) y_i, accumulated in output order (fixed).
  zero(delta, d);
  for (let i = 0; i < m; i++) {
    const y = vectors + (<usize>(i * d) << 3);
    const c = dot(y, g, d) / (Math.abs(load<f64>(values + (<usize>i << 3))) + lambda);
    axpy(-c, y, delta, d);
  }
  axpy(lr, delta, x, d);
}
