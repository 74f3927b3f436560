// Minibatch gradients of a finite sum f = Σ_k w_k f_k (K components): for each particle and step,
// a batch of b component indices is drawn from Philox stream MINIBATCH (particle p, step t), and
//   ĝ = (K/b) Σ_{k ∈ batch} w_k ∇f_k(x)
// which is unbiased for ∇f under uniform sampling:
//   with replacement     index m = ⌊K·u_m⌋, m = 0 … b−1 (u_m uniform draw m)
//   without replacement  Knuth's selection sampling (TAOCP vol. 2, §3.4.2, Algorithm S): scan
//                        k = 0 … K−1 and take k when (K − k)·u_k < b − (taken so far); exactly b
//                        distinct indices, every b-subset equally likely.
// The covariance of ĝ is Σ/b with replacement and (K − b)/(K − 1)·Σ/b without, where
// Σ = (1/K) Σ_k (K w_k ∇f_k − ∇f)(…)ᵀ is the population covariance of the rescaled gradients.

import { philox, out0, out1, out2, out3 } from '../random/philox';
import { u01 } from '../random/uniform';
import { MINIBATCH } from '../random/streams';

@inline function uniformDraw(k0: u32, k1: u32, particle: u32, step: u32, j: u32): f64 {
  philox(j >>> 1, step, particle, MINIBATCH, k0, k1);
  return (j & 1) == 0 ? u01(out0, out1) : u01(out2, out3);
}

/** Fill idx with b component indices (of K) for (particle, step). */
export function drawBatch(K: i32, b: i32, replacement: bool, k0: u32, k1: u32, particle: u32, step: u32, idx: usize): void {
  if (replacement) {
    for (let m = 0; m < b; m++) {
      const k = <i32>Math.floor(<f64>K * uniformDraw(k0, k1, particle, step, <u32>m));
      store<i32>(idx + (<usize>m << 2), k < K ? k : K - 1);
    }
    return;
  }
  let taken = 0;
  for (let k = 0; k < K && taken < b; k++) {
    if (<f64>(K - k) * uniformDraw(k0, k1, particle, step, <u32>k) < <f64>(b - taken)) {
      store<i32>(idx + (<usize>taken << 2), k);
      taken++;
    }
  }
}
