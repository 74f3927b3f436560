// Model kernels by kind: the kind is dispatched once per call; the loops over examples run inside
// the chosen, inlined model (finiteSum.ts). Two entry families:
//   model*      θ contiguous (the Model API: value, gradient, HVP, GGN, Fisher, per-example, batch)
//   modelPoints n points in any layout (sp, sc) as landscapes take them (dispatch.ts): each
//               point is gathered into scratch, evaluated, and its result scattered back.
// Landscape scratch for a model: θ copy (d) | v copy (d) | result (d) | finite-sum scratch.

import { MLP, DIAGONAL_LINEAR, MATRIX_FACTORIZATION } from '../landscapes/kinds';
import { Mlp } from './mlp';
import { DiagonalLinear } from './diagonalLinear';
import { MatrixFactorization } from './matrixFactorization';
import { fsValue, fsGrad, fsHvp, fsGgnvp, fsFisherVp, fsPerExample, fsBatch } from './finiteSum';

/** Is `kind` a finite-sum model? */
@inline export function isModel(kind: i32): bool { return kind >= MLP && kind <= MATRIX_FACTORIZATION; }

/** L(θ). */
export function modelValue(kind: i32, p: usize, d: i32, th: usize, w: usize): f64 {
  switch (kind) {
    case MLP: return fsValue<Mlp>(p, d, th, w);
    case DIAGONAL_LINEAR: return fsValue<DiagonalLinear>(p, d, th, w);
    default: return fsValue<MatrixFactorization>(p, d, th, w);
  }
}

/** g = ∇L(θ); returns L(θ). */
export function modelGrad(kind: i32, p: usize, d: i32, th: usize, g: usize, w: usize): f64 {
  switch (kind) {
    case MLP: return fsGrad<Mlp>(p, d, th, g, w);
    case DIAGONAL_LINEAR: return fsGrad<DiagonalLinear>(p, d, th, g, w);
    default: return fsGrad<MatrixFactorization>(p, d, th, g, w);
  }
}

/** hv = ∇²L(θ) v. */
export function modelHvp(kind: i32, p: usize, d: i32, th: usize, v: usize, hv: usize, w: usize): void {
  switch (kind) {
    case MLP: fsHvp<Mlp>(p, d, th, v, hv, w); break;
    case DIAGONAL_LINEAR: fsHvp<DiagonalLinear>(p, d, th, v, hv, w); break;
    default: fsHvp<MatrixFactorization>(p, d, th, v, hv, w);
  }
}

/** out = G(θ) v; also the true Fisher (docs/models.md). */
export function modelGgnvp(kind: i32, p: usize, d: i32, th: usize, v: usize, out: usize, w: usize): void {
  switch (kind) {
    case MLP: fsGgnvp<Mlp>(p, d, th, v, out, w); break;
    case DIAGONAL_LINEAR: fsGgnvp<DiagonalLinear>(p, d, th, v, out, w); break;
    default: fsGgnvp<MatrixFactorization>(p, d, th, v, out, w);
  }
}

/** out = F_emp(θ) v. */
export function modelFisherVp(kind: i32, p: usize, d: i32, th: usize, v: usize, out: usize, w: usize): void {
  switch (kind) {
    case MLP: fsFisherVp<Mlp>(p, d, th, v, out, w); break;
    case DIAGONAL_LINEAR: fsFisherVp<DiagonalLinear>(p, d, th, v, out, w); break;
    default: fsFisherVp<MatrixFactorization>(p, d, th, v, out, w);
  }
}

/** Per-example losses (n) and gradients (n × d). */
export function modelPerExample(kind: i32, p: usize, d: i32, th: usize, losses: usize, grads: usize, w: usize): void {
  switch (kind) {
    case MLP: fsPerExample<Mlp>(p, d, th, losses, grads, w); break;
    case DIAGONAL_LINEAR: fsPerExample<DiagonalLinear>(p, d, th, losses, grads, w); break;
    default: fsPerExample<MatrixFactorization>(p, d, th, losses, grads, w);
  }
}

/** Minibatch gradient over b indices (idx = 0: all examples); see fsBatch. */
export function modelBatch(kind: i32, p: usize, d: i32, th: usize, idx: usize, b: i32, g: usize, w: usize,
                           lq: usize, k0: u32, k1: u32, particle: u32, step: u32): f64 {
  switch (kind) {
    case MLP: return fsBatch<Mlp>(p, d, th, idx, b, g, w, lq, k0, k1, particle, step);
    case DIAGONAL_LINEAR: return fsBatch<DiagonalLinear>(p, d, th, idx, b, g, w, lq, k0, k1, particle, step);
    default: return fsBatch<MatrixFactorization>(p, d, th, idx, b, g, w, lq, k0, k1, particle, step);
  }
}

@inline function gather(x: usize, sc: usize, d: i32, to: usize): usize {
  if (sc == 8) return x;
  for (let j = 0; j < d; j++) store<f64>(to + (<usize>j << 3), load<f64>(x + <usize>j * sc));
  return to;
}

@inline function scatter(from: usize, x: usize, sc: usize, d: i32): void {
  if (sc == 8) return;
  for (let j = 0; j < d; j++) store<f64>(x + <usize>j * sc, load<f64>(from + (<usize>j << 3)));
}

/** f at n points (landscape layout). */
export function modelPointsValue(kind: i32, p: usize, d: i32, n: i32, x: usize, sp: usize, sc: usize, w: usize, out: usize): void {
  const fw = w + (<usize>(3 * d) << 3);
  for (let i = 0; i < n; i++) {
    const th = gather(x + <usize>i * sp, sc, d, w);
    store<f64>(out + (<usize>i << 3), modelValue(kind, p, d, th, fw));
  }
}

/** ∇f (and f into out unless 0) at n points (landscape layout). */
export function modelPointsGrad(kind: i32, p: usize, d: i32, n: i32, x: usize, sp: usize, sc: usize, g: usize, w: usize, out: usize): void {
  const fw = w + (<usize>(3 * d) << 3);
  const gc = w + (<usize>(2 * d) << 3);
  for (let i = 0; i < n; i++) {
    const th = gather(x + <usize>i * sp, sc, d, w);
    const gi = g + <usize>i * sp;
    const f = modelGrad(kind, p, d, th, sc == 8 ? gi : gc, fw);
    scatter(gc, gi, sc, d);
    if (out != 0) store<f64>(out + (<usize>i << 3), f);
  }
}

/** ∇²f v at n points (landscape layout). */
export function modelPointsHvp(kind: i32, p: usize, d: i32, n: i32, x: usize, sp: usize, sc: usize, v: usize, hv: usize, w: usize): void {
  const fw = w + (<usize>(3 * d) << 3);
  const vc = w + (<usize>d << 3), hc = w + (<usize>(2 * d) << 3);
  for (let i = 0; i < n; i++) {
    const o = <usize>i * sp;
    const th = gather(x + o, sc, d, w);
    const vi = gather(v + o, sc, d, vc);
    modelHvp(kind, p, d, th, vi, sc == 8 ? hv + o : hc, fw);
    scatter(hc, hv + o, sc, d);
  }
}
