// The curvature operators of the curvature-aware optimisers, at one contiguous point: the
// spectral methods' operator descriptor (assembly/spectral/operator.ts — Hessian of any landscape
// or model, Gauss–Newton = true Fisher and empirical Fisher of a finite-sum model) extended by one
// kind the spectral operators lack, the Fisher information of simplexKL's categorical
// distribution p (Amari & Nagaoka, Methods of Information Geometry, 2000, ch. 2):
//   logits θ ∈ ℝᴷ, p = softmax θ:      ∂ log p_y/∂θ_c = δ_yc − p_c,
//                                      F = diag(p) − p pᵀ,            F v = p ⊙ (v − pᵀv)
//   expectation η ∈ ℝᴷ⁻¹, p = (η, 1 − Σ η):  ∂ log p_y/∂η_c = δ_yc/η_c − δ_yK/p_K,
//                                      F = diag(1/η) + (1/p_K) 11ᵀ,   F v = v/η + (Σ_j v_j)/p_K
// The logit Fisher is singular (F1 = 0: softmax ignores a common shift of θ). Outside the open
// simplex (expectation coordinates with some p_c ≤ 0) the product is NaN, like the gradient there.

import {
  applyOp, OP_SLOTS, OP_KIND, OP_N, OP_D, OP_OFFSET, OP_LKIND, OP_PARAMS, OP_POINT, OP_SCRATCH, slotI, slotP,
} from '../spectral/operator';
import { SimplexKL } from '../models/simplexKL';

/** Operator kind of the categorical Fisher (beyond the spectral kinds 0–4). */
export const CATEGORICAL_FISHER = 16;
/** Doubles of an operator descriptor. */
export const CURVATURE_OP_SLOTS = OP_SLOTS;

@inline function put(op: usize, slot: i32, v: f64): void { store<f64>(op + (<usize>slot << 3), v); }

/**
 * Describe operator `kind` (HESSIAN, GGN, FISHER_EMP or CATEGORICAL_FISHER) of landscape (lk, lp)
 * in dimension d at the point x (d contiguous doubles). `scratch`: the landscape scratch for
 * HESSIAN and CATEGORICAL_FISHER, the finite-sum scratch (landscape scratch + 3d) for GGN and
 * FISHER_EMP, as the spectral operators take them.
 */
export function describeOperator(op: usize, kind: i32, d: i32, lk: i32, lp: usize, x: usize, scratch: usize): void {
  memory.fill(op, 0, <usize>OP_SLOTS << 3);
  put(op, OP_KIND, <f64>kind);
  put(op, OP_N, <f64>d);
  put(op, OP_D, <f64>d);
  put(op, OP_OFFSET, 0.0);
  put(op, OP_LKIND, <f64>lk);
  put(op, OP_PARAMS, <f64>lp);
  put(op, OP_POINT, <f64>x);
  put(op, OP_SCRATCH, <f64>scratch);
}

/** out = A v for the operator at `op` (v, out: d doubles, not overlapping). */
export function curvatureProduct(op: usize, v: usize, out: usize): void {
  if (slotI(op, OP_KIND) == CATEGORICAL_FISHER) {
    categoricalFisherVp(slotP(op, OP_PARAMS), slotI(op, OP_D), slotP(op, OP_POINT), v, out, slotP(op, OP_SCRATCH));
  } else {
    applyOp(op, v, out);
  }
}

/** out = F v, F the Fisher of simplexKL's categorical distribution at x (see the header); w: K doubles. */
export function categoricalFisherVp(lp: usize, d: i32, x: usize, v: usize, out: usize, w: usize): void {
  const K = <i32>load<f64>(lp);
  const inside = changetype<SimplexKL>(0).probs(lp, d, x, 8, w);
  if (load<f64>(lp, 8) == 0.0) {
    let pv = 0.0;
    for (let c = 0; c < K; c++) pv += load<f64>(w + (<usize>c << 3)) * load<f64>(v + (<usize>c << 3));
    for (let c = 0; c < K; c++) {
      store<f64>(out + (<usize>c << 3), load<f64>(w + (<usize>c << 3)) * (load<f64>(v + (<usize>c << 3)) - pv));
    }
    return;
  }
  const pK = load<f64>(w + (<usize>(K - 1) << 3));
  let sv = 0.0;
  for (let c = 0; c < K - 1; c++) sv += load<f64>(v + (<usize>c << 3));
  const tail = sv / pK;
  for (let c = 0; c < K - 1; c++) {
    store<f64>(out + (<usize>c << 3), inside ? load<f64>(v + (<usize>c << 3)) / load<f64>(w + (<usize>c << 3)) + tail : NaN);
  }
}
