// Tests descent as a consumer meets it: `npm pack` the repo, install the tarball into a fresh
// temporary project (no network: descent has no runtime dependencies), then
//   1. `import * as descent from 'descent'` in Node, Deno and Bun computes a known value;
//   2. `descent/inline` works with no file access (Deno without --allow-read);
//   3. a strict TypeScript consumer type-checks good calls and rejects bad ones;
//   4. plots: the core builds plot specs with nothing else installed (vega and vega-lite are
//      optional peer dependencies, not installed with descent); `descent/plots` cannot render
//      without them (the control: a DescentError saying what to install), and renders an SVG once they are there; `descent plot` (the
//      bin, vega bundled in) draws from a result with nothing else installed.
//   5. tree-shaking: an application that uses init, one landscape, sgd and simulate from
//      descent/simulate bundles (esbuild, minified) to at most SHAKEN_BOUND bytes plus the .wasm,
//      one that uses init and one landscape to at most LANDSCAPE_BOUND, and the same application
//      with descent's simulate (JSON forms and workers: every factory and the worker program) to
//      at most FULL_BOUND — against everything (the control) printed beside them;
//   6. the tarball: ≤ 3 MB unpacked, no source maps, no lifecycle scripts in its package.json; its
//      README lists every error code and model and says minimize is async;
//      `npm run demo` right after a build does not build again.
// Prints one line per check and ends with `N passed, N failed`. Usage: node scripts/test-package.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// Most bytes (esbuild --minify) of an application using init, one landscape, sgd and simulate
// (descent/simulate's; descent's), and of one using init and one landscape: each the size measured
// when it was set (issue 21) rounded up to the KB, so that growth is seen. Last set (to 54, 160
// and 16 KB) when descent/simulate came to refuse shards as it refuses workers, after the engine
// came to tell a stale .wasm by one hash of its export names and the resident arena of dense
// operators left the heap for a module of its own.
const SHAKEN_BOUND = 54 * 1024;
const FULL_BOUND = 160 * 1024;
const LANDSCAPE_BOUND = 16 * 1024;
const bin = (name) => join(root, 'node_modules/.bin', name);
const dir = mkdtempSync(join(tmpdir(), 'descent-pack-'));
let passed = 0, failed = 0;

function check(name, cmd, args, { cwd = dir, expect, env, ok = 0, setup } = {}) {
  setup?.();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', ...env } });
  const out = (r.stdout ?? '') + (r.stderr ?? '');
  const good = (ok === 'nonzero' ? r.status !== 0 : r.status === ok) && (!expect || expect.every((e) => out.includes(e)));
  if (good) passed++; else failed++;
  console.log(`${good ? '✓' : '✘'} package: ${name}${good ? '' : `\n  exit ${r.status}\n${out.split('\n').map((l) => '  | ' + l).join('\n')}`}`);
}

try {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const tgz = packed.filename;
  // A lean tarball (issue 21): at most 3 MB unpacked (npm's decimal MB), and no source maps.
  const maps = packed.files.filter((f) => f.path.endsWith('.map')).map((f) => f.path);
  const lean = packed.unpackedSize <= 3e6 && maps.length === 0;
  if (lean) passed++; else failed++;
  console.log(`${lean ? '✓' : '✘'} package: the tarball unpacks to ≤ 3 MB with no source maps (${(packed.unpackedSize / 1e6).toFixed(2)} MB, ${packed.files.length} files${maps.length ? `; maps: ${maps.join(', ')}` : ''})`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--offline', join(dir, tgz)], { cwd: dir, stdio: 'inherit' });

  // The published package.json runs nothing on a consumer's machine: no install or prepare hook
  // (npm runs `prepare` for git and local-folder installs, and all of these for the package itself).
  const LIFECYCLE = ['preinstall', 'install', 'postinstall', 'preuninstall', 'uninstall', 'postuninstall', 'prepublish', 'preprepare', 'prepare', 'postprepare', 'prepack', 'postpack', 'prepublishOnly', 'publish', 'postpublish', 'dependencies'];
  const published = JSON.parse(readFileSync(join(dir, 'node_modules/descent/package.json'), 'utf8'));
  const hooks = LIFECYCLE.filter((k) => published.scripts && k in published.scripts);
  if (hooks.length === 0) passed++; else failed++;
  console.log(`${hooks.length === 0 ? '✓' : '✘'} package: the published package.json has no lifecycle scripts${hooks.length ? ` (has ${hooks.join(', ')})` : ''}`);

  const program = `import * as descent from 'descent';
await descent.init();
const f = descent.landscapes.rosenbrock({ dim: 3 });
console.log('value', f.value([0, 0, 0]), 'grad', Array.from(f.grad([0, 0, 0])).join(','), descent.version);`;
  writeFileSync(join(dir, 'main.mjs'), program);
  writeFileSync(join(dir, 'inline.mjs'), program.replace("from 'descent'", "from 'descent/inline'"));
  const expect = ['value 2 grad -2,-2,0'];
  check('node imports descent', process.execPath, ['main.mjs'], { expect });
  check('deno imports descent (node_modules)', bin('deno'), ['run', '--no-prompt', '--node-modules-dir=manual', '--no-lock', '--allow-read=.', '--allow-env', 'main.mjs'], { expect });
  check('bun imports descent', bin('bun'), ['main.mjs'], { expect });
  // The CLI (package.json "bin") runs from the installed tarball: cac and cli-progress are bundled in, not dependencies.
  check('the descent CLI (bin) runs from the installed package', join(dir, 'node_modules/.bin/descent'), ['--version'], { expect: [`descent/${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}`] });
  check('descent/inline needs no file access (deno, no --allow-read for the wasm)', bin('deno'), ['run', '--no-prompt', '--node-modules-dir=manual', '--no-lock', '--allow-read=./node_modules/descent/package.json,./node_modules', '--deny-read=./node_modules/descent/build/descent.wasm', '--allow-env', 'inline.mjs'], { expect });

  check('…while the default build under the same denial cannot load (the control)', bin('deno'), ['run', '--no-prompt', '--node-modules-dir=manual', '--no-lock', '--allow-read=./node_modules/descent/package.json,./node_modules', '--deny-read=./node_modules/descent/build/descent.wasm', '--allow-env', 'main.mjs'], { ok: 'nonzero', expect: ['could not load descent.wasm'] });

  // Plots: specs from the core alone; descent/plots needs vega and vega-lite.
  const specProgram = `import * as descent from 'descent';
const spec = descent.plots.lossHistogram({ loss: [0.5, 1, 1.5, 2, 9] }, { bins: 4 });
console.log('bars', spec.data.values.map((b) => b.count).join(','), spec.$schema);`;
  writeFileSync(join(dir, 'spec.mjs'), specProgram);
  const vegaInstalled = existsSync(join(dir, 'node_modules/vega')) || existsSync(join(dir, 'node_modules/vega-lite'));
  if (vegaInstalled) failed++; else passed++;
  console.log(`${vegaInstalled ? '✘' : '✓'} package: installing descent installs neither vega nor vega-lite (optional peer dependencies)`);
  check('plot specs from the core with no vega installed', process.execPath, ['spec.mjs'], { expect: ['bars 4,0,0,1 https://vega.github.io/schema/vega-lite/v6.json'] });
  writeFileSync(join(dir, 'svg.mjs'), `import * as descent from 'descent';
import { toSVG } from 'descent/plots';
const svg = await toSVG(descent.plots.lossHistogram({ loss: [0.5, 1, 1.5, 2, 9] }, { bins: 4 }));
console.log(svg.slice(0, 4), (svg.match(/aria-roledescription="rect mark"/g) ?? []).length, 'bars');`);
  check('…descent/plots without vega installed fails with E_DEPENDENCY, saying what to install (the control)', process.execPath, ['svg.mjs'], { ok: 'nonzero', expect: ['E_DEPENDENCY', 'npm install vega'] });
  check('the descent CLI draws a plot from the installed package with nothing else installed (vega bundled in the bin)', join(dir, 'node_modules/.bin/descent'), ['plot', join(dir, 'basins.json')], { expect: ['<svg'], setup: () => writeFileSync(join(dir, 'basins.json'), JSON.stringify([{ lr: 0.1, k: 3, n: 10 }])) });
  // Installed as a consumer would have them (linked from this repo's node_modules: no network, no cache).
  for (const p of ['vega', 'vega-lite']) symlinkSync(join(root, 'node_modules', p), join(dir, 'node_modules', p), 'dir');
  check('descent/plots renders an SVG once vega and vega-lite are installed', process.execPath, ['svg.mjs'], { expect: ['<svg 4 bars'] });

  mkdirSync(join(dir, 'ts'), { recursive: true });
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], skipLibCheck: false, types: [] }, include: ['ts'] }));
  writeFileSync(join(dir, 'ts/good.ts'), `import * as descent from 'descent';
import { toSVG } from 'descent/plots';
await descent.init({ memoryLimit: 1 << 26 });
const f: descent.Landscape = descent.landscapes.quadratic({ eigenvalues: [1, 2], seed: 3 });
const g: Float64Array = f.grad([1, 2]);
const spec: descent.plots.PlotSpec = descent.plots.basinProbability([{ lr: 0.1, k: 3, n: 10 }], { xScale: 'log' });
const svg: Promise<string> = toSVG(spec, { precision: 1 });
const v: number = descent.landscapes.rosenbrock({ dim: 4, a: 1 }).value(new Float64Array(4));
const e: descent.DescentErrorCode = 'E_CONFIG';
export { g, v, e, svg };
`);
  check('a strict TypeScript consumer type-checks good calls', bin('tsc'), ['-p', '.'], {});
  writeFileSync(join(dir, 'ts/bad.ts'), `import * as descent from 'descent';
descent.landscapes.rosenbrock({ dimension: 4 });
`);
  check('…and rejects an unknown option at compile time', bin('tsc'), ['-p', '.'], { ok: 'nonzero', expect: ["'dimension' does not exist"] });

  // Tree-shaking (issue 21): the package is one ESM file per module (scripts/esm-tree.mjs), so a
  // bundler keeps only what an application imports. Sizes are esbuild --minify bundles for a
  // browser; the .wasm is fetched beside them and not counted. The bounds are sizes, not timings.
  const bundled = (name, source) => {
    writeFileSync(join(dir, `${name}.mjs`), source);
    execFileSync(bin('esbuild'), [`${name}.mjs`, '--bundle', '--minify', '--format=esm', '--platform=browser', '--external:node:*', `--outfile=${name}.out.mjs`, '--log-level=error'], { cwd: dir });
    return readFileSync(join(dir, `${name}.out.mjs`)).length;
  };
  const run = `await init();
const r = await simulate({ landscape: himmelblau(), optimizer: sgd({ lr: 0.01 }), init: point({ x: [0, 0] }), particles: 10, steps: 10, seed: 1 });
console.log(r.hash);`;
  const parts = `import { himmelblau } from 'descent/landscapes';
import { sgd } from 'descent/optimizers';
import { point } from 'descent/inits';`;
  const sizes = {
    everything: bundled('everything', "import * as descent from 'descent';\nconsole.log(descent);"),
    shaken: bundled('shaken', `import { init } from 'descent';\nimport { simulate } from 'descent/simulate';\n${parts}\n${run}`),
    full: bundled('full', `import { init, simulate } from 'descent';\n${parts}\n${run}`),
    namespaces: bundled('namespaces', `import { init, simulate, landscapes, optimizers, inits } from 'descent';
const { himmelblau } = landscapes, { sgd } = optimizers, { point } = inits;
${run}`),
    landscape: bundled('landscape', "import { init } from 'descent';\nimport { himmelblau } from 'descent/landscapes';\nawait init();\nconsole.log(himmelblau().value([3, 2]));"),
  };
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  // What the lean application does not use is not in its bundle: the kinds it never makes pack
  // and check themselves (their factories register that code), so none of their messages is there,
  // nor the code that packages a shard (descent/simulate refuses shards).
  const unused = ['samplers.underdamped.integrator', 'omitted with samplers.svgd', 'noise.zerothOrder.sigma',
    'label noise only with a finite-sum model', 'schedules.cosine.warmup', 'needs a Fisher matrix', 'permK splits the coordinates',
    'with optimizers.sme (the diffusion', 'its Metropolis test needs exact values', 'descent.shard'];
  const leanCode = readFileSync(join(dir, 'shaken.out.mjs'), 'utf8');
  const carried = unused.filter((text) => leanCode.includes(text));
  const absent = carried.length === 0 && unused.every((text) => readFileSync(join(dir, 'everything.out.mjs'), 'utf8').includes(text));
  if (absent) passed++; else failed++;
  console.log(`${absent ? '✓' : '✘'} package: the lean application's bundle holds no code of the samplers, noise models, schedules and optimiser checks it does not use, nor of shards (${unused.length} of their messages absent, all present in everything's)${carried.length ? `; carried: ${carried.join(' | ')}` : ''}`);
  const shaken = sizes.shaken <= SHAKEN_BOUND && sizes.full <= FULL_BOUND && sizes.landscape <= LANDSCAPE_BOUND && sizes.everything > 2 * sizes.shaken;
  if (shaken) passed++; else failed++;
  console.log(`${shaken ? '✓' : '✘'} package: tree-shaking — init + one landscape + sgd + simulate from descent/simulate bundles to ${kb(sizes.shaken)} (bound ${kb(SHAKEN_BOUND)}), ` +
    `with descent's simulate to ${kb(sizes.full)} (bound ${kb(FULL_BOUND)}; ${kb(sizes.namespaces)} through the descent.* namespaces), ` +
    `init + one landscape to ${kb(sizes.landscape)} (bound ${kb(LANDSCAPE_BOUND)}), everything to ${kb(sizes.everything)}, each + the .wasm`);

  // The README (shipped in the tarball) documents what the package has: every error code of the
  // DescentErrorCode union (bindings/errors.ts) in its Errors section, every model kind in its
  // model list, and that minimize returns a Promise.
  const readme = readFileSync(join(dir, 'node_modules/descent/README.md'), 'utf8');
  const section = (title) => readme.slice(readme.indexOf(`### ${title}`), readme.indexOf('\n### ', readme.indexOf(`### ${title}`) + 4));
  const errorsTs = readFileSync(join(root, 'bindings/errors.ts'), 'utf8');
  const union = errorsTs.match(/export type DescentErrorCode =([\s\S]*?'E_[A-Z_]+');/)?.[1] ?? '';
  const codes = [...union.matchAll(/\| '(E_[A-Z_]+)'/g)].map((m) => m[1]);
  const { models } = await import(join(dir, 'node_modules/descent/build/esm/src/index.js'));
  const missing = [
    ...codes.filter((c) => !section('Errors').includes(`\`${c}\``)),
    ...models.kinds.filter((k) => !section('Models').includes(`\`${k}\``)),
    ...(/`descent\.minimize\([^`]*`[^.]*\.[^.]*async/.test(readme) ? [] : ['minimize is async']),
  ];
  const documented = codes.length >= 10 && missing.length === 0;
  if (documented) passed++; else failed++;
  console.log(`${documented ? '✓' : '✘'} package: the README lists all ${codes.length} error codes and ${models.kinds.length} models and says minimize is async${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`);

  // `npm run demo` builds only when stale: the second of two `--if-stale` builds does nothing.
  const demo = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.demo;
  execFileSync(process.execPath, ['scripts/build.mjs', '--no-types', '--if-stale'], { cwd: root, stdio: 'ignore' });
  check('npm run demo rebuilds only when a source changed (build --if-stale right after a build does nothing)', process.execPath, ['scripts/build.mjs', '--no-types', '--if-stale'], { cwd: root, expect: ['up to date'], setup: () => { if (!demo.includes('--if-stale')) throw new Error(`the demo script always rebuilds: ${demo}`); } });
} catch (error) {
  failed++;
  console.log(`✘ package: could not pack or install: ${error.message}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
