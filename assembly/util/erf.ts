// The error function and its complement, to ~1e-15 relative (erfc ~1e-13 just below t = 2),
// for the exact GELU x·Φ(x) (torch's default, approximate='none'). AssemblyScript's Math has no
// erf, and the module must not import JS's, so:
//   |t| < 2   erf(t) = (2/√π) e^{−t²} Σ_{n≥0} 2ⁿ t^{2n+1} / (1·3·…·(2n+1))
//             (all terms positive: no cancellation; Abramowitz & Stegun 7.1.6)
//   t ≥ 2     erfc(t) = e^{−t²}/√π · 1/(t + ½/(t + 1/(t + (3/2)/(t + 2/(t + …)))))
//             (Laplace's continued fraction, A&S 7.1.14), evaluated bottom-up from depth 80.
// Checked against CPython's math.erf/erfc on [−8, 8] (test/models-torch.test.ts covers GELU).

const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126; // 2/√π
const ONE_OVER_SQRT_PI: f64 = 0.5641895835477563; // 1/√π

function erfSeries(t: f64): f64 {
  let term = t, sum = t;
  const q = 2.0 * t * t;
  for (let n = 0; n < 200; n++) {
    term *= q / <f64>(2 * n + 3);
    sum += term;
    if (Math.abs(term) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-t * t) * sum;
}

/** erfc(t) for t ≥ 2 by the continued fraction. */
function erfcTail(t: f64): f64 {
  let f = t;
  for (let k = 80; k >= 1; k--) f = t + (<f64>k * 0.5) / f;
  return ONE_OVER_SQRT_PI * Math.exp(-t * t) / f;
}

/** erf(t). */
export function erf(t: f64): f64 {
  if (Math.abs(t) < 2.0) return erfSeries(t);
  return t > 0.0 ? 1.0 - erfcTail(t) : erfcTail(-t) - 1.0;
}

/** erfc(t) = 1 − erf(t), without cancellation for large t. */
export function erfc(t: f64): f64 {
  if (Math.abs(t) < 2.0) return 1.0 - erfSeries(t);
  return t > 0.0 ? erfcTail(t) : 2.0 - erfcTail(-t);
}

/** Standard normal CDF Φ(x) = ½ erfc(−x/√2). */
export function normalCdf(x: f64): f64 {
  return 0.5 * erfc(-x * 0.7071067811865476);
}
