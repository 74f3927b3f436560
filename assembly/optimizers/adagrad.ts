// Adagrad (Duchi, Hazan & Singer 2011) exactly as torch.optim.Adagrad (torch 1.13,
// _single_tensor_adagrad). State: S = initialAccumulatorValue (all entries); t counts from 1.
//   g′ = σ·g + λ·x
//   η_t = η / (1 + (t − 1)·δ)          (lrDecay δ; a per-step scalar from the caller)
//   S ← S + g′·g′
//   x ← x − (η_t·g′) / (√S + ε)

/** One Adagrad step on n doubles with the decayed rate `clr` = η_t. */
export function adagradStep(n: i32, x: usize, g: usize, acc: usize, clr: f64, eps: f64,
                            wd: f64, sign: f64): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o);
    const gi = sign * load<f64>(g + o) + wd * xi;
    const si = load<f64>(acc + o) + gi * gi;
    store<f64>(acc + o, si);
    store<f64>(x + o, xi + ((-clr) * gi) / (Math.sqrt(si) + eps));
  }
}
