// Trace and diagonal of a symmetric operator from products only.
//
// Hutchinson (Hutchinson, "A stochastic estimator of the trace of the influence matrix for
// Laplacian smoothing splines", Commun. Stat. Simul. Comput. 18, 1989): for probes z_j with
// E[z zᵀ] = I (Rademacher ±1, or standard Gaussian), x_j = z_jᵀ A z_j is unbiased for tr A;
// the estimate is the mean of N samples and its standard error s/√N, s² their sample variance
// (Welford's update, fixed order). Var x_j = 2(‖A‖_F² − Σ a_ii²) for Rademacher, 2‖A‖_F² for
// Gaussian (Avron & Toledo, J. ACM 58, 2011, Lemmas 1 and 9).
// The same products give the diagonal (Bekas, Kokiopoulou & Saad, "An estimator for the
// diagonal of a matrix", Appl. Numer. Math. 57, 2007): a_ii ≈ mean_j z_ji (A z_j)_i, unbiased
// for both distributions, with a per-coordinate standard error; with the same seed and probes
// the diagonal estimate sums to the trace estimate (to rounding).
// Exact mode: z_j = e_j for j < n (n products): the diagonal and trace exactly.
//
// Hutch++ (Meyer, Musco, Musco & Woodruff, "Hutch++: optimal stochastic trace estimation",
// SOSA 2021, Algorithm 1): with a budget of m products, s = ⌊m/3⌋ sketch products Y = A S, an
// orthonormal basis Q of Y (CGS2, dropping numerically dependent columns: rank r ≤ s), r
// products for tr(QᵀAQ) exactly, and g = m − s − r Hutchinson probes of the deflated operator
// (I − QQᵀ)A(I − QQᵀ): tr A ≈ tr(QᵀAQ) + mean_j z_jᵀ(I−QQᵀ)A(I−QQᵀ)z_j. The variance is that of
// the deflated part only (it removes the top of the spectrum), reported as its standard error.

import {
  PHASE, N, K0, K1, MATVECS, STATUS, COMMON_SLOTS, DONE, OK, NON_FINITE,
  gf, gi, gp, sf, request, answered, finish, ld, sd, vec,
} from './state';
import { dot, zero, norm, orthogonalize } from './vec';
import { fillProbe, PURPOSE_HUTCHINSON, PURPOSE_SKETCH } from './probes';

// Hutchinson / exact slots. MUST MATCH bindings/spectral.ts (test/layout.test.ts).
export const H_PROBES = COMMON_SLOTS + 0;   // number of probes (exact: n)
export const H_DIST = COMMON_SLOTS + 1;     // probes.ts RADEMACHER / GAUSSIAN
export const H_Z = COMMON_SLOTS + 2;        // probe (n)
export const H_Y = COMMON_SLOTS + 3;        // product (n)
export const H_MEAN = COMMON_SLOTS + 4;     // out: trace estimate
export const H_M2 = COMMON_SLOTS + 5;       // Σ (x − mean)², Welford
export const H_J = COMMON_SLOTS + 6;        // probes done
export const H_DIAG = COMMON_SLOTS + 7;     // out: diagonal estimate (n), or 0
export const H_DIAGM2 = COMMON_SLOTS + 8;   // per-coordinate Welford M2 (n), or 0
export const H_EXACT = COMMON_SLOTS + 9;    // 1: unit vectors e_0 … e_{n−1}
export const H_SAMPLES = COMMON_SLOTS + 10; // out: the per-probe samples x_j (probes), or 0
export const H_SE = COMMON_SLOTS + 11;      // out: standard error of the trace estimate (0 when exact)
export const H_SLOTS = COMMON_SLOTS + 12;

/** Hutchinson trace (and diagonal) — or exact with unit vectors — as a state machine. */
export function hutchinsonStep(st: usize): i32 {
  const phase = gi(st, PHASE);
  if (phase == DONE) return 0;
  const n = gi(st, N), z = gp(st, H_Z), y = gp(st, H_Y);
  const diag = gp(st, H_DIAG), dm2 = gp(st, H_DIAGM2), exact = gi(st, H_EXACT) != 0;
  const probes = gi(st, H_PROBES);
  let j = gi(st, H_J);
  if (phase == 0) {
    sf(st, MATVECS, 0.0); sf(st, STATUS, <f64>OK);
    sf(st, H_MEAN, 0.0); sf(st, H_M2, 0.0); sf(st, H_J, 0.0);
    if (diag != 0) zero(diag, n);
    if (dm2 != 0) zero(dm2, n);
    j = 0;
  } else {
    answered(st);
    if (exact) {
      const a = ld(y, j);
      if (!isFinite(a)) return finish(st, NON_FINITE);
      if (diag != 0) sd(diag, j, a);
      sf(st, H_MEAN, gf(st, H_MEAN) + a);
    } else {
      const x = dot(z, y, n);
      if (!isFinite(x)) return finish(st, NON_FINITE);
      const samples = gp(st, H_SAMPLES);
      if (samples != 0) sd(samples, j, x);
      const cnt = <f64>(j + 1);
      const mean = gf(st, H_MEAN), delta = x - mean, m1 = mean + delta / cnt;
      sf(st, H_MEAN, m1);
      sf(st, H_M2, gf(st, H_M2) + delta * (x - m1));
      if (diag != 0) {
        for (let i = 0; i < n; i++) {
          const u = ld(z, i) * ld(y, i);
          const mu = ld(diag, i), dl = u - mu, mu1 = mu + dl / cnt;
          sd(diag, i, mu1);
          sd(dm2, i, ld(dm2, i) + dl * (u - mu1));
        }
      }
    }
    j++;
    sf(st, H_J, <f64>j);
  }
  if (j >= probes) {
    // Standard errors: √(M2/(N−1)/N); the per-coordinate ones replace the M2 array.
    const N = <f64>probes;
    sf(st, H_SE, exact || probes < 2 ? 0.0 : Math.sqrt(gf(st, H_M2) / (N - 1.0) / N));
    if (dm2 != 0) for (let i = 0; i < n; i++) sd(dm2, i, probes < 2 ? 0.0 : Math.sqrt(ld(dm2, i) / (N - 1.0) / N));
    return finish(st, OK);
  }
  if (exact) {
    zero(z, n);
    sd(z, j, 1.0);
  } else {
    fillProbe(gi(st, H_DIST), <u32>gi(st, K0), <u32>gi(st, K1), PURPOSE_HUTCHINSON, <u32>j, n, 1.0, z);
  }
  sf(st, PHASE, 1.0);
  return request(st, z, y);
}

// Hutch++ slots. MUST MATCH bindings/spectral.ts (test/layout.test.ts).
export const PP_S = COMMON_SLOTS + 0;       // sketch size s
export const PP_G = COMMON_SLOTS + 1;       // budget left for the deflated Hutchinson part: m − 2s (r ≤ s; unused products go to it)
export const PP_DIST = COMMON_SLOTS + 2;
export const PP_Q = COMMON_SLOTS + 3;       // sketch / basis (s × n)
export const PP_Y = COMMON_SLOTS + 4;       // product (n)
export const PP_Z = COMMON_SLOTS + 5;       // probe (n)
export const PP_COEFF = COMMON_SLOTS + 6;   // 2(s + 1) doubles of scratch
export const PP_J = COMMON_SLOTS + 7;
export const PP_RANK = COMMON_SLOTS + 8;    // out: r
export const PP_EXACT = COMMON_SLOTS + 9;   // out: tr(QᵀAQ)
export const PP_MEAN = COMMON_SLOTS + 10;   // out: mean of the deflated samples
export const PP_M2 = COMMON_SLOTS + 11;
export const PP_SAMPLES = COMMON_SLOTS + 12; // out: deflated samples (m − 2s + (s − r) at most), or 0
export const PP_COUNT = COMMON_SLOTS + 13;  // out: deflated samples taken
export const PP_SE = COMMON_SLOTS + 14;     // out: standard error of the deflated mean
export const PP_SLOTS = COMMON_SLOTS + 15;

const SKETCH = 1;
const EXACT = 2;
const DEFLATED = 3;

/** Hutch++ as a state machine. */
export function hutchppStep(st: usize): i32 {
  const phase = gi(st, PHASE);
  if (phase == DONE) return 0;
  const n = gi(st, N), s = gi(st, PP_S), Q = gp(st, PP_Q), y = gp(st, PP_Y), z = gp(st, PP_Z);
  const coeff = gp(st, PP_COEFF);
  let j = gi(st, PP_J);
  const k0 = <u32>gi(st, K0), k1 = <u32>gi(st, K1), dist = gi(st, PP_DIST);
  if (phase == 0) {
    sf(st, MATVECS, 0.0); sf(st, STATUS, <f64>OK);
    sf(st, PP_RANK, 0.0); sf(st, PP_EXACT, 0.0); sf(st, PP_MEAN, 0.0); sf(st, PP_M2, 0.0); sf(st, PP_COUNT, 0.0);
    sf(st, PP_J, 0.0);
    sf(st, PHASE, <f64>SKETCH);
    fillProbe(dist, k0, k1, PURPOSE_SKETCH, 0, n, 1.0, z);
    return request(st, z, vec(Q, 0, n));
  }
  answered(st);
  if (phase == SKETCH) {
    const got = vec(Q, j, n);
    for (let i = 0; i < n; i++) if (!isFinite(ld(got, i))) return finish(st, NON_FINITE);
    j++;
    sf(st, PP_J, <f64>j);
    if (j < s) {
      fillProbe(dist, k0, k1, PURPOSE_SKETCH, <u32>j, n, 1.0, z);
      return request(st, z, vec(Q, j, n));
    }
    // Orthonormal basis of the sketch, dropping dependent columns.
    let r = 0;
    for (let c = 0; c < s; c++) {
      const col = vec(Q, c, n);
      const before = norm(col, n);
      const after = r > 0 ? orthogonalize(Q, r, n, col, coeff) : before;
      if (!(after > 1e-10 * before) || !(before > 0.0)) continue;
      const dst = vec(Q, r, n);
      for (let i = 0; i < n; i++) sd(dst, i, ld(col, i) / after);
      r++;
    }
    sf(st, PP_RANK, <f64>r);
    j = 0;
    sf(st, PP_J, 0.0);
    if (r > 0) {
      sf(st, PHASE, <f64>EXACT);
      return request(st, vec(Q, 0, n), y);
    }
    return startDeflated(st, 0);
  }
  if (phase == EXACT) {
    const t = dot(vec(Q, j, n), y, n);
    if (!isFinite(t)) return finish(st, NON_FINITE);
    sf(st, PP_EXACT, gf(st, PP_EXACT) + t);
    j++;
    sf(st, PP_J, <f64>j);
    if (j < gi(st, PP_RANK)) return request(st, vec(Q, j, n), y);
    return startDeflated(st, 0);
  }
  // DEFLATED: sample x = z'ᵀ A z' with z' = (I − QQᵀ) z.
  const x = dot(z, y, n);
  if (!isFinite(x)) return finish(st, NON_FINITE);
  const samples = gp(st, PP_SAMPLES);
  if (samples != 0) sd(samples, j, x);
  const cnt = <f64>(j + 1);
  const mean = gf(st, PP_MEAN), delta = x - mean, m1 = mean + delta / cnt;
  sf(st, PP_MEAN, m1);
  sf(st, PP_M2, gf(st, PP_M2) + delta * (x - m1));
  sf(st, PP_COUNT, cnt);
  return startDeflated(st, j + 1);
}

/** Request deflated probe j, or finish when the budget is spent or Q spans everything. */
function startDeflated(st: usize, j: i32): i32 {
  const n = gi(st, N), s = gi(st, PP_S), r = gi(st, PP_RANK), z = gp(st, PP_Z);
  // Budget: m = 2s + g products with r ≤ s used for the exact part; the s − r saved go to probes.
  const g = gi(st, PP_G) + (s - r);
  sf(st, PP_J, <f64>j);
  sf(st, PHASE, <f64>DEFLATED);
  if (j >= g || r >= n) {
    const N = gf(st, PP_COUNT);
    sf(st, PP_SE, N >= 2.0 ? Math.sqrt(gf(st, PP_M2) / (N - 1.0) / N) : 0.0);
    return finish(st, OK);
  }
  fillProbe(gi(st, PP_DIST), <u32>gi(st, K0), <u32>gi(st, K1), PURPOSE_HUTCHINSON, <u32>j, n, 1.0, z);
  if (r > 0) orthogonalize(gp(st, PP_Q), r, n, z, gp(st, PP_COEFF));
  return request(st, z, gp(st, PP_Y));
}
