// Stochastic variance-reduced gradient (SVRG), one lane (stepped by run/distributed.ts).
// Johnson & Zhang, "Accelerating stochastic gradient descent using predictive variance
// reduction", NeurIPS 2013 (Alg. 1, option I: the snapshot is the current iterate); loopless form:
// Kovalev, Horváth & Richtárik, "Don't jump through hoops…", ALT 2020 (L-SVRG).
// State (2 slots): snapshot x̃, its full gradient μ̃ = ∇f(x̃).
//   snapshot at step t   if t mod m = 0 (m > 0), or (loopless, m = 0) at t = 0 and with probability p
//                        (uniform COIN draw 0 at (t, particle) < p): x̃ ← x_t, μ̃ ← ∇f(x_t)
//   v_t = (ĝ_B(x_t) − ĝ_B(x̃)) + μ̃        the same minibatch B (the run's minibatch noise) at both points
//   x_{t+1} = x_t − η_t σ v_t
// E_B[v_t] = ∇f(x_t) exactly; at a snapshot step v_t = μ̃ = ∇f(x_t) bit for bit (ĝ_B(x) − ĝ_B(x) = 0),
// so m = 1 (or p = 1) is gradient descent. Cost: 2 minibatch gradients a step, plus a full
// gradient every m steps (1/p on average). On a quadratic finite sum the error's first and second
// moments follow a closed linear recursion (docs/optimizers.md, "SVRG"), which the tests check.

import { full, gradPair, gatherLane, scatterLane, uniform } from '../run/oracle';
import { COIN } from '../random/streams';
import { descend, controlVariate } from './descend';

/** One SVRG step of `lane` at x (contiguous, moved in place); s the block's state, slots stride bytes apart. */
export function svrgLane(lane: i32, t: i32, lr: f64, sign: f64, m: i32, p: f64, d: i32, B: i32, x: usize, s: usize, stride: usize,
                         snap: usize, ga: usize, gb: usize, mu: usize, idx: usize): void {
  const refresh = m > 0 ? t % m == 0 : t == 0 || uniform(COIN, lane, t, 0) < p;
  if (refresh) {
    memory.copy(snap, x, <usize>d << 3);
    full(x, mu);
    scatterLane(snap, s, B, lane);
    scatterLane(mu, s + stride, B, lane);
  } else {
    gatherLane(s, B, lane, snap);
    gatherLane(s + stride, B, lane, mu);
  }
  gradPair(x, snap, ga, gb, lane, t, idx);
  controlVariate(ga, gb, mu, ga, d);
  descend(x, ga, d, lr, sign);
}
