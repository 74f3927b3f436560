// Müller–Brown potential (docs/landscapes.md, `mullerBrown`; Müller & Brown 1979), d = 2:
//   f = Σ_{k=1}^{4} A_k e^{q_k},  q_k = a_k Δx² + b_k Δx Δy + c_k Δy²,  (Δx, Δy) = (x − x⁰_k, y − y⁰_k)
//   ∇f = Σ A_k e^{q_k} ∇q_k,  ∇q_k = (2a_k Δx + b_k Δy, b_k Δx + 2c_k Δy)
//   ∇²f = Σ A_k e^{q_k} (∇q_k ∇q_kᵀ + [[2a_k, b_k], [b_k, 2c_k]])
// The constants are the published ones; no parameters.

import { ld, st } from '../util/memory';

// Accumulators for one evaluation: the four terms are added in a fixed order.
let F: f64 = 0, GX: f64 = 0, GY: f64 = 0, HXX: f64 = 0, HXY: f64 = 0, HYY: f64 = 0;

@inline function term(X: f64, Y: f64, A: f64, a: f64, b: f64, c: f64, x0: f64, y0: f64): void {
  const dx = X - x0, dy = Y - y0;
  const e = A * Math.exp(a * dx * dx + b * dx * dy + c * dy * dy);
  const qx = 2.0 * a * dx + b * dy, qy = b * dx + 2.0 * c * dy;
  F += e;
  GX += e * qx;
  GY += e * qy;
  HXX += e * (qx * qx + 2.0 * a);
  HXY += e * (qx * qy + b);
  HYY += e * (qy * qy + 2.0 * c);
}

@inline function evaluate(X: f64, Y: f64): void {
  F = 0; GX = 0; GY = 0; HXX = 0; HXY = 0; HYY = 0;
  term(X, Y, -200.0, -1.0, 0.0, -10.0, 1.0, 0.0);
  term(X, Y, -100.0, -1.0, 0.0, -10.0, 0.0, 0.5);
  term(X, Y, -170.0, -6.5, 11.0, -6.5, -0.5, 1.5);
  term(X, Y, 15.0, 0.7, 0.6, 0.7, -1.0, 1.0);
}

@final export class MullerBrown {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    evaluate(ld(x, 0, s), ld(x, 1, s));
    return F;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    evaluate(ld(x, 0, s), ld(x, 1, s));
    st(g, 0, s, GX);
    st(g, 1, s, GY);
    return F;
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    evaluate(ld(x, 0, s), ld(x, 1, s));
    const vx = ld(v, 0, s), vy = ld(v, 1, s);
    st(out, 0, s, HXX * vx + HXY * vy);
    st(out, 1, s, HXY * vx + HYY * vy);
  }
}
