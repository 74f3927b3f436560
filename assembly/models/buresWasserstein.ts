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
// Singular M (Σ rank-deficient on the range of Σ₀, e.g. ε = 0 with a bottleneck narrower than
// the target's rank, or W = 0): the value uses √max(λ, 0) (rounding can make a zero eigenvalue
// slightly negative) and stays finite and continuous; in the derivatives, eigenvalues
// λ_a ≤ 2⁻⁴⁰·λ_max(M) count as zeros (rounding leaves them at ~n·u·λ_max instead of 0), so s_a = 0
// and the gradient and HVP are ±∞ or NaN there, as the formulas give at a singular M — rather
// than O(1) rounding noise amplified by 1/√λ — and an ensemble reports such particles as
// diverged. Approaching such points, T grows like λ_min(M)^{−1/2} and the Daleckii–Krein
// weights like λ_min^{−3/2}, so the Hessian can blow up: that is the paper's point, and what
// ε > 0 (the smooth perturbative version) removes, since then λ_min(M) ≥ ε λ_min⁺(Σ₀).
//
// Cost per evaluation: two Jacobi eigendecompositions (Σ₀, n × n, and M, r × r) and the matrix
// products, O(n³ + Σ_k d_k d_{k−1} d_0). Σ₀'s factor B is recomputed at every evaluation (the
// same bits each time) rather than packed once, which would need a preparation export; it
// costs about as much as M's decomposition.
//
// Parameters: N | ε | d_0 … d_N | Σ₀ (n × n row-major, exactly symmetric).
// Scratch (doubles, MUST MATCH scratchSize in src/models/buresWasserstein.ts):
//   11 n² + 3 n + 2 Σ_{k≥1} d_k d_0 + 4 max_k(d_k) d_0.

import { ld, st, ldc, stc } from '../util/memory';
import { symmetricEigen } from '../linalg/symmetricEigen';

/** Eigenvalues of Σ₀ at most RANK_TOL·λ_max are taken as 0 (matches the factory's PSD check). */
const RANK_TOL: f64 = 1e-12;

/** RANK_TOL, for test/layout.test.ts (src/models/buresWasserstein.ts mirrors it; not an i32, so not in layoutTable). */
export function buresRankTol(): f64 { return RANK_TOL; }
/** In the derivatives, eigenvalues of M at most SINGULAR_TOL·λ_max(M) are taken as 0. */
const SINGULAR_TOL: f64 = reinterpret<f64>(0x3D70000000000000); // 2⁻⁴⁰ = 9.094947017729282e-13

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
let P: usize = 0, Pd: usize = 0, D1: usize = 0, D2: usize = 0, E1: usize = 0, E2: usize = 0;

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
  D1 = o; o += db; D2 = o; o += db; E1 = o; o += db; E2 = o;
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

/** tr Σ + tr Σ₀ − 2 Σ √max(λ, 0). */
function loss(p: usize, r: i32, trS: f64): f64 {
  const n = width(p, N(p)), t = target(p);
  let tr0 = 0.0;
  for (let i = 0; i < n; i++) tr0 += ldc(t, i * n + i);
  let root = 0.0;
  for (let a = 0; a < r; a++) root += Math.sqrt(Math.max(ldc(lam, a), 0.0));
  return trS + tr0 - 2.0 * root;
}

/**
 * R = Qᵀ B (r × n), s = √λ into `sq`, and G = I − Rᵀ diag(1/s) R (exactly symmetric). Eigenvalues
 * λ_a ≤ SINGULAR_TOL·λ_max(M) (zeros of a singular M, up to rounding) give s_a = 0, so that the
 * derivatives at a numerically singular M are non-finite rather than amplified rounding noise.
 */
function gradSigma(p: usize, r: i32): void {
  const n = width(p, N(p)), rown = <usize>n << 3, rowr = <usize>r << 3;
  mm(r, n, r, Q, 8, rowr, B, rown, 8, R, rown, 8, false);
  const floor = r > 0 ? SINGULAR_TOL * ldc(lam, r - 1) : 0.0;
  // E = diag(λ^{−1/4}) R into Z, then T = Eᵀ E.
  for (let a = 0; a < r; a++) {
    const la = ldc(lam, a);
    const sa = la > floor ? Math.sqrt(la) : 0.0;
    stc(sq, a, sa);
    const q = 1.0 / Math.sqrt(sa);
    for (let j = 0; j < n; j++) stc(Z, a * n + j, q * ldc(R, a * n + j));
  }
  mm(n, n, r, Z, 8, rown, Z, rown, 8, G, rown, 8, false);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) stc(G, i * n + j, (i == j ? 1.0 : 0.0) - ldc(G, i * n + j));
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
  return loss(p, r, curvature(p, r));
}

/** ∇L(θ) into g (θ's stride); returns L(θ). */
export function buresGrad(p: usize, x: usize, s: usize, g: usize, w: usize): f64 {
  layout(p, w);
  const r = targetFactor(p);
  forward(p, x, s, 0);
  const f = loss(p, r, curvature(p, r));
  gradSigma(p, r);
  const n = width(p, N(p)), d0 = width(p, 0), row0 = <usize>d0 << 3;
  mm(n, d0, n, G, <usize>n << 3, 8, prod(p, P, N(p)), row0, 8, D1, row0, 8, false);
  for (let i = 0; i < n * d0; i++) stc(D1, i, 2.0 * ldc(D1, i));
  backward(p, x, s, 0, g);
  return f;
}

/** ∇²L(θ) v into out (θ's stride). */
export function buresHvp(p: usize, x: usize, s: usize, v: usize, out: usize, w: usize): void {
  layout(p, w);
  const r = targetFactor(p);
  forward(p, x, s, v);
  curvature(p, r);
  gradSigma(p, r);
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
