/**
 * Workers for `simulate(config, { workers })`: a run's (or a segment's) particle blocks are split
 * into contiguous ranges, one per worker; each worker has its own wasm instance holding only its
 * blocks and runs them with the same kernels, posting each record row's mergeable summary after
 * every chunk and its final state's summary (and, if asked, its particles' final state) at the
 * end. The caller adds them in block order to one accumulator (src/summary.ts; docs/design.md,
 * determinism contract 3–4), so the result is bit-identical to a single-instance run.
 *
 * Hosts: Web Workers from a Blob URL in browsers, Deno and Bun; `node:worker_threads` (eval) in
 * Node. The worker program is embedded in the bundle as a string (scripts/worker-source.mjs), so
 * nothing beside the bundle is loaded. A page whose Content-Security-Policy forbids `blob:`
 * workers cannot use `workers` (the run fails with E_WORKER saying so).
 *
 * Failure rules: a worker that throws, traps, runs out of memory, exits or cannot start fails the
 * run with a DescentError (its own code, e.g. E_TRAP or E_MEMORY, else E_WORKER); the run never
 * waits on a dead worker; every worker is terminated when the run ends, fails or is aborted.
 */
import { moduleForWorkers, relieveMemoryPressure } from '../bindings/engine.ts';
import type { BlockRange, ChunkPieces, EnsembleSpec, FinalPiece } from '../bindings/ensemble.ts';
import type { WorkerFault, WorkerJob, WorkerMessage, WorkerRetry } from '../bindings/worker-entry.ts';
import { DescentError, invalid, type DescentErrorCode } from './errors.ts';

/** `workers` option: a count, or `'auto'` for the cores the runtime reports. */
export type WorkersOption = number | 'auto';

let fault: { kind: WorkerFault; worker: number } | undefined;

/** @internal Test hook (src/testing.ts): make worker `worker` of the next run fail this way. */
export function injectWorkerFault(kind: WorkerFault | undefined, worker = 0): void {
  fault = kind === undefined ? undefined : { kind, worker };
}

/** Validate a `workers` option (undefined: run in this thread). */
export function checkWorkers(v: unknown, path: string): WorkersOption | undefined {
  if (v === undefined || v === 'auto') return v;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 256)
    throw invalid('E_CONFIG', path, "an integer from 1 to 256, or 'auto'", v);
  return v;
}

/** Cores available to this runtime (navigator.hardwareConcurrency, or os.availableParallelism in Node 20). */
export async function availableCores(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav?.hardwareConcurrency && nav.hardwareConcurrency > 0) return nav.hardwareConcurrency;
  try {
    const os = await import('node:os');
    return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  } catch {
    return 1;
  }
}

/** Resolve `'auto'` and cap the count at the number of blocks (a worker gets at least one block). */
export async function workerCount(v: WorkersOption, blocks: number): Promise<number> {
  const n = v === 'auto' ? await availableCores() : v;
  return Math.max(1, Math.min(n, blocks));
}

/** Split blocks [first, end) into n contiguous ranges of near-equal size (earlier ones no larger), in block order. */
export function splitBlocks(range: BlockRange, n: number): BlockRange[] {
  const size = range.end - range.first;
  return Array.from({ length: n }, (_, i) => ({
    first: range.first + Math.floor((i * size) / n),
    end: range.first + Math.floor(((i + 1) * size) / n),
  }));
}

interface Host {
  post(message: WorkerJob | WorkerRetry): void;
  terminate(): void;
}

interface Events {
  message(data: WorkerMessage): void;
  error(message: string): void;
  exit(code: number): void;
}

async function spawn(events: Events): Promise<Host> {
  const source = (await import('./worker-program.ts')).workerProgram;
  if (source === undefined) {
    throw new DescentError(
      'E_WORKER',
      'workers need the bundled library (build/descent.*.mjs): this copy was loaded from source, without the embedded worker program',
    );
  }
  const WebWorker = (globalThis as { Worker?: new (url: string, options?: { type?: string; name?: string }) => WebWorkerLike }).Worker;
  if (typeof WebWorker === 'function') {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    // Revoked once the worker has spoken (its script has certainly loaded) or is terminated:
    // not at once (hosts fetch the script asynchronously), and not by a timer (it would keep
    // Deno and Bun alive after the run).
    let revoked = false;
    const revoke = () => {
      if (!revoked) {
        revoked = true;
        URL.revokeObjectURL(url);
      }
    };
    let w: WebWorkerLike;
    try {
      w = new WebWorker(url, { type: 'module', name: 'descent' });
    } catch (error) {
      revoke();
      throw error;
    }
    w.onmessage = (e) => {
      revoke();
      events.message(e.data as WorkerMessage);
    };
    w.onmessageerror = () => events.error('a message from the worker could not be deserialised');
    w.onerror = (e) => {
      e.preventDefault?.(); // Deno would otherwise re-throw it in this thread
      events.error(oneLine(e.message || 'uncaught error'));
    };
    return {
      post: (m) => w.postMessage(m),
      terminate: () => {
        w.terminate();
        revoke();
      },
    };
  }
  const threads = await import('node:worker_threads').catch(() => undefined);
  if (!threads) throw new DescentError('E_WORKER', 'this runtime has neither Web Workers nor node:worker_threads');
  // The eval'd script is CommonJS or an ES module depending on the host's flags, which the worker
  // inherits (`node --input-type=module -e …` makes it a module, where `require` does not exist):
  // dynamic import() works in both. The port queues the job until the program listens.
  const boot = `import('node:worker_threads').then((t) => { globalThis.__descentPort = t.parentPort;\n${source}\n});`;
  const w = new threads.Worker(boot, { eval: true, name: 'descent' } as never);
  w.on('message', (m: WorkerMessage) => events.message(m));
  w.on('messageerror', () => events.error('a message from the worker could not be deserialised'));
  w.on('error', (e: Error) => events.error(oneLine(e?.message ?? String(e))));
  w.on('exit', (code: number) => events.exit(code));
  return { post: (m) => w.postMessage(m), terminate: () => void w.terminate() };
}

/**
 * One line of a host's error text: Bun's messages carry a source excerpt (of the minified worker),
 * so keep the line that names the error.
 */
function oneLine(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const named = lines.filter((l) => /^(uncaught\s+)?(\w*error|exception)\b/i.test(l));
  const line = (named.at(-1) ?? lines.at(-1) ?? 'uncaught error').replace(/^error:\s*/, '');
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

interface WebWorkerLike {
  onmessage: ((e: { data: unknown }) => void) | null;
  onmessageerror: (() => void) | null;
  onerror: ((e: { message: string; preventDefault?(): void }) => void) | null;
  postMessage(m: unknown): void;
  terminate(): void;
}

/** What {@link runInWorkers} needs besides the spec. */
export interface WorkerRun {
  steps: number;
  chunk: number;
  memoryLimit: number;
  /** Send back every particle's final state. */
  keep: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { step: number; steps: number }) => void;
}

/**
 * How a run uses workers (scale.ts), handed to it by `simulate` from `descent`, so that
 * descent/simulate, which runs in this thread, carries none of this module or the worker program.
 */
export interface WorkerPool {
  count: typeof workerCount;
  split: typeof splitBlocks;
  run: typeof runInWorkers;
}

/** The workers of `simulate`: this module's functions. */
export const workerPool: WorkerPool = { count: workerCount, split: splitBlocks, run: runInWorkers };

/**
 * Run `spec` with each range of blocks in a worker of its own. `onChunk(k, pieces)` is called
 * for chunk k once every worker has finished it, with the workers' row summaries in range order;
 * it runs in this thread, in chunk order. Resolves with each range's final piece, in range order.
 */
export async function runInWorkers(
  what: string,
  spec: EnsembleSpec,
  ranges: BlockRange[],
  run: WorkerRun,
  onChunk: (k: number, pieces: ChunkPieces[]) => void,
): Promise<FinalPiece[]> {
  const wasm = await moduleForWorkers(what);
  const n = ranges.length,
    chunks = Math.ceil(run.steps / run.chunk);
  const hosts: (Host | undefined)[] = new Array(n);
  const pending = ranges.map(() => new Map<number, ChunkPieces>());
  const finals: (FinalPiece | undefined)[] = new Array(n);
  const injected = fault;
  fault = undefined;
  let next = 0; // the next chunk to hand to onChunk
  let finished = 0;
  let settled = false;

  return new Promise<FinalPiece[]>((resolve, reject) => {
    const end = (error?: unknown) => {
      if (settled) return;
      settled = true;
      run.signal?.removeEventListener('abort', onAbort);
      for (const h of hosts) {
        try {
          h?.terminate();
        } catch {
          /* already gone */
        }
      }
      if (error) reject(error);
      else resolve(finals as FinalPiece[]);
    };
    const failWith = (i: number, code: DescentErrorCode, message: string, path = '') =>
      end(
        new DescentError(code, `${what}: worker ${i + 1} of ${n} (blocks ${ranges[i].first}–${ranges[i].end - 1}): ${message}`, { path }),
      );
    const onAbort = () =>
      end(new DescentError('E_ABORTED', `${what}: aborted at step ${Math.min(run.steps, next * run.chunk)} of ${run.steps}`));
    run.signal?.addEventListener('abort', onAbort, { once: true });
    if (run.signal?.aborted) onAbort();

    const drain = () => {
      while (next < chunks && pending.every((m) => m.has(next))) {
        const pieces = pending.map((m) => m.get(next)!);
        pending.forEach((m) => m.delete(next));
        onChunk(next, pieces);
        next++;
        run.onProgress?.({ step: Math.min(run.steps, next * run.chunk), steps: run.steps });
        if (settled) return; // onProgress may abort
      }
      if (finished === n && next === chunks) end();
    };

    ranges.forEach((range, i) => {
      const events: Events = {
        message: (m) => {
          if (settled) return;
          try {
            if (m.type === 'pressure') {
              relieveMemoryPressure();
              hosts[i]?.post({ type: 'retry' });
            } else if (m.type === 'chunk') {
              pending[i].set(m.k, m.pieces);
              drain();
            } else if (m.type === 'done') {
              finals[i] = m.final;
              finished++;
              drain();
            } else if (m.type === 'error') {
              failWith(i, (m.code as DescentErrorCode) ?? 'E_WORKER', m.message, m.path);
            }
          } catch (error) {
            end(error); // from onChunk or onProgress (a DescentError such as E_MEMORY, or the caller's own)
          }
        },
        error: (message) => {
          if (!settled) failWith(i, 'E_WORKER', `crashed: ${message}`);
        },
        exit: (code) => {
          if (!settled) failWith(i, 'E_WORKER', `exited with code ${code} before finishing its blocks`);
        },
      };
      spawn(events).then(
        (host) => {
          if (settled) {
            host.terminate();
            return;
          }
          hosts[i] = host;
          const job: WorkerJob = {
            type: 'run',
            wasm,
            spec: { ...spec, blocks: range },
            steps: run.steps,
            chunk: run.chunk,
            memoryLimit: run.memoryLimit,
            keep: run.keep,
            ...(injected && injected.worker === i ? { fault: injected.kind } : {}),
          };
          try {
            host.post(job);
          } catch (error) {
            failWith(
              i,
              'E_WORKER',
              `could not be sent its job (${(error as Error)?.message ?? error}); pass init() the module's bytes rather than a ` +
                `compiled WebAssembly.Module`,
            );
          }
        },
        (error) => {
          if (error instanceof DescentError) end(error);
          else
            failWith(
              i,
              'E_WORKER',
              `could not be started (${(error as Error)?.message ?? error}); a Content-Security-Policy must allow blob: workers`,
            );
        },
      );
    });
  });
}
