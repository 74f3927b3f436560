// The MLP's parameter-block fields (from SPEC, doubles), shared by the per-example kernel
// (mlp.ts) and the tile kernel (mlpTile.ts): L | activation | negative slope | bias |
// S = Σ_{l≥1} w_l | widths w_0 … w_L | per layer l = 1 … L: offset of W_l in θ, of b_l (−1: none),
// of layer l's units in the scratch arrays. MUST MATCH src/models/mlp.ts.

import { SPEC, ldi } from './layout';

export const L_ = SPEC, ACT = SPEC + 1, SLOPE = SPEC + 2, BIAS = SPEC + 3, UNITS = SPEC + 4, WIDTHS = SPEC + 5;

/** Number of layers L. */
@inline export function layers(p: usize): i32 { return ldi(p, L_); }
/** Width w_l (l = 0: inputs). */
@inline export function width(p: usize, l: i32): i32 { return ldi(p, WIDTHS + l); }
/** Field f of layer l ≥ 1: 0 offset of W_l, 1 offset of b_l (−1: none), 2 unit offset. */
@inline export function layerField(p: usize, l: i32, f: i32): i32 { return ldi(p, WIDTHS + layers(p) + 1 + 3 * (l - 1) + f); }
