/**
 * Running a validated ensemble in workers, or only one shard of it. Both split the run into
 * contiguous ranges of whole particle blocks and put the pieces back together in block order:
 * record rows are reduced from the per-block partials by the same kernel as a single run
 * (bindings/reduce.ts), final states are concatenated. So `workers: n`, `workers: 1`, no workers,
 * and any sharding give the same bits (DESIGN.md determinism contract 3).
 */
import { runOn, type Live } from '../bindings/engine.ts';
import { Ensemble, partialWidth, type BlockFinal, type BlockRange, type BlockRows, type EnsembleSpec } from '../bindings/ensemble.ts';
import { Reducer } from '../bindings/reduce.ts';
import { runChunks } from './chunks.ts';
import { assemble, blockCount, combineFinals, particlesOf, recordRows, scatterRows, type EnsembleShape, type RawRows } from './result.ts';
import { makeShard, shardRange, type ShardResult, type ShardSpec } from './shard.ts';
import type { EnsembleResult } from './simulate.ts';
import { runInWorkers, splitBlocks, workerCount, type WorkersOption } from './workers.ts';

/** A validated run, ready to execute. */
export interface ScaledRun {
  what: string;
  /** A dedicated instance (packing is done; reductions run here). */
  live: Live;
  spec: EnsembleSpec;
  shape: EnsembleShape;
  /** The normalised config the result carries. */
  config: Record<string, unknown>;
  chunk: number;
  memoryLimit: number;
  signal?: AbortSignal;
  onProgress?: (p: { step: number; steps: number }) => void;
}

/** The whole run in workers; record rows reduced here after each chunk (memory stays bounded by the chunk). */
export async function runWithWorkers(r: ScaledRun, workers: WorkersOption): Promise<EnsembleResult> {
  const s = r.shape, nb = blockCount(s);
  const ranges = splitBlocks({ first: 0, end: nb }, await workerCount(workers, nb));
  const rowsPerChunk = s.every > 0 ? Math.ceil(r.chunk / s.every) + 1 : 0;
  const reducer = s.every > 0
    ? runOn(r.live, r.what, (l) => new Reducer(l, { dim: s.dim, blocks: nb, particles: s.particles, quantiles: r.spec.quantiles, rows: rowsPerChunk }))
    : undefined;
  const chunks: Float64Array[] = [];
  let rows = 0;
  const finals = await runInWorkers(r.what, r.spec, ranges, { ...r, steps: s.steps }, (_k, pieces) => {
    const n = pieces[0].rows;
    if (!reducer || n === 0) return;
    const views = reducer.views(n);
    pieces.forEach((piece, i) => scatterRows(s, ranges[i], piece, 0, n, views));
    chunks.push(runOn(r.live, r.what, () => reducer.reduce(n)));
    rows += n;
  });
  const fin = combineFinals(s, ranges.map((range, i) => ({ range, final: finals[i] })));
  return assemble(s, r.config, fin, chunks, rows, reducer?.width ?? 0);
}

/** One shard's blocks, in this thread or in workers; keeps every record row's raw partials for `merge`. */
export async function runShard(r: ScaledRun, shard: ShardSpec, workers: WorkersOption | undefined): Promise<ShardResult> {
  const s = r.shape, range = shardRange(blockCount(s), shard.index, shard.count);
  const { p0, p1 } = particlesOf(s, range), own = range.end - range.first;
  const raw: RawRows = { partials: new Float64Array(recordRows(s) * own * partialWidth(s.dim)), losses: new Float64Array(recordRows(s) * (p1 - p0)) };
  let row = 0;
  const keep = (pieces: BlockRows[], ranges: BlockRange[]) => {
    pieces.forEach((piece, i) => scatterRows(s, ranges[i], piece, 0, piece.rows, raw, row, range));
    row += pieces[0].rows;
  };
  let final: BlockFinal;
  if (own === 0) {
    final = combineFinals(s, [], range); // a shard with no blocks (more shards than blocks): empty, still mergeable
    r.onProgress?.({ step: s.steps, steps: s.steps });
  } else if (workers !== undefined) {
    const ranges = splitBlocks(range, await workerCount(workers, own));
    const finals = await runInWorkers(r.what, r.spec, ranges, { ...r, steps: s.steps }, (_k, pieces) => keep(pieces, ranges));
    final = combineFinals(s, ranges.map((sub, i) => ({ range: sub, final: finals[i] })), range);
  } else {
    const ens = runOn(r.live, r.what, (l) => new Ensemble(l, { ...r.spec, blocks: range }));
    await runChunks(r.what, s.steps, r.chunk, r, (t0, t1) => {
      keep([runOn(r.live, r.what, () => ens.advancePartials(t0, t1))], [range]);
      return { done: t1, stop: false };
    });
    final = runOn(r.live, r.what, () => ens.finishRange(s.steps));
  }
  return makeShard(r.config, s, shard, range, final, raw);
}
