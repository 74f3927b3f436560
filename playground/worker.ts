/**
 * The playground's worker: it loads descent (the browser bundle, which fetches descent.wasm from
 * beside itself), so the page's thread never runs a kernel and stays responsive. It answers the
 * page (protocol.ts) with the catalog of choices, contour grids (`landscape.valueBatch`) and runs
 * (`simulate`, cancellable through an AbortSignal), then streams the run's frames back.
 *
 * A small run (particles × (steps + 1) ≤ presets.MAX_POINTS) is one call that records every
 * particle's whole path (`record.trajectories = particles`), and the frames are slices of it: the
 * animation replays exactly the computed trajectories. A bigger one is drawn live as it runs
 * (live.ts: `descent.stream` snapshots of every particle's position), keeping no path.
 */
import * as descent from 'descent';
import type { Catalog, ErrorInfo, Quantiles, Reply, Request } from './protocol.ts';
import { buildCatalog, gridPoints, landscapeOf, runOf, viewOf } from './config.ts';
import { MAX_FRAMES } from './presets.ts';
import { runLive } from './live.ts';

/** The worker global, typed without the WebWorker lib (which cannot be combined with DOM's). */
interface WorkerScope {
  postMessage(message: Reply, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent<Request>) => void) | null;
}
const scope = self as unknown as WorkerScope;
const post = (m: Reply, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

/** Coordinate updates per wasm call: enough for V8 to tier the kernels up, few enough to report progress and honour Stop often (docs/design.md hot-path rule). */
const CHUNK_UPDATES = 200_000;
/** Frames per message. */
const BATCH = 24;

function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof descent.DescentError) return { name: e.name, code: e.code, path: e.path, message: e.message };
  // Not a DescentError: a bug of the playground or the library; the console keeps its stack.
  console.error(e);
  const err = e instanceof Error ? e : new Error(String(e));
  return { name: err.name, code: '', path: '', message: err.message };
}

let catalog: Catalog | undefined;
const ready = descent.init().then(() => { catalog = buildCatalog(); return catalog; });

/** The run in progress, if any, and its cancellation. */
let current: { id: number; abort: AbortController } | undefined;
/** Runs happen one after another: a new run aborts the previous one and starts when it has ended. */
let queue: Promise<void> = Promise.resolve();

function contour(id: number, c: Catalog, state: Record<string, string>, nx: number, ny: number): void {
  const view = viewOf(state);
  const values = landscapeOf(c, state).valueBatch(gridPoints(view, nx, ny));
  post({ type: 'contour', id, view, nx, ny, values }, [values.buffer]);
}

/** Order statistics of the final losses of the particles that did not diverge: min, median (lower), max. */
function finalLoss(r: descent.EnsembleResult): [number, number, number] | null {
  const kept = r.loss.filter((_, p) => r.divergedAt[p] < 0).sort();
  return kept.length ? [kept[0], kept[(kept.length - 1) >> 1], kept[kept.length - 1]] : null;
}

/** Frames at F evenly spaced steps 0 = t₀ < … < t_{F−1} = T, posted in batches (the buffers are transferred, not copied). */
function postFrames(id: number, r: descent.EnsembleResult): void {
  const P = r.particles, T = r.steps, data = r.trajectories!.data, per = 2 * P;
  const total = Math.min(T + 1, MAX_FRAMES);
  for (let first = 0; first < total; first += BATCH) {
    const n = Math.min(BATCH, total - first);
    const steps = new Int32Array(n), xy = new Float64Array(n * per);
    for (let k = 0; k < n; k++) {
      steps[k] = Math.floor(((first + k) * T) / (total - 1));
      xy.set(data.subarray(steps[k] * per, (steps[k] + 1) * per), k * per);
    }
    post({ type: 'frames', id, first, total, T, particles: P, steps, xy }, [steps.buffer, xy.buffer]);
  }
}

async function simulate(id: number, c: Catalog, state: Record<string, string>, abort: AbortController): Promise<void> {
  const config = runOf(c, state);
  const chunkSize = Math.max(1, Math.floor(CHUNK_UPDATES / (2 * config.particles!)));
  const t0 = performance.now();
  const replay = config.record?.trajectories !== undefined;
  const r = replay
    ? await descent.simulate(config, {
      signal: abort.signal, chunkSize,
      onProgress: ({ step, steps }) => post({ type: 'progress', id, step, steps }),
    })
    : await runLive(id, config, abort.signal, post);
  const ms = performance.now() - t0;
  if (replay) postFrames(id, r);
  const rec = r.record;
  const quantiles: Quantiles | null = rec ? { steps: rec.steps, levels: rec.lossQuantiles.levels, values: rec.lossQuantiles.values } : null;
  const { running, diverged, stopped } = r.counts;
  post({
    type: 'done', id, hash: r.hash, particles: r.particles, steps: r.steps, counts: { running, diverged, stopped },
    finalLoss: finalLoss(r), quantiles, config: JSON.stringify(r.config), ms,
  });
}

async function handle(m: Request): Promise<void> {
  if (m.type === 'stop') {
    if (current?.id === m.id) current.abort.abort();
    return;
  }
  let c: Catalog;
  try {
    c = await ready;
  } catch (e) {
    post({ type: 'error', id: m.id, error: errorInfo(e) });
    return;
  }
  if (m.type === 'contour') {
    try {
      contour(m.id, c, m.state, m.nx, m.ny);
    } catch (e) {
      post({ type: 'error', id: m.id, error: errorInfo(e) });
    }
    return;
  }
  current?.abort.abort();
  const job = { id: m.id, abort: new AbortController() };
  current = job;
  queue = queue.then(async () => {
    if (job.abort.signal.aborted) {
      post({ type: 'stopped', id: m.id });
      return;
    }
    try {
      contour(m.id, c, m.state, m.nx, m.ny);
      await simulate(m.id, c, m.state, job.abort);
    } catch (e) {
      if (e instanceof descent.DescentError && e.code === 'E_ABORTED') post({ type: 'stopped', id: m.id });
      else post({ type: 'error', id: m.id, error: errorInfo(e) });
    } finally {
      if (current === job) current = undefined;
    }
  });
}

scope.onmessage = (ev) => void handle(ev.data);
ready.then((c) => post({ type: 'catalog', catalog: c }), (e) => post({ type: 'error', id: 0, error: errorInfo(e) }));
