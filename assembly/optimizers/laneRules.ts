// Optimisers as two-lane rules, for the fused block kernels (run/fused.ts). A rule has
//   coefs(hp, t, lr, row)   step t's scalars, each splatted to a v128, at row + 16k (k < ROW_COEFS):
//                           computed once per step for a whole segment of steps, with the same
//                           expressions as optimizers/dispatch.ts optimizerStep;
//   lanes(x, g, s, stride, o, c0 … c9)   the update of two lanes, x and g as values (state slot k
//                           at s + k·stride + o) with the step's scalars c0 … (loaded once per
//                           step by the caller), returning the new x: the optimiser's own two-lane
//                           function (sgd.ts sgdPlain2, sgdMomentum2, adam.ts adam2, heavyBall.ts
//                           heavyBall2), the one its block loop uses, so the bits are the same.
// Steps that need special handling stay with the general pipeline: SGD momentum's first step
// (b ← g′), amsgrad, and the kinds without a rule here (RMSprop, Adagrad, NAdam, Lion, Nesterov GD,
// samplers, curvature-aware optimisers).

import * as K from './kinds';
import { sgdSimple2, sgdPlain2, sgdMomentum2, isSimpleSgd } from './sgd';
import { adam2 } from './adam';
import { heavyBall2 } from './heavyBall';

/** v128 coefficients per step row. */
export const ROW_COEFS = 10;

/** Rule ids (0: no rule). */
export const SGD_PLAIN = 1, SGD_MOMENTUM = 2, SGD_NESTEROV = 3, ADAM = 4, ADAMW = 5, HEAVY_BALL = 6, SGD_SIMPLE = 7;

/** Hyperparameter k (an offset named in kinds.ts) of h at hp. */
@inline function h(hp: usize, k: i32): f64 { return load<f64>(hp + (<usize>k << 3)); }
@inline function put(row: usize, k: i32, v: f64): void { v128.store(row + (<usize>k << 4), f64x2.splat(v)); }

/** The rule for optimiser kind `kind` with hyperparameters hp, or 0 when it has none. */
export function laneRule(kind: i32, hp: usize): i32 {
  if (kind == K.SGD) {
    if (h(hp, K.SGD_MOMENTUM) != 0.0) return h(hp, K.SGD_NESTEROV) != 0.0 ? SGD_NESTEROV : SGD_MOMENTUM;
    return isSimpleSgd(0.0, h(hp, K.SGD_WEIGHT_DECAY), h(hp, K.H_SIGN)) ? SGD_SIMPLE : SGD_PLAIN; // as sgd.ts sgdStep chooses
  }
  if (kind == K.ADAM || kind == K.ADAMW) return h(hp, K.ADAM_AMSGRAD) != 0.0 ? 0 : kind == K.ADAM ? ADAM : ADAMW;
  if (kind == K.HEAVY_BALL) return HEAVY_BALL;
  return 0;
}

/** Does the rule's step 0 differ from the others (and so run in the general pipeline)? */
export function firstStepSpecial(rule: i32): bool { return rule == SGD_MOMENTUM || rule == SGD_NESTEROV; }

/** SGD, μ = λ = 0, σ = 1 (sgd.ts): x ← x − η·g. Row: η. */
@final export class SgdSimpleRule {
  /** Marker: run/fused.ts compiles this rule's d = 2 loop twice, with and without noise (the common case gets the fastest loop). */
  @inline ownNoiseCopies(): void {}
  @inline coefs(hp: usize, t: i32, lr: f64, row: usize): void { put(row, 0, lr); }
  @inline lanes(xv: v128, gv: v128, s: usize, stride: usize, o: usize, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128,
      c5: v128, c6: v128, c7: v128, c8: v128, c9: v128): v128 {
    return sgdSimple2(xv, gv, c0);
  }
}

/** SGD, μ = 0 (sgd.ts): x ← x − η·(σg + λx). Row: η σ λ. */
@final export class SgdPlainRule {
  @inline coefs(hp: usize, t: i32, lr: f64, row: usize): void {
    put(row, 0, lr); put(row, 1, h(hp, K.H_SIGN)); put(row, 2, h(hp, K.SGD_WEIGHT_DECAY));
  }
  @inline lanes(xv: v128, gv: v128, s: usize, stride: usize, o: usize, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128,
      c5: v128, c6: v128, c7: v128, c8: v128, c9: v128): v128 {
    return sgdPlain2(xv, gv, c0, c1, c2);
  }
}

/** SGD with momentum after its first step (sgd.ts), heavy-ball form. Row: η σ λ μ 1−τ. */
@final export class SgdMomentumRule {
  @inline coefs(hp: usize, t: i32, lr: f64, row: usize): void { momentumCoefs(hp, lr, row); }
  @inline lanes(xv: v128, gv: v128, s: usize, stride: usize, o: usize, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128,
      c5: v128, c6: v128, c7: v128, c8: v128, c9: v128): v128 {
    return sgdMomentum2(xv, gv, s, o, c0, c1, c2, c3, c4, false, false);
  }
}

/** SGD with Nesterov momentum after its first step (sgd.ts). Row: as SgdMomentumRule. */
@final export class SgdNesterovRule {
  @inline coefs(hp: usize, t: i32, lr: f64, row: usize): void { momentumCoefs(hp, lr, row); }
  @inline lanes(xv: v128, gv: v128, s: usize, stride: usize, o: usize, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128,
      c5: v128, c6: v128, c7: v128, c8: v128, c9: v128): v128 {
    return sgdMomentum2(xv, gv, s, o, c0, c1, c2, c3, c4, true, false);
  }
}

/** SGD momentum's row, with or without Nesterov: η σ λ μ 1−τ (sgdStep's scalars). */
@inline function momentumCoefs(hp: usize, lr: f64, row: usize): void {
  put(row, 0, lr); put(row, 1, h(hp, K.H_SIGN)); put(row, 2, h(hp, K.SGD_WEIGHT_DECAY)); put(row, 3, h(hp, K.SGD_MOMENTUM));
  put(row, 4, 1.0 - h(hp, K.SGD_DAMPENING));
}

/**
 * Adam without amsgrad (adam.ts). Row: β₁ 1−β₁ β₂ 1−β₂ ε σ λ η/(1−β₁ᵗ) √(1−β₂ᵗ) 1−ηλ, the scalars
 * optimizerStep and adamLoop form (t counted from 1).
 */
@final export class AdamRule {
  @inline coefs(hp: usize, t: i32, lr: f64, row: usize): void { adamCoefs(hp, t, lr, row, false); }
  @inline lanes(xv: v128, gv: v128, s: usize, stride: usize, o: usize, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128,
      c5: v128, c6: v128, c7: v128, c8: v128, c9: v128): v128 {
    return adam2(xv, gv, s, s + stride, 0, o, c0, c1, c2, c3, c4, c5, c6,
      c7, c8, c9, false, false);
  }
}

/** AdamW without amsgrad (adam.ts, decoupled). Row: as AdamRule, with λ = 0 in the gradient. */
@final export class AdamWRule {
  @inline coefs(hp: usize, t: i32, lr: f64, row: usize): void { adamCoefs(hp, t, lr, row, true); }
  @inline lanes(xv: v128, gv: v128, s: usize, stride: usize, o: usize, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128,
      c5: v128, c6: v128, c7: v128, c8: v128, c9: v128): v128 {
    return adam2(xv, gv, s, s + stride, 0, o, c0, c1, c2, c3, c4, c5, c6,
      c7, c8, c9, false, true);
  }
}

@inline function adamCoefs(hp: usize, t: i32, lr: f64, row: usize, decoupled: bool): void {
  const b1 = h(hp, K.ADAM_BETA1), b2 = h(hp, K.ADAM_BETA2), wd = h(hp, K.ADAM_WEIGHT_DECAY), step = <f64>(t + 1);
  put(row, 0, b1); put(row, 1, 1.0 - b1); put(row, 2, b2); put(row, 3, 1.0 - b2); put(row, 4, h(hp, K.ADAM_EPS));
  put(row, 5, h(hp, K.H_SIGN)); put(row, 6, decoupled ? 0.0 : wd);
  put(row, 7, lr / (1.0 - Math.pow(b1, step))); put(row, 8, Math.sqrt(1.0 - Math.pow(b2, step)));
  put(row, 9, 1.0 - lr * wd);
}

/** Polyak's heavy ball (heavyBall.ts). Row: η β σ. */
@final export class HeavyBallRule {
  @inline coefs(hp: usize, t: i32, lr: f64, row: usize): void {
    put(row, 0, lr); put(row, 1, h(hp, K.HEAVY_BALL_BETA)); put(row, 2, h(hp, K.H_SIGN));
  }
  @inline lanes(xv: v128, gv: v128, s: usize, stride: usize, o: usize, c0: v128, c1: v128, c2: v128, c3: v128, c4: v128,
      c5: v128, c6: v128, c7: v128, c8: v128, c9: v128): v128 {
    return heavyBall2(xv, gv, s, o, c0, c1, c2);
  }
}
