// Metropolis–Hastings with a random-walk or an independence proposal: target π(x) ∝ exp(−U(x)/T),
// U the landscape; values only, no gradients (Metropolis et al. 1953; Hastings 1970, Biometrika
// 57(1), "Monte Carlo sampling methods using Markov chains and their applications"; Tierney 1994,
// Ann. Statist. 22(4), §2.3.1 for the independence sampler):
//   random walk    y = x + s·ξ,  ξ ~ N(0, I)       log α = −(U(y) − U(x))/T            (q symmetric)
//   independence   y = μ + s·ξ                     log α = −(U(y) − U(x))/T + (‖y − μ‖² − ‖x − μ‖²)/(2s²)
//                                                   (log q(x) − log q(y), q = N(μ, s²I))
//   accept         y if log u < log α, u ~ U[0, 1); otherwise stay at x.
// A non-finite U(y) makes log α NaN or −∞: the proposal is rejected, so particles never diverge
// through one. The stationary law is exactly π for any s (detailed balance).
// Draws: ξ_j is ziggurat normal j of Philox stream MH_PROPOSAL for (particle, step) (block
// (⌊j/2⌋, step, particle), word pair j mod 2; retries on MH_RETRY); u is stream ACCEPT, counter
// (0, step, particle), word pair 0, as MALA's. Accepted proposals are counted per particle (acc).
// The ensemble loop gives U(x_t) in fx (values only: the pipeline takes no gradient for this
// kind); U(y) is evaluated here for the whole block at once.
// Hyperparameters h: 1 1 | T proposal (0 random walk, 1 independence) s | μ (d, independence).

import { landscapeValue } from '../landscapes/dispatch';
import { metropolisAccept } from './accept';
import { zigguratNormals8, zigguratPair, ZA, ZB } from '../random/ziggurat';
import { MH_PROPOSAL, MH_RETRY } from '../random/streams';
import { MH_TEMPERATURE, MH_PROPOSAL_KIND, MH_SCALE, MH_MEAN } from '../optimizers/kinds';

const Z8: usize = memory.data(128, 16); // eight lanes' draws of a coordinate pair

/** State slots MH needs (n = d·B doubles each): the proposal y, then U(y) (B ≤ n). */
export const MH_SLOTS = 2;

/** y ← base + s·ξ for the d × B block (base: x, or μ broadcast when `mu` ≠ 0). */
function propose(d: i32, B: i32, p0: u32, t: u32, k0: u32, k1: u32, x: usize, mu: usize, y: usize, s: f64): void {
  const row = <usize>B << 3;
  let l = 0;
  for (; l + 8 <= B; l += 8) {
    for (let j = 0; j < d; j += 2) {
      const both = j + 1 < d;
      zigguratNormals8(MH_PROPOSAL, MH_RETRY, <u32>(j >> 1), t, p0 + <u32>l, k0, k1, both, Z8);
      for (let c = 0, nc = both ? 2 : 1; c < nc; c++) {
        const o = <usize>(j + c) * row + (<usize>l << 3), z = Z8 + (<usize>(c * 64));
        for (let q = 0; q < 8; q++) {
          const base = mu != 0 ? load<f64>(mu + (<usize>(j + c) << 3)) : load<f64>(x + o + (<usize>q << 3));
          store<f64>(y + o + (<usize>q << 3), base + s * load<f64>(z + (<usize>q << 3)));
        }
      }
    }
  }
  for (; l < B; l++) {
    for (let j = 0; j < d; j += 2) {
      const both = j + 1 < d;
      zigguratPair(MH_PROPOSAL, MH_RETRY, <u32>(j >> 1), t, p0 + <u32>l, k0, k1, both);
      for (let c = 0, nc = both ? 2 : 1; c < nc; c++) {
        const o = <usize>(j + c) * row + (<usize>l << 3);
        const base = mu != 0 ? load<f64>(mu + (<usize>(j + c) << 3)) : load<f64>(x + o);
        store<f64>(y + o, base + s * (c == 0 ? ZA : ZB));
      }
    }
  }
}

/**
 * MH step t on a d × B block (particles p0 …): fx = U(x) (B doubles); s: MH_SLOTS slots,
 * `stride` bytes apart; acc: the block's accepted-proposal counts (i32 × B); hp: h.
 */
export function mhStep(lk: i32, lp: usize, lw: usize, d: i32, B: i32, p0: u32, t: u32, k0: u32, k1: u32,
                       x: usize, fx: usize, s: usize, stride: usize, acc: usize, hp: usize): void {
  const row = <usize>B << 3;
  const temp = load<f64>(hp, MH_TEMPERATURE << 3), sc = load<f64>(hp, MH_SCALE << 3);
  const independence = load<f64>(hp, MH_PROPOSAL_KIND << 3) != 0.0;
  const mu: usize = independence ? hp + (<usize>MH_MEAN << 3) : 0;
  const y = s, uy = s + stride;
  propose(d, B, p0, t, k0, k1, x, mu, y, sc);
  landscapeValue(lk, lp, d, B, y, 8, row, lw, uy);
  const inv2s2 = 1.0 / (2.0 * sc * sc);
  for (let k = 0; k < B; k++) {
    const o0 = <usize>k << 3;
    let logAlpha = -(load<f64>(uy + o0) - load<f64>(fx + o0)) / temp;
    if (independence) {
      let ry = 0.0, rx = 0.0; // ‖y − μ‖², ‖x − μ‖²
      for (let j = 0; j < d; j++) {
        const o = <usize>j * row + o0, m = load<f64>(mu + (<usize>j << 3));
        const a = load<f64>(y + o) - m, c = load<f64>(x + o) - m;
        ry += a * a;
        rx += c * c;
      }
      logAlpha += (ry - rx) * inv2s2;
    }
    metropolisAccept(k0, k1, p0, t, k, logAlpha, d, row, x, y, acc);
  }
}
