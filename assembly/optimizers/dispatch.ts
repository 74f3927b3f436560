// Every step kind, in one place. `stepBlock` steps a block of the ensemble with whatever the run's
// rule is: an optimiser (optimizerStep: the kind is dispatched once per call, a block of particles
// or one point, and each kernel's loop runs inside), a sampler (Langevin kernels, MALA), or a
// curvature-aware optimiser (run/curvature.ts), or a distributed or variance-reduced one
// (run/distributed.ts). Also: how many state slots (n doubles each) a kind
// needs, how they start, and where its gradient is taken.
//
// Steps are numbered t = 0, 1, 2, …; torch's step count is t + 1. Per-step scalars (bias
// corrections, NAdam's μ product, Adagrad's decayed rate, Nesterov's β_t) are computed here from
// t, so a step's arithmetic is the same however the run is chunked. `r` holds per-run scalars
// that carry across steps (NAdam: Π μ), in memory so chunks can resume.

import * as K from './kinds';
import { sgdStep } from './sgd';
import { adamStep } from './adam';
import { rmspropStep } from './rmsprop';
import { adagradStep } from './adagrad';
import { nadamStep } from './nadam';
import { lionStep } from './lion';
import { heavyBallStep } from './heavyBall';
import { nesterovLookahead, nesterovStep } from './nesterovGD';
import { ulaStep, underdampedStep } from '../samplers/langevin';
import { MALA_SLOTS, malaStep } from '../samplers/mala';
import { MH_SLOTS, mhStep } from '../samplers/metropolisHastings';
import { isSampler, isCurvature, ownsGradient } from './kinds';
import * as D from '../run/descriptor';
import { u, i, key } from '../run/descriptor';
import { learningRate } from '../schedules';
import { curvatureBlock } from '../run/curvature';
import { distributedBlock } from '../run/distributed';
import { asyncGradPoint } from './asyncSGD';

/**
 * Sampler step t on a d × B block of particles p0 … p0+B−1 at step size h (the schedule's η_t),
 * gradient g at x, state s (slots × stride bytes apart), draws under key (k0, k1).
 */
export function samplerStep(kind: i32, hp: usize, t: i32, h: f64, d: i32, B: i32, p0: u32, k0: u32, k1: u32,
                            x: usize, g: usize, s: usize): void {
  if (kind == K.ULA || kind == K.SGLD) ulaStep(d, B, p0, <u32>t, k0, k1, x, g, h, load<f64>(hp, K.LANGEVIN_TEMPERATURE << 3));
  else if (kind == K.UNDERDAMPED) underdampedStep(d, B, p0, <u32>t, k0, k1, x, g, s, h,
    load<f64>(hp, K.UNDERDAMPED_FRICTION << 3), load<f64>(hp, K.UNDERDAMPED_MASS << 3),
    load<f64>(hp, K.UNDERDAMPED_TEMPERATURE << 3), <i32>load<f64>(hp, K.UNDERDAMPED_INTEGRATOR << 3));
  else unreachable();
}

/** Hyperparameter i (an offset named in kinds.ts) of h at p. */
@inline function h(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }

/** State slots (of n doubles each) kind `kind` with hyperparameters `hp` needs. */
export function optimizerSlots(kind: i32, hp: usize): i32 {
  switch (kind) {
    case K.SGD: return h(hp, K.SGD_MOMENTUM) != 0.0 ? 1 : 0;
    case K.ADAM: case K.ADAMW: return h(hp, K.ADAM_AMSGRAD) != 0.0 ? 3 : 2;
    case K.RMSPROP: return 3;
    case K.ADAGRAD: return 1;
    case K.NADAM: return 2;
    case K.LION: return 1;
    case K.HEAVY_BALL: return 1;
    case K.NESTEROV_GD: return 2; // x_{t−1}, and y_t (where the gradient is taken)
    case K.ULA: return 0;
    case K.UNDERDAMPED: return 1; // velocity, v₀ = 0
    case K.MALA: return MALA_SLOTS; // scratch: proposal, its gradient, U(x) | U(y)
    case K.SGLD: return 0;
    case K.METROPOLIS_HASTINGS: return MH_SLOTS; // scratch: proposal, U(y)
    case K.SVGD: // its inner optimiser's (samplers/svgd.ts)
      return h(hp, K.SVGD_INNER) < 0.0 ? 0 : optimizerSlots(<i32>h(hp, K.SVGD_INNER), hp + (<usize>K.SVGD_INNER_HYPER << 3));
    case K.SAM: return h(hp, K.SAM_MOMENTUM) != 0.0 ? 1 : 0; // momentum buffer
    case K.PERTURBED_GD: return 1; // t of the last perturbation (row 0), −∞ at first
    case K.NEWTON_CG: case K.NATURAL_GRADIENT: case K.SADDLE_FREE_NEWTON: return 0; // work space: run/curvature.ts
    case K.SME: return h(hp, K.SME_DELAY) > 0.0 ? 1 : 0; // the asynchronous SGD SME's velocity
    case K.LOCAL_SGD: return h(hp, K.LOCAL_SGD_LOCAL_STEPS) > 1.0 ? <i32>h(hp, K.LOCAL_SGD_WORKERS) : 0; // the workers' points
    case K.ASYNC_SGD: return <i32>h(hp, K.ASYNC_SGD_MAX_DELAY) + 2; // ring of τmax + 1 iterates, gradient points
    case K.COMPRESSED_SGD: return 0;
    case K.MARINA: case K.SVRG: case K.SARAH: return 2; // previous iterate or snapshot, and an estimator or μ̃
    default: unreachable();
  }
  return 0;
}

/** Initialise state at `s` (slots × stride bytes apart) for start point x, and the run scalars r. */
export function optimizerInit(kind: i32, hp: usize, n: i32, x: usize, s: usize, stride: usize, r: usize): void {
  if (kind == K.SVGD && h(hp, K.SVGD_INNER) >= 0.0) {
    optimizerInit(<i32>h(hp, K.SVGD_INNER), hp + (<usize>K.SVGD_INNER_HYPER << 3), n, x, s, stride, r); return;
  } // SVGD's inner optimiser
  const slots = optimizerSlots(kind, hp);
  for (let k = 0; k < slots; k++) memory.fill(s + <usize>k * stride, 0, <usize>n << 3);
  if (kind == K.ADAGRAD) {
    const init = h(hp, K.ADAGRAD_INITIAL_ACCUMULATOR);
    for (let i = 0; i < n; i++) store<f64>(s + (<usize>i << 3), init);
  } else if (kind == K.PERTURBED_GD) {
    for (let i = 0; i < n; i++) store<f64>(s + (<usize>i << 3), -Infinity);
  } else if (kind == K.HEAVY_BALL || kind == K.NESTEROV_GD) {
    memory.copy(s, x, <usize>n << 3); // x_{−1} = x₀
  }
  store<f64>(r, 1.0); // NAdam's Π μ starts at 1
}

/** Nesterov's β_t: constant, or t/(t + 3) when the configured β is negative. */
@inline function nesterovBeta(beta: f64, t: i32): f64 {
  return beta < 0.0 ? <f64>t / (<f64>t + 3.0) : beta;
}

/**
 * Where step t's gradient is taken: x itself, or (Nesterov) the look-ahead point y_t, which this
 * call writes into its state slot. Returns the address of the point.
 */
export function optimizerGradPoint(kind: i32, hp: usize, t: i32, n: i32, x: usize, s: usize, stride: usize): usize {
  if (kind == K.NESTEROV_GD) {
    const y = s + stride;
    nesterovLookahead(n, x, s, y, nesterovBeta(h(hp, K.NESTEROV_GD_BETA), t));
    return y;
  }
  return x;
}

/**
 * Where step t's gradient is taken for block b: asynchronous SGD's stale points (optimizers/asyncSGD.ts),
 * or optimizerGradPoint's. Returns the address of the points.
 */
export function blockGradPoint(desc: usize, b: i32, t: i32, x: usize, s: usize): usize {
  const ok = i(desc, D.OK), hp = u(desc, D.HP), d = i(desc, D.DIM), B = i(desc, D.B);
  const stride = <usize>(d * B) << 3;
  if (ok == K.ASYNC_SGD) {
    return asyncGradPoint(<i32>h(hp, K.ASYNC_SGD_DELAY), <i32>h(hp, K.ASYNC_SGD_MAX_DELAY), h(hp, K.ASYNC_SGD_Q), t, d, B,
      <u32>D.firstParticle(desc, b), key(desc, D.K0), key(desc, D.K1), x, s, stride);
  }
  return optimizerGradPoint(ok, hp, t, d * B, x, s, stride);
}

/** Step t of kind `kind` at learning rate `lr` (the schedule's η_t), gradient g at the grad point. */
export function optimizerStep(kind: i32, hp: usize, t: i32, lr: f64, n: i32, x: usize, g: usize,
                              s: usize, stride: usize, r: usize): void {
  const sign = h(hp, K.H_SIGN);
  const step = <f64>(t + 1); // torch's step count
  switch (kind) {
    case K.SGD:
      sgdStep(n, x, g, s, lr, h(hp, K.SGD_MOMENTUM), h(hp, K.SGD_DAMPENING), h(hp, K.SGD_WEIGHT_DECAY), sign,
        h(hp, K.SGD_NESTEROV) != 0.0, t == 0);
      break;
    case K.ADAM: case K.ADAMW: {
      const b1 = h(hp, K.ADAM_BETA1), b2 = h(hp, K.ADAM_BETA2);
      const stepSize = lr / (1.0 - Math.pow(b1, step));
      const bc2Sqrt = Math.sqrt(1.0 - Math.pow(b2, step));
      adamStep(n, x, g, s, s + stride, s + 2 * stride, lr, b1, b2, h(hp, K.ADAM_EPS), h(hp, K.ADAM_WEIGHT_DECAY), sign,
        stepSize, bc2Sqrt, h(hp, K.ADAM_AMSGRAD) != 0.0, kind == K.ADAMW);
      break;
    }
    case K.RMSPROP:
      rmspropStep(n, x, g, s, s + stride, s + 2 * stride, lr, h(hp, K.RMSPROP_ALPHA), h(hp, K.RMSPROP_EPS),
        h(hp, K.RMSPROP_WEIGHT_DECAY), sign, h(hp, K.RMSPROP_MOMENTUM), h(hp, K.RMSPROP_CENTERED) != 0.0);
      break;
    case K.ADAGRAD:
      adagradStep(n, x, g, s, lr / (1.0 + (step - 1.0) * h(hp, K.ADAGRAD_LR_DECAY)), h(hp, K.ADAGRAD_EPS),
        h(hp, K.ADAGRAD_WEIGHT_DECAY), sign);
      break;
    case K.NADAM: {
      const b1 = h(hp, K.NADAM_BETA1), b2 = h(hp, K.NADAM_BETA2), psi = h(hp, K.NADAM_MOMENTUM_DECAY);
      const mu = b1 * (1.0 - 0.5 * Math.pow(0.96, step * psi));
      const muNext = b1 * (1.0 - 0.5 * Math.pow(0.96, (step + 1.0) * psi));
      const prod = load<f64>(r) * mu;
      store<f64>(r, prod);
      const c1 = -lr * (1.0 - mu) / (1.0 - prod);
      const c2 = (-lr * muNext) / (1.0 - prod * muNext);
      nadamStep(n, x, g, s, s + stride, b1, b2, h(hp, K.NADAM_EPS), h(hp, K.NADAM_WEIGHT_DECAY), sign, c1, c2, 1.0 - Math.pow(b2, step));
      break;
    }
    case K.LION:
      lionStep(n, x, g, s, lr, h(hp, K.LION_BETA1), h(hp, K.LION_BETA2), h(hp, K.LION_WEIGHT_DECAY), sign);
      break;
    case K.HEAVY_BALL:
      heavyBallStep(n, x, g, s, lr, h(hp, K.HEAVY_BALL_BETA), sign);
      break;
    case K.NESTEROV_GD:
      nesterovStep(n, x, g, s, s + stride, lr, sign);
      break;
    case K.ASYNC_SGD: // plain SGD on the stale gradient (optimizers/asyncSGD.ts)
      sgdStep(n, x, g, s, lr, 0.0, 0.0, 0.0, sign, false, t == 0);
      break;
    default: unreachable();
  }
}

/**
 * Step t of block b with the run's rule (descriptor slot OK) at the schedule's η_t: x the block's
 * positions, g its (noisy) gradients at the gradient point, f its losses at x (read by MALA),
 * s its state slots, r its run scalars.
 */
export function stepBlock(desc: usize, b: i32, t: i32, x: usize, g: usize, f: usize, s: usize, r: usize): void {
  const ok = i(desc, D.OK), hp = u(desc, D.HP);
  const d = i(desc, D.DIM), B = i(desc, D.B), n = d * B;
  const stride = <usize>n << 3;
  const lr = learningRate(i(desc, D.SK), u(desc, D.SQ), t);
  const p0 = <u32>D.firstParticle(desc, b), k0 = key(desc, D.K0), k1 = key(desc, D.K1);
  if (ok == K.MALA) {
    malaStep(i(desc, D.LK), u(desc, D.LP), u(desc, D.LW), d, B, p0, <u32>t, k0, k1, x, g, f, s, stride,
      u(desc, D.ACC) + (<usize>(b * B) << 2), lr, load<f64>(hp, K.LANGEVIN_TEMPERATURE << 3));
  } else if (ok == K.METROPOLIS_HASTINGS) {
    mhStep(i(desc, D.LK), u(desc, D.LP), u(desc, D.LW), d, B, p0, <u32>t, k0, k1, x, f, s, stride,
      u(desc, D.ACC) + (<usize>(b * B) << 2), hp);
  } else if (isSampler(ok)) samplerStep(ok, hp, t, lr, d, B, p0, k0, k1, x, g, s);
  else if (isCurvature(ok)) curvatureBlock(desc, b, t, lr, x, g, s);
  else if (ownsGradient(ok)) distributedBlock(desc, b, t, lr, x, s);
  else optimizerStep(ok, hp, t, lr, n, x, g, s, stride, r);
}
