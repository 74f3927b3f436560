// The general step pipeline: steps [t0, t1) of one block for any run the ensemble loop takes
// (run/ensemble.ts), whatever its landscape, noise and rule. The fused kernels (run/fused.ts) run
// the common cases faster with the same bits; everything else comes here.
//
// One step t of one block (B particles, global indices p0 …):
//   grad     y = the rule's gradient point (x, or Nesterov's look-ahead); g = ∇f(y), and f(x_t)
//            when it is needed (records, loss-scaled noise, MALA, Metropolis–Hastings); no
//            gradient when nothing uses it (values-only rules, replaced gradients, no records)
//   checks   ‖g‖ (records, gradient tolerance); stop tests on x_t: ‖g‖ < tol, x_t inside a region
//            or outside an exit region → frozen at x_t from now on (run/block.ts)
//   records  at t mod every = 0: per-block partials, losses, trajectories of the first m
//            particles, sharpness tracking (run/sharpness.ts)
//   noise    g ← the noisy gradient, every kind (noise/apply.ts noiseBlock)
//   update   x ← the rule's step at η_t, every kind (optimizers/dispatch.ts stepBlock); stopped
//            particles are put back at their frozen x
//   checks   divergence: max_j |x_j| > bound or NaN → diverged at t, excluded from then on
// A block with no active particle left does nothing more (only records of stopped ones).

import * as D from './descriptor';
import { f, u, i, key } from './descriptor';
import { ACTIVE, STOPPED, countStatus, gradNorms, stopTests, recordBlock, recordTrajectory, restoreStopped, divergence } from './block';
import { landscapeGrad, landscapeValue } from '../landscapes/dispatch';
import { blockGradPoint, stepBlock } from '../optimizers/dispatch';
import { noiseBlock, isBatched, replacesGradient } from '../noise/apply';
import { LOSS_SCALED } from '../noise/kinds';
import { MALA, METROPOLIS_HASTINGS, SME, ownsGradient } from '../optimizers/kinds';
import { trackSharpness, tracksNow } from './sharpness';

/** Steps [t0, t1) of local block b; record step t writes chunk row t/every − row0. */
export function pipelineBlock(desc: usize, b: i32, t0: i32, t1: i32, row0: i32): void {
  const d = i(desc, D.DIM), B = i(desc, D.B), n = d * B;
  const lk = i(desc, D.LK), lp = u(desc, D.LP), lw = u(desc, D.LW);
  const ok = i(desc, D.OK), hp = u(desc, D.HP), slots = i(desc, D.SLOTS), nk = i(desc, D.NK);
  const stride = <usize>n << 3, row = <usize>B << 3;
  const x = u(desc, D.X) + <usize>b * stride;
  const s = u(desc, D.S) + <usize>(b * slots) * stride;
  const r = u(desc, D.R) + (<usize>(2 * b) << 3);
  const g = u(desc, D.G), fl = u(desc, D.F), gn = u(desc, D.GN);
  const status = u(desc, D.STATUS) + (<usize>(b * B) << 2);
  const every = i(desc, D.EVERY), gradTol = f(desc, D.GRADTOL), nreg = i(desc, D.NREG), trajM = i(desc, D.TRAJM);
  const frozen = u(desc, D.FROZEN), shw = u(desc, D.SHW);
  const frozenBlock: usize = frozen == 0 ? 0 : frozen + <usize>b * stride;
  const p0 = D.firstParticle(desc, b); // global index of lane 0: the key of every draw
  const batched = isBatched(nk);
  // Distributed and variance-reduced kinds take their own gradients in their step (run/distributed.ts),
  // as does the SME (optimizers/sme.ts, per substep): the pipeline computes one only for norms, and no noise.
  const own = ownsGradient(ok) || ok == SME;
  // No exact gradient needed for the update: it is replaced (minibatch, zeroth order), or the rule uses values only (MH).
  const replaced = replacesGradient(nk) || ok == METROPOLIS_HASTINGS;

  let active = countStatus(status, B, ACTIVE);
  // Epoch permutations are regenerated per block (the scratch is shared by all blocks).
  if (batched) for (let k = 0; k < B; k++) store<i32>(u(desc, D.MBI) + (<usize>k << 2), -1);
  for (let t = t0; t < t1; t++) {
    const record = every > 0 && t % every == 0;
    if (active == 0) {
      // Nothing moves: stopped lanes stay frozen. Only records need them (their f and ‖∇f‖).
      if (countStatus(status, B, STOPPED) == 0) break; // all diverged or padding: nothing left
      if (record) {
        landscapeGrad(lk, lp, d, B, x, 8, row, g, lw, fl);
        gradNorms(g, d, B, gn);
        recordBlock(desc, b, t / every - row0, x, fl, gn, status);
      }
      if (trajM > 0 && p0 < trajM) recordTrajectory(desc, b, t, x);
      continue;
    }
    // grad: values f(x_t) only to record them, scale loss-scaled noise or for MALA's test; a
    // minibatch or zeroth-order estimate replaces the gradient, so the exact one only for norms
    // (records, tolerance).
    const at = blockGradPoint(desc, b, t, x, s);
    const needValue = record || nk == LOSS_SCALED || ok == MALA || ok == METROPOLIS_HASTINGS;
    const needNorm = record || gradTol > 0.0;
    if ((!replaced && !own) || needNorm) landscapeGrad(lk, lp, d, B, at, 8, row, g, lw, needValue && at == x ? fl : 0);
    else if (needValue) landscapeValue(lk, lp, d, B, x, 8, row, lw, fl);
    if (needValue && at != x) landscapeValue(lk, lp, d, B, x, 8, row, lw, fl);
    // checks on x_t, records
    if (needNorm) gradNorms(g, d, B, gn);
    if (gradTol > 0.0 || nreg > 0) active -= stopTests(desc, b, t, x, gn, status, frozenBlock);
    if (record) recordBlock(desc, b, t / every - row0, x, fl, gn, status);
    if (trajM > 0 && p0 < trajM) recordTrajectory(desc, b, t, x);
    if (shw != 0 && tracksNow(shw, t, p0)) {
      trackSharpness(lk, lp, lw, d, B, p0, t / <i32>load<f64>(shw), x, status, key(desc, D.K0), key(desc, D.K1), u(desc, D.SHP), shw);
    }
    // noise, update, divergence
    if (!own) noiseBlock(desc, b, t, x, at, g, fl);
    stepBlock(desc, b, t, x, g, fl, s, r);
    if (frozenBlock != 0) restoreStopped(x, frozenBlock, status, d, B);
    active -= divergence(desc, b, t, x, status, d, B);
  }
}
