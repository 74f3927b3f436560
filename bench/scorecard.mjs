// The issue-16 scorecard: one table with every row of the engine-speed issue, read from the
// results `npm run bench` (bench/run.mjs) measured in this run — the ensemble workloads
// (bench/ensemble.mjs), the embedding costs (bench/embed.mjs), the Lanczos end-to-end times
// (bench/spectral.mjs) and the MLP HVP against torch (bench/hvp.mjs --json, run here as a
// subprocess) — each with its contestant, the ratio and the goal, met or not.
// Nothing here times anything itself.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HVP = fileURLToPath(new URL('./hvp.mjs', import.meta.url));

/** Run bench/hvp.mjs --json; { rows, torch } or { error }. */
export function measureHvp(log = () => {}) {
  log('bench: scorecard: bench/hvp.mjs --json (MLP HVP vs torch double backward)');
  const p = spawnSync(process.execPath, [HVP, '--json'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (p.status !== 0) return { error: `bench/hvp.mjs exited ${p.status}: ${(p.stderr || '').trim().split('\n').pop()}` };
  try {
    return JSON.parse(p.stdout.trim().split('\n').pop());
  } catch (e) {
    return { error: `bench/hvp.mjs printed no JSON (${e.message})` };
  }
}

const fmt = (v, digits = 0) => (v === undefined || v === null || !Number.isFinite(v) ? '–' : v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }).replace(/,/g, ' '));
const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '–');
const verdict = (ok) => (ok === undefined ? '–' : ok ? '✓' : '✗');

/**
 * The scorecard as markdown. `suites`: { ensemble?, embed?, spectral? } summaries (their
 * `summary()` objects); `hvp`: measureHvp's result.
 */
export function scorecard({ ensemble, embed, spectral }, hvp) {
  const rows = [];
  const ens = (id) => ensemble?.results?.find((r) => r.id === id);
  const add = (workload, descent, contestant, ratio, goal, ok) => rows.push(`| ${workload} | ${descent} | ${contestant} | ${x(ratio)} | ${goal} | ${verdict(ok)} |`);
  const gd = ens('rosenbrock-d2'), sgd = ens('rosenbrock-d2-noise'), q = ens('quadratic-d32'), qn = ens('quadratic-d32-noise');
  if (gd) {
    const m = gd.mups, js = m['plain JS'], c = m['native C'];
    add(`GD ensemble, 2-d Rosenbrock, P = ${fmt(gd.P)}, no noise (M coord-updates/s)`, fmt(m.descent), js ? `plain-JS loop ${fmt(js)}` : 'plain JS –', js && m.descent / js, '≥ 3× plain JS', js ? m.descent / js >= 3 : undefined);
    add('same', fmt(m.descent), c ? `C -O3 -march=native ${fmt(c)}` : 'C: no gcc', c && m.descent / c, '≥ 0.25× C', c ? m.descent / c >= 0.25 : undefined);
  }
  if (sgd) {
    const m = sgd.mups, np = m.numpy;
    add('SGD + Gaussian noise, same landscape', fmt(m.descent), np ? `numpy ${fmt(np)}` : 'numpy not installed', np && m.descent / np, '≥ 3× numpy', np ? m.descent / np >= 3 : undefined);
  }
  if (q) {
    const m = q.mups, np = m.numpy;
    add(`32-d dense quadratic, P = ${fmt(q.P)}, no noise`, fmt(m.descent), np ? `numpy (X @ A) ${fmt(np)}` : 'numpy not installed', np && m.descent / np, '≥ 0.8× numpy', np ? m.descent / np >= 0.8 : undefined);
  }
  if (qn) {
    const m = qn.mups, np = m.numpy;
    add('same with noise', fmt(m.descent), np ? `numpy ${fmt(np)}` : 'numpy not installed', np && m.descent / np, '≥ 1.5× numpy', np ? m.descent / np >= 1.5 : undefined);
  }
  if (hvp?.rows) {
    for (const r of hvp.rows.filter((r) => r.activation === 'tanh')) {
      const ratio = hvp.torch ? r.descentPerSec / r.torchPerSec : undefined;
      add(`exact HVP, MLP [${hvp.widths.join(',')}] tanh, n = ${fmt(r.n)} (HVP/s)`, fmt(r.descentPerSec), hvp.torch ? `torch double backward ${fmt(r.torchPerSec)}` : 'torch not installed', ratio, '≥ 1× torch', ratio === undefined ? undefined : ratio >= 1);
    }
  } else if (hvp?.error) rows.push(`| exact HVP, MLP | – | ${hvp.error} | – | ≥ 1× torch | – |`);
  const init = embed?.results?.find((r) => r.id === 'init-fresh-process');
  if (init) add('`await init()` in a fresh Node process (ms)', fmt(init.init, 1), `read + compile + instantiate alone ${fmt(init.bare, 1)} ms`, init.ratio, '≤ 10 ms', init.init <= 10);
  const grad = embed?.results?.find((r) => r.id === 'grad-2d-out');
  if (grad) add('one `f.grad(x, out)` call, 2-d Rosenbrock (ns)', fmt(grad.descentNs, 1), `plain-JS twin ${fmt(grad.jsNs, 1)} ns`, grad.descentNs / grad.jsNs, '≤ 100 ns', grad.descentNs <= 100);
  for (const r of spectral?.results ?? []) {
    const e = r.endToEnd;
    if (!e || e.ratio === undefined) continue;
    add(`Lanczos top-5, dense n = ${fmt(r.n)}, end to end (ms)`, fmt(e.ms.best, 1), 'scipy eigsh', e.ratio, `≤ ${r.endToEndGoal}× eigsh time`, e.ratio <= r.endToEndGoal);
  }
  if (rows.length === 0) return '';
  return [
    '## Issue 16 scorecard (engine speed)',
    '',
    'Every row of the issue\'s table, from the measurements above (same run, single thread). Ratios are descent ÷ contestant in',
    'throughput (higher is faster) except the time rows (init, f.grad, Lanczos: descent ÷ contestant in time, lower is faster).',
    '',
    '| workload | descent | contestant | ratio | goal | met |',
    '|---|--:|---|--:|---|:-:|',
    ...rows,
    '',
  ].join('\n');
}
