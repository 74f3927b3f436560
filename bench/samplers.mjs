#!/usr/bin/env node
// The samplers workload (issue 7 §4), single thread, float64:
//   svgd-d2, svgd-d50  one step of SVGD (samplers.svgd, median bandwidth) with N = 1 000 particles
//                      on U = ½xᵀAx (A = I, dense d × d) at d = 2 and d = 50, against
//                        - a numpy twin, bench/svgd_numpy.py (Gram-matrix squared distances,
//                          np.median, BLAS products; run when /usr/bin/python3 can import numpy,
//                          with OPENBLAS_NUM_THREADS=1),
//                        - a plain-JS twin (below);
//   ula-mixture        a ULA ensemble (samplers.ula, h = 0.01) on a 2-d Gaussian mixture,
//                      P = 100 000 particles, T = 1 000 steps, against a plain-JS twin.
// Reported in ms per step (SVGD: one step of all N particles; ULA: one step of all P) and as ratios
// twin/descent (> 1: descent is faster). Goals (issue 7, reported, not tests): SVGD ≥ 2× numpy at
// d = 2 and ≥ 1× at d = 50; ULA ≥ 5× plain JS.
//
// How each side is timed:
//   descent SVGD  whole `simulate` runs of 1 + K and of 1 step from the same start; per step =
//                 (t(1 + K) − t(1))/K, so instance set-up, allocation, init and final losses cancel;
//                 best of several such pairs after a warm-up that lets V8 tier the kernels up.
//   numpy SVGD    inside its process: one step from the same points repeated for ≥ minSeconds,
//                 best step reported.
//   JS SVGD       one step from the same points, repeated, best reported.
//   ULA           whole runs (descent: `simulate`, init and result included); best of the rounds.
//
// Correctness before timing: descent's SVGD step equals the JS twin's to 1e-12 relative, numpy's
// to 1e-9 (its Gram trick and BLAS round differently); the ULA ensembles (different random
// numbers) agree in per-coordinate mean and variance within 6 standard errors. Any failure exits 1.
//
// Part of `npm run bench` (bench/run.mjs); only this workload: `node bench/run.mjs --filter samplers/`
// (add --quick for a smoke run: one round, P = 20 000 and T = 200 for ULA; --json for numbers).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillNormal, rngState } from './ensemble.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const NUMPY_SCRIPT = here('./svgd_numpy.py');
const PYTHON = '/usr/bin/python3';
const SEED = 1;
const SVGD_EPS = 0.1;

// ---------------------------------------------------------------------------------------------
// Workloads.

const ULA = { means: [[-1, 0], [1.5, 0.5]], weights: [1, 2], stds: [0.5, 0.8], h: 0.01, temperature: 1 };

function workloadList(quick) {
  return [
    { id: 'svgd-d2', kind: 'svgd', d: 2, N: 1000, title: 'SVGD one step, N=1 000, d=2 (median bandwidth)' },
    { id: 'svgd-d50', kind: 'svgd', d: 50, N: 1000, title: 'SVGD one step, N=1 000, d=50 (median bandwidth)' },
    { id: 'ula-mixture', kind: 'ula', d: 2, ...(quick ? { P: 20_000, T: 200 } : { P: 100_000, T: 1000 }),
      title: `ULA ensemble, 2-d Gaussian mixture, P=${quick ? '20 000' : '100 000'}, T=${quick ? 200 : '1 000'}` },
  ];
}

const GOALS = { 'svgd-d2': { vs: 'numpy', min: 2 }, 'svgd-d50': { vs: 'numpy', min: 1 }, 'ula-mixture': { vs: 'plain JS', min: 5 } };

/** N × d starting points, row-major: standard normals from the JS twin's generator (seeded). */
function startPoints(N, d) {
  const x = new Float64Array(N * d);
  fillNormal(x, N * d, rngState(SEED + d));
  return x;
}

// ---------------------------------------------------------------------------------------------
// Plain-JS SVGD twin: what a competent JS developer writes for speed. Row-major N × d
// Float64Arrays, preallocated work buffers, each pair i < j once (its kernel value serves both
// φ_i and φ_j), the median of the distinct-pair distances by quickselect (Hoare partition,
// median-of-three pivot) on a copy rather than a sort.

/** Buffers for N particles in d dimensions. */
export function jsSvgdWork(N, d) {
  const M = (N * (N - 1)) / 2;
  return { S: new Float64Array(N * d), phi: new Float64Array(N * d), r2: new Float64Array(M), sel: new Float64Array(M) };
}

/** k-th smallest of a[0 … n) (reordered): quickselect. */
function quickselect(a, n, k) {
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const x = a[lo], y = a[mid], z = a[hi];
    const p = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < p) i++;
      while (p < a[j]) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

/**
 * A fresh SVGD step function (its own closure, so V8's type feedback and optimised code from
 * another dimension do not carry over: timed after d = 2, a shared function ran d = 50 2.3× slower).
 * The step works in place on x (N × d row-major) for U = ½xᵀAx (A dense d × d, row-major), T = 1,
 * kernel exp(−r²/h), h = med²/log N: x_i += ε φ_i, φ_i = (1/N) Σ_j k_ij (s_j + (2/h)(x_i − x_j)).
 */
export const makeJsSvgdStep = () => function jsSvgdStep(x, N, d, A, eps, w) {
  const { S, phi, r2, sel } = w;
  for (let i = 0; i < N; i++) {
    for (let a = 0; a < d; a++) {
      let g = 0;
      for (let b = 0; b < d; b++) g += A[a * d + b] * x[i * d + b];
      S[i * d + a] = -g;
    }
  }
  let m = 0;
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) { const e = x[i * d + c] - x[j * d + c]; s += e * e; }
      r2[m++] = s;
    }
  }
  sel.set(r2);
  const M = m, k = M >> 1;
  const upper = Math.sqrt(quickselect(sel, M, k));
  let below = 0;
  if (M % 2 === 0) { below = sel[0]; for (let q = 1; q < k; q++) if (sel[q] > below) below = sel[q]; }
  const med = M % 2 === 1 ? upper : (Math.sqrt(below) + upper) / 2;
  const h = med > 0 ? (med * med) / Math.log(N) : 1;
  const c2 = 2 / h, ninv = -1 / h;
  phi.set(S); // j = i: k_ii = 1, no kernel-gradient term
  m = 0;
  for (let i = 0; i < N; i++) {
    const oi = i * d;
    for (let j = i + 1; j < N; j++) {
      const k = Math.exp(r2[m++] * ninv), oj = j * d, kc = k * c2;
      for (let c = 0; c < d; c++) {
        const diff = x[oi + c] - x[oj + c];
        phi[oi + c] += k * S[oj + c] + kc * diff;
        phi[oj + c] += k * S[oi + c] - kc * diff;
      }
    }
  }
  const scale = eps / N;
  for (let q = 0; q < N * d; q++) x[q] += scale * phi[q];
  return x;
};

// ---------------------------------------------------------------------------------------------
// Plain-JS ULA twin: x ← x − h∇U(x) + √(2hT)·ξ on the mixture U = −log Σ_k w_k N(x; μ_k, σ_k² I),
// ∇U = Σ_k r_k (x − μ_k)/σ_k² with responsibilities r_k (log-sum-exp). SoA (x0 | x1), steps
// outer, particles inner; normals from bench/ensemble.mjs's xoshiro128** + Box–Muller, a buffer
// per step.

export function jsUla(x, P, T, seed) {
  const { means, weights, stds, h, temperature } = ULA;
  const K = means.length, wsum = weights.reduce((a, b) => a + b, 0);
  const logc = weights.map((w, k) => Math.log(w / wsum) - 2 * Math.log(stds[k])); // d = 2: (2πσ²)^{−1} up to 2π
  const inv2 = stds.map((s) => 1 / (s * s));
  const noise = Math.sqrt(2 * h * temperature);
  const z = new Float64Array(2 * P), st = rngState(seed);
  const l = new Float64Array(K);
  for (let t = 0; t < T; t++) {
    fillNormal(z, 2 * P, st);
    for (let p = 0; p < P; p++) {
      const a = x[p], b = x[P + p];
      let mx = -Infinity;
      for (let k = 0; k < K; k++) {
        const da = a - means[k][0], db = b - means[k][1];
        l[k] = logc[k] - 0.5 * (da * da + db * db) * inv2[k];
        if (l[k] > mx) mx = l[k];
      }
      let sum = 0, ga = 0, gb = 0;
      for (let k = 0; k < K; k++) {
        const r = Math.exp(l[k] - mx);
        sum += r;
        ga += r * (a - means[k][0]) * inv2[k];
        gb += r * (b - means[k][1]) * inv2[k];
      }
      x[p] = a - h * (ga / sum) + noise * z[p];
      x[P + p] = b - h * (gb / sum) + noise * z[P + p];
    }
  }
  return x;
}

// ---------------------------------------------------------------------------------------------
// Sides.

/** descent's SVGD step time: (t(1 + K) − t(1))/K over whole simulate runs from the same start. */
async function descentSvgd(descent, w, start, K) {
  const rows = Array.from({ length: w.N }, (_, p) => Array.from(start.subarray(p * w.d, (p + 1) * w.d)));
  const A = Array.from({ length: w.d }, (_, i) => Array.from({ length: w.d }, (_, j) => (i === j ? 1 : 0)));
  const config = (steps) => ({
    landscape: descent.landscapes.quadratic({ A }), optimizer: descent.samplers.svgd({ stepSize: SVGD_EPS }),
    init: descent.inits.array({ points: rows }), steps, seed: SEED,
  });
  const timed = async (steps) => {
    const c = config(steps);
    const t0 = performance.now();
    const r = await descent.simulate(c);
    return { ms: performance.now() - t0, x: r.x };
  };
  return { one: () => timed(1), perStep: async () => { const a = await timed(1), b = await timed(1 + K); return { ms: (b.ms - a.ms) / K, x: a.x }; } };
}

function findNumpy() {
  if (!existsSync(PYTHON)) return { note: `numpy twin skipped: ${PYTHON} not found` };
  const r = spawnSync(PYTHON, ['-c', 'import numpy, sys; print(numpy.__version__, sys.version.split()[0])'], { encoding: 'utf8' });
  if (r.status !== 0) return { note: 'numpy twin skipped: `import numpy` failed (apt-get install python3-numpy)' };
  const [np, py] = r.stdout.trim().split(' ');
  return { version: `numpy ${np} (python ${py})` };
}

/** One numpy measurement: best and median seconds per step, and its stepped points. */
function numpySvgd(w, start, minSeconds) {
  const dir = mkdtempSync(join(tmpdir(), 'descent-svgd-'));
  try {
    const inp = join(dir, 'x.f64'), out = join(dir, 'y.f64');
    writeFileSync(inp, new Uint8Array(start.buffer, start.byteOffset, start.byteLength));
    const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    const res = spawnSync(PYTHON, [NUMPY_SCRIPT, inp, String(w.N), String(w.d), String(SVGD_EPS), String(minSeconds), out], { encoding: 'utf8', env });
    if (res.error || res.status !== 0) throw new Error(`numpy: ${res.error?.message ?? `exit ${res.status}`}\n${res.stderr}`);
    const info = JSON.parse(res.stdout.trim().split('\n').pop());
    const bytes = readFileSync(out);
    return { ms: info.best * 1e3, median: info.median * 1e3, reps: info.reps, x: new Float64Array(bytes.buffer, bytes.byteOffset, w.N * w.d).slice() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The JS twin's best step time over ≥ minSeconds (from the same start each time). */
function jsSvgdTime(w, start, minSeconds) {
  const A = new Float64Array(w.d * w.d);
  for (let i = 0; i < w.d; i++) A[i * w.d + i] = 1;
  const work = jsSvgdWork(w.N, w.d), x = new Float64Array(start.length), jsSvgdStep = makeJsSvgdStep();
  let best = Infinity, total = 0, reps = 0;
  do {
    x.set(start);
    const t0 = performance.now();
    jsSvgdStep(x, w.N, w.d, A, SVGD_EPS, work);
    const ms = performance.now() - t0;
    best = Math.min(best, ms); total += ms; reps++;
  } while (reps < 3 || total < minSeconds * 1e3);
  return { ms: best, reps, x };
}

// ---------------------------------------------------------------------------------------------
// Checks.

/** Per particle ‖a − b‖∞ ≤ tol·max(1, ‖b‖∞). */
function compareRows(a, b, d, tol) {
  let worst = 0;
  for (let p = 0; p < b.length / d; p++) {
    let diff = 0, norm = 1;
    for (let c = p * d; c < (p + 1) * d; c++) {
      if (!Number.isFinite(a[c])) return { ok: false, problem: `particle ${p}: ${a[c]}` };
      diff = Math.max(diff, Math.abs(a[c] - b[c]));
      norm = Math.max(norm, Math.abs(b[c]));
    }
    worst = Math.max(worst, diff / norm);
  }
  return worst <= tol ? { ok: true, detail: `max relative difference ${worst.toExponential(2)}` } : { ok: false, problem: `relative difference ${worst.toExponential(2)} > ${tol}` };
}

/** Two independent ULA ensembles (SoA x0 | x1 and row-major): per coordinate, means within 6 s.e., variances within 6·√(4/P). */
function compareUla(descentRows, jsSoA, P) {
  const Z = 6;
  let worst = '';
  for (let j = 0; j < 2; j++) {
    const mom = (get) => { let m = 0; for (let p = 0; p < P; p++) m += get(p); m /= P; let v = 0; for (let p = 0; p < P; p++) v += (get(p) - m) ** 2; return [m, v / (P - 1)]; };
    const [md, vd] = mom((p) => descentRows[2 * p + j]), [mj, vj] = mom((p) => jsSoA[j * P + p]);
    const zm = Math.abs(md - mj) / Math.sqrt((vd + vj) / P), rv = vd / vj;
    if (!(zm <= Z) || !(Math.abs(rv - 1) <= Z * Math.sqrt(4 / P))) return { ok: false, problem: `coordinate ${j}: means ${md} vs ${mj}, variances ${vd} vs ${vj}` };
    worst += `${j ? ', ' : ''}x${j}: ${zm.toFixed(1)} s.e., var ratio ${rv.toFixed(3)}`;
  }
  return { ok: true, detail: worst };
}

// ---------------------------------------------------------------------------------------------
// Prepare (check) and run (time).

function ulaConfig(descent, P, T) {
  return {
    landscape: descent.landscapes.gaussianMixture({ means: ULA.means, weights: ULA.weights, stds: ULA.stds }),
    optimizer: descent.samplers.ula({ stepSize: ULA.h, temperature: ULA.temperature }),
    init: descent.inits.point({ x: [0, 0] }), particles: P, steps: T, seed: SEED,
  };
}

async function ulaDescent(descent, P, T) {
  const t0 = performance.now();
  const r = await descent.simulate(ulaConfig(descent, P, T));
  return { ms: performance.now() - t0, x: r.x };
}

function ulaJs(P, T) {
  const x = new Float64Array(2 * P);
  const t0 = performance.now();
  jsUla(x, P, T, SEED);
  return { ms: performance.now() - t0, x };
}

/** Check every selected workload (small or one-step instances); returns { ok, run() }. */
export async function prepare(descent, { quick = false, ids, rounds, log = () => {} } = {}) {
  const workloads = workloadList(quick).filter((w) => ids === undefined || ids.includes(w.id));
  const numpy = findNumpy();
  const notes = numpy.note ? [numpy.note] : [];
  if (numpy.note) log(`samplers: ${numpy.note}`);
  const checks = [];
  let ok = true;
  const record = (w, side, c) => {
    checks.push({ workload: w.id, side, ...c });
    log(`check samplers/${w.id} ${side}: ${c.ok ? `ok (${c.detail})` : `FAILED: ${c.problem}`}`);
    if (!c.ok) ok = false;
  };
  for (const w of workloads) {
    if (w.kind === 'svgd') {
      const start = startPoints(w.N, w.d);
      const A = new Float64Array(w.d * w.d);
      for (let i = 0; i < w.d; i++) A[i * w.d + i] = 1;
      const ref = makeJsSvgdStep()(start.slice(), w.N, w.d, A, SVGD_EPS, jsSvgdWork(w.N, w.d));
      const mine = await (await descentSvgd(descent, w, start, 1)).one();
      record(w, 'descent vs plain JS', compareRows(mine.x, ref, w.d, 1e-12));
      if (!numpy.note) {
        try { record(w, 'numpy vs plain JS', compareRows(numpySvgd(w, start, 0).x, ref, w.d, 1e-9)); } catch (e) { record(w, 'numpy', { ok: false, problem: e.message }); }
      }
    } else {
      const P = 20_000, T = 100;
      record(w, `descent vs plain JS (P=${P}, T=${T})`, compareUla((await ulaDescent(descent, P, T)).x, ulaJs(P, T).x, P));
    }
  }
  const timing = quick ? { minSeconds: 0.3, rounds: rounds ?? 1, pairs: 2 } : { minSeconds: 1.5, rounds: rounds ?? 2, pairs: 4 };
  return { ok, mode: quick ? 'quick' : 'full', workloads, notes, versions: { numpy: numpy.version }, checks, timing, run: () => timeAll(descent, workloads, timing, !numpy.note, log) };
}

async function timeAll(descent, workloads, timing, withNumpy, log) {
  const results = [];
  let failed = false;
  for (const w of workloads) {
    const sides = {};
    const keep = (name, ms, extra = {}) => {
      const s = (sides[name] ??= { best: Infinity, rounds: [] });
      s.rounds.push(ms);
      if (ms < s.best) Object.assign(s, { best: ms, ...extra });
      log(`samplers/${w.id} ${name}: ${ms.toFixed(2)} ms/step`);
    };
    if (w.kind === 'svgd') {
      const start = startPoints(w.N, w.d);
      const K = w.d > 10 ? 20 : 40;
      const d = await descentSvgd(descent, w, start, K);
      // Warm-up, ≥ 3 pairs and ≥ 1.5 s (0.3 s quick): V8 tiers the kernels up (d > 12 runs kernels d = 2 never called).
      for (let i = 0, end = performance.now() + 1000 * timing.minSeconds; i < 3 || performance.now() < end; i++) await d.perStep();
      for (let r = 0; r < timing.rounds; r++) {
        let best = Infinity;
        for (let i = 0; i < timing.pairs; i++) best = Math.min(best, (await d.perStep()).ms);
        keep('descent', best);
        keep('plain JS', jsSvgdTime(w, start, timing.minSeconds).ms);
        if (withNumpy) {
          try { const n = numpySvgd(w, start, timing.minSeconds); keep('numpy', n.ms, { median: n.median }); } catch (e) { log(`samplers/${w.id} numpy: ${e.message}`); failed = true; }
        }
      }
    } else {
      await ulaDescent(descent, 10_000, 20); // warm-up
      ulaJs(10_000, 20);
      for (let r = 0; r < timing.rounds; r++) {
        const order = r % 2 === 0 ? ['descent', 'plain JS'] : ['plain JS', 'descent'];
        let xd, xj;
        for (const side of order) {
          if (side === 'descent') { const m = await ulaDescent(descent, w.P, w.T); xd = m.x; keep('descent', m.ms / w.T); }
          else { const m = ulaJs(w.P, w.T); xj = m.x; keep('plain JS', m.ms / w.T); }
        }
        const c = compareUla(xd, xj, w.P);
        log(`check samplers/${w.id} after timing: ${c.ok ? `ok (${c.detail})` : `FAILED: ${c.problem}`}`);
        if (!c.ok) failed = true;
      }
    }
    const ms = Object.fromEntries(Object.entries(sides).map(([k, v]) => [k, v.best]));
    const ratios = {};
    if (ms.numpy) ratios['numpy/descent'] = ms.numpy / ms.descent;
    if (ms['plain JS']) ratios['JS/descent'] = ms['plain JS'] / ms.descent;
    results.push({ id: w.id, title: w.title, msPerStep: ms, rounds: Object.fromEntries(Object.entries(sides).map(([k, v]) => [k, v.rounds])), ratios });
  }
  return { failed, results, goals: goals(results) };
}

function goals(results) {
  return results.filter((r) => GOALS[r.id]).map((r) => {
    const g = GOALS[r.id], key = `${g.vs === 'numpy' ? 'numpy' : 'JS'}/descent`, v = r.ratios[key];
    return { goal: `descent ≥ ${g.min}× ${g.vs}`, workload: r.id, title: r.title, ratio: v ?? null, met: v === undefined ? null : v >= g.min };
  });
}

// ---------------------------------------------------------------------------------------------
// Report.

const fmt = (x) => (x === undefined ? '–' : x >= 100 ? Math.round(x).toString() : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const ratio = (x) => (x === undefined ? '–' : `**${x.toFixed(2)}×**`);

/** The markdown section: table, goals, notes. */
export function markdown(prepared, out) {
  const lines = [
    '## Samplers: SVGD and ULA (ms per step, single thread; ratio > 1: descent is faster)',
    '',
    `SVGD: one step of all N particles from the same start, median bandwidth, ε = ${SVGD_EPS}; descent = (t(1 + K) − t(1))/K over whole ` +
      `\`simulate\` runs. ULA: h = ${ULA.h} on a 2-d mixture, whole runs. Fastest of ${prepared.timing.rounds} round(s). ` +
      `Twins: plain JS (Float64Array, quickselect median; xoshiro128** + Box–Muller for ULA)${prepared.versions.numpy ? `; ${prepared.versions.numpy}, bench/svgd_numpy.py, OPENBLAS_NUM_THREADS=1` : ''}.`,
    '',
    '| workload | descent | numpy | plain JS | numpy/descent | JS/descent |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const r of out.results) {
    const m = r.msPerStep;
    lines.push(`| ${r.title} | ${fmt(m.descent)} | ${fmt(m.numpy)} | ${fmt(m['plain JS'])} | ${ratio(r.ratios['numpy/descent'])} | ${ratio(r.ratios['JS/descent'])} |`);
  }
  lines.push('', 'Goals (issue 7, reported, not tests):', '');
  for (const g of out.goals) lines.push(`- ${g.met === null ? '–' : g.met ? '✓' : '✗'} ${g.goal} — ${g.title}: ${g.ratio === null ? 'not measured' : `${g.ratio.toFixed(2)}×`}`);
  for (const n of prepared.notes) lines.push('', `Note: ${n}`);
  lines.push('');
  return lines.join('\n');
}

/** Machine-readable form of a run (for --json here and in run.mjs). */
export function summary(prepared, out) {
  return { mode: prepared.mode, timing: prepared.timing, versions: prepared.versions, notes: prepared.notes, checks: prepared.checks, results: out.results, goals: out.goals };
}

export const name = 'samplers';
export const description = 'SVGD steps (vs numpy and plain JS) and a ULA ensemble (vs plain JS)';

/** Workload ids and titles, for --list and --filter. */
export function list({ quick = false } = {}) {
  return workloadList(quick).map((w) => ({ id: w.id, title: w.title }));
}
