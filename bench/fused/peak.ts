// Peak f64 arithmetic of wasm SIMD on this machine, for bench/dense.mjs: an in-register loop with
// no memory traffic. Each iteration does 6 independent f64x2 adds and 6 independent f64x2 muls
// (12 dependency chains, 24 flops): enough chains to cover the ~3-cycle latency of both units, so
// the loop is throughput-bound. c and m come from JS so nothing can be constant-folded; m is just
// below 1 so the products neither overflow nor reach subnormals. wasm has no FMA, so a mul and an
// add are two instructions: this is the ceiling a mul+add GEMM micro-kernel can approach.
// Built by bench/dense.mjs: asc peak.ts --runtime stub -O3 --enable simd -o peak.wasm.

/** Runs n iterations; returns a sum of all chains (so the loop is live). Flops: 24 n. */
export function peakMulAdd(n: i32, c: f64, m: f64): f64 {
  const vc = f64x2.splat(c), vm = f64x2.splat(m);
  let a0 = f64x2.splat(1.0), a1 = f64x2.splat(2.0), a2 = f64x2.splat(3.0);
  let a3 = f64x2.splat(4.0), a4 = f64x2.splat(5.0), a5 = f64x2.splat(6.0);
  let m0 = f64x2.splat(1.0), m1 = f64x2.splat(2.0), m2 = f64x2.splat(3.0);
  let m3 = f64x2.splat(4.0), m4 = f64x2.splat(5.0), m5 = f64x2.splat(6.0);
  for (let i = 0; i < n; i++) {
    a0 = f64x2.add(a0, vc); a1 = f64x2.add(a1, vc); a2 = f64x2.add(a2, vc);
    a3 = f64x2.add(a3, vc); a4 = f64x2.add(a4, vc); a5 = f64x2.add(a5, vc);
    m0 = f64x2.mul(m0, vm); m1 = f64x2.mul(m1, vm); m2 = f64x2.mul(m2, vm);
    m3 = f64x2.mul(m3, vm); m4 = f64x2.mul(m4, vm); m5 = f64x2.mul(m5, vm);
  }
  let t = f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)), f64x2.add(a4, a5));
  t = f64x2.add(t, f64x2.add(f64x2.add(f64x2.add(m0, m1), f64x2.add(m2, m3)), f64x2.add(m4, m5)));
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}

/** The same with 8 + 8 chains (32 flops per iteration): if this is no faster, 6 + 6 already saturate. */
export function peakMulAdd16(n: i32, c: f64, m: f64): f64 {
  const vc = f64x2.splat(c), vm = f64x2.splat(m);
  let a0 = f64x2.splat(1.0), a1 = f64x2.splat(2.0), a2 = f64x2.splat(3.0), a3 = f64x2.splat(4.0);
  let a4 = f64x2.splat(5.0), a5 = f64x2.splat(6.0), a6 = f64x2.splat(7.0), a7 = f64x2.splat(8.0);
  let m0 = a0, m1 = a1, m2 = a2, m3 = a3, m4 = a4, m5 = a5, m6 = a6, m7 = a7;
  for (let i = 0; i < n; i++) {
    a0 = f64x2.add(a0, vc); a1 = f64x2.add(a1, vc); a2 = f64x2.add(a2, vc); a3 = f64x2.add(a3, vc);
    a4 = f64x2.add(a4, vc); a5 = f64x2.add(a5, vc); a6 = f64x2.add(a6, vc); a7 = f64x2.add(a7, vc);
    m0 = f64x2.mul(m0, vm); m1 = f64x2.mul(m1, vm); m2 = f64x2.mul(m2, vm); m3 = f64x2.mul(m3, vm);
    m4 = f64x2.mul(m4, vm); m5 = f64x2.mul(m5, vm); m6 = f64x2.mul(m6, vm); m7 = f64x2.mul(m7, vm);
  }
  let t = f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)), f64x2.add(f64x2.add(a4, a5), f64x2.add(a6, a7)));
  t = f64x2.add(t, f64x2.add(f64x2.add(f64x2.add(m0, m1), f64x2.add(m2, m3)), f64x2.add(f64x2.add(m4, m5), f64x2.add(m6, m7))));
  return f64x2.extract_lane(t, 0) + f64x2.extract_lane(t, 1);
}
