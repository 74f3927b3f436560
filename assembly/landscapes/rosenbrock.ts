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
