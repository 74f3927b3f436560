// Selection: the k-th smallest of n doubles in O(n), without sorting, and the median built on it.
// Used for the median of N(N−1)/2 pairwise distances: SVGD's median-heuristic bandwidth
// (samplers/svgd.ts, from squared distances), where a sort was most of a step's time, and the
// MMD diagnostic's bandwidth (diagnostics/mmd.ts).
//
// Introselect (Musser 1997, "Introspective sorting and selection algorithms", Softw. Pract. Exp.
// 27(8)): Hoare/Wirth partitioning (Wirth 1976, "Algorithms + Data Structures = Programs", §2.3.4
// FIND) around a median-of-three pivot, which is expected O(n); after 2·⌊log₂ n⌋ partitions that
// did not finish, the pivot becomes the median of medians of groups of five (Blum, Floyd, Pratt,
// Rivest & Tarjan 1973, "Time bounds for selection", JCSS 7), so the worst case is O(n) too.
// kthSmallest adds Floyd & Rivest's sampling step (1975, CACM 18(3), "Expected time bounds for
// selection", algorithm SELECT): a systematic sample brackets the wanted rank between two sample
// values, one branch-free pass counts the values below the bracket and copies those inside it, and
// only that small band is selected — partitioning all n values, whose comparisons a branch
// predictor cannot guess, was most of an SVGD step (bench/README.md, "Kernel choices, as
// measured"). When the bracket misses (values far from i.i.d. in pair order), it falls back to
// introselect on all n.
// Everything is a pure function of the input values and their order: same input, same output
// permutation. Inputs must not contain NaN (the callers' distances never do).

@inline function ld(a: usize, i: i32): f64 { return load<f64>(a + (<usize>i << 3)); }
@inline function st(a: usize, i: i32, v: f64): void { store<f64>(a + (<usize>i << 3), v); }
@inline function swap(a: usize, i: i32, j: i32): void {
  const t = ld(a, i);
  st(a, i, ld(a, j));
  st(a, j, t);
}

/** Median of three values. */
@inline function median3(x: f64, y: f64, z: f64): f64 {
  return x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
}

/** Sort a[lo … hi] (at most five values) by insertion. */
function insertion(a: usize, lo: i32, hi: i32): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = ld(a, i);
    let j = i - 1;
    while (j >= lo && ld(a, j) > v) { st(a, j + 1, ld(a, j)); j--; }
    st(a, j + 1, v);
  }
}

/**
 * A pivot value for a[lo … hi] with a linear-time guarantee: the medians of consecutive groups
 * of five are moved to the front of the range and their median is selected recursively.
 * (It reorders the range, which the caller partitions next anyway.)
 */
function medianOfMedians(a: usize, lo: i32, hi: i32): f64 {
  let m = lo;
  for (let g = lo; g <= hi; g += 5) {
    const e = min(g + 4, hi);
    insertion(a, g, e);
    swap(a, m++, g + ((e - g) >> 1));
  }
  return selectRange(a, lo, m - 1, lo + ((m - 1 - lo) >> 1));
}

/** Introselect on a[lo … hi] for position k; returns a[k]. */
function selectRange(a: usize, lo: i32, hi: i32, k: i32): f64 {
  let depth = 0;
  for (let n = hi - lo + 1; n > 1; n >>= 1) depth += 2;
  while (lo < hi) {
    if (hi - lo < 5) { insertion(a, lo, hi); break; }
    // The pivot is a value in the range, so both scans below stop inside it.
    const p = depth-- > 0 ? median3(ld(a, lo), ld(a, lo + ((hi - lo) >> 1)), ld(a, hi)) : medianOfMedians(a, lo, hi);
    let i = lo, j = hi;
    do {
      while (ld(a, i) < p) i++;
      while (p < ld(a, j)) j--;
      if (i <= j) { swap(a, i, j); i++; j--; }
    } while (i <= j);
    // Now a[lo … j] ≤ p ≤ a[i … hi] and every value strictly between positions j and i equals p.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return ld(a, k);
}

/**
 * Reorder a[0 … n) so that a[k] holds the k-th smallest value (0-based), everything before it is
 * ≤ a[k] and everything after it ≥ a[k]; return a[k]. O(n) time, O(log n) stack, no allocation.
 */
export function selectKth(a: usize, n: i32, k: i32): f64 {
  return selectRange(a, 0, n - 1, k);
}

/** Largest of a[0 … n) (n ≥ 1); after {@link selectKth}(a, n', k) the (k−1)-th smallest is maxOf(a, k). */
export function maxOf(a: usize, n: i32): f64 {
  let m = ld(a, 0);
  for (let i = 1; i < n; i++) {
    const v = ld(a, i);
    if (v > m) m = v;
  }
  return m;
}

/** Below this many values kthSmallest selects on a plain copy (the sampling step does not pay). */
const SAMPLED_FROM = 4096;

/**
 * The k-th smallest (0-based) of the n values at a, which are left untouched; when k ≥ 1 the
 * (k−1)-th smallest is stored at `prev` too. work: n doubles of scratch. Expected O(n) with one
 * pass over a, worst case O(n) (introselect on a copy).
 */
export function kthSmallest(a: usize, n: i32, k: i32, work: usize, prev: usize): f64 {
  if (n >= SAMPLED_FROM) {
    // Sample s ≈ (2.5n)^{2/3} values a[⌊m·n/s⌋]; the wanted ranks k−1, k sit near sample rank
    // k·s/n, within a few of the sample rank's standard deviation √(s)/2 for i.i.d. values:
    // bracket them by sample ranks ±2.5√s (five standard deviations), so the band holds about
    // 5n/√s values.
    const s = <i32>Math.pow(2.5 * <f64>n, 2.0 / 3.0);
    for (let m = 0; m < s; m++) st(work, m, ld(a, <i32>(<u64>m * <u64>n / <u64>s)));
    const centre = <i32>(<f64>k * <f64>s / <f64>n), margin = <i32>Math.ceil(2.5 * Math.sqrt(<f64>s)) + 1;
    const rLo = max(0, centre - margin), rHi = min(s - 1, centre + margin);
    const lo = selectKth(work, s, rLo);
    const hi = selectRange(work, rLo, s - 1, rHi); // work[rLo … s) ≥ lo after the first selection
    let below = 0, band = 0;
    for (let i = 0; i < n; i++) {
      const v = ld(a, i);
      st(work, band, v); // band ≤ i: in bounds; kept only when lo ≤ v ≤ hi
      band += <i32>(v >= lo) & <i32>(v <= hi);
      below += <i32>(v < lo);
    }
    // Ranks below … below + band − 1 are exactly the band's values.
    const first = k > 0 ? k - 1 : k;
    if (below <= first && k < below + band) {
      const v = selectKth(work, band, k - below);
      if (k > 0) store<f64>(prev, maxOf(work, k - below)); // k − below ≥ 1 here
      return v;
    }
  }
  memory.copy(work, a, <usize>n << 3);
  const v = selectKth(work, n, k);
  if (k > 0) store<f64>(prev, maxOf(work, k));
  return v;
}

const PREV = memory.data(8); // the (k−1)-th order statistic from kthSmallest, for median

/**
 * The median of the n ≥ 1 values at a, which are left untouched: the middle one for odd n, the
 * mean of the two middle ones for even n (as numpy.median), by {@link kthSmallest} with work
 * (n doubles) as scratch. With `roots`, the median of the values' square roots: √ is monotone and
 * correctly rounded, so the middle roots are the roots of the middle values, and a caller holding
 * squared distances gets the median distance with two square roots instead of n.
 */
export function median(a: usize, n: i32, work: usize, roots: bool): f64 {
  const upper = kthSmallest(a, n, n >> 1, work, PREV);
  const hi = roots ? Math.sqrt(upper) : upper;
  if ((n & 1) != 0) return hi;
  const lower = load<f64>(PREV);
  return ((roots ? Math.sqrt(lower) : lower) + hi) / 2.0;
}
