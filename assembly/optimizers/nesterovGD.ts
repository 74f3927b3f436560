// Nesterov's accelerated gradient in its original look-ahead form (Nesterov 1983; Beck &
// Teboulle 2009 for the t/(t+3) schedule), used in the theory literature:
//   y_t = x_t + β_t (x_t − x_{t−1}),   x_{t+1} = y_t − η∇f(y_t),   x_{−1} = x_0
// with β_t constant or β_t = t/(t + 3). The gradient is taken at y_t, so the step has two
// phases: `nesterovLookahead` writes y (where the landscape is differentiated), then
// `nesterovStep` moves x. State: p = x_{t−1}.

/** Phase 1: y ← x + β(x − p). */
export function nesterovLookahead(n: i32, x: usize, p: usize, y: usize, beta: f64): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o);
    store<f64>(y + o, xi + beta * (xi - load<f64>(p + o)));
  }
}

/** Phase 2, with g = ∇f(y): p ← x, x ← y − η·σ·g. */
export function nesterovStep(n: i32, x: usize, g: usize, p: usize, y: usize, lr: f64, sign: f64): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(p + o, load<f64>(x + o));
    store<f64>(x + o, load<f64>(y + o) - lr * (sign * load<f64>(g + o)));
  }
}
