/**
 * Config and argument validation. Every check throws {@link DescentError} through `invalid`, so
 * messages are uniform: `<path> must be <rule>, got <value>`. Factories call these before any
 * wasm memory is touched.
 */
import { DescentError, invalid } from './errors.ts';

type Code = 'E_CONFIG' | 'E_INPUT';

/** Largest dimension accepted anywhere (memory limits usually bind first). */
export const MAX_DIM = 1 << 24;

/**
 * Whether `v` is a component's JSON form: an object with a string `kind` among `kinds` and a
 * `type` that is `type` or absent. A result's JSON and a config file need say no more than
 * `{ kind, params }`: the slot a component sits in already says what it is.
 */
export function isKindData(v: unknown, kinds: object, type: string): v is { type?: string; kind: string; params?: unknown } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const { kind, type: t } = v as { kind?: unknown; type?: unknown };
  return typeof kind === 'string' && Object.hasOwn(kinds, kind) && (t === undefined || t === type);
}

/**
 * The largest of `values` (-Infinity for none), by a loop: `Math.max(...values)` passes every
 * value as an argument and overflows the stack past ~10⁵ of them (a polynomial of dim 2·10⁵).
 */
export function largest(values: readonly number[]): number {
  let m = -Infinity;
  for (const v of values) if (v > m) m = v;
  return m;
}

/** Throw unless `config` is a plain object (or undefined → {}) whose keys are all in `allowed`. */
export function options<T extends object>(config: unknown, path: string, allowed: readonly string[]): Partial<T> {
  if (config === undefined) return {};
  if (config === null || typeof config !== 'object' || Array.isArray(config) || ArrayBuffer.isView(config)) {
    throw invalid('E_CONFIG', path, 'an object', config);
  }
  for (const key of Object.keys(config)) {
    if (!allowed.includes(key)) {
      const known = allowed.length ? `known options are ${allowed.join(', ')}` : 'it takes no options';
      throw new DescentError('E_CONFIG', `${path}.${key} is not an option of ${path} (${known})`, {
        path: `${path}.${key}`,
        expected: `one of ${allowed.join(', ') || 'nothing'}`,
        actual: key,
      });
    }
  }
  return config as Partial<T>;
}

/** Rule of a number check. */
export interface NumberRule {
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  gt?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Must not equal this value. */
  not?: number;
}

function ruleText(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.gt !== undefined) parts.push(`> ${rule.gt}`);
  if (rule.min !== undefined) parts.push(`≥ ${rule.min}`);
  if (rule.max !== undefined) parts.push(`≤ ${rule.max}`);
  if (rule.not !== undefined) parts.push(`≠ ${rule.not}`);
  return parts.join(' and ');
}

function inRange(x: number, rule: NumberRule): boolean {
  return (
    (rule.gt === undefined || x > rule.gt) &&
    (rule.min === undefined || x >= rule.min) &&
    (rule.max === undefined || x <= rule.max) &&
    (rule.not === undefined || x !== rule.not)
  );
}

/** A finite number obeying `rule`; `fallback` when undefined (if given). */
export function finite(value: unknown, path: string, rule: NumberRule = {}, fallback?: number, code: Code = 'E_CONFIG'): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || !inRange(value, rule)) {
    const r = ruleText(rule); // the rule's text only for the message
    throw invalid(code, path, `a finite number${r ? ' ' + r : ''}`, value);
  }
  return value;
}

/** An integer obeying `rule` (safe-integer range); `fallback` when undefined (if given). */
export function integer(value: unknown, path: string, rule: NumberRule = {}, fallback?: number, code: Code = 'E_CONFIG'): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || !inRange(value, rule)) {
    const r = ruleText(rule); // the rule's text only for the message
    throw invalid(code, path, `an integer${r ? ' ' + r : ''}`, value);
  }
  return value;
}

/** A dimension: an integer in [min, MAX_DIM]. */
export function dimension(value: unknown, path: string, min = 1, fallback?: number): number {
  return integer(value, path, { min, max: MAX_DIM }, fallback);
}

/** A seed: an integer in [0, 2⁵³ − 1]. */
export function seed(value: unknown, path: string, fallback?: number, code: Code = 'E_CONFIG'): number {
  return integer(value, path, { min: 0 }, fallback, code);
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * A vector of finite numbers (array or typed array), copied into a new Float64Array.
 * @param length required length, or undefined for any length ≥ `minLength`.
 */
export function vector(
  value: unknown,
  path: string,
  length?: number,
  rule: NumberRule = {},
  code: Code = 'E_CONFIG',
  minLength = 1,
): Float64Array {
  if (!isArrayLike(value) || (ArrayBuffer.isView(value) && typeof (value as { length?: unknown }).length !== 'number')) {
    throw invalid(code, path, length === undefined ? 'an array of numbers' : `an array of ${length} numbers`, value);
  }
  if (length !== undefined ? value.length !== length : value.length < minLength) {
    throw invalid(code, path, length !== undefined ? `an array of length ${length}` : `an array of length ≥ ${minLength}`, value);
  }
  const out = new Float64Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const x = value[i];
    if (typeof x === 'bigint' || typeof x !== 'number' || !Number.isFinite(x) || !inRange(x, rule)) {
      const r = ruleText(rule);
      throw invalid(code, `${path}[${i}]`, `a finite number${r ? ' ' + r : ''}`, x);
    }
    out[i] = x;
  }
  return out;
}

/**
 * A matrix given as an array of `rows` rows of `cols` finite numbers (either may be undefined:
 * any count ≥ 1, but all rows equal), flattened row-major.
 */
export function matrix(value: unknown, path: string, rows?: number, cols?: number): { data: Float64Array; rows: number; cols: number } {
  if (!Array.isArray(value) || value.length === 0 || (rows !== undefined && value.length !== rows)) {
    throw invalid('E_CONFIG', path, rows === undefined ? 'a non-empty array of rows' : `an array of ${rows} rows`, value);
  }
  const first = value[0];
  const n = cols ?? (isArrayLike(first) ? first.length : -1);
  if (n < 1) throw invalid('E_CONFIG', `${path}[0]`, 'a non-empty array of numbers', first);
  const data = new Float64Array(value.length * n);
  value.forEach((row, i) => data.set(vector(row, `${path}[${i}]`, n), i * n));
  return { data, rows: value.length, cols: n };
}

/**
 * Check a row-major d×d matrix is symmetric to rounding (|a_ij − a_ji| ≤ 1e-12·max|a|) and make
 * it exactly symmetric, ½(a_ij + a_ji), in place.
 */
export function symmetrize(a: Float64Array, d: number, path: string): void {
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]));
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const x = a[i * d + j],
        y = a[j * d + i];
      if (Math.abs(x - y) > 1e-12 * scale) {
        throw invalid('E_CONFIG', path, `a symmetric matrix (entry [${i}][${j}] = ${x} but [${j}][${i}] = ${y})`, 'an asymmetric matrix');
      }
      const m = (x + y) / 2;
      a[i * d + j] = m;
      a[j * d + i] = m;
    }
  }
}

/**
 * A point argument: `dim` numbers as a Float64Array. A Float64Array of the right length is
 * passed through unscanned — the bindings check finiteness after copying it into wasm (SIMD);
 * anything else is converted and checked here.
 */
export function point(value: unknown, path: string, dim: number): Float64Array {
  if (value instanceof Float64Array && value.length === dim) return value;
  return vector(value, path, dim, {}, 'E_INPUT');
}

/** A batch argument: n·dim finite numbers, row-major (point i is entries [i·dim, (i+1)·dim)). */
export function batch(value: unknown, path: string, dim: number): Float64Array {
  // An array of points ([[x0, y0], [x1, y1]]) is the natural JS form; flatten it row-major,
  // naming the bad entry by row and column.
  if (Array.isArray(value) && value.length > 0 && value.every((row) => Array.isArray(row) || ArrayBuffer.isView(row))) {
    const out = new Float64Array(value.length * dim);
    value.forEach((row, i) => out.set(vector(row, `${path}[${i}]`, dim, {}, 'E_INPUT'), i * dim));
    return out;
  }
  if (!(value instanceof Float64Array || Array.isArray(value)) || value.length === 0 || value.length % dim !== 0) {
    throw invalid(
      'E_INPUT',
      path,
      `a non-empty array of points (each ${dim} numbers), or a Float64Array or array whose length is a multiple of dim = ${dim} ` +
        `(row-major)`,
      value,
    );
  }
  return value instanceof Float64Array ? value : vector(value, path, value.length, {}, 'E_INPUT');
}

/** An output buffer: undefined (a new one is made) or a Float64Array of exactly `length`. */
export function output(value: unknown, path: string, length: number): Float64Array {
  if (value === undefined) return new Float64Array(length);
  if (!(value instanceof Float64Array) || value.length !== length) {
    throw invalid('E_INPUT', path, `a Float64Array of length ${length}`, value);
  }
  return value;
}

/**
 * Whether the symmetric row-major d×d matrix is positive definite, by an LDLᵀ factorisation
 * (Golub & Van Loan §4.1.2): all pivots > 0. Square-root free, so it uses only IEEE basic
 * arithmetic (the same in every engine). Validation only; nothing computed here is kept.
 */
export function positiveDefinite(a: Float64Array, d: number): boolean {
  const l = new Float64Array(d * d),
    piv = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let s = a[j * d + j];
    for (let k = 0; k < j; k++) s -= l[j * d + k] * l[j * d + k] * piv[k];
    if (!(s > 0)) return false;
    piv[j] = s;
    for (let i = j + 1; i < d; i++) {
      let t = a[i * d + j];
      for (let k = 0; k < j; k++) t -= l[i * d + k] * l[j * d + k] * piv[k];
      l[i * d + j] = t / s;
    }
  }
  return true;
}

/** How a finite sum combines its n terms, as torch's `reduction`: their mean or their sum. */
export type Reduction = 'mean' | 'sum';

/** `reduction` validated ('mean' or 'sum'), `fallback` when absent. */
export function reductionOf(value: unknown, path: string, fallback: Reduction = 'mean'): Reduction {
  if (value === undefined) return fallback;
  if (value !== 'mean' && value !== 'sum') throw invalid('E_CONFIG', path, "'mean' or 'sum'", value);
  return value;
}
