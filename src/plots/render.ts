/**
 * `descent/plots`: render a plot spec (`descent.plots.*`, or any Vega-Lite or Vega spec) to SVG,
 * headlessly — no DOM, no canvas — with vega and vega-lite.
 *
 * This is a separate entry (build/descent.plots.mjs, package export `descent/plots`) because it
 * needs vega and vega-lite (≈ 2 MB of JavaScript), and the core library keeps no runtime
 * dependencies: building specs is in the core (`descent.plots.*`, plain data), rendering is
 * here, with vega and vega-lite as optional peer dependencies that only users of this entry
 * install (`npm install vega vega-lite`). The `descent` command has them bundled, so
 * `descent plot` needs nothing installed.
 *
 * @example
 * import * as descent from 'descent';
 * import { toSVG } from 'descent/plots';
 * await descent.init();
 * const r = await descent.simulate({ …, record: { every: 10 } });
 * writeFileSync('loss.svg', await toSVG(descent.plots.lossBands(r)));
 * @module descent/plots
 */
import type * as Vega from 'vega';
import { DescentError, invalid } from '../errors.ts';

type Renderer = { vega: typeof Vega; compile: typeof import('vega-lite').compile };
let renderer: Promise<Renderer> | undefined;

/**
 * vega and vega-lite, imported on first use: they are optional peer dependencies, and a static
 * import of a missing one fails the whole entry with the runtime's raw ERR_MODULE_NOT_FOUND.
 * Their absence becomes a DescentError saying what to install (and that `descent plot` has them).
 */
function loadRenderer(): Promise<Renderer> {
  renderer ??= Promise.all([import('vega'), import('vega-lite')]).then(
    ([vega, vl]) => ({ vega, compile: vl.compile }),
    (e) => {
      renderer = undefined; // installing them later, in the same process (a REPL), then works
      throw new DescentError(
        'E_DEPENDENCY',
        'descent/plots renders with vega and vega-lite, optional peer dependencies of descent that are not installed ' +
          `(${(e as Error)?.message?.split('\n')[0] ?? e}): npm install vega@^6.4.0 vega-lite@~6.4.0 — or draw with the descent ` +
          `command (descent plot), which has them built in`,
        { cause: e },
      );
    },
  );
  return renderer;
}

/** Options of {@link toSVG}. */
export interface ToSVGOptions {
  /** Multiply every size by this (the SVG's width and height grow; the drawing is the same). Default 1. */
  scale?: number;
  /** What to do with Vega-Lite and Vega warnings (e.g. an encoding that was dropped): ignore them (default) or throw. */
  warnings?: 'ignore' | 'throw';
  /**
   * Decimal places kept in drawing coordinates (path data, transforms, positions). Default 2 (1/100 px); null keeps Vega's full precision
   * (files ~2× larger).
   */
  precision?: number | null;
}

// Attributes that hold drawing coordinates; text content (axis labels, titles) is never touched.
const GEOMETRY = /\s(d|transform|x|y|x1|x2|y1|y2|width|height|points)="([^"]*)"/g;

/** Round every decimal number in the geometry attributes of an SVG document to `digits` places. */
function roundGeometry(svg: string, digits: number): string {
  const scale = 10 ** digits;
  return svg.replace(
    GEOMETRY,
    (_m, attr: string, value: string) =>
      ` ${attr}="${value.replace(/-?\d*\.\d+(?:e-?\d+)?/g, (n) => String(Math.round(Number(n) * scale) / scale))}"`,
  );
}

/** A spec's kind, from its `$schema` URL (…/schema/vega-lite/v6.json or …/schema/vega/v6.json). */
function kindOf(spec: Record<string, unknown>): 'vega-lite' | 'vega' {
  const schema = spec.$schema;
  if (typeof schema === 'string' && /\/vega-lite\//.test(schema)) return 'vega-lite';
  if (typeof schema === 'string' && /\/vega\//.test(schema)) return 'vega';
  throw invalid('E_INPUT', 'toSVG: spec.$schema', 'a Vega-Lite or Vega schema URL (…/schema/vega-lite/v6.json)', schema);
}

/** A logger that collects warnings (Vega's LoggerInterface). */
function collector(vega: typeof Vega, warnings: string[]): Vega.LoggerInterface {
  let level = vega.Warn;
  const self: Vega.LoggerInterface = {
    level(l?: number) {
      if (l === undefined) return level as never;
      level = l;
      return self as never;
    },
    error(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(' '));
      return self;
    },
    warn(...args: readonly unknown[]) {
      warnings.push(args.map(String).join(' '));
      return self;
    },
    info() {
      return self;
    },
    debug() {
      return self;
    },
  };
  return self;
}

// Specs carry their data inline: the renderer is given a loader that refuses to read files or
// URLs, so rendering a spec from a file can never read or fetch anything else.
const refuse = (what: string) => () =>
  Promise.reject(
    new DescentError(
      'E_INPUT',
      `toSVG: the spec asks to load ${what}; descent plots carry their data inline and never load files or URLs`,
      { path: 'toSVG: spec' },
    ),
  );
const noLoader = {
  load: refuse('data'),
  sanitize: refuse('a resource'),
  http: refuse('a URL'),
  file: refuse('a file'),
} as unknown as Vega.Loader;

/**
 * Render a Vega-Lite (or Vega) spec to an SVG document (a string starting with `<svg`). The spec
 * must carry its data inline (`data: { values }`), as every `descent.plots.*` spec does.
 * Bad specs reject with a DescentError `E_INPUT` (match on `error.name === 'DescentError'`
 * and `error.code`: this entry carries its own copy of the error class).
 */
export async function toSVG(spec: object, options: ToSVGOptions = {}): Promise<string> {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec))
    throw invalid('E_INPUT', 'toSVG: spec', 'a Vega-Lite spec (an object)', spec);
  if (options === null || typeof options !== 'object') throw invalid('E_CONFIG', 'toSVG.options', 'an object', options);
  for (const k of Object.keys(options))
    if (k !== 'scale' && k !== 'warnings' && k !== 'precision')
      throw new DescentError('E_CONFIG', `toSVG.${k} is not an option of toSVG (known options are scale, warnings, precision)`, {
        path: `toSVG.${k}`,
        actual: k,
      });
  const precision = options.precision === undefined ? 2 : options.precision;
  if (precision !== null && !(Number.isInteger(precision) && precision >= 0 && precision <= 12))
    throw invalid('E_CONFIG', 'toSVG.precision', 'an integer from 0 to 12, or null', precision);
  const scale = options.scale ?? 1;
  if (typeof scale !== 'number' || !(scale > 0 && scale <= 100)) throw invalid('E_CONFIG', 'toSVG.scale', 'a number > 0 and ≤ 100', scale);
  const strict = options.warnings === 'throw';
  if (options.warnings !== undefined && options.warnings !== 'ignore' && !strict)
    throw invalid('E_CONFIG', 'toSVG.warnings', "'ignore' or 'throw'", options.warnings);
  const { vega, compile } = await loadRenderer();
  const warnings: string[] = [];
  const logger = collector(vega, warnings);
  let view: Vega.View | undefined;
  try {
    const kind = kindOf(spec as Record<string, unknown>);
    const vg = kind === 'vega-lite' ? compile(spec as never, { logger }).spec : (spec as Vega.Spec);
    view = new vega.View(vega.parse(vg), { renderer: 'none', loader: noLoader, logger, logLevel: vega.Warn });
    const svg = await view.toSVG(scale);
    if (strict && warnings.length)
      throw new DescentError('E_INPUT', `toSVG: ${warnings.length} warning(s) rendering the spec: ${warnings.join('; ')}`, {
        path: 'toSVG: spec',
      });
    return precision === null ? svg : roundGeometry(svg, precision);
  } catch (e) {
    if ((e as { name?: string })?.name === 'DescentError') throw e;
    throw new DescentError('E_INPUT', `toSVG: the spec could not be rendered: ${(e as Error)?.message ?? String(e)}`, {
      path: 'toSVG: spec',
      cause: e,
    });
  } finally {
    view?.finalize();
  }
}
