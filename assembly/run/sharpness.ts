// The sharpness tracker: every `every` steps, the top-k Hessian eigenvalues ∇²f(x_t) of each of
// the first m particles, computed inside the ensemble loop (so a run that tracks sharpness is
// still one wasm call per chunk), by the spectral module's thick-restart Lanczos
// (spectral/lanczos.ts, full reorthogonalisation) driven here with Hessian-vector products of
// the landscape at the particle's point (spectral/operator.ts HESSIAN). For d = 1 the Hessian is
// the scalar f″(x) = hvp(x, 1). Only active particles are measured; a stopped or diverged
// particle's rows stay NaN. The Lanczos start vector is drawn from the run's key, the same for
// every particle and row (any start vector gives the same converged eigenvalues; a fixed one
// keeps the result a function of the particle's state alone, as the determinism contract needs).
//
// Layout of the track buffer (SHP), whole run, row r = t/every:
//   loss      rows × m          f(x_t)
//   status    rows × m          Lanczos status (spectral/state.ts: 0 converged, 1 product budget
//                               spent, 2 non-finite product, 3 eigensolver failure)
//   values    rows × m × k      eigenvalues, descending
//   residuals rows × m × k      Lanczos residual norms ‖Hy − θy‖ (≤ tol·|θ| when converged)
// Work (SHW): the tracker's parameters (T_* below), then the Lanczos state and arrays, an
// operator descriptor, x (d) and two d-vectors.

import { lanczosStep, lanczosRunSize, lanczosStart } from '../spectral/lanczos';
import { REQ_X, REQ_Y, STATUS, gp } from '../spectral/state';
import {
  applyOp, OP_SLOTS, OP_KIND, OP_N, OP_D, OP_OFFSET, OP_LKIND, OP_PARAMS, OP_POINT, OP_SCRATCH, HESSIAN,
} from '../spectral/operator';
import { landscapeValue, landscapeHvp } from '../landscapes/dispatch';

// Tracker parameters, the first doubles of the work space. MUST MATCH bindings/ensemble.ts TRACK_SLOTS
// (test/layout.test.ts checks them through assembly/layout.ts).
export const T_EVERY = 0, T_M = 1, T_K = 2, T_TOL = 3, T_MAXMV = 4, T_NCV = 5, T_ROWS = 6, T_PARAMS = 7;

/** Doubles of work space for dimension d and basis size ncv (tracker parameters included). */
export function sharpnessWorkSize(d: i32, k: i32, ncv: i32): i32 {
  return T_PARAMS + lanczosRunSize(d, ncv) + 2 * k + OP_SLOTS + 3 * d;
}

@inline function put(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
@inline function get(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }

/** Is row t a tracking step of the block whose lane 0 is global particle p0 (some of its lanes among the first m)? */
@inline export function tracksNow(work: usize, t: i32, p0: i32): bool {
  const every = <i32>get(work, T_EVERY);
  return t % every == 0 && p0 < <i32>get(work, T_M);
}

/**
 * Measure the lanes of a block (B lanes from global particle p0, blocked layout x) that are among the first m particles
 * and active (status 0), at row `row`. lk, lp, lw: the landscape and its scratch; out: the track
 * buffer; work: sharpnessWorkSize doubles starting with the tracker parameters.
 */
export function trackSharpness(lk: i32, lp: usize, lw: usize, d: i32, B: i32, p0: i32, row: i32, x: usize, status: usize,
                               k0: u32, k1: u32, out: usize, work: usize): void {
  const m = <i32>get(work, T_M), k = <i32>get(work, T_K), ncv = <i32>get(work, T_NCV), rows = <i32>get(work, T_ROWS);
  const run = work + (<usize>T_PARAMS << 3);
  const values = run + (<usize>lanczosRunSize(d, ncv) << 3);
  const resid = values + (<usize>k << 3);
  const op = resid + (<usize>k << 3);
  const xs = op + (<usize>OP_SLOTS << 3);
  const e = xs + (<usize>d << 3), he = e + (<usize>d << 3);
  const lossOut = out, statusOut = out + (<usize>(rows * m) << 3);
  const valOut = statusOut + (<usize>(rows * m) << 3), resOut = valOut + (<usize>(rows * m * k) << 3);
  const stride = <usize>B << 3;
  for (let lane = 0; lane < B; lane++) {
    const p = p0 + lane;
    if (p >= m) break;
    if (load<i32>(status + (<usize>lane << 2)) != 0) continue;
    for (let j = 0; j < d; j++) store<f64>(xs + (<usize>j << 3), load<f64>(x + <usize>j * stride + (<usize>lane << 3)));
    landscapeValue(lk, lp, d, 1, xs, <usize>d << 3, 8, lw, lossOut + (<usize>(row * m + p) << 3));
    const at = (row * m + p) * k;
    if (d == 1) {
      store<f64>(e, 1.0);
      landscapeHvp(lk, lp, 1, 1, xs, 8, 8, e, he, lw);
      store<f64>(valOut + (<usize>at << 3), load<f64>(he));
      store<f64>(resOut + (<usize>at << 3), 0.0);
      store<f64>(statusOut + (<usize>(row * m + p) << 3), load<f64>(he) == load<f64>(he) ? 0.0 : 2.0);
      continue;
    }
    memory.fill(op, 0, <usize>OP_SLOTS << 3);
    put(op, OP_KIND, <f64>HESSIAN); put(op, OP_N, <f64>d); put(op, OP_D, <f64>d); put(op, OP_OFFSET, 0.0);
    put(op, OP_LKIND, <f64>lk); put(op, OP_PARAMS, <f64>lp); put(op, OP_POINT, <f64>xs); put(op, OP_SCRATCH, <f64>lw);
    const st = lanczosStart(run, d, k0, k1, k, k, get(work, T_TOL), <i32>get(work, T_MAXMV), ncv, values, 0, resid);
    while (lanczosStep(st) != 0) applyOp(op, gp(st, REQ_X), gp(st, REQ_Y));
    store<f64>(statusOut + (<usize>(row * m + p) << 3), get(st, STATUS));
    // The machine returns the wanted values in its own order; store them descending.
    for (let i = 0; i < k; i++) {
      let best = -1;
      for (let q = 0; q < k; q++) {
        const v = get(values, q);
        if (v != v) continue; // already taken (marked NaN below)
        if (best < 0 || v > get(values, best)) best = q;
      }
      if (best < 0) break;
      store<f64>(valOut + (<usize>(at + i) << 3), get(values, best));
      store<f64>(resOut + (<usize>(at + i) << 3), get(resid, best));
      put(values, best, NaN);
    }
  }
}
