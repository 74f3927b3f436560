#!/usr/bin/env node
// The `descent` CLI as a user runs it: build/descent.cli.mjs as a subprocess (Node only; the CLI
// is a Node program). One line per check, then `N passed, N failed`. Needs the build (npm run
// build). Usage: node scripts/test-cli.mjs
//
// Checks: help and version; a whole run (summary, result.json) equal with --workers 2; four
// shards by --shard i/n, and by --shard auto under Slurm, Kubernetes and AWS Batch variables,
// merged by `descent merge` into the whole run's hash; bad configs and flags exit 2 with the
// field's path and no stack trace; merge refuses missing, foreign and corrupted shards (exit 1);
// progress is plain lines when stderr is not a terminal (a bar on a terminal, via script(1));
// Ctrl-C (SIGINT) stops a long run within a chunk with exit 130. YAML configs run to the JSON
// config's hash; result.json's arrays are in the CSV files beside it, number for number;
// `descent plot` of every kind gives an SVG that parses as XML and holds the marks expected
// (bands and lines, one bar per bin, one dot per particle drawn, one path per trajectory, one
// whisker per basin estimate); workers start from ES-module eval, stdin, data: URL and CommonJS
// hosts; `descent list` names every kind the library has, with the
// factories' own defaults; `descent bench` times descent against its plain-JS twin.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseSVG, markItems, legendLabels } from './svg-check.mjs';

const root = new URL('..', import.meta.url).pathname;
const CLI = join(root, 'build/descent.cli.mjs');
const dir = mkdtempSync(join(tmpdir(), 'descent-cli-'));
let passed = 0, failed = 0;

function check(name, ok, detail = '') {
  if (ok) passed++; else failed++;
  console.log(`${ok ? '✓' : '✘'} cli: ${name}${ok || !detail ? '' : `\n${String(detail).split('\n').map((l) => '  | ' + l).join('\n')}`}`);
}

/** Run the CLI; `env` replaces job-array variables (the test's own environment has none of them). */
function cli(args, { env = {}, cwd = dir } = {}) {
  const clean = { ...process.env };
  for (const k of Object.keys(clean)) if (/^(SLURM_|JOB_COMPLETION_INDEX|AWS_BATCH_)/.test(k)) delete clean[k];
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...clean, NO_COLOR: '1', ...env }, timeout: 120_000 });
  return { code: r.status, out: r.stdout ?? '', err: r.stderr ?? '', all: `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}` };
}

const json = (s) => { try { return JSON.parse(s.trim().split('\n').pop()); } catch { return undefined; } };

const config = {
  landscape: { kind: 'doubleWell', params: { dim: 1, tilt: 0.1 } },
  optimizer: { type: 'optimizer', kind: 'sgd', params: { lr: 0.05, momentum: 0.5 } },
  noise: { type: 'noise', kind: 'gaussian', params: { sigma: 1 } },
  init: { type: 'init', kind: 'normal', params: { mean: [0], std: 0.1 } },
  particles: 5000, steps: 200, seed: 9, record: { every: 7, trajectories: 3 },
  stop: { regions: [{ center: [-1], radius: 0.001 }, { center: [1], radius: 0.001 }] },
};
const write = (name, obj) => { writeFileSync(join(dir, name), typeof obj === 'string' ? obj : JSON.stringify(obj)); return name; };
const noStack = (r) => !/\n\s+at /.test(r.err);

try {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run node scripts/build.mjs first`);
  write('run.json', config);

  let r = cli(['--help']);
  check('--help lists run, merge, plot, list and bench (exit 0)', r.code === 0 && ['run <config>', 'merge <dir>', 'plot <input>', 'list [category]', 'bench'].every((c) => r.out.includes(c)), r.all);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  r = cli(['--version']);
  check('--version prints the package version', r.code === 0 && r.out.includes(pkg.version), r.all);

  // A whole run, in this thread and with workers.
  r = cli(['run', 'run.json', '--out', 'whole', '--json']);
  const whole = json(r.out);
  check('run: summary JSON on stdout with the hash and counts', r.code === 0 && /^[0-9a-f]{16}$/.test(whole?.hash ?? '') && whole.particles === 5000 && whole.counts.stopped > 0, r.all);
  const result = existsSync(join(dir, 'whole/result.json')) ? JSON.parse(readFileSync(join(dir, 'whole/result.json'), 'utf8')) : {};
  check('run --out: result.json is the EnsembleResult as JSON (same hash, arrays as arrays, config reproducible)',
    result.hash === whole?.hash && Array.isArray(result.x) && result.x.length === 5000 && result.record?.lossMean?.length === 29 && result.config?.seed === 9, JSON.stringify(result).slice(0, 300));
  check('run: progress on stderr as plain lines when not a terminal', /descent run: step 200\/200 \(100%/.test(r.err) && !/\x1b\[/.test(r.err), r.all);
  const again = cli(['run', write('again.json', result.config), '--json', '--quiet']);
  check("run of a result's own config reproduces its hash", json(again.out)?.hash === whole?.hash && again.err === '', again.all);
  r = cli(['run', 'run.json', '--workers', '2', '--json', '--quiet']);
  check('run --workers 2: the same hash', json(r.out)?.hash === whole?.hash, r.all);
  r = cli(['run', 'run.json', '--steps', '100', '--seed', '3', '--particles', '700', '--json', '--quiet']);
  check('--particles/--steps/--seed override the file', r.code === 0 && json(r.out)?.particles === 700 && json(r.out)?.steps === 100 && json(r.out)?.seed === 3 && json(r.out)?.hash !== whole?.hash, r.all);

  // Shards: explicit, then from each batch engine's environment.
  for (let i = 0; i < 4; i++) r = cli(['run', 'run.json', '--shard', `${i}/4`, '--out', 'explicit', '--quiet']);
  r = cli(['merge', 'explicit', '--json']);
  check('4 shards (--shard i/4) merged by `descent merge` give the whole run\'s hash', r.code === 0 && json(r.out)?.hash === whole?.hash && json(r.out)?.shards === 4, r.all);
  check('merge writes dir/result.json', existsSync(join(dir, 'explicit/result.json')) && JSON.parse(readFileSync(join(dir, 'explicit/result.json'), 'utf8')).hash === whole?.hash);
  const engines = [
    ['Slurm', (i) => ({ SLURM_ARRAY_TASK_ID: String(i + 10), SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_COUNT: '3' }), []],
    ['Kubernetes', (i) => ({ JOB_COMPLETION_INDEX: String(i) }), ['--shard-count', '3']],
    ['AWS Batch', (i) => ({ AWS_BATCH_JOB_ARRAY_INDEX: String(i), AWS_BATCH_JOB_ARRAY_SIZE: '3' }), []],
  ];
  for (const [name, env, extra] of engines) {
    const out = `auto-${name.replace(' ', '')}`;
    const sources = [];
    for (let i = 0; i < 3; i++) {
      r = cli(['run', 'run.json', '--shard', 'auto', ...extra, '--out', out, '--json', '--quiet'], { env: env(i) });
      sources.push(json(r.out)?.shard);
    }
    const m = cli(['merge', out, '--json']);
    check(`--shard auto under ${name}: shards ${sources.join(', ')} merge to the whole run's hash`, sources.join() === '0/3,1/3,2/3' && json(m.out)?.hash === whole?.hash, `${r.all}\n${m.all}`);
  }
  r = cli(['run', 'run.json', '--shard', 'auto', '--quiet'], { env: { JOB_COMPLETION_INDEX: '0' } });
  check('--shard auto under Kubernetes without --shard-count: exit 2, says so', r.code === 2 && /--shard-count/.test(r.err) && noStack(r), r.all);
  r = cli(['run', 'run.json', '--shard', 'auto', '--quiet']);
  check('--shard auto outside a job array: exit 2, names the variables', r.code === 2 && /SLURM_ARRAY_TASK_ID/.test(r.err) && noStack(r), r.all);
  r = cli(['run', 'run.json', '--shard', '4/4']);
  check('--shard 4/4: exit 2', r.code === 2 && /not below the count/.test(r.err), r.all);

  // Bad configs and flags: exit 2, the path, no stack trace.
  const bad = (name, mutate) => { const c = structuredClone(config); mutate(c); return write(name, c); };
  r = cli(['run', bad('lr.json', (c) => { c.optimizer.params.lr = -1; })]);
  check('bad optimizer value: exit 2, message with the path (sgd.lr), no stack trace', r.code === 2 && /lr\.json: .*sgd\.lr must be/.test(r.err) && noStack(r), r.all);
  r = cli(['run', bad('key.json', (c) => { c.stepz = 1; })]);
  check('unknown key: exit 2, names it', r.code === 2 && /stepz is not a key/.test(r.err) && noStack(r), r.all);
  r = cli(['run', bad('kind.json', (c) => { c.landscape.kind = 'nope'; })]);
  check('unknown landscape kind: exit 2, path landscape.kind', r.code === 2 && /landscape\.kind must be one of/.test(r.err) && noStack(r), r.all);
  r = cli(['run', bad('radius.json', (c) => { c.stop.regions[1].radius = 0; })]);
  check('bad stop region: exit 2, path simulate.stop.regions[1].radius', r.code === 2 && /simulate\.stop\.regions\[1\]\.radius/.test(r.err) && noStack(r), r.all);
  // A landscape typed as a formula: the file holds the string; the CLI (and every shard) compiles it again.
  const typed = { ...structuredClone(config), landscape: { kind: 'expression', params: { expr: '(x^2 - 1)^2 + tilt*x', params: { tilt: 0.1 } } } };
  r = cli(['run', write('typed.json', typed), '--json', '--quiet']);
  const D = await import(join(root, 'build/descent.node.mjs'));
  await D.init();
  const inProcess = await D.simulate(D.configFromJSON(typed), { keepParticles: false });
  check('run of an expression landscape (config from a file): the in-process hash', r.code === 0 && json(r.out)?.hash === inProcess.hash, `${r.all} vs ${inProcess.hash}`);
  r = cli(['run', bad('typo.json', (c) => { c.landscape = { kind: 'expression', params: { expr: 'x + * 2' } }; })]);
  check('a formula that does not parse: exit 2, the position, no stack trace', r.code === 2 && /expression\.expr: .* at 4/.test(r.err) && noStack(r), r.all);
  r = cli(['run', write('broken.json', '{"landscape": ')]);
  check('invalid JSON: exit 2', r.code === 2 && /not valid JSON/.test(r.err) && noStack(r), r.all);
  r = cli(['run', 'missing.json']);
  check('missing file: exit 2', r.code === 2 && /no such file/.test(r.err), r.all);
  r = cli(['run', 'run.json', '--workers', 'lots']);
  check('--workers lots: exit 2', r.code === 2 && /--workers must be/.test(r.err), r.all);
  r = cli(['frobnicate']);
  check('unknown command: exit 2', r.code === 2 && /unknown command/.test(r.err), r.all);

  // merge refuses what is not one whole run.
  mkdirSync(join(dir, 'partial'));
  for (const f of readdirSync(join(dir, 'explicit')).filter((f) => f.endsWith('.descent')).slice(0, 3)) writeFileSync(join(dir, 'partial', f), readFileSync(join(dir, 'explicit', f)));
  r = cli(['merge', 'partial']);
  check('merge with a shard missing: exit 1, names it', r.code === 1 && /missing shard 3 of 4/.test(r.err) && noStack(r), r.all);
  cli(['run', 'run.json', '--seed', '10', '--shard', '3/4', '--out', 'partial', '--quiet']);
  r = cli(['merge', 'partial']);
  check('merge with a shard of another config: exit 1', r.code === 1 && /another config/.test(r.err), r.all);
  const f0 = join(dir, 'partial', readdirSync(join(dir, 'partial')).find((f) => f.endsWith('.descent')));
  const bytes = readFileSync(f0);
  bytes[bytes.length - 5] ^= 0xff;
  writeFileSync(f0, bytes);
  r = cli(['merge', 'partial']);
  check('merge of a corrupted file: exit 1, names the file and the checksum', r.code === 1 && r.err.includes(f0.split('/').pop()) && /checksum/.test(r.err), r.all);
  writeFileSync(f0, bytes.subarray(0, 1000));
  r = cli(['merge', 'partial']);
  check('merge of a truncated file: exit 1, says truncated', r.code === 1 && /truncated/.test(r.err), r.all);
  mkdirSync(join(dir, 'empty'));
  r = cli(['merge', 'empty']);
  check('merge of a directory without shards: exit 2', r.code === 2 && /no shard files/.test(r.err), r.all);

  // YAML configs: the same run as the JSON config; YAML errors and bad fields exit 2.
  const yaml = `# the run.json config, as YAML
landscape: { kind: doubleWell, params: { dim: 1, tilt: 0.1 } }
optimizer:
  type: optimizer
  kind: sgd
  params: { lr: 0.05, momentum: 0.5 }
noise: { type: noise, kind: gaussian, params: { sigma: 1 } }
init: { type: init, kind: normal, params: { mean: [0], std: 0.1 } }
particles: 5000
steps: 200
seed: 9
record: { every: 7, trajectories: 3 }
stop:
  regions:
    - { center: [-1], radius: 0.001 }
    - { center: [1], radius: 0.001 }
`;
  r = cli(['run', write('run.yaml', yaml), '--json', '--quiet']);
  check('run config.yaml: the same hash as the JSON config', r.code === 0 && json(r.out)?.hash === whole?.hash, r.all);
  r = cli(['run', write('bad.yml', 'landscape: { kind: doubleWell\nsteps: [1, 2\n')]);
  check('invalid YAML: exit 2, "not valid YAML" with the line', r.code === 2 && /bad\.yml is not valid YAML: .*line \d+/.test(r.err) && noStack(r), r.all);
  r = cli(['run', write('lr.yaml', yaml.replace('lr: 0.05', 'lr: -1'))]);
  check('bad value in a YAML config: exit 2 with the path (sgd.lr)', r.code === 2 && /lr\.yaml: .*sgd\.lr must be/.test(r.err) && noStack(r), r.all);

  // CSV files beside result.json: the same numbers.
  const csv = (f) => readFileSync(join(dir, f), 'utf8').trim().split('\n').map((l) => l.split(','));
  const fin = csv('whole/result.final.csv'), recCsv = csv('whole/result.record.csv'), trCsv = csv('whole/result.trajectories.csv');
  const num = (t) => (t === 'NaN' ? null : Number(t));
  check('run --out: result.final.csv has one row per particle: x, loss, divergedAt, stoppedAt, region equal to result.json',
    fin[0].join() === 'particle,x0,loss,divergedAt,stoppedAt,region' && fin.length === 5001
      && fin.slice(1).every((row, p) => num(row[1]) === result.x[p] && num(row[2]) === result.loss[p] && Number(row[3]) === result.divergedAt[p] && Number(row[4]) === result.stoppedAt[p] && Number(row[5]) === result.region[p]),
    fin.slice(0, 3).join('\n'));
  const L = result.record.lossQuantiles.levels.length;
  check('result.record.csv: every recorded statistic, row by row',
    recCsv.length === 30 && recCsv[0].slice(0, 7).join() === 'step,count,lossMean,lossVariance,lossMin,lossMax,lossQ0.05'
      && recCsv.slice(1).every((row, i) => Number(row[0]) === result.record.steps[i] && Number(row[2]) === result.record.lossMean[i] && Number(row[6 + L - 1]) === result.record.lossQuantiles.values[i * L + L - 1] && Number(row[row.length - 1]) === result.record.paramVariance[i]),
    recCsv.slice(0, 2).join('\n'));
  check('result.trajectories.csv: (steps + 1) × 3 rows of step, particle, x', trCsv.length === 201 * 3 + 1 && trCsv.slice(1).every((row, i) => Number(row[0]) === Math.floor(i / 3) && Number(row[1]) === i % 3 && Number(row[2]) === result.trajectories.data[i]), trCsv.slice(0, 3).join('\n'));
  r = cli(['run', 'run.json', '--out', 'nocsv', '--no-csv', '--quiet']);
  check('--no-csv: result.json only', r.code === 0 && existsSync(join(dir, 'nocsv/result.json')) && !existsSync(join(dir, 'nocsv/result.final.csv')), r.all);
  check('merge writes the summary CSV files beside its result (no per-particle CSV: shards carry none)',
    ['record', 'trajectories'].every((k) => readFileSync(join(dir, `explicit/result.${k}.csv`), 'utf8') === readFileSync(join(dir, `whole/result.${k}.csv`), 'utf8'))
      && !existsSync(join(dir, 'explicit/result.final.csv')));
  // Per-particle outputs: streamed to Parquet files by each shard, listed by merge in a manifest.
  for (let i = 0; i < 3; i++) r = cli(['run', 'run.json', '--shard', `${i}/3`, '--out', 'pq', '--per-particle', '--quiet', '--json']);
  const pqs = readdirSync(join(dir, 'pq')).filter((f) => f.endsWith('.parquet')).sort();
  r = cli(['merge', 'pq', '--json']);
  const manifest = existsSync(join(dir, 'pq/result.particles.json')) ? JSON.parse(readFileSync(join(dir, 'pq/result.particles.json'), 'utf8')) : undefined;
  check('run --per-particle writes Parquet files; merge gives the whole hash and a manifest tiling the particles',
    r.code === 0 && json(r.out)?.hash === whole?.hash && pqs.length === 3 && manifest?.particles === 5000 && manifest.files.length === 3
      && manifest.files[0].first === 0 && manifest.files[2].end === 5000 && manifest.files.every((f, k) => k === 0 || f.first === manifest.files[k - 1].end), `${r.all}\n${pqs.join(' ')}`);
  // Read back with hyparquet (a Parquet reader, not the writer's code).
  const { parquetReadObjects } = await import('hyparquet');
  const rows = [];
  for (const f of pqs) {
    const b = readFileSync(join(dir, 'pq', f));
    rows.push(...await parquetReadObjects({ file: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) }));
  }
  check('the Parquet files hold every particle\'s final state, equal to the whole run\'s result.json',
    rows.length === 5000 && rows.every((row, p) => row.particle === p && row.x0 === result.x[p] && row.loss === result.loss[p]
      && (row.status === 1) === (result.divergedAt[p] >= 0) && row.event === Math.max(result.divergedAt[p], result.stoppedAt[p]) && row.region === result.region[p]),
    JSON.stringify(rows.slice(0, 2)));
  writeFileSync(join(dir, 'pq', 'particles-0000000000-0000000010.parquet'), readFileSync(join(dir, 'pq', pqs[0])));
  r = cli(['merge', 'pq']);
  check('merge with overlapping per-particle files: exit 1, says where', r.code === 1 && /overlap at particle 0/.test(r.err) && noStack(r), r.all);
  r = cli(['plot', 'explicit', '--out', 'merged-bands.svg', '--json']);
  const r2 = cli(['plot', 'explicit', '--kind', 'histogram']);
  check('plot of a merged summary: loss bands from its records; a histogram exits 2, saying it needs every particle',
    r.code === 0 && json(r.out)?.plot === 'bands' && existsSync(join(dir, 'merged-bands.svg')) && r2.code === 2 && /summary/.test(r2.err) && noStack(r2), `${r.all}\n${r2.all}`);
  r = cli(['run', 'run.json', '--per-particle', '--quiet']);
  check('--per-particle without --out: exit 2', r.code === 2 && /--out/.test(r.err) && noStack(r), r.all);

  // descent plot: SVGs that parse, with the marks expected.
  const svgOf = (f) => { try { return parseSVG(readFileSync(join(dir, f), 'utf8')); } catch (e) { return { error: e.message }; } };
  const count = (root, type, name) => (root.error ? -1 : markItems(root, type, name).length);
  r = cli(['plot', 'whole', '--out', 'bands.svg', '--json']);
  let svg = svgOf('bands.svg');
  check('plot <dir>: loss bands (default kind) → SVG with 2 band areas (5–95%, 25–75%) and 2 lines (median, mean)', r.code === 0 && json(r.out)?.plot === 'bands' && count(svg, 'area', 'bands') === 2 && count(svg, 'line', 'lines') === 2, `${r.all}\n${svg.error ?? ''}`);
  r = cli(['plot', 'whole/result.json', '--kind', 'histogram', '--bins', '17', '--out', 'hist.svg']);
  svg = svgOf('hist.svg');
  check('plot --kind histogram --bins 17: 17 bars', r.code === 0 && count(svg, 'rect', 'bars') === 17, `${r.all}\n${svg.error ?? ''}`);
  const him = {
    landscape: { kind: 'himmelblau', params: {} }, optimizer: { type: 'optimizer', kind: 'sgd', params: { lr: 0.01 } },
    noise: { type: 'noise', kind: 'gaussian', params: { sigma: 2 } }, init: { type: 'init', kind: 'uniform', params: { low: [-5, -5], high: [5, 5] } },
    particles: 700, steps: 150, seed: 5, record: { every: 10, trajectories: 6 },
  };
  cli(['run', write('him.json', him), '--out', 'him', '--quiet']);
  r = cli(['plot', 'him', '--kind', 'contours', '--points', '250', '--levels', '9', '--resolution', '41', '--out', 'him.svg']);
  svg = svgOf('him.svg');
  check('plot --kind contours (2-d): 250 particle dots, 6 trajectory paths, contour lines', r.code === 0 && count(svg, 'symbol', 'particles') === 250 && count(svg, 'line', 'trajectories') === 6 && count(svg, 'line', 'contours') >= 9,
    `${r.all}\n${svg.error ?? ''} ${count(svg, 'symbol', 'particles')} ${count(svg, 'line', 'trajectories')} ${count(svg, 'line', 'contours')}`);
  const rb = { ...him, landscape: { kind: 'rosenbrock', params: { dim: 4 } }, optimizer: { type: 'optimizer', kind: 'sgd', params: { lr: 1e-3 } }, noise: { type: 'noise', kind: 'gaussian', params: { sigma: 0.5 } }, init: { type: 'init', kind: 'normal', params: { mean: [0, 0, 0, 0], std: 0.5 } }, record: { trajectories: 4 } };
  cli(['run', write('rb.json', rb), '--out', 'rb', '--quiet']);
  r = cli(['plot', 'rb', '--kind', 'contours', '--fill', '--resolution', '21', '--out', 'rb.svg']);
  svg = svgOf('rb.svg');
  const bandLabels = svg.error ? [] : legendLabels(svg);
  check('plot --kind contours (4-d, the trajectories\' principal plane, filled): 4 paths, one polygon per band (no grid cells), a legend of the 13 bands',
    r.code === 0 && count(svg, 'line', 'trajectories') === 4 && count(svg, 'shape', 'fill') === 13 && count(svg, 'rect', 'fill') === 0 &&
      bandLabels.length === 13 && bandLabels[0].startsWith('< ') && bandLabels[12].startsWith('≥ '),
    `${r.all}\n${svg.error ?? ''} ${count(svg, 'shape', 'fill')} shapes, legend ${JSON.stringify(bandLabels)}`);
  r = cli(['plot', 'whole', '--out', 'new/folder/bands.svg']);
  check('plot --out into folders that do not exist yet: makes them, as run --out does', r.code === 0 && existsSync(join(dir, 'new/folder/bands.svg')), r.all);
  writeFileSync(join(dir, 'afile'), 'not a folder');
  r = cli(['plot', 'whole', '--out', 'afile/bands.svg']);
  check('plot --out under a file: exit 1, one line naming the folder, no stack trace', r.code === 1 && /^descent: cannot make the folder afile: /.test(r.err) && r.err.trim().split('\n').length === 1, r.all);
  r = cli(['run', 'run.json', '--steps', '5', '--quiet', '--out', 'afile/run']);
  check('run --out under a file: exit 1, one line, no stack trace', r.code === 1 && /^descent: cannot make the folder afile\/run: /.test(r.err) && r.err.trim().split('\n').length === 1, r.all);
  r = cli(['plot', 'whole', '--kind', 'contours']);
  check('plot --kind contours of a 1-d run: exit 2, says what contours need', r.code === 2 && /contours need a 2-d landscape/.test(r.err) && noStack(r), r.all);
  write('basins.json', [{ lr: 0.01, k: 538, n: 1000, label: 'sharp' }, { lr: 0.03, k: 672, n: 1000, label: 'sharp' }, { lr: 0.06, k: 430, n: 1000, label: 'sharp' }, { lr: 0.1, k: 102, n: 1000, label: 'sharp' }]);
  r = cli(['plot', 'basins.json', '--out', 'basins.svg']);
  svg = svgOf('basins.svg');
  check('plot of [{ lr, k, n }]: basin probability, 4 whiskers (rules) and 4 points', r.code === 0 && count(svg, 'rule', 'intervals') === 4 && count(svg, 'symbol', 'estimates') === 4, `${r.all}\n${svg.error ?? ''}`);
  write('sharp.json', { step: [0, 10, 20, 30], sharpness: [2, 9, 19, 20.2], lr: 0.1 });
  r = cli(['plot', 'sharp.json', '--out', 'sharp.svg']);
  svg = svgOf('sharp.svg');
  check('plot of { step, sharpness, lr }: λ_max and 2/η, 2 lines', r.code === 0 && count(svg, 'line', 'tracks') === 2, `${r.all}\n${svg.error ?? ''}`);
  write('rho.json', [{ grid: [0, 1, 2, 3], density: [0.1, 0.5, 0.3, 0], label: 'H' }, { grid: [0, 1, 2, 3], density: [0.2, 0.2, 0.2, 0.2], label: 'G' }]);
  r = cli(['plot', 'rho.json', '--out', 'rho.svg']);
  svg = svgOf('rho.svg');
  check('plot of spectral densities: one line per curve', r.code === 0 && count(svg, 'line', 'densities') === 2, `${r.all}\n${svg.error ?? ''}`);
  r = cli(['plot', 'whole']);
  check('plot without --out: the SVG on stdout', r.code === 0 && r.out.startsWith('<svg') && (() => { try { parseSVG(r.out); return true; } catch { return false; } })(), r.all.slice(0, 300));
  r = cli(['plot', 'whole', '--kind', 'histogram', '--spec']);
  check('plot --spec: the Vega-Lite spec as JSON', r.code === 0 && JSON.parse(r.out).$schema === 'https://vega.github.io/schema/vega-lite/v6.json' && JSON.parse(r.out).data.values.length === 30, r.all.slice(0, 300));
  r = cli(['plot', 'explicit/shard-00000-of-00004.descent']);
  check('plot of a shard file: exit 2', r.code === 2 && noStack(r), r.all);
  mkdirSync(join(dir, 'shardsonly'));
  writeFileSync(join(dir, 'shardsonly/shard-00000-of-00004.descent'), readFileSync(join(dir, 'explicit/shard-00000-of-00004.descent')));
  r = cli(['plot', 'shardsonly']);
  check('plot of a directory of shards: exit 2, says run descent merge', r.code === 2 && /descent merge/.test(r.err) && noStack(r), r.all);
  r = cli(['plot', 'whole', '--kind', 'spectrum']);
  check('plot --kind the input cannot be: exit 2, lists what it can be', r.code === 2 && /can be drawn as bands, histogram/.test(r.err), r.all);
  r = cli(['plot', write('badbasins.json', [{ lr: 0.1, k: 12, n: 10 }])]);
  check('plot of a bad table: exit 2 with the file and the field (points[0].k)', r.code === 2 && /badbasins\.json: plots\.basinProbability: points\[0\]\.k must be/.test(r.err) && noStack(r), r.all);
  r = cli(['plot', write('what.json', { hello: 1 })]);
  check('plot of something else: exit 2', r.code === 2 && /not something descent plot draws/.test(r.err), r.all);
  r = cli(['plot', 'whole', '--scale', 'cubic']);
  check('plot --scale cubic: exit 2', r.code === 2 && /--scale must be/.test(r.err), r.all);

  // descent list: every kind the library has, with the factories' defaults.
  const lib = await import(join(root, 'build/descent.node.mjs'));
  r = cli(['list', '--json']);
  const cat = json(r.out) ?? {};
  const kindsOf = (c) => (cat[c] ?? []).map((k) => k.kind).sort().join();
  const adam = (cat.optimizers ?? []).find((k) => k.kind === 'adam');
  const sgdLr = (cat.optimizers ?? []).find((k) => k.kind === 'sgd')?.params.find((p) => p.name === 'lr');
  check('list --json: every landscape, model, optimiser and sampler kind of the library, with factory defaults (adam) and required parameters (sgd lr)',
    r.code === 0 && kindsOf('landscapes') === [...lib.landscapes.kinds, ...lib.landscapes.compositeKinds].sort().join() && kindsOf('models') === [...lib.models.kinds].sort().join()
      && kindsOf('optimizers') === [...lib.optimizers.kinds].sort().join() && kindsOf('samplers') === [...lib.samplers.kinds].sort().join()
      && JSON.stringify(Object.fromEntries(adam.params.map((p) => [p.name, p.default]))) === JSON.stringify(lib.optimizers.adam().params)
      && /finite number/.test(sgdLr?.required ?? '') && kindsOf('noise').includes('gaussian') && kindsOf('inits').includes('normal') && kindsOf('schedules').includes('cosine'),
    r.all.slice(0, 600));
  r = cli(['list']);
  check('list: notes say what a kind needs, never a validation error of the probe call (matrixFactorization, labelNoise)',
    r.code === 0 && !/must be|, got /.test(r.out) && /\n  matrixFactorization .*needs exactly one of target/.test(r.out) && /\n  labelNoise .*needs exactly one of sigma/.test(r.out), r.all.slice(0, 3000));
  r = cli(['list', 'optimizers']);
  check('list optimizers: one line per kind with its parameters', r.code === 0 && /^optimizers \(\d+\)/.test(r.out) && /\n  adam +lr=0\.001, betas=\[0\.9,0\.999\]/.test(r.out) && !/landscapes/.test(r.out), r.all);
  r = cli(['list', 'widgets']);
  check('list of an unknown category: exit 2', r.code === 2 && /unknown category/.test(r.err), r.all);

  // The library with workers from hosts other than a module file: node's eval and stdin as ES
  // modules (the worker inherits --input-type=module, so its eval'd program is a module without
  // `require`), a data: URL module, and CommonJS eval; each must give the one-thread hash.
  const libURL = pathToFileURL(join(root, 'build/descent.node.mjs')).href;
  const program = `import { init, simulate, landscapes as L, optimizers as O, inits as I } from '${libURL}';
await init();
const cfg = () => ({ landscape: L.doubleWell({ tilt: 0.1 }), optimizer: O.sgd({ lr: 0.1 }), init: I.normal({ mean: [1], std: 0.1 }), particles: 512, steps: 10, seed: 1 });
const [a, b] = [await simulate(cfg()), await simulate(cfg(), { workers: 2 })];
console.log(a.hash === b.hash ? 'same ' + b.hash : 'differ');`;
  const hosts = {
    'node --input-type=module -e': ['--input-type=module', '-e', program],
    'node --input-type=module < stdin': ['--input-type=module'],
    'a data: URL module': ['--input-type=module', '-e', `await import('data:text/javascript,' + encodeURIComponent(${JSON.stringify(program)}))`],
    'CommonJS eval (node -e, import())': ['-e', `import('data:text/javascript,' + encodeURIComponent(${JSON.stringify(program)}))`],
  };
  for (const [name, args] of Object.entries(hosts)) {
    const h = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', input: args.length === 1 ? program : undefined, timeout: 120_000 });
    check(`workers: 2 from ${name}: starts and gives the one-thread hash`, h.status === 0 && /^same [0-9a-f]{16}$/m.test(h.stdout), `exit ${h.status}\n${h.stdout}${h.stderr.slice(-600)}`);
  }

  // descent and descent/inline are two copies of the library: a config made with one runs in the other.
  {
    const inline = await import(join(root, 'build/descent.inline.mjs'));
    await lib.init(); await inline.init();
    const cfg = (D) => ({ landscape: D.landscapes.shift(D.landscapes.doubleWell({ tilt: 0.1 }), [0.5]), optimizer: D.optimizers.adam({ lr: D.schedules.cosine({ lr: 0.05, steps: 20 }) }),
      noise: D.noise.gaussian({ sigma: 1 }), init: D.inits.normal({ mean: [0], std: 0.2 }), particles: 300, steps: 20, seed: 4 });
    const own = await lib.simulate(cfg(lib));
    const hashes = await Promise.all([lib.simulate(cfg(inline)), inline.simulate(cfg(lib))].map((p) => p.then((x) => x.hash, (e) => `${e.code}: ${e.message}`)));
    check("a config made by descent/inline runs in descent and the reverse (same hash)", hashes.every((h) => h === own.hash), `${own.hash} ${hashes.join(' ')}`);
  }

  // descent/plots where vega is not installed (a copy of the bundle outside any node_modules):
  // it loads, and rendering fails with a DescentError saying what to install.
  {
    const alone = join(dir, 'no-vega');
    mkdirSync(alone, { recursive: true });
    writeFileSync(join(alone, 'plots.mjs'), readFileSync(join(root, 'build/descent.plots.mjs')));
    writeFileSync(join(alone, 'draw.mjs'), `import { toSVG } from './plots.mjs';
try { await toSVG({ $schema: 'https://vega.github.io/schema/vega-lite/v6.json', mark: 'point', data: { values: [] } }); console.log('rendered'); }
catch (e) { console.log(e.name, e.code, e.message); }`);
    const h = spawnSync(process.execPath, ['draw.mjs'], { cwd: alone, encoding: 'utf8', timeout: 60_000 });
    check('descent/plots without vega: loads, then toSVG rejects with DescentError E_DEPENDENCY naming what to install', h.status === 0 && /^DescentError E_DEPENDENCY .*npm install vega@\S+ vega-lite@/m.test(h.stdout), `exit ${h.status}\n${h.stdout}${h.stderr.slice(-600)}`);
  }

  // descent bench: descent and the twin, timed, after agreeing without noise.
  r = cli(['bench', '--particles', '3000', '--steps', '30', '--rounds', '1', '--json', '--quiet']);
  const b = json(r.out);
  check('bench --json: descent and the plain-JS twin agree without noise (≤ 1e-9) and both are timed', r.code === 0 && b?.rows?.length === 2 && b.agreement <= 1e-9 && b.rows.every((row) => row.rate > 0 && row.seconds > 0) && b.rows[1].speedup === 1, r.all);
  r = cli(['bench', '--particles', '2000', '--steps', '20', '--rounds', '1', '--workers', '2']);
  check('bench --workers 2: a table with three rows', r.code === 0 && /descent simulate \(wasm, this thread\)/.test(r.out) && /workers: 2/.test(r.out) && /plain JS twin/.test(r.out) && /M particle-steps\/s/.test(r.out), r.all);
  r = cli(['bench', '--rounds', 'many']);
  check('bench --rounds many: exit 2', r.code === 2 && /--rounds must be/.test(r.err), r.all);

  // A terminal gets a progress bar (script(1) gives the CLI a pseudo-terminal).
  const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (script.status === 0) {
    const t = spawnSync('script', ['-qec', `${process.execPath} ${CLI} run run.json --steps 2000 --chunk-size 100`, '/dev/null'], { cwd: dir, encoding: 'utf8', env: { ...process.env, TERM: 'xterm' } });
    check('on a terminal, progress is a bar (cli-progress)', t.status === 0 && /\[[█░]+\] \d+%/.test(t.stdout), `exit ${t.status}\n${t.stdout.slice(-500)}`);
  } else {
    check('on a terminal, progress is a bar (script(1) from util-linux is needed to test it)', false, 'script(1) not found');
  }

  // Ctrl-C stops within a chunk: exit 130.
  await new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'run', 'run.json', '--particles', '200000', '--steps', '100000', '--chunk-size', '20'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '', sent = 0;
    child.stderr.setEncoding('utf8').on('data', (d) => {
      err += d;
      if (!sent && /step \d+\/100000/.test(err)) { sent = Date.now(); child.kill('SIGINT'); }
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      const ms = Date.now() - sent;
      check(`Ctrl-C (SIGINT) during a run: exit 130 within ${ms} ms, "aborted at step …"`, sent > 0 && code === 130 && ms < 5000 && /aborted at step \d+ of 100000/.test(err) && !/\n\s+at /.test(err), `exit ${code}\n${err.slice(-600)}`);
      resolve();
    });
  });
} catch (error) {
  failed++;
  console.log(`✘ cli: the test script itself failed: ${error?.stack ?? error}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
