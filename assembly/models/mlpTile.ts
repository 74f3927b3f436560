// The MLP's gradient over a tile of E = 16 examples at once (minibatch and full-batch
// gradients): the same equations as mlp.ts, laid out unit-major — unit u of every layer holds its
// E examples contiguously — so each weight is loaded once per tile and f64x2 lanes run across
// examples:
//   forward   z_l[o][·] = b_l[o] + Σ_j W_l[o][j] a_{l−1}[j][·]
//   backward  δ_L[·][e] = c_e ∂ℓ_e/∂f (the example's coefficient folded in: backprop is linear),
//             ∂W_l[o][j] += Σ_e δ_l[o][e] a_{l−1}[j][e],  u[j][·] = Σ_o W_l[o][j] δ_l[o][·],
//             δ_{l−1} = σ′(z_{l−1}) ⊙ u
// Padding lanes (fewer than E examples) have c_e = 0 and a real example's input, so they add
// exactly 0. Tile scratch (doubles): Z, A, D (S·E each), U (max width·E), IN (m·E), F, DF, AUX (k each).

import { KOUT, LOSS, ld, ldi, at } from './layout';
import { act, dact, d2act, RELU, TANH, IDENTITY } from './activations';
import { lossForward, lossHvp } from './losses';
import { L_, ACT, SLOPE, UNITS, width, layerField as field } from './mlpLayout';

export const TILE = 16;
const ROW: usize = <usize>TILE << 3; // bytes of one unit's lanes


/**
 * Doubles of tile scratch for an MLP with S units, widest layer wmax, m inputs and k outputs: the
 * gradient's, then RZ, RA, RD (S·E each) and T (wmax·E) for the HVP. MUST MATCH src/models/mlp.ts.
 */
export function mlpTileScratch(S: i32, wmax: i32, m: i32, k: i32): i32 { return TILE * (6 * S + 2 * wmax + m) + 3 * k; }

/**
 * z[o][·] = b[o] + Σ_j W[o][j] a[j][·] (or z[o][·] += Σ_j … when `acc`), o < nout, over the tile's
 * 16 lanes: a 1-row × 16-lane register tile, 8 f64x2 accumulators, each weight loaded once per
 * tile. b = bsrc[bo + o] (bo < 0: no bias). Sums run over j in ascending order.
 */
@inline function affineTile(W: usize, bsrc: usize, bo: i32, nin: i32, nout: i32, a0: usize, z: usize, acc: bool): void {
  let o = 0;
  // Two rows × 8 lanes per pass (8 accumulators): each a load serves two rows.
  const rs = <usize>nin << 3;
  for (; o + 2 <= nout; o += 2) {
    const zo = z + <usize>o * ROW;
    for (let h: usize = 0; h < ROW; h += 64) {
      const b0 = f64x2.splat(bo >= 0 ? ld(bsrc, bo + o) : 0.0), b1 = f64x2.splat(bo >= 0 ? ld(bsrc, bo + o + 1) : 0.0);
      let c00 = b0, c01 = b0, c02 = b0, c03 = b0, c10 = b1, c11 = b1, c12 = b1, c13 = b1;
      const z0 = zo + h, z1 = z0 + ROW;
      if (acc) {
        c00 = v128.load(z0); c01 = v128.load(z0, 16); c02 = v128.load(z0, 32); c03 = v128.load(z0, 48);
        c10 = v128.load(z1); c11 = v128.load(z1, 16); c12 = v128.load(z1, 32); c13 = v128.load(z1, 48);
      }
      let wp = W + <usize>o * rs, a = a0 + h;
      const end = wp + rs;
      for (; wp < end; wp += 8) {
        const w0 = v128.load64_splat(wp), w1 = v128.load64_splat(wp + rs);
        const x0 = v128.load(a), x1 = v128.load(a, 16), x2 = v128.load(a, 32), x3 = v128.load(a, 48);
        c00 = f64x2.add(c00, f64x2.mul(w0, x0)); c01 = f64x2.add(c01, f64x2.mul(w0, x1));
        c02 = f64x2.add(c02, f64x2.mul(w0, x2)); c03 = f64x2.add(c03, f64x2.mul(w0, x3));
        c10 = f64x2.add(c10, f64x2.mul(w1, x0)); c11 = f64x2.add(c11, f64x2.mul(w1, x1));
        c12 = f64x2.add(c12, f64x2.mul(w1, x2)); c13 = f64x2.add(c13, f64x2.mul(w1, x3));
        a += ROW;
      }
      v128.store(z0, c00); v128.store(z0, c01, 16); v128.store(z0, c02, 32); v128.store(z0, c03, 48);
      v128.store(z1, c10); v128.store(z1, c11, 16); v128.store(z1, c12, 32); v128.store(z1, c13, 48);
    }
  }
  for (; o < nout; o++) {
    const zo = z + <usize>o * ROW;
    const b = f64x2.splat(bo >= 0 ? ld(bsrc, bo + o) : 0.0);
    let c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b;
    if (acc) {
      c0 = v128.load(zo); c1 = v128.load(zo, 16); c2 = v128.load(zo, 32); c3 = v128.load(zo, 48);
      c4 = v128.load(zo, 64); c5 = v128.load(zo, 80); c6 = v128.load(zo, 96); c7 = v128.load(zo, 112);
    }
    const wr = W + (<usize>(o * nin) << 3);
    for (let j = 0; j < nin; j++) {
      const wv = f64x2.splat(load<f64>(wr + (<usize>j << 3)));
      const a = a0 + <usize>j * ROW;
      c0 = f64x2.add(c0, f64x2.mul(wv, v128.load(a)));
      c1 = f64x2.add(c1, f64x2.mul(wv, v128.load(a, 16)));
      c2 = f64x2.add(c2, f64x2.mul(wv, v128.load(a, 32)));
      c3 = f64x2.add(c3, f64x2.mul(wv, v128.load(a, 48)));
      c4 = f64x2.add(c4, f64x2.mul(wv, v128.load(a, 64)));
      c5 = f64x2.add(c5, f64x2.mul(wv, v128.load(a, 80)));
      c6 = f64x2.add(c6, f64x2.mul(wv, v128.load(a, 96)));
      c7 = f64x2.add(c7, f64x2.mul(wv, v128.load(a, 112)));
    }
    v128.store(zo, c0); v128.store(zo, c1, 16); v128.store(zo, c2, 32); v128.store(zo, c3, 48);
    v128.store(zo, c4, 64); v128.store(zo, c5, 80); v128.store(zo, c6, 96); v128.store(zo, c7, 112);
  }
}

/**
 * U[j][·] += Σ_o W[o][j] dl[o][·] (Wᵀ·dl over the tile's lanes), U pre-set by the caller. Row j of U
 * stays in 8 f64x2 registers while o runs (ascending, so each element sums in the order of the
 * plain loop u[j] += W[o][j] dl[o] over o, bit for bit); only dl's rows are loaded per step.
 */
@inline function transposedTile(W: usize, nin: i32, nout: i32, dl: usize, U: usize): void {
  const rs = <usize>nin << 3;
  let j = 0;
  // Two rows of U × 8 lanes per pass (8 accumulators): each dl load serves two rows.
  for (; j + 2 <= nin; j += 2) {
    for (let h: usize = 0; h < ROW; h += 64) {
      const u0 = U + <usize>j * ROW + h, u1 = u0 + ROW;
      let c00 = v128.load(u0), c01 = v128.load(u0, 16), c02 = v128.load(u0, 32), c03 = v128.load(u0, 48);
      let c10 = v128.load(u1), c11 = v128.load(u1, 16), c12 = v128.load(u1, 32), c13 = v128.load(u1, 48);
      let wp = W + (<usize>j << 3), d = dl + h;
      for (let o = 0; o < nout; o++) {
        const w0 = v128.load64_splat(wp), w1 = v128.load64_splat(wp, 8);
        const x0 = v128.load(d), x1 = v128.load(d, 16), x2 = v128.load(d, 32), x3 = v128.load(d, 48);
        c00 = f64x2.add(c00, f64x2.mul(w0, x0)); c01 = f64x2.add(c01, f64x2.mul(w0, x1));
        c02 = f64x2.add(c02, f64x2.mul(w0, x2)); c03 = f64x2.add(c03, f64x2.mul(w0, x3));
        c10 = f64x2.add(c10, f64x2.mul(w1, x0)); c11 = f64x2.add(c11, f64x2.mul(w1, x1));
        c12 = f64x2.add(c12, f64x2.mul(w1, x2)); c13 = f64x2.add(c13, f64x2.mul(w1, x3));
        wp += rs; d += ROW;
      }
      v128.store(u0, c00); v128.store(u0, c01, 16); v128.store(u0, c02, 32); v128.store(u0, c03, 48);
      v128.store(u1, c10); v128.store(u1, c11, 16); v128.store(u1, c12, 32); v128.store(u1, c13, 48);
    }
  }
  for (; j < nin; j++) {
    const u = U + <usize>j * ROW;
    let c0 = v128.load(u), c1 = v128.load(u, 16), c2 = v128.load(u, 32), c3 = v128.load(u, 48);
    let c4 = v128.load(u, 64), c5 = v128.load(u, 80), c6 = v128.load(u, 96), c7 = v128.load(u, 112);
    let wp = W + (<usize>j << 3), d = dl;
    for (let o = 0; o < nout; o++) {
      const wv = v128.load64_splat(wp);
      c0 = f64x2.add(c0, f64x2.mul(wv, v128.load(d)));
      c1 = f64x2.add(c1, f64x2.mul(wv, v128.load(d, 16)));
      c2 = f64x2.add(c2, f64x2.mul(wv, v128.load(d, 32)));
      c3 = f64x2.add(c3, f64x2.mul(wv, v128.load(d, 48)));
      c4 = f64x2.add(c4, f64x2.mul(wv, v128.load(d, 64)));
      c5 = f64x2.add(c5, f64x2.mul(wv, v128.load(d, 80)));
      c6 = f64x2.add(c6, f64x2.mul(wv, v128.load(d, 96)));
      c7 = f64x2.add(c7, f64x2.mul(wv, v128.load(d, 112)));
      wp += rs; d += ROW;
    }
    v128.store(u, c0); v128.store(u, c1, 16); v128.store(u, c2, 32); v128.store(u, c3, 48);
    v128.store(u, c4, 64); v128.store(u, c5, 80); v128.store(u, c6, 96); v128.store(u, c7, 112);
  }
}

/**
 * g[W_l][o][j] += Σ_e dl[o][e] a[j][e], g[b_l][o] += Σ_e dl[o][e] (bo < 0: no bias):
 * the layer's batched outer product over the tile's lanes, dl's 16 lanes held in registers.
 * The lane sum is a fixed pairwise tree, then one add into g.
 */
@inline function outerTile(g: usize, wo: i32, bo: i32, nin: i32, nout: i32, dl: usize, a0: usize): void {
  for (let o = 0; o < nout; o++) {
    const d = dl + <usize>o * ROW;
    const d0 = v128.load(d), d1 = v128.load(d, 16), d2 = v128.load(d, 32), d3 = v128.load(d, 48);
    const d4 = v128.load(d, 64), d5 = v128.load(d, 80), d6 = v128.load(d, 96), d7 = v128.load(d, 112);
    const gr = at(g, wo + o * nin);
    for (let j = 0; j < nin; j++) {
      const a = a0 + <usize>j * ROW;
      let t = f64x2.add(f64x2.mul(d0, v128.load(a)), f64x2.mul(d1, v128.load(a, 16)));
      t = f64x2.add(t, f64x2.add(f64x2.mul(d2, v128.load(a, 32)), f64x2.mul(d3, v128.load(a, 48))));
      t = f64x2.add(t, f64x2.add(f64x2.mul(d4, v128.load(a, 64)), f64x2.mul(d5, v128.load(a, 80))));
      t = f64x2.add(t, f64x2.add(f64x2.mul(d6, v128.load(a, 96)), f64x2.mul(d7, v128.load(a, 112))));
      const q = gr + (<usize>j << 3);
      store<f64>(q, load<f64>(q) + (f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1)));
    }
    if (bo >= 0) {
      let t = f64x2.add(f64x2.add(d0, d1), f64x2.add(d2, d3));
      t = f64x2.add(t, f64x2.add(f64x2.add(d4, d5), f64x2.add(d6, d7)));
      const q = at(g, bo + o);
      store<f64>(q, load<f64>(q) + (f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1)));
    }
  }
}

/**
 * g += Σ_e c_e ∇ℓ_e over the tile's examples; returns Σ_e c_e ℓ_e. xs, ys: TILE addresses (u32) of
 * each lane's input row and target; cs: TILE coefficients (0 for padding). g = 0: the value only
 * (forward pass and losses, no backward).
 */
export function mlpTileGrad(p: usize, th: usize, xs: usize, ys: usize, cs: usize, g: usize, w: usize): f64 {
  return tile(p, th, xs, ys, cs, g, 0, 0, 0, w);
}

/** out += Σ_e c_e ∇ℓ_e (∇ℓ_eᵀ v) over the tile's examples (empirical Fisher; fisherTile). */
export function mlpTileFisher(p: usize, th: usize, v: usize, xs: usize, ys: usize, cs: usize, out: usize, w: usize): void {
  tile(p, th, xs, ys, cs, out, 0, 0, 0, w, TILE, v);
}

/**
 * Per-example mode: lane e < count writes ℓ_e to losses[e] and ∇ℓ_e (unscaled: cs must be 1 for
 * live lanes) to the row at rows + e·d doubles.
 */
export function mlpTilePerExample(p: usize, th: usize, xs: usize, ys: usize, cs: usize, rows: usize, d: i32,
    losses: usize, count: i32, w: usize): void {
  tile(p, th, xs, ys, cs, 0, rows, <usize>d << 3, losses, w, count);
}

function tile(p: usize, th: usize, xs: usize, ys: usize, cs: usize, g: usize, rows: usize, rowBytes: usize,
    losses: usize, w: usize, count: i32 = TILE, fv: usize = 0): f64 {
  const L = ldi(p, L_), kind = ldi(p, ACT), s = ld(p, SLOPE), S = ldi(p, UNITS), k = ldi(p, KOUT), m = width(p, 0);
  let wmax = 0;
  for (let l = 0; l <= L; l++) wmax = max(wmax, width(p, l));
  const Z = w, A = Z + <usize>S * ROW, D = A + <usize>S * ROW, U = D + <usize>S * ROW, IN = U + <usize>wmax * ROW;
  const F = IN + <usize>m * ROW, DF = F + (<usize>k << 3), AUX = DF + (<usize>k << 3);
  // Inputs, transposed: IN[j][e] = x_e[j].
  for (let e = 0; e < TILE; e++) {
    const x = <usize>load<u32>(xs + (<usize>e << 2));
    for (let j = 0; j < m; j++) store<f64>(IN + <usize>j * ROW + (<usize>e << 3), load<f64>(x + (<usize>j << 3)));
  }
  // Forward.
  for (let l = 1; l <= L; l++) {
    const nin = width(p, l - 1), nout = width(p, l);
    const W = at(th, field(p, l, 0)), bo = field(p, l, 1), uo = field(p, l, 2);
    const a0 = l == 1 ? IN : A + <usize>field(p, l - 1, 2) * ROW;
    const z = Z + <usize>uo * ROW;
    affineTile(W, th, bo, nin, nout, a0, z, false);
    if (l < L) {
      const a = A + <usize>uo * ROW, cnt = nout * TILE;
      if (kind == RELU) {
        for (let q = 0; q < cnt; q++) { const zq = load<f64>(z + (<usize>q << 3)); store<f64>(a + (<usize>q << 3), zq > 0.0 ? zq : 0.0); }
      } else if (kind == IDENTITY) {
        memory.copy(a, z, <usize>cnt << 3);
      } else {
        for (let q = 0; q < cnt; q++) store<f64>(a + (<usize>q << 3), act(kind, load<f64>(z + (<usize>q << 3)), s));
      }
    }
  }
  // Loss, and δ_L = c_e ∂ℓ_e/∂f.
  const loss = ldi(p, LOSS), uL = field(p, L, 2);
  let total = 0.0;
  for (let e = 0; e < TILE; e++) {
    const c = load<f64>(cs + (<usize>e << 3));
    for (let o = 0; o < k; o++) store<f64>(F + (<usize>o << 3), load<f64>(Z + <usize>(uL + o) * ROW + (<usize>e << 3)));
    const le = lossForward(loss, F, k, <usize>load<u32>(ys + (<usize>e << 2)), DF, AUX);
    if (c != 0.0) total += c * le;
    if (losses != 0 && e < count) store<f64>(losses + (<usize>e << 3), le);
    // Fisher mode: δ unscaled (the coefficient enters with gᵀv below); padding lanes still 0.
    const cd = fv != 0 ? (c != 0.0 ? 1.0 : 0.0) : c;
    for (let o = 0; o < k; o++) store<f64>(D + <usize>(uL + o) * ROW + (<usize>e << 3), cd * load<f64>(DF + (<usize>o << 3)));
  }
  if (fv != 0) {
    fisherTile(p, th, fv, cs, g, L, kind, s, Z, A, D, U, IN, AUX + (<usize>k << 3));
    return total;
  }
  if (g == 0 && rows == 0) return total; // value only
  // Backward.
  for (let l = L; l >= 1; l--) {
    const nin = width(p, l - 1), nout = width(p, l);
    const wo = field(p, l, 0), bo = field(p, l, 1), uo = field(p, l, 2);
    const a0 = l == 1 ? IN : A + <usize>field(p, l - 1, 2) * ROW;
    const dl = D + <usize>uo * ROW;
    if (rows != 0) {
      // Per-example rows: ∂ℓ_e/∂W_l[o][j] = δ_l[o][e] a_{l−1}[j][e], ∂ℓ_e/∂b_l[o] = δ_l[o][e].
      // The layer's inputs transposed into U (free until this layer's backprop): U[e][j] = a[j][e],
      // so each row of ∂ℓ_e/∂W_l is one f64x2 scale of a contiguous vector.
      for (let j = 0; j < nin; j++) {
        for (let e = 0; e < count; e++) store<f64>(U + (<usize>(e * nin + j) << 3), load<f64>(a0 + <usize>j * ROW + (<usize>e << 3)));
      }
      for (let e = 0; e < count; e++) {
        const ge = rows + <usize>e * rowBytes, eo = <usize>e << 3;
        const ae = U + (<usize>(e * nin) << 3);
        for (let o = 0; o < nout; o++) {
          const dv = load<f64>(dl + <usize>o * ROW + eo);
          const dvv = f64x2.splat(dv);
          const gr = at(ge, wo + o * nin);
          let j = 0;
          for (; j + 2 <= nin; j += 2) v128.store(gr + (<usize>j << 3), f64x2.mul(dvv, v128.load(ae + (<usize>j << 3))));
          if (j < nin) store<f64>(gr + (<usize>j << 3), dv * load<f64>(ae + (<usize>j << 3)));
          if (bo >= 0) store<f64>(at(ge, bo + o), dv);
        }
      }
    }
    if (rows == 0) outerTile(g, wo, bo, nin, nout, dl, a0);
    if (l > 1) backpropTile(p, th, l, kind, s, Z, A, D, U);
  }
  return total;
}

/** δ_{l−1} = σ′(z_{l−1}) ⊙ W_lᵀ δ_l over the tile (D holds δ; U is scratch). */
@inline function backpropTile(p: usize, th: usize, l: i32, kind: i32, s: f64, Z: usize, A: usize, D: usize, U: usize): void {
  const nin = width(p, l - 1), nout = width(p, l);
  const W = at(th, field(p, l, 0)), po = field(p, l - 1, 2), dl = D + <usize>field(p, l, 2) * ROW;
  memory.fill(U, 0, <usize>nin * ROW);
  transposedTile(W, nin, nout, dl, U);
  const z = Z + <usize>po * ROW, a = A + <usize>po * ROW, dp = D + <usize>po * ROW;
  const cnt = nin * TILE;
  if (kind == RELU) {
    for (let q = 0; q < cnt; q++) {
      const o = <usize>q << 3;
      store<f64>(dp + o, load<f64>(z + o) > 0.0 ? load<f64>(U + o) : 0.0);
    }
  } else if (kind == IDENTITY) {
    memory.copy(dp, U, <usize>cnt << 3);
  } else {
    for (let q = 0; q < cnt; q++) {
      const o = <usize>q << 3;
      store<f64>(dp + o, dact(kind, load<f64>(z + o), load<f64>(a + o), s) * load<f64>(U + o));
    }
  }
}

/**
 * out += Σ_e c_e ∇ℓ_e (∇ℓ_eᵀ v) over the tile (empirical Fisher), with D holding the unscaled δ_L:
 * no per-example gradient rows are formed. ∇ℓ_eᵀ v = Σ_l ⟨δ_l[·][e], (V_l a_{l−1} + v_{b_l})[·][e]⟩
 * (the layer's gradient block is δ_l a_{l−1}ᵀ), so after backpropagating every δ_l, each example's
 * s_e comes from one batched affine map per layer; then D_l[·][e] *= c_e s_e and out gets the
 * layers' batched outer products, like the gradient. `sv`: TILE doubles of scratch.
 */
@inline function fisherTile(p: usize, th: usize, v: usize, cs: usize, out: usize, L: i32, kind: i32, s: f64,
                            Z: usize, A: usize, D: usize, U: usize, IN: usize, sv: usize): void {
  for (let l = L; l > 1; l--) backpropTile(p, th, l, kind, s, Z, A, D, U);
  memory.fill(sv, 0, ROW);
  for (let l = 1; l <= L; l++) {
    const nin = width(p, l - 1), nout = width(p, l);
    const a0 = l == 1 ? IN : A + <usize>field(p, l - 1, 2) * ROW, dl = D + <usize>field(p, l, 2) * ROW;
    affineTile(at(v, field(p, l, 0)), v, field(p, l, 1), nin, nout, a0, U, false);
    for (let o = 0; o < nout; o++) {
      for (let e = 0; e < TILE; e++) {
        const q = <usize>e << 3;
        store<f64>(sv + q, load<f64>(sv + q) + load<f64>(dl + <usize>o * ROW + q) * load<f64>(U + <usize>o * ROW + q));
      }
    }
  }
  for (let e = 0; e < TILE; e++) {
    const q = <usize>e << 3;
    store<f64>(sv + q, load<f64>(cs + q) * load<f64>(sv + q));
  }
  for (let l = 1; l <= L; l++) {
    const nin = width(p, l - 1), nout = width(p, l);
    const a0 = l == 1 ? IN : A + <usize>field(p, l - 1, 2) * ROW, dl = D + <usize>field(p, l, 2) * ROW;
    for (let o = 0; o < nout; o++) {
      for (let e = 0; e < TILE; e++) {
        const q = dl + <usize>o * ROW + (<usize>e << 3);
        store<f64>(q, load<f64>(q) * load<f64>(sv + (<usize>e << 3)));
      }
    }
    outerTile(out, field(p, l, 0), field(p, l, 1), nin, nout, dl, a0);
  }
}

/** a = σ(z), ra = σ′(z) ⊙ rz over cnt doubles; `kind` is a constant at the hot call sites. */
@inline function rActivate(kind: i32, z: usize, rz: usize, a: usize, ra: usize, cnt: i32, s: f64): void {
  for (let q = 0; q < cnt; q++) {
    const o = <usize>q << 3, zq = load<f64>(z + o), aq = act(kind, zq, s);
    store<f64>(a + o, aq);
    store<f64>(ra + o, dact(kind, zq, aq, s) * load<f64>(rz + o));
  }
}

/** dp = σ′ ⊙ U, rdp = σ″ ⊙ rz ⊙ U + σ′ ⊙ T over cnt doubles; `kind` is a constant at the hot call sites. */
@inline function rBackprop(kind: i32, z: usize, a: usize, rz: usize, U: usize, T: usize, dp: usize, rdp: usize, cnt: i32, s: f64): void {
  for (let q = 0; q < cnt; q++) {
    const o = <usize>q << 3, zq = load<f64>(z + o), aq = load<f64>(a + o), uq = load<f64>(U + o);
    const d1 = dact(kind, zq, aq, s);
    store<f64>(dp + o, d1 * uq);
    store<f64>(rdp + o, d2act(kind, zq, aq) * load<f64>(rz + o) * uq + d1 * load<f64>(T + o));
  }
}

/**
 * hv += Σ_e c_e ∇²ℓ_e v over the tile's examples (xs, ys, cs as in mlpTileGrad; c_e = 0 for
 * padding). Pearlmutter's R-operator (mlp.ts gives the per-example equations and the source),
 * laid out unit-major like the gradient so every layer is a batched product over 16 examples:
 *   forward    Z, A as in the gradient
 *   R-forward  RZ_l[o][·] = v_b[o] + Σ_j V_l[o][j] A_{l−1}[j][·] + Σ_j W_l[o][j] RA_{l−1}[j][·],
 *              RA_l = σ′(Z_l) ⊙ RZ_l                      (RA₀ = 0: the W term only from l = 2)
 *   loss       D_L[·][e] = c_e ∂ℓ_e/∂f,  RD_L[·][e] = c_e ∂²ℓ_e/∂f² RZ_L[·][e]
 *   backward   hv[W_l] += Σ_e RD_l[·][e] A_{l−1}[·][e]ᵀ + Σ_e D_l[·][e] RA_{l−1}[·][e]ᵀ,  hv[b_l] += Σ_e RD_l[·][e]
 *              U = W_lᵀ D_l,  T = V_lᵀ D_l + W_lᵀ RD_l
 *              D_{l−1} = σ′ ⊙ U,  RD_{l−1} = σ″ ⊙ RZ_{l−1} ⊙ U + σ′ ⊙ T
 * c_e is folded into D and RD: both backward recursions are linear in (D, RD). The per-example
 * kernel (Mlp.hvp) adds each example's terms into hv one at a time; here a layer's 16 examples are
 * summed first, so results differ from it in the last bits (checked to 1e-12 relative in
 * test/models-tile.test.ts; against PyTorch in test/models-torch.test.ts).
 */
export function mlpTileHvp(p: usize, th: usize, v: usize, xs: usize, ys: usize, cs: usize, hv: usize, w: usize): void {
  rTile(p, th, v, xs, ys, cs, hv, w, false);
}

/**
 * out += Σ_e c_e J_eᵀ (∂²ℓ_e/∂f²) J_e v over the tile's examples: generalised Gauss–Newton
 * (Schraudolph 2002; equals the true Fisher for mse, crossEntropy, bce). The HVP's recursion with
 * the terms that carry δ or σ″ dropped:
 *   RD_L = c ∂²ℓ/∂f² RZ_L,  out[W_l] += Σ_e RD_l A_{l−1}ᵀ,  out[b_l] += Σ_e RD_l,  RD_{l−1} = σ′ ⊙ W_lᵀ RD_l
 * Same tolerance against the per-example kernel (Mlp.ggnvp) as mlpTileHvp.
 */
export function mlpTileGgnvp(p: usize, th: usize, v: usize, xs: usize, ys: usize, cs: usize, out: usize, w: usize): void {
  rTile(p, th, v, xs, ys, cs, out, w, true);
}

/** mlpTileHvp (ggn false) and mlpTileGgnvp (ggn true, a constant at both call sites). */
@inline function rTile(p: usize, th: usize, v: usize, xs: usize, ys: usize, cs: usize, hv: usize, w: usize, ggn: bool): void {
  const L = ldi(p, L_), kind = ldi(p, ACT), s = ld(p, SLOPE), S = ldi(p, UNITS), k = ldi(p, KOUT), m = width(p, 0);
  let wmax = 0;
  for (let l = 0; l <= L; l++) wmax = max(wmax, width(p, l));
  const Z = w, A = Z + <usize>S * ROW, D = A + <usize>S * ROW, U = D + <usize>S * ROW, IN = U + <usize>wmax * ROW;
  const F = IN + <usize>m * ROW, DF = F + (<usize>k << 3), AUX = DF + (<usize>k << 3);
  const RZ = AUX + (<usize>k << 3), RA = RZ + <usize>S * ROW, RD = RA + <usize>S * ROW, T = RD + <usize>S * ROW;
  for (let e = 0; e < TILE; e++) {
    const x = <usize>load<u32>(xs + (<usize>e << 2));
    for (let j = 0; j < m; j++) store<f64>(IN + <usize>j * ROW + (<usize>e << 3), load<f64>(x + (<usize>j << 3)));
  }
  // Forward and R-forward, layer by layer.
  for (let l = 1; l <= L; l++) {
    const nin = width(p, l - 1), nout = width(p, l);
    const wo = field(p, l, 0), bo = field(p, l, 1), uo = field(p, l, 2);
    const a0 = l == 1 ? IN : A + <usize>field(p, l - 1, 2) * ROW;
    const z = Z + <usize>uo * ROW, rz = RZ + <usize>uo * ROW;
    affineTile(at(th, wo), th, bo, nin, nout, a0, z, false);
    affineTile(at(v, wo), v, bo, nin, nout, a0, rz, false);
    if (l > 1) affineTile(at(th, wo), th, -1, nin, nout, RA + <usize>field(p, l - 1, 2) * ROW, rz, true);
    if (l < L) {
      const a = A + <usize>uo * ROW, ra = RA + <usize>uo * ROW, cnt = nout * TILE;
      // One loop per common activation: the kind's switch is folded out of the element loop.
      if (kind == TANH) rActivate(TANH, z, rz, a, ra, cnt, s);
      else if (kind == RELU) rActivate(RELU, z, rz, a, ra, cnt, s);
      else rActivate(kind, z, rz, a, ra, cnt, s);
    }
  }
  // Loss: D_L = c ∂ℓ/∂f, RD_L = c ∂²ℓ/∂f² R{f}, one example at a time (F holds f, then R{f}).
  const loss = ldi(p, LOSS), uL = field(p, L, 2);
  for (let e = 0; e < TILE; e++) {
    const c = load<f64>(cs + (<usize>e << 3)), eo = <usize>e << 3;
    for (let o = 0; o < k; o++) store<f64>(F + (<usize>o << 3), load<f64>(Z + <usize>(uL + o) * ROW + eo));
    lossForward(loss, F, k, <usize>load<u32>(ys + (<usize>e << 2)), DF, AUX);
    if (!ggn) for (let o = 0; o < k; o++) store<f64>(D + <usize>(uL + o) * ROW + eo, c * load<f64>(DF + (<usize>o << 3)));
    for (let o = 0; o < k; o++) store<f64>(F + (<usize>o << 3), load<f64>(RZ + <usize>(uL + o) * ROW + eo));
    lossHvp(loss, k, AUX, F, DF);
    for (let o = 0; o < k; o++) store<f64>(RD + <usize>(uL + o) * ROW + eo, c * load<f64>(DF + (<usize>o << 3)));
  }
  // Backward.
  for (let l = L; l >= 1; l--) {
    const nin = width(p, l - 1), nout = width(p, l);
    const wo = field(p, l, 0), bo = field(p, l, 1), uo = field(p, l, 2);
    const a0 = l == 1 ? IN : A + <usize>field(p, l - 1, 2) * ROW;
    const dl = D + <usize>uo * ROW, rdl = RD + <usize>uo * ROW;
    outerTile(hv, wo, bo, nin, nout, rdl, a0);
    if (l > 1 && ggn) {
      // RD_{l−1} = σ′ ⊙ W_lᵀ RD_l (into T, then in place).
      const po = field(p, l - 1, 2), cnt = nin * TILE;
      memory.fill(T, 0, <usize>nin * ROW);
      transposedTile(at(th, wo), nin, nout, rdl, T);
      const z = Z + <usize>po * ROW, a = A + <usize>po * ROW, rdp = RD + <usize>po * ROW;
      for (let q = 0; q < cnt; q++) {
        const o = <usize>q << 3;
        store<f64>(rdp + o, dact(kind, load<f64>(z + o), load<f64>(a + o), s) * load<f64>(T + o));
      }
    } else if (l > 1) {
      const po = field(p, l - 1, 2);
      outerTile(hv, wo, -1, nin, nout, dl, RA + <usize>po * ROW);
      memory.fill(U, 0, <usize>nin * ROW);
      transposedTile(at(th, wo), nin, nout, dl, U);
      memory.fill(T, 0, <usize>nin * ROW);
      transposedTile(at(v, wo), nin, nout, dl, T);
      transposedTile(at(th, wo), nin, nout, rdl, T);
      const z = Z + <usize>po * ROW, a = A + <usize>po * ROW, rz = RZ + <usize>po * ROW;
      const dp = D + <usize>po * ROW, rdp = RD + <usize>po * ROW, cnt = nin * TILE;
      if (kind == TANH) rBackprop(TANH, z, a, rz, U, T, dp, rdp, cnt, s);
      else if (kind == RELU) rBackprop(RELU, z, a, rz, U, T, dp, rdp, cnt, s);
      else rBackprop(kind, z, a, rz, U, T, dp, rdp, cnt, s);
    }
  }
}
