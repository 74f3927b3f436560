/**
 * `plots.*`: Vega-Lite specs of the standard pictures of a descent study — loss quantile bands
 * over steps, final-loss histograms, landscape contours with particles and trajectories,
 * basin probability against the learning rate with Wilson intervals, sharpness against 2/η, and
 * spectral densities. Each function returns plain JSON data (no dependency, no wasm); render it
 * to SVG with `toSVG` from `descent/plots` (needs the vega and vega-lite packages), with
 * `descent plot`, or in a page with vega-embed. docs/plots.md shows each plot.
 *
 * @example
 * import * as descent from 'descent';
 * import { toSVG } from 'descent/plots';
 * const r = await descent.simulate({ …, record: { every: 10 } });
 * fs.writeFileSync('loss.svg', await toSVG(descent.plots.lossBands(r)));
 * @module
 */
export { SCHEMA, type PlotSpec, type PlotOptions, type ScaleType } from './spec.ts';
export { lossBands, type LossBandsInput, type LossBandsOptions } from './lossBands.ts';
export { lossHistogram, type HistogramInput, type HistogramOptions } from './histogram.ts';
export { contours, type Surface, type RecordedPaths, type ContoursOptions } from './contours.ts';
export { isolines, type Isoline } from './isolines.ts';
export { basinProbability, wilson, type BasinPoint, type BasinOptions } from './basins.ts';
export { sharpness, type SharpnessSeries, type SharpnessOptions } from './sharpness.ts';
export { spectralDensity, type DensityCurve, type SpectrumOptions } from './spectrum.ts';
