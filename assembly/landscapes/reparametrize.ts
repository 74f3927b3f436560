// Affine reparametrisation of any landscape f: ℝⁿ → ℝ, for coordinate-dependence studies:
//   g(y) = f(Ay + b),   y ∈ ℝᵈ, A ∈ ℝⁿˣᵈ (row-major), b ∈ ℝⁿ
//   ∇g(y) = Aᵀ ∇f(Ay + b)                      (chain rule)
//   ∇²g(y) v = Aᵀ ∇²f(Ay + b) (A v)            (the chain rule twice; the affine map has no curvature)
// Exact wherever f's derivatives are (no differencing). Like the composites of composite.ts each
// point is copied to contiguous scratch and the child is evaluated there at its own dimension n
// (the child may itself be a composite or a model: the dispatcher recurses).
// Parameters: child kind | n | A (n × d) | b (n) | child parameters.
// Scratch:    y copy (d) | v copy (d) | x = Ay + b (n) | child gradient or HVP (n) | Av (n) | child value (1) | child scratch.

import { landscapeValue, landscapeGrad, landscapeHvp } from './dispatch';

@inline function ldc(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function stc(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }

/** Scratch doubles a reparametrisation of dimension d over a child of dimension n needs beyond its child's. */
export function reparametrizeScratch(d: i32, n: i32): i32 { return 2 * d + 3 * n + 1; }

/** out (n) = A·src (d) + c·b: the affine map (c = 1) or its linear part (c = 0). */
@inline function affine(p: usize, d: i32, n: i32, src: usize, out: usize, withOffset: bool): void {
  const a = p + 16, b = a + (<usize>(n * d) << 3);
  for (let i = 0; i < n; i++) {
    let s = 0.0;
    for (let j = 0; j < d; j++) s += ldc(a, i * d + j) * ldc(src, j);
    stc(out, i, withOffset ? s + ldc(b, i) : s);
  }
}

/** dst (d, stride sc) = Aᵀ·src (n). */
@inline function transposed(p: usize, d: i32, n: i32, src: usize, dst: usize, sc: usize): void {
  const a = p + 16;
  for (let j = 0; j < d; j++) {
    let s = 0.0;
    for (let i = 0; i < n; i++) s += ldc(a, i * d + j) * ldc(src, i);
    store<f64>(dst + <usize>j * sc, s);
  }
}

/** g at n points (the dispatcher's layout). */
export function reparametrizeValue(p: usize, d: i32, np: i32, x: usize, sp: usize, sc: usize, w: usize, out: usize): void {
  const n = <i32>ldc(p, 1), kind = <i32>ldc(p, 0), cp = p + (<usize>(2 + n * d + n) << 3);
  const yc = w, xc = w + (<usize>(2 * d) << 3), fv = xc + (<usize>(3 * n) << 3), cw = fv + 8;
  for (let i = 0; i < np; i++) {
    for (let j = 0; j < d; j++) stc(yc, j, load<f64>(x + <usize>i * sp + <usize>j * sc));
    affine(p, d, n, yc, xc, true);
    landscapeValue(kind, cp, n, 1, xc, 0, 8, cw, fv);
    store<f64>(out + (<usize>i << 3), load<f64>(fv));
  }
}

/** ∇g (and g into out unless 0) at n points. */
export function reparametrizeGrad(p: usize, d: i32, np: i32, x: usize, sp: usize, sc: usize, g: usize, w: usize, out: usize): void {
  const n = <i32>ldc(p, 1), kind = <i32>ldc(p, 0), cp = p + (<usize>(2 + n * d + n) << 3);
  const yc = w, xc = w + (<usize>(2 * d) << 3), gc = xc + (<usize>n << 3), fv = xc + (<usize>(3 * n) << 3), cw = fv + 8;
  for (let i = 0; i < np; i++) {
    for (let j = 0; j < d; j++) stc(yc, j, load<f64>(x + <usize>i * sp + <usize>j * sc));
    affine(p, d, n, yc, xc, true);
    landscapeGrad(kind, cp, n, 1, xc, 0, 8, gc, cw, out != 0 ? fv : 0);
    transposed(p, d, n, gc, g + <usize>i * sp, sc);
    if (out != 0) store<f64>(out + (<usize>i << 3), load<f64>(fv));
  }
}

/** ∇²g(y_i)·v_i at n points. */
export function reparametrizeHvp(p: usize, d: i32, np: i32, x: usize, sp: usize, sc: usize, v: usize, hv: usize, w: usize): void {
  const n = <i32>ldc(p, 1), kind = <i32>ldc(p, 0), cp = p + (<usize>(2 + n * d + n) << 3);
  const yc = w, vc = w + (<usize>d << 3), xc = w + (<usize>(2 * d) << 3), hc = xc + (<usize>n << 3), av = hc + (<usize>n << 3);
  const cw = xc + (<usize>(3 * n + 1) << 3);
  for (let i = 0; i < np; i++) {
    const o = <usize>i * sp;
    for (let j = 0; j < d; j++) {
      stc(yc, j, load<f64>(x + o + <usize>j * sc));
      stc(vc, j, load<f64>(v + o + <usize>j * sc));
    }
    affine(p, d, n, yc, xc, true);
    affine(p, d, n, vc, av, false);
    landscapeHvp(kind, cp, n, 1, xc, 0, 8, av, hc, cw);
    transposed(p, d, n, hc, hv + o, sc);
  }
}
