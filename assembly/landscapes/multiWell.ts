// Gaussian wells (docs/landscapes.md, `multiWell`): minima whose depth and width are set one by
// one, for sharp-versus-flat-minimum studies.
//   f(x) = −Σ_k D_k e_k + ½ κ ‖x‖²,   e_k = exp(−‖δ_k‖² / (2w_k²)),  δ_k = x − c_k
//   ∇f = Σ_k (D_k e_k / w_k²) δ_k + κ x
//   Hv = Σ_k (D_k e_k / w_k²) [v − δ_k (δ_k·v) / w_k²] + κ v
// Near an isolated well the curvature is D_k / w_k² (+ κ).
// Parameters: K | κ | centres (K×d) | depths (K) | widths (K).

import { ld, st, ldc } from '../util/memory';

@final export class MultiWell {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const K = <i32>ldc(p, 0), kappa = ldc(p, 1);
    const cs = p + 16, ds = cs + (<usize>(K * d) << 3), ws = ds + (<usize>K << 3);
    let f = 0.0, r = 0.0;
    for (let i = 0; i < d; i++) { const xi = ld(x, i, s); r += xi * xi; }
    for (let k = 0; k < K; k++) {
      const c = cs + (<usize>(k * d) << 3);
      let q = 0.0;
      for (let i = 0; i < d; i++) { const t = ld(x, i, s) - ldc(c, i); q += t * t; }
      const wk = ldc(ws, k);
      f -= ldc(ds, k) * Math.exp(-q / (2.0 * wk * wk));
    }
    return f + 0.5 * kappa * r;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const K = <i32>ldc(p, 0), kappa = ldc(p, 1);
    const cs = p + 16, ds = cs + (<usize>(K * d) << 3), ws = ds + (<usize>K << 3);
    let f = 0.0, r = 0.0;
    for (let i = 0; i < d; i++) {
      const xi = ld(x, i, s);
      r += xi * xi;
      st(g, i, s, kappa * xi);
    }
    for (let k = 0; k < K; k++) {
      const c = cs + (<usize>(k * d) << 3);
      let q = 0.0;
      for (let i = 0; i < d; i++) { const t = ld(x, i, s) - ldc(c, i); q += t * t; }
      const wk = ldc(ws, k), w2 = wk * wk;
      const e = ldc(ds, k) * Math.exp(-q / (2.0 * w2));
      f -= e;
      const coef = e / w2;
      for (let i = 0; i < d; i++) st(g, i, s, ld(g, i, s) + coef * (ld(x, i, s) - ldc(c, i)));
    }
    return f + 0.5 * kappa * r;
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    const K = <i32>ldc(p, 0), kappa = ldc(p, 1);
    const cs = p + 16, ds = cs + (<usize>(K * d) << 3), ws = ds + (<usize>K << 3);
    for (let i = 0; i < d; i++) st(out, i, s, kappa * ld(v, i, s));
    for (let k = 0; k < K; k++) {
      const c = cs + (<usize>(k * d) << 3);
      let q = 0.0, dv = 0.0;
      for (let i = 0; i < d; i++) {
        const t = ld(x, i, s) - ldc(c, i);
        q += t * t;
        dv += t * ld(v, i, s);
      }
      const wk = ldc(ws, k), w2 = wk * wk;
      const coef = ldc(ds, k) * Math.exp(-q / (2.0 * w2)) / w2;
      const proj = dv / w2;
      for (let i = 0; i < d; i++) {
        st(out, i, s, ld(out, i, s) + coef * (ld(v, i, s) - (ld(x, i, s) - ldc(c, i)) * proj));
      }
    }
  }
}
