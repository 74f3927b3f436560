// The program every descent worker runs: one message in (the module, a run spec and the blocks
// this worker owns), then one message per chunk (each record row's summary over the owned
// blocks) and a last one with the final state's summary (and the owned particles' final state
// when asked). The main thread (src/workers.ts, src/summary.ts) merges them in block order.
// Nothing here decides a number: the worker runs the same kernels on the same blocks as a
// single-instance run would.
//
// scripts/worker-source.mjs bundles this file into one self-contained script (no imports), which
// the library embeds as a string and starts as a Blob-URL Web Worker (browsers, Deno, Bun) or an
// eval'd node:worker_threads Worker (Node; the host sets globalThis.__descentPort first).

import { linkInto } from './linked.ts';
import { Heap } from './memory.ts';
import { Ensemble, type BlockRange, type ChunkPieces, type EnsembleSpec, type FinalPiece, type RowPiece } from './ensemble.ts';
import type { DescentExports } from './exports.ts';
import { DescentError } from './errors.ts';

/** Faults a test can inject into a worker (src/testing.ts). */
export type WorkerFault = 'throw' | 'trap' | 'exit' | 'oom' | 'pressure';

/** The one message a worker receives. */
export interface WorkerJob {
  type: 'run';
  /** Module bytes (compiled here) or a compiled module. */
  wasm: ArrayBuffer | WebAssembly.Module;
  spec: EnsembleSpec & { blocks: BlockRange };
  steps: number;
  /** Steps per wasm call. */
  chunk: number;
  /** Heap limit in bytes. */
  memoryLimit: number;
  /** Send every owned particle's final state. */
  keep: boolean;
  /** Test hook: fail in this way during the first chunk. */
  fault?: WorkerFault;
}

/** Sent to a worker that asked for room ('pressure') once the main thread has collected its garbage. */
export interface WorkerRetry {
  type: 'retry';
}

/** Messages a worker sends. */
export type WorkerMessage =
  | { type: 'pressure'; attempt: number }
  | { type: 'chunk'; k: number; step: number; pieces: ChunkPieces }
  | { type: 'done'; final: FinalPiece }
  | { type: 'error'; code: string; message: string; path: string };

interface NodePort {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  on(event: 'message', listener: (data: unknown) => void): void;
}
interface WorkerScope {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

const g = globalThis as unknown as { __descentPort?: NodePort; process?: { exit(code: number): never } } & WorkerScope;
const port = g.__descentPort;

function send(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  if (port) port.postMessage(message, transfer);
  else g.postMessage(message, transfer);
}

function fail(error: unknown): void {
  if (error instanceof DescentError) {
    send({ type: 'error', code: error.code, message: error.message, path: error.path });
  } else if (error instanceof WebAssembly.RuntimeError) {
    send({ type: 'error', code: 'E_TRAP', message: `the wasm module trapped (${error.message})`, path: '' });
  } else {
    send({ type: 'error', code: 'E_WORKER', message: String((error as Error)?.stack ?? error), path: '' });
  }
}

let retried: (() => void) | undefined;

/**
 * Instantiate; when the runtime cannot reserve memory for the instance (RangeError), ask the
 * main thread to collect its dead instances (relieveMemoryPressure) and try again, 4 times.
 */
async function instantiate(module: WebAssembly.Module, fault?: WorkerFault): Promise<WebAssembly.Instance> {
  for (let attempt = 1; ; attempt++) {
    try {
      if (fault === 'pressure' && attempt <= 2) throw new RangeError('injected: cannot allocate wasm memory');
      return await WebAssembly.instantiate(module, {});
    } catch (error) {
      if (!(error instanceof RangeError) || attempt > 4) throw error;
      const answered = new Promise<void>((resolve) => { retried = resolve; });
      send({ type: 'pressure', attempt });
      await answered;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
    }
  }
}

async function run(job: WorkerJob): Promise<void> {
  const module = job.wasm instanceof WebAssembly.Module ? job.wasm : await WebAssembly.compile(job.wasm);
  const instance = await instantiate(module, job.fault);
  const exports = instance.exports as unknown as DescentExports;
  const live = { exports, heap: new Heap(exports.memory, exports.heapBase(), job.memoryLimit) };
  if (job.fault === 'oom') live.heap.limit = 1024;
  linkInto(live, job.spec.landscape.links ?? []); // an expression's module, at the slots the main thread chose
  const ens = new Ensemble(live, job.spec);
  for (let k = 0, t0 = 0; t0 < job.steps; k++, t0 += job.chunk) {
    if (job.fault === 'throw') setTimeout(() => { throw new Error('injected worker fault'); }, 0);
    if (job.fault === 'throw') return;
    if (job.fault === 'exit') {
      if (g.process) g.process.exit(7);
      g.close();
      return;
    }
    if (job.fault === 'trap') exports.landscapeValue(0x7fffffff, 0, 1, 1, 0, 8, 8, 0, 0); // unknown kind → unreachable
    const t1 = Math.min(job.steps, t0 + job.chunk);
    const pieces = ens.advance(t0, t1);
    send({ type: 'chunk', k, step: t1, pieces }, pieces.rows.flatMap(buffers));
  }
  const f = ens.finish(job.steps, job.keep);
  const p = f.particles;
  send({ type: 'done', final: f }, [
    ...buffers(f.summary), f.trajectories.buffer as ArrayBuffer, ...(f.sharpness ? [f.sharpness.buffer as ArrayBuffer] : []),
    ...(p ? [p.x, p.loss, p.status, p.event, p.region, ...(p.accepted ? [p.accepted] : [])].map((a) => a.buffer as ArrayBuffer) : []),
  ]);
}

/** The buffers of a row summary (each array owns its buffer: transferred, not copied). */
function buffers(r: RowPiece): ArrayBuffer[] {
  return [r.h, r.i, r.data, r.keys, r.counts, r.hist, ...(r.xhist ? [r.xhist] : [])].map((a) => a.buffer as ArrayBuffer);
}

function onJob(data: unknown): void {
  if ((data as WorkerRetry)?.type === 'retry') {
    retried?.();
    return;
  }
  run(data as WorkerJob).catch(fail);
}

if (port) port.on('message', onJob);
else g.onmessage = (event) => onJob(event.data);
