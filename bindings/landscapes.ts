// Landscape kernel calls: copy parameters and points into the heap, call the batched kernel,
// copy results out. Every function runs inside engine.run's heap scope (its caller's).

import type { Live } from './engine.ts';
import { invalid } from '../src/errors.ts';

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
export function hvps(live: Live, l: Packed, x: Float64Array, v: Float64Array, out: Float64Array, xPath: string, vPath: string): Float64Array {
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
