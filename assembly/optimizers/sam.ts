// Sharpness-aware minimisation (Foret, Kleiner, Mobahi & Neyshabur, "Sharpness-aware
// minimization for efficiently improving generalization", ICLR 2021, eq. 2–3 and Algorithm 1),
// on a d × B block (coordinate j of lane k at 8(jB + k)):
//   ε    = ρ g / ‖g‖                 (ε = 0 when g = 0)                 ascent to the worst nearby point
//   g_S  = ∇f(x + ε) + (g − ∇f(x))                                      gradient there (see noise below)
//   b    ← g_S at t = 0,  b ← μ b + g_S afterwards                      torch SGD momentum, dampening 0
//   x⁺   = x − η b                   (x⁺ = x − η g_S when μ = 0)
// With adaptive = true, ASAM (Kwon, Kim, Park & Choi, ICML 2021, with T_x = |x| elementwise, as
// the reference implementation github.com/davda54/sam): ε = ρ x²⊙g / ‖|x|⊙g‖.
// The base update is sgd.ts with μ and no dampening, weight decay or Nesterov.
// Noise: g is the step's gradient with the run's noise ζ = g − ∇f(x) added (noise.*); the same
// realisation ζ is added to the gradient at x + ε, as SAM takes both gradients on one minibatch.
// For additive noise that is exact; for noise.minibatch it is the batch's deviation at x, not
// at x + ε (they differ by O(ρ)). Without noise the extra ∇f(x) is not computed.
// Both gradients go through the landscape kernel once per block (lanes in f64x2 pairs).

import { landscapeGrad } from '../landscapes/dispatch';
import { sgdStep } from './sgd';

/** Doubles of work space samStep needs for n = d·B coordinates: x + ε, ∇f(x + ε), ∇f(x). */
export function samWork(n: i32): i32 { return 3 * n; }

/**
 * SAM step on a d × B block: x, g (the step's gradient), b (momentum slot, unused when μ = 0),
 * learning rate η, ρ, μ; `noisy`: the run adds gradient noise; `first`: step 0. work: samWork(dB).
 */
export function samStep(lk: i32, lp: usize, lw: usize, d: i32, B: i32, x: usize, g: usize, b: usize, lr: f64,
                        rho: f64, momentum: f64, adaptive: bool, noisy: bool, first: bool, work: usize): void {
  const n = d * B, row = <usize>B << 3;
  const y = work, gs = y + (<usize>n << 3), g0 = gs + (<usize>n << 3);
  for (let k = 0; k < B; k++) {
    const o0 = <usize>k << 3;
    let ss = 0.0;
    for (let j = 0; j < d; j++) {
      const o = <usize>j * row + o0;
      const gj = load<f64>(g + o);
      const t = adaptive ? Math.abs(load<f64>(x + o)) * gj : gj;
      ss += t * t;
    }
    const nrm = Math.sqrt(ss);
    const c = nrm == 0.0 ? 0.0 : rho / nrm; // NaN norms propagate
    for (let j = 0; j < d; j++) {
      const o = <usize>j * row + o0;
      const xj = load<f64>(x + o), gj = load<f64>(g + o);
      store<f64>(y + o, xj + c * (adaptive ? xj * xj * gj : gj));
    }
  }
  landscapeGrad(lk, lp, d, B, y, 8, row, gs, lw, 0);
  if (noisy) {
    landscapeGrad(lk, lp, d, B, x, 8, row, g0, lw, 0);
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      store<f64>(gs + o, load<f64>(gs + o) + (load<f64>(g + o) - load<f64>(g0 + o)));
    }
  }
  sgdStep(n, x, gs, b, lr, momentum, 0.0, 0.0, 1.0, false, first);
}
