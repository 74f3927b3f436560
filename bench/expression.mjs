// Expression landscapes (issue 18): the cost of writing your function as a formula instead of
// using a built-in kernel, and the cost of compiling it. Single thread, float64.
//   ensemble   SGD on Rosenbrock, P = 10⁵ particles, the built-in kernel (fused loop) against the
//              same function as an expression (`landscapes.expression`, compiled at run time),
//              in 2-d and as the 32-d chained sum; goal: the expression within 1.5× of the kernel.
//              Reported in M coordinate-updates/s, the fastest of alternating rounds.
//   compile    `landscapes.expression` on a 50-node formula (parse, derivatives, wasm bytes): the
//              median of many compiles; goal < 5 ms. The module's first use (WebAssembly compile
//              and instantiation in the engine) is timed separately.
// Before timing, each pair's final positions are compared (expression vs kernel: 1e-12 relative;
// the formulas round differently) and the run is repeated to check it is deterministic. Exit 1
// on disagreement.
//
//   node scripts/build.mjs --no-types && node bench/expression.mjs [--quick] [--json]
// --quick (and --smoke, as bench/run.mjs passes it): small sizes, the checks only, no timing.
const argv = process.argv.slice(2);
const quick = argv.includes('--quick') || argv.includes('--smoke');
const json = argv.includes('--json');
const descent = await import('../build/descent.node.mjs');
await descent.init();
const L = descent.landscapes;

const P = quick ? 2000 : 100_000;
const log = (s) => process.stderr.write(`${s}\n`);

const CASES = [
  { id: 'rosenbrock-2d', title: 'SGD ensemble, Rosenbrock 2-d', dim: 2, steps: quick ? 20 : 400, lr: 1e-4,
    builtin: () => L.rosenbrock(), expr: () => L.expression({ expr: '100*(y-x^2)^2 + (1-x)^2' }) },
  { id: 'rosenbrock-32d', title: 'SGD ensemble, Rosenbrock 32-d (sum)', dim: 32, steps: quick ? 5 : 40, lr: 1e-5,
    builtin: () => L.rosenbrock({ dim: 32 }), expr: () => L.expression({ expr: 'sum(i, 0, d-2, 100*(x[i+1]-x[i]^2)^2 + (1-x[i])^2)', dim: 32 }) },
];

const config = (c, landscape, steps) => ({
  landscape, optimizer: descent.optimizers.sgd({ lr: c.lr }), particles: P, steps, seed: 7,
  init: descent.inits.normal({ mean: Array(c.dim).fill(0), std: 0.5 }),
});

let failed = false;
const rows = [];
for (const c of CASES) {
  const fb = c.builtin(), fe = c.expr();
  const a = await descent.simulate(config(c, fb, c.steps)), b = await descent.simulate(config(c, fe, c.steps));
  const b2 = await descent.simulate(config(c, fe, c.steps));
  let err = 0, norm = 0;
  for (let k = 0; k < a.x.length; k++) {
    err = Math.max(err, Math.abs(a.x[k] - b.x[k]));
    norm = Math.max(norm, Math.abs(a.x[k]));
  }
  const agree = err <= 1e-12 * norm && b.hash === b2.hash;
  if (!agree) failed = true;
  log(`${c.id}: final positions differ by ${(err / norm).toExponential(2)} (relative), repeat hash ${b.hash === b2.hash ? 'equal' : 'DIFFERS'} ${agree ? 'ok' : 'FAIL'}`);
  if (quick) continue;
  const rounds = 4;
  let best = { builtin: Infinity, expression: Infinity };
  for (let r = 0; r < rounds; r++) {
    for (const [side, f] of r % 2 === 0 ? [['builtin', fb], ['expression', fe]] : [['expression', fe], ['builtin', fb]]) {
      const t0 = performance.now();
      await descent.simulate(config(c, f, c.steps));
      best[side] = Math.min(best[side], performance.now() - t0);
    }
  }
  const rate = (ms) => (P * c.steps * c.dim) / (ms * 1e3);
  rows.push({ id: c.id, title: c.title, builtin: rate(best.builtin), expression: rate(best.expression), ratio: best.expression / best.builtin });
}

// Compile time of a 50-node formula.
const FORMULA = 'a*exp(-(x-1)^2 - b*y^2) + c*exp(-x^2 - b*(y-0.5)^2) + sin(3*x)*cos(2*y) + log1p(x^2*y^2) + tanh(x-y)^3' +
  ' + atan(x*y)/(1+x^2) + sqrt(1 + x^4 + 2*y^4)*erf(x/2)';
const params = { a: -200, b: 10, c: -100 };
const compiled = L.expression({ expr: FORMULA, params });
const nodes = descent.__testing?.expressionNodes?.(FORMULA, 2, params);
let compile;
if (!quick) {
  for (let k = 0; k < 50; k++) L.expression({ expr: FORMULA, params });
  const times = [];
  for (let k = 0; k < 200; k++) {
    const t0 = performance.now();
    L.expression({ expr: FORMULA, params });
    times.push(performance.now() - t0);
  }
  times.sort((p, q) => p - q);
  const t0 = performance.now();
  L.expression({ expr: FORMULA + ' + 0*x', params }).value([0.1, 0.2]); // first use: compile + instantiate + link
  compile = { median: times[times.length >> 1], firstUse: performance.now() - t0 };
}
const ref = compiled.value([0.3, 0.2]);
if (!Number.isFinite(ref)) {
  failed = true;
  log(`compile: the 50-node formula evaluates to ${ref}: FAIL`);
}
log(`compile: formula of ${nodes ?? '?'} distinct nodes`);

if (json) process.stdout.write(JSON.stringify({ rows, compile, nodes }, null, 1) + '\n');
else if (!quick) {
  console.log('| workload | built-in kernel (M coord-updates/s) | expression | expression time / kernel time | goal |');
  console.log('|---|--:|--:|--:|---|');
  for (const r of rows) console.log(`| ${r.title}, P = ${P} | ${r.builtin.toFixed(0)} | ${r.expression.toFixed(0)} | ${r.ratio.toFixed(2)}× | ≤ 1.5× |`);
  console.log(`\ncompile a ${nodes}-node formula: median ${compile.median.toFixed(2)} ms (goal < 5 ms); first use (wasm compile, instantiate, link): ${compile.firstUse.toFixed(2)} ms`);
}
process.exit(failed ? 1 : 0);
