/**
 * Drawing the landscape and the particle cloud on a canvas. The loss values come from the
 * library (`valueBatch` in the worker); this file maps them to filled contours — log-scaled,
 * since test functions span many decades (Rosenbrock: 0 in the valley, 10³ on the walls) — with
 * the library's polygon code (src/plots/bands.ts, isolines.ts: drawing arithmetic, imported from
 * source as the playground is built from the repo), and positions to pixels. Host Math here is
 * display arithmetic, never a result.
 */

import { bands } from '../src/plots/bands.ts';
import { isolines } from '../src/plots/isolines.ts';

/** Colour stops from low to high loss (a perceptually ordered dark-blue → yellow ramp, as viridis). */
const STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37],
];
/** Colour bands, between log-spaced levels; the contour lines are their boundaries. */
const BANDS = 16;
/** The log scale spans this many decades below the range of f on the view. */
const DECADES = 4;
/** Size in pixels of the drawn landscape (the view canvas's size). */
const SIZE = 480;

/** The drawn landscape, ready to be put on the view canvas, its range of f, and its bands for the legend. */
export interface Shaded {
  image: HTMLCanvasElement;
  min: number;
  max: number;
  /** The BANDS − 1 levels between the bands, increasing. */
  levels: number[];
  /** The BANDS band colours (CSS), lowest first. */
  colours: string[];
}

/** The ramp interpolated between the stops at 256 levels, as RGB triples. */
const PALETTE = (() => {
  const out = new Uint8ClampedArray(3 * 256);
  for (let i = 0; i < 256; i++) {
    const s = Math.min(STOPS.length - 1.000001, (i / 255) * (STOPS.length - 1));
    const k = Math.floor(s), w = s - k, a = STOPS[k], b = STOPS[k + 1];
    for (let c = 0; c < 3; c++) out[3 * i + c] = a[c] + w * (b[c] - a[c]);
  }
  return out;
})();

/**
 * Draw an nx × ny grid of loss values (row-major, top row first; grid points at pixel centres)
 * as filled contours: BANDS bands between levels evenly spaced in u = log(f − min + δ),
 * δ = (max − min)·10^−DECADES — so the minima stand out however steep the walls are — each band a
 * polygon (marching squares, src/plots/bands.ts: no staircase of cells), with the contour lines
 * (src/plots/isolines.ts) drawn over the band edges. Non-finite values fall in the top band.
 */
export function shade(values: Float64Array, nx: number, ny: number): Shaded {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const span = max > min ? max - min : 1;
  const delta = span * 10 ** -DECADES;
  const lo = Math.log(delta), hi = Math.log(span + delta);
  const levels = Array.from({ length: BANDS - 1 }, (_, k) => min - delta + Math.exp(lo + ((k + 1) / BANDS) * (hi - lo)));
  const colours = Array.from({ length: BANDS }, (_, k) => {
    const i = 3 * Math.round(((k + 0.5) / BANDS) * 255);
    return `rgb(${PALETTE[i]}, ${PALETTE[i + 1]}, ${PALETTE[i + 2]})`;
  });
  // Pixel coordinates of the grid points; the outermost ones are moved to the canvas edge, so the bands fill it.
  const at = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 0 : i === n - 1 ? SIZE : ((i + 0.5) * SIZE) / n));
  const xs = at(nx), ys = at(ny);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = SIZE;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = colours[0];
  ctx.fillRect(0, 0, SIZE, SIZE);
  if (Number.isFinite(min) && max > min) {
    // Each region {f > level} over the band below it; its rings are oriented, so holes stay holes (nonzero rule).
    bands(xs, ys, values, levels).forEach(({ rings }, k) => {
      const path = new Path2D();
      for (const r of rings) {
        path.moveTo(r.x[0], r.y[0]);
        for (let i = 1; i < r.x.length; i++) path.lineTo(r.x[i], r.y[i]);
        path.closePath();
      }
      ctx.fillStyle = colours[k + 1];
      ctx.fill(path);
    });
    ctx.strokeStyle = 'rgba(0, 0, 0, 0.3)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const l of isolines(xs, ys, values, levels)) {
      ctx.moveTo(l.x[0], l.y[0]);
      for (let i = 1; i < l.x.length; i++) ctx.lineTo(l.x[i], l.y[i]);
    }
    ctx.stroke();
  }
  return { image: canvas, min: Number.isFinite(min) ? min : NaN, max: Number.isFinite(max) ? max : NaN, levels, colours };
}

/** Above this many particles the cloud is drawn pixel by pixel (splat) rather than as canvas paths. */
const CLOUD = 20_000;
/** The overlay splat draws on, reused between frames. */
let overlay: { canvas: HTMLCanvasElement; image: ImageData } | undefined;

/**
 * Draw a big cloud fast: each particle sets a 2 × 2 block of an overlay's pixels (red, opaque),
 * written as 32-bit words, and the overlay is composited over the scene — one pass over the
 * particles and one image copy per frame, instead of a path of 10⁵ rectangles.
 */
function splat(ctx: CanvasRenderingContext2D, xy: Float64Array, offset: number, P: number, px: (x: number) => number, py: (y: number) => number): void {
  const { width: W, height: H } = ctx.canvas;
  if (!overlay || overlay.canvas.width !== W || overlay.canvas.height !== H) {
    const canvas = document.createElement('canvas');
    canvas.width = W;
    canvas.height = H;
    overlay = { canvas, image: new ImageData(W, H) };
  }
  const words = new Uint32Array(overlay.image.data.buffer);
  words.fill(0);
  const red = new Uint32Array(new Uint8Array([232, 17, 45, 255]).buffer)[0];
  for (let p = 0; p < P; p++) {
    const i = Math.floor(px(xy[offset + 2 * p])), j = Math.floor(py(xy[offset + 2 * p + 1]));
    if (!(i >= 0 && i + 1 < W && j >= 0 && j + 1 < H)) continue; // off the view, or diverged (NaN)
    const k = j * W + i;
    words[k] = words[k + 1] = words[k + W] = words[k + W + 1] = red;
  }
  overlay.canvas.getContext('2d')!.putImageData(overlay.image, 0, 0);
  ctx.drawImage(overlay.canvas, 0, 0);
}

/**
 * Draw the shaded landscape scaled to the canvas and, if given, the particles of one frame
 * (`xy` holds (x, y) pairs from `offset`, P of them) as dots; diverged (non-finite) ones are skipped.
 */
export function drawScene(ctx: CanvasRenderingContext2D, shaded: Shaded | undefined, view: readonly number[] | undefined,
                          xy?: Float64Array, offset = 0, P = 0): void {
  const { width: W, height: H } = ctx.canvas;
  ctx.fillStyle = '#222';
  ctx.fillRect(0, 0, W, H);
  if (shaded) {
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(shaded.image, 0, 0, W, H);
  }
  if (!xy || !view || P === 0) return;
  const [x0, x1, y0, y1] = view;
  const sx = W / (x1 - x0), sy = H / (y1 - y0);
  if (P > CLOUD) {
    splat(ctx, xy, offset, P, (x) => (x - x0) * sx, (y) => (y1 - y) * sy);
    return;
  }
  // Two passes: a light halo, then the dot, so the cloud is visible on dark and light colours.
  for (const [size, colour] of [[4, 'rgba(255,255,255,0.85)'], [2, '#e8112d']] as const) {
    ctx.fillStyle = colour;
    ctx.beginPath();
    for (let p = 0; p < P; p++) {
      const x = xy[offset + 2 * p], y = xy[offset + 2 * p + 1];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      ctx.rect((x - x0) * sx - size / 2, (y1 - y) * sy - size / 2, size, size);
    }
    ctx.fill();
  }
}
