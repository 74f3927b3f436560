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
import { act, dact, RELU, IDENTITY } from './activations';
import { lossForward } from './losses';
import { L_, ACT, SLOPE, UNITS, width, layerField as field } from './mlpLayout';

export const TILE = 16;
const ROW: usize = <usize>TILE << 3; // bytes of one unit's lanes


/** Doubles of tile scratch for an MLP with S units, widest layer wmax, m inputs and k outputs. */
export function mlpTileScratch(S: i32, wmax: i32, m: i32, k: i32): i32 { return TILE * (3 * S + wmax + m) + 3 * k; }

/**
 * g += Σ_e c_e ∇ℓ_e over the tile's examples; returns Σ_e c_e ℓ_e. xs, ys: TILE addresses (u32) of
 * each lane's input row and target; cs: TILE coefficients (0 for padding). g = 0: the value only
 * (forward pass and losses, no backward).
 */
export function mlpTileGrad(p: usize, th: usize, xs: usize, ys: usize, cs: usize, g: usize, w: usize): f64 {
  return tile(p, th, xs, ys, cs, g, 0, 0, 0, w);
}

/**
 * Per-example mode: lane e < count writes ℓ_e to losses[e] and ∇ℓ_e (unscaled: cs must be 1 for
 * live lanes) to the row at rows + e·d doubles.
 */
export function mlpTilePerExample(p: usize, th: usize, xs: usize, ys: usize, cs: usize, rows: usize, d: i32, losses: usize, count: i32, w: usize): void {
  tile(p, th, xs, ys, cs, 0, rows, <usize>d << 3, losses, w, count);
}

function tile(p: usize, th: usize, xs: usize, ys: usize, cs: usize, g: usize, rows: usize, rowBytes: usize, losses: usize, w: usize, count: i32 = TILE): f64 {
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
    for (let o = 0; o < nout; o++) {
      const b = f64x2.splat(bo >= 0 ? ld(th, bo + o) : 0.0);
      let c0 = b, c1 = b, c2 = b, c3 = b, c4 = b, c5 = b, c6 = b, c7 = b;
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
      const zo = z + <usize>o * ROW;
      v128.store(zo, c0); v128.store(zo, c1, 16); v128.store(zo, c2, 32); v128.store(zo, c3, 48);
      v128.store(zo, c4, 64); v128.store(zo, c5, 80); v128.store(zo, c6, 96); v128.store(zo, c7, 112);
    }
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
    for (let o = 0; o < k; o++) store<f64>(D + <usize>(uL + o) * ROW + (<usize>e << 3), c * load<f64>(DF + (<usize>o << 3)));
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
    for (let o = 0; o < nout && rows == 0; o++) {
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
    if (l > 1) {
      const W = at(th, wo), po = field(p, l - 1, 2);
      memory.fill(U, 0, <usize>nin * ROW);
      for (let o = 0; o < nout; o++) {
        const d = dl + <usize>o * ROW;
        const d0 = v128.load(d), d1 = v128.load(d, 16), d2 = v128.load(d, 32), d3 = v128.load(d, 48);
        const d4 = v128.load(d, 64), d5 = v128.load(d, 80), d6 = v128.load(d, 96), d7 = v128.load(d, 112);
        const wr = W + (<usize>(o * nin) << 3);
        for (let j = 0; j < nin; j++) {
          const wv = f64x2.splat(load<f64>(wr + (<usize>j << 3)));
          const u = U + <usize>j * ROW;
          v128.store(u, f64x2.add(v128.load(u), f64x2.mul(wv, d0)));
          v128.store(u, f64x2.add(v128.load(u, 16), f64x2.mul(wv, d1)), 16);
          v128.store(u, f64x2.add(v128.load(u, 32), f64x2.mul(wv, d2)), 32);
          v128.store(u, f64x2.add(v128.load(u, 48), f64x2.mul(wv, d3)), 48);
          v128.store(u, f64x2.add(v128.load(u, 64), f64x2.mul(wv, d4)), 64);
          v128.store(u, f64x2.add(v128.load(u, 80), f64x2.mul(wv, d5)), 80);
          v128.store(u, f64x2.add(v128.load(u, 96), f64x2.mul(wv, d6)), 96);
          v128.store(u, f64x2.add(v128.load(u, 112), f64x2.mul(wv, d7)), 112);
        }
      }
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
  }
  return total;
}
