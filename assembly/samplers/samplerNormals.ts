// Standard normals of the Langevin samplers (samplers/langevin.ts, samplers/mala.ts): ziggurat
// draws (random/ziggurat.ts) on Philox stream SAMPLER. Draw n of (particle p, step t) comes from
// words (0, 1) if n is even, (2, 3) if odd, of block (⌊n/2⌋, t, p, SAMPLER) under the run's key,
// with rejections retried on SAMPLER_RETRY — so `random.normal({ stream: 9, particle: p, step: t,
// method: 'ziggurat' })` returns the same numbers, and a particle's draws do not depend on its
// block, lane, chunk, worker or shard. The ziggurat, not Box–Muller: the normal generator sets a
// sampler's speed (docs/performance.md lesson 2), and the ziggurat's common case is a table lookup,
// a multiply and a compare.
//
// Eight particles at a time share one philox8 call (random/philox4.ts: each lane equals the
// scalar generator bit for bit), so `samplerNormals8` and `samplerPair` give identical draws.

import { zigguratPair, zigguratNormals8 } from '../random/ziggurat';
import { SAMPLER, SAMPLER_RETRY } from '../random/streams';

/** Z8: the draws of eight particles (`samplerNormals8`): draw 2·blk of lane l at Z8 + 8l, draw 2·blk + 1 at Z8 + 64 + 8l. */
export const Z8: usize = memory.data(128);

/** Draws 2·blk and (if `both`) 2·blk + 1 of particles p … p + 7 at step t, into Z8 (random/ziggurat.ts `zigguratNormals8`). */
@inline export function samplerNormals8(blk: u32, t: u32, p: u32, k0: u32, k1: u32, both: bool): void {
  zigguratNormals8(SAMPLER, SAMPLER_RETRY, blk, t, p, k0, k1, both, Z8);
}

/** Draws 2·blk → ZA and (if `both`) 2·blk + 1 → ZB (globals of random/ziggurat.ts) of particle p at step t. */
@inline export function samplerPair(blk: u32, t: u32, p: u32, k0: u32, k1: u32, both: bool): void {
  zigguratPair(SAMPLER, SAMPLER_RETRY, blk, t, p, k0, k1, both);
}
