/**
 * @internal Hooks for descent's own test suite; not part of the public API and may change.
 */
import { run, instanceGeneration, settled, load, moduleForWorkers } from '../bindings/engine.ts';
import { KERNEL_KIND_COUNT } from '../bindings/kinds.ts';
import { fusedKernels } from '../bindings/ensemble.ts';
import { elaborate } from './expression/graph.ts';
export { setSegmentCoordinates } from './scale.ts';
/** How error messages render a value (never throws). */
export { describe } from './errors.ts';

/** Make the module trap (an invalid landscape kind reaches `unreachable`). */
export function trap(): void {
  run('testing.trap', ({ exports, heap }) => {
    const p = heap.allocF64(4);
    exports.landscapeValue(0x7fffffff, p, 1, 1, p, 8, 8, p, p);
  });
}

/** Number of wasm instances made so far (changes when a trap replaces the instance). */
export const generation = instanceGeneration;

/** Wait for an asynchronous instance replacement, if one is pending. */
export const ready = settled;

/** Landscape kinds the bindings know, and the count the module reports. */
export function kindCounts(): { bindings: number; module: number } {
  return run('testing.kindCounts', ({ exports }) => ({ bindings: KERNEL_KIND_COUNT, module: exports.landscapeKindCount() }));
}

/** Bytes currently allocated on the bindings' heap (0 between calls: every call frees its memory). */
export function heapUsed(): number {
  return run('testing.heapUsed', ({ heap }) => heap.used);
}

/**
 * Make a worker of the next `simulate(…, { workers })` run fail: 'throw' (uncaught error), 'trap', 'exit', 'oom'; or 'pressure': its first
 * two instantiations fail as if out of address space (it must recover).
 */
export { injectWorkerFault } from './workers.ts';

/** Compile a module source the way init() does, without installing it (returns the module). */
export async function compileSource(source: Parameters<typeof load>[0]): Promise<WebAssembly.Module> {
  return (await load(source)).module;
}

/** The bytes of the module init() loaded (a copy, as workers get them). */
export async function moduleBytes(): Promise<ArrayBuffer> {
  const m = await moduleForWorkers('testing.moduleBytes');
  if (!(m instanceof ArrayBuffer)) throw new Error('init() was given a compiled module: no bytes kept');
  return m;
}

/**
 * Turn the fused block kernels (assembly/run/fused.ts) off or on for runs made in this realm, so a
 * test can run the same configuration through the general pipeline and compare bits (workers keep
 * them on: run with workers 0).
 */
export function setFusedKernels(on: boolean): void {
  fusedKernels.on = on;
}

/**
 * The fused kernel the last ensemble built in this realm ran through: 0 for the general pipeline, else landscape·16 + rule·2 + noisy
 * (assembly/run/fused.ts fusedCase).
 */
export function lastFusedCase(): number {
  return fusedKernels.lastCase;
}

/** Distinct nodes of an expression's graph (bench/expression.mjs reports the size it compiles). */
export function expressionNodes(expr: string, dim: number, params: Record<string, number> = {}): number {
  return elaborate(expr, dim, params, 'expression.expr').size;
}
