/**
 * Drawing the landscape and the particle cloud on a canvas. The loss values come from the
 * library (`valueBatch` in the worker); this file only maps them to colours — log-scaled, since
 * test functions span many decades (Rosenbrock: 0 in the valley, 10³ on the walls) — and
 * positions to pixels. Host Math here is display arithmetic, never a result.
 */

/** Colour stops from low to high loss (a perceptually ordered dark-blue → yellow ramp, as viridis). */
const STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142],
  [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37],
];
/** Colour bands: a contour line is drawn where neighbouring pixels fall in different bands. */
const BANDS = 16;
/** The log scale spans this many decades below the range of f on the view. */
const DECADES = 4;

/** The shaded landscape, ready to be scaled onto the view canvas, and the range of f it shows. */
export interface Shaded {
  image: HTMLCanvasElement;
  min: number;
  max: number;
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
 * Colour an nx × ny grid of loss values (row-major, top row first): u = log(f − min + δ) scaled
 * to [0, 1], δ = (max − min)·10^−DECADES, so the minima stand out however steep the walls are.
 * Pixels on band edges are darkened: the contour lines. Non-finite values are grey.
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
  const band = new Int32Array(values.length);
  const u = new Float64Array(values.length);
  values.forEach((v, i) => {
    u[i] = Number.isFinite(v) ? (Math.log(v - min + delta) - lo) / (hi - lo) : NaN;
    band[i] = Number.isFinite(u[i]) ? Math.min(BANDS - 1, Math.floor(u[i] * BANDS)) : -1;
  });
  const canvas = document.createElement('canvas');
  canvas.width = nx;
  canvas.height = ny;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(nx, ny);
  const px = img.data;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const edge = (i + 1 < nx && band[k + 1] !== band[k]) || (j + 1 < ny && band[k + nx] !== band[k]);
      const f = edge ? 0.62 : 1;
      const level = Number.isFinite(u[k]) ? Math.min(255, Math.max(0, Math.round(u[k] * 255))) : -1;
      for (let c = 0; c < 3; c++) px[4 * k + c] = (level < 0 ? 128 : PALETTE[3 * level + c]) * f;
      px[4 * k + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return { image: canvas, min: Number.isFinite(min) ? min : NaN, max: Number.isFinite(max) ? max : NaN };
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
