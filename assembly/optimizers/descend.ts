// The final move of the lane-stepped optimisers (run/distributed.ts): x ← x − η·σ·v on one
// contiguous point, the same arithmetic as sgd.ts's step (x − η·g when σ = 1; σ·v is exact).

/** x ← x − η·σ·v on d contiguous doubles. */
export function descend(x: usize, v: usize, d: i32, lr: f64, sign: f64): void {
  for (let j = 0; j < d; j++) {
    const o = <usize>j << 3;
    const g = sign == 1.0 ? load<f64>(v + o) : sign * load<f64>(v + o);
    store<f64>(x + o, load<f64>(x + o) - lr * g);
  }
}

/** out = (a − b) + c on d contiguous doubles: a control-variate estimator (SVRG, SARAH, MARINA's difference). */
export function controlVariate(a: usize, b: usize, c: usize, out: usize, d: i32): void {
  for (let j = 0; j < d; j++) {
    const o = <usize>j << 3;
    store<f64>(out + o, (load<f64>(a + o) - load<f64>(b + o)) + load<f64>(c + o));
  }
}
