/**
 * The chunk loop shared by `minimize` and `simulate`: each chunk is one wasm call; between
 * chunks progress is reported, the event loop gets a turn (every TURN_MS), and an AbortSignal is
 * honoured, so a run stops within one chunk. The chunking never changes results.
 */
import { DescentError, invalid } from './errors.ts';

/** Options every chunked run accepts. */
export interface ChunkOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { step: number; steps: number }) => void;
}

/**
 * Least time between two turns the event loop gets from a run (ms): one display frame, so that a
 * consumer on another task — a `stream` loop drawing the run — sees a fresh report 60 times a
 * second. A turn costs a few microseconds (setImmediate or a MessageChannel message).
 */
const TURN_MS = 15;

/** Validate `signal` and `onProgress` (paths under `path`) and refuse an already aborted run. */
export function checkChunkOptions(o: { signal?: AbortSignal; onProgress?: unknown }, path: string, what: string): void {
  if (o.signal !== undefined && !(typeof o.signal === 'object' && o.signal !== null && 'aborted' in o.signal))
    throw invalid('E_CONFIG', `${path}.signal`, 'an AbortSignal', o.signal);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function')
    throw invalid('E_CONFIG', `${path}.onProgress`, 'a function', o.onProgress);
  if (o.signal?.aborted) throw new DescentError('E_ABORTED', `${what}: aborted before it started`);
}

type Immediate = (f: () => void) => unknown;
const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;

/**
 * Give the event loop a turn (a macrotask, so timers, I/O and rendering run) without the ≥ 1 ms
 * of setTimeout(0) (≥ 4 ms when nested, in browsers): setImmediate where there is one (Node,
 * Bun), else a MessageChannel message (browsers, Deno), else setTimeout.
 */
const yieldNow: () => Promise<void> =
  typeof immediate === 'function'
    ? () =>
        new Promise<void>((resolve) => {
          immediate(resolve);
        })
    : typeof MessageChannel === 'function'
      ? () =>
          new Promise<void>((resolve) => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
              channel.port1.close();
              resolve();
            };
            channel.port2.postMessage(0);
          })
      : () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Run steps [0, steps) in chunks of `chunk`. `advance(t0, t1)` runs one chunk and returns the
 * steps done so far and whether the run ended early. Returns the steps done. `onProgress`'s
 * second argument says whether other tasks may run before the next chunk (a turn of the event
 * loop follows, or the run ends): only those reports can be seen by a consumer that is not
 * called synchronously.
 */
export async function runChunks(
  what: string,
  steps: number,
  chunk: number,
  o: { signal?: AbortSignal; onProgress?: (progress: { step: number; steps: number }, seen: boolean) => void },
  advance: (t0: number, t1: number) => { done: number; stop: boolean },
): Promise<number> {
  let done = 0,
    stop = false,
    last = Date.now();
  while (done < steps && !stop) {
    ({ done, stop } = advance(done, Math.min(steps, done + chunk)));
    const turn = done < steps && !stop && Date.now() - last >= TURN_MS;
    o.onProgress?.({ step: done, steps }, turn || done >= steps || stop);
    if (turn) {
      await yieldNow();
      last = Date.now();
    }
    if (o.signal?.aborted) throw new DescentError('E_ABORTED', `${what}: aborted at step ${done} of ${steps}`);
  }
  return done;
}
