// Cholesky factorisation and SPD inverse (Golub & Van Loan, Matrix Computations, 4th ed.,
// Algorithm 4.2.2, the "gaxpy" form). Used once per configuration (Gaussian-mixture precisions),
// never in a step.

import { ldc, stc } from '../util/memory';

/**
 * Factor the symmetric d×d row-major matrix at `a` as L Lᵀ, writing the lower triangle of L into
 * `l` (row-major, upper triangle zeroed). Returns false if a pivot is not positive (not SPD).
 */
export function cholesky(d: i32, a: usize, l: usize): bool {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = ldc(a, i * d + j);
      for (let k = 0; k < j; k++) s -= ldc(l, i * d + k) * ldc(l, j * d + k);
      if (i == j) {
        if (!(s > 0.0)) return false;
        stc(l, i * d + i, Math.sqrt(s));
      } else {
        stc(l, i * d + j, s / ldc(l, j * d + j));
      }
    }
    for (let j = i + 1; j < d; j++) stc(l, i * d + j, 0.0);
  }
  return true;
}

/** log det(A) = 2 Σ log L_ii from a Cholesky factor. */
export function choleskyLogDet(d: i32, l: usize): f64 {
  let s = 0.0;
  for (let i = 0; i < d; i++) s += Math.log(ldc(l, i * d + i));
  return 2.0 * s;
}

/**
 * A⁻¹ = L⁻ᵀ L⁻¹ from the Cholesky factor at `l`, written row-major to `out` (exactly symmetric:
 * the lower triangle is computed and mirrored). `work` holds d doubles.
 */
export function choleskyInverse(d: i32, l: usize, out: usize, work: usize): void {
  // Column j of A⁻¹ solves L y = e_j, then Lᵀ x = y.
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) {
      let s = i == j ? 1.0 : 0.0;
      for (let k = 0; k < i; k++) s -= ldc(l, i * d + k) * ldc(work, k);
      stc(work, i, s / ldc(l, i * d + i));
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = ldc(work, i);
      for (let k = i + 1; k < d; k++) s -= ldc(l, k * d + i) * ldc(work, k);
      stc(work, i, s / ldc(l, i * d + i));
    }
    for (let i = j; i < d; i++) stc(out, i * d + j, ldc(work, i));
  }
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) stc(out, i * d + j, ldc(out, j * d + i));
  }
}
