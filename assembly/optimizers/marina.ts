// MARINA (Gorbunov, Burlachenko, Li & Richtárik, "MARINA: faster non-convex distributed learning
// with compression", ICML 2021, Alg. 1; the minibatch form is their VR-MARINA, Alg. 2, with
// b′ = n at the full-gradient steps), K workers in one lane (stepped by run/distributed.ts), with
// the unbiased compressors RandK or PermK (optimizers/compressors.ts).
// State (2 slots): the previous iterate x_{t−1} and estimator g_{t−1}.
//   c_t = 1 at t = 0, else with probability p (COIN draw 0 at (t, particle) < p)
//   g_t = ∇f(x_t)                                                         if c_t = 1
//   g_t = g_{t−1} + (1/K) Σ_w Q_w(ĝ_w(x_t) − ĝ_w(x_{t−1}))                otherwise
//   x_{t+1} = x_t − η_t σ g_t
// ĝ_w is worker w's minibatch (draws [w·b, (w+1)·b) of the K·b the step draws; oracle.ts) at both
// points; without minibatch noise every worker holds the whole sum (ĝ_w = ∇f) and compresses the
// same difference. p = 1 is gradient descent bit for bit. Cost per step: 2K·b component gradients
// (or a full gradient with probability p), and the compression, O(d) (RandK: O(k) draws a worker).

import { full, batch, draw, isBatched, batchSize, gatherLane, scatterLane, uniform } from '../run/oracle';
import { COIN } from '../random/streams';
import { PERM_K } from './kinds';
import { randKAdd, permKDraw, permKAdd } from './compressors';
import { descend } from './descend';

/** acc += Q_w(v) for worker w of K with compressor `which` (RAND_K, PERM_K) and k. */
@inline export function compressAdd(which: i32, v: usize, acc: usize, d: i32, K: i32, k: i32, w: i32, lane: i32, t: i32,
                                    perm: usize): void {
  if (which == PERM_K) permKAdd(v, acc, d, K, w, perm);
  else randKAdd(v, acc, d, k, w, lane, t, perm);
}

/** One MARINA step of `lane` at x (contiguous, moved in place); s the block's state, slots stride bytes apart. */
export function marinaLane(lane: i32, t: i32, lr: f64, sign: f64, K: i32, which: i32, k: i32, p: f64, d: i32, B: i32,
                           x: usize, s: usize, stride: usize, prev: usize, ga: usize, gb: usize, g: usize, sum: usize, idx: usize,
                           perm: usize): void {
  if (t == 0 || uniform(COIN, lane, t, 0) < p) full(x, g);
  else {
    gatherLane(s, B, lane, prev);
    gatherLane(s + stride, B, lane, g);
    if (which == PERM_K) permKDraw(d, lane, t, perm);
    memory.fill(sum, 0, <usize>d << 3);
    if (isBatched()) {
      const bs = batchSize(), id = draw(lane, t, K * bs, idx);
      for (let w = 0; w < K; w++) {
        batch(x, id + (<usize>(w * bs) << 2), bs, ga, lane, t);
        batch(prev, id + (<usize>(w * bs) << 2), bs, gb, lane, t);
        for (let j = 0; j < d; j++) store<f64>(ga + (<usize>j << 3), load<f64>(ga + (<usize>j << 3)) - load<f64>(gb + (<usize>j << 3)));
        compressAdd(which, ga, sum, d, K, k, w, lane, t, perm);
      }
    } else {
      full(x, ga);
      full(prev, gb);
      for (let j = 0; j < d; j++) store<f64>(ga + (<usize>j << 3), load<f64>(ga + (<usize>j << 3)) - load<f64>(gb + (<usize>j << 3)));
      for (let w = 0; w < K; w++) compressAdd(which, ga, sum, d, K, k, w, lane, t, perm);
    }
    const inv = 1.0 / <f64>K;
    for (let j = 0; j < d; j++) store<f64>(g + (<usize>j << 3), load<f64>(g + (<usize>j << 3)) + load<f64>(sum + (<usize>j << 3)) * inv);
  }
  scatterLane(x, s, B, lane);
  scatterLane(g, s + stride, B, lane);
  descend(x, g, d, lr, sign);
}
