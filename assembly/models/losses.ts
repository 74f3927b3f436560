// Per-example losses ℓ(f, y) on a model's output f ∈ ℝᵏ, as torch.nn.functional (docs/models.md):
//   mse           ℓ = (1/k) ‖f − y‖²                  ∂ℓ/∂f = (2/k)(f − y)   ∂²ℓ/∂f² = (2/k) I
//   crossEntropy  ℓ = logsumexp(f) − f_y              ∂ℓ/∂f = p − e_y        ∂²ℓ/∂f² = diag(p) − p pᵀ
//                 (p = softmax f, computed from f − max f so exp never overflows)
//   bce (k = 1)   ℓ = max(f, 0) − y f + log1p(e^{−|f|})  ∂ℓ/∂f = s − y       ∂²ℓ/∂f² = s(1 − s)
//                 (s = sigmoid f; the stable form torch uses)
// `y` points at the target: k doubles (mse) or one double holding the label (crossEntropy, bce).
// `aux` (k doubles) keeps p or s for lossHvp.

import { MSE, CROSS_ENTROPY } from './layout';

/** ℓ(f, y); writes ∂ℓ/∂f into dl unless dl is 0; keeps what lossHvp needs in aux. */
export function lossForward(kind: i32, f: usize, k: i32, y: usize, dl: usize, aux: usize): f64 {
  if (kind == MSE) {
    let s = 0.0;
    const c = 2.0 / <f64>k;
    for (let j = 0; j < k; j++) {
      const r = load<f64>(f + (<usize>j << 3)) - load<f64>(y + (<usize>j << 3));
      s += r * r;
      if (dl != 0) store<f64>(dl + (<usize>j << 3), c * r);
    }
    return s / <f64>k;
  }
  if (kind == CROSS_ENTROPY) {
    const label = <i32>load<f64>(y);
    let mx = -Infinity;
    for (let j = 0; j < k; j++) mx = Math.max(mx, load<f64>(f + (<usize>j << 3)));
    let s = 0.0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(load<f64>(f + (<usize>j << 3)) - mx);
      store<f64>(aux + (<usize>j << 3), e);
      s += e;
    }
    const inv = 1.0 / s;
    for (let j = 0; j < k; j++) {
      const pj = load<f64>(aux + (<usize>j << 3)) * inv;
      store<f64>(aux + (<usize>j << 3), pj);
      if (dl != 0) store<f64>(dl + (<usize>j << 3), j == label ? pj - 1.0 : pj);
    }
    return mx + Math.log(s) - load<f64>(f + (<usize>label << 3));
  }
  // bce
  const z = load<f64>(f), yy = load<f64>(y);
  const sg = z >= 0.0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
  store<f64>(aux, sg);
  if (dl != 0) store<f64>(dl, sg - yy);
  return Math.max(z, 0.0) - yy * z + Math.log1p(Math.exp(-Math.abs(z)));
}

/** out = ∂²ℓ/∂f² · r (after lossForward at the same f). */
export function lossHvp(kind: i32, k: i32, aux: usize, r: usize, out: usize): void {
  if (kind == MSE) {
    const c = 2.0 / <f64>k;
    for (let j = 0; j < k; j++) store<f64>(out + (<usize>j << 3), c * load<f64>(r + (<usize>j << 3)));
  } else if (kind == CROSS_ENTROPY) {
    let pr = 0.0;
    for (let j = 0; j < k; j++) pr += load<f64>(aux + (<usize>j << 3)) * load<f64>(r + (<usize>j << 3));
    for (let j = 0; j < k; j++) {
      const pj = load<f64>(aux + (<usize>j << 3));
      store<f64>(out + (<usize>j << 3), pj * (load<f64>(r + (<usize>j << 3)) - pr));
    }
  } else {
    const s = load<f64>(aux);
    store<f64>(out, s * (1.0 - s) * load<f64>(r));
  }
}
