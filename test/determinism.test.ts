// The determinism contract (docs/design.md): the same computation gives the same bits in every
// runtime. Each test here hashes a fixed computation and prints `DETERMINISM <name> <hash>`;
// scripts/test-runtimes.mjs checks that Node, Deno, Bun, Chromium and Firefox print the same
// hashes. Transcendental-heavy kernels (Ackley, Rastrigin, Müller–Brown, mixtures, Box–Muller)
// are the ones where engines' own Math would disagree.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { rng, uniformArray } from './util.ts';

const det = suite('determinism hashes');
det.before(() => descent.init());

/** FNV-1a 64 over the bytes of a Float64Array, in JS BigInt arithmetic: an independent oracle for hashFloat64. */
function fnv1a(a: Float64Array): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new Uint8Array(a.buffer, a.byteOffset, a.byteLength)) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

function report(name: string, hash: string): void {
  console.log(`DETERMINISM ${name} ${hash}`);
}

det('hashFloat64 equals an independent FNV-1a of the bytes; NaNs hash canonically', () => {
  const a = Float64Array.of(0, -0, 1.5, Math.PI, -1e-300, Infinity);
  assert.is(descent.hashFloat64(a), fnv1a(a));
  assert.is(descent.hashBytes(new TextEncoder().encode('foobar')), '85944171f73967e8'); // published FNV-1a 64 test vector
  const nan1 = new Float64Array(new BigUint64Array([0x7ff8000000000001n]).buffer)[0];
  assert.is(descent.hashFloat64([nan1]), descent.hashFloat64([NaN]));
  assert.is(descent.hashFloat64([1, 2], [3]), descent.hashFloat64([1, 2, 3]));
});

det('landscapes: values, gradients and HVPs of every kind at 64 seeded points', () => {
  const L = descent.landscapes;
  const all: descent.Landscape[] = [
    L.quadratic({ eigenvalues: [-1, 0.5, 2, 4, 8], seed: 3 }), L.rosenbrock({ dim: 7 }), L.rastrigin({ dim: 5 }),
    L.ackley({ dim: 6 }), L.styblinskiTang({ dim: 4 }), L.beale(), L.himmelblau(), L.mullerBrown(), L.sixHumpCamel(),
    L.polynomial({ coefficients: [0.3, -1, 0.25, 2, -0.5] , dim: 3 }), L.doubleWell({ dim: 2, tilt: 0.1 }),
    L.multiWell({ centers: [[0, 0], [1, 1]], depths: [1, 2], widths: [0.3, 0.7] }), L.saddle({ dim: 4, negative: 2, quartic: 0.1 }),
    L.monkeySaddle(), L.gaussianMixture({ means: [[0, 0, 0], [1, 2, -1]], weights: [1, 2], stds: [0.5, 1.5] }),
  ];
  const parts: string[] = [];
  for (const f of all) {
    const next = rng(17 + f.dim);
    const X = uniformArray(next, 64 * f.dim, -2, 2), V = uniformArray(next, 64 * f.dim);
    const h = descent.hashFloat64(f.valueBatch(X), f.gradBatch(X), f.hvpBatch(X, V), f.hessian(X.subarray(0, f.dim)));
    report(`landscape-${f.kind}`, h);
    parts.push(h);
  }
  assert.is(new Set(parts).size, all.length, 'distinct computations hash differently');
});

det('random: uniform and normal blocks across seeds, streams, particles and steps', () => {
  const arrays: Float64Array[] = [];
  for (const seed of [0, 1, 2 ** 40 + 3]) {
    for (const particle of [0, 1, 99999]) {
      arrays.push(descent.random.uniform({ seed, particle, step: 5, count: 257 }));
      arrays.push(descent.random.normal({ seed, particle, stream: 2, step: 7, offset: 1, count: 257 }));
    }
  }
  const h = descent.hashFloat64(...arrays);
  report('random-blocks', h);
  assert.is(h.length, 16);
});

det('optimisers: 300-step trajectories of every kind on Rosenbrock (pow, sqrt, cos in the schedule)', async () => {
  const O = descent.optimizers, S = descent.schedules;
  const f = descent.landscapes.rosenbrock({ dim: 3 });
  const lr = S.cosine({ lr: 1e-3, steps: 300, warmup: 20 });
  const all = [O.sgd({ lr, momentum: 0.9, nesterov: true }), O.adam({ lr, amsgrad: true }), O.adamw({ lr }), O.rmsprop({ lr, centered: true, momentum: 0.3 }),
    O.adagrad({ lr: 0.05, lrDecay: 0.01 }), O.nadam({ lr }), O.lion({ lr }), O.heavyBall({ lr: 1e-4 }), O.nesterovGD({ lr: 1e-4, beta: 'schedule' })];
  const arrays: Float64Array[] = [];
  for (const o of all) {
    const r = await descent.minimize(f, o, [-1, 0.5, 2], { steps: 300, trajectory: true });
    arrays.push(r.trajectory!, r.losses);
  }
  const h = descent.hashFloat64(...arrays);
  report('optimizer-trajectories', h);
  assert.is(h.length, 16);
});

det('simulate: a noisy ensemble with momentum, stops, records and trajectories', async () => {
  const r = await descent.simulate({
    landscape: descent.landscapes.mullerBrown(), optimizer: descent.optimizers.sgd({ lr: 1e-4, momentum: 0.9 }),
    noise: descent.noise.heavyTailed({ sigma: 2, nu: 3 }), init: descent.inits.uniform({ low: [-1.5, -0.5], high: [1, 2] }),
    particles: 1000, steps: 400, seed: 77, record: { every: 50, trajectories: 2 },
    stop: { regions: [{ center: [-0.558, 1.442], radius: 0.05 }, { center: [0.623, 0.028], radius: 0.05 }] },
  });
  report('simulate-mullerBrown', r.hash);
  assert.ok(r.counts.stopped > 0);
});

det('simulate: curvature-aware optimisers (perturbed GD\'s ball draws and pow, saddle-free Newton\'s Lanczos on Rastrigin)', async () => {
  const L = descent.landscapes, O = descent.optimizers, I = descent.inits;
  const a = await descent.simulate({ landscape: L.saddle({ dim: 3, negative: 2, quartic: 0.5 }), optimizer: O.perturbedGD({ lr: 0.05, gThres: 0.05, tThres: 5, radius: 0.1 }), init: I.point({ x: [0, 0, 0] }), particles: 200, steps: 80, seed: 13, record: { every: 10 } });
  const b = await descent.simulate({ landscape: L.rastrigin({ dim: 4 }), optimizer: O.saddleFreeNewton({ k: 3, lr: 0.3 }), init: I.uniform({ low: [-2, -2, -2, -2], high: [2, 2, 2, 2] }), particles: 100, steps: 20, seed: 14, record: { every: 5 } });
  report('simulate-curvature', descent.hashBytes(new TextEncoder().encode(a.hash + b.hash)));
  assert.is.not(a.hash, b.hash);
});

det('simulate: SVGD on a mixture (median bandwidth by selection, f64x2 exp, N² interaction)', async () => {
  const r = await descent.simulate({
    landscape: descent.landscapes.gaussianMixture({ means: [[-1, 0], [1, 1]], weights: [1, 2], stds: [0.5, 0.8] }),
    optimizer: descent.samplers.svgd({ stepSize: 0.1 }), init: descent.inits.normal({ mean: [0, 0], std: 2 }),
    particles: 300, steps: 40, seed: 5, record: { every: 10, trajectories: 2 },
  });
  report('simulate-svgd', r.hash);
  assert.is(r.counts.diverged, 0);
});

det('simulate: an expression landscape (compiled at run time; imported exp, sin, erf, pow; f64x2 pairs) under Langevin noise', async () => {
  const f = descent.landscapes.expression({
    expr: 'sum(i, 0, d-2, b*(x[i+1]-x[i]^2)^2 + (1-x[i])^2) + 0.1*sin(3*x[0])*erf(x[1]) + exp(-x[2]^2)*abs(x[0])^1.5',
    dim: 3,
    params: { b: 20 },
  });
  const r = await descent.simulate({
    landscape: f, optimizer: descent.samplers.ula({ stepSize: 1e-3, temperature: 0.5 }),
    init: descent.inits.normal({ mean: [0, 0, 0], std: 0.7 }), particles: 501, steps: 200, seed: 31, record: { every: 40, trajectories: 1 },
  });
  const X = Float64Array.from({ length: 12 }, (_, i) => Math.cos(i) * 1.3);
  report('simulate-expression', descent.hashBytes(new TextEncoder().encode(r.hash + descent.hashFloat64(f.gradBatch(X), f.hvpBatch(X, X.map((v) => v / 2))))));
  assert.is(r.counts.diverged, 0);
});

det.run();
