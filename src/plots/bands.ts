/**
 * Filled contours as polygons: for each level c, the region {z > c} of a function sampled on a
 * rectangular grid, as closed rings, by oriented marching squares (the method of isolines.ts,
 * whose crossings are placed the same way: linear interpolation along a cell edge, saddles decided
 * by the mean of the four corners). Two things differ from the contour lines:
 *
 * - Every segment is directed with the region {z > c} on its left, so every ring is oriented:
 *   an outer boundary runs anticlockwise (positive signed area, in x–y axes with y up) and a hole
 *   clockwise. Drawn as one path with the nonzero fill rule, holes stay holes, and the signed
 *   areas of a level's rings add up to the region's area.
 * - The grid is padded with a border below every level at the same coordinates as its edge
 *   (cells of zero width), so a region that reaches the edge of the grid is closed along it: every
 *   ring is closed.
 *
 * Non-finite values count as above every level (overflow: the walls of a landscape). Accuracy as
 * for isolines: the boundary is exact where the function is bilinear on a cell, O(h²) in the grid
 * spacing h for a smooth one. These are drawing numbers (JS arithmetic), not results.
 */

/** The region {z > level} as closed, oriented rings: each ring's x and y, first point repeated last. */
export interface Band {
  level: number;
  rings: { x: number[]; y: number[] }[];
}

// Directed segments per case (corner k above the level ⇒ bit k; corners 0 (x0,y0), 1 (x1,y0),
// 2 (x1,y1), 3 (x0,y1); edges 0 bottom, 1 right, 2 top, 3 left), each [from edge, to edge] with
// the corners above on its left. Saddles 5 and 10 are decided by the centre value (below).
const DIRECTED: readonly (readonly number[])[] = [
  [],
  [0, 3],
  [1, 0],
  [1, 3],
  [2, 1],
  [],
  [2, 0],
  [2, 3],
  [3, 2],
  [0, 2],
  [],
  [1, 2],
  [3, 1],
  [0, 1],
  [3, 0],
  [],
];
// Saddles: [centre above, centre below]. Centre above joins the two above corners, so the
// segments cut off the two below corners (as cases 13 and 7, or 14 and 11); centre below cuts
// off the above corners (as cases 1 and 4, or 2 and 8).
const SADDLE5 = [
  [0, 1, 2, 3],
  [0, 3, 2, 1],
];
const SADDLE10 = [
  [3, 0, 1, 2],
  [1, 0, 3, 2],
];

/**
 * The regions {z > c} for each level c of z (rows over y, columns over x: z[j·nx + i] at
 * (x[i], y[j]); x and y increasing), as oriented closed rings.
 */
export function bands(x: ArrayLike<number>, y: ArrayLike<number>, z: ArrayLike<number>, levels: ArrayLike<number>): Band[] {
  const nx = x.length,
    ny = y.length;
  let lo = Infinity,
    hi = -Infinity;
  for (let k = 0; k < levels.length; k++) {
    lo = Math.min(lo, levels[k]);
    hi = Math.max(hi, levels[k]);
  }
  // The padded grid: a border of `below`, and non-finite values raised to `above`.
  const below = lo - Math.abs(lo) - 1,
    above = hi + Math.abs(hi) + 1;
  const NX = nx + 2,
    NY = ny + 2;
  const X = Float64Array.from({ length: NX }, (_, i) => x[Math.min(nx - 1, Math.max(0, i - 1))]);
  const Y = Float64Array.from({ length: NY }, (_, j) => y[Math.min(ny - 1, Math.max(0, j - 1))]);
  const Z = new Float64Array(NX * NY).fill(below);
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++) {
      const v = z[j * nx + i];
      Z[(j + 1) * NX + i + 1] = Number.isFinite(v) ? v : above;
    }
  const out: Band[] = [];
  for (let k = 0; k < levels.length; k++) out.push({ level: levels[k], rings: rings(X, Y, Z, levels[k]) });
  return out;
}

/** The oriented rings of {Z > c} on a padded grid (its border below c, so every ring closes). */
function rings(X: Float64Array, Y: Float64Array, Z: Float64Array, c: number): { x: number[]; y: number[] }[] {
  const NX = X.length,
    NY = Y.length;
  // A crossing is keyed by its edge, as in isolines.ts: horizontal edge (i, j)→(i+1, j) is
  // 2·(j·NX + i), vertical edge (i, j)→(i, j+1) is 2·(j·NX + i) + 1. next maps a segment's start to its end.
  const next = new Map<number, number>();
  const point = (key: number): [number, number] => {
    const cell = key >> 1,
      i = cell % NX,
      j = (cell - i) / NX;
    const [i1, j1] = key & 1 ? [i, j + 1] : [i + 1, j];
    const a = Z[j * NX + i],
      b = Z[j1 * NX + i1];
    const t = (c - a) / (b - a);
    return [X[i] + t * (X[i1] - X[i]), Y[j] + t * (Y[j1] - Y[j])];
  };
  for (let j = 0; j + 1 < NY; j++) {
    for (let i = 0; i + 1 < NX; i++) {
      const v0 = Z[j * NX + i],
        v1 = Z[j * NX + i + 1],
        v2 = Z[(j + 1) * NX + i + 1],
        v3 = Z[(j + 1) * NX + i];
      const kase = (v0 > c ? 1 : 0) | (v1 > c ? 2 : 0) | (v2 > c ? 4 : 0) | (v3 > c ? 8 : 0);
      const edge = (e: number) =>
        e === 0 ? 2 * (j * NX + i) : e === 1 ? 2 * (j * NX + i + 1) + 1 : e === 2 ? 2 * ((j + 1) * NX + i) : 2 * (j * NX + i) + 1;
      const centreAbove = (v0 + v1 + v2 + v3) / 4 > c;
      const segs = kase === 5 ? SADDLE5[centreAbove ? 0 : 1] : kase === 10 ? SADDLE10[centreAbove ? 0 : 1] : DIRECTED[kase];
      for (let s = 0; s < segs.length; s += 2) next.set(edge(segs[s]), edge(segs[s + 1]));
    }
  }
  const out: { x: number[]; y: number[] }[] = [];
  for (const start of next.keys()) {
    if (!next.has(start)) continue; // taken by an earlier ring
    const xs: number[] = [],
      ys: number[] = [];
    let key = start;
    do {
      const [px, py] = point(key);
      xs.push(px);
      ys.push(py);
      const to = next.get(key)!;
      next.delete(key);
      key = to;
    } while (key !== start && next.has(key));
    xs.push(xs[0]);
    ys.push(ys[0]);
    out.push({ x: xs, y: ys });
  }
  return out;
}

/** Signed area of a closed ring (shoelace): positive when it runs anticlockwise. */
export function ringArea(ring: { x: ArrayLike<number>; y: ArrayLike<number> }): number {
  let s = 0;
  for (let i = 0; i + 1 < ring.x.length; i++) s += ring.x[i] * ring.y[i + 1] - ring.x[i + 1] * ring.y[i];
  return s / 2;
}
