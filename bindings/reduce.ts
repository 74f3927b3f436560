// Record rows from raw per-block partials gathered elsewhere (workers, shards), in a dedicated
// instance: the same kernel (assembly/run/reduce.ts ensembleReduce) over the same partials in
// the same block order as a single-instance run, so the rows are the same bits. Only the
// descriptor slots the reduction reads are set (DIM, NB, P, PART, LOSSBUF).

import type { Live } from './engine.ts';
import { D, partialWidth } from './ensemble.ts';

/** Shape of the run whose rows are reduced. */
export interface ReducerSpec {
  /** Dimension d. */
  dim: number;
  /** Blocks in the whole run, ⌈P/B⌉. */
  blocks: number;
  /** Particles P in the whole run. */
  particles: number;
  /** Loss quantile levels. */
  quantiles: Float64Array;
  /** Most rows reduced by one call. */
  rows: number;
}

/** Buffers for up to `rows` record rows of a whole run, and the reduction over them. */
export class Reducer {
  readonly #live: Live;
  readonly #spec: ReducerSpec;
  readonly #p: { desc: number; part: number; losses: number; qs: number; out: number; work: number };
  /** Doubles per reduced row (recordWidth). */
  readonly width: number;
  /** Doubles per block partial. */
  readonly partialWidth: number;

  /** Allocate (throws E_MEMORY before any work when the buffers exceed the heap limit). */
  constructor(live: Live, spec: ReducerSpec) {
    const { heap, exports } = live;
    const pw = partialWidth(spec.dim);
    const desc = heap.allocF64(D.SIZE, 'reduction descriptor');
    const part = heap.allocF64(spec.rows * spec.blocks * pw, 'record partials');
    const losses = heap.allocF64(spec.rows * spec.particles, 'record losses');
    const qs = heap.pushF64(spec.quantiles, 'quantile levels');
    this.width = exports.recordWidth(spec.dim, spec.quantiles.length);
    const out = heap.allocF64(spec.rows * this.width, 'record rows');
    const work = heap.allocF64(spec.particles, 'quantile scratch');
    const v = heap.f64(desc, D.SIZE);
    v[D.DIM] = spec.dim; v[D.NB] = spec.blocks; v[D.P] = spec.particles; v[D.PART] = part; v[D.LOSSBUF] = losses;
    this.#live = live;
    this.#spec = spec;
    this.#p = { desc, part, losses, qs, out, work };
    this.partialWidth = pw;
  }

  /**
   * Views to fill before {@link reduce}: partials (rows × blocks × partialWidth, block b of row r
   * at (r·blocks + b)·partialWidth) and losses (rows × particles, NaN where a particle is not
   * counted). Valid until the instance's memory grows (nothing allocates in it after the constructor).
   */
  views(rows: number): { partials: Float64Array; losses: Float64Array } {
    const { heap } = this.#live, s = this.#spec;
    return { partials: heap.f64(this.#p.part, rows * s.blocks * this.partialWidth), losses: heap.f64(this.#p.losses, rows * s.particles) };
  }

  /** Reduce the first `rows` rows of the views into record rows (rows × width), copied out. */
  reduce(rows: number): Float64Array {
    const { exports, heap } = this.#live, p = this.#p;
    exports.ensembleReduce(p.desc, rows, p.qs, this.#spec.quantiles.length, p.out, p.work);
    return heap.copyOutF64(p.out, rows * this.width);
  }
}
