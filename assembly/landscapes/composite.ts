// Composite landscapes: weighted sums (sum, scale, finiteSum) and shifts of any landscapes,
// with exact derivatives by linearity and the chain rule:
//   SUM    f = Σ_k w_k f_k,   ∇f = Σ_k w_k ∇f_k,   Hv = Σ_k w_k H_k v
//   SHIFT  f(x) = h(x − o),   ∇f(x) = ∇h(x − o),   Hv = H_h(x − o) v
// Each point is copied to contiguous scratch and its children are evaluated there one by one
// (children may be composites: the dispatcher recurses), so any caller layout works.
// Parameters:
//   SUM    K | then per child: kind, offset of its parameters (doubles from p), weight | child blocks
//   SHIFT  child kind | o (d) | child parameters
// Scratch: x copy (d) | v copy (d) | child result (d) | child value (1) | the children's scratch.

import { landscapeValue, landscapeGrad, landscapeHvp } from './dispatch';
import { SUM } from './kinds';

@inline function ldc(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }

/** Scratch doubles a composite needs beyond its children's (which share what follows). */
export function compositeScratch(d: i32): i32 { return 3 * d + 1; }

/** f at n points (see dispatch.ts for the layout). */
export function compositeValue(kind: i32, p: usize, d: i32, n: i32, x: usize, sp: usize, sc: usize, w: usize, out: usize): void {
  const xc = w, fv = w + (<usize>(3 * d) << 3), cw = fv + 8;
  for (let i = 0; i < n; i++) {
    const xi = x + <usize>i * sp;
    for (let j = 0; j < d; j++) store<f64>(xc + (<usize>j << 3), load<f64>(xi + <usize>j * sc));
    let f = 0.0;
    if (kind == SUM) {
      const K = <i32>ldc(p, 0);
      for (let k = 0; k < K; k++) {
        const h = p + (<usize>(1 + 3 * k) << 3);
        landscapeValue(<i32>ldc(h, 0), p + (<usize>ldc(h, 1) << 3), d, 1, xc, 0, 8, cw, fv);
        f += ldc(h, 2) * load<f64>(fv);
      }
    } else {
      for (let j = 0; j < d; j++) store<f64>(xc + (<usize>j << 3), load<f64>(xc + (<usize>j << 3)) - ldc(p, 1 + j));
      landscapeValue(<i32>ldc(p, 0), p + (<usize>(1 + d) << 3), d, 1, xc, 0, 8, cw, fv);
      f = load<f64>(fv);
    }
    store<f64>(out + (<usize>i << 3), f);
  }
}

/** ∇f (and f into out unless 0) at n points. */
export function compositeGrad(kind: i32, p: usize, d: i32, n: i32, x: usize, sp: usize, sc: usize, g: usize, w: usize, out: usize): void {
  const xc = w, gc = w + (<usize>(2 * d) << 3), fv = w + (<usize>(3 * d) << 3), cw = fv + 8;
  for (let i = 0; i < n; i++) {
    const xi = x + <usize>i * sp, gi = g + <usize>i * sp;
    for (let j = 0; j < d; j++) store<f64>(xc + (<usize>j << 3), load<f64>(xi + <usize>j * sc));
    let f = 0.0;
    if (kind == SUM) {
      for (let j = 0; j < d; j++) store<f64>(gi + <usize>j * sc, 0.0);
      const K = <i32>ldc(p, 0);
      for (let k = 0; k < K; k++) {
        const h = p + (<usize>(1 + 3 * k) << 3);
        const wk = ldc(h, 2);
        landscapeGrad(<i32>ldc(h, 0), p + (<usize>ldc(h, 1) << 3), d, 1, xc, 0, 8, gc, cw, out != 0 ? fv : 0);
        if (out != 0) f += wk * load<f64>(fv);
        for (let j = 0; j < d; j++) {
          const a = gi + <usize>j * sc;
          store<f64>(a, load<f64>(a) + wk * load<f64>(gc + (<usize>j << 3)));
        }
      }
    } else {
      for (let j = 0; j < d; j++) store<f64>(xc + (<usize>j << 3), load<f64>(xc + (<usize>j << 3)) - ldc(p, 1 + j));
      landscapeGrad(<i32>ldc(p, 0), p + (<usize>(1 + d) << 3), d, 1, xc, 0, 8, gc, cw, out != 0 ? fv : 0);
      for (let j = 0; j < d; j++) store<f64>(gi + <usize>j * sc, load<f64>(gc + (<usize>j << 3)));
      f = load<f64>(fv);
    }
    if (out != 0) store<f64>(out + (<usize>i << 3), f);
  }
}

/** ∇²f(x_i)·v_i at n points. */
export function compositeHvp(kind: i32, p: usize, d: i32, n: i32, x: usize, sp: usize, sc: usize, v: usize, hv: usize, w: usize): void {
  const xc = w, vc = w + (<usize>d << 3), hc = w + (<usize>(2 * d) << 3), cw = w + (<usize>(3 * d + 1) << 3);
  for (let i = 0; i < n; i++) {
    const o = <usize>i * sp;
    for (let j = 0; j < d; j++) {
      store<f64>(xc + (<usize>j << 3), load<f64>(x + o + <usize>j * sc));
      store<f64>(vc + (<usize>j << 3), load<f64>(v + o + <usize>j * sc));
    }
    if (kind == SUM) {
      for (let j = 0; j < d; j++) store<f64>(hv + o + <usize>j * sc, 0.0);
      const K = <i32>ldc(p, 0);
      for (let k = 0; k < K; k++) {
        const h = p + (<usize>(1 + 3 * k) << 3);
        const wk = ldc(h, 2);
        landscapeHvp(<i32>ldc(h, 0), p + (<usize>ldc(h, 1) << 3), d, 1, xc, 0, 8, vc, hc, cw);
        for (let j = 0; j < d; j++) {
          const a = hv + o + <usize>j * sc;
          store<f64>(a, load<f64>(a) + wk * load<f64>(hc + (<usize>j << 3)));
        }
      }
    } else {
      for (let j = 0; j < d; j++) store<f64>(xc + (<usize>j << 3), load<f64>(xc + (<usize>j << 3)) - ldc(p, 1 + j));
      landscapeHvp(<i32>ldc(p, 0), p + (<usize>(1 + d) << 3), d, 1, xc, 0, 8, vc, hc, cw);
      for (let j = 0; j < d; j++) store<f64>(hv + o + <usize>j * sc, load<f64>(hc + (<usize>j << 3)));
    }
  }
}

/**
 * The minibatch gradient of a SUM at one contiguous point xc: ĝ = (K/b) Σ_{k ∈ batch} w_k ∇f_k,
 * an unbiased estimate of ∇f under uniform sampling. `idx` holds the b component indices.
 * Written contiguously to g; scratch as for compositeGrad.
 */
export function sumBatchGrad(p: usize, d: i32, xc: usize, g: usize, idx: usize, b: i32, w: usize): void {
  const K = <i32>ldc(p, 0);
  const gc = w + (<usize>(2 * d) << 3), cw = w + (<usize>(3 * d + 1) << 3);
  for (let j = 0; j < d; j++) store<f64>(g + (<usize>j << 3), 0.0);
  const scale = <f64>K / <f64>b;
  for (let m = 0; m < b; m++) {
    const k = load<i32>(idx + (<usize>m << 2));
    const h = p + (<usize>(1 + 3 * k) << 3);
    landscapeGrad(<i32>ldc(h, 0), p + (<usize>ldc(h, 1) << 3), d, 1, xc, 0, 8, gc, cw, 0);
    const c = scale * ldc(h, 2);
    for (let j = 0; j < d; j++) store<f64>(g + (<usize>j << 3), load<f64>(g + (<usize>j << 3)) + c * load<f64>(gc + (<usize>j << 3)));
  }
}
