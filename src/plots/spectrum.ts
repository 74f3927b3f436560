/**
 * `plots.spectralDensity`: estimated eigenvalue densities of Hessians (or GGN, Fisher) from
 * `spectral.density` (stochastic Lanczos quadrature, Gaussian-broadened), one curve per operator.
 */
import { invalid } from '../errors.ts';
import { finite } from '../validate.ts';
import { frame, lineChart, numbers, onScale, plotOptions, scaleOf, scaleType, text, type PlotOptions, type PlotSpec } from './spec.ts';

/** What {@link spectralDensity} reads: `spectral.density`'s result (its grid and density), optionally labelled. */
export interface DensityCurve {
  grid: ArrayLike<number>;
  density: ArrayLike<number | null>;
  /** Name in the legend. Default ''. */
  label?: string;
}

/** Options of {@link spectralDensity}. */
export interface SpectrumOptions extends PlotOptions {
  /** Scale of the density axis. Default 'linear'; 'log' (spectra of trained models span many decades) leaves out values below `floor`. */
  yScale?: 'linear' | 'log';
  /** Draw density values below this as absent on a log axis (the Gaussian broadening underflows far from the nodes). Default 1e-12. */
  floor?: number;
}

/**
 * The density φ(λ) against λ, for one `spectral.density` result or several (coloured by label).
 *
 * @example
 * const rho = descent.spectral.density(descent.spectral.hessianOp(net, theta), { probes: 4 });
 * descent.plots.spectralDensity(rho);
 */
export function spectralDensity(curves: DensityCurve | readonly DensityCurve[], options?: SpectrumOptions): PlotSpec {
  const what = 'plots.spectralDensity';
  const o = plotOptions<SpectrumOptions>(options, what, ['yScale', 'floor']);
  const yScale = scaleType(o.yScale, `${what}.yScale`, ['linear', 'log']);
  const floor = finite(o.floor, `${what}.floor`, { min: 0 }, 1e-12);
  const list = Array.isArray(curves) ? (curves as readonly DensityCurve[]) : [curves as DensityCurve];
  if (list.length === 0) throw invalid('E_INPUT', `${what}: curves`, 'a density { grid, density } or a non-empty array of them', curves);
  const rows: Record<string, number | string>[] = [];
  const labels: string[] = [];
  list.forEach((c, k) => {
    const path = Array.isArray(curves) ? `${what}: curves[${k}]` : `${what}: curves`;
    if (c === null || typeof c !== 'object') throw invalid('E_INPUT', path, 'an object { grid, density, label? }', c);
    const grid = numbers(c.grid, `${path}.grid`);
    const dens = numbers(c.density, `${path}.density`, grid.length);
    const label = text(c.label, `${path}.label`, '');
    labels.push(label);
    for (let i = 0; i < grid.length; i++) {
      if (Number.isFinite(grid[i]) && onScale(dens[i], yScale) && (yScale !== 'log' || dens[i] >= floor))
        rows.push({ lambda: grid[i], density: dens[i], label });
    }
  });
  const spec = frame(o, what, 'Spectral density', 'stochastic Lanczos quadrature, Gaussian-broadened');
  return lineChart(
    spec,
    'densities',
    rows,
    labels,
    { field: 'lambda', title: 'eigenvalue λ', scale: { zero: false, nice: false } },
    { field: 'density', title: 'density φ(λ)', scale: scaleOf(yScale) },
    { order: { field: 'lambda', type: 'quantitative' } },
    1.4,
  );
}
