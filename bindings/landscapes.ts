// Landscape kernel calls: copy parameters and points into the heap, call the batched kernel,
// copy results out. Every function runs inside engine.run's heap scope (its caller's).

import { current, type Live } from './engine.ts';
import { invalid } from './errors.ts';
import type { Link } from './linked.ts';

/** What a landscape needs in wasm: its packed parameters and per-evaluation scratch. */
export interface Packed {
  /** Kind id (bindings/kinds.ts). */
  readonly id: number;
  /** Dimension. */
  readonly dim: number;
  /** Parameter block, laid out as the kernel's doc comment says. */
  readonly params: Float64Array;
  /** Doubles of scratch one evaluation needs. */
  readonly scratch: number;
  /** Modules linked at run time that the kernels call (an expression's, a callback's, or a composite's parts'). */
  readonly links?: readonly Link[];
}

interface Uploaded { p: number; w: number }

/**
 * Copy points into the heap and check them there (SIMD) — cheaper than a JS scan. `path` names
 * the argument in the error (E_INPUT with the first bad index).
 */
export function pushChecked(live: Live, values: Float64Array, path: string): number {
  const ptr = live.heap.pushF64(values, path);
  const bad = live.exports.firstNonFinite(ptr, values.length);
  if (bad >= 0) throw invalid('E_INPUT', `${path}[${bad}]`, 'a finite number', values[bad]);
  return ptr;
}

function upload(live: Live, l: Packed): Uploaded {
  const p = live.heap.pushF64(l.params, 'landscape parameters');
  const w = live.heap.allocF64(l.scratch, 'landscape scratch');
  return { p, w };
}

/** f at n row-major points `x` (n·d) into `out` (n). */
export function values(live: Live, l: Packed, x: Float64Array, out: Float64Array, path: string): Float64Array {
  const n = x.length / l.dim;
  const { p, w } = upload(live, l);
  const xp = pushChecked(live, x, path);
  const op = live.heap.allocF64(n, 'values');
  live.exports.landscapeValue(l.id, p, l.dim, n, xp, 8 * l.dim, 8, w, op);
  return live.heap.copyOutF64(op, n, out);
}

/**
 * ∇f at n row-major points into `g` (n·d). Returns f at the first point when `withValue`
 * (single-point calls); otherwise the kernel skips value-only work and returns NaN.
 */
export function grads(live: Live, l: Packed, x: Float64Array, g: Float64Array, path: string, withValue: boolean): number {
  const n = x.length / l.dim;
  const { p, w } = upload(live, l);
  const xp = pushChecked(live, x, path);
  const gp = live.heap.allocF64(x.length, 'gradients');
  const fp = withValue ? live.heap.allocF64(n, 'values') : 0;
  live.exports.landscapeGrad(l.id, p, l.dim, n, xp, 8 * l.dim, 8, gp, w, fp);
  live.heap.copyOutF64(gp, x.length, g);
  return withValue ? live.heap.readF64(fp) : NaN;
}

/** ∇²f(x_i) v_i for n row-major points and directions into `out` (n·d). */
export function hvps(live: Live, l: Packed, x: Float64Array, v: Float64Array, out: Float64Array, xPath: string,
  vPath: string): Float64Array {
  const n = x.length / l.dim;
  const { p, w } = upload(live, l);
  const xp = pushChecked(live, x, xPath);
  const vp = pushChecked(live, v, vPath);
  const hp = live.heap.allocF64(x.length, 'Hessian-vector products');
  live.exports.landscapeHvp(l.id, p, l.dim, n, xp, 8 * l.dim, 8, vp, hp, w);
  return live.heap.copyOutF64(hp, x.length, out);
}

/** Dense row-major Hessian at one point into `out` (d²). */
export function hessian(live: Live, l: Packed, x: Float64Array, out: Float64Array, path: string): Float64Array {
  const d = l.dim;
  const { p, w } = upload(live, l);
  const xp = pushChecked(live, x, path);
  const e = live.heap.allocF64(d, 'Hessian scratch');
  const col = live.heap.allocF64(d, 'Hessian scratch');
  const hp = live.heap.allocF64(d * d, 'Hessian');
  live.exports.landscapeHessian(l.id, p, d, xp, w, e, col, hp);
  return live.heap.copyOutF64(hp, d * d, out);
}

// ---------------------------------------------------------------------------------------------
// Single points without a scope. A landscape whose parameters, scratch and four vectors fit the
// heap's fixed region (Heap.region) evaluates one point there: its parameters are copied in once
// (again only after another landscape used the region), the point is copied in and checked as it
// goes, and nothing is allocated, pushed or released. Anything unusual (another input type, a
// wrong length, a non-finite coordinate, an `out` of the wrong kind) returns false, and the
// caller takes the general path, which computes the same bits or throws the usual error.

/** Points of at most this many coordinates are copied and checked in a JS loop; longer ones by `set` and the SIMD check. */
const SHORT = 16;

/** A landscape's layout in the region of one instance (byte addresses, each 16-byte aligned). */
export interface Slot {
  /** The instance it belongs to; a slot of a replaced instance is stale. */
  readonly live: Live;
  /** Whether everything fits the region (if not, every call takes the general path). */
  readonly fits: boolean;
  readonly id: number;
  readonly dim: number;
  readonly params: Float64Array;
  /** Parameters, scratch, x, v, result (dim), value (1 double). */
  readonly p: number; readonly w: number; readonly x: number; readonly v: number; readonly r: number; readonly f: number;
}

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** The slot of packed landscape `l` in `live`'s region. */
export function slot(live: Live, l: Packed): Slot {
  const at = live.heap.region, vec = align16(8 * l.dim);
  const p = at, w = p + align16(8 * l.params.length), x = w + align16(8 * l.scratch), v = x + vec, r = v + vec, f = r + vec;
  const fits = f + 16 <= at + live.heap.regionBytes;
  return { live, fits, id: l.id, dim: l.dim, params: l.params, p, w, x, v, r, f };
}

/** Whether `s` can be used now (its instance is the live one and it fits). */
function usable(s: Slot | undefined): s is Slot {
  return s !== undefined && s.fits && s.live === current();
}

/** Copy point `x` to byte address `at`, checking it: false if it is not `dim` finite numbers in a Float64Array or array. */
function load(s: Slot, all: Float64Array, x: unknown, at: number): boolean {
  const d = s.dim, o = at >>> 3;
  if (x instanceof Float64Array) {
    if (x.length !== d) return false;
    if (d > SHORT) {
      all.set(x, o);
      return s.live.exports.firstNonFinite(at, d) < 0;
    }
    for (let i = 0; i < d; i++) {
      const xi = x[i];
      if (xi - xi !== 0) return false; // NaN or ±Infinity
      all[o + i] = xi;
    }
    return true;
  }
  if (!Array.isArray(x) || x.length !== d) return false;
  for (let i = 0; i < d; i++) {
    const xi: unknown = x[i];
    if (typeof xi !== 'number' || xi - xi !== 0) return false;
    all[o + i] = xi;
  }
  return true;
}

/** Whether `out` is undefined or a Float64Array of `n`. */
function fitsOut(out: unknown, n: number): boolean {
  return out === undefined || (out instanceof Float64Array && out.length === n);
}

/** The region's view, with `s`'s parameters in it. */
function own(s: Slot): Float64Array {
  const heap = s.live.heap, all = heap.all;
  if (heap.regionOwner !== s) {
    all.set(s.params, s.p >>> 3);
    heap.regionOwner = s;
  }
  return all;
}

/** Copy `n` doubles at byte address `at` into `out`. */
function store(all: Float64Array, at: number, n: number, out: Float64Array): Float64Array {
  const o = at >>> 3;
  if (n > SHORT) out.set(all.subarray(o, o + n));
  else for (let i = 0; i < n; i++) out[i] = all[o + i];
  return out;
}

/** f(x) on slot `s`, or undefined (take the general path). */
export function valueAt(s: Slot | undefined, x: unknown): number | undefined {
  if (!usable(s)) return undefined;
  const all = own(s);
  if (!load(s, all, x, s.x)) return undefined;
  s.live.exports.landscapeValue(s.id, s.p, s.dim, 1, s.x, 8 * s.dim, 8, s.w, s.f);
  return all[s.f >>> 3];
}

/**
 * ∇f(x) on slot `s` into `out` (a new array if undefined), or undefined (take the general path).
 * With `withValue`, f(x) is computed too: read it with {@link lastValue}.
 */
export function gradAt(s: Slot | undefined, x: unknown, out: Float64Array | undefined, withValue: boolean): Float64Array | undefined {
  if (!usable(s) || !fitsOut(out, s.dim)) return undefined;
  const all = own(s);
  if (!load(s, all, x, s.x)) return undefined;
  const d = s.dim;
  s.live.exports.landscapeGrad(s.id, s.p, d, 1, s.x, 8 * d, 8, s.r, s.w, withValue ? s.f : 0);
  return store(all, s.r, d, out ?? new Float64Array(d));
}

/** f(x) of the last `gradAt(s, …, true)`. */
export function lastValue(s: Slot): number {
  return s.live.heap.all[s.f >>> 3];
}

/** ∇²f(x)·v on slot `s` into `out` (a new array if undefined), or undefined (take the general path). */
export function hvpAt(s: Slot | undefined, x: unknown, v: unknown, out: Float64Array | undefined): Float64Array | undefined {
  if (!usable(s) || !fitsOut(out, s.dim)) return undefined;
  const all = own(s);
  if (!load(s, all, x, s.x) || !load(s, all, v, s.v)) return undefined;
  const d = s.dim;
  s.live.exports.landscapeHvp(s.id, s.p, d, 1, s.x, 8 * d, 8, s.v, s.r, s.w);
  return store(all, s.r, d, out ?? new Float64Array(d));
}
