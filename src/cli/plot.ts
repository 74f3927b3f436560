/**
 * `descent plot <input>`: an SVG (or the Vega-Lite spec) of
 *   - a result (`result.json` from `descent run --out` or `descent merge`, or the directory
 *     holding it): loss quantile bands (`bands`, when it has records), the final-loss histogram
 *     (`histogram`), or the landscape's contours with the particles and trajectories on top
 *     (`contours`: a 2-d landscape, or the plane of the trajectories' top two principal
 *     directions for any dimension, computed by slices.plane in wasm);
 *   - a JSON array of `{ lr, k, n, label? }` (`basins`), `{ step, sharpness, lr }` series
 *     (`sharpness`) or `spectral.density` results (`spectrum`).
 * The kind is taken from the input's shape unless `--kind` says which.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DescentError } from '../errors.ts';
import { init } from '../init.ts';
import * as landscapes from '../landscapes/index.ts';
import * as plots from '../plots/index.ts';
import { toSVG } from '../plots/render.ts';
import * as slices from '../slices.ts';
import { readJSON, usage, wholeNumber } from './io.ts';
import { PLOT_KINDS, type PlotFlags, type PlotKind } from './plot-kinds.ts';

type Json = Record<string, unknown>;

/** Read the input: a file, or a directory holding result.json. */
function readInput(input: string): { data: unknown; file: string } {
  let file = input;
  if (existsSync(input) && statSync(input).isDirectory()) {
    file = join(input, 'result.json');
    if (!existsSync(file)) {
      const shards = readdirSync(input).some((f) => f.endsWith('.descent'));
      throw usage(`${input} holds no result.json${shards ? ` (only shard files: run descent merge ${input} first)` : ''}`);
    }
  }
  return { data: readJSON(file), file };
}

/** A result: a run's with every particle (`loss`, `x`), or a summary (a merge's, or a large run's: `final`, no particles). */
const isResult = (d: unknown): d is Json =>
  d !== null && typeof d === 'object' && !Array.isArray(d) && ('loss' in d || 'final' in d) && 'particles' in d && 'config' in d;
const isDensity = (d: unknown) => d !== null && typeof d === 'object' && 'grid' in d && 'density' in d;
const isSharpness = (d: unknown) => d !== null && typeof d === 'object' && 'sharpness' in d && 'step' in d;
const isBasin = (d: unknown) => d !== null && typeof d === 'object' && 'lr' in d && 'k' in d && 'n' in d;

/** The kinds an input can be drawn as; the first is the default. */
function kindsFor(d: unknown): PlotKind[] {
  if (isResult(d)) {
    const dim = Number(d.dim);
    // The histogram and 2-d contours draw every particle: a summary without them has only bands (and contours from trajectories).
    const particles = 'loss' in d;
    return [
      ...(d.record ? ['bands' as const] : []),
      ...(particles ? ['histogram' as const] : []),
      ...((dim === 2 && particles) || (dim > 2 && d.trajectories) ? ['contours' as const] : []),
    ];
  }
  const items = Array.isArray(d) ? d : [d];
  if (items.length && items.every(isBasin)) return ['basins'];
  if (items.length && items.every(isSharpness)) return ['sharpness'];
  if (items.length && items.every(isDensity)) return ['spectrum'];
  return [];
}

/** "lo,hi" → [lo, hi]. */
function rangeFlag(v: unknown): [number, number] | undefined {
  if (v === undefined) return undefined;
  const m = /^\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*,\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*$/i.exec(String(v));
  const r = m ? ([Number(m[1]), Number(m[2])] as [number, number]) : undefined;
  if (!r || !(r[0] < r[1])) throw usage(`--range must be low,high with low < high (e.g. -2,2), got ${JSON.stringify(String(v))}`);
  return r;
}

/** Type-7 quantile of the sorted values. */
function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q,
    i = Math.floor(h);
  return i + 1 < sorted.length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/** [lo, hi] padded by 10% (a unit either side when it has no width). */
function padded(lo: number, hi: number): [number, number] {
  const w = hi - lo;
  return w > 0 ? [lo - 0.1 * w, hi + 0.1 * w] : [lo - 1, hi + 1];
}

/**
 * The contour plot of a result: a 2-d landscape over a box that holds its trajectories and the
 * central 98% of its final positions (or --range), or, in any dimension, the plane of the
 * trajectories' top two principal directions through the first one's last point.
 */
function contoursOf(r: Json, flags: PlotFlags, common: plots.PlotOptions): plots.PlotSpec {
  const config = r.config as Json;
  const f = landscapes.fromJSON(config.landscape);
  const dim = f.dim,
    resolution = wholeNumber(flags.resolution, '--resolution') ?? 81;
  const levels = wholeNumber(flags.levels, '--levels');
  const maxPoints = wholeNumber(flags.points, '--points');
  const tr = r.trajectories as { particles: number; data: (number | null)[] } | undefined;
  const given = rangeFlag(flags.range);
  const opts = {
    ...common,
    ...(levels !== undefined ? { levels } : {}),
    ...(maxPoints !== undefined ? { maxPoints } : {}),
    fill: flags.fill === true,
  };
  const title = `${f.kind}${dim === 2 ? '' : ` (d = ${dim}): the trajectories' principal plane`}`;
  if (dim === 2) {
    let box: [[number, number], [number, number]];
    if (given) box = [given, given];
    else {
      const x = r.x as (number | null)[];
      const axes: number[][] = [[], []];
      for (let p = 0; p < x.length / 2; p++) {
        const a = x[2 * p],
          b = x[2 * p + 1];
        if (typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b)) {
          axes[0].push(a);
          axes[1].push(b);
        }
      }
      const lo = axes.map((v) =>
        v.length
          ? quantile(
              v.sort((s, t) => s - t),
              0.01,
            )
          : Infinity,
      );
      const hi = axes.map((v) => (v.length ? quantile(v, 0.99) : -Infinity));
      for (let i = 0; tr && i < tr.data.length; i++) {
        const v = tr.data[i];
        if (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e6) {
          lo[i % 2] = Math.min(lo[i % 2], v);
          hi[i % 2] = Math.max(hi[i % 2], v);
        }
      }
      if (!(lo[0] <= hi[0] && lo[1] <= hi[1]))
        throw usage('contours: the result has no finite positions to frame (every particle diverged); pass --range');
      box = [padded(lo[0], hi[0]), padded(lo[1], hi[1])];
    }
    const surface = slices.plane(f, [0, 0], {
      directions: [
        [1, 0],
        [0, 1],
      ],
      range: box,
      resolution,
    });
    return plots.contours(surface, { title: common.title ?? title, ...opts, points: r.x as number[], ...(tr ? { trajectories: tr } : {}) });
  }
  if (!tr) throw usage(`contours of a ${dim}-d landscape need recorded trajectories (record: { trajectories: m }) to choose a plane`);
  const m = tr.particles,
    rows = tr.data.length / dim,
    T1 = rows / m;
  const all = Float64Array.from(tr.data, (v) => (v === null ? NaN : v));
  if (!all.every(Number.isFinite)) throw usage('contours: a recorded trajectory diverged (non-finite); its principal plane is undefined');
  const center = all.subarray((T1 - 1) * m * dim, (T1 - 1) * m * dim + dim);
  const probe = slices.plane(f, center, { directions: 'pca', trajectory: all, resolution: 2 });
  const proj = probe.projection!;
  let [a0, a1, b0, b1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < proj.length; i += 2) {
    a0 = Math.min(a0, proj[i]);
    a1 = Math.max(a1, proj[i]);
    b0 = Math.min(b0, proj[i + 1]);
    b1 = Math.max(b1, proj[i + 1]);
  }
  const surface = slices.plane(f, center, {
    directions: probe.directions,
    range: given ? [given, given] : [padded(a0, a1), padded(b0, b1)],
    resolution,
  });
  // Rows of the concatenated trajectory are step-major ((T + 1) × m): particle k's path is every m-th row.
  const paths = Array.from({ length: m }, (_, k) => {
    const xy = new Float64Array(2 * T1);
    for (let t = 0; t < T1; t++) {
      xy[2 * t] = proj[2 * (t * m + k)];
      xy[2 * t + 1] = proj[2 * (t * m + k) + 1];
    }
    return xy;
  });
  return plots.contours(surface, { title: common.title ?? title, ...opts, paths, labels: ['α (1st principal direction)', 'β (2nd)'] });
}

/** Build the spec for `input` (exit 2 on input that cannot be drawn as asked). */
export async function plotSpec(input: string, flags: PlotFlags): Promise<{ spec: plots.PlotSpec; kind: PlotKind; file: string }> {
  const { data, file } = readInput(input);
  const possible = kindsFor(data);
  if (!possible.length)
    throw usage(
      `${file}: not something descent plot draws: expected a result (descent run --out), an array of { lr, k, n }, { step, sharpness, ` +
        `lr } series, or spectral.density results`,
    );
  let kind = possible[0];
  if (flags.kind !== undefined) {
    const k = String(flags.kind);
    if (!(PLOT_KINDS as readonly string[]).includes(k))
      throw usage(`--kind must be one of ${PLOT_KINDS.join(', ')}, got ${JSON.stringify(k)}`);
    if (!possible.includes(k as PlotKind))
      throw usage(
        `${file} cannot be drawn as --kind ${k}; it can be drawn as ${possible.join(', ')}` +
          (k === 'bands'
            ? ' (bands need record: { every })'
            : k === 'contours'
              ? ' (contours need a 2-d landscape, or recorded trajectories of a higher-dimensional one)'
              : '') +
          (possible.length && isResult(data) && !('loss' in data) && k !== 'bands'
            ? '; this result is a summary (a merge, or a run too large to keep every particle): histograms and 2-d contours ' +
              "need every particle's final state, from descent run --out of at most 2²⁰ particle-coordinates"
            : ''),
      );
    kind = k as PlotKind;
  }
  const common: plots.PlotOptions = {
    ...(flags.width !== undefined ? { width: wholeNumber(flags.width, '--width') } : {}),
    ...(flags.height !== undefined ? { height: wholeNumber(flags.height, '--height') } : {}),
    ...(flags.title !== undefined ? { title: String(flags.title) } : {}),
  };
  const scale = flags.scale === undefined ? undefined : String(flags.scale);
  if (scale !== undefined && !['linear', 'log', 'symlog'].includes(scale))
    throw usage(`--scale must be linear, log or symlog, got ${JSON.stringify(scale)}`);
  const as = <T extends string>(allowed: readonly T[]): { yScale?: T } => {
    if (scale === undefined) return {};
    if (!(allowed as readonly string[]).includes(scale))
      throw usage(`--scale ${scale} is not available for ${kind} plots (${allowed.join(' or ')})`);
    return { yScale: scale as T };
  };
  try {
    switch (kind) {
      case 'bands':
        return { kind, file, spec: plots.lossBands(data as plots.LossBandsInput, { ...common, ...as(['linear', 'log', 'symlog']) }) };
      case 'histogram': {
        const bins = wholeNumber(flags.bins, '--bins'),
          range = rangeFlag(flags.range);
        return {
          kind,
          file,
          spec: plots.lossHistogram(data as unknown as plots.HistogramInput, {
            ...common,
            ...(bins !== undefined ? { bins } : {}),
            ...(range ? { range } : {}),
            xScale: as(['linear', 'log']).yScale,
          }),
        };
      }
      case 'contours': {
        await init();
        return { kind, file, spec: contoursOf(data as Json, flags, common) };
      }
      case 'basins':
        return {
          kind,
          file,
          spec: plots.basinProbability(data as plots.BasinPoint[], { ...common, xScale: as(['linear', 'log']).yScale }),
        };
      case 'sharpness':
        return { kind, file, spec: plots.sharpness(data as plots.SharpnessSeries[], { ...common, ...as(['linear', 'log', 'symlog']) }) };
      default:
        return { kind, file, spec: plots.spectralDensity(data as plots.DensityCurve[], { ...common, ...as(['linear', 'log']) }) };
    }
  } catch (e) {
    // The input file is the user's: name it, with the field's path (exit 2).
    if (e instanceof DescentError) throw usage(`${file}: ${e.message}`);
    throw e;
  }
}

/** Render the spec to SVG. */
export function render(spec: plots.PlotSpec): Promise<string> {
  return toSVG(spec);
}
