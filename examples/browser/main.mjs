// The page's program: see index.html. Runs in the page's main thread (a few hundred ms for the
// default size); pass `{ workers: 1 }` to simulate to keep a busy page responsive.
import * as descent from '../../build/descent.inline.mjs';

const q = new URLSearchParams(location.search);
const num = (name, fallback) => (q.has(name) ? Number(q.get(name)) : fallback);
const status = (text) => { document.getElementById('status').textContent = text; };

try {
  await descent.init();
  const particles = num('particles', 20_000), steps = num('steps', 300);
  const t0 = performance.now();
  const r = await descent.simulate({
    landscape: descent.landscapes.doubleWell({ tilt: 0.1 }),
    optimizer: descent.optimizers.sgd({ lr: num('lr', 0.05) }),
    noise: descent.noise.gaussian({ sigma: num('sigma', 1) }),
    init: descent.inits.point({ x: [0] }),
    particles, steps, seed: num('seed', 1), record: { every: Math.max(1, Math.floor(steps / 100)) },
  });
  const seconds = (performance.now() - t0) / 1000;

  // Which side of the barrier each particle ended on (diverged ones are left out).
  let left = 0, right = 0;
  for (let p = 0; p < r.particles; p++) if (r.divergedAt[p] < 0) (r.x[p] < 0 ? left++ : right++);
  const n = left + right;
  const rows = [['left well (x ≈ −1, deeper)', left], ['right well (x ≈ +1)', right]];
  document.querySelector('#basins tbody').innerHTML = rows.map(([name, k]) => {
    const [lo, hi] = descent.plots.wilson(k, n);
    return `<tr><td>${name}</td><td>${k}</td><td>${(100 * k / n).toFixed(1)}%</td><td>[${(100 * lo).toFixed(1)}%, ${(100 * hi).toFixed(1)}%]</td></tr>`;
  }).join('');
  document.getElementById('basins').hidden = false;
  document.getElementById('hash').textContent = r.hash;
  document.getElementById('config').textContent = JSON.stringify(r.config, null, 1);

  const spec = descent.plots.lossBands(r, { title: 'Loss over steps', width: 560, height: 260 });
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'svg', container: '#plot' });
  await view.runAsync();
  status(`${particles.toLocaleString('en-US')} particles × ${steps} steps in ${seconds.toFixed(2)} s (${r.counts.diverged} diverged).`);
  document.body.dataset.state = 'done';
} catch (e) {
  status(`failed: ${e.message}`);
  document.body.dataset.state = 'failed';
  throw e;
}
