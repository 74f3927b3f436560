// Negative log-density of a Gaussian mixture (docs/landscapes.md, `gaussianMixture`), the
// standard multi-modal target for samplers:
//   U(x) = −log Σ_k exp ℓ_k,  ℓ_k = log w_k − ½ d log 2π − ½ log det Σ_k − ½ δ_kᵀ P_k δ_k,
//   δ_k = x − μ_k,  P_k = Σ_k⁻¹.
// With responsibilities r_k = softmax(ℓ)_k and g_k = P_k δ_k (so ∇ℓ_k = −g_k):
//   ∇U = Σ_k r_k g_k =: ḡ
//   ∇²U = Σ_k r_k P_k − Σ_k r_k g_k g_kᵀ + ḡ ḡᵀ     (∇r_k = r_k (ḡ − g_k))
//   Hv  = Σ_k r_k (P_k v − g_k (g_k·v)) + ḡ (ḡ·v)
// The log-sum-exp subtracts max ℓ first, so no term overflows.
// Parameters: K | w (K) | μ (K×d) | Σ (K×d², row-major) | c_k = ℓ_k's constant (K) | P (K×d²);
// the last two are filled by `gaussianMixturePrepare`.
// Scratch: ℓ (K) | g (K×d) | ḡ (d) | δ (d).

import { ld, st, ldc, stc } from '../util/memory';
import { cholesky, choleskyLogDet, choleskyInverse } from '../linalg/cholesky';

const LOG_2PI: f64 = 1.8378770664093453; // log(2π), nearest double

@inline function offLogC(K: i32, d: i32): i32 { return 1 + K + K * d + K * d * d; }
@inline function offPrec(K: i32, d: i32): i32 { return 1 + 2 * K + K * d + K * d * d; }

/**
 * Fill c_k and P_k from the weights (already normalised) and covariances. `work` holds 2d² + d
 * doubles. Returns −1, or the index of the first covariance that is not positive definite.
 */
export function gaussianMixturePrepare(d: i32, p: usize, work: usize): i32 {
  const K = <i32>ldc(p, 0);
  const d2 = d * d;
  const lfac = work, tmp = work + (<usize>d2 << 3);
  for (let k = 0; k < K; k++) {
    const cov = p + (<usize>(1 + K + K * d + k * d2) << 3);
    if (!cholesky(d, cov, lfac)) return k;
    const logc = Math.log(ldc(p, 1 + k)) - 0.5 * <f64>d * LOG_2PI - 0.5 * choleskyLogDet(d, lfac);
    stc(p, offLogC(K, d) + k, logc);
    choleskyInverse(d, lfac, p + (<usize>(offPrec(K, d) + k * d2) << 3), tmp);
  }
  return -1;
}

/**
 * Evaluate ℓ_k and g_k = P_k δ_k into scratch; turn ℓ into responsibilities r_k; return U.
 */
@inline function responsibilities(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
  const K = <i32>ldc(p, 0), d2 = d * d;
  const mus = p + (<usize>(1 + K) << 3);
  const logc = p + (<usize>offLogC(K, d) << 3);
  const prec = p + (<usize>offPrec(K, d) << 3);
  const ell = w, gs = w + (<usize>K << 3), del = gs + (<usize>((K + 1) * d) << 3);
  let mx = -Infinity;
  for (let k = 0; k < K; k++) {
    const mu = mus + (<usize>(k * d) << 3);
    for (let i = 0; i < d; i++) stc(del, i, ld(x, i, s) - ldc(mu, i));
    const P = prec + (<usize>(k * d2) << 3), g = gs + (<usize>(k * d) << 3);
    let q = 0.0;
    for (let i = 0; i < d; i++) {
      const row = P + (<usize>(i * d) << 3);
      let acc = 0.0;
      for (let j = 0; j < d; j++) acc += ldc(row, j) * ldc(del, j);
      stc(g, i, acc);
      q += ldc(del, i) * acc;
    }
    const l = ldc(logc, k) - 0.5 * q;
    stc(ell, k, l);
    if (l > mx) mx = l;
  }
  let z = 0.0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(ldc(ell, k) - mx);
    stc(ell, k, e);
    z += e;
  }
  const inv = 1.0 / z;
  for (let k = 0; k < K; k++) stc(ell, k, ldc(ell, k) * inv);
  return -(mx + Math.log(z));
}

/** ḡ = Σ r_k g_k into scratch (after `responsibilities`). */
@inline function meanGradient(p: usize, d: i32, w: usize): void {
  const K = <i32>ldc(p, 0);
  const ell = w, gs = w + (<usize>K << 3), gbar = gs + (<usize>(K * d) << 3);
  for (let i = 0; i < d; i++) {
    let acc = 0.0;
    for (let k = 0; k < K; k++) acc += ldc(ell, k) * ldc(gs, k * d + i);
    stc(gbar, i, acc);
  }
}

@final export class GaussianMixture {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    return responsibilities(p, d, x, s, w);
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const u = responsibilities(p, d, x, s, w);
    meanGradient(p, d, w);
    const gbar = w + (<usize>(<i32>ldc(p, 0) * (d + 1)) << 3);
    for (let i = 0; i < d; i++) st(g, i, s, ldc(gbar, i));
    return u;
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    responsibilities(p, d, x, s, w);
    meanGradient(p, d, w);
    const K = <i32>ldc(p, 0), d2 = d * d;
    const prec = p + (<usize>offPrec(K, d) << 3);
    const ell = w, gs = w + (<usize>K << 3), gbar = gs + (<usize>(K * d) << 3);
    let gv = 0.0;
    for (let i = 0; i < d; i++) gv += ldc(gbar, i) * ld(v, i, s);
    for (let i = 0; i < d; i++) st(out, i, s, ldc(gbar, i) * gv);
    for (let k = 0; k < K; k++) {
      const r = ldc(ell, k), g = gs + (<usize>(k * d) << 3), P = prec + (<usize>(k * d2) << 3);
      let gkv = 0.0;
      for (let i = 0; i < d; i++) gkv += ldc(g, i) * ld(v, i, s);
      for (let i = 0; i < d; i++) {
        const row = P + (<usize>(i * d) << 3);
        let pv = 0.0;
        for (let j = 0; j < d; j++) pv += ldc(row, j) * ld(v, j, s);
        st(out, i, s, ld(out, i, s) + r * (pv - ldc(g, i) * gkv));
      }
    }
  }
}

/** Scratch doubles one evaluation needs: ℓ (K) + g (K·d) + ḡ (d) + δ (d). */
export function gaussianMixtureScratch(K: i32, d: i32): i32 {
  return K + K * d + 2 * d;
}
