// Dense-quadratic ensemble throughput (issue 16 item 2), single thread, float64:
//   descent  `simulate` with plain SGD (gradient descent) on `landscapes.quadratic({ eigenvalues,
//            seed })`, A = QΛQᵀ dense d×d (its block gradient G = A·X + b is the register-blocked
//            micro-kernel in assembly/landscapes/quadratic.ts), with and without Gaussian noise;
//   numpy    bench/dense_numpy.py, the same run as `G = X @ A` (OpenBLAS dgemm, one thread) and
//            `rng.standard_normal`, in a subprocess, when `/usr/bin/python3 -c "import numpy"` works.
// Sizes: d = 32, P = 10⁴ particles, T = 500 steps (timed runs start from N(0, I), drawn in wasm), Λ log-spaced in [0.1, 10], lr = 0.05.
// Unit: M coordinate-updates/s = P·d·T / seconds / 10⁶. GFLOP/s counts the gradient's 2d² flops
// per particle and step (d mul + d add per row; the +b, noise and update are not counted).
// Peak: bench/fused/peak.ts, an in-register loop of 6 independent f64x2 adds and 6 muls (wasm
// has no FMA), built with asc; the best of 5 runs of 3·10⁷ iterations.
//
// Checks before timing (exit 1 on failure):
//   • descent equals a plain-JS twin with the same summation order (acc = 0; acc += A_ij x_j in
//     ascending j; + b_i; x − lr·g) bit for bit, without noise (the kernel keeps the order);
//   • descent agrees with numpy to 1e-10 relative (max-norm) without noise (BLAS sums differently);
//   • with noise, each coordinate's ensemble mean agrees within 6 standard errors.
//
//   node scripts/build.mjs --no-types && node bench/dense.mjs [--quick] [--seconds 2] [--build dir]
// --quick: d = 7 and 32 (row tails), P = 37 (a lane tail), T = 5, checks only, no timing.
// --build: import descent from another build directory (e.g. main's, for a before/after).
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { mulberry32 } from './gradients.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const NUMPY = here('./dense_numpy.py');
const ENV = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const seconds = Number(argv[argv.indexOf('--seconds') + 1]) || 2;
const LR = 0.05, SIGMA = 0.1, SEED = 7;
const buildAt = argv.indexOf('--build') >= 0 ? argv[argv.indexOf('--build') + 1] : undefined;
const descent = await import(buildAt ? pathToFileURL(resolve(buildAt, 'descent.node.mjs')).href : '../build/descent.node.mjs');

await descent.init();
const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;

function fail(msg) { console.error(`dense: ${msg}`); process.exit(1); }

function problem(d, P) {
  const eigenvalues = Array.from({ length: d }, (_, i) => 0.1 * 10 ** (2 * i / Math.max(1, d - 1)));
  const landscape = descent.landscapes.quadratic({ eigenvalues, seed: 3 });
  const A = landscape.hessian(new Float64Array(d)); // exactly the kernel's A (b = 0, c = 0 at center 0)
  const r = mulberry32(11), X0 = Float64Array.from({ length: P * d }, () => 4 * r() - 2);
  return { d, P, landscape, A, X0 };
}

/** One simulate run; `timing`: start from inits.normal (drawn in wasm) rather than pr.X0, whose
 * packing from 10⁴ JS arrays costs ~0.3 s and would dominate the run. */
async function runDescent(pr, T, sigma, timing = false) {
  const points = timing ? [] : Array.from({ length: pr.P }, (_, i) => pr.X0.subarray(i * pr.d, (i + 1) * pr.d));
  const config = {
    landscape: pr.landscape, optimizer: descent.optimizers.sgd({ lr: LR }),
    noise: sigma > 0 ? descent.noise.gaussian({ sigma }) : descent.noise.none(),
    init: timing ? descent.inits.normal({ mean: new Array(pr.d).fill(0), std: new Array(pr.d).fill(1) }) : descent.inits.array({ points }),
    particles: pr.P, steps: T, seed: SEED,
  };
  const t0 = performance.now();
  const res = await descent.simulate(config);
  return { seconds: (performance.now() - t0) / 1000, x: res.x };
}

/** The plain-JS twin: the scalar kernel's order, row-major P×d. */
function jsTwin(pr, T) {
  const { d, P, A } = pr, x = Float64Array.from(pr.X0), g = new Float64Array(d);
  for (let t = 0; t < T; t++) {
    for (let p = 0; p < P; p++) {
      const o = p * d;
      for (let i = 0; i < d; i++) {
        let acc = 0;
        for (let j = 0; j < d; j++) acc += A[i * d + j] * x[o + j];
        g[i] = acc + 0; // b = 0
      }
      for (let i = 0; i < d; i++) x[o + i] = x[o + i] - LR * g[i];
    }
  }
  return x;
}

function runNumpy(pr, T, sigma, minSeconds) {
  const job = { d: pr.d, P: pr.P, T, lr: LR, sigma, seed: SEED, minSeconds, A: Array.from(pr.A), X0: Array.from(pr.X0) };
  const p = spawnSync('/usr/bin/python3', [NUMPY], { input: JSON.stringify(job), env: ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (p.status !== 0) fail(`dense_numpy.py failed: ${p.stderr}`);
  return JSON.parse(p.stdout);
}

function relMax(a, b) {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num = Math.max(num, Math.abs(a[i] - b[i])); den = Math.max(den, Math.abs(b[i])); }
  return num / den;
}

function columnStats(x, P, d) {
  const mean = new Float64Array(d), vr = new Float64Array(d);
  for (let p = 0; p < P; p++) for (let j = 0; j < d; j++) mean[j] += x[p * d + j] / P;
  for (let p = 0; p < P; p++) for (let j = 0; j < d; j++) vr[j] += (x[p * d + j] - mean[j]) ** 2 / (P - 1);
  return { mean, vr };
}

async function check(pr, T) {
  const ours = (await runDescent(pr, T, 0)).x;
  const twin = jsTwin(pr, T);
  for (let i = 0; i < twin.length; i++) {
    if (!Object.is(ours[i], twin[i])) fail(`d = ${pr.d}, P = ${pr.P}: descent ≠ JS twin at ${i}: ${ours[i]} vs ${twin[i]}`);
  }
  let err = NaN;
  if (hasNumpy) {
    err = relMax(ours, runNumpy(pr, T, 0, 0).x);
    if (!(err <= 1e-10)) fail(`d = ${pr.d}: descent and numpy disagree: relative error ${err}`);
    const noisy = (await runDescent(pr, T, SIGMA)).x, np = runNumpy(pr, T, SIGMA, 0);
    const s = columnStats(noisy, pr.P, pr.d);
    for (let j = 0; j < pr.d; j++) {
      const se = Math.sqrt((s.vr[j] + np.var[j]) / pr.P);
      if (!(Math.abs(s.mean[j] - np.mean[j]) <= 6 * se)) fail(`d = ${pr.d}: noisy means differ at ${j}: ${s.mean[j]} vs ${np.mean[j]} (se ${se})`);
    }
  }
  console.error(`dense: d = ${pr.d}, P = ${pr.P}, T = ${T}: descent = JS twin bit for bit; vs numpy ${hasNumpy ? `rel. ${err.toExponential(1)}, noisy means within 6 se` : 'skipped (no numpy)'}`);
}

function peak() {
  const src = here('./fused/peak.ts'), wasm = here('./fused/peak.wasm'), asc = here('../node_modules/.bin/asc');
  if (!existsSync(asc)) return NaN;
  if (!existsSync(wasm) || statSync(wasm).mtimeMs < statSync(src).mtimeMs) {
    execFileSync(asc, ['peak.ts', '--runtime', 'stub', '-O3', '--enable', 'simd', '-o', 'peak.wasm'], { cwd: here('./fused/'), stdio: 'inherit' });
  }
  const ex = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(wasm)), {}).exports;
  let best = 0;
  ex.peakMulAdd(1e6, 1e-9, 0.9999999); // tier-up
  for (let r = 0; r < 5; r++) {
    const n = 3e7, t0 = performance.now();
    ex.peakMulAdd(n, 1e-9, 0.9999999);
    best = Math.max(best, 24 * n / ((performance.now() - t0) / 1000) / 1e9);
  }
  return best;
}

if (quick) {
  for (const d of [7, 32]) await check(problem(d, 37), 5);
  process.exit(0);
}

const d = 32, P = 10_000, T = 500;
const pr = problem(d, P);
await check(problem(d, 101), 5);
await check(problem(7, 37), 5);
const rows = [];
for (const sigma of [0, SIGMA]) {
  await runDescent(pr, 20, sigma, true); // warm-up (tier-up)
  let best = Infinity, total = 0;
  while (total < seconds) { const s = (await runDescent(pr, T, sigma, true)).seconds; best = Math.min(best, s); total += s; }
  const np = hasNumpy ? runNumpy(pr, T, sigma, seconds).seconds : NaN;
  rows.push({ sigma, descent: best, numpy: np });
}
const pk = peak();
const mu = (s) => P * d * T / s / 1e6, gf = (s) => 2 * d * d * P * T / s / 1e9;
console.log(`| d = ${d}, P = ${P}, T = ${T}, GD | descent (M coord-updates/s) | numpy X @ A (M/s) | descent ÷ numpy | descent gradient GFLOP/s | fraction of peak (${pk.toFixed(1)} GFLOP/s) |`);
console.log('|---|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.sigma > 0 ? `Gaussian noise σ = ${r.sigma}` : 'no noise'} | ${mu(r.descent).toFixed(0)} | ${hasNumpy ? mu(r.numpy).toFixed(0) : 'numpy not installed'} | ${hasNumpy ? (r.numpy / r.descent).toFixed(2) + '×' : '—'} | ${gf(r.descent).toFixed(1)} | ${(gf(r.descent) / pk).toFixed(2)} |`);
}
