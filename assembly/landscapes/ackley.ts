// Ackley (docs/landscapes.md, `ackley`; Ackley 1987, n-d form of Bäck 1996):
//   f(x) = −a e^{−b r} − e^{C/d} + a + e,   r = √(S/d), S = Σ x_i², C = Σ cos(c x_i)
// Gradient (E₁ = ab e^{−br}/(d r), E₂ = e^{C/d}):
//   ∂f/∂x_i = E₁ x_i + (E₂ c/d) sin(c x_i)
// Hessian-vector product (κ = −ab e^{−br}(br + 1)/(d² r³), s_i = sin(c x_i)):
//   (Hv)_i = E₁ v_i + κ x_i (x·v) + (E₂ c²/d) [cos(c x_i) v_i − s_i (s·v)/d]
// At r = 0 exactly the cone term is not differentiable: its gradient contribution is taken as 0
// (a subgradient) and its Hessian terms are omitted (documented). Parameters: a | b | c.

import { ld, st, ldc } from '../util/memory';

const E: f64 = 2.718281828459045; // e, nearest double

// S = Σ x_i² and C = Σ cos(c x_i) of the last `sums` call (value and gradient share the pass).
let S: f64 = 0, C: f64 = 0;

@inline function sums(d: i32, x: usize, s: usize, c: f64): void {
  S = 0; C = 0;
  for (let i = 0; i < d; i++) {
    const xi = ld(x, i, s);
    S += xi * xi;
    C += Math.cos(c * xi);
  }
}

@final export class Ackley {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const a = ldc(p, 0), b = ldc(p, 1), c = ldc(p, 2);
    const invD = 1.0 / <f64>d;
    sums(d, x, s, c);
    return -a * Math.exp(-b * Math.sqrt(S * invD)) - Math.exp(C * invD) + a + E;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const a = ldc(p, 0), b = ldc(p, 1), c = ldc(p, 2);
    const invD = 1.0 / <f64>d;
    sums(d, x, s, c);
    const r = Math.sqrt(S * invD);
    const e1 = Math.exp(-b * r), e2 = Math.exp(C * invD);
    const E1 = r > 0.0 ? a * b * e1 * invD / r : 0.0;
    const k2 = e2 * c * invD;
    for (let i = 0; i < d; i++) {
      const xi = ld(x, i, s);
      st(g, i, s, E1 * xi + k2 * Math.sin(c * xi));
    }
    return -a * e1 - e2 + a + E;
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    const a = ldc(p, 0), b = ldc(p, 1), c = ldc(p, 2);
    const invD = 1.0 / <f64>d;
    sums(d, x, s, c);
    let xv = 0.0, sv = 0.0;
    for (let i = 0; i < d; i++) {
      const xi = ld(x, i, s), vi = ld(v, i, s);
      xv += xi * vi;
      sv += Math.sin(c * xi) * vi;
    }
    const r = Math.sqrt(S * invD);
    const e1 = Math.exp(-b * r), e2 = Math.exp(C * invD);
    let E1 = 0.0, kappa = 0.0;
    if (r > 0.0) {
      E1 = a * b * e1 * invD / r;
      kappa = -a * b * e1 * (b * r + 1.0) * invD * invD / (r * r * r);
    }
    const k2 = e2 * c * c * invD;
    const kx = kappa * xv, ks = sv * invD;
    for (let i = 0; i < d; i++) {
      const xi = ld(x, i, s), vi = ld(v, i, s);
      const t = c * xi;
      st(out, i, s, E1 * vi + kx * xi + k2 * (Math.cos(t) * vi - Math.sin(t) * ks));
    }
  }
}
