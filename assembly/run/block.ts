// A block's bookkeeping, shared by every way of stepping it (run/pipeline.ts, the general step;
// run/fused.ts, the fused kernels; run/svgd.ts, interacting particles): particle statuses, the
// stop and divergence tests, and what a record step writes (per-block partials, the losses for the
// quantile sketch, trajectories). Layout and slots: run/descriptor.ts.

import * as D from './descriptor';
import { f, u, i } from './descriptor';

/** Particle statuses (descriptor slot STATUS, one i32 per padded particle). */
export const ACTIVE = 0, DIVERGED = 1, STOPPED = 2, PADDING = 3;

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
export function stopTests(desc: usize, b: i32, t: i32, x: usize, gn: usize, status: usize, frozenBlock: usize): i32 {
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
@inline export function restoreStopped(x: usize, frozenBlock: usize, status: usize, d: i32, B: i32): void {
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
