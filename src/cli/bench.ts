/**
 * `descent bench`: a quick throughput measurement on this machine — the standard ensemble
 * (SGD, lr 10⁻³, Gaussian gradient noise σ = 0.1, on 2-d Rosenbrock from (−1.2, 1)) run by
 * `simulate` and, in the same process, by a plain-JS twin: what a careful JS developer writes
 * (coordinates in separate Float64Arrays, particles in the inner loop, no allocation in a
 * step, normals by Box–Muller from a xorshift128 generator, a buffer per step). Rounds alternate between the two;
 * the best round of each is reported, in particle-steps per second.
 *
 * Before timing, both run a small instance without noise (the same arithmetic, deterministic):
 * their final positions must agree to 1e-9 relative, or the bench stops (exit 1) — a twin that
 * computes something else would make the ratio meaningless. With noise the two use different
 * generators, so only their speed is compared. `npm run bench` has the full benchmarks.
 */
import { simulate, type SimulateConfig } from '../simulate.ts';
import * as landscapes from '../landscapes/index.ts';
import * as optimizers from '../optimizers/index.ts';
import * as noise from '../noise.ts';
import * as inits from '../inits.ts';
import type { WorkersOption } from '../workers.ts';
import { CliError, FAILED } from './io.ts';

/** The workload. */
const LR = 1e-3,
  SIGMA = 0.1,
  START = [-1.2, 1] as const,
  A = 1,
  B = 100;

/** One row of the bench table. */
export interface BenchRow {
  what: string;
  seconds: number;
  /** Particle-steps per second. */
  rate: number;
  /** rate / the plain-JS twin's rate. */
  speedup: number;
}

/** What `descent bench` measured. */
export interface BenchReport {
  workload: string;
  particles: number;
  steps: number;
  rounds: number;
  rows: BenchRow[];
  /** Max relative difference of final positions, descent vs the twin, on the no-noise check. */
  agreement: number;
}

/**
 * Plain-JS SGD on 2-d Rosenbrock f = (a − x)² + b(y − x²)²: x ← x − lr(∇f + σz) for P particles
 * and T steps, in place on xs and ys. Each step first fills a buffer with the 2P normals it needs
 * (generator state in locals: a call per draw through a closure was slower), then updates.
 * σ = 0: no generator is touched.
 */
function twin(xs: Float64Array, ys: Float64Array, T: number, sigma: number, seed: number): void {
  const P = xs.length,
    twoB = 2 * B,
    fourB = 4 * B,
    TWO_PI = 2 * Math.PI;
  const z = new Float64Array(sigma > 0 ? 2 * P : 0);
  // xorshift128 (Marsaglia, "Xorshift RNGs", J. Stat. Softw. 8 (2003)) on 32-bit words.
  let s0 = (seed ^ 0x9e3779b9) | 1,
    s1 = 0x6a09e667,
    s2 = 0xbb67ae85 | 0,
    s3 = 0x3c6ef372;
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < z.length; i += 2) {
      // Four outputs → two 53-bit uniforms u, v → two normals (Box–Muller).
      let w = s0 ^ (s0 << 11);
      s0 = s1;
      s1 = s2;
      s2 = s3;
      s3 = s3 ^ (s3 >>> 19) ^ w ^ (w >>> 8);
      const o0 = s3 >>> 5;
      w = s0 ^ (s0 << 11);
      s0 = s1;
      s1 = s2;
      s2 = s3;
      s3 = s3 ^ (s3 >>> 19) ^ w ^ (w >>> 8);
      const o1 = s3 >>> 6;
      w = s0 ^ (s0 << 11);
      s0 = s1;
      s1 = s2;
      s2 = s3;
      s3 = s3 ^ (s3 >>> 19) ^ w ^ (w >>> 8);
      const o2 = s3 >>> 5;
      w = s0 ^ (s0 << 11);
      s0 = s1;
      s1 = s2;
      s2 = s3;
      s3 = s3 ^ (s3 >>> 19) ^ w ^ (w >>> 8);
      const o3 = s3 >>> 6;
      const u = (o0 * 67108864 + o1) / 9007199254740992,
        v = (o2 * 67108864 + o3) / 9007199254740992;
      const r = Math.sqrt(-2 * Math.log(1 - u));
      z[i] = r * Math.cos(TWO_PI * v);
      z[i + 1] = r * Math.sin(TWO_PI * v);
    }
    for (let p = 0; p < P; p++) {
      const x = xs[p],
        y = ys[p],
        r = y - x * x;
      let gx = -2 * (A - x) - fourB * x * r,
        gy = twoB * r;
      if (sigma > 0) {
        gx += sigma * z[p];
        gy += sigma * z[P + p];
      }
      xs[p] = x - LR * gx;
      ys[p] = y - LR * gy;
    }
  }
}

function config(particles: number, steps: number, sigma: number): SimulateConfig {
  return {
    landscape: landscapes.rosenbrock({ dim: 2, a: A, b: B }),
    optimizer: optimizers.sgd({ lr: LR }),
    noise: sigma > 0 ? noise.gaussian({ sigma }) : noise.none(),
    init: inits.point({ x: [...START] }),
    particles,
    steps,
    seed: 1,
  };
}

function startTwin(P: number): [Float64Array, Float64Array] {
  return [new Float64Array(P).fill(START[0]), new Float64Array(P).fill(START[1])];
}

/** Run the bench: `rounds` alternating rounds of each side, best of each. */
export async function bench(
  particles: number,
  steps: number,
  rounds: number,
  workers: WorkersOption | undefined,
  onRound: (what: string) => void,
): Promise<BenchReport> {
  // The no-noise check: the same arithmetic on both sides.
  const checkP = 256,
    checkT = 200;
  const ref = await simulate(config(checkP, checkT, 0));
  const [cx, cy] = startTwin(checkP);
  twin(cx, cy, checkT, 0, 1);
  let agreement = 0;
  for (let p = 0; p < checkP; p++) {
    agreement = Math.max(
      agreement,
      Math.abs(ref.x[2 * p] - cx[p]) / Math.max(1, Math.abs(cx[p])),
      Math.abs(ref.x[2 * p + 1] - cy[p]) / Math.max(1, Math.abs(cy[p])),
    );
  }
  if (!(agreement <= 1e-9))
    throw new CliError(
      `bench: the plain-JS twin and descent disagree without noise (max relative difference ${agreement.toExponential(2)} > 1e-9); ` +
        `not timing them`,
      FAILED,
    );

  const sides: { what: string; run: () => Promise<void> }[] = [
    {
      what: 'descent simulate (wasm, this thread)',
      run: async () => {
        await simulate(config(particles, steps, SIGMA));
      },
    },
    ...(workers !== undefined
      ? [
          {
            what: `descent simulate (wasm, workers: ${workers})`,
            run: async () => {
              await simulate(config(particles, steps, SIGMA), { workers });
            },
          },
        ]
      : []),
    {
      what: 'plain JS twin (Float64Array)',
      run: async () => {
        const [x, y] = startTwin(particles);
        twin(x, y, steps, SIGMA, 1);
      },
    },
  ];
  const best = sides.map(() => Infinity);
  for (let r = 0; r < rounds; r++) {
    for (let s = 0; s < sides.length; s++) {
      onRound(`round ${r + 1}/${rounds}: ${sides[s].what}`);
      const t0 = performance.now();
      await sides[s].run();
      best[s] = Math.min(best[s], (performance.now() - t0) / 1000);
    }
  }
  const work = particles * steps;
  const jsRate = work / best[best.length - 1];
  return {
    workload: `SGD (lr ${LR}) + Gaussian gradient noise (σ ${SIGMA}) on 2-d Rosenbrock from (${START.join(', ')})`,
    particles,
    steps,
    rounds,
    agreement,
    rows: sides.map((s, i) => ({ what: s.what, seconds: best[i], rate: work / best[i], speedup: work / best[i] / jsRate })),
  };
}
