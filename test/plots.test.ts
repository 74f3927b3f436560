// plots.*: the Vega-Lite specs, checked as data (the SVG they render to is checked in Node by
// scripts/test-cli.mjs through `descent plot`, and by scripts/test-examples.mjs).
//   - contour lines (marching squares) against closed forms: circles of x² + y², the hyperbola
//     xy = c, straight lines of a linear function (exact: it is bilinear on every cell);
//   - every number a result contributes (quantiles, means, positions, densities) passes into
//     the spec unchanged, from an EnsembleResult and from its JSON form alike;
//   - drawing numbers against hand-computed values: histogram counts, type-7 quantile levels,
//     Wilson intervals (closed forms at k = 0 and k = n, and R's binom.confint "wilson" value);
//   - bad inputs and options fail with DescentError and the path.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, throwsDescent } from './util.ts';

const P = descent.plots;
const pl = suite('plots');
pl.before(() => descent.init());

type Layer = { name?: string; data: { values: Record<string, number | string>[] }; mark: { type: string } | string; encoding: Record<string, unknown> };
const layers = (spec: descent.plots.PlotSpec) => spec.layer as Layer[];
const layer = (spec: descent.plots.PlotSpec, name: string) => {
  const l = layers(spec).find((x) => x.name === name);
  assert.ok(l, `layer ${name} in ${layers(spec).map((x) => x.name).join(', ')}`);
  return l!;
};
/** A spec is plain JSON data: it survives a JSON round trip unchanged. */
const isPlainData = (spec: unknown) => assert.equal(JSON.parse(JSON.stringify(spec)), spec);

/** The result as `descent run --out` writes it: typed arrays as arrays, non-finite as null. */
const asJSON = (r: unknown) => JSON.parse(JSON.stringify(r, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as unknown as number[]) : v)));

function grid(n: number, lo: number, hi: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
}
function sample(f: (x: number, y: number) => number, xs: Float64Array, ys: Float64Array): Float64Array {
  const z = new Float64Array(xs.length * ys.length);
  for (let j = 0; j < ys.length; j++) for (let i = 0; i < xs.length; i++) z[j * xs.length + i] = f(xs[i], ys[j]);
  return z;
}

pl('isolines of x² + y²: one closed loop per level, every point within 0.3% of the radius', () => {
  const xs = grid(41, -2, 2), ys = grid(41, -2, 2);
  const z = sample((x, y) => x * x + y * y, xs, ys);
  const lines = P.isolines(xs, ys, z, [1, 2.25]);
  assert.is(lines.length, 2);
  for (const [k, r] of [[0, 1], [1, 1.5]] as const) {
    const l = lines[k];
    assert.ok(l.closed, `level ${l.level} closed`);
    assert.ok(l.x.length > 20, `${l.x.length} points`);
    // Linear interpolation of r² along a cell edge of width h = 0.1 misplaces the crossing by < h²/(8r).
    for (let i = 0; i < l.x.length; i++) close(Math.hypot(l.x[i], l.y[i]), r, 0.003, `level ${l.level} point ${i}`);
  }
});

pl('isolines of a linear function are exact straight lines; of xy = ½, two open branches ending on the border', () => {
  const xs = grid(13, -1.05, 1.95), ys = grid(9, -0.95, 2.05);
  const lin = P.isolines(xs, ys, sample((x, y) => 0.7 * x - 1.3 * y, xs, ys), [-0.4, 0.1]);
  assert.is(lin.length, 2);
  for (const l of lin) {
    assert.not.ok(l.closed);
    for (let i = 0; i < l.x.length; i++) close(0.7 * l.x[i] - 1.3 * l.y[i], l.level, 0, `point ${i}`, 1e-12);
  }
  const xs2 = grid(31, -1.97, 2.03), ys2 = grid(31, -1.98, 2.02);
  const hyp = P.isolines(xs2, ys2, sample((x, y) => x * y, xs2, ys2), [0.5]);
  assert.is(hyp.length, 2, 'one branch in each of the quadrants x, y > 0 and x, y < 0');
  const onBorder = (x: number, y: number) => [x - xs2[0], xs2[30] - x, y - ys2[0], ys2[30] - y].some((d) => Math.abs(d) < 1e-12);
  for (const l of hyp) {
    assert.not.ok(l.closed);
    assert.ok(onBorder(l.x[0], l.y[0]) && onBorder(l.x[l.x.length - 1], l.y[l.y.length - 1]), 'ends on the border');
    for (let i = 0; i < l.x.length; i++) close(l.x[i] * l.y[i], 0.5, 0.02, `point ${i}`);
  }
  // A saddle cell (corners (0,0) and (1,1) above, the centre on the level): two segments that
  // cut off the corners above, each from the middle of one edge to the middle of the next.
  const sad = P.isolines([0, 1], [0, 1], [1, -1, -1, 1], [0]);
  assert.is(sad.length, 2);
  const ends = sad.map((l) => [[l.x[0], l.y[0]], [l.x[1], l.y[1]]].sort().join(' ')).sort();
  assert.equal(ends, ['0,0.5 0.5,0', '0.5,1 1,0.5']);
});

const basinRun = () => descent.simulate({
  landscape: descent.landscapes.doubleWell({ tilt: 0.1 }), optimizer: descent.optimizers.sgd({ lr: 0.05 }),
  noise: descent.noise.gaussian({ sigma: 1 }), init: descent.inits.normal({ mean: [0], std: 0.5 }),
  particles: 3000, steps: 120, seed: 4, record: { every: 8 },
});

pl('lossBands: quantile pairs become bands, the middle level the median; the numbers are the record\'s own', async () => {
  const r = await basinRun();
  const spec = P.lossBands(r);
  isPlainData(spec);
  assert.is(spec.$schema, 'https://vega.github.io/schema/vega-lite/v6.json');
  const bands = layer(spec, 'bands').data.values, lines = layer(spec, 'lines').data.values;
  const rec = r.record!, rows = rec.steps.length, L = rec.lossQuantiles.levels.length;
  assert.equal([...new Set(bands.map((b) => b.band))], ['5–95%', '25–75%']);
  assert.is(bands.length, 2 * rows, 'every row positive: nothing left out');
  for (let i = 0; i < rows; i++) {
    const outer = bands.find((b) => b.step === rec.steps[i] && b.band === '5–95%')!;
    assert.is(outer.lo, rec.lossQuantiles.values[i * L]);
    assert.is(outer.hi, rec.lossQuantiles.values[i * L + 4]);
    assert.is(lines.find((l) => l.step === rec.steps[i] && l.series === 'median')!.loss, rec.lossQuantiles.values[i * L + 2]);
    assert.is(lines.find((l) => l.step === rec.steps[i] && l.series === 'mean')!.loss, rec.lossMean[i]);
  }
  // The loss of this tilted double well goes negative: 'auto' falls back to a linear axis.
  const yScale = (layer(spec, 'bands').encoding.y as { scale: { type?: string } }).scale.type;
  const negative = Array.from(rec.lossQuantiles.values).some((v) => v <= 0);
  assert.is(yScale, negative ? undefined : 'log');
  assert.equal(P.lossBands(asJSON(r)), spec, 'the JSON form of the result gives the same spec');
  const logged = P.lossBands(r, { yScale: 'log', mean: false });
  assert.ok(layer(logged, 'bands').data.values.every((b) => (b.lo as number) > 0), 'log: no value ≤ 0 drawn');
  assert.not.ok(layer(logged, 'lines').data.values.some((l) => l.series === 'mean'));
});

pl('lossHistogram: counts of hand-made losses, diverged and non-finite left out, log bins', () => {
  const loss = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, null, 3.5];
  const divergedAt = [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 17];
  const spec = P.lossHistogram({ loss, divergedAt }, { bins: 5 });
  isPlainData(spec);
  const v = (spec.data as { values: { lo: number; hi: number; count: number }[] }).values;
  assert.equal(v.map((b) => b.count), [2, 2, 2, 2, 3]);
  assert.equal(v.map((b) => b.lo), [0, 2, 4, 6, 8]);
  assert.is(v[4].hi, 10);
  assert.match(spec.title!.subtitle!, /11 particles, 2 diverged/);
  const logs = P.lossHistogram({ loss: Float64Array.of(1, 10, 100, 1000, 0, -3) }, { bins: 3, xScale: 'log' });
  const lv = (logs.data as { values: { lo: number; count: number }[] }).values;
  assert.equal(lv.map((b) => b.count), [1, 1, 2]);
  assert.equal(lv.map((b) => b.lo), [1, 10, 100]);
  assert.match(logs.title!.subtitle!, /2 at loss ≤ 0/);
  const ranged = P.lossHistogram({ loss }, { bins: 2, range: [2, 6] });
  // No divergedAt here: 3.5 counts. [2, 4): 2, 3, 3.5; [4, 6]: 4, 5, 6; the rest is outside the range.
  assert.equal((ranged.data as { values: { count: number }[] }).values.map((b) => b.count), [3, 3]);
  assert.match(ranged.title!.subtitle!, /6 particles, 1 diverged \(left out\), 6 outside the range/);
});

pl('contours: quantile levels, particles capped, trajectories as paths thinned to first…last', async () => {
  const xs = grid(10, 0, 9), ys = grid(10, 0, 9);
  const z = Float64Array.from({ length: 100 }, (_, i) => i);
  const spec = P.contours({ alpha: xs, beta: ys, loss: z }, { levels: 3 });
  isPlainData(spec);
  // Type-7 quantiles of 0…99 at k/4: (99k/4) exactly.
  assert.equal([...new Set(layer(spec, 'contours').data.values.map((r) => r.level))], [24.75, 49.5, 74.25]);

  const f = descent.landscapes.himmelblau();
  const r = await descent.simulate({
    landscape: f, optimizer: descent.optimizers.sgd({ lr: 0.01 }), noise: descent.noise.gaussian({ sigma: 1 }),
    init: descent.inits.uniform({ low: [-4, -4], high: [4, 4] }), particles: 500, steps: 50, seed: 3, record: { trajectories: 7 },
  });
  const plane = descent.slices.plane(f, [0, 0], { directions: [[1, 0], [0, 1]], range: [-5, 5], resolution: 21 });
  const c = P.contours(plane, { points: r.x, maxPoints: 120, trajectories: r.trajectories, maxPathPoints: 11, fill: true, levels: [10, 50, 100] });
  isPlainData(c);
  assert.equal(layers(c).map((l) => l.name), ['fill', 'contours', 'trajectories', 'starts', 'particles']);
  const pts = layer(c, 'particles').data.values;
  assert.is(pts.length, 120);
  assert.equal([pts[7].x, pts[7].y], [r.x[14], r.x[15]], 'positions pass through');
  const paths = layer(c, 'trajectories').data.values;
  assert.equal([...new Set(paths.map((p) => p.id))], [0, 1, 2, 3, 4, 5, 6]);
  const p3 = paths.filter((p) => p.id === 3);
  assert.equal(p3.map((p) => p.step), [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50], 'thinned to 11 of 51 steps, evenly');
  const T = r.trajectories!.data;
  assert.equal([p3[10].x, p3[10].y], [T[(50 * 7 + 3) * 2], T[(50 * 7 + 3) * 2 + 1]], 'the last point is x_T of particle 3');
  // Filled: one polygon feature per band, lowest first (test/contour-bands.test.ts checks their geometry).
  const bandsOf = layer(c, 'fill').data.values.map((f) => (f.properties as unknown as { band: string }).band);
  assert.equal(bandsOf, ['< 10', '10 – 50', '50 – 100', '≥ 100']);
  assert.equal(P.contours(asJSON(plane), { points: asJSON(r).x, maxPoints: 120, trajectories: asJSON(r).trajectories, maxPathPoints: 11, fill: true, levels: [10, 50, 100] }), c, 'JSON forms alike');
  const withPaths = P.contours(plane, { paths: [[0, 0, 1, 1, 2, 0], Float64Array.of(1, 1, NaN, 0, 3, 3)] });
  assert.equal(layer(withPaths, 'trajectories').data.values.map((p) => p.id), [0, 0, 0, 1], 'a path stops at its first non-finite point');
});

pl('wilson: closed forms at k = 0 and k = n, symmetry, and R binom.confint(5, 10, method = "wilson")', () => {
  const z = 1.959963984540054, z2 = z * z;
  for (const n of [1, 10, 1000]) {
    close(P.wilson(0, n)[1], z2 / (n + z2), 1e-14, `k = 0, n = ${n}`);
    close(P.wilson(n, n)[0], n / (n + z2), 1e-14, `k = n = ${n}`);
    assert.is(P.wilson(0, n)[0], 0);
    const [a, b] = P.wilson(3, 10 * n), [c, d] = P.wilson(10 * n - 3, 10 * n);
    close(a, 1 - d, 0, 'lo(k) = 1 − hi(n − k)', 1e-15); close(b, 1 - c, 0, 'hi(k) = 1 − lo(n − k)', 1e-15);
  }
  close(P.wilson(5, 10), [0.2365931, 0.7634069], 0, 'R 4.x binom::binom.confint', 5e-8);
});

pl('basinProbability: one interval per point, curves by label, reference lines; bad points name their path', () => {
  const pts = [{ lr: 0.01, k: 538, n: 1000, label: 'sharp' }, { lr: 0.1, k: 102, n: 1000, label: 'sharp' }, { lr: 0.01, k: 462, n: 1000, label: 'flat' }];
  const spec = P.basinProbability(pts, { reference: [{ lr: 2 / 44, label: '2/λ' }], xScale: 'log' });
  isPlainData(spec);
  const iv = layer(spec, 'intervals').data.values;
  assert.is(iv.length, 3);
  iv.forEach((row, i) => {
    assert.is(row.p, pts[i].k / pts[i].n);
    assert.equal([row.lo, row.hi], P.wilson(pts[i].k, pts[i].n));
  });
  assert.is(layer(spec, 'reference').data.values[0].lr, 2 / 44);
  assert.match(spec.title!.subtitle!, /95% Wilson/);
  assert.match(P.basinProbability(pts, { z: 2.5758293035489 }).title!.subtitle!, /99% Wilson/);
  throwsDescent(() => P.basinProbability([{ lr: 0.1, k: 11, n: 10 }]), 'E_INPUT', 'plots.basinProbability: points[0].k');
  throwsDescent(() => P.basinProbability([{ lr: 0, k: 1, n: 10 }], { xScale: 'log' }), 'E_INPUT', 'plots.basinProbability: points[0].lr');
  throwsDescent(() => P.basinProbability([]), 'E_INPUT', 'plots.basinProbability: points');
});

pl('sharpness: λ_max passes through, 2/η per step (a schedule), η = 0 has no threshold', () => {
  const spec = P.sharpness({ step: [0, 10, 20], sharpness: [3, 12, 19.5], lr: [0.1, 0.2, 0] });
  isPlainData(spec);
  const rows = (spec.data as { values: { step: number; value: number; quantity: string }[] }).values;
  assert.equal(rows.filter((r) => r.quantity === 'λ_max').map((r) => r.value), [3, 12, 19.5]);
  assert.equal(rows.filter((r) => r.quantity === '2/η').map((r) => [r.step, r.value]), [[0, 20], [10, 10]]);
  const two = P.sharpness([{ step: [0], sharpness: [1], lr: 0.5, label: 'a' }, { step: [0], sharpness: [2], lr: 0.25, label: 'b' }]);
  assert.ok('color' in (two.encoding as object), 'labelled runs are coloured');
  throwsDescent(() => P.sharpness({ step: [0, 1], sharpness: [1], lr: 0.1 }), 'E_INPUT', 'plots.sharpness: series.sharpness');
});

pl('spectralDensity: the density of spectral.density passes through; log axis drops values below the floor', () => {
  const A = Array.from({ length: 12 }, (_, i) => Array.from({ length: 12 }, (_, j) => (i === j ? (i < 6 ? 1 : 5) : 0)));
  const rho = descent.spectral.density(descent.spectral.denseOp(A), { probes: 3, grid: 101, sigma: 0.05 });
  const spec = P.spectralDensity(rho);
  isPlainData(spec);
  const rows = (spec.data as { values: { lambda: number; density: number }[] }).values;
  assert.is(rows.length, 101);
  rows.forEach((row, i) => { assert.is(row.lambda, rho.grid[i]); assert.is(row.density, rho.density[i]); });
  const logged = (P.spectralDensity([{ ...rho, label: 'H' }, { grid: rho.grid, density: rho.density.map((v) => v / 2), label: 'H/2' }], { yScale: 'log', floor: 1e-3 }).data as { values: { density: number; label: string }[] }).values;
  assert.ok(logged.every((r) => r.density >= 1e-3));
  assert.ok(logged.length < 202 && logged.some((r) => r.label === 'H/2'));
});

pl('bad inputs and options: DescentError with the path', () => {
  throwsDescent(() => P.lossBands({ record: undefined }), 'E_INPUT', 'plots.lossBands: result.record');
  throwsDescent(() => P.lossBands({ record: { steps: [0], lossMean: [1], lossQuantiles: { levels: [0.5], values: [1, 2] } } }), 'E_INPUT', 'plots.lossBands: result.record.lossQuantiles.values');
  throwsDescent(() => P.lossBands({ record: { steps: [0], lossMean: ['x' as never], lossQuantiles: { levels: [0.5], values: [1] } } }), 'E_INPUT', 'plots.lossBands: result.record.lossMean[0]');
  throwsDescent(() => P.lossHistogram({ loss: [1] }, { bins: 0 }), 'E_CONFIG', 'plots.lossHistogram.bins');
  throwsDescent(() => P.lossHistogram({ loss: [1] }, { colour: 'red' } as never), 'E_CONFIG', 'plots.lossHistogram.colour');
  throwsDescent(() => P.lossHistogram({ loss: [1] }, { width: 10 }), 'E_CONFIG', 'plots.lossHistogram.width');
  throwsDescent(() => P.lossHistogram({ loss: [1] }, { xScale: 'symlog' as never }), 'E_CONFIG', 'plots.lossHistogram.xScale');
  throwsDescent(() => P.contours({ alpha: [0, 1], beta: [0, 1], loss: [1, 2, 3] }), 'E_INPUT', 'plots.contours: surface.loss');
  throwsDescent(() => P.contours({ alpha: [1, 0], beta: [0, 1], loss: [1, 2, 3, 4] }), 'E_INPUT', 'plots.contours: surface.alpha');
  throwsDescent(() => P.contours({ alpha: [0, 1], beta: [0, 1], loss: [1, 2, 3, 4] }, { points: [1, 2, 3] }), 'E_CONFIG', 'plots.contours.points');
  throwsDescent(() => P.contours({ alpha: [0, 1], beta: [0, 1], loss: [1, 2, 3, 4] }, { trajectories: { particles: 2, data: [1, 2, 3] } }), 'E_CONFIG', 'plots.contours.trajectories.data');
  throwsDescent(() => P.spectralDensity({ grid: [0, 1], density: [1] }), 'E_INPUT', 'plots.spectralDensity: curves.density');
});

pl.run();
