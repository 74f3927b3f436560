// The quantile sketch and declared-bin histograms of ensemble summaries (run/summary.ts states the
// bucket rule and its error bound). Both are integer counts, so they merge exactly by addition.
//
// Bucket keys (bits = b mantissa bits kept, 1 ≤ b ≤ 19; hi32 = the high word of |v|'s IEEE bits):
//   v = 0 (either sign) → 0;  v > 0 → 1 + (hi32 >> (20 − b));  v < 0 → −1 − (hi32 >> (20 − b))
// Keys are ordered as the values are. The representative of key k > 0 has high word
// ((k − 1) << (20 − b)) | (1 << (19 − b)) and low word 0: the midpoint of the bucket for normal and
// subnormal numbers alike (both are linear in the bits within a binade); a key whose exponent
// field is all ones stands for ±Infinity.

@inline function ld(p: usize, k: i32): f64 { return load<f64>(p + (<usize>k << 3)); }
@inline function st(p: usize, k: i32, v: f64): void { store<f64>(p + (<usize>k << 3), v); }
@inline function ldi(p: usize, k: i32): i32 { return load<i32>(p + (<usize>k << 2)); }
@inline function sti(p: usize, k: i32, v: i32): void { store<i32>(p + (<usize>k << 2), v); }

/** The bucket key of v (not NaN) for `bits` mantissa bits. */
@inline export function sketchKey(v: f64, bits: i32): i32 {
  if (v == 0.0) return 0;
  const hi = <i32>(reinterpret<u64>(Math.abs(v)) >> 32);
  const k = 1 + (hi >> (20 - bits));
  return v > 0.0 ? k : -k;
}

/** The value a bucket stands for (its midpoint; 0 for key 0; ±Infinity for the infinite bucket). */
export function sketchValue(key: i32, bits: i32): f64 {
  if (key == 0) return 0.0;
  const k = key > 0 ? key : -key;
  const hi = (k - 1) << (20 - bits);
  const mag = (hi & 0x7ff00000) == 0x7ff00000 ? Infinity : reinterpret<f64>(<u64>(hi | (1 << (19 - bits))) << 32);
  return key > 0 ? mag : -mag;
}

/**
 * Sort n i32 keys ascending (LSD radix sort, three passes of 11 bits on the key with its sign bit
 * flipped); tmp: n i32 of scratch; hist: 2048 i32 of scratch. Stable, O(n).
 */
function radixSort(a: usize, n: i32, tmp: usize, hist: usize): void {
  let src = a, dst = tmp;
  for (let pass = 0; pass < 3; pass++) {
    const shift = 11 * pass;
    memory.fill(hist, 0, 2048 << 2);
    for (let k = 0; k < n; k++) {
      const digit = ((<u32>ldi(src, k) ^ 0x80000000) >> shift) & 2047;
      sti(hist, digit, ldi(hist, digit) + 1);
    }
    let sum = 0;
    for (let k = 0; k < 2048; k++) { const c = ldi(hist, k); sti(hist, k, sum); sum += c; }
    for (let k = 0; k < n; k++) {
      const v = ldi(src, k), digit = ((<u32>v ^ 0x80000000) >> shift) & 2047;
      const at = ldi(hist, digit);
      sti(dst, at, v);
      sti(hist, digit, at + 1);
    }
    const t = src; src = dst; dst = t;
  }
  if (src != a) memory.copy(a, src, <usize>n << 2); // three passes: the result is in tmp
}

/**
 * The sketch of n values (NaN values are skipped: particles not counted): sorted distinct keys
 * into keys (i32) and their counts into counts (f64). Returns the number of distinct keys.
 * Scratch: tmp n i32, hist 2048 i32.
 */
export function sketchBuild(values: usize, n: i32, bits: i32, keys: usize, counts: usize, tmp: usize, hist: usize): i32 {
  let m = 0;
  for (let k = 0; k < n; k++) {
    const v = ld(values, k);
    if (v == v) { sti(keys, m, sketchKey(v, bits)); m++; }
  }
  if (m == 0) return 0;
  radixSort(keys, m, tmp, hist);
  let K = 0, prev = ldi(keys, 0), c = 0.0;
  for (let k = 0; k < m; k++) {
    const v = ldi(keys, k);
    if (v != prev) { sti(keys, K, prev); st(counts, K, c); K++; prev = v; c = 0.0; }
    c += 1.0;
  }
  sti(keys, K, prev); st(counts, K, c); K++;
  return K;
}

/** The value of order statistic r (0-based) of a sketch: the representative of the bucket holding it. */
function orderStatistic(keys: usize, counts: usize, K: i32, bits: i32, r: f64): f64 {
  let below = 0.0;
  for (let k = 0; k < K; k++) {
    below += ld(counts, k);
    if (r < below) return sketchValue(ldi(keys, k), bits);
  }
  return sketchValue(ldi(keys, K - 1), bits);
}

/**
 * Type-7 quantiles (Hyndman & Fan 1996: h = (N − 1)q, Q = x_(⌊h⌋) + (h − ⌊h⌋)(x_(⌊h⌋+1) − x_(⌊h⌋)))
 * of the values a sketch stands for, at nq levels; NaN when the sketch is empty. Also, per level,
 * the fraction of values strictly below the bucket of x_(⌊h⌋) and at or below it (rankLow,
 * rankHigh): the exact rank interval the reported value's bucket occupies.
 * out: nq quantiles | nq rankLow | nq rankHigh.
 */
export function sketchQuantiles(keys: usize, counts: usize, K: i32, bits: i32, levels: usize, nq: i32, out: usize): void {
  let N = 0.0;
  for (let k = 0; k < K; k++) N += ld(counts, k);
  for (let q = 0; q < nq; q++) {
    if (N == 0.0) { st(out, q, NaN); st(out, nq + q, NaN); st(out, 2 * nq + q, NaN); continue; }
    const h = (N - 1.0) * ld(levels, q), lo = Math.floor(h);
    const a = orderStatistic(keys, counts, K, bits, lo);
    const b = lo + 1.0 < N ? orderStatistic(keys, counts, K, bits, lo + 1.0) : a;
    // a == b covers infinite buckets, where b − a would be NaN.
    st(out, q, a == b ? a : a + (h - lo) * (b - a));
    let below = 0.0;
    for (let k = 0; k < K; k++) {
      const c = ld(counts, k);
      if (lo < below + c) { st(out, nq + q, below / N); st(out, 2 * nq + q, (below + c) / N); break; }
      below += c;
    }
  }
}

/**
 * Histogram of n values over ne ascending edges into counts (ne + 1 bins: (−∞, e_0), [e_0, e_1),
 * …, [e_{ne−1}, ∞)), added to what counts holds; NaN values are skipped.
 */
export function histogramAdd(values: usize, n: i32, edges: usize, ne: i32, counts: usize): void {
  for (let k = 0; k < n; k++) {
    const v = ld(values, k);
    if (v != v) continue;
    let lo = 0, hi = ne; // the bin is the number of edges ≤ v
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ld(edges, mid) <= v) lo = mid + 1; else hi = mid;
    }
    st(counts, lo, ld(counts, lo) + 1.0);
  }
}
