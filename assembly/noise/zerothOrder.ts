// Zeroth-order gradients: the run's gradient is replaced by a Gaussian-smoothing (evolution
// strategies) estimate built from function values only, at the rule's gradient point x:
//   forward     ĝ = (1/K) Σ_k [f(x + σu_k) − f(x)]/σ · u_k                    (K + 1 values)
//   antithetic  ĝ = (1/K) Σ_k [f(x + σu_k) − f(x − σu_k)]/(2σ) · u_k           (2K values)
// u_k ~ N(0, I_d) i.i.d. Both are unbiased for the gradient of the Gaussian smoothing
// f_σ(x) = E f(x + σu), ∇f_σ(x) = E[f(x + σu) u]/σ (Nesterov & Spokoiny 2017, "Random
// gradient-free minimization of convex functions", Found. Comput. Math. 17, eqs. (21)–(22) and
// Theorem 1; Salimans et al. 2017, "Evolution strategies as a scalable alternative to
// reinforcement learning", antithetic sampling; Duchi et al. 2015, IEEE Trans. Inf. Theory 61 for
// the two-point estimator). For f = ½xᵀAx + bᵀx, ∇f_σ = ∇f = g, and with one direction
//   forward:     ĝ = uuᵀg + (σ/2)(uᵀAu)u,   Cov = ‖g‖²I + ggᵀ + (σ²/4)[((tr A)² + 2 tr A²)I + 4 tr A·A + 8A²]
//   antithetic:  ĝ = uuᵀg,                   Cov = ‖g‖²I + ggᵀ
// (Isserlis' theorem for the fourth and sixth Gaussian moments), both divided by K for K
// directions: test/zeroth-order.test.ts checks these exactly.
// Draws: coordinate j of direction k for (particle, step) is ziggurat normal 2⌈d/2⌉k + j of
// Philox stream ZEROTH (block (⌈d/2⌉k + ⌊j/2⌋, step, particle), word pair j mod 2), retries on
// ZEROTH_RETRY — a pure function of (seed, particle, step, k, j), whatever the block or chunk.
// Parameters q: σ | K | antithetic (0/1). Work space (descriptor slot ZOW): U, Y (d × B each), then
// f(x), f(x + σu), f(x − σu) (B each).

import { landscapeValue } from '../landscapes/dispatch';
import { zigguratNormals8, zigguratPair, ZA, ZB } from '../random/ziggurat';
import { ZEROTH, ZEROTH_RETRY } from '../random/streams';
import * as D from '../run/descriptor';
import { u, i, key } from '../run/descriptor';

/** Eight lanes' draws of one coordinate pair (zigguratNormals8 layout). */
const Z8: usize = memory.data(128, 16);

/** U ← direction k's draws for the d × B block (particles p0 …) at step t. */
function direction(d: i32, B: i32, p0: u32, t: u32, k: i32, k0: u32, k1: u32, U: usize): void {
  const row = <usize>B << 3, half = (d + 1) >> 1;
  const blk0 = <u32>(k * half);
  let l = 0;
  for (; l + 8 <= B; l += 8) {
    for (let j = 0; j < d; j += 2) {
      const both = j + 1 < d;
      zigguratNormals8(ZEROTH, ZEROTH_RETRY, blk0 + <u32>(j >> 1), t, p0 + <u32>l, k0, k1, both, Z8);
      memory.copy(U + <usize>j * row + (<usize>l << 3), Z8, 64);
      if (both) memory.copy(U + <usize>(j + 1) * row + (<usize>l << 3), Z8 + 64, 64);
    }
  }
  for (; l < B; l++) {
    for (let j = 0; j < d; j += 2) {
      const both = j + 1 < d;
      zigguratPair(ZEROTH, ZEROTH_RETRY, blk0 + <u32>(j >> 1), t, p0 + <u32>l, k0, k1, both);
      store<f64>(U + <usize>j * row + (<usize>l << 3), ZA);
      if (both) store<f64>(U + <usize>(j + 1) * row + (<usize>l << 3), ZB);
    }
  }
}

/** Y ← X + s·U over n elements. */
@inline function perturb(n: i32, X: usize, U: usize, Y: usize, s: f64): void {
  for (let e = 0; e < n; e++) {
    const o = <usize>e << 3;
    store<f64>(Y + o, load<f64>(X + o) + s * load<f64>(U + o));
  }
}

/** Replace block b's gradients g (at the gradient point `at`) by the zeroth-order estimate of step t. */
export function zerothOrderBlock(desc: usize, b: i32, t: i32, at: usize, g: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B), n = d * B, row = <usize>B << 3;
  const lk = i(desc, D.LK), lp = u(desc, D.LP), lw = u(desc, D.LW), q = u(desc, D.NQ);
  const sigma = load<f64>(q), K = <i32>load<f64>(q, 8), antithetic = load<f64>(q, 16) != 0.0;
  const k0 = key(desc, D.K0), k1 = key(desc, D.K1), p0 = <u32>D.firstParticle(desc, b);
  const U = u(desc, D.ZOW), Y = U + (<usize>n << 3);
  const f0 = Y + (<usize>n << 3), fp = f0 + row, fm = fp + row;
  if (!antithetic) landscapeValue(lk, lp, d, B, at, 8, row, lw, f0);
  memory.fill(g, 0, <usize>n << 3);
  for (let k = 0; k < K; k++) {
    direction(d, B, p0, <u32>t, k, k0, k1, U);
    perturb(n, at, U, Y, sigma);
    landscapeValue(lk, lp, d, B, Y, 8, row, lw, fp);
    if (antithetic) {
      perturb(n, at, U, Y, -sigma);
      landscapeValue(lk, lp, d, B, Y, 8, row, lw, fm);
    }
    for (let l = 0; l < B; l++) {
      const o = <usize>l << 3;
      const c = antithetic ? (load<f64>(fp + o) - load<f64>(fm + o)) / (2.0 * sigma) : (load<f64>(fp + o) - load<f64>(f0 + o)) / sigma;
      for (let j = 0; j < d; j++) {
        const a = g + <usize>j * row + o;
        store<f64>(a, load<f64>(a) + c * load<f64>(U + <usize>j * row + o));
      }
    }
  }
  const kf = <f64>K;
  for (let e = 0; e < n; e++) store<f64>(g + (<usize>e << 3), load<f64>(g + (<usize>e << 3)) / kf);
}
