// y = A x for a dense symmetric matrix that is stored once: only the upper triangle (in 4×4
// diagonal blocks, both halves), so a product streams each stored double from memory exactly
// once — half the traffic of a full row-major matvec, which is what bounds a large matvec
// (PERFORMANCE.md lesson 5; at n = 3 000 the matrix is 72 MB and leaves every cache).
//
// Layout ("4-row panels"; MUST MATCH packSymmetric in bindings/spectral.ts): n is padded with
// zero rows and columns to np = 4⌈n/4⌉. Panel b holds rows i0 = 4b … 4b+3 over columns
// j = i0 … np−1, in column pairs: for each pair (j, j+1) the 8 doubles
//   a(i0,j) a(i0,j+1)  a(i0+1,j) a(i0+1,j+1)  a(i0+2,j) a(i0+2,j+1)  a(i0+3,j) a(i0+3,j+1)
// so a panel is one sequential stream of 4(np − i0) doubles, and panels follow one another:
// np²/2 + 2np doubles in all. The first two pairs of a panel are its symmetric 4×4 diagonal
// block, stored in full.
//
// The product: for panel b, with x_r = x[i0 + r] splatted,
//   diagonal block:     acc_r += a(i0+r, j) x_j                         (j < i0 + 4)
//   columns j ≥ i0 + 4: acc_r += a(i0+r, j) x_j  and  y_j += a(i0,j)x_0 + … + a(i0+3,j)x_3 (in that order)
// then y[i0 + r] += acc_r (lanes summed). Every stored entry is used twice (row and transposed
// column) from one load; x and y stay in cache. Sums are in a fixed order (panel by panel,
// left to right), so the result is the same bits in every runtime.

/** Doubles of packed storage for an n×n symmetric matrix. */
export function symPackedSize(n: i32): i32 {
  const np = (n + 3) & ~3;
  return (np * np >> 1) + 2 * np;
}

@inline function hsum(v: v128): f64 { return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1); }

/**
 * y = A x with A packed as above: np (a multiple of 4), a the packed matrix, x and y np doubles
 * each (x's padding must be 0; y's padding comes out 0). x and y must not overlap.
 *
 * Each panel row's entries are loaded once and used for both its row sum and the transposed
 * update of y (a chain through yv). Two column pairs (j, j + 2) per iteration, then one pair if
 * a pair is left: per element the same operations in the same order as one pair per iteration
 * (so the same bits), measured on this machine kind (Node 20) 101 µs against 112 µs at
 * n = 1 000 (matrix in L3, compute-bound: no FMA in wasm) and ~4% faster at n = 3 000
 * (streaming from memory); four pairs per iteration measured no faster than one. Other variants
 * measured before (a summation tree for y, 2-row panels) were slower or within noise; wider
 * panels run out of the 16 xmm registers V8 allocates (two 4-row panels per sweep: 146 µs).
 */
export function symv(np: i32, a: usize, x: usize, y: usize): void {
  memory.fill(y, 0, <usize>np << 3);
  let p = a;
  for (let i0 = 0; i0 < np; i0 += 4) {
    const xi = x + (<usize>i0 << 3);
    const xs0 = f64x2.splat(load<f64>(xi)), xs1 = f64x2.splat(load<f64>(xi, 8));
    const xs2 = f64x2.splat(load<f64>(xi, 16)), xs3 = f64x2.splat(load<f64>(xi, 24));
    // Diagonal block: rows only (it is stored in full).
    let xv = v128.load(xi);
    let acc0 = f64x2.mul(v128.load(p), xv);
    let acc1 = f64x2.mul(v128.load(p, 16), xv);
    let acc2 = f64x2.mul(v128.load(p, 32), xv);
    let acc3 = f64x2.mul(v128.load(p, 48), xv);
    xv = v128.load(xi, 16);
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(p, 64), xv));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(p, 80), xv));
    acc2 = f64x2.add(acc2, f64x2.mul(v128.load(p, 96), xv));
    acc3 = f64x2.add(acc3, f64x2.mul(v128.load(p, 112), xv));
    p += 128;
    // Off-diagonal column pairs, two per iteration.
    let j = i0 + 4;
    for (; j + 4 <= np; j += 4) {
      const o = <usize>j << 3;
      xv = v128.load(x + o);
      let yv = v128.load(y + o);
      let av = v128.load(p);
      acc0 = f64x2.add(acc0, f64x2.mul(av, xv));
      yv = f64x2.add(yv, f64x2.mul(av, xs0));
      av = v128.load(p, 16);
      acc1 = f64x2.add(acc1, f64x2.mul(av, xv));
      yv = f64x2.add(yv, f64x2.mul(av, xs1));
      av = v128.load(p, 32);
      acc2 = f64x2.add(acc2, f64x2.mul(av, xv));
      yv = f64x2.add(yv, f64x2.mul(av, xs2));
      av = v128.load(p, 48);
      acc3 = f64x2.add(acc3, f64x2.mul(av, xv));
      yv = f64x2.add(yv, f64x2.mul(av, xs3));
      v128.store(y + o, yv);
      xv = v128.load(x + o, 16);
      yv = v128.load(y + o, 16);
      av = v128.load(p, 64);
      acc0 = f64x2.add(acc0, f64x2.mul(av, xv));
      yv = f64x2.add(yv, f64x2.mul(av, xs0));
      av = v128.load(p, 80);
      acc1 = f64x2.add(acc1, f64x2.mul(av, xv));
      yv = f64x2.add(yv, f64x2.mul(av, xs1));
      av = v128.load(p, 96);
      acc2 = f64x2.add(acc2, f64x2.mul(av, xv));
      yv = f64x2.add(yv, f64x2.mul(av, xs2));
      av = v128.load(p, 112);
      acc3 = f64x2.add(acc3, f64x2.mul(av, xv));
      yv = f64x2.add(yv, f64x2.mul(av, xs3));
      v128.store(y + o, yv, 16);
      p += 128;
    }
    if (j < np) {
      // One pair left (np − i0 − 4 ≡ 2 mod 4).
      const o = <usize>j << 3;
      xv = v128.load(x + o);
      let yv = v128.load(y + o);
      let av = v128.load(p);
      acc0 = f64x2.add(acc0, f64x2.mul(av, xv));
      yv = f64x2.add(yv, f64x2.mul(av, xs0));
      av = v128.load(p, 16);
      acc1 = f64x2.add(acc1, f64x2.mul(av, xv));
      yv = f64x2.add(yv, f64x2.mul(av, xs1));
      av = v128.load(p, 32);
      acc2 = f64x2.add(acc2, f64x2.mul(av, xv));
      yv = f64x2.add(yv, f64x2.mul(av, xs2));
      av = v128.load(p, 48);
      acc3 = f64x2.add(acc3, f64x2.mul(av, xv));
      yv = f64x2.add(yv, f64x2.mul(av, xs3));
      v128.store(y + o, yv);
      p += 64;
    }
    const yi = y + (<usize>i0 << 3);
    store<f64>(yi, load<f64>(yi) + hsum(acc0));
    store<f64>(yi, load<f64>(yi, 8) + hsum(acc1), 8);
    store<f64>(yi, load<f64>(yi, 16) + hsum(acc2), 16);
    store<f64>(yi, load<f64>(yi, 24) + hsum(acc3), 24);
  }
}

/**
 * Pack the symmetric n×n row-major matrix at `full` (its upper triangle is read; row i's
 * diagonal block entries below the diagonal are taken from the upper triangle too) into the
 * panel layout at `out` (symPackedSize(n) doubles). For callers that already hold the matrix in
 * wasm memory; the bindings pack from JS directly.
 */
export function symPack(n: i32, full: usize, out: usize): void {
  const np = (n + 3) & ~3;
  let q = out;
  for (let i0 = 0; i0 < np; i0 += 4) {
    for (let j = i0; j < np; j += 2) {
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 2; c++) {
          const i = i0 + r, jj = j + c;
          let v = 0.0;
          if (i < n && jj < n) v = i <= jj ? load<f64>(full + ((<usize>i * <usize>n + <usize>jj) << 3)) : load<f64>(full + ((<usize>jj * <usize>n + <usize>i) << 3));
          store<f64>(q, v);
          q += 8;
        }
      }
    }
  }
}
