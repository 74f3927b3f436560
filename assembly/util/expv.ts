// e^x on both lanes of an f64x2, for x ≤ 0 (kernel weights e^{−r²/h}): the fdlibm method
// (Sun Microsystems fdlibm 5.3 e_exp.c, as in musl src/math/exp.c before 2018), branch-free.
//   1. x = k·ln2 + r, k = nearest(x/ln2), |r| ≤ ln2/2; r = hi − lo with hi = x − k·ln2_hi exact
//      (ln2_hi has 32 trailing zero bits and |k| ≤ 1022) and lo = k·ln2_lo.
//   2. e^r = 1 + r + r·c/(2 − c) with c = r − r²(P1 + r²(P2 + r²(P3 + r²(P4 + r²P5)))), the
//      Remez rational approximation of fdlibm (|error of c| < 2^−59 on |r| ≤ ln2/2).
//   3. e^x = 2^k · e^r, 2^k built in the exponent bits.
// Accuracy: < 1 ulp on [−708, 0] (fdlibm's bound; the same operations, no FMA). Range:
// x < −708 returns 0 (the true value is below 3.4·10⁻³⁰⁸, and the one caller adds it to sums
// that contain e⁰ = 1); x = −∞ gives 0. NaN is not a valid input (the caller's never are).
// Only IEEE +, −, ×, ÷ and exact conversions: the same bits in every runtime.

// @ts-ignore: decorator
@inline const LN2_HI = reinterpret<f64>(0x3FE62E42FEE00000); // 6.93147180369123816490e-01
// @ts-ignore: decorator
@inline const LN2_LO = reinterpret<f64>(0x3DEA39EF35793C76); // 1.90821492927058770002e-10
// @ts-ignore: decorator
@inline const INV_LN2 = reinterpret<f64>(0x3FF71547652B82FE); // 1.44269504088896338700e+00
// @ts-ignore: decorator
@inline const P1 = reinterpret<f64>(0x3FC555555555553E); // 1.66666666666666019037e-01
// @ts-ignore: decorator
@inline const P2 = reinterpret<f64>(0xBF66C16C16BEBD93); // -2.77777777770155933842e-03
// @ts-ignore: decorator
@inline const P3 = reinterpret<f64>(0x3F11566AAF25DE2C); // 6.61375632143793436117e-05
// @ts-ignore: decorator
@inline const P4 = reinterpret<f64>(0xBEBBBD41C5D26BF1); // -1.65339022054652515390e-06
// @ts-ignore: decorator
@inline const P5 = reinterpret<f64>(0x3E66376972BEA4D0); // 4.13813679705723846039e-08
// @ts-ignore: decorator
@inline const LOWEST = -708.0; // below: 0 (e^−708 ≈ 3.3·10⁻³⁰⁸, still normal; k ≥ −1022)

// @ts-ignore: decorator
@inline const SHIFTER = 6755399441055744.0; // 1.5·2⁵²: t = y + SHIFTER rounds y to an integer (ties to even) in t's low mantissa bits

/**
 * e^x per lane for x ≤ 0 (see the file comment for accuracy and range). k = nearest(x/ln2) comes
 * from the 1.5·2⁵² shifter: t = x·(1/ln2) + 1.5·2⁵² is rounded to an integer with ties to even,
 * exactly as `nearest` (|k| ≤ 1022 ≪ 2⁵¹), so kf = t − 1.5·2⁵² is the same double, and k itself
 * is t's bit pattern minus the shifter's, so 2^k's exponent field is (bits(t) − bits(1.5·2⁵²) + 1023) ≪ 52
 * — three lane-wise operations instead of a saturating float→int conversion (four on x64) and
 * a sign extension.
 */
@inline export function expNonPositive(x: v128): v128 {
  const keep = f64x2.ge(x, f64x2.splat(LOWEST));            // false for x < −708 and for −∞
  const xc = f64x2.pmax(x, f64x2.splat(LOWEST));            // clamp (pmax: one maxpd; x is never NaN here)
  const t = f64x2.add(f64x2.mul(xc, f64x2.splat(INV_LN2)), f64x2.splat(SHIFTER));
  const kf = f64x2.sub(t, f64x2.splat(SHIFTER));
  const hi = f64x2.sub(xc, f64x2.mul(kf, f64x2.splat(LN2_HI)));
  const lo = f64x2.mul(kf, f64x2.splat(LN2_LO));
  const r = f64x2.sub(hi, lo);
  const tt = f64x2.mul(r, r);
  let p = f64x2.add(f64x2.splat(P4), f64x2.mul(tt, f64x2.splat(P5)));
  p = f64x2.add(f64x2.splat(P3), f64x2.mul(tt, p));
  p = f64x2.add(f64x2.splat(P2), f64x2.mul(tt, p));
  p = f64x2.add(f64x2.splat(P1), f64x2.mul(tt, p));
  const c = f64x2.sub(r, f64x2.mul(tt, p));
  const rc = f64x2.div(f64x2.mul(r, c), f64x2.sub(f64x2.splat(2.0), c));
  const y = f64x2.sub(f64x2.splat(1.0), f64x2.sub(f64x2.sub(lo, rc), hi));
  // 2^k, k ∈ [−1022, 0]: biased exponent (k + 1023) in bits 52…62.
  const scale = i64x2.shl(i64x2.add(t, i64x2.splat(1023 - reinterpret<i64>(SHIFTER))), 52);
  return v128.and(f64x2.mul(y, scale), keep);
}
