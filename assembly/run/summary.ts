// Mergeable summaries of an ensemble: what a run, a worker, a shard or a segment of one hands to
// a merge instead of per-particle data (docs/design.md determinism contract 4). Two kinds of
// numbers:
//
// 1. Moments (count, mean, M2, min, max, sums) of the loss, ‖∇f‖ and every coordinate, per record
//    row and at the end, and of stop and divergence times. They are per-block "partials" merged by
//    Chan, Golub & LeVeque (1983):
//      n = n_a + n_b,  δ = μ_b − μ_a,  μ = μ_a + δ·n_b/n,  M2 = M2_a + M2_b + δ²·n_a·n_b/n
//    Floating-point merging is not associative, so the merge order is fixed: a canonical dyadic
//    tree over global block indices. Node (h, i) covers blocks [i·2^h, (i+1)·2^h) and is
//    merge(node(h−1, 2i), node(h−1, 2i+1)); a block range decomposes into O(log n) maximal aligned
//    nodes; a merge completes sibling pairs bottom-up and folds the run's own canonical nodes left
//    to right (src/summary.ts). Every node is the same bits whoever computed it, so any split into
//    shards, workers or segments gives the bits of one process.
// 2. Counts (quantile sketch buckets, histogram bins): integers held in f64 (exact below 2⁵³),
//    merged by addition, which is exact, so in any order.
//
// The quantile sketch: a value v is rounded to its bucket, the top `bits` mantissa bits of |v|
// (a log-linear grid, as in HdrHistogram and DDSketch), with 0 in a bucket of its own:
//   key(v) = 0 if v = 0;  1 + (hi32(|v|) >> (20 − bits)) if v > 0;  −1 − (hi32(|v|) >> (20 − bits)) if v < 0
// and a bucket stands for its midpoint (exactly representable: the next mantissa bit set), so
// for normal numbers |rep − v| ≤ 2^−(bits+1)·|v|. A quantile is the Hyndman–Fan type-7 quantile
// of the values replaced by their representatives: within relative error 2^−(bits+1) of the
// type-7 quantile of the data (both order statistics it interpolates move by at most that).

import * as D from './descriptor';
import { landscapeValue } from '../landscapes/dispatch';
import { ACTIVE, DIVERGED, STOPPED } from './block';

@inline function ld(p: usize, k: i32): f64 { return load<f64>(p + (<usize>k << 3)); }
@inline function st(p: usize, k: i32, v: f64): void { store<f64>(p + (<usize>k << 3), v); }

/** Doubles of a moment group: n, mean, M2, min, max. */
export const GROUP = 5;

/** Merge moment group b into a (a := a ⊕ b): Chan et al.; min, max; empty groups (n = 0) are identities. */
@inline function mergeGroup(a: usize, b: usize): void {
  const nb = ld(b, 0);
  if (nb == 0.0) return;
  const na = ld(a, 0);
  if (na == 0.0) { memory.copy(a, b, GROUP << 3); return; }
  const n = na + nb, dl = ld(b, 1) - ld(a, 1);
  st(a, 0, n);
  st(a, 1, ld(a, 1) + dl * nb / n);
  st(a, 2, ld(a, 2) + ld(b, 2) + dl * dl * na * nb / n);
  st(a, 3, Math.min(ld(a, 3), ld(b, 3)));
  st(a, 4, Math.max(ld(a, 4), ld(b, 4)));
}

/**
 * Merge record partial b into a (width 6 + 2d: n, loss mean, loss M2, loss min, loss max, Σ‖g‖,
 * then (mean, M2) per coordinate; see descriptor.ts partialWidth).
 */
export function partialMerge(a: usize, b: usize, d: i32): void {
  const nb = ld(b, 0);
  if (nb == 0.0) return;
  const na = ld(a, 0);
  if (na == 0.0) { memory.copy(a, b, <usize>D.partialWidth(d) << 3); return; }
  const n = na + nb;
  for (let j = 0; j < d; j++) {
    const m = 6 + 2 * j, dj = ld(b, m) - ld(a, m);
    st(a, m, ld(a, m) + dj * nb / n);
    st(a, m + 1, ld(a, m + 1) + ld(b, m + 1) + dj * dj * na * nb / n);
  }
  st(a, 5, ld(a, 5) + ld(b, 5));
  mergeGroup(a, b); // n, mean, M2, min, max of the loss (last: it overwrites n)
}

/**
 * Width of a final partial: a record partial of the final state, then the running count, accepted
 * and made MALA proposals (exact integer sums), then 2 + regions time groups.
 */
export function finalWidth(d: i32, regions: i32): i32 {
  return D.partialWidth(d) + 3 + GROUP * (2 + regions);
}

/**
 * Merge final partial b into a: the record partial (final losses and positions of the counted
 * particles), running count and accepted-proposal sum (added), then the time groups: divergence
 * times, stops by the gradient tolerance, stops in region 0, 1, ….
 */
export function finalMerge(a: usize, b: usize, d: i32, regions: i32): void {
  const pw = D.partialWidth(d);
  partialMerge(a, b, d);
  for (let k = 0; k < 3; k++) st(a, pw + k, ld(a, pw + k) + ld(b, pw + k));
  for (let g = 0; g < 2 + regions; g++) {
    const o = <usize>(pw + 3 + g * GROUP) << 3;
    mergeGroup(a + o, b + o);
  }
}

/**
 * Reduce `count` (a power of two) consecutive partials of `width` doubles at p into p's first, by
 * the dyadic tree: level 1 merges (0,1), (2,3), …; level 2 merges their results; … (in place).
 * `regions` < 0: record partials; ≥ 0: final partials with that many regions.
 */
export function treeReduce(p: usize, count: i32, width: i32, d: i32, regions: i32): void {
  const w = <usize>width << 3;
  for (let s = 1; s < count; s <<= 1) {
    for (let k = 0; k + s < count; k += 2 * s) {
      const a = p + <usize>k * w, b = p + <usize>(k + s) * w;
      if (regions < 0) partialMerge(a, b, d); else finalMerge(a, b, d, regions);
    }
  }
}

/** Unbiased variance M2/(n − 1); 0 for one value, NaN for none. */
@inline function variance(m2: f64, n: f64): f64 {
  return n > 1.0 ? m2 / (n - 1.0) : n == 1.0 ? 0.0 : NaN;
}

/**
 * Statistics of a merged record partial into out (6 + 2d doubles): n, loss mean, unbiased loss
 * variance, min, max, mean ‖∇f‖, d coordinate means, d unbiased coordinate variances. Empty: NaN
 * (n = 0); a variance of one value is 0.
 */
export function partialStats(p: usize, d: i32, out: usize): void {
  const n = ld(p, 0);
  groupStats(p, out); // the loss: the partial starts with a moment group
  st(out, 5, n > 0.0 ? ld(p, 5) / n : NaN);
  for (let j = 0; j < d; j++) {
    st(out, 6 + j, n > 0.0 ? ld(p, 6 + 2 * j) : NaN);
    st(out, 6 + d + j, variance(ld(p, 7 + 2 * j), n));
  }
}

/** Statistics of a merged moment group into out (n, mean, unbiased variance, min, max; NaN when empty). */
export function groupStats(p: usize, out: usize): void {
  const n = ld(p, 0);
  st(out, 0, n);
  st(out, 1, n > 0.0 ? ld(p, 1) : NaN);
  st(out, 2, variance(ld(p, 2), n));
  st(out, 3, n > 0.0 ? ld(p, 3) : NaN);
  st(out, 4, n > 0.0 ? ld(p, 4) : NaN);
}

/** Is lane k counted in statistics (active or stopped)? */
@inline function counted(status: usize, k: i32): bool {
  const s = load<i32>(status + (<usize>k << 2));
  return s == ACTIVE || s == STOPPED;
}

/** Add value v to moment group g (Welford; the order is the lane order within a block). */
@inline function addToGroup(g: usize, v: f64): void {
  const n = ld(g, 0) + 1.0, dl = v - ld(g, 1);
  const mean = ld(g, 1) + dl / n;
  st(g, 0, n);
  st(g, 1, mean);
  st(g, 2, ld(g, 2) + dl * (v - mean));
  st(g, 3, n == 1.0 ? v : Math.min(ld(g, 3), v));
  st(g, 4, n == 1.0 ? v : Math.max(ld(g, 4), v));
}

/**
 * The final state of every block this instance holds after `steps` steps: f(x_T) of each lane into
 * `losses` (NB·B), the same with NaN for lanes not counted (diverged or padding) into `masked`,
 * and one final partial per block into out (NB × finalWidth): loss and coordinate moments over
 * counted lanes (active or stopped, as in records; Σ‖g‖ is 0), lanes still running, accepted and
 * made MALA proposals (a particle that stopped or diverged at step t made t), and the step of
 * every divergence and stop, grouped by cause.
 */
export function finalPartials(desc: usize, steps: i32, out: usize, losses: usize, masked: usize): void {
  const d = <i32>ld(desc, D.DIM), B = <i32>ld(desc, D.B), nb = <i32>ld(desc, D.NB), nreg = <i32>ld(desc, D.NREG);
  const lk = <i32>ld(desc, D.LK), lp = <usize>ld(desc, D.LP), lw = <usize>ld(desc, D.LW);
  const pw = D.partialWidth(d), fw = finalWidth(d, nreg);
  const n = d * B, row = <usize>B << 3;
  const acc = <usize>ld(desc, D.ACC);
  for (let b = 0; b < nb; b++) {
    const x = <usize>ld(desc, D.X) + (<usize>(b * n) << 3);
    const status = <usize>ld(desc, D.STATUS) + (<usize>(b * B) << 2);
    const event = <usize>ld(desc, D.EVENT) + (<usize>(b * B) << 2);
    const region = <usize>ld(desc, D.REGION) + (<usize>(b * B) << 2);
    const fl = losses + (<usize>(b * B) << 3), fm = masked + (<usize>(b * B) << 3);
    const o = out + (<usize>(b * fw) << 3);
    memory.fill(o, 0, <usize>fw << 3);
    landscapeValue(lk, lp, d, B, x, 8, row, lw, fl);
    let cnt = 0, sum = 0.0, mn = Infinity, mx = -Infinity, running = 0, accepted = 0.0, proposals = 0.0;
    for (let k = 0; k < B; k++) {
      const s = load<i32>(status + (<usize>k << 2));
      st(fm, k, s == ACTIVE || s == STOPPED ? ld(fl, k) : NaN);
      if (s != ACTIVE && s != STOPPED && s != DIVERGED) continue; // padding
      const t = load<i32>(event + (<usize>k << 2));
      if (acc != 0) {
        accepted += <f64>load<i32>(acc + (<usize>(b * B + k) << 2));
        proposals += <f64>(s == ACTIVE ? steps : t);
      }
      if (s == DIVERGED) { addToGroup(o + (<usize>(pw + 3) << 3), <f64>t); continue; }
      if (s == ACTIVE) running++;
      else addToGroup(o + (<usize>(pw + 3 + GROUP * (2 + load<i32>(region + (<usize>k << 2)))) << 3), <f64>t);
      const v = ld(fl, k);
      cnt++; sum += v;
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    st(o, pw, <f64>running);
    st(o, pw + 1, accepted);
    st(o, pw + 2, proposals);
    st(o, 0, <f64>cnt);
    if (cnt == 0) continue;
    // Two passes, as record partials (run/ensemble.ts recordBlock): mean first, then M2.
    const mean = sum / <f64>cnt;
    let m2 = 0.0;
    for (let k = 0; k < B; k++) {
      if (!counted(status, k)) continue;
      const dv = ld(fl, k) - mean;
      m2 += dv * dv;
    }
    st(o, 1, mean); st(o, 2, m2); st(o, 3, mn); st(o, 4, mx); st(o, 5, 0.0);
    for (let j = 0; j < d; j++) {
      let sj = 0.0;
      for (let k = 0; k < B; k++) if (counted(status, k)) sj += load<f64>(x + <usize>j * row + (<usize>k << 3));
      const mj = sj / <f64>cnt;
      let qj = 0.0;
      for (let k = 0; k < B; k++) {
        if (!counted(status, k)) continue;
        const dv = load<f64>(x + <usize>j * row + (<usize>k << 3)) - mj;
        qj += dv * dv;
      }
      st(o, 6 + 2 * j, mj);
      st(o, 7 + 2 * j, qj);
    }
  }
}

/**
 * Coordinate j of every lane this instance holds into out (NB·B), NaN for lanes not counted
 * (diverged or padding): the values a final-state histogram of x_j counts.
 */
export function maskedCoordinate(desc: usize, j: i32, out: usize): void {
  const d = <i32>ld(desc, D.DIM), B = <i32>ld(desc, D.B), nb = <i32>ld(desc, D.NB);
  const X = <usize>ld(desc, D.X), S = <usize>ld(desc, D.STATUS);
  for (let b = 0; b < nb; b++) {
    const x = X + (<usize>((b * d + j) * B) << 3), status = S + (<usize>(b * B) << 2);
    for (let k = 0; k < B; k++) st(out, b * B + k, counted(status, k) ? load<f64>(x + (<usize>k << 3)) : NaN);
  }
}
