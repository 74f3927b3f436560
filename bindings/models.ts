// Model kernel calls (θ contiguous): copy parameters, point and directions into the heap, call,
// copy results out. Every function runs inside engine.run's heap scope (its caller's).

import type { Live } from './engine.ts';
import { pushChecked, type Packed } from './landscapes.ts';


// Landscape scratch of a model is θ copy | v copy | result | finite-sum scratch (assembly/models/dispatch.ts).
function upload(live: Live, m: Packed, th: Float64Array, path: string): { p: number; t: number; w: number } {
  const p = live.heap.pushF64(m.params, 'model parameters');
  const t = pushChecked(live, th, path);
  const w = live.heap.allocF64(m.scratch - 3 * m.dim, 'model scratch');
  return { p, t, w };
}

/** Which product {@link product} computes. */
export type Product = 'ggn' | 'fisherEmpirical';

/** G v or F_emp v at θ. */
export function product(live: Live, m: Packed, which: Product, th: Float64Array, v: Float64Array, out: Float64Array,
  path: string, vPath: string): Float64Array {
  const { p, t, w } = upload(live, m, th, path);
  const vp = pushChecked(live, v, vPath);
  const op = live.heap.allocF64(m.dim, 'product');
  if (which === 'ggn') live.exports.modelGgnvp(m.id, p, m.dim, t, vp, op, w);
  else live.exports.modelFisherVp(m.id, p, m.dim, t, vp, op, w);
  return live.heap.copyOutF64(op, m.dim, out);
}

/** Per-example losses (n) and gradients (n × d). */
export function perExample(live: Live, m: Packed, n: number, th: Float64Array, losses: Float64Array, grads: Float64Array,
  path: string): void {
  const { p, t, w } = upload(live, m, th, path);
  const lp = live.heap.allocF64(n, 'per-example losses');
  const gp = live.heap.allocF64(n * m.dim, 'per-example gradients');
  live.exports.modelPerExample(m.id, p, m.dim, t, lp, gp, w);
  live.heap.copyOutF64(lp, n, losses);
  live.heap.copyOutF64(gp, n * m.dim, grads);
}

/** Minibatch loss and gradient over the given example indices. */
export function batch(live: Live, m: Packed, th: Float64Array, indices: Int32Array, g: Float64Array, path: string): number {
  const { p, t, w } = upload(live, m, th, path);
  const ip = live.heap.alloc(4 * indices.length, 'batch indices');
  live.heap.u32(ip, indices.length).set(indices);
  const gp = live.heap.allocF64(m.dim, 'batch gradient');
  const f = live.exports.modelBatch(m.id, p, m.dim, t, ip, indices.length, gp, w, 0, 0, 0, 0, 0);
  live.heap.copyOutF64(gp, m.dim, g);
  return f;
}
