// Hidden-layer activations σ with σ′ and σ″ (for the R-operator). Ids MUST MATCH
// src/models/mlp.ts. a = σ(z) is passed in so derivatives can reuse it.
//   relu       σ = max(z, 0)             σ′ = [z > 0] (0 at 0, as torch)   σ″ = 0
//   leakyRelu  σ = z > 0 ? z : s·z       σ′ = z > 0 ? 1 : s               σ″ = 0
//   tanh       σ = tanh z                σ′ = 1 − a²                      σ″ = −2a(1 − a²)
//   sigmoid    σ = 1/(1 + e^{−z})        σ′ = a(1 − a)                    σ″ = a(1 − a)(1 − 2a)
//   gelu       σ = z Φ(z)  (exact)       σ′ = Φ(z) + z φ(z)               σ″ = φ(z)(2 − z²)
//   identity   σ = z                     σ′ = 1                           σ″ = 0

import { normalCdf } from '../util/erf';

export const RELU = 0;
export const LEAKY_RELU = 1;
export const TANH = 2;
export const SIGMOID = 3;
export const GELU = 4;
export const IDENTITY = 5;

const INV_SQRT_2PI: f64 = 0.3989422804014327; // 1/√(2π)

@inline function phi(z: f64): f64 { return INV_SQRT_2PI * Math.exp(-0.5 * z * z); }

/** σ(z). */
@inline export function act(kind: i32, z: f64, s: f64): f64 {
  switch (kind) {
    case RELU: return z > 0.0 ? z : 0.0;
    case LEAKY_RELU: return z > 0.0 ? z : s * z;
    case TANH: return Math.tanh(z);
    case SIGMOID: return 1.0 / (1.0 + Math.exp(-z));
    case GELU: return z * normalCdf(z);
    default: return z;
  }
}

/** σ′(z), with a = σ(z). */
@inline export function dact(kind: i32, z: f64, a: f64, s: f64): f64 {
  switch (kind) {
    case RELU: return z > 0.0 ? 1.0 : 0.0;
    case LEAKY_RELU: return z > 0.0 ? 1.0 : s;
    case TANH: return 1.0 - a * a;
    case SIGMOID: return a * (1.0 - a);
    case GELU: return normalCdf(z) + z * phi(z);
    default: return 1.0;
  }
}

/** σ″(z), with a = σ(z). */
@inline export function d2act(kind: i32, z: f64, a: f64): f64 {
  switch (kind) {
    case TANH: return -2.0 * a * (1.0 - a * a);
    case SIGMOID: return a * (1.0 - a) * (1.0 - 2.0 * a);
    case GELU: return phi(z) * (2.0 - z * z);
    default: return 0.0;
  }
}
