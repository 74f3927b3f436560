// Plots of a descent study, as SVG files: the README's question — which minimum does SGD choose? —
// drawn. A 1-d landscape has a sharp well (x = −1, curvature 44) and a flat one (x = +1,
// curvature 4); ensembles of SGD runs start at the barrier between them, one per learning rate.
//   basins.svg     P(flat basin) and P(sharp basin) against lr, 95% Wilson intervals, and the
//                  sharp well's stability limit 2/44
//   loss.svg       loss quantile bands over steps, at the largest learning rate
//   final.svg      the final-loss histogram of that run
//   himmelblau.svg noisy SGD on Himmelblau's function: contours, final particles, trajectories
// Specs come from the library (descent.plots.*, plain data); `toSVG` from descent/plots renders
// them with vega and vega-lite (dev dependencies here; optional peer dependencies of the package).
//
//   node examples/plots.mjs [--particles 20000] [--steps 400] [--out plots/]    (after npm run build)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as descent from '../build/descent.node.mjs';
import { toSVG } from '../build/descent.plots.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const P = Number(arg('particles', 20_000)), T = Number(arg('steps', 400)), OUT = arg('out', 'plots');
mkdirSync(OUT, { recursive: true });
await descent.init();
const { landscapes, optimizers, noise, inits, plots } = descent;

const save = async (name, spec) => {
  const svg = await toSVG(spec);
  writeFileSync(join(OUT, name), svg);
  console.log(`wrote ${join(OUT, name)} (${(svg.length / 1024).toFixed(0)} kB)`);
};

// Two wells of equal depth; the barrier is where the loss between them peaks (found in wasm on a grid).
const wells = landscapes.multiWell({ centers: [[-1], [1]], depths: [1, 1], widths: [0.15, 0.5], stiffness: 0.02 });
const xs = Float64Array.from({ length: 4001 }, (_, i) => -1 + i / 2000);
const vs = wells.valueBatch(xs);
const barrier = xs[vs.indexOf(Math.max(...vs))];

const points = [];
let last;
for (const lr of [0.01, 0.02, 0.03, 0.045, 0.06, 0.08, 0.1]) {
  last = await descent.simulate({
    landscape: wells, optimizer: optimizers.sgd({ lr }), noise: noise.gaussian({ sigma: 2 }),
    init: inits.uniform({ low: [barrier - 0.05], high: [barrier + 0.05] }), particles: P, steps: T, seed: 2026,
    record: { every: Math.max(1, Math.floor(T / 100)) },
  });
  let sharp = 0, flat = 0;
  for (let p = 0; p < P; p++) if (last.divergedAt[p] < 0) (last.x[p] < barrier ? sharp++ : flat++);
  points.push({ lr, k: flat, n: sharp + flat, label: 'flat well (x = +1)' }, { lr, k: sharp, n: sharp + flat, label: 'sharp well (x = −1)' });
  console.log(`lr ${lr}: sharp ${sharp}, flat ${flat}, diverged ${last.counts.diverged}`);
}
await save('basins.svg', plots.basinProbability(points, {
  title: 'Which minimum does SGD choose?', yTitle: 'fraction of runs', reference: [{ lr: 2 / 44, label: '2/λ sharp' }],
}));
await save('loss.svg', plots.lossBands(last, { title: 'Loss over steps (lr 0.1)' }));
await save('final.svg', plots.lossHistogram(last, { title: 'Final loss (lr 0.1)', bins: 40 }));

const him = landscapes.himmelblau();
const run = await descent.simulate({
  landscape: him, optimizer: optimizers.sgd({ lr: 0.01 }), noise: noise.gaussian({ sigma: 3 }),
  init: inits.uniform({ low: [-5, -5], high: [5, 5] }), particles: Math.min(P, 5000), steps: T, seed: 7,
  record: { trajectories: 12 },
});
const grid = descent.slices.plane(him, [0, 0], { directions: [[1, 0], [0, 1]], range: [-6, 6], resolution: 61 });
await save('himmelblau.svg', plots.contours(grid, { title: 'Noisy SGD on Himmelblau', points: run.x, maxPoints: 1500, trajectories: run.trajectories }));
