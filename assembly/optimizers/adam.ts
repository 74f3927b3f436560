// Adam (Kingma & Ba 2015, Algorithm 1) exactly as torch.optim.Adam (torch 1.13,
// _single_tensor_adam), with torch's `amsgrad` (Reddi et al. 2018) and, via `decoupled`, AdamW
// (adamw.ts). State: m, v (zeros), v̂ (zeros, amsgrad only); t counts steps from 1.
//   AdamW only:  x ← x·(1 − η·λ)                      (decoupled weight decay, before the step)
//   g′ = σ·g + λ·x     (Adam; AdamW uses g′ = σ·g)
//   m ← β₁·m + (1 − β₁)·g′
//   v ← β₂·v + ((1 − β₂)·g′)·g′
//   v̂ ← max(v̂, v)                                      (amsgrad)
//   x ← x − ((η / (1 − β₁ᵗ))·m) / (√v / √(1 − β₂ᵗ) + ε)   (√v̂ with amsgrad)
// The operation order is torch's (addcmul, addcdiv), so results agree to the last bits.
// Per-step scalars come from the caller: a = η/(1 − β₁ᵗ), c = √(1 − β₂ᵗ).

/** One Adam/AdamW step on n doubles. */
export function adamStep(n: i32, x: usize, g: usize, m: usize, v: usize, vmax: usize,
                         lr: f64, beta1: f64, beta2: f64, eps: f64, wd: f64, sign: f64,
                         stepSize: f64, bc2Sqrt: f64, amsgrad: bool, decoupled: bool): void {
  if (decoupled) {
    if (amsgrad) adamLoop(n, x, g, m, v, vmax, lr, beta1, beta2, eps, wd, sign, stepSize, bc2Sqrt, true, true);
    else adamLoop(n, x, g, m, v, vmax, lr, beta1, beta2, eps, wd, sign, stepSize, bc2Sqrt, false, true);
  } else {
    if (amsgrad) adamLoop(n, x, g, m, v, vmax, lr, beta1, beta2, eps, wd, sign, stepSize, bc2Sqrt, true, false);
    else adamLoop(n, x, g, m, v, vmax, lr, beta1, beta2, eps, wd, sign, stepSize, bc2Sqrt, false, false);
  }
}

// `amsgrad` and `decoupled` are constants at each call site: inlining gives four branch-free loops.
@inline function adamLoop(n: i32, x: usize, g: usize, m: usize, v: usize, vmax: usize,
                          lr: f64, beta1: f64, beta2: f64, eps: f64, wd: f64, sign: f64,
                          stepSize: f64, bc2Sqrt: f64, amsgrad: bool, decoupled: bool): void {
  const shrink = 1.0 - lr * wd;
  const vb1 = f64x2.splat(beta1), v1b1 = f64x2.splat(1.0 - beta1);
  const vb2 = f64x2.splat(beta2), v1b2 = f64x2.splat(1.0 - beta2);
  const veps = f64x2.splat(eps), vs = f64x2.splat(sign), vwd = f64x2.splat(decoupled ? 0.0 : wd);
  const vstep = f64x2.splat(stepSize), vbc = f64x2.splat(bc2Sqrt), vshrink = f64x2.splat(shrink);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(x + o, adam2(v128.load(x + o), v128.load(g + o), m, v, vmax, o, vb1, v1b1, vb2, v1b2, veps, vs, vwd,
      vstep, vbc, vshrink, amsgrad, decoupled));
  }
  const wdL2 = decoupled ? 0.0 : wd;
  for (; i < n; i++) {
    const o = <usize>i << 3;
    let xi = load<f64>(x + o);
    if (decoupled) xi = xi * shrink;
    const gi = sign * load<f64>(g + o) + wdL2 * xi;
    const mi = load<f64>(m + o) * beta1 + (1.0 - beta1) * gi;
    let vi = load<f64>(v + o) * beta2 + ((1.0 - beta2) * gi) * gi;
    store<f64>(m + o, mi);
    store<f64>(v + o, vi);
    if (amsgrad) {
      vi = Math.max(load<f64>(vmax + o), vi);
      store<f64>(vmax + o, vi);
    }
    store<f64>(x + o, xi - (stepSize * mi) / (Math.sqrt(vi) / bc2Sqrt + eps));
  }
}

/**
 * Two lanes: x and g as values, the new x returned (the caller stores it), state m, v, v̂ at
 * m + o, v + o, vmax + o. The block loop above and the fused kernels (run/fused.ts) both step
 * through here, so their bits agree. vwd is λ for Adam and 0 for AdamW, vshrink 1 − ηλ (AdamW).
 */
@inline export function adam2(xv0: v128, gv0: v128, m: usize, v: usize, vmax: usize, o: usize,
                              vb1: v128, v1b1: v128, vb2: v128, v1b2: v128, veps: v128, vs: v128, vwd: v128,
                              vstep: v128, vbc: v128, vshrink: v128, amsgrad: bool, decoupled: bool): v128 {
  const xv = decoupled ? f64x2.mul(xv0, vshrink) : xv0;
  const gv = f64x2.add(f64x2.mul(vs, gv0), f64x2.mul(vwd, xv));
  const mv = f64x2.add(f64x2.mul(v128.load(m + o), vb1), f64x2.mul(v1b1, gv));
  let vv = f64x2.add(f64x2.mul(v128.load(v + o), vb2), f64x2.mul(f64x2.mul(v1b2, gv), gv));
  v128.store(m + o, mv);
  v128.store(v + o, vv);
  if (amsgrad) {
    vv = f64x2.max(v128.load(vmax + o), vv); // IEEE max, as Math.max in the tail
    v128.store(vmax + o, vv);
  }
  const denom = f64x2.add(f64x2.div(f64x2.sqrt(vv), vbc), veps);
  return f64x2.sub(xv, f64x2.div(f64x2.mul(vstep, mv), denom));
}
