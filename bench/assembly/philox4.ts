// Philox4x32-10 on four counters at once, for the bench's hand-fused loop
// (bench/fused/sgd_rosenbrock.ts). The library dropped this four-lane form when noise and
// samplers moved to the eight-lane philox8 (assembly/random/philox4.ts, commit aecdfea); the fused
// loop still calls it, so the bench keeps its own copy of the code as it was there (same bits:
// every lane equals the scalar philox() of assembly/random/philox.ts). AssemblyScript: outside
// tsconfig.json, like bench/fused/.

const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;

// Output words of the last philox4 call: Q0 holds word 0 of the four blocks, and so on.
export let Q0: v128 = i32x4.splat(0);
export let Q1: v128 = i32x4.splat(0);
export let Q2: v128 = i32x4.splat(0);
export let Q3: v128 = i32x4.splat(0);

/** Philox4x32-10 of the four counters (c0[l], c1[l], c2[l], c3[l]) under key (k0, k1). */
@inline export function philox4(c0: v128, c1: v128, c2: v128, c3: v128, k0: u32, k1: u32): void {
  const m0 = i32x4.splat(M0), m1 = i32x4.splat(M1);
  let key0 = i32x4.splat(k0), key1 = i32x4.splat(k1);
  const w0 = i32x4.splat(W0), w1 = i32x4.splat(W1);
  for (let r = 0; r < 10; r++) {
    const p0a = i64x2.extmul_low_i32x4_u(c0, m0), p0b = i64x2.extmul_high_i32x4_u(c0, m0);
    const p1a = i64x2.extmul_low_i32x4_u(c2, m1), p1b = i64x2.extmul_high_i32x4_u(c2, m1);
    const lo0 = v128.shuffle<i32>(p0a, p0b, 0, 2, 4, 6), hi0 = v128.shuffle<i32>(p0a, p0b, 1, 3, 5, 7);
    const lo1 = v128.shuffle<i32>(p1a, p1b, 0, 2, 4, 6), hi1 = v128.shuffle<i32>(p1a, p1b, 1, 3, 5, 7);
    const n0 = v128.xor(v128.xor(hi1, c1), key0);
    const n2 = v128.xor(v128.xor(hi0, c3), key1);
    c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
    key0 = i32x4.add(key0, w0);
    key1 = i32x4.add(key1, w1);
  }
  Q0 = c0; Q1 = c1; Q2 = c2; Q3 = c3;
}


/** Lane l (0…3, a runtime value) of an i32x4. */
@inline export function laneOf(v: v128, l: i32): u32 {
  return l == 0 ? <u32>i32x4.extract_lane(v, 0) : l == 1 ? <u32>i32x4.extract_lane(v, 1) : l == 2 ? <u32>i32x4.extract_lane(v, 2) : <u32>i32x4.extract_lane(v, 3);
}
