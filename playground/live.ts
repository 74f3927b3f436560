/**
 * A run too big to replay, drawn live: the worker runs it with `descent.stream`, whose snapshots
 * carry every particle's current position (simulate's `positions` option; the run lets the loop
 * below have a turn once per ~15 ms, a display frame, and copies positions only then), and posts
 * them to the page as they come — at most one frame per FRAME_MS, so the page is never flooded;
 * the page draws the latest one each animation frame. No path is kept: memory is one
 * frame, whatever the steps. The run's numbers are the same as without drawing.
 */
import * as descent from 'descent';
import type { Reply } from './protocol.ts';

/** Least time between two frames posted (ms): a 60 frames/s display gets each. */
const FRAME_MS = 15;
/**
 * Coordinate updates per wasm call of a live run: a frame can come only between calls, so a call
 * is one step of 10⁵ particles in 2-d (still ≥ 10⁵ updates, as the hot-path rule asks).
 */
const CHUNK_UPDATES = 200_000;

/** Run `config` with live frames posted as `live` replies for run `id`; resolves with the result. */
export async function runLive(
  id: number,
  config: descent.SimulateConfig,
  signal: AbortSignal,
  post: (m: Reply, transfer?: Transferable[]) => void,
): Promise<descent.EnsembleResult> {
  const P = config.particles!;
  const chunkSize = Math.max(1, Math.floor(CHUNK_UPDATES / (2 * P)));
  let posted = -Infinity;
  let result: descent.EnsembleResult | undefined;
  for await (const snap of descent.stream(config, { signal, chunkSize, positions: P })) {
    if (snap.result) {
      result = snap.result as descent.EnsembleResult;
      continue;
    }
    post({ type: 'progress', id, step: snap.step, steps: snap.steps });
    const now = performance.now();
    if (snap.x && now - posted >= FRAME_MS) {
      posted = now;
      post({ type: 'live', id, step: snap.step, T: snap.steps, particles: P, xy: snap.x }, [snap.x.buffer]);
    }
  }
  // The final positions, whatever was dropped before.
  const xy = result!.x.slice();
  post({ type: 'live', id, step: result!.steps, T: result!.steps, particles: P, xy }, [xy.buffer]);
  return result!;
}
