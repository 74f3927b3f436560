// Embedding costs (issue 16 §4): what a program pays to start descent and to call it once.
//
//   init-fresh-process  `await descent.init()` in a freshly spawned Node process, timed inside
//                       the child with performance.now() around the await (the bundle already
//                       imported; its import is reported apart), against the bare
//                       `readFile(build/descent.wasm)` + `WebAssembly.compile` + `instantiate`
//                       timed the same way in another fresh process. Children alternate
//                       (descent, bare, descent, …); the median of each side is reported.
//   grad-2d-out         one `f.grad(x, out)` call on the 2-d Rosenbrock function, ns per call:
//                       blocks of calls after a warm-up, the fastest block; the plain-JS twin
//                       `rosenbrockGrad` (bench/gradients.mjs) timed the same way for scale.
//
// Checks before timing: a child's init() works (f.value at the minimum is 0), and f.grad(x, out)
// writes into `out`, returns it, and equals the JS twin bit for bit on 1 000 points.
//
// Part of `npm run bench` (bench/run.mjs); only these: node bench/run.mjs --filter embed/
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { points, rosenbrockGrad } from './gradients.mjs';

const BUNDLE = fileURLToPath(new URL('../build/descent.node.mjs', import.meta.url));
const WASM = fileURLToPath(new URL('../build/descent.wasm', import.meta.url));

export const name = 'embed';
export const description = 'await init() in a fresh Node process vs bare compile+instantiate; one 2-d f.grad(x, out) call';

export function list() {
  return [
    { id: 'init-fresh-process', title: '`await init()` in a fresh Node process vs bare read+compile+instantiate' },
    { id: 'grad-2d-out', title: 'one `f.grad(x, out)` call, 2-d Rosenbrock' },
  ];
}

// Child programs: each prints one JSON line.
const INIT_CHILD = `
const t0 = performance.now();
const descent = await import(${JSON.stringify(BUNDLE)});
const t1 = performance.now();
await descent.init();
const t2 = performance.now();
const ok = descent.landscapes.rosenbrock().value([1, 1]) === 0;
console.log(JSON.stringify({ importMs: t1 - t0, ms: t2 - t1, ok }));`;
const BARE_CHILD = `
import { readFile } from 'node:fs/promises';
const t0 = performance.now();
const bytes = await readFile(${JSON.stringify(WASM)});
const module = await WebAssembly.compile(bytes);
const instance = await WebAssembly.instantiate(module, {});
const t1 = performance.now();
console.log(JSON.stringify({ ms: t1 - t0, ok: typeof instance.exports.heapBase === 'function' }));`;

function child(code) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`child process failed: ${r.error?.message ?? `exit ${r.status}`}\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[(s.length - 1) >> 1]; };

/** ns per call of fn: blocks of `calls` after a warm-up, the fastest block. */
function nsPerCall(fn, { warmupMs, blocks, calls }) {
  const end = performance.now() + warmupMs;
  while (performance.now() < end) for (let i = 0; i < 1000; i++) fn();
  let best = Infinity;
  for (let b = 0; b < blocks; b++) {
    const t = performance.now();
    for (let i = 0; i < calls; i++) fn();
    best = Math.min(best, (performance.now() - t) * 1e6 / calls);
  }
  return best;
}

export async function prepare(descent, { quick = false, smoke = false, ids, log = () => {} } = {}) {
  const want = (id) => ids === undefined || ids.includes(id);
  const checks = [];
  const record = (workload, side, against, ok, detail) => {
    checks.push({ workload, side, against, ok, detail });
    log(`check embed/${workload} ${side} vs ${against}: ${ok ? `ok (${detail})` : `FAILED: ${detail}`}`);
  };
  if (want('init-fresh-process')) {
    const c = child(INIT_CHILD), b = child(BARE_CHILD);
    record('init-fresh-process', 'descent init()', 'f.value at the minimum', c.ok, `init ${c.ms.toFixed(2)} ms, bare ${b.ms.toFixed(2)} ms`);
  }
  const f = descent.landscapes.rosenbrock();
  const X = points(2000, 16), x = new Float64Array(2), out = new Float64Array(2), twin = new Float64Array(2);
  if (want('grad-2d-out')) {
    let same = 0, returned = true;
    for (let p = 0; p < 1000; p++) {
      x[0] = X[2 * p]; x[1] = X[2 * p + 1];
      out.fill(NaN);
      returned &&= f.grad(x, out) === out;
      rosenbrockGrad(x, twin, 1, 100);
      if (out[0] === twin[0] && out[1] === twin[1]) same++;
    }
    record('grad-2d-out', 'descent f.grad(x, out)', 'plain JS', same === 1000 && returned, `${same} of 1000 points bit-identical; out returned: ${returned}`);
  }
  const timing = quick || smoke ? { children: 5, warmupMs: 100, blocks: 5, calls: 200_000 } : { children: 21, warmupMs: 400, blocks: 10, calls: 1_000_000 };
  return {
    ok: checks.every((c) => c.ok), mode: smoke ? 'smoke' : quick ? 'quick' : 'full', notes: [], versions: {}, checks, timing,
    run: async () => {
      const results = [];
      if (want('init-fresh-process')) {
        const init = [], bare = [], imp = [];
        for (let r = 0; r < timing.children; r++) {
          const c = child(INIT_CHILD);
          init.push(c.ms); imp.push(c.importMs);
          bare.push(child(BARE_CHILD).ms);
        }
        const m = { init: median(init), bare: median(bare), import: median(imp), minInit: Math.min(...init), minBare: Math.min(...bare) };
        log(`embed/init-fresh-process: init ${m.init.toFixed(2)} ms (median of ${init.length}), bare ${m.bare.toFixed(2)} ms, import ${m.import.toFixed(2)} ms`);
        results.push({ id: 'init-fresh-process', title: list()[0].title, children: timing.children, ...m, ratio: m.init / m.bare, failed: false });
      }
      if (want('grad-2d-out')) {
        x[0] = -1.2; x[1] = 1;
        const d = nsPerCall(() => f.grad(x, out), timing);
        const j = nsPerCall(() => rosenbrockGrad(x, twin, 1, 100), timing);
        log(`embed/grad-2d-out: descent ${d.toFixed(1)} ns per call, plain JS ${j.toFixed(1)} ns`);
        results.push({ id: 'grad-2d-out', title: list()[1].title, descentNs: d, jsNs: j, failed: !(out[0] === twin[0] && out[1] === twin[1]) });
      }
      return { results, failed: results.some((r) => r.failed) };
    },
  };
}

export function markdown(prepared, out) {
  const lines = ['## Embedding: start-up and single-call cost', ''];
  for (const r of out.results) {
    if (r.id === 'init-fresh-process') {
      lines.push(
        `\`await descent.init()\` in a fresh Node ${process.version} process (median of ${r.children} children, timed inside each; ` +
          'the bundle\'s import before it is not included):',
        '',
        '| what | median ms | fastest ms |',
        '|---|--:|--:|',
        `| descent \`await init()\` | ${r.init.toFixed(2)} | ${r.minInit.toFixed(2)} |`,
        `| bare readFile + WebAssembly.compile + instantiate of build/descent.wasm | ${r.bare.toFixed(2)} | ${r.minBare.toFixed(2)} |`,
        `| (import of build/descent.node.mjs, before init) | ${r.import.toFixed(2)} | – |`,
        '',
        `init ÷ bare: **${r.ratio.toFixed(2)}×**`,
        '',
      );
    } else {
      lines.push(
        '| call | descent ns | plain JS ns | descent ÷ JS (time) |',
        '|---|--:|--:|--:|',
        `| ${r.title} | ${r.descentNs.toFixed(1)} | ${r.jsNs.toFixed(1)} | ${(r.descentNs / r.jsNs).toFixed(1)}× |`,
        '',
      );
    }
  }
  lines.push('Checks:', '');
  for (const c of prepared.checks) lines.push(`- ${c.ok ? '✓' : '✗'} ${c.workload}: ${c.side} vs ${c.against}: ${c.detail}`);
  lines.push('');
  return lines.join('\n');
}

export function summary(prepared, out) {
  return { mode: prepared.mode, timing: prepared.timing, checks: prepared.checks, results: out.results };
}
