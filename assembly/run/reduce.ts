// Statistics of record rows from per-block partials, merged in block order (so the numbers are
// the same however the run was chunked, threaded or sharded, given the block size):
//   counts add; means and sums of squared deviations merge by Chan, Golub & LeVeque (1983):
//     n = n_a + n_b,  δ = μ_b − μ_a,  μ = μ_a + δ·n_b/n,  M2 = M2_a + M2_b + δ²·n_a·n_b/n
//   variance = M2/(n − 1) (the unbiased sample variance; 0 when n = 1, NaN when n = 0)
// Quantiles of the loss: the "type 7" estimator of Hyndman & Fan (1996) (numpy's default):
//   h = (n − 1)·q,  Q = x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋)),  order statistics by quickselect.

import * as D from './descriptor';

/** Output width of one row: n, mean, var, min, max, nq quantiles, mean ‖g‖, d means, d variances. */
export function recordWidth(d: i32, nq: i32): i32 {
  return 6 + nq + 2 * d;
}

@inline function ld(p: usize, k: i32): f64 { return load<f64>(p + (<usize>k << 3)); }
@inline function st(p: usize, k: i32, v: f64): void { store<f64>(p + (<usize>k << 3), v); }

/** The k-th smallest (0-based) of a[0..n), rearranging a (Hoare partition, median of three). */
function select(a: usize, n: i32, k: i32): f64 {
  let lo = 0, hi = n - 1;
  while (hi > lo) {
    const mid = lo + ((hi - lo) >> 1);
    const x = ld(a, lo), y = ld(a, mid), z = ld(a, hi);
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
    let i = lo, j = hi;
    while (i <= j) {
      while (ld(a, i) < pivot) i++;
      while (ld(a, j) > pivot) j--;
      if (i <= j) {
        const tmp = ld(a, i);
        st(a, i, ld(a, j));
        st(a, j, tmp);
        i++; j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return ld(a, k);
  }
  return ld(a, k);
}

/** Type-7 quantile q of a[0..n) (n ≥ 1), rearranging a. */
function quantile(a: usize, n: i32, q: f64): f64 {
  const h = <f64>(n - 1) * q;
  const lo = <i32>Math.floor(h);
  const vlo = select(a, n, lo);
  if (lo + 1 >= n) return vlo;
  let vhi = Infinity; // after select, a[lo+1..n) holds the values ≥ x_(lo): x_(lo+1) is their minimum
  for (let k = lo + 1; k < n; k++) vhi = Math.min(vhi, ld(a, k));
  return vlo + (h - <f64>lo) * (vhi - vlo);
}

/**
 * Reduce `rows` record rows of the current chunk into out (rows × recordWidth). `qs`: nq
 * quantile levels in [0, 1]; `work`: P doubles.
 */
export function ensembleReduce(desc: usize, rows: i32, qs: usize, nq: i32, out: usize, work: usize): void {
  const d = <i32>ld(desc, D.DIM), nb = <i32>ld(desc, D.NB), P = <i32>ld(desc, D.P);
  const pw = D.partialWidth(d), ow = recordWidth(d, nq);
  const part = <usize>ld(desc, D.PART), losses = <usize>ld(desc, D.LOSSBUF);
  for (let r = 0; r < rows; r++) {
    const o = out + (<usize>(r * ow) << 3);
    let n = 0.0, mean = 0.0, m2 = 0.0, mn = Infinity, mx = -Infinity, gsum = 0.0;
    for (let j = 0; j < 2 * d; j++) st(o, 6 + nq + j, 0.0);
    // Coordinate means and M2s are merged in the output row itself, then turned into variances.
    for (let b = 0; b < nb; b++) {
      const pb = part + (<usize>((r * nb + b) * pw) << 3);
      const nbk = ld(pb, 0);
      if (nbk == 0.0) continue;
      const tot = n + nbk;
      const dl = ld(pb, 1) - mean;
      mean += dl * nbk / tot;
      m2 += ld(pb, 2) + dl * dl * n * nbk / tot;
      mn = Math.min(mn, ld(pb, 3));
      mx = Math.max(mx, ld(pb, 4));
      gsum += ld(pb, 5);
      for (let j = 0; j < d; j++) {
        const mj = ld(o, 6 + nq + j), qj = ld(o, 6 + nq + d + j);
        const dj = ld(pb, 6 + 2 * j) - mj;
        st(o, 6 + nq + j, mj + dj * nbk / tot);
        st(o, 6 + nq + d + j, qj + ld(pb, 7 + 2 * j) + dj * dj * n * nbk / tot);
      }
      n = tot;
    }
    st(o, 0, n);
    st(o, 1, n > 0.0 ? mean : NaN);
    st(o, 2, n > 1.0 ? m2 / (n - 1.0) : n == 1.0 ? 0.0 : NaN);
    st(o, 3, n > 0.0 ? mn : NaN);
    st(o, 4, n > 0.0 ? mx : NaN);
    st(o, 5 + nq, n > 0.0 ? gsum / n : NaN);
    for (let j = 0; j < d; j++) {
      if (n == 0.0) st(o, 6 + nq + j, NaN);
      const qj = ld(o, 6 + nq + d + j);
      st(o, 6 + nq + d + j, n > 1.0 ? qj / (n - 1.0) : n == 1.0 ? 0.0 : NaN);
    }
    // Quantiles over the counted losses (NaN marks excluded particles).
    let m = 0;
    const row = losses + (<usize>(r * P) << 3);
    for (let p = 0; p < P; p++) {
      const v = ld(row, p);
      if (v == v) { st(work, m, v); m++; }
    }
    for (let k = 0; k < nq; k++) st(o, 5 + k, m > 0 ? quantile(work, m, ld(qs, k)) : NaN);
  }
}
