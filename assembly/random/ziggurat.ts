// Standard normals by the ziggurat method (Marsaglia & Tsang 2000, "The ziggurat method for
// generating random variables", J. Stat. Softw. 5(8)), 256 layers, with the layer index drawn
// independently of the uniform (Doornik 2005, "An improved ziggurat method"). Used for gradient
// noise in ensembles, where the normal generator sets the speed (PERFORMANCE.md lesson 2).
//
// Layers of equal area V under f(x) = e^{−x²/2}: x₁ = R, x_{i+1} = √(−2 ln(f(x_i) + V/x_i)), up to
// x₂₅₆ = 0. Layer i ≥ 1 is the box [0, x_i] × [f(x_i), f(x_{i+1})]; layer 0 is [0, R] × [0, f(R)]
// plus the tail x > R, of width W₀ = V/f(R). One draw: layer i (8 bits), sign (1 bit), u (53 bits)
// from 64 bits of one Philox block; x = u·W_i; if x < x_{i+1} (≈ 98.8%) return ±x. Otherwise, with
// extra uniforms from Philox stream NOISE_RETRY (counter = 32·draw + 2·attempt (+1)):
//   i = 0 (tail, Marsaglia 1964): x = −ln U₁/R, y = −ln U₂, accept R + x if 2y > x²;
//   i ≥ 1 (wedge): accept x if f(x_i) + U·(f(x_{i+1}) − f(x_i)) < f(x);
// on rejection start again with a fresh (i, sign, u). After 16 rejections (probability < 1e-30)
// the last x is returned. The tables are computed at instantiation with AssemblyScript's Math,
// so they are the same bits in every runtime.

import { philox, out0, out1, out2, out3 } from './philox';
import { u01 } from './uniform';
import { NOISE_RETRY } from './streams';

const R: f64 = 3.6541528853610088;   // rightmost layer edge for 256 layers (Marsaglia & Tsang)
const V: f64 = 0.00492867323399;     // area of each layer (including the base layer's tail)
const TWO_POW_M53: f64 = 1.1102230246251565e-16;

// W[i]: sampling width of layer i; K[i] = x_{i+1}: accept without further test below it;
// F[i] = f(x_i) (F[0] unused, F[256] = 1). Static data below __heap_base, filled at start.
const W = memory.data(256 * 8);
const K = memory.data(256 * 8);
const F = memory.data(257 * 8);

@inline function f(x: f64): f64 { return Math.exp(-0.5 * x * x); }

function buildTables(): void {
  let x = R;
  store<f64>(W, V / f(R));
  store<f64>(K, R);
  for (let i = 1; i < 256; i++) {
    store<f64>(W + (<usize>i << 3), x);
    store<f64>(F + (<usize>i << 3), f(x));
    const next = i == 255 ? 0.0 : Math.sqrt(-2.0 * Math.log(f(x) + V / x));
    store<f64>(K + (<usize>i << 3), next);
    x = next;
  }
  store<f64>(F + (256 << 3), 1.0);
}
buildTables();

/** 53-bit uniform in [0, 1) from the top 23 bits of a and 30 bits of b. */
@inline function u53(a: u32, b: u32): f64 {
  return (<f64>(a >>> 9) * 1073741824.0 + <f64>(b >>> 2)) * TWO_POW_M53;
}

/**
 * One normal from words (a, b) of a Philox block; `draw` identifies it (for retries) within
 * (particle, step) under key (k0, k1).
 */
@inline export function zigguratNormal(a: u32, b: u32, k0: u32, k1: u32, particle: u32, step: u32, draw: u32): f64 {
  let i = <i32>(a & 255);
  let neg = (a & 256) != 0;
  let x = u53(a, b) * load<f64>(W + (<usize>i << 3));
  if (x < load<f64>(K + (<usize>i << 3))) return neg ? -x : x;
  return zigguratSlow(i, neg, x, k0, k1, particle, step, draw);
}

function zigguratSlow(i: i32, neg: bool, x: f64, k0: u32, k1: u32, particle: u32, step: u32, draw: u32): f64 {
  for (let attempt: u32 = 0; attempt < 16; attempt++) {
    if (x < load<f64>(K + (<usize>i << 3))) return neg ? -x : x;
    philox((draw << 5) | (attempt << 1), step, particle, NOISE_RETRY, k0, k1);
    if (i == 0) {
      const xt = -Math.log(1.0 - u01(out0, out1)) / R;
      const y = -Math.log(1.0 - u01(out2, out3));
      if (y + y > xt * xt) return neg ? -(R + xt) : R + xt;
    } else {
      const fi = load<f64>(F + (<usize>i << 3)), fn = load<f64>(F + (<usize>(i + 1) << 3));
      if (fi + u01(out0, out1) * (fn - fi) < f(x)) return neg ? -x : x;
    }
    philox((draw << 5) | (attempt << 1) | 1, step, particle, NOISE_RETRY, k0, k1);
    i = <i32>(out0 & 255);
    neg = (out0 & 256) != 0;
    x = u53(out0, out1) * load<f64>(W + (<usize>i << 3));
  }
  return neg ? -x : x;
}

/** `count` ziggurat normals of (particle, step) on stream `stream` into out (tests, plots). */
export function fillZiggurat(k0: u32, k1: u32, stream: u32, particle: u32, step: u32, count: i32, out: usize): void {
  for (let j = 0; j < count; j += 2) {
    philox(<u32>(j >> 1), step, particle, stream, k0, k1);
    const c = out2, e = out3; // read before zigguratNormal may call philox again
    store<f64>(out + (<usize>j << 3), zigguratNormal(out0, out1, k0, k1, particle, step, <u32>j));
    if (j + 1 < count) store<f64>(out + (<usize>(j + 1) << 3), zigguratNormal(c, e, k0, k1, particle, step, <u32>(j + 1)));
  }
}
