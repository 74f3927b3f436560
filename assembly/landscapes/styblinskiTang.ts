// Styblinski–Tang (docs/landscapes.md, `styblinskiTang`; Styblinski & Tang 1990):
//   f(x) = ½ Σ_i (x_i⁴ − 16 x_i² + 5 x_i)
//   ∂f/∂x_i = 2x_i³ − 16x_i + 2.5,   ∇²f = diag(6x_i² − 16)
// No parameters.

import { ld, st } from '../util/memory';

@final export class StyblinskiTang {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    let f = 0.0;
    for (let i = 0; i < d; i++) {
      const xi = ld(x, i, s), x2 = xi * xi;
      f += x2 * x2 - 16.0 * x2 + 5.0 * xi;
    }
    return 0.5 * f;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    let f = 0.0;
    for (let i = 0; i < d; i++) {
      const xi = ld(x, i, s), x2 = xi * xi;
      if (withValue) f += x2 * x2 - 16.0 * x2 + 5.0 * xi;
      st(g, i, s, 2.0 * x2 * xi - 16.0 * xi + 2.5);
    }
    return 0.5 * f;
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    for (let i = 0; i < d; i++) {
      const xi = ld(x, i, s);
      st(out, i, s, (6.0 * xi * xi - 16.0) * ld(v, i, s));
    }
  }
}
