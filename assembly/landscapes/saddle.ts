// Strict saddle with optional quartic confinement (docs/landscapes.md, `saddle`):
//   f(x) = Σ_i (½ λ_i x_i² + ¼ q x_i⁴),  ∂f/∂x_i = λ_i x_i + q x_i³,  ∇²f = diag(λ_i + 3q x_i²)
// With some λ_i < 0 the origin is a strict saddle (the x² − y² family in n-d); q > 0 adds minima
// at x_i = ±√(−λ_i/q), so escape from the saddle can be followed to where it ends.
// Parameters: q | λ (d).

import { ld, st, ldc } from '../util/memory';

@final export class Saddle {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const q = ldc(p, 0);
    let f = 0.0;
    for (let i = 0; i < d; i++) {
      const xi = ld(x, i, s), x2 = xi * xi;
      f += 0.5 * ldc(p, i + 1) * x2 + 0.25 * q * x2 * x2;
    }
    return f;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const q = ldc(p, 0);
    let f = 0.0;
    for (let i = 0; i < d; i++) {
      const xi = ld(x, i, s), x2 = xi * xi, lam = ldc(p, i + 1);
      if (withValue) f += 0.5 * lam * x2 + 0.25 * q * x2 * x2;
      st(g, i, s, lam * xi + q * x2 * xi);
    }
    return f;
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    const q = ldc(p, 0);
    for (let i = 0; i < d; i++) {
      const xi = ld(x, i, s);
      st(out, i, s, (ldc(p, i + 1) + 3.0 * q * xi * xi) * ld(v, i, s));
    }
  }
}
