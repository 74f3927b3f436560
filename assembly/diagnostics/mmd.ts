// Maximum mean discrepancy between samples X (n × d) and Y (m × d) with the Gaussian kernel
// k(a, b) = exp(−‖a − b‖²/(2ℓ²)) (Gretton, Borgwardt, Rasch, Schölkopf & Smola 2012, JMLR 13,
// Lemma 6): the unbiased estimate
//   MMD²ᵤ = 1/(n(n−1)) Σ_{i≠j} k(xᵢ, xⱼ) + 1/(m(m−1)) Σ_{i≠j} k(yᵢ, yⱼ) − 2/(nm) Σᵢⱼ k(xᵢ, yⱼ),
// which can be slightly negative when the distributions agree. Sums in index order.

import { median } from '../util/select';

@inline function sqdist(a: usize, b: usize, d: i32): f64 {
  let s = 0.0;
  for (let j = 0; j < d; j++) { const v = load<f64>(a + (<usize>j << 3)) - load<f64>(b + (<usize>j << 3)); s += v * v; }
  return s;
}

/** Σ_{i<j} k within the n × d sample a. */
function within(n: i32, d: i32, a: usize, g: f64): f64 {
  let s = 0.0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s += Math.exp(-g * sqdist(a + (<usize>(i * d) << 3),
    a + (<usize>(j * d) << 3), d));
  return s;
}

/** Unbiased MMD² of x (n × d) and y (m × d) at bandwidth ℓ (n, m ≥ 2). */
export function mmdGaussian(n: i32, m: i32, d: i32, x: usize, y: usize, ell: f64): f64 {
  const g = 1.0 / (2.0 * ell * ell);
  let xy = 0.0;
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) xy += Math.exp(-g * sqdist(x + (<usize>(i * d) << 3),
    y + (<usize>(j * d) << 3), d));
  return 2.0 * within(n, d, x, g) / (<f64>n * <f64>(n - 1)) + 2.0 * within(m, d, y, g) / (<f64>m * <f64>(m - 1))
    - 2.0 * xy / (<f64>n * <f64>m);
}

/**
 * The median of the M = N(N−1)/2 pairwise distances ‖zᵢ − zⱼ‖ of the N × d points z (the mean of
 * the two middle ones for even M), by selection (util/select.ts median), not sorting. dist, work: M doubles.
 */
export function medianPairDistance(N: i32, d: i32, z: usize, dist: usize, work: usize): f64 {
  let k: usize = 0;
  for (let i = 0; i < N; i++) for (let j = i + 1; j < N; j++) {
    store<f64>(dist + (k << 3), Math.sqrt(sqdist(z + (<usize>(i * d) << 3), z + (<usize>(j * d) << 3), d)));
    k++;
  }
  return median(dist, <i32>k, work, false);
}
