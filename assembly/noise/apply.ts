// Gradient noise on a block of B particles (global indices p0 … p0+B−1) at step t: every draw is
// Philox of (seed, stream, particle, step, coordinate), so a particle's noise does not depend on
// its block, chunk, worker or shard. Normals by the ziggurat (random/ziggurat.ts), two
// coordinates per Philox block; Student-t by Bailey's polar method (Bailey 1994, Math. Comp.
// 62:779, exact): with (u, v) uniform on [−1, 1]², w = u² + v² ≤ 1, T = u·√(ν(w^{−2/ν} − 1)/w).

import * as N from './kinds';
import { philox, out0, out1, out2, out3 } from '../random/philox';
import { u01 } from '../random/uniform';
import { NOISE, NOISE_T, NOISE_RETRY } from '../random/streams';
import { zigguratPair, zigguratNormals8, ZA, ZB } from '../random/ziggurat';
import * as D from '../run/descriptor';
import { u, i, key } from '../run/descriptor';
import { learningRate } from '../schedules';
import { minibatchBlock } from './minibatch';
import { hessianBlock } from './hessianAligned';
import { zerothOrderBlock } from './zerothOrder';

/** Is noise of kind `kind` a minibatch gradient, replacing the exact one (noise/minibatch.ts)? */
@inline export function isBatched(kind: i32): bool {
  return kind == N.MINIBATCH || kind == N.LABEL_NOISE || kind == N.IMPORTANCE_MINIBATCH;
}

/** Does noise of kind `kind` replace the gradient, so the exact one is needed only for records and tolerances? */
@inline export function replacesGradient(kind: i32): bool { return isBatched(kind) || kind == N.ZEROTH_ORDER; }

/** The annealing factor m_t of step t's noise (1 without a noise schedule). */
@inline export function noiseScale(desc: usize, t: i32): f64 {
  const nsk = i(desc, D.NSK);
  return nsk < 0 ? 1.0 : learningRate(nsk, u(desc, D.NSQ), t);
}

/**
 * Step t's gradient noise for block b, whatever the kind: minibatch and label noise replace g by a
 * minibatch gradient at the gradient point `at`, zeroth-order noise by an estimate from values at
 * `at`; Hessian-aligned noise adds H-shaped noise at x;
 * the additive kinds (Gaussian, loss-scaled with the losses f, Student-t) add m_t-annealed draws.
 */
export function noiseBlock(desc: usize, b: i32, t: i32, x: usize, at: usize, g: usize, f: usize): void {
  const nk = i(desc, D.NK);
  if (nk == 0) return;
  if (isBatched(nk)) { minibatchBlock(desc, b, t, at, g); return; }
  if (nk == N.HESSIAN_ALIGNED) { hessianBlock(desc, b, t, x, g); return; }
  if (nk == N.ZEROTH_ORDER) { zerothOrderBlock(desc, b, t, at, g); return; }
  noiseApply(nk, u(desc, D.NQ), i(desc, D.DIM), i(desc, D.B), <u32>D.firstParticle(desc, b), <u32>t,
    key(desc, D.K0), key(desc, D.K1), g, f, noiseScale(desc, t));
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
  // One loop per kind: the kind test is hoisted out of the particle loop (docs/performance.md, lesson 4).
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

// Eight particles' normals of one coordinate pair (random/ziggurat.ts `zigguratNormals8`).
const NZ: usize = memory.data(128, 16);

/**
 * Gaussian (σ_j per coordinate) or loss-scaled (σ√f) normal noise; `perCoordinate` is constant per
 * call site. Eight particles per Philox call pair and f64x2 updates (each lane the one-lane
 * path's operations in its order: g + (m·σ_j)·z, or g + (m·(σ·√max(f, 0)))·z), the rest (blocks
 * of fewer than 8 particles, d > 512) one lane at a time: every path draws the same numbers.
 */
@inline function normalLoop(q: usize, d: i32, B: i32, p0: u32, t: u32, k0: u32, k1: u32,
                            g: usize, f: usize, scale: f64, perCoordinate: bool): void {
  const row = <usize>B << 3;
  let i = 0;
  for (; i + 8 <= B; i += 8) {
    const o = <usize>i << 3;
    let s0 = f64x2.splat(0.0), s1 = s0, s2 = s0, s3 = s0; // loss-scaled: the lanes' m·σ√f
    if (!perCoordinate) {
      const ms = f64x2.splat(scale), sg = f64x2.splat(load<f64>(q)), zero = f64x2.splat(0.0);
      s0 = f64x2.mul(ms, f64x2.mul(sg, f64x2.sqrt(f64x2.max(v128.load(f + o), zero))));
      s1 = f64x2.mul(ms, f64x2.mul(sg, f64x2.sqrt(f64x2.max(v128.load(f + o, 16), zero))));
      s2 = f64x2.mul(ms, f64x2.mul(sg, f64x2.sqrt(f64x2.max(v128.load(f + o, 32), zero))));
      s3 = f64x2.mul(ms, f64x2.mul(sg, f64x2.sqrt(f64x2.max(v128.load(f + o, 48), zero))));
    }
    for (let j = 0; j < d; j += 2) {
      const both = j + 1 < d;
      zigguratNormals8(NOISE, NOISE_RETRY, <u32>(j >> 1), t, p0 + <u32>i, k0, k1, both, NZ);
      const gj = g + o + <usize>j * row;
      if (perCoordinate) {
        addNoise8(gj, NZ, f64x2.splat(scale * load<f64>(q + (<usize>j << 3))));
        if (both) addNoise8(gj + row, NZ + 64, f64x2.splat(scale * load<f64>(q + (<usize>(j + 1) << 3))));
      } else {
        addNoise8Lanes(gj, NZ, s0, s1, s2, s3);
        if (both) addNoise8Lanes(gj + row, NZ + 64, s0, s1, s2, s3);
      }
    }
  }
  for (; i < B; i++) {
    const particle = p0 + <u32>i;
    for (let j = 0; j < d; j += 2) {
      zigguratPair(NOISE, NOISE_RETRY, <u32>(j >> 1), t, particle, k0, k1, true);
      addPair(q, d, row, g + (<usize>i << 3), f + (<usize>i << 3), j, ZA, ZB, scale, perCoordinate);
    }
  }
}

/** g ← g + c·z on eight adjacent lanes (z: eight doubles). */
@inline export function addNoise8(g: usize, z: usize, c: v128): void {
  v128.store(g, f64x2.add(v128.load(g), f64x2.mul(c, v128.load(z))));
  v128.store(g, f64x2.add(v128.load(g, 16), f64x2.mul(c, v128.load(z, 16))), 16);
  v128.store(g, f64x2.add(v128.load(g, 32), f64x2.mul(c, v128.load(z, 32))), 32);
  v128.store(g, f64x2.add(v128.load(g, 48), f64x2.mul(c, v128.load(z, 48))), 48);
}

/** g ← g + c_l·z on eight adjacent lanes, c per lane pair (c0 … c3). */
@inline function addNoise8Lanes(g: usize, z: usize, c0: v128, c1: v128, c2: v128, c3: v128): void {
  v128.store(g, f64x2.add(v128.load(g), f64x2.mul(c0, v128.load(z))));
  v128.store(g, f64x2.add(v128.load(g, 16), f64x2.mul(c1, v128.load(z, 16))), 16);
  v128.store(g, f64x2.add(v128.load(g, 32), f64x2.mul(c2, v128.load(z, 32))), 32);
  v128.store(g, f64x2.add(v128.load(g, 48), f64x2.mul(c3, v128.load(z, 48))), 48);
}

/** g_j += s_j z0 and g_{j+1} += s_{j+1} z1 for one lane (gi: its gradient column, fi: its loss). */
@inline function addPair(q: usize, d: i32, row: usize, gi: usize, fi: usize, j: i32, z0: f64, z1: f64,
                         scale: f64, perCoordinate: bool): void {
  const s = perCoordinate ? scale : scale * (load<f64>(q) * Math.sqrt(Math.max(load<f64>(fi), 0.0)));
  const a = gi + <usize>j * row;
  store<f64>(a, load<f64>(a) + (perCoordinate ? s * load<f64>(q + (<usize>j << 3)) : s) * z0);
  if (j + 1 < d) store<f64>(a + row, load<f64>(a + row) + (perCoordinate ? s * load<f64>(q + (<usize>(j + 1) << 3)) : s) * z1);
}
