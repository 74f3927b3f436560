// The stochastic modified equations' cost (issue 19: each new optimiser ≤ 2× SGD per gradient
// evaluation): optimizers.sme against SGD on the same run, ns per gradient evaluation (a substep
// of Euler–Maruyama or of the delay SME takes one, Heun and order 2 two: a second gradient or an
// HVP), single thread, the fastest of alternating rounds. Before timing, a check: the noiseless
// SME solved by Heun with 64 substeps is the gradient flow e^{−T} x₀ of ½x² to 1e-6 (exit 1 if not).
//
//   node scripts/build.mjs --no-types && node bench/sme.mjs [--quick] [--json]
// --quick (and --smoke): the check only, no timing.
const argv = process.argv.slice(2);
const quick = argv.includes('--quick') || argv.includes('--smoke');
const descent = await import('../build/descent.node.mjs');
await descent.init();
const { landscapes: L, optimizers: O, noise: N, inits: I } = descent;

const flow = await descent.simulate({
  landscape: L.quadratic({ A: [[1]] }), optimizer: O.sme({ lr: 0.1, scheme: 'heun', substeps: 64 }), particles: 1, steps: 20, seed: 1,
  init: I.point({ x: [1] }),
});
const err = Math.abs(flow.x[0] - Math.exp(-2));
process.stderr.write(`check: SME flow at T = 2 is e^{-2} to ${err.toExponential(2)} ${err < 1e-6 ? 'ok' : 'FAIL'}\n`);
if (!(err < 1e-6)) process.exit(1);
if (quick) process.exit(0);

const d = 8, P = 20_000, T = 100;
const config = (optimizer) => ({
  landscape: L.rosenbrock({ dim: d }), optimizer, noise: N.gaussian({ sigma: 0.1 }), particles: P, steps: T, seed: 1,
  init: I.normal({ mean: Array(d).fill(0), std: 0.3 }),
});
const cases = [
  ['SGD', O.sgd({ lr: 1e-4 }), 1],
  ['SME order 1, Euler–Maruyama', O.sme({ lr: 1e-4 }), 1],
  ['SME order 1, Heun', O.sme({ lr: 1e-4, scheme: 'heun' }), 2],
  ['SME order 2, Euler–Maruyama (gradient + HVP)', O.sme({ lr: 1e-4, order: 2 }), 2],
  ['asynchronous SGD SME (delay 4)', O.sme({ lr: 1e-4, delay: 4 }), 1],
];
const best = new Map(cases.map(([name]) => [name, Infinity]));
for (let r = 0; r < 4; r++) {
  for (const [name, optimizer] of r % 2 ? [...cases].reverse() : cases) {
    const t0 = performance.now();
    await descent.simulate(config(optimizer));
    best.set(name, Math.min(best.get(name), performance.now() - t0));
  }
}
const perGrad = (name, grads) => (best.get(name) * 1e6) / (P * T * grads);
const sgd = perGrad('SGD', 1);
const rows = cases.map(([name, , grads]) => ({ name, nsPerGradient: perGrad(name, grads), ratio: perGrad(name, grads) / sgd }));
if (argv.includes('--json')) process.stdout.write(JSON.stringify(rows, null, 1) + '\n');
else {
  console.log(`| ${d}-d Rosenbrock, Gaussian noise, P = ${P}, T = ${T} | ns per gradient evaluation | × SGD | goal |`);
  console.log('|---|--:|--:|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.nsPerGradient.toFixed(1)} | ${r.ratio.toFixed(2)} | ≤ 2 |`);
}
