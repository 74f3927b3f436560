// The SVGD loop: steps outer, blocks inner, because SVGD's particles interact — every particle's
// step needs every other particle at the same step, so the ensemble loop's blocks-outer order
// (run/ensemble.ts) cannot run it. ensembleRun hands SVGD runs (optimiser kind SVGD) to svgdRun.
//
// One step t:
//   1. per block with an active particle: g = ∇U(x_t) (and U(x_t) when recording or for
//      loss-scaled noise), records and trajectories exactly where and as the ensemble loop makes
//      them (t mod every = 0; the first m particles), then the run's gradient noise, as there;
//   2. the active particles (in global index order) are gathered into compact coordinate-major
//      buffers, positions centred on their mean;
//   3. φ(x_i) for every active particle (samplers/svgd.ts), from the N active particles only:
//      a diverged particle leaves the interaction at the step it diverged and never returns; the
//      kernel bandwidth h it used is recorded (work space [1]);
//   4. the update: x_i ← x_i + ε_t φ(x_i) (ε_t the schedule's step size), or the inner
//      optimiser's step (optimizers/dispatch.ts optimizerStep) fed g = −φ at learning rate ε_t,
//      block by block on its usual state slots; non-active lanes do not move;
//   5. divergence: max_j |x_j| > bound or NaN → diverged at t (run/ensemble.ts divergence).
// Stop conditions (gradient tolerance, regions) are rejected for SVGD by the TypeScript layer:
// a stopped particle would have to stay frozen yet keep acting on the others.
// Every number depends only on (state at t, t), so chunking cannot change results; there is no
// per-worker split (the TypeScript layer rejects workers and shards for SVGD).
//
// Work space (descriptor slot SVW), doubles, every region starting at an even offset. MUST MATCH
// bindings/svgd.ts svgdWorkDoubles:
//   [0] its size in doubles (a guard) · [1] address of the bandwidth record (steps doubles: the h
//       step t used at t, NaN for steps not run), or 0 for none
//   gb   nb·d·B   gradients of the blocked particles; then −φ in the same layout
//   save d·B      a block's positions while an inner optimiser steps it (non-active lanes restored)
//   idx  np       (as i32) global slot b·B + k of each compact particle
//   xc   d·np     compact centred positions   (np = P rounded up to even)
//   wc   (d+1)·np compact gradients, then [w | 1] (samplers/svgd.ts)
//   phi  d·np     compact φ
//   rows 4·np     a tile's kernel rows
//   acc  4(d+1)   a tile's row products (rounded up to even)
//   tri  M + 2    pairs i < j: r², then kernel values (M = P(P−1)/2)
//   sel  M        (median bandwidth only) selection scratch

import * as D from './descriptor';
import { landscapeGrad, landscapeValue } from '../landscapes/dispatch';
import { optimizerStep } from '../optimizers/dispatch';
import { learningRate } from '../schedules';
import { noiseBlock, isBatched } from '../noise/apply';
import { LOSS_SCALED } from '../noise/kinds';
import { steinDirection } from '../samplers/svgd';
import { SVGD_TEMPERATURE, SVGD_BANDWIDTH, SVGD_INNER, SVGD_INNER_HYPER } from '../optimizers/kinds';
import { ACTIVE, countStatus, gradNorms, divergence, recordBlock, recordTrajectory } from './block';
import { u, i, key } from './descriptor';

@inline function even(n: i32): i32 { return n + (n & 1); }

/** Steps [t0, t1) of an SVGD run; record step t writes chunk row t/every − row0 (as ensembleRun). */
export function svgdRun(desc: usize, t0: i32, t1: i32, row0: i32): void {
  const d = i(desc, D.DIM), B = i(desc, D.B), P = i(desc, D.P), nb = i(desc, D.NB), n = d * B;
  const hp = u(desc, D.HP), slots = i(desc, D.SLOTS);
  const stride = <usize>n << 3, row = <usize>B << 3;
  const temperature = load<f64>(hp, SVGD_TEMPERATURE << 3), bandwidth = load<f64>(hp, SVGD_BANDWIDTH << 3);
  const inner = <i32>load<f64>(hp, SVGD_INNER << 3), innerHp = hp + (<usize>SVGD_INNER_HYPER << 3);
  // Work space regions (layout above).
  const np = even(P), M = <usize>P * <usize>(P - 1) / 2;
  const svw = u(desc, D.SVW);
  const gb = svw + 16;
  const save = gb + <usize>nb * stride;
  const idx = save + stride;
  const xc = idx + (<usize>np << 3);
  const wc = xc + (<usize>(d * np) << 3);
  const phi = wc + (<usize>((d + 1) * np) << 3);
  const rows = phi + (<usize>(d * np) << 3);
  const acc = rows + (<usize>(4 * np) << 3);
  const tri = acc + (<usize>even(4 * (d + 1)) << 3);
  const sel = tri + ((M + 2) << 3);
  const needed = (sel + (bandwidth > 0.0 ? 0 : M << 3) - svw) >> 3;
  if (<usize>load<f64>(svw) < needed) unreachable(); // the bindings allocated another layout

  for (let t = t0; t < t1; t++) {
    gradients(desc, t, row0, gb);
    // Gather the active particles, centred on their mean (summed in global index order).
    const N = gather(d, B, P, u(desc, D.X), u(desc, D.STATUS), gb, idx, np, xc, wc);
    if (N == 0) break; // everyone diverged: nothing moves, nothing is recorded any more
    const h = steinDirection(N, d, np, xc, wc, phi, rows, tri, sel, acc, temperature, bandwidth);
    const bws = <usize>load<f64>(svw, 8);
    if (bws != 0) store<f64>(bws + (<usize>t << 3), h);
    // −φ back into gb in the blocked layout, zero for non-active lanes.
    memory.fill(gb, 0, <usize>nb * stride);
    for (let q = 0; q < N; q++) {
      const slot = load<i32>(idx + (<usize>q << 2)), b = slot / B, k = slot % B;
      const gq = gb + <usize>b * stride + (<usize>k << 3);
      for (let j = 0; j < d; j++) store<f64>(gq + <usize>j * row, -load<f64>(phi + (<usize>(j * np + q) << 3)));
    }
    const eps = learningRate(i(desc, D.SK), u(desc, D.SQ), t);
    for (let b = 0; b < nb; b++) {
      const status = u(desc, D.STATUS) + (<usize>(b * B) << 2);
      const active = countStatus(status, B, ACTIVE);
      if (active == 0) continue;
      const x = u(desc, D.X) + <usize>b * stride, g = gb + <usize>b * stride;
      if (inner < 0) {
        // x ← x + ε_t φ = x − ε_t·(−φ); non-active lanes have −φ = 0 (a non-finite x stays so).
        for (let e = 0; e < n; e++) {
          const o = <usize>e << 3;
          store<f64>(x + o, load<f64>(x + o) - eps * load<f64>(g + o));
        }
      } else {
        // The inner optimiser updates whole blocks (weight decay or momentum could move a lane
        // whose −φ is 0): non-active lanes are put back afterwards.
        if (active < B) memory.copy(save, x, stride);
        const s = u(desc, D.S) + <usize>(b * slots) * stride;
        optimizerStep(inner, innerHp, t, eps, n, x, g, s, stride, u(desc, D.R) + (<usize>(2 * b) << 3));
        if (active < B) restoreInactive(x, save, status, d, B);
      }
      divergence(desc, b, t, x, status, d, B);
    }
  }
}

/** Step 1 for every block with an active particle: gradients into gb, records, trajectories, noise. */
function gradients(desc: usize, t: i32, row0: i32, gb: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B), nb = i(desc, D.NB);
  const lk = i(desc, D.LK), lp = u(desc, D.LP), lw = u(desc, D.LW);
  const stride = <usize>(d * B) << 3, row = <usize>B << 3;
  const fl = u(desc, D.F), gn = u(desc, D.GN);
  const every = i(desc, D.EVERY), trajM = i(desc, D.TRAJM), nk = i(desc, D.NK);
  const batched = isBatched(nk);
  const record = every > 0 && t % every == 0;
  const needValue = record || nk == LOSS_SCALED;
  for (let b = 0; b < nb; b++) {
    const status = u(desc, D.STATUS) + (<usize>(b * B) << 2);
    if (countStatus(status, B, ACTIVE) == 0) continue;
    const x = u(desc, D.X) + <usize>b * stride, g = gb + <usize>b * stride;
    // Minibatch and label noise replace the gradient; the full one is then needed only for records.
    if (!batched || record) landscapeGrad(lk, lp, d, B, x, 8, row, g, lw, needValue ? fl : 0);
    else if (needValue) landscapeValue(lk, lp, d, B, x, 8, row, lw, fl);
    if (record) {
      gradNorms(g, d, B, gn);
      recordBlock(desc, b, t / every - row0, x, fl, gn, status);
    }
    if (trajM > 0 && b * B < trajM) recordTrajectory(desc, b, t, x);
    // The epoch-permutation scratch is shared by all blocks: regenerate (tags −1) per block.
    if (batched) for (let k = 0; k < B; k++) store<i32>(u(desc, D.MBI) + (<usize>k << 2), -1);
    noiseBlock(desc, b, t, x, x, g, fl);
  }
}

/**
 * Compact copies of the active particles (global index order): slots into idx, centred
 * positions into xc, gradients into wc (rows of stride np). Returns their number N.
 */
function gather(d: i32, B: i32, P: i32, X: usize, status: usize, gb: usize, idx: usize, np: i32, xc: usize, wc: usize): i32 {
  const row = <usize>B << 3, stride = <usize>(d * B) << 3, cstride = <usize>np << 3;
  let N = 0;
  for (let p = 0; p < P; p++) {
    if (load<i32>(status + (<usize>p << 2)) != ACTIVE) continue;
    const b = p / B, k = p % B;
    const xp = X + <usize>b * stride + (<usize>k << 3), gp = gb + <usize>b * stride + (<usize>k << 3);
    store<i32>(idx + (<usize>N << 2), p);
    for (let j = 0; j < d; j++) {
      store<f64>(xc + <usize>j * cstride + (<usize>N << 3), load<f64>(xp + <usize>j * row));
      store<f64>(wc + <usize>j * cstride + (<usize>N << 3), load<f64>(gp + <usize>j * row));
    }
    N++;
  }
  if (N == 0) return 0;
  for (let j = 0; j < d; j++) {
    const xj = xc + <usize>j * cstride;
    let s = 0.0;
    for (let q = 0; q < N; q++) s += load<f64>(xj + (<usize>q << 3));
    const m = s / <f64>N;
    for (let q = 0; q < N; q++) store<f64>(xj + (<usize>q << 3), load<f64>(xj + (<usize>q << 3)) - m);
  }
  return N;
}

/** Put non-active lanes of a block back at their saved positions. */
function restoreInactive(x: usize, save: usize, status: usize, d: i32, B: i32): void {
  for (let k = 0; k < B; k++) {
    if (load<i32>(status + (<usize>k << 2)) == ACTIVE) continue;
    for (let j = 0; j < d; j++) {
      const o = <usize>(j * B + k) << 3;
      store<f64>(x + o, load<f64>(save + o));
    }
  }
}
