// SARAH, the StochAstic Recursive grAdient algoritHm, one lane (stepped by run/distributed.ts).
// Nguyen, Liu, Scheinberg & Takáč, ICML 2017 (Alg. 1, inner loop restarted every m steps; the
// loopless form restarts with probability p, as in PAGE — Li et al., ICML 2021 — with b′ = n).
// State (2 slots): the previous iterate x_{t−1} and estimator v_{t−1}.
//   restart at step t   if t mod m = 0 (m > 0), or (m = 0) at t = 0 and with probability p (COIN draw 0)
//   v_t = ∇f(x_t)                                       at a restart
//   v_t = (ĝ_B(x_t) − ĝ_B(x_{t−1})) + v_{t−1}          otherwise (one minibatch B at both points)
//   x_{t+1} = x_t − η_t σ v_t
// Biased given the past but E[v_t − ∇f(x_t)] = E[v_{t−1} − ∇f(x_{t−1})] = … = 0 over the whole
// trajectory's draws. m = 1 (or p = 1) is gradient descent bit for bit. Cost: 2 minibatch gradients
// a step, plus a full gradient every m steps.

import { full, gradPair, gatherLane, scatterLane, uniform } from '../run/oracle';
import { COIN } from '../random/streams';
import { descend, controlVariate } from './descend';

/** One SARAH step of `lane` at x (contiguous, moved in place); s the block's state, slots stride bytes apart. */
export function sarahLane(lane: i32, t: i32, lr: f64, sign: f64, m: i32, p: f64, d: i32, B: i32, x: usize, s: usize, stride: usize,
                          prev: usize, ga: usize, gb: usize, v: usize, idx: usize): void {
  const restart = m > 0 ? t % m == 0 : t == 0 || uniform(COIN, lane, t, 0) < p;
  if (restart) full(x, v);
  else {
    gatherLane(s, B, lane, prev);
    gatherLane(s + stride, B, lane, v);
    gradPair(x, prev, ga, gb, lane, t, idx);
    controlVariate(ga, gb, v, v, d);
  }
  scatterLane(x, s, B, lane);
  scatterLane(v, s + stride, B, lane);
  descend(x, v, d, lr, sign);
}
