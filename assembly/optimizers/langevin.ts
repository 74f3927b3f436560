// Langevin samplers run as optimiser-like kinds: target density ∝ exp(−U/T), U the landscape.
// Every Gaussian draw ξ is a ziggurat normal of Philox stream SAMPLER (random/samplerNormals.ts):
// draw j of step t of particle p is the same number whatever the block, chunk, worker or shard.
// Step size h is the schedule's η_t (the TypeScript packer gives a constant schedule). Blocks are
// d × B (coordinate j of lane k at x + 8(jB + k)), so a lane's d draws come from its own counters.
//
// ULA (overdamped, unadjusted Langevin):  x⁺ = x − h∇U(x) + √(2hT)·ξ.     draws 0 … d−1
//
// Underdamped Langevin dx = v dt, m dv = −∇U dt − γ m v dt + √(2γmT) dW, in the splitting
// notation of Leimkuhler & Matthews (2013, AMRX; "Molecular Dynamics", 2015, §7):
//   B(τ): v ← v − τ∇U(x)/m        A(τ): x ← x + τv
//   O(τ): v ← e^{−γτ}v + √((1 − e^{−2γτ})T/m)·ξ        (exact Ornstein–Uhlenbeck flow)
//   BAOAB = B(h/2) A(h/2) O(h) A(h/2) B(h/2)          draws 0 … d−1 of step t
//   OBABO = O(h/2) B(h/2) A(h) B(h/2) O(h/2)          draws 0 … d−1 (first O), 2⌈d/2⌉ + (0 … d−1) (last O)
//   Euler–Maruyama: x⁺ = x + hv,  v⁺ = v − h∇U(x)/m − γhv + √(2γhT/m)·ξ   draws 0 … d−1
// One gradient per step: the ensemble loop gives ∇U(x_t) at the start of step t, so the closing
// half-kick B(h/2) (and OBABO's closing O(h/2)) of step t−1, which needs ∇U(x_t), is applied at
// the start of step t, before step t's own opening operators. Positions x_t are exactly those of
// the textbook schemes; the stored velocity lags by the closing B (O). Initial velocity: v₀ = 0.

import { samplerNormals8, samplerPair, Z8, ZA, ZB } from '../random/samplerNormals';

/** x ← x − h·g + s·z on four adjacent lanes (two f64x2), the one-lane update's operations in its order. */
@inline function ula4(x: usize, g: usize, z: usize, hv: v128, sv: v128): void {
  v128.store(x, f64x2.add(f64x2.sub(v128.load(x), f64x2.mul(hv, v128.load(g))), f64x2.mul(sv, v128.load(z))));
  v128.store(x, f64x2.add(f64x2.sub(v128.load(x, 16), f64x2.mul(hv, v128.load(g, 16))), f64x2.mul(sv, v128.load(z, 16))), 16);
}

/**
 * ULA step on a d × B block (particles p0 …): x ← x − h·g + √(2hT)·ξ. Eight lanes at a time
 * (two interleaved philox4 chains per coordinate pair, f64x2 updates); blocks of fewer than 8
 * particles (d > 512) one lane at a time.
 */
export function ulaStep(d: i32, B: i32, p0: u32, t: u32, k0: u32, k1: u32, x: usize, g: usize, h: f64, temp: f64): void {
  const s = Math.sqrt(2.0 * h * temp);
  const hv = f64x2.splat(h), sv = f64x2.splat(s);
  const row = <usize>B << 3;
  let k = 0;
  for (; k + 8 <= B; k += 8) {
    const o = <usize>k << 3;
    for (let j = 0; j < d; j += 2) {
      const both = j + 1 < d;
      samplerNormals8(<u32>(j >> 1), t, p0 + <u32>k, k0, k1, both);
      const oj = o + <usize>j * row;
      ula4(x + oj, g + oj, Z8, hv, sv);
      ula4(x + oj + 32, g + oj + 32, Z8 + 32, hv, sv);
      if (both) {
        ula4(x + oj + row, g + oj + row, Z8 + 64, hv, sv);
        ula4(x + oj + row + 32, g + oj + row + 32, Z8 + 96, hv, sv);
      }
    }
  }
  for (; k < B; k++) {
    const xk = x + (<usize>k << 3), gk = g + (<usize>k << 3);
    for (let j = 0; j < d; j += 2) {
      const both = j + 1 < d;
      samplerPair(<u32>(j >> 1), t, p0 + <u32>k, k0, k1, both);
      const o = <usize>j * row;
      store<f64>(xk + o, load<f64>(xk + o) - h * load<f64>(gk + o) + s * ZA);
      if (both) store<f64>(xk + o + row, load<f64>(xk + o + row) - h * load<f64>(gk + o + row) + s * ZB);
    }
  }
}

export const BAOAB = 0, OBABO = 1, EULER = 2;

/** O(τ) on lane k: v ← a·v + c·ξ with the draws of Philox blocks blk0, blk0 + 1, … of (particle, step). */
@inline function ouLane(d: i32, row: usize, vk: usize, p: u32, step: u32, blk0: u32, k0: u32, k1: u32, a: f64, c: f64): void {
  for (let j = 0; j < d; j += 2) {
    const both = j + 1 < d;
    samplerPair(blk0 + <u32>(j >> 1), step, p, k0, k1, both);
    const o = <usize>j * row;
    store<f64>(vk + o, a * load<f64>(vk + o) + c * ZA);
    if (both) store<f64>(vk + o + row, a * load<f64>(vk + o + row) + c * ZB);
  }
}

/** Euler–Maruyama on coordinate offset o of a lane: x ← x + hv, v ← v − (h/m)g − γhv + c·z. */
@inline function eulerCoordinate(xk: usize, vk: usize, gk: usize, o: usize, h: f64, hm: f64, gh: f64, c: f64, z: f64): void {
  const vo = load<f64>(vk + o);
  store<f64>(xk + o, load<f64>(xk + o) + h * vo);
  store<f64>(vk + o, vo - hm * load<f64>(gk + o) - gh * vo + c * z);
}

/** B(τ) on lane k: v ← v − τ·g/m (w = τ/m). */
@inline function kick(d: i32, row: usize, vk: usize, gk: usize, w: f64): void {
  for (let j = 0; j < d; j++) {
    const o = <usize>j * row;
    store<f64>(vk + o, load<f64>(vk + o) - w * load<f64>(gk + o));
  }
}

/** A(τ) on lane k: x ← x + τ·v. */
@inline function drift(d: i32, row: usize, xk: usize, vk: usize, tau: f64): void {
  for (let j = 0; j < d; j++) {
    const o = <usize>j * row;
    store<f64>(xk + o, load<f64>(xk + o) + tau * load<f64>(vk + o));
  }
}

/**
 * Underdamped Langevin step t on a d × B block: g = ∇U(x_t), v the velocity slot. hp-derived
 * scalars: friction γ, mass m, temperature T, integrator (BAOAB, OBABO, EULER).
 */
export function underdampedStep(d: i32, B: i32, p0: u32, t: u32, k0: u32, k1: u32, x: usize, g: usize, v: usize,
                                h: f64, gamma: f64, mass: f64, temp: f64, integrator: i32): void {
  const row = <usize>B << 3;
  const half = 0.5 * h;
  const w = half / mass;
  if (integrator == EULER) {
    const c = Math.sqrt(2.0 * gamma * h * temp / mass), hm = h / mass, gh = gamma * h;
    for (let k = 0; k < B; k++) {
      const xk = x + (<usize>k << 3), gk = g + (<usize>k << 3), vk = v + (<usize>k << 3);
      for (let j = 0; j < d; j += 2) {
        const both = j + 1 < d;
        samplerPair(<u32>(j >> 1), t, p0 + <u32>k, k0, k1, both);
        eulerCoordinate(xk, vk, gk, <usize>j * row, h, hm, gh, c, ZA);
        if (both) eulerCoordinate(xk, vk, gk, <usize>(j + 1) * row, h, hm, gh, c, ZB);
      }
    }
  } else if (integrator == BAOAB) {
    const a = Math.exp(-gamma * h), c = Math.sqrt((1.0 - Math.exp(-2.0 * gamma * h)) * temp / mass);
    for (let k = 0; k < B; k++) {
      const xk = x + (<usize>k << 3), gk = g + (<usize>k << 3), vk = v + (<usize>k << 3);
      if (t > 0) kick(d, row, vk, gk, w);  // closing B(h/2) of step t − 1
      kick(d, row, vk, gk, w);             // B(h/2)
      drift(d, row, xk, vk, half);         // A(h/2)
      ouLane(d, row, vk, p0 + <u32>k, t, 0, k0, k1, a, c); // O(h)
      drift(d, row, xk, vk, half);         // A(h/2)
    }
  } else {
    const a = Math.exp(-gamma * half), c = Math.sqrt((1.0 - Math.exp(-gamma * h)) * temp / mass);
    for (let k = 0; k < B; k++) {
      const xk = x + (<usize>k << 3), gk = g + (<usize>k << 3), vk = v + (<usize>k << 3);
      const p = p0 + <u32>k;
      if (t > 0) {
        kick(d, row, vk, gk, w);                          // closing B(h/2) of step t − 1
        ouLane(d, row, vk, p, t - 1, <u32>((d + 1) >> 1), k0, k1, a, c); // closing O(h/2) of step t − 1
      }
      ouLane(d, row, vk, p, t, 0, k0, k1, a, c);          // O(h/2)
      kick(d, row, vk, gk, w);                            // B(h/2)
      drift(d, row, xk, vk, h);                           // A(h)
    }
  }
}
