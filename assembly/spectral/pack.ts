// denseOp's import of a row-major n×n matrix: one pass that packs its upper triangle into the
// panel layout of matvec.ts (the same doubles as symPack there and packSymmetric in
// bindings/spectral.ts) and measures what validation needs, reading every entry exactly once:
//   scale = max |a_ij| over all n² entries (NaN or ∞ if any entry is not finite: wasm's f64x2.max
//           and f64.max propagate NaN),
//   asym  = max |a_ij − a_ji| over i < j.
// The caller accepts the matrix iff scale is finite and asym ≤ 1e-12·scale — exactly the test
// "every entry finite, and |a_ij − a_ji| ≤ 1e-12·max|a| for every pair" (a maximum of absolute
// values is exact); on failure it finds the offending entry itself (a cold path).
//
// Per panel i0 (rows i0 … i0+3): the 4×4 diagonal block entry by entry (both halves read; the
// stored block takes both halves from the upper triangle), then the column pairs j ≥ i0 + 4.
// For a pair inside the matrix, the upper entries u_r = (a(i0+r, j), a(i0+r, j+1)) are 4 loads
// and 4 stores in a row; their mirror images a(j, i0 … i0+3) and a(j+1, i0 … i0+3) are 32
// contiguous bytes of rows j and j+1, transposed into t_r = (a(j, i0+r), a(j+1, i0+r)) by lane
// shuffles. Pairs that reach the padding go entry by entry.

@inline function ldm(full: usize, n: i32, i: i32, j: i32): f64 {
  return load<f64>(full + ((<usize>i * <usize>n + <usize>j) << 3));
}

/**
 * Pack the row-major n×n matrix at `full` into the panel layout at `out` (symPackedSize(n)
 * doubles, see matvec.ts) and write [scale, asym] (see the header) to `res`.
 */
export function densePack(n: i32, full: usize, out: usize, res: usize): void {
  const np = (n + 3) & ~3;
  let q = out;
  let scale = f64x2.splat(0), asym = f64x2.splat(0);
  let scaleS = 0.0, asymS = 0.0;
  for (let i0 = 0; i0 < np; i0 += 4) {
    // The diagonal block: stored in full from the upper triangle; every entry checked.
    for (let j = i0; j < i0 + 4; j += 2) {
      for (let r = 0; r < 4; r++) {
        for (let c = 0; c < 2; c++) {
          const i = i0 + r, jj = j + c;
          let v = 0.0;
          if (i < n && jj < n) {
            const x = ldm(full, n, i, jj);
            scaleS = max(scaleS, abs(x));
            if (i <= jj) v = x;
            else {
              v = ldm(full, n, jj, i);
              asymS = max(asymS, abs(v - x));
            }
          }
          store<f64>(q, v);
          q += 8;
        }
      }
    }
    // Off-diagonal column pairs.
    const inside = i0 + 4 <= n;
    let j = i0 + 4;
    if (inside) {
      const r0 = full + ((<usize>i0 * <usize>n) << 3), rs = <usize>n << 3;
      for (; j + 2 <= n; j += 2) {
        const c = <usize>j << 3;
        const u0 = v128.load(r0 + c), u1 = v128.load(r0 + rs + c), u2 = v128.load(r0 + 2 * rs + c), u3 = v128.load(r0 + 3 * rs + c);
        v128.store(q, u0); v128.store(q, u1, 16); v128.store(q, u2, 32); v128.store(q, u3, 48);
        q += 64;
        const m0 = full + ((<usize>j * <usize>n + <usize>i0) << 3), m1 = m0 + rs;
        const a01 = v128.load(m0), a23 = v128.load(m0, 16), b01 = v128.load(m1), b23 = v128.load(m1, 16);
        const t0 = v128.shuffle<f64>(a01, b01, 0, 2), t1 = v128.shuffle<f64>(a01, b01, 1, 3);
        const t2 = v128.shuffle<f64>(a23, b23, 0, 2), t3 = v128.shuffle<f64>(a23, b23, 1, 3);
        scale = f64x2.max(scale, f64x2.max(f64x2.max(f64x2.abs(u0), f64x2.abs(u1)), f64x2.max(f64x2.abs(u2), f64x2.abs(u3))));
        scale = f64x2.max(scale, f64x2.max(f64x2.max(f64x2.abs(t0), f64x2.abs(t1)), f64x2.max(f64x2.abs(t2), f64x2.abs(t3))));
        asym = f64x2.max(asym, f64x2.max(
          f64x2.max(f64x2.abs(f64x2.sub(t0, u0)), f64x2.abs(f64x2.sub(t1, u1))),
          f64x2.max(f64x2.abs(f64x2.sub(t2, u2)), f64x2.abs(f64x2.sub(t3, u3)))));
      }
    }
    // Pairs that reach the padding (or every pair of a panel that does).
    for (; j < np; j += 2) {
      for (let r = 0; r < 4; r++) {
        const i = i0 + r;
        for (let c = 0; c < 2; c++) {
          const jj = j + c;
          let v = 0.0;
          if (i < n && jj < n) {
            v = ldm(full, n, i, jj);
            const w = ldm(full, n, jj, i);
            scaleS = max(scaleS, max(abs(v), abs(w)));
            asymS = max(asymS, abs(w - v));
          }
          store<f64>(q, v);
          q += 8;
        }
      }
    }
  }
  store<f64>(res, max(scaleS, max(f64x2.extract_lane(scale, 0), f64x2.extract_lane(scale, 1))));
  store<f64>(res, max(asymS, max(f64x2.extract_lane(asym, 0), f64x2.extract_lane(asym, 1))), 8);
}
