// Batched evaluation of any landscape: the kind is dispatched once per call, and the loop over
// points runs inside the chosen, fully inlined kernel (docs/design.md, the hot-path rule: dispatch per block, not per
// particle). Point i's coordinate j is at x + i·sp + j·sc bytes, so one kernel serves a single
// point (sc = 8), row-major batches (sp = 8d, sc = 8) and structure-of-arrays ensembles
// (sp = 8, sc = 8P). Gradients, directions and HVPs use the same layout as x.
//
// Each landscape class provides, for one point (all @inline):
//   value(p, d, x, s, w) → f;  grad(p, d, x, s, g, w, withValue) → f (writes g; f only if
//   withValue, a constant at each call site);  hvp(p, d, x, s, v, out, w)
// with p the parameter block, s the coordinate stride and w per-point scratch.

import * as K from './kinds';
import { Quadratic } from './quadratic';
import { Rosenbrock } from './rosenbrock';
import { Rastrigin } from './rastrigin';
import { Ackley } from './ackley';
import { StyblinskiTang } from './styblinskiTang';
import { Beale } from './beale';
import { Himmelblau } from './himmelblau';
import { MullerBrown } from './mullerBrown';
import { SixHumpCamel } from './sixHumpCamel';
import { Polynomial } from './polynomial';
import { DoubleWell } from './doubleWell';
import { MultiWell } from './multiWell';
import { Saddle } from './saddle';
import { MonkeySaddle } from './monkeySaddle';
import { GaussianMixture } from './gaussianMixture';
import { compositeValue, compositeGrad, compositeHvp } from './composite';
import { reparametrizeValue, reparametrizeGrad, reparametrizeHvp } from './reparametrize';
import { SimplexKL } from '../models/simplexKL';
import { BuresWasserstein } from '../models/buresWasserstein';
import { isModel, modelPointsValue, modelPointsGrad, modelPointsHvp } from '../models/dispatch';
import { linkedValue, linkedGrad, linkedHvp } from './linked';

// `changetype<L>(0)` gives a statically typed receiver, so each call below is monomorphised and
// inlined; the classes hold no fields and never read `this`'s memory.

@inline function valueLoop<L>(p: usize, d: i32, n: i32, x: usize, sp: usize, sc: usize,
                              w: usize, out: usize): void {
  const l = changetype<L>(0);
  for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), l.value(p, d, x + <usize>i * sp, sc, w));
}

// `out == 0` means only gradients are wanted: the loop is specialised so kernels can skip work
// that only the value needs (Rastrigin's cos, Rosenbrock's running sum).
// Where a landscape has `grad2` (two particles per f64x2) and particles are adjacent (sp = 8,
// structure-of-arrays blocks), pairs go through it and an odd last particle through `grad`.
@inline function gradLoop<L>(p: usize, d: i32, n: i32, x: usize, sp: usize, sc: usize,
                             g: usize, w: usize, out: usize): void {
  const l = changetype<L>(0);
  let i0 = 0;
  if (isDefined(l.grad2)) {
    if (sp == 8) {
      if (out == 0) l.grad2(p, d, x, sc, g, w, false, 0, n >> 1);
      else l.grad2(p, d, x, sc, g, w, true, out, n >> 1);
      i0 = n & ~1;
    }
  }
  if (out == 0) {
    for (let i = i0; i < n; i++) {
      const o = <usize>i * sp;
      l.grad(p, d, x + o, sc, g + o, w, false);
    }
  } else {
    for (let i = i0; i < n; i++) {
      const o = <usize>i * sp;
      store<f64>(out + (<usize>i << 3), l.grad(p, d, x + o, sc, g + o, w, true));
    }
  }
}

@inline function hvpLoop<L>(p: usize, d: i32, n: i32, x: usize, sp: usize, sc: usize,
                            v: usize, hv: usize, w: usize): void {
  const l = changetype<L>(0);
  for (let i = 0; i < n; i++) {
    const o = <usize>i * sp;
    l.hvp(p, d, x + o, sc, v + o, hv + o, w);
  }
}

/** f at n points into out[0..n). */
export function landscapeValue(kind: i32, p: usize, d: i32, n: i32, x: usize, sp: usize,
                               sc: usize, w: usize, out: usize): void {
  if (kind == K.SUM || kind == K.SHIFT) { compositeValue(kind, p, d, n, x, sp, sc, w, out); return; }
  if (kind == K.REPARAMETRIZE) { reparametrizeValue(p, d, n, x, sp, sc, w, out); return; }
  if (isModel(kind)) { modelPointsValue(kind, p, d, n, x, sp, sc, w, out); return; }
  if (kind == K.LINKED) { linkedValue(p, d, n, x, sp, sc, w, out); return; }
  switch (kind) {
    case K.QUADRATIC: valueLoop<Quadratic>(p, d, n, x, sp, sc, w, out); break;
    case K.ROSENBROCK: valueLoop<Rosenbrock>(p, d, n, x, sp, sc, w, out); break;
    case K.RASTRIGIN: valueLoop<Rastrigin>(p, d, n, x, sp, sc, w, out); break;
    case K.ACKLEY: valueLoop<Ackley>(p, d, n, x, sp, sc, w, out); break;
    case K.STYBLINSKI_TANG: valueLoop<StyblinskiTang>(p, d, n, x, sp, sc, w, out); break;
    case K.BEALE: valueLoop<Beale>(p, d, n, x, sp, sc, w, out); break;
    case K.HIMMELBLAU: valueLoop<Himmelblau>(p, d, n, x, sp, sc, w, out); break;
    case K.MULLER_BROWN: valueLoop<MullerBrown>(p, d, n, x, sp, sc, w, out); break;
    case K.SIX_HUMP_CAMEL: valueLoop<SixHumpCamel>(p, d, n, x, sp, sc, w, out); break;
    case K.POLYNOMIAL: valueLoop<Polynomial>(p, d, n, x, sp, sc, w, out); break;
    case K.DOUBLE_WELL: valueLoop<DoubleWell>(p, d, n, x, sp, sc, w, out); break;
    case K.MULTI_WELL: valueLoop<MultiWell>(p, d, n, x, sp, sc, w, out); break;
    case K.SADDLE: valueLoop<Saddle>(p, d, n, x, sp, sc, w, out); break;
    case K.MONKEY_SADDLE: valueLoop<MonkeySaddle>(p, d, n, x, sp, sc, w, out); break;
    case K.GAUSSIAN_MIXTURE: valueLoop<GaussianMixture>(p, d, n, x, sp, sc, w, out); break;
    case K.SIMPLEX_KL: valueLoop<SimplexKL>(p, d, n, x, sp, sc, w, out); break;
    case K.BURES_WASSERSTEIN: valueLoop<BuresWasserstein>(p, d, n, x, sp, sc, w, out); break;
    default: unreachable();
  }
}

/** ∇f at n points into g (same layout as x); f into out[0..n) unless out is 0. */
export function landscapeGrad(kind: i32, p: usize, d: i32, n: i32, x: usize, sp: usize,
                              sc: usize, g: usize, w: usize, out: usize): void {
  if (kind == K.SUM || kind == K.SHIFT) { compositeGrad(kind, p, d, n, x, sp, sc, g, w, out); return; }
  if (kind == K.REPARAMETRIZE) { reparametrizeGrad(p, d, n, x, sp, sc, g, w, out); return; }
  if (isModel(kind)) { modelPointsGrad(kind, p, d, n, x, sp, sc, g, w, out); return; }
  if (kind == K.LINKED) { linkedGrad(p, d, n, x, sp, sc, g, w, out); return; }
  switch (kind) {
    case K.QUADRATIC: gradLoop<Quadratic>(p, d, n, x, sp, sc, g, w, out); break;
    case K.ROSENBROCK: gradLoop<Rosenbrock>(p, d, n, x, sp, sc, g, w, out); break;
    case K.RASTRIGIN: gradLoop<Rastrigin>(p, d, n, x, sp, sc, g, w, out); break;
    case K.ACKLEY: gradLoop<Ackley>(p, d, n, x, sp, sc, g, w, out); break;
    case K.STYBLINSKI_TANG: gradLoop<StyblinskiTang>(p, d, n, x, sp, sc, g, w, out); break;
    case K.BEALE: gradLoop<Beale>(p, d, n, x, sp, sc, g, w, out); break;
    case K.HIMMELBLAU: gradLoop<Himmelblau>(p, d, n, x, sp, sc, g, w, out); break;
    case K.MULLER_BROWN: gradLoop<MullerBrown>(p, d, n, x, sp, sc, g, w, out); break;
    case K.SIX_HUMP_CAMEL: gradLoop<SixHumpCamel>(p, d, n, x, sp, sc, g, w, out); break;
    case K.POLYNOMIAL: gradLoop<Polynomial>(p, d, n, x, sp, sc, g, w, out); break;
    case K.DOUBLE_WELL: gradLoop<DoubleWell>(p, d, n, x, sp, sc, g, w, out); break;
    case K.MULTI_WELL: gradLoop<MultiWell>(p, d, n, x, sp, sc, g, w, out); break;
    case K.SADDLE: gradLoop<Saddle>(p, d, n, x, sp, sc, g, w, out); break;
    case K.MONKEY_SADDLE: gradLoop<MonkeySaddle>(p, d, n, x, sp, sc, g, w, out); break;
    case K.GAUSSIAN_MIXTURE: gradLoop<GaussianMixture>(p, d, n, x, sp, sc, g, w, out); break;
    case K.SIMPLEX_KL: gradLoop<SimplexKL>(p, d, n, x, sp, sc, g, w, out); break;
    case K.BURES_WASSERSTEIN: gradLoop<BuresWasserstein>(p, d, n, x, sp, sc, g, w, out); break;
    default: unreachable();
  }
}

/** ∇²f(x_i) v_i at n points into hv (same layout as x and v). */
export function landscapeHvp(kind: i32, p: usize, d: i32, n: i32, x: usize, sp: usize,
                             sc: usize, v: usize, hv: usize, w: usize): void {
  if (kind == K.SUM || kind == K.SHIFT) { compositeHvp(kind, p, d, n, x, sp, sc, v, hv, w); return; }
  if (kind == K.REPARAMETRIZE) { reparametrizeHvp(p, d, n, x, sp, sc, v, hv, w); return; }
  if (isModel(kind)) { modelPointsHvp(kind, p, d, n, x, sp, sc, v, hv, w); return; }
  if (kind == K.LINKED) { linkedHvp(p, d, n, x, sp, sc, v, hv, w); return; }
  switch (kind) {
    case K.QUADRATIC: hvpLoop<Quadratic>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.ROSENBROCK: hvpLoop<Rosenbrock>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.RASTRIGIN: hvpLoop<Rastrigin>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.ACKLEY: hvpLoop<Ackley>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.STYBLINSKI_TANG: hvpLoop<StyblinskiTang>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.BEALE: hvpLoop<Beale>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.HIMMELBLAU: hvpLoop<Himmelblau>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.MULLER_BROWN: hvpLoop<MullerBrown>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.SIX_HUMP_CAMEL: hvpLoop<SixHumpCamel>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.POLYNOMIAL: hvpLoop<Polynomial>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.DOUBLE_WELL: hvpLoop<DoubleWell>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.MULTI_WELL: hvpLoop<MultiWell>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.SADDLE: hvpLoop<Saddle>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.MONKEY_SADDLE: hvpLoop<MonkeySaddle>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.GAUSSIAN_MIXTURE: hvpLoop<GaussianMixture>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.SIMPLEX_KL: hvpLoop<SimplexKL>(p, d, n, x, sp, sc, v, hv, w); break;
    case K.BURES_WASSERSTEIN: hvpLoop<BuresWasserstein>(p, d, n, x, sp, sc, v, hv, w); break;
    default: unreachable();
  }
}

/**
 * Dense Hessian at one contiguous point, row-major d×d into `out`, assembled column by column
 * from exact HVPs with unit vectors (so it is exact wherever the HVP is), then symmetrised as
 * ½(H + Hᵀ), which only removes rounding differences. `e` is scratch for d doubles.
 */
export function landscapeHessian(kind: i32, p: usize, d: i32, x: usize, w: usize, e: usize,
                                 col: usize, out: usize): void {
  if (kind == K.QUADRATIC) {
    // H = A, read directly (d² instead of d HVPs of d² each; hessianAligned noise calls this per
    // particle and step). Column j of the HVP path is Σ_k A_ik (e_j)_k = 0 + … + A_ij·1 + … with
    // ±0 terms, which is A_ij + 0.0 bit for bit (only −0 entries change, to +0): so is this.
    for (let q = 0; q < d * d; q++) store<f64>(out + (<usize>q << 3), load<f64>(p + (<usize>q << 3)) + 0.0);
  } else {
    hessianColumns(kind, p, d, x, w, e, col, out);
  }
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      const a = out + (<usize>(i * d + j) << 3), b = out + (<usize>(j * d + i) << 3);
      const m = 0.5 * (load<f64>(a) + load<f64>(b));
      store<f64>(a, m);
      store<f64>(b, m);
    }
  }
}

/** out[i·d + j] = (∇²f(x) e_j)_i: column by column from exact HVPs. */
function hessianColumns(kind: i32, p: usize, d: i32, x: usize, w: usize, e: usize, col: usize, out: usize): void {
  for (let j = 0; j < d; j++) store<f64>(e + (<usize>j << 3), 0.0);
  for (let j = 0; j < d; j++) {
    store<f64>(e + (<usize>j << 3), 1.0);
    landscapeHvp(kind, p, d, 1, x, 0, 8, e, col, w);
    store<f64>(e + (<usize>j << 3), 0.0);
    for (let i = 0; i < d; i++) store<f64>(out + (<usize>(i * d + j) << 3), load<f64>(col + (<usize>i << 3)));
  }
}
