// npm run build: compile assembly/ to build/descent.wasm with asc (-O3, SIMD, AssemblyScript's
// own Math, no relaxed SIMD), then bundle src/ with esbuild for Node/Deno/Bun, for browsers
// (fetching descent.wasm beside the bundle) and for browsers with the .wasm inlined, and emit
// type declarations. Usage: node scripts/build.mjs [--no-types]
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { workerDefine } from './worker-source.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => `${root}node_modules/.bin/${name}`;
const step = (what) => process.stderr.write(`build: ${what}\n`);

mkdirSync(`${root}build`, { recursive: true });

step('asc assembly/index.ts → build/descent.wasm');
execFileSync(bin('asc'), ['assembly/index.ts', '--target', 'release'], { cwd: root, stdio: 'inherit' });

// The worker program is embedded as a string (src/workers.ts starts it from a Blob URL or eval).
const define = await workerDefine();
const common = { entryPoints: [`${root}src/index.ts`], bundle: true, format: 'esm', sourcemap: true, logLevel: 'warning', legalComments: 'none', define };
step('esbuild → build/descent.node.mjs, descent.browser.mjs, descent.inline.mjs, descent.cli.mjs, descent.plots.mjs');
await Promise.all([
  build({ ...common, platform: 'node', target: 'node20', outfile: `${root}build/descent.node.mjs` }),
  build({ ...common, platform: 'browser', target: 'es2022', external: ['node:*'], outfile: `${root}build/descent.browser.mjs` }),
  build({ ...common, platform: 'browser', target: 'es2022', external: ['node:*'], conditions: ['descent-inline'], loader: { '.wasm': 'binary' }, outfile: `${root}build/descent.inline.mjs` }),
  // The CLI (package.json "bin") with cac and cli-progress bundled in: the package keeps no
  // runtime dependencies. cli-progress is CommonJS and requires node builtins, hence `require`.
  build({
    ...common, entryPoints: [`${root}src/cli/bin.ts`], platform: 'node', target: 'node20', outfile: `${root}build/descent.cli.mjs`,
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __descentRequire } from 'node:module';\nconst require = __descentRequire(import.meta.url);" },
    // vega and vega-lite (descent plot) are bundled too; vega-canvas's optional `canvas` is not used (SVG only).
    external: ['canvas'],
  }),
  // `descent/plots` (src/plots/render.ts): specs → SVG. vega and vega-lite stay imports (optional
  // peer dependencies of the package), so the core bundles above never carry them.
  build({ ...common, entryPoints: [`${root}src/plots/render.ts`], platform: 'neutral', target: 'es2022', external: ['vega', 'vega-lite'], outfile: `${root}build/descent.plots.mjs` }),
]);
chmodSync(`${root}build/descent.cli.mjs`, 0o755);

if (!process.argv.includes('--no-types')) {
  step('tsc → build/types (declarations)');
  rmSync(`${root}build/types`, { recursive: true, force: true });
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // The public entry's declarations, at a stable path for package.json "types".
  writeFileSync(`${root}build/descent.d.ts`, "export * from './types/src/index.js';\n");
}
step('done');
