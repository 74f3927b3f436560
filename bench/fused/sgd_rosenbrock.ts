// Hand-fused baseline for the ensemble bench (bench/ensemble.mjs): SGD with Gaussian gradient noise
// on the 2-d Rosenbrock function, for particles stored structure-of-arrays (x0[P], x1[P]), in ONE
// loop per step that does gradient + noise + update for each particle without writing the
// gradient or the noise to memory. It is what descent's block pipeline (landscape kernel → noise
// kernel → optimiser kernel over a block's buffers, plus status and divergence bookkeeping) is
// measured against: "the block-pipeline design within 1.25× of a hand-fused wasm loop".
//
// Not part of the library: compiled by bench/ensemble.mjs (in this directory, so that asc does not
// pick up the library's asconfig.json) with
//   asc sgd_rosenbrock.ts --runtime stub -O3 --enable simd -o sgd_rosenbrock.wasm
//
// The normal generator must cost what descent's costs, so it is descent's own, imported from
// assembly/random/ (the same code, not a copy):
//   - Philox4x32-10 (assembly/random/philox.ts) with counter (k, step, particle, stream 1) under
//     key (seed mod 2³², ⌊seed/2³²⌋), four particles per call in i32x4 lanes (random/philox4.ts);
//   - Marsaglia & Tsang's 256-layer ziggurat with Doornik's independent layer index
//     (random/ziggurat.ts): words (0, 1) of the block give coordinate 0, words (2, 3) coordinate 1;
//     the rare retries use scalar Philox on stream 5 (counter 32·draw + 2·attempt (+1)).
// So the noise (and, with the same gradient expression and operation order as
// assembly/landscapes/rosenbrock.ts, every position) equals descent's bit for bit; the bench checks
// that.
//
// Loop order is descent's: particles in blocks of B (outer), the call's steps (inner), so a block
// stays in L1 across a call's steps; the caller chunks the T steps (docs/performance.md lesson 1).
// No divergence or status bookkeeping (descent tests max|x| every step; the twins do not).


import { philox, out0 as o0, out1 as o1, out2 as o2, out3 as o3 } from '../../assembly/random/philox';
import { philox4, Q0, Q1, Q2, Q3, laneOf as lane } from '../assembly/philox4';
import { zigguratNormal as zig } from '../../assembly/random/ziggurat';
import { NOISE } from '../../assembly/random/streams';

/** First free byte (16-aligned): the caller lays its arrays out from here and grows memory. */
export function base(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** One particle, scalar: x ← x − lr·(∇f(x) + σz). */
@inline function scalarStep(x0: usize, x1: usize, p: i32, t: i32, lr: f64, a: f64, b: f64, sigma: f64,
                            k0: u32, k1: u32): void {
  const o = <usize>p << 3;
  const xa = load<f64>(x0 + o), xb = load<f64>(x1 + o);
  const tt = xb - xa * xa, u = a - xa;
  const g0 = 0.0 - 4.0 * b * xa * tt - 2.0 * u;
  const g1 = 2.0 * b * tt;
  philox(0, <u32>t, <u32>p, NOISE, k0, k1);
  const c = o2, e = o3; // a ziggurat retry calls philox again
  const z0 = zig(o0, o1, k0, k1, <u32>p, <u32>t, 0);
  const z1 = zig(c, e, k0, k1, <u32>p, <u32>t, 1);
  store<f64>(x0 + o, xa - lr * (g0 + sigma * z0));
  store<f64>(x1 + o, xb - lr * (g1 + sigma * z1));
}

/** Two particles p, p+1 in f64x2 lanes with their normals (z0: coordinate 0, z1: coordinate 1). */
@inline function pairStep(x0: usize, x1: usize, p: i32, z0: v128, z1: v128, vlr: v128, va: v128,
                          v4b: v128, v2b: v128, v2: v128, vs: v128): void {
  const o = <usize>p << 3;
  const xa = v128.load(x0 + o), xb = v128.load(x1 + o);
  const tt = f64x2.sub(xb, f64x2.mul(xa, xa)), u = f64x2.sub(va, xa);
  const g0 = f64x2.sub(f64x2.sub(f64x2.splat(0.0), f64x2.mul(f64x2.mul(v4b, xa), tt)), f64x2.mul(v2, u));
  const g1 = f64x2.mul(v2b, tt);
  v128.store(x0 + o, f64x2.sub(xa, f64x2.mul(vlr, f64x2.add(g0, f64x2.mul(vs, z0)))));
  v128.store(x1 + o, f64x2.sub(xb, f64x2.mul(vlr, f64x2.add(g1, f64x2.mul(vs, z1)))));
}

/**
 * Steps [t0, t1) with noise σ·z, z ~ N(0, I): x ← x − lr·(∇f(x) + σz), particles [0, P) in blocks
 * of B. Four particles per philox4 call, their gradient and update two at a time in f64x2.
 */
export function stepNoise(x0: usize, x1: usize, P: i32, B: i32, t0: i32, t1: i32,
                          lr: f64, a: f64, b: f64, sigma: f64, k0: u32, k1: u32): void {
  const vlr = f64x2.splat(lr), va = f64x2.splat(a), vs = f64x2.splat(sigma);
  const v4b = f64x2.splat(4.0 * b), v2b = f64x2.splat(2.0 * b), v2 = f64x2.splat(2.0);
  for (let p0 = 0; p0 < P; p0 += B) {
    const pe = min(p0 + B, P);
    for (let t = t0; t < t1; t++) {
      const ut = <u32>t;
      let p = p0;
      for (; p + 4 <= pe; p += 4) {
        const up = <u32>p;
        philox4(i32x4.splat(0), i32x4.splat(ut), i32x4.add(i32x4.splat(up), i32x4(0, 1, 2, 3)), i32x4.splat(NOISE), k0, k1);
        const A = Q0, Bw = Q1, C = Q2, E = Q3;
        const za0 = zig(lane(A, 0), lane(Bw, 0), k0, k1, up, ut, 0), zb0 = zig(lane(C, 0), lane(E, 0), k0, k1, up, ut, 1);
        const za1 = zig(lane(A, 1), lane(Bw, 1), k0, k1, up + 1, ut, 0), zb1 = zig(lane(C, 1), lane(E, 1), k0, k1, up + 1, ut, 1);
        const za2 = zig(lane(A, 2), lane(Bw, 2), k0, k1, up + 2, ut, 0), zb2 = zig(lane(C, 2), lane(E, 2), k0, k1, up + 2, ut, 1);
        const za3 = zig(lane(A, 3), lane(Bw, 3), k0, k1, up + 3, ut, 0), zb3 = zig(lane(C, 3), lane(E, 3), k0, k1, up + 3, ut, 1);
        pairStep(x0, x1, p, f64x2.replace_lane(f64x2.splat(za0), 1, za1), f64x2.replace_lane(f64x2.splat(zb0), 1, zb1),
          vlr, va, v4b, v2b, v2, vs);
        pairStep(x0, x1, p + 2, f64x2.replace_lane(f64x2.splat(za2), 1, za3), f64x2.replace_lane(f64x2.splat(zb2), 1, zb3),
          vlr, va, v4b, v2b, v2, vs);
      }
      for (; p < pe; p++) scalarStep(x0, x1, p, t, lr, a, b, sigma, k0, k1);
    }
  }
}

/** Steps [t0, t1) without noise, two particles per f64x2: P and B even. */
export function stepPlain(x0: usize, x1: usize, P: i32, B: i32, t0: i32, t1: i32,
                          lr: f64, a: f64, b: f64): void {
  const va = f64x2.splat(a), vlr = f64x2.splat(lr);
  const v4b = f64x2.splat(4.0 * b), v2b = f64x2.splat(2.0 * b), v2 = f64x2.splat(2.0);
  const zero = f64x2.splat(0.0);
  for (let p0 = 0; p0 < P; p0 += B) {
    const pe = min(p0 + B, P);
    for (let t = t0; t < t1; t++) {
      for (let p = p0; p < pe; p += 2) {
        const o = <usize>p << 3;
        const xa = v128.load(x0 + o), xb = v128.load(x1 + o);
        const tt = f64x2.sub(xb, f64x2.mul(xa, xa)), u = f64x2.sub(va, xa);
        const g0 = f64x2.sub(f64x2.sub(zero, f64x2.mul(f64x2.mul(v4b, xa), tt)), f64x2.mul(v2, u));
        const g1 = f64x2.mul(v2b, tt);
        v128.store(x0 + o, f64x2.sub(xa, f64x2.mul(vlr, g0)));
        v128.store(x1 + o, f64x2.sub(xb, f64x2.mul(vlr, g1)));
      }
    }
  }
}
