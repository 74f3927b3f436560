// SVGD's work space (run-descriptor slot SVW): its size and its allocation. The layout is
// assembly/run/svgd.ts's; the size formula MUST MATCH it (the kernel traps, rather than writing
// past the buffer, when the size in the first double is smaller than the layout it computes).

import type { Heap } from './memory.ts';

/** Sampler id of SVGD, and the offset of its bandwidth in h (−1: the median heuristic). MUST MATCH
 * assembly/optimizers/kinds.ts (SVGD, SVGD_BANDWIDTH); test/layout.test.ts checks both. */
export const SVGD_ID = 20, SVGD_BANDWIDTH = 3;

/** n rounded up to even (every region of the work space starts at an even double offset). */
const even = (n: number) => n + (n & 1);

/**
 * Doubles of SVGD's work space for P particles of dimension d in blocks of B: the blocked
 * gradients, compact copies, a tile's kernel rows and the N(N−1)/2 pairs (twice with the median
 * bandwidth, which selects on a copy).
 */
export function svgdWorkDoubles(P: number, d: number, B: number, median: boolean): number {
  const np = even(P), nb = Math.ceil(P / B), pairs = (P * (P - 1)) / 2;
  return 2 + nb * d * B + d * B + np + d * np + (d + 1) * np + d * np + 4 * np + even(4 * (d + 1)) + pairs + 2 + (median ? pairs : 0);
}

/**
 * Allocate the work space of an SVGD run (hyperparameters `hyper`: h[SVGD_BANDWIDTH] < 0 selects
 * the median bandwidth) and the record of the bandwidth each of its `steps` steps used (NaN until
 * run), and write the size and the record's address into the work space's first two doubles.
 * Throws E_MEMORY, before any step, when they do not fit.
 */
export function allocSvgdWork(heap: Heap, P: number, d: number, B: number, hyper: Float64Array, steps: number):
  { work: number; bandwidths: number } {
  const n = svgdWorkDoubles(P, d, B, hyper[SVGD_BANDWIDTH] < 0);
  const work = heap.allocF64(n, `SVGD work space (${P} particles: ${(P * (P - 1)) / 2} pairs)`);
  const bandwidths = heap.allocF64(steps, 'SVGD bandwidth record');
  heap.f64(bandwidths, steps).fill(NaN);
  const head = heap.f64(work, 2);
  head[0] = n;
  head[1] = bandwidths; // the kernel writes step t's bandwidth at bandwidths + 8t
  return { work, bandwidths };
}
