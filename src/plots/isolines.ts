/**
 * Contour lines of a function sampled on a rectangular grid, by marching squares (Lorensen &
 * Cline's marching cubes in 2-d; see e.g. Maple, "Geometric design and space planning using the
 * marching squares and marching cube algorithms", 2003): each grid cell's four corners, above or
 * below the level, select which cell edges the line crosses; the crossing on an edge is placed by
 * linear interpolation between its two corner values. Saddle cells (two opposite corners above)
 * are resolved by the mean of the four corners. Segments that share an edge crossing are then
 * joined into polylines, so a level is a few paths, not thousands of segments.
 *
 * Accuracy: the line is exact where the function is bilinear on each cell; for a smooth function
 * the crossing error is O(h²) in the grid spacing h. Cells with a non-finite corner are skipped.
 * These are drawing numbers (JS arithmetic), not results.
 */

/** A polyline: x and y of its points; closed when the first point equals the last. */
export interface Isoline {
  level: number;
  x: number[];
  y: number[];
  closed: boolean;
}

// Cell edges: 0 bottom (corners 0–1), 1 right (1–2), 2 top (3–2), 3 left (0–3); corners 0 (x0,y0),
// 1 (x1,y0), 2 (x1,y1), 3 (x0,y1). Case = Σ 2^corner over corners above the level.
// SEGMENTS[case] lists edge pairs; cases 5 and 10 (saddles) are decided by the centre value.
const SEGMENTS: readonly (readonly number[])[] = [
  [],
  [3, 0],
  [0, 1],
  [3, 1],
  [1, 2],
  [],
  [0, 2],
  [3, 2],
  [2, 3],
  [0, 2],
  [],
  [1, 2],
  [3, 1],
  [0, 1],
  [3, 0],
  [],
];

/**
 * The contour lines of z (rows over y, columns over x: z[j·nx + i] at (x[i], y[j])) at each
 * level, as polylines.
 */
export function isolines(x: ArrayLike<number>, y: ArrayLike<number>, z: ArrayLike<number>, levels: ArrayLike<number>): Isoline[] {
  const nx = x.length,
    ny = y.length;
  const out: Isoline[] = [];
  for (let k = 0; k < levels.length; k++) {
    const c = levels[k];
    // Each crossing is keyed by its edge: horizontal edge (i, j)→(i+1, j) is 2·(j·nx + i),
    // vertical edge (i, j)→(i, j+1) is 2·(j·nx + i) + 1. A segment joins two keys.
    const ends: number[] = [];
    const at = new Map<number, [number, number]>();
    const crossing = (key: number, i0: number, j0: number, i1: number, j1: number) => {
      if (!at.has(key)) {
        const a = z[j0 * nx + i0],
          b = z[j1 * nx + i1];
        const t = (c - a) / (b - a);
        at.set(key, [x[i0] + t * (x[i1] - x[i0]), y[j0] + t * (y[j1] - y[j0])]);
      }
      return key;
    };
    for (let j = 0; j + 1 < ny; j++) {
      for (let i = 0; i + 1 < nx; i++) {
        const v0 = z[j * nx + i],
          v1 = z[j * nx + i + 1],
          v2 = z[(j + 1) * nx + i + 1],
          v3 = z[(j + 1) * nx + i];
        if (!(Number.isFinite(v0) && Number.isFinite(v1) && Number.isFinite(v2) && Number.isFinite(v3))) continue;
        const kase = (v0 > c ? 1 : 0) | (v1 > c ? 2 : 0) | (v2 > c ? 4 : 0) | (v3 > c ? 8 : 0);
        if (kase === 0 || kase === 15) continue;
        const edge = (e: number) =>
          e === 0
            ? crossing(2 * (j * nx + i), i, j, i + 1, j)
            : e === 1
              ? crossing(2 * (j * nx + i + 1) + 1, i + 1, j, i + 1, j + 1)
              : e === 2
                ? crossing(2 * ((j + 1) * nx + i), i, j + 1, i + 1, j + 1)
                : crossing(2 * (j * nx + i) + 1, i, j, i, j + 1);
        let pairs = SEGMENTS[kase];
        if (kase === 5 || kase === 10) {
          // Saddle: if the centre is on the side of corners 0 and 2, they are joined and the line
          // cuts off corners 1 and 3; otherwise it cuts off corners 0 and 2.
          const centreAbove = (v0 + v1 + v2 + v3) / 4 > c;
          const joins02 = centreAbove === (kase === 5);
          pairs = joins02 ? [0, 1, 2, 3] : [3, 0, 1, 2];
        }
        for (let s = 0; s < pairs.length; s += 2) ends.push(edge(pairs[s]), edge(pairs[s + 1]));
      }
    }
    out.push(...chain(ends, at, c));
  }
  return out;
}

/** Join segments (pairs of keys in `ends`) into polylines; each key is shared by at most two segments. */
function chain(ends: number[], at: Map<number, [number, number]>, level: number): Isoline[] {
  const nseg = ends.length / 2;
  const touching = new Map<number, number[]>();
  for (let s = 0; s < nseg; s++) {
    for (const key of [ends[2 * s], ends[2 * s + 1]]) {
      const list = touching.get(key);
      if (list) list.push(s);
      else touching.set(key, [s]);
    }
  }
  const used = new Uint8Array(nseg);
  const lines: Isoline[] = [];
  const walk = (start: number, fromKey: number) => {
    const keys = [fromKey];
    let s = start,
      key = fromKey;
    while (s >= 0 && !used[s]) {
      used[s] = 1;
      key = ends[2 * s] === key ? ends[2 * s + 1] : ends[2 * s];
      keys.push(key);
      s = (touching.get(key) ?? []).find((t) => !used[t]) ?? -1;
    }
    const pts = keys.map((k) => at.get(k)!);
    lines.push({ level, x: pts.map((p) => p[0]), y: pts.map((p) => p[1]), closed: keys.length > 2 && keys[0] === keys[keys.length - 1] });
  };
  // Open lines first, from an end that only one segment touches (the grid's border); then loops.
  for (const [key, segs] of touching) if (segs.length === 1 && !used[segs[0]]) walk(segs[0], key);
  for (let s = 0; s < nseg; s++) if (!used[s]) walk(s, ends[2 * s]);
  return lines;
}
