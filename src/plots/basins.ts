/**
 * `plots.basinProbability`: the probability that a run ends in a basin, against the learning rate,
 * with Wilson score intervals — the plot of a sharp-versus-flat-minimum study.
 */
import { invalid } from '../errors.ts';
import { finite, integer } from '../validate.ts';
import { frame, plotOptions, scaleType, seriesColour, text, type PlotOptions, type PlotSpec } from './spec.ts';

/** One estimate: k of n runs at learning rate lr ended in the basin. */
export interface BasinPoint {
  lr: number;
  /** Runs that ended in the basin. */
  k: number;
  /** Runs counted (e.g. particles that did not diverge). */
  n: number;
  /** Which curve the point belongs to (e.g. the basin, or a noise level). Default ''. */
  label?: string;
}

/** Options of {@link basinProbability}. */
export interface BasinOptions extends PlotOptions {
  /** Normal quantile of the intervals: 1.959964 (95%, the default), 2.575829 (99%), 1 (±1 standard error-like). */
  z?: number;
  /** Learning-rate axis. Default 'linear'. */
  xScale?: 'linear' | 'log';
  /** Vertical reference lines, e.g. `{ lr: 2 / 44, label: '2/λ sharp' }` (a stability limit). */
  reference?: { lr: number; label?: string }[];
  /** Title of the probability axis. Default 'P(basin)'. */
  yTitle?: string;
}

/**
 * The Wilson score interval for k successes in n trials (Wilson 1927; Brown, Cai & DasGupta,
 * Statist. Sci. 16 (2001) §4.1.1):
 *   centre = (p̂ + z²/2n) / (1 + z²/n),  half-width = z/(1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²),
 * with p̂ = k/n. Unlike p̂ ± z√(p̂(1−p̂)/n) it stays inside [0, 1] and is not empty at k = 0 or n.
 * Drawing numbers (whiskers), so plain JS arithmetic.
 */
export function wilson(k: number, n: number, z = 1.959963984540054): [number, number] {
  const p = k / n,
    z2 = z * z,
    d = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / d,
    half = (z / d) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At k = 0 (k = n) the bound is exactly 0 (1); rounding would leave ±1e-19.
  return [k === 0 ? 0 : Math.max(0, centre - half), k === n ? 1 : Math.min(1, centre + half)];
}

/**
 * Basin probability k/n against lr, one curve per label, each point with its Wilson interval.
 *
 * @example
 * descent.plots.basinProbability([
 *   { lr: 0.01, k: 5380, n: 10000, label: 'sharp well' },
 *   { lr: 0.06, k: 4300, n: 10000, label: 'sharp well' },
 * ], { reference: [{ lr: 2 / 44, label: '2/λ' }] });
 */
export function basinProbability(points: readonly BasinPoint[], options?: BasinOptions): PlotSpec {
  const what = 'plots.basinProbability';
  const o = plotOptions<BasinOptions>(options, what, ['z', 'xScale', 'reference', 'yTitle']);
  const z = finite(o.z, `${what}.z`, { gt: 0 }, 1.959963984540054);
  const xScale = scaleType(o.xScale, `${what}.xScale`, ['linear', 'log']);
  if (!Array.isArray(points) || points.length === 0)
    throw invalid('E_INPUT', `${what}: points`, 'a non-empty array of { lr, k, n }', points);
  const rows = points.map((pt, i) => {
    const path = `${what}: points[${i}]`;
    if (pt === null || typeof pt !== 'object') throw invalid('E_INPUT', path, 'an object { lr, k, n, label? }', pt);
    const lr = finite(pt.lr, `${path}.lr`, xScale === 'log' ? { gt: 0 } : {}, undefined, 'E_INPUT');
    const n = integer(pt.n, `${path}.n`, { min: 1 }, undefined, 'E_INPUT');
    const k = integer(pt.k, `${path}.k`, { min: 0, max: n }, undefined, 'E_INPUT');
    const label = text(pt.label, `${path}.label`, '');
    const [lo, hi] = wilson(k, n, z);
    return { lr, p: k / n, lo, hi, k, n, label };
  });
  if (!Array.isArray(o.reference) && o.reference !== undefined)
    throw invalid('E_CONFIG', `${what}.reference`, 'an array of { lr, label? }', o.reference);
  const refs = (o.reference ?? []).map((r, i) => {
    if (r === null || typeof r !== 'object') throw invalid('E_CONFIG', `${what}.reference[${i}]`, 'an object { lr, label? }', r);
    return {
      lr: finite(r.lr, `${what}.reference[${i}].lr`, xScale === 'log' ? { gt: 0 } : {}),
      label: text(r.label, `${what}.reference[${i}].label`, ''),
    };
  });

  const colour = seriesColour(rows.map((r) => r.label));
  const x = {
    field: 'lr',
    type: 'quantitative',
    title: 'learning rate η',
    scale: xScale === 'log' ? { type: 'log', padding: 12 } : { zero: false, padding: 12 },
  };
  const confidence = 2 * normalCdf(z) - 1;
  const spec = frame(o, what, 'Basin probability', `k/n with ${Number((100 * confidence).toFixed(2))}% Wilson intervals`);
  spec.layer = [
    {
      name: 'intervals',
      data: { values: rows },
      mark: { type: 'rule', strokeWidth: 1.2, ...colour.mark },
      encoding: {
        x,
        y: { field: 'lo', type: 'quantitative', title: text(o.yTitle, `${what}.yTitle`, 'P(basin)'), scale: { domain: [0, 1] } },
        y2: { field: 'hi' },
        ...colour.encoding,
      },
    },
    {
      name: 'curves',
      data: { values: rows },
      mark: { type: 'line', point: false, ...colour.mark },
      encoding: { x, y: { field: 'p', type: 'quantitative' }, order: { field: 'lr', type: 'quantitative' }, ...colour.encoding },
    },
    {
      name: 'estimates',
      data: { values: rows },
      mark: { type: 'point', filled: true, size: 30, ...colour.mark },
      encoding: { x, y: { field: 'p', type: 'quantitative' }, ...colour.encoding },
    },
    ...(refs.length
      ? [
          { name: 'reference', data: { values: refs }, mark: { type: 'rule', strokeDash: [4, 3], color: '#888' }, encoding: { x } },
          {
            name: 'referenceLabels',
            data: { values: refs },
            mark: { type: 'text', align: 'left', dx: 3, dy: -4, baseline: 'bottom', color: '#555' },
            encoding: { x, y: { datum: 1 }, text: { field: 'label' } },
          },
        ]
      : []),
  ];
  return spec;
}

/**
 * Φ(z), the standard normal CDF, only to state the intervals' level in the subtitle: Abramowitz &
 * Stegun 26.2.17 (absolute error < 7.5·10⁻⁸ for z ≥ 0).
 */
function normalCdf(z: number): number {
  const t = 1 / (1 + 0.2316419 * z);
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return 1 - (Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI)) * poly;
}
