// Deep matrix factorisation of a covariance trained with the Bures–Wasserstein loss (Bréchet,
// Papagiannouli, An & Montúfar, "Critical points and convergence analysis of generative deep
// linear networks trained with Bures–Wasserstein loss", ICML 2023; docs/models.md,
// `buresWasserstein`). Not a finite sum.
//
//   θ = (W_1, …, W_N), W_k d_k × d_{k−1} row-major;  W = W_N ⋯ W_1 (n × d_0, n = d_N)
//   Σ = W Wᵀ + ε I,  Σ₀ the target (symmetric PSD, n × n)
//   L = BW²(Σ, Σ₀) = tr Σ + tr Σ₀ − 2 tr (Σ₀^{1/2} Σ Σ₀^{1/2})^{1/2}
//
// The target enters through a factor B (r × n) with Bᵀ B = Σ₀: B = Λ₊^{1/2} U₊ᵀ from the
// eigendecomposition Σ₀ = U Λ Uᵀ, keeping the r eigenvalues > RANK_TOL·λ_max (the others are
// rounding noise of a rank-deficient target and are taken as 0). B = U₊ᵀ C with C = Σ₀^{1/2},
// so M = B Σ Bᵀ (r × r) is C Σ C in U's basis restricted to the range of Σ₀: the same nonzero
// eigenvalues, tr M^{1/2} = tr (C Σ C)^{1/2}, and T = Bᵀ M^{−1/2} B equals C (C Σ C)^{−1/2} C
// (the pseudo-inverse when Σ₀ is singular, which keeps a rank-deficient target with ε > 0
// smooth).
//
// With M = Q diag(λ) Qᵀ (symmetricEigen), s_a = √λ_a and R = Qᵀ B:
//   L          = tr Σ + tr Σ₀ − 2 Σ_a s_a
//   ∂L/∂Σ      = G = I − T,  T = Rᵀ diag(1/s) R
//   ∂L/∂W      = 2 G W;  backpropagated through the product: δ_N = ∂L/∂W, ∂L/∂W_k = δ_k P_{k−1}ᵀ,
//                δ_{k−1} = W_kᵀ δ_k, with P_k = W_k ⋯ W_1 (P_0 = I)
// HVP along V = (V_1, …, V_N), forward over reverse:
//   Ṗ_k = V_k P_{k−1} + W_k Ṗ_{k−1} (Ṗ_0 = 0),  dW = Ṗ_N,  dΣ = dW Wᵀ + W dWᵀ
//   d(M^{−1/2}) = Q (K ∘ (Qᵀ dM Q)) Qᵀ with Qᵀ dM Q = R dΣ Rᵀ and the Daleckii–Krein divided
//   differences of λ ↦ λ^{−1/2}: K_ab = −1/(s_a s_b (s_a + s_b)) (a = b: −½ λ^{−3/2}, the same
//   formula); so dT = Rᵀ (K ∘ R dΣ Rᵀ) R and dG = −dT
//   δ̇_N = 2 dG W + 2 G dW,  (Hv)_k = δ̇_k P_{k−1}ᵀ + δ_k Ṗ_{k−1}ᵀ,  δ̇_{k−1} = V_kᵀ δ_k + W_kᵀ δ̇_k
//
// Near-singular M (issue 21 item 8). λ from M's eigendecomposition carries an absolute error
// ~u·λ_max, so s = √λ has relative error ~u·λ_max/λ: fine for a well-conditioned M, useless at
// λ/λ_max = 10⁻¹³ (such points are common: a product of three random 4 × 4 factors) although
// the loss is differentiable there, with a bounded gradient. Why: with ε = 0, X = B W and
// tr M^{1/2} = ‖X‖_* (nuclear norm), so T W = Rᵀ diag(1/s) R W = Bᵀ polar(X), the polar factor:
// the 1/s cancels against the s in R W. Hence two paths (`eigenPath` decides):
//   - eigenvalue path, when λ_min(M) > 2⁻²⁰ λ_max(M) and there are no structural zeros: the
//     formulas above (relative error ≲ u·2²⁰ ≈ 10⁻¹⁰ in s);
//   - polar path, otherwise: Y = R F with F = [W, √ε I] (F = W when ε = 0) has Y Yᵀ = diag(λ) up
//     to rounding, so Y = diag(s) Vᵀ; one-sided Jacobi (Hestenes, "Inversion of matrices by
//     biorthogonalization", J. SIAM 6, 1958; Demmel & Veselić 1992 for its accuracy) makes Y's
//     rows exactly orthogonal, Y′ = J Y, and gives s′_a = ‖y′_a‖ with absolute error
//     O(u ‖B‖ ∏‖W_k‖), and polar(Y) = Jᵀ diag(1/s′) Y′ — the polar factor of the whole block,
//     which stays right inside clusters of small eigenvalues whose eigenvectors M's
//     decomposition cannot separate (a per-row normalisation of Y would not). Then
//     L = tr Σ + tr Σ₀ − 2 Σ s′, ∂L/∂W = 2 (W − Rᵀ polar(Y)_{:, :d₀}), and the HVP uses R′ = J R
//     and s′ in the formulas above.
// Structural zeros: with ε = 0, rank W ≤ d_min = min(d_0, …, d_{N−1}), so z = r − min(r, d_min)
// eigenvalues of M vanish everywhere (a bottleneck or narrow input). L is still smooth in θ (the
// product stays on the rank-d_min manifold, where the nuclear norm is smooth), and those
// directions contribute 0 to the gradient: their rows are left out of polar(Y). The HVP there
// differentiates the polar factor on that manifold (`fixedRankHvp`), where only 1/s of nonzero
// singular values appears; the Daleckii–Krein weights above would be ±∞.
// Any other singular value at most NOISE·‖B‖_F (∏‖W_k‖_F + √(εn)) (2⁻⁴⁰: rounding of the
// product) is a zero of a non-differentiable point (W = 0, a singular factor, …): s′ = 0, and
// the gradient and HVP are non-finite there (an ensemble marks the particle diverged), never
// rounding noise amplified by 1/s. Approaching such points the Hessian grows like 1/σ_min.
//
// Cost per evaluation: two Jacobi eigendecompositions (Σ₀, n × n, and M, r × r) and the matrix
// products, O(n³ + Σ_k d_k d_{k−1} d_0). Σ₀'s factor B is recomputed at every evaluation (the
// same bits each time) rather than packed once, which would need a preparation export; it
// costs about as much as M's decomposition.
//
// Parameters: N | ε | d_0 … d_N | Σ₀ (n × n row-major, exactly symmetric).
// Scratch (doubles, MUST MATCH scratchSize in src/models/buresWasserstein.ts):
//   11 n² + 3 n + 2 Σ_{k≥1} d_k d_0 + 4 max_k(d_k) d_0 + n (d_0 + n).

import { ld, st, ldc, stc } from '../util/memory';
import { symmetricEigen } from '../linalg/symmetricEigen';

/** Eigenvalues of Σ₀ at most RANK_TOL·λ_max are taken as 0 (matches the factory's PSD check). */
const RANK_TOL: f64 = 1e-12;

/** RANK_TOL, for test/layout.test.ts (src/models/buresWasserstein.ts mirrors it; not an i32, so not in layoutTable). */
export function buresRankTol(): f64 { return RANK_TOL; }
/** The eigenvalue path serves the derivatives when λ_min(M) > STABLE_BELOW·λ_max(M) (and no structural zeros). */
const STABLE_BELOW: f64 = reinterpret<f64>(0x3EB0000000000000); // 2⁻²⁰ = 9.5367431640625e-7
/** On the polar path, singular values at most NOISE·‖B‖_F (∏‖W_k‖_F + √(εn)) are rounding: 0. */
const NOISE: f64 = reinterpret<f64>(0x3D70000000000000); // 2⁻⁴⁰ = 9.094947017729282e-13
/** u = 2⁻⁵³; one-sided Jacobi rotates rows a, b iff |y_a·y_b| > m·u·‖y_a‖ ‖y_b‖. */
const EPS53: f64 = reinterpret<f64>(0x3CA0000000000000); // 1.1102230246251565e-16
/** Cap on one-sided Jacobi sweeps (convergence is quadratic; 1–3 sweeps in practice here). */
const MAX_SWEEPS = 64;

@inline function N(p: usize): i32 { return <i32>load<f64>(p); }
@inline function eps(p: usize): f64 { return load<f64>(p, 8); }
@inline function width(p: usize, k: i32): i32 { return <i32>ldc(p, 2 + k); }
@inline function target(p: usize): usize { return p + (<usize>(3 + N(p)) << 3); }

/** Offset (in coordinates) of W_k (k = 1 … N) within θ. */
@inline function layerOffset(p: usize, k: i32): i32 {
  let o = 0;
  for (let j = 1; j < k; j++) o += width(p, j) * width(p, j - 1);
  return o;
}

/**
 * C (m × n) = A B (+ C when `acc`), A_ik at a + i·ar + k·ac bytes, B_kj at b + k·br + j·bc, C_ij at
 * c + i·cr + j·cc: one product for row-major, transposed and strided (θ) operands alike. The sum
 * over k runs in ascending order.
 */
function mm(m: i32, n: i32, K: i32, a: usize, ar: usize, ac: usize, b: usize, br: usize, bc: usize,
            c: usize, cr: usize, cc: usize, acc: bool): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const cij = c + <usize>i * cr + <usize>j * cc;
      let s = acc ? load<f64>(cij) : 0.0;
      for (let k = 0; k < K; k++) s += load<f64>(a + <usize>i * ar + <usize>k * ac) * load<f64>(b + <usize>k * br + <usize>j * bc);
      store<f64>(cij, s);
    }
  }
}

// Scratch addresses of the current evaluation, set by `layout` (globals, not an object: the
// kernels never allocate, and evaluate one point at a time).
let U: usize = 0, A: usize = 0, l0: usize = 0, B: usize = 0, R: usize = 0, S: usize = 0, G: usize = 0;
let Q: usize = 0, lam: usize = 0, sq: usize = 0, Z: usize = 0, dS: usize = 0, F: usize = 0, dT: usize = 0;
let P: usize = 0, Pd: usize = 0, D1: usize = 0, D2: usize = 0, E1: usize = 0, E2: usize = 0, Y: usize = 0;

function layout(p: usize, w: usize): void {
  const n = width(p, N(p)), d0 = width(p, 0);
  let sumP = 0, maxd = d0;
  for (let k = 1; k <= N(p); k++) {
    sumP += width(p, k) * d0;
    maxd = max(maxd, width(p, k));
  }
  const n2 = <usize>(n * n) << 3, nb = <usize>n << 3, pb = <usize>sumP << 3, db = <usize>(maxd * d0) << 3;
  let o = w;
  U = o; o += n2; A = o; o += n2; l0 = o; o += nb; B = o; o += n2; R = o; o += n2;
  S = o; o += n2; G = o; o += n2; Q = o; o += n2; lam = o; o += nb; sq = o; o += nb;
  Z = o; o += n2; dS = o; o += n2; F = o; o += n2; dT = o; o += n2;
  P = o; o += pb; Pd = o; o += pb;
  D1 = o; o += db; D2 = o; o += db; E1 = o; o += db; E2 = o; o += db;
  Y = o; // n (d_0 + n): the polar path's Y
}

/** Address of P_k (k = 1 … N; d_k × d_0 row-major) in the block starting at `base`. */
@inline function prod(p: usize, base: usize, k: i32): usize {
  const d0 = width(p, 0);
  let o = 0;
  for (let j = 1; j < k; j++) o += width(p, j) * d0;
  return base + (<usize>o << 3);
}

/** The target factor B (rows 0 … r−1) from Σ₀'s eigendecomposition; returns r. */
function targetFactor(p: usize): i32 {
  const n = width(p, N(p));
  memory.copy(A, target(p), <usize>(n * n) << 3);
  symmetricEigen(n, A, U, l0);
  if (n == 0) return 0;
  const thr = RANK_TOL * ldc(l0, n - 1);
  let r = 0;
  for (let i = n - 1; i >= 0; i--) {
    const li = ldc(l0, i);
    if (!(li > thr) || !(li > 0.0)) break; // ascending order: the rest are smaller
    const root = Math.sqrt(li);
    for (let j = 0; j < n; j++) stc(B, r * n + j, root * ldc(U, j * n + i));
    r++;
  }
  return r;
}

/** P_k = W_k ⋯ W_1 for k = 1 … N (and Ṗ_k along v when `v` ≠ 0). */
function forward(p: usize, x: usize, s: usize, v: usize): void {
  const Nl = N(p), d0 = width(p, 0), row0 = <usize>d0 << 3;
  const d1 = width(p, 1);
  for (let i = 0; i < d1 * d0; i++) {
    stc(P, i, ld(x, i, s));
    if (v != 0) stc(Pd, i, ld(v, i, s));
  }
  for (let k = 2; k <= Nl; k++) {
    const dk = width(p, k), dm = width(p, k - 1), off = layerOffset(p, k);
    const Wk = x + <usize>off * s, Pm = prod(p, P, k - 1), Pk = prod(p, P, k);
    mm(dk, d0, dm, Wk, <usize>dm * s, s, Pm, row0, 8, Pk, row0, 8, false);
    if (v != 0) {
      const Vk = v + <usize>off * s, Pdm = prod(p, Pd, k - 1), Pdk = prod(p, Pd, k);
      mm(dk, d0, dm, Vk, <usize>dm * s, s, Pm, row0, 8, Pdk, row0, 8, false);
      mm(dk, d0, dm, Wk, <usize>dm * s, s, Pdm, row0, 8, Pdk, row0, 8, true);
    }
  }
}

/**
 * Σ = W Wᵀ + ε I into S, M = B Σ Bᵀ (r × r) eigendecomposed (Q, λ ascending). Returns tr Σ.
 */
function curvature(p: usize, r: i32): f64 {
  const n = width(p, N(p)), d0 = width(p, 0), W = prod(p, P, N(p));
  const row0 = <usize>d0 << 3, rown = <usize>n << 3;
  mm(n, n, d0, W, row0, 8, W, 8, row0, S, rown, 8, false); // exactly symmetric: x·y = y·x
  const e = eps(p);
  let tr = 0.0;
  for (let i = 0; i < n; i++) {
    const sii = ldc(S, i * n + i) + e;
    stc(S, i * n + i, sii);
    tr += sii;
  }
  mm(r, n, n, B, rown, 8, S, rown, 8, Z, rown, 8, false);         // Z = B Σ
  mm(r, r, n, Z, rown, 8, B, 8, rown, A, <usize>r << 3, 8, false); // M = Z Bᵀ (upper read)
  symmetricEigen(r, A, Q, lam);
  return tr;
}

/** tr Σ + tr Σ₀ − 2 Σ_a s_a: s_a = √max(λ_a, 0) on the eigenvalue path (`eig`), else `sq` (the polar path's). */
function loss(p: usize, r: i32, trS: f64, eig: bool): f64 {
  const n = width(p, N(p)), t = target(p);
  let tr0 = 0.0;
  for (let i = 0; i < n; i++) tr0 += ldc(t, i * n + i);
  let root = 0.0;
  for (let a = 0; a < r; a++) root += eig ? Math.sqrt(Math.max(ldc(lam, a), 0.0)) : ldc(sq, a);
  return trS + tr0 - 2.0 * root;
}

/**
 * Structural zeros of M: with ε = 0, rank W ≤ d_min = min(d_0, …, d_{N−1}), so the
 * z = r − min(r, d_min) smallest eigenvalues of M vanish at every point (a bottleneck or a narrow
 * input); with ε > 0 there are none.
 */
function structuralZeros(p: usize, r: i32): i32 {
  if (eps(p) > 0.0) return 0;
  let dmin = r;
  for (let k = 0; k < N(p); k++) dmin = min(dmin, width(p, k));
  return r - dmin;
}

/**
 * Whether the eigenvalue path is accurate: no structural zeros and λ_min > STABLE_BELOW·λ_max, so
 * that s = √λ has relative error ≲ u/STABLE_BELOW ≈ 10⁻¹⁰ (λ carries an absolute error ~u·λ_max).
 */
function eigenPath(p: usize, r: i32): bool {
  return r == 0 || (structuralZeros(p, r) == 0 && ldc(lam, 0) > 0.0 && ldc(lam, 0) > STABLE_BELOW * ldc(lam, r - 1));
}

/**
 * R = Qᵀ B (r × n) and the singular values s of B F into `sq`: √λ on the eigenvalue path, else
 * from the polar path (which also rotates R's rows). Returns `eigenPath`.
 */
function roots(p: usize, x: usize, xs: usize, r: i32): bool {
  const n = width(p, N(p)), rowr = <usize>r << 3;
  mm(r, n, r, Q, 8, rowr, B, <usize>n << 3, 8, R, <usize>n << 3, 8, false);
  const eig = eigenPath(p, r);
  if (eig) {
    for (let a = 0; a < r; a++) stc(sq, a, Math.sqrt(ldc(lam, a)));
  } else {
    polarPath(p, x, xs, r, structuralZeros(p, r));
  }
  return eig;
}

/**
 * `roots`, then G = I − Rᵀ diag(1/s) R (exactly symmetric). Returns true on the eigenvalue path,
 * where the gradient is 2 G W; on the polar path it is 2 (W − Rᵀ polar rows) (`buresGrad`), and G
 * (non-finite with structural zeros) serves the HVP only.
 */
function gradSigma(p: usize, x: usize, xs: usize, r: i32): bool {
  const eig = roots(p, x, xs, r);
  formG(width(p, N(p)), r);
  return eig;
}

/** G = I − Rᵀ diag(1/s) R from R and s (`sq`): E = diag(s^{−1/2}) R into Z, then T = Eᵀ E. */
function formG(n: i32, r: i32): void {
  const rown = <usize>n << 3;
  for (let a = 0; a < r; a++) {
    const q = 1.0 / Math.sqrt(ldc(sq, a));
    for (let j = 0; j < n; j++) stc(Z, a * n + j, q * ldc(R, a * n + j));
  }
  mm(n, n, r, Z, 8, rown, Z, rown, 8, G, rown, 8, false);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) stc(G, i * n + j, (i == j ? 1.0 : 0.0) - ldc(G, i * n + j));
  }
}

/**
 * The polar path, for M near-singular. B F with F = [W, √ε I] (n × m, m = d_0, or d_0 + n when
 * ε > 0) satisfies (B F)(B F)ᵀ = M, so Y = R F = Qᵀ B F = diag(s) Vᵀ with orthonormal rows v_a;
 * then T W = Rᵀ diag(1/s) R W = Rᵀ (first d_0 columns of Vᵀ), and Vᵀ = polar(Y). Rows of Y carry
 * their singular values to absolute accuracy O(u·‖B‖ ∏‖W_k‖), where √λ from M's
 * eigendecomposition carries them to O(√(u λ_max)) only: at λ/λ_max = 10⁻¹³ that is a relative
 * error of 10⁻³ in s, of 3·10⁻¹⁰ here. Steps:
 *   1. Y = R_{z:} F for the r − z non-structural rows (the z structural ones contribute 0).
 *   2. One-sided Jacobi (Hestenes) on Y's rows: rotations J, accumulated, until the rows are
 *      orthogonal, Y′ = J Y. The rows of Y are already orthogonal up to M's rounding except
 *      within clusters of small eigenvalues, whose eigenvectors Jacobi on M cannot separate, so
 *      a sweep or two suffices; it is the polar factor of the block, not a per-row normalisation.
 *   3. s′_a = ‖y′_a‖ (0 when at most NOISE·‖B‖_F (∏_k ‖W_k‖_F + √(ε n)), rounding of the product);
 *      R′ = J R_{z:}; Y′ rows scaled to y′_a / s′_a (the polar factor, in J's basis).
 * Writes R′ over R's rows z…r−1, s′ into `sq` (0 for structural rows), the scaled Y′ at `Y`.
 */
function polarPath(p: usize, x: usize, xs: usize, r: i32, z: i32): void {
  const Nl = N(p), n = width(p, Nl), d0 = width(p, 0), e = eps(p);
  const m = e > 0.0 ? d0 + n : d0, k = r - z, rown = <usize>n << 3, rowm = <usize>m << 3, row0 = <usize>d0 << 3;
  const Rz = R + <usize>z * rown;
  // 1. Y = R_{z:} [W, √ε I].
  mm(k, d0, n, Rz, rown, 8, prod(p, P, Nl), row0, 8, Y, rowm, 8, false);
  if (e > 0.0) {
    const re = Math.sqrt(e);
    for (let a = 0; a < k; a++) for (let j = 0; j < n; j++) stc(Y, a * m + d0 + j, re * ldc(Rz, a * n + j));
  }
  // 2. Hestenes sweeps, J = I first (in dT: free until the HVP's own use of it).
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) stc(dT, a * k + b, a == b ? 1.0 : 0.0);
  const tol = <f64>m * EPS53;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let a = 0; a < k - 1; a++) {
      for (let b = a + 1; b < k; b++) {
        let al = 0.0, be = 0.0, ga = 0.0;
        for (let j = 0; j < m; j++) {
          const ya = ldc(Y, a * m + j), yb = ldc(Y, b * m + j);
          al += ya * ya; be += yb * yb; ga += ya * yb;
        }
        if (!(Math.abs(ga) > tol * Math.sqrt(al * be))) continue;
        rotated = true;
        // (y_a, y_b) ← (c y_a − s y_b, s y_a + c y_b) with t = s/c the smaller root of
        // t² + 2ζt − 1 = 0, ζ = (β − α)/(2γ): then y_a·y_b = 0.
        const zeta = (be - al) / (2.0 * ga);
        const t = (zeta >= 0.0 ? 1.0 : -1.0) / (Math.abs(zeta) + Math.sqrt(1.0 + zeta * zeta));
        const c = 1.0 / Math.sqrt(1.0 + t * t), sn = c * t;
        rotateRows(Y, m, a, b, c, sn);
        rotateRows(dT, k, a, b, c, sn);
      }
    }
    if (!rotated) break;
  }
  // 3. s′, R′ = J R_{z:} (via F), the polar rows.
  let scale = 1.0;
  for (let q = 1; q <= Nl; q++) {
    const o = layerOffset(p, q), cnt = width(p, q) * width(p, q - 1);
    let f2 = 0.0;
    for (let i = 0; i < cnt; i++) { const w = ld(x, o + i, xs); f2 += w * w; }
    scale *= Math.sqrt(f2);
  }
  let b2 = 0.0;
  for (let i = 0; i < r * n; i++) { const b = ldc(B, i); b2 += b * b; }
  const noise = NOISE * Math.sqrt(b2) * (scale + Math.sqrt(e * <f64>n));
  for (let a = 0; a < z; a++) stc(sq, a, 0.0);
  for (let a = 0; a < k; a++) {
    let y2 = 0.0;
    for (let j = 0; j < m; j++) { const y = ldc(Y, a * m + j); y2 += y * y; }
    const sa = Math.sqrt(y2) > noise ? Math.sqrt(y2) : 0.0;
    stc(sq, z + a, sa);
    const inv = 1.0 / sa;
    for (let j = 0; j < m; j++) stc(Y, a * m + j, inv * ldc(Y, a * m + j));
  }
  mm(k, n, k, dT, <usize>k << 3, 8, Rz, rown, 8, F, rown, 8, false);
  memory.copy(Rz, F, <usize>(k * n) << 3);
}

/** Rows a and b of the row-major (· × m) matrix at `base` ← (c row_a − s row_b, s row_a + c row_b). */
function rotateRows(base: usize, m: i32, a: i32, b: i32, c: f64, s: f64): void {
  for (let j = 0; j < m; j++) {
    const u = ldc(base, a * m + j), v = ldc(base, b * m + j);
    stc(base, a * m + j, c * u - s * v);
    stc(base, b * m + j, s * u + c * v);
  }
}

/**
 * Backpropagate δ_N (in D1; and δ̇_N in E1 when `v` ≠ 0) through the product, writing ∂L/∂W_k
 * (or (Hv)_k) into `out` with θ's stride.
 */
function backward(p: usize, x: usize, s: usize, v: usize, out: usize): void {
  const Nl = N(p), d0 = width(p, 0), row0 = <usize>d0 << 3;
  let D = D1, Dn = D2, E = E1, En = E2;
  for (let k = Nl; k >= 1; k--) {
    const dk = width(p, k), dm = width(p, k - 1), off = layerOffset(p, k);
    const Ok = out + <usize>off * s;
    const top = v != 0 ? E : D; // the gradient is δ_k P_{k−1}ᵀ; the HVP δ̇_k P_{k−1}ᵀ + δ_k Ṗ_{k−1}ᵀ
    if (k == 1) {
      for (let i = 0; i < dk; i++) for (let c = 0; c < d0; c++) st(Ok, i * d0 + c, s, ldc(top, i * d0 + c));
      break;
    }
    mm(dk, dm, d0, top, row0, 8, prod(p, P, k - 1), 8, row0, Ok, <usize>dm * s, s, false);
    if (v != 0) mm(dk, dm, d0, D, row0, 8, prod(p, Pd, k - 1), 8, row0, Ok, <usize>dm * s, s, true);
    const Wk = x + <usize>off * s;
    if (v != 0) {
      const Vk = v + <usize>off * s;
      mm(dm, d0, dk, Vk, s, <usize>dm * s, D, row0, 8, En, row0, 8, false); // V_kᵀ δ_k
      mm(dm, d0, dk, Wk, s, <usize>dm * s, E, row0, 8, En, row0, 8, true);  // + W_kᵀ δ̇_k
      const te = E; E = En; En = te;
    }
    mm(dm, d0, dk, Wk, s, <usize>dm * s, D, row0, 8, Dn, row0, 8, false);  // W_kᵀ δ_k
    const td = D; D = Dn; Dn = td;
  }
}

/** L(θ). */
export function buresValue(p: usize, x: usize, s: usize, w: usize): f64 {
  layout(p, w);
  const r = targetFactor(p);
  forward(p, x, s, 0);
  const trS = curvature(p, r);
  const eig = eigenPath(p, r);
  if (!eig) roots(p, x, s, r);
  return loss(p, r, trS, eig);
}

/** ∇L(θ) into g (θ's stride); returns L(θ). */
export function buresGrad(p: usize, x: usize, s: usize, g: usize, w: usize): f64 {
  layout(p, w);
  const r = targetFactor(p);
  forward(p, x, s, 0);
  const trS = curvature(p, r);
  const eig = gradSigma(p, x, s, r);
  const f = loss(p, r, trS, eig);
  const n = width(p, N(p)), d0 = width(p, 0), row0 = <usize>d0 << 3, rown = <usize>n << 3;
  const W = prod(p, P, N(p));
  if (eig) {
    // δ_N = 2 G W.
    mm(n, d0, n, G, rown, 8, W, row0, 8, D1, row0, 8, false);
    for (let i = 0; i < n * d0; i++) stc(D1, i, 2.0 * ldc(D1, i));
  } else {
    // δ_N = 2 (W − R′ᵀ V′ᵀ): T W from the polar rows (first d_0 columns), structural rows left out.
    const z = structuralZeros(p, r), m = eps(p) > 0.0 ? d0 + n : d0;
    mm(n, d0, r - z, R + <usize>z * rown, 8, rown, Y, <usize>m << 3, 8, D1, row0, 8, false);
    for (let i = 0; i < n * d0; i++) stc(D1, i, 2.0 * (ldc(W, i) - ldc(D1, i)));
  }
  backward(p, x, s, 0, g);
  return f;
}

/**
 * δ_N (D1) and δ̇_N (E1) of the HVP with structural zeros (ε = 0, z of M's r eigenvalues zero
 * everywhere; `polarPath` has run). With X = B W (r × d_0) of rank k = r − z, L = ‖W‖²_F + tr Σ₀
 * − 2‖X‖_*, ∂L/∂W = 2 (W − Bᵀ polar(X)), and X stays on the rank-k manifold along any direction
 * of θ, so dX = B dW has no null–null block (U⊥ᵀ dX V⊥ = 0) and the polar factor UVᵀ of
 * X = U diag(s) Vᵀ has the derivative
 *   d(UVᵀ) = U Ω Vᵀ + U⊥U⊥ᵀ dX V diag(1/s) Vᵀ + U diag(1/s) Uᵀ dX (I − VVᵀ),
 *   Ω_ab = (A_ab − A_ba)/(s_a + s_b),  A = Uᵀ dX V
 * (the full-rank polar derivative of Higham, "Functions of Matrices", 2008, §8.1, with the SVD's
 * range–null terms; only 1/s of nonzero s appears). In the polar path's basis Uᵀ B = R′ (rows
 * z…r−1 of R), U⊥ᵀ B = R_{:z}, Vᵀ = Y′ (the polar rows), s = s′, so with C = R′ dW:
 *   δ̇_N = 2 dW − 2 Bᵀ d(UVᵀ)
 *        = 2 (dW − R′ᵀ [Ω Y′ + diag(1/s)(C − A Y′)] − R_{:z}ᵀ (R_{:z} dW Y′ᵀ diag(1/s)) Y′),  A = C Y′ᵀ.
 * Checked against central differences of the exact gradient (test/bures.test.ts).
 */
function fixedRankHvp(p: usize, r: i32, z: i32): void {
  const n = width(p, N(p)), d0 = width(p, 0), k = r - z;
  const rown = <usize>n << 3, row0 = <usize>d0 << 3, rowk = <usize>k << 3;
  const W = prod(p, P, N(p)), dW = prod(p, Pd, N(p)), Rz = R + <usize>z * rown;
  // δ_N = 2 (W − R′ᵀ Y′), the gradient (buresGrad's polar path).
  mm(n, d0, k, Rz, 8, rown, Y, row0, 8, D1, row0, 8, false);
  for (let i = 0; i < n * d0; i++) stc(D1, i, 2.0 * (ldc(W, i) - ldc(D1, i)));
  // C = R′ dW (k × d_0) in D2; A = C Y′ᵀ (k × k) in F.
  mm(k, d0, n, Rz, rown, 8, dW, row0, 8, D2, row0, 8, false);
  mm(k, k, d0, D2, row0, 8, Y, 8, row0, F, rowk, 8, false);
  // U⊥ᵀ dX V diag(1/s) = R_{:z} dW Y′ᵀ diag(1/s) (z × k) in dT, then times Y′ (z × d_0) in E2.
  mm(z, d0, n, R, rown, 8, dW, row0, 8, E2, row0, 8, false);
  mm(z, k, d0, E2, row0, 8, Y, 8, row0, dT, rowk, 8, false);
  for (let a = 0; a < z; a++) for (let b = 0; b < k; b++) stc(dT, a * k + b, ldc(dT, a * k + b) / ldc(sq, z + b));
  mm(z, d0, k, dT, rowk, 8, Y, row0, 8, E2, row0, 8, false);
  // Ω Y′ + diag(1/s)(C − A Y′) over C, entry by entry (each reads only its own C entry).
  for (let a = 0; a < k; a++) {
    const sa = ldc(sq, z + a);
    for (let j = 0; j < d0; j++) {
      let om = 0.0, ay = 0.0;
      for (let b = 0; b < k; b++) {
        const yb = ldc(Y, b * d0 + j), ab = ldc(F, a * k + b);
        om += ((ab - ldc(F, b * k + a)) / (sa + ldc(sq, z + b))) * yb;
        ay += ab * yb;
      }
      stc(D2, a * d0 + j, om + (ldc(D2, a * d0 + j) - ay) / sa);
    }
  }
  // δ̇_N = 2 (dW − R′ᵀ [D2] − R_{:z}ᵀ [E2]).
  mm(n, d0, k, Rz, 8, rown, D2, row0, 8, E1, row0, 8, false);
  mm(n, d0, z, R, 8, rown, E2, row0, 8, E1, row0, 8, true);
  for (let i = 0; i < n * d0; i++) stc(E1, i, 2.0 * (ldc(dW, i) - ldc(E1, i)));
}

/** ∇²L(θ) v into out (θ's stride). */
export function buresHvp(p: usize, x: usize, s: usize, v: usize, out: usize, w: usize): void {
  layout(p, w);
  const r = targetFactor(p);
  forward(p, x, s, v);
  curvature(p, r);
  gradSigma(p, x, s, r);
  const z = structuralZeros(p, r);
  if (z > 0) {
    fixedRankHvp(p, r, z);
    backward(p, x, s, v, out);
    return;
  }
  const n = width(p, N(p)), d0 = width(p, 0), row0 = <usize>d0 << 3, rown = <usize>n << 3, rowr = <usize>r << 3;
  const W = prod(p, P, N(p)), dW = prod(p, Pd, N(p));
  // dΣ = H + Hᵀ, H = dW Wᵀ.
  mm(n, n, d0, dW, row0, 8, W, 8, row0, F, rown, 8, false);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) stc(dS, i * n + j, ldc(F, i * n + j) + ldc(F, j * n + i));
  // F = K ∘ (R dΣ Rᵀ) (r × r).
  mm(r, n, n, R, rown, 8, dS, rown, 8, Z, rown, 8, false);
  mm(r, r, n, Z, rown, 8, R, 8, rown, F, rowr, 8, false);
  for (let a = 0; a < r; a++) {
    const sa = ldc(sq, a);
    for (let b = 0; b < r; b++) {
      const sb = ldc(sq, b);
      // K_ab = −1/(s_a s_b (s_a + s_b)): no difference of eigenvalues, so no cancellation when
      // λ_a ≈ λ_b, and a = b gives −½ λ^{−3/2}.
      stc(F, a * r + b, -ldc(F, a * r + b) / (sa * sb * (sa + sb)));
    }
  }
  // dT = Rᵀ F R (and dG = −dT).
  mm(r, n, r, F, rowr, 8, R, rown, 8, Z, rown, 8, false);
  mm(n, n, r, R, 8, rown, Z, rown, 8, dT, rown, 8, false);
  // δ_N = 2 G W (D1); δ̇_N = 2 (G dW − dT W) (E1).
  mm(n, d0, n, G, rown, 8, W, row0, 8, D1, row0, 8, false);
  mm(n, d0, n, G, rown, 8, dW, row0, 8, E1, row0, 8, false);
  mm(n, d0, n, dT, rown, 8, W, row0, 8, E2, row0, 8, false);
  for (let i = 0; i < n * d0; i++) {
    stc(D1, i, 2.0 * ldc(D1, i));
    stc(E1, i, 2.0 * (ldc(E1, i) - ldc(E2, i)));
  }
  backward(p, x, s, v, out);
}

@final export class BuresWasserstein {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    return buresValue(p, x, s, w);
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    return buresGrad(p, x, s, g, w);
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    buresHvp(p, x, s, v, out, w);
  }
}
