// The cross-runtime benchmark suite (scripts/bench-runtimes.mjs runs it in Node, Deno, Bun,
// headless Chromium and headless Firefox): the standard workloads through descent's public API,
// each timed for a fixed wall-clock budget (best of the repetitions), plus the wasm module's
// compile + instantiate time. Every workload's numbers are hashed; the combined hash must be the
// same in every runtime (docs/design.md determinism contract).
import * as descent from '../../src/index.ts';
import { rng } from '../../test/rng.ts'; // mulberry32: inputs independent of the library's generator

/** One workload's measurement. */
export interface WorkloadResult {
  id: string;
  title: string;
  unit: string;
  /** Best throughput over the repetitions, in `unit`. */
  throughput: number;
  /** Best seconds per repetition. */
  seconds: number;
  reps: number;
  hash: string;
}

/** What one runtime reports. */
export interface SuiteResult {
  runtime: string;
  version: string;
  quick: boolean;
  /** WebAssembly.compile + instantiate of descent.wasm from bytes: the first time and the median of 10 more (ms). */
  compileMs: { first: number; median: number };
  workloads: WorkloadResult[];
  /** FNV-1a 64 over every workload's hash, in order. */
  hash: string;
}

const now = () => performance.now();

/** Repeat `op` (async) until `budget` ms have passed (at least twice); best time. */
async function timed(budget: number, op: () => Promise<string> | string): Promise<{ best: number; reps: number; hash: string }> {
  let hash = await op(); // warm-up (and the hash: every repetition computes the same numbers)
  let best = Infinity, reps = 0;
  const start = now();
  while (reps < 2 || now() - start < budget) {
    const t0 = now();
    const h = await op();
    best = Math.min(best, (now() - t0) / 1000);
    if (h !== hash) hash = `unstable:${hash}/${h}`;
    reps++;
  }
  return { best, reps, hash };
}

/** Run every workload. `wasm`: the module's bytes (for the compile timing); `runtime`/`version` label the result. */
export async function runSuite(wasm: Uint8Array, runtime: string, version: string, quick: boolean, log: (s: string) => void = () => {}): Promise<SuiteResult> {
  const compile = async () => {
    const t0 = now();
    await WebAssembly.instantiate(await WebAssembly.compile(wasm as BufferSource), {});
    return now() - t0;
  };
  const first = await compile();
  const more: number[] = [];
  for (let i = 0; i < 10; i++) more.push(await compile());
  more.sort((a, b) => a - b);
  await descent.init({ wasm: wasm as BufferSource });
  const L = descent.landscapes, O = descent.optimizers, N = descent.noise, I = descent.inits;
  const budget = quick ? 300 : 1500;

  const workloads: WorkloadResult[] = [];
  const gradients = (id: string, title: string, f: descent.Landscape, n: number) => async () => {
    const next = rng(7 + f.dim);
    const X = Float64Array.from({ length: n * f.dim }, () => -2 + 4 * next());
    const out = new Float64Array(n * f.dim);
    const t = await timed(budget, () => descent.hashFloat64(f.gradBatch(X, out)));
    workloads.push({ id, title, unit: 'M gradients/s', throughput: n / t.best / 1e6, seconds: t.best, reps: t.reps, hash: t.hash });
  };
  const ensemble = (id: string, title: string, config: () => descent.SimulateConfig, options: descent.SimulateOptions = {}) => async () => {
    const c = config(), updates = (c.particles ?? 0) * c.landscape.dim * c.steps;
    const t = await timed(budget, async () => (await descent.simulate(config(), options) as descent.EnsembleResult).hash);
    workloads.push({ id, title, unit: 'M updates/s', throughput: updates / t.best / 1e6, seconds: t.best, reps: t.reps, hash: t.hash });
  };
  const P = quick ? 5000 : 50_000, T = quick ? 100 : 200, Pq = quick ? 500 : 2000;
  const rosen = () => ({ landscape: L.rosenbrock({ dim: 2 }), optimizer: O.sgd({ lr: 1e-3 }), noise: N.gaussian({ sigma: 0.1 }), init: I.point({ x: [-1.2, 1] }), particles: P, steps: T, seed: 1, record: { every: 10 } });
  const quad = () => ({
    // Eigenvalues from + and / only: `**` is the engines' own pow, whose last bits differ between runtimes.
    landscape: L.quadratic({ eigenvalues: Array.from({ length: 32 }, (_, i) => 0.1 + (9.9 * i) / 31), seed: 3 }), optimizer: O.sgd({ lr: 1e-2 }),
    noise: N.gaussian({ sigma: 0.1 }), init: I.point({ x: new Array(32).fill(1) }), particles: Pq, steps: T, seed: 1,
  });
  const steps = [
    gradients('grad-rosenbrock-d10', 'gradients: Rosenbrock d=10', L.rosenbrock({ dim: 10 }), 10_000),
    gradients('grad-rastrigin-d10', 'gradients: Rastrigin d=10', L.rastrigin({ dim: 10 }), 10_000),
    ensemble('sgd-rosenbrock-d2', `SGD ensemble: Rosenbrock d=2 + noise, P=${P}`, rosen),
    ensemble('sgd-quadratic-d32', `SGD ensemble: quadratic d=32 + noise, P=${Pq}`, quad),
    ensemble('sgd-rosenbrock-d2-workers2', `SGD ensemble: Rosenbrock d=2 + noise, P=${P}, workers: 2`, rosen, { workers: 2 }),
  ];
  for (const step of steps) {
    await step();
    const w = workloads[workloads.length - 1];
    log(`${runtime}: ${w.title}: ${w.throughput.toFixed(2)} ${w.unit} (${w.reps} reps)`);
  }
  const hash = descent.hashBytes(new TextEncoder().encode(workloads.map((w) => w.hash).join('\n')));
  return { runtime, version, quick, compileMs: { first, median: more[5] }, workloads, hash };
}
