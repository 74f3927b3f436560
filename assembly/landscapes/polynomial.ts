// Separable polynomial (docs/landscapes.md, `polynomial`):
//   f(x) = Σ_i p_i(x_i),  p_i(t) = Σ_{k<m} c_{i,k} tᵏ
// Each p_i, p_i′ and p_i″ comes from one Horner pass (Knuth, TAOCP vol. 2, §4.6.4): with
// v ← v t + c_k, d₁ ← d₁ t + v, d₂ ← d₂ t + d₁ run from the top coefficient down,
// p = v, p′ = d₁, p″ = 2 d₂.  ∇²f = diag(p_i″(x_i)).
// Parameters: m (as f64) | c (d×m row-major, ascending powers, zero-padded).

import { ld, st, ldc } from '../util/memory';

// Results of the last `horner` call.
let P0: f64 = 0, P1: f64 = 0, P2: f64 = 0;

@inline function horner(c: usize, m: i32, t: f64): void {
  let v = ldc(c, m - 1), d1 = 0.0, d2 = 0.0;
  for (let k = m - 2; k >= 0; k--) {
    d2 = d2 * t + d1;
    d1 = d1 * t + v;
    v = v * t + ldc(c, k);
  }
  P0 = v; P1 = d1; P2 = 2.0 * d2;
}

@final export class Polynomial {
  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const m = <i32>ldc(p, 0);
    let f = 0.0;
    for (let i = 0; i < d; i++) {
      horner(p + 8 + (<usize>(i * m) << 3), m, ld(x, i, s));
      f += P0;
    }
    return f;
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const m = <i32>ldc(p, 0);
    let f = 0.0;
    for (let i = 0; i < d; i++) {
      horner(p + 8 + (<usize>(i * m) << 3), m, ld(x, i, s));
      f += P0;
      st(g, i, s, P1);
    }
    return f;
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    const m = <i32>ldc(p, 0);
    for (let i = 0; i < d; i++) {
      horner(p + 8 + (<usize>(i * m) << 3), m, ld(x, i, s));
      st(out, i, s, P2 * ld(v, i, s));
    }
  }
}
