// Extreme eigenpairs of a symmetric operator by thick-restart Lanczos with full
// reorthogonalisation: Lanczos (1950) with every new vector orthogonalised against the whole
// basis (vec.ts lanczosOrthogonalize: the three-term step, then classical Gram–Schmidt over the
// basis with a DGKS second pass when needed, as ARPACK's dsaitr; Parlett, The Symmetric
// Eigenvalue Problem, 1998, §13.1 "full reorthogonalization"), restarted when the basis holds
// `ncv` vectors by keeping the best Ritz vectors (Wu & Simon, "Thick-restart Lanczos method for
// large symmetric eigenvalue problems", SIAM J. Matrix Anal. Appl. 22, 2000, §2–3). A
// reverse-communication state machine (state.ts).
//
// The iteration. The basis V = [v_0 … v_{m−1}] is orthonormal and A V = V H + β v_m e_{m−1}ᵀ,
// with H (m×m) tridiagonal, also after a restart (whose arrowhead, Wu & Simon eq. 2.5, is
// reduced to tridiagonal form at once: below). Each step multiplies the newest vector v_m, orthogonalises w = A v_m against v_0 … v_m
// (α = v_mᵀ A v_m is the sum of every coefficient of v_m removed), and sets β = ‖w‖,
// v_{m+1} = w/β. The Ritz pairs of H are (θ_i, V z_i) with residual norm exactly
// ‖A V z_i − θ_i V z_i‖ = β |e_{m−1}ᵀ z_i| in exact arithmetic (Parlett §13.2); full
// reorthogonalisation keeps the computed estimate within O(ε‖A‖) of the true residual.
//
// Convergence (ARPACK's test, dsconv.f, with its absolute floor made relative to the operator's
// scale): the wanted pair i is converged when β |e_{m−1}ᵀ z_i| ≤ tol · max(|θ_i|, ε^{2/3}‖H‖),
// ‖H‖ = max |θ|, or ≤ 8√n·ε‖H‖ (the rounding level: see threshold()); the run stops when all k
// wanted pairs are, when the product budget is spent
// (status MAX_ITER, results still returned with their residuals), or when m reaches n (the basis
// spans the space: every Ritz pair is exact).
//
// Breakdown: β ≤ 2⁻⁴³‖H‖ means span(V) is (numerically) invariant. β is then taken as 0 and a
// fresh Gaussian vector, orthogonalised against V, continues the basis (so the other copies of a
// repeated eigenvalue, which a single Krylov sequence cannot see, are found; as ARPACK's dgetv0).
// Convergence is not accepted right after a breakdown — the fresh vector has not been
// multiplied yet — unless that fresh vector itself was an eigenvector (two breakdowns in a row):
// then the unexplored complement is one eigenspace with that eigenvalue μ (a random vector of a
// space with two distinct eigenvalues is an eigenvector with probability 0), and convergence is
// accepted if μ cannot enter the wanted set.
//
// Restart: at m = ncv, keep l = k + ⌊(ncv − k)/2⌋ Ritz vectors nearest the wanted end(s) (for
// 'both' the extra ones split between the ends) and set v_l = v_m. The kept pairs and v_m have
// the arrowhead projected matrix [diag(θ) s; sᵀ ·], s_i = β e_{m−1}ᵀ z_i (Wu & Simon eq. 2.5);
// it is reduced to tridiagonal form QᵀBQ = T at once (tred2 from its last row, so Q leaves v_m
// alone) and V is rotated in place by Z_l Q (chunk by chunk of coordinates), so H stays
// tridiagonal throughout (restart()).
//
// Small eigenproblems (eigen.ts): H is always tridiagonal, so a convergence check is tql2 on
// (diag, subdiag) carrying only the last row of Z — O(m²). Checks are made when schedule()
// forecasts that they may pass, not after every step. Full eigenvectors only at m = ncv (the
// restart's check and rotation share them) and at the end if vectors are wanted; otherwise the
// end reuses the last check's values and last row.

import {
  PHASE, N, K0, K1, MATVECS, STATUS, COMMON_SLOTS, DONE, OK, MAX_ITER, NON_FINITE, EIGEN_FAIL,
  gf, gi, gp, sf, request, answered, finish, ld, sd, vec,
} from './state';
import { orthogonalize, lanczosOrthogonalize, normOut, axpy, scale, copy, zero, norm } from './vec';
import { tred2, tql2 } from './eigen';
import { fillProbe, GAUSSIAN, PURPOSE_LANCZOS } from './probes';

// Slots (after the common ones). MUST MATCH bindings/spectral.ts (test/layout.test.ts).
export const L_K = COMMON_SLOTS + 0;         // wanted count k
export const L_NLARGE = COMMON_SLOTS + 1;    // how many of them from the top
export const L_NSMALL = COMMON_SLOTS + 2;    // how many from the bottom
export const L_TOL = COMMON_SLOTS + 3;       // relative residual tolerance (0: machine ε)
export const L_MAXMV = COMMON_SLOTS + 4;     // product budget
export const L_NCV = COMMON_SLOTS + 5;       // largest basis size (k < ncv ≤ n)
export const L_V = COMMON_SLOTS + 6;         // basis, (ncv + 1) × n
export const L_H = COMMON_SLOTS + 7;         // projected matrix, ncv × ncv
export const L_WORK = COMMON_SLOTS + 8;      // lanczosWorkSize(ncv) doubles
export const L_W = COMMON_SLOTS + 9;         // product / residual vector, n
export const L_VALUES = COMMON_SLOTS + 10;   // out: k eigenvalues
export const L_VECTORS = COMMON_SLOTS + 11;  // out: k × n eigenvectors (0: not wanted)
export const L_RESID = COMMON_SLOTS + 12;    // out: k residual norms
export const L_M = COMMON_SLOTS + 13;        // basis size m
export const L_L = COMMON_SLOTS + 14;        // vectors kept at the last restart (0: none yet)
export const L_BETA = COMMON_SLOTS + 15;     // β coupling v_{m−1} to v_m
export const L_RESTARTS = COMMON_SLOTS + 16;
export const L_STARTS = COMMON_SLOTS + 17;   // random vectors drawn (start + one per breakdown)
export const L_NORM = COMMON_SLOTS + 18;     // running estimate of ‖A‖
export const L_CONVERGED = COMMON_SLOTS + 19; // out: wanted pairs converged
export const L_BROKE = COMMON_SLOTS + 20;    // 1 if the last step broke down
export const L_NEXT = COMMON_SLOTS + 21;     // product count of the next scheduled convergence check
export const L_RHO = COMMON_SLOTS + 22;      // worst residual ÷ threshold at the last check
export const L_RHOM = COMMON_SLOTS + 23;     // product count at the last check (0: none yet)
export const L_CHECKS = COMMON_SLOTS + 24;   // out: convergence checks made
export const L_SLOTS = COMMON_SLOTS + 25;

const PHASE_PRODUCT = 1;
/** Coordinates per chunk of the in-place basis rotation at a restart. */
const CHUNK = 64;
/** β ≤ 2⁻⁴³‖H‖ (≈ 1.1e-13) counts as a breakdown. */
const BREAK: f64 = reinterpret<f64>(0x3D40000000000000); // 1.1368683772161603e-13
/** ε^{2/3} (ε = 2⁻⁵²), ARPACK's eps23. */
const EPS23: f64 = 3.666852862501036e-11;
const EPS: f64 = reinterpret<f64>(0x3CB0000000000000); // 2⁻⁵²

// Work layout (doubles): Z ncv² | d ncv | e ncv | zrow ncv | coeff 2(ncv+1) | tmp ncv·CHUNK | idx ncv
@inline function wZ(w: usize): usize { return w; }
@inline function wD(w: usize, c: i32): usize { return w + ((<usize>c * <usize>c) << 3); }
@inline function wE(w: usize, c: i32): usize { return wD(w, c) + (<usize>c << 3); }
@inline function wRow(w: usize, c: i32): usize { return wE(w, c) + (<usize>c << 3); }
@inline function wCoeff(w: usize, c: i32): usize { return wRow(w, c) + (<usize>c << 3); }
@inline function wTmp(w: usize, c: i32): usize { return wCoeff(w, c) + (<usize>(2 * c + 2) << 3); }
@inline function wIdx(w: usize, c: i32): usize { return wTmp(w, c) + ((<usize>c * CHUNK) << 3); }

/** Doubles of work space for basis size ncv. */
export function lanczosWorkSize(ncv: i32): i32 {
  return ncv * ncv + 3 * ncv + 2 * ncv + 2 + ncv * CHUNK + ncv;
}

/** Doubles of a Lanczos run driven from wasm (state, basis, projected matrix, work, w) for dimension n and basis size ncv. */
export function lanczosRunSize(n: i32, ncv: i32): i32 {
  return L_SLOTS + (ncv + 1) * n + ncv * ncv + lanczosWorkSize(ncv) + n;
}

/**
 * Lay out and start a Lanczos run for kernels that drive it themselves (the sharpness tracker,
 * saddle-free Newton): the state block and its arrays are carved from `at`
 * (lanczosRunSize(n, ncv) doubles); values (k), resid (k) and vectors (k × n, or 0) are the
 * caller's. Returns the state address, ready for lanczosStep.
 */
export function lanczosStart(at: usize, n: i32, k0: u32, k1: u32, k: i32, nLarge: i32, tol: f64, maxMatvecs: i32, ncv: i32,
                             values: usize, vectors: usize, resid: usize): usize {
  const st = at;
  const basis = st + (<usize>L_SLOTS << 3);
  const tri = basis + (<usize>((ncv + 1) * n) << 3);
  const work = tri + (<usize>(ncv * ncv) << 3);
  const w = work + (<usize>lanczosWorkSize(ncv) << 3);
  memory.fill(st, 0, <usize>L_SLOTS << 3);
  sf(st, N, <f64>n); sf(st, K0, <f64>k0); sf(st, K1, <f64>k1);
  sf(st, L_K, <f64>k); sf(st, L_NLARGE, <f64>nLarge); sf(st, L_NSMALL, <f64>(k - nLarge));
  sf(st, L_TOL, tol); sf(st, L_MAXMV, <f64>maxMatvecs); sf(st, L_NCV, <f64>ncv);
  sf(st, L_V, <f64>basis); sf(st, L_H, <f64>tri); sf(st, L_WORK, <f64>work); sf(st, L_W, <f64>w);
  sf(st, L_VALUES, <f64>values); sf(st, L_VECTORS, <f64>vectors); sf(st, L_RESID, <f64>resid);
  sf(st, PHASE, 0.0);
  return st;
}

@inline function hAt(h: usize, c: i32, r: i32, col: i32): usize { return h + ((<usize>r * <usize>c + <usize>col) << 3); }

/**
 * Ritz values of the leading m×m block of H, which is always tridiagonal (a restart reduces its
 * arrowhead: restart()), ascending into d, and per value the last component of its unit
 * eigenvector (into zrow) — or, with full = true, all eigenvectors as the columns of Z (m×m
 * row-major), whose last row then holds those components. tql2 on (diag, subdiag) straight
 * from H: O(m²) carrying one row, O(m³) carrying Z = I. Returns tql2's failure flag.
 */
function ritz(st: usize, m: i32, full: bool): i32 {
  const c = gi(st, L_NCV), h = gp(st, L_H), w = gp(st, L_WORK);
  const z = wZ(w), d = wD(w, c), e = wE(w, c), row = wRow(w, c);
  for (let i = 0; i < m; i++) {
    sd(d, i, load<f64>(hAt(h, c, i, i)));
    sd(e, i, i > 0 ? load<f64>(hAt(h, c, i, i - 1)) : 0.0);
  }
  if (full) {
    zero(z, m * m);
    for (let i = 0; i < m; i++) sd(z, i * m + i, 1.0);
    return tql2(m, d, e, z, m);
  }
  zero(row, m);
  sd(row, m - 1, 1.0);
  return tql2(m, d, e, row, 1);
}

/** What the work space holds for the current m (finalize's `have`): nothing, d and zrow, or d and the full Z. */
const HAVE_NONE = 0;
const HAVE_ROW = 1;
const HAVE_FULL = 2;

/** Index (into the ascending Ritz values) of the t-th wanted value, in output order. */
@inline function wantedIndex(t: i32, m: i32, nLarge: i32, nSmall: i32): i32 {
  // Output order: top nLarge descending, then the bottom nSmall also descending (so 'both' is
  // descending overall); 'smallest' alone is ascending.
  if (t < nLarge) return m - 1 - t;
  if (nLarge == 0) return t;
  return nSmall - 1 - (t - nLarge);
}

/**
 * Residual bound for a Ritz value θ given the scale ‖H‖ and the dimension: ARPACK's
 * tol·max(|θ|, ε^{2/3}‖H‖), but never below 8√n·ε‖H‖ — the rounding level of the products and
 * of the reorthogonalisation, below which no residual can be driven (so eigenvalues at or near
 * zero, e.g. a Gauss–Newton matrix's null space, still converge).
 */
@inline function threshold(tol: f64, theta: f64, normH: f64, floor: f64): f64 {
  return Math.max(tol * Math.max(Math.abs(theta), EPS23 * normH), floor * normH);
}

/** 8√n·ε: the relative residual floor of threshold(). */
@inline function residualFloor(n: i32): f64 {
  return 8.0 * Math.sqrt(<f64>n) * EPS;
}

/**
 * Draw random vector number STARTS into `x` (unit norm after orthogonalising against `count` basis
 * vectors); returns its norm before normalising relative to the draw's, or 0 if numerically in
 * span(V).
 */
function freshVector(st: usize, x: usize, count: i32): f64 {
  const n = gi(st, N);
  const idx = gi(st, L_STARTS);
  sf(st, L_STARTS, <f64>(idx + 1));
  fillProbe(GAUSSIAN, <u32>gi(st, K0), <u32>gi(st, K1), PURPOSE_LANCZOS, <u32>idx, n, 1.0, x);
  const before = norm(x, n);
  const c = gi(st, L_NCV);
  const after = count > 0 ? orthogonalize(gp(st, L_V), count, n, x, wCoeff(gp(st, L_WORK), c)) : before;
  if (!(after > 1e-8 * before)) return 0.0;
  scale(1.0 / after, x, n);
  return after / before;
}

/**
 * Write the wanted Ritz pairs (values, residuals, optionally vectors) and stop. `have` says what
 * the work space already holds for the current m (a convergence check just made): the small
 * eigenproblem is solved again only if it lacks what is needed (the full Z only for vectors) —
 * the same bits either way, as tql2's values and the last row of Z do not depend on the rows
 * carried.
 */
function finalize(st: usize, status: i32, have: i32 = HAVE_NONE): i32 {
  const n = gi(st, N), k = gi(st, L_K), nL = gi(st, L_NLARGE), nS = gi(st, L_NSMALL);
  const m = gi(st, L_M), c = gi(st, L_NCV), w = gp(st, L_WORK), V = gp(st, L_V);
  const values = gp(st, L_VALUES), resid = gp(st, L_RESID), vectors = gp(st, L_VECTORS);
  const beta = gf(st, L_BETA);
  let converged = 0;
  if (status == NON_FINITE || m < k) {
    for (let t = 0; t < k; t++) { sd(values, t, NaN); sd(resid, t, NaN); }
    if (vectors != 0) for (let t = 0; t < k; t++) {
      const y = vec(vectors, t, n);
      for (let i = 0; i < n; i++) sd(y, i, NaN);
    }
    sf(st, L_CONVERGED, 0.0);
    return finish(st, status == OK ? MAX_ITER : status);
  }
  const full = vectors != 0;
  if (have == HAVE_NONE || (full && have != HAVE_FULL)) {
    if (ritz(st, m, full) != 0) status = EIGEN_FAIL;
    have = full ? HAVE_FULL : HAVE_ROW;
  }
  const z = wZ(w), d = wD(w, c), row = wRow(w, c);
  const last = have == HAVE_FULL ? z + ((<usize>(m - 1) * <usize>m) << 3) : row;
  const normH = Math.max(Math.abs(ld(d, 0)), Math.abs(ld(d, m - 1)));
  const tol = gf(st, L_TOL) > 0.0 ? gf(st, L_TOL) : EPS;
  for (let t = 0; t < k; t++) {
    const i = wantedIndex(t, m, nL, nS);
    const theta = ld(d, i);
    const r = Math.abs(beta * ld(last, i));
    sd(values, t, theta);
    sd(resid, t, r);
    if (r <= threshold(tol, theta, normH, residualFloor(n))) converged++;
    if (vectors != 0) {
      const y = vec(vectors, t, n);
      zero(y, n);
      for (let j = 0; j < m; j++) axpy(ld(z, j * m + i), vec(V, j, n), y, n);
    }
  }
  sf(st, L_CONVERGED, <f64>converged);
  if (status == OK && converged < k) status = MAX_ITER;
  return finish(st, status);
}

/**
 * Row t (t < l) of `out` (stride CHUNK doubles) = Σ_j Z[j, idx_t] V_j[off … off + len), j = 0 … m−1
 * in order from 0 — per element the operations of zero() then one axpy per j, so the same bits —
 * for two rows at a time with the 8-double blocks of the sums in registers: each load of V serves
 * both rows, and a row is written once instead of once per j.
 */
function rotateChunk(V: usize, n: i32, off: usize, len: i32, z: usize, m: i32, idx: usize, l: i32, out: usize): void {
  const stride = <usize>n << 3;
  const blocks = len & ~7;
  let t = 0;
  for (; t + 2 <= l; t += 2) {
    const ca = <i32>ld(idx, t), cb = <i32>ld(idx, t + 1);
    const ra = out + ((<usize>t * CHUNK) << 3), rb = ra + (<usize>CHUNK << 3);
    for (let i = 0; i < blocks; i += 8) {
      const o = <usize>i << 3;
      let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
      let p = V + off + o, q = z;
      for (let j = 0; j < m; j++, p += stride, q += <usize>m << 3) {
        const sa = f64x2.splat(ld(q, ca)), sb = f64x2.splat(ld(q, cb));
        const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
        a0 = f64x2.add(a0, f64x2.mul(sa, v0)); b0 = f64x2.add(b0, f64x2.mul(sb, v0));
        a1 = f64x2.add(a1, f64x2.mul(sa, v1)); b1 = f64x2.add(b1, f64x2.mul(sb, v1));
        a2 = f64x2.add(a2, f64x2.mul(sa, v2)); b2 = f64x2.add(b2, f64x2.mul(sb, v2));
        a3 = f64x2.add(a3, f64x2.mul(sa, v3)); b3 = f64x2.add(b3, f64x2.mul(sb, v3));
      }
      v128.store(ra + o, a0); v128.store(ra + o, a1, 16); v128.store(ra + o, a2, 32); v128.store(ra + o, a3, 48);
      v128.store(rb + o, b0); v128.store(rb + o, b1, 16); v128.store(rb + o, b2, 32); v128.store(rb + o, b3, 48);
    }
  }
  if (t < l) {
    const ca = <i32>ld(idx, t);
    const ra = out + ((<usize>t * CHUNK) << 3);
    for (let i = 0; i < blocks; i += 8) {
      const o = <usize>i << 3;
      let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
      let p = V + off + o, q = z;
      for (let j = 0; j < m; j++, p += stride, q += <usize>m << 3) {
        const sa = f64x2.splat(ld(q, ca));
        a0 = f64x2.add(a0, f64x2.mul(sa, v128.load(p)));
        a1 = f64x2.add(a1, f64x2.mul(sa, v128.load(p, 16)));
        a2 = f64x2.add(a2, f64x2.mul(sa, v128.load(p, 32)));
        a3 = f64x2.add(a3, f64x2.mul(sa, v128.load(p, 48)));
      }
      v128.store(ra + o, a0); v128.store(ra + o, a1, 16); v128.store(ra + o, a2, 32); v128.store(ra + o, a3, 48);
    }
  }
  if (blocks < len) {
    // The last chunk's tail (< 8 doubles): as before, zero() then axpy per j.
    const rest = len - blocks, ob = <usize>blocks << 3;
    for (let u = 0; u < l; u++) {
      const row = out + ((<usize>u * CHUNK) << 3) + ob;
      zero(row, rest);
      const col = <i32>ld(idx, u);
      for (let j = 0; j < m; j++) axpy(ld(z, j * m + col), vec(V, j, n) + off + ob, row, rest);
    }
  }
}

/**
 * Thick restart at m = ncv (Z, the full eigenvectors of H, in the work space): keep l Ritz
 * vectors, continue from v_m. With U = V Z_sel (the kept Ritz vectors, Ritz values Θ) and
 * s = β Z_selᵀ e_{m−1}, A U = U Θ + v_m sᵀ, so the basis [U, v_m] has the arrowhead
 * B = [Θ s; sᵀ α_l] as projected matrix (Wu & Simon eq. 2.5). B is reduced to tridiagonal form
 * at once, QᵀBQ = T, by tred2 from its last row (Householder; Q's last row and column are e_lᵀ
 * and e_l, and Q does not depend on α_l, which the next step computes), and the basis is
 * rotated by Z_sel Q_ll in the same sweep: V[:, 0..l) ← V (Z_sel Q_ll). The new basis spans
 * the same space as the kept Ritz vectors (only the basis of span(U) changes), H stays
 * tridiagonal through every restart (later steps only append to it), and each convergence
 * check is a tql2 carrying one row instead of a Householder reduction of the arrow each step.
 */
function restart(st: usize): void {
  const n = gi(st, N), k = gi(st, L_K), nL = gi(st, L_NLARGE), nS = gi(st, L_NSMALL);
  const c = gi(st, L_NCV), m = gi(st, L_M), w = gp(st, L_WORK), V = gp(st, L_V), h = gp(st, L_H);
  const z = wZ(w), d = wD(w, c), e = wE(w, c), row = wRow(w, c), tmp = wTmp(w, c), idx = wIdx(w, c);
  const beta = gf(st, L_BETA);
  let l = k + ((c - k) >> 1);
  if (l > m - 1) l = m - 1;
  // Which Ritz vectors to keep (indices into the ascending values).
  const extra = l - k;
  const lL = nS == 0 ? l : nL == 0 ? 0 : nL + ((extra + 1) >> 1);
  const lS = l - lL;
  for (let t = 0; t < lL; t++) sd(idx, t, <f64>(m - 1 - t));
  for (let t = 0; t < lS; t++) sd(idx, lL + t, <f64>t);
  // The arrowhead B ((l+1)×(l+1), built in H's space: H is rebuilt below) and its reduction;
  // tred2 overwrites B with Q and leaves T's diagonal in d[0..l) and its subdiagonal in e[1..l].
  const l1 = l + 1, b = h;
  zero(b, l1 * l1);
  for (let t = 0; t < l; t++) {
    const col = <i32>ld(idx, t);
    sd(b, t * l1 + t, ld(d, col));
    const s = beta * ld(z, (m - 1) * m + col);
    sd(b, l * l1 + t, s);
    sd(b, t * l1 + l, s);
  }
  tred2(l1, b, d, e, true);
  // Z[:, 0..l) ← Z_sel Q_ll, row by row (a row's new entries depend only on that row).
  for (let j = 0; j < m; j++) {
    const zj = z + ((<usize>j * <usize>m) << 3);
    for (let t = 0; t < l; t++) {
      let acc = 0.0;
      for (let u = 0; u < l; u++) acc += ld(zj, <i32>ld(idx, u)) * ld(b, u * l1 + t);
      sd(row, t, acc);
    }
    copy(zj, row, l);
  }
  for (let t = 0; t < l; t++) sd(idx, t, <f64>t);
  // V[:, 0..l) ← V Z[:, 0..l), chunk by chunk of coordinates (in place).
  for (let c0 = 0; c0 < n; c0 += CHUNK) {
    const len = min(CHUNK, n - c0);
    const off = <usize>c0 << 3;
    rotateChunk(V, n, off, len, z, m, idx, l, tmp);
    for (let t = 0; t < l; t++) copy(vec(V, t, n) + off, tmp + ((<usize>t * CHUNK) << 3), len);
  }
  copy(vec(V, l, n), vec(V, m, n), n);
  zero(h, c * c);
  for (let t = 0; t < l; t++) store<f64>(hAt(h, c, t, t), ld(d, t));
  for (let t = 1; t <= l; t++) {
    const s = ld(e, t);
    store<f64>(hAt(h, c, t, t - 1), s);
    store<f64>(hAt(h, c, t - 1, t), s);
  }
  sf(st, L_M, <f64>l);
  sf(st, L_L, <f64>l);
  sf(st, L_RESTARTS, gf(st, L_RESTARTS) + 1.0);
  sf(st, L_BROKE, 0.0);
}

/** Largest skip between convergence checks (so an unforeseen speed-up costs at most SKIP_MAX − 1 extra products). */
const SKIP_MAX = 4;

/**
 * Schedule the next convergence check after one at product count m found the worst wanted
 * residual ρ (÷ its threshold) > 1. Counted in products, not basis size, which a restart
 * resets. Residual estimates of extreme Ritz pairs fall roughly geometrically (Saad, Numerical
 * Methods for Large Eigenvalue Problems, 2011, §6.6: the Kaniel–Paige–Saad bounds), so with the
 * previous check's ρ′ at m′ the rate per step is δ = ln(ρ′/ρ)/(m − m′) and about
 * s = ln ρ / δ more steps are needed; the next check is after ⌊s/2⌋ of them (at least 1, at most
 * SKIP_MAX). Halving the forecast means a check can be late only if convergence more than
 * doubles its recent speed, and then by < SKIP_MAX products; a ρ that did not fall (or the first
 * check) gives the next step. Each check is a tql2 of the m×m tridiagonal matrix (O(m²), with
 * its square roots and divisions in series), so those that cannot succeed are skipped (the
 * saving: bench/README.md, "Kernel choices, as measured").
 */
function schedule(st: usize, m: i32, rho: f64): void {
  const last = gf(st, L_RHO), lastM = gi(st, L_RHOM);
  let skip = 1;
  if (lastM > 0 && m > lastM && rho < last && rho > 1.0 && isFinite(last)) {
    const rate = Math.log(last / rho) / <f64>(m - lastM);
    const s = Math.log(rho) / rate;
    skip = <i32>Math.min(<f64>SKIP_MAX, Math.max(1.0, Math.floor(0.5 * s)));
  }
  sf(st, L_RHO, rho);
  sf(st, L_RHOM, <f64>m);
  sf(st, L_NEXT, <f64>(m + skip));
}

/**
 * Advance the Lanczos state at `st`: returns 1 when it needs y = A x (addresses in REQ_X,
 * REQ_Y), 0 when done (results in the output slots, STATUS set).
 */
export function lanczosStep(st: usize): i32 {
  const phase = gi(st, PHASE);
  if (phase == DONE) return 0;
  const n = gi(st, N), V = gp(st, L_V), W = gp(st, L_W);
  if (phase == 0) {
    sf(st, L_M, 0.0); sf(st, L_L, 0.0); sf(st, L_BETA, 0.0); sf(st, L_RESTARTS, 0.0);
    sf(st, L_STARTS, 0.0); sf(st, L_NORM, 0.0); sf(st, L_BROKE, 0.0); sf(st, MATVECS, 0.0);
    sf(st, L_NEXT, 0.0); sf(st, L_RHO, 0.0); sf(st, L_RHOM, 0.0); sf(st, L_CHECKS, 0.0);
    sf(st, STATUS, <f64>OK);
    zero(gp(st, L_H), gi(st, L_NCV) * gi(st, L_NCV));
    freshVector(st, V, 0);
    sf(st, PHASE, <f64>PHASE_PRODUCT);
    return request(st, V, W);
  }
  // A product has arrived: W = A v_m.
  answered(st);
  const c = gi(st, L_NCV), h = gp(st, L_H), w = gp(st, L_WORK);
  const k = gi(st, L_K), nL = gi(st, L_NLARGE), nS = gi(st, L_NSMALL);
  const m = gi(st, L_M);
  const coeff = wCoeff(w, c);
  // The three-term coupling of v_m to v_{m−1}: H's subdiagonal entry (β of the last step, or
  // after a restart the reduced arrow's last coupling; 0 after a breakdown).
  const local = m > 0 ? load<f64>(hAt(h, c, m, m - 1)) : 0.0;
  const alpha = lanczosOrthogonalize(V, m, n, W, local, coeff);
  const wnorm = normOut;
  if (!isFinite(alpha) || !isFinite(wnorm)) return finalize(st, NON_FINITE);
  store<f64>(hAt(h, c, m, m), alpha);
  let normEst = Math.max(gf(st, L_NORM), Math.abs(alpha) + wnorm + (m > 0 ? gf(st, L_BETA) : 0.0));
  const m1 = m + 1;
  const prevBroke = gi(st, L_BROKE) != 0;
  let broke = false, exhausted = m1 >= n;
  let beta = 0.0;
  if (!exhausted) {
    const next = vec(V, m1, n);
    if (wnorm <= BREAK * normEst) {
      broke = true;
      if (freshVector(st, next, m1) == 0.0) exhausted = true;
    } else {
      beta = wnorm;
      copy(next, W, n);
      scale(1.0 / beta, next, n);
      if (m1 < c) {
        store<f64>(hAt(h, c, m1, m), beta);
        store<f64>(hAt(h, c, m, m1), beta);
      }
    }
  }
  sf(st, L_M, <f64>m1);
  sf(st, L_BETA, beta);
  sf(st, L_BROKE, broke ? 1.0 : 0.0);
  sf(st, L_NORM, normEst);
  if (exhausted) { sf(st, L_BETA, 0.0); return finalize(st, OK); }
  // Convergence check (not right after a first breakdown: the fresh vector is unexplored), when
  // the schedule says (schedule()), and always at m = ncv, where the full eigenvectors are
  // computed at once (the restart needs them; their last row is the one-row check's, bit for
  // bit), and right after a second breakdown in a row.
  const full = m1 == c;
  let have = HAVE_NONE;
  if (m1 >= k && (!broke || prevBroke) && (full || prevBroke || gi(st, MATVECS) >= gi(st, L_NEXT))) {
    if (ritz(st, m1, full) != 0) return finalize(st, EIGEN_FAIL);
    have = full ? HAVE_FULL : HAVE_ROW;
    sf(st, L_CHECKS, gf(st, L_CHECKS) + 1.0);
    const d = wD(w, c);
    const row = full ? wZ(w) + ((<usize>(m1 - 1) * <usize>m1) << 3) : wRow(w, c);
    const normH = Math.max(Math.abs(ld(d, 0)), Math.abs(ld(d, m1 - 1)));
    normEst = Math.max(normEst, normH);
    sf(st, L_NORM, normEst);
    const tol = gf(st, L_TOL) > 0.0 ? gf(st, L_TOL) : EPS;
    const floor = residualFloor(n);
    // The worst wanted pair's residual ÷ its threshold: all converged iff ≤ 1.
    let rho = 0.0;
    for (let t = 0; t < k; t++) {
      const i = wantedIndex(t, m1, nL, nS);
      const r = Math.abs(beta * ld(row, i)), thr = threshold(tol, ld(d, i), normH, floor);
      const q = thr > 0.0 ? r / thr : (r == 0.0 ? 0.0 : Infinity); // ≤ 1 iff r ≤ thr
      if (rho == rho && !(q <= rho)) rho = q; // a NaN stays: "not converged", as r ≤ thr fails
    }
    let all = rho <= 1.0;
    if (all && broke) {
      // Two breakdowns in a row: the complement is the eigenspace of μ = α; can μ still be wanted?
      const mu = alpha;
      if (nL > 0 && mu > ld(d, m1 - nL)) all = false;
      if (nS > 0 && mu < ld(d, nS - 1)) all = false;
    }
    if (all) return finalize(st, OK, have);
    schedule(st, gi(st, MATVECS), rho);
  }
  if (<i32>gf(st, MATVECS) >= gi(st, L_MAXMV)) return finalize(st, MAX_ITER, have);
  if (full) {
    if (have != HAVE_FULL && ritz(st, m1, true) != 0) return finalize(st, EIGEN_FAIL);
    restart(st);
  }
  return request(st, vec(V, gi(st, L_M), n), W);
}
