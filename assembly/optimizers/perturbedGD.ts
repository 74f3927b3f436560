// Perturbed gradient descent (Jin, Ge, Netrapalli, Kakade & Jordan, "How to escape saddle points
// efficiently", ICML 2017, Algorithm 2 "PGD"), on a d × B block (coordinate j of lane k at
// 8(jB + k)), step t, per particle:
//   if ‖g‖ ≤ gThres and t − t_last ≥ tThres:        (t_last = −∞ before the first perturbation)
//       x ← x + ξ,  ξ uniform in the ball {‖ξ‖ ≤ r};  t_last ← t;  g ← ∇f(x) + ζ at the new x
//   x⁺ = x − η g
// so perturbations are at least tThres steps apart (at most one in any tThres consecutive steps).
// Jin et al. write the gap test as t − t_noise > t_thres; ours counts tThres itself as far
// enough. Their termination rule (stop when f has not decreased by f_thres within t_thres steps of
// a perturbation) is not applied: a simulation runs its steps; the ensemble's stop tests can end
// a particle instead.
// ξ = r · u^{1/d} · z/‖z‖ with z ~ N(0, I_d) (its direction is uniform on the sphere) and
// u ~ U[0, 1) independent (so P(‖ξ‖ ≤ s) = (s/r)^d, the volume fraction: uniform in the ball;
// Muller 1959, Marsaglia 1972). Draws: Philox stream PERTURB (11), counter (draw, step,
// particle): z = normal draws 0 … d−1 (Box–Muller blocks 0 … ⌈d/2⌉−1), u = uniform draw 2⌈d/2⌉
// (the first of the next block), so the two never share Philox words.
// g is the step's gradient, noise ζ = g − ∇f(x_t) included; at a perturbation the gradient is
// re-evaluated at the perturbed point and the same ζ added (as for SAM). Only active particles
// are tested and perturbed; t_last is kept per particle in state slot 0 (row 0 of the block).

import { landscapeGrad } from '../landscapes/dispatch';
import { fillNormal } from '../random/normal';
import { fillUniform } from '../random/uniform';
import { PERTURB } from '../random/streams';
import { sgdStep } from './sgd';

/** Doubles of work space perturbedGDStep needs: z (d), u, x_t (d), ∇f(x_t) (d), ∇f(x_t + ξ) (d). */
export function perturbedGDWork(d: i32): i32 { return 4 * d + 1; }

/**
 * PGD step t on a d × B block of particles p0 …: x, g, tLast (slot 0: B doubles used), status
 * (i32 per lane, 0 = active), η, gThres, tThres, r; `noisy`: the run adds gradient noise; key
 * (k0, k1). work: perturbedGDWork(d) doubles.
 */
export function perturbedGDStep(lk: i32, lp: usize, lw: usize, d: i32, B: i32, p0: u32, t: i32, k0: u32, k1: u32,
                                x: usize, g: usize, tLast: usize, status: usize, lr: f64, gThres: f64, tThres: f64,
                                radius: f64, noisy: bool, work: usize): void {
  const row = <usize>B << 3, vb = <usize>d << 3;
  const z = work, u = z + vb, xc = u + 8, g0 = xc + vb, gc = g0 + vb;
  for (let k = 0; k < B; k++) {
    if (load<i32>(status + (<usize>k << 2)) != 0) continue;
    const o0 = <usize>k << 3;
    let ss = 0.0;
    for (let j = 0; j < d; j++) {
      const v = load<f64>(g + <usize>j * row + o0);
      ss += v * v;
    }
    const tl = load<f64>(tLast + o0);
    if (!(Math.sqrt(ss) <= gThres && <f64>t - tl >= tThres)) continue;
    store<f64>(tLast + o0, <f64>t);
    const particle = p0 + <u32>k;
    fillNormal(k0, k1, PERTURB, particle, <u32>t, 0, d, z);
    fillUniform(k0, k1, PERTURB, particle, <u32>t, <u32>((d + 1) & ~1), 1, u);
    let zz = 0.0;
    for (let j = 0; j < d; j++) zz += load<f64>(z + (<usize>j << 3)) * load<f64>(z + (<usize>j << 3));
    const zn = Math.sqrt(zz);
    const c = zn == 0.0 ? 0.0 : radius * Math.pow(load<f64>(u), 1.0 / <f64>d) / zn;
    for (let j = 0; j < d; j++) store<f64>(xc + (<usize>j << 3), load<f64>(x + <usize>j * row + o0));
    if (noisy) landscapeGrad(lk, lp, d, 1, xc, 0, 8, g0, lw, 0);
    for (let j = 0; j < d; j++) {
      const o = <usize>j << 3;
      store<f64>(xc + o, load<f64>(xc + o) + c * load<f64>(z + o));
    }
    landscapeGrad(lk, lp, d, 1, xc, 0, 8, gc, lw, 0);
    for (let j = 0; j < d; j++) {
      const o = <usize>j << 3, ob = <usize>j * row + o0;
      const zeta = noisy ? load<f64>(g + ob) - load<f64>(g0 + o) : 0.0;
      store<f64>(x + ob, load<f64>(xc + o));
      store<f64>(g + ob, load<f64>(gc + o) + zeta);
    }
  }
  sgdStep(d * B, x, g, 0, lr, 0.0, 0.0, 0.0, 1.0, false, false);
}
