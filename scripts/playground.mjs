#!/usr/bin/env node
// npm run playground: build the browser playground and serve it on 127.0.0.1 (docs/playground.md).
//   node scripts/playground.mjs [--port N] [--no-build]
//     --port N      port to listen on (default 8080; 0 picks a free one)
//     --no-build    reuse build/descent.browser.mjs and build/descent.wasm as they are (skip
//                   scripts/build.mjs); the playground's own files are always rebuilt
//
// Layout of build/playground/: index.html and style.css (copied), main.js and worker.js (bundled
// from playground/*.ts by esbuild), and the library as any page would use it: descent.browser.mjs
// with descent.wasm beside it. The worker imports `descent`, which the build maps to that file.
// Served by scripts/static-server.mjs (application/wasm, COOP/COEP, nothing outside the dir).
//
// As a module: await buildPlayground({ library }) → the directory; await servePlayground({ port }).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { startStaticServer } from './static-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = path.join(root, 'build/playground');
const LIBRARY = ['descent.browser.mjs', 'descent.browser.mjs.map', 'descent.wasm'];

// `import … from 'descent'` in the playground stays an import, of the bundle copied beside it.
const descentAsBundle = {
  name: 'descent-as-bundle',
  setup(b) {
    b.onResolve({ filter: /^descent$/ }, () => ({ path: './descent.browser.mjs', external: true }));
  },
};

/**
 * Build build/playground/. With `library`, first run scripts/build.mjs --no-types (the wasm and
 * the bundles); otherwise the existing build/descent.browser.mjs and .wasm must be there.
 */
export async function buildPlayground({ library = true, quiet = false } = {}) {
  if (library) execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--no-types'], { cwd: root, stdio: quiet ? 'ignore' : 'inherit' });
  for (const f of LIBRARY) {
    if (!existsSync(path.join(root, 'build', f))) throw new Error(`build/${f} is missing: run node scripts/build.mjs first (or drop --no-build)`);
  }
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'playground/main.ts'), path.join(root, 'playground/worker.ts')],
    outdir: OUT, bundle: true, format: 'esm', platform: 'browser', target: 'es2022', sourcemap: true,
    logLevel: 'warning', legalComments: 'none', plugins: [descentAsBundle],
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(path.join(root, 'playground', f), path.join(OUT, f));
  for (const f of LIBRARY) copyFileSync(path.join(root, 'build', f), path.join(OUT, f));
  return OUT;
}

/** Serve build/playground/ (index.html at `/`) on 127.0.0.1:`port`. */
export function servePlayground({ port = 8080, onRequest } = {}) {
  return startStaticServer({ root: OUT, page: path.join(OUT, 'index.html'), port, onRequest });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--port');
  const port = at >= 0 ? Number(args[at + 1]) : 8080;
  const unknown = args.filter((a, i) => !(a === '--no-build' || a === '--port' || (i === at + 1 && at >= 0)));
  if (!Number.isInteger(port) || port < 0 || port > 65535 || unknown.length) {
    console.error(`usage: node scripts/playground.mjs [--port N] [--no-build]${unknown.length ? ` (unknown: ${unknown.join(' ')})` : ` (--port must be an integer from 0 to 65535, got ${args[at + 1]})`}`);
    process.exit(2);
  }
  try {
    await buildPlayground({ library: !args.includes('--no-build') });
  } catch (e) {
    console.error(`playground: build failed: ${e.message}`);
    process.exit(1);
  }
  let server;
  try {
    server = await servePlayground({ port });
  } catch (e) {
    console.error(`playground: cannot listen on 127.0.0.1:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use; pick another with --port N' : e.message}`);
    process.exit(1);
  }
  console.log(`descent playground: ${server.url}  (Ctrl-C to stop)`);
  const stop = () => server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
