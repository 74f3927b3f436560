// SGD with momentum, dampening and Nesterov momentum, exactly as torch.optim.SGD (torch 1.13,
// _single_tensor_sgd). State: momentum buffer b (only when μ ≠ 0), created at the first step.
//   g′ = σ·g + λ·x                                    (maximize σ = −1; weight decay λ)
//   b ← g′                       at the first step
//   b ← μ·b + (1 − τ)·g′         afterwards           (momentum μ, dampening τ)
//   u = g′ + μ·b if nesterov else b     (u = g′ when μ = 0)
//   x ← x − η·u
// Sutskever et al. (2013) give the momentum form torch uses; Nesterov as in torch's docs.
// Without momentum, weight decay or maximize (the common case), x ← x − η·g: torch adds λ·x only
// when λ ≠ 0, and folding σ·g + 0·x into the step would cost three operations a lane for nothing.

import { effectiveGrad, effectiveGrad2 } from './common';

/**
 * One SGD step on n doubles: x, g, b (momentum buffer) contiguous. `first` marks the first step
 * (b ← g′). Hyperparameters are per-step scalars: η (lr), μ, τ, λ, σ.
 */
export function sgdStep(n: i32, x: usize, g: usize, b: usize, lr: f64, momentum: f64,
                        dampening: f64, wd: f64, sign: f64, nesterov: bool, first: bool): void {
  if (isSimpleSgd(momentum, wd, sign)) sgdSimple(n, x, g, lr);
  else if (momentum == 0.0) sgdPlain(n, x, g, lr, wd, sign);
  else if (first) sgdMomentum(n, x, g, b, lr, momentum, dampening, wd, sign, nesterov, true);
  else if (nesterov) sgdMomentum(n, x, g, b, lr, momentum, dampening, wd, sign, true, false);
  else sgdMomentum(n, x, g, b, lr, momentum, dampening, wd, sign, false, false);
}

/** x ← x − η·g applies: no momentum, weight decay or maximize (sgdStep and the fused kernels' laneRule decide by this). */
@inline export function isSimpleSgd(momentum: f64, wd: f64, sign: f64): bool {
  return momentum == 0.0 && wd == 0.0 && sign == 1.0;
}

@inline function sgdSimple(n: i32, x: usize, g: usize, lr: f64): void {
  const vlr = f64x2.splat(lr);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(x + o, sgdSimple2(v128.load(x + o), v128.load(g + o), vlr));
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(x + o, load<f64>(x + o) - lr * load<f64>(g + o));
  }
}

@inline function sgdPlain(n: i32, x: usize, g: usize, lr: f64, wd: f64, sign: f64): void {
  const vlr = f64x2.splat(lr), vwd = f64x2.splat(wd), vs = f64x2.splat(sign);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(x + o, sgdPlain2(v128.load(x + o), v128.load(g + o), vlr, vs, vwd));
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o);
    store<f64>(x + o, xi - lr * effectiveGrad(load<f64>(g + o), xi, sign, wd));
  }
}

// `nesterov` and `first` are constants at each call site, so inlining specialises the loop.
@inline function sgdMomentum(n: i32, x: usize, g: usize, b: usize, lr: f64, mu: f64, damp: f64,
                             wd: f64, sign: f64, nesterov: bool, first: bool): void {
  const vlr = f64x2.splat(lr), vwd = f64x2.splat(wd), vs = f64x2.splat(sign);
  const vmu = f64x2.splat(mu), v1d = f64x2.splat(1.0 - damp);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(x + o, sgdMomentum2(v128.load(x + o), v128.load(g + o), b, o, vlr, vs, vwd, vmu, v1d, nesterov, first));
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o);
    const gi = effectiveGrad(load<f64>(g + o), xi, sign, wd);
    const bi = first ? gi : mu * load<f64>(b + o) + (1.0 - damp) * gi;
    store<f64>(b + o, bi);
    const u = nesterov ? gi + mu * bi : bi;
    store<f64>(x + o, xi - lr * u);
  }
}

// The two-lane updates below take x and g as values and return the new x (the caller stores it):
// the block loops above and the fused kernels (run/fused.ts, whose gradients never leave
// registers) both step through them, so their bits agree. State (b) is read and written at b + o.

/** Two lanes, without momentum, weight decay or maximize: x − η·g. */
@inline export function sgdSimple2(xv: v128, gv: v128, vlr: v128): v128 {
  return f64x2.sub(xv, f64x2.mul(vlr, gv));
}

/** Two lanes, without momentum: x − η·(σg + λx). */
@inline export function sgdPlain2(xv: v128, gv: v128, vlr: v128, vs: v128, vwd: v128): v128 {
  return f64x2.sub(xv, f64x2.mul(vlr, effectiveGrad2(gv, xv, vs, vwd)));
}

/** Two lanes with momentum buffer b at b + o. */
@inline export function sgdMomentum2(xv: v128, gv0: v128, b: usize, o: usize, vlr: v128, vs: v128, vwd: v128,
                                     vmu: v128, v1d: v128, nesterov: bool, first: bool): v128 {
  const gv = effectiveGrad2(gv0, xv, vs, vwd);
  const bv = first ? gv : f64x2.add(f64x2.mul(vmu, v128.load(b + o)), f64x2.mul(v1d, gv));
  v128.store(b + o, bv);
  const u = nesterov ? f64x2.add(gv, f64x2.mul(vmu, bv)) : bv;
  return f64x2.sub(xv, f64x2.mul(vlr, u));
}
