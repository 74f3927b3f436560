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
// Scratch: see `evaluate` below.

import { ld, st, ldc, stc } from '../util/memory';
import { cholesky, choleskyLogDet, choleskyInverse } from '../linalg/cholesky';
import { expNonPositive } from '../util/expv';

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

// Every evaluation runs on two lanes (f64x2): two particles of a structure-of-arrays block
// (`grad2`), or one point splatted to both lanes (`value`, `grad`, `hvp`, which read lane 0).
// The lanes see the same operations in the same order, so a particle's bits do not depend on
// which path evaluated it. exp is the branch-free f64x2 fdlibm exp (util/expv.ts, < 1 ulp; its
// argument ℓ_k − max ℓ is ≤ 0); log (values only) is AssemblyScript's, per lane.
// Scratch (16 bytes per entry): r (K) | g (K×d) | ḡ (d) | δ (d).

/** Coordinate i of the point(s): two adjacent particles, or one point on both lanes. */
@inline function coord(x: usize, i: i32, s: usize, pair: bool): v128 {
  return pair ? v128.load(x + <usize>i * s) : v128.load64_splat(x + <usize>i * s);
}

// max ℓ of the last `softmax` call (only computed where needed: see there).
let MX: v128 = f64x2.splat(0.0);

/**
 * ℓ_k (in r, 16 bytes each) → responsibilities r_k = e_k / z with e_k = exp(ℓ_k − max ℓ) and
 * z = Σ e_k; returns z, and leaves max ℓ in MX. With K = 2 one exp suffices: the larger ℓ's term
 * is e⁰ = 1 exactly and the other is exp(−|ℓ₀ − ℓ₁|) (= exp(ℓ_min − max ℓ) exactly: subtraction
 * is antisymmetric), so the result is the loop's, bit for bit, for every ℓ not both −∞; and
 * max ℓ is then needed (and computed) only if `withValue`.
 */
@inline function softmax(r: usize, K: i32, withValue: bool): v128 {
  let z: v128;
  if (K == 2) {
    const a = v128.load(r), b = v128.load(r, 16);
    const e = expNonPositive(f64x2.neg(f64x2.abs(f64x2.sub(a, b))));
    const one = f64x2.splat(1.0);
    const ea = v128.bitselect(one, e, f64x2.ge(a, b)), eb = v128.bitselect(one, e, f64x2.ge(b, a));
    z = f64x2.add(ea, eb);
    const inv = f64x2.div(one, z);
    v128.store(r, f64x2.mul(ea, inv));
    v128.store(r, f64x2.mul(eb, inv), 16);
    if (withValue) MX = f64x2.max(f64x2.max(f64x2.splat(-Infinity), a), b);
    return z;
  }
  let mx = f64x2.splat(-Infinity);
  for (let k = 0; k < K; k++) mx = f64x2.max(mx, v128.load(r + (<usize>k << 4)));
  z = f64x2.splat(0.0);
  for (let k = 0; k < K; k++) {
    const e = expNonPositive(f64x2.sub(v128.load(r + (<usize>k << 4)), mx));
    v128.store(r + (<usize>k << 4), e);
    z = f64x2.add(z, e);
  }
  const inv = f64x2.div(f64x2.splat(1.0), z);
  for (let k = 0; k < K; k++) v128.store(r + (<usize>k << 4), f64x2.mul(v128.load(r + (<usize>k << 4)), inv));
  MX = mx;
  return z;
}

/** U = −(max ℓ + log z) per lane. */
@inline function potential(mx: v128, z: v128): v128 {
  return f64x2.replace_lane(f64x2.splat(-(f64x2.extract_lane(mx, 0) + Math.log(f64x2.extract_lane(z, 0)))), 1,
    -(f64x2.extract_lane(mx, 1) + Math.log(f64x2.extract_lane(z, 1))));
}

/**
 * Responsibilities r_k = softmax(ℓ)_k, component gradients g_k = P_k δ_k and ḡ = Σ_k r_k g_k
 * into scratch; returns U per lane if `withValue` (a constant at each call site), else zeros.
 * A non-finite coordinate gives a NaN ḡ (exp of NaN is 0 here, so z = 0 and r_k = 0·∞).
 */
@inline function evaluate(p: usize, d: i32, x: usize, s: usize, w: usize, pair: bool, withValue: bool): v128 {
  const K = <i32>ldc(p, 0), d2 = d * d;
  const mus = p + (<usize>(1 + K) << 3);
  const logc = p + (<usize>offLogC(K, d) << 3);
  const prec = p + (<usize>offPrec(K, d) << 3);
  const r = w, gs = w + (<usize>K << 4), gbar = gs + (<usize>(K * d) << 4), del = gbar + (<usize>d << 4);
  const half = f64x2.splat(0.5);
  for (let k = 0; k < K; k++) {
    const mu = mus + (<usize>(k * d) << 3);
    for (let i = 0; i < d; i++) v128.store(del + (<usize>i << 4), f64x2.sub(coord(x, i, s, pair), v128.load64_splat(mu + (<usize>i << 3))));
    const P = prec + (<usize>(k * d2) << 3), g = gs + (<usize>(k * d) << 4);
    let q = f64x2.splat(0.0);
    for (let i = 0; i < d; i++) {
      const row = P + (<usize>(i * d) << 3);
      let acc = f64x2.splat(0.0);
      for (let j = 0; j < d; j++) acc = f64x2.add(acc, f64x2.mul(v128.load64_splat(row + (<usize>j << 3)),
        v128.load(del + (<usize>j << 4))));
      v128.store(g + (<usize>i << 4), acc);
      q = f64x2.add(q, f64x2.mul(v128.load(del + (<usize>i << 4)), acc));
    }
    const l = f64x2.sub(v128.load64_splat(logc + (<usize>k << 3)), f64x2.mul(half, q));
    v128.store(r + (<usize>k << 4), l);
  }
  const z = softmax(r, K, withValue);
  for (let i = 0; i < d; i++) {
    let acc = f64x2.splat(0.0);
    for (let k = 0; k < K; k++) acc = f64x2.add(acc, f64x2.mul(v128.load(r + (<usize>k << 4)), v128.load(gs + (<usize>(k * d + i) << 4))));
    v128.store(gbar + (<usize>i << 4), acc);
  }
  return withValue ? potential(MX, z) : f64x2.splat(0.0);
}

/** Are all K precision matrices diagonal (every off-diagonal entry exactly 0)? */
function diagonalPrecisions(p: usize, K: i32, d: i32): bool {
  const prec = p + (<usize>offPrec(K, d) << 3);
  for (let k = 0; k < K; k++) {
    const P = prec + (<usize>(k * d * d) << 3);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i != j && ldc(P, i * d + j) != 0.0) return false;
  }
  return true;
}

/**
 * `evaluate` for four pairs of adjacent particles (x, x + 16, x + 32, x + 48) when every P_k is
 * diagonal; ḡ goes straight to g (stride s) and U (if wanted) to out. g_k's entries are P_k,ii δ_i,
 * and ℓ_k, r_k and ḡ are formed with `evaluate`'s operations in its order, less the products with
 * zero, so for finite x the bits are `evaluate`'s (test/landscapes-api.test.ts checks). Four
 * pairs at once: the softmax is a long chain of dependent operations (exp, then a division), and
 * independent pairs fill its latency; the loop overhead and parameter loads are shared.
 * Scratch: r (4K, 16 bytes each).
 */
@inline function evaluateDiagonal(p: usize, K: i32, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool, out: usize): void {
  const d1 = d + 1;
  const mus = p + (<usize>(1 + K) << 3);
  const logc = p + (<usize>offLogC(K, d) << 3);
  const prec = p + (<usize>offPrec(K, d) << 3);
  const kb = <usize>K << 4;
  const r0 = w, r1 = w + kb, r2 = r1 + kb, r3 = r2 + kb;
  const half = f64x2.splat(0.5);
  let mu = mus, pk = prec;
  const dstep = <usize>d1 << 3, kstep = <usize>(d * d) << 3;
  for (let k = 0; k < K; k++) {
    let q0 = f64x2.splat(0.0), q1 = q0, q2 = q0, q3 = q0;
    let xo = x, pii = pk;
    for (let i = 0; i < d; i++) {
      const m = v128.load64_splat(mu + (<usize>i << 3)), pv = v128.load64_splat(pii);
      const d0 = f64x2.sub(v128.load(xo), m), e1 = f64x2.sub(v128.load(xo, 16), m);
      const e2 = f64x2.sub(v128.load(xo, 32), m), e3 = f64x2.sub(v128.load(xo, 48), m);
      q0 = f64x2.add(q0, f64x2.mul(d0, f64x2.mul(pv, d0)));
      q1 = f64x2.add(q1, f64x2.mul(e1, f64x2.mul(pv, e1)));
      q2 = f64x2.add(q2, f64x2.mul(e2, f64x2.mul(pv, e2)));
      q3 = f64x2.add(q3, f64x2.mul(e3, f64x2.mul(pv, e3)));
      xo += s; pii += dstep;
    }
    const c = v128.load64_splat(logc + (<usize>k << 3)), o = <usize>k << 4;
    v128.store(r0 + o, f64x2.sub(c, f64x2.mul(half, q0)));
    v128.store(r1 + o, f64x2.sub(c, f64x2.mul(half, q1)));
    v128.store(r2 + o, f64x2.sub(c, f64x2.mul(half, q2)));
    v128.store(r3 + o, f64x2.sub(c, f64x2.mul(half, q3)));
    mu += <usize>d << 3; pk += kstep;
  }
  const z0 = softmax(r0, K, withValue), m0 = MX;
  const z1 = softmax(r1, K, withValue), m1 = MX;
  const z2 = softmax(r2, K, withValue), m2 = MX;
  const z3 = softmax(r3, K, withValue), m3 = MX;
  let xo = x, go = g;
  for (let i = 0; i < d; i++) {
    const x0 = v128.load(xo), x1 = v128.load(xo, 16), x2 = v128.load(xo, 32), x3 = v128.load(xo, 48);
    let a0 = f64x2.splat(0.0), a1 = a0, a2 = a0, a3 = a0;
    let pii = prec + (<usize>(i * d1) << 3), m = mus + (<usize>i << 3);
    for (let k = 0; k < K; k++) {
      const pv = v128.load64_splat(pii), mv = v128.load64_splat(m), o = <usize>k << 4;
      a0 = f64x2.add(a0, f64x2.mul(v128.load(r0 + o), f64x2.mul(pv, f64x2.sub(x0, mv))));
      a1 = f64x2.add(a1, f64x2.mul(v128.load(r1 + o), f64x2.mul(pv, f64x2.sub(x1, mv))));
      a2 = f64x2.add(a2, f64x2.mul(v128.load(r2 + o), f64x2.mul(pv, f64x2.sub(x2, mv))));
      a3 = f64x2.add(a3, f64x2.mul(v128.load(r3 + o), f64x2.mul(pv, f64x2.sub(x3, mv))));
      pii += kstep; m += <usize>d << 3;
    }
    v128.store(go, a0);
    v128.store(go, a1, 16);
    v128.store(go, a2, 32);
    v128.store(go, a3, 48);
    xo += s; go += s;
  }
  if (withValue) {
    v128.store(out, potential(m0, z0));
    v128.store(out, potential(m1, z1), 16);
    v128.store(out, potential(m2, z2), 32);
    v128.store(out, potential(m3, z3), 48);
  }
}

@final export class GaussianMixture {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    return f64x2.extract_lane(evaluate(p, d, x, s, w, false, true), 0);
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const u = evaluate(p, d, x, s, w, false, withValue);
    const gbar = w + (<usize>(<i32>ldc(p, 0) * (d + 1)) << 4);
    for (let i = 0; i < d; i++) st(g, i, s, load<f64>(gbar + (<usize>i << 4)));
    return f64x2.extract_lane(u, 0);
  }

  /**
   * `pairs` pairs of adjacent particles (structure-of-arrays block, x at x + j·s), two lanes at
   * a time. Mixtures whose precisions are all diagonal (isotropic or per-axis standard
   * deviations, checked once per call) take `evaluateDiagonal`, four pairs at a time.
   */
  @inline grad2(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool, out: usize, pairs: i32): void {
    const K = <i32>ldc(p, 0);
    let k = 0;
    if (diagonalPrecisions(p, K, d)) {
      // Two components (a double well, the common case) as a literal: the component loops and the softmax's K test fold away.
      if (K == 2) for (; k + 4 <= pairs; k += 4) evaluateDiagonal(p, 2, d, x + (<usize>k << 4), s, g + (<usize>k << 4),
        w, withValue, out + (<usize>k << 4));
      else for (; k + 4 <= pairs; k += 4) evaluateDiagonal(p, K, d, x + (<usize>k << 4), s, g + (<usize>k << 4),
        w, withValue, out + (<usize>k << 4));
      // Pairs left over (blocks of 2 or 4 particles, d > 512) take `evaluate`: the same bits for finite x.
    }
    const gbar = w + (<usize>(K * (d + 1)) << 4);
    for (; k < pairs; k++) {
      const o = <usize>k << 4;
      const u = evaluate(p, d, x + o, s, w, true, withValue);
      for (let i = 0; i < d; i++) v128.store(g + o + <usize>i * s, v128.load(gbar + (<usize>i << 4)));
      if (withValue) v128.store(out + o, u);
    }
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    evaluate(p, d, x, s, w, false, false);
    const K = <i32>ldc(p, 0), d2 = d * d;
    const prec = p + (<usize>offPrec(K, d) << 3);
    // Lane 0 of the scratch entries (16 bytes apart).
    const r = w, gs = w + (<usize>K << 4), gbar = gs + (<usize>(K * d) << 4);
    let gv = 0.0;
    for (let i = 0; i < d; i++) gv += load<f64>(gbar + (<usize>i << 4)) * ld(v, i, s);
    for (let i = 0; i < d; i++) st(out, i, s, load<f64>(gbar + (<usize>i << 4)) * gv);
    for (let k = 0; k < K; k++) {
      const rk = load<f64>(r + (<usize>k << 4)), g = gs + (<usize>(k * d) << 4), P = prec + (<usize>(k * d2) << 3);
      let gkv = 0.0;
      for (let i = 0; i < d; i++) gkv += load<f64>(g + (<usize>i << 4)) * ld(v, i, s);
      for (let i = 0; i < d; i++) {
        const row = P + (<usize>(i * d) << 3);
        let pv = 0.0;
        for (let j = 0; j < d; j++) pv += ldc(row, j) * ld(v, j, s);
        st(out, i, s, ld(out, i, s) + rk * (pv - load<f64>(g + (<usize>i << 4)) * gkv));
      }
    }
  }
}

/** Scratch doubles: the larger of `evaluate`'s (two lanes of r (K), g (K·d), ḡ (d), δ (d)) and `evaluateDiagonal`'s (8K). */
export function gaussianMixtureScratch(K: i32, d: i32): i32 {
  return max(2 * (K + K * d + 2 * d), 8 * K);
}
