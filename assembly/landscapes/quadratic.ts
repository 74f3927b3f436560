// Quadratic f(x) = ½ xᵀAx + bᵀx + c (docs/landscapes.md, `quadratic`).
//   ∇f = Ax + b,   ∇²f = A,   Hv = Av.
// Parameters (f64): A (d×d row-major, symmetric) | b (d) | c.

import { ld, st, ldc, stc } from '../util/memory';
import { orthonormalizeColumns } from '../linalg/orthogonal';
import { fillNormal } from '../random/normal';

/** Philox stream of the Gaussian matrix behind a spectral quadratic's rotation ("ROTA"). */
export const ROTATION_STREAM: u32 = 0x524f5441;

@final export class Quadratic {
  /** (Ax)_i for row i: one pass over a contiguous row of A. */
  @inline row(p: usize, d: i32, i: i32, x: usize, s: usize): f64 {
    const r = p + (<usize>(i * d) << 3);
    let acc = 0.0;
    for (let j = 0; j < d; j++) acc += ldc(r, j) * ld(x, j, s);
    return acc;
  }

  @inline value(p: usize, d: i32, x: usize, s: usize, w: usize): f64 {
    const b = p + (<usize>(d * d) << 3);
    let f = 0.0;
    for (let i = 0; i < d; i++) f += ld(x, i, s) * (0.5 * this.row(p, d, i, x, s) + ldc(b, i));
    return f + ldc(b, d);
  }

  @inline grad(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool): f64 {
    const b = p + (<usize>(d * d) << 3);
    let f = 0.0;
    for (let i = 0; i < d; i++) {
      const ax = this.row(p, d, i, x, s);
      if (withValue) f += ld(x, i, s) * (0.5 * ax + ldc(b, i));
      st(g, i, s, ax + ldc(b, i));
    }
    return f + ldc(b, d);
  }

  /** The block gradient: quadraticGrad2 below (a separate call so the micro-kernel gets its own register allocation). */
  @inline grad2(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool, out: usize, pairs: i32): void {
    quadraticGrad2(p, d, x, s, g, withValue, out, pairs);
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    for (let i = 0; i < d; i++) st(out, i, s, this.row(p, d, i, v, s));
  }

  /**
   * d = 2, for the fused kernels (run/fused.ts): the constants A₀₀ A₀₁ A₁₀ A₁₁ b₀ b₁ (k = 0 … 5),
   * hoisted by the caller, and coordinate j of one pair's gradient (in registers) with
   * quadraticGrad2's operations and order for d = 2 (acc = 0, += A_i0 x_0, += A_i1 x_1, + b_i), loop-free.
   */
  @inline pairConst(p: usize, k: i32): v128 { return f64x2.splat(ldc(p, k)); }

  @inline gradPair2(j: i32, x0: v128, x1: v128, a00: v128, a01: v128, a10: v128, a11: v128, b0: v128, b1: v128): v128 {
    const zero = f64x2.splat(0.0);
    if (j == 1) return f64x2.add(f64x2.add(f64x2.add(zero, f64x2.mul(a10, x0)), f64x2.mul(a11, x1)), b1);
    return f64x2.add(f64x2.add(f64x2.add(zero, f64x2.mul(a00, x0)), f64x2.mul(a01, x1)), b0);
  }
}

/**
 * G = A·X + b for `pairs` pairs of adjacent particles (structure-of-arrays: lane k's coordinate
 * j at x + 8k + j·s), and f = Σ_i x_i (½ (Ax)_i + b_i) + c per lane when withValue.
 * A register-blocked GEMM micro-kernel (the 4×4 tile of Goto & van de Geijn, "Anatomy of
 * high-performance matrix multiplication", ACM TOMS 2008, in f64x2): 4 rows of A × 4 lanes,
 * 8 independent f64x2 accumulators. Without FMA an add has ~3–4 cycles latency and two issue per
 * cycle, so the old 1-row × 4-lane loop (2 chains) was latency-bound; 8 chains keep both adders
 * busy, and each x load now serves 4 rows, each A entry 4 lanes.
 * Bits: every output keeps the scalar kernel's order — acc = 0, acc += A_ij x_j for j = 0 … d−1,
 * then + b_i; f sums rows i = 0 … d−1 in order — so each lane equals `grad` bit for bit.
 * Tails: rows d mod 4 one at a time, an odd pair on its own, both with the same formula.
 */
function quadraticGrad2(p: usize, d: i32, x: usize, s: usize, g: usize, withValue: bool, out: usize, pairs: i32): void {
  const b = p + (<usize>(d * d) << 3);
  const half = f64x2.splat(0.5), zero = f64x2.splat(0.0);
  const rs = <usize>d << 3; // bytes of one row of A
  let k = 0;
  for (; k + 2 <= pairs; k += 2) {
    const xo = x + (<usize>k << 4), go = g + (<usize>k << 4);
    let f = zero, f2 = zero;
    let i = 0;
    for (; i + 4 <= d; i += 4) {
      let c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
      let a0p = p + <usize>i * rs;
      const end = a0p + rs;
      let xj = xo;
      for (; a0p < end; a0p += 8) {
        const x0 = v128.load(xj), x1 = v128.load(xj, 16);
        const a0 = v128.load64_splat(a0p), a1 = v128.load64_splat(a0p + rs);
        const a2 = v128.load64_splat(a0p + 2 * rs), a3 = v128.load64_splat(a0p + 3 * rs);
        c00 = f64x2.add(c00, f64x2.mul(a0, x0)); c01 = f64x2.add(c01, f64x2.mul(a0, x1));
        c10 = f64x2.add(c10, f64x2.mul(a1, x0)); c11 = f64x2.add(c11, f64x2.mul(a1, x1));
        c20 = f64x2.add(c20, f64x2.mul(a2, x0)); c21 = f64x2.add(c21, f64x2.mul(a2, x1));
        c30 = f64x2.add(c30, f64x2.mul(a3, x0)); c31 = f64x2.add(c31, f64x2.mul(a3, x1));
        xj += s;
      }
      // Rows i … i+3 in ascending order (the order f sums them in the scalar kernel).
      const xi = xo + <usize>i * s, gi = go + <usize>i * s, bi = b + (<usize>i << 3);
      let bv = v128.load64_splat(bi);
      if (withValue) {
        f = f64x2.add(f, f64x2.mul(v128.load(xi), f64x2.add(f64x2.mul(half, c00), bv)));
        f2 = f64x2.add(f2, f64x2.mul(v128.load(xi, 16), f64x2.add(f64x2.mul(half, c01), bv)));
      }
      v128.store(gi, f64x2.add(c00, bv)); v128.store(gi, f64x2.add(c01, bv), 16);
      bv = v128.load64_splat(bi, 8);
      if (withValue) {
        f = f64x2.add(f, f64x2.mul(v128.load(xi + s), f64x2.add(f64x2.mul(half, c10), bv)));
        f2 = f64x2.add(f2, f64x2.mul(v128.load(xi + s, 16), f64x2.add(f64x2.mul(half, c11), bv)));
      }
      v128.store(gi + s, f64x2.add(c10, bv)); v128.store(gi + s, f64x2.add(c11, bv), 16);
      bv = v128.load64_splat(bi, 16);
      if (withValue) {
        f = f64x2.add(f, f64x2.mul(v128.load(xi + 2 * s), f64x2.add(f64x2.mul(half, c20), bv)));
        f2 = f64x2.add(f2, f64x2.mul(v128.load(xi + 2 * s, 16), f64x2.add(f64x2.mul(half, c21), bv)));
      }
      v128.store(gi + 2 * s, f64x2.add(c20, bv)); v128.store(gi + 2 * s, f64x2.add(c21, bv), 16);
      bv = v128.load64_splat(bi, 24);
      if (withValue) {
        f = f64x2.add(f, f64x2.mul(v128.load(xi + 3 * s), f64x2.add(f64x2.mul(half, c30), bv)));
        f2 = f64x2.add(f2, f64x2.mul(v128.load(xi + 3 * s, 16), f64x2.add(f64x2.mul(half, c31), bv)));
      }
      v128.store(gi + 3 * s, f64x2.add(c30, bv)); v128.store(gi + 3 * s, f64x2.add(c31, bv), 16);
    }
    for (; i < d; i++) {
      const r = p + <usize>i * rs;
      let acc = zero, acc2 = zero;
      for (let j = 0; j < d; j++) {
        const a = v128.load64_splat(r + (<usize>j << 3)), xj = xo + <usize>j * s;
        acc = f64x2.add(acc, f64x2.mul(a, v128.load(xj)));
        acc2 = f64x2.add(acc2, f64x2.mul(a, v128.load(xj, 16)));
      }
      const bv = v128.load64_splat(b + (<usize>i << 3)), xi = xo + <usize>i * s, gi = go + <usize>i * s;
      if (withValue) {
        f = f64x2.add(f, f64x2.mul(v128.load(xi), f64x2.add(f64x2.mul(half, acc), bv)));
        f2 = f64x2.add(f2, f64x2.mul(v128.load(xi, 16), f64x2.add(f64x2.mul(half, acc2), bv)));
      }
      v128.store(gi, f64x2.add(acc, bv));
      v128.store(gi, f64x2.add(acc2, bv), 16);
    }
    if (withValue) {
      const c = v128.load64_splat(b + (<usize>d << 3)), o = out + (<usize>k << 4);
      v128.store(o, f64x2.add(f, c));
      v128.store(o, f64x2.add(f2, c), 16);
    }
  }
  for (; k < pairs; k++) {
    const o = <usize>k << 4;
    let f = zero;
    for (let i = 0; i < d; i++) {
      const r = p + <usize>i * rs;
      let acc = zero;
      for (let j = 0; j < d; j++) acc = f64x2.add(acc, f64x2.mul(v128.load64_splat(r + (<usize>j << 3)), v128.load(x + o + <usize>j * s)));
      const bi = v128.load64_splat(b + (<usize>i << 3));
      if (withValue) f = f64x2.add(f, f64x2.mul(v128.load(x + o + <usize>i * s), f64x2.add(f64x2.mul(half, acc), bi)));
      v128.store(g + o + <usize>i * s, f64x2.add(acc, bi));
    }
    if (withValue) v128.store(out + o, f64x2.add(f, v128.load64_splat(b + (<usize>d << 3))));
  }
}

/**
 * Build the parameters of ½ (x−m)ᵀ Q diag(λ) Qᵀ (x−m) into `p` (layout above): Q is Gram–Schmidt
 * (twice) of a d×d standard-normal matrix from Philox stream ROTATION_STREAM of `seed`, so Haar
 * on O(d); then A = QΛQᵀ (lower triangle computed, mirrored: exactly symmetric), b = −Am,
 * c = ½ mᵀAm. `lambda`, `m`: d doubles each; `work`: d² doubles. Returns −1, or the column index
 * at which the random matrix was numerically singular (probability zero).
 */
export function quadraticFromSpectrum(d: i32, lambda: usize, m: usize, k0: u32, k1: u32,
                                      p: usize, work: usize): i32 {
  fillNormal(k0, k1, ROTATION_STREAM, 0, 0, 0, d * d, work); // column-major Gaussian matrix
  const bad = orthonormalizeColumns(d, work);
  if (bad >= 0) return bad;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let a = 0.0;
      for (let k = 0; k < d; k++) a += ldc(work, k * d + i) * ldc(lambda, k) * ldc(work, k * d + j);
      stc(p, i * d + j, a);
      stc(p, j * d + i, a);
    }
  }
  const b = p + (<usize>(d * d) << 3);
  let c = 0.0;
  for (let i = 0; i < d; i++) {
    let am = 0.0;
    for (let j = 0; j < d; j++) am += ldc(p, i * d + j) * ldc(m, j);
    stc(b, i, -am);
    c += 0.5 * ldc(m, i) * am;
  }
  stc(b, d, c);
  return -1;
}
