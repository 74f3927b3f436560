// Small dense symmetric eigenproblems: the projected (Rayleigh–Ritz) matrices of Lanczos and the
// Jacobi matrices of stochastic Lanczos quadrature, m ≤ a few hundred. Householder reduction to
// tridiagonal form (tred2) and the implicit QL method with Wilkinson-type shifts (tql2):
// Bowdler, Martin, Reinsch & Wilkinson, "The QR and QL algorithms for symmetric matrices",
// Numer. Math. 11 (1968) 293–306, and Martin, Reinsch & Wilkinson, "Householder's
// tridiagonalization of a symmetric matrix", Numer. Math. 11 (1968) 181–195 (Handbook for
// Automatic Computation II/2, contributions II/2 and II/3); transcribed from the public-domain
// JAMA port of EISPACK's tred2/tql2 (NIST & The MathWorks, EigenvalueDecomposition.java).
//
// Accuracy: backward stable — each computed eigenvalue is within a small multiple of ε‖T‖ of an
// exact eigenvalue of T, and the computed eigenvectors are orthonormal to O(mε) (Wilkinson 1965,
// §5.20 and §8.50). Determinism: fixed loop orders, IEEE basic arithmetic and sqrt only, so the
// same input gives the same bits in every runtime.
//
// Storage: matrices are m×m row-major doubles; element (r, c) at base + 8(r·m + c).

// Doubles are read and written through these two; `m` is the row length.
@inline function g2(a: usize, m: i32, r: i32, c: i32): f64 { return load<f64>(a + ((<usize>r * <usize>m + <usize>c) << 3)); }
@inline function s2(a: usize, m: i32, r: i32, c: i32, v: f64): void { store<f64>(a + ((<usize>r * <usize>m + <usize>c) << 3), v); }
@inline function g1(a: usize, i: i32): f64 { return load<f64>(a + (<usize>i << 3)); }
@inline function s1(a: usize, i: i32, v: f64): void { store<f64>(a + (<usize>i << 3), v); }

/** 2⁻⁵²: the QL deflation threshold, relative to max |d_i| + |e_i| seen so far (as EISPACK). */
const EPS: f64 = reinterpret<f64>(0x3CB0000000000000); // 2.220446049250313e-16
/** QL iterations allowed per eigenvalue before giving up (EISPACK allows 30; converges in ~2–3). */
const MAX_QL_ITER = 60;

/** √(a² + b²) without overflow or destructive underflow (both finite). */
@inline export function hypot2(a: f64, b: f64): f64 {
  const x = Math.abs(a), y = Math.abs(b);
  if (x > y) { const r = y / x; return x * Math.sqrt(1.0 + r * r); }
  if (y != 0.0) { const r = x / y; return y * Math.sqrt(1.0 + r * r); }
  return 0.0;
}

/**
 * √(p² + q²) for a plane rotation: directly when p² + q² is a normal, finite double (one sqrt,
 * no division — the common case, as the entries are O(‖T‖)), else by the scaled hypot2.
 */
@inline function rotNorm(p: f64, q: f64): f64 {
  const s = p * p + q * q;
  if (s > 1e-290 && s < 1e290) return Math.sqrt(s);
  return hypot2(p, q);
}

/**
 * Householder tridiagonalisation of the symmetric m×m matrix at `a` (its lower triangle is
 * read). On return `a` holds the orthogonal Q with QᵀAQ = T, d (m) the diagonal of T and
 * e (m) its subdiagonal with e[i] coupling rows i−1 and i (e[0] = 0). The last row of Q is
 * e_{m−1}ᵀ exactly (the reduction starts from the last row), which the Ritz residual estimates use.
 * With accumulate = false, Q is not formed (a is left holding the reduction's workings), which
 * saves much of the time when only T is wanted (bench/README.md, "Kernel choices, as measured");
 * d and e are the same bits either way.
 */
export function tred2(m: i32, a: usize, d: usize, e: usize, accumulate: bool = true): void {
  for (let j = 0; j < m; j++) s1(d, j, g2(a, m, m - 1, j));
  for (let i = m - 1; i > 0; i--) {
    // Scale to avoid under/overflow.
    let scale = 0.0, h = 0.0;
    for (let k = 0; k < i; k++) scale += Math.abs(g1(d, k));
    if (scale == 0.0) {
      s1(e, i, g1(d, i - 1));
      for (let j = 0; j < i; j++) {
        s1(d, j, g2(a, m, i - 1, j));
        s2(a, m, i, j, 0.0);
        s2(a, m, j, i, 0.0);
      }
    } else {
      // Generate the Householder vector.
      for (let k = 0; k < i; k++) {
        const dk = g1(d, k) / scale;
        s1(d, k, dk);
        h += dk * dk;
      }
      let f = g1(d, i - 1);
      let g = Math.sqrt(h);
      if (f > 0.0) g = -g;
      s1(e, i, scale * g);
      h -= f * g;
      s1(d, i - 1, f - g);
      for (let j = 0; j < i; j++) s1(e, j, 0.0);
      // Apply the similarity transformation to the remaining columns.
      for (let j = 0; j < i; j++) {
        f = g1(d, j);
        s2(a, m, j, i, f);
        g = g1(e, j) + g2(a, m, j, j) * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const akj = g2(a, m, k, j);
          g += akj * g1(d, k);
          s1(e, k, g1(e, k) + akj * f);
        }
        s1(e, j, g);
      }
      f = 0.0;
      for (let j = 0; j < i; j++) {
        const ej = g1(e, j) / h;
        s1(e, j, ej);
        f += ej * g1(d, j);
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) s1(e, j, g1(e, j) - hh * g1(d, j));
      for (let j = 0; j < i; j++) {
        f = g1(d, j);
        g = g1(e, j);
        for (let k = j; k <= i - 1; k++) s2(a, m, k, j, g2(a, m, k, j) - (f * g1(e, k) + g * g1(d, k)));
        s1(d, j, g2(a, m, i - 1, j));
        s2(a, m, i, j, 0.0);
      }
    }
    s1(d, i, h);
  }
  if (!accumulate) {
    // T's diagonal is a[j][j] after the reduction (the accumulation below moves it into d
    // through row m−1, unchanged).
    for (let j = 0; j < m; j++) s1(d, j, g2(a, m, j, j));
    s1(e, 0, 0.0);
    return;
  }
  // Accumulate the transformations.
  for (let i = 0; i < m - 1; i++) {
    s2(a, m, m - 1, i, g2(a, m, i, i));
    s2(a, m, i, i, 1.0);
    const h = g1(d, i + 1);
    if (h != 0.0) {
      for (let k = 0; k <= i; k++) s1(d, k, g2(a, m, k, i + 1) / h);
      for (let j = 0; j <= i; j++) {
        let g = 0.0;
        for (let k = 0; k <= i; k++) g += g2(a, m, k, i + 1) * g2(a, m, k, j);
        for (let k = 0; k <= i; k++) s2(a, m, k, j, g2(a, m, k, j) - g * g1(d, k));
      }
    }
    for (let k = 0; k <= i; k++) s2(a, m, k, i + 1, 0.0);
  }
  for (let j = 0; j < m; j++) {
    s1(d, j, g2(a, m, m - 1, j));
    s2(a, m, m - 1, j, 0.0);
  }
  s2(a, m, m - 1, m - 1, 1.0);
  s1(e, 0, 0.0);
}

/**
 * Eigenvalues of the symmetric tridiagonal matrix (d, e) by implicit QL (tql2): d (m) the
 * diagonal, e (m) the subdiagonal with e[i] coupling i−1 and i (e[0] ignored). On return d holds
 * the eigenvalues in ascending order and e is destroyed. The plane rotations are also applied to
 * the `rows` rows of the rows×m row-major matrix z (rows = m with z = I or tred2's Q gives the
 * eigenvectors as columns; rows = 1 with z = e_0ᵀ or e_{m−1}ᵀ gives only the first or last
 * components, in O(m²) instead of O(m³)). Columns of z are permuted with the sort.
 * Returns 0, or 1 if some eigenvalue needed more than MAX_QL_ITER iterations (or the input
 * was not finite): the results are then not to be trusted.
 */
export function tql2(m: i32, d: usize, e: usize, z: usize, rows: i32): i32 {
  let failed = 0;
  for (let i = 1; i < m; i++) s1(e, i - 1, g1(e, i));
  s1(e, m - 1, 0.0);
  let f = 0.0, tst1 = 0.0;
  for (let l = 0; l < m; l++) {
    // Find a small subdiagonal element.
    tst1 = Math.max(tst1, Math.abs(g1(d, l)) + Math.abs(g1(e, l)));
    let mm = l;
    while (mm < m - 1) {
      if (Math.abs(g1(e, mm)) <= EPS * tst1) break;
      mm++;
    }
    // If mm == l, d[l] is an eigenvalue; otherwise iterate.
    if (mm > l) {
      let iter = 0;
      do {
        iter++;
        if (iter > MAX_QL_ITER) { failed = 1; break; }
        // Implicit shift.
        let g = g1(d, l);
        let p = (g1(d, l + 1) - g) / (2.0 * g1(e, l));
        let r = hypot2(p, 1.0);
        if (p < 0.0) r = -r;
        s1(d, l, g1(e, l) / (p + r));
        s1(d, l + 1, g1(e, l) * (p + r));
        const dl1 = g1(d, l + 1);
        let h = g - g1(d, l);
        for (let i = l + 2; i < m; i++) s1(d, i, g1(d, i) - h);
        f += h;
        // Implicit QL transformation.
        p = g1(d, mm);
        let c = 1.0, c2 = 1.0, c3 = 1.0, s = 0.0, s2v = 0.0;
        const el1 = g1(e, l + 1);
        for (let i = mm - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2v = s;
          const ei = g1(e, i);
          g = c * ei;
          h = c * p;
          r = rotNorm(p, ei);
          s1(e, i + 1, s * r);
          const inv = 1.0 / r;
          s = ei * inv;
          c = p * inv;
          const di = g1(d, i);
          p = c * di - s * g;
          s1(d, i + 1, h + s * (c * g + s * di));
          // Accumulate the rotation into the rows of z.
          for (let k = 0; k < rows; k++) {
            const zk = z + ((<usize>k * <usize>m) << 3);
            const hz = g1(zk, i + 1), zi = g1(zk, i);
            s1(zk, i + 1, s * zi + c * hz);
            s1(zk, i, c * zi - s * hz);
          }
        }
        p = -s * s2v * c3 * el1 * g1(e, l) / dl1;
        s1(e, l, s * p);
        s1(d, l, c * p);
      } while (Math.abs(g1(e, l)) > EPS * tst1);
    }
    s1(d, l, g1(d, l) + f);
    s1(e, l, 0.0);
  }
  // Sort eigenvalues (ascending) and the columns of z with them (selection sort: stable bits).
  for (let i = 0; i < m - 1; i++) {
    let k = i;
    let p = g1(d, i);
    for (let j = i + 1; j < m; j++) {
      if (g1(d, j) < p) { k = j; p = g1(d, j); }
    }
    if (k != i) {
      s1(d, k, g1(d, i));
      s1(d, i, p);
      for (let r = 0; r < rows; r++) {
        const zr = z + ((<usize>r * <usize>m) << 3);
        const t = g1(zr, i);
        s1(zr, i, g1(zr, k));
        s1(zr, k, t);
      }
    }
  }
  for (let i = 0; i < m; i++) if (!isFinite(g1(d, i))) failed = 1;
  return failed;
}
