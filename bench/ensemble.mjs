#!/usr/bin/env node
// The ensemble workload: SGD with and without Gaussian gradient noise on many particles at once,
//   x ← x − lr·(∇f(x) + σ·z),   z ~ N(0, I) fresh per particle, step and coordinate,
// timed for descent's `simulate` and, in the same run, for
//   - a plain-JS Float64Array twin (below),
//   - a native twin, bench/native/sgd_ensemble.c (gcc -O3 -march=native; built here when gcc exists),
//   - a numpy twin, bench/numpy_sgd.py (run when /usr/bin/python3 can `import numpy`),
//   - a hand-fused wasm loop, bench/fused/sgd_rosenbrock.ts (AssemblyScript, built here with
//     node_modules/.bin/asc), for the Rosenbrock rows: the bound for descent's block pipeline.
// Reported in M particle-coordinate updates per second (P·d·T / seconds / 10⁶), single thread.
//
// Part of `npm run bench` (bench/run.mjs runs it after the gradient workloads); on its own:
//   node bench/ensemble.mjs [--quick] [--json] [--filter <substr>] [--rounds <n>] [--list]
//
// Correctness before timing: on small instances, descent's final positions equal the JS twin's to
// 1e-12 relative without noise (deterministic), and every side's per-coordinate ensemble mean and
// variance agree with the JS twin's within a statistical tolerance with noise (different RNGs);
// the native and numpy twins are compared by their means to 1e-9 without noise (FMA, BLAS). The
// same comparisons run again on the full-size timed results. Any failure exits 1. With noise the
// fused loop must also equal descent bit for bit (it copies descent's normal generator); if it
// does not, that is reported as a note (descent's generator moved on), not a failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const NATIVE_SRC = here('./native/sgd_ensemble.c');
const NATIVE_EXE = here('./native/sgd_ensemble.out');
const NUMPY_SCRIPT = here('./numpy_sgd.py');
const FUSED_SRC = here('./fused/sgd_rosenbrock.ts');
const FUSED_WASM = here('./fused/sgd_rosenbrock.wasm');
const PYTHON = '/usr/bin/python3';
const SEED = 1;

// ---------------------------------------------------------------------------------------------
// The workloads. P and T are the issue's; --quick shrinks them (a smoke run, rough numbers).

const ROSENBROCK = { a: 1, b: 100, lr: 1e-3, start: [-1.2, 1] };
const QUAD_D = 32;
/** λ_i = 0.1·10^(2i/(d−1)): 0.1 … 10, a 100× spread; lr·λ_max = 0.1 < 2. */
export const EIGENVALUES = Array.from({ length: QUAD_D }, (_, i) => 0.1 * 10 ** (2 * i / (QUAD_D - 1)));
const QUAD_LR = 1e-2;

const SPECS = [
  { id: 'rosenbrock-d2-noise', kind: 'rosenbrock', d: 2, sigma: 0.1, full: { P: 100_000, T: 1000 }, quick: { P: 20_000, T: 200 } },
  { id: 'rosenbrock-d2', kind: 'rosenbrock', d: 2, sigma: 0, full: { P: 100_000, T: 1000 }, quick: { P: 20_000, T: 200 } },
  { id: 'quadratic-d32-noise', kind: 'quadratic', d: QUAD_D, sigma: 0.1, full: { P: 10_000, T: 1000 }, quick: { P: 2000, T: 200 } },
  { id: 'quadratic-d32', kind: 'quadratic', d: QUAD_D, sigma: 0, full: { P: 10_000, T: 1000 }, quick: { P: 2000, T: 200 } },
];

const thin = (n) => n.toLocaleString('en-US').replace(/,/g, ' ');

function workloadList(quick) {
  return SPECS.map((s) => {
    const { P, T } = quick ? s.quick : s.full;
    const what = s.kind === 'rosenbrock' ? 'Rosenbrock d=2' : `quadratic d=${s.d} (dense A, κ=100)`;
    return { ...s, P, T, title: `${what}, ${s.sigma > 0 ? `σ=${s.sigma}` : 'no noise'}, P=${thin(P)}, T=${thin(T)}` };
  });
}

// Goals from the issue (reported, not tests).
const GOALS = {
  noiseVsNumpy: 3, noiseVsJs: 5, plainVsNative: 0.5, fusedOverDescent: 1.25,
};

// ---------------------------------------------------------------------------------------------
// Plain-JS twin: what a competent JS developer writes for speed. Structure of arrays (coordinate j
// of particle p at x[j·P + p]), steps outer and particles inner, no allocation in the loop,
// constants hoisted. Normals: Box–Muller with Math.log/sqrt/cos/sin on xoshiro128** (53-bit
// uniforms from two 32-bit outputs, like descent's), generated a buffer at a time by `fillNormal`
// with the generator state in local variables (state in a typed array, one call per draw, was
// 1.4× slower: 30 against 42 M updates/s on the Rosenbrock row).

/** xoshiro128** state (4 × i32), seeded by splitmix32. */
export function rngState(seed) {
  const s = new Int32Array(4);
  let z = seed >>> 0;
  for (let k = 0; k < 4; k++) {
    z = (z + 0x9e3779b9) | 0;
    let t = z;
    t = Math.imul(t ^ (t >>> 16), 0x21f0aaad);
    t = Math.imul(t ^ (t >>> 15), 0x735a2d97);
    s[k] = t ^ (t >>> 15);
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return s;
}

const TWO_PI = 2 * Math.PI;
const TWO_POW_26 = 67108864;
const TWO_POW_M53 = 2 ** -53;

/**
 * z[0 … n) ← N(0, 1) draws: Box–Muller on pairs of 53-bit uniforms from xoshiro128** (Blackman &
 * Vigna), state `st` (Int32Array(4), advanced).
 */
export function fillNormal(z, n, st) {
  let s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3];
  for (let i = 0; i < n; i += 2) {
    let m, t;
    // Four xoshiro128** outputs: result = rotl(s1·5, 7)·9, then the state transition.
    m = Math.imul(s1, 5); const w0 = Math.imul((m << 7) | (m >>> 25), 9);
    t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
    m = Math.imul(s1, 5); const w1 = Math.imul((m << 7) | (m >>> 25), 9);
    t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
    m = Math.imul(s1, 5); const w2 = Math.imul((m << 7) | (m >>> 25), 9);
    t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
    m = Math.imul(s1, 5); const w3 = Math.imul((m << 7) | (m >>> 25), 9);
    t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
    const u = ((w0 >>> 5) * TWO_POW_26 + (w1 >>> 6)) * TWO_POW_M53;
    const v = ((w2 >>> 5) * TWO_POW_26 + (w3 >>> 6)) * TWO_POW_M53;
    const rad = Math.sqrt(-2 * Math.log(1 - u)), th = TWO_PI * v;
    z[i] = rad * Math.cos(th);
    if (i + 1 < n) z[i + 1] = rad * Math.sin(th);
  }
  st[0] = s0; st[1] = s1; st[2] = s2; st[3] = s3;
}

/** SGD on 2-d Rosenbrock for P particles, T steps; x = [x0 (P) | x1 (P)], updated in place. */
export function jsRosenbrock(x, P, T, lr, sigma, seed, a = ROSENBROCK.a, b = ROSENBROCK.b) {
  const b4 = 4 * b, b2 = 2 * b;
  if (sigma > 0) {
    const st = rngState(seed);
    const z = new Float64Array(2 * P);
    for (let t = 0; t < T; t++) {
      fillNormal(z, 2 * P, st);
      for (let p = 0; p < P; p++) {
        const xa = x[p], xb = x[P + p];
        const r = xb - xa * xa;
        x[p] = xa - lr * (-b4 * xa * r - 2 * (a - xa) + sigma * z[p]);
        x[P + p] = xb - lr * (b2 * r + sigma * z[P + p]);
      }
    }
  } else {
    for (let t = 0; t < T; t++) {
      for (let p = 0; p < P; p++) {
        const xa = x[p], xb = x[P + p];
        const r = xb - xa * xa;
        x[p] = xa - lr * (-b4 * xa * r - 2 * (a - xa));
        x[P + p] = xb - lr * (b2 * r);
      }
    }
  }
  return x;
}

const BLOCK = 64;

/**
 * SGD on ½ xᵀAx, A dense d×d row-major (Float64Array), for P particles, T steps; x (d·P, SoA)
 * updated in place. Per block of 64 particles: G = A·X_block, each (Ax)_i accumulated over j in
 * order (descent's summation order), four particles at a time in four independent accumulators
 * (2.7× faster in V8 than accumulating into G in memory: 40 against 15 M updates/s); then noise,
 * then the update.
 */
export function jsQuadratic(x, P, T, d, A, lr, sigma, seed) {
  const G = new Float64Array(d * BLOCK), Z = new Float64Array(d * BLOCK);
  const st = sigma > 0 ? rngState(seed) : undefined;
  for (let t = 0; t < T; t++) {
    for (let p0 = 0; p0 < P; p0 += BLOCK) {
      const n = Math.min(BLOCK, P - p0);
      for (let i = 0; i < d; i++) {
        const gi = i * BLOCK, ai = i * d;
        let k = 0;
        for (; k + 4 <= n; k += 4) {
          let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
          for (let j = 0; j < d; j++) {
            const aij = A[ai + j], o = j * P + p0 + k;
            c0 += aij * x[o]; c1 += aij * x[o + 1]; c2 += aij * x[o + 2]; c3 += aij * x[o + 3];
          }
          G[gi + k] = c0; G[gi + k + 1] = c1; G[gi + k + 2] = c2; G[gi + k + 3] = c3;
        }
        for (; k < n; k++) {
          let c = 0;
          for (let j = 0; j < d; j++) c += A[ai + j] * x[j * P + p0 + k];
          G[gi + k] = c;
        }
      }
      if (st !== undefined) {
        fillNormal(Z, d * BLOCK, st);
        for (let i = 0; i < d * BLOCK; i++) G[i] += sigma * Z[i];
      }
      for (let i = 0; i < d; i++) {
        const xi = i * P + p0, gi = i * BLOCK;
        for (let k = 0; k < n; k++) x[xi + k] -= lr * G[gi + k];
      }
    }
  }
  return x;
}

/** The dense A of the bench's quadratic: diag(EIGENVALUES) as d×d row-major. */
function denseA() {
  const A = new Float64Array(QUAD_D * QUAD_D);
  for (let i = 0; i < QUAD_D; i++) A[i * QUAD_D + i] = EIGENVALUES[i];
  return A;
}

/** Initial positions, SoA. */
function startSoA(w) {
  const x = new Float64Array(w.d * w.P);
  if (w.kind === 'rosenbrock') {
    x.fill(ROSENBROCK.start[0], 0, w.P);
    x.fill(ROSENBROCK.start[1], w.P);
  } else x.fill(1);
  return x;
}

// ---------------------------------------------------------------------------------------------
// The sides. Each `run(w)` does one whole simulation of workload w (P, T, σ) and returns
// { seconds, x } with x the final positions SoA (d·P), or { seconds, stats } for out-of-process
// twins (per-coordinate mean and variance of the final positions).

function descentSide(descent) {
  const rosen = descent.landscapes.rosenbrock({ a: ROSENBROCK.a, b: ROSENBROCK.b });
  const Arows = EIGENVALUES.map((l, i) => EIGENVALUES.map((_, j) => (i === j ? l : 0)));
  const quad = descent.landscapes.quadratic({ A: Arows });
  return {
    name: 'descent',
    inProcess: true,
    applies: () => true,
    async run(w) {
      const config = {
        landscape: w.kind === 'rosenbrock' ? rosen : quad,
        optimizer: descent.optimizers.sgd({ lr: w.kind === 'rosenbrock' ? ROSENBROCK.lr : QUAD_LR }),
        noise: w.sigma > 0 ? descent.noise.gaussian({ sigma: w.sigma }) : descent.noise.none(),
        init: descent.inits.point({ x: w.kind === 'rosenbrock' ? ROSENBROCK.start : new Array(w.d).fill(1) }),
        particles: w.P, steps: w.T, seed: SEED,
      };
      const t0 = performance.now();
      const r = await descent.simulate(config);
      const seconds = (performance.now() - t0) / 1000;
      if (r.counts.diverged !== 0) throw new Error(`descent: ${r.counts.diverged} particles diverged`);
      // r.x is row-major P×d: transpose to SoA for the comparisons (outside the timing).
      const x = new Float64Array(w.d * w.P);
      for (let p = 0; p < w.P; p++) for (let j = 0; j < w.d; j++) x[j * w.P + p] = r.x[p * w.d + j];
      return { seconds, x };
    },
  };
}

function jsSide() {
  const A = denseA();
  return {
    name: 'plain JS',
    inProcess: true,
    applies: () => true,
    async run(w) {
      const x = startSoA(w);
      const t0 = performance.now();
      if (w.kind === 'rosenbrock') jsRosenbrock(x, w.P, w.T, ROSENBROCK.lr, w.sigma, SEED);
      else jsQuadratic(x, w.P, w.T, w.d, A, QUAD_LR, w.sigma, SEED);
      return { seconds: (performance.now() - t0) / 1000, x };
    },
  };
}

/** The hand-fused AssemblyScript loop (Rosenbrock only), chunked like descent (≈4·10⁶ updates per call). */
function fusedSide(bytes) {
  const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
  const base = ex.base();
  return {
    name: 'fused wasm',
    inProcess: true,
    applies: (w) => w.kind === 'rosenbrock',
    async run(w) {
      const Ppad = w.P + (w.P & 1);
      const x0 = base, x1 = base + 8 * Ppad, end = x1 + 8 * Ppad;
      const have = ex.memory.buffer.byteLength;
      if (end > have) ex.memory.grow(Math.ceil((end - have) / 65536));
      const mem = new Float64Array(ex.memory.buffer);
      mem.fill(ROSENBROCK.start[0], x0 / 8, x0 / 8 + Ppad);
      mem.fill(ROSENBROCK.start[1], x1 / 8, x1 / 8 + Ppad);
      const chunk = Math.max(1, Math.min(w.T, Math.floor(4e6 / (w.P * w.d))));
      const { lr, a, b } = ROSENBROCK;
      const k0 = SEED % 2 ** 32, k1 = Math.floor(SEED / 2 ** 32);
      const t0 = performance.now();
      for (let t = 0; t < w.T; t += chunk) {
        const t1 = Math.min(w.T, t + chunk);
        if (w.sigma > 0) ex.stepNoise(x0, x1, w.P, BLOCK, t, t1, lr, a, b, w.sigma, k0, k1);
        else ex.stepPlain(x0, x1, Ppad, BLOCK, t, t1, lr, a, b);
      }
      const seconds = (performance.now() - t0) / 1000;
      const x = new Float64Array(2 * w.P);
      x.set(mem.subarray(x0 / 8, x0 / 8 + w.P), 0);
      x.set(mem.subarray(x1 / 8, x1 / 8 + w.P), w.P);
      return { seconds, x };
    },
  };
}

/** An out-of-process twin: it times itself (best of repeated whole runs) and prints JSON. */
function processSide(name, command, prefixArgs, env) {
  return {
    name,
    inProcess: false,
    applies: () => true,
    async run(w, minSeconds = 0) {
      const args = [...prefixArgs, w.kind, String(w.P), String(w.T), String(w.sigma), String(SEED), String(minSeconds)];
      if (w.kind === 'quadratic') args.push(String(w.d));
      const res = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
      if (res.error || res.status !== 0) {
        throw new Error(`${name}: ${command} ${args.join(' ')} failed: ${res.error?.message ?? `exit ${res.status}`}\n${res.stderr}`);
      }
      const out = JSON.parse(res.stdout.trim().split('\n').pop());
      return { seconds: out.seconds, reps: out.reps, stats: { mean: out.mean, var: out.var }, info: out };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Building the twins.

function stale(target, source) {
  return !existsSync(target) || statSync(target).mtimeMs < statSync(source).mtimeMs;
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function buildNative(log) {
  if (!which('gcc')) return { note: 'native C twin skipped: gcc not found' };
  const args = ['-O3', '-march=native', '-o', NATIVE_EXE, NATIVE_SRC, '-lm'];
  if (stale(NATIVE_EXE, NATIVE_SRC)) {
    log(`ensemble: gcc ${args.join(' ')}`);
    execFileSync('gcc', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  const version = execFileSync('gcc', ['-dumpfullversion'], { encoding: 'utf8' }).trim();
  return { side: processSide('native C', NATIVE_EXE, [], {}), version: `gcc ${version} -O3 -march=native` };
}

function findNumpy() {
  if (!existsSync(PYTHON)) return { note: `numpy twin skipped: ${PYTHON} not found` };
  const r = spawnSync(PYTHON, ['-c', 'import numpy, sys; print(numpy.__version__, sys.version.split()[0])'], { encoding: 'utf8' });
  if (r.status !== 0) return { note: 'numpy twin skipped: `import numpy` failed (apt-get install python3-numpy)' };
  const [np, py] = r.stdout.trim().split(' ');
  // Single thread: OpenBLAS (the quadratic's X @ A) would otherwise use every core.
  const env = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  return { side: processSide('numpy', PYTHON, [NUMPY_SCRIPT], env), version: `numpy ${np} (python ${py})` };
}

function buildFused(log) {
  const asc = here('../node_modules/.bin/asc');
  if (!existsSync(asc)) return { note: 'fused wasm baseline skipped: node_modules/.bin/asc not found (npm install)' };
  if (stale(FUSED_WASM, FUSED_SRC)) {
    const args = ['sgd_rosenbrock.ts', '--runtime', 'stub', '-O3', '--enable', 'simd', '-o', 'sgd_rosenbrock.wasm'];
    log(`ensemble: asc ${args.join(' ')} (in bench/fused)`);
    // cwd bench/fused: asc must not pick up the library's asconfig.json at the repository root.
    execFileSync(asc, args, { cwd: here('./fused/'), stdio: ['ignore', 'inherit', 'inherit'] });
  }
  return { side: fusedSide(readFileSync(FUSED_WASM)), version: 'asc --runtime stub -O3 --enable simd' };
}

// ---------------------------------------------------------------------------------------------
// Comparisons.

/** Per-coordinate mean and unbiased variance of SoA positions. */
function stats(x, d, P) {
  const mean = [], variance = [];
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let p = 0; p < P; p++) m += x[j * P + p];
    m /= P;
    let q = 0;
    for (let p = 0; p < P; p++) { const e = x[j * P + p] - m; q += e * e; }
    mean.push(m);
    variance.push(P > 1 ? q / (P - 1) : 0);
  }
  return { mean, var: variance };
}

/** Elementwise: per particle ‖x − ref‖∞ ≤ tol·‖ref‖∞. */
function compareExact(x, ref, d, P, tol) {
  let maxRel = 0, differing = 0;
  for (let p = 0; p < P; p++) {
    let diff = 0, norm = 0;
    for (let j = 0; j < d; j++) {
      const a = x[j * P + p], b = ref[j * P + p];
      if (!Number.isFinite(a)) return { ok: false, problem: `particle ${p}, coordinate ${j}: ${a}` };
      if (a !== b) differing++;
      diff = Math.max(diff, Math.abs(a - b));
      norm = Math.max(norm, Math.abs(b));
    }
    const rel = norm === 0 ? (diff === 0 ? 0 : Infinity) : diff / norm;
    maxRel = Math.max(maxRel, rel);
    if (!(rel <= tol)) return { ok: false, problem: `particle ${p}: relative difference ${rel.toExponential(2)} > ${tol}` };
  }
  return { ok: true, detail: differing === 0 ? 'bit-identical' : `max relative difference ${maxRel.toExponential(2)}` };
}

/** Means only (deterministic runs, twins with FMA/BLAS): |m − m_ref| ≤ tol·max|m_ref|. */
function compareMeans(s, ref, tol) {
  const scale = Math.max(...ref.mean.map(Math.abs));
  let maxRel = 0;
  for (let j = 0; j < ref.mean.length; j++) {
    if (!Number.isFinite(s.mean[j])) return { ok: false, problem: `coordinate ${j}: mean ${s.mean[j]}` };
    const rel = Math.abs(s.mean[j] - ref.mean[j]) / scale;
    maxRel = Math.max(maxRel, rel);
    if (!(rel <= tol)) return { ok: false, problem: `coordinate ${j}: mean ${s.mean[j]} vs ${ref.mean[j]} (relative ${rel.toExponential(2)} > ${tol})` };
  }
  return { ok: true, detail: `means within ${maxRel.toExponential(2)} relative` };
}

/**
 * Two independent ensembles of P particles (different RNGs): per coordinate, the means differ by
 * at most Z standard errors, and the variances' ratio is within 1 ± Z·√(4/P) (the standard error
 * of a ratio of two near-Gaussian sample variances is ≈ √(4/P)). Z = 6: a false alarm over the
 * 2·(2 + 32) tests of a run has probability < 10⁻⁶.
 */
function compareStats(s, ref, P) {
  const Z = 6;
  let worstMean = 0, worstVar = 0;
  for (let j = 0; j < ref.mean.length; j++) {
    const se = Math.sqrt((s.var[j] + ref.var[j]) / P);
    const zm = Math.abs(s.mean[j] - ref.mean[j]) / se;
    const rv = s.var[j] / ref.var[j];
    if (!(ref.var[j] > 0) || !Number.isFinite(zm)) return { ok: false, problem: `coordinate ${j}: variance ${s.var[j]} vs ${ref.var[j]}` };
    if (!(zm <= Z)) return { ok: false, problem: `coordinate ${j}: means ${s.mean[j]} vs ${ref.mean[j]} differ by ${zm.toFixed(1)} standard errors` };
    if (!(Math.abs(rv - 1) <= Z * Math.sqrt(4 / P))) return { ok: false, problem: `coordinate ${j}: variances ${s.var[j]} vs ${ref.var[j]} (ratio ${rv.toFixed(3)})` };
    worstMean = Math.max(worstMean, zm);
    worstVar = Math.max(worstVar, Math.abs(rv - 1));
  }
  return { ok: true, detail: `means within ${worstMean.toFixed(1)} s.e., variances within ${(100 * worstVar).toFixed(1)}%` };
}

/** Compare one side's result against the JS twin's on workload w. */
function compareSide(side, res, ref, w) {
  if (w.sigma === 0) {
    if (res.x) return compareExact(res.x, ref.x, w.d, w.P, 1e-12);
    return compareMeans(res.stats, stats(ref.x, w.d, w.P), 1e-9);
  }
  return compareStats(res.stats ?? stats(res.x, w.d, w.P), stats(ref.x, w.d, w.P), w.P);
}

// ---------------------------------------------------------------------------------------------
// Prepare (build + check) and run (time).

/**
 * Build the twins and check every side against the JS twin on small instances. Returns
 * { ok, workloads, sides, notes, versions, checks, run() }; run() times everything and returns
 * the results. `ids`: the workload ids to run (default all).
 */
export async function prepare(descent, { quick = false, ids, rounds, log = () => {} } = {}) {
  const workloads = workloadList(quick).filter((w) => ids === undefined || ids.includes(w.id));
  const notes = [], versions = {};
  const sides = [descentSide(descent), jsSide()];
  for (const [key, build] of [['native', () => buildNative(log)], ['numpy', findNumpy], ['fused', () => buildFused(log)]]) {
    const b = build();
    if (b.note) { notes.push(b.note); log(`ensemble: ${b.note}`); }
    if (b.side) { sides.push(b.side); versions[key] = b.version; }
  }
  const order = ['descent', 'plain JS', 'native C', 'numpy', 'fused wasm'];
  sides.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));

  // Correctness: small instances of each selected workload's kind and noise setting.
  const checks = [];
  let ok = true;
  for (const w of workloads) {
    const small = { ...w, ...(w.sigma === 0 ? { P: 1000, T: 50 } : { P: 10_000, T: 100 }) };
    const ref = await jsSide().run(small);
    const got = {};
    for (const side of sides) {
      if (side.name === 'plain JS' || !side.applies(w)) continue;
      let c;
      try {
        got[side.name] = await side.run(small);
        c = compareSide(side, got[side.name], ref, small);
      } catch (error) {
        c = { ok: false, problem: error.message };
      }
      checks.push({ workload: w.id, side: side.name, against: 'plain JS', P: small.P, T: small.T, ...c });
      log(`check ensemble/${w.id} ${side.name} vs plain JS (P=${small.P}, T=${small.T}): ${c.ok ? `ok (${c.detail})` : `FAILED: ${c.problem}`}`);
      if (!c.ok) ok = false;
    }
    // With noise, the fused loop should draw descent's very normals (it copies the generator):
    // then fused/descent compares like with like. Not fatal when not; reported.
    const fused = got['fused wasm'], mine = got.descent;
    if (w.sigma > 0 && fused?.x && mine?.x) {
      const c = compareExact(fused.x, mine.x, w.d, small.P, 0);
      const detail = c.ok ? 'bit-identical (same normal generator)' : `differs (${c.problem})`;
      checks.push({ workload: w.id, side: 'fused wasm', against: 'descent', P: small.P, T: small.T, ok: c.ok, detail });
      log(`check ensemble/${w.id} fused wasm vs descent: ${detail}`);
      if (!c.ok) {
        const note = `the fused wasm loop's noise differs from descent's on ${w.id} (descent's normal generator ` +
          'changed?): fused/descent with noise is not like for like until bench/fused/sgd_rosenbrock.ts copies it again';
        notes.push(note);
        log(`ensemble: warning: ${note}`);
      }
    }
  }

  const timing = quick ? { minSeconds: 0.2, warmupMs: 150, rounds: rounds ?? 1 } : { minSeconds: 1, warmupMs: 400, rounds: rounds ?? 1 };
  return {
    ok, mode: quick ? 'quick' : 'full', workloads, sides: sides.map((s) => s.name), notes, versions, checks, timing,
    run: () => timeAll(workloads, sides, timing, log),
  };
}

/** Run `side` on a small instance of w until `ms` have passed: V8 tiers up the JS and the wasm. */
async function warmUp(side, w, ms) {
  const small = { ...w, P: Math.min(w.P, w.kind === 'rosenbrock' ? 10_000 : 1000), T: 20 };
  const end = performance.now() + ms;
  let calls = 0;
  while (calls < 2 || performance.now() < end) {
    await side.run(small);
    calls++;
  }
}

/** One measurement: whole runs until minSeconds have passed (at least one); the fastest counts. */
async function measure(side, w, minSeconds) {
  if (!side.inProcess) return side.run(w, minSeconds);
  let best, total = 0, reps = 0;
  do {
    const r = await side.run(w);
    total += r.seconds;
    reps++;
    if (best === undefined || r.seconds < best.seconds) best = r;
  } while (total < minSeconds);
  return { ...best, reps };
}

async function timeAll(workloads, sides, timing, log) {
  const results = [];
  let failed = false;
  for (const w of workloads) {
    const active = sides.filter((s) => s.applies(w));
    for (const s of active) if (s.inProcess) await warmUp(s, w, timing.warmupMs);
    const per = Object.fromEntries(active.map((s) => [s.name, { rounds: [], best: undefined }]));
    for (let r = 0; r < timing.rounds; r++) {
      const order = r % 2 === 0 ? active : [...active].reverse();
      for (const s of order) {
        const m = await measure(s, w, timing.minSeconds);
        const mups = (w.P * w.d * w.T) / m.seconds / 1e6;
        const e = per[s.name];
        e.rounds.push(mups);
        if (e.best === undefined || m.seconds < e.best.seconds) e.best = { ...m, mups };
        log(`ensemble/${w.id} ${s.name}: ${fmt(mups)} M updates/s (${m.seconds.toFixed(3)} s, best of ${m.reps ?? 1})`);
      }
    }
    // The timed results must still be right (full size now: tighter statistics).
    const ref = per['plain JS'].best;
    const checks = {};
    for (const s of active) {
      if (s.name === 'plain JS') continue;
      const c = compareSide(s, per[s.name].best, ref, w);
      checks[s.name] = c.ok ? c.detail : `FAILED: ${c.problem}`;
      log(`check ensemble/${w.id} ${s.name} vs plain JS after timing: ${c.ok ? `ok (${c.detail})` : `FAILED: ${c.problem}`}`);
      if (!c.ok) failed = true;
    }
    const mups = Object.fromEntries(Object.entries(per).map(([k, v]) => [k, v.best.mups]));
    const seconds = Object.fromEntries(Object.entries(per).map(([k, v]) => [k, v.best.seconds]));
    const roundsOf = Object.fromEntries(Object.entries(per).map(([k, v]) => [k, v.rounds]));
    results.push({
      id: w.id, title: w.title, kind: w.kind, d: w.d, P: w.P, T: w.T, sigma: w.sigma,
      mups, seconds, rounds: roundsOf, checks, ratios: ratios(mups),
    });
  }
  return { failed, results, goals: goals(results) };
}

function ratios(m) {
  const r = {};
  const d = m.descent;
  if (m.numpy) r['descent/numpy'] = d / m.numpy;
  if (m['plain JS']) r['descent/JS'] = d / m['plain JS'];
  if (m['native C']) r['descent/native'] = d / m['native C'];
  if (m['fused wasm']) r['fused/descent'] = m['fused wasm'] / d;
  return r;
}

function goals(results) {
  const list = [];
  const add = (text, r, key, pass) => {
    const v = r.ratios[key];
    list.push({ goal: text, workload: r.id, title: r.title, ratio: v ?? null, met: v === undefined ? null : pass(v) });
  };
  for (const r of results) {
    if (r.sigma > 0) {
      add(`with noise: descent ≥ ${GOALS.noiseVsNumpy}× numpy`, r, 'descent/numpy', (v) => v >= GOALS.noiseVsNumpy);
      add(`with noise: descent ≥ ${GOALS.noiseVsJs}× plain JS`, r, 'descent/JS', (v) => v >= GOALS.noiseVsJs);
    } else {
      add(`without noise: descent ≥ ${GOALS.plainVsNative}× native`, r, 'descent/native', (v) => v >= GOALS.plainVsNative);
    }
    if (r.ratios['fused/descent'] !== undefined) {
      add(`block pipeline within ${GOALS.fusedOverDescent}× of the hand-fused wasm loop (fused/descent ≤ ${GOALS.fusedOverDescent})`, r, 'fused/descent', (v) => v <= GOALS.fusedOverDescent);
    }
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// Report.

function fmt(x) {
  if (x === undefined || x === null) return '–';
  if (x >= 100) return thin(Math.round(x));
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

const ratio = (x) => (x === undefined ? '–' : `${x.toFixed(2)}×`);

/** The markdown section: table, goals, notes. */
export function markdown(prepared, out) {
  const lines = [
    `## Ensemble: SGD on many particles (M particle-coordinate updates/s, single thread)`,
    '',
    `x ← x − lr·(∇f(x) + σz), z ~ N(0, I) per particle, step and coordinate; seed ${SEED}. Each side's fastest whole run ` +
      `(${prepared.timing.rounds} round(s), whole runs repeated until ${prepared.timing.minSeconds} s per measurement). ` +
      `Twins: ${['plain JS (Float64Array SoA, xoshiro128** + Box–Muller)', ...Object.entries(prepared.versions).map(([k, v]) => `${k}: ${v}`)].join('; ')}.`,
    '',
    '| workload | descent | plain JS | native C | numpy | fused wasm | descent/numpy | descent/JS | descent/native | fused/descent |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const r of out.results) {
    const m = r.mups, q = r.ratios;
    lines.push(`| ${r.title} | ${fmt(m.descent)} | ${fmt(m['plain JS'])} | ${fmt(m['native C'])} | ${fmt(m.numpy)} | ${fmt(m['fused wasm'])} | ` +
      `${ratio(q['descent/numpy'])} | ${ratio(q['descent/JS'])} | ${ratio(q['descent/native'])} | ${ratio(q['fused/descent'])} |`);
  }
  lines.push('', 'Goals (reported, not tests):', '');
  for (const g of out.goals) {
    const mark = g.met === null ? '–' : g.met ? '✓' : '✗';
    // Three decimals: a ratio shown as 1.25× may be 1.254× and miss a ≤ 1.25 goal.
    lines.push(`- ${mark} ${g.goal} — ${g.title}: ${g.ratio === null ? 'not measured' : `${g.ratio.toFixed(3)}×`}`);
  }
  for (const n of prepared.notes) lines.push('', `Note: ${n}`);
  lines.push('');
  return lines.join('\n');
}

export const name = 'ensemble';
export const description = 'SGD ensembles (simulate) vs plain-JS, native C, numpy and hand-fused wasm twins';

/** Workload ids and titles, for --list and --filter. */
export function list({ quick = false } = {}) {
  return workloadList(quick).map((w) => ({ id: w.id, title: w.title }));
}

// ---------------------------------------------------------------------------------------------
// Stand-alone: node bench/ensemble.mjs [--quick] [--json] [--filter <substr>] [--rounds <n>] [--list]

async function main(argv) {
  const opts = { quick: false, json: false, list: false, filter: undefined, rounds: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--json') opts.json = true;
    else if (a === '--list') opts.list = true;
    else if (a === '--filter' && i + 1 < argv.length) opts.filter = argv[++i];
    else if (a.startsWith('--filter=')) opts.filter = a.slice(9);
    else if (a === '--rounds' && i + 1 < argv.length) opts.rounds = Number(argv[++i]);
    else {
      process.stderr.write(`usage: node bench/ensemble.mjs [--quick] [--json] [--filter <substr>] [--rounds <n>] [--list]\n`);
      process.exit(a === '--help' || a === '-h' ? 0 : 2);
    }
  }
  if (opts.rounds !== undefined && !(Number.isInteger(opts.rounds) && opts.rounds >= 1)) {
    process.stderr.write('bench: --rounds needs a positive integer\n');
    process.exit(2);
  }
  const chosen = list(opts).filter((w) => opts.filter === undefined || `${name}/${w.id} ${w.title}`.toLowerCase().includes(opts.filter.toLowerCase()));
  if (opts.list) {
    for (const w of chosen) process.stdout.write(`${name}/${w.id}\t${w.title}\n`);
    return;
  }
  if (chosen.length === 0) {
    process.stderr.write(`bench: no workload matches --filter ${JSON.stringify(opts.filter)} (try --list)\n`);
    process.exit(2);
  }
  const descent = await import('../build/descent.node.mjs').catch((error) => {
    process.stderr.write(`bench: cannot load build/descent.node.mjs (${error.message}); build first: node scripts/build.mjs --no-types\n`);
    process.exit(2);
  });
  await descent.init();
  const log = (line) => process.stderr.write(`${line}\n`);
  const prepared = await prepare(descent, { quick: opts.quick, ids: chosen.map((w) => w.id), rounds: opts.rounds, log });
  if (!prepared.ok) {
    log('bench: a twin disagrees with the plain-JS twin; not timing anything.');
    process.exit(1);
  }
  const started = performance.now();
  const out = await prepared.run();
  const meta = ensembleMeta(opts.quick, (performance.now() - started) / 1000);
  if (opts.json) process.stdout.write(`${JSON.stringify({ meta, ...summary(prepared, out) }, null, 2)}\n`);
  else process.stdout.write(`node ${meta.node} (V8 ${meta.v8}) · ${meta.cpu} × ${meta.cores} · ${meta.date}\n\n${markdown(prepared, out)}`);
  if (out.failed) process.exit(1);
}

/** Machine-readable form of a run (for --json here and in run.mjs). */
export function summary(prepared, out) {
  return {
    mode: prepared.mode,
    timing: prepared.timing, versions: prepared.versions, notes: prepared.notes,
    checks: prepared.checks, results: out.results, goals: out.goals,
  };
}

function ensembleMeta(quick, seconds) {
  return {
    date: new Date().toISOString(), node: process.version, v8: process.versions.v8,
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown', cores: os.cpus().length,
    mode: quick ? 'quick' : 'full', seconds: Number(seconds.toFixed(1)),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
