// Rastrigin (docs/landscapes.md, `rastrigin`; Rastrigin 1974, n-d form of Mühlenbein et al.):
//   f(x) = A d + Σ_i [ x_i² − A cos(2π x_i) ]
//   ∂f/∂x_i = 2x_i + 2πA sin(2π x_i),   ∇²f = diag(2 + 4π²A cos(2π x_i))
// Parameters: A.

import { ld, st, ldc } from '../util/memory';

const TWO_PI: f64 = 6.283185307179586; // 2π, nearest double

@final export class Rastrigin {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const A = ldc(p, 0);
    let f = A * <f64>d;
    for (let i = 0; i < d; i++) {
      const xi = ld(x, i, s);
      f += xi * xi - A * Math.cos(TWO_PI * xi);
    }
    return f;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const A = ldc(p, 0);
    const k = TWO_PI * A;
    let f = A * <f64>d;
    for (let i = 0; i < d; i++) {
      const xi = ld(x, i, s);
      const t = TWO_PI * xi;
      if (withValue) f += xi * xi - A * Math.cos(t); // constant after inlining: no cos when only ∇f is wanted
      st(g, i, s, 2.0 * xi + k * Math.sin(t));
    }
    return f;
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    const k = TWO_PI * TWO_PI * ldc(p, 0);
    for (let i = 0; i < d; i++) {
      st(out, i, s, (2.0 + k * Math.cos(TWO_PI * ld(x, i, s))) * ld(v, i, s));
    }
  }
}
