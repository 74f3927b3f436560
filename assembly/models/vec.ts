// Dense vector helpers for the model kernels. f64x2 lanes run along the vector; the summation
// order is fixed by the code, so results are the same bits in every runtime.

/** Σ a_i b_i over n contiguous doubles. */
@inline export function dot(a: usize, b: usize, n: i32): f64 {
  let acc = f64x2.splat(0.0);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    acc = f64x2.add(acc, f64x2.mul(v128.load(a + o), v128.load(b + o)));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (i < n) s += load<f64>(a + (<usize>i << 3)) * load<f64>(b + (<usize>i << 3));
  return s;
}

/** y += α x over n contiguous doubles. */
@inline export function axpy(alpha: f64, x: usize, y: usize, n: i32): void {
  const av = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(av, v128.load(x + o))));
  }
  if (i < n) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

/** x = 0 over n doubles. */
@inline export function zero(x: usize, n: i32): void {
  memory.fill(x, 0, <usize>n << 3);
}
