// Compression operators Q: ℝ^d → ℝ^d for communication-efficient distributed methods, applied to
// worker w's vector v and ADDED to an accumulator (the server's sum over workers). Sources:
//   RandK  (Stich et al. 2018; Gorbunov et al. 2021 §1): S a uniformly random k-subset,
//          Q(v) = (d/k)·Σ_{j∈S} v_j e_j; unbiased, E‖Q(v) − v‖² = (d/k − 1)‖v‖². Each worker its
//          own subset: a partial Fisher–Yates shuffle of 0 … d−1 whose draws are COMPRESS draws
//          w·d + i at (step, particle).
//   PermK  (Szlendak, Tyurin & Richtárik, ICLR 2022, Def. 2): one uniformly random permutation π
//          of 0 … d−1 per step, shared by the K workers (d a multiple of K, q = d/K);
//          Q_w(v) = K·Σ_{i = wq}^{(w+1)q−1} v_{π(i)} e_{π(i)}. Unbiased, and the K supports
//          partition the coordinates: (1/K) Σ_w Q_w(v) = v for identical v (exactly when K is a
//          power of two). π from COMPRESS draws i = 0 … d−2 (a full Fisher–Yates shuffle).
//   TopK   (Alistarh et al. 2018; Stich et al. 2018): the k coordinates of largest |v_j| (ties
//          to the lower index), unscaled; biased, deterministic. O(d·k) selection.

import { COMPRESS } from '../random/streams';
import { uniform } from '../run/oracle';

/** Swap i32 entries i and j of perm. */
@inline function swap(perm: usize, i: i32, j: i32): void {
  const a = perm + (<usize>i << 2), c = perm + (<usize>j << 2);
  const t = load<i32>(a);
  store<i32>(a, load<i32>(c));
  store<i32>(c, t);
}

/** Fisher–Yates of 0 … d−1 into perm, first `count` positions only (count = d − 1: a full shuffle); draw i is COMPRESS draw base + i. */
function shuffleFront(perm: usize, d: i32, count: i32, base: u32, lane: i32, t: i32): void {
  for (let i = 0; i < d; i++) store<i32>(perm + (<usize>i << 2), i);
  for (let i = 0; i < count; i++) {
    let j = i + <i32>Math.floor(<f64>(d - i) * uniform(COMPRESS, lane, t, base + <u32>i));
    if (j >= d) j = d - 1;
    swap(perm, i, j);
  }
}

/** acc += RandK_k(v) of worker w (perm: d i32 of scratch). */
export function randKAdd(v: usize, acc: usize, d: i32, k: i32, w: i32, lane: i32, t: i32, perm: usize): void {
  shuffleFront(perm, d, k < d ? k : d - 1, <u32>(w * d), lane, t);
  const scale = <f64>d / <f64>k;
  for (let i = 0; i < k; i++) {
    const o = <usize>load<i32>(perm + (<usize>i << 2)) << 3;
    store<f64>(acc + o, load<f64>(acc + o) + scale * load<f64>(v + o));
  }
}

/** Draw step t's PermK permutation of lane into perm (once per step, shared by the workers). */
export function permKDraw(d: i32, lane: i32, t: i32, perm: usize): void {
  shuffleFront(perm, d, d - 1, 0, lane, t);
}

/** acc += PermK_w(v) for K workers, the permutation drawn by permKDraw. */
export function permKAdd(v: usize, acc: usize, d: i32, K: i32, w: i32, perm: usize): void {
  const q = d / K, scale = <f64>K;
  for (let i = w * q; i < (w + 1) * q; i++) {
    const o = <usize>load<i32>(perm + (<usize>i << 2)) << 3;
    store<f64>(acc + o, load<f64>(acc + o) + scale * load<f64>(v + o));
  }
}

/** acc += TopK_k(v) (taken: d i32 of scratch). */
export function topKAdd(v: usize, acc: usize, d: i32, k: i32, taken: usize): void {
  memory.fill(taken, 0, <usize>d << 2);
  for (let r = 0; r < k; r++) {
    let best = -1, m = -1.0;
    for (let j = 0; j < d; j++) {
      if (load<i32>(taken + (<usize>j << 2)) != 0) continue;
      const a = Math.abs(load<f64>(v + (<usize>j << 3)));
      if (a > m || (best < 0)) { m = a; best = j; } // NaN never beats; the first untaken coordinate stands in
    }
    store<i32>(taken + (<usize>best << 2), 1);
    const o = <usize>best << 3;
    store<f64>(acc + o, load<f64>(acc + o) + load<f64>(v + o));
  }
}
