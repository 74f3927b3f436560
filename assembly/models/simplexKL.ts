// KL divergence on the probability simplex, L = KL(q ‖ p) = Σ_c q_c log(q_c / p_c) (terms with
// q_c = 0 are 0), in two parameterisations of p (docs/models.md, `simplexKL`):
//   logits θ ∈ ℝᴷ:            p = softmax θ,            ∇L = p − q,   ∇²L v = p⊙v − p (pᵀv)
//   expectation η ∈ ℝᴷ⁻¹:     p = (η, 1 − Σ η),
//                             ∂L/∂η_c = −q_c/η_c + q_K/p_K,
//                             ∇²L v = (q_c/η_c²) v_c + (q_K/p_K²) Σ_j v_j
// Outside the open simplex (some p_c ≤ 0), L = +∞ and the gradient is NaN.
// Parameters: K | parameterisation (0 logits, 1 expectation) | q (K). Scratch: p (K).

import { ld, st } from '../util/memory';

@inline function q(p: usize, c: i32): f64 { return load<f64>(p + (<usize>(2 + c) << 3)); }

@final export class SimplexKL {
  /** p into scratch w; false when p leaves the open simplex. */
  @inline probs(p: usize, d: i32, x: usize, s: usize, w: usize): bool {
    const K = <i32>load<f64>(p);
    if (load<f64>(p, 8) == 0.0) {
      let mx = -Infinity;
      for (let c = 0; c < K; c++) mx = Math.max(mx, ld(x, c, s));
      let z = 0.0;
      for (let c = 0; c < K; c++) {
        const e = Math.exp(ld(x, c, s) - mx);
        store<f64>(w + (<usize>c << 3), e);
        z += e;
      }
      for (let c = 0; c < K; c++) store<f64>(w + (<usize>c << 3), load<f64>(w + (<usize>c << 3)) / z);
      return true;
    }
    let last = 1.0;
    let inside = true;
    for (let c = 0; c < K - 1; c++) {
      const e = ld(x, c, s);
      store<f64>(w + (<usize>c << 3), e);
      last -= e;
      if (!(e > 0.0)) inside = false;
    }
    store<f64>(w + (<usize>(K - 1) << 3), last);
    return inside && last > 0.0;
  }

  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const K = <i32>load<f64>(p);
    if (load<f64>(p, 8) == 0.0) {
      // log p_c = θ_c − logsumexp θ, without forming p.
      let mx = -Infinity;
      for (let c = 0; c < K; c++) mx = Math.max(mx, ld(x, c, s));
      let z = 0.0;
      for (let c = 0; c < K; c++) z += Math.exp(ld(x, c, s) - mx);
      const lse = mx + Math.log(z);
      let f = 0.0;
      for (let c = 0; c < K; c++) {
        const qc = q(p, c);
        if (qc > 0.0) f += qc * (Math.log(qc) - (ld(x, c, s) - lse));
      }
      return f;
    }
    if (!this.probs(p, d, x, s, w)) return Infinity;
    let f = 0.0;
    for (let c = 0; c < K; c++) {
      const qc = q(p, c);
      if (qc > 0.0) f += qc * Math.log(qc / load<f64>(w + (<usize>c << 3)));
    }
    return f;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const K = <i32>load<f64>(p);
    const f = withValue ? this.value(p, d, x, s, w) : 0.0;
    const inside = this.probs(p, d, x, s, w);
    if (load<f64>(p, 8) == 0.0) {
      for (let c = 0; c < K; c++) st(g, c, s, load<f64>(w + (<usize>c << 3)) - q(p, c));
      return f;
    }
    const pK = load<f64>(w + (<usize>(K - 1) << 3));
    const tail = q(p, K - 1) / pK;
    for (let c = 0; c < K - 1; c++) st(g, c, s, inside ? tail - q(p, c) / load<f64>(w + (<usize>c << 3)) : NaN);
    return f;
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    const K = <i32>load<f64>(p);
    const inside = this.probs(p, d, x, s, w);
    if (load<f64>(p, 8) == 0.0) {
      let pv = 0.0;
      for (let c = 0; c < K; c++) pv += load<f64>(w + (<usize>c << 3)) * ld(v, c, s);
      for (let c = 0; c < K; c++) {
        const pc = load<f64>(w + (<usize>c << 3));
        st(out, c, s, pc * (ld(v, c, s) - pv));
      }
      return;
    }
    const pK = load<f64>(w + (<usize>(K - 1) << 3));
    let sv = 0.0;
    for (let c = 0; c < K - 1; c++) sv += ld(v, c, s);
    const t = q(p, K - 1) / (pK * pK) * sv;
    for (let c = 0; c < K - 1; c++) {
      const e = load<f64>(w + (<usize>c << 3));
      st(out, c, s, inside ? q(p, c) / (e * e) * ld(v, c, s) + t : NaN);
    }
  }
}
