// Hessian-vector product throughput of an MLP (issue 6 §4), single thread, float64:
//   descent   `net.hvp(θ, v)`: Pearlmutter's R-operator through the per-example MLP kernel, in wasm
//             (one call per product, so the binding overhead is included);
//   PyTorch   double backward, bench/hvp_torch.py in a subprocess (OMP/MKL/OpenBLAS threads 1),
//             when `/usr/bin/python3 -c "import torch"` works.
// Before timing, descent's product is compared with torch's (relative max-norm error ≤ 1e-10).
// Sizes: MLP [16, 64, 64, 1] (relu, mse, bias) on n = 128 and n = 1024 examples of a ReLU teacher.
//
//   node scripts/build.mjs --no-types && node bench/hvp.mjs [--seconds 2]
//   node bench/hvp.mjs --smoke      one small network (n = 32), both sides once, checked, untimed
//                                   (bench/run.mjs --smoke runs it; torch missing → reported skipped)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as descent from '../build/descent.node.mjs';
import { mulberry32 } from './gradients.mjs';

const TORCH = fileURLToPath(new URL('./hvp_torch.py', import.meta.url));
const ENV = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
const smoke = process.argv.includes('--smoke');
const seconds = smoke ? 0 : Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 2;
const widths = [16, 64, 64, 1];

await descent.init();
const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
if (!hasTorch) console.error('hvp: skipped: PyTorch twin (`/usr/bin/python3 -c "import torch"` failed; Debian: apt-get install python3-torch)');

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

const rows = [];
for (const n of smoke ? [32] : [128, 1024]) {
  const data = descent.data.reluTeacher({ n, inputs: widths[0], hidden: 16, noise: 0.1, seed: 1 });
  const net = descent.models.mlp({ widths, activation: 'relu', loss: 'mse', data });
  const theta = net.initialize({ scheme: 'he', seed: 1 });
  const r = mulberry32(5), v = Float64Array.from({ length: net.dim }, () => 2 * r() - 1);
  const ours = net.hvp(theta, v);
  const tDescent = smoke ? NaN : timed(() => net.hvp(theta, v));
  let tTorch = NaN, err = NaN;
  if (hasTorch) {
    const job = { widths, X: Array.from(data.X), y: Array.from(data.y), theta: Array.from(theta), v: Array.from(v), minSeconds: seconds };
    const p = spawnSync('/usr/bin/python3', [TORCH], { input: JSON.stringify(job), env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (p.status !== 0) throw new Error(`hvp_torch.py failed: ${p.stderr}`);
    const out = JSON.parse(p.stdout);
    let num = 0, den = 0;
    for (let i = 0; i < ours.length; i++) { num = Math.max(num, Math.abs(ours[i] - out.hv[i])); den = Math.max(den, Math.abs(out.hv[i])); }
    err = num / den;
    if (!(err <= 1e-10)) { console.error(`descent and torch disagree at n = ${n}: relative error ${err}`); process.exit(1); }
    tTorch = out.seconds;
    if (smoke) console.error(`check hvp n=${n}: descent vs torch double backward: ok (${err.toExponential(1)} relative)`);
  }
  rows.push({ n, p: net.dim, tDescent, tTorch, err });
}
if (smoke) process.exit(0);
console.log(`| MLP [${widths.join(', ')}], n | params | descent HVP/s | torch double-backward HVP/s | descent ÷ torch (speed) | max rel. diff |`);
console.log('|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.n} | ${r.p} | ${(1 / r.tDescent).toFixed(0)} | ${hasTorch ? (1 / r.tTorch).toFixed(0) : 'torch not installed'} | ${hasTorch ? (r.tTorch / r.tDescent).toFixed(2) + '×' : '—'} | ${hasTorch ? r.err.toExponential(1) : '—'} |`);
}
