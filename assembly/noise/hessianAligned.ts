// Hessian-aligned noise, covariance σ²·H(x): the classic model of SGD noise near a minimum
// (e.g. Zhu et al. 2019; Jastrzębski et al. 2017), where the gradient covariance is close to
// the Hessian. For one point x (contiguous):
//   H = ∇²f(x)                      dense, from d exact HVPs (landscapeHessian)
//   H = L D Lᵀ                      LDLᵀ (Golub & Van Loan §4.1.2), unit lower-triangular L
//   ξ = σ L (√D ⊙ z),  z ~ N(0, I) (Box–Muller, stream NOISE: the same draws as Gaussian noise)
// so Cov ξ = σ² L D Lᵀ = σ² H when H is positive semi-definite. Where a pivot D_j ≤ 0 (H not
// PSD, e.g. near a saddle) it is set to 0 and column j of L to e_j — a PSD modification of H,
// documented in the noise factory. Cost O(d³) per particle and step: for small d.

import { landscapeHessian } from '../landscapes/dispatch';
import * as D from '../run/descriptor';
import { u, i, key } from '../run/descriptor';
import { learningRate } from '../schedules';
import { fillNormal } from '../random/normal';
import { NOISE } from '../random/streams';

@inline function ld(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
@inline function st(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }

/** Doubles of scratch `hessianNoise` needs for dimension d. */
export function hessianNoiseScratch(d: i32): i32 { return 2 * d * d + 4 * d; }

/**
 * ξ for the contiguous point xc into out (d), given the normals z (d) and scale σ·m_t.
 * Landscape (kind, p, lw scratch); `work`: hessianNoiseScratch(d) doubles.
 */
export function hessianNoise(kind: i32, p: usize, d: i32, lw: usize, xc: usize, z: usize, scale: f64, out: usize, work: usize): void {
  const H = work, L = H + (<usize>(d * d) << 3), D = L + (<usize>(d * d) << 3);
  const e = D + (<usize>d << 3), col = e + (<usize>d << 3);
  landscapeHessian(kind, p, d, xc, lw, e, col, H);
  for (let j = 0; j < d; j++) {
    let dj = ld(H, j * d + j);
    for (let k = 0; k < j; k++) dj -= ld(L, j * d + k) * ld(L, j * d + k) * ld(D, k);
    const ok = dj > 0.0;
    st(D, j, ok ? dj : 0.0);
    st(L, j * d + j, 1.0);
    for (let i = j + 1; i < d; i++) {
      let v = 0.0;
      if (ok) {
        v = ld(H, i * d + j);
        for (let k = 0; k < j; k++) v -= ld(L, i * d + k) * ld(L, j * d + k) * ld(D, k);
        v /= dj;
      }
      st(L, i * d + j, v);
    }
    for (let i = 0; i < j; i++) st(L, i * d + j, 0.0);
  }
  for (let i = 0; i < d; i++) {
    let acc = 0.0;
    for (let k = 0; k <= i; k++) acc += ld(L, i * d + k) * Math.sqrt(ld(D, k)) * ld(z, k);
    st(out, i, scale * acc);
  }
}

/** Add Hessian-aligned noise to each lane's gradient, at x_t. */
export function hessianBlock(desc: usize, b: i32, t: i32, x: usize, g: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B);
  const nsk = i(desc, D.NSK);
  const scale = load<f64>(u(desc, D.NQ)) * (nsk < 0 ? 1.0 : learningRate(nsk, u(desc, D.NSQ), t));
  const work = u(desc, D.HNW);
  const xc = work + (<usize>hessianNoiseScratch(d) << 3), z = xc + (<usize>d << 3), xi = z + (<usize>d << 3);
  const row = <usize>B << 3;
  for (let k = 0; k < B; k++) {
    for (let j = 0; j < d; j++) store<f64>(xc + (<usize>j << 3), load<f64>(x + <usize>j * row + (<usize>k << 3)));
    fillNormal(key(desc, D.K0), key(desc, D.K1), NOISE, <u32>(D.firstParticle(desc, b) + k), <u32>t, 0, d, z);
    hessianNoise(i(desc, D.LK), u(desc, D.LP), d, u(desc, D.LW), xc, z, scale, xi, work);
    for (let j = 0; j < d; j++) {
      const a = g + <usize>j * row + (<usize>k << 3);
      store<f64>(a, load<f64>(a) + load<f64>(xi + (<usize>j << 3)));
    }
  }
}
