// Generic finite-sum loops over a model's examples (docs/models.md, "Reduction, weights and scale"):
//   L = ρ Σ_i w_i s ℓ_i with ρ = 1/n (reduction mean) or 1 (sum) and s the header's LSCALE;
//   ∇L, Hv, Gv as the same combination of per-example terms (coefficient κ_i = ρ s w_i);
//   F_emp v = ρ Σ_i w_i ∇(sℓ_i) ∇(sℓ_i)ᵀ v (coefficient κ_i s: the square of s);
//   minibatch (nρ/b) Σ_{i∈batch} w_i s ∇ℓ_i (optionally with perturbed labels), unbiased for ∇L.
// With the defaults (mean, s = 1) every coefficient is the same double as before reductions
// existed (1/n, 1/b: s/n with s = 1 is exactly 1/n), so no result changes by a bit.
// `Mdl` is a model class (mlp.ts, diagonalLinear.ts, matrixFactorization.ts) with
//   prepare(p, θ, w)                            per-θ precomputation into its scratch
//   loss(p, θ, i, x_i, y_i, w) → ℓ_i
//   grad(p, θ, i, x_i, y_i, c, g, w) → ℓ_i      g += c ∇ℓ_i
//   hvp / ggnvp(p, θ, v, i, x_i, y_i, c, out, w)  out += c ∇²ℓ_i v / c J_iᵀ H_ℓ J_i v
//   tileGrad(p, θ, xs, ys, cs, g, w) → Σ c_e ℓ_e   optional: g += Σ_e c_e ∇ℓ_e over TILE examples at once
//   tileHvp(p, θ, v, xs, ys, cs, hv, w)           optional: hv += Σ_e c_e ∇²ℓ_e v over TILE examples at once
//   tileGgnvp(p, θ, v, xs, ys, cs, out, w)        optional: the same for J_eᵀ H_ℓ J_e v
//   tileFisher(p, θ, v, xs, ys, cs, out, w)       optional: the same for ∇ℓ_e (∇ℓ_eᵀ v)
// θ (and v, outputs) are contiguous, d doubles.
// Scratch w: tmp (d) | ỹ (TILE × YW) | tile inputs (TILE u32) | tile targets (TILE u32) |
//            tile coefficients (TILE) | the model's.

import { N, M, YW, OFFX, OFFY, OFFW, RED, LSCALE, REDUCTION_MEAN, ld, ldi, at } from './layout';
import { perturbLabel } from './labelNoise';
import { dot, axpy, zero } from './vec';
import { TILE } from './mlpTile';

@inline function xOf(p: usize, i: i32): usize { const o = ldi(p, OFFX); return o == 0 ? 0 : at(p, o + i * ldi(p, M)); }
@inline function yOf(p: usize, i: i32): usize { return at(p, ldi(p, OFFY) + i * ldi(p, YW)); }
@inline function wOf(p: usize, i: i32): f64 { const o = ldi(p, OFFW); return o == 0 ? 1.0 : ld(p, o + i); }
@inline function modelScratch(p: usize, d: i32, w: usize): usize { return w + (<usize>(d + TILE * ldi(p, YW) + 16 + TILE) << 3); }
@inline function tileXs(p: usize, d: i32, w: usize): usize { return w + (<usize>(d + TILE * ldi(p, YW)) << 3); }
/** κ/w_i, the coefficient of w_i ℓ_i in L over n terms: s/n (mean) or s (sum). */
@inline function coefficient(p: usize, n: i32): f64 { const s = ld(p, LSCALE); return ldi(p, RED) == REDUCTION_MEAN ? s / <f64>n : s; }

/**
 * g += Σ over `count` slots (indices from idx, or 0 … count−1 if idx is 0) of inv·w_i ∇ℓ_i, a
 * tile at a time; returns Σ inv·w_i ℓ_i. Label noise (σ, flip ≠ 0) perturbs each slot's target.
 */
@inline function tiled<Mdl>(m: Mdl, p: usize, d: i32, th: usize, idx: usize, count: i32, inv: f64, g: usize, w: usize,
                            sigma: f64, flip: f64, k0: u32, k1: u32, particle: u32, step: u32): f64 {
  const yw = ldi(p, YW);
  const yt = w + (<usize>d << 3), xs = tileXs(p, d, w), ys = xs + (<usize>TILE << 2), cs = xs + (<usize>TILE << 3);
  const mw = modelScratch(p, d, w);
  const noisy = sigma > 0.0 || flip > 0.0;
  let f = 0.0;
  for (let s0 = 0; s0 < count; s0 += TILE) {
    for (let e = 0; e < TILE; e++) {
      const s = s0 + e;
      const live = s < count;
      const i = live ? (idx == 0 ? s : load<i32>(idx + (<usize>s << 2))) : (idx == 0 ? s0 : load<i32>(idx + (<usize>s0 << 2)));
      let y = yOf(p, i);
      if (live && noisy) y = perturbLabel(p, y, yt + (<usize>(e * yw) << 3), sigma, flip, k0, k1, particle, step, s);
      store<u32>(xs + (<usize>e << 2), <u32>xOf(p, i));
      store<u32>(ys + (<usize>e << 2), <u32>y);
      store<f64>(cs + (<usize>e << 3), live ? wOf(p, i) * inv : 0.0);
    }
    f += m.tileGrad(p, th, xs, ys, cs, g, mw);
  }
  return f;
}

/** L(θ). */
@inline export function fsValue<Mdl>(p: usize, d: i32, th: usize, w: usize): f64 {
  const m = changetype<Mdl>(0), n = ldi(p, N), mw = modelScratch(p, d, w);
  m.prepare(p, th, mw);
  if (isDefined(m.tileGrad)) return tiled<Mdl>(m, p, d, th, 0, n, coefficient(p, n), 0, w, 0.0, 0.0, 0, 0, 0, 0);
  let f = 0.0;
  for (let i = 0; i < n; i++) f += wOf(p, i) * m.loss(p, th, i, xOf(p, i), yOf(p, i), mw);
  // (f/n)·s, not f·(s/n): with s = 1 the same double as before reductions existed.
  return (ldi(p, RED) == REDUCTION_MEAN ? f / <f64>n : f) * ld(p, LSCALE);
}

/** g = ∇L(θ); returns L(θ). */
@inline export function fsGrad<Mdl>(p: usize, d: i32, th: usize, g: usize, w: usize): f64 {
  const m = changetype<Mdl>(0), n = ldi(p, N), mw = modelScratch(p, d, w);
  m.prepare(p, th, mw);
  zero(g, d);
  const inv = coefficient(p, n);
  if (isDefined(m.tileGrad)) return tiled<Mdl>(m, p, d, th, 0, n, inv, g, w, 0.0, 0.0, 0, 0, 0, 0);
  let f = 0.0;
  for (let i = 0; i < n; i++) {
    const wi = wOf(p, i);
    f += wi * m.grad(p, th, i, xOf(p, i), yOf(p, i), wi * inv, g, mw);
  }
  return f * inv;
}

/** hv = ∇²L(θ) v. */
@inline export function fsHvp<Mdl>(p: usize, d: i32, th: usize, v: usize, hv: usize, w: usize): void {
  const m = changetype<Mdl>(0), n = ldi(p, N), mw = modelScratch(p, d, w);
  m.prepare(p, th, mw);
  zero(hv, d);
  const inv = coefficient(p, n);
  if (isDefined(m.tileHvp)) { tiledProduct<Mdl>(m, p, d, th, v, hv, w, mw, n, inv, 0); return; }
  for (let i = 0; i < n; i++) m.hvp(p, th, v, i, xOf(p, i), yOf(p, i), wOf(p, i) * inv, hv, mw);
}

/** out += Σ_i w_i·inv·(product i) v a tile at a time: which = 0 HVP, 1 GGN, 2 empirical Fisher (a constant at each call site). */
@inline function tiledProduct<Mdl>(m: Mdl, p: usize, d: i32, th: usize, v: usize, out: usize, w: usize, mw: usize,
    n: i32, inv: f64, which: i32): void {
  const xs = tileXs(p, d, w), ys = xs + (<usize>TILE << 2), cs = xs + (<usize>TILE << 3);
  for (let i0 = 0; i0 < n; i0 += TILE) {
    fillTile(p, xs, ys, cs, i0, min(TILE, n - i0), inv);
    if (which == 0) m.tileHvp(p, th, v, xs, ys, cs, out, mw);
    else if (which == 1) m.tileGgnvp(p, th, v, xs, ys, cs, out, mw);
    else m.tileFisher(p, th, v, xs, ys, cs, out, mw);
  }
}

/** Tile slots e < count hold examples i0 + e with coefficient w_i·inv; the rest repeat example i0 with coefficient 0. */
@inline function fillTile(p: usize, xs: usize, ys: usize, cs: usize, i0: i32, count: i32, inv: f64): void {
  for (let e = 0; e < TILE; e++) {
    const i = e < count ? i0 + e : i0;
    store<u32>(xs + (<usize>e << 2), <u32>xOf(p, i));
    store<u32>(ys + (<usize>e << 2), <u32>yOf(p, i));
    store<f64>(cs + (<usize>e << 3), e < count ? wOf(p, i) * inv : 0.0);
  }
}

/** out = G(θ) v (generalised Gauss–Newton; equals the true Fisher for mse, crossEntropy, bce). */
@inline export function fsGgnvp<Mdl>(p: usize, d: i32, th: usize, v: usize, out: usize, w: usize): void {
  const m = changetype<Mdl>(0), n = ldi(p, N), mw = modelScratch(p, d, w);
  m.prepare(p, th, mw);
  zero(out, d);
  const inv = coefficient(p, n);
  if (isDefined(m.tileGgnvp)) { tiledProduct<Mdl>(m, p, d, th, v, out, w, mw, n, inv, 1); return; }
  for (let i = 0; i < n; i++) m.ggnvp(p, th, v, i, xOf(p, i), yOf(p, i), wOf(p, i) * inv, out, mw);
}

/** out = F_emp(θ) v = ρ Σ w_i ∇(sℓ_i) (∇(sℓ_i)ᵀ v), ρ = 1/n (mean) or 1 (sum). */
@inline export function fsFisherVp<Mdl>(p: usize, d: i32, th: usize, v: usize, out: usize, w: usize): void {
  const m = changetype<Mdl>(0), n = ldi(p, N), mw = modelScratch(p, d, w);
  m.prepare(p, th, mw);
  zero(out, d);
  const inv = coefficient(p, n) * ld(p, LSCALE); // the empirical Fisher scales by s²
  if (isDefined(m.tileFisher)) { tiledProduct<Mdl>(m, p, d, th, v, out, w, mw, n, inv, 2); return; }
  for (let i = 0; i < n; i++) {
    zero(w, d);
    m.grad(p, th, i, xOf(p, i), yOf(p, i), 1.0, w, mw);
    axpy(wOf(p, i) * inv * dot(w, v, d), w, out, d);
  }
}

/** ℓ_i into losses (n) and ∇ℓ_i into rows of grads (n × d), unweighted. */
@inline export function fsPerExample<Mdl>(p: usize, d: i32, th: usize, losses: usize, grads: usize, w: usize): void {
  const m = changetype<Mdl>(0), n = ldi(p, N), mw = modelScratch(p, d, w);
  m.prepare(p, th, mw);
  if (isDefined(m.tilePerExample)) {
    const xs = tileXs(p, d, w), ys = xs + (<usize>TILE << 2), cs = xs + (<usize>TILE << 3);
    for (let i0 = 0; i0 < n; i0 += TILE) {
      const count = min(TILE, n - i0);
      for (let e = 0; e < TILE; e++) {
        const i = e < count ? i0 + e : i0;
        store<u32>(xs + (<usize>e << 2), <u32>xOf(p, i));
        store<u32>(ys + (<usize>e << 2), <u32>yOf(p, i));
        store<f64>(cs + (<usize>e << 3), e < count ? 1.0 : 0.0);
      }
      m.tilePerExample(p, th, xs, ys, cs, grads + (<usize>i0 * <usize>d << 3), d, losses + (<usize>i0 << 3), count, mw);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const gi = grads + (<usize>i * <usize>d << 3);
    zero(gi, d);
    store<f64>(losses + (<usize>i << 3), m.grad(p, th, i, xOf(p, i), yOf(p, i), 1.0, gi, mw));
  }
}

/**
 * Minibatch g = (1/b) Σ_{slots s} w_{i_s} ∇ℓ_{i_s}(θ) over the b indices at idx (idx = 0: all n
 * examples, b = n); returns (1/b) Σ w ℓ. With lq ≠ 0 (label noise: lq[2] = σ, lq[3] = flip
 * probability) each slot's target is perturbed for (particle, step).
 */
@inline export function fsBatch<Mdl>(p: usize, d: i32, th: usize, idx: usize, b: i32, g: usize, w: usize,
                                     lq: usize, k0: u32, k1: u32, particle: u32, step: u32): f64 {
  const m = changetype<Mdl>(0), mw = modelScratch(p, d, w);
  const yt = w + (<usize>d << 3);
  const sigma = lq == 0 ? 0.0 : load<f64>(lq, 16), flip = lq == 0 ? 0.0 : load<f64>(lq, 24);
  const noisy = sigma > 0.0 || flip > 0.0;
  m.prepare(p, th, mw);
  zero(g, d);
  // (nρ/b)·s: s/b (mean; 1/b with s = 1) or s·n/b (sum), so ĝ is unbiased for ∇L either way.
  const inv = ldi(p, RED) == REDUCTION_MEAN ? ld(p, LSCALE) / <f64>b : ld(p, LSCALE) * <f64>ldi(p, N) / <f64>b;
  if (isDefined(m.tileGrad)) return tiled<Mdl>(m, p, d, th, idx, b, inv, g, w, sigma, flip, k0, k1, particle, step);
  let f = 0.0;
  for (let s = 0; s < b; s++) {
    const i = idx == 0 ? s : load<i32>(idx + (<usize>s << 2));
    const wi = wOf(p, i);
    const y = noisy ? perturbLabel(p, yOf(p, i), yt, sigma, flip, k0, k1, particle, step, s) : yOf(p, i);
    f += wi * m.grad(p, th, i, xOf(p, i), y, wi * inv, g, mw);
  }
  return f * inv;
}
