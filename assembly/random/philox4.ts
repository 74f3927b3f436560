// Philox4x32-10 (random/philox.ts) on eight counters at once, as two sets of four: lane l of
// (c0, c1, c2, c3) is counter l. The 32×32→64-bit products come from i64x2.extmul (two lanes
// each), hi and lo words are regrouped with one shuffle each, and the independent dependency
// chains overlap — the scalar generator is latency-bound on its multiplies. Integer arithmetic
// only, so every lane equals the scalar philox() bit for bit (test/random.test.ts checks, through
// the ensemble noise and the sampler draws).

const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;

// Output of the last philox8 call: words 0 … 3 of set a, then of set b (8 × v128). Static memory,
// not globals: V8 reaches memory through a register it already holds, globals through the instance.
export const PH8: usize = memory.data(128, 16);

/**
 * Two independent sets of four counters, rounds interleaved: one set is a single chain of
 * dependent multiplies and shuffles (latency-bound), two chains fill the gaps (faster than one
 * set per block; four sets gained nothing: bench/README.md, "Kernel choices, as measured").
 * Words of set a (c0 … c3) go to PH8 + 0 … 48, of set b (d0 … d3) to PH8 + 64 … 112.
 */
@inline export function philox8(c0: v128, c1: v128, c2: v128, c3: v128, d0: v128, d1: v128, d2: v128, d3: v128, k0: u32, k1: u32): void {
  const m0 = i32x4.splat(M0), m1 = i32x4.splat(M1);
  let key0 = i32x4.splat(k0), key1 = i32x4.splat(k1);
  const w0 = i32x4.splat(W0), w1 = i32x4.splat(W1);
  for (let r = 0; r < 10; r++) {
    const p0a = i64x2.extmul_low_i32x4_u(c0, m0), p0b = i64x2.extmul_high_i32x4_u(c0, m0);
    const q0a = i64x2.extmul_low_i32x4_u(d0, m0), q0b = i64x2.extmul_high_i32x4_u(d0, m0);
    const p1a = i64x2.extmul_low_i32x4_u(c2, m1), p1b = i64x2.extmul_high_i32x4_u(c2, m1);
    const q1a = i64x2.extmul_low_i32x4_u(d2, m1), q1b = i64x2.extmul_high_i32x4_u(d2, m1);
    const lo0 = v128.shuffle<i32>(p0a, p0b, 0, 2, 4, 6), hi0 = v128.shuffle<i32>(p0a, p0b, 1, 3, 5, 7);
    const lo0b = v128.shuffle<i32>(q0a, q0b, 0, 2, 4, 6), hi0b = v128.shuffle<i32>(q0a, q0b, 1, 3, 5, 7);
    const lo1 = v128.shuffle<i32>(p1a, p1b, 0, 2, 4, 6), hi1 = v128.shuffle<i32>(p1a, p1b, 1, 3, 5, 7);
    const lo1b = v128.shuffle<i32>(q1a, q1b, 0, 2, 4, 6), hi1b = v128.shuffle<i32>(q1a, q1b, 1, 3, 5, 7);
    const n0 = v128.xor(v128.xor(hi1, c1), key0), n0b = v128.xor(v128.xor(hi1b, d1), key0);
    const n2 = v128.xor(v128.xor(hi0, c3), key1), n2b = v128.xor(v128.xor(hi0b, d3), key1);
    c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
    d0 = n0b; d1 = lo1b; d2 = n2b; d3 = lo0b;
    key0 = i32x4.add(key0, w0);
    key1 = i32x4.add(key1, w1);
  }
  v128.store(PH8, c0); v128.store(PH8, c1, 16); v128.store(PH8, c2, 32); v128.store(PH8, c3, 48);
  v128.store(PH8, d0, 64); v128.store(PH8, d1, 80); v128.store(PH8, d2, 96); v128.store(PH8, d3, 112);
}
