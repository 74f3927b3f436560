// Polyak's heavy-ball method (Polyak 1964, "Some methods of speeding up the convergence of
// iteration methods", eq. 9), the form used in the theory literature:
//   x_{t+1} = x_t − η∇f(x_t) + β(x_t − x_{t−1}),   x_{−1} = x_0
// State: p = previous iterate (initialised to x_0 by the caller).

/** One heavy-ball step on n doubles: p holds x_{t−1} and receives x_t. */
export function heavyBallStep(n: i32, x: usize, g: usize, p: usize, lr: f64, beta: f64, sign: f64): void {
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o);
    store<f64>(x + o, xi - lr * (sign * load<f64>(g + o)) + beta * (xi - load<f64>(p + o)));
    store<f64>(p + o, xi);
  }
}
