// Work space of the noise kernels, sized beside their layouts: the bindings allocate each of the
// run's noise buffers (descriptor slots MBI, MBG, HNW, ZOW) from `noiseWorkBytes`, so no layout is
// mirrored in JS (docs/design.md, "Parts bring the code that packs them"). The layouts:
//   MBI (i32)  minibatch kinds: epoch tags (B) | epoch permutations (B × K) | drawn indices (b)
//              (noise/minibatch.ts minibatchBlock); one unused i32 otherwise
//   MBG (f64)  one particle's minibatch gradient (d); importance sampling keeps one term's
//              gradient after it (2d)
//   HNW (f64)  Hessian-aligned noise: hessianNoiseScratch(d), then x, z, ξ (d each)
//              (noise/hessianAligned.ts hessianBlock)
//   ZOW (f64)  zeroth-order gradients: directions U and perturbed points Y (d × B each), then
//              f(x), f(x + σu), f(x − σu) (B each) (noise/zerothOrder.ts)
// q is the noise's parameter block (noise/kinds.ts): b at q[0], K at q[4] for the minibatch kinds.

import * as D from '../run/descriptor';
import { MINIBATCH, LABEL_NOISE, IMPORTANCE_MINIBATCH, HESSIAN_ALIGNED, ZEROTH_ORDER } from './kinds';
import { hessianNoiseScratch } from './hessianAligned';

/** Bytes noise `kind` (parameters at q) needs in descriptor slot `slot` at dimension d and block size B (0: none). */
export function noiseWorkBytes(kind: i32, q: usize, d: i32, B: i32, slot: i32): f64 {
  const fd = <f64>d, fB = <f64>B;
  if (slot == D.MBI) {
    const batched = kind == MINIBATCH || kind == LABEL_NOISE || kind == IMPORTANCE_MINIBATCH;
    return batched ? 4.0 * (fB + fB * load<f64>(q, 32) + load<f64>(q)) : 4.0;
  }
  if (slot == D.MBG) return 8.0 * (kind == IMPORTANCE_MINIBATCH ? 2.0 * fd : fd);
  if (slot == D.HNW) return kind == HESSIAN_ALIGNED ? 8.0 * (<f64>hessianNoiseScratch(d) + 3.0 * fd) : 0.0;
  if (slot == D.ZOW) return kind == ZEROTH_ORDER ? 8.0 * (2.0 * fd * fB + 3.0 * fB) : 0.0;
  unreachable();
  return 0.0;
}
