// Standard normal draws by the Box–Muller transform (Box & Muller 1958): from one Philox block,
// u = u01(w0, w1) and u' = u01(w2, w3), and
//   r = √(−2 ln(1 − u)),  θ = 2π u',  z₀ = r cos θ,  z₁ = r sin θ
// are two independent N(0, 1) draws. 1 − u lies in (0, 1], so the log is finite; the largest
// |z| is √(−2 ln 2⁻⁵³) ≈ 8.57. Normal draw j is z_(j mod 2) of block ⌊j/2⌋. log, sqrt, sin and
// cos are AssemblyScript's own (musl-derived, < 1 ulp), compiled into the module, so the bits are
// the same in every runtime.

import { philox, out0, out1, out2, out3 } from './philox';
import { u01 } from './uniform';

const TWO_PI: f64 = 6.283185307179586; // 2π, nearest double

/**
 * Fill `out` with `count` standard normals, draws offset, offset+1, … of counter
 * (·, step, particle, stream) under key (k0, k1).
 */
export function fillNormal(k0: u32, k1: u32, stream: u32, particle: u32, step: u32,
                           offset: u32, count: i32, out: usize): void {
  let j = offset;
  let i = 0;
  // A leading odd draw takes the sine half of its block.
  if ((j & 1) == 1 && i < count) {
    philox(j >>> 1, step, particle, stream, k0, k1);
    const r = Math.sqrt(-2.0 * Math.log(1.0 - u01(out0, out1)));
    store<f64>(out, r * Math.sin(TWO_PI * u01(out2, out3)));
    i++; j++;
  }
  for (; i + 2 <= count; i += 2, j += 2) {
    philox(j >>> 1, step, particle, stream, k0, k1);
    const r = Math.sqrt(-2.0 * Math.log(1.0 - u01(out0, out1)));
    const t = TWO_PI * u01(out2, out3);
    store<f64>(out + (<usize>i << 3), r * Math.cos(t));
    store<f64>(out + (<usize>(i + 1) << 3), r * Math.sin(t));
  }
  if (i < count) {
    philox(j >>> 1, step, particle, stream, k0, k1);
    const r = Math.sqrt(-2.0 * Math.log(1.0 - u01(out0, out1)));
    store<f64>(out + (<usize>i << 3), r * Math.cos(TWO_PI * u01(out2, out3)));
  }
}
