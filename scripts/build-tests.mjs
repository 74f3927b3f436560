// npm run build:test: bundle every test/*.test.ts into one ESM file per platform — the same test
// files for every runtime — with fixtures inlined:
//   build/test/node.mjs     Node, Deno, Bun (reads descent.wasm beside itself)
//   build/test/browser.mjs  Chromium, Firefox (fetches descent.wasm beside itself)
// Needs build/descent.wasm (npm run build).
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { build } from 'esbuild';
import { workerDefine } from './worker-source.mjs';

const root = new URL('..', import.meta.url).pathname;
const files = readdirSync(`${root}test`).filter((f) => f.endsWith('.test.ts')).sort();
const entry = files.map((f) => `import './${f}';`).join('\n');
mkdirSync(`${root}build/test`, { recursive: true });
copyFileSync(`${root}build/descent.wasm`, `${root}build/test/descent.wasm`);

const common = {
  stdin: { contents: entry, resolveDir: `${root}test`, sourcefile: 'all-tests.ts', loader: 'ts' },
  bundle: true, format: 'esm', sourcemap: 'inline', logLevel: 'warning',
  // package.json says "sideEffects": false (true of the library); test files are nothing but side effects.
  ignoreAnnotations: true,
  define: await workerDefine(), // the worker program src/workers.ts starts
};
await Promise.all([
  build({ ...common, platform: 'node', target: 'node20', outfile: `${root}build/test/node.mjs` }),
  build({ ...common, platform: 'browser', target: 'es2022', external: ['node:*'], outfile: `${root}build/test/browser.mjs` }),
]);
process.stderr.write(`build:test: ${files.length} test files → build/test/{node,browser}.mjs\n`);
