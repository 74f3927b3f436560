/**
 * The worker program (bindings/worker-entry.ts bundled into one script), which the build puts
 * here as the string `__DESCENT_WORKER__` (scripts/worker-source.mjs). Its own module, imported
 * by src/workers.ts only when a run starts workers, so an application that never uses workers
 * does not carry its ~18 KB (a bundler splits this module off, or drops it).
 */
declare const __DESCENT_WORKER__: string | undefined;

/** The worker program's source, or undefined in a copy loaded from source (no build step ran). */
export const workerProgram: string | undefined = typeof __DESCENT_WORKER__ === 'string' ? __DESCENT_WORKER__ : undefined;
