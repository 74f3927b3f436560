#!/usr/bin/env node
// npm run bench: descent's wasm against plain-JS twins, each pair timed in the same process with
// benchmark.js and reported as a ratio. Timed runs are not part of `npm test`; the smoke mode
// (--smoke: every module once, checked, untimed) is.
//
//   node bench/run.mjs [--quick] [--json] [--filter <substr>] [--diagnostics] [--list]
//   node bench/run.mjs --smoke [--filter <substr>]
//
// --quick        short sampling (numbers are rough)
// --smoke        no timing at all: every bench module once at small sizes, every contestant's
//                agreement check (Python and gcc twins when available, else reported skipped
//                with the reason), the standalone bench scripts in their smoke modes; exit 1 if
//                anything fails or crashes. A step of `npm test` (scripts/test.mjs), so that a
//                broken contestant fails CI.
// --json         machine-readable results on stdout (progress still goes to stderr)
// --filter       only workloads whose module/id/title contains <substr> (case-insensitive)
// --diagnostics  also run the DIAGNOSTICS modules (e.g. raw wasm kernels without the bindings)
// --list         print the workload ids and exit
//
// A bench module (see bench/gradients.mjs) exports `name`, `description` and
// `workloads(descent)` → [{ id, title, dim, evalsPerOp, descent(), js(), out: { descent, js } }]:
// `descent()` and `js()` each run one timed op and write their results into `out.*`, which the
// runner compares (to 1e-12 relative) before timing anything. Add a module to MODULES to add
// workloads.
//
// A module may instead time itself (bench/ensemble.mjs: whole simulations, out-of-process twins):
// it exports `list({ quick })` → [{ id, title }] and `prepare(descent, { quick, ids, log })`, which
// builds its twins and checks them, returning { ok, run() } (see that file). The runner prepares
// every selected module of this kind together with the other checks, before timing anything, and
// appends its table (or JSON under `suites`) after the gradient table.
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import _ from 'lodash';
import platform from 'platform';
import BenchmarkModule from 'benchmark';
import { scorecard, measureHvp } from './scorecard.mjs';

const descent = await import('../build/descent.node.mjs').catch((error) => {
  process.stderr.write(`bench: cannot load build/descent.node.mjs (${error.message}); ` +
    'build first: node scripts/build.mjs --no-types (npm run bench does)\n');
  process.exit(2);
});

/** The registry: every bench module, in report order. */
const MODULES = [
  () => import('./gradients.mjs'),
  () => import('./ensemble.mjs'),
  () => import('./models.mjs'),
  () => import('./spectral.mjs'),
  () => import('./samplers.mjs'),
  () => import('./embed.mjs'),
];

/** Opt-in modules (--diagnostics): measurements that explain the main ones. */
const DIAGNOSTICS = [
  () => import('./kernels.mjs'),
];

/**
 * Bench programs that run on their own (not modules of this runner), with the arguments of their
 * smoke mode: --smoke runs each once as a subprocess; exit status 0 passes. Lines of their stderr
 * that say "skipped" are reported.
 */
const STANDALONE = [
  { name: 'hvp', args: ['bench/hvp.mjs', '--smoke'] },
  { name: 'expression', args: ['bench/expression.mjs', '--smoke'] },
  { name: 'sme', args: ['bench/sme.mjs', '--smoke'] },
  { name: 'workers', args: ['bench/workers.mjs', '--smoke'] },
  { name: 'distributed', args: ['bench/distributed.mjs', '--smoke'] },
  { name: 'merge', args: ['bench/merge.mjs', '--quick', '--shards', '4'] },
  { name: 'dense', args: ['bench/dense.mjs', '--quick'] },
  // bench/runtimes/suite.ts, bundled and run in Node (the test suite already compares hashes
  // across the five runtimes; Deno and Bun here doubled this step's time under load).
  { name: 'runtimes', args: ['scripts/bench-runtimes.mjs', '--quick', '--only', 'node'] },
];

/**
 * Bench programs whose full runs are part of a whole `npm run bench` (no --filter, no --quick): each
 * times itself against its own baseline and prints a table, appended after the scorecard. Their
 * smoke modes are in STANDALONE.
 */
const REPORTS = [
  { name: 'expression landscapes vs built-in kernels, compile time (issue 18)', args: ['bench/expression.mjs'] },
  { name: 'distributed and variance-reduced optimisers vs SGD (issue 19)', args: ['bench/distributed.mjs'] },
  { name: 'stochastic modified equations vs SGD (issue 19)', args: ['bench/sme.mjs'] },
];

// benchmark.js finds lodash through a dynamic require that bundles and ESM can break
// (docs/runtimes.md pitfall 11): give it its context explicitly.
const Benchmark = BenchmarkModule.runInContext({ _, platform });

const TOLERANCE = 1e-12;

// ---------------------------------------------------------------------------------------------
// Command line.

function parseArgs(argv) {
  const opts = { quick: false, smoke: false, json: false, list: false, diagnostics: false, filter: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') opts.quick = true;
    else if (arg === '--smoke') opts.smoke = true;
    else if (arg === '--json') opts.json = true;
    else if (arg === '--list') opts.list = true;
    else if (arg === '--diagnostics') opts.diagnostics = true;
    else if (arg === '--filter') {
      if (i + 1 >= argv.length) usage('--filter needs a substring');
      opts.filter = argv[++i];
    } else if (arg.startsWith('--filter=')) opts.filter = arg.slice('--filter='.length);
    else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  return opts;
}

function usage(error) {
  const text = 'usage: node bench/run.mjs [--quick] [--json] [--filter <substr>] [--diagnostics] [--list]\n' +
    '       node bench/run.mjs --smoke [--filter <substr>]\n';
  if (error) {
    process.stderr.write(`bench: ${error}\n${text}`);
    process.exit(2);
  }
  process.stdout.write(text);
  process.exit(0);
}

const opts = parseArgs(process.argv.slice(2));
const log = (line) => process.stderr.write(`${line}\n`);

// Each side of a workload is timed in `rounds` benchmark.js runs, alternating descent/JS
// (descent, js, js, descent, …), and the fastest round of each side is reported: on a shared
// machine a burst of outside load then hits both sides alike or is discarded, instead of
// skewing one side's single run. Full runs: 6 workloads × 2 sides × 2 rounds × ~2 s plus
// warm-up ≈ one minute on 2 cores.
const TIMING = opts.quick
  ? { warmupMs: 100, maxTime: 0.3, minSamples: 5, rounds: 1 }
  : { warmupMs: 400, maxTime: 1.5, minSamples: 20, rounds: 2 };

// ---------------------------------------------------------------------------------------------
// Correctness: per point, ‖g_descent − g_js‖∞ ≤ 1e-12 ‖g_js‖∞ (exact equality if g_js = 0).

function compare(w) {
  const { descent: gd, js: gj } = w.out;
  const d = w.dim;
  let maxRel = 0, differing = 0, problem;
  for (let p = 0; p < gd.length / d; p++) {
    let diff = 0, norm = 0;
    for (let k = p * d; k < (p + 1) * d; k++) {
      if (!Number.isFinite(gd[k]) || !Number.isFinite(gj[k])) {
        problem ??= `non-finite gradient at point ${p}, coordinate ${k - p * d}: descent ${gd[k]}, js ${gj[k]}`;
      }
      if (gd[k] !== gj[k]) differing++;
      diff = Math.max(diff, Math.abs(gd[k] - gj[k]));
      norm = Math.max(norm, Math.abs(gj[k]));
    }
    const rel = norm === 0 ? (diff === 0 ? 0 : Infinity) : diff / norm;
    if (!(rel <= TOLERANCE)) problem ??= `point ${p}: relative difference ${rel} > ${TOLERANCE}`;
    maxRel = Math.max(maxRel, rel);
  }
  return { ok: problem === undefined, problem, maxRelErr: maxRel, differing, bitIdentical: differing === 0 };
}

function check(w) {
  w.out.descent.fill(NaN);
  w.out.js.fill(NaN);
  w.descent();
  w.js();
  return compare(w);
}

// ---------------------------------------------------------------------------------------------
// Timing.

/** Run `fn` for about `ms` milliseconds (and at least 3 times): lets V8 tier up JS and wasm. */
function warmUp(fn, ms) {
  const end = performance.now() + ms;
  let calls = 0;
  while (calls < 3 || performance.now() < end) {
    fn();
    calls++;
  }
  return calls;
}

function measure(name, fn, w) {
  const bench = new Benchmark(name, fn, { maxTime: TIMING.maxTime, minSamples: TIMING.minSamples });
  bench.run({ async: false });
  if (bench.error) throw new Error(`${name}: ${bench.error?.message ?? bench.error}`);
  const opsPerSec = bench.hz;
  return {
    opsPerSec,
    evalsPerSec: opsPerSec * w.evalsPerOp,
    coordGradsPerSec: opsPerSec * w.evalsPerOp * w.dim,
    meanSec: bench.stats.mean,
    rme: bench.stats.rme,
    samples: bench.stats.sample.length,
  };
}

/** Time both sides in alternating rounds; keep each side's fastest round (all rounds kept too). */
function measurePair(name, w) {
  const rounds = { descent: [], js: [] };
  for (let r = 0; r < TIMING.rounds; r++) {
    const order = r % 2 === 0 ? ['descent', 'js'] : ['js', 'descent'];
    for (const side of order) rounds[side].push(measure(`${name} ${side}`, w[side], w));
  }
  const best = (list) => list.reduce((a, b) => (b.opsPerSec > a.opsPerSec ? b : a));
  const summary = (list) => ({ ...best(list), rounds: list.map((m) => m.opsPerSec) });
  return { d: summary(rounds.descent), j: summary(rounds.js) };
}

// ---------------------------------------------------------------------------------------------
// Formatting.

function fmt(x) {
  if (x >= 100) return Math.round(x).toLocaleString('en-US').replace(/,/g, ' ');
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

const pct = (r) => `${r.toFixed(1)}%`;

function table(results) {
  const rows = [
    '| workload | descent (M coord-grads/s ± rme) | plain JS (M coord-grads/s ± rme) | ratio descent/JS | grad evals/s: descent · JS |',
    '|---|--:|--:|--:|--:|',
  ];
  for (const r of results) {
    const d = r.descent, j = r.js;
    const ratio = `**${r.ratio.toFixed(2)}×** ± ${pct(r.ratioRme)}`;
    const evals = `${fmt(d.evalsPerSec / 1e6)} M · ${fmt(j.evalsPerSec / 1e6)} M`;
    rows.push(`| ${r.title} | ${fmt(d.coordGradsPerSec / 1e6)} ± ${pct(d.rme)} | ${fmt(j.coordGradsPerSec / 1e6)} ± ${pct(j.rme)} | ${ratio} | ${evals} |`);
  }
  return rows.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main.

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const wasm = readFileSync(new URL('../build/descent.wasm', import.meta.url));
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  v8: process.versions.v8,
  cpu: os.cpus()[0]?.model?.trim() ?? 'unknown',
  cores: os.cpus().length,
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  descent: pkg.version,
  wasmSha256: createHash('sha256').update(wasm).digest('hex').slice(0, 16),
  benchmarkjs: Benchmark.version,
  mode: opts.quick ? 'quick' : 'full',
  maxTimePerBenchmark: TIMING.maxTime,
  rounds: TIMING.rounds,
  warmupMs: TIMING.warmupMs,
  tolerance: TOLERANCE,
  filter: opts.filter ?? null,
};

await descent.init();

if (opts.smoke) process.exit(await smoke());

const selected = [];
const suites = []; // self-timed modules (bench/ensemble.mjs) and their selected workloads
const matches = (mod, w) => opts.filter === undefined ||
  `${mod.name}/${w.id} ${w.title}`.toLowerCase().includes(opts.filter.toLowerCase());
for (const load of opts.diagnostics ? [...MODULES, ...DIAGNOSTICS] : MODULES) {
  const mod = await load();
  if (typeof mod.prepare === 'function') {
    const ws = mod.list({ quick: opts.quick }).filter((w) => matches(mod, w));
    if (ws.length > 0) suites.push({ mod, workloads: ws });
    continue;
  }
  for (const w of mod.workloads(descent)) {
    if (matches(mod, w)) selected.push({ module: mod.name, ...w });
  }
}

if (opts.list) {
  for (const w of selected) process.stdout.write(`${w.module}/${w.id}\t${w.title}\n`);
  for (const { mod, workloads: ws } of suites) for (const w of ws) process.stdout.write(`${mod.name}/${w.id}\t${w.title}\n`);
  process.exit(0);
}
if (selected.length === 0 && suites.length === 0) {
  log(`bench: no workload matches --filter ${JSON.stringify(opts.filter)} (try --list)`);
  process.exit(2);
}

// Correctness before any timing: never report the speed of a wrong computation.
let failed = false;
for (const w of selected) {
  w.check = check(w);
  const c = w.check;
  if (c.ok) {
    log(`check ${w.module}/${w.id}: ok (${c.bitIdentical ? 'bit-identical' : `max relative difference ${c.maxRelErr.toExponential(2)}, ${c.differing} of ${w.out.js.length} values differ`})`);
  } else {
    log(`check ${w.module}/${w.id}: FAILED: ${c.problem}`);
    failed = true;
  }
}
for (const suite of suites) {
  suite.prepared = await suite.mod.prepare(descent, { quick: opts.quick, ids: suite.workloads.map((w) => w.id), log });
  if (!suite.prepared.ok) failed = true;
}
if (failed) {
  log('bench: descent and a twin disagree; not timing anything.');
  process.exit(1);
}

if (selected.length > 0) log(`bench: ${selected.length} gradient workload(s), ${meta.mode} mode (${TIMING.rounds} round(s) × maxTime ${TIMING.maxTime} s per side)`);
const results = [];
const started = performance.now();
for (const w of selected) {
  const name = `${w.module}/${w.id}`;
  const wd = warmUp(w.descent, TIMING.warmupMs), wj = warmUp(w.js, TIMING.warmupMs);
  const { d, j } = measurePair(name, w);
  // The timed ops rewrote the outputs: make sure they are still the checked ones.
  const after = compare(w);
  if (!after.ok) {
    log(`check ${name} after timing: FAILED: ${after.problem}`);
    process.exit(1);
  }
  const ratio = d.opsPerSec / j.opsPerSec;
  const ratioRme = Math.hypot(d.rme, j.rme);
  log(`${name}: descent ${fmt(d.coordGradsPerSec / 1e6)} M coord-grads/s ±${pct(d.rme)} (${d.samples} samples), ` +
    `js ${fmt(j.coordGradsPerSec / 1e6)} ±${pct(j.rme)} (${j.samples}), ratio ${ratio.toFixed(2)}× [warm-up ${wd}/${wj} ops]`);
  results.push({
    module: w.module, id: w.id, title: w.title, dim: w.dim, evalsPerOp: w.evalsPerOp, mode: w.mode,
    descent: d, js: j, ratio, ratioRme,
    check: { maxRelErr: w.check.maxRelErr, bitIdentical: w.check.bitIdentical, differing: w.check.differing },
  });
}
let suiteFailed = false;
for (const suite of suites) {
  log(`bench: ${suite.mod.name}: ${suite.workloads.length} workload(s), ${meta.mode} mode`);
  suite.out = await suite.prepared.run();
  if (suite.out.failed) suiteFailed = true;
}
// The issue-16 scorecard (bench/scorecard.mjs) on a whole run: every row of the engine issue's
// table from the suites above, plus the MLP HVP against torch (bench/hvp.mjs, timed here).
const scoreSuites = Object.fromEntries(suites.map((s) => [s.mod.name, s.mod.summary(s.prepared, s.out)]));
const hvp = opts.filter === undefined && !opts.quick ? measureHvp(log) : undefined;
meta.seconds = Number(((performance.now() - started) / 1000).toFixed(1));

if (opts.json) {
  const suiteJson = Object.fromEntries(suites.map((s) => [s.mod.name, s.mod.summary(s.prepared, s.out)]));
  process.stdout.write(`${JSON.stringify({ meta, results, suites: suiteJson, ...(hvp ? { hvp } : {}) }, null, 2)}\n`);
} else {
  const lines = [
    `# descent benchmarks (${meta.mode})`,
    '',
    `node ${meta.node} (V8 ${meta.v8}) · ${meta.cpu} × ${meta.cores} · ${meta.platform} · ${meta.date}`,
    `descent ${meta.descent}, build/descent.wasm sha256 ${meta.wasmSha256}…`,
    '',
  ];
  if (results.length > 0) {
    lines.push(
      `benchmark.js ${meta.benchmarkjs}: ${meta.warmupMs} ms warm-up, then ${meta.rounds} alternating round(s) of maxTime ` +
        `${meta.maxTimePerBenchmark} s per side, fastest round reported (mean ± rme). Gradients checked against the JS twin ` +
        `to ${TOLERANCE} relative before timing. M = 10⁶; ratio > 1 means descent is faster.`,
      '',
      table(results),
      '',
    );
  }
  for (const suite of suites) lines.push(suite.mod.markdown(suite.prepared, suite.out));
  if (opts.filter === undefined) lines.push(scorecard(scoreSuites, hvp));
  if (opts.filter === undefined && !opts.quick) {
    const root = new URL('..', import.meta.url).pathname;
    for (const r of REPORTS) {
      log(`bench: ${r.name}: node ${r.args.join(' ')}`);
      const out = spawnSync(process.execPath, r.args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
      lines.push('', `## ${r.name}`, '', `\`node ${r.args.join(' ')}\``, '', (out.stdout ?? '').trim());
      if (out.status !== 0) {
        lines.push(`(exit ${out.status ?? out.signal}: ${(out.stderr ?? '').trim().split('\n').pop()})`);
        suiteFailed = true;
      }
    }
  }
  process.stdout.write(lines.join('\n'));
}
if (suiteFailed) {
  log('bench: a timed result failed its check after timing (see above).');
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Smoke mode: every module and program once, small, checked, untimed.

async function smoke() {
  const started = performance.now();
  const wanted = (name) => opts.filter === undefined || name.toLowerCase().includes(opts.filter.toLowerCase());
  const failures = [], skipped = [], notes = [];
  let passed = 0;
  const pass = (what) => { passed++; log(`smoke ✓ ${what}`); };
  const fail = (what) => { failures.push(what); log(`smoke ✗ ${what}`); };
  const noteOf = (module, text) => (/skipped/i.test(text) ? skipped : notes).push(`${module}: ${text}`);
  for (const load of [...MODULES, ...DIAGNOSTICS]) {
    const mod = await load();
    if (!wanted(mod.name)) continue;
    const t = performance.now();
    try {
      if (typeof mod.prepare === 'function') {
        const prepared = await mod.prepare(descent, { quick: true, smoke: true, log });
        for (const c of prepared.checks) {
          const what = `${mod.name}/${c.workload}: ${c.side}${c.against ? ` vs ${c.against}` : ''}`;
          if (c.ok) pass(what);
          // A check its module does not count as fatal (prepared.ok) is a warning, as in a timed run.
          else if (prepared.ok) noteOf(mod.name, `warning: ${what}: ${c.problem ?? c.detail}`);
          else fail(`${what}: ${c.problem ?? c.detail}`);
        }
        if (!prepared.ok && !prepared.checks.some((c) => !c.ok)) fail(`${mod.name}: prepare failed`);
        for (const n of prepared.notes ?? []) noteOf(mod.name, n);
      } else {
        for (const w of mod.workloads(descent)) {
          const c = check(w), what = `${mod.name}/${w.id}: descent vs plain JS`;
          if (c.ok) pass(what); else fail(`${what}: ${c.problem}`);
        }
      }
    } catch (error) {
      fail(`${mod.name}: crashed: ${error?.stack ?? error}`);
    }
    log(`smoke: ${mod.name} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  if (wanted('scorecard')) {
    // The scorecard's table from results shaped as the suites return them: every issue row present.
    const mups = (d, js, c, np) => ({ descent: d, 'plain JS': js, 'native C': c, numpy: np });
    const table = scorecard({
      ensemble: { results: [
        { id: 'rosenbrock-d2', P: 1e5, mups: mups(1000, 900, 9000, 700) }, { id: 'rosenbrock-d2-noise', P: 1e5, mups: mups(150, 40, 60, 80) },
        { id: 'quadratic-d32', P: 1e4, mups: mups(250, 30, 370, 460) }, { id: 'quadratic-d32-noise', P: 1e4, mups: mups(110, 18, 50, 80) },
      ] },
      embed: { results: [{ id: 'init-fresh-process', init: 3, bare: 2.5, ratio: 1.2 }, { id: 'grad-2d-out', descentNs: 40, jsNs: 20 }] },
      spectral: { results: [{ n: 1000, endToEndGoal: 1, endToEnd: { ms: { best: 10 }, ratio: 1.1 } }] },
    }, { widths: [16, 64, 64, 1], torch: true, rows: [{ activation: 'tanh', n: 128, descentPerSec: 1000, torchPerSec: 1500 }, { activation: 'tanh', n: 1024, descentPerSec: 200, torchPerSec: 190 }] });
    const rowsOut = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| workload')).length;
    if (rowsOut === 10 && /\| ✗ \|/.test(table) && /\| ✓ \|/.test(table)) pass('scorecard: 10 issue rows with goals met and not');
    else fail(`scorecard: ${rowsOut} rows instead of 10:\n${table}`);
  }
  const root = new URL('..', import.meta.url).pathname;
  for (const p of STANDALONE) {
    if (!wanted(p.name)) continue;
    const t = performance.now();
    const r = spawnSync(process.execPath, p.args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
    for (const line of `${r.stderr ?? ''}`.split('\n')) if (/skipped/i.test(line)) skipped.push(`${p.name}: ${line.trim()}`);
    const what = `${p.name}: node ${p.args.join(' ')}`;
    if (r.status === 0) pass(what);
    else fail(`${what}: exit ${r.status ?? r.signal}${r.error ? ` (${r.error.message})` : ''}\n${r.stderr}\n${r.stdout}`);
    log(`smoke: ${p.name} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const lines = [`bench smoke: ${passed} checks passed, ${failures.length} failed in ${((performance.now() - started) / 1000).toFixed(1)} s`];
  for (const s of skipped) lines.push(`  skipped: ${s}`);
  for (const n of notes) lines.push(`  note: ${n}`);
  for (const f of failures) lines.push(`  FAILED: ${f}`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return failures.length > 0 || passed === 0 ? 1 : 0;
}
