// RMSprop (Hinton, Coursera lecture 6e; centred form: Graves 2013, eq. 38) exactly as
// torch.optim.RMSprop (torch 1.13, _single_tensor_rmsprop). State: s (square average, zeros),
// ḡ (gradient average, zeros; centred only), b (momentum buffer, zeros; μ > 0 only).
//   g′ = σ·g + λ·x
//   s ← α·s + ((1 − α)·g′)·g′
//   centred:  ḡ ← α·ḡ + (1 − α)·g′,  a = √(s − ḡ·ḡ) + ε;   else a = √s + ε
//   μ > 0:    b ← μ·b + g′/a,  x ← x − η·b;                  else x ← x − (η·g′)/a
// Note: torch adds ε outside the square root, and its momentum buffer starts at zero.

/** One RMSprop step on n doubles (ḡ and b unused unless centred / μ > 0). */
export function rmspropStep(n: i32, x: usize, g: usize, s: usize, gavg: usize, b: usize,
                            lr: f64, alpha: f64, eps: f64, wd: f64, sign: f64, momentum: f64,
                            centered: bool): void {
  if (centered) {
    if (momentum > 0.0) rmspropLoop(n, x, g, s, gavg, b, lr, alpha, eps, wd, sign, momentum, true, true);
    else rmspropLoop(n, x, g, s, gavg, b, lr, alpha, eps, wd, sign, momentum, true, false);
  } else {
    if (momentum > 0.0) rmspropLoop(n, x, g, s, gavg, b, lr, alpha, eps, wd, sign, momentum, false, true);
    else rmspropLoop(n, x, g, s, gavg, b, lr, alpha, eps, wd, sign, momentum, false, false);
  }
}

@inline function rmspropLoop(n: i32, x: usize, g: usize, s: usize, gavg: usize, b: usize,
                             lr: f64, alpha: f64, eps: f64, wd: f64, sign: f64, mu: f64,
                             centered: bool, withMomentum: bool): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o);
    const gi = sign * load<f64>(g + o) + wd * xi;
    const si = load<f64>(s + o) * alpha + ((1.0 - alpha) * gi) * gi;
    store<f64>(s + o, si);
    let a: f64;
    if (centered) {
      const ai = load<f64>(gavg + o) * alpha + (1.0 - alpha) * gi;
      store<f64>(gavg + o, ai);
      a = Math.sqrt(si + (-1.0 * ai) * ai) + eps;
    } else {
      a = Math.sqrt(si) + eps;
    }
    if (withMomentum) {
      const bi = load<f64>(b + o) * mu + gi / a;
      store<f64>(b + o, bi);
      store<f64>(x + o, xi + (-lr) * bi);
    } else {
      store<f64>(x + o, xi + ((-lr) * gi) / a);
    }
  }
}
