// Kernel Stein discrepancy with the inverse multiquadric (IMQ) kernel (Gorham & Mackey 2017,
// ICML, "Measuring sample quality with kernels"): k(x, y) = (c² + ‖x − y‖²)^β, β ∈ (−1, 0).
// With scores s = ∇log π (= −∇U/T) at the sample points and r = x − y, q = c² + ‖r‖²:
//   ∇ₓk = 2β q^{β−1} r,   ∇ᵧk = −2β q^{β−1} r,   tr ∇ₓ∇ᵧk = −2βd q^{β−1} − 4β(β−1) q^{β−2} ‖r‖²,
//   k_π(x, y) = s(x)·s(y) k + s(x)·∇ᵧk + s(y)·∇ₓk + tr ∇ₓ∇ᵧk
//            = q^β s(x)·s(y) + 2β q^{β−1} (s(y) − s(x))·r − 2βd q^{β−1} − 4β(β−1) q^{β−2} ‖r‖².
// KSD² = (1/N²) Σᵢ Σⱼ k_π(xᵢ, xⱼ) (the V-statistic, ≥ 0). Each unordered pair is computed once
// (k_π is symmetric) and the diagonal (r = 0: k_π = c^{2β}‖s‖² − 2βd c^{2(β−1)}) added; sums run
// in index order, so the result is deterministic.

/** KSD² of the N points x (N × d, row-major) with scores s (N × d). */
export function steinImq(N: i32, d: i32, x: usize, s: usize, c: f64, beta: f64): f64 {
  const c2 = c * c;
  let diag = 0.0;
  for (let i = 0; i < N; i++) {
    let ss = 0.0;
    for (let j = 0; j < d; j++) { const v = load<f64>(s + (<usize>(i * d + j) << 3)); ss += v * v; }
    diag += Math.pow(c2, beta) * ss - 2.0 * beta * <f64>d * Math.pow(c2, beta - 1.0);
  }
  let off = 0.0;
  for (let i = 0; i < N; i++) {
    const xi = x + (<usize>(i * d) << 3), si = s + (<usize>(i * d) << 3);
    let row = 0.0;
    for (let k = i + 1; k < N; k++) {
      const xk = x + (<usize>(k * d) << 3), sk = s + (<usize>(k * d) << 3);
      let r2 = 0.0, dot = 0.0, cross = 0.0;
      for (let j = 0; j < d; j++) {
        const o = <usize>j << 3;
        const r = load<f64>(xi + o) - load<f64>(xk + o);
        const a = load<f64>(si + o), b = load<f64>(sk + o);
        r2 += r * r; dot += a * b; cross += (b - a) * r;
      }
      const q = c2 + r2;
      const qb1 = Math.pow(q, beta - 1.0); // q^{β−1}; q^β = q·q^{β−1}, q^{β−2} = q^{β−1}/q
      row += q * qb1 * dot + 2.0 * beta * qb1 * cross - 2.0 * beta * <f64>d * qb1 - 4.0 * beta * (beta - 1.0) * (qb1 / q) * r2;
    }
    off += row;
  }
  return (diag + 2.0 * off) / (<f64>N * <f64>N);
}
