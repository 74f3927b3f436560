// Autocorrelation and effective sample size of m chains of n draws each (row-major m × n).
//
// Autocovariance of chain c at lag k (biased, the standard choice for ESS: it keeps the
// sequence positive semi-definite):  γ_c(k) = (1/n) Σ_{i<n−k} (x_i − x̄_c)(x_{i+k} − x̄_c).
// Multi-chain autocorrelation (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, Bayesian
// Analysis 16(2), eq. 10, without rank normalisation):
//   W = mean_c s_c² (s_c² = n/(n−1)·γ_c(0)),  B/n = variance of the chain means (m ≥ 2, else 0),
//   var⁺ = (n−1)/n·W + B/n,   ρ(k) = 1 − (W − mean_c γ_c(k)) / var⁺.
// For m = 1 this is γ(k)/γ(0)·(n−1)/n-adjusted; for m ≥ 2 it also counts between-chain spread.
// ESS by Geyer's initial monotone sequence (Geyer 1992, Statistical Science 7(4)): pair sums
// P_t = ρ(2t) + ρ(2t+1), summed while positive and made non-increasing; τ = −1 + 2 Σ P_t;
// ESS = m·n/τ. Lags are taken up to n − 1 (or until the first non-positive pair sum).

/** ρ(0 … maxLag) of the m × n chains at x into out (maxLag + 1 doubles); work: m doubles (chain means). */
export function autocorrelation(m: i32, n: i32, x: usize, maxLag: i32, out: usize, work: usize): void {
  const W = withinAndMeans(m, n, x, work);
  const varPlus = plusVariance(m, n, W, work);
  for (let k = 0; k <= maxLag; k++) store<f64>(out + (<usize>k << 3), 1.0 - (W - meanAutocov(m, n, x, k, work)) / varPlus);
}

/** Effective sample size of the m × n chains at x; work: m doubles. */
export function effectiveSampleSize(m: i32, n: i32, x: usize, work: usize): f64 {
  const W = withinAndMeans(m, n, x, work);
  const varPlus = plusVariance(m, n, W, work);
  if (!(varPlus > 0.0)) return NaN; // constant chains: no information about mixing
  let sum = 0.0, prev = Infinity;
  for (let t = 0; 2 * t + 1 < n; t++) {
    let p = 2.0 - (2.0 * W - meanAutocov(m, n, x, 2 * t, work) - meanAutocov(m, n, x, 2 * t + 1, work)) / varPlus; // ρ(2t) + ρ(2t+1)
    if (!(p > 0.0)) break;
    if (p > prev) p = prev; // initial monotone sequence
    sum += p;
    prev = p;
  }
  const tau = -1.0 + 2.0 * sum;
  return <f64>m * <f64>n / tau;
}

/** Chain means into work; returns W, the mean within-chain variance (denominator n − 1). */
function withinAndMeans(m: i32, n: i32, x: usize, work: usize): f64 {
  let W = 0.0;
  for (let c = 0; c < m; c++) {
    const row = x + (<usize>(c * n) << 3);
    let s = 0.0;
    for (let i = 0; i < n; i++) s += load<f64>(row + (<usize>i << 3));
    const mean = s / <f64>n;
    store<f64>(work + (<usize>c << 3), mean);
    let q = 0.0;
    for (let i = 0; i < n; i++) { const v = load<f64>(row + (<usize>i << 3)) - mean; q += v * v; }
    W += q / <f64>(n - 1);
  }
  return W / <f64>m;
}

/** var⁺ = (n−1)/n·W + B/n, B/n the unbiased variance of the chain means (0 for one chain). */
function plusVariance(m: i32, n: i32, W: f64, means: usize): f64 {
  let bn = 0.0;
  if (m > 1) {
    let s = 0.0;
    for (let c = 0; c < m; c++) s += load<f64>(means + (<usize>c << 3));
    const g = s / <f64>m;
    for (let c = 0; c < m; c++) { const v = load<f64>(means + (<usize>c << 3)) - g; bn += v * v; }
    bn /= <f64>(m - 1);
  }
  return <f64>(n - 1) / <f64>n * W + bn;
}

/** mean over chains of γ_c(k), with the chain means at `means`. */
function meanAutocov(m: i32, n: i32, x: usize, k: i32, means: usize): f64 {
  let total = 0.0;
  for (let c = 0; c < m; c++) {
    const row = x + (<usize>(c * n) << 3), mean = load<f64>(means + (<usize>c << 3));
    let s = 0.0;
    for (let i = 0; i + k < n; i++) s += (load<f64>(row + (<usize>i << 3)) - mean) * (load<f64>(row + (<usize>(i + k) << 3)) - mean);
    total += s / <f64>n;
  }
  return total / <f64>m;
}
