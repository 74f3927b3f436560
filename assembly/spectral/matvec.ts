// y = A x for a dense symmetric matrix that is stored once: only the upper triangle (in 4×4
// diagonal blocks, both halves), so a product streams each stored double from memory exactly
// once — half the traffic of a full row-major matvec, which is what bounds a large matvec
// (docs/performance.md lesson 5; at n = 3 000 the matrix is 72 MB and leaves every cache).
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
//   columns j ≥ i0 + 4: acc_r += a(i0+r, j) x_j  and  y_j += a(i0,j)x_0 + … + a(i0+3,j)x_3 (in that order)
//   diagonal block:     acc_r += a(i0+r, j) x_j                         (j < i0 + 4)
// then y[i0 + r] += acc_r (lanes summed). Every stored entry is used twice (row and transposed
// column) from one load; x and y stay in cache.
//
// Two sweeps, chosen by size (SWEEP_DOWN_ORDER). Up: panels top to bottom, each from its
// diagonal block rightwards — the packed matrix read as one ascending stream. Down: panels
// bottom to top, each from its last column pair leftwards to its diagonal block — one
// descending stream. While the matrix fits in L3 the two are level (up slightly ahead inside a
// Lanczos run); once it streams from memory down is faster, though plain read streams run at the
// same speed in both directions here, so the cause is not established (timings: bench/README.md,
// "Kernel choices, as measured"). Each sweep sums in a fixed order, so the result is the same
// bits in every runtime (the two orders round differently; n decides which applies).

/** Doubles of packed storage for an n×n symmetric matrix. */
export function symPackedSize(n: i32): i32 {
  const np = (n + 3) & ~3;
  return (np * np >> 1) + 2 * np;
}

@inline function hsum(v: v128): f64 { return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1); }

/** Padded order from which symv sweeps downwards (a packed matrix of ≥ 10 MB; see the header). */
export const SWEEP_DOWN_ORDER = 1600;

/**
 * y = A x with A packed as above: np (a multiple of 4), a the packed matrix, x and y np doubles
 * each (x's padding must be 0; y's padding comes out 0). x and y must not overlap. Ascending
 * sweep below SWEEP_DOWN_ORDER, descending from it (the same bits in every runtime either way;
 * the two orders round differently).
 */
export function symv(np: i32, a: usize, x: usize, y: usize): void {
  if (np >= SWEEP_DOWN_ORDER) symvDown(np, a, x, y);
  else symvUp(np, a, x, y);
}

/**
 * The ascending sweep. Each panel row's entries are loaded once and used for both its row sum
 * and the transposed update of y (a chain through yv). Per panel: the diagonal block, the first
 * off-diagonal pair alone, two pairs per iteration, the last pair alone (the count of
 * off-diagonal pairs is even, so the peeled pairs are not needed for coverage; they are for V8:
 * without a pair handled outside the loop its register allocation of the 4 splats and 4
 * accumulators is markedly slower). Per element the operations and their order are those of one
 * pair per iteration. Two pairs per iteration beat one, four did not beat two; a summation tree
 * for y, 2-row panels and two 4-row panels per sweep (beyond the 16 xmm registers V8 allocates)
 * were slower (timings: bench/README.md, "Kernel choices, as measured").
 */
function symvUp(np: i32, a: usize, x: usize, y: usize): void {
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
    // Off-diagonal column pairs j = i0 + 4, i0 + 6, …, np − 2 (an even count): the first alone,
    // then two per iteration, then the last alone.
    let j = i0 + 4;
    if (j < np) {
      const o = <usize>j << 3;
      xv = v128.load(x + o);
      let yv = v128.load(y + o);
      let av: v128;
      av = v128.load(p); acc0 = f64x2.add(acc0, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs0));
      av = v128.load(p, 16); acc1 = f64x2.add(acc1, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs1));
      av = v128.load(p, 32); acc2 = f64x2.add(acc2, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs2));
      av = v128.load(p, 48); acc3 = f64x2.add(acc3, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs3));
      v128.store(y + o, yv);
      p += 64;
      j += 2;
    }
    for (; j + 4 <= np; j += 4) {
      const o = <usize>j << 3;
      xv = v128.load(x + o);
      let yv = v128.load(y + o);
      let av: v128;
      av = v128.load(p); acc0 = f64x2.add(acc0, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs0));
      av = v128.load(p, 16); acc1 = f64x2.add(acc1, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs1));
      av = v128.load(p, 32); acc2 = f64x2.add(acc2, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs2));
      av = v128.load(p, 48); acc3 = f64x2.add(acc3, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs3));
      v128.store(y + o, yv);
      xv = v128.load(x + o, 16);
      yv = v128.load(y + o, 16);
      av = v128.load(p, 64); acc0 = f64x2.add(acc0, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs0));
      av = v128.load(p, 80); acc1 = f64x2.add(acc1, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs1));
      av = v128.load(p, 96); acc2 = f64x2.add(acc2, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs2));
      av = v128.load(p, 112); acc3 = f64x2.add(acc3, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs3));
      v128.store(y + o, yv, 16);
      p += 128;
    }
    if (j < np) {
      const o = <usize>j << 3;
      xv = v128.load(x + o);
      let yv = v128.load(y + o);
      let av: v128;
      av = v128.load(p); acc0 = f64x2.add(acc0, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs0));
      av = v128.load(p, 16); acc1 = f64x2.add(acc1, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs1));
      av = v128.load(p, 32); acc2 = f64x2.add(acc2, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs2));
      av = v128.load(p, 48); acc3 = f64x2.add(acc3, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs3));
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
 * The descending sweep (panels bottom to top, columns right to left), for larger matrices.
 *
 * Each panel row's entries are loaded once and used for both its row sum and the transposed
 * update of y (a chain through yv). Per panel: the last column pair alone, then two pairs per
 * iteration (j and j − 2, addressed from the lower one so every offset is a non-negative
 * immediate), the first off-diagonal pair alone (the count of off-diagonal pairs is even), then
 * the diagonal block. That shape was the fastest measured; the same loop without the peeled
 * pairs, or with pointer induction variables, was slower: V8's register allocation of the 4
 * splats and 4 accumulators decides it. Other variants (a summation tree for y; 2-, 3- or 8-row
 * panels; row-pair layouts with shuffled horizontal sums; two 4-row panels or two halves of a
 * panel per sweep; splats reloaded in the loop) were slower or within noise: V8 allocates 16 xmm
 * registers and these kernels are bound by instructions issued, not flops (timings:
 * bench/README.md, "Kernel choices, as measured").
 */
function symvDown(np: i32, a: usize, x: usize, y: usize): void {
  memory.fill(y, 0, <usize>np << 3);
  let end = a + (<usize>symPackedSize(np) << 3);
  for (let i0 = np - 4; i0 >= 0; i0 -= 4) {
    // Panel i0 holds 4(np − i0) doubles and ends where the next panel starts.
    const base = end - (<usize>(4 * (np - i0)) << 3);
    end = base;
    const xi = x + (<usize>i0 << 3);
    const xs0 = f64x2.splat(load<f64>(xi)), xs1 = f64x2.splat(load<f64>(xi, 8));
    const xs2 = f64x2.splat(load<f64>(xi, 16)), xs3 = f64x2.splat(load<f64>(xi, 24));
    let acc0 = f64x2.splat(0.0), acc1 = acc0, acc2 = acc0, acc3 = acc0;
    let xv: v128, yv: v128, av: v128;
    // Off-diagonal pairs j = np − 2, np − 4, …, i0 + 4 (pair j at base + 32(j − i0) bytes):
    // (np − i0 − 4)/2 of them, an even number as np and i0 are multiples of 4.
    let j = np - 2;
    if (j >= i0 + 4) {
      // The last pair alone, so that the loop below ends one pair early and the first
      // off-diagonal pair (j = i0 + 4) is also done alone after it.
      const q = base + (<usize>(4 * (j - i0)) << 3);
      const xo = x + (<usize>j << 3), yo = y + (<usize>j << 3);
      xv = v128.load(xo); yv = v128.load(yo);
      av = v128.load(q); acc0 = f64x2.add(acc0, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs0));
      av = v128.load(q, 16); acc1 = f64x2.add(acc1, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs1));
      av = v128.load(q, 32); acc2 = f64x2.add(acc2, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs2));
      av = v128.load(q, 48); acc3 = f64x2.add(acc3, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs3));
      v128.store(yo, yv);
      j -= 2;
    }
    let q = base + (<usize>(4 * (j - 2 - i0)) << 3);
    for (; j >= i0 + 6; j -= 4, q -= 128) {
      const xo = x + (<usize>(j - 2) << 3), yo = y + (<usize>(j - 2) << 3);
      xv = v128.load(xo, 16); yv = v128.load(yo, 16);
      av = v128.load(q, 64); acc0 = f64x2.add(acc0, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs0));
      av = v128.load(q, 80); acc1 = f64x2.add(acc1, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs1));
      av = v128.load(q, 96); acc2 = f64x2.add(acc2, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs2));
      av = v128.load(q, 112); acc3 = f64x2.add(acc3, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs3));
      v128.store(yo, yv, 16);
      xv = v128.load(xo); yv = v128.load(yo);
      av = v128.load(q); acc0 = f64x2.add(acc0, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs0));
      av = v128.load(q, 16); acc1 = f64x2.add(acc1, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs1));
      av = v128.load(q, 32); acc2 = f64x2.add(acc2, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs2));
      av = v128.load(q, 48); acc3 = f64x2.add(acc3, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs3));
      v128.store(yo, yv);
    }
    if (j >= i0 + 4) {
      const q = base + (<usize>(4 * (j - i0)) << 3);
      const xo = x + (<usize>j << 3), yo = y + (<usize>j << 3);
      xv = v128.load(xo); yv = v128.load(yo);
      av = v128.load(q); acc0 = f64x2.add(acc0, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs0));
      av = v128.load(q, 16); acc1 = f64x2.add(acc1, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs1));
      av = v128.load(q, 32); acc2 = f64x2.add(acc2, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs2));
      av = v128.load(q, 48); acc3 = f64x2.add(acc3, f64x2.mul(av, xv)); yv = f64x2.add(yv, f64x2.mul(av, xs3));
      v128.store(yo, yv);
    }
    // The diagonal block (stored in full, two pairs): rows only, upper pair first.
    xv = v128.load(xi, 16);
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(base, 64), xv));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(base, 80), xv));
    acc2 = f64x2.add(acc2, f64x2.mul(v128.load(base, 96), xv));
    acc3 = f64x2.add(acc3, f64x2.mul(v128.load(base, 112), xv));
    xv = v128.load(xi);
    acc0 = f64x2.add(acc0, f64x2.mul(v128.load(base), xv));
    acc1 = f64x2.add(acc1, f64x2.mul(v128.load(base, 16), xv));
    acc2 = f64x2.add(acc2, f64x2.mul(v128.load(base, 32), xv));
    acc3 = f64x2.add(acc3, f64x2.mul(v128.load(base, 48), xv));
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
          if (i < n && jj < n) {
            v = i <= jj ? load<f64>(full + ((<usize>i * <usize>n + <usize>jj) << 3))
              : load<f64>(full + ((<usize>jj * <usize>n + <usize>i) << 3));
          }
          store<f64>(q, v);
          q += 8;
        }
      }
    }
  }
}
