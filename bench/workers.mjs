#!/usr/bin/env node
// Worker speed-up: the same `simulate` run in this thread (the baseline) and with
// `{ workers: n }`, timed in the same process, rounds interleaved (baseline, n = 1, n = 2, … then
// again), so a busy neighbour slows every side alike. Before anything is timed, every side's
// result hash must equal the baseline's (bit-identical), or the run exits 1.
//
//   node bench/workers.mjs [--quick] [--json] [--rounds <n>] [--workers 1,2] [--filter <substr>]
//   node bench/workers.mjs --smoke   small runs (P = 2 000, T = 20), hashes checked, nothing timed
//   npm run bench:workers            (builds first)
//
// Reported per workload: seconds (best and median of the rounds), M particle-coordinate updates
// per second, and the speed-up best(baseline) / best(workers). Worker start-up (spawn, compile
// the module, allocate) is inside the timing: it is part of what a user waits for.
import os from 'node:os';

const descent = await import('../build/descent.node.mjs').catch((error) => {
  process.stderr.write(`bench: cannot load build/descent.node.mjs (${error.message}); build first: node scripts/build.mjs --no-types\n`);
  process.exit(2);
});

function parseArgs(argv) {
  const o = { quick: false, smoke: false, json: false, rounds: 5, workers: [1, 2], filter: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--smoke') o.smoke = true;
    else if (a === '--json') o.json = true;
    else if (a === '--rounds') o.rounds = Number(argv[++i]);
    else if (a === '--workers') o.workers = String(argv[++i]).split(',').map(Number);
    else if (a === '--filter') o.filter = String(argv[++i]).toLowerCase();
    else {
      process.stderr.write(`unknown argument ${a}\nusage: node bench/workers.mjs [--quick] [--json] [--rounds <n>] [--workers 1,2] [--filter <substr>]\n`);
      process.exit(2);
    }
  }
  if (!(o.rounds >= 1) || !o.workers.every((n) => Number.isInteger(n) && n >= 1)) {
    process.stderr.write('--rounds must be ≥ 1 and --workers a list of integers ≥ 1\n');
    process.exit(2);
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const log = (s) => process.stderr.write(`${s}\n`);
await descent.init();
const L = descent.landscapes, O = descent.optimizers, N = descent.noise, I = descent.inits;

/** The ensemble workloads of bench/ensemble.mjs (SGD with Gaussian noise), with records every 10 steps. */
const WORKLOADS = [
  {
    id: 'rosenbrock-d2-noise', d: 2, full: { P: 100_000, T: 1000 }, quick: { P: 20_000, T: 200 }, smoke: { P: 2000, T: 20 },
    config: (P, T) => ({ landscape: L.rosenbrock({ dim: 2 }), optimizer: O.sgd({ lr: 1e-3 }), noise: N.gaussian({ sigma: 0.1 }), init: I.point({ x: [-1.2, 1] }), particles: P, steps: T, seed: 1, record: { every: 10 } }),
  },
  {
    id: 'quadratic-d32-noise', d: 32, full: { P: 10_000, T: 1000 }, quick: { P: 2000, T: 200 }, smoke: { P: 2000, T: 20 },
    config: (P, T) => ({
      landscape: L.quadratic({ eigenvalues: Array.from({ length: 32 }, (_, i) => 0.1 * 10 ** (2 * i / 31)), seed: 3 }), optimizer: O.sgd({ lr: 1e-2 }),
      noise: N.gaussian({ sigma: 0.1 }), init: I.point({ x: new Array(32).fill(1) }), particles: P, steps: T, seed: 1, record: { every: 10 },
    }),
  },
].filter((w) => !opts.filter || w.id.includes(opts.filter));

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor((s.length - 1) / 2)]; };
const sides = [undefined, ...opts.workers];
const label = (w) => (w === undefined ? 'this thread' : `workers: ${w}`);

const results = [];
for (const wl of WORKLOADS) {
  const { P, T } = opts.smoke ? wl.smoke : opts.quick ? wl.quick : wl.full;
  const updates = P * wl.d * T;
  // Correctness first: every side must give the baseline's bits.
  const ref = (await descent.simulate(wl.config(P, T))).hash;
  for (const w of opts.workers) {
    const h = (await descent.simulate(wl.config(P, T), { workers: w })).hash;
    if (h !== ref) {
      log(`✘ ${wl.id}: workers: ${w} gave hash ${h}, this thread ${ref}`);
      process.exit(1);
    }
  }
  log(`${wl.id}: P = ${P}, T = ${T}, d = ${wl.d}: hashes identical (${ref})${opts.smoke ? '' : `; timing ${opts.rounds} rounds`}`);
  if (opts.smoke) continue;
  const times = new Map(sides.map((w) => [w, []]));
  for (let r = 0; r < opts.rounds; r++) {
    for (const w of sides) {
      const t0 = performance.now();
      await descent.simulate(wl.config(P, T), w === undefined ? {} : { workers: w });
      times.get(w).push((performance.now() - t0) / 1000);
    }
    log(`  round ${r + 1}: ${sides.map((w) => `${label(w)} ${times.get(w).at(-1).toFixed(3)} s`).join(', ')}`);
  }
  const base = Math.min(...times.get(undefined));
  results.push({
    id: wl.id, P, T, d: wl.d, hash: ref,
    sides: sides.map((w) => {
      const t = times.get(w), best = Math.min(...t);
      return { workers: w ?? 0, best, median: median(t), mups: updates / best / 1e6, speedup: base / best, medianSpeedup: median(times.get(undefined)) / median(t) };
    }),
  });
}

if (opts.smoke) process.exit(0);
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '?', node: process.version, load: os.loadavg()[0] };
if (opts.json) {
  process.stdout.write(JSON.stringify({ machine, rounds: opts.rounds, quick: opts.quick, results }, null, 2) + '\n');
} else {
  const lines = [
    `Worker speed-up (${machine.cpus} × ${machine.model}, Node ${machine.node}; best of ${opts.rounds} rounds${opts.quick ? ', --quick' : ''}; all sides bit-identical)`,
    '',
    '| workload | P × T × d | side | best s | median s | M updates/s | speed-up (best) | speed-up (median) |',
    '|---|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    for (const s of r.sides) {
      lines.push(`| ${r.id} | ${r.P} × ${r.T} × ${r.d} | ${s.workers ? `workers: ${s.workers}` : 'this thread'} | ${s.best.toFixed(3)} | ${s.median.toFixed(3)} | ${s.mups.toFixed(1)} | ${s.speedup.toFixed(2)}× | ${s.medianSpeedup.toFixed(2)}× |`);
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
}
