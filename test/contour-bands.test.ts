// Filled contours as polygons (src/plots/bands.ts, the `fill` layer of plots.contours; issue 21):
//   - the regions {z > c} of z = x² + y² on [−2, 2]² are the square minus a disc: every ring is
//     closed, the signed areas add up to 16 − πr² within the O(h²) of marching squares (h = 0.05:
//     linear interpolation of z along an edge errs by ≤ h²/4, which moves a crossing by
//     ≤ h²/(8r), over a perimeter 2πr: ≤ πh²/4; the chords between crossings cut ≤ πh²/6 more;
//     tolerance πh²/2 ≈ 3.9e-3, where a staircase of cells errs by ~h·2πr·0.2 ≈ 0.06r), and every vertex of the
//     hole lies on the circle |x| = r to O(h²) — a staircase of grid cells would be off by ~h/2;
//   - a hole is a hole: the disc's ring runs clockwise (negative area), the square's anticlockwise;
//   - the plot draws one polygon layer per band (the lowest band is the whole plot) with a legend
//     naming the bands, in place of a rectangle per grid cell.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { bands, ringArea } from '../src/plots/bands.ts';

const b = suite('filled contours as polygons');

const h = 0.05,
  n = 81;
const grid = Array.from({ length: n }, (_, i) => -2 + i * h);
const z = new Float64Array(n * n);
for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) z[j * n + i] = grid[i] ** 2 + grid[j] ** 2;
const radii = [0.5, 1, 1.5];
const TOL = (Math.PI * h * h) / 2;

b('the regions {x² + y² > r²} are the square minus a disc: closed rings, area 16 − πr², vertices on the circle', () => {
  const out = bands(grid, grid, z, radii.map((r) => r * r));
  assert.is(out.length, radii.length);
  out.forEach(({ rings }, k) => {
    const r = radii[k];
    assert.is(rings.length, 2, `r = ${r}: the square's boundary and the circle`);
    for (const ring of rings) {
      assert.ok(ring.x.length > 4, 'a polygon, not a segment');
      assert.equal([ring.x[0], ring.y[0]], [ring.x[ring.x.length - 1], ring.y[ring.y.length - 1]], 'closed');
    }
    const total = rings.reduce((s, ring) => s + ringArea(ring), 0);
    assert.ok(Math.abs(total - (16 - Math.PI * r * r)) < TOL, `r = ${r}: area ${total} vs ${16 - Math.PI * r * r}`);
    const [outer, hole] = [...rings].sort((p, q) => ringArea(q) - ringArea(p));
    assert.ok(Math.abs(ringArea(outer) - 16) < 1e-12, 'the square, anticlockwise');
    assert.ok(ringArea(hole) < 0, 'the disc is a hole: clockwise');
    const off = Math.max(...hole.x.map((x, i) => Math.abs(Math.hypot(x, hole.y[i]) - r)));
    assert.ok(off < h * h, `r = ${r}: every vertex within h² of the circle (off by ${off}); a staircase would be off by ~h/2`);
  });
});

b('regions reaching the border close along it, and non-finite values count as above every level', () => {
  // z = x on [0, 3] × [0, 1]: {z > 1.5} is the rectangle [1.5, 3] × [0, 1] (exact: z is bilinear).
  const xs = [0, 1, 2, 3], ys = [0, 1];
  const [band] = bands(xs, ys, [0, 1, 2, 3, 0, 1, 2, 3], [1.5]);
  assert.is(band.rings.length, 1);
  assert.is(ringArea(band.rings[0]), 1.5);
  const [hot] = bands(xs, ys, [0, 1, NaN, 3, 0, 1, 2, 3], [1.5]);
  assert.ok(hot.rings.reduce((s, r) => s + ringArea(r), 0) > 1.5, 'the NaN corner is inside the region above');
});

b('plots.contours with fill: polygon bands lowest first, a legend naming each band, no grid cells', () => {
  const surface = { alpha: grid, beta: grid, loss: z };
  const spec = descent.plots.contours(surface, { fill: true, levels: [1, 2, 3] });
  type Layer = { name: string; mark: { type: string }; data: { values: any[] }; encoding: any };
  const fill = (spec.layer as Layer[]).find((l) => l.name === 'fill')!;
  assert.is(fill.mark.type, 'geoshape');
  const features = fill.data.values;
  assert.equal(features.map((f) => f.properties.band), ['< 1', '1 – 2', '2 – 3', '≥ 3']);
  assert.equal(fill.encoding.color.scale.domain, ['< 1', '1 – 2', '2 – 3', '≥ 3']);
  assert.ok(fill.encoding.color.legend !== null, 'a legend');
  // The lowest band is the whole 400 × 400 plot; the next is the square minus the disc r = 1 (pixels: 100 per unit).
  // (Pixel y runs down: negated, rings keep their orientation.)
  const pixelArea = ([ring]: number[][][]) => ringArea({ x: ring.map((p) => p[0]), y: ring.map((p) => -p[1]) });
  const area = (f: any) => f.geometry.coordinates.reduce((s: number, polygon: number[][][]) => s + pixelArea(polygon), 0);
  assert.is(area(features[0]), 400 * 400);
  assert.ok(Math.abs(area(features[1]) / 1e4 - (16 - Math.PI)) < TOL, `${area(features[1]) / 1e4}`);
  assert.equal(JSON.parse(JSON.stringify(spec)), spec, 'plain data');
});

b.run();
