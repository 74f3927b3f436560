// Monkey saddle (docs/landscapes.md, `monkeySaddle`), d = 2: a degenerate saddle at 0, where the
// Hessian vanishes, so second-order methods see nothing there.
//   f = x³ − 3xy²,  ∇f = (3x² − 3y², −6xy),  ∇²f = [[6x, −6y], [−6y, −6x]]
// No parameters.

import { ld, st } from '../util/memory';

@final export class MonkeySaddle {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const X = ld(x, 0, s), Y = ld(x, 1, s);
    return X * X * X - 3.0 * X * Y * Y;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const X = ld(x, 0, s), Y = ld(x, 1, s);
    st(g, 0, s, 3.0 * (X * X - Y * Y));
    st(g, 1, s, -6.0 * X * Y);
    return X * X * X - 3.0 * X * Y * Y;
  }

  /**
   * For the fused kernels (run/fused.ts): coordinate j of one pair's gradient in registers, with
   * \`grad\`'s operations in its order (each lane equals the scalar kernel bit for bit). No
   * parameters: \`pairConst\` gives nothing the caller needs to hoist.
   */
  @inline pairConst(p: usize, k: i32): v128 { return f64x2.splat(0.0); }

  @inline gradPair2(j: i32, X: v128, Y: v128, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128): v128 {
    if (j == 0) return f64x2.mul(f64x2.splat(3.0), f64x2.sub(f64x2.mul(X, X), f64x2.mul(Y, Y)));
    return f64x2.mul(f64x2.mul(f64x2.splat(-6.0), X), Y);
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    const X = ld(x, 0, s), Y = ld(x, 1, s);
    const vx = ld(v, 0, s), vy = ld(v, 1, s);
    st(out, 0, s, 6.0 * (X * vx - Y * vy));
    st(out, 1, s, -6.0 * (Y * vx + X * vy));
  }
}
