// Confidence intervals and fits for the gallery's tables, written out here from their formulas so
// that no interval depends on the library under test.
//   wilson(k, n)        Wilson score interval for a proportion (Wilson 1927)
//   meanInterval(...)   CLT interval for a mean from its sample mean, variance and count
//   linearFit(x, y)     least squares y ≈ a + b x with the slope's standard error
//   quantile z of the standard normal for the two-sided 95% and 99% levels

/** Two-sided standard-normal quantiles. */
export const Z95 = 1.959963984540054;
export const Z99 = 2.5758293035489004;

/** Wilson score interval for k successes in n trials. */
export function wilson(k, n, z = Z95) {
  if (n === 0) return [0, 1];
  const p = k / n, d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z / d) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

/** CLT interval mean ± z·√(variance/n). */
export function meanInterval(mean, variance, n, z = Z95) {
  const h = z * Math.sqrt(variance / n);
  return [mean - h, mean + h];
}

/** Sample mean and unbiased variance of an array. */
export function moments(xs) {
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) ** 2;
  return { mean: m, variance: xs.length > 1 ? v / (xs.length - 1) : 0, n: xs.length };
}

/** Ordinary least squares y ≈ a + b·x; `se` is the standard error of b (residual variance on n − 2 degrees of freedom). */
export function linearFit(x, y) {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n, my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) { sxx += (x[i] - mx) ** 2; sxy += (x[i] - mx) * (y[i] - my); }
  const b = sxy / sxx, a = my - b * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - a - b * x[i]) ** 2;
  return { a, b, se: n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : NaN };
}

/** Weighted least squares y ≈ a + b·x with known standard deviations s of y; `se` is b's standard error. */
export function weightedFit(x, y, s) {
  let sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const w = 1 / (s[i] * s[i]);
    sw += w; sx += w * x[i]; sy += w * y[i]; sxx += w * x[i] * x[i]; sxy += w * x[i] * y[i];
  }
  const det = sw * sxx - sx * sx;
  return { a: (sxx * sy - sx * sxy) / det, b: (sw * sxy - sx * sy) / det, se: Math.sqrt(sw / det) };
}
