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
//
// Non-uniform (importance) sampling, kind IMPORTANCE_MINIBATCH: b i.i.d. indices with P(i) = p_i,
// index m = the first i with P_i > u_m (P_i = p_0 + … + p_i, the cumulative probabilities in q;
// u_m as above, stream MINIBATCH), and with u_i the b = 1 uniform minibatch gradient of term i
// (a mean-loss model's s·w_i∇ℓ_i, a finite sum's K·c_i∇f_i; E over a uniform i of u_i = ∇L):
//   corrected     ĝ = (1/b) Σ_m u_{i_m} / (K p_{i_m})   unbiased: E ĝ = Σ_i p_i u_i/(K p_i) = ∇L
//   uncorrected   ĝ = (1/b) Σ_m u_{i_m}                 E ĝ = Σ_i p_i u_i ≠ ∇L unless p is uniform
// (Needell, Srebro & Ward 2014, "Stochastic gradient descent, weighted sampling, and the
// randomized Kaczmarz algorithm", NeurIPS, §3; Zhao & Zhang 2015, ICML, "Stochastic optimization
// with importance sampling", eq. (4); without the 1/(K p_i) factor: resampling without
// reweighting).

import { philox, out0, out1, out2, out3 } from '../random/philox';
import { u01 } from '../random/uniform';
import { MINIBATCH, SHUFFLE } from '../random/streams';
import * as D from '../run/descriptor';
import { u, i, key } from '../run/descriptor';
import { LABEL_NOISE, IMPORTANCE_MINIBATCH } from './kinds';
import { isModel, modelBatch } from '../models/dispatch';
import { sumBatchGrad } from '../landscapes/composite';

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

/** Importance sampling parameters in q (after b | repl | σ | flip | K): correction (0/1), then P_0 … P_{K−1}. */
const Q_CORRECTION = 5, Q_CUMULATIVE = 6;

/** The first i with P_i > u (P ascending, P_{K−1} = 1 up to rounding; u < 1): binary search, K − 1 at most. */
@inline function inverseCdf(cum: usize, K: i32, u: f64): i32 {
  let lo = 0, hi = K - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<f64>(cum + (<usize>mid << 3)) > u) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/**
 * One lane's importance-sampled gradient into mg (d doubles) at the contiguous point xc: b draws
 * from the cumulative probabilities of q, each term's single-term estimate (the b = 1 uniform
 * minibatch gradient, into the scratch tg), weighted 1/(K p_i b) (corrected) or 1/b.
 */
function importanceGrad(lk: i32, lp: usize, d: i32, xc: usize, q: usize, k0: u32, k1: u32, particle: u32, step: u32,
                        idx: usize, tg: usize, mg: usize, w: usize): void {
  const bs = <i32>load<f64>(q), K = <i32>load<f64>(q, 32), correct = load<f64>(q, Q_CORRECTION << 3) != 0.0;
  const cum = q + (<usize>Q_CUMULATIVE << 3);
  for (let j = 0; j < d; j++) store<f64>(mg + (<usize>j << 3), 0.0);
  for (let m = 0; m < bs; m++) {
    const i = inverseCdf(cum, K, uniformDraw(MINIBATCH, k0, k1, particle, step, <u32>m));
    store<i32>(idx, i);
    if (isModel(lk)) modelBatch(lk, lp, d, xc, idx, 1, tg, w, 0, k0, k1, particle, step);
    else sumBatchGrad(lp, d, xc, tg, idx, 1, w);
    const pi = load<f64>(cum + (<usize>i << 3)) - (i == 0 ? 0.0 : load<f64>(cum + (<usize>(i - 1) << 3)));
    const c = correct ? 1.0 / (<f64>K * pi * <f64>bs) : 1.0 / <f64>bs;
    for (let j = 0; j < d; j++) store<f64>(mg + (<usize>j << 3), load<f64>(mg + (<usize>j << 3)) + c * load<f64>(tg + (<usize>j << 3)));
  }
}

/**
 * Replace the block's gradients by minibatch gradients (batchIndices above): each lane's point is
 * copied to the landscape scratch, its batch drawn, ĝ computed (a finite sum's components, or a
 * model's examples, with labels perturbed under label noise) and written back in block layout.
 * Minibatch scratch (MBI, i32): epoch tags (B) | epoch permutations (B × K) | drawn indices (b).
 */
export function minibatchBlock(desc: usize, b: i32, t: i32, x: usize, g: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B);
  const lk = i(desc, D.LK), lp = u(desc, D.LP), lw = u(desc, D.LW), q = u(desc, D.NQ);
  const bs = <i32>load<f64>(q), repl = load<f64>(q, 8) != 0.0, K = <i32>load<f64>(q, 32);
  const labels = i(desc, D.NK) == LABEL_NOISE;
  const k0 = key(desc, D.K0), k1 = key(desc, D.K1);
  const tags = u(desc, D.MBI), perms = tags + (<usize>B << 2), drawn = perms + (<usize>(B * K) << 2);
  const mg = u(desc, D.MBG);
  const row = <usize>B << 3;
  const importance = i(desc, D.NK) == IMPORTANCE_MINIBATCH;
  for (let k = 0; k < B; k++) {
    for (let j = 0; j < d; j++) store<f64>(lw + (<usize>j << 3), load<f64>(x + <usize>j * row + (<usize>k << 3)));
    const particle = <u32>(D.firstParticle(desc, b) + k);
    if (importance) {
      // Scratch: the term gradient after the minibatch gradient (MBG holds 2d doubles for this kind).
      const w = isModel(lk) ? lw + (<usize>(3 * d) << 3) : lw; // as the uniform path below
      importanceGrad(lk, lp, d, lw, q, k0, k1, particle, <u32>t, drawn, mg + (<usize>d << 3), mg, w);
      for (let j = 0; j < d; j++) store<f64>(g + <usize>j * row + (<usize>k << 3), load<f64>(mg + (<usize>j << 3)));
      continue;
    }
    const idx: usize = bs == 0 ? <usize>0 : batchIndices(K, bs, repl, k0, k1, particle, <u32>t,
      perms + (<usize>(k * K) << 2), tags + (<usize>k << 2), drawn);
    if (isModel(lk)) modelBatch(lk, lp, d, lw, idx, bs == 0 ? K : bs, mg, lw + (<usize>(3 * d) << 3), labels ? q : 0,
      k0, k1, particle, <u32>t);
    else sumBatchGrad(lp, d, lw, mg, idx, bs, lw);
    for (let j = 0; j < d; j++) store<f64>(g + <usize>j * row + (<usize>k << 3), load<f64>(mg + (<usize>j << 3)));
  }
}
