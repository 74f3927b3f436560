/**
 * The `descent` command (package.json "bin"; bundled with its dependencies by scripts/build.mjs
 * into build/descent.cli.mjs, so the library itself keeps no runtime dependencies).
 *
 *   descent run config.json [--particles N] [--steps N] [--seed N] [--workers N|auto]
 *                           [--shard i/n|auto] [--shard-count N] [--out dir] [--json] [--quiet]
 *   descent merge dir/ [--out file] [--json] [--quiet]
 *
 * Progress goes to stderr (a bar on a terminal, plain lines otherwise), a summary to stdout
 * (`--json`: one JSON object). `run --out dir` writes `result.json` (unsharded) or
 * `shard-<i>-of-<n>.descent` (sharded, see src/shard.ts); `merge dir` merges every `*.descent`
 * in dir into `dir/result.json` (or `--out`). Exit codes: 0 done; 1 the run failed (worker,
 * trap, memory, shards that do not fit); 2 bad command line or config (the message names the
 * path of the bad field; no stack trace); 130 interrupted (Ctrl-C stops within one chunk).
 */
import { cac } from 'cac';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { init } from '../init.ts';
import { DescentError } from '../errors.ts';
import { simulate, type EnsembleResult } from '../simulate.ts';
import { load, merge, save, type ShardResult } from '../shard.ts';
import { version } from '../version.ts';
import { configFromJSON } from './config.ts';
import { resolveShard } from './shard-env.ts';
import { progress } from './progress.ts';

/** Exit codes. */
const USAGE = 2, FAILED = 1, INTERRUPTED = 130;

class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

const usage = (message: string) => new CliError(message, USAGE);

/** A whole number from the command line (cac turns numeric text into numbers already). */
function wholeNumber(v: unknown, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw usage(`${flag} must be a whole number, got ${JSON.stringify(v)}`);
  return n;
}

function readJSON(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw usage(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw usage(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Write atomically (temporary name, then rename), so a reader never sees half a file. */
function writeAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** The result as JSON: typed arrays as arrays (non-finite numbers become null, as JSON requires). */
export function resultJSON(r: EnsembleResult): string {
  return JSON.stringify(r, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));
}

function summaryOf(r: EnsembleResult, seconds: number, extra: Record<string, unknown>) {
  const last = r.record ? r.record.lossMean.length - 1 : -1;
  let sum = 0, n = 0;
  for (let p = 0; p < r.particles; p++) if (r.divergedAt[p] < 0) { sum += r.loss[p]; n++; }
  return {
    hash: r.hash, particles: r.particles, steps: r.steps, dim: r.dim, seed: r.config.seed, counts: r.counts,
    finalLossMean: n > 0 ? sum / n : null, ...(last >= 0 ? { recordedLossMean: r.record!.lossMean[last] } : {}),
    seconds: Number(seconds.toFixed(3)), ...extra,
  };
}

function print(json: boolean, obj: Record<string, unknown>): void {
  if (json) {
    process.stdout.write(JSON.stringify(obj) + '\n');
    return;
  }
  for (const [k, v] of Object.entries(obj)) process.stdout.write(`${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}\n`);
}

/** Ctrl-C aborts the run (it stops within one chunk); a second Ctrl-C exits at once. */
function interrupts(): AbortController {
  const ac = new AbortController();
  process.on('SIGINT', () => {
    if (ac.signal.aborted) process.exit(INTERRUPTED);
    process.stderr.write('\ndescent: interrupted; stopping after the current chunk (Ctrl-C again to quit now)\n');
    ac.abort();
  });
  process.on('SIGTERM', () => ac.abort());
  return ac;
}

interface RunFlags {
  particles?: unknown; steps?: unknown; seed?: unknown; workers?: unknown; shard?: unknown; shardCount?: unknown;
  out?: unknown; json?: boolean; quiet?: boolean; chunkSize?: unknown;
}

async function run(file: string, flags: RunFlags): Promise<void> {
  const overrides = { particles: wholeNumber(flags.particles, '--particles'), steps: wholeNumber(flags.steps, '--steps'), seed: wholeNumber(flags.seed, '--seed') };
  const workers = flags.workers === undefined ? undefined : String(flags.workers) === 'auto' ? 'auto' as const : wholeNumber(flags.workers, '--workers');
  const shard = resolveShard(flags.shard === undefined ? undefined : String(flags.shard), process.env, flags.shardCount === undefined ? undefined : String(flags.shardCount));
  const out = flags.out === undefined ? undefined : String(flags.out);
  const json = readJSON(file);
  await init();
  let config;
  try {
    config = configFromJSON(json, overrides);
  } catch (e) {
    if (e instanceof DescentError) throw usage(`${file}: ${e.message}`);
    throw e;
  }
  const ac = interrupts();
  const label = shard ? `descent run (shard ${shard.index}/${shard.count})` : 'descent run';
  const bar = progress(label, process.stderr, flags.quiet === true);
  const t0 = performance.now();
  const chunkSize = wholeNumber(flags.chunkSize, '--chunk-size');
  const options = { signal: ac.signal, onProgress: (p: { step: number; steps: number }) => bar.update(p), ...(workers !== undefined ? { workers } : {}), ...(chunkSize !== undefined ? { chunkSize } : {}) };
  try {
    if (shard) {
      const part: ShardResult = await simulate(config, { ...options, shard: { index: shard.index, count: shard.count } });
      bar.stop();
      let written: string | undefined;
      if (out) {
        mkdirSync(out, { recursive: true });
        const width = Math.max(5, String(shard.count).length);
        written = join(out, `shard-${String(shard.index).padStart(width, '0')}-of-${String(shard.count).padStart(width, '0')}.descent`);
        writeAtomic(written, save(part));
      }
      print(flags.json === true, {
        shard: `${shard.index}/${shard.count}`, source: shard.source, blocks: [part.blocks.first, part.blocks.end], particles: [part.particles.first, part.particles.end],
        configHash: part.configHash, seconds: Number(((performance.now() - t0) / 1000).toFixed(3)), ...(written ? { wrote: written } : {}),
      });
    } else {
      const r = await simulate(config, options);
      bar.stop();
      let written: string | undefined;
      if (out) {
        mkdirSync(out, { recursive: true });
        written = join(out, 'result.json');
        writeAtomic(written, resultJSON(r));
      }
      print(flags.json === true, summaryOf(r, (performance.now() - t0) / 1000, written ? { wrote: written } : {}));
    }
  } finally {
    bar.stop();
  }
}

async function mergeDir(dir: string, flags: { out?: unknown; json?: boolean; quiet?: boolean }): Promise<void> {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw usage(`${dir} is not a directory`);
    names = readdirSync(dir).filter((f) => f.endsWith('.descent')).sort();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw usage(`cannot read ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message}`);
  }
  if (!names.length) throw usage(`${dir} holds no shard files (*.descent)`);
  await init();
  const t0 = performance.now();
  const shards = names.map((name) => {
    try {
      return load(readFileSync(join(dir, name)));
    } catch (e) {
      if (e instanceof DescentError) throw new DescentError(e.code, `${join(dir, name)}: ${e.message}`, { path: e.path, cause: e });
      throw e;
    }
  });
  const r = await merge(shards);
  const out = flags.out === undefined ? join(dir, 'result.json') : String(flags.out);
  writeAtomic(out, resultJSON(r));
  print(flags.json === true, summaryOf(r, (performance.now() - t0) / 1000, { shards: shards.length, wrote: out }));
}

function exitCodeOf(e: unknown): number {
  if (e instanceof CliError) return e.exitCode;
  if (e instanceof DescentError) return e.code === 'E_CONFIG' || e.code === 'E_INPUT' ? USAGE : e.code === 'E_ABORTED' ? INTERRUPTED : FAILED;
  if ((e as { name?: string })?.name === 'CACError') return USAGE;
  return FAILED;
}

/** Run the CLI on `argv` (process.argv form). Resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const cli = cac('descent');
  cli.command('run <config>', 'Run the simulate config in <config> (JSON), whole or one shard')
    .option('--particles <n>', 'Override the number of particles')
    .option('--steps <n>', 'Override the number of steps')
    .option('--seed <n>', 'Override the seed')
    .option('--workers <n>', 'Worker threads: a count, or auto (one per core)')
    .option('--shard <spec>', 'Run one shard: i/n, or auto (Slurm, Kubernetes Indexed Job, AWS Batch array)')
    .option('--shard-count <n>', 'Number of shards for --shard auto under a Kubernetes Indexed Job')
    .option('--chunk-size <n>', 'Steps per wasm call (progress and Ctrl-C granularity; never changes results)')
    .option('--out <dir>', 'Write result.json, or the shard file, into <dir>')
    .option('--json', 'Print the summary as one JSON object')
    .option('--quiet', 'No progress on stderr')
    .example('descent run study.json --workers auto --out results/')
    .example('sbatch --array=0-3 --wrap "descent run study.json --shard auto --out shards/"')
    .action((config: string, flags: RunFlags) => run(config, flags));
  cli.command('merge <dir>', 'Merge every shard file (*.descent) in <dir> into the unsharded result')
    .option('--out <file>', 'Where to write the result (default <dir>/result.json)')
    .option('--json', 'Print the summary as one JSON object')
    .option('--quiet', 'No progress on stderr')
    .action((dir: string, flags: { out?: unknown; json?: boolean }) => mergeDir(dir, flags));
  cli.help();
  cli.version(version);
  try {
    cli.parse(argv, { run: false });
    if (!cli.matchedCommand) {
      const o = cli.options as { help?: boolean; version?: boolean };
      if (o.help || o.version) return 0; // cac printed it
      if (cli.args.length) throw usage(`unknown command ${JSON.stringify(cli.args[0])}; the commands are run and merge (descent --help)`);
      cli.outputHelp();
      return USAGE;
    }
    await cli.runMatchedCommand();
    return 0;
  } catch (e) {
    const code = exitCodeOf(e);
    const message = (e as Error)?.message ?? String(e);
    process.stderr.write(`descent: ${message}\n`);
    if (code === FAILED && !(e instanceof DescentError) && !(e instanceof CliError)) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    return code;
  }
}
