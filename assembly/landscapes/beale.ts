// Beale (docs/landscapes.md, `beale`; Beale 1958), d = 2:
//   f = t₁² + t₂² + t₃²,  t_k = c_k − x + x yᵏ,  c = (1.5, 2.25, 2.625)
// With p_k = ∂t_k/∂x = yᵏ − 1 and q_k = ∂t_k/∂y = k x yᵏ⁻¹:
//   ∇f = 2 Σ t_k (p_k, q_k)
//   ∇²f = 2 Σ [ (p_k, q_k)(p_k, q_k)ᵀ + t_k ∇²t_k ],  ∇²t_k = [[0, k yᵏ⁻¹], [k yᵏ⁻¹, k(k−1) x yᵏ⁻²]]
// No parameters.

import { ld, st } from '../util/memory';

@final export class Beale {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const X = ld(x, 0, s), Y = ld(x, 1, s);
    const y2 = Y * Y, y3 = y2 * Y;
    const t1 = 1.5 - X + X * Y, t2 = 2.25 - X + X * y2, t3 = 2.625 - X + X * y3;
    return t1 * t1 + t2 * t2 + t3 * t3;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const X = ld(x, 0, s), Y = ld(x, 1, s);
    const y2 = Y * Y, y3 = y2 * Y;
    const t1 = 1.5 - X + X * Y, t2 = 2.25 - X + X * y2, t3 = 2.625 - X + X * y3;
    st(g, 0, s, 2.0 * (t1 * (Y - 1.0) + t2 * (y2 - 1.0) + t3 * (y3 - 1.0)));
    st(g, 1, s, 2.0 * (t1 * X + t2 * 2.0 * X * Y + t3 * 3.0 * X * y2));
    return t1 * t1 + t2 * t2 + t3 * t3;
  }

  /**
   * For the fused kernels (run/fused.ts): coordinate j of one pair's gradient in registers, with
   * \`grad\`'s operations in its order (each lane equals the scalar kernel bit for bit). No
   * parameters: \`pairConst\` gives nothing the caller needs to hoist.
   */
  @inline pairConst(p: usize, k: i32): v128 { return f64x2.splat(0.0); }

  @inline gradPair2(j: i32, X: v128, Y: v128, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128, c5: v128): v128 {
    const y2 = f64x2.mul(Y, Y), y3 = f64x2.mul(y2, Y);
    const t1 = f64x2.add(f64x2.sub(f64x2.splat(1.5), X), f64x2.mul(X, Y));
    const t2 = f64x2.add(f64x2.sub(f64x2.splat(2.25), X), f64x2.mul(X, y2));
    const t3 = f64x2.add(f64x2.sub(f64x2.splat(2.625), X), f64x2.mul(X, y3));
    const one = f64x2.splat(1.0), two = f64x2.splat(2.0);
    if (j == 0) {
      const s12 = f64x2.add(f64x2.mul(t1, f64x2.sub(Y, one)), f64x2.mul(t2, f64x2.sub(y2, one)));
      return f64x2.mul(two, f64x2.add(s12, f64x2.mul(t3, f64x2.sub(y3, one))));
    }
    const a = f64x2.mul(t1, X);
    const b = f64x2.mul(f64x2.mul(f64x2.mul(t2, two), X), Y);
    const c = f64x2.mul(f64x2.mul(f64x2.mul(t3, f64x2.splat(3.0)), X), y2);
    return f64x2.mul(two, f64x2.add(f64x2.add(a, b), c));
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    const X = ld(x, 0, s), Y = ld(x, 1, s);
    const y2 = Y * Y, y3 = y2 * Y;
    const t2 = 2.25 - X + X * y2, t3 = 2.625 - X + X * y3, t1 = 1.5 - X + X * Y;
    const p1 = Y - 1.0, p2 = y2 - 1.0, p3 = y3 - 1.0;
    const q1 = X, q2 = 2.0 * X * Y, q3 = 3.0 * X * y2;
    const hxx = 2.0 * (p1 * p1 + p2 * p2 + p3 * p3);
    const hxy = 2.0 * (p1 * q1 + p2 * q2 + p3 * q3 + t1 + t2 * 2.0 * Y + t3 * 3.0 * y2);
    const hyy = 2.0 * (q1 * q1 + q2 * q2 + q3 * q3 + t2 * 2.0 * X + t3 * 6.0 * X * Y);
    const vx = ld(v, 0, s), vy = ld(v, 1, s);
    st(out, 0, s, hxx * vx + hxy * vy);
    st(out, 1, s, hxy * vx + hyy * vy);
  }
}
