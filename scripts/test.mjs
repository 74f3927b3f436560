// npm test: everything CI checks, in order, ending with one line `N passed, N failed`.
//   1. tsc --noEmit (strict; includes test/types.check.ts, whose @ts-expect-error lines make
//      bad calls a compile error)
//   2. npm run build, then the test bundles
//   3. the same uvu suite in Node, Deno, Bun, headless Chromium and headless Firefox, with
//      cross-runtime determinism hashes (scripts/test-runtimes.mjs)
//   4. the packed tarball as a consumer installs it (scripts/test-package.mjs)
//   5. the `descent` CLI as a subprocess (scripts/test-cli.mjs), and the browser playground in
//      Chromium (scripts/test-playground.mjs)
//   6. a real Slurm job array of a sharded run on a single-node cluster (scripts/test-slurm.sh;
//      needs root: it installs Debian's Slurm if missing, starts and stops its daemons)
//   7. every example in examples/ as a user runs it, the browser page in Chromium
//      (scripts/test-examples.mjs)
//   7b. every gallery entry (gallery/*.mjs) at reduced scale, each table row's theory asserted
//      within its tolerance (scripts/test-gallery.mjs)
//   8. the TypeDoc API reference builds with no warning (npm run docs; warnings are errors)
//   9. every bench module and bench program once in smoke mode (node bench/run.mjs --smoke):
//      small sizes, each contestant's agreement check, nothing timed — a broken contestant fails
//      here (one step; Python and gcc twins run when available, else are reported skipped)
// Each step's failures count; a step that cannot run counts as one failure.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
let passed = 0, failed = 0;

function step(name, cmd, args, { counts = false } = {}) {
  process.stdout.write(`\n=== ${name}\n`);
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const out = r.stdout ?? '';
  process.stdout.write(out.split('\n').filter((l) => !/^\d+ passed, \d+ failed$/.test(l.trim())).join('\n'));
  if (counts) {
    const m = out.trim().split('\n').pop()?.match(/^(\d+) passed, (\d+) failed$/);
    if (m) {
      passed += Number(m[1]);
      failed += Number(m[2]);
      if (r.status !== 0 && Number(m[2]) === 0) failed++;
      return r.status === 0;
    }
  }
  if (r.status === 0) passed++; else failed++;
  if (r.status !== 0) process.stdout.write(`\n✘ ${name} failed (exit ${r.status ?? r.signal})\n`);
  return r.status === 0;
}

const node = process.execPath;
step('type check (tsc --noEmit)', `${root}node_modules/.bin/tsc`, ['--noEmit', '-p', '.']);
step('format (Prettier on src) and line limit (140 columns: src, bindings, assembly)', node, ['scripts/check-format.mjs']);
const built = step('build (asc + esbuild + declarations)', node, ['scripts/build.mjs'])
  && step('build test bundles', node, ['scripts/build-tests.mjs']);
if (built) {
  step('uvu suite in node, deno, bun, chromium, firefox', node, ['scripts/test-runtimes.mjs'], { counts: true });
  step('package as a consumer installs it', node, ['scripts/test-package.mjs'], { counts: true });
  step('CLI as a subprocess', node, ['scripts/test-cli.mjs'], { counts: true });
  step('browser playground (Chromium)', node, ['scripts/test-playground.mjs'], { counts: true });
  step('Slurm job array: 10⁷ trajectories in 100 shards merged = one process', 'bash', ['scripts/test-slurm.sh'], { counts: true });
  step('examples as a user runs them (Node scripts, the browser page in Chromium)', node, ['scripts/test-examples.mjs'], { counts: true });
  step('gallery: each entry at CI scale against its theory', node, ['scripts/test-gallery.mjs'], { counts: true });
  step('API reference (TypeDoc, warnings are errors)', node, ['scripts/typedoc/node_modules/typedoc/bin/typedoc']);
  step('benchmarks in smoke mode (every module and contestant once, checked, untimed)', node, ['bench/run.mjs', '--smoke']);
} else {
  failed++;
  process.stdout.write('\n✘ build failed: runtime and package tests not run\n');
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
