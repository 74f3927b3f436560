// Six-hump camel (docs/landscapes.md, `sixHumpCamel`; Dixon & Szegő 1978), d = 2:
//   f = (4 − 2.1x² + x⁴/3) x² + xy + (−4 + 4y²) y²
//   ∇f = (8x − 8.4x³ + 2x⁵ + y, x − 8y + 16y³)
//   ∇²f = [[8 − 25.2x² + 10x⁴, 1], [1, −8 + 48y²]]
// No parameters.

import { ld, st } from '../util/memory';

@final export class SixHumpCamel {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const X = ld(x, 0, s), Y = ld(x, 1, s);
    const x2 = X * X, y2 = Y * Y;
    return (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + X * Y + (-4.0 + 4.0 * y2) * y2;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const X = ld(x, 0, s), Y = ld(x, 1, s);
    const x2 = X * X, y2 = Y * Y;
    st(g, 0, s, 8.0 * X - 8.4 * x2 * X + 2.0 * x2 * x2 * X + Y);
    st(g, 1, s, X - 8.0 * Y + 16.0 * y2 * Y);
    return (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + X * Y + (-4.0 + 4.0 * y2) * y2;
  }

  /**
   * For the fused kernels (run/fused.ts): coordinate j of one pair's gradient in registers, with
   * \`grad\`'s operations in its order (each lane equals the scalar kernel bit for bit). No
   * parameters: \`pairConst\` gives nothing the caller needs to hoist.
   */
  @inline pairConst(p: usize, k: i32): v128 { return f64x2.splat(0.0); }

  @inline gradPair2(j: i32, X: v128, Y: v128, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128): v128 {
    if (j == 0) {
      const x2 = f64x2.mul(X, X);
      const a = f64x2.mul(f64x2.splat(8.0), X);
      const b = f64x2.mul(f64x2.mul(f64x2.splat(8.4), x2), X);
      const c = f64x2.mul(f64x2.mul(f64x2.mul(f64x2.splat(2.0), x2), x2), X);
      return f64x2.add(f64x2.add(f64x2.sub(a, b), c), Y);
    }
    const y2 = f64x2.mul(Y, Y);
    return f64x2.add(f64x2.sub(X, f64x2.mul(f64x2.splat(8.0), Y)), f64x2.mul(f64x2.mul(f64x2.splat(16.0), y2), Y));
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    const X = ld(x, 0, s), Y = ld(x, 1, s);
    const x2 = X * X;
    const hxx = 8.0 - 25.2 * x2 + 10.0 * x2 * x2;
    const hyy = -8.0 + 48.0 * Y * Y;
    const vx = ld(v, 0, s), vy = ld(v, 1, s);
    st(out, 0, s, hxx * vx + vy);
    st(out, 1, s, vx + hyy * vy);
  }
}
