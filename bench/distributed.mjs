#!/usr/bin/env node
// Cost of the distributed and variance-reduced optimisers (issue 19) per component-gradient
// evaluation, against minibatch SGD (the baseline) on the same finite sum and model, timed in the
// same process, rounds interleaved (baseline, then each optimiser, then again) so a busy neighbour
// slows every side alike. Before anything is timed, the bit-for-bit reductions are checked (local
// SGD with H = 1 against SGD with K·b samples, SVRG with m = 1 and MARINA with p = 1 against GD,
// async SGD with τ = 0 against SGD), or the run exits 1.
//
//   node bench/distributed.mjs [--quick] [--json] [--rounds <n>]
//   node bench/distributed.mjs --smoke   the reduction checks and one tiny run of each, nothing timed
//
// Reported per optimiser: ns per component gradient (the run's time / (P · T · evaluations per
// step)) and its ratio to SGD's. Evaluations per step, in component gradients of a sum of n
// terms at minibatch size b, K workers: SGD b; local SGD K·b; async SGD b; compressed SGD K·b;
// MARINA 2K·b(1 − p) + n·p; SVRG 2b + n/m; SARAH 2b + n/m (the snapshot's full gradient
// amortised). The bound is a ratio ≤ 2.
const descent = await import('../build/descent.node.mjs').catch((error) => {
  process.stderr.write(`bench: cannot load build/descent.node.mjs (${error.message}); build first: node scripts/build.mjs --no-types\n`);
  process.exit(2);
});

const argv = process.argv.slice(2);
const opts = { smoke: argv.includes('--smoke'), quick: argv.includes('--quick'), json: argv.includes('--json'), rounds: 3 };
const ri = argv.indexOf('--rounds');
if (ri >= 0) opts.rounds = Number(argv[ri + 1]);
const log = (s) => process.stderr.write(`${s}\n`);

await descent.init();
const L = descent.landscapes, O = descent.optimizers, N = descent.noise, I = descent.inits;

/** A d-dimensional finite sum of n quadratic bowls with different curvatures and centres. */
function bowls(n, d) {
  const parts = [];
  for (let k = 0; k < n; k++) {
    const A = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 + ((k + i) % 4) : 0)));
    parts.push(L.quadratic({ A, b: Array.from({ length: d }, (_, i) => Math.sin(k + 3 * i)) }));
  }
  return L.finiteSum(parts);
}

/** Least squares on n examples with d features (a model). */
function leastSquares(n, d) {
  const X = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => Math.sin(i * (j + 1) + j)));
  return descent.models.linearRegression({ data: descent.data.from({ X, y: X.map((r) => r.reduce((u, v) => u + v, 0)) }), bias: false });
}

const b = 4, K = 4, m = 50, p = 0.1;
const n = 64, d = 8;
const landscapes = [['finiteSum', bowls(n, d)], ['linearRegression', leastSquares(n, d)]];
const contestants = [
  ['sgd', O.sgd({ lr: 0.01 }), b],
  ['localSGD K=4 H=8', O.localSGD({ workers: K, localSteps: 8, inner: O.sgd({ lr: 0.01 }) }), K * b],
  ['asyncSGD τ≤8 uniform', O.asyncSGD({ lr: 0.01, maxDelay: 8, delay: 'uniform' }), b],
  ['compressedSGD K=4 randK k=2', O.compressedSGD({ lr: 0.01, workers: K, k: 2 }), K * b],
  ['marina K=4 permK p=0.1', O.marina({ lr: 0.01, workers: K, compressor: 'permK', p }), 2 * K * b * (1 - p) + n * p],
  ['svrg m=50', O.svrg({ lr: 0.01, epochLength: m }), 2 * b + n / m],
  ['sarah m=50', O.sarah({ lr: 0.01, epochLength: m }), 2 * b + n / m],
];

/** Check the reductions that make the kernels trustworthy (exit 1 on a mismatch). */
async function checks() {
  const init = I.uniform({ low: Array(d).fill(-1), high: Array(d).fill(1) });
  const sameX = async (what, a, c) => {
    const [x, y] = [await descent.simulate(a), await descent.simulate(c)];
    if (x.hash !== y.hash) { log(`distributed: ${what}: results differ (${x.hash} vs ${y.hash})`); process.exit(1); }
  };
  for (const [name, f] of landscapes) {
    const base = { landscape: f, init, particles: 40, steps: 12, seed: 1 };
    await sameX(`${name}: localSGD H = 1 vs SGD with K·b`, { ...base, optimizer: O.localSGD({ workers: K, localSteps: 1, inner: O.sgd({ lr: 0.01 }) }), noise: N.minibatch({ batchSize: b }) },
      { ...base, optimizer: O.sgd({ lr: 0.01 }), noise: N.minibatch({ batchSize: K * b }) });
    await sameX(`${name}: asyncSGD τ = 0 vs SGD`, { ...base, optimizer: O.asyncSGD({ lr: 0.01, maxDelay: 0 }), noise: N.minibatch({ batchSize: b }) },
      { ...base, optimizer: O.sgd({ lr: 0.01 }), noise: N.minibatch({ batchSize: b }) });
    await sameX(`${name}: SVRG m = 1 vs GD`, { ...base, optimizer: O.svrg({ lr: 0.01, epochLength: 1 }), noise: N.minibatch({ batchSize: b }) },
      { ...base, optimizer: O.sgd({ lr: 0.01 }) });
    await sameX(`${name}: MARINA p = 1 vs GD`, { ...base, optimizer: O.marina({ lr: 0.01, workers: K, k: 2, p: 1 }), noise: N.minibatch({ batchSize: b }) },
      { ...base, optimizer: O.sgd({ lr: 0.01 }) });
  }
  log('distributed: reductions bit for bit (localSGD H = 1, asyncSGD τ = 0, SVRG m = 1, MARINA p = 1)');
}

await checks();
const size = opts.smoke ? { P: 64, T: 4 } : opts.quick ? { P: 512, T: 40 } : { P: 2048, T: 100 };
const results = [];
for (const [lname, f] of landscapes) {
  const init = I.uniform({ low: Array(d).fill(-1), high: Array(d).fill(1) });
  const run = (o) => descent.simulate({ landscape: f, optimizer: o, noise: N.minibatch({ batchSize: b }), init, particles: size.P, steps: size.T, seed: 3 });
  const best = new Map();
  for (let r = 0; r < (opts.smoke ? 1 : opts.rounds); r++) {
    for (const [name, o] of contestants) {
      const t0 = performance.now();
      await run(o);
      const s = (performance.now() - t0) / 1000;
      best.set(name, Math.min(best.get(name) ?? Infinity, s));
    }
  }
  if (opts.smoke) continue;
  const perEval = (name, evals) => (best.get(name) * 1e9) / (size.P * size.T * evals);
  const base = perEval('sgd', b);
  for (const [name, , evals] of contestants) {
    results.push({ landscape: lname, optimizer: name, evalsPerStep: evals, nsPerEval: perEval(name, evals), ratio: perEval(name, evals) / base });
  }
}
if (opts.smoke) process.exit(0);
if (opts.json) process.stdout.write(`${JSON.stringify({ n, d, b, P: size.P, T: size.T, results }, null, 1)}\n`);
else {
  log(`n = ${n} terms, d = ${d}, b = ${b}, P = ${size.P}, T = ${size.T}; best of ${opts.rounds} rounds`);
  log('landscape         optimiser                       evals/step   ns/eval   × SGD');
  for (const r of results) {
    log(`${r.landscape.padEnd(18)}${r.optimizer.padEnd(32)}${r.evalsPerStep.toFixed(1).padStart(10)}${r.nsPerEval.toFixed(1).padStart(10)}${r.ratio.toFixed(2).padStart(8)}`);
  }
}
