// Gradient noise on a block of B particles (global indices p0 … p0+B−1) at step t: every draw is
// Philox of (seed, stream, particle, step, coordinate), so a particle's noise does not depend on
// its block, chunk, worker or shard. Normals by Box–Muller (random/normal.ts), two coordinates
// per Philox block; Student-t by Bailey's polar method (Bailey 1994, Math. Comp. 62:779, exact):
// with (u, v) uniform on [−1, 1]², w = u² + v² ≤ 1, T = u·√(ν(w^{−2/ν} − 1)/w).

import * as N from './kinds';
import { philox, out0, out1, out2, out3 } from '../random/philox';
import { u01 } from '../random/uniform';
import { NOISE, NOISE_T } from '../random/streams';

const TWO_PI: f64 = 6.283185307179586; // 2π

// The two normals of the last `normalPair` call.
let Z0: f64 = 0, Z1: f64 = 0;

/** Normals of coordinates 2k and 2k+1 for (particle, step) — draws 2k, 2k+1 of stream NOISE. */
@inline function normalPair(k0: u32, k1: u32, particle: u32, step: u32, k: u32): void {
  philox(k, step, particle, NOISE, k0, k1);
  const r = Math.sqrt(-2.0 * Math.log(1.0 - u01(out0, out1)));
  const th = TWO_PI * u01(out2, out3);
  Z0 = r * Math.cos(th);
  Z1 = r * Math.sin(th);
}

/** Student-t(ν) draw for coordinate j of (particle, step), Bailey's polar method. */
@inline function studentT(k0: u32, k1: u32, particle: u32, step: u32, j: u32, nu: f64): f64 {
  let u = 0.0, w = 0.0;
  // Acceptance probability π/4 per attempt; 32 attempts fail with probability < 1e-21, in which
  // case the last attempt's point is scaled onto the disc (a documented, negligible bias).
  for (let a: u32 = 0; a < 32; a++) {
    philox((j << 5) + a, step, particle, NOISE_T, k0, k1);
    u = 2.0 * u01(out0, out1) - 1.0;
    const v = 2.0 * u01(out2, out3) - 1.0;
    w = u * u + v * v;
    if (w <= 1.0 && w > 0.0) break;
    if (a == 31) { u = u / Math.sqrt(w); w = 1.0; }
  }
  return u * Math.sqrt(nu * (Math.pow(w, -2.0 / nu) - 1.0) / w);
}

/**
 * Add noise of kind `kind` (parameters q) to the gradient block g (d × B, row j at g + 8jB),
 * for particles p0 … p0+B−1 at step t, scaled by `scale` (the annealing m_t). `f`: the B losses.
 */
export function noiseApply(kind: i32, q: usize, d: i32, B: i32, p0: u32, t: u32, k0: u32, k1: u32,
                           g: usize, f: usize, scale: f64): void {
  // One loop per kind: the kind test is hoisted out of the particle loop (PERFORMANCE.md lesson 4).
  if (kind == N.GAUSSIAN) normalLoop(q, d, B, p0, t, k0, k1, g, f, scale, true);
  else if (kind == N.LOSS_SCALED) normalLoop(q, d, B, p0, t, k0, k1, g, f, scale, false);
  else if (kind == N.HEAVY_TAILED) {
    const row = <usize>B << 3;
    const s = scale * load<f64>(q), nu = load<f64>(q, 8);
    for (let i = 0; i < B; i++) {
      const gi = g + (<usize>i << 3);
      for (let j = 0; j < d; j++) {
        const a = gi + <usize>j * row;
        store<f64>(a, load<f64>(a) + s * studentT(k0, k1, p0 + <u32>i, t, <u32>j, nu));
      }
    }
  }
}

/** Gaussian (σ_j per coordinate) or loss-scaled (σ√f) normal noise; `perCoordinate` is constant per call site. */
@inline function normalLoop(q: usize, d: i32, B: i32, p0: u32, t: u32, k0: u32, k1: u32,
                            g: usize, f: usize, scale: f64, perCoordinate: bool): void {
  const row = <usize>B << 3;
  for (let i = 0; i < B; i++) {
    const particle = p0 + <u32>i;
    const gi = g + (<usize>i << 3);
    const s = perCoordinate ? scale : scale * (load<f64>(q) * Math.sqrt(Math.max(load<f64>(f + (<usize>i << 3)), 0.0)));
    for (let j = 0; j < d; j += 2) {
      normalPair(k0, k1, particle, t, <u32>(j >> 1));
      const a = gi + <usize>j * row;
      const sj = perCoordinate ? s * load<f64>(q + (<usize>j << 3)) : s;
      store<f64>(a, load<f64>(a) + sj * Z0);
      if (j + 1 < d) {
        const sj1 = perCoordinate ? s * load<f64>(q + (<usize>(j + 1) << 3)) : s;
        store<f64>(a + row, load<f64>(a + row) + sj1 * Z1);
      }
    }
  }
}
