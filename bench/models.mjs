// Finite-sum model workloads (issue 5 §5), single thread, float64:
//
//   A. per-example gradients of an MLP [16, 64, 64, 1] (relu, mse, bias) on n = 128 examples,
//      in examples/s: descent's `net.perExampleGrad(θ)` against a plain-JS twin (below) and
//      PyTorch CPU (bench/models_torch.py): a Python loop of per-example autograd, functorch
//      vmap(grad) (torch 1.13 has no torch.func), and the manual batched trick (batched forward,
//      per-layer per-example grads as einsum of activations and back-propagated deltas);
//   B. 1 000 independent SGD trajectories of an MLP [4, 32, 1] (relu, mse, bias; batch 16 without
//      replacement, n = 512, lr 0.05), in steps/s (one step = every particle advances once):
//      descent's whole `simulate` call against PyTorch with stacked parameters and batched
//      matmuls (torch.baddbmm), float64 (compared) and float32 (for reference).
//
// Part of `npm run bench` (bench/run.mjs); only these: node bench/run.mjs --filter models/
//
// A self-timed module (see bench/run.mjs and bench/ensemble.mjs): `prepare` builds the inputs
// and checks descent's per-example gradients against the JS twin to 1e-10 relative per example
// before anything is timed; descent and the JS twin are then timed with benchmark.js in the same
// process (alternating rounds, fastest round), PyTorch in a subprocess that times itself, and
// PyTorch's per-example gradients (all three methods) are checked against descent's to 1e-10 as
// well. In B the sides use different random numbers, so descent's and torch's final full-batch
// losses over the 1 000 particles are compared in distribution (means within 6 standard errors).
// PyTorch runs when `/usr/bin/python3 -c "import torch"` works (Debian: python3-torch);
// otherwise the table says so and shows descent and the JS twin.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import _ from 'lodash';
import platform from 'platform';
import BenchmarkModule from 'benchmark';
import { mulberry32 } from './gradients.mjs';

// benchmark.js finds lodash through a dynamic require that bundles and ESM can break
// (docs/runtimes.md pitfall 11): give it its context explicitly (as run.mjs does).
const Benchmark = BenchmarkModule.runInContext({ _, platform });

const TORCH_SCRIPT = fileURLToPath(new URL('./models_torch.py', import.meta.url));
const PYTHON = '/usr/bin/python3';
const TORCH_ENV = { OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' };
const TOLERANCE = 1e-10;

const PER_EXAMPLE = { id: 'per-example-mlp', widths: [16, 64, 64, 1], n: 128, teacher: { hidden: 16, noise: 0.1, seed: 1 }, initSeed: 1 };
const ENSEMBLE = {
  id: 'ensemble-mlp', widths: [4, 32, 1], n: 512, P: 1000, batch: 16, lr: 0.05, seed: 7,
  teacher: { hidden: 8, noise: 0.1, seed: 2 },
};
const EPOCH = ENSEMBLE.n / ENSEMBLE.batch; // steps per epoch; T is a multiple of it

export const name = 'models';
export const description = 'MLP per-example gradients and minibatch-SGD ensembles vs plain JS and PyTorch';

/** Workload ids and titles, for --list and --filter. */
export function list() {
  return [
    { id: PER_EXAMPLE.id, title: `MLP [${PER_EXAMPLE.widths.join(', ')}] per-example gradients, n=${PER_EXAMPLE.n}` },
    { id: ENSEMBLE.id, title: `MLP [${ENSEMBLE.widths.join(', ')}] SGD ensemble, P=${ENSEMBLE.P}, batch ${ENSEMBLE.batch}, n=${ENSEMBLE.n}` },
  ];
}

// ---------------------------------------------------------------------------------------------
// Plain-JS twin: per example, a forward pass keeping every layer's pre-activation z_l and
// activation a_l, then the backward pass writing ∂ℓ_i/∂W_l = δ_l a_{l−1}ᵀ and ∂ℓ_i/∂b_l = δ_l
// straight into row i of G, with δ_L = (2/k)(f − y_i) and δ_{l−1} = (W_lᵀ δ_l) ⊙ [z_{l−1} > 0].
// Flat Float64Arrays indexed by offset, buffers allocated once per call, no per-example
// allocation; θ laid out as torch's parameters() (per layer W (out × in, row-major), then b).

/** Offsets of each layer's W and b in θ, and p. */
export function mlpLayout(widths) {
  const w = [], b = [];
  let off = 0;
  for (let l = 1; l < widths.length; l++) {
    w.push(off);
    off += widths[l] * widths[l - 1];
    b.push(off);
    off += widths[l];
  }
  return { w, b, p: off };
}

/** Per-example gradients of an MLP (relu hidden, mse, bias) into G (n × p, row-major). */
export function mlpPerExampleGrad(theta, X, y, n, widths, G) {
  const L = widths.length - 1, m = widths[0], k = widths[L];
  const { w: wOff, b: bOff, p } = mlpLayout(widths);
  const a = widths.map((h) => new Float64Array(h)); // a[0] = x, a[l] = σ(z_l), a[L] = f
  const z = widths.map((h) => new Float64Array(h));
  let delta = new Float64Array(Math.max(...widths)), prev = new Float64Array(Math.max(...widths));
  for (let i = 0; i < n; i++) {
    const a0 = a[0];
    for (let j = 0; j < m; j++) a0[j] = X[i * m + j];
    for (let l = 1; l <= L; l++) {
      const nin = widths[l - 1], nout = widths[l], ain = a[l - 1], zl = z[l], al = a[l];
      const wo = wOff[l - 1], bo = bOff[l - 1];
      for (let o = 0; o < nout; o++) {
        let s = theta[bo + o];
        const r = wo + o * nin;
        for (let j = 0; j < nin; j++) s += theta[r + j] * ain[j];
        zl[o] = s;
        al[o] = l < L ? (s > 0 ? s : 0) : s;
      }
    }
    const f = a[L];
    for (let o = 0; o < k; o++) delta[o] = (2 / k) * (f[o] - y[i * k + o]);
    const g = i * p;
    for (let l = L; l >= 1; l--) {
      const nin = widths[l - 1], nout = widths[l], ain = a[l - 1];
      const wo = wOff[l - 1], bo = bOff[l - 1];
      for (let o = 0; o < nout; o++) {
        const d = delta[o], r = g + wo + o * nin;
        for (let j = 0; j < nin; j++) G[r + j] = d * ain[j];
        G[g + bo + o] = d;
      }
      if (l > 1) {
        for (let j = 0; j < nin; j++) prev[j] = 0;
        for (let o = 0; o < nout; o++) {
          const d = delta[o], r = wo + o * nin;
          for (let j = 0; j < nin; j++) prev[j] += theta[r + j] * d;
        }
        const zin = z[l - 1];
        for (let j = 0; j < nin; j++) if (!(zin[j] > 0)) prev[j] = 0; // relu′(0) = 0, as torch
        const t = delta; delta = prev; prev = t;
      }
    }
  }
  return G;
}

// ---------------------------------------------------------------------------------------------
// Checks.

/** Per example (row of p): ‖g − ref‖∞ ≤ tol·‖ref‖∞. */
function compareRows(g, ref, p, tol) {
  if (g.length !== ref.length) return { ok: false, problem: `${g.length} values, expected ${ref.length}` };
  let maxRel = 0, differing = 0;
  for (let i = 0; i < ref.length / p; i++) {
    let diff = 0, norm = 0;
    for (let j = i * p; j < (i + 1) * p; j++) {
      if (!Number.isFinite(g[j])) return { ok: false, problem: `example ${i}, coordinate ${j - i * p}: ${g[j]}` };
      if (g[j] !== ref[j]) differing++;
      diff = Math.max(diff, Math.abs(g[j] - ref[j]));
      norm = Math.max(norm, Math.abs(ref[j]));
    }
    const rel = norm === 0 ? (diff === 0 ? 0 : Infinity) : diff / norm;
    maxRel = Math.max(maxRel, rel);
    if (!(rel <= tol)) return { ok: false, problem: `example ${i}: relative difference ${rel.toExponential(2)} > ${tol}` };
  }
  return { ok: true, detail: differing === 0 ? 'bit-identical' : `max relative difference ${maxRel.toExponential(2)}` };
}

function lossStats(loss) {
  const P = loss.length;
  let m = 0;
  for (const l of loss) m += l;
  m /= P;
  let q = 0;
  for (const l of loss) q += (l - m) ** 2;
  const sorted = Float64Array.from(loss).sort();
  const median = P % 2 ? sorted[(P - 1) / 2] : (sorted[P / 2 - 1] + sorted[P / 2]) / 2;
  return { mean: m, var: q / (P - 1), median, finite: loss.filter(Number.isFinite).length };
}

/**
 * Two ensembles of P final losses from different random numbers: all finite, and the means
 * within Z = 6 standard errors (a false alarm has probability ~10⁻⁹ for near-Gaussian means).
 */
function compareLoss(s, ref, P) {
  if (s.finite !== P || ref.finite !== P) return { ok: false, problem: `non-finite final losses: ${P - s.finite} and ${P - ref.finite} of ${P}` };
  const se = Math.sqrt((s.var + ref.var) / P);
  const z = Math.abs(s.mean - ref.mean) / se;
  const detail = `mean final loss ${s.mean.toPrecision(4)} vs ${ref.mean.toPrecision(4)} (${z.toFixed(1)} s.e.), medians ${s.median.toPrecision(4)} vs ${ref.median.toPrecision(4)}`;
  return z <= 6 ? { ok: true, detail } : { ok: false, problem: detail };
}

// ---------------------------------------------------------------------------------------------
// PyTorch.

function findTorch() {
  const r = spawnSync(PYTHON, ['-c', 'import torch, sys; print(torch.__version__, sys.version.split()[0])'], { encoding: 'utf8', env: { ...process.env, ...TORCH_ENV } });
  if (r.error || r.status !== 0) return { note: `PyTorch baselines skipped: \`${PYTHON} -c "import torch"\` failed (Debian: apt-get install python3-torch)` };
  const [torch, python] = r.stdout.trim().split(' ');
  return { version: `torch ${torch} (python ${python}, CPU, torch.set_num_threads(1))` };
}

function runTorch(job) {
  const res = spawnSync(PYTHON, [TORCH_SCRIPT], {
    input: JSON.stringify(job), encoding: 'utf8', env: { ...process.env, ...TORCH_ENV }, maxBuffer: 1 << 24, timeout: 300_000,
  });
  if (res.error || res.status !== 0) throw new Error(`${PYTHON} ${TORCH_SCRIPT} (${job.job}) failed: ${res.error?.message ?? `exit ${res.status}`}\n${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop());
}

// ---------------------------------------------------------------------------------------------
// Workload A: per-example gradients.

function preparePerExample(descent, log) {
  const { widths, n, teacher } = PER_EXAMPLE;
  const data = descent.data.reluTeacher({ n, inputs: widths[0], ...teacher });
  const net = descent.models.mlp({ widths, activation: 'relu', loss: 'mse', data });
  // He weights, and biases uniform in [−0.1, 0.1) rather than He's zeros, so the check covers them.
  const theta = net.initialize({ scheme: 'he', seed: PER_EXAMPLE.initSeed });
  const next = mulberry32(11);
  for (const blk of net.blocks) if (blk.bias) for (let j = blk.offset; j < blk.offset + blk.size; j++) theta[j] = 0.2 * next() - 0.1;
  const X = Float64Array.from(data.X), y = Float64Array.from(data.y);
  const p = net.dim;
  const GJ = new Float64Array(n * p);
  let GD = net.perExampleGrad(theta);
  mlpPerExampleGrad(theta, X, y, n, widths, GJ.fill(NaN));
  const c = compareRows(GD, GJ, p, TOLERANCE);
  log(`check models/${PER_EXAMPLE.id} descent vs plain JS (n=${n}, p=${p}): ${c.ok ? `ok (${c.detail})` : `FAILED: ${c.problem}`}`);
  return {
    check: { workload: PER_EXAMPLE.id, side: 'descent', against: 'plain JS', ...c },
    n, p, X, y, theta, reference: GD,
    // One op = one batch of n examples. descent allocates its n × p result per call (the API);
    // the twin writes into the same preallocated buffer.
    sides: {
      descent: () => { GD = net.perExampleGrad(theta); },
      'plain JS': () => { mlpPerExampleGrad(theta, X, y, n, widths, GJ); },
    },
    /** The latest outputs of both sides (the timed calls rewrite them). */
    outputs: () => ({ descent: GD, js: GJ }),
  };
}

function warmUp(fn, ms) {
  const end = performance.now() + ms;
  let calls = 0;
  while (calls < 3 || performance.now() < end) { fn(); calls++; }
  return calls;
}

function benchOnce(label, fn, timing) {
  const bench = new Benchmark(label, fn, { maxTime: timing.maxTime, minSamples: timing.minSamples });
  bench.run({ async: false });
  if (bench.error) throw new Error(`${label}: ${bench.error?.message ?? bench.error}`);
  return { hz: bench.hz, rme: bench.stats.rme, samples: bench.stats.sample.length };
}

function timePerExample(a, timing, torch, log) {
  const rows = [], checks = [];
  let failed = false;
  const names = Object.keys(a.sides);
  for (const s of names) warmUp(a.sides[s], timing.warmupMs);
  const best = {};
  for (let r = 0; r < timing.rounds; r++) {
    for (const s of r % 2 === 0 ? names : [...names].reverse()) {
      const m = benchOnce(`models/${PER_EXAMPLE.id} ${s}`, a.sides[s], timing);
      log(`models/${PER_EXAMPLE.id} ${s}: ${fmt(m.hz * a.n)} examples/s ±${m.rme.toFixed(1)}% (${m.samples} samples)`);
      if (best[s] === undefined || m.hz > best[s].hz) best[s] = m;
    }
  }
  // The timed calls rewrote both outputs: still the checked values?
  const now = a.outputs();
  for (const [side, g] of Object.entries(now)) {
    const c = compareRows(g, a.reference, a.p, side === 'descent' ? 0 : TOLERANCE);
    if (!c.ok) { failed = true; log(`check models/${PER_EXAMPLE.id} ${side} after timing: FAILED: ${c.problem}`); }
  }
  for (const s of names) {
    rows.push({ side: s, perSecond: best[s].hz * a.n, secondsPerOp: 1 / best[s].hz, rme: best[s].rme, unit: 'examples/s' });
  }
  if (torch.version) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'descent-models-'));
    try {
      log(`models/${PER_EXAMPLE.id}: PyTorch (loop, vmap, manual), ${timing.torchSeconds} s each`);
      const out = runTorch({
        job: 'perExample', widths: PER_EXAMPLE.widths, X: Array.from(a.X), y: Array.from(a.y), theta: Array.from(a.theta),
        out: dir, minSeconds: timing.torchSeconds,
      });
      const label = { loop: 'PyTorch: Python loop of per-example autograd', vmap: 'PyTorch: functorch vmap(grad)', manual: 'PyTorch: batched forward + einsum per-example trick' };
      for (const [method, t] of Object.entries(out.methods)) {
        const bytes = readFileSync(path.join(dir, `${method}.f64`));
        const g = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        const c = compareRows(g, a.reference, a.p, TOLERANCE);
        checks.push({ workload: PER_EXAMPLE.id, side: `torch ${method}`, against: 'descent', ...c });
        log(`check models/${PER_EXAMPLE.id} torch ${method} vs descent: ${c.ok ? `ok (${c.detail})` : `FAILED: ${c.problem}`}`);
        if (!c.ok) failed = true;
        rows.push({ side: label[method] ?? `PyTorch ${method}`, perSecond: t.examplesPerSecond, secondsPerOp: t.seconds, unit: 'examples/s', baseline: true });
        log(`models/${PER_EXAMPLE.id} torch ${method}: ${fmt(t.examplesPerSecond)} examples/s (best of ${t.blocks} blocks of ${t.callsPerBlock})`);
      }
      if (out.vmap && !out.methods.vmap) rows.push({ side: 'PyTorch: vmap', note: out.vmap });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const d = rows.find((r) => r.side === 'descent');
  for (const r of rows) if (r !== d && r.perSecond) r.ratio = d.perSecond / r.perSecond;
  return { id: PER_EXAMPLE.id, title: list()[0].title, p: a.p, n: a.n, rows, checks, failed };
}

// ---------------------------------------------------------------------------------------------
// Workload B: the SGD ensemble.

function prepareEnsemble(descent) {
  const { widths, n, teacher, P, batch, lr, seed } = ENSEMBLE;
  const data = descent.data.reluTeacher({ n, inputs: widths[0], ...teacher });
  const net = descent.models.mlp({ widths, activation: 'relu', loss: 'mse', data });
  // The whole call, as a user makes it: validation, a fresh instance, init, T steps, assembly.
  const run = async (T) => {
    const t0 = performance.now();
    const r = await descent.simulate({
      landscape: net, optimizer: descent.optimizers.sgd({ lr }), noise: descent.noise.minibatch({ batchSize: batch }),
      init: net.initializer({ scheme: 'he' }), particles: P, steps: T, seed,
    });
    const seconds = (performance.now() - t0) / 1000;
    if (r.counts.diverged !== 0) throw new Error(`descent: ${r.counts.diverged} of ${P} particles diverged`);
    return { seconds, loss: r.loss };
  };
  return { net, data, run, X: Array.from(data.X), y: Array.from(data.y) };
}

async function timeEnsemble(b, timing, torch, log) {
  const { P } = ENSEMBLE;
  // Warm-up (V8 tiers up the wasm), then calibration: T, a whole number of epochs, such that one
  // descent run takes about timing.targetSeconds. The calibration rate includes the call's fixed
  // costs (init, final losses), so it errs low and T high; should a full-mode run still take
  // < minRunSeconds, T is raised and the rounds start again (once).
  const epochsFor = (seconds, steps) => Math.max(1, Math.ceil(timing.targetSeconds * steps / seconds / EPOCH));
  for (const end = performance.now() + timing.ensembleWarmupMs; performance.now() < end;) await b.run(EPOCH);
  const cal = await b.run(2 * EPOCH);
  let T = epochsFor(cal.seconds, 2 * EPOCH) * EPOCH;
  log(`models/${ENSEMBLE.id}: ${fmt(2 * EPOCH / cal.seconds)} steps/s in calibration → T = ${T}`);
  let best;
  const torchOut = {};
  const torchRun = (dtype) => {
    log(`models/${ENSEMBLE.id}: PyTorch ${dtype}, T = ${T}, whole runs for ≥ ${timing.torchSeconds} s`);
    const out = runTorch({
      job: 'ensemble', widths: ENSEMBLE.widths, X: b.X, y: b.y, P, T, batch: ENSEMBLE.batch, lr: ENSEMBLE.lr,
      seed: 1, dtype, minSeconds: timing.torchSeconds, minReps: timing.rounds,
    });
    log(`models/${ENSEMBLE.id} torch ${dtype}: ${fmt(out.stepsPerSecond)} steps/s (${out.seconds.toFixed(3)} s, best of ${out.reps})`);
    torchOut[dtype] = out;
  };
  for (let r = 0, raised = false; r < timing.rounds; r++) {
    const m = await b.run(T);
    log(`models/${ENSEMBLE.id} descent: ${fmt(T / m.seconds)} steps/s (${m.seconds.toFixed(3)} s)`);
    if (r === 0 && !raised && timing.minRunSeconds && m.seconds < timing.minRunSeconds) { // before torch runs at this T
      T = epochsFor(m.seconds, T) * EPOCH;
      raised = true;
      r = -1;
      best = undefined;
      log(`models/${ENSEMBLE.id}: run shorter than ${timing.minRunSeconds} s → T = ${T}, rounds restart`);
      continue;
    }
    if (best === undefined || m.seconds < best.seconds) best = m;
    // Torch between descent's rounds: a burst of outside load is less likely to hit one side only.
    if (r === 0 && torch.version) { torchRun('float64'); torchRun('float32'); }
  }
  const rows = [{ side: 'descent `simulate`', perSecond: T / best.seconds, secondsPerOp: best.seconds, unit: 'steps/s' }];
  const checks = [];
  let failed = false;
  const ds = lossStats(best.loss);
  for (const dtype of ['float64', 'float32']) {
    const out = torchOut[dtype];
    if (!out) continue;
    const c = compareLoss(ds, out.loss, P);
    checks.push({ workload: ENSEMBLE.id, side: `torch ${dtype}`, against: 'descent', ...c });
    log(`check models/${ENSEMBLE.id} torch ${dtype} vs descent (T=${T}): ${c.ok ? `ok (${c.detail})` : `FAILED: ${c.problem}`}`);
    if (!c.ok) failed = true;
    rows.push({
      side: `PyTorch ${dtype}: stacked params, gather, baddbmm, autograd${dtype === 'float32' ? ' (reference; not compared)' : ''}`,
      perSecond: out.stepsPerSecond, secondsPerOp: out.seconds, unit: 'steps/s', baseline: dtype === 'float64',
    });
  }
  for (const r of rows.slice(1)) if (r.baseline) r.ratio = rows[0].perSecond / r.perSecond;
  return { id: ENSEMBLE.id, title: list()[1].title, T, lossDescent: ds, rows, checks, failed };
}

// ---------------------------------------------------------------------------------------------
// Prepare (inputs + checks) and run (time).

/**
 * Build the inputs, find PyTorch, and check descent's per-example gradients against the JS twin.
 * Returns { ok, notes, versions, checks, timing, run() }.
 */
export async function prepare(descent, { quick = false, smoke = false, ids, log = () => {} } = {}) {
  const want = (id) => smoke || ids === undefined || ids.includes(id);
  const notes = [], versions = {}, checks = [];
  const torch = findTorch();
  if (torch.note) { notes.push(torch.note); log(`models: ${torch.note}`); } else versions.torch = torch.version;
  let ok = true;
  const a = want(PER_EXAMPLE.id) ? preparePerExample(descent, log) : undefined;
  if (a) { checks.push(a.check); if (!a.check.ok) ok = false; }
  const b = want(ENSEMBLE.id) ? prepareEnsemble(descent) : undefined;
  if (smoke) {
    // Every contestant once, nothing timed: PyTorch's per-example methods against descent, and
    // one epoch of both ensembles compared in distribution.
    const more = await smokeChecks(a, b, torch, log);
    checks.push(...more);
    if (more.some((c) => !c.ok)) ok = false;
  }
  const timing = quick
    ? { warmupMs: 100, maxTime: 0.3, minSamples: 5, rounds: 1, torchSeconds: 0.3, targetSeconds: 0.5, ensembleWarmupMs: 200 }
    : { warmupMs: 400, maxTime: 1.5, minSamples: 20, rounds: 2, torchSeconds: 1.5, targetSeconds: 3, minRunSeconds: 2, ensembleWarmupMs: 1500 };
  return {
    ok, mode: smoke ? 'smoke' : quick ? 'quick' : 'full', notes, versions, checks, timing,
    run: async () => {
      const results = [];
      if (a) {
        results.push(timePerExample(a, timing, torch, log));
      }
      if (b) results.push(await timeEnsemble(b, timing, torch, log));
      return { results, failed: results.some((r) => r.failed) };
    },
  };
}

/** Smoke mode (bench/run.mjs --smoke): each PyTorch contestant once, checked, untimed. */
async function smokeChecks(a, b, torch, log) {
  const checks = [];
  const record = (workload, side, c) => {
    checks.push({ workload, side, against: 'descent', ...c });
    log(`check models/${workload} ${side} vs descent: ${c.ok ? `ok (${c.detail})` : `FAILED: ${c.problem}`}`);
  };
  if (!torch.version) return checks;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'descent-models-'));
  try {
    const out = runTorch({ job: 'perExample', widths: PER_EXAMPLE.widths, X: Array.from(a.X), y: Array.from(a.y), theta: Array.from(a.theta), out: dir, minSeconds: 0 });
    for (const method of Object.keys(out.methods)) {
      const bytes = readFileSync(path.join(dir, `${method}.f64`));
      record(PER_EXAMPLE.id, `torch ${method}`, compareRows(new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), a.reference, a.p, TOLERANCE));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // One epoch of each ensemble (different random numbers): compared in distribution.
  const ds = lossStats((await b.run(EPOCH)).loss);
  const out = runTorch({ job: 'ensemble', widths: ENSEMBLE.widths, X: b.X, y: b.y, P: ENSEMBLE.P, T: EPOCH, batch: ENSEMBLE.batch, lr: ENSEMBLE.lr, seed: 1, dtype: 'float64', minSeconds: 0, minReps: 1 });
  record(ENSEMBLE.id, `torch float64 (T=${EPOCH})`, compareLoss(ds, out.loss, ENSEMBLE.P));
  return checks;
}

// ---------------------------------------------------------------------------------------------
// Report.

const thin = (n) => n.toLocaleString('en-US').replace(/,/g, ' ');

function fmt(x) {
  if (x === undefined || x === null) return '–';
  if (x >= 100) return thin(Math.round(x));
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(2);
}

function duration(s) {
  return s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`;
}

/** The markdown section. */
export function markdown(prepared, out) {
  const lines = [
    '## Models: MLP per-example gradients and minibatch-SGD ensembles (single thread, float64)',
    '',
    `Per-example gradients: one op = all n examples' gradients as an n × p array; descent and plain JS timed with benchmark.js ` +
      `(${prepared.timing.rounds} alternating round(s) of maxTime ${prepared.timing.maxTime} s, fastest round's mean), PyTorch ` +
      `in a subprocess (fastest ~0.25 s block of calls). Ensemble: one step = all ${ENSEMBLE.P} particles advance once; whole runs ` +
      `(descent: the \`simulate\` call; PyTorch: init, T steps, final losses), fastest of ${prepared.timing.rounds} for descent and ` +
      `of repeats for ≥ ${prepared.timing.torchSeconds} s for PyTorch. Ratio = descent ÷ contestant (> 1: descent faster).` +
      (prepared.versions.torch ? ` ${prepared.versions.torch}.` : ''),
    '',
    '| workload | contestant | throughput | time per op | descent ÷ contestant |',
    '|---|---|--:|--:|--:|',
  ];
  for (const r of out.results) {
    const what = r.id === PER_EXAMPLE.id ? `${r.title} (p = ${r.p})` : `${r.title}, T = ${r.T}`;
    for (const row of r.rows) {
      if (row.note) { lines.push(`| ${what} | ${row.side} | – | – | ${row.note} |`); continue; }
      const rme = row.rme === undefined ? '' : ` ± ${row.rme.toFixed(1)}%`;
      const ratio = row.ratio === undefined ? (row.side.startsWith('descent') ? '1' : '–') : `**${row.ratio.toFixed(2)}×**`;
      lines.push(`| ${what} | ${row.side} | ${fmt(row.perSecond)} ${row.unit}${rme} | ${duration(row.secondsPerOp)} | ${ratio} |`);
    }
  }
  const checks = [...prepared.checks, ...out.results.flatMap((r) => r.checks)];
  lines.push('', 'Checks:', '');
  for (const c of checks) lines.push(`- ${c.ok ? '✓' : '✗'} ${c.workload}: ${c.side} vs ${c.against}: ${c.ok ? c.detail : `FAILED: ${c.problem}`}`);
  for (const n of prepared.notes) lines.push('', `Note: ${n}`);
  lines.push('');
  return lines.join('\n');
}

/** Machine-readable form of a run (run.mjs --json, under suites.models). */
export function summary(prepared, out) {
  return {
    mode: prepared.mode, timing: prepared.timing, versions: prepared.versions, notes: prepared.notes,
    checks: [...prepared.checks, ...out.results.flatMap((r) => r.checks)], results: out.results,
  };
}
