#!/usr/bin/env node
// Every example in examples/, run as a user would, with small arguments, and its output checked.
// One line per check, then `N passed, N failed`. Needs the build (npm run build). Usage:
// node scripts/test-examples.mjs [--only study,grid,plots,em,scaling,browser]
//
//   study.mjs         the basin table: 8 rows, each share inside its printed 95% interval (recomputed
//                     here by the Wilson formula), sharp + flat + diverged = every particle
//   grid-descent.mjs  Himmelblau's basins from a grid: the counts equal an independent plain-JS
//                     gradient descent's (closed-form gradient, written here)
//   plots.mjs         four SVG files that parse as XML and hold the marks expected (one whisker per
//                     estimate, two quantile bands, one bar per bin, one dot per particle drawn, one
//                     path per trajectory)
//   em-mh.mjs         Monte Carlo EM with a Metropolis–Hastings E-step: the sampled responsibilities
//                     lie in their 99.9% binomial intervals around the exact ones (all but at most
//                     two of 30) and MCEM ends within 0.05 of the exact EM's maximum-likelihood estimate
//   scaling/          study.json run by the CLI; the Kubernetes Indexed Job's and the AWS Batch job
//                     definition's own `descent` command lines run for every index of the array under
//                     that engine's variables, and their merge commands give the unsharded run's hash
//                     (the Slurm script runs on a real Slurm in scripts/test-slurm.sh)
//   browser/          the page in Debian's Chromium (playwright-core): the run finishes, no console
//                     errors, the table's shares add up, vega drew the two bands, and the page's hash
//                     equals `descent run` of the config the page shows (the same bits as Node)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHROMIUM, CHROMIUM_FLAGS, REPO } from './runtimes.mjs';
import { markItems, parseSVG } from './svg-check.mjs';
import { startStaticServer } from './static-server.mjs';

const CLI = join(REPO, 'build/descent.cli.mjs');
const dir = mkdtempSync(join(tmpdir(), 'descent-examples-'));
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1].split(',') : undefined;
let passed = 0, failed = 0;

function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? '✓' : '✘'} examples: ${name}${ok || !detail ? '' : `\n${String(detail).split('\n').map((l) => '  | ' + l).join('\n')}`}`);
}

/** Run a command; `env` adds variables (job-array ones are removed from the test's own first). */
function sh(cmd, args, { env = {}, cwd = REPO, timeout = 300_000 } = {}) {
  const clean = { ...process.env };
  for (const k of Object.keys(clean)) if (/^(SLURM_|JOB_COMPLETION_INDEX|AWS_BATCH_)/.test(k)) delete clean[k];
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...clean, NO_COLOR: '1', ...env }, timeout });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '', all: `$ ${[cmd, ...args].join(' ')}\nexit ${r.status ?? r.signal}\nstdout: ${(r.stdout ?? '').slice(-1500)}\nstderr: ${(r.stderr ?? '').slice(-1500)}` };
}
const node = (args, opts) => sh(process.execPath, args, opts);
/** `descent …` as the examples write it, run with this build's CLI. */
const descent = (args, opts) => node([CLI, ...args], opts);
const lastJSON = (s) => { try { return JSON.parse(s.trim().split('\n').pop()); } catch { return undefined; } };
const want = (name) => !only || only.includes(name);

/** The 95% Wilson interval, written out here independently of the library (Wilson 1927). */
function wilson(k, n) {
  const z = 1.959963984540054, p = k / n, d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d, h = (z / d) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [c - h, c + h];
}

try {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.mjs first`);

  if (want('em')) {
    const r = node(['examples/em-mh.mjs', '--data', '30', '--chains', '100', '--iterations', '20']), j = lastJSON(r.out);
    check('em-mh.mjs --data 30 --chains 100 --iterations 20: MH responsibilities inside their intervals, MCEM reaches the MLE',
      r.code === 0 && j !== undefined && j.inside >= j.data - 2 && j.gap < 0.05, r.all);
  }

  if (want('study')) {
    const P = 3000, r = node(['examples/study.mjs', '--particles', String(P), '--steps', '120']);
    const rows = r.out.split('\n').filter((l) => /^\| [\d.]+ \| [\d.]+ \|/.test(l)).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
    const parsed = rows.map(([lr, sigma, sharp, flat, , diverged]) => {
      const [s, s0, s1] = sharp.match(/[\d.]+/g).map(Number), [f, f0, f1] = flat.match(/[\d.]+/g).map(Number);
      return { lr: Number(lr), sigma: Number(sigma), s, s0, s1, f, f0, f1, diverged: Number(diverged) };
    });
    const inside = parsed.every((p) => p.s0 <= p.s && p.s <= p.s1 && p.f0 <= p.f && p.f <= p.f1);
    // The printed interval is the Wilson interval of the printed share (to the 0.1% printed).
    const matches = parsed.every((p) => {
      const k = Math.round((p.s / 100) * P), [a, b] = wilson(k, P);
      return Math.abs(100 * a - p.s0) <= 0.11 && Math.abs(100 * b - p.s1) <= 0.11;
    });
    const sums = parsed.every((p) => Math.abs(p.s + p.f + (100 * p.diverged) / P - 100) <= 0.15);
    check('study.mjs --particles 3000 --steps 120: 8 rows (4 lr × 2 σ), shares inside their Wilson intervals, which match the formula, and add up',
      r.code === 0 && parsed.length === 8 && inside && matches && sums && /M particle-steps in [\d.]+ s/.test(r.out), r.all);
  }

  if (want('grid')) {
    const G = 9, T = 600, r = node(['examples/grid-descent.mjs', '--grid', String(G), '--steps', String(T)]);
    // The same gradient descent in plain JS: ∇ of (x² + y − 11)² + (x + y² − 7)².
    const minima = [[3, 2], [-2.805118086952745, 3.131312518250573], [-3.779310253377747, -3.283185991286170], [3.584428340330492, -1.848126526964404]];
    const counts = new Array(5).fill(0);
    for (let i = 0; i < G; i++) for (let j = 0; j < G; j++) {
      let x = -5 + (10 * i) / (G - 1), y = -5 + (10 * j) / (G - 1);
      for (let t = 0; t < T; t++) {
        const a = x * x + y - 11, b = x + y * y - 7;
        [x, y] = [x - 0.005 * (4 * x * a + 2 * b), y - 0.005 * (2 * a + 4 * y * b)];
      }
      const k = minima.findIndex(([u, v]) => Math.hypot(x - u, y - v) < 1e-6);
      counts[k < 0 ? 4 : k]++;
    }
    const printed = r.out.split('\n').filter((l) => /^\| (\d|not converged) /.test(l)).map((l) => Number(l.split('|')[4].trim()));
    check(`grid-descent.mjs --grid ${G} --steps ${T}: Himmelblau's basin counts equal a plain-JS gradient descent's (${counts.join(', ')})`,
      r.code === 0 && printed.join() === counts.join() && /Rosenbrock \(a=1, b=100\)/.test(r.out), `${r.all}\nexpected ${counts.join()} printed ${printed.join()}`);
  }

  if (want('plots')) {
    const out = join(dir, 'plots');
    const r = node(['examples/plots.mjs', '--particles', '2000', '--steps', '100', '--out', out]);
    const svg = (f) => { try { return parseSVG(readFileSync(join(out, f), 'utf8')); } catch (e) { return { error: `${f}: ${e.message}` }; } };
    const n = (root, type, name) => (root.error ? -1 : markItems(root, type, name).length);
    const basins = svg('basins.svg'), loss = svg('loss.svg'), final = svg('final.svg'), him = svg('himmelblau.svg');
    check('plots.mjs: basins.svg parses, 14 whiskers and 14 points (7 learning rates × 2 wells), the 2/λ line', r.code === 0 && n(basins, 'rule', 'intervals') === 14 && n(basins, 'symbol', 'estimates') === 14 && n(basins, 'rule', 'reference') === 1, `${r.all}\n${basins.error ?? ''}`);
    check('plots.mjs: loss.svg has 2 quantile bands and 2 lines; final.svg 40 bars', n(loss, 'area', 'bands') === 2 && n(loss, 'line', 'lines') === 2 && n(final, 'rect', 'bars') === 40, `${loss.error ?? ''} ${final.error ?? ''}`);
    check('plots.mjs: himmelblau.svg has 1500 particle dots (maxPoints) and 12 trajectories over its contour lines', n(him, 'symbol', 'particles') === 1500 && n(him, 'line', 'trajectories') === 12 && n(him, 'line', 'contours') >= 12, `${him.error ?? ''} ${n(him, 'symbol', 'particles')} ${n(him, 'line', 'trajectories')}`);
  }

  if (want('scaling')) {
    const small = ['--particles', '4096', '--steps', '40'];
    let r = descent(['run', 'examples/scaling/study.json', ...small, '--json', '--quiet']);
    const whole = lastJSON(r.out);
    check('scaling/study.json runs with descent run (4096 particles, 40 steps)', r.code === 0 && /^[0-9a-f]{16}$/.test(whole?.hash ?? '') && whole.particles === 4096, r.all);
    // Kubernetes: the Job's container command for each completion index, then the merge Job's command.
    const docs = parseAllDocuments(readFileSync(join(REPO, 'examples/scaling/k8s-indexed-job.yaml'), 'utf8')).map((d) => d.toJS());
    const job = docs[0].spec, mergeCmd = docs[1].spec.template.spec.containers[0].command;
    const shards = join(dir, 'k8s-shards');
    const local = (a) => a.replace('/config/study.json', join(REPO, 'examples/scaling/study.json')).replace(/^\/shards/, shards);
    const cmd = job.template.spec.containers[0].command.map(local);
    const codes = [];
    for (let i = 0; i < job.completions; i++) codes.push(descent([...cmd.slice(1), ...small, '--quiet'], { env: { JOB_COMPLETION_INDEX: String(i) } }).code);
    r = descent([...mergeCmd.slice(1).map(local), '--json']);
    check(`scaling/k8s-indexed-job.yaml: the Job's command for indices 0–${job.completions - 1}, then the merge Job's command, give the unsharded hash`,
      cmd[0] === 'descent' && codes.every((c) => c === 0) && lastJSON(r.out)?.hash === whole?.hash && lastJSON(r.out)?.shards === job.completions, `${codes}\n${r.all}`);
    // AWS Batch: the `descent run …` of the job definition's command, for each array index; the merge of aws-batch.sh.
    const def = JSON.parse(readFileSync(join(REPO, 'examples/scaling/aws-batch-job-definition.json'), 'utf8'));
    const runPart = def.containerProperties.command[2].split('&&').map((s) => s.trim()).find((s) => s.startsWith('descent run'));
    const size = Number(/size=(\d+)/.exec(readFileSync(join(REPO, 'examples/scaling/aws-batch.sh'), 'utf8'))[1]);
    const mergePart = /descent merge [^&"]+/.exec(readFileSync(join(REPO, 'examples/scaling/aws-batch.sh'), 'utf8'))[0].trim();
    const aws = join(dir, 'aws');
    mkdirSync(aws);
    writeFileSync(join(aws, 'study.json'), readFileSync(join(REPO, 'examples/scaling/study.json')));
    const awsCodes = [];
    for (let i = 0; i < size; i++) awsCodes.push(descent([...runPart.split(/\s+/).slice(1), ...small, '--quiet'], { cwd: aws, env: { AWS_BATCH_JOB_ARRAY_INDEX: String(i), AWS_BATCH_JOB_ARRAY_SIZE: String(size) } }).code);
    r = descent([...mergePart.split(/\s+/).slice(1), '--json'], { cwd: aws });
    check(`scaling/aws-batch: the job definition's descent command for array indices 0–${size - 1}, then aws-batch.sh's merge, give the unsharded hash`,
      awsCodes.every((c) => c === 0) && lastJSON(r.out)?.hash === whole?.hash && existsSync(join(aws, 'result.json')), `${runPart} | ${mergePart}\n${awsCodes}\n${r.all}`);
  }

  if (want('browser')) await browser();
} catch (error) {
  failed++;
  console.log(`✘ examples: the test script itself failed: ${error?.stack ?? error}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function browser() {
  if (!existsSync(CHROMIUM)) { check(`browser/index.html in Chromium (${CHROMIUM} is missing: apt-get install -y chromium)`, false); return; }
  const { chromium } = await import('playwright-core');
  const server = await startStaticServer({ root: REPO });
  const profile = mkdtempSync(join(tmpdir(), 'descent-example-chromium-'));
  // docs/runtimes.md pitfalls 1–3: Debian's Chromium, a fresh profile, flags for root and no network, http not file://.
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 120_000 });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    const P = 3000, T = 150;
    await page.goto(`${server.url}examples/browser/index.html?particles=${P}&steps=${T}&lr=0.05&sigma=1&seed=3`);
    await page.waitForFunction(() => document.body.dataset.state, null, { timeout: 120_000 });
    const got = await page.evaluate(() => ({
      state: document.body.dataset.state,
      status: document.getElementById('status').textContent,
      rows: [...document.querySelectorAll('#basins tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
      hash: document.getElementById('hash').textContent,
      config: document.getElementById('config').textContent,
      bands: document.querySelectorAll('#plot svg g.mark-area.bands_marks > path').length,
      lines: document.querySelectorAll('#plot svg g.mark-line.lines_marks > path').length,
    }));
    check('browser/index.html: the run finishes in Chromium with no console errors', got.state === 'done' && errors.length === 0, `${got.state}: ${got.status}\n${errors.join('\n')}`);
    const counts = got.rows.map((r) => Number(r[1]));
    check('browser/index.html: the basin table has both wells, counts adding up to the particles, shares inside their intervals',
      got.rows.length === 2 && counts[0] + counts[1] === P && got.rows.every((r) => { const [s, a, b] = [r[2], ...r[3].match(/[\d.]+/g)].map(parseFloat); return a <= s && s <= b; }), JSON.stringify(got.rows));
    check('browser/index.html: vega drew the loss bands (2 band areas, median and mean lines) into the page', got.bands === 2 && got.lines === 2, `${got.bands} bands, ${got.lines} lines`);
    writeFileSync(join(dir, 'browser-config.json'), got.config);
    const r = descent(['run', join(dir, 'browser-config.json'), '--json', '--quiet']);
    check('browser/index.html: the page\'s hash equals `descent run` of the config it shows, in Node (the same bits)', /^[0-9a-f]{16}$/.test(got.hash) && lastJSON(r.out)?.hash === got.hash, `page ${got.hash}\n${r.all}`);
  } finally {
    await context.close().catch(() => {});
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
