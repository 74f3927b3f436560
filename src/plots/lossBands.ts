/**
 * `plots.lossBands`: the loss distribution of an ensemble over steps — shaded bands between
 * symmetric loss quantiles (5–95%, 25–75% with the default levels), the median and the mean —
 * from the statistics `simulate` recorded (`record: { every }`).
 */
import { invalid } from '../errors.ts';
import {
  field,
  frame,
  numbers,
  onScale,
  percent,
  plotOptions,
  scaleOf,
  scaleType,
  type PlotOptions,
  type PlotSpec,
  type ScaleType,
} from './spec.ts';

/** What {@link lossBands} reads: an `EnsembleResult`, or its JSON form (result.json). */
export interface LossBandsInput {
  record?: {
    steps: ArrayLike<number>;
    lossMean: ArrayLike<number | null>;
    lossQuantiles: { levels: ArrayLike<number>; values: ArrayLike<number | null> };
  } | null;
}

/** Options of {@link lossBands}. */
export interface LossBandsOptions extends PlotOptions {
  /** Scale of the loss axis: 'auto' (the default) is 'log' when every value drawn is > 0, else 'linear'; 'log' leaves out values ≤ 0. */
  yScale?: ScaleType | 'auto';
  /** Draw the mean (dashed) besides the median. Default true. */
  mean?: boolean;
}

/**
 * Quantile bands of the loss over the recorded steps. Levels are paired from the outside in
 * (lowest with highest): each pair is a band, a middle level left unpaired is drawn as a line
 * (the median, with the default levels). Rows whose values are not finite (or not on a log
 * scale) are left out.
 *
 * @example
 * const r = await descent.simulate({ …, record: { every: 10 } });
 * const spec = descent.plots.lossBands(r, { yScale: 'log' });
 * const svg = await toSVG(spec);   // import { toSVG } from 'descent/plots'
 */
export function lossBands(result: LossBandsInput, options?: LossBandsOptions): PlotSpec {
  const what = 'plots.lossBands';
  const o = plotOptions<LossBandsOptions>(options, what, ['yScale', 'mean']);
  const requested = o.yScale === undefined || o.yScale === 'auto' ? 'auto' : scaleType(o.yScale, `${what}.yScale`);
  if (o.mean !== undefined && typeof o.mean !== 'boolean') throw invalid('E_CONFIG', `${what}.mean`, 'true or false', o.mean);
  const rec = field<NonNullable<LossBandsInput['record']>>(
    result,
    'record',
    `${what}: result`,
    'recorded statistics (run simulate with record: { every })',
  );
  const steps = numbers(rec.steps, `${what}: result.record.steps`);
  const rows = steps.length;
  if (rows === 0) throw invalid('E_INPUT', `${what}: result.record.steps`, 'at least one recorded step', 'none');
  const mean = numbers(rec.lossMean, `${what}: result.record.lossMean`, rows);
  const q = field<{ levels: ArrayLike<number>; values: ArrayLike<number | null> }>(
    rec,
    'lossQuantiles',
    `${what}: result.record`,
    'quantile levels and values',
  );
  const levels = numbers(q.levels, `${what}: result.record.lossQuantiles.levels`);
  const values = numbers(q.values, `${what}: result.record.lossQuantiles.values`, rows * levels.length);
  const at = (r: number, k: number) => values[r * levels.length + k];
  // Losses usually fall by decades: a log axis unless something drawn is ≤ 0.
  const positive =
    values.every((v) => !Number.isFinite(v) || v > 0) && (o.mean === false || mean.every((v) => !Number.isFinite(v) || v > 0));
  const yScale: ScaleType = requested === 'auto' ? (positive ? 'log' : 'linear') : requested;

  // Columns by ascending level, paired outside in.
  const order = Array.from(levels.keys()).sort((a, b) => levels[a] - levels[b]);
  const bands: { label: string; lo: number; hi: number }[] = [];
  const lines: { label: string; column: number }[] = [];
  for (let i = 0, j = order.length - 1; i <= j; i++, j--) {
    const lo = order[i],
      hi = order[j];
    if (i < j && levels[lo] < levels[hi]) bands.push({ label: `${percent(levels[lo])}–${percent(levels[hi])}%`, lo, hi });
    else lines.push({ label: levels[lo] === 0.5 ? 'median' : `${percent(levels[lo])}% quantile`, column: lo });
  }
  const bandRows: Record<string, number | string>[] = [];
  const lineRows: Record<string, number | string>[] = [];
  for (let r = 0; r < rows; r++) {
    for (const b of bands) {
      const lo = at(r, b.lo),
        hi = at(r, b.hi);
      if (onScale(lo, yScale) && onScale(hi, yScale)) bandRows.push({ step: steps[r], band: b.label, lo, hi });
    }
    for (const l of lines) {
      const v = at(r, l.column);
      if (onScale(v, yScale)) lineRows.push({ step: steps[r], series: l.label, loss: v });
    }
    if (o.mean !== false && onScale(mean[r], yScale)) lineRows.push({ step: steps[r], series: 'mean', loss: mean[r] });
  }
  const series = [...lines.map((l) => l.label), ...(o.mean !== false ? ['mean'] : [])];
  const x = { field: 'step', type: 'quantitative', title: 'step', scale: { zero: false, nice: false } };
  const spec = frame(o, what, 'Loss over steps', `quantile bands of the loss over the ensemble (${rows} recorded steps)`);
  spec.layer = [
    {
      name: 'bands',
      data: { values: bandRows },
      mark: { type: 'area', color: '#4c78a8', interpolate: 'linear' },
      encoding: {
        x,
        y: { field: 'lo', type: 'quantitative', title: 'loss', scale: scaleOf(yScale) },
        y2: { field: 'hi' },
        // Outer bands lighter, inner ones darker.
        opacity: {
          field: 'band',
          type: 'ordinal',
          sort: bands.map((b) => b.label),
          scale: { range: bands.map((_, i) => 0.18 + (0.3 * i) / Math.max(1, bands.length - 1)) },
          title: 'quantiles',
        },
      },
    },
    {
      name: 'lines',
      data: { values: lineRows },
      mark: { type: 'line', color: '#1f3b57', strokeWidth: 1.6 },
      encoding: {
        x,
        y: { field: 'loss', type: 'quantitative' },
        strokeDash: {
          field: 'series',
          type: 'nominal',
          title: null,
          sort: series,
          scale: { domain: series, range: series.map((s) => (s === 'mean' ? [5, 3] : [1, 0])) },
        },
      },
    },
  ];
  return spec;
}
