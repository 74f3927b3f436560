/**
 * What every plot spec shares: the Vega-Lite schema, the size and title options, and reading
 * arrays of numbers from results — typed arrays straight from `simulate`, or plain arrays with
 * `null` where a number was not finite, from a result written as JSON (`descent run --out`).
 *
 * Why specs, not pictures: a Vega-Lite spec is plain JSON data, so the core library builds it
 * with no dependency and no wasm, in every runtime, and it can be saved, sent or restyled.
 * Rendering it needs vega and vega-lite, which the core must not depend on: `descent/plots`
 * (src/plots/render.ts, vega and vega-lite as optional peer dependencies) turns a spec into SVG
 * headlessly, the `descent plot` command has them bundled, and in a page vega-embed shows it.
 *
 * Numbers the specs derive for drawing only — histogram counts, contour lines, Wilson interval
 * whiskers, 2/η — are computed here in JS: they are not results, and a result's own numbers
 * (losses, quantiles, positions, densities) are passed through as the wasm computed them.
 */
import { invalid } from '../errors.ts';
import { finite, integer, options } from '../validate.ts';

/** The Vega-Lite version the specs are written for (vega-lite 6). */
export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * A Vega-Lite specification: plain, JSON-serialisable data. Render it with `toSVG` from
 * `descent/plots`, `descent plot`, or any Vega-Lite tool. Only the top-level fields every plot
 * sets are typed; the rest is Vega-Lite's (https://vega.github.io/vega-lite/docs/spec.html).
 */
export interface PlotSpec {
  $schema: string;
  title?: { text: string; subtitle?: string };
  width: number;
  height: number;
  [key: string]: unknown;
}

/** Options every plot takes. */
export interface PlotOptions {
  /** Title above the plot (each plot has a default). */
  title?: string;
  /** Width of the data area in pixels. Default 480 (contours: 400). */
  width?: number;
  /** Height of the data area in pixels. Default 300 (contours: 400). */
  height?: number;
}

/** A value scale: linear, logarithmic (non-positive values are left out), or symmetric log (any sign). */
export type ScaleType = 'linear' | 'log' | 'symlog';

/** Option names shared by every plot. */
export const PLOT_OPTIONS = ['title', 'width', 'height'] as const;

/** Validate a plot's options object; `keys` are its own besides title, width and height. */
export function plotOptions<T extends PlotOptions>(value: unknown, path: string, keys: readonly string[]): Partial<T> {
  return options<T>(value, path, [...PLOT_OPTIONS, ...keys]);
}

/** The fields every spec starts with: schema, title, size (default `size`, width × height) and a quiet style. */
export function frame(
  o: PlotOptions,
  path: string,
  title: string,
  subtitle?: string,
  size: readonly [number, number] = [480, 300],
): PlotSpec {
  if (o.title !== undefined && typeof o.title !== 'string') throw invalid('E_CONFIG', `${path}.title`, 'a string', o.title);
  const text = o.title ?? title;
  return {
    $schema: SCHEMA,
    title: subtitle ? { text, subtitle } : { text },
    width: integer(o.width, `${path}.width`, { min: 50, max: 10000 }, size[0]),
    height: integer(o.height, `${path}.height`, { min: 50, max: 10000 }, size[1]),
    background: 'white',
    config: { view: { stroke: null }, axis: { gridOpacity: 0.6 }, legend: { orient: 'right' } },
  };
}

/** Check a scale option. */
export function scaleType(value: unknown, path: string, allowed: readonly ScaleType[] = ['linear', 'log', 'symlog']): ScaleType {
  if (value === undefined) return 'linear';
  if (typeof value !== 'string' || !allowed.includes(value as ScaleType))
    throw invalid('E_CONFIG', path, `one of ${allowed.map((s) => `'${s}'`).join(', ')}`, value);
  return value as ScaleType;
}

/** Is v drawable on a scale of this type? (Log scales cannot show v ≤ 0.) */
export function onScale(v: number, type: ScaleType): boolean {
  return Number.isFinite(v) && (type !== 'log' || v > 0);
}

/** A Vega-Lite scale object for a value axis of this type. */
export function scaleOf(type: ScaleType, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return type === 'linear' ? { zero: false, ...extra } : { type, ...extra };
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/**
 * An array of numbers as a Float64Array: a typed array, or an array of numbers and nulls (null
 * — how JSON writes NaN and ±∞ — becomes NaN). Anything else is an E_INPUT error at `path`.
 */
export function numbers(value: unknown, path: string, length?: number): Float64Array {
  if (!isArrayLike(value) || typeof (value as { length?: unknown }).length !== 'number') {
    throw invalid('E_INPUT', path, 'an array of numbers (null for non-finite)', value);
  }
  if (length !== undefined && value.length !== length) throw invalid('E_INPUT', path, `an array of length ${length}`, value);
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (v === null) out[i] = NaN;
    else if (typeof v === 'number') out[i] = v;
    else throw invalid('E_INPUT', `${path}[${i}]`, 'a number or null', v);
  }
  return out;
}

/** A required object field of an input (E_INPUT naming `path` when it is missing or not an object). */
export function field<T>(obj: unknown, key: string, path: string, what: string): T {
  const v = obj !== null && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined;
  if (v === undefined || v === null || typeof v !== 'object') throw invalid('E_INPUT', `${path}.${key}`, what, v);
  return v as T;
}

/** An optional string option. */
export function text(value: unknown, path: string, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw invalid('E_CONFIG', path, 'a string', value);
  return value;
}

/** An optional positive count option. */
export function count(value: unknown, path: string, fallback: number, max = 1 << 20): number {
  return integer(value, path, { min: 1, max }, fallback);
}

/** An optional [low, high] range option. */
export function range(value: unknown, path: string): [number, number] | undefined {
  if (value === undefined) return undefined;
  if (!isArrayLike(value) || value.length !== 2) throw invalid('E_CONFIG', path, 'a range [low, high]', value);
  const lo = finite(value[0], `${path}[0]`),
    hi = finite(value[1], `${path}[1]`, { gt: lo });
  return [lo, hi];
}

/**
 * Colours of labelled series: one colour per label (field `label`, in first-seen order) when the
 * series are labelled — several labels, or one that is not empty — else every mark in one colour.
 * Spread `mark` into the marks and `encoding` into their encodings.
 */
export function seriesColour(labels: readonly string[]): { mark: Record<string, unknown>; encoding: Record<string, unknown> } {
  const distinct = [...new Set(labels)];
  if (distinct.length > 1 || (distinct.length === 1 && distinct[0] !== '')) {
    return { mark: {}, encoding: { color: { field: 'label', type: 'nominal', title: null, sort: distinct } } };
  }
  return { mark: { color: '#4c78a8' }, encoding: {} };
}

/** A line chart of `rows` (one line per label, `detail`), the layout shared by sharpness and spectral densities. */
export function lineChart(
  spec: PlotSpec,
  name: string,
  rows: Record<string, unknown>[],
  labels: readonly string[],
  x: Record<string, unknown>,
  y: Record<string, unknown>,
  extra: Record<string, unknown>,
  strokeWidth: number,
): PlotSpec {
  const colour = seriesColour(labels);
  spec.data = { values: rows };
  spec.name = name;
  spec.mark = { type: 'line', strokeWidth, ...colour.mark };
  spec.encoding = {
    x: { type: 'quantitative', ...x },
    y: { type: 'quantitative', ...y },
    detail: { field: 'label', type: 'nominal' },
    ...extra,
    ...colour.encoding,
  };
  return spec;
}

/** A percentage for legends: 5, 25, 2.5 (at most 3 decimals, no trailing zeros). */
export function percent(level: number): string {
  return String(Number((100 * level).toFixed(3)));
}
