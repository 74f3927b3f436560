// Metropolis-adjusted Langevin (MALA): target π(x) ∝ exp(−U(x)/T), U the landscape.
// Roberts & Tweedie (1996, Bernoulli 2(4), "Exponential convergence of Langevin distributions and
// their discrete approximations"), with temperature T:
//   proposal    y = x − h∇U(x) + √(2hT)·ξ,  ξ ~ N(0, I)          (the ULA step, same draws)
//   q(b | a)    ∝ exp(−‖b − a + h∇U(a)‖² / (4hT))
//   log α       = −(U(y) − U(x))/T + log q(x | y) − log q(y | x)
//   accept      y if log u < log α, u ~ U[0, 1); otherwise stay at x.
// A non-finite U(y) or ∇U(y) makes log α NaN, and NaN < anything is false: such proposals are
// rejected, so MALA particles never diverge through a bad proposal.
// Draws: ξ are the ziggurat normals of samplers/samplerNormals.ts (stream SAMPLER) exactly as ULA's, so a MALA
// chain whose proposals are all accepted is the ULA chain; u is stream ACCEPT counter (0, step,
// particle), word pair 0. Accepted proposals are counted per particle (i32 at acc).
// The ensemble loop gives ∇U(x_t) in g and U(x_t) in fx (one gradient-with-values call); the
// proposal's value and gradient are evaluated here for the whole block at once (one dispatch).

import { landscapeGrad } from '../landscapes/dispatch';
import { langevinMove } from './langevin';
import { metropolisAccept } from './accept';


/** State slots MALA needs (n = d·B doubles each): proposal y, ∇U(y), U(y) (B ≤ n). */
export const MALA_SLOTS = 3;

/**
 * MALA step t on a d × B block (particles p0 …) at step size h and temperature T. g = ∇U(x),
 * fx = U(x) (B doubles); s: MALA_SLOTS slots, `stride` bytes apart; acc: the block's
 * accepted-proposal counts (i32 × B).
 */
export function malaStep(lk: i32, lp: usize, lw: usize, d: i32, B: i32, p0: u32, t: u32, k0: u32, k1: u32,
                         x: usize, g: usize, fx: usize, s: usize, stride: usize, acc: usize, h: f64, temp: f64): void {
  const row = <usize>B << 3;
  const y = s, gy = s + stride, uy = s + 2 * stride;
  const sc = Math.sqrt(2.0 * h * temp);
  // Proposal y = x − h∇U(x) + √(2hT)ξ: the ULA move and draws, written to y.
  langevinMove(d, B, p0, t, k0, k1, x, y, g, h, sc);
  landscapeGrad(lk, lp, d, B, y, 8, row, gy, lw, uy);
  const inv4hT = 1.0 / (4.0 * h * temp);
  for (let k = 0; k < B; k++) {
    const o0 = <usize>k << 3;
    // ‖x − y + h∇U(y)‖² (reverse move) and ‖y − x + h∇U(x)‖² = 2hT‖ξ‖² (forward move).
    let back = 0.0, fwd = 0.0;
    for (let j = 0; j < d; j++) {
      const o = <usize>j * row + o0;
      const xv = load<f64>(x + o), yv = load<f64>(y + o);
      const rb = xv - yv + h * load<f64>(gy + o);
      const rf = yv - xv + h * load<f64>(g + o);
      back += rb * rb;
      fwd += rf * rf;
    }
    const logAlpha = -(load<f64>(uy + o0) - load<f64>(fx + o0)) / temp - (back - fwd) * inv4hT;
    metropolisAccept(k0, k1, p0, t, k, logAlpha, d, row, x, y, acc);
  }
}
