// The dominant eigenpair by power iteration (von Mises & Pollaczek-Geiringer 1929; Golub & Van
// Loan, Matrix Computations, 4th ed., §8.2.1): v_0 a Gaussian unit vector, then per product
//   w = A v_t,  λ_t = v_tᵀ w (Rayleigh quotient),  r_t = ‖w − λ_t v_t‖,  v_{t+1} = w / ‖w‖,
// stopping when r_t ≤ tol·|λ_t| (the pair (λ_t, v_t) is then an exact eigenpair of A + E with
// ‖E‖ = r_t) or after maxIter products. It converges to the eigenvalue of largest magnitude
// at the rate |λ₂/λ₁| per product — the simple twin of lanczos.ts, which is faster whenever the
// gap is small. w = 0 means A v_t = 0: λ = 0 is an exact eigenvalue (converged).

import {
  PHASE, N, K0, K1, MATVECS, STATUS, COMMON_SLOTS, DONE, OK, MAX_ITER, NON_FINITE,
  gf, gi, gp, sf, request, answered, finish,
} from './state';
import { dot, axpy, scale, copy, norm } from './vec';
import { fillProbe, GAUSSIAN, PURPOSE_POWER } from './probes';

// Slots. MUST MATCH bindings/spectral.ts (test/layout.test.ts).
export const P_TOL = COMMON_SLOTS + 0;
export const P_MAXMV = COMMON_SLOTS + 1;
export const P_V = COMMON_SLOTS + 2;      // current unit vector (n); out: the eigenvector
export const P_W = COMMON_SLOTS + 3;      // product (n)
export const P_R = COMMON_SLOTS + 4;      // residual scratch (n)
export const P_VALUE = COMMON_SLOTS + 5;  // out: λ
export const P_RESID = COMMON_SLOTS + 6;  // out: ‖A v − λ v‖
export const P_SLOTS = COMMON_SLOTS + 7;

const EPS: f64 = reinterpret<f64>(0x3CB0000000000000); // 2⁻⁵²

export function powerStep(st: usize): i32 {
  const phase = gi(st, PHASE);
  if (phase == DONE) return 0;
  const n = gi(st, N), v = gp(st, P_V), w = gp(st, P_W), r = gp(st, P_R);
  if (phase == 0) {
    sf(st, MATVECS, 0.0);
    sf(st, STATUS, <f64>OK);
    fillProbe(GAUSSIAN, <u32>gi(st, K0), <u32>gi(st, K1), PURPOSE_POWER, 0, n, 1.0, v);
    scale(1.0 / norm(v, n), v, n);
    sf(st, PHASE, 1.0);
    return request(st, v, w);
  }
  answered(st);
  const lambda = dot(v, w, n);
  copy(r, w, n);
  axpy(-lambda, v, r, n);
  const res = norm(r, n);
  sf(st, P_VALUE, lambda);
  sf(st, P_RESID, res);
  if (!isFinite(lambda) || !isFinite(res)) { sf(st, P_VALUE, NaN); sf(st, P_RESID, NaN); return finish(st, NON_FINITE); }
  const tol = gf(st, P_TOL) > 0.0 ? gf(st, P_TOL) : EPS;
  if (res <= tol * Math.abs(lambda)) return finish(st, OK);
  const wn = norm(w, n);
  if (wn == 0.0) return finish(st, OK); // A v = 0: λ = 0, r = 0 (already recorded)
  if (<i32>gf(st, MATVECS) >= gi(st, P_MAXMV)) return finish(st, MAX_ITER);
  copy(v, w, n);
  scale(1.0 / wn, v, n);
  return request(st, v, w);
}
