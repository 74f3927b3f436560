/**
 * Loading the wasm module. descent computes everything in WebAssembly, and browsers only compile
 * modules asynchronously, so there is one async step: `await descent.init()` once, before any
 * other call. It is idempotent — later calls return the same promise — and needs no arguments in
 * Node, Deno, Bun or a browser with descent.wasm beside the bundle (or with `descent/inline`).
 */
import { ready, start, type WasmSource } from '../bindings/engine.ts';
import { finite, options } from './validate.ts';

/** Options of {@link init}. */
export interface InitOptions {
  /**
   * The module, if not the default one beside the bundle: bytes, a `Response` (or its promise),
   * a `URL`, or a compiled `WebAssembly.Module`.
   */
  wasm?: WasmSource;
  /** Most bytes of wasm memory descent may use (at most 4 GiB, wasm32). Default 1 GiB. */
  memoryLimit?: number;
}

/** Load and instantiate the wasm module. Call once (more calls are harmless) before anything else. */
export function init(opts: InitOptions = {}): Promise<void> {
  const o = options<InitOptions>(opts, 'init', ['wasm', 'memoryLimit']);
  const memoryLimit = o.memoryLimit === undefined ? undefined : finite(o.memoryLimit, 'init.memoryLimit', { gt: 0, max: 4 * 1024 ** 3 });
  return start({ wasm: o.wasm, memoryLimit });
}

/** Whether {@link init} has completed. */
export function isInitialized(): boolean {
  return ready();
}
