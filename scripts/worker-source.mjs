// The worker program (bindings/worker-entry.ts) as one self-contained script, for esbuild's
// `define` in every bundle that contains src/workers.ts (scripts/build.mjs, build-tests.mjs,
// bench/): the library starts workers from this string (a Blob URL, or node:worker_threads with
// eval), so no bundle needs a second file beside it.
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;

/** esbuild `define` entries: `__DESCENT_WORKER__` → the worker script as a JS string literal. */
export async function workerDefine() {
  const out = await build({
    entryPoints: [`${root}bindings/worker-entry.ts`], bundle: true, write: false, format: 'iife',
    platform: 'neutral', target: 'es2022', minify: true, legalComments: 'none', logLevel: 'warning',
  });
  return { __DESCENT_WORKER__: JSON.stringify(out.outputFiles[0].text) };
}
