/**
 * Mergeable summaries: how a run's statistics are put together from the pieces that ranges of
 * blocks (workers, shards, segments) hand over, with bounded memory and the same bits for any
 * split (docs/design.md determinism contract 3–4).
 *
 * Moments are dyadic-tree nodes over global block indices (assembly/run/summary.ts): pieces are
 * pushed in block order onto one stack per row, where two siblings merge into their parent as
 * soon as both are there — a binary counter, so a stack holds O(log blocks) nodes — and the
 * run's canonical nodes (what is left once every block is in) are folded left to right. Sketch
 * buckets and histogram bins are integer counts held in doubles, exact below 2⁵³, added.
 * Every floating-point operation is a wasm kernel; JS only moves numbers and adds integers.
 */
import type { Live } from '../bindings/engine.ts';
import { finalWidth, partialWidth, type RowPiece } from '../bindings/ensemble.ts';
import { DescentError } from './errors.ts';

/** What shapes a summary. */
export interface SummaryLayout {
  dim: number;
  /** Stop regions. */
  regions: number;
  /** Record rows R (rows 0 … R − 1; row R is the final state). */
  rows: number;
  /** Quantile levels. */
  levels: readonly number[];
  /** Mantissa bits of the sketch. */
  bits: number;
  /** Loss histogram edges (their number; 0: no histogram). */
  edges: number;
  /** Final-state coordinate histogram edges (their number; 0: none). */
  paramEdges: number;
}

/**
 * A summary as data (the body of a shard file): the unmerged dyadic nodes of every row, the
 * sketches and the histograms. Its size is O(rows · (log blocks · width + sketch buckets)),
 * independent of the number of particles beyond the logarithm.
 */
export interface SummaryPart {
  /** (row, h, i) per node, rows ascending, blocks ascending within a row. */
  nodes: Int32Array;
  /** Node partials in the same order: record rows' nodes partialWidth(d) doubles, final-state nodes finalWidth(d, regions). */
  data: Float64Array;
  /** Sketch of row r: keys[offsets[r] … offsets[r + 1]), ascending, with their counts. */
  offsets: Int32Array;
  keys: Int32Array;
  counts: Float64Array;
  /** Histograms, (rows + 1) × (edges + 1). */
  hist: Float64Array;
  /** Final-state coordinate histograms, dim × (paramEdges + 1) (empty without edges). */
  xhist: Float64Array;
}

/** Statistics of a complete summary (computed in wasm). */
export interface SummaryStatistics {
  /** Per record row: n, mean, variance, min, max, mean ‖∇f‖, d means, d variances. */
  rows: Float64Array;
  /** Per record row: nq quantiles | nq rank-low | nq rank-high. */
  quantiles: Float64Array;
  /** The final state, as a record row (mean ‖∇f‖ is NaN: no gradient is taken at the end). */
  final: Float64Array;
  finalQuantiles: Float64Array;
  /** Running particles, accepted and made MALA proposals. */
  running: number;
  accepted: number;
  proposals: number;
  /** Time groups (n, mean, variance, min, max): diverged, stopped by the gradient tolerance, stopped in region 0, 1, …. */
  groups: Float64Array;
  /** Histograms, (rows + 1) × (edges + 1). */
  hist: Float64Array;
  /** Final-state coordinate histograms, dim × (paramEdges + 1). */
  xhist: Float64Array;
}

const PAGE = 4096;

/** Integer counts over bucket keys, in pages of 4 096 keys (loss values cluster in a few binades). */
export class Counts {
  readonly #pages = new Map<number, Float64Array>();

  add(keys: Int32Array, counts: Float64Array, from = 0, to = keys.length): void {
    let page = NaN,
      buf: Float64Array | undefined;
    for (let k = from; k < to; k++) {
      const key = keys[k],
        pg = Math.floor(key / PAGE);
      if (pg !== page) {
        page = pg;
        buf = this.#pages.get(pg);
        if (!buf) this.#pages.set(pg, (buf = new Float64Array(PAGE)));
      }
      buf![key - pg * PAGE] += counts[k];
    }
  }

  /** Non-zero buckets, ascending. */
  sparse(): { keys: Int32Array; counts: Float64Array } {
    const pages = [...this.#pages.keys()].sort((a, b) => a - b);
    const keys: number[] = [],
      counts: number[] = [];
    for (const pg of pages) {
      const buf = this.#pages.get(pg)!;
      for (let o = 0; o < PAGE; o++)
        if (buf[o] !== 0) {
          keys.push(pg * PAGE + o);
          counts.push(buf[o]);
        }
    }
    return { keys: Int32Array.from(keys), counts: Float64Array.from(counts) };
  }
}

export interface Stack {
  h: number[];
  i: number[];
  data: Float64Array[];
}

/**
 * Summaries pushed in block order (per row), merged as they come. `addRow` (and src/shard.ts
 * addSummaryPart) take pieces of consecutive block ranges, lowest blocks first; the merge kernels
 * run in `live`.
 */
export class Accumulator {
  readonly layout: SummaryLayout;
  readonly #live: Live;
  readonly #stacks: Stack[];
  readonly #sketch: Counts[];
  readonly #hist: Float64Array;
  readonly #xhist: Float64Array;
  readonly #scratch: { a: number; b: number; out: number; levels: number; keys: number; counts: number; cap: number };
  /** The first block of the range this accumulator covers. */
  readonly first: number;

  /** An empty summary of the blocks from `first` on (0 for a whole run; a shard's first block for its own). */
  constructor(live: Live, layout: SummaryLayout, first = 0) {
    this.layout = layout;
    this.first = first;
    this.#live = live;
    const R = layout.rows;
    this.#stacks = Array.from({ length: R + 1 }, () => ({ h: [], i: [], data: [] }));
    this.#sketch = Array.from({ length: R + 1 }, () => new Counts());
    this.#hist = new Float64Array(layout.edges > 0 ? (R + 1) * (layout.edges + 1) : 0);
    this.#xhist = new Float64Array(layout.paramEdges > 0 ? layout.dim * (layout.paramEdges + 1) : 0);
    const w = finalWidth(layout.dim, layout.regions),
      heap = live.heap;
    this.#scratch = {
      a: heap.allocF64(w, 'summary merge'),
      b: heap.allocF64(w, 'summary merge'),
      out: heap.allocF64(Math.max(w, 3 * layout.levels.length), 'summary statistics'),
      levels: heap.pushF64(layout.levels.length ? layout.levels : [0], 'quantile levels'),
      keys: 0,
      counts: 0,
      cap: 0,
    };
  }

  /** Doubles per node of row r. */
  width(r: number): number {
    return r < this.layout.rows ? partialWidth(this.layout.dim) : finalWidth(this.layout.dim, this.layout.regions);
  }

  /** Merge two nodes of row r (left ⊕ right) in wasm. */
  #merge(r: number, left: Float64Array, right: Float64Array): Float64Array {
    const { heap, exports } = this.#live,
      s = this.#scratch,
      w = left.length;
    heap.f64(s.a, w).set(left);
    heap.f64(s.b, w).set(right);
    if (r < this.layout.rows) exports.partialMerge(s.a, s.b, this.layout.dim);
    else exports.finalMerge(s.a, s.b, this.layout.dim, this.layout.regions);
    return heap.copyOutF64(s.a, w);
  }

  /**
   * @internal Push node (h, i) of row r: merge with its left sibling while it is on top of the
   * stack (pieces in block order; src/shard.ts pushes a stored summary's nodes).
   */
  push(r: number, h: number, i: number, data: Float64Array): void {
    const st = this.#stacks[r];
    const top = st.h.length - 1;
    if (top >= 0) {
      const end = (st.i[top] + 1) * 2 ** st.h[top];
      if (end !== i * 2 ** h)
        throw new DescentError(
          'E_SHARD',
          `summary: row ${r} received blocks from ${i * 2 ** h} after blocks up to ${end}: pieces must come in block order without gaps`,
        );
    } else if (i * 2 ** h !== this.first) {
      throw new DescentError('E_SHARD', `summary: row ${r} starts at block ${i * 2 ** h}, not ${this.first}`);
    }
    while (st.h.length > 0) {
      const k = st.h.length - 1;
      if (st.h[k] !== h || st.i[k] !== i - 1 || st.i[k] % 2 !== 0) break;
      data = this.#merge(r, st.data[k], data);
      st.h.pop();
      st.i.pop();
      st.data.pop();
      h++;
      i >>= 1;
    }
    st.h.push(h);
    st.i.push(i);
    st.data.push(data);
  }

  /** Add row r's summary of the next block range (nodes, sketch, histogram). */
  addRow(r: number, piece: RowPiece): void {
    const w = this.width(r);
    for (let k = 0; k < piece.h.length; k++) this.push(r, piece.h[k], piece.i[k], piece.data.slice(k * w, (k + 1) * w));
    this.#sketch[r].add(piece.keys, piece.counts);
    const bins = this.layout.edges + 1;
    if (piece.hist.length) addInto(this.#hist.subarray(r * bins, (r + 1) * bins), piece.hist);
    if (piece.xhist) addInto(this.#xhist, piece.xhist);
  }

  /** @internal The per-row node stacks and sketches and the histograms, for src/shard.ts (a shard's stored summary). */
  get state(): { stacks: Stack[]; sketches: Counts[]; hist: Float64Array; xhist: Float64Array } {
    return { stacks: this.#stacks, sketches: this.#sketch, hist: this.#hist, xhist: this.#xhist };
  }

  /** Fold row r's canonical nodes left to right (the run's fixed tree). */
  #fold(r: number): Float64Array {
    const st = this.#stacks[r];
    if (st.data.length === 0) return new Float64Array(this.width(r)); // no blocks: n = 0
    let acc = st.data[0];
    for (let k = 1; k < st.data.length; k++) acc = this.#merge(r, acc, st.data[k]);
    return acc;
  }

  /** Quantiles of row r's sketch into a copy (nq values | nq rank-low | nq rank-high). */
  #quantiles(r: number): Float64Array {
    const { heap, exports } = this.#live,
      s = this.#scratch,
      nq = this.layout.levels.length;
    const { keys, counts } = this.#sketch[r].sparse();
    if (keys.length > s.cap) {
      s.cap = keys.length;
      s.keys = heap.alloc(4 * s.cap, 'sketch');
      s.counts = heap.allocF64(s.cap, 'sketch');
    }
    new Int32Array(exports.memory.buffer, s.keys, keys.length).set(keys);
    heap.f64(s.counts, counts.length).set(counts);
    exports.sketchQuantiles(s.keys, s.counts, keys.length, this.layout.bits, s.levels, nq, s.out);
    return heap.copyOutF64(s.out, 3 * nq);
  }

  /** The statistics of the complete summary. */
  statistics(): SummaryStatistics {
    const { heap, exports } = this.#live,
      s = this.#scratch,
      L = this.layout,
      d = L.dim,
      R = L.rows,
      nq = L.levels.length;
    const sw = 6 + 2 * d,
      pw = partialWidth(d);
    const rows = new Float64Array(R * sw),
      quantiles = new Float64Array(R * 3 * nq);
    const stats = (p: Float64Array) => {
      heap.f64(s.a, p.length).set(p);
      exports.partialStats(s.a, d, s.out);
      return heap.copyOutF64(s.out, sw);
    };
    for (let r = 0; r < R; r++) {
      rows.set(stats(this.#fold(r)), r * sw);
      quantiles.set(this.#quantiles(r), r * 3 * nq);
    }
    const fin = this.#fold(R);
    const final = stats(fin);
    final[5] = NaN;
    const ng = 2 + L.regions,
      groups = new Float64Array(ng * 5);
    for (let g = 0; g < ng; g++) {
      heap.f64(s.a, 5).set(fin.subarray(pw + 3 + 5 * g, pw + 8 + 5 * g));
      exports.groupStats(s.a, s.out);
      groups.set(heap.f64(s.out, 5), 5 * g);
    }
    return {
      rows,
      quantiles,
      final,
      finalQuantiles: this.#quantiles(R),
      running: fin[pw],
      accepted: fin[pw + 1],
      proposals: fin[pw + 2],
      groups,
      hist: this.#hist.slice(),
      xhist: this.#xhist.slice(),
    };
  }
}

/** a += b, element by element (integer counts held in doubles: exact below 2⁵³). */
export function addInto(a: Float64Array, b: Float64Array): void {
  for (let k = 0; k < a.length; k++) a[k] += b[k];
}
