// Rosenbrock, n-d chained form (docs/landscapes.md, `rosenbrock`; Rosenbrock 1960):
//   f(x) = Σ_{i=0}^{d−2} [ b (x_{i+1} − x_i²)² + (a − x_i)² ]
// With t_i = x_{i+1} − x_i²:
//   ∂f/∂x_i = [i<d−1] (−4b x_i t_i − 2(a − x_i)) + [i>0] 2b t_{i−1}
//   H_ii = [i<d−1] (−4b t_i + 8b x_i² + 2) + [i>0] 2b,   H_{i,i+1} = H_{i+1,i} = −4b x_i
// so the Hessian is tridiagonal and Hv costs O(d). Parameters: a | b.

import { ld, st, ldc } from '../util/memory';

@final export class Rosenbrock {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const a = ldc(p, 0), b = ldc(p, 1);
    let f = 0.0;
    let xi = ld(x, 0, s);
    for (let i = 0; i < d - 1; i++) {
      const xn = ld(x, i + 1, s);
      const t = xn - xi * xi, u = a - xi;
      f += b * t * t + u * u;
      xi = xn;
    }
    return f;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const a = ldc(p, 0), b = ldc(p, 1);
    let f = 0.0;
    let carry = 0.0; // 2b t_{i−1}, the contribution of term i−1 to ∂f/∂x_i
    let xi = ld(x, 0, s);
    for (let i = 0; i < d - 1; i++) {
      const xn = ld(x, i + 1, s);
      const t = xn - xi * xi, u = a - xi;
      if (withValue) f += b * t * t + u * u; // the sum is the loop's only carried dependency: skip when unused
      st(g, i, s, carry - 4.0 * b * xi * t - 2.0 * u);
      carry = 2.0 * b * t;
      xi = xn;
    }
    st(g, d - 1, s, carry);
    return f;
  }

  /**
   * `pairs` pairs of particles, two at a time (lanes across particles: their coordinates are
   * adjacent in a block, x at x + j·s, the next particle 8 bytes on). Same operations and order
   * as `grad` (4.0·b and 2.0·b are the same products it forms), so each lane's bits equal the
   * scalar kernel's. Values (if wanted) go to out.
   */
  @inline grad2(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool, out: usize, pairs: i32): void {
    const a = f64x2.splat(ldc(p, 0)), b = f64x2.splat(ldc(p, 1));
    const fourB = f64x2.mul(f64x2.splat(4.0), b), twoB = f64x2.mul(f64x2.splat(2.0), b), two = f64x2.splat(2.0);
    for (let k = 0; k < pairs; k++) {
      const o = <usize>k << 4;
      let f = f64x2.splat(0.0), carry = f64x2.splat(0.0);
      let xi = v128.load(x + o);
      for (let i = 0; i < d - 1; i++) {
        const xn = v128.load(x + o + <usize>(i + 1) * s);
        const t = f64x2.sub(xn, f64x2.mul(xi, xi)), u = f64x2.sub(a, xi);
        if (withValue) f = f64x2.add(f, f64x2.add(f64x2.mul(f64x2.mul(b, t), t), f64x2.mul(u, u)));
        v128.store(g + o + <usize>i * s, f64x2.sub(f64x2.sub(carry, f64x2.mul(f64x2.mul(fourB, xi), t)), f64x2.mul(two, u)));
        carry = f64x2.mul(twoB, t);
        xi = xn;
      }
      v128.store(g + o + <usize>(d - 1) * s, carry);
      if (withValue) v128.store(out + o, f);
    }
  }

  /**
   * d = 2, for the fused kernels (run/fused.ts): `pairConst(p, k)` gives the constants grad2 forms
   * (a, 4b, 2b, 2), hoisted by the caller out of its loops, and `gradPair2(j, x₀, x₁, …)` coordinate j of one
   * pair's gradient with grad2's operations for d = 2 (carry 0 into coordinate 0), loop-free, in
   * registers (the shared t is computed once after inlining).
   */
  @inline pairConst(p: usize, k: i32): v128 {
    const b = f64x2.splat(ldc(p, 1));
    if (k == 0) return f64x2.splat(ldc(p, 0));
    if (k == 1) return f64x2.mul(f64x2.splat(4.0), b);
    if (k == 2) return f64x2.mul(f64x2.splat(2.0), b);
    return f64x2.splat(2.0);
  }

  @inline gradPair2(j: i32, x0: v128, x1: v128, a: v128, fourB: v128, twoB: v128, two: v128, c4: v128, c5: v128): v128 {
    const t = f64x2.sub(x1, f64x2.mul(x0, x0));
    if (j == 1) return f64x2.mul(twoB, t);
    return f64x2.sub(f64x2.sub(f64x2.splat(0.0), f64x2.mul(f64x2.mul(fourB, x0), t)), f64x2.mul(two, f64x2.sub(a, x0)));
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    const b = ldc(p, 1);
    let prev = 0.0; // H_{i,i−1} v_{i−1} + 2b v_i from term i−1
    let xi = ld(x, 0, s), vi = ld(v, 0, s);
    for (let i = 0; i < d - 1; i++) {
      const xn = ld(x, i + 1, s), vn = ld(v, i + 1, s);
      const hii = -4.0 * b * (xn - xi * xi) + 8.0 * b * xi * xi + 2.0;
      const hin = -4.0 * b * xi;
      st(out, i, s, prev + hii * vi + hin * vn);
      prev = hin * vi + 2.0 * b * vn;
      xi = xn; vi = vn;
    }
    st(out, d - 1, s, prev);
  }
}
