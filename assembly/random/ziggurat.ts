// Standard normals by the ziggurat method (Marsaglia & Tsang 2000, "The ziggurat method for
// generating random variables", J. Stat. Softw. 5(8)), 256 layers, with the layer index drawn
// independently of the uniform (Doornik 2005, "An improved ziggurat method"). Used for gradient
// noise and the Langevin samplers' draws, where the normal generator sets the speed
// (docs/performance.md lesson 2); `zigguratNormals4`/`zigguratNormals8` below are the SIMD paths.
//
// Layers of equal area V under f(x) = e^{−x²/2}: x₁ = R, x_{i+1} = √(−2 ln(f(x_i) + V/x_i)), up to
// x₂₅₆ = 0. Layer i ≥ 1 is the box [0, x_i] × [f(x_i), f(x_{i+1})]; layer 0 is [0, R] × [0, f(R)]
// plus the tail x > R, of width W₀ = V/f(R). One draw: layer i (8 bits), sign (1 bit), u (53 bits)
// from 64 bits of one Philox block; x = u·W_i; if x < x_{i+1} (≈ 98.8%) return ±x. Otherwise, with
// extra uniforms from the retry stream (`retryStream`: SAMPLER_RETRY for sampler draws,
// NOISE_RETRY for every other use; counter = 32·draw + 2·attempt (+1)):
//   i = 0 (tail, Marsaglia 1964): x = −ln U₁/R, y = −ln U₂, accept R + x if 2y > x²;
//   i ≥ 1 (wedge): accept x if f(x_i) + U·(f(x_{i+1}) − f(x_i)) < f(x);
// on rejection start again with a fresh (i, sign, u). After 16 rejections (probability < 1e-30)
// the last x is returned. The tables are computed at instantiation with AssemblyScript's Math,
// so they are the same bits in every runtime.

import { philox, out0, out1, out2, out3 } from './philox';
import { u01 } from './uniform';
import { NOISE_RETRY, SAMPLER, SAMPLER_RETRY } from './streams';
import { philox8, PH8 } from './philox4';

const R: f64 = 3.6541528853610088;   // rightmost layer edge for 256 layers (Marsaglia & Tsang)
const V: f64 = 0.00492867323399;     // area of each layer (including the base layer's tail)
const TWO_POW_M53: f64 = 1.1102230246251565e-16;

// WK[i] = (W_i, K_i), 16 bytes per layer: W_i the sampling width of layer i, K_i = x_{i+1} (accept
// without further test below it) — interleaved so one 16-byte load gathers both. F[i] = f(x_i)
// (F[0] unused, F[256] = 1). Static data below __heap_base, filled at start.
const WK = memory.data(256 * 16, 16);
const W = WK, K = WK + 8; // W_i at W + 16i, K_i at K + 16i
const F = memory.data(257 * 8);

@inline function f(x: f64): f64 { return Math.exp(-0.5 * x * x); }

function buildTables(): void {
  let x = R;
  store<f64>(W, V / f(R));
  store<f64>(K, R);
  for (let i = 1; i < 256; i++) {
    store<f64>(W + (<usize>i << 4), x);
    store<f64>(F + (<usize>i << 3), f(x));
    const next = i == 255 ? 0.0 : Math.sqrt(-2.0 * Math.log(f(x) + V / x));
    store<f64>(K + (<usize>i << 4), next);
    x = next;
  }
  store<f64>(F + (256 << 3), 1.0);
}
buildTables();

/** The stream a ziggurat draw of `stream` retries on: sampler draws have their own, so they never share uniforms with gradient noise. */
@inline export function retryStream(stream: u32): u32 { return stream == SAMPLER ? SAMPLER_RETRY : NOISE_RETRY; }

/** 53-bit uniform in [0, 1) from the top 23 bits of a and 30 bits of b. */
@inline function u53(a: u32, b: u32): f64 {
  return (<f64>(a >>> 9) * 1073741824.0 + <f64>(b >>> 2)) * TWO_POW_M53;
}

/**
 * One normal from words (a, b) of a Philox block; `draw` identifies it (for retries on stream
 * `retry`) within (particle, step) under key (k0, k1).
 */
@inline export function zigguratNormal(a: u32, b: u32, k0: u32, k1: u32, particle: u32, step: u32, draw: u32,
    retry: u32 = NOISE_RETRY): f64 {
  let i = <i32>(a & 255);
  let neg = (a & 256) != 0;
  let x = u53(a, b) * load<f64>(W + (<usize>i << 4));
  if (x < load<f64>(K + (<usize>i << 4))) return neg ? -x : x;
  return zigguratSlow(i, neg, x, k0, k1, particle, step, draw, retry);
}

function zigguratSlow(i: i32, neg: bool, x: f64, k0: u32, k1: u32, particle: u32, step: u32, draw: u32, retry: u32): f64 {
  for (let attempt: u32 = 0; attempt < 16; attempt++) {
    if (x < load<f64>(K + (<usize>i << 4))) return neg ? -x : x;
    philox((draw << 5) | (attempt << 1), step, particle, retry, k0, k1);
    if (i == 0) {
      const xt = -Math.log(1.0 - u01(out0, out1)) / R;
      const y = -Math.log(1.0 - u01(out2, out3));
      if (y + y > xt * xt) return neg ? -(R + xt) : R + xt;
    } else {
      const fi = load<f64>(F + (<usize>i << 3)), fn = load<f64>(F + (<usize>(i + 1) << 3));
      if (fi + u01(out0, out1) * (fn - fi) < f(x)) return neg ? -x : x;
    }
    philox((draw << 5) | (attempt << 1) | 1, step, particle, retry, k0, k1);
    i = <i32>(out0 & 255);
    neg = (out0 & 256) != 0;
    x = u53(out0, out1) * load<f64>(W + (<usize>i << 4));
  }
  return neg ? -x : x;
}

// Four draws at once: lanes l = 0…3 of words a and b (i32x4, e.g. two output words of a philox4
// call) are the (a, b) of four scalar draws. The common case runs in f64x2: the layer index,
// sign and u53 are lane-wise integer operations and exact conversions (a >>> 9 and b >>> 2 are
// below 2³¹, so the signed conversion is exact and one instruction), (W_i, K_i) is gathered with
// one 16-byte load per lane, and the sign is applied by flipping bit 63 (what negation does).
// A lane that misses the fast test is redone by `zigguratNormal` (whose fast test it misses in
// the same way). So each lane equals the scalar draw bit for bit.

/** u53 of lanes (0, 1) of (ah, bh) = (a >>> 9, b >>> 2): the scalar `u53`'s exact operations. */
@inline function u53x2(ah: v128, bh: v128): v128 {
  return f64x2.mul(f64x2.add(f64x2.mul(f64x2.convert_low_i32x4_s(ah), f64x2.splat(1073741824.0)),
    f64x2.convert_low_i32x4_s(bh)), f64x2.splat(TWO_POW_M53));
}

/**
 * Four normals from words (a_l, b_l), l = 0…3: lane l is draw `draw` of particle p + l at `step`
 * (retries on stream `retry`), stored as four doubles at dst.
 */
@inline export function zigguratNormals4(a: v128, b: v128, k0: u32, k1: u32, p: u32, step: u32, draw: u32, retry: u32, dst: usize): void {
  const o = i32x4.shl(v128.and(a, i32x4.splat(255)), 4); // layer index → byte offset in WK
  const e0 = v128.load(WK + <usize>i32x4.extract_lane(o, 0)), e1 = v128.load(WK + <usize>i32x4.extract_lane(o, 1));
  const e2 = v128.load(WK + <usize>i32x4.extract_lane(o, 2)), e3 = v128.load(WK + <usize>i32x4.extract_lane(o, 3));
  const ah = i32x4.shr_u(a, 9), bh = i32x4.shr_u(b, 2);
  const xLo = f64x2.mul(u53x2(ah, bh), v128.shuffle<f64>(e0, e1, 0, 2));
  const xHi = f64x2.mul(u53x2(v128.shuffle<i32>(ah, ah, 2, 3, 2, 3), v128.shuffle<i32>(bh, bh, 2, 3, 2, 3)),
    v128.shuffle<f64>(e2, e3, 0, 2));
  const okLo = f64x2.lt(xLo, v128.shuffle<f64>(e0, e1, 1, 3)), okHi = f64x2.lt(xHi, v128.shuffle<f64>(e2, e3, 1, 3));
  const sign = v128.and(a, i32x4.splat(256)); // bit 8 → bit 63 of each f64 lane
  v128.store(dst, v128.xor(xLo, i64x2.shl(i64x2.extend_low_i32x4_u(sign), 55)));
  v128.store(dst, v128.xor(xHi, i64x2.shl(i64x2.extend_high_i32x4_u(sign), 55)), 16);
  if (!i64x2.all_true(v128.and(okLo, okHi))) zigguratFix4(a, b, okLo, okHi, k0, k1, p, step, draw, retry, dst);
}

/** Redo the lanes that missed the fast test (about 1.2% of draws) with the scalar draw. */
function zigguratFix4(a: v128, b: v128, okLo: v128, okHi: v128, k0: u32, k1: u32, p: u32, step: u32, draw: u32,
    retry: u32, dst: usize): void {
  if (i64x2.extract_lane(okLo, 0) == 0) store<f64>(dst, zigguratNormal(<u32>i32x4.extract_lane(a, 0),
    <u32>i32x4.extract_lane(b, 0), k0, k1, p, step, draw, retry));
  if (i64x2.extract_lane(okLo, 1) == 0) store<f64>(dst, zigguratNormal(<u32>i32x4.extract_lane(a, 1),
    <u32>i32x4.extract_lane(b, 1), k0, k1, p + 1, step, draw, retry), 8);
  if (i64x2.extract_lane(okHi, 0) == 0) store<f64>(dst, zigguratNormal(<u32>i32x4.extract_lane(a, 2),
    <u32>i32x4.extract_lane(b, 2), k0, k1, p + 2, step, draw, retry), 16);
  if (i64x2.extract_lane(okHi, 1) == 0) store<f64>(dst, zigguratNormal(<u32>i32x4.extract_lane(a, 3),
    <u32>i32x4.extract_lane(b, 3), k0, k1, p + 3, step, draw, retry), 24);
}

/**
 * Draws 2·blk and (if `both`) 2·blk + 1 of particles p … p + 7 at step t on `stream` (retries on
 * `retry`): Philox blocks (blk, t, p + l, stream) from two interleaved philox4 chains (`philox8`),
 * four draws per `zigguratNormals4`. Draw 2·blk of lane l goes to dst + 8l, draw 2·blk + 1 to
 * dst + 64 + 8l (128 bytes). `both` is false for the last coordinate of an odd dimension.
 */
@inline export function zigguratNormals8(stream: u32, retry: u32, blk: u32, t: u32, p: u32, k0: u32, k1: u32,
    both: bool, dst: usize): void {
  const bv = i32x4.splat(blk), tv = i32x4.splat(t), sv = i32x4.splat(stream);
  const pa = i32x4.add(i32x4.splat(p), i32x4(0, 1, 2, 3));
  philox8(bv, tv, pa, sv, bv, tv, i32x4.add(pa, i32x4.splat(4)), sv, k0, k1);
  zigguratNormals4(v128.load(PH8), v128.load(PH8, 16), k0, k1, p, t, blk << 1, retry, dst);
  zigguratNormals4(v128.load(PH8, 64), v128.load(PH8, 80), k0, k1, p + 4, t, blk << 1, retry, dst + 32);
  if (both) {
    zigguratNormals4(v128.load(PH8, 32), v128.load(PH8, 48), k0, k1, p, t, (blk << 1) | 1, retry, dst + 64);
    zigguratNormals4(v128.load(PH8, 96), v128.load(PH8, 112), k0, k1, p + 4, t, (blk << 1) | 1, retry, dst + 96);
  }
}

/** The two draws of the last `zigguratPair` call. */
export let ZA: f64 = 0;
export let ZB: f64 = 0;

/**
 * Draws 2·blk → ZA and (if `both`) 2·blk + 1 → ZB of particle p at step t on `stream` (retries on
 * `retry`): words (0, 1) and (2, 3) of Philox block (blk, t, p, stream), one lane at a time.
 */
@inline export function zigguratPair(stream: u32, retry: u32, blk: u32, t: u32, p: u32, k0: u32, k1: u32, both: bool): void {
  philox(blk, t, p, stream, k0, k1);
  const c = out2, e = out3; // read before a retry calls philox again
  ZA = zigguratNormal(out0, out1, k0, k1, p, t, blk << 1, retry);
  if (both) ZB = zigguratNormal(c, e, k0, k1, p, t, (blk << 1) | 1, retry);
}

/** `count` ziggurat normals of (particle, step) on stream `stream` into out (tests, plots). */
export function fillZiggurat(k0: u32, k1: u32, stream: u32, particle: u32, step: u32, count: i32, out: usize): void {
  const retry = retryStream(stream);
  for (let j = 0; j < count; j += 2) {
    const both = j + 1 < count;
    zigguratPair(stream, retry, <u32>(j >> 1), step, particle, k0, k1, both);
    store<f64>(out + (<usize>j << 3), ZA);
    if (both) store<f64>(out + (<usize>(j + 1) << 3), ZB);
  }
}
