// Dense vector kernels of the spectral methods: f64x2 lanes along the vector. Dot products use
// four independent f64x2 accumulators (docs/performance.md lesson 4) combined in a fixed order,
// so a result is the same bits in every runtime. Vectors are contiguous doubles; no alignment is
// assumed (v128.load/store take any address).

/** The sum of four f64x2 accumulators in the fixed order ((0+1)+(2+3)), then lane 0 + lane 1. */
@inline function sumLanes(c0: v128, c1: v128, c2: v128, c3: v128): f64 {
  const c = f64x2.add(f64x2.add(c0, c1), f64x2.add(c2, c3));
  return f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1);
}

/** Σ a_i b_i over n doubles: four f64x2 accumulators over blocks of 8, merged ((0+1)+(2+3)), then a scalar tail. */
export function dot(a: usize, b: usize, n: i32): f64 {
  let c0 = f64x2.splat(0.0), c1 = f64x2.splat(0.0), c2 = f64x2.splat(0.0), c3 = f64x2.splat(0.0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 3;
    c0 = f64x2.add(c0, f64x2.mul(v128.load(a + o), v128.load(b + o)));
    c1 = f64x2.add(c1, f64x2.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    c2 = f64x2.add(c2, f64x2.mul(v128.load(a + o, 32), v128.load(b + o, 32)));
    c3 = f64x2.add(c3, f64x2.mul(v128.load(a + o, 48), v128.load(b + o, 48)));
  }
  let s = sumLanes(c0, c1, c2, c3);
  for (; i < n; i++) s += load<f64>(a + (<usize>i << 3)) * load<f64>(b + (<usize>i << 3));
  return s;
}

/** y += α x over n doubles. */
export function axpy(alpha: f64, x: usize, y: usize, n: i32): void {
  const av = f64x2.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(av, v128.load(x + o))));
    v128.store(y + o, f64x2.add(v128.load(y + o, 16), f64x2.mul(av, v128.load(x + o, 16))), 16);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + alpha * load<f64>(x + o));
  }
}

/** x *= α over n doubles. */
export function scale(alpha: f64, x: usize, n: i32): void {
  const av = f64x2.splat(alpha);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(x + o, f64x2.mul(av, v128.load(x + o)));
  }
  if (i < n) store<f64>(x + (<usize>i << 3), alpha * load<f64>(x + (<usize>i << 3)));
}

/** dst = src over n doubles. */
@inline export function copy(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, <usize>n << 3);
}

/** x = 0 over n doubles. */
@inline export function zero(x: usize, n: i32): void {
  memory.fill(x, 0, <usize>n << 3);
}

/** ‖x‖₂ by dot(x, x): no scaling — the vectors here are unit-scale or operator images of them. */
@inline export function norm(x: usize, n: i32): f64 {
  return Math.sqrt(dot(x, x, n));
}

/**
 * One classical Gram–Schmidt pass: w ← w − V(Vᵀw) against the `count` orthonormal vectors
 * V_j = basis + j·n doubles. This pass's coefficients go to coeff[count..2·count) and are added
 * into coeff[0..count). All dot products first (w stays in cache), then one
 * fused sweep over w that subtracts every c_j V_j from a chunk of 8 doubles held in registers,
 * so w is read and written once rather than once per vector; the same sweep sums the squares of
 * the new w in dot()'s order and returns ‖w‖ afterwards (= norm(w, n), bit for bit).
 */
export function project(basis: usize, count: i32, n: i32, w: usize, coeff: usize): f64 {
  const stride = <usize>n << 3;
  const pass = coeff + (<usize>count << 3);
  let q = basis;
  for (let j = 0; j < count; j++, q += stride) {
    const c = dot(q, w, n);
    store<f64>(pass + (<usize>j << 3), c);
    store<f64>(coeff + (<usize>j << 3), load<f64>(coeff + (<usize>j << 3)) + c);
  }
  let s0 = f64x2.splat(0.0), s1 = s0, s2 = s0, s3 = s0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 3;
    let w0 = v128.load(w + o), w1 = v128.load(w + o, 16), w2 = v128.load(w + o, 32), w3 = v128.load(w + o, 48);
    let p = basis + o;
    for (let j = 0; j < count; j++, p += stride) {
      const c = f64x2.splat(load<f64>(pass + (<usize>j << 3)));
      w0 = f64x2.sub(w0, f64x2.mul(c, v128.load(p)));
      w1 = f64x2.sub(w1, f64x2.mul(c, v128.load(p, 16)));
      w2 = f64x2.sub(w2, f64x2.mul(c, v128.load(p, 32)));
      w3 = f64x2.sub(w3, f64x2.mul(c, v128.load(p, 48)));
    }
    v128.store(w + o, w0); v128.store(w + o, w1, 16); v128.store(w + o, w2, 32); v128.store(w + o, w3, 48);
    s0 = f64x2.add(s0, f64x2.mul(w0, w0));
    s1 = f64x2.add(s1, f64x2.mul(w1, w1));
    s2 = f64x2.add(s2, f64x2.mul(w2, w2));
    s3 = f64x2.add(s3, f64x2.mul(w3, w3));
  }
  let ss = sumLanes(s0, s1, s2, s3);
  for (; i < n; i++) {
    const o = <usize>i << 3;
    let x = load<f64>(w + o);
    let p = basis + o;
    for (let j = 0; j < count; j++, p += stride) x -= load<f64>(pass + (<usize>j << 3)) * load<f64>(p);
    store<f64>(w + o, x);
    ss += x * x;
  }
  return Math.sqrt(ss);
}

/**
 * Classical Gram–Schmidt applied twice (CGS2; Giraud, Langou, Rozložník & van den Eshof,
 * "Rounding error analysis of the classical Gram–Schmidt orthogonalization process", Numer.
 * Math. 101, 2005: "twice is enough" — orthogonality to O(ε) whenever w is not numerically in
 * span(V)): make w orthogonal to the `count` orthonormal vectors V_j = basis + j·n. coeff (2·count
 * doubles of scratch) receives Vᵀw of the original w in its first half. Returns ‖w‖ after.
 */
export function orthogonalize(basis: usize, count: i32, n: i32, w: usize, coeff: usize): f64 {
  for (let j = 0; j < count; j++) store<f64>(coeff + (<usize>j << 3), 0.0);
  project(basis, count, n, w, coeff);
  return project(basis, count, n, w, coeff);
}

/** w ← w + a·x (+ b·y if two) over n doubles, returning ‖w‖ after (dot()'s summation order). */
@inline function threeTerm(w: usize, x: usize, a: f64, y: usize, b: f64, n: i32, two: bool = true): f64 {
  const av = f64x2.splat(a), bv = f64x2.splat(b);
  let s0 = f64x2.splat(0.0), s1 = s0, s2 = s0, s3 = s0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 3;
    let w0 = f64x2.add(v128.load(w + o), f64x2.mul(av, v128.load(x + o)));
    let w1 = f64x2.add(v128.load(w + o, 16), f64x2.mul(av, v128.load(x + o, 16)));
    let w2 = f64x2.add(v128.load(w + o, 32), f64x2.mul(av, v128.load(x + o, 32)));
    let w3 = f64x2.add(v128.load(w + o, 48), f64x2.mul(av, v128.load(x + o, 48)));
    if (two) {
      w0 = f64x2.add(w0, f64x2.mul(bv, v128.load(y + o)));
      w1 = f64x2.add(w1, f64x2.mul(bv, v128.load(y + o, 16)));
      w2 = f64x2.add(w2, f64x2.mul(bv, v128.load(y + o, 32)));
      w3 = f64x2.add(w3, f64x2.mul(bv, v128.load(y + o, 48)));
    }
    v128.store(w + o, w0); v128.store(w + o, w1, 16); v128.store(w + o, w2, 32); v128.store(w + o, w3, 48);
    s0 = f64x2.add(s0, f64x2.mul(w0, w0));
    s1 = f64x2.add(s1, f64x2.mul(w1, w1));
    s2 = f64x2.add(s2, f64x2.mul(w2, w2));
    s3 = f64x2.add(s3, f64x2.mul(w3, w3));
  }
  let ss = sumLanes(s0, s1, s2, s3);
  for (; i < n; i++) {
    const o = <usize>i << 3;
    let v = load<f64>(w + o) + a * load<f64>(x + o);
    if (two) v = v + b * load<f64>(y + o);
    store<f64>(w + o, v);
    ss += v * v;
  }
  return Math.sqrt(ss);
}

/** 1/√2: the DGKS reorthogonalisation threshold (Daniel, Gragg, Kaufman & Stewart 1976). */
const DGKS: f64 = 0.7071067811865476;

/**
 * Orthogonalise a Lanczos product w = A v_m against the basis v_0 … v_m (V_j = basis + j·n):
 * first the three-term recurrence w −= α₀ v_m + β v_{m−1} (β = 0 skips its second term: right
 * after a restart or a breakdown, where v_{m−1} is not v_m's only other neighbour), then one
 * classical Gram–Schmidt pass against the whole basis (full reorthogonalisation: it removes what
 * the recurrence's rounding left), and a second pass only if that one cancelled more than a
 * factor 1/√2 of ‖w‖ (the DGKS test, as ARPACK's dsaitr). Returns α = v_mᵀ A v_m (α₀ plus every
 * later coefficient of v_m); ‖w‖ afterwards is left in `normOut`. coeff: 2(m + 1) doubles of scratch.
 */
export function lanczosOrthogonalize(basis: usize, m: i32, n: i32, w: usize, beta: f64, coeff: usize): f64 {
  const vm = basis + ((<usize>m * <usize>n) << 3);
  const a0 = dot(vm, w, n);
  // w ← (w − α₀ v_m) − β v_{m−1} and ‖w‖ in one sweep: per element the operations of
  // axpy(−α₀, v_m, w), axpy(−β, v_{m−1}, w) (or only the first if β = 0) and norm(w), so the same bits.
  const before = beta != 0.0 && m > 0
    ? threeTerm(w, vm, -a0, basis + ((<usize>(m - 1) * <usize>n) << 3), -beta, n)
    : threeTerm(w, vm, -a0, vm, 0.0, n, false);
  const count = m + 1;
  for (let j = 0; j < count; j++) store<f64>(coeff + (<usize>j << 3), 0.0);
  let after = project(basis, count, n, w, coeff);
  if (!(after > DGKS * before)) after = project(basis, count, n, w, coeff);
  normOut = after;
  return a0 + load<f64>(coeff + (<usize>m << 3));
}

/** ‖w‖ after the last lanczosOrthogonalize (a global: wasm functions return one value). */
export let normOut: f64 = 0.0;
