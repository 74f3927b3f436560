// Per-coordinate sample moments of n rows of d doubles (row-major), two-pass: mean, then the
// unbiased variance Σ(x − x̄)²/(n − 1), and the i.i.d. standard error of the mean √(var/n). Two
// passes, not Welford, because both are exact-order sums over rows in index order
// (deterministic) and two-pass is the more accurate of the two.

/** mean[j], variance[j], se[j] of column j of the n × d array at x (n ≥ 2 for the variance; n = 1 gives NaN). */
export function columnMoments(n: i32, d: i32, x: usize, mean: usize, variance: usize, se: usize): void {
  for (let j = 0; j < d; j++) {
    let s = 0.0;
    for (let i = 0; i < n; i++) s += load<f64>(x + (<usize>(i * d + j) << 3));
    const m = s / <f64>n;
    let q = 0.0;
    for (let i = 0; i < n; i++) {
      const v = load<f64>(x + (<usize>(i * d + j) << 3)) - m;
      q += v * v;
    }
    store<f64>(mean + (<usize>j << 3), m);
    const v = n > 1 ? q / <f64>(n - 1) : NaN;
    store<f64>(variance + (<usize>j << 3), v);
    store<f64>(se + (<usize>j << 3), Math.sqrt(v / <f64>n));
  }
}
