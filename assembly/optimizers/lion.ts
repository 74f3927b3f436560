// Lion (Chen et al. 2023, "Symbolic discovery of optimization algorithms", Algorithm 2).
// Not in torch.optim; the fixture is a direct torch transcription of Algorithm 2.
// State: m (zeros).
//   g′ = σ·g
//   c = β₁·m + (1 − β₁)·g′
//   x ← x·(1 − η·λ) − η·sign(c)         (decoupled weight decay λ; sign(0) = 0)
//   m ← β₂·m + (1 − β₂)·g′

/** One Lion step on n doubles. */
export function lionStep(n: i32, x: usize, g: usize, m: usize, lr: f64, beta1: f64, beta2: f64,
                         wd: f64, sign: f64): void {
  const shrink = 1.0 - lr * wd;
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const gi = sign * load<f64>(g + o);
    const mi = load<f64>(m + o);
    const c = beta1 * mi + (1.0 - beta1) * gi;
    const sg: f64 = c > 0.0 ? 1.0 : c < 0.0 ? -1.0 : 0.0;
    store<f64>(x + o, load<f64>(x + o) * shrink - lr * sg);
    store<f64>(m + o, beta2 * mi + (1.0 - beta2) * gi);
  }
}
