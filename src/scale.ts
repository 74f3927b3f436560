/**
 * Executing a validated ensemble over a range of particle blocks — the whole run, or one shard of
 * it — in bounded memory: the range runs in consecutive segments of at most
 * {@link segmentParticles} particles (each segment runs all T steps, then frees its memory), and
 * each segment runs in this thread or split among workers. Every piece hands its mergeable
 * summary (src/summary.ts) to one accumulator in block order, so no split changes a bit
 * (docs/design.md determinism contract 3–4), and nothing holds per-particle data unless asked:
 * `keep` gathers the particles' final state, `onParticles` streams it one range at a time.
 */
import { runOn, type Live } from '../bindings/engine.ts';
import {
  Ensemble,
  partialWidth,
  type BlockRange,
  type EnsembleSpec,
  type FinalPiece,
  type ParticleColumns,
  type RowPiece,
} from '../bindings/ensemble.ts';
import { runChunks } from './chunks.ts';
import { combineBounded, combineParticles, particlesOf, recordRows, type Bounded, type EnsembleShape } from './result.ts';
import { Accumulator, type SummaryLayout } from './summary.ts';
import type { WorkerPool, WorkersOption } from './workers.ts';

/** A validated run, ready to execute. */
export interface ScaledRun {
  what: string;
  /** A dedicated instance (packing is done; segments and merges run here). */
  live: Live;
  spec: EnsembleSpec;
  shape: EnsembleShape;
  /** The normalised config the result carries. */
  config: Record<string, unknown>;
  /** Steps per wasm call (user's); default: ≈ 4·10⁶ coordinate updates per call over a segment. */
  chunkSize?: number;
  memoryLimit: number;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** Give progress reports the positions of the first this many particles ({@link Progress.x}). */
  positions?: number;
}

/** Progress of a run: `step` of `steps` (over all segments: step = ⌊(segment·T + t)/segments⌋), and the segment. */
export interface Progress {
  step: number;
  steps: number;
  /** Segment being run (0-based) and how many there are (1 unless the range exceeds ≈ 2²² particle-coordinates; docs/scaling.md). */
  segment: number;
  segments: number;
  /** Milliseconds since the run started (its first step; validation and packing excluded). */
  elapsedMs: number;
  /** Estimated milliseconds left: elapsed × (work left ÷ work done); undefined before any work is done. */
  etaMs?: number;
  /**
   * The latest record row seen (record.every set): its step and the loss statistics over the
   * particles counted there (active or stopped; diverged ones excluded) — over the current
   * segment's particles (all of them unless the run has several segments).
   */
  latest?: LatestRecord;
  /**
   * With `simulate`'s option `positions: n`: the current positions x_t of the first n particles
   * (row-major n × dim), a copy, for drawing a run while it goes. Given by runs in this thread,
   * while the segment holding those particles runs (not by workers' reports), on the reports after
   * which the run gives the event loop a turn (at most one per display frame, ~15 ms) and on the
   * segment's last report: the reports a `stream` consumer or a timer can see.
   */
  x?: Float64Array;
}

/** Loss statistics of one record row, for progress reports (see {@link Progress.latest}). */
export interface LatestRecord {
  step: number;
  count: number;
  mean: number;
  min: number;
  max: number;
}

/**
 * Count, mean, min and max of the loss over a record row's pieces (node partials: n, mean, M2,
 * min, max, …, record layout assembly/run/descriptor.ts partialWidth), merged with the pairwise
 * mean (Chan et al.); undefined when nothing was counted.
 */
export function latestOf(step: number, pieces: RowPiece[], width: number): LatestRecord | undefined {
  let count = 0,
    mean = 0,
    min = Infinity,
    max = -Infinity;
  for (const p of pieces) {
    for (let o = 0; o + width <= p.data.length; o += width) {
      const n = p.data[o];
      if (!(n > 0)) continue;
      const total = count + n;
      mean += (p.data[o + 1] - mean) * (n / total);
      count = total;
      if (p.data[o + 3] < min) min = p.data[o + 3];
      if (p.data[o + 4] > max) max = p.data[o + 4];
    }
  }
  return count > 0 ? { step, count, mean, min, max } : undefined;
}

/** How a range is executed. */
export interface RangeOptions {
  /** Run in workers: how many, and the pool that runs them (undefined: in this thread). */
  workers?: { option: WorkersOption; pool: WorkerPool };
  /** Gather every particle's final state (memory ∝ particles). */
  keep: boolean;
  /** Receive each segment's (or worker's) particles' final state, in particle order, as soon as it is done. */
  onParticles?: (columns: ParticleColumns) => void;
  /** Run the whole range as one segment (interacting particles: SVGD). */
  oneSegment?: boolean;
}

/** What a range's execution leaves. */
export interface RangeRun {
  acc: Accumulator;
  bounded: Bounded;
  particles?: ParticleColumns;
}

/**
 * Most particles a segment holds at once: ≈ 2²² coordinates (≈ 4·10⁶ particles at d = 1, a few
 * hundred MB of state with optimiser slots and record buffers), whole blocks, at least one block.
 * Fixed by d and the block size: it never changes results, only memory.
 */
export function segmentParticles(d: number, block: number): number {
  return Math.max(block, Math.floor((segmentCoordinates ?? 2 ** 22) / d / block) * block);
}

let segmentCoordinates: number | undefined;

/** @internal Test hook (src/testing.ts): segments of this many particle-coordinates (undefined: the default). */
export function setSegmentCoordinates(n: number | undefined): void {
  segmentCoordinates = n;
}

/** The summary layout of a run's shape. */
export function layoutOf(s: EnsembleShape): SummaryLayout {
  return {
    dim: s.dim,
    regions: s.regions,
    rows: recordRows(s),
    levels: s.levels,
    bits: s.bits,
    edges: s.edges.length,
    paramEdges: s.paramEdges.length,
  };
}

/** Run blocks `range` (see the file header); the accumulator holds their summary, in `r.live`. */
export async function runRange(r: ScaledRun, range: BlockRange, o: RangeOptions): Promise<RangeRun> {
  const s = r.shape,
    T = s.steps;
  const acc = runOn(r.live, r.what, (l) => new Accumulator(l, layoutOf(s), range.first));
  const segBlocks = o.oneSegment ? Math.max(1, range.end - range.first) : segmentParticles(s.dim, s.block) / s.block;
  const segments: BlockRange[] = [];
  for (let a = range.first; a < range.end; a += segBlocks) segments.push({ first: a, end: Math.min(range.end, a + segBlocks) });
  const bounded: { range: BlockRange; piece: Bounded }[] = [];
  const kept: ParticleColumns[] = [];
  const started = performance.now();
  let latest: LatestRecord | undefined;
  const take = (sub: BlockRange, f: FinalPiece) => {
    acc.addRow(acc.layout.rows, f.summary);
    // Only the bounded records: keeping f would keep its particles, which onParticles streams away.
    bounded.push({ range: sub, piece: { trajectories: f.trajectories, sharpness: f.sharpness, bandwidths: f.bandwidths } });
    if (f.particles) {
      o.onParticles?.(f.particles);
      if (o.keep) kept.push(f.particles);
    }
  };
  for (const [k, seg] of segments.entries()) {
    const { p0, p1 } = particlesOf(s, seg);
    // A chunk never exceeds the run: the record buffers of a chunk are sized by its length, so a
    // chunkSize above steps would allocate rows that no step can fill.
    const chunk = Math.min(T, r.chunkSize ?? Math.max(1, Math.min(T, Math.floor(4e6 / ((p1 - p0) * s.dim)))));
    const spec: EnsembleSpec = { ...r.spec, chunk, blocks: seg };
    const progress = (t: number, x?: Float64Array) => {
      if (!r.onProgress) return;
      const elapsedMs = performance.now() - started,
        done = (k * T + t) / (segments.length * T);
      r.onProgress({
        step: Math.floor((k * T + t) / segments.length),
        steps: T,
        segment: k,
        segments: segments.length,
        elapsedMs,
        ...(done > 0 ? { etaMs: (elapsedMs * (1 - done)) / done } : {}),
        ...(latest ? { latest } : {}),
        ...(x ? { x } : {}),
      });
    };
    // The last record row of a chunk: its step is (row0 + rows − 1)·every.
    const note = (row0: number, rows: RowPiece[][]) => {
      if (!r.onProgress || s.every === 0 || rows.length === 0) return;
      latest = latestOf((row0 + rows.length - 1) * s.every, rows[rows.length - 1], partialWidth(s.dim)) ?? latest;
    };
    const wantParticles = o.keep || o.onParticles !== undefined;
    if (o.workers !== undefined) {
      const { option, pool } = o.workers;
      const ranges = pool.split(seg, await pool.count(option, seg.end - seg.first));
      const finals = await pool.run(
        r.what,
        spec,
        ranges,
        { steps: T, chunk, memoryLimit: r.memoryLimit, keep: wantParticles, signal: r.signal, onProgress: (p) => progress(p.step) },
        (_c, pieces) => {
          const rows = pieces[0].rows.length;
          for (let j = 0; j < rows; j++) for (const piece of pieces) acc.addRow(piece.row0 + j, piece.rows[j]);
          note(
            pieces[0].row0,
            Array.from({ length: rows }, (_, j) => pieces.map((p) => p.rows[j])),
          );
        },
      );
      finals.forEach((f, i) => take(ranges[i], f));
    } else {
      const mark = r.live.heap.mark();
      try {
        const ens = runOn(r.live, r.what, (l) => new Ensemble(l, spec));
        // The first particles are in the first segment: its reports carry their positions when asked,
        // those that other tasks can see (a copy per step would cost as much as a small step).
        const live = (seen: boolean) =>
          k === 0 && r.positions && seen ? runOn(r.live, r.what, () => ens.positions(r.positions!)) : undefined;
        await runChunks(r.what, T, chunk, { signal: r.signal, onProgress: (p, seen) => progress(p.step, live(seen)) }, (t0, t1) => {
          const c = runOn(r.live, r.what, () => ens.advance(t0, t1));
          c.rows.forEach((piece, j) => acc.addRow(c.row0 + j, piece));
          note(
            c.row0,
            c.rows.map((piece) => [piece]),
          );
          return { done: t1, stop: false };
        });
        take(
          seg,
          runOn(r.live, r.what, () => ens.finish(T, wantParticles)),
        );
      } finally {
        r.live.heap.release(mark);
      }
    }
  }
  if (segments.length === 0)
    r.onProgress?.({ step: T, steps: T, segment: 0, segments: 0, elapsedMs: performance.now() - started, etaMs: 0 });
  return {
    acc,
    bounded: combineBounded(s, bounded, range),
    ...(o.keep ? { particles: combineParticles(s.dim, kept, s.accepts === true) } : {}),
  };
}
