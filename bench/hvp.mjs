// Hessian-vector product throughput of an MLP (issue 6 §4, issue 16 §3), single thread, float64:
//   descent   `net.hvp(θ, v)`: Pearlmutter's R-operator batched over tiles of 16 examples
//             (assembly/models/mlpTile.ts, mlpTileHvp), in wasm (one call per product, so the
//             binding overhead is included);
//   PyTorch   double backward, bench/hvp_torch.py in a subprocess (OMP/MKL/OpenBLAS threads 1),
//             when `/usr/bin/python3 -c "import torch"` works.
// Before timing, descent's product is compared with torch's (relative max-norm error ≤ 1e-10) and
// with central differences of descent's gradient, (∇L(θ + hv) − ∇L(θ − hv)) / 2h, h = 1e-5
// (≤ 1e-6 relative: an oracle that needs no torch; tanh only — with relu some example crosses a
// kink between θ ± hv at n = 1 024, where differences measure a jump, not the Hessian). Exit 1 on
// disagreement.
// Sizes: MLP [16, 64, 64, 1] (tanh and relu, mse, bias) on n = 128 and n = 1024 examples of a
// ReLU teacher.
//
//   node scripts/build.mjs --no-types && node bench/hvp.mjs [--quick] [--json] [--seconds 2] [--build dir]
// --json: the rows as JSON on stdout (bench/run.mjs reads them for its issue-16 scorecard).
// --quick: n = 20 (a full tile and a padded one), the checks only, no timing.
// --build: import descent from another build directory (e.g. main's, for a before/after).
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { mulberry32 } from './gradients.mjs';

const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const quick = argv.includes('--quick') || argv.includes('--smoke'); // --smoke: what bench/run.mjs --smoke passes
const seconds = Number(opt('--seconds')) || 2;
const buildDir = opt('--build');
const descent = await import(buildDir ? pathToFileURL(resolve(buildDir, 'descent.node.mjs')).href : '../build/descent.node.mjs');
const TORCH = fileURLToPath(new URL('./hvp_torch.py', import.meta.url));
const ENV = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
const widths = [16, 64, 64, 1];

await descent.init();
const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

/** Fastest block mean of fn over ≥ `seconds` (blocks of ~0.25 s after a warm-up): seconds per call. */
function timed(fn) {
  let t0 = performance.now(), calls = 0;
  while (calls < 3 || performance.now() - t0 < 300) { fn(); calls++; }
  const per = (performance.now() - t0) / calls, k = Math.max(1, Math.floor(250 / per));
  let best = Infinity, total = 0;
  while (total < seconds * 1000) {
    const s = performance.now();
    for (let i = 0; i < k; i++) fn();
    const dt = performance.now() - s;
    best = Math.min(best, dt / k); total += dt;
  }
  return best / 1000;
}

function relMax(a, b) {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num = Math.max(num, Math.abs(a[i] - b[i])); den = Math.max(den, Math.abs(b[i])); }
  return num / den;
}

function fail(msg) { console.error(`hvp: ${msg}`); process.exit(1); }

const rows = [];
for (const activation of ['tanh', 'relu']) {
  for (const n of quick ? [20] : [128, 1024]) {
    const data = descent.data.reluTeacher({ n, inputs: widths[0], hidden: 16, noise: 0.1, seed: 1 });
    const net = descent.models.mlp({ widths, activation, loss: 'mse', data });
    const theta = net.initialize({ scheme: 'he', seed: 1 });
    const r = mulberry32(5), v = Float64Array.from({ length: net.dim }, () => 2 * r() - 1);
    const ours = net.hvp(theta, v);
    // Central differences of the gradient (truncation O(h²), rounding O(ε/h)).
    let errFd = NaN;
    if (activation === 'tanh') {
      const h = 1e-5, tp = theta.map((t, i) => t + h * v[i]), tm = theta.map((t, i) => t - h * v[i]);
      const gp = net.grad(tp), gm = net.grad(tm), fd = gp.map((g, i) => (g - gm[i]) / (2 * h));
      errFd = relMax(ours, fd);
      if (!(errFd <= 1e-6)) fail(`${activation}, n = ${n}: HVP vs central differences: relative error ${errFd}`);
    }
    let tTorch = NaN, err = NaN;
    if (hasTorch) {
      const job = { widths, activation, X: Array.from(data.X), y: Array.from(data.y), theta: Array.from(theta), v: Array.from(v), minSeconds: quick ? 0 : seconds };
      const p = spawnSync('/usr/bin/python3', [TORCH], { input: JSON.stringify(job), env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
      if (p.status !== 0) fail(`hvp_torch.py failed: ${p.stderr}`);
      const out = JSON.parse(p.stdout);
      err = relMax(ours, out.hv);
      if (!(err <= 1e-10)) fail(`descent and torch disagree (${activation}, n = ${n}): relative error ${err}`);
      tTorch = out.seconds;
    }
    console.error(`hvp: ${activation}, n = ${n}: vs central differences ${activation === 'tanh' ? errFd.toExponential(1) : '— (relu: kinks)'}, vs torch ${hasTorch ? err.toExponential(1) : 'skipped (no torch)'}`);
    const tDescent = quick ? NaN : timed(() => net.hvp(theta, v));
    rows.push({ activation, n, p: net.dim, tDescent, tTorch, err });
  }
}
if (quick) process.exit(0);
if (argv.includes('--json')) {
  console.log(JSON.stringify({ widths, torch: hasTorch, rows: rows.map((r) => ({ ...r, descentPerSec: 1 / r.tDescent, torchPerSec: hasTorch ? 1 / r.tTorch : null })) }));
  process.exit(0);
}
console.log(`| MLP [${widths.join(', ')}], activation, n | params | descent HVP/s | torch double-backward HVP/s | descent ÷ torch (speed) | max rel. diff |`);
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.activation}, ${r.n} | ${r.p} | ${(1 / r.tDescent).toFixed(0)} | ${hasTorch ? (1 / r.tTorch).toFixed(0) : 'torch not installed'} | ${hasTorch ? (r.tTorch / r.tDescent).toFixed(2) + '×' : '—'} | ${hasTorch ? r.err.toExponential(1) : '—'} |`);
}
