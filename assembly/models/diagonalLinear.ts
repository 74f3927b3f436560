// Diagonal linear network (the sparse-recovery model of Woodworth et al. 2020 and of label-noise
// SGD's implicit bias): θ = (u, v) ∈ ℝᵐ × ℝᵐ, w = u⊙u − v⊙v, f(x) = xᵀw, ℓ = (f − y)².
//   r = f − y,  ∂ℓ/∂u = 2r x⊙2u,  ∂ℓ/∂v = −2r x⊙2v
// Directional derivatives along (a, b): R{w} = 2u⊙a − 2v⊙b, R{f} = xᵀR{w}, and
//   (Hv)_u = 2R{f} x⊙2u + 2r x⊙2a,  (Hv)_v = −2R{f} x⊙2v − 2r x⊙2b
//   (Gv)_u = 2R{f} x⊙2u,            (Gv)_v = −2R{f} x⊙2v       (Gauss–Newton: r-terms dropped)
// Scratch: w (m), R{w} (m). `prepare` computes w once per θ.

import { M, ldi } from './layout';
import { dot } from './vec';

@final export class DiagonalLinear {
  @inline prepare(p: usize, th: usize, w: usize): void {
    const m = ldi(p, M);
    const v = th + (<usize>m << 3);
    for (let j = 0; j < m; j++) {
      const o = <usize>j << 3;
      const uj = load<f64>(th + o), vj = load<f64>(v + o);
      store<f64>(w + o, uj * uj - vj * vj);
    }
  }

  @inline loss(p: usize, th: usize, i: i32, x: usize, y: usize, w: usize): f64 {
    const r = dot(x, w, ldi(p, M)) - load<f64>(y);
    return r * r;
  }

  @inline grad(p: usize, th: usize, i: i32, x: usize, y: usize, c: f64, g: usize, w: usize): f64 {
    const m = ldi(p, M);
    const r = dot(x, w, m) - load<f64>(y);
    const s = 4.0 * c * r;
    const v = th + (<usize>m << 3), gv = g + (<usize>m << 3);
    for (let j = 0; j < m; j++) {
      const o = <usize>j << 3;
      const xs = s * load<f64>(x + o);
      store<f64>(g + o, load<f64>(g + o) + xs * load<f64>(th + o));
      store<f64>(gv + o, load<f64>(gv + o) - xs * load<f64>(v + o));
    }
    return r * r;
  }

  @inline hvp(p: usize, th: usize, dv: usize, i: i32, x: usize, y: usize, c: f64, hv: usize, w: usize): void {
    this.products(p, th, dv, x, y, c, hv, w, true);
  }

  @inline ggnvp(p: usize, th: usize, dv: usize, i: i32, x: usize, y: usize, c: f64, out: usize, w: usize): void {
    this.products(p, th, dv, x, y, c, out, w, false);
  }

  @inline products(p: usize, th: usize, dv: usize, x: usize, y: usize, c: f64, out: usize, w: usize, full: bool): void {
    const m = ldi(p, M);
    const rw = w + (<usize>m << 3);
    const v = th + (<usize>m << 3), a = dv, b = dv + (<usize>m << 3), ov = out + (<usize>m << 3);
    for (let j = 0; j < m; j++) {
      const o = <usize>j << 3;
      store<f64>(rw + o, 2.0 * (load<f64>(th + o) * load<f64>(a + o) - load<f64>(v + o) * load<f64>(b + o)));
    }
    const rf = dot(x, rw, m);
    const r = full ? dot(x, w, m) - load<f64>(y) : 0.0;
    const s1 = 4.0 * c * rf, s2 = 4.0 * c * r;
    for (let j = 0; j < m; j++) {
      const o = <usize>j << 3;
      const xj = load<f64>(x + o);
      store<f64>(out + o, load<f64>(out + o) + xj * (s1 * load<f64>(th + o) + s2 * load<f64>(a + o)));
      store<f64>(ov + o, load<f64>(ov + o) - xj * (s1 * load<f64>(v + o) + s2 * load<f64>(b + o)));
    }
  }
}
