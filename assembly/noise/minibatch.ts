// Minibatches of a finite sum of K terms (components of landscapes.finiteSum, or a model's
// examples). For each particle and step, b indices:
//   with replacement     index m = ⌊K·u_m⌋, m = 0 … b−1, u_m uniform draw m of Philox stream
//                        MINIBATCH, counter (⌊m/2⌋, step, particle)
//   without replacement  as torch's DataLoader(shuffle=True, drop_last=True): each particle walks
//                        through its own random permutation of 0 … K−1 per epoch, ⌊K/b⌋ batches
//                        per epoch; step t is batch t mod ⌊K/b⌋ of epoch e = ⌊t/⌊K/b⌋⌋. The
//                        permutation is a Fisher–Yates shuffle (Durstenfeld) whose draws come from
//                        stream SHUFFLE, counter (⌊i/2⌋, e, particle): a pure function of
//                        (seed, particle, epoch), so it is regenerated, never stored across calls.
// Either way each step's batch is a uniformly random b-multiset / b-subset, so
//   ĝ = (1/b) Σ_{i ∈ batch} w_i ∇ℓ_i   is unbiased for  ∇L = (1/K) Σ_i w_i ∇ℓ_i
// with covariance Σ/b (with replacement) or (K − b)/(K − 1)·Σ/b (without), Σ the population
// covariance of the w_i ∇ℓ_i.

import { philox, out0, out1, out2, out3 } from '../random/philox';
import { u01 } from '../random/uniform';
import { MINIBATCH, SHUFFLE } from '../random/streams';

@inline function uniformDraw(stream: u32, k0: u32, k1: u32, particle: u32, c1: u32, j: u32): f64 {
  philox(j >>> 1, c1, particle, stream, k0, k1);
  return (j & 1) == 0 ? u01(out0, out1) : u01(out2, out3);
}

/** perm = a uniformly random permutation of 0 … K−1 for (particle, epoch). */
function shuffle(perm: usize, K: i32, k0: u32, k1: u32, particle: u32, epoch: u32): void {
  for (let i = 0; i < K; i++) store<i32>(perm + (<usize>i << 2), i);
  // Draw i is half (i & 1) of Philox block ⌊i/2⌋; each block is computed once for its two draws.
  let block: i32 = -1;
  let lo = 0.0, hi = 0.0;
  for (let i = K - 1; i > 0; i--) {
    if ((i >>> 1) != block) {
      block = i >>> 1;
      philox(<u32>block, epoch, particle, SHUFFLE, k0, k1);
      lo = u01(out0, out1);
      hi = u01(out2, out3);
    }
    let j = <i32>Math.floor(<f64>(i + 1) * ((i & 1) == 0 ? lo : hi));
    if (j > i) j = i;
    const a = perm + (<usize>i << 2), c = perm + (<usize>j << 2);
    const t = load<i32>(a);
    store<i32>(a, load<i32>(c));
    store<i32>(c, t);
  }
}

/**
 * The b indices of (particle, step)'s batch. With replacement they are drawn into idx; without,
 * they are a slice of the lane's epoch permutation `perm` (K i32), regenerated when the epoch
 * differs from the lane's tag (one i32; −1 forces it). Returns the address of the b indices.
 */
export function batchIndices(K: i32, b: i32, replacement: bool, k0: u32, k1: u32, particle: u32, step: u32,
                             perm: usize, tag: usize, idx: usize): usize {
  if (replacement) {
    for (let m = 0; m < b; m++) {
      const k = <i32>Math.floor(<f64>K * uniformDraw(MINIBATCH, k0, k1, particle, step, <u32>m));
      store<i32>(idx + (<usize>m << 2), k < K ? k : K - 1);
    }
    return idx;
  }
  const perEpoch = <u32>(K / b);
  const epoch = step / perEpoch, pos = step % perEpoch;
  if (load<i32>(tag) != <i32>epoch) {
    shuffle(perm, K, k0, k1, particle, epoch);
    store<i32>(tag, <i32>epoch);
  }
  return perm + (<usize>(pos * <u32>b) << 2);
}
