// Landscape kernel calls: copy parameters and points into the heap, call the batched kernel,
// copy results out. Every function runs inside engine.run's heap scope (its caller's).

import type { Live } from './engine.ts';

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

function upload(live: Live, l: Packed): Uploaded {
  const p = live.heap.pushF64(l.params, 'landscape parameters');
  const w = live.heap.allocF64(l.scratch, 'landscape scratch');
  return { p, w };
}

/** f at n row-major points `x` (n·d) into `out` (n). */
export function values(live: Live, l: Packed, x: Float64Array, out: Float64Array): Float64Array {
  const n = x.length / l.dim;
  const { p, w } = upload(live, l);
  const xp = live.heap.pushF64(x, 'points');
  const op = live.heap.allocF64(n, 'values');
  live.exports.landscapeValue(l.id, p, l.dim, n, xp, 8 * l.dim, 8, w, op);
  return live.heap.copyOutF64(op, n, out);
}

/** ∇f at n row-major points into `g` (n·d); returns f at each point in `f` (n). */
export function grads(live: Live, l: Packed, x: Float64Array, g: Float64Array, f: Float64Array): void {
  const n = x.length / l.dim;
  const { p, w } = upload(live, l);
  const xp = live.heap.pushF64(x, 'points');
  const gp = live.heap.allocF64(x.length, 'gradients');
  const fp = live.heap.allocF64(n, 'values');
  live.exports.landscapeGrad(l.id, p, l.dim, n, xp, 8 * l.dim, 8, gp, w, fp);
  live.heap.copyOutF64(gp, x.length, g);
  live.heap.copyOutF64(fp, n, f);
}

/** ∇²f(x_i) v_i for n row-major points and directions into `out` (n·d). */
export function hvps(live: Live, l: Packed, x: Float64Array, v: Float64Array, out: Float64Array): Float64Array {
  const n = x.length / l.dim;
  const { p, w } = upload(live, l);
  const xp = live.heap.pushF64(x, 'points');
  const vp = live.heap.pushF64(v, 'directions');
  const hp = live.heap.allocF64(x.length, 'Hessian-vector products');
  live.exports.landscapeHvp(l.id, p, l.dim, n, xp, 8 * l.dim, 8, vp, hp, w);
  return live.heap.copyOutF64(hp, x.length, out);
}

/** Dense row-major Hessian at one point into `out` (d²). */
export function hessian(live: Live, l: Packed, x: Float64Array, out: Float64Array): Float64Array {
  const d = l.dim;
  const { p, w } = upload(live, l);
  const xp = live.heap.pushF64(x, 'point');
  const e = live.heap.allocF64(d, 'Hessian scratch');
  const col = live.heap.allocF64(d, 'Hessian scratch');
  const hp = live.heap.allocF64(d * d, 'Hessian');
  live.exports.landscapeHessian(l.id, p, d, xp, w, e, col, hp);
  return live.heap.copyOutF64(hp, d * d, out);
}
