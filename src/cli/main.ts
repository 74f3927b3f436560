/**
 * The `descent` command (package.json "bin"; bundled with its dependencies by scripts/build.mjs
 * into build/descent.cli.mjs, so the library itself keeps no runtime dependencies).
 *
 *   descent run config.json|config.yaml [--particles N] [--steps N] [--seed N] [--workers N|auto]
 *                           [--shard i/n|auto] [--shard-count N] [--out dir] [--no-csv] [--json] [--quiet]
 *   descent merge dir/ [--out file] [--no-csv] [--json] [--quiet]
 *   descent plot result.json|dir|data.json [--kind K] [--out file.svg] [--spec] [plot options]
 *   descent list [category] [--json]
 *   descent bench [--particles N] [--steps N] [--rounds N] [--workers N|auto] [--json]
 *
 * Progress goes to stderr (a bar on a terminal, plain lines otherwise), a summary to stdout
 * (`--json`: one JSON object). `run --out dir` writes `result.json` (the whole result: config,
 * summary counts, statistics and arrays) and the arrays as CSV beside it (`result.final.csv`,
 * `result.record.csv`, `result.trajectories.csv`; see ./csv.ts), or, sharded,
 * `shard-<i>-of-<n>.descent` (src/shard.ts). result.json holds every particle's final state for
 * runs of at most 2²⁰ particle-coordinates (beyond, the summary only); with `--per-particle`,
 * every particle's final state is streamed to Apache Parquet files instead (./parquet.ts). `merge dir` merges every
 * `*.descent` in dir, one file at a time in bounded memory, into `dir/result.json` (or `--out`),
 * its CSVs, and a manifest of the per-particle files if there are any. `plot` draws a result or a table as SVG (./plot.ts);
 * `list` prints every factory with its parameters (./list.ts); `bench` measures throughput
 * against a plain-JS twin (./bench.ts). Exit codes: 0 done; 1 the run failed (worker, trap,
 * memory, shards that do not fit, a file that cannot be written); 2 bad command line, config or
 * input (the message names the path of the bad field); 130 interrupted (Ctrl-C stops within one
 * chunk). Every failure is one line on stderr (`descent: …`); DESCENT_DEBUG=1 adds the stack.
 * Every `--out` makes the folders it needs.
 */
import { cac } from 'cac';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { init } from '../init.ts';
import { DescentError } from '../errors.ts';
import { simulate, type EnsembleResult, type EnsembleSummary, type ParticleColumns, type Progress as RunProgress } from '../simulate.ts';
import { load, merger, save, type ShardResult } from '../shard.ts';
import { particleManifest, writeParticles } from './parquet.ts';
import { version } from '../version.ts';
import { configFromJSON } from '../revive.ts';
import { resolveShard } from './shard-env.ts';
import { progress } from './progress.ts';
import { CliError, FAILED, INTERRUPTED, USAGE, makeDir, oneLine, print, readConfig, table, usage, wholeNumber, writeAtomic } from './io.ts';
import { writeCSV } from './csv.ts';
import { PLOT_KINDS, type PlotFlags } from './plot-kinds.ts';
import { CATEGORIES, catalogue, formatCatalogue, type Category } from './list.ts';
import { bench } from './bench.ts';

/**
 * Most particle-coordinates `run --out` writes into result.json and result.final.csv (beyond: the summary; --per-particle for every
 * particle).
 */
const CLI_KEEP_LIMIT = 2 ** 20;

/** The result as JSON: typed arrays as arrays (non-finite numbers become null, as JSON requires). */
export function resultJSON(r: EnsembleSummary): string {
  return JSON.stringify(r, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v));
}

/** This process's peak resident set size so far, in MiB (what a job scheduler's memory limit sees). */
function peakRss(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function summaryOf(r: EnsembleSummary, seconds: number, extra: Record<string, unknown>) {
  const last = r.record ? r.record.lossMean.length - 1 : -1;
  return {
    hash: r.hash,
    particles: r.particles,
    steps: r.steps,
    dim: r.dim,
    seed: r.config.seed,
    counts: r.counts,
    finalLossMean: r.final.count > 0 ? r.final.lossMean : null,
    ...(last >= 0 ? { recordedLossMean: r.record!.lossMean[last] } : {}),
    seconds: Number(seconds.toFixed(3)),
    peakRssMB: peakRss(),
    ...extra,
  };
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
  particles?: unknown;
  steps?: unknown;
  seed?: unknown;
  workers?: unknown;
  shard?: unknown;
  shardCount?: unknown;
  out?: unknown;
  json?: boolean;
  quiet?: boolean;
  chunkSize?: unknown;
  csv?: boolean;
  perParticle?: boolean;
}

/** Write the result as `file` (JSON) and, unless --no-csv, its arrays as CSV beside it; returns what was written. */
function writeResult(r: EnsembleSummary | EnsembleResult, file: string, csv: boolean): { wrote: string; csv?: string[] } {
  writeAtomic(file, resultJSON(r));
  return { wrote: file, ...(csv ? { csv: writeCSV(r, file.replace(/\.json$/i, '')) } : {}) };
}

async function run(file: string, flags: RunFlags): Promise<void> {
  const overrides = {
    particles: wholeNumber(flags.particles, '--particles'),
    steps: wholeNumber(flags.steps, '--steps'),
    seed: wholeNumber(flags.seed, '--seed'),
  };
  const workers =
    flags.workers === undefined
      ? undefined
      : String(flags.workers) === 'auto'
        ? ('auto' as const)
        : wholeNumber(flags.workers, '--workers');
  const shard = resolveShard(
    flags.shard === undefined ? undefined : String(flags.shard),
    process.env,
    flags.shardCount === undefined ? undefined : String(flags.shardCount),
  );
  const out = flags.out === undefined ? undefined : String(flags.out);
  if (flags.perParticle && out === undefined) throw usage('--per-particle writes files: give --out <dir>');
  const json = readConfig(file);
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
  const options = {
    signal: ac.signal,
    onProgress: (p: RunProgress) => bar.update(p),
    ...(workers !== undefined ? { workers } : {}),
    ...(chunkSize !== undefined ? { chunkSize } : {}),
  };
  const particleFiles: string[] = [];
  // Per-particle state is written only into result.json and result.final.csv (run --out), and
  // only for runs small enough for those text files; larger ones use --per-particle (Parquet).
  const P = config.particles ?? config.init.particles ?? 0;
  if (!shard)
    Object.assign(options, { keepParticles: out !== undefined && !flags.perParticle && P * config.landscape.dim <= CLI_KEEP_LIMIT });
  if (flags.perParticle && out) {
    makeDir(out);
    Object.assign(options, {
      keepParticles: false,
      onParticles: (c: ParticleColumns) => {
        particleFiles.push(writeParticles(out, c, config.landscape.dim));
      },
    });
  }
  try {
    if (shard) {
      const part: ShardResult = await simulate(config, { ...options, shard: { index: shard.index, count: shard.count } });
      bar.stop();
      let written: string | undefined;
      if (out) {
        makeDir(out);
        const width = Math.max(5, String(shard.count).length);
        written = join(out, `shard-${String(shard.index).padStart(width, '0')}-of-${String(shard.count).padStart(width, '0')}.descent`);
        writeAtomic(written, save(part));
      }
      print(flags.json === true, {
        shard: `${shard.index}/${shard.count}`,
        source: shard.source,
        blocks: [part.blocks.first, part.blocks.end],
        particles: [part.particles.first, part.particles.end],
        configHash: part.configHash,
        seconds: Number(((performance.now() - t0) / 1000).toFixed(3)),
        peakRssMB: peakRss(),
        ...(written ? { wrote: written } : {}),
        ...(particleFiles.length ? { particleFiles: particleFiles.length } : {}),
      });
    } else {
      const r = await simulate(config, options);
      bar.stop();
      let written = {};
      if (out) {
        makeDir(out);
        written = writeResult(r, join(out, 'result.json'), flags.csv !== false);
      }
      print(
        flags.json === true,
        summaryOf(r, (performance.now() - t0) / 1000, {
          ...written,
          ...(particleFiles.length ? { particleFiles: particleFiles.length } : {}),
        }),
      );
    }
  } finally {
    bar.stop();
  }
}

async function mergeDir(dir: string, flags: { out?: unknown; json?: boolean; quiet?: boolean; csv?: boolean }): Promise<void> {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw usage(`${dir} is not a directory`);
    names = readdirSync(dir)
      .filter((f) => f.endsWith('.descent'))
      .sort();
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw usage(`cannot read ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message}`);
  }
  if (!names.length) throw usage(`${dir} holds no shard files (*.descent)`);
  await init();
  const t0 = performance.now();
  // One file at a time: a merger holds O(log particles) summary nodes per row, never the set.
  const m = await merger();
  const bar = progress('descent merge', process.stderr, flags.quiet === true);
  try {
    names.forEach((name, k) => {
      const file = join(dir, name);
      let shard: ShardResult;
      try {
        shard = load(readFileSync(file));
      } catch (e) {
        if (e instanceof DescentError) throw new DescentError(e.code, `${file}: ${e.message}`, { path: e.path, cause: e });
        throw e;
      }
      m.add(shard, file);
      bar.update({ step: k + 1, steps: names.length });
    });
  } finally {
    bar.stop();
  }
  const r = m.result();
  const out = flags.out === undefined ? join(dir, 'result.json') : String(flags.out);
  makeDir(dirname(out));
  const written = writeResult(r, out, flags.csv !== false);
  let manifest: string | undefined;
  try {
    const man = particleManifest(dir, r.particles);
    if (man) {
      manifest = out.replace(/\.json$/i, '') + '.particles.json';
      writeAtomic(manifest, JSON.stringify(man, null, 1) + '\n');
    }
  } catch (e) {
    throw new DescentError('E_SHARD', `merge: ${(e as Error).message}`);
  }
  print(
    flags.json === true,
    summaryOf(r, (performance.now() - t0) / 1000, { shards: names.length, ...written, ...(manifest ? { manifest } : {}) }),
  );
}

async function plot(input: string, flags: PlotFlags & { json?: boolean }): Promise<void> {
  // Loaded on demand: vega and vega-lite are most of the CLI bundle and only plots need them.
  const { plotSpec, render } = await import('./plot.ts');
  const { spec, kind, file } = await plotSpec(input, flags);
  const text = flags.spec ? JSON.stringify(spec, null, 1) + '\n' : await render(spec);
  if (flags.out === undefined) {
    process.stdout.write(text);
    return;
  }
  const out = String(flags.out);
  // As run --out and merge --out do: the folder of the file is made if missing.
  makeDir(dirname(out));
  writeAtomic(out, text);
  const summary = { plot: kind, from: file, wrote: out, bytes: Buffer.byteLength(text) };
  // stdout carries the summary only when the plot went to a file.
  print(flags.json === true, summary);
}

function list(category: string | undefined, flags: { json?: boolean }): void {
  if (category !== undefined && !(CATEGORIES as readonly string[]).includes(category))
    throw usage(`unknown category ${JSON.stringify(category)}; the categories are ${CATEGORIES.join(', ')}`);
  const cat = catalogue(category as Category | undefined);
  process.stdout.write(flags.json ? JSON.stringify(cat) + '\n' : formatCatalogue(cat));
}

async function benchCommand(flags: {
  particles?: unknown;
  steps?: unknown;
  rounds?: unknown;
  workers?: unknown;
  json?: boolean;
  quiet?: boolean;
}): Promise<void> {
  const particles = wholeNumber(flags.particles, '--particles') ?? 50_000,
    steps = wholeNumber(flags.steps, '--steps') ?? 200;
  const rounds = wholeNumber(flags.rounds, '--rounds') ?? 3;
  if (particles < 1 || steps < 1 || rounds < 1) throw usage('--particles, --steps and --rounds must be at least 1');
  const workers =
    flags.workers === undefined
      ? undefined
      : String(flags.workers) === 'auto'
        ? ('auto' as const)
        : wholeNumber(flags.workers, '--workers');
  await init();
  const report = await bench(particles, steps, rounds, workers, (what) => {
    if (!flags.quiet) process.stderr.write(`descent bench: ${what}\n`);
  });
  if (flags.json) {
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  process.stdout.write(
    `${report.workload}\n${particles.toLocaleString('en-US')} particles × ${steps} steps, best of ${rounds} rounds; without noise ` +
      `descent and the twin agree to ${report.agreement.toExponential(1)} (relative)\n\n`,
  );
  process.stdout.write(
    table(
      ['implementation', 'seconds', 'M particle-steps/s', 'vs plain JS'],
      report.rows.map((r) => [r.what, r.seconds.toFixed(3), (r.rate / 1e6).toFixed(1), `${r.speedup.toFixed(2)}×`]),
    ),
  );
}

function exitCodeOf(e: unknown): number {
  if (e instanceof CliError) return e.exitCode;
  if (e instanceof DescentError)
    return e.code === 'E_CONFIG' || e.code === 'E_INPUT' ? USAGE : e.code === 'E_ABORTED' ? INTERRUPTED : FAILED;
  if ((e as { name?: string })?.name === 'CACError') return USAGE;
  return FAILED;
}

/** Run the CLI on `argv` (process.argv form). Resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  const cli = cac('descent');
  cli
    .command('run <config>', 'Run the simulate config in <config> (JSON, or YAML if it ends in .yaml/.yml), whole or one shard')
    .option('--particles <n>', 'Override the number of particles')
    .option('--steps <n>', 'Override the number of steps')
    .option('--seed <n>', 'Override the seed')
    .option('--workers <n>', 'Worker threads: a count, or auto (one per core)')
    .option('--shard <spec>', 'Run one shard: i/n, or auto (Slurm, Kubernetes Indexed Job, AWS Batch array)')
    .option('--shard-count <n>', 'Number of shards for --shard auto under a Kubernetes Indexed Job')
    .option('--chunk-size <n>', 'Steps per wasm call (progress and Ctrl-C granularity; never changes results)')
    .option('--out <dir>', 'Write result.json and its CSV files (or the shard file) into <dir>')
    .option('--no-csv', 'With --out: no CSV files beside result.json')
    .option(
      '--per-particle',
      "With --out: stream every particle's final state to Apache Parquet files (particles-<first>-<end>.parquet) instead of keeping it",
    )
    .option('--json', 'Print the summary as one JSON object')
    .option('--quiet', 'No progress on stderr')
    .example('descent run study.json --workers auto --out results/')
    .example('sbatch --array=0-3 --wrap "descent run study.json --shard auto --out shards/"')
    .action((config: string, flags: RunFlags) => run(config, flags));
  cli
    .command(
      'merge <dir>',
      'Merge every shard file (*.descent) in <dir>, one at a time, into the unsharded summary (and a manifest of its per-particle ' +
        'Parquet files)',
    )
    .option('--out <file>', 'Where to write the result (default <dir>/result.json); CSV files go beside it')
    .option('--no-csv', 'No CSV files beside the result')
    .option('--json', 'Print the summary as one JSON object')
    .option('--quiet', 'No progress on stderr')
    .action((dir: string, flags: { out?: unknown; json?: boolean }) => mergeDir(dir, flags));
  cli
    .command('plot <input>', 'Draw a result (result.json or its directory) or a table (basins, sharpness, spectrum JSON) as SVG')
    .option('--kind <kind>', `What to draw: ${PLOT_KINDS.join(', ')} (default: the first the input allows)`)
    .option('--out <file>', 'Write the SVG (or spec) here (default: stdout)')
    .option('--spec', 'Write the Vega-Lite spec (JSON) instead of the SVG')
    .option('--title <text>', 'Title above the plot')
    .option('--width <px>', 'Width of the plot area')
    .option('--height <px>', 'Height of the plot area')
    .option(
      '--scale <type>',
      'Value axis: linear, log or symlog (histogram: the loss axis, log bins; basins: the learning-rate axis). Bands default to log ' +
        'when every loss is > 0',
    )
    .option('--bins <n>', 'histogram: number of bins (default 30)')
    .option('--range <lo,hi>', 'histogram: loss range; contours: the range of both axes (a negative low needs =: --range=-2,2)')
    .option('--levels <n>', 'contours: number of contour levels (default 12)')
    .option('--resolution <n>', 'contours: grid points per axis (default 81)')
    .option('--points <n>', 'contours: at most this many particles drawn (default 2000)')
    .option('--fill', 'contours: fill the bands between levels')
    .option('--json', 'Print the summary (with --out) as one JSON object')
    .example('descent plot results/ --kind contours --out landscape.svg')
    .action((input: string, flags: PlotFlags) => plot(input, flags));
  cli
    .command('list [category]', `Every factory with its parameters and defaults (${CATEGORIES.join(', ')})`)
    .option('--json', 'One JSON object instead of text')
    .action((category: string | undefined, flags: { json?: boolean }) => list(category, flags));
  cli
    .command('bench', 'Throughput of a standard SGD ensemble: descent (wasm) against a plain-JS twin, in this process')
    .option('--particles <n>', 'Particles (default 50000)')
    .option('--steps <n>', 'Steps (default 200)')
    .option('--rounds <n>', 'Rounds per side, best reported (default 3)')
    .option('--workers <n>', 'Also time simulate with this many workers (a count, or auto)')
    .option('--json', 'One JSON object instead of the table')
    .option('--quiet', 'No round-by-round progress on stderr')
    .action((flags: Record<string, unknown>) => benchCommand(flags));
  cli.help();
  cli.version(version);
  try {
    cli.parse(argv, { run: false });
    if (!cli.matchedCommand) {
      const o = cli.options as { help?: boolean; version?: boolean };
      if (o.help || o.version) return 0; // cac printed it
      if (cli.args.length)
        throw usage(`unknown command ${JSON.stringify(cli.args[0])}; the commands are run, merge, plot, list and bench (descent --help)`);
      cli.outputHelp();
      return USAGE;
    }
    await cli.runMatchedCommand();
    return 0;
  } catch (e) {
    // One line whatever failed (a file system error, a bug): the stack only when asked for.
    const code = exitCodeOf(e);
    process.stderr.write(`descent: ${oneLine(e)}\n`);
    if (process.env.DESCENT_DEBUG && (e as Error)?.stack) process.stderr.write(`${(e as Error).stack}\n`);
    return code;
  }
}
