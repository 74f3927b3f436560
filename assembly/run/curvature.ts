// The ensemble loop's step for curvature-aware optimisers (optimizers/kinds.ts, ids SAM …
// SADDLE_FREE_NEWTON): unlike optimizerStep they need the landscape inside their step — a second
// gradient (SAM, perturbed GD), Hessian-vector products (Newton-CG, saddle-free Newton) or Fisher
// products (natural gradient), values for a line search — so the ensemble loop hands them the
// whole descriptor. SAM and perturbed GD work on the block at once (their landscape calls are
// block calls); the Newton-type methods run one lane at a time: the lane's point and gradient
// are copied out of the blocked layout (coordinate j of lane k at 8(jB + k)) into contiguous
// scratch, the kernel moves the point, and it is copied back. Only active lanes are stepped
// (stopped ones are put back by the loop; diverged and padding lanes are excluded anyway), and a
// lane's step depends on nothing but the lane, so results do not depend on blocks, chunks,
// workers or shards.
//
// Work space (descriptor slot CVW, allocated by the bindings for these kinds only; MUST MATCH
// bindings/curvature.ts): doubles
//   [0] its size (written by the bindings; checked against curvatureWorkSize before use)
//   SAM:           samWork(d·B)
//   perturbed GD:  perturbedGDWork(d)
//   Newton-type:   operator descriptor (OP_SLOTS) | x (d) | g (d) | the kernel's work
// The landscape scratch (LW) serves every single-point evaluation here.

import * as D from './descriptor';
import { u, i, key } from './descriptor';
import * as K from '../optimizers/kinds';
import { isModel } from '../models/dispatch';
import { SIMPLEX_KL } from '../landscapes/kinds';
import { HESSIAN, GGN, FISHER_EMP } from '../spectral/operator';
import { describeOperator, CATEGORICAL_FISHER, CURVATURE_OP_SLOTS } from '../optimizers/curvatureOp';
import { samStep, samWork } from '../optimizers/sam';
import { perturbedGDStep, perturbedGDWork } from '../optimizers/perturbedGD';
import { newtonCGLane, newtonCGWork } from '../optimizers/newtonCG';
import { naturalGradientLane, naturalGradientWork } from '../optimizers/naturalGradient';
import { saddleFreeNewtonLane, saddleFreeNewtonWork } from '../optimizers/saddleFreeNewton';
import { smeLane, smeDelayLane, smeWork, smeBlockStep, smeBlockWork } from '../optimizers/sme';
import { NONE as NO_NOISE, GAUSSIAN } from '../noise/kinds';
import { noiseScale } from '../noise/apply';

@inline function h(hp: usize, k: i32): f64 { return load<f64>(hp + (<usize>k << 3)); }

/** Doubles of CVW work space kind `kind` (hyperparameters at hp) needs for dimension d, block size B. */
export function curvatureWorkSize(kind: i32, hp: usize, d: i32, B: i32): i32 {
  const lane = CURVATURE_OP_SLOTS + 2 * d;
  switch (kind) {
    case K.SAM: return 1 + samWork(d * B);
    case K.PERTURBED_GD: return 1 + perturbedGDWork(d);
    case K.NEWTON_CG: return 1 + lane + newtonCGWork(d);
    case K.NATURAL_GRADIENT: return 1 + lane + naturalGradientWork(d);
    case K.SADDLE_FREE_NEWTON: return 1 + lane + saddleFreeNewtonWork(d, <i32>h(hp, K.SADDLE_FREE_NEWTON_K));
    case K.SME: return 1 + 2 * d + smeWork(d) + smeBlockWork(d, B);
    default: unreachable();
  }
  return 0;
}

/**
 * Doubles of CVW work space the run's optimiser `kind` needs (0: not a curvature-aware kind): the
 * bindings size the buffer from this, so the layout lives in one place (it writes the size in the
 * buffer's first double, which curvatureBlock checks).
 */
export function curvatureWorkDoubles(kind: i32, hp: usize, d: i32, B: i32): i32 {
  return kind >= K.SAM && kind <= K.SME ? curvatureWorkSize(kind, hp, d, B) : 0;
}

/**
 * Optimiser step t of block b for a curvature-aware kind at learning rate lr (the schedule's η_t):
 * x the block's positions, g its gradients (noise included), s its state slots.
 */
export function curvatureBlock(desc: usize, b: i32, t: i32, lr: f64, x: usize, g: usize, s: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B);
  const lk = i(desc, D.LK), lp = u(desc, D.LP), lw = u(desc, D.LW);
  const ok = i(desc, D.OK), hp = u(desc, D.HP);
  const work = u(desc, D.CVW);
  // A work space smaller than the layout needs would be overwritten past its end: refuse (trap → E_TRAP).
  if (work == 0 || load<f64>(work) < <f64>curvatureWorkSize(ok, hp, d, B)) unreachable();
  const w = work + 8;
  const noisy = i(desc, D.NK) != 0;
  const status = u(desc, D.STATUS) + (<usize>(b * B) << 2);
  const k0 = key(desc, D.K0), k1 = key(desc, D.K1);
  if (ok == K.SAM) {
    samStep(lk, lp, lw, d, B, x, g, s, lr, h(hp, K.SAM_RHO), h(hp, K.SAM_MOMENTUM), h(hp, K.SAM_ADAPTIVE) != 0.0, noisy, t == 0, w);
    return;
  }
  if (ok == K.PERTURBED_GD) {
    perturbedGDStep(lk, lp, lw, d, B, <u32>D.firstParticle(desc, b), t, k0, k1, x, g, s, status, lr,
      h(hp, K.PERTURBED_GD_G_THRES), h(hp, K.PERTURBED_GD_T_THRES), h(hp, K.PERTURBED_GD_RADIUS), noisy, w);
    return;
  }
  if (ok == K.SME) {
    smeBlock(desc, b, t, lr, x, s, w);
    return;
  }
  // Newton-type: one lane at a time, at a contiguous copy of its point.
  const op = w, xc = op + (<usize>CURVATURE_OP_SLOTS << 3), gc = xc + (<usize>d << 3), kw = gc + (<usize>d << 3);
  let kind = HESSIAN, scratch = lw;
  if (ok == K.NATURAL_GRADIENT) {
    // The Fisher of a finite-sum model takes the finite-sum scratch after the θ | v | result copies (models/dispatch.ts).
    if (isModel(lk)) { kind = h(hp, K.NATURAL_GRADIENT_FISHER) != 0.0 ? FISHER_EMP : GGN; scratch = lw + (<usize>(3 * d) << 3); }
    else if (lk == SIMPLEX_KL) kind = CATEGORICAL_FISHER;
    else unreachable(); // rejected in TypeScript (src/optimizers/curvature.ts)
  }
  describeOperator(op, kind, d, lk, lp, xc, scratch);
  const row = <usize>B << 3;
  for (let k = 0; k < B; k++) {
    if (load<i32>(status + (<usize>k << 2)) != 0) continue; // not active
    const o0 = <usize>k << 3;
    for (let j = 0; j < d; j++) {
      const o = <usize>j * row + o0;
      store<f64>(xc + (<usize>j << 3), load<f64>(x + o));
      store<f64>(gc + (<usize>j << 3), load<f64>(g + o));
    }
    if (ok == K.NEWTON_CG) {
      newtonCGLane(op, lk, lp, lw, d, xc, gc, lr, h(hp, K.NEWTON_CG_DAMPING), <i32>h(hp, K.NEWTON_CG_CG_ITERS), h(hp, K.NEWTON_CG_CG_TOL),
        h(hp, K.NEWTON_CG_LINE_SEARCH) != 0.0, h(hp, K.NEWTON_CG_NEGATIVE_CURVATURE) == 0.0, kw);
    } else if (ok == K.NATURAL_GRADIENT) {
      naturalGradientLane(op, d, xc, gc, lr, h(hp, K.NATURAL_GRADIENT_DAMPING), <i32>h(hp, K.NATURAL_GRADIENT_CG_ITERS),
        h(hp, K.NATURAL_GRADIENT_CG_TOL), kw);
    } else if (ok == K.SADDLE_FREE_NEWTON) {
      saddleFreeNewtonLane(op, d, xc, gc, lr, h(hp, K.SADDLE_FREE_NEWTON_DAMPING), <i32>h(hp, K.SADDLE_FREE_NEWTON_K), k0, k1, kw);
    } else {
      unreachable();
    }
    for (let j = 0; j < d; j++) store<f64>(x + <usize>j * row + o0, load<f64>(xc + (<usize>j << 3)));
  }
}

/**
 * The stochastic modified equation's step (optimizers/sme.ts) for every active lane of block b,
 * at a contiguous copy of the lane's point and, for the asynchronous SGD's SME (delay τ > 0), of
 * its velocity, state slot 0 (work: x copy (d) | v copy (d) | the kernel's work). The pipeline's
 * gradient and noise draw for this step are not used: the SME draws its own, per substep.
 */
function smeBlock(desc: usize, b: i32, t: i32, eta: f64, x: usize, s: usize, w: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B);
  const lk = i(desc, D.LK), lp = u(desc, D.LP), lw = u(desc, D.LW), hp = u(desc, D.HP);
  const status = u(desc, D.STATUS) + (<usize>(b * B) << 2);
  const k0 = key(desc, D.K0), k1 = key(desc, D.K1);
  const nk = i(desc, D.NK), q = u(desc, D.NQ), m = noiseScale(desc, t);
  const order = <i32>h(hp, K.SME_ORDER), heun = h(hp, K.SME_SCHEME) != 0.0, substeps = <i32>h(hp, K.SME_SUBSTEPS);
  const sign = h(hp, K.H_SIGN), tau = h(hp, K.SME_DELAY);
  const xc = w, vc = xc + (<usize>d << 3), kw = vc + (<usize>d << 3);
  const row = <usize>B << 3;
  if (nk == NO_NOISE || nk == GAUSSIAN) {
    // The whole block at once: block gradients (and HVPs), ziggurat normals eight lanes at a time.
    smeBlockStep(lk, lp, lw, d, B, x, s, eta, sign, order, heun, substeps, tau, nk == GAUSSIAN, q, m, k0, k1,
      <u32>D.firstParticle(desc, b), t, kw + (<usize>smeWork(d) << 3));
    return;
  }
  for (let k = 0; k < B; k++) {
    if (load<i32>(status + (<usize>k << 2)) != 0) continue; // not active
    const o0 = <usize>k << 3;
    const particle = <u32>(D.firstParticle(desc, b) + k);
    for (let j = 0; j < d; j++) store<f64>(xc + (<usize>j << 3), load<f64>(x + <usize>j * row + o0));
    if (tau > 0.0) {
      for (let j = 0; j < d; j++) store<f64>(vc + (<usize>j << 3), load<f64>(s + <usize>j * row + o0));
      smeDelayLane(lk, lp, lw, d, xc, vc, eta, sign, tau, substeps, nk, q, m, k0, k1, particle, t, kw);
      for (let j = 0; j < d; j++) store<f64>(s + <usize>j * row + o0, load<f64>(vc + (<usize>j << 3)));
    } else {
      smeLane(lk, lp, lw, d, xc, eta, sign, order, heun, substeps, nk, q, m, k0, k1, particle, t, kw);
    }
    for (let j = 0; j < d; j++) store<f64>(x + <usize>j * row + o0, load<f64>(xc + (<usize>j << 3)));
  }
}
