// One optimisation trajectory: steps [t0, t1) of an optimiser on a landscape from the current
// point x, in one call (the caller chunks long runs; state lives in memory between chunks).
// Each step: take the gradient at the optimiser's grad point, record f(x_t), move x. Used by
// minimize() and by the optimiser tests; ensembles use the blocked loop instead.

import { landscapeGrad, landscapeValue } from '../landscapes/dispatch';
import { optimizerGradPoint, optimizerStep } from '../optimizers/dispatch';
import { learningRate } from '../schedules';

/**
 * Run steps t0 ≤ t < t1. Landscape (lk, lp, d, lw); optimiser (ok, hp, state s with slot stride
 * 8d, run scalars r); schedule (sk, q). x: the point (d); g: d doubles of scratch. Writes
 * f(x_t) to losses[t − t0] and x_{t+1} to xs + (t − t0)·8d (xs may be 0: not recorded).
 * Returns the first step whose new point is not finite, or −1.
 */
export function trajectoryRun(lk: i32, lp: usize, d: i32, lw: usize, ok: i32, hp: usize, s: usize,
                              r: usize, sk: i32, q: usize, x: usize, g: usize, t0: i32, t1: i32,
                              losses: usize, xs: usize): i32 {
  const stride = <usize>d << 3;
  for (let t = t0; t < t1; t++) {
    const at = optimizerGradPoint(ok, hp, t, d, x, s, stride);
    const lossOut = losses + (<usize>(t - t0) << 3);
    landscapeGrad(lk, lp, d, 1, at, 0, 8, g, lw, at == x ? lossOut : 0);
    if (at != x) landscapeValue(lk, lp, d, 1, x, 0, 8, lw, lossOut);
    optimizerStep(ok, hp, t, learningRate(sk, q, t), d, x, g, s, stride, r);
    if (xs != 0) memory.copy(xs + <usize>(t - t0) * stride, x, stride);
    for (let j = 0; j < d; j++) {
      const v = load<f64>(x + (<usize>j << 3));
      if (!isFinite(v)) return t;
    }
  }
  return -1;
}
