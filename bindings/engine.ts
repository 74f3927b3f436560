// The one place that instantiates descent.wasm. It compiles the module once, keeps one live
// instance with its Heap, and runs every kernel call through `run`, which turns a wasm trap into
// DescentError('E_TRAP') and replaces the instance (fresh memory), so the next call works.

import { DescentError } from './errors.ts';
import { Heap } from './memory.ts';
import { type DescentExports, EXPORTS_HASH, exportsHash } from './exports.ts';
import { defaultWasmBytes } from '#descent-wasm';

/** Anything init() accepts as the module: bytes, a fetch Response (or its promise), a URL, or a compiled module. */
export type WasmSource = BufferSource | Response | Promise<Response> | URL | WebAssembly.Module;

/**
 * Size of the main instance's fixed region (Heap.region): single-point landscape calls whose
 * parameters, scratch and vectors fit in it run there without a heap scope (bindings/landscapes.ts).
 */
export const REGION_BYTES = 64 * 1024;

/** Default ceiling on the bindings' heap: 1 GiB. */
export const DEFAULT_MEMORY_LIMIT = 1024 * 1024 * 1024;

/** A live instance: its exports and the heap that owns its memory. */
export interface Live {
  readonly exports: DescentExports;
  readonly heap: Heap;
}

let compiled: WebAssembly.Module | undefined;
/** The module's bytes, kept for workers (each compiles its own copy); undefined when init() was given a compiled Module. */
let moduleBytes: Promise<ArrayBuffer> | undefined;
let live: Live | undefined;
let memoryLimit = DEFAULT_MEMORY_LIMIT;
let loading: Promise<void> | undefined;
let replacing: Promise<void> | undefined;
let generation = 0;

/** A compiled module and its bytes (kept for workers; undefined when given a compiled Module). */
interface Loaded { module: WebAssembly.Module; bytes: Promise<ArrayBuffer> | undefined }

/**
 * Compile `source` (the default file, fetch or inlined bytes when undefined). Bytes are tested for
 * first and never go near fetch: in Node the first read of the global `Response` (even `typeof
 * Response`) loads its fetch implementation, ~20 ms, which was most of a cold init().
 */
export async function load(source: WasmSource | undefined): Promise<Loaded> {
  const s: unknown = source ?? await defaultWasmBytes();
  if (s instanceof WebAssembly.Module) return { module: s, bytes: undefined };
  if (ArrayBuffer.isView(s) || s instanceof ArrayBuffer) {
    const b = s as BufferSource;
    const bytes = Promise.resolve(copyBytes(b));
    return { module: await WebAssembly.compile(b), bytes };
  }
  if (s instanceof URL) return load(await fetch(s));
  if (s instanceof Promise || (typeof Response !== 'undefined' && s instanceof Response)) {
    const response = (await s) as Response;
    const bytes = response.clone().arrayBuffer();
    bytes.catch(() => {}); // only workers read it; they report the failure themselves
    // compileStreaming insists on Content-Type application/wasm; fall back to bytes otherwise.
    if (typeof WebAssembly.compileStreaming === 'function' &&
        (response.headers.get('content-type') ?? '').startsWith('application/wasm')) {
      return { module: await WebAssembly.compileStreaming(response), bytes };
    }
    return { module: await WebAssembly.compile(await response.arrayBuffer()), bytes };
  }
  throw new TypeError('init({ wasm }) takes bytes, a Response (or its promise), a URL or a WebAssembly.Module, ' +
    `got ${Object.prototype.toString.call(s)}`);
}

function copyBytes(b: BufferSource): ArrayBuffer {
  const view = ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b);
  return view.slice().buffer;
}

/**
 * What a worker needs to make its own instance: the module's bytes (posted to every worker,
 * which compiles them), or the compiled Module itself when init() was given one (Node and
 * browsers can post a Module; a runtime that cannot reports it as a worker failure).
 */
export async function moduleForWorkers(what: string): Promise<ArrayBuffer | WebAssembly.Module> {
  if (!compiled) await settled();
  if (!compiled) throw new DescentError('E_NOT_INITIALIZED', `${what}: call \`await descent.init()\` once before using descent`);
  return moduleBytes ? await moduleBytes : compiled;
}

function bind(instance: WebAssembly.Instance): Live {
  const exports = instance.exports as unknown as DescentExports;
  const hash = exportsHash(Object.keys(exports));
  if (hash !== EXPORTS_HASH) {
    throw new DescentError('E_WASM',
      `the .wasm given is not this descent's (or is stale): its exports (hash ${hex(hash)}) differ from the ones this copy ` +
      `was built with (${hex(EXPORTS_HASH)}); pass the descent.wasm shipped beside this bundle, or rebuild with \`npm run build\``);
  }
  generation++;
  return { exports, heap: new Heap(exports.memory, exports.heapBase(), memoryLimit, REGION_BYTES) };
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;

/** Options of {@link init}. */
export interface EngineOptions {
  /** The module to use instead of the default (file beside the bundle, fetch, or inlined bytes). */
  wasm?: WasmSource;
  /** Most bytes of wasm memory the heap may use. Default 1 GiB; at most 4 GiB (wasm32). */
  memoryLimit?: number;
}

/**
 * Load, compile and instantiate the module once; later calls return the same promise (a new
 * `memoryLimit` still applies, to this and later instances).
 */
export function start(options: EngineOptions = {}): Promise<void> {
  if (options.memoryLimit !== undefined) {
    memoryLimit = options.memoryLimit;
    if (live) live.heap.limit = memoryLimit;
  }
  loading ??= (async () => {
    try {
      const loaded = await load(options.wasm);
      // Kept only once the module proved to be descent's: a refused one must not reach workers.
      const bound = bind(await WebAssembly.instantiate(loaded.module, {}));
      compiled = loaded.module;
      moduleBytes = loaded.bytes;
      live = bound;
    } catch (cause) {
      loading = undefined; // let a later init() retry, e.g. with another source
      if (cause instanceof DescentError) throw cause;
      const hint = cause instanceof WebAssembly.CompileError
        ? 'Does this runtime support WebAssembly SIMD (Node ≥ 16.4, Deno, Bun, Chrome ≥ 91, Firefox ≥ 89, Safari ≥ 16.4)?'
        : 'Is descent.wasm next to the bundle and readable? Or import descent/inline, which carries the bytes.';
      throw new DescentError('E_WASM', `could not load descent.wasm: ${(cause as Error)?.message ?? cause}. ${hint}`, { cause });
    }
  })();
  return loading;
}

/** True once {@link start} has finished and an instance is live. */
export function ready(): boolean {
  return live !== undefined;
}

/** Counts instances made so far: it changes when a trap replaces the instance. */
export function instanceGeneration(): number {
  return generation;
}

/** Wait for any instance replacement still in progress. */
export async function settled(): Promise<void> {
  if (loading) await loading;
  if (replacing) await replacing;
}

function replace(): void {
  const old = live;
  live = undefined;
  old?.heap.resident?.evictAll(); // owners of resident blocks that hold the only copy take theirs now
  try {
    // Synchronous from an already compiled module: cheap, and allowed in every runtime we test.
    live = bind(new WebAssembly.Instance(compiled!, {}));
  } catch {
    // A host that forbids synchronous instantiation gets an asynchronous replacement.
    replacing = WebAssembly.instantiate(compiled!, {}).then((instance) => {
      live = bind(instance);
      replacing = undefined;
    });
  }
}

/**
 * A fresh instance with its own memory, for a run that keeps state across chunks (and awaits
 * between them): nothing else allocates in it, and dropping it frees everything.
 */
export async function dedicated(what: string): Promise<Live> {
  if (!compiled) await settled();
  if (!compiled) throw new DescentError('E_NOT_INITIALIZED', `${what}: call \`await descent.init()\` once before using descent`);
  const instance = await WebAssembly.instantiate(compiled, {});
  const exports = instance.exports as unknown as DescentExports;
  return { exports, heap: new Heap(exports.memory, exports.heapBase(), memoryLimit) };
}

/**
 * Called when a worker could not reserve memory for its instance (RangeError from
 * WebAssembly.instantiate: in browsers, all isolates of a process share one address-space budget
 * for wasm memories, and dead instances of this thread count until this thread collects them).
 * Reserving a memory here makes V8 collect this thread's garbage first when the budget is
 * exhausted (it retries a failed reservation after a critical-pressure GC), so the worker's
 * retry can succeed.
 */
export function relieveMemoryPressure(): void {
  try {
    new WebAssembly.Memory({ initial: 1 });
  } catch {
    // Still no room: the worker's retry will fail and say so.
  }
}

/** Call `body` on a dedicated instance, turning a trap into DescentError('E_TRAP') (the instance is then unusable). */
export function runOn<T>(live: Live, what: string, body: (live: Live) => T): T {
  try {
    return body(live);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) {
      throw new DescentError('E_TRAP', `${what}: the wasm module trapped (${error.message})`, { cause: error });
    }
    throw error;
  }
}

/** The live instance (undefined before init() or while a trap's replacement is pending): for calls that allocate nothing. */
export function current(): Live | undefined {
  return live;
}

/**
 * What a call made on `current()` without `run` throws for `error`: a trap becomes
 * DescentError('E_TRAP') and the instance is replaced, as in `run`; anything else is rethrown as is.
 */
export function trapped(what: string, error: unknown): unknown {
  if (!(error instanceof WebAssembly.RuntimeError)) return error;
  replace();
  return new DescentError('E_TRAP',
    `${what}: the wasm module trapped (${error.message}); its instance was replaced, so later calls start from fresh memory`,
    { cause: error });
}

/**
 * Run `body` against the live instance inside a heap scope: everything it allocates is freed
 * when it returns or throws. A trap becomes DescentError('E_TRAP') and the instance is replaced.
 */
export function run<T>(what: string, body: (live: Live) => T): T {
  if (!live) {
    throw new DescentError('E_NOT_INITIALIZED', loading
      ? `${what}: descent is still loading its wasm module; await descent.init() before calling it`
      : `${what}: call \`await descent.init()\` once before using descent`);
  }
  const used = live;
  const mark = used.heap.mark();
  try {
    return body(used);
  } catch (error) {
    throw trapped(what, error);
  } finally {
    if (live === used) used.heap.release(mark);
  }
}
