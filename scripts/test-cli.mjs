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
// Ctrl-C (SIGINT) stops a long run within a chunk with exit 130.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  check('--help lists run and merge (exit 0)', r.code === 0 && /run <config>/.test(r.out) && /merge <dir>/.test(r.out), r.all);
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
