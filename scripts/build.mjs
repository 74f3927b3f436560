// npm run build: compile assembly/ to build/descent.wasm with asc (-O3, SIMD, AssemblyScript's
// own Math, no relaxed SIMD), then bundle src/ with esbuild for Node/Deno/Bun, for browsers
// (fetching descent.wasm beside the bundle) and for browsers with the .wasm inlined, and emit
// type declarations. Usage: node scripts/build.mjs [--no-types] [--if-stale]
//   --if-stale  do nothing when build/ was made from exactly the current inputs (`npm run demo`
//               right after `npm run build`): build/.inputs holds a SHA-256 over the content of
//               every input file (assembly/, bindings/, src/, this script, the configs and the
//               lockfile) — content, not mtimes, so a checkout or a copy does not fool it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { workerDefine } from './worker-source.mjs';
import { buildEsmTree } from './esm-tree.mjs';
import { dirname, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => `${root}node_modules/.bin/${name}`;
const step = (what) => process.stderr.write(`build: ${what}\n`);

const types = !process.argv.includes('--no-types');
const INPUT_DIRS = ['assembly', 'bindings', 'src'];
const INPUT_FILES = ['scripts/build.mjs', 'scripts/worker-source.mjs', 'scripts/esm-tree.mjs',
  'asconfig.json', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const OUTPUTS = ['descent.wasm', 'descent.node.mjs', 'descent.browser.mjs', 'descent.inline.mjs', 'descent.cli.mjs', 'descent.plots.mjs', 'esm/src/index.js'];
const STAMP = `${root}build/.inputs`;

/** SHA-256 over the relative path and content of every input, in sorted order. */
function inputsHash() {
  const files = [...INPUT_FILES];
  const walk = (dir) => {
    for (const e of readdirSync(`${root}${dir}`, { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel); else files.push(rel);
    }
  };
  INPUT_DIRS.forEach(walk);
  const h = createHash('sha256');
  for (const f of files.sort()) h.update(`${f}\0`).update(existsSync(`${root}${f}`) ? readFileSync(`${root}${f}`) : '').update('\0');
  return h.digest('hex');
}

const hash = inputsHash();
if (process.argv.includes('--if-stale')) {
  // The stamp is `<hash> types` after a full build, `<hash> no-types` after --no-types.
  const [stamped, kind] = existsSync(STAMP) ? readFileSync(STAMP, 'utf8').trim().split(' ') : [];
  const complete = OUTPUTS.every((f) => existsSync(`${root}build/${f}`)) && (!types || (kind === 'types' && existsSync(`${root}build/descent.d.ts`)));
  if (stamped === hash && complete) {
    step('up to date (build/.inputs matches the sources), nothing to do');
    process.exit(0);
  }
}

mkdirSync(`${root}build`, { recursive: true });
rmSync(STAMP, { force: true });

step('asc assembly/index.ts → build/descent.wasm');
execFileSync(bin('asc'), ['assembly/index.ts', '--target', 'release'], { cwd: root, stdio: 'inherit' });

// The worker program is embedded as a string (src/workers.ts starts it from a Blob URL or eval).
const define = await workerDefine();
// The package stays small (scripts/test-package.mjs bounds the unpacked tarball at 3 MB): bundles
// are minified, keeping function and class names so stack traces stay readable, with lines of at
// most 160 characters (Node and Bun print the source line of an uncaught error: one line, not the
// whole bundle), and their source
// maps are written beside them for local debugging but neither linked from the bundles nor
// published (package.json "files"), so no consumer meets a dangling sourceMappingURL.
const common = { entryPoints: [`${root}src/index.ts`], bundle: true, format: 'esm', sourcemap: 'external', minify: true, keepNames: true, lineLimit: 160, logLevel: 'warning', legalComments: 'none', define };
/**
 * The CLI imports the library from the package's own per-module tree (build/esm/, which the
 * package ships anyway) instead of carrying a second copy of it: every import from the CLI's and
 * the plot renderer's files into the rest of src/ or bindings/ becomes an import of
 * ./esm/<path>.js. Only src/cli/ and src/plots/ (with vega, cac, cli-progress, hyparquet) are
 * bundled; one copy of the library means one engine and one DescentError class (~250 KB less).
 */
const libraryFromTree = {
  name: 'library-from-esm-tree',
  setup(b) {
    const own = (path) => path.startsWith(`${root}src/cli/`) || path.startsWith(`${root}src/plots/`);
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (!own(args.importer)) return undefined;
      const target = resolve(dirname(args.importer), args.path);
      if (own(target) || !(target.startsWith(`${root}src/`) || target.startsWith(`${root}bindings/`))) return undefined;
      return { path: `./esm/${relative(root, target).replace(/\.ts$/, '.js')}`, external: true };
    });
  },
};
step('esbuild → build/descent.node.mjs, descent.browser.mjs, descent.inline.mjs, descent.cli.mjs, descent.plots.mjs');
await Promise.all([
  build({ ...common, platform: 'node', target: 'node20', outfile: `${root}build/descent.node.mjs` }),
  build({ ...common, platform: 'browser', target: 'es2022', external: ['node:*'], outfile: `${root}build/descent.browser.mjs` }),
  build({ ...common, platform: 'browser', target: 'es2022', external: ['node:*'], conditions: ['descent-inline'], loader: { '.wasm': 'binary' }, outfile: `${root}build/descent.inline.mjs` }),
  // The CLI (package.json "bin") with cac and cli-progress bundled in: the package keeps no
  // runtime dependencies. cli-progress is CommonJS and requires node builtins, hence `require`.
  build({
    ...common, entryPoints: [`${root}src/cli/bin.ts`], platform: 'node', target: 'node20', outfile: `${root}build/descent.cli.mjs`,
    // An executable, not a library: names need not survive (saves ~90 KB of the 3 MB), and its
    // handler prints one line per failure (src/cli/main.ts), so no source line of the
    // bundle is ever printed: no line limit either (~15 KB).
    keepNames: false, lineLimit: undefined,
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __descentRequire } from 'node:module';\nconst require = __descentRequire(import.meta.url);" },
    // vega and vega-lite (descent plot) are bundled too; vega-canvas's optional `canvas` is not used (SVG only).
    external: ['canvas'],
    plugins: [libraryFromTree],
  }),
  // `descent/plots` (src/plots/render.ts): specs → SVG. vega and vega-lite stay imports (optional
  // peer dependencies of the package), so the core bundles above never carry them.
  build({ ...common, entryPoints: [`${root}src/plots/render.ts`], platform: 'neutral', target: 'es2022', external: ['vega', 'vega-lite'], outfile: `${root}build/descent.plots.mjs` }),
]);
chmodSync(`${root}build/descent.cli.mjs`, 0o755);
// What the package's main entry is: one ESM file per module, which a bundler tree-shakes (scripts/esm-tree.mjs).
step(`esbuild → build/esm/ (${await buildEsmTree(root, define)} modules)`);

if (types) {
  step('tsc → build/types (declarations)');
  rmSync(`${root}build/types`, { recursive: true, force: true });
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  // The public entry's declarations, at a stable path for package.json "types".
  writeFileSync(`${root}build/descent.d.ts`, "export * from './types/src/index.js';\n");
}
writeFileSync(STAMP, `${hash} ${types ? 'types' : 'no-types'}\n`);
step('done');
