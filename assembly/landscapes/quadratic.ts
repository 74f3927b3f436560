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

  /** `pairs` pairs of particles, two lanes at a time (see Rosenbrock.grad2); each lane's bits equal the scalar kernel's. */
  @inline grad2(p: usize, d: i32, x: usize, s: usize, g: usize, w: usize, withValue: bool, out: usize, pairs: i32): void {
    const b = p + (<usize>(d * d) << 3);
    const half = f64x2.splat(0.5);
    let k = 0;
    // Two pairs (four particles) per pass over A: each entry is loaded once for both.
    for (; k + 2 <= pairs; k += 2) {
      const o = <usize>k << 4, o2 = o + 16;
      let f = f64x2.splat(0.0), f2 = f64x2.splat(0.0);
      for (let i = 0; i < d; i++) {
        const r = p + (<usize>(i * d) << 3);
        let acc = f64x2.splat(0.0), acc2 = f64x2.splat(0.0);
        for (let j = 0; j < d; j++) {
          const a = v128.load64_splat(r + (<usize>j << 3)), xo = x + <usize>j * s;
          acc = f64x2.add(acc, f64x2.mul(a, v128.load(xo + o)));
          acc2 = f64x2.add(acc2, f64x2.mul(a, v128.load(xo + o2)));
        }
        const bi = v128.load64_splat(b + (<usize>i << 3));
        if (withValue) {
          f = f64x2.add(f, f64x2.mul(v128.load(x + o + <usize>i * s), f64x2.add(f64x2.mul(half, acc), bi)));
          f2 = f64x2.add(f2, f64x2.mul(v128.load(x + o2 + <usize>i * s), f64x2.add(f64x2.mul(half, acc2), bi)));
        }
        v128.store(g + o + <usize>i * s, f64x2.add(acc, bi));
        v128.store(g + o2 + <usize>i * s, f64x2.add(acc2, bi));
      }
      if (withValue) {
        const c = v128.load64_splat(b + (<usize>d << 3));
        v128.store(out + o, f64x2.add(f, c));
        v128.store(out + o2, f64x2.add(f2, c));
      }
    }
    for (; k < pairs; k++) {
      const o = <usize>k << 4;
      let f = f64x2.splat(0.0);
      for (let i = 0; i < d; i++) {
        const r = p + (<usize>(i * d) << 3);
        let acc = f64x2.splat(0.0);
        for (let j = 0; j < d; j++) acc = f64x2.add(acc, f64x2.mul(v128.load64_splat(r + (<usize>j << 3)), v128.load(x + o + <usize>j * s)));
        const bi = v128.load64_splat(b + (<usize>i << 3));
        if (withValue) f = f64x2.add(f, f64x2.mul(v128.load(x + o + <usize>i * s), f64x2.add(f64x2.mul(half, acc), bi)));
        v128.store(g + o + <usize>i * s, f64x2.add(acc, bi));
      }
      if (withValue) v128.store(out + o, f64x2.add(f, v128.load64_splat(b + (<usize>d << 3))));
    }
  }

  @inline hvp(p: usize, d: i32, x: usize, s: usize, v: usize, out: usize, w: usize): void {
    for (let i = 0; i < d; i++) st(out, i, s, this.row(p, d, i, v, s));
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
