// Polyak's heavy-ball method (Polyak 1964, "Some methods of speeding up the convergence of
// iteration methods", eq. 9), the form used in the theory literature:
//   x_{t+1} = x_t − η∇f(x_t) + β(x_t − x_{t−1}),   x_{−1} = x_0
// State: p = previous iterate (initialised to x_0 by the caller).

/** One heavy-ball step on n doubles: p holds x_{t−1} and receives x_t. */
export function heavyBallStep(n: i32, x: usize, g: usize, p: usize, lr: f64, beta: f64, sign: f64): void {
  const vlr = f64x2.splat(lr), vbeta = f64x2.splat(beta), vs = f64x2.splat(sign);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(x + o, heavyBall2(v128.load(x + o), v128.load(g + o), p, o, vlr, vbeta, vs));
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const xi = load<f64>(x + o);
    store<f64>(x + o, xi - lr * (sign * load<f64>(g + o)) + beta * (xi - load<f64>(p + o)));
    store<f64>(p + o, xi);
  }
}

/**
 * Two lanes (x, g as values; the new x returned, x stored as the previous iterate at p + o): the
 * scalar loop's operations in its order (also the fused kernels' update).
 */
@inline export function heavyBall2(xv: v128, gv: v128, p: usize, o: usize, vlr: v128, vbeta: v128, vs: v128): v128 {
  const step = f64x2.sub(xv, f64x2.mul(vlr, f64x2.mul(vs, gv)));
  const xn = f64x2.add(step, f64x2.mul(vbeta, f64x2.sub(xv, v128.load(p + o))));
  v128.store(p + o, xv);
  return xn;
}
