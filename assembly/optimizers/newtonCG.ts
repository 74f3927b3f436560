// Newton-CG (truncated Newton: Dembo & Steihaug, "Truncated-Newton algorithms for large-scale
// unconstrained optimization", Math. Programming 26, 1983; Nocedal & Wright, Numerical
// Optimization, 2nd ed. 2006, Alg. 7.1), on one point:
//   p    = CG solution of (∇²f(x) + λI) p = g      (conjugateGradient.ts: at most cgIters
//          iterations, stopped at ‖r‖ ≤ cgTol·‖g‖; g is the step's gradient, noise included)
//   x⁺   = x − α η p
// Negative curvature (a CG direction with dᵀ(∇²f + λI)d ≤ 0): with negativeCurvature = stop
// (default) CG ends and p is its last iterate, or g itself when it happens at the first
// iteration — so p is always a descent direction; with negativeCurvature = ignore CG continues on
// the indefinite system (stopping only at an exact zero), which is plain Newton: its step is
// attracted by saddles as much as by minima (Dauphin et al. 2014).
// α = 1 without line search. With it (Armijo backtracking, Nocedal & Wright Alg. 3.1): the first
// α ∈ {1, ½, ¼, …, 2⁻³⁰} with
//   f(x − αηp) ≤ f(x) − c₁ α η gᵀp,   c₁ = 10⁻⁴;
// if none passes, the last trial α = 2⁻³⁰ is taken (so a non-finite p still marks the particle
// diverged rather than freezing it). The noise models act on g only; f is exact.

import { conjugateGradient } from './conjugateGradient';
import { landscapeValue } from '../landscapes/dispatch';
import { axpy, dot } from '../spectral/vec';

/** Armijo constant c₁ (Nocedal & Wright's suggested 10⁻⁴). */
const C1: f64 = 1e-4;
/** Halvings of the line search. */
const MAX_HALVINGS = 30;

const F = memory.data(8); // one landscape value

/** Doubles of work space newtonCGLane needs (p, r, dir, Ad, trial point). */
export function newtonCGWork(d: i32): i32 { return 5 * d; }

/**
 * One Newton-CG step on the contiguous point x (d doubles, updated in place) with gradient g.
 * op: a Hessian operator descriptor at x (curvatureOp.ts). Landscape (lk, lp, lw) for the line
 * search values. work: newtonCGWork(d) doubles.
 */
export function newtonCGLane(op: usize, lk: i32, lp: usize, lw: usize, d: i32, x: usize, g: usize, lr: f64,
                             lambda: f64, cgIters: i32, cgTol: f64, lineSearch: bool, stopOnNegative: bool, work: usize): void {
  const vb = <usize>d << 3;
  const p = work, r = p + vb, dir = r + vb, ad = dir + vb, trial = ad + vb;
  conjugateGradient(op, d, g, lambda, cgIters, cgTol, stopOnNegative, p, r, dir, ad);
  let step = lr;
  if (lineSearch) step = armijo(lk, lp, lw, d, x, g, p, lr, trial);
  axpy(-step, p, x, d);
}

/** Backtracking step length αη along −p from x (see the header); trial: d doubles of scratch. */
function armijo(lk: i32, lp: usize, lw: usize, d: i32, x: usize, g: usize, p: usize, lr: f64, trial: usize): f64 {
  landscapeValue(lk, lp, d, 1, x, 0, 8, lw, F);
  const f0 = load<f64>(F);
  const slope = dot(g, p, d);
  let step = lr;
  for (let k = 0; k <= MAX_HALVINGS; k++) {
    for (let i = 0; i < d; i++) {
      const o = <usize>i << 3;
      store<f64>(trial + o, load<f64>(x + o) - step * load<f64>(p + o));
    }
    landscapeValue(lk, lp, d, 1, trial, 0, 8, lw, F);
    if (load<f64>(F) <= f0 - C1 * step * slope) return step;
    if (k < MAX_HALVINGS) step *= 0.5;
  }
  return step;
}
