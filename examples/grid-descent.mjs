// An example of batched landscape calls: plain gradient descent from a grid of starting
// points on Himmelblau's function (four minima) and on Rosenbrock's valley, all starts advanced
// together — one batched wasm gradient call per step — then a table of where they ended.
//
//   npm run example:grid    (builds first)   or   node examples/grid-descent.mjs [--grid 41] [--steps 2000]
import * as descent from '../build/descent.node.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const GRID = arg('grid', 41), STEPS = arg('steps', 2000);

await descent.init();

/** Gradient descent x ← x − lr ∇f(x) on every row of X (n×d, row-major), in place. */
function descend(f, X, lr, steps) {
  const g = new Float64Array(X.length);
  for (let t = 0; t < steps; t++) {
    f.gradBatch(X, g);
    for (let i = 0; i < X.length; i++) X[i] -= lr * g[i];
  }
  return X;
}

/** A GRID×GRID grid of starts over [lo, hi]². */
function grid(lo, hi) {
  const X = new Float64Array(GRID * GRID * 2);
  for (let i = 0; i < GRID; i++) for (let j = 0; j < GRID; j++) {
    X[2 * (i * GRID + j)] = lo + ((hi - lo) * i) / (GRID - 1);
    X[2 * (i * GRID + j) + 1] = lo + ((hi - lo) * j) / (GRID - 1);
  }
  return X;
}

const t0 = performance.now();
const himmelblau = descent.landscapes.himmelblau();
const minima = [[3, 2], [-2.805118086952745, 3.131312518250573], [-3.779310253377747, -3.283185991286170], [3.584428340330492, -1.848126526964404]];
const H = descend(himmelblau, grid(-5, 5), 0.005, STEPS);
const counts = new Array(minima.length + 1).fill(0);
for (let p = 0; p < GRID * GRID; p++) {
  const x = H[2 * p], y = H[2 * p + 1];
  const k = minima.findIndex(([a, b]) => Math.hypot(x - a, y - b) < 1e-6);
  counts[k < 0 ? minima.length : k]++;
}
console.log(`Himmelblau: gradient descent (lr 0.005, ${STEPS} steps) from a ${GRID}×${GRID} grid on [-5, 5]²`);
console.log('| minimum | x | y | starts that end there | share |');
console.log('|---|---|---|---|---|');
minima.forEach(([a, b], k) => console.log(`| ${k + 1} | ${a.toFixed(6)} | ${b.toFixed(6)} | ${counts[k]} | ${(100 * counts[k] / (GRID * GRID)).toFixed(1)}% |`));
console.log(`| not converged | | | ${counts[minima.length]} | ${(100 * counts[minima.length] / (GRID * GRID)).toFixed(1)}% |`);

const rosenbrock = descent.landscapes.rosenbrock();
// The largest curvature on [-2, 2]² is ≈ 5602 (at (2, −2)), so lr must stay below 2/5602 ≈ 3.6e-4.
const R = descend(rosenbrock, grid(-2, 2), 2.5e-4, STEPS);
const dist = Array.from({ length: GRID * GRID }, (_, p) => Math.hypot(R[2 * p] - 1, R[2 * p + 1] - 1)).sort((a, b) => a - b);
const q = (s) => dist[Math.min(dist.length - 1, Math.floor(s * dist.length))].toExponential(2);
console.log(`\nRosenbrock (a=1, b=100): gradient descent (lr 2.5e-4, ${STEPS} steps) from a ${GRID}×${GRID} grid on [-2, 2]²`);
console.log('distance to the minimum (1, 1): | min | 25% | median | 75% | max |');
console.log(`                                | ${q(0)} | ${q(0.25)} | ${q(0.5)} | ${q(0.75)} | ${q(1)} |`);
console.log(`(the valley floor is flat: ${STEPS} plain GD steps leave most starts crawling along it)`);
console.log(`\n${2 * GRID * GRID * STEPS} gradient evaluations in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
