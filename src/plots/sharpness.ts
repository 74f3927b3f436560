/**
 * `plots.sharpness`: the top Hessian eigenvalue λ_max along a run against the stability threshold
 * 2/η of gradient descent at the same step — the picture of progressive sharpening and the edge
 * of stability (Cohen et al., "Gradient descent on neural networks typically occurs at the edge
 * of stability", ICLR 2021: λ_max rises until it reaches 2/η, then hovers there).
 */
import { invalid } from '../errors.ts';
import { finite } from '../validate.ts';
import {
  frame,
  lineChart,
  numbers,
  onScale,
  plotOptions,
  scaleOf,
  scaleType,
  text,
  type PlotOptions,
  type PlotSpec,
  type ScaleType,
} from './spec.ts';

/** One run's sharpness track: plain arrays (from `spectral.topEigenvalues` at chosen steps, or a sharpness tracker). */
export interface SharpnessSeries {
  /** Steps at which λ_max was measured. */
  step: ArrayLike<number>;
  /** λ_max at each of those steps. */
  sharpness: ArrayLike<number | null>;
  /** The learning rate: one value, or its value at each of those steps (a schedule). */
  lr: number | ArrayLike<number>;
  /** Name of the run in the legend. Default ''. */
  label?: string;
}

/** Options of {@link sharpness}. */
export interface SharpnessOptions extends PlotOptions {
  /** Scale of the eigenvalue axis. Default 'linear'. */
  yScale?: ScaleType;
}

/**
 * λ_max (solid) and 2/η (dashed) over steps, for one run or several (coloured by label). 2/η is
 * a drawing number computed here; a step with η = 0 has no threshold and is left out of it.
 *
 * @example
 * descent.plots.sharpness({ step: [0, 100, 200], sharpness: [3.1, 12.5, 19.8], lr: 0.1 });
 */
export function sharpness(series: SharpnessSeries | readonly SharpnessSeries[], options?: SharpnessOptions): PlotSpec {
  const what = 'plots.sharpness';
  const o = plotOptions<SharpnessOptions>(options, what, ['yScale']);
  const yScale = scaleType(o.yScale, `${what}.yScale`);
  const list = Array.isArray(series) ? (series as readonly SharpnessSeries[]) : [series as SharpnessSeries];
  if (list.length === 0)
    throw invalid('E_INPUT', `${what}: series`, 'a series { step, sharpness, lr } or a non-empty array of them', series);
  const rows: Record<string, number | string>[] = [];
  list.forEach((s, k) => {
    const path = Array.isArray(series) ? `${what}: series[${k}]` : `${what}: series`;
    if (s === null || typeof s !== 'object') throw invalid('E_INPUT', path, 'an object { step, sharpness, lr, label? }', s);
    const step = numbers(s.step, `${path}.step`);
    const lam = numbers(s.sharpness, `${path}.sharpness`, step.length);
    const lr =
      typeof s.lr === 'number'
        ? new Float64Array(step.length).fill(finite(s.lr, `${path}.lr`, { min: 0 }, undefined, 'E_INPUT'))
        : numbers(s.lr, `${path}.lr`, step.length);
    const label = text(s.label, `${path}.label`, '');
    for (let i = 0; i < step.length; i++) {
      if (!Number.isFinite(step[i])) throw invalid('E_INPUT', `${path}.step[${i}]`, 'a finite number', step[i]);
      if (!(lr[i] >= 0)) throw invalid('E_INPUT', `${path}.lr[${i}]`, 'a finite number ≥ 0', lr[i]);
      if (onScale(lam[i], yScale)) rows.push({ step: step[i], value: lam[i], quantity: 'λ_max', label });
      const threshold = 2 / lr[i];
      if (onScale(threshold, yScale)) rows.push({ step: step[i], value: threshold, quantity: '2/η', label });
    }
  });
  const labels = list.map((s) => (typeof s.label === 'string' ? s.label : ''));
  const spec = frame(o, what, 'Sharpness and the stability threshold', 'λ_max of the Hessian (solid) against 2/η (dashed)');
  return lineChart(
    spec,
    'tracks',
    rows,
    labels,
    { field: 'step', title: 'step', scale: { zero: false, nice: false } },
    { field: 'value', title: 'eigenvalue', scale: scaleOf(yScale) },
    {
      strokeDash: {
        field: 'quantity',
        type: 'nominal',
        title: null,
        scale: {
          domain: ['λ_max', '2/η'],
          range: [
            [1, 0],
            [5, 3],
          ],
        },
      },
    },
    1.6,
  );
}
