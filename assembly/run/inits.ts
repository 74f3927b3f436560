// Initial positions of P particles into the blocked layout (block b, coordinate j, lane i at
// ((b·d + j)·B + i)·8). Kind ids (test/layout.test.ts) and parameter layouts MUST MATCH src/inits.ts. Random draws:
// stream INIT, particle p, step 0, index j.
//   POINT    q: x (d)                         x_p = x
//   NORMAL   q: mean (d) | L (d×d, lower)     x_p = mean + L z_p     (L = Cholesky of the covariance)
//   UNIFORM  q: low (d) | high (d)            x_p = low + (high − low) ⊙ u_p
//   GRID     q: low (d) | high (d) | n (d)    x_p = low + (high − low) ⊙ k/(n − 1), p = Σ k_j Π_{l>j} n_l
//   ARRAY    q: points (P×d row-major)        x_p = points[p]
//   NORMAL_DIAGONAL q: mean (d) | std (d)     x_p = mean + std ⊙ z_p (no d×d factor: for models' many parameters)

import { fillNormal } from '../random/normal';
import { fillUniform } from '../random/uniform';
import { INIT } from '../random/streams';

export const POINT = 0;
export const NORMAL = 1;
export const UNIFORM = 2;
export const GRID = 3;
export const ARRAY = 4;
export const NORMAL_DIAGONAL = 5;

@inline function q(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }

/**
 * Fill X (nBlocks·d·B doubles) for the particles of global blocks first … first + nBlocks − 1 of a
 * run of P particles (block b of X is global block first + b); padding lanes (global index ≥ P)
 * copy their block's first particle. Each particle's draws are keyed by its global index, so a
 * block starts the same in any range. `w`: 2d doubles.
 */
export function initPositions(kind: i32, qp: usize, d: i32, P: i32, B: i32, first: i32, nBlocks: i32, k0: u32, k1: u32,
    X: usize, w: usize): void {
  for (let p = 0; p < nBlocks * B; p++) {
    const b = p / B, i = p % B, g = first * B + p;
    const src = g < P ? g : (first + b) * B; // padding: a copy of a real particle, so no NaN enters the block
    const base = X + (<usize>(b * d * B + i) << 3);
    if (kind == NORMAL || kind == NORMAL_DIAGONAL) fillNormal(k0, k1, INIT, <u32>src, 0, 0, d, w);
    else if (kind == UNIFORM) fillUniform(k0, k1, INIT, <u32>src, 0, 0, d, w);
    let rem = src;
    for (let j = d - 1; j >= 0 && kind == GRID; j--) { // grid index, last coordinate fastest
      const n = <i32>q(qp, 2 * d + j);
      store<f64>(w + (<usize>j << 3), <f64>(rem % n));
      rem /= n;
    }
    for (let j = 0; j < d; j++) {
      let v: f64;
      switch (kind) {
        case NORMAL: {
          v = q(qp, j);
          for (let k = 0; k <= j; k++) v += q(qp, d + j * d + k) * load<f64>(w + (<usize>k << 3));
          break;
        }
        case UNIFORM: v = q(qp, j) + (q(qp, d + j) - q(qp, j)) * load<f64>(w + (<usize>j << 3)); break;
        case GRID: {
          const n = q(qp, 2 * d + j);
          v = n > 1.0 ? q(qp, j) + (q(qp, d + j) - q(qp, j)) * load<f64>(w + (<usize>j << 3)) / (n - 1.0) : q(qp, j);
          break;
        }
        case ARRAY: v = q(qp, src * d + j); break;
        case NORMAL_DIAGONAL: v = q(qp, j) + q(qp, d + j) * load<f64>(w + (<usize>j << 3)); break;
        default: v = q(qp, j);
      }
      store<f64>(base + (<usize>(j * B) << 3), v);
    }
  }
}

/** Copy particles 0 … P−1 from the blocked layout to row-major rows (P×d). */
export function gatherRows(X: usize, d: i32, P: i32, B: i32, out: usize): void {
  for (let p = 0; p < P; p++) {
    const b = p / B, i = p % B;
    const base = X + (<usize>(b * d * B + i) << 3);
    for (let j = 0; j < d; j++) store<f64>(out + (<usize>(p * d + j) << 3), load<f64>(base + (<usize>(j * B) << 3)));
  }
}
