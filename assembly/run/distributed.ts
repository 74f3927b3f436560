// The ensemble loop's step for the distributed and variance-reduced optimisers (optimizers/kinds.ts,
// ids LOCAL_SGD … SARAH, but not ASYNC_SGD, whose only difference from SGD is where the pipeline
// takes its gradient): they draw their own minibatches and take several gradients a step at points
// of their own (workers' replicas, snapshots, previous iterates), so the pipeline takes no gradient
// for them (run/pipeline.ts) and hands them the descriptor. One lane at a time: its point is
// copied out of the blocked layout into contiguous scratch, the kernel moves it (reading and
// writing the lane's state slots in place), and it is copied back. Only active lanes are stepped,
// and a lane's step depends on nothing but the lane (every draw is keyed by its global particle
// index, oracle.ts), so results do not depend on blocks, chunks, workers or shards.
//
// Work space (descriptor slot DSW, allocated by bindings/distributed.ts from distributedWorkSize):
// doubles [0] its size | x (d) | y (d) | ga (d) | gb (d) | acc (d) | v (d) | indices (⌈m/2⌉, m = K·b
// i32) | permutation or flags (⌈d/2⌉, d i32).

import * as D from './descriptor';
import { u, i } from './descriptor';
import * as K from '../optimizers/kinds';
import { oracleBegin, gatherLane, scatterLane, batchSize } from './oracle';
import { localSGDLane } from '../optimizers/localSGD';
import { compressedSGDLane } from '../optimizers/compressedSGD';
import { marinaLane } from '../optimizers/marina';
import { svrgLane } from '../optimizers/svrg';
import { sarahLane } from '../optimizers/sarah';

@inline function h(hp: usize, k: i32): f64 { return load<f64>(hp + (<usize>k << 3)); }

/** Workers K of kind `kind` (1 for single-worker kinds). */
@inline function workersOf(kind: i32, hp: usize): i32 {
  if (kind == K.LOCAL_SGD || kind == K.COMPRESSED_SGD || kind == K.MARINA) return <i32>h(hp, K.LOCAL_SGD_WORKERS); // all at offset 2
  return 1;
}

/** Doubles of DSW work space kind `kind` (hyperparameters at hp) needs for dimension d and minibatch size b (0: none). */
export function distributedWorkSize(kind: i32, hp: usize, d: i32, b: i32): i32 {
  if (!K.ownsGradient(kind)) return 0;
  const m = workersOf(kind, hp) * b;
  return 1 + 6 * d + (m + 1) / 2 + (d + 1) / 2;
}

/**
 * Step t of block b for a kind that owns its gradients, at learning rate lr (the schedule's η_t):
 * x the block's positions, s its state slots.
 */
export function distributedBlock(desc: usize, b: i32, t: i32, lr: f64, x: usize, s: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B);
  const ok = i(desc, D.OK), hp = u(desc, D.HP);
  const stride = <usize>(d * B) << 3;
  oracleBegin(desc, b);
  const work = u(desc, D.DSW);
  // A work space smaller than the layout needs would be overwritten past its end: refuse (trap → E_TRAP).
  const bs = batchSize();
  if (work == 0 || load<f64>(work) < <f64>distributedWorkSize(ok, hp, d, bs)) unreachable();
  const xc = work + 8, y = xc + (<usize>d << 3), ga = y + (<usize>d << 3), gb = ga + (<usize>d << 3);
  const acc = gb + (<usize>d << 3), v = acc + (<usize>d << 3), idx = v + (<usize>d << 3);
  const perm = idx + (<usize>((workersOf(ok, hp) * bs + 1) / 2) << 3);
  const sign = h(hp, K.H_SIGN);
  const status = u(desc, D.STATUS) + (<usize>(b * B) << 2);
  for (let k = 0; k < B; k++) {
    if (load<i32>(status + (<usize>k << 2)) != 0) continue; // not active
    gatherLane(x, B, k, xc);
    switch (ok) {
      case K.LOCAL_SGD:
        localSGDLane(k, t, lr, sign, <i32>h(hp, K.LOCAL_SGD_WORKERS), <i32>h(hp, K.LOCAL_SGD_LOCAL_STEPS), d, B, xc, s, stride,
          y, ga, acc, idx);
        break;
      case K.COMPRESSED_SGD:
        compressedSGDLane(k, t, lr, sign, <i32>h(hp, K.COMPRESSED_SGD_WORKERS), <i32>h(hp, K.COMPRESSED_SGD_COMPRESSOR),
          <i32>h(hp, K.COMPRESSED_SGD_K), d, xc, ga, acc, idx, perm);
        break;
      case K.MARINA:
        marinaLane(k, t, lr, sign, <i32>h(hp, K.MARINA_WORKERS), <i32>h(hp, K.MARINA_COMPRESSOR), <i32>h(hp, K.MARINA_K),
          h(hp, K.MARINA_P), d, B, xc, s, stride, y, ga, gb, v, acc, idx, perm);
        break;
      case K.SVRG:
        svrgLane(k, t, lr, sign, <i32>h(hp, K.VR_EPOCH), h(hp, K.VR_P), d, B, xc, s, stride, y, ga, gb, acc, idx);
        break;
      case K.SARAH:
        sarahLane(k, t, lr, sign, <i32>h(hp, K.VR_EPOCH), h(hp, K.VR_P), d, B, xc, s, stride, y, ga, gb, acc, idx);
        break;
      default: unreachable();
    }
    scatterLane(xc, x, B, k);
  }
}
