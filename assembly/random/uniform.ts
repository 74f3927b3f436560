// Uniform doubles from Philox words. A double in [0, 1) gets 53 random bits from two 32-bit
// words: (a >> 5)·2²⁶ + (b >> 6) is an integer in [0, 2⁵³), scaled by 2⁻⁵³ exactly — every value
// is a multiple of 2⁻⁵³, all equally likely (the construction of Random123's u01 and of
// numpy's random_standard_uniform). Each 128-bit block gives two doubles.

import { philox, out0, out1, out2, out3 } from './philox';

const TWO_POW_26: f64 = 67108864.0; // 2^26
const TWO_POW_M53: f64 = 1.1102230246251565e-16; // 2^-53, exact

/** The 53-bit uniform in [0, 1) made from words (a, b). */
@inline export function u01(a: u32, b: u32): f64 {
  return (<f64>(a >>> 5) * TWO_POW_26 + <f64>(b >>> 6)) * TWO_POW_M53;
}

/**
 * Fill `out` with `count` uniforms in [0, 1): draw j (j = offset, offset+1, …) takes words
 * (2(j mod 2), 2(j mod 2)+1) of block ⌊j/2⌋ of counter (·, step, particle, stream).
 */
export function fillUniform(k0: u32, k1: u32, stream: u32, particle: u32, step: u32,
                            offset: u32, count: i32, out: usize): void {
  let j = offset;
  for (let i = 0; i < count; i++, j++) {
    philox(j >>> 1, step, particle, stream, k0, k1);
    const v = (j & 1) == 0 ? u01(out0, out1) : u01(out2, out3);
    store<f64>(out + (<usize>i << 3), v);
  }
}
