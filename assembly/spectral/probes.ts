// Random vectors of the spectral methods — Lanczos start vectors, Hutchinson/Hutch++ probes,
// SLQ probes — drawn from the counter-based generator (random/philox.ts) on stream SPECTRAL (8),
// so each is a pure function of (seed, purpose, index): counter = (block, index, purpose, 8)
// with key = seed. `purpose` separates the uses (below), `index` numbers the vectors of one use.
//
//   Rademacher: coordinate i is ±1 by bit (i mod 32) of word ((i mod 128) div 32) of block ⌊i/128⌋
//               (bit 1 → −1), so one Philox block serves 128 coordinates.
//   Gaussian:   coordinate i is standard-normal draw i of (index, purpose) by Box–Muller
//               (random/normal.ts: fillNormal on stream 8).

import { philox, out0, out1, out2, out3 } from '../random/philox';
import { fillNormal } from '../random/normal';
import { SPECTRAL } from '../random/streams';

// Purposes (the counter's particle word). MUST MATCH bindings/spectral.ts (test/layout.test.ts).
/** Lanczos start vectors and fresh vectors after a breakdown (index = 0, 1, …). */
export const PURPOSE_LANCZOS: u32 = 0;
/** Hutchinson probes of trace and diagonal (shared: the diagonal estimate sums to the trace estimate). */
export const PURPOSE_HUTCHINSON: u32 = 1;
/** Hutch++ sketch vectors S. */
export const PURPOSE_SKETCH: u32 = 2;
/** Stochastic Lanczos quadrature probes. */
export const PURPOSE_SLQ: u32 = 3;
/** Power-iteration start vector. */
export const PURPOSE_POWER: u32 = 4;

// Distributions. MUST MATCH bindings/spectral.ts (test/layout.test.ts).
export const RADEMACHER = 0;
export const GAUSSIAN = 1;

@inline function sign(word: u32, bit: i32, s: f64): f64 {
  return ((word >>> <u32>bit) & 1) != 0 ? -s : s;
}

/** out[0..n) = s·(±1) Rademacher vector `index` of `purpose` under key (k0, k1). */
export function fillRademacher(k0: u32, k1: u32, purpose: u32, index: u32, n: i32, s: f64, out: usize): void {
  for (let i0 = 0; i0 < n; i0 += 128) {
    philox(<u32>(i0 >>> 7), index, purpose, SPECTRAL, k0, k1);
    const w0 = out0, w1 = out1, w2 = out2, w3 = out3;
    const end = min(n - i0, 128);
    for (let b = 0; b < end; b++) {
      const word = b < 64 ? (b < 32 ? w0 : w1) : (b < 96 ? w2 : w3);
      store<f64>(out + (<usize>(i0 + b) << 3), sign(word, b & 31, s));
    }
  }
}

/** out[0..n) = probe vector `index` of `purpose`: Rademacher (dist 0) or Gaussian (dist 1), times s. */
export function fillProbe(dist: i32, k0: u32, k1: u32, purpose: u32, index: u32, n: i32, s: f64, out: usize): void {
  if (dist == RADEMACHER) { fillRademacher(k0, k1, purpose, index, n, s, out); return; }
  fillNormal(k0, k1, SPECTRAL, purpose, index, 0, n, out);
  if (s != 1.0) for (let i = 0; i < n; i++) store<f64>(out + (<usize>i << 3), s * load<f64>(out + (<usize>i << 3)));
}

/** Export for tests: probe vector `index` of `purpose` (dist 0 Rademacher, 1 Gaussian) into out. */
export function spectralProbe(dist: i32, k0: u32, k1: u32, purpose: u32, index: u32, n: i32, out: usize): void {
  fillProbe(dist, k0, k1, purpose, index, n, 1.0, out);
}
