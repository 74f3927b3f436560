// Gradient oracles of one lane, for the optimisers that take several gradients per step at points
// of their own (run/distributed.ts: local SGD's workers, SVRG's snapshot, SARAH's and MARINA's
// previous iterate). The run's landscape, noise and seed are read from the descriptor once per
// block (`oracleBegin`) into module globals, so the per-lane calls stay argument-light; every
// point is contiguous (d doubles).
//   full(x)              ∇f(x): the landscape's exact gradient, the same computation the pipeline
//                        makes for GD (a finite sum or model evaluates each point alone either way)
//   batch(x, idx, m)     ĝ = (n/m)·Σ_{k ∈ idx} w_k ∇f_k(x) (finite sums, landscapes/composite.ts
//                        sumBatchGrad) or a model's minibatch gradient (models/finiteSum.ts): the
//                        kernels noise/minibatch.ts uses, so a batch gives minibatch SGD's bits
//   draw(lane, t, m)     the m indices of (particle, step t) under the run's minibatch noise
//                        (noise/minibatch.ts batchIndices): m = K·b for K workers, worker w
//                        taking draws [w·b, (w+1)·b) — the union is exactly the batch minibatch
//                        SGD with K·b samples draws, which is what makes local SGD with H = 1
//                        minibatch SGD bit for bit.
// Without minibatch noise (noise.none) every stochastic gradient is the full gradient.

import * as D from './descriptor';
import { u, i, key } from './descriptor';
import { landscapeGrad } from '../landscapes/dispatch';
import { sumBatchGrad } from '../landscapes/composite';
import { isModel, modelBatch } from '../models/dispatch';
import { batchIndices } from '../noise/minibatch';
import { MINIBATCH } from '../noise/kinds';
import { philox, out0, out1, out2, out3 } from '../random/philox';
import { u01 } from '../random/uniform';

let lk: i32 = 0, lp: usize = 0, lw: usize = 0, dim: i32 = 0;
let batched: bool = false, bs: i32 = 0, repl: bool = false, terms: i32 = 0;
let k0: u32 = 0, k1: u32 = 0, tags: usize = 0, perms: usize = 0;
let particle0: u32 = 0;

/** Read the run's landscape, minibatch parameters and key for block b (once per block and call). */
export function oracleBegin(desc: usize, b: i32): void {
  lk = i(desc, D.LK); lp = u(desc, D.LP); lw = u(desc, D.LW); dim = i(desc, D.DIM);
  batched = i(desc, D.NK) == MINIBATCH;
  const q = u(desc, D.NQ);
  bs = batched ? <i32>load<f64>(q) : 0;
  repl = batched && load<f64>(q, 8) != 0.0;
  terms = batched ? <i32>load<f64>(q, 32) : 0;
  k0 = key(desc, D.K0); k1 = key(desc, D.K1);
  tags = u(desc, D.MBI); perms = tags + (<usize>i(desc, D.B) << 2);
  particle0 = <u32>D.firstParticle(desc, b);
}

/** Is the run's noise a minibatch (else every stochastic gradient is the full one)? */
@inline export function isBatched(): bool { return batched; }
/** The run's minibatch size b (0 without minibatch noise). */
@inline export function batchSize(): i32 { return bs; }
/** Global particle index of `lane` in the current block. */
@inline export function particleOf(lane: i32): u32 { return particle0 + <u32>lane; }

/** out = ∇f(x). */
export function full(x: usize, out: usize): void {
  landscapeGrad(lk, lp, dim, 1, x, 0, 8, out, lw, 0);
}

/** out = the minibatch gradient at x over the m indices at idx (models without label noise; lane and t are unused then). */
export function batch(x: usize, idx: usize, m: i32, out: usize, lane: i32, t: i32): void {
  if (isModel(lk)) modelBatch(lk, lp, dim, x, idx, m, out, lw + (<usize>(3 * dim) << 3), 0, k0, k1, particleOf(lane), <u32>t);
  else sumBatchGrad(lp, dim, x, out, idx, m, lw);
}

/**
 * ga = ĝ(x), gb = ĝ(y) with ONE minibatch of b indices (drawn into idx) at both points, or the full
 * gradients without minibatch noise: the two halves of a control variate (SVRG, SARAH).
 */
export function gradPair(x: usize, y: usize, ga: usize, gb: usize, lane: i32, t: i32, idx: usize): void {
  if (batched) {
    const id = draw(lane, t, bs, idx);
    batch(x, id, bs, ga, lane, t);
    batch(y, id, bs, gb, lane, t);
  } else {
    full(x, ga);
    full(y, gb);
  }
}

/** Draw step t's m indices of `lane` into idx (or the lane's epoch permutation); returns their address. */
export function draw(lane: i32, t: i32, m: i32, idx: usize): usize {
  return batchIndices(terms, m, repl, k0, k1, particleOf(lane), <u32>t,
    perms + (<usize>(lane * terms) << 2), tags + (<usize>lane << 2), idx);
}

/** A uniform in [0, 1): draw j of stream `stream` at (step t, lane), counter (⌊j/2⌋, t, particle). */
@inline export function uniform(stream: u32, lane: i32, t: i32, j: u32): f64 {
  philox(j >>> 1, <u32>t, particleOf(lane), stream, k0, k1);
  return (j & 1) == 0 ? u01(out0, out1) : u01(out2, out3);
}

/** The current key words (for kernels that draw through their own helpers). */
@inline export function key0(): u32 { return k0; }
@inline export function key1(): u32 { return k1; }

/** Copy lane `lane` of a blocked d × B array (row stride B doubles) to contiguous dst. */
@inline export function gatherLane(src: usize, B: i32, lane: i32, dst: usize): void {
  const row = <usize>B << 3, o = <usize>lane << 3;
  for (let j = 0; j < dim; j++) store<f64>(dst + (<usize>j << 3), load<f64>(src + <usize>j * row + o));
}

/** Copy contiguous src to lane `lane` of a blocked d × B array. */
@inline export function scatterLane(src: usize, dst: usize, B: i32, lane: i32): void {
  const row = <usize>B << 3, o = <usize>lane << 3;
  for (let j = 0; j < dim; j++) store<f64>(dst + <usize>j * row + o, load<f64>(src + (<usize>j << 3)));
}
