// Asynchronous SGD with stale gradients: the update at step t uses a gradient taken at the
// iterate τ_t steps back (Lian, Huang, Li & Liu, "Asynchronous parallel stochastic gradient for
// nonconvex optimization", NeurIPS 2015; Mishchenko et al., "Asynchronous SGD beats minibatch SGD
// under arbitrary delays", NeurIPS 2022):
//   x_{t+1} = x_t − η_t σ g(x_{t−τ_t}),   τ_t = min(τ′_t, t)
// with g the run's gradient and noise at that point (any landscape, any noise model), and τ′_t
//   fixed      τmax
//   uniform    on {0, …, τmax}: ⌊(τmax + 1)u⌋
//   geometric  P(τ′ = k) ∝ (1 − q)q^k on k ≥ 0, truncated at τmax: min(⌊ln(1 − u)/ln q⌋, τmax)
// u the uniform DELAY draw 0 at (t, particle). State (τmax + 2 slots): the last τmax + 1 iterates
// in a ring (x_t in slot t mod (τmax + 1)) and the gathered stale points, where the pipeline takes
// the block's gradient (run/pipeline.ts). τ ≡ 0 is SGD bit for bit: the gradient point is an
// exact copy of x_t and the step is sgd.ts's. Cost per step: SGD's, plus two copies of the block.

import { philox, out0, out1 } from '../random/philox';
import { u01 } from '../random/uniform';
import { DELAY } from '../random/streams';
import { DELAY_FIXED, DELAY_UNIFORM } from './kinds';

/** The delay τ_t of (particle, t) under law `law` (DELAY_*), τmax and q. */
@inline function delay(law: i32, tmax: i32, q: f64, t: i32, particle: u32, k0: u32, k1: u32): i32 {
  let tau = tmax;
  if (law != DELAY_FIXED) {
    philox(0, <u32>t, particle, DELAY, k0, k1);
    const v = u01(out0, out1);
    if (law == DELAY_UNIFORM) tau = <i32>Math.floor(<f64>(tmax + 1) * v);
    else {
      const k = Math.floor(Math.log(1.0 - v) / Math.log(q)); // q = 0: −0 (ln 1 = 0) or 0, so τ = 0
      tau = k >= <f64>tmax ? tmax : <i32>k;
    }
    if (tau > tmax) tau = tmax;
  }
  return tau < t ? tau : t;
}

/**
 * Store x_t (d × B block, n = d·B doubles) in its ring slot and write the block's gradient points
 * x_{t−τ_t}, lane by lane, into the last slot; returns that slot's address. s: the block's state.
 */
export function asyncGradPoint(law: i32, tmax: i32, q: f64, t: i32, d: i32, B: i32, p0: u32, k0: u32, k1: u32,
                               x: usize, s: usize, stride: usize): usize {
  const ring = tmax + 1;
  memory.copy(s + <usize>(t % ring) * stride, x, stride);
  const at = s + <usize>ring * stride;
  const row = <usize>B << 3;
  for (let k = 0; k < B; k++) {
    const tau = delay(law, tmax, q, t, p0 + <u32>k, k0, k1);
    const from = s + <usize>((t - tau) % ring) * stride + (<usize>k << 3), to = at + (<usize>k << 3);
    for (let j = 0; j < d; j++) store<f64>(to + <usize>j * row, load<f64>(from + <usize>j * row));
  }
  return at;
}
