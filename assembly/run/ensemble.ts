// The ensemble loop: steps [t0, t1) for every block of particles this instance holds, in one wasm
// call per chunk (docs/design.md, the hot-path rule: one call per chunk, not per step). An instance holds a
// contiguous range of the run's blocks (global FIRST … FIRST + NB − 1: the whole run, a worker's
// share, a shard or a segment of one) and addresses them locally (b = 0 … NB − 1); every random
// draw and every record is keyed by the GLOBAL particle index (FIRST + b)·B + k, so a block evolves
// the same in any range. Blocks are outer and steps inner, so a block's positions, state and
// gradients stay in cache across the chunk's steps; results cannot depend on chunking because
// every per-step quantity is a function of (block state, t) alone, and statistics are per-block
// partials merged over a fixed tree of blocks (run/summary.ts).
//
// A block's steps run through one of:
//   run/fused.ts     one loop for gradient, noise, update and the divergence test, for the common
//                    (landscape, optimiser, noise) combinations, between record steps;
//   run/pipeline.ts  the general step, every kind (grad → noise → update → checks);
//   run/svgd.ts      interacting particles (SVGD), steps outer.
// The fused path gives the pipeline's bits (test/fused.test.ts runs every combination both ways).

import * as D from './descriptor';
import { u, i } from './descriptor';
import { ACTIVE, PADDING } from './block';
import { optimizerInit } from '../optimizers/dispatch';
import { SVGD } from '../optimizers/kinds';
import { svgdRun } from './svgd';
import { pipelineBlock } from './pipeline';
import { fusedCase, fusedTable, fusedBlock, FUSED_WINDOW } from './fused';

/** Set particle statuses (padding lanes: global index ≥ P), events and regions, and initialise optimiser state. */
export function ensembleInit(desc: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B), P = i(desc, D.P), nb = i(desc, D.NB);
  const slots = i(desc, D.SLOTS), n = d * B, p0 = D.firstParticle(desc, 0);
  for (let p = 0; p < nb * B; p++) {
    store<i32>(u(desc, D.STATUS) + (<usize>p << 2), p0 + p < P ? ACTIVE : PADDING);
    store<i32>(u(desc, D.EVENT) + (<usize>p << 2), -1);
    store<i32>(u(desc, D.REGION) + (<usize>p << 2), -1);
  }
  for (let b = 0; b < nb; b++) {
    const x = u(desc, D.X) + (<usize>(b * n) << 3);
    const s = u(desc, D.S) + (<usize>(b * slots * n) << 3);
    optimizerInit(i(desc, D.OK), u(desc, D.HP), n, x, s, <usize>n << 3, u(desc, D.R) + (<usize>(2 * b) << 3));
  }
}

/**
 * Run steps [t0, t1) for all blocks. Record step t writes chunk row t/every − row0 (row0 =
 * ⌈t0/every⌉); the bindings pre-fill record rows (count 0, losses NaN) and trajectories (NaN),
 * so a block with nothing left to count may stop early.
 */
export function ensembleRun(desc: usize, t0: i32, t1: i32, row0: i32): void {
  if (i(desc, D.OK) == SVGD) { svgdRun(desc, t0, t1, row0); return; } // interacting particles: steps outer (run/svgd.ts)
  const nb = i(desc, D.NB);
  const which = fusedCase(desc); // 0: no fused kernel for this run
  if (which == 0) {
    for (let b = 0; b < nb; b++) pipelineBlock(desc, b, t0, t1, row0);
    return;
  }
  // Windows of steps, each with its table of per-step scalars, then every block through it.
  for (let w0 = t0; w0 < t1; w0 += FUSED_WINDOW) {
    const w1 = min(t1, w0 + FUSED_WINDOW);
    fusedTable(desc, which, w0, w1);
    for (let b = 0; b < nb; b++) if (!fusedBlock(desc, which, b, w0, w1, row0)) pipelineBlock(desc, b, w0, w1, row0);
  }
}
