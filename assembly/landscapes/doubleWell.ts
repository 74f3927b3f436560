// Quartic double well (docs/landscapes.md, `doubleWell`), the classic bistable potential:
//   f(x) = h (u² − 1)² + τ x₀ + ½ k Σ_{i≥1} x_i²,   u = x₀ / a
//   ∂f/∂x₀ = 4h u (u² − 1)/a + τ,   ∂f/∂x_i = k x_i (i ≥ 1)
//   ∇²f = diag(4h (3u² − 1)/a², k, …, k)
// Minima at ±a e₀ (τ = 0), barrier height h at 0, curvature 8h/a² in each well.
// Parameters: h (depth) | a | τ (tilt) | k (stiffness).

import { ld, st, ldc } from '../util/memory';

@final export class DoubleWell {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const h = ldc(p, 0), a = ldc(p, 1), tilt = ldc(p, 2), k = ldc(p, 3);
    const x0 = ld(x, 0, s), u = x0 / a, q = u * u - 1.0;
    let r = 0.0;
    for (let i = 1; i < d; i++) { const xi = ld(x, i, s); r += xi * xi; }
    return h * q * q + tilt * x0 + 0.5 * k * r;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const h = ldc(p, 0), a = ldc(p, 1), tilt = ldc(p, 2), k = ldc(p, 3);
    const x0 = ld(x, 0, s), u = x0 / a, q = u * u - 1.0;
    st(g, 0, s, 4.0 * h * u * q / a + tilt);
    let r = 0.0;
    for (let i = 1; i < d; i++) {
      const xi = ld(x, i, s);
      r += xi * xi;
      st(g, i, s, k * xi);
    }
    return h * q * q + tilt * x0 + 0.5 * k * r;
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    const h = ldc(p, 0), a = ldc(p, 1), k = ldc(p, 3);
    const u = ld(x, 0, s) / a;
    st(out, 0, s, 4.0 * h * (3.0 * u * u - 1.0) / (a * a) * ld(v, 0, s));
    for (let i = 1; i < d; i++) st(out, i, s, k * ld(v, i, s));
  }
}
