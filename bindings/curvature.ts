// Work space of the curvature-aware optimisers in an ensemble run (descriptor slot CVW): how many
// doubles each kind needs, allocated once per run. Layout and sizes MUST MATCH
// assembly/run/curvature.ts (curvatureWorkSize) and the kernels' *Work functions; the kernel
// reads the size written in the first double and traps (E_TRAP) if it is smaller than its own
// count, so a mismatch cannot overwrite other buffers.

import type { Heap } from './memory.ts';
import type { PackedRule } from './trajectory.ts';
import { lanczosWorkSize, MIRRORED_LAYOUT } from './spectral.ts';

/** Kind ids of the curvature-aware optimisers. MUST MATCH assembly/optimizers/kinds.ts (test/layout.test.ts checks them). */
export const CURVATURE_KINDS = { sam: 24, perturbedGD: 25, newtonCG: 26, naturalGradient: 27, saddleFreeNewton: 28, sme: 29 } as const;

/** Offset of saddle-free Newton's k in h. MUST MATCH SADDLE_FREE_NEWTON_K in assembly/optimizers/kinds.ts (test/layout.test.ts). */
export const SADDLE_FREE_NEWTON_K = 3;

/**
 * Doubles of an operator descriptor (OP_SLOTS) and of a Lanczos state (L_SLOTS), as
 * bindings/spectral.ts mirrors them (checked by test/layout.test.ts and test/spectral.test.ts).
 */
const OP_SLOTS = MIRRORED_LAYOUT[0], LANCZOS_SLOTS = MIRRORED_LAYOUT[2];

/** Is kernel id `id` a curvature-aware optimiser? */
export function isCurvatureKind(id: number): boolean {
  return id >= CURVATURE_KINDS.sam && id <= CURVATURE_KINDS.sme;
}

/** Doubles of work space for kind `id` with hyperparameters `hyper`, dimension d, block size B (0: not a curvature kind). */
export function curvatureWorkSize(id: number, hyper: Float64Array, d: number, B: number): number {
  const lane = OP_SLOTS + 2 * d;
  switch (id) {
    case CURVATURE_KINDS.sam: return 1 + 3 * d * B;
    case CURVATURE_KINDS.perturbedGD: return 1 + 4 * d + 1;
    case CURVATURE_KINDS.newtonCG: return 1 + lane + 5 * d;
    case CURVATURE_KINDS.naturalGradient: return 1 + lane + 4 * d;
    case CURVATURE_KINDS.saddleFreeNewton: {
      const m = Math.min(hyper[SADDLE_FREE_NEWTON_K], d), ncv = m + 1;
      return 1 + lane + LANCZOS_SLOTS + (ncv + 1) * d + ncv * ncv + lanczosWorkSize(ncv) + d + m + m * d + m + d;
    }
    case CURVATURE_KINDS.sme: return 1 + 2 * d + 8 * d + 2 + 6 * d * B; // x, v copies | sme.ts smeWork(d) | smeBlockWork(d, B)
    default: return 0;
  }
}

/** Allocate the CVW work space of `rule` (its size in the first double); 0 for other kinds. */
export function allocCurvatureWork(heap: Heap, rule: PackedRule, d: number, B: number): number {
  const n = curvatureWorkSize(rule.id, rule.hyper, d, B);
  if (n === 0) return 0;
  const ptr = heap.allocF64(n, 'curvature-aware optimiser work space');
  heap.f64(ptr, 1)[0] = n;
  return ptr;
}
