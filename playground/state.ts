/**
 * The controls' state: plain strings keyed by control name, exactly as typed. Parsing them into
 * config values, defaults for a landscape / optimiser / noise choice, and the URL form that
 * shares a run. Keeping the typed text (not parsed numbers) is what makes the URL round trip
 * exact — `0.10`, `1e-3` and even invalid entries come back as they were.
 */
import type { Catalog, State } from './protocol.ts';
import { ADDITIVE, OPTIMIZER_ARGS, presetOf, SCALE_FREE, START } from './presets.ts';

/** A parameter value as control text: numbers and booleans as `String` gives them, strings as they are, arrays and objects as JSON. */
export function format(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A decimal literal: what a number control accepts (no `Infinity`, `NaN`, hex or empty text). */
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/**
 * Control text as the value a factory gets, typed like the factory's default `like`. Text that
 * does not parse is passed on unchanged, so that the library's validation names the field and
 * says what it expected (the page shows that DescentError). Empty text means "omit the field":
 * the factory's default applies, or its "required" error.
 */
export function parse(text: string | undefined, like: unknown): unknown {
  const t = (text ?? '').trim();
  if (t === '') return undefined;
  if (typeof like === 'number') return NUMBER.test(t) ? Number(t) : t;
  if (typeof like === 'boolean') return t === 'true' ? true : t === 'false' ? false : t;
  if (typeof like === 'string') return t;
  try {
    return JSON.parse(t);
  } catch {
    return t;
  }
}

/** A list of numbers typed as `1, 2` (commas and/or spaces); anything else is passed on as text. */
export function parseList(text: string | undefined): number[] | string | undefined {
  const t = (text ?? '').trim();
  if (t === '') return undefined;
  const parts = t.replace(/^\[|\]$/g, '').split(/[\s,]+/).filter((s) => s !== '');
  return parts.every((s) => NUMBER.test(s)) ? parts.map(Number) : t;
}

/** A number, or a list of numbers (per-coordinate values such as the starting cloud's std). */
export function parseNumberOrList(text: string | undefined): number | number[] | string | undefined {
  const v = parseList(text);
  return Array.isArray(v) && v.length === 1 ? v[0] : v;
}

const list = (xs: readonly number[]) => xs.join(', ');

/** The landscape's controls: its parameters (`l.*`), view box and starting cloud, from its preset and the factory's defaults. */
export function landscapeState(catalog: Catalog, kind: string): State {
  const entry = catalog.landscapes.find((l) => l.kind === kind);
  const p = presetOf(kind);
  const s: State = { landscape: kind };
  for (const [k, v] of Object.entries(entry?.params ?? {})) s[`l.${k}`] = format(v);
  return { ...s, view: list(p.view), mean: list(p.mean), std: String(p.std) };
}

/** The optimiser's (or sampler's) controls (`o.*`), with the landscape's step size. */
export function optimizerState(catalog: Catalog, kind: string, landscape: string): State {
  const entry = catalog.optimizers.find((o) => o.kind === kind);
  const p = presetOf(landscape);
  const s: State = { optimizer: kind };
  for (const [k, v] of Object.entries(entry?.params ?? {})) {
    const own = OPTIMIZER_ARGS[kind]?.[k] !== undefined;
    s[`o.${k}`] = format(own ? v : k === 'lr' ? (SCALE_FREE.has(kind) ? p.step : p.lr) : k === 'stepSize' ? p.lr : v);
  }
  return s;
}

/** The noise model's controls (`n.*`), with σ on the landscape's gradient scale for additive noise. */
export function noiseState(catalog: Catalog, kind: string, landscape: string): State {
  const entry = catalog.noises.find((n) => n.kind === kind);
  const s: State = { noise: kind };
  for (const [k, v] of Object.entries(entry?.params ?? {})) s[`n.${k}`] = format(k === 'sigma' && ADDITIVE.has(kind) ? presetOf(landscape).sigma : v);
  return s;
}

/**
 * Every control for a landscape, optimiser and noise choice, in display order; `keep` carries
 * over the run size and seed (and any value of `keep` whose control still exists, when
 * `overrides` is true: a URL's state over the defaults).
 */
export function defaultState(catalog: Catalog, choice: { landscape?: string; optimizer?: string; noise?: string } = {}, keep: State = {}, overrides = false): State {
  const landscape = choice.landscape ?? START.landscape;
  const base: State = {
    ...landscapeState(catalog, landscape),
    ...optimizerState(catalog, choice.optimizer ?? START.optimizer, landscape),
    ...noiseState(catalog, choice.noise ?? START.noise, landscape),
    particles: keep.particles ?? String(START.particles),
    steps: keep.steps ?? String(START.steps),
    seed: keep.seed ?? String(START.seed),
  };
  if (overrides) for (const k of Object.keys(base)) if (keep[k] !== undefined) base[k] = keep[k];
  return base;
}

/** The URL fragment of a state: `#landscape=…&l.b=…&…`, every control, in display order. */
export function toHash(state: State): string {
  return '#' + new URLSearchParams(Object.entries(state)).toString();
}

/** The state in a URL fragment (empty when there is none). */
export function fromHash(hash: string): State {
  const out: State = {};
  for (const [k, v] of new URLSearchParams(hash.replace(/^#/, ''))) out[k] = v;
  return out;
}
