// NAdam (Dozat 2016, "Incorporating Nesterov momentum into Adam") exactly as torch.optim.NAdam
// (torch ≥ 2.0, and torch 1.13's foreach path; 1.13's default single-tensor path multiplies the
// look-ahead product by an extra μ_t, a bug fixed in 2.0). State: m, v (zeros); the product
// Π μ is a per-run scalar.
// With ψ the momentum decay and t counting from 1 (per-step scalars from the caller):
//   μ_t = β₁(1 − ½·0.96^{tψ}),  μ_{t+1} likewise,  Π_t = Π_{t−1}·μ_t
//   g′ = σ·g + λ·x
//   m ← β₁·m + (1 − β₁)·g′,   v ← β₂·v + ((1 − β₂)·g′)·g′
//   d = √(v / (1 − β₂ᵗ)) + ε
//   x ← x + (c₁·g′)/d + (c₂·m)/d,  c₁ = −η(1 − μ_t)/(1 − Π_t),  c₂ = −η·μ_{t+1}/(1 − Π_t·μ_{t+1})

/** One NAdam step on n doubles; c1, c2 and bc2 = 1 − β₂ᵗ are computed by the caller. */
export function nadamStep(n: i32, x: usize, g: usize, m: usize, v: usize, beta1: f64, beta2: f64,
                          eps: f64, wd: f64, sign: f64, c1: f64, c2: f64, bc2: f64): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o);
    const gi = sign * load<f64>(g + o) + wd * xi;
    const mi = load<f64>(m + o) * beta1 + (1.0 - beta1) * gi;
    const vi = load<f64>(v + o) * beta2 + ((1.0 - beta2) * gi) * gi;
    store<f64>(m + o, mi);
    store<f64>(v + o, vi);
    const d = Math.sqrt(vi / bc2) + eps;
    store<f64>(x + o, (xi + (c1 * gi) / d) + (c2 * mi) / d);
  }
}
