// Stochastic modified equations of SGD (Li, Tai & E, "Stochastic modified equations and adaptive
// stochastic gradient algorithms", ICML 2017; JMLR 20, 2019, Theorems 1 and 3). SGD with learning
// rate η whose gradient noise has covariance Σ(x) is approximated in the weak sense, at times
// t = kη, by the solution of
//   order 1:  dX = −∇f(X) dt + √η Σ(X)^{1/2} dW
//   order 2:  dX = −∇(f + (η/4)‖∇f‖²)(X) dt + √η Σ(X)^{1/2} dW,   ∇((η/4)‖∇f‖²) = (η/2) H∇f
// (weak errors O(η) and O(η²) over a fixed horizon). Maximising (sign σ = −1) replaces f by −f in
// the drift: b(X) = σ∇f + [order 2] (η/2) H∇f. One step of a run advances time η in m substeps of
// h = η/m, with ξ ~ N(0, I) drawn afresh for each substep:
//   Euler–Maruyama:  X ← X − h b(X) + √(ηh) Σ^{1/2}(X) ξ                          (weak order 1 in h)
//   Heun, for additive noise (Σ constant):  X̄ = X − h b(X) + s,  X ← X − (h/2)(b(X) + b(X̄)) + s,
//                    s = √(ηh) Σ^{1/2} ξ                                          (weak order 2 in h;
//   Kloeden & Platen, Numerical Solution of SDEs, 1992, §15.1, the order-2 weak scheme for additive noise)
// Σ is the run's noise model's:
//   none       Σ = 0 (the modified gradient flow);
//   Gaussian   the noise g + m_t σ ⊙ z gives Σ = diag(m_t σ_j)²;
//   label noise (regression, mse, σ): the minibatch's Σ plus the labels' share, drawn exactly (the
//              gradient is linear in the labels) as √(K/b)·(ĝ_K(ỹ) − ĝ_K(y)), full-batch gradients with
//              freshly perturbed and with clean labels (b = 0: the full batch, b = K);
//   minibatch  of K terms (components of a finite sum, examples of a model), batch b:
//              Σ = (c/b) C(x), C = (1/K) Σ_i (G_i − ∇L)(G_i − ∇L)ᵀ, G_i = w_i ∇ℓ_i the term gradients
//              (noise/minibatch.ts: ĝ's covariance), c = 1 with replacement, (K − b)/(K − 1) without;
//              Σ^{1/2}ξ is drawn without a square root as √(c/(bK)) Σ_i (G_i − ∇L) ζ_i, ζ_i iid
//              N(0, 1), which has covariance Σ (K term gradients per substep). b = 0: Σ = 0.
// Asynchronous SGD (An, Lu & Ying, "Stochastic modified equations for the asynchronous stochastic
// gradient descent", Information and Inference 2020): x_{k+1} = x_k − η g(x_{k−τ}) is, to first
// order, the delay equation Ẋ(t + τη) = −∇f(X(t)) + noise; expanding Ẋ(t + τη) ≈ Ẋ + τη Ẍ gives an
// SME of Langevin type, with mass τη and unit friction:
//   dX = V dt,   τη dV = −(V + σ∇f(X)) dt + √η Σ(X)^{1/2} dW,   V(0) = −σ∇f(x₀)
// (V(0): ASGD's first step from a constant history is a plain gradient step). Integrated by
// semi-implicit Euler in the m substeps (V first, then X with the new V):
//   V ← V − (h/τη)(V + σ∇f(X)) + (1/τη) s,   X ← X + h V,   s = √(ηh) Σ^{1/2} ξ.
// Order 1 only. τ is the mean staleness (a fixed delay, or the mean of a random one).
// Draws, counter (⌊j/2⌋, t·m + substep, particle) on stream SME: with no or Gaussian noise the whole
// block takes each substep at once (smeBlockStep: block gradients and HVPs, ziggurat normals eight
// lanes at a time, j the coordinate); with minibatch noise one lane at a time (smeLane, Box–Muller
// normals, j the term).

import { landscapeGrad, landscapeHvp } from '../landscapes/dispatch';
import { sumBatchGrad } from '../landscapes/composite';
import { isModel, modelBatch } from '../models/dispatch';
import { fillNormal } from '../random/normal';
import { zigguratNormals8, zigguratPair, ZA, ZB } from '../random/ziggurat';
import { SME as SME_STREAM, SME_RETRY } from '../random/streams';
import { GAUSSIAN, MINIBATCH, LABEL_NOISE } from '../noise/kinds';

/** Doubles of work space one lane needs (after its x copy): drift ×2, gradient, HVP, X̄, noise, term gradient, velocity, draw, index. */
export function smeWork(d: i32): i32 {
  return 8 * d + 2;
}

@inline function at(p: usize, j: i32): usize { return p + (<usize>j << 3); }

/** b(x) into out (g, hv: scratch of d): σ∇f + [order 2] (η/2) H∇f. */
function drift(lk: i32, lp: usize, lw: usize, d: i32, x: usize, eta: f64, sign: f64, second: bool,
               out: usize, g: usize, hv: usize): void {
  landscapeGrad(lk, lp, d, 1, x, 0, 8, g, lw, 0);
  if (second) landscapeHvp(lk, lp, d, 1, x, 0, 8, g, hv, lw);
  const c = 0.5 * eta;
  for (let j = 0; j < d; j++) {
    const gj = sign * load<f64>(at(g, j));
    store<f64>(at(out, j), second ? gj + c * load<f64>(at(hv, j)) : gj);
  }
}

/**
 * s = √(ηh) Σ^{1/2}(x) ξ into out for noise kind nk with parameters q (m: the annealing m_t),
 * substep counter c of `particle`. g holds ∇L(x), as drift just left it (read, not written);
 * tg, z, idx, hv: scratch.
 */
function diffusion(lk: i32, lp: usize, lw: usize, d: i32, x: usize, root: f64, nk: i32, q: usize, m: f64,
                   k0: u32, k1: u32, particle: u32, c: u32, out: usize, g: usize, tg: usize, z: usize, idx: usize, hv: usize): void {
  for (let j = 0; j < d; j++) store<f64>(at(out, j), 0.0);
  if (nk == GAUSSIAN) {
    fillNormal(k0, k1, SME_STREAM, particle, c, 0, d, z);
    for (let j = 0; j < d; j++) store<f64>(at(out, j), root * (m * load<f64>(at(q, j))) * load<f64>(at(z, j)));
    return;
  }
  if (nk != MINIBATCH && nk != LABEL_NOISE) return;
  const bs = <i32>load<f64>(q), repl = load<f64>(q, 8) != 0.0, K = <i32>load<f64>(q, 32);
  if (nk == LABEL_NOISE) labelPart(lk, lp, lw, d, x, root * m, bs == 0 ? K : bs, K, q, k0, k1, particle, c, out, tg, hv);
  if (bs == 0) return;
  samplingPart(lk, lp, lw, d, x, root * m, bs, repl, K, k0, k1, particle, c, out, g, tg, z, idx);
}

/**
 * Gaussian label noise's share of Σ^{1/2}ξ (regression, mse: the gradient is linear in the labels,
 * so its label noise is exactly Gaussian): a full-batch gradient with freshly perturbed labels
 * (models/labelNoise.ts, step counter c) minus the clean one has covariance (b/K)·(label part of
 * a batch-b gradient's covariance); scaled by √(K/b) it has that covariance. Added to out.
 */
function labelPart(lk: i32, lp: usize, lw: usize, d: i32, x: usize, scale: f64, b: i32, K: i32, q: usize,
                   k0: u32, k1: u32, particle: u32, c: u32, out: usize, noisy: usize, clean: usize): void {
  for (let j = 0; j < d; j++) store<f64>(at(lw, j), load<f64>(at(x, j)));
  modelBatch(lk, lp, d, lw, 0, K, noisy, lw + (<usize>(3 * d) << 3), q, k0, k1, particle, c);
  for (let j = 0; j < d; j++) store<f64>(at(lw, j), load<f64>(at(x, j)));
  modelBatch(lk, lp, d, lw, 0, K, clean, lw + (<usize>(3 * d) << 3), 0, k0, k1, particle, c);
  const s = scale * Math.sqrt(<f64>K / <f64>b);
  for (let j = 0; j < d; j++) {
    store<f64>(at(out, j), load<f64>(at(out, j)) + s * (load<f64>(at(noisy, j)) - load<f64>(at(clean, j))));
  }
}

/** The minibatch's sampling share of Σ^{1/2}ξ, √(c/(bK)) Σᵢ (Gᵢ − ∇L) ζᵢ (clean labels; ∇L in g), added to out. */
function samplingPart(lk: i32, lp: usize, lw: usize, d: i32, x: usize, scale: f64, bs: i32, repl: bool, K: i32,
                      k0: u32, k1: u32, particle: u32, c: u32, out: usize, g: usize, tg: usize, z: usize, idx: usize): void {
  const cov = repl ? 1.0 : <f64>(K - bs) / <f64>(K - 1);
  const s = scale * Math.sqrt(cov / (<f64>bs * <f64>K));
  for (let i = 0; i < K; i++) {
    store<i32>(idx, i);
    // The term gradient G_i as the minibatch noise forms a batch of one (its point copied to lw, as there).
    for (let j = 0; j < d; j++) store<f64>(at(lw, j), load<f64>(at(x, j)));
    if (isModel(lk)) modelBatch(lk, lp, d, lw, idx, 1, tg, lw + (<usize>(3 * d) << 3), 0, k0, k1, particle, c);
    else sumBatchGrad(lp, d, lw, tg, idx, 1, lw);
    fillNormal(k0, k1, SME_STREAM, particle, c, <u32>i, 1, z);
    const zi = load<f64>(z) * s;
    for (let j = 0; j < d; j++) store<f64>(at(out, j), load<f64>(at(out, j)) + (load<f64>(at(tg, j)) - load<f64>(at(g, j))) * zi);
  }
}

/**
 * One run step (time η) of one lane at x (contiguous, d): `substeps` steps of the scheme (heun:
 * Heun, else Euler–Maruyama) for the SME of order 1 or 2. t: the run's step; m: the noise's m_t.
 */
export function smeLane(lk: i32, lp: usize, lw: usize, d: i32, x: usize, eta: f64, sign: f64, order: i32, heun: bool,
                        substeps: i32, nk: i32, q: usize, m: f64, k0: u32, k1: u32, particle: u32, t: i32, w: usize): void {
  const b0 = w, b1 = at(b0, d), g = at(b1, d), hv = at(g, d), xb = at(hv, d), s = at(xb, d), tg = at(s, d), z = at(tg, d);
  const idx = at(z, 1);
  const h = eta / <f64>substeps, root = Math.sqrt(eta * h), second = order == 2;
  for (let k = 0; k < substeps; k++) {
    const c = <u32>t * <u32>substeps + <u32>k;
    drift(lk, lp, lw, d, x, eta, sign, second, b0, g, hv);
    diffusion(lk, lp, lw, d, x, root, nk, q, m, k0, k1, particle, c, s, g, tg, z, idx, hv);
    if (heun) {
      for (let j = 0; j < d; j++) store<f64>(at(xb, j), load<f64>(at(x, j)) - h * load<f64>(at(b0, j)) + load<f64>(at(s, j)));
      drift(lk, lp, lw, d, xb, eta, sign, second, b1, g, hv);
      const hh = 0.5 * h;
      for (let j = 0; j < d; j++) {
        store<f64>(at(x, j), load<f64>(at(x, j)) - hh * (load<f64>(at(b0, j)) + load<f64>(at(b1, j))) + load<f64>(at(s, j)));
      }
    } else {
      for (let j = 0; j < d; j++) store<f64>(at(x, j), load<f64>(at(x, j)) - h * load<f64>(at(b0, j)) + load<f64>(at(s, j)));
    }
  }
}

/**
 * One run step (time η) of one lane of the asynchronous SGD's SME with mean staleness tau > 0: x and
 * v contiguous (d each; v is the lane's state, set to −σ∇f(x₀) at t = 0), `substeps` semi-implicit
 * Euler steps. Same draws as smeLane.
 */
export function smeDelayLane(lk: i32, lp: usize, lw: usize, d: i32, x: usize, v: usize, eta: f64, sign: f64, tau: f64,
                             substeps: i32, nk: i32, q: usize, m: f64, k0: u32, k1: u32, particle: u32, t: i32, w: usize): void {
  const b0 = w, b1 = at(b0, d), g = at(b1, d), hv = at(g, d), xb = at(hv, d), s = at(xb, d), tg = at(s, d), z = at(tg, d);
  const idx = at(z, 1);
  const h = eta / <f64>substeps, root = Math.sqrt(eta * h), mass = tau * eta;
  if (t == 0) {
    drift(lk, lp, lw, d, x, eta, sign, false, b0, g, hv);
    for (let j = 0; j < d; j++) store<f64>(at(v, j), -load<f64>(at(b0, j)));
  }
  const damp = h / mass, kick = 1.0 / mass;
  for (let k = 0; k < substeps; k++) {
    const c = <u32>t * <u32>substeps + <u32>k;
    drift(lk, lp, lw, d, x, eta, sign, false, b0, g, hv);
    diffusion(lk, lp, lw, d, x, root, nk, q, m, k0, k1, particle, c, s, g, tg, z, idx, hv);
    for (let j = 0; j < d; j++) {
      const vj = load<f64>(at(v, j)) - damp * (load<f64>(at(v, j)) + load<f64>(at(b0, j))) + kick * load<f64>(at(s, j));
      store<f64>(at(v, j), vj);
      store<f64>(at(x, j), load<f64>(at(x, j)) + h * vj);
    }
  }
}

// Eight lanes' normals of one coordinate pair (random/ziggurat.ts zigguratNormals8).
const NZ: usize = memory.data(128, 16);

/** Doubles of work space of smeBlockStep for dimension d and block size B. */
export function smeBlockWork(d: i32, B: i32): i32 {
  return 6 * d * B;
}

/** b(x) for the whole block (d × B, coordinate stride row) into out; g, hv: block scratch. */
function blockDrift(lk: i32, lp: usize, lw: usize, d: i32, B: i32, x: usize, eta: f64, sign: f64, second: bool,
                    out: usize, g: usize, hv: usize): void {
  const row = <usize>B << 3, n = d * B;
  landscapeGrad(lk, lp, d, B, x, 8, row, g, lw, 0);
  if (second) landscapeHvp(lk, lp, d, B, x, 8, row, g, hv, lw);
  const c = 0.5 * eta;
  for (let k = 0; k < n; k++) {
    const gk = sign * load<f64>(at(g, k));
    store<f64>(at(out, k), second ? gk + c * load<f64>(at(hv, k)) : gk);
  }
}

/** s = √(ηh)·m_t·σ_j·ξ for the block (Gaussian noise; 0 without), substep counter c, into out. */
function blockDiffusion(d: i32, B: i32, gaussian: bool, q: usize, scale: f64, k0: u32, k1: u32, p0: u32, c: u32, out: usize): void {
  const row = <usize>B << 3;
  if (!gaussian) {
    for (let k = 0; k < d * B; k++) store<f64>(at(out, k), 0.0);
    return;
  }
  for (let j = 0; j < d; j += 2) {
    const both = j + 1 < d;
    const s0 = scale * load<f64>(at(q, j)), s1 = both ? scale * load<f64>(at(q, j + 1)) : 0.0;
    const o0 = out + <usize>j * row, o1 = o0 + row;
    let l = 0;
    for (; l + 8 <= B; l += 8) {
      zigguratNormals8(SME_STREAM, SME_RETRY, <u32>(j >> 1), c, p0 + <u32>l, k0, k1, both, NZ);
      for (let e = 0; e < 8; e++) {
        store<f64>(at(o0, l + e), s0 * load<f64>(at(NZ, e)));
        if (both) store<f64>(at(o1, l + e), s1 * load<f64>(at(NZ, 8 + e)));
      }
    }
    for (; l < B; l++) {
      zigguratPair(SME_STREAM, SME_RETRY, <u32>(j >> 1), c, p0 + <u32>l, k0, k1, both);
      store<f64>(at(o0, l), s0 * ZA);
      if (both) store<f64>(at(o1, l), s1 * ZB);
    }
  }
}

/**
 * One run step (time η) of a whole block (d × B at x; v: the velocities, block layout, when the
 * delay tau > 0) for no or Gaussian noise: the equations of the header, every lane at once (lanes
 * that are not active move too, as in every optimiser's block step; the ensemble loop restores
 * stopped ones and ignores the rest). p0: the block's first particle; w: smeBlockWork(d, B) doubles.
 */
export function smeBlockStep(lk: i32, lp: usize, lw: usize, d: i32, B: i32, x: usize, v: usize, eta: f64, sign: f64,
                             order: i32, heun: bool, substeps: i32, tau: f64, gaussian: bool, q: usize, m: f64,
                             k0: u32, k1: u32, p0: u32, t: i32, w: usize): void {
  const n = d * B;
  const g = w, hv = at(g, n), b0 = at(hv, n), b1 = at(b0, n), s = at(b1, n), xb = at(s, n);
  const h = eta / <f64>substeps, scale = Math.sqrt(eta * h) * m, second = order == 2;
  const mass = tau * eta, damp = h / mass, kick = 1.0 / mass, hh = 0.5 * h;
  if (tau > 0.0 && t == 0) {
    blockDrift(lk, lp, lw, d, B, x, eta, sign, false, b0, g, hv);
    for (let k = 0; k < n; k++) store<f64>(at(v, k), -load<f64>(at(b0, k)));
  }
  for (let k = 0; k < substeps; k++) {
    const c = <u32>t * <u32>substeps + <u32>k;
    blockDrift(lk, lp, lw, d, B, x, eta, sign, second, b0, g, hv);
    blockDiffusion(d, B, gaussian, q, scale, k0, k1, p0, c, s);
    if (tau > 0.0) {
      for (let e = 0; e < n; e++) {
        const ve = load<f64>(at(v, e)) - damp * (load<f64>(at(v, e)) + load<f64>(at(b0, e))) + kick * load<f64>(at(s, e));
        store<f64>(at(v, e), ve);
        store<f64>(at(x, e), load<f64>(at(x, e)) + h * ve);
      }
    } else if (heun) {
      for (let e = 0; e < n; e++) store<f64>(at(xb, e), load<f64>(at(x, e)) - h * load<f64>(at(b0, e)) + load<f64>(at(s, e)));
      blockDrift(lk, lp, lw, d, B, xb, eta, sign, second, b1, g, hv);
      for (let e = 0; e < n; e++) {
        store<f64>(at(x, e), load<f64>(at(x, e)) - hh * (load<f64>(at(b0, e)) + load<f64>(at(b1, e))) + load<f64>(at(s, e)));
      }
    } else {
      for (let e = 0; e < n; e++) store<f64>(at(x, e), load<f64>(at(x, e)) - h * load<f64>(at(b0, e)) + load<f64>(at(s, e)));
    }
  }
}
