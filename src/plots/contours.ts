/**
 * `plots.contours`: a 2-d landscape (or a 2-d slice of a higher-dimensional one) as contour
 * lines, with an ensemble on top: particles (e.g. the final positions, as a density of dots)
 * and trajectories (the recorded paths).
 */
import { invalid } from '../errors.ts';
import { isolines } from './isolines.ts';
import { bands } from './bands.ts';
import { integer } from '../validate.ts';
import { count, frame, numbers, plotOptions, text, type PlotOptions, type PlotSpec } from './spec.ts';

/** A grid of loss values: `slices.plane`'s result, or any grid in the same layout. */
export interface Surface {
  /** Grid coordinates along the first axis (columns). */
  alpha: ArrayLike<number>;
  /** Grid coordinates along the second axis (rows). */
  beta: ArrayLike<number>;
  /** beta.length × alpha.length values, row-major (row q is beta[q]). */
  loss: ArrayLike<number | null>;
}

/** Paths as `simulate` records them: (T + 1) steps × `particles` × 2 coordinates. */
export interface RecordedPaths {
  particles: number;
  data: ArrayLike<number | null>;
}

/** Options of {@link contours}. */
export interface ContoursOptions extends PlotOptions {
  /**
   * Number of contour levels, placed at evenly spaced quantiles of the grid's values (so they follow the landscape's shape whatever its
   * range), or the levels themselves. Default 12.
   */
  levels?: number | ArrayLike<number>;
  /**
   * Fill the bands between consecutive levels (a filled contour plot): polygons bounded by the
   * contour lines, with a legend of the bands. Default false.
   */
  fill?: boolean;
  /** Particles to draw as dots: n × 2 coordinates, row-major (for a 2-d landscape: `result.x`). */
  points?: ArrayLike<number | null>;
  /** At most this many of `points` are drawn (the first ones). Default 2000. */
  maxPoints?: number;
  /** Recorded trajectories of a 2-d run (`result.trajectories`). */
  trajectories?: RecordedPaths;
  /** Paths given one by one, each n × 2 coordinates row-major (e.g. projections onto a slice plane). */
  paths?: ArrayLike<ArrayLike<number | null>>;
  /** Each path is thinned to at most this many points (evenly spaced steps, first and last kept). Default 400. */
  maxPathPoints?: number;
  /** Axis titles. Default ['x₀', 'x₁']. */
  labels?: [string, string];
}

/** Evenly spaced quantiles (type 7) of the finite values, without repeats. */
function quantileLevels(z: Float64Array, n: number): number[] {
  const v = Array.from(z)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (v.length < 2) return [];
  const out: number[] = [];
  for (let k = 1; k <= n; k++) {
    const h = ((v.length - 1) * k) / (n + 1),
      i = Math.floor(h);
    const q = i + 1 < v.length ? v[i] + (h - i) * (v[i + 1] - v[i]) : v[i];
    if (!out.length || q > out[out.length - 1]) out.push(q);
  }
  return out;
}

/** Indices of at most m of n points, evenly spaced, first and last included. */
function thin(n: number, m: number): number[] {
  if (n <= m) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: m }, (_, i) => Math.round((i * (n - 1)) / (m - 1)));
}

/**
 * Contour lines of a grid of losses (`slices.plane`), coloured by level, optionally filled, with
 * particles and trajectories drawn over them. Contour lines, thinned paths and bands are drawing
 * numbers computed here; grid values and positions are passed through.
 *
 * @example
 * const f = descent.landscapes.himmelblau();
 * const grid = descent.slices.plane(f, [0, 0], { directions: [[1, 0], [0, 1]], range: [-5, 5], resolution: 81 });
 * const r = await descent.simulate({ landscape: f, …, record: { trajectories: 20 } });
 * descent.plots.contours(grid, { points: r.x, trajectories: r.trajectories });
 */
export function contours(surface: Surface, options?: ContoursOptions): PlotSpec {
  const what = 'plots.contours';
  const o = plotOptions<ContoursOptions>(options, what, [
    'levels',
    'fill',
    'points',
    'maxPoints',
    'trajectories',
    'paths',
    'maxPathPoints',
    'labels',
  ]);
  if (surface === null || typeof surface !== 'object')
    throw invalid('E_INPUT', `${what}: surface`, 'a grid { alpha, beta, loss } (slices.plane)', surface);
  const xs = numbers(surface.alpha, `${what}: surface.alpha`),
    ys = numbers(surface.beta, `${what}: surface.beta`);
  if (xs.length < 2 || ys.length < 2)
    throw invalid('E_INPUT', `${what}: surface`, 'a grid of at least 2 × 2 points', `${xs.length} × ${ys.length}`);
  for (const [a, p] of [
    [xs, 'alpha'],
    [ys, 'beta'],
  ] as const) {
    for (let i = 1; i < a.length; i++)
      if (!(a[i] > a[i - 1]))
        throw invalid('E_INPUT', `${what}: surface.${p}`, 'increasing finite coordinates', `${a[i - 1]} then ${a[i]}`);
  }
  const z = numbers(surface.loss, `${what}: surface.loss`, xs.length * ys.length);
  let levels: number[];
  if (o.levels === undefined || typeof o.levels === 'number') levels = quantileLevels(z, count(o.levels, `${what}.levels`, 12, 200));
  else levels = Array.from(numbers(o.levels, `${what}.levels`)).sort((a, b) => a - b);
  if (levels.some((v) => !Number.isFinite(v))) throw invalid('E_CONFIG', `${what}.levels`, 'finite levels', o.levels);
  if (o.fill !== undefined && typeof o.fill !== 'boolean') throw invalid('E_CONFIG', `${what}.fill`, 'true or false', o.fill);
  const labels =
    o.labels === undefined ? ['x₀', 'x₁'] : [text(o.labels[0], `${what}.labels[0]`, ''), text(o.labels[1], `${what}.labels[1]`, '')];
  const maxPoints = count(o.maxPoints, `${what}.maxPoints`, 2000);
  const maxPathPoints = count(o.maxPathPoints, `${what}.maxPathPoints`, 400);
  if (maxPathPoints < 2) throw invalid('E_CONFIG', `${what}.maxPathPoints`, 'an integer ≥ 2', maxPathPoints);

  const x = { field: 'x', type: 'quantitative', title: labels[0], scale: { domain: [xs[0], xs[xs.length - 1]], nice: false, zero: false } };
  const y = { field: 'y', type: 'quantitative', title: labels[1], scale: { domain: [ys[0], ys[ys.length - 1]], nice: false, zero: false } };
  const color = {
    field: 'level',
    type: 'quantitative',
    title: 'loss',
    scale: { scheme: 'viridis', ...(levels.length ? { domain: [levels[0], levels[levels.length - 1]] } : {}) },
  };
  const layer: Record<string, unknown>[] = [];

  const lines = isolines(xs, ys, z, levels);
  const lineRows: Record<string, number>[] = [];
  // Contour points are drawing numbers: 6 significant digits are far below a pixel.
  const short = (v: number) => Number(v.toPrecision(6));
  lines.forEach((l, id) => l.x.forEach((px, i) => lineRows.push({ id, i, x: short(px), y: short(l.y[i]), level: l.level })));
  layer.push({
    name: 'contours',
    data: { values: lineRows },
    mark: { type: 'line', strokeWidth: 1, clip: true, aria: false, ...(o.fill ? { color: 'white', opacity: 0.7 } : {}) },
    encoding: { x, y, detail: { field: 'id', type: 'nominal' }, order: { field: 'i', type: 'quantitative' }, ...(o.fill ? {} : { color }) },
  });

  const paths: { xy: Float64Array; n: number }[] = [];
  if (o.paths !== undefined) {
    if (!Array.isArray(o.paths)) throw invalid('E_CONFIG', `${what}.paths`, 'an array of paths (each n × 2 numbers)', o.paths);
    o.paths.forEach((p, k) => {
      const xy = numbers(p, `${what}.paths[${k}]`);
      if (xy.length % 2) throw invalid('E_CONFIG', `${what}.paths[${k}]`, 'n × 2 numbers (x, y pairs)', `${xy.length} numbers`);
      paths.push({ xy, n: xy.length / 2 });
    });
  }
  if (o.trajectories !== undefined) {
    const tr = o.trajectories;
    if (tr === null || typeof tr !== 'object')
      throw invalid('E_CONFIG', `${what}.trajectories`, 'recorded trajectories { particles, data }', tr);
    const m = integer(tr.particles, `${what}.trajectories.particles`, { min: 1 });
    const data = numbers(tr.data, `${what}.trajectories.data`);
    if (data.length % (2 * m))
      throw invalid(
        'E_CONFIG',
        `${what}.trajectories.data`,
        `(T + 1) × ${m} particles × 2 coordinates (a 2-d run)`,
        `${data.length} numbers`,
      );
    const T1 = data.length / (2 * m);
    for (let k = 0; k < m; k++) {
      const xy = new Float64Array(2 * T1);
      for (let t = 0; t < T1; t++) {
        xy[2 * t] = data[(t * m + k) * 2];
        xy[2 * t + 1] = data[(t * m + k) * 2 + 1];
      }
      paths.push({ xy, n: T1 });
    }
  }
  if (paths.length) {
    const rows: Record<string, number>[] = [],
      starts: Record<string, number>[] = [];
    paths.forEach(({ xy, n }, id) => {
      for (const t of thin(n, maxPathPoints)) {
        const px = xy[2 * t],
          py = xy[2 * t + 1];
        // A diverged path stops where it left the finite numbers.
        if (!Number.isFinite(px) || !Number.isFinite(py)) break;
        rows.push({ id, step: t, x: px, y: py });
        if (t === 0) starts.push({ id, x: px, y: py });
      }
    });
    layer.push({
      name: 'trajectories',
      data: { values: rows },
      mark: { type: 'line', color: '#e45756', strokeWidth: 1.2, opacity: 0.85, clip: true, aria: false },
      encoding: { x, y, detail: { field: 'id', type: 'nominal' }, order: { field: 'step', type: 'quantitative' } },
    });
    layer.push({
      name: 'starts',
      data: { values: starts },
      mark: { type: 'point', shape: 'circle', filled: true, color: '#e45756', size: 18, clip: true },
      encoding: { x, y },
    });
  }

  let drawn = 0,
    total = 0;
  if (o.points !== undefined) {
    const pts = numbers(o.points, `${what}.points`);
    if (pts.length % 2) throw invalid('E_CONFIG', `${what}.points`, 'n × 2 numbers (x, y pairs)', `${pts.length} numbers`);
    total = pts.length / 2;
    const rows: Record<string, number>[] = [];
    for (let p = 0; p < total && rows.length < maxPoints; p++) {
      if (Number.isFinite(pts[2 * p]) && Number.isFinite(pts[2 * p + 1])) rows.push({ x: pts[2 * p], y: pts[2 * p + 1] });
    }
    drawn = rows.length;
    layer.push({
      name: 'particles',
      data: { values: rows },
      mark: { type: 'point', shape: 'circle', filled: true, color: '#222', size: 6, opacity: 0.35, clip: true, aria: false },
      encoding: { x, y },
    });
  }

  const notes = [`${levels.length} levels${o.levels === undefined || typeof o.levels === 'number' ? ' (grid quantiles)' : ''}`];
  if (paths.length) notes.push(`${paths.length} trajectories`);
  if (o.points !== undefined)
    notes.push(
      drawn < total
        ? `${drawn.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} particles`
        : `${drawn.toLocaleString('en-US')} particles`,
    );
  const spec = frame(o, what, 'Landscape', notes.join(' · '), [400, 400]);
  if (o.fill && levels.length) layer.unshift(filled(xs, ys, z, levels, spec.width as number, spec.height as number));
  spec.layer = layer;
  return spec;
}

/**
 * The filled-contour layer: one polygon per band between consecutive levels, drawn lowest first
 * (the whole plot in the lowest band's colour, then each region {z > level} over it: bands.ts),
 * in pixel coordinates of a w × h plot (a geoshape with the identity projection, as Vega-Lite
 * draws polygons), with a legend of the bands. Coordinates are drawing numbers rounded to 0.01 px.
 */
function filled(xs: Float64Array, ys: Float64Array, z: Float64Array, levels: number[], w: number, h: number): Record<string, unknown> {
  const x0 = xs[0],
    x1 = xs[xs.length - 1],
    y0 = ys[0],
    y1 = ys[ys.length - 1];
  const px = (v: number) => Math.round(((v - x0) / (x1 - x0)) * w * 100) / 100,
    py = (v: number) => Math.round(((y1 - v) / (y1 - y0)) * h * 100) / 100;
  const ring = (r: { x: number[]; y: number[] }) => r.x.map((v, i) => [px(v), py(r.y[i])]);
  const label = (v: number) => String(Number(v.toPrecision(3)));
  const names = [`< ${label(levels[0])}`];
  for (let k = 1; k < levels.length; k++) names.push(`${label(levels[k - 1])} – ${label(levels[k])}`);
  names.push(`≥ ${label(levels[levels.length - 1])}`);
  const feature = (k: number, rings: { x: number[]; y: number[] }[]) => ({
    type: 'Feature',
    geometry: { type: 'MultiPolygon', coordinates: rings.map((r) => [ring(r)]) },
    properties: { band: names[k], order: k },
  });
  const all = { x: [x0, x1, x1, x0, x0], y: [y0, y0, y1, y1, y0] };
  const features = [feature(0, [all]), ...bands(xs, ys, z, levels).map((b, k) => feature(k + 1, b.rings))];
  return {
    name: 'fill',
    data: { values: features },
    mark: { type: 'geoshape', strokeWidth: 0, opacity: 0.85, clip: true, aria: false },
    projection: { type: 'identity', scale: 1, translate: [0, 0] },
    encoding: {
      color: {
        field: 'properties.band',
        type: 'ordinal',
        title: 'loss',
        sort: names,
        scale: { scheme: 'viridis', domain: names },
        legend: { symbolType: 'square', symbolOpacity: 0.85 },
      },
      order: { field: 'properties.order', type: 'quantitative' },
    },
  };
}
