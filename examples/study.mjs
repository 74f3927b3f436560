// The README's main job: which minimum does SGD choose? A 1-d landscape has a sharp well
// (x = −1, curvature 44) and a flat one (x = +1, curvature 4) of equal depth. 100 000 SGD
// trajectories start at the barrier between them, for several learning rates and noise levels;
// the table gives the fraction in each basin after T steps with 95% Wilson intervals. Linear
// stability says the sharp well cannot hold plain GD once lr > 2/44 ≈ 0.045.
//
//   npm run demo      (builds first)   or   node examples/study.mjs [--particles 100000] [--steps 400]
import * as descent from '../build/descent.node.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const P = arg('particles', 100_000), T = arg('steps', 400);
await descent.init();

const { landscapes, optimizers, noise, inits } = descent;
const sharp = { center: -1, width: 0.15 }, flat = { center: 1, width: 0.5 };
const landscape = landscapes.multiWell({ centers: [[sharp.center], [flat.center]], depths: [1, 1], widths: [sharp.width, flat.width], stiffness: 0.02 });
const curvature = (w) => 1 / (w * w);
// The barrier: the highest point between the wells, on a fine grid (values computed in wasm).
const grid = Float64Array.from({ length: 20001 }, (_, i) => sharp.center + ((flat.center - sharp.center) * i) / 20000);
const values = landscape.valueBatch(grid);
const barrier = grid[values.indexOf(Math.max(...values))];

/** 95% Wilson score interval for k successes in n trials (in JS: reporting, not a result). */
function wilson(k, n) {
  const z = 1.959963984540054, p = k / n, z2 = z * z;
  const c = (p + z2 / (2 * n)) / (1 + z2 / n), h = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [c - h, c + h];
}
const pct = (v) => (100 * v).toFixed(1).padStart(5);

console.log(`Which minimum does SGD choose? ${P.toLocaleString('en')} trajectories per row, ${T} steps, started uniformly within 0.05 of the barrier at x = ${barrier.toFixed(3)}.`);
console.log(`Sharp well at ${sharp.center} (curvature ${curvature(sharp.width).toFixed(1)}: unstable for lr > ${(2 / curvature(sharp.width)).toFixed(3)}), flat well at ${flat.center} (curvature ${curvature(flat.width).toFixed(1)}), equal depths.\n`);
console.log('| lr | noise σ | sharp basin % [95% CI] | flat basin % [95% CI] | mean final loss | diverged |');
console.log('|---:|---:|---|---|---:|---:|');
const t0 = performance.now();
for (const lr of [0.01, 0.03, 0.06, 0.1]) {
  for (const sigma of [0.5, 2]) {
    // The basin counts come from the summary: a histogram of x_T on one edge, the barrier (bin 0:
    // x < barrier, the sharp side; bin 1: the flat side; diverged particles are not counted), so
    // no per-particle state is kept (keepParticles: false) and P can be as large as you like.
    const r = await descent.simulate({
      landscape, optimizer: optimizers.sgd({ lr }), noise: noise.gaussian({ sigma }),
      init: inits.uniform({ low: [barrier - 0.05], high: [barrier + 0.05] }), particles: P, steps: T, seed: 2026,
      record: { every: T - 1, paramEdges: [barrier] },
    }, { keepParticles: false });
    const [inSharp, inFlat] = r.final.paramHistogram.counts;
    const [a0, a1] = wilson(inSharp, P), [b0, b1] = wilson(inFlat, P);
    const meanLoss = r.record.lossMean[r.record.lossMean.length - 1];
    console.log(`| ${lr} | ${sigma} | ${pct(inSharp / P)} [${pct(a0)}, ${pct(a1)}] | ${pct(inFlat / P)} [${pct(b0)}, ${pct(b1)}] | ${meanLoss.toFixed(3)} | ${r.counts.diverged} |`);
  }
}
console.log(`\n${(8 * P * T / 1e6).toFixed(0)} M particle-steps in ${((performance.now() - t0) / 1000).toFixed(1)} s (one thread). Basin: the side of the barrier a particle is on at step ${T}.`);
