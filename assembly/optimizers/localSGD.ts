// Local SGD (Stich, "Local SGD converges fast and communicates little", ICLR 2019; also
// "federated averaging", McMahan et al. 2017), K workers in one lane (stepped by
// run/distributed.ts): each worker takes H SGD steps on its own minibatches, then the K models
// are averaged.
// State (K slots when H > 1): the workers' points x^w. At step t, with s = t mod H:
//   s = 0          x^w ← x_t for every w (the round starts from the average)
//   every step     x^w ← x^w − η_t σ ĝ_w(x^w),   ĝ_w: draws [w·b, (w+1)·b) of the step's K·b
//   x_{t+1} = (1/K) Σ_w x^w   (the virtual average; after the round's last step, the averaged model)
// H = 1: every round is one step from a common point, so the average of the K steps is one step
// along the mean of the K minibatch gradients, i.e. the gradient of their union — exactly the
// batch of K·b that minibatch SGD draws at (t, particle) (run/oracle.ts). That step is taken as
// one batch of K·b, so local SGD with H = 1 is minibatch SGD with K·b samples bit for bit (the
// arithmetic of averaging K separate steps would differ in the last bits). Without minibatch
// noise every worker takes the full gradient, and local SGD is GD. Cost per step: K·b component
// gradients (as SGD with K·b), plus K·d to average.

import { full, batch, draw, isBatched, batchSize, gatherLane, scatterLane } from '../run/oracle';
import { descend } from './descend';

/** One local-SGD step of `lane` at x (contiguous, replaced by the workers' average); s the workers' slots, stride bytes apart. */
export function localSGDLane(lane: i32, t: i32, lr: f64, sign: f64, K: i32, H: i32, d: i32, B: i32,
                             x: usize, s: usize, stride: usize, y: usize, ga: usize, sum: usize, idx: usize): void {
  const bs = batchSize();
  const id: usize = isBatched() ? draw(lane, t, K * bs, idx) : 0;
  if (H == 1) {
    if (isBatched()) batch(x, id, K * bs, ga, lane, t);
    else full(x, ga);
    descend(x, ga, d, lr, sign);
    return;
  }
  const start = t % H == 0;
  memory.fill(sum, 0, <usize>d << 3);
  for (let w = 0; w < K; w++) {
    const slot = s + <usize>w * stride;
    if (start) memory.copy(y, x, <usize>d << 3);
    else gatherLane(slot, B, lane, y);
    if (isBatched()) batch(y, id + (<usize>(w * bs) << 2), bs, ga, lane, t);
    else full(y, ga);
    descend(y, ga, d, lr, sign);
    scatterLane(y, slot, B, lane);
    for (let j = 0; j < d; j++) store<f64>(sum + (<usize>j << 3), load<f64>(sum + (<usize>j << 3)) + load<f64>(y + (<usize>j << 3)));
  }
  const inv = 1.0 / <f64>K;
  for (let j = 0; j < d; j++) store<f64>(x + (<usize>j << 3), load<f64>(sum + (<usize>j << 3)) * inv);
}
