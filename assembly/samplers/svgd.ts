// Stein variational gradient descent: the interacting-particle direction φ (Liu & Wang 2016,
// NeurIPS, "Stein Variational Gradient Descent: A General Purpose Bayesian Inference Algorithm",
// eq. (8) and Algorithm 1; bandwidth heuristic of their §5). Target p ∝ exp(−U/T), score
// s = ∇log p = −∇U/T. For the N active particles x_1 … x_N and the RBF kernel
//   k(x, y) = exp(−‖x − y‖²/h),   ∇_{x_j} k(x_j, x_i) = (2/h)(x_i − x_j) k(x_j, x_i),
//   φ(x_i) = (1/N) Σ_j [k(x_j, x_i) s_j + ∇_{x_j} k(x_j, x_i)]
//          = (1/N) [Σ_j k_ij w_j + (2/h) x_i Σ_j k_ij],    w_j = s_j − (2/h) x_j,
// the second form being one product K·[w | 1] (N × N by N × (d+1)) plus a diagonal term. The
// update itself (x_i ← x_i + ε_t φ(x_i), or an inner optimiser fed −φ) is run/svgd.ts's.
// Bandwidth: a fixed h > 0, or the median heuristic h = med²/log N, med the median of the
// N(N−1)/2 distinct pairwise distances ‖x_i − x_j‖ (i < j; for an even count, the mean of the two
// middle distances, as numpy.median). When med = 0 (at least half of the pairs coincide) or
// N = 1 the heuristic is undefined and h = 1 is used.
//
// Work, per step: the r² of the N(N−1)/2 pairs i < j (Gram trick: d multiply–adds each) into a
// packed upper triangle; the median by selection (util/select.ts: a sample brackets it, one pass
// keeps the band around it), O(N²) rather than a sort's O(N² log N); then the products, with
// every k = e^{−r²/h} computed once (util/expv.ts, f64x2; k_ij = k_ji): for d ≤ 12 in one pass
// over the pairs, each k used for both P_i and P_j (symmetricProducts); above, k in place on the
// triangle, then per tile of 4 rows i the rows k_i· — their columns before the tile gathered,
// the rest read in place — multiplied by [w | 1] with lanes over j, 8 independent accumulators
// (tiledProducts). Cost ≈ N²/2 exponentials + N²(d + 1)
// multiply–adds + N²d/2 for the r², plus the selection; memory 8·N(N−1)/2 bytes for the pairs
// (twice that with the median).
// Positions are centred on their mean first (φ depends only on differences x_i − x_j, so the
// result is the same up to rounding, and the Gram trick's and the (2/h)(x_i Σk − Σ k x_j)
// cancellations stay small for particles far from the origin). Summation orders are fixed by the
// compact particle order (active particles by global index) and N, never by anything else. No
// allocation: all buffers come from the run's SVW work space (run/svgd.ts).
//
// Compact buffers (doubles, row stride np = N_max rounded up to even, coordinate-major):
//   xc (d × np) centred positions · wc ((d+1) × np) scores in, then [w | 1] · phi (d × np; its
//   first row holds the squared norms while the pairs are computed) ·
//   rows (4 × np) a tile's kernel rows (d > 12), or a kernel row and the row sums (d ≤ 12) ·
//   tri (N(N−1)/2 + 2) · sel (N(N−1)/2, median only).

import { median } from '../util/select';
import { expNonPositive } from '../util/expv';

// Hyperparameters h of kind SVGD: 1 1 | T bandwidth inner | inner optimiser's h … (offsets SVGD_* in
// optimizers/kinds.ts, read by run/svgd.ts).

/** Offset of pair (i, j), i < j, in the packed upper triangle of N points (row i: j = i+1 … N−1). */
@inline function pairOffset(N: i32, i: i32, j: i32): usize {
  return <usize>i * <usize>(2 * N - i - 1) / 2 + <usize>(j - i - 1);
}

/** Address of column j of a row whose column 0 is at `base`. */
@inline function at(base: usize, j: i32): usize { return base + (<usize>j << 3); }

/**
 * Address p such that at(p, j) is pair (i, j) of the triangle, for j > i. (For i = 0 the
 * subtraction wraps below 0; usize arithmetic is modulo 2³², so at(p, j) is still exact.)
 */
@inline function triRow(tri: usize, N: i32, i: i32): usize {
  return tri + ((pairOffset(N, i, i + 1) - <usize>(i + 1)) << 3);
}

/** Squared norms ‖x_i‖² of the N compact points (coordinates summed in order) into nrm. */
function squaredNorms(N: i32, d: i32, np: i32, xc: usize, nrm: usize): void {
  const rowStride = <usize>np << 3;
  for (let i = 0; i < N; i++) {
    let s = 0.0;
    let xr = xc;
    for (let c = 0; c < d; c++, xr += rowStride) {
      const v = load<f64>(at(xr, i));
      s += v * v;
    }
    store<f64>(at(nrm, i), s);
  }
}

/** r² = max(0, (‖x_i‖² + ‖x_j‖²) − (g + g)) for inner products g = x_i·x_j, two pairs per lane pair. */
@inline function gramToDistance(ni: f64, nj: v128, g: v128): v128 {
  return f64x2.pmax(f64x2.sub(f64x2.add(f64x2.splat(ni), nj), f64x2.add(g, g)), f64x2.splat(0.0));
}

/**
 * r²_ij = ‖x_i − x_j‖² for i < j into tri, by the Gram trick: ‖x_i‖² + ‖x_j‖² − 2 x_i·x_j (the
 * points are centred, so the cancellation costs only ≈ ε(‖x_i‖² + ‖x_j‖²), negligible next to h;
 * rounding below 0 is clamped, and coincident points give exactly 0). Inner products sum their
 * coordinates in order c = 0 … d−1 on every path (4 rows × 4 columns per tile with lanes over
 * the columns, two columns, or one pair at a time), so each r² has the same bits whichever path
 * computes it. The multiply–add per pair-coordinate is half the work of differences, which
 * need a subtraction as well. nrm: N doubles of scratch.
 */
export function pairDistances(N: i32, d: i32, np: i32, xc: usize, nrm: usize, tri: usize): void {
  const rowStride = <usize>np << 3;
  squaredNorms(N, d, np, xc, nrm);
  for (let i0 = 0; i0 < N; i0 += 4) {
    const R = min(4, N - i0);
    let j = i0 + 4; // columns j ≥ i0 + 4 are past every row of the tile: all four rows at once
    if (R == 4) {
      const t0 = triRow(tri, N, i0), t1 = triRow(tri, N, i0 + 1), t2 = triRow(tri, N, i0 + 2), t3 = triRow(tri, N, i0 + 3);
      const n0 = load<f64>(at(nrm, i0)), n1 = load<f64>(at(nrm, i0 + 1)), n2 = load<f64>(at(nrm, i0 + 2)), n3 = load<f64>(at(nrm, i0 + 3));
      for (; j + 4 <= N; j += 4) {
        let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        let xr = xc;
        for (let c = 0; c < d; c++, xr += rowStride) {
          const xa = v128.load(at(xr, j)), xb = v128.load(at(xr, j + 2));
          const x0 = v128.load64_splat(at(xr, i0));
          a0 = f64x2.add(a0, f64x2.mul(x0, xa)); b0 = f64x2.add(b0, f64x2.mul(x0, xb));
          const x1 = v128.load64_splat(at(xr, i0 + 1));
          a1 = f64x2.add(a1, f64x2.mul(x1, xa)); b1 = f64x2.add(b1, f64x2.mul(x1, xb));
          const x2 = v128.load64_splat(at(xr, i0 + 2));
          a2 = f64x2.add(a2, f64x2.mul(x2, xa)); b2 = f64x2.add(b2, f64x2.mul(x2, xb));
          const x3 = v128.load64_splat(at(xr, i0 + 3));
          a3 = f64x2.add(a3, f64x2.mul(x3, xa)); b3 = f64x2.add(b3, f64x2.mul(x3, xb));
        }
        const na = v128.load(at(nrm, j)), nb = v128.load(at(nrm, j + 2));
        v128.store(at(t0, j), gramToDistance(n0, na, a0)); v128.store(at(t0, j + 2), gramToDistance(n0, nb, b0));
        v128.store(at(t1, j), gramToDistance(n1, na, a1)); v128.store(at(t1, j + 2), gramToDistance(n1, nb, b1));
        v128.store(at(t2, j), gramToDistance(n2, na, a2)); v128.store(at(t2, j + 2), gramToDistance(n2, nb, b2));
        v128.store(at(t3, j), gramToDistance(n3, na, a3)); v128.store(at(t3, j + 2), gramToDistance(n3, nb, b3));
      }
      for (; j + 2 <= N; j += 2) {
        let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
        let xr = xc;
        for (let c = 0; c < d; c++, xr += rowStride) {
          const xa = v128.load(at(xr, j));
          a0 = f64x2.add(a0, f64x2.mul(v128.load64_splat(at(xr, i0)), xa));
          a1 = f64x2.add(a1, f64x2.mul(v128.load64_splat(at(xr, i0 + 1)), xa));
          a2 = f64x2.add(a2, f64x2.mul(v128.load64_splat(at(xr, i0 + 2)), xa));
          a3 = f64x2.add(a3, f64x2.mul(v128.load64_splat(at(xr, i0 + 3)), xa));
        }
        const na = v128.load(at(nrm, j));
        v128.store(at(t0, j), gramToDistance(n0, na, a0));
        v128.store(at(t1, j), gramToDistance(n1, na, a1));
        v128.store(at(t2, j), gramToDistance(n2, na, a2));
        v128.store(at(t3, j), gramToDistance(n3, na, a3));
      }
    }
    // The rest, one pair at a time: pairs inside the tile, an odd last column, a short last tile.
    for (let r = 0; r < R; r++) {
      const i = i0 + r, ti = triRow(tri, N, i);
      const inTile = min(i0 + 4, N);
      for (let jj = i + 1; jj < inTile; jj++) store<f64>(at(ti, jj), distance2(d, rowStride, xc, nrm, i, jj));
      for (let jj = j; jj < N; jj++) store<f64>(at(ti, jj), distance2(d, rowStride, xc, nrm, i, jj));
    }
  }
}

/** One pair's r², with the tile's operations in the tile's order (same bits). */
@inline function distance2(d: i32, rowStride: usize, xc: usize, nrm: usize, i: i32, j: i32): f64 {
  let g = 0.0;
  let xr = xc;
  for (let c = 0; c < d; c++, xr += rowStride) g += load<f64>(at(xr, i)) * load<f64>(at(xr, j));
  const r2 = (load<f64>(at(nrm, i)) + load<f64>(at(nrm, j))) - (g + g);
  return r2 < 0.0 ? 0.0 : r2; // as f64x2.pmax(r2, 0)
}

/**
 * The median-heuristic bandwidth h = med²/log N from the r² of the M = N(N−1)/2 pairs at tri
 * (left untouched), with sel as scratch (util/select.ts median); med is the middle distance √r², or
 * the mean of the two middle distances when M is even. h = 1 when N < 2 or med = 0 (the heuristic
 * is undefined there).
 */
export function medianBandwidth(N: i32, tri: usize, sel: usize): f64 {
  const M = <i32>(<usize>N * <usize>(N - 1) / 2);
  if (M == 0) return 1.0;
  const med = median(tri, M, sel, true);
  if (med == 0.0) return 1.0;
  return med * med / Math.log(<f64>N);
}

/** tri[0 … M) ← e^{−tri/h}, two at a time (the slot after the last pair is scratch). */
export function kernelValues(M: i32, tri: usize, h: f64): void {
  store<f64>(at(tri, M), 0.0);
  const s = f64x2.splat(-1.0 / h);
  for (let i = 0; i < M; i += 2) {
    const a = at(tri, i);
    v128.store(a, expNonPositive(f64x2.mul(v128.load(a), s)));
  }
}

/**
 * The parts of rows i0 … i0+R−1 of the full symmetric kernel matrix (k_ii = 1) that are not
 * contiguous in the triangle, into rows (4 × np, stride np): columns j < i0 from triangle rows j
 * (four adjacent entries of each) and the tile's own corner pair by pair. Columns past the tile
 * are read in place from the triangle rows i (tiledProducts). The last tile has no columns past
 * it: there the padding column N (N odd) and unused rows (R < 4) are zeroed.
 */
function gatherKernelRows(N: i32, np: i32, tri: usize, rows: usize, i0: i32, R: i32): void {
  const stride = <usize>np << 3;
  for (let j = 0; j < i0; j++) {
    const tj = triRow(tri, N, j);
    for (let r = 0; r < R; r++) store<f64>(at(rows + <usize>r * stride, j), load<f64>(at(tj, i0 + r)));
  }
  const end = min(i0 + 4, N);
  for (let r = 0; r < R; r++) {
    const i = i0 + r, row = rows + <usize>r * stride;
    for (let j = i0; j < end; j++) {
      store<f64>(at(row, j), j == i ? 1.0 : j < i ? load<f64>(at(triRow(tri, N, j), i)) : load<f64>(at(triRow(tri, N, i), j)));
    }
    if (end == N && (N & 1) != 0) store<f64>(at(row, N), 0.0);
  }
  const ne = N + (N & 1);
  for (let r = R; r < 4; r++) memory.fill(rows + <usize>r * stride, 0, <usize>ne << 3);
}

/** Sum of both lanes. */
@inline function lanes(a: v128): f64 { return f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1); }

const TILE = memory.data(128, 16); // a tile's 8 f64x2 partial sums, carried from one column segment to the next

/**
 * TILE += Σ_{j0 ≤ j < j1} k_r[j]·w_c[j] for the 4 kernel rows k_r (column j at k_r + 8j) and the
 * columns w0, w1: eight f64x2 accumulators (lane 0 sums even j, lane 1 odd j, in increasing j).
 */
function tile4x2(k0: usize, k1: usize, k2: usize, k3: usize, w0: usize, w1: usize, j0: i32, j1: i32): void {
  let a00 = v128.load(TILE), a01 = v128.load(TILE, 16), a10 = v128.load(TILE, 32), a11 = v128.load(TILE, 48);
  let a20 = v128.load(TILE, 64), a21 = v128.load(TILE, 80), a30 = v128.load(TILE, 96), a31 = v128.load(TILE, 112);
  for (let j = j0; j < j1; j += 2) {
    const o = <usize>j << 3;
    const x0 = v128.load(w0 + o), x1 = v128.load(w1 + o);
    const q0 = v128.load(k0 + o);
    a00 = f64x2.add(a00, f64x2.mul(q0, x0)); a01 = f64x2.add(a01, f64x2.mul(q0, x1));
    const q1 = v128.load(k1 + o);
    a10 = f64x2.add(a10, f64x2.mul(q1, x0)); a11 = f64x2.add(a11, f64x2.mul(q1, x1));
    const q2 = v128.load(k2 + o);
    a20 = f64x2.add(a20, f64x2.mul(q2, x0)); a21 = f64x2.add(a21, f64x2.mul(q2, x1));
    const q3 = v128.load(k3 + o);
    a30 = f64x2.add(a30, f64x2.mul(q3, x0)); a31 = f64x2.add(a31, f64x2.mul(q3, x1));
  }
  v128.store(TILE, a00); v128.store(TILE, a01, 16); v128.store(TILE, a10, 32); v128.store(TILE, a11, 48);
  v128.store(TILE, a20, 64); v128.store(TILE, a21, 80); v128.store(TILE, a30, 96); v128.store(TILE, a31, 112);
}

/** As {@link tile4x2} for one column (the last one when the column count is odd): TILE's first four sums. */
function tile4x1(k0: usize, k1: usize, k2: usize, k3: usize, w0: usize, j0: i32, j1: i32): void {
  let a0 = v128.load(TILE), a1 = v128.load(TILE, 16), a2 = v128.load(TILE, 32), a3 = v128.load(TILE, 48);
  for (let j = j0; j < j1; j += 2) {
    const o = <usize>j << 3;
    const x0 = v128.load(w0 + o);
    a0 = f64x2.add(a0, f64x2.mul(v128.load(k0 + o), x0));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(k1 + o), x0));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(k2 + o), x0));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(k3 + o), x0));
  }
  v128.store(TILE, a0); v128.store(TILE, a1, 16); v128.store(TILE, a2, 32); v128.store(TILE, a3, 48);
}

/**
 * Up to this dimension the products run pair by pair over the triangle (symmetricProducts), above
 * it in gathered row tiles (tiledProducts). Measured at N = 1 000: the two cost the same at d ≈ 16
 * (the pair pass computes the exponentials on the fly and gathers nothing, the tiles multiply
 * faster); the pair pass is 1.4× faster at d = 1 and the tiles 1.8× at d = 50.
 */
const SYMMETRIC_MAX_D = 12;

/** k_ij = e^{−r²_ij/h} for j = i+1 … N−1 of triangle row i into krow[j], two at a time (krow[N] may be written). */
@inline function kernelRow(tri: usize, N: i32, i: i32, h: f64, krow: usize): void {
  const t = triRow(tri, N, i), s = f64x2.splat(-1.0 / h);
  for (let j = i + 1; j < N; j += 2) v128.store(at(krow, j), expNonPositive(f64x2.mul(v128.load(at(t, j)), s)));
}

/**
 * The products for small d, in one pass over the triangle that computes each kernel value once
 * (on the fly, into a row buffer) and uses it both ways: for pair i < j, P_i += k_ij [w_j | 1]
 * (row accumulators, lanes over j) and P_j += k_ij [w_i | 1] (in memory). No row gathering, no
 * write-back of the kernel: for d ≤ SYMMETRIC_MAX_D those cost more than the products. Order of
 * each P_j: rows i < j in order, then the diagonal w_j, then row j's own sum (even-j lane, odd-j
 * lane). Sums of w into phi's d rows, of 1 (row sums) into rows + 2·np; rows[0 … np]: kernel row.
 */
export function symmetricProducts(N: i32, d: i32, np: i32, tri: usize, wc: usize, rows: usize, phi: usize, h: f64): void {
  const stride = <usize>np << 3, ne = N + (N & 1);
  const krow = rows, rowSums = rows + 2 * stride; // krow[N] may be written: keep the sums clear of it
  for (let c = 0; c < d; c++) memory.fill(phi + <usize>c * stride, 0, <usize>ne << 3);
  memory.fill(rowSums, 0, <usize>ne << 3);
  for (let i = 0; i < N; i++) {
    kernelRow(tri, N, i, h, krow);
    for (let c = 0; c <= d; c++) {
      const w = wc + <usize>c * stride, p = c < d ? phi + <usize>c * stride : rowSums;
      const wi = load<f64>(at(w, i)), vwi = f64x2.splat(wi);
      let a = f64x2.splat(0.0);
      let j = i + 1;
      for (; j + 2 <= N; j += 2) {
        const k = v128.load(at(krow, j));
        a = f64x2.add(a, f64x2.mul(k, v128.load(at(w, j))));
        v128.store(at(p, j), f64x2.add(v128.load(at(p, j)), f64x2.mul(k, vwi)));
      }
      let own = lanes(a);
      if (j < N) {
        const k = load<f64>(at(krow, j));
        own += k * load<f64>(at(w, j));
        store<f64>(at(p, j), load<f64>(at(p, j)) + k * wi);
      }
      store<f64>(at(p, i), load<f64>(at(p, i)) + wi + own);
    }
  }
}

/**
 * φ of the N compact particles into phi (d × np). On entry xc holds centred positions and wc's
 * first d rows the (noisy) gradients g = ∇U; wc is overwritten with [w | 1]. `bandwidth` > 0 is
 * h itself, otherwise the median heuristic is used (sel: its scratch). acc: 4·(d+1) doubles.
 * Returns h.
 */
export function steinDirection(N: i32, d: i32, np: i32, xc: usize, wc: usize, phi: usize, rows: usize,
                               tri: usize, sel: usize, acc: usize, temperature: f64, bandwidth: f64): f64 {
  const stride = <usize>np << 3;
  const M = <i32>(<usize>N * <usize>(N - 1) / 2);
  pairDistances(N, d, np, xc, phi, tri); // phi's first row: scratch for the squared norms
  const h = bandwidth > 0.0 ? bandwidth : medianBandwidth(N, tri, sel);
  const twoOverH = 2.0 / h;
  // w_j = s_j − (2/h) x_j with s_j = −g_j/T; row d of ones gives Σ_j k_ij; padding column 0.
  for (let c = 0; c < d; c++) {
    const w = wc + <usize>c * stride, x = xc + <usize>c * stride;
    for (let j = 0; j < N; j++) store<f64>(at(w, j), -(load<f64>(at(w, j)) / temperature) - twoOverH * load<f64>(at(x, j)));
  }
  const ones = wc + <usize>d * stride;
  for (let j = 0; j < N; j++) store<f64>(at(ones, j), 1.0);
  if ((N & 1) != 0) for (let c = 0; c <= d; c++) store<f64>(at(wc + <usize>c * stride, N), 0.0);
  if (d <= SYMMETRIC_MAX_D) {
    symmetricProducts(N, d, np, tri, wc, rows, phi, h);
    for (let c = 0; c < d; c++) {
      const p = phi + <usize>c * stride, x = xc + <usize>c * stride, rowSums = rows + 2 * stride;
      for (let i = 0; i < N; i++) {
        store<f64>(at(p, i), (load<f64>(at(p, i)) + twoOverH * load<f64>(at(x, i)) * load<f64>(at(rowSums, i))) / <f64>N);
      }
    }
    return h;
  }
  kernelValues(M, tri, h);
  tiledProducts(N, d, np, xc, wc, phi, rows, tri, acc, twoOverH);
  return h;
}

/**
 * φ for larger d from the kernel values in tri: per tile of 4 rows, the rows' columns before the
 * tile gathered (gatherKernelRows), the rest read in place, multiplied by [w | 1] two columns at a
 * time (tile4x2).
 */
export function tiledProducts(N: i32, d: i32, np: i32, xc: usize, wc: usize, phi: usize, rows: usize, tri: usize,
    acc: usize, twoOverH: f64): void {
  const stride = <usize>np << 3;
  const ne = N + (N & 1), cols = d + 1, n = <f64>N;
  const g0 = rows, g1 = g0 + stride, g2 = g1 + stride, g3 = g2 + stride;
  for (let i0 = 0; i0 < N; i0 += 4) {
    const R = min(4, N - i0);
    gatherKernelRows(N, np, tri, rows, i0, R);
    // Columns [0, mid) from the gathered rows, [mid, ne) in place from the triangle rows (even
    // mid: the lanes keep summing even and odd j across the two segments).
    const mid = R == 4 && N > i0 + 4 ? i0 + 4 : ne;
    const t0 = triRow(tri, N, i0), t1 = triRow(tri, N, i0 + 1), t2 = triRow(tri, N, i0 + 2), t3 = triRow(tri, N, i0 + 3);
    let c0 = 0;
    for (; c0 + 2 <= cols; c0 += 2) {
      const w0 = wc + <usize>c0 * stride, w1 = w0 + stride;
      memory.fill(TILE, 0, 128);
      tile4x2(g0, g1, g2, g3, w0, w1, 0, mid);
      if (mid < ne) tile4x2(t0, t1, t2, t3, w0, w1, mid, ne);
      for (let r = 0; r < 4; r++) {
        store<f64>(at(acc, r * cols + c0), lanes(v128.load(TILE + (<usize>(2 * r) << 4))));
        store<f64>(at(acc, r * cols + c0 + 1), lanes(v128.load(TILE + (<usize>(2 * r + 1) << 4))));
      }
    }
    if (c0 < cols) {
      const w0 = wc + <usize>c0 * stride;
      memory.fill(TILE, 0, 64);
      tile4x1(g0, g1, g2, g3, w0, 0, mid);
      if (mid < ne) tile4x1(t0, t1, t2, t3, w0, mid, ne);
      for (let r = 0; r < 4; r++) store<f64>(at(acc, r * cols + c0), lanes(v128.load(TILE + (<usize>r << 4))));
    }
    for (let r = 0; r < R; r++) {
      const i = i0 + r, ar = acc + (<usize>(r * cols) << 3);
      const rowSum = load<f64>(at(ar, d));
      for (let c = 0; c < d; c++) {
        const x = load<f64>(at(xc + <usize>c * stride, i));
        store<f64>(at(phi + <usize>c * stride, i), (load<f64>(at(ar, c)) + twoOverH * x * rowSum) / n);
      }
    }
  }
}
