/**
 * `plots.lossHistogram`: the distribution of the final loss over an ensemble's particles, as a
 * histogram of equal-width bins (on a log axis: equal widths in log₁₀ loss).
 */
import { invalid } from '../errors.ts';
import { count, frame, numbers, plotOptions, range, scaleType, type PlotOptions, type PlotSpec } from './spec.ts';

/** What {@link lossHistogram} reads: an `EnsembleResult`, or its JSON form. */
export interface HistogramInput {
  /** Final loss of each particle. */
  loss: ArrayLike<number | null>;
  /** Step at which each particle diverged, or −1: diverged particles are left out. */
  divergedAt?: ArrayLike<number>;
}

/** Options of {@link lossHistogram}. */
export interface HistogramOptions extends PlotOptions {
  /** Number of bins. Default 30. */
  bins?: number;
  /** Loss range binned; values outside it are counted in the subtitle, not drawn. Default: min to max. */
  range?: [number, number];
  /** 'log': bins of equal width in log₁₀ loss, on a log axis (losses ≤ 0 are left out and counted). Default 'linear'. */
  xScale?: 'linear' | 'log';
}

/** Bin i of n over [lo, hi] containing v (the last bin is closed on the right). */
function binOf(v: number, lo: number, hi: number, n: number): number {
  return Math.min(n - 1, Math.floor(((v - lo) / (hi - lo)) * n));
}

/**
 * A histogram of the final losses of the particles that did not diverge. Bin edges and counts
 * are drawing numbers computed here (the losses themselves are the run's); every bin is drawn,
 * empty ones with height 0, so the spec has exactly `bins` bars.
 *
 * @example
 * descent.plots.lossHistogram(result, { bins: 50, xScale: 'log' });
 */
export function lossHistogram(result: HistogramInput, options?: HistogramOptions): PlotSpec {
  const what = 'plots.lossHistogram';
  const o = plotOptions<HistogramOptions>(options, what, ['bins', 'range', 'xScale']);
  const bins = count(o.bins, `${what}.bins`, 30, 10000);
  const xScale = scaleType(o.xScale, `${what}.xScale`, ['linear', 'log']);
  let given = range(o.range, `${what}.range`);
  if (given && xScale === 'log' && !(given[0] > 0))
    throw invalid('E_CONFIG', `${what}.range[0]`, 'a number > 0 (the axis is logarithmic)', given[0]);
  if (result === null || typeof result !== 'object')
    throw invalid('E_INPUT', `${what}: result`, 'a result with loss (and divergedAt)', result);
  const loss = numbers(result.loss, `${what}: result.loss`);
  const diverged = result.divergedAt === undefined ? undefined : numbers(result.divergedAt, `${what}: result.divergedAt`, loss.length);

  // Log bins are equal in log₁₀ (drawing numbers: JS Math is fine here).
  const t = xScale === 'log' ? Math.log10 : (v: number) => v;
  const kept: number[] = [];
  let divergedCount = 0,
    excluded = 0;
  for (let p = 0; p < loss.length; p++) {
    if (diverged && diverged[p] >= 0) {
      divergedCount++;
      continue;
    }
    const v = loss[p];
    if (!Number.isFinite(v)) {
      divergedCount++;
      continue;
    }
    if ((xScale === 'log' && !(v > 0)) || (given && (v < given[0] || v > given[1]))) {
      excluded++;
      continue;
    }
    kept.push(t(v));
  }
  if (!given && kept.length) {
    let lo = Infinity,
      hi = -Infinity;
    for (const v of kept) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    // All equal: one unit-wide range around the value, so the bins have a width.
    given = hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
  } else if (given) given = [t(given[0]), t(given[1])];
  const [lo, hi] = given ?? [0, 1];
  const counts = new Array<number>(bins).fill(0);
  for (const v of kept) counts[binOf(v, lo, hi, bins)]++;
  const edge = (i: number) => (xScale === 'log' ? 10 ** (lo + ((hi - lo) * i) / bins) : lo + ((hi - lo) * i) / bins);
  const values = counts.map((n, i) => ({ lo: edge(i), hi: edge(i + 1), count: n }));

  const notes = [`${kept.length.toLocaleString('en-US')} particles`];
  if (divergedCount) notes.push(`${divergedCount.toLocaleString('en-US')} diverged (left out)`);
  if (excluded) notes.push(`${excluded.toLocaleString('en-US')} ${xScale === 'log' ? 'at loss ≤ 0 or ' : ''}outside the range (left out)`);
  const spec = frame(o, what, 'Final loss', notes.join(', '));
  spec.data = { values };
  spec.mark = { type: 'rect', color: '#4c78a8', stroke: 'white', strokeWidth: 0.5 };
  spec.name = 'bars';
  spec.encoding = {
    x: {
      field: 'lo',
      type: 'quantitative',
      title: 'final loss',
      scale: xScale === 'log' ? { type: 'log', nice: false } : { zero: false, nice: false },
    },
    x2: { field: 'hi' },
    y: { field: 'count', type: 'quantitative', title: 'particles' },
    y2: { datum: 0 },
  };
  return spec;
}
