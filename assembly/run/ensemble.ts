// The ensemble loop: steps [t0, t1) for every block of particles this instance holds, in one wasm
// call per chunk (DESIGN.md hot-path rule). An instance holds a contiguous range of the run's
// blocks (global FIRST … FIRST + NB − 1: the whole run, a worker's share, a shard or a segment of
// one) and addresses them locally (b = 0 … NB − 1); every random draw and every record is keyed by
// the GLOBAL particle index (FIRST + b)·B + k, so a block evolves the same in any range. Blocks are outer and steps inner, so a block's positions, state and
// gradients stay in cache across the chunk's steps; results cannot depend on chunking because
// every per-step quantity is a function of (block state, t) alone, and statistics are per-block
// partials merged in block order (reduce.ts).
//
// One step of one block (B particles, global indices b·B …):
//   1. y = optimiser's gradient point (x, or Nesterov's look-ahead)
//   2. g = ∇f(y), f(x_t) per particle                         (landscape kernel, once per block)
//   3. ‖g‖ if recording or testing the gradient tolerance
//   4. stop tests on x_t: ‖g‖ < tol, x_t inside a region, or outside an exit region → frozen at x_t from now on
//   5. record step (t mod every = 0): per-block partials of f, ‖g‖, x over counted particles;
//      losses into the quantile buffer; trajectories of the first m particles; sharpness
//      tracking (run/sharpness.ts: top Hessian eigenvalues of the first m' particles)
//   6. g += noise (m_t-annealed)
//   7. optimiser (or sampler: optimizers/langevin.ts, mala.ts) step at η_t; stopped particles are put back at their frozen x
//   8. divergence: max_j |x_j| > bound or NaN → diverged at t, excluded from then on

import * as D from './descriptor';
import { landscapeGrad, landscapeValue } from '../landscapes/dispatch';
import { optimizerGradPoint, optimizerStep, optimizerInit, isSampler, samplerStep } from '../optimizers/dispatch';
import { learningRate } from '../schedules';
import { noiseApply } from '../noise/apply';
import { LOSS_SCALED, MINIBATCH, LABEL_NOISE } from '../noise/kinds';
import { batchIndices } from '../noise/minibatch';
import { isModel, modelBatch } from '../models/dispatch';
import { sumBatchGrad } from '../landscapes/composite';
import { HESSIAN_ALIGNED } from '../noise/kinds';
import { hessianNoise, hessianNoiseScratch } from '../noise/hessianAligned';
import { fillNormal } from '../random/normal';
import { NOISE } from '../random/streams';
import { MALA } from '../optimizers/kinds';
import { malaStep } from '../optimizers/mala';
import { trackSharpness, tracksNow } from './sharpness';
import { SVGD } from '../optimizers/kinds';
import { svgdRun } from './svgd';
import { curvatureBlock, isCurvature } from './curvature';

export const ACTIVE = 0, DIVERGED = 1, STOPPED = 2, PADDING = 3;

@inline function f(desc: usize, k: i32): f64 { return load<f64>(desc + (<usize>k << 3)); }
@inline function u(desc: usize, k: i32): usize { return <usize>load<f64>(desc + (<usize>k << 3)); }
@inline function i(desc: usize, k: i32): i32 { return <i32>load<f64>(desc + (<usize>k << 3)); }
/** A seed word (K0, K1: integers in [0, 2³²)): read as u32, since through i32 words ≥ 2³¹ would saturate. */
@inline export function key(desc: usize, k: i32): u32 { return <u32>load<f64>(desc + (<usize>k << 3)); }

/** Set particle statuses (padding lanes: global index ≥ P), events and regions, and initialise optimiser state. */
export function ensembleInit(desc: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B), P = i(desc, D.P), nb = i(desc, D.NB);
  const slots = i(desc, D.SLOTS), n = d * B, p0 = D.firstParticle(desc, 0);
  for (let p = 0; p < nb * B; p++) {
    store<i32>(u(desc, D.STATUS) + (<usize>p << 2), p0 + p < P ? ACTIVE : PADDING);
    store<i32>(u(desc, D.EVENT) + (<usize>p << 2), -1);
    store<i32>(u(desc, D.REGION) + (<usize>p << 2), -1);
  }
  for (let b = 0; b < nb; b++) {
    const x = u(desc, D.X) + (<usize>(b * n) << 3);
    const s = u(desc, D.S) + (<usize>(b * slots * n) << 3);
    optimizerInit(i(desc, D.OK), u(desc, D.HP), n, x, s, <usize>n << 3, u(desc, D.R) + (<usize>(2 * b) << 3));
  }
}

/**
 * Run steps [t0, t1) for all blocks. Record step t writes chunk row t/every − row0 (row0 =
 * ⌈t0/every⌉); the bindings pre-fill record rows (count 0, losses NaN) and trajectories (NaN),
 * so a block with nothing left to count may stop early.
 */
export function ensembleRun(desc: usize, t0: i32, t1: i32, row0: i32): void {
  if (i(desc, D.OK) == SVGD) { svgdRun(desc, t0, t1, row0); return; } // interacting particles: steps outer (run/svgd.ts)
  const nb = i(desc, D.NB);
  for (let b = 0; b < nb; b++) runBlock(desc, b, t0, t1, row0);
}

function runBlock(desc: usize, b: i32, t0: i32, t1: i32, row0: i32): void {
  const d = i(desc, D.DIM), B = i(desc, D.B), n = d * B;
  const lk = i(desc, D.LK), lp = u(desc, D.LP), lw = u(desc, D.LW);
  const ok = i(desc, D.OK), hp = u(desc, D.HP), slots = i(desc, D.SLOTS);
  const stride = <usize>n << 3;
  const x = u(desc, D.X) + <usize>b * stride;
  const s = u(desc, D.S) + <usize>(b * slots) * stride;
  const r = u(desc, D.R) + (<usize>(2 * b) << 3);
  const g = u(desc, D.G), fl = u(desc, D.F), gn = u(desc, D.GN);
  const status = u(desc, D.STATUS) + (<usize>(b * B) << 2);
  const every = i(desc, D.EVERY), gradTol = f(desc, D.GRADTOL), nreg = i(desc, D.NREG);
  const trajM = i(desc, D.TRAJM);
  const frozen = u(desc, D.FROZEN);
  const frozenBlock: usize = frozen == 0 ? 0 : frozen + <usize>b * stride;
  const row = <usize>B << 3;
  const p0 = D.firstParticle(desc, b); // global index of lane 0: the key of every draw

  let active = countStatus(status, B, ACTIVE);
  const nk = i(desc, D.NK);
  const batched = nk == MINIBATCH || nk == LABEL_NOISE;
  // Epoch permutations are regenerated per block (the scratch is shared by all blocks).
  if (batched) for (let k = 0; k < B; k++) store<i32>(u(desc, D.MBI) + (<usize>k << 2), -1);
  for (let t = t0; t < t1; t++) {
    if (active == 0) {
      // Nothing moves: stopped lanes stay frozen. Only records need them (their f and ‖∇f‖).
      if (countStatus(status, B, STOPPED) == 0) break; // all diverged or padding: nothing left
      const rec = every > 0 && t % every == 0;
      if (rec) {
        landscapeGrad(lk, lp, d, B, x, 8, row, g, lw, fl);
        gradNorms(g, d, B, gn);
        recordBlock(desc, b, t / every - row0, x, fl, gn, status);
      }
      if (trajM > 0 && p0 < trajM) recordTrajectory(desc, b, t, x);
      continue;
    }
    const at = optimizerGradPoint(ok, hp, t, n, x, s, stride);
    // Values f(x_t) are needed only to record them or to scale loss-scaled noise.
    const record = every > 0 && t % every == 0;
    const needValue = record || nk == LOSS_SCALED || ok == MALA; // MALA's test needs U(x_t)
    // Minibatch and label noise replace the gradient; the full one is still needed for norms (records, tolerance).
    if (!batched || record || gradTol > 0.0) landscapeGrad(lk, lp, d, B, at, 8, row, g, lw, needValue && at == x ? fl : 0);
    else if (needValue) landscapeValue(lk, lp, d, B, x, 8, row, lw, fl);
    if (needValue && at != x) landscapeValue(lk, lp, d, B, x, 8, row, lw, fl);
    if (record || gradTol > 0.0) gradNorms(g, d, B, gn);
    if (gradTol > 0.0 || nreg > 0) active -= stopTests(desc, b, t, x, gn, status, frozenBlock);
    if (record) recordBlock(desc, b, t / every - row0, x, fl, gn, status);
    if (trajM > 0 && p0 < trajM) recordTrajectory(desc, b, t, x);
    const shw = u(desc, D.SHW);
    if (shw != 0 && tracksNow(shw, t, p0)) {
      trackSharpness(lk, lp, lw, d, B, p0, t / <i32>load<f64>(shw), x, status, key(desc, D.K0), key(desc, D.K1), u(desc, D.SHP), shw);
    }
    if (batched) minibatchBlock(desc, b, t, at, g);
    else if (nk == HESSIAN_ALIGNED) hessianBlock(desc, b, t, x, g);
    else if (nk != 0) {
      const nsk = i(desc, D.NSK);
      const m = nsk < 0 ? 1.0 : learningRate(nsk, u(desc, D.NSQ), t);
      noiseApply(nk, u(desc, D.NQ), d, B, <u32>p0, <u32>t, key(desc, D.K0), key(desc, D.K1), g, fl, m);
    }
    if (ok == MALA) malaStep(lk, lp, lw, d, B, <u32>p0, <u32>t, key(desc, D.K0), key(desc, D.K1), x, g, fl, s, stride,
      u(desc, D.ACC) + (<usize>(b * B) << 2), learningRate(i(desc, D.SK), u(desc, D.SQ), t), load<f64>(hp, 16));
    else if (isSampler(ok)) samplerStep(ok, hp, t, learningRate(i(desc, D.SK), u(desc, D.SQ), t), d, B, <u32>p0, key(desc, D.K0), key(desc, D.K1), x, g, s);
    else if (isCurvature(ok)) curvatureBlock(desc, b, t, learningRate(i(desc, D.SK), u(desc, D.SQ), t), x, g, s);
    else optimizerStep(ok, hp, t, learningRate(i(desc, D.SK), u(desc, D.SQ), t), n, x, g, s, stride, r);
    if (frozenBlock != 0) restoreStopped(x, frozenBlock, status, d, B);
    active -= divergence(desc, b, t, x, status, d, B);
  }
}

/**
 * Replace the block's gradients by minibatch gradients (noise/minibatch.ts): each lane's point is
 * copied to the landscape scratch, its batch drawn, ĝ computed (a finite sum's components, or a
 * model's examples, with labels perturbed under label noise) and written back in block layout.
 * Minibatch scratch (MBI, i32): epoch tags (B) | epoch permutations (B × K) | drawn indices (b).
 */
export function minibatchBlock(desc: usize, b: i32, t: i32, x: usize, g: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B);
  const lk = i(desc, D.LK), lp = u(desc, D.LP), lw = u(desc, D.LW), q = u(desc, D.NQ);
  const bs = <i32>load<f64>(q), repl = load<f64>(q, 8) != 0.0, K = <i32>load<f64>(q, 32);
  const labels = i(desc, D.NK) == LABEL_NOISE;
  const k0 = key(desc, D.K0), k1 = key(desc, D.K1);
  const tags = u(desc, D.MBI), perms = tags + (<usize>B << 2), drawn = perms + (<usize>(B * K) << 2);
  const mg = u(desc, D.MBG);
  const row = <usize>B << 3;
  for (let k = 0; k < B; k++) {
    for (let j = 0; j < d; j++) store<f64>(lw + (<usize>j << 3), load<f64>(x + <usize>j * row + (<usize>k << 3)));
    const particle = <u32>(D.firstParticle(desc, b) + k);
    const idx: usize = bs == 0 ? <usize>0 : batchIndices(K, bs, repl, k0, k1, particle, <u32>t, perms + (<usize>(k * K) << 2), tags + (<usize>k << 2), drawn);
    if (isModel(lk)) modelBatch(lk, lp, d, lw, idx, bs == 0 ? K : bs, mg, lw + (<usize>(3 * d) << 3), labels ? q : 0, k0, k1, particle, <u32>t);
    else sumBatchGrad(lp, d, lw, mg, idx, bs, lw);
    for (let j = 0; j < d; j++) store<f64>(g + <usize>j * row + (<usize>k << 3), load<f64>(mg + (<usize>j << 3)));
  }
}

/** Add Hessian-aligned noise (noise/hessianAligned.ts) to each lane's gradient, at x_t. */
export function hessianBlock(desc: usize, b: i32, t: i32, x: usize, g: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B);
  const nsk = i(desc, D.NSK);
  const scale = load<f64>(u(desc, D.NQ)) * (nsk < 0 ? 1.0 : learningRate(nsk, u(desc, D.NSQ), t));
  const work = u(desc, D.HNW);
  const xc = work + (<usize>hessianNoiseScratch(d) << 3), z = xc + (<usize>d << 3), xi = z + (<usize>d << 3);
  const row = <usize>B << 3;
  for (let k = 0; k < B; k++) {
    for (let j = 0; j < d; j++) store<f64>(xc + (<usize>j << 3), load<f64>(x + <usize>j * row + (<usize>k << 3)));
    fillNormal(key(desc, D.K0), key(desc, D.K1), NOISE, <u32>(D.firstParticle(desc, b) + k), <u32>t, 0, d, z);
    hessianNoise(i(desc, D.LK), u(desc, D.LP), d, u(desc, D.LW), xc, z, scale, xi, work);
    for (let j = 0; j < d; j++) {
      const a = g + <usize>j * row + (<usize>k << 3);
      store<f64>(a, load<f64>(a) + load<f64>(xi + (<usize>j << 3)));
    }
  }
}

/** Lanes of a block with the given status. */
@inline export function countStatus(status: usize, B: i32, which: i32): i32 {
  let c = 0;
  for (let k = 0; k < B; k++) if (load<i32>(status + (<usize>k << 2)) == which) c++;
  return c;
}

/** ‖g_i‖ for each lane. */
@inline export function gradNorms(g: usize, d: i32, B: i32, gn: usize): void {
  for (let k = 0; k < B; k++) store<f64>(gn + (<usize>k << 3), 0.0);
  for (let j = 0; j < d; j++) {
    const gj = g + (<usize>(j * B) << 3);
    for (let k = 0; k < B; k++) {
      const v = load<f64>(gj + (<usize>k << 3));
      store<f64>(gn + (<usize>k << 3), load<f64>(gn + (<usize>k << 3)) + v * v);
    }
  }
  for (let k = 0; k < B; k++) store<f64>(gn + (<usize>k << 3), Math.sqrt(load<f64>(gn + (<usize>k << 3))));
}

/** Stop tests on x_t for active lanes: gradient tolerance, then regions in order. Returns lanes stopped. */
function stopTests(desc: usize, b: i32, t: i32, x: usize, gn: usize, status: usize, frozenBlock: usize): i32 {
  let stopped = 0;
  const d = i(desc, D.DIM), B = i(desc, D.B);
  const tol = f(desc, D.GRADTOL), nreg = i(desc, D.NREG);
  const rc = u(desc, D.REGC), rr = u(desc, D.REGR);
  for (let k = 0; k < B; k++) {
    if (load<i32>(status + (<usize>k << 2)) != ACTIVE) continue;
    let hit = -2; // −2: no stop; −1: gradient tolerance; ≥ 0: region index
    if (tol > 0.0 && load<f64>(gn + (<usize>k << 3)) < tol) hit = -1;
    for (let q = 0; q < nreg && hit == -2; q++) {
      let dist2 = 0.0;
      for (let j = 0; j < d; j++) {
        const dx = load<f64>(x + (<usize>(j * B + k) << 3)) - load<f64>(rc + (<usize>(q * d + j) << 3));
        dist2 += dx * dx;
      }
      // Radius r > 0: stop on entering the ball; r < 0: an exit region, stop on leaving the ball of radius |r|.
      const rad = load<f64>(rr + (<usize>q << 3));
      if (rad > 0.0 ? dist2 < rad * rad : dist2 >= rad * rad) hit = q;
    }
    if (hit == -2) continue;
    const p = b * B + k;
    store<i32>(status + (<usize>k << 2), STOPPED);
    store<i32>(u(desc, D.EVENT) + (<usize>p << 2), t);
    store<i32>(u(desc, D.REGION) + (<usize>p << 2), hit);
    for (let j = 0; j < d; j++) {
      const o = <usize>(j * B + k) << 3;
      store<f64>(frozenBlock + o, load<f64>(x + o));
    }
    stopped++;
  }
  return stopped;
}

/** Put stopped lanes back at their frozen positions (their optimiser state is irrelevant). */
@inline function restoreStopped(x: usize, frozenBlock: usize, status: usize, d: i32, B: i32): void {
  for (let k = 0; k < B; k++) {
    if (load<i32>(status + (<usize>k << 2)) != STOPPED) continue;
    for (let j = 0; j < d; j++) {
      const o = <usize>(j * B + k) << 3;
      store<f64>(x + o, load<f64>(frozenBlock + o));
    }
  }
}

/**
 * Mark active lanes whose new position is non-finite or beyond the bound as diverged at t.
 * One block-wide test first; only when it trips are lanes examined one by one. Returns the
 * number of lanes newly diverged.
 */
@inline export function divergence(desc: usize, b: i32, t: i32, x: usize, status: usize, d: i32, B: i32): i32 {
  const bound = f(desc, D.BOUND);
  const n = d * B;
  // AND of (|x| ≤ bound) masks: NaN compares false, so it fails like an overflow. (f64x2.max
  // would also propagate NaN, but V8 lowers it to a long sequence; compare-and-mask is 3 ops.)
  const vb = f64x2.splat(bound);
  let ok = i64x2.splat(-1);
  for (let k = 0; k < n; k += 2) ok = v128.and(ok, f64x2.le(f64x2.abs(v128.load(x + (<usize>k << 3))), vb));
  if (v128.all_true<i64>(ok)) return 0;
  let hit = 0;
  for (let k = 0; k < B; k++) {
    if (load<i32>(status + (<usize>k << 2)) != ACTIVE) continue;
    let ok = true;
    for (let j = 0; j < d; j++) {
      if (!(Math.abs(load<f64>(x + (<usize>(j * B + k) << 3))) <= bound)) { ok = false; break; }
    }
    if (ok) continue;
    store<i32>(status + (<usize>k << 2), DIVERGED);
    store<i32>(u(desc, D.EVENT) + (<usize>(b * B + k) << 2), t);
    hit++;
  }
  return hit;
}

/** Record step: this block's partials over counted lanes (active or stopped), and its losses. */
export function recordBlock(desc: usize, b: i32, rowIdx: i32, x: usize, fl: usize, gn: usize, status: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B), nb = i(desc, D.NB);
  const pw = D.partialWidth(d);
  const part = u(desc, D.PART) + (<usize>((rowIdx * nb + b) * pw) << 3);
  const lossRow = u(desc, D.LOSSBUF) + (<usize>((rowIdx * nb + b) * B) << 3);
  let cnt = 0, sum = 0.0, mn = Infinity, mx = -Infinity, gsum = 0.0;
  for (let k = 0; k < B; k++) {
    const st = load<i32>(status + (<usize>k << 2));
    store<f64>(lossRow + (<usize>k << 3), st == ACTIVE || st == STOPPED ? load<f64>(fl + (<usize>k << 3)) : NaN);
    if (st != ACTIVE && st != STOPPED) continue;
    const v = load<f64>(fl + (<usize>k << 3));
    cnt++; sum += v; gsum += load<f64>(gn + (<usize>k << 3));
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  store<f64>(part, <f64>cnt);
  if (cnt == 0) return;
  const mean = sum / <f64>cnt;
  let m2 = 0.0;
  for (let k = 0; k < B; k++) {
    const st = load<i32>(status + (<usize>k << 2));
    if (st != ACTIVE && st != STOPPED) continue;
    const dv = load<f64>(fl + (<usize>k << 3)) - mean;
    m2 += dv * dv;
  }
  store<f64>(part + 8, mean); store<f64>(part + 16, m2); store<f64>(part + 24, mn); store<f64>(part + 32, mx); store<f64>(part + 40, gsum);
  for (let j = 0; j < d; j++) {
    let sj = 0.0;
    for (let k = 0; k < B; k++) {
      const st = load<i32>(status + (<usize>k << 2));
      if (st == ACTIVE || st == STOPPED) sj += load<f64>(x + (<usize>(j * B + k) << 3));
    }
    const mj = sj / <f64>cnt;
    let qj = 0.0;
    for (let k = 0; k < B; k++) {
      const st = load<i32>(status + (<usize>k << 2));
      if (st != ACTIVE && st != STOPPED) continue;
      const dv = load<f64>(x + (<usize>(j * B + k) << 3)) - mj;
      qj += dv * dv;
    }
    store<f64>(part + (<usize>(6 + 2 * j) << 3), mj);
    store<f64>(part + (<usize>(7 + 2 * j) << 3), qj);
  }
}

/** x_t of this block's lanes among the first m particles. */
@inline export function recordTrajectory(desc: usize, b: i32, t: i32, x: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B), m = i(desc, D.TRAJM);
  const traj = u(desc, D.TRAJ), p0 = D.firstParticle(desc, b);
  for (let k = 0; k < B; k++) {
    const p = p0 + k;
    if (p >= m) break;
    for (let j = 0; j < d; j++) {
      store<f64>(traj + (<usize>((t * m + p) * d + j) << 3), load<f64>(x + (<usize>(j * B + k) << 3)));
    }
  }
}
