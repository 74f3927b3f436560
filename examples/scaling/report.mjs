// The table of the scaling study (sharp-flat.json) from a merged result.json: which minimum SGD
// ends in, with 95% Wilson intervals, from the final state's histogram of x on the barrier
// (bin 0: the sharp well's side, bin 1: the flat well's), the loss quantiles at the end and the
// mean loss along the run. Only the summary is read: it is the same for one process and any
// number of shards.
//   node examples/scaling/report.mjs result.json
import { readFileSync } from 'node:fs';

const r = JSON.parse(readFileSync(process.argv[2] ?? 'result.json', 'utf8'));
const [sharp, flat] = r.final.paramHistogram.counts, n = r.particles;
function wilson(k, m) {
  const z = 1.959963984540054, p = k / m, z2 = z * z;
  const c = (p + z2 / (2 * m)) / (1 + z2 / m), h = (z / (1 + z2 / m)) * Math.sqrt((p * (1 - p)) / m + z2 / (4 * m * m));
  return [c - h, c + h];
}
const pct = (v, digits = 4) => (100 * v).toFixed(digits);
// JSON has no NaN or ±Infinity: result.json writes them as null.
const num = (v, digits = 4) => (v === null ? 'non-finite' : v.toPrecision(digits));
const ci = (k) => { const [a, b] = wilson(k, n); return `${pct(k / n)} [${pct(a)}, ${pct(b)}]`; };
const opt = r.config.optimizer.params, noise = r.config.noise.params;
console.log(`${n.toLocaleString('en')} SGD trajectories (lr ${opt.lr}, Gaussian gradient noise σ ${noise.sigma}), ${r.steps} steps, hash ${r.hash}\n`);
console.log('| outcome | particles | % of all [95% CI] |');
console.log('|---|---:|---|');
console.log(`| sharp well (x < barrier, curvature 44) | ${sharp.toLocaleString('en')} | ${ci(sharp)} |`);
console.log(`| flat well (x ≥ barrier, curvature 4) | ${flat.toLocaleString('en')} | ${ci(flat)} |`);
console.log(`| diverged (|x| > ${r.config.divergenceBound} or non-finite) | ${r.counts.diverged.toLocaleString('en')} | ${ci(r.counts.diverged)} |`);
const q = r.final.lossQuantiles;
console.log(`\nfinal loss: mean ${num(r.final.lossMean, 6)}, quantiles ${q.levels.map((l, k) => `${l}: ${num(q.values[k])}`).join(', ')} (sketch, ${q.bits} bits: within ${(2 ** -(q.bits + 1) * 100).toFixed(2)}%)`);
console.log(`mean loss by step: ${Array.from(r.record.steps, (t, k) => `${t}: ${num(r.record.lossMean[k])}`).join(', ')}`);
if (r.times.diverged.count > 0) console.log(`divergence step: mean ${r.times.diverged.mean.toFixed(2)}, min ${r.times.diverged.min}, max ${r.times.diverged.max}`);
