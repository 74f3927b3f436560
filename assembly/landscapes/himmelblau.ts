// Himmelblau (docs/landscapes.md, `himmelblau`; Himmelblau 1972), d = 2:
//   f = u² + w²,  u = x² + y − 11,  w = x + y² − 7
//   ∇f = (4xu + 2w, 2u + 4yw)
//   ∇²f = [[4u + 8x² + 2, 4x + 4y], [4x + 4y, 4w + 8y² + 2]]
// No parameters.

import { ld, st } from '../util/memory';

@final export class Himmelblau {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const X = ld(x, 0, s), Y = ld(x, 1, s);
    const u = X * X + Y - 11.0, v = X + Y * Y - 7.0;
    return u * u + v * v;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const X = ld(x, 0, s), Y = ld(x, 1, s);
    const u = X * X + Y - 11.0, v = X + Y * Y - 7.0;
    st(g, 0, s, 4.0 * X * u + 2.0 * v);
    st(g, 1, s, 2.0 * u + 4.0 * Y * v);
    return u * u + v * v;
  }

  /**
   * For the fused kernels (run/fused.ts): coordinate j of one pair's gradient in registers, with
   * \`grad\`'s operations in its order (each lane equals the scalar kernel bit for bit). No
   * parameters: \`pairConst\` gives nothing the caller needs to hoist.
   */
  @inline pairConst(p: usize, k: i32): v128 { return f64x2.splat(0.0); }

  @inline gradPair2(j: i32, X: v128, Y: v128, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128): v128 {
    const u = f64x2.sub(f64x2.add(f64x2.mul(X, X), Y), f64x2.splat(11.0)), v = f64x2.sub(f64x2.add(X, f64x2.mul(Y, Y)), f64x2.splat(7.0));
    if (j == 0) return f64x2.add(f64x2.mul(f64x2.mul(f64x2.splat(4.0), X), u), f64x2.mul(f64x2.splat(2.0), v));
    return f64x2.add(f64x2.mul(f64x2.splat(2.0), u), f64x2.mul(f64x2.mul(f64x2.splat(4.0), Y), v));
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    const X = ld(x, 0, s), Y = ld(x, 1, s);
    const u = X * X + Y - 11.0, q = X + Y * Y - 7.0;
    const hxx = 4.0 * u + 8.0 * X * X + 2.0;
    const hxy = 4.0 * (X + Y);
    const hyy = 4.0 * q + 8.0 * Y * Y + 2.0;
    const vx = ld(v, 0, s), vy = ld(v, 1, s);
    st(out, 0, s, hxx * vx + hxy * vy);
    st(out, 1, s, hxy * vx + hyy * vy);
  }
}
