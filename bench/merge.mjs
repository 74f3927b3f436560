#!/usr/bin/env node
// Merging many shard files: generates N shard files of one run (the scaling study's landscape at
// 1 000 particles per shard, 20 steps, a record row every 2 steps: 10 rows and the final state,
// each with its dyadic nodes, sketch and histogram) with the library in this process, then times
// `descent merge` over them as a subprocess under GNU time (wall seconds, peak RSS), and checks
// the merged hash against the one-process run.
//   node bench/merge.mjs [--shards 10000] [--quick]      (after node scripts/build.mjs --no-types)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : fallback; };
const quick = process.argv.includes('--quick');
const N = arg('shards', quick ? 20 : 10000), per = 1000;
const descent = await import(join(root, 'build/descent.node.mjs'));
await descent.init();
const L = descent.landscapes.polynomial({ coefficients: [1.5, -2.5, -1.5, 5, -1.5, -2.5, 1.5] });
const config = {
  landscape: L, optimizer: descent.optimizers.sgd({ lr: 0.05 }), noise: descent.noise.gaussian({ sigma: 2 }),
  init: descent.inits.uniform({ low: [-0.3675], high: [-0.2675] }), particles: N * per, steps: 20, seed: 7,
  record: { every: 2, paramEdges: [-0.3175], lossEdges: [0.01, 0.1, 1] },
};
const dir = mkdtempSync(join(tmpdir(), 'descent-merge-'));
try {
  let t = performance.now(), bytes = 0;
  for (let index = 0; index < N; index++) {
    const file = descent.save(await descent.simulate(config, { shard: { index, count: N } }));
    bytes += file.length;
    writeFileSync(join(dir, `shard-${String(index).padStart(5, '0')}-of-${N}.descent`), file);
  }
  const gen = (performance.now() - t) / 1000;
  const one = await descent.simulate(config, { keepParticles: false });
  t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, join(root, 'build/descent.cli.mjs'), 'merge', dir, '--json', '--quiet', '--no-csv'], { encoding: 'utf8' });
  const [wall, kb] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  const merged = JSON.parse(r.stdout);
  const ok = merged.hash === one.hash;
  console.log(`${N} shard files (${(bytes / N / 1024).toFixed(1)} KiB each, ${(bytes / 2 ** 20).toFixed(1)} MiB in all; ${N * per} particles) generated in ${gen.toFixed(1)} s`);
  console.log(`descent merge: ${wall.toFixed(2)} s wall, peak RSS ${(kb / 1024).toFixed(0)} MiB; merged hash ${merged.hash} ${ok ? 'equals' : 'DIFFERS from'} the one-process run's`);
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
