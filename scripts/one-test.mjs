// Run one test file in Node, quickly, while developing: bundles test/<name>.test.ts the way
// scripts/build-tests.mjs bundles the suite (worker program embedded), then runs it.
//   node scripts/one-test.mjs mala          (needs build/descent.wasm: node scripts/build.mjs --no-types)
import { copyFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { workerDefine } from './worker-source.mjs';

const root = new URL('..', import.meta.url).pathname;
const name = process.argv[2]?.replace(/\.test\.ts$/, '');
if (!name) { console.error('usage: node scripts/one-test.mjs <name> (test/<name>.test.ts)'); process.exit(2); }
mkdirSync(`${root}build/test`, { recursive: true });
copyFileSync(`${root}build/descent.wasm`, `${root}build/test/descent.wasm`);
const out = `${root}build/test/one-${name}.mjs`;
await build({
  entryPoints: [`${root}test/${name}.test.ts`], bundle: true, format: 'esm', platform: 'node', target: 'node20',
  outfile: out, logLevel: 'warning', ignoreAnnotations: true, define: await workerDefine(),
});
process.exitCode = spawnSync(process.execPath, [out], { stdio: 'inherit' }).status ?? 1;
