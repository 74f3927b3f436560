// Distributed SGD with compressed communication, K workers in one lane (stepped by
// run/distributed.ts): each worker sends a compressed minibatch gradient, the server averages.
//   v_t = (1/K) Σ_w Q_w(ĝ_w(x_t)),   x_{t+1} = x_t − η_t σ v_t
// Q: RandK, PermK (unbiased) or TopK (biased; optimizers/compressors.ts). ĝ_w is worker w's
// minibatch, draws [w·b, (w+1)·b) of the K·b the step draws (run/oracle.ts); without minibatch
// noise every worker holds the whole sum (ĝ_w = ∇f). Compressed SGD with unbiased compressors is
// analysed by Khirirat, Feyzmahdavian & Johansson (2018) and Stich et al. (NeurIPS 2018);
// E[v_t] = ∇f(x_t) for RandK and PermK. With K = 1 and k = d every compressor is the identity
// (RandK's scale d/k = 1), so the step is minibatch SGD bit for bit. Cost per step: K·b
// component gradients and the compression, O(d) (TopK: O(d·k)).

import { full, batch, draw, isBatched, batchSize } from '../run/oracle';
import { TOP_K, PERM_K } from './kinds';
import { topKAdd, permKDraw } from './compressors';
import { compressAdd } from './marina';
import { descend } from './descend';

/** One compressed-SGD step of `lane` at x (contiguous, moved in place). */
export function compressedSGDLane(lane: i32, t: i32, lr: f64, sign: f64, K: i32, which: i32, k: i32, d: i32,
                                  x: usize, ga: usize, sum: usize, idx: usize, perm: usize): void {
  memory.fill(sum, 0, <usize>d << 3);
  if (which == PERM_K) permKDraw(d, lane, t, perm);
  const bs = batchSize();
  const id: usize = isBatched() ? draw(lane, t, K * bs, idx) : 0;
  if (!isBatched()) full(x, ga);
  for (let w = 0; w < K; w++) {
    if (isBatched()) batch(x, id + (<usize>(w * bs) << 2), bs, ga, lane, t);
    if (which == TOP_K) topKAdd(ga, sum, d, k, perm);
    else compressAdd(which, ga, sum, d, K, k, w, lane, t, perm);
  }
  const inv = 1.0 / <f64>K;
  for (let j = 0; j < d; j++) store<f64>(sum + (<usize>j << 3), load<f64>(sum + (<usize>j << 3)) * inv);
  descend(x, sum, d, lr, sign);
}
