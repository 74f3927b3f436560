// Multilayer perceptron (also linear, logistic and softmax regression, deep linear nets and the
// two-layer ReLU teacher–student): exact per-example loss, gradient, Hessian-vector product and
// Gauss–Newton-vector product. Conventions (flattening, losses): docs/models.md.
//
// Forward (a₀ = x):      z_l = W_l a_{l−1} + b_l,  a_l = σ(z_l) (hidden l < L),  f = z_L
// Backward (δ = ∂ℓ/∂z):  δ_L = ∂ℓ/∂f,  u_{l−1} = W_lᵀ δ_l,  δ_{l−1} = σ′(z_{l−1}) ⊙ u_{l−1}
//                        ∂ℓ/∂W_l = δ_l a_{l−1}ᵀ,  ∂ℓ/∂b_l = δ_l
// Hessian-vector product by Pearlmutter's R-operator (forward-over-reverse; Pearlmutter, "Fast
// exact multiplication by the Hessian", Neural Computation 1994), R{·} = d/dε (·)(θ + εv):
//   R{z_l} = V_l a_{l−1} + W_l R{a_{l−1}} + v_{b_l},  R{a_l} = σ′(z_l) R{z_l},  R{a₀} = 0
//   R{δ_L} = ∂²ℓ/∂f² R{f}
//   R{δ_{l−1}} = σ″(z_{l−1}) R{z_{l−1}} ⊙ u_{l−1} + σ′(z_{l−1}) ⊙ (V_lᵀ δ_l + W_lᵀ R{δ_l})
//   (Hv)_{W_l} = R{δ_l} a_{l−1}ᵀ + δ_l R{a_{l−1}}ᵀ,  (Hv)_{b_l} = R{δ_l}
// Gauss–Newton: Jv = R{f}; then back-propagate ∂²ℓ/∂f² Jv through the linearised network
// (the terms with δ and σ″ dropped): Gv = Jᵀ ∂²ℓ/∂f² J v (Schraudolph, Neural Computation 2002).
//
// Parameters: mlpLayout.ts.
// Scratch: seven arrays of S doubles — Z, A (σ(z)), DL (δ), U (W_lᵀ δ_l at layer l−1),
// RZ, RA, RDL — then DF (k), AUX (k).

import { KOUT, LOSS, ld, ldi, at } from './layout';
import { act, dact, d2act } from './activations';
import { lossForward, lossHvp } from './losses';
import { dot, axpy, zero } from './vec';
import { mlpTileGrad, mlpTilePerExample, mlpTileHvp, mlpTileGgnvp, mlpTileFisher } from './mlpTile';
import { ACT, SLOPE, UNITS, layers, width, layerField } from './mlpLayout';

@inline function arr(w: usize, p: usize, which: i32): usize { return w + (<usize>(which * ldi(p, UNITS)) << 3); }

const Z = 0, A = 1, DL = 2, U = 3, RZ = 4, RA = 5, RDL = 6;

/** Scratch doubles for one example: 7 S + 2 k. */
@inline function dfOf(w: usize, p: usize): usize { return arr(w, p, 7); }
@inline function auxOf(w: usize, p: usize): usize { return arr(w, p, 7) + (<usize>ldi(p, KOUT) << 3); }

/** Input of layer l (a_{l−1}): the example's x for l = 1. */
@inline function input(w: usize, p: usize, l: i32, x: usize): usize {
  return l == 1 ? x : arr(w, p, A) + (<usize>layerField(p, l - 1, 2) << 3);
}

/** z, a for every layer. */
function forward(p: usize, th: usize, x: usize, w: usize): void {
  const L = layers(p), kind = ldi(p, ACT), s = ld(p, SLOPE);
  for (let l = 1; l <= L; l++) {
    const nin = width(p, l - 1), nout = width(p, l);
    const W = at(th, layerField(p, l, 0)), bo = layerField(p, l, 1), uo = layerField(p, l, 2);
    const a0 = input(w, p, l, x);
    const z = arr(w, p, Z) + (<usize>uo << 3);
    for (let o = 0; o < nout; o++) {
      let v = dot(W + (<usize>(o * nin) << 3), a0, nin);
      if (bo >= 0) v += ld(th, bo + o);
      store<f64>(z + (<usize>o << 3), v);
    }
    if (l < L) {
      const a = arr(w, p, A) + (<usize>uo << 3);
      for (let o = 0; o < nout; o++) store<f64>(a + (<usize>o << 3), act(kind, load<f64>(z + (<usize>o << 3)), s));
    }
  }
}

/** The output f = z_L. */
@inline function outputOf(w: usize, p: usize): usize {
  return arr(w, p, Z) + (<usize>layerField(p, layers(p), 2) << 3);
}

/** δ_l for every layer (δ_L must be in DL already), accumulating c·∂ℓ/∂θ into g unless g is 0. */
function backward(p: usize, th: usize, x: usize, c: f64, g: usize, w: usize): void {
  const L = layers(p), kind = ldi(p, ACT), s = ld(p, SLOPE);
  for (let l = L; l >= 1; l--) {
    const nin = width(p, l - 1), nout = width(p, l);
    const wo = layerField(p, l, 0), bo = layerField(p, l, 1), uo = layerField(p, l, 2);
    const dl = arr(w, p, DL) + (<usize>uo << 3);
    const a0 = input(w, p, l, x);
    if (g != 0) {
      for (let o = 0; o < nout; o++) {
        const d = c * load<f64>(dl + (<usize>o << 3));
        axpy(d, a0, at(g, wo + o * nin), nin);
        if (bo >= 0) store<f64>(at(g, bo + o), ld(g, bo + o) + d);
      }
    }
    if (l > 1) {
      const po = layerField(p, l - 1, 2);
      const u = arr(w, p, U) + (<usize>po << 3);
      zero(u, nin);
      for (let o = 0; o < nout; o++) axpy(load<f64>(dl + (<usize>o << 3)), at(th, wo + o * nin), u, nin);
      const z = arr(w, p, Z) + (<usize>po << 3), a = arr(w, p, A) + (<usize>po << 3), dp = arr(w, p, DL) + (<usize>po << 3);
      for (let j = 0; j < nin; j++) {
        const o = <usize>j << 3;
        store<f64>(dp + o, dact(kind, load<f64>(z + o), load<f64>(a + o), s) * load<f64>(u + o));
      }
    }
  }
}

/** R{z}, R{a} for every layer along direction v. */
function rForward(p: usize, th: usize, v: usize, x: usize, w: usize): void {
  const L = layers(p), kind = ldi(p, ACT), s = ld(p, SLOPE);
  for (let l = 1; l <= L; l++) {
    const nin = width(p, l - 1), nout = width(p, l);
    const wo = layerField(p, l, 0), bo = layerField(p, l, 1), uo = layerField(p, l, 2);
    const a0 = input(w, p, l, x);
    const ra0: usize = l == 1 ? <usize>0 : arr(w, p, RA) + (<usize>layerField(p, l - 1, 2) << 3);
    const rz = arr(w, p, RZ) + (<usize>uo << 3);
    for (let o = 0; o < nout; o++) {
      let r = dot(at(v, wo + o * nin), a0, nin);
      if (ra0 != 0) r += dot(at(th, wo + o * nin), ra0, nin);
      if (bo >= 0) r += ld(v, bo + o);
      store<f64>(rz + (<usize>o << 3), r);
    }
    if (l < L) {
      const z = arr(w, p, Z) + (<usize>uo << 3), a = arr(w, p, A) + (<usize>uo << 3), ra = arr(w, p, RA) + (<usize>uo << 3);
      for (let o = 0; o < nout; o++) {
        const q = <usize>o << 3;
        store<f64>(ra + q, dact(kind, load<f64>(z + q), load<f64>(a + q), s) * load<f64>(rz + q));
      }
    }
  }
}

@final export class Mlp {
  /** Nothing to precompute per θ. */
  @inline prepare(p: usize, th: usize, w: usize): void {}

  /** g += Σ_e c_e ∇ℓ_e over a tile of examples (mlpTile.ts); returns Σ_e c_e ℓ_e. */
  @inline tileGrad(p: usize, th: usize, xs: usize, ys: usize, cs: usize, g: usize, w: usize): f64 {
    return mlpTileGrad(p, th, xs, ys, cs, g, w);
  }

  /** Per-example losses and gradient rows of the tile's first `count` lanes (mlpTile.ts). */
  @inline tilePerExample(p: usize, th: usize, xs: usize, ys: usize, cs: usize, rows: usize, d: i32, losses: usize,
      count: i32, w: usize): void {
    mlpTilePerExample(p, th, xs, ys, cs, rows, d, losses, count, w);
  }

  /** hv += Σ_e c_e ∇²ℓ_e v over a tile of examples (mlpTile.ts, mlpTileHvp). */
  @inline tileHvp(p: usize, th: usize, v: usize, xs: usize, ys: usize, cs: usize, hv: usize, w: usize): void {
    mlpTileHvp(p, th, v, xs, ys, cs, hv, w);
  }

  /** out += Σ_e c_e J_eᵀ H_ℓ J_e v over a tile of examples (mlpTile.ts, mlpTileGgnvp). */
  @inline tileGgnvp(p: usize, th: usize, v: usize, xs: usize, ys: usize, cs: usize, out: usize, w: usize): void {
    mlpTileGgnvp(p, th, v, xs, ys, cs, out, w);
  }

  /** out += Σ_e c_e ∇ℓ_e (∇ℓ_eᵀ v) over a tile of examples (mlpTile.ts, mlpTileFisher). */
  @inline tileFisher(p: usize, th: usize, v: usize, xs: usize, ys: usize, cs: usize, out: usize, w: usize): void {
    mlpTileFisher(p, th, v, xs, ys, cs, out, w);
  }

  /** ℓ_i. */
  @inline loss(p: usize, th: usize, i: i32, x: usize, y: usize, w: usize): f64 {
    forward(p, th, x, w);
    return lossForward(ldi(p, LOSS), outputOf(w, p), ldi(p, KOUT), y, 0, auxOf(w, p));
  }

  /** g += c ∇ℓ_i; returns ℓ_i. */
  @inline grad(p: usize, th: usize, i: i32, x: usize, y: usize, c: f64, g: usize, w: usize): f64 {
    forward(p, th, x, w);
    const dlL = arr(w, p, DL) + (<usize>layerField(p, layers(p), 2) << 3);
    const f = lossForward(ldi(p, LOSS), outputOf(w, p), ldi(p, KOUT), y, dlL, auxOf(w, p));
    backward(p, th, x, c, g, w);
    return f;
  }

  /** hv += c ∇²ℓ_i v. */
  @inline hvp(p: usize, th: usize, v: usize, i: i32, x: usize, y: usize, c: f64, hv: usize, w: usize): void {
    forward(p, th, x, w);
    const L = layers(p), kind = ldi(p, ACT), s = ld(p, SLOPE), k = ldi(p, KOUT);
    const uL = layerField(p, L, 2);
    lossForward(ldi(p, LOSS), outputOf(w, p), k, y, arr(w, p, DL) + (<usize>uL << 3), auxOf(w, p));
    backward(p, th, x, 0.0, 0, w);
    rForward(p, th, v, x, w);
    lossHvp(ldi(p, LOSS), k, auxOf(w, p), arr(w, p, RZ) + (<usize>uL << 3), arr(w, p, RDL) + (<usize>uL << 3));
    for (let l = L; l >= 1; l--) {
      const nin = width(p, l - 1), nout = width(p, l);
      const wo = layerField(p, l, 0), bo = layerField(p, l, 1), uo = layerField(p, l, 2);
      const dl = arr(w, p, DL) + (<usize>uo << 3), rdl = arr(w, p, RDL) + (<usize>uo << 3);
      const a0 = input(w, p, l, x);
      const ra0: usize = l == 1 ? <usize>0 : arr(w, p, RA) + (<usize>layerField(p, l - 1, 2) << 3);
      for (let o = 0; o < nout; o++) {
        const row = at(hv, wo + o * nin);
        const rd = load<f64>(rdl + (<usize>o << 3));
        axpy(c * rd, a0, row, nin);
        if (ra0 != 0) axpy(c * load<f64>(dl + (<usize>o << 3)), ra0, row, nin);
        if (bo >= 0) store<f64>(at(hv, bo + o), ld(hv, bo + o) + c * rd);
      }
      if (l > 1) {
        // t = V_lᵀ δ_l + W_lᵀ R{δ_l}, into R{a_{l−1}} (no longer needed), then R{δ_{l−1}}.
        const po = layerField(p, l - 1, 2);
        const t = ra0;
        zero(t, nin);
        for (let o = 0; o < nout; o++) {
          axpy(load<f64>(dl + (<usize>o << 3)), at(v, wo + o * nin), t, nin);
          axpy(load<f64>(rdl + (<usize>o << 3)), at(th, wo + o * nin), t, nin);
        }
        const z = arr(w, p, Z) + (<usize>po << 3), a = arr(w, p, A) + (<usize>po << 3);
        const u = arr(w, p, U) + (<usize>po << 3), rz = arr(w, p, RZ) + (<usize>po << 3);
        const rdp = arr(w, p, RDL) + (<usize>po << 3);
        for (let j = 0; j < nin; j++) {
          const q = <usize>j << 3;
          const zj = load<f64>(z + q), aj = load<f64>(a + q);
          store<f64>(rdp + q, d2act(kind, zj, aj) * load<f64>(rz + q) * load<f64>(u + q) + dact(kind, zj, aj, s) * load<f64>(t + q));
        }
      }
    }
  }

  /** out += c J_iᵀ (∂²ℓ/∂f²) J_i v. */
  @inline ggnvp(p: usize, th: usize, v: usize, i: i32, x: usize, y: usize, c: f64, out: usize, w: usize): void {
    forward(p, th, x, w);
    const L = layers(p), kind = ldi(p, ACT), s = ld(p, SLOPE), k = ldi(p, KOUT);
    const uL = layerField(p, L, 2);
    lossForward(ldi(p, LOSS), outputOf(w, p), k, y, 0, auxOf(w, p));
    rForward(p, th, v, x, w);
    lossHvp(ldi(p, LOSS), k, auxOf(w, p), arr(w, p, RZ) + (<usize>uL << 3), arr(w, p, RDL) + (<usize>uL << 3));
    for (let l = L; l >= 1; l--) {
      const nin = width(p, l - 1), nout = width(p, l);
      const wo = layerField(p, l, 0), bo = layerField(p, l, 1), uo = layerField(p, l, 2);
      const rdl = arr(w, p, RDL) + (<usize>uo << 3);
      const a0 = input(w, p, l, x);
      for (let o = 0; o < nout; o++) {
        const rd = c * load<f64>(rdl + (<usize>o << 3));
        axpy(rd, a0, at(out, wo + o * nin), nin);
        if (bo >= 0) store<f64>(at(out, bo + o), ld(out, bo + o) + rd);
      }
      if (l > 1) {
        const po = layerField(p, l - 1, 2);
        const t = arr(w, p, U) + (<usize>po << 3);
        zero(t, nin);
        for (let o = 0; o < nout; o++) axpy(load<f64>(rdl + (<usize>o << 3)), at(th, wo + o * nin), t, nin);
        const z = arr(w, p, Z) + (<usize>po << 3), a = arr(w, p, A) + (<usize>po << 3);
        const rdp = arr(w, p, RDL) + (<usize>po << 3);
        for (let j = 0; j < nin; j++) {
          const q = <usize>j << 3;
          store<f64>(rdp + q, dact(kind, load<f64>(z + q), load<f64>(a + q), s) * load<f64>(t + q));
        }
      }
    }
  }
}
