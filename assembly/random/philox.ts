// Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror & Shaw, "Parallel random
// numbers: as easy as 1, 2, 3" (SC'11), §4.2. A bijection of a 128-bit counter under a 64-bit
// key: ten rounds of two 32×32→64-bit multiplies and xors, with a Weyl-sequence key schedule.
// It passes BigCrush with ten rounds, and every output block is a pure function of
// (counter, key): no state is carried between draws, which is the determinism contract
// (docs/design.md): a particle's noise cannot depend on chunking, workers or shards.
//
// descent's counter layout (fixed; changing it changes every random result):
//   key     = (seed mod 2³², ⌊seed / 2³²⌋)
//   counter = (block, step, particle, stream)       — four u32 words
// where `block` indexes 128-bit output blocks within one (stream, particle, step).

const M0: u32 = 0xd2511f53; // 3528531795, multiplier of counter word 0
const M1: u32 = 0xcd9e8d57; // 3449720151, multiplier of counter word 2
const W0: u32 = 0x9e3779b9; // 2654435769, key increment: golden ratio
const W1: u32 = 0xbb67ae85; // 3144134277, key increment: √3 − 1

// The four output words of the last call to `philox`: wasm functions return one value, and
// globals are cheaper than memory round trips. Read them immediately after the call.
export let out0: u32 = 0;
export let out1: u32 = 0;
export let out2: u32 = 0;
export let out3: u32 = 0;

/**
 * Philox4x32-10 of counter (c0, c1, c2, c3) under key (k0, k1); result in out0..out3.
 * Round (Salmon et al. 2011, eq. 4): with (hi, lo) of M0·c0 and M1·c2,
 *   c ← (hi(M1·c2) ⊕ c1 ⊕ k0, lo(M1·c2), hi(M0·c0) ⊕ c3 ⊕ k1, lo(M0·c0)),  k ← k + (W0, W1).
 */
@inline export function philox(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let r = 0; r < 10; r++) {
    const p0 = <u64>M0 * <u64>c0;
    const p1 = <u64>M1 * <u64>c2;
    const n0 = <u32>(p1 >> 32) ^ c1 ^ k0;
    const n1 = <u32>p1;
    const n2 = <u32>(p0 >> 32) ^ c3 ^ k1;
    const n3 = <u32>p0;
    c0 = n0; c1 = n1; c2 = n2; c3 = n3;
    k0 += W0;
    k1 += W1;
  }
  out0 = c0; out1 = c1; out2 = c2; out3 = c3;
}

/** Exported for known-answer tests: Philox4x32-10 of one counter, written as 4 u32 at `out`. */
export function philoxBlock(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32, out: usize): void {
  philox(c0, c1, c2, c3, k0, k1);
  store<u32>(out, out0);
  store<u32>(out + 4, out1);
  store<u32>(out + 8, out2);
  store<u32>(out + 12, out3);
}
