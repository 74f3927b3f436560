// Langevin samplers run as optimiser-like kinds: target density ∝ exp(−U/T), U the landscape.
// Every Gaussian draw ξ is a ziggurat normal of Philox stream SAMPLER (samplers/samplerNormals.ts):
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
//   symplectic (semi-implicit) Euler: v⁺ = v − h∇U(x)/m − γhv + √(2γhT/m)·ξ, then x⁺ = x + hv⁺
//     (the velocity first, the position with the new velocity: Milstein & Tretyakov, "Stochastic
//     Numerics for Mathematical Physics", 2004, §4.1, the "symplectic Euler" of a Langevin
//     system; without friction and noise it is the symplectic Euler method of Hairer, Lubich &
//     Wanner, "Geometric Numerical Integration", 2006, §I.1.2)          draws 0 … d−1
// One gradient per step: the ensemble loop gives ∇U(x_t) at the start of step t, so the closing
// half-kick B(h/2) (and OBABO's closing O(h/2)) of step t−1, which needs ∇U(x_t), is applied at
// the start of step t, before step t's own opening operators. Positions x_t are exactly those of
// the textbook schemes; the stored velocity lags by the closing B (O), which `closeVelocities`
// applies to a copy when a run's final velocities are read. Initial velocity: v₀ = 0.

import { samplerNormals8, samplerPair, Z8 } from './samplerNormals';
import { ZA, ZB } from '../random/ziggurat';

// Every kernel below works in passes over the whole d × B block (kicks, drifts, noise), eight
// lanes at a time where draws are needed: each element sees the same operations in the same
// order as a lane-by-lane loop would give it, so the passes change no bits, only the speed.
// Blocks of fewer than 8 particles (d > 512) take their draws one lane at a time.

/**
 * Noise pass over a d × B block of particles p0 …: for every element, u ← a·u + c·ξ, where ξ for
 * coordinate j is the draw of Philox block blk0 + ⌊j/2⌋ (word pair j mod 2) of (particle, step):
 * the O step (a = e^{−γτ}) and Euler–Maruyama's noise term (a = 1, so a·u = u exactly).
 */
@inline function noisePass(d: i32, B: i32, p0: u32, step: u32, blk0: u32, k0: u32, k1: u32, u: usize, a: f64, c: f64): void {
  const row = <usize>B << 3;
  const av = f64x2.splat(a), cv = f64x2.splat(c);
  let k = 0;
  for (; k + 8 <= B; k += 8) {
    const o = <usize>k << 3;
    for (let j = 0; j < d; j += 2) {
      const both = j + 1 < d;
      samplerNormals8(blk0 + <u32>(j >> 1), step, p0 + <u32>k, k0, k1, both);
      const oj = o + <usize>j * row;
      scaleAdd8(u + oj, Z8, av, cv);
      if (both) scaleAdd8(u + oj + row, Z8 + 64, av, cv);
    }
  }
  for (; k < B; k++) {
    const uk = u + (<usize>k << 3);
    for (let j = 0; j < d; j += 2) {
      const both = j + 1 < d;
      samplerPair(blk0 + <u32>(j >> 1), step, p0 + <u32>k, k0, k1, both);
      const o = <usize>j * row;
      store<f64>(uk + o, a * load<f64>(uk + o) + c * ZA);
      if (both) store<f64>(uk + o + row, a * load<f64>(uk + o + row) + c * ZB);
    }
  }
}

/** u ← a·u + c·z on eight adjacent lanes (z: eight doubles). */
@inline function scaleAdd8(u: usize, z: usize, a: v128, c: v128): void {
  v128.store(u, f64x2.add(f64x2.mul(a, v128.load(u)), f64x2.mul(c, v128.load(z))));
  v128.store(u, f64x2.add(f64x2.mul(a, v128.load(u, 16)), f64x2.mul(c, v128.load(z, 16))), 16);
  v128.store(u, f64x2.add(f64x2.mul(a, v128.load(u, 32)), f64x2.mul(c, v128.load(z, 32))), 32);
  v128.store(u, f64x2.add(f64x2.mul(a, v128.load(u, 48)), f64x2.mul(c, v128.load(z, 48))), 48);
}

/** dst ← src − h·g + s·z on eight adjacent lanes (z: eight doubles); dst may be src. */
@inline function move8(src: usize, dst: usize, g: usize, z: usize, hv: v128, sv: v128): void {
  v128.store(dst, f64x2.add(f64x2.sub(v128.load(src), f64x2.mul(hv, v128.load(g))), f64x2.mul(sv, v128.load(z))));
  v128.store(dst, f64x2.add(f64x2.sub(v128.load(src, 16), f64x2.mul(hv, v128.load(g, 16))), f64x2.mul(sv, v128.load(z, 16))), 16);
  v128.store(dst, f64x2.add(f64x2.sub(v128.load(src, 32), f64x2.mul(hv, v128.load(g, 32))), f64x2.mul(sv, v128.load(z, 32))), 32);
  v128.store(dst, f64x2.add(f64x2.sub(v128.load(src, 48), f64x2.mul(hv, v128.load(g, 48))), f64x2.mul(sv, v128.load(z, 48))), 48);
}

/**
 * The Langevin move on a d × B block (particles p0 …): dst ← src − h·g + s·ξ with ξ the draws
 * 0 … d−1 of (particle, step t). ULA is dst = src = x, s = √(2hT); MALA's proposal dst = y.
 */
export function langevinMove(d: i32, B: i32, p0: u32, t: u32, k0: u32, k1: u32, src: usize, dst: usize, g: usize, h: f64, s: f64): void {
  const hv = f64x2.splat(h), sv = f64x2.splat(s);
  const row = <usize>B << 3;
  let k = 0;
  for (; k + 8 <= B; k += 8) {
    const o = <usize>k << 3;
    for (let j = 0; j < d; j += 2) {
      const both = j + 1 < d;
      samplerNormals8(<u32>(j >> 1), t, p0 + <u32>k, k0, k1, both);
      const oj = o + <usize>j * row;
      move8(src + oj, dst + oj, g + oj, Z8, hv, sv);
      if (both) move8(src + oj + row, dst + oj + row, g + oj + row, Z8 + 64, hv, sv);
    }
  }
  for (; k < B; k++) {
    const o0 = <usize>k << 3;
    for (let j = 0; j < d; j += 2) {
      const both = j + 1 < d;
      samplerPair(<u32>(j >> 1), t, p0 + <u32>k, k0, k1, both);
      const o = o0 + <usize>j * row;
      store<f64>(dst + o, load<f64>(src + o) - h * load<f64>(g + o) + s * ZA);
      if (both) store<f64>(dst + o + row, load<f64>(src + o + row) - h * load<f64>(g + o + row) + s * ZB);
    }
  }
}

/** ULA step on a d × B block (particles p0 …): x ← x − h·g + √(2hT)·ξ. */
export function ulaStep(d: i32, B: i32, p0: u32, t: u32, k0: u32, k1: u32, x: usize, g: usize, h: f64, temp: f64): void {
  langevinMove(d, B, p0, t, k0, k1, x, x, g, h, Math.sqrt(2.0 * h * temp));
}

export const BAOAB = 0, OBABO = 1, EULER = 2, SYMPLECTIC = 3;

/** B(τ) on the block (n elements): v ← v − w·g (w = τ/m). */
@inline function kick(n: i32, v: usize, g: usize, w: f64): void {
  const wv = f64x2.splat(w);
  for (let q: usize = 0, e = <usize>n << 3; q < e; q += 16) v128.store(v + q, f64x2.sub(v128.load(v + q), f64x2.mul(wv, v128.load(g + q))));
}

/** A(τ) on the block (n elements): x ← x + τ·v. */
@inline function drift(n: i32, x: usize, v: usize, tau: f64): void {
  const tv = f64x2.splat(tau);
  for (let q: usize = 0, e = <usize>n << 3; q < e; q += 16) v128.store(x + q, f64x2.add(v128.load(x + q), f64x2.mul(tv, v128.load(v + q))));
}

/**
 * Underdamped Langevin step t on a d × B block: g = ∇U(x_t), v the velocity slot. hp-derived
 * scalars: friction γ, mass m, temperature T, integrator (BAOAB, OBABO, EULER, SYMPLECTIC).
 * Euler–Maruyama as x ← x + h·v (all elements, from v_t), then v ← v − (h/m)g − γh·v + c·ξ as
 * v ← (v − (h/m)·g − γh·v) + c·ξ: a pass, then the noise pass with a = 1. Symplectic Euler: the
 * same velocity update first, then x ← x + h·v with the new v.
 */
export function underdampedStep(d: i32, B: i32, p0: u32, t: u32, k0: u32, k1: u32, x: usize, g: usize, v: usize,
                                h: f64, gamma: f64, mass: f64, temp: f64, integrator: i32): void {
  const n = d * B; // B is even (a power of two ≥ 2), so n is: whole f64x2 pairs
  const half = 0.5 * h;
  const w = half / mass;
  if (integrator == EULER || integrator == SYMPLECTIC) {
    const c = Math.sqrt(2.0 * gamma * h * temp / mass), hm = h / mass, gh = gamma * h;
    const hv = f64x2.splat(h), hmv = f64x2.splat(hm), ghv = f64x2.splat(gh);
    const explicit = integrator == EULER; // x from v_t (Euler–Maruyama) or from v_{t+1} (symplectic)
    for (let q: usize = 0, e = <usize>n << 3; q < e; q += 16) {
      const vo = v128.load(v + q);
      if (explicit) v128.store(x + q, f64x2.add(v128.load(x + q), f64x2.mul(hv, vo)));
      v128.store(v + q, f64x2.sub(f64x2.sub(vo, f64x2.mul(hmv, v128.load(g + q))), f64x2.mul(ghv, vo)));
    }
    noisePass(d, B, p0, t, 0, k0, k1, v, 1.0, c);
    if (!explicit) drift(n, x, v, h);
  } else if (integrator == BAOAB) {
    const a = Math.exp(-gamma * h), c = Math.sqrt((1.0 - Math.exp(-2.0 * gamma * h)) * temp / mass);
    if (t > 0) kick(n, v, g, w);         // closing B(h/2) of step t − 1
    kick(n, v, g, w);                    // B(h/2)
    drift(n, x, v, half);                // A(h/2)
    noisePass(d, B, p0, t, 0, k0, k1, v, a, c); // O(h)
    drift(n, x, v, half);                // A(h/2)
  } else {
    const a = Math.exp(-gamma * half), c = Math.sqrt((1.0 - Math.exp(-gamma * h)) * temp / mass);
    if (t > 0) {
      kick(n, v, g, w);                  // closing B(h/2) of step t − 1
      noisePass(d, B, p0, t - 1, <u32>((d + 1) >> 1), k0, k1, v, a, c); // closing O(h/2) of step t − 1
    }
    noisePass(d, B, p0, t, 0, k0, k1, v, a, c); // O(h/2)
    kick(n, v, g, w);                    // B(h/2)
    drift(n, x, v, h);                   // A(h)
  }
}

/**
 * The textbook velocity v_t after steps 0 … t−1 (t ≥ 1) into `out` (d × B), from the stored one
 * `v`, which for BAOAB and OBABO still lacks step t−1's closing B(h/2) (and OBABO's closing
 * O(h/2)): those are applied to the copy exactly as step t would apply them (g = the gradient
 * step t would use, h its step size). Euler–Maruyama and symplectic Euler store v_t itself.
 */
export function closeVelocities(d: i32, B: i32, p0: u32, t: u32, k0: u32, k1: u32, g: usize, v: usize, out: usize,
                                h: f64, gamma: f64, mass: f64, temp: f64, integrator: i32): void {
  const n = d * B;
  memory.copy(out, v, <usize>n << 3);
  if (t == 0 || integrator == EULER || integrator == SYMPLECTIC) return;
  kick(n, out, g, 0.5 * h / mass);
  if (integrator == OBABO) {
    const a = Math.exp(-gamma * 0.5 * h), c = Math.sqrt((1.0 - Math.exp(-gamma * h)) * temp / mass);
    noisePass(d, B, p0, t - 1, <u32>((d + 1) >> 1), k0, k1, out, a, c);
  }
}
