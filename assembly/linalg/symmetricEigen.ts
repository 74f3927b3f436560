// Symmetric eigendecomposition A = Q Λ Qᵀ by the cyclic Jacobi method (Golub & Van Loan, Matrix
// Computations, 4th ed., §8.5: Algorithm 8.5.1 sym.schur2 for one rotation, Algorithm 8.5.3
// cyclic Jacobi for the sweep; the rotation update in the a_pp − t·a_pq form of Rutishauser,
// Handbook for Automatic Computation II/1, 1971). Used by the Bures–Wasserstein model for matrix
// square roots and their Daleckii–Krein derivatives.
//
// Determinism: a fixed row-cyclic sweep order (p = 0 … n−2, q = p+1 … n−1), a fixed skip rule, a
// fixed cap on sweeps and only IEEE basic arithmetic and sqrt (correctly rounded in wasm), so
// the same input gives the same bits in every runtime.
//
// Skip rule: the pair (p, q) is rotated iff |a_pq| > 2⁻⁵³·√|a_pp·a_qq| and |a_pq| > 2⁻⁶⁰·‖A‖_F
// (the relative test of Demmel & Veselić, "Jacobi's method is more accurate than QR", SIAM J.
// Matrix Anal. Appl. 13, 1992, §3, with an absolute floor so that pairs of (numerically) zero
// eigenvalues stop too). The iteration stops after the first sweep that rotates nothing, or
// after MAX_SWEEPS sweeps (never reached in practice: convergence is quadratic, typically 5–10
// sweeps for n ≤ 100).
//
// Accuracy: each computed eigenvalue is within a small multiple of n·u·‖A‖₂ of an exact one
// (u = 2⁻⁵³; backward stable, GVL §8.5.5), and Q is orthogonal to O(n·u).

import { ldc, stc } from '../util/memory';

/** Cap on cyclic sweeps. */
const MAX_SWEEPS = 64;
/** 2⁻⁵³: the relative skip threshold. */
const REL_TOL: f64 = reinterpret<f64>(0x3CA0000000000000); // 1.1102230246251565e-16
/** 2⁻⁶⁰: the absolute skip threshold, times ‖A‖_F. */
const ABS_TOL: f64 = reinterpret<f64>(0x3C30000000000000); // 8.673617379884035e-19

/**
 * Eigendecomposition of the symmetric n×n row-major matrix at `a` (only its upper triangle is
 * read; the whole matrix is overwritten). Writes the eigenvalues in ascending order to
 * `lambda` (n) and the eigenvectors as the columns of the row-major n×n matrix `q`, so that
 * A = Q diag(λ) Qᵀ. Returns the number of sweeps made.
 */
export function symmetricEigen(n: i32, a: usize, q: usize, lambda: usize): i32 {
  // Make A exactly symmetric from its upper triangle, Q = I, and ‖A‖_F.
  let fro2 = 0.0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      stc(q, i * n + j, i == j ? 1.0 : 0.0);
      if (j < i) stc(a, i * n + j, ldc(a, j * n + i));
      const e = ldc(a, i * n + j);
      fro2 += e * e;
    }
  }
  const floor = ABS_TOL * Math.sqrt(fro2);
  let sweeps = 0;
  while (sweeps < MAX_SWEEPS) {
    sweeps++;
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let r = p + 1; r < n; r++) {
        const apq = ldc(a, p * n + r);
        const app = ldc(a, p * n + p), aqq = ldc(a, r * n + r);
        const mag = Math.abs(apq);
        if (!(mag > floor) || !(mag > REL_TOL * Math.sqrt(Math.abs(app * aqq)))) continue;
        rotated = true;
        // sym.schur2: t = tan θ, the smaller root of t² + 2τt − 1 = 0, τ = (a_qq − a_pp)/(2a_pq).
        const tau = (aqq - app) / (2.0 * apq);
        let t: f64;
        if (Math.abs(tau) > 1e150) {
          t = 0.5 / tau; // τ² would overflow; t = 1/(2τ) to relative 1/τ²
        } else {
          const root = Math.sqrt(1.0 + tau * tau);
          t = tau >= 0.0 ? 1.0 / (tau + root) : -1.0 / (root - tau);
        }
        const c = 1.0 / Math.sqrt(1.0 + t * t);
        const s = t * c;
        // A ← Jᵀ A J with J = [[c, s], [−s, c]] on rows/columns (p, r): a_pr becomes 0 exactly.
        stc(a, p * n + p, app - t * apq);
        stc(a, r * n + r, aqq + t * apq);
        stc(a, p * n + r, 0.0);
        stc(a, r * n + p, 0.0);
        for (let k = 0; k < n; k++) {
          if (k == p || k == r) continue;
          const akp = ldc(a, k * n + p), akq = ldc(a, k * n + r);
          const np = c * akp - s * akq, nq = s * akp + c * akq;
          stc(a, k * n + p, np);
          stc(a, p * n + k, np);
          stc(a, k * n + r, nq);
          stc(a, r * n + k, nq);
        }
        // Q ← Q J.
        for (let k = 0; k < n; k++) {
          const qkp = ldc(q, k * n + p), qkq = ldc(q, k * n + r);
          stc(q, k * n + p, c * qkp - s * qkq);
          stc(q, k * n + r, s * qkp + c * qkq);
        }
      }
    }
    if (!rotated) break;
  }
  // Eigenvalues from the diagonal, sorted ascending by selection (ties keep their order), with
  // Q's columns permuted alike.
  for (let i = 0; i < n; i++) stc(lambda, i, ldc(a, i * n + i));
  for (let i = 0; i < n - 1; i++) {
    let m = i;
    for (let j = i + 1; j < n; j++) if (ldc(lambda, j) < ldc(lambda, m)) m = j;
    if (m == i) continue;
    const tl = ldc(lambda, i);
    stc(lambda, i, ldc(lambda, m));
    stc(lambda, m, tl);
    for (let k = 0; k < n; k++) {
      const tq = ldc(q, k * n + i);
      stc(q, k * n + i, ldc(q, k * n + m));
      stc(q, k * n + m, tq);
    }
  }
  return sweeps;
}
