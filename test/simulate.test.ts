// simulate(): results independent of chunking; P = 1 equals minimize(); recorded statistics equal
// a JS recomputation; stationary covariance of noisy SGD on a quadratic against the exact
// discrete Lyapunov solution (99% intervals); divergence and stop steps against closed forms.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close } from './util.ts';

const s = suite('simulate');
s.before(() => descent.init());
const L = descent.landscapes, O = descent.optimizers, N = descent.noise, I = descent.inits;

const wells = () => ({
  landscape: L.doubleWell({ tilt: 0.1 }), optimizer: O.sgd({ lr: 0.05, momentum: 0.5 }), noise: N.gaussian({ sigma: 1 }),
  init: I.normal({ mean: [0], std: 0.1 }), particles: 3001, steps: 300, seed: 9,
  record: { every: 7, trajectories: 3 }, stop: { regions: [{ center: [-1], radius: 0.05 }, { center: [1], radius: 0.05 }] },
});

s('the same bits for any chunk size (including chunks that split record strides)', async () => {
  const hashes = await Promise.all([1, 5, 7, 64, 300].map(async (chunkSize) => (await descent.simulate(wells(), { chunkSize })).hash));
  assert.equal(new Set(hashes).size, 1, JSON.stringify(hashes));
});

s('a chunkSize above steps runs as one chunk of steps: buffers are not sized by chunkSize', async () => {
  // Record buffers hold a chunk's rows: sized by a 2³⁰-step chunk they would need terabytes (E_MEMORY).
  const cfg = () => ({ ...wells(), record: { every: 1 } });
  const one = await descent.simulate(cfg());
  assert.is((await descent.simulate(cfg(), { chunkSize: 2 ** 30 })).hash, one.hash);
  assert.is((await descent.simulate(cfg(), { chunkSize: 2 ** 30, workers: 2 })).hash, one.hash, 'workers');
});

s('different seeds give different ensembles; the result carries its config', async () => {
  const a = await descent.simulate(wells()), b = await descent.simulate({ ...wells(), seed: 10 });
  assert.not.equal(a.hash, b.hash);
  assert.is(a.config.seed, 9);
  assert.is((a.config.landscape as { kind: string }).kind, 'doubleWell');
  assert.ok(JSON.stringify(a.config).length > 0);
});

s('every bit of the seed matters: seeds whose low word is ≥ 2³¹, and seeds above 2³², differ from their neighbours', async () => {
  // Regression: the kernels once read the key words through i32, which saturates at 2³¹ − 1, so
  // 3e9 and 3e9 + 1 gave the same noise. Noise, samplers and MALA draw with the key; the init is a
  // fixed point so only those draws can tell the seeds apart.
  const S = descent.samplers;
  for (const [opt, noise] of [[O.sgd({ lr: 0.01 }), descent.noise.gaussian({ sigma: 1 })], [S.ula({ stepSize: 0.01 }), undefined], [S.mala({ stepSize: 0.3 }), undefined]] as const) {
    const hashes = new Set<string>();
    for (const seed of [3e9, 3e9 + 1, 2 ** 32 - 1, 2 ** 40 + 5, 2 ** 40 + 6]) hashes.add((await descent.simulate({ ...wells(), optimizer: opt, ...(noise ? { noise } : { noise: undefined }), init: I.point({ x: [0.1] }), particles: 64, steps: 20, seed })).hash);
    assert.is(hashes.size, 5, `${opt.kind}: seeds collide`);
  }
});

s('one particle without noise follows minimize() exactly, for every optimiser', async () => {
  const f = L.rosenbrock({ dim: 3 });
  for (const opt of [O.sgd({ lr: 5e-4, momentum: 0.9, nesterov: true }), O.adam({ lr: 0.01, amsgrad: true }), O.nadam(), O.nesterovGD({ lr: 5e-4, beta: 'schedule' }), O.rmsprop({ lr: 1e-3, centered: true })]) {
    const r = await descent.simulate({ landscape: f, optimizer: opt, init: I.point({ x: [-1, 0.5, 2] }), particles: 1, steps: 200, seed: 0, record: { trajectories: 1 } });
    const m = await descent.minimize(f, opt, [-1, 0.5, 2], { steps: 200, trajectory: true });
    assert.equal(Array.from(r.trajectories!.data.subarray(3)), Array.from(m.trajectory!), opt.kind);
    assert.equal(Array.from(r.trajectories!.data.subarray(0, 3)), [-1, 0.5, 2]);
  }
});

s('ensembles of quadratics (two-pair SIMD kernel) equal minimize() (scalar kernel) bit for bit', async () => {
  const f = L.quadratic({ eigenvalues: [0.5, 1, 2, 4, 8], seed: 3, center: [1, -1, 0.5, 0, 2] });
  const starts = [[0, 0, 0, 0, 0], [1, 2, 3, 4, 5], [-1, 0.5, 0, 2, -3]];
  const r = await descent.simulate({ landscape: f, optimizer: O.adam({ lr: 0.05 }), init: I.array({ points: starts }), steps: 50, seed: 0 });
  for (const [p, x0] of starts.entries()) {
    const m = await descent.minimize(f, O.adam({ lr: 0.05 }), x0, { steps: 50 });
    assert.equal(Array.from(r.x.subarray(5 * p, 5 * p + 5)), Array.from(m.x), `particle ${p}`);
  }
});

s('particles are independent of their neighbours: particle p of a P-particle run equals the same particle of a larger run', async () => {
  const base = { ...wells(), stop: undefined, record: undefined };
  const small = await descent.simulate({ ...base, particles: 70 }), large = await descent.simulate({ ...base, particles: 200 });
  assert.equal(Array.from(small.x), Array.from(large.x.subarray(0, 70)));
});

s('recorded statistics equal a JS recomputation from the positions at that step', async () => {
  const cfg = { landscape: L.rastrigin({ dim: 2 }), optimizer: O.adam({ lr: 0.01 }), noise: N.gaussian({ sigma: [0.3, 0.6] }), init: I.uniform({ low: [-3, -3], high: [3, 3] }), particles: 999, seed: 4 };
  const T = 40;
  const rec = await descent.simulate({ ...cfg, steps: T + 1, record: { every: T, quantiles: [0, 0.1, 0.5, 0.9, 1] } });
  const at = await descent.simulate({ ...cfg, steps: T }); // its final state is x_T of the first run
  const r = rec.record!, row = 1;
  assert.is(r.steps[row], T);
  const f = L.rastrigin({ dim: 2 });
  const losses = Array.from(at.loss), n = losses.length;
  const mean = losses.reduce((a, b) => a + b, 0) / n;
  const variance = losses.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  close(r.lossMean[row], mean, 1e-12, 'loss mean');
  close(r.lossVariance[row], variance, 1e-10, 'loss variance');
  assert.is(r.lossMin[row], Math.min(...losses));
  assert.is(r.lossMax[row], Math.max(...losses));
  // Quantiles come from the sketch: type-7 quantiles of the losses rounded to their bucket's
  // midpoint (bits = 8 mantissa bits, done here independently with a DataView), and within
  // relative 2⁻⁹ of the exact type-7 quantiles; the rank interval is that of the bucket.
  const sorted = losses.slice().sort((a, b) => a - b);
  const bits = r.lossQuantiles.bits, dv = new DataView(new ArrayBuffer(8));
  assert.is(bits, 8);
  const rounded = sorted.map((v) => {
    if (v === 0) return 0;
    dv.setFloat64(0, Math.abs(v));
    const hi = dv.getUint32(0) >>> (20 - bits) << (20 - bits) | (1 << (19 - bits));
    dv.setUint32(0, hi); dv.setUint32(4, 0);
    return Math.sign(v) * dv.getFloat64(0);
  });
  const type7 = (a: number[], q: number) => {
    const h = (n - 1) * q, lo = Math.floor(h), hi = a[Math.min(lo + 1, n - 1)];
    return a[lo] === hi ? hi : a[lo] + (h - lo) * (hi - a[lo]);
  };
  [0, 0.1, 0.5, 0.9, 1].forEach((q, k) => {
    const got = r.lossQuantiles.values[row * 5 + k];
    close(got, type7(rounded, q), 1e-15, `sketch quantile ${q}`);
    const exact = type7(sorted, q);
    assert.ok(Math.abs(got - exact) <= 2 ** -(bits + 1) * Math.abs(exact) * (1 + 1e-12), `quantile ${q}: ${got} vs exact ${exact}`);
    const lo = Math.floor((n - 1) * q), bucket = rounded[lo];
    const below = rounded.filter((v) => v < bucket).length, upto = rounded.filter((v) => v <= bucket).length;
    assert.is(r.lossQuantiles.rankLow[row * 5 + k], below / n, `rank low ${q}`);
    assert.is(r.lossQuantiles.rankHigh[row * 5 + k], upto / n, `rank high ${q}`);
  });
  for (let j = 0; j < 2; j++) {
    const col = Array.from({ length: n }, (_, p) => at.x[2 * p + j]);
    const m = col.reduce((a, b) => a + b, 0) / n;
    close(r.paramMean[row * 2 + j], m, 1e-12, `mean x_${j}`, 1e-15);
    close(r.paramVariance[row * 2 + j], col.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1), 1e-10, `variance x_${j}`);
  }
  let gsum = 0;
  for (let p = 0; p < n; p++) { const g = f.grad(at.x.subarray(2 * p, 2 * p + 2)); gsum += Math.hypot(g[0], g[1]); }
  close(r.gradNormMean[row], gsum / n, 1e-12, 'mean gradient norm');
  assert.is(r.count[row], n);
});

s('noisy SGD on a quadratic: covariance matches the discrete Lyapunov solution (99% χ² intervals)', async () => {
  // x_{t+1} = (1 − ηh_j) x_t − ησ z_t per coordinate (H = diag(h)), from x_0 = 0:
  // Var x_T = η²σ² (1 − a^{2T}) / (1 − a²), a = 1 − ηh_j  (the finite-T Lyapunov sum), mean 0.
  const h = [1, 4, 9], eta = 0.1, sigma = 0.7, T = 150, P = 40000;
  const r = await descent.simulate({
    landscape: L.quadratic({ A: [[h[0], 0, 0], [0, h[1], 0], [0, 0, h[2]]] }), optimizer: O.sgd({ lr: eta }),
    noise: N.gaussian({ sigma }), init: I.point({ x: [0, 0, 0] }), particles: P, steps: T, seed: 2026,
  });
  // Each coordinate's (P−1)S²/v ~ χ²(P−1): S²/v within 1 ± 2.576·√(2/(P−1)) at 99%; the mean within 2.576·√(v/P).
  h.forEach((hj, j) => {
    const a = 1 - eta * hj;
    const v = (eta * eta * sigma * sigma * (1 - a ** (2 * T))) / (1 - a * a);
    let m = 0, q = 0;
    for (let p = 0; p < P; p++) m += r.x[3 * p + j];
    m /= P;
    for (let p = 0; p < P; p++) q += (r.x[3 * p + j] - m) ** 2;
    const ratio = q / (P - 1) / v;
    assert.ok(Math.abs(ratio - 1) < 2.576 * Math.sqrt(2 / (P - 1)), `coordinate ${j}: S²/v = ${ratio}`);
    assert.ok(Math.abs(m) < 2.576 * Math.sqrt(v / P), `coordinate ${j}: mean ${m}`);
  });
  // Off-diagonal: coordinates are independent; the correlation is within 2.576/√P.
  let c01 = 0, s0 = 0, s1 = 0;
  for (let p = 0; p < P; p++) { c01 += r.x[3 * p] * r.x[3 * p + 1]; s0 += r.x[3 * p] ** 2; s1 += r.x[3 * p + 1] ** 2; }
  assert.ok(Math.abs(c01 / Math.sqrt(s0 * s1)) < 2.576 / Math.sqrt(P), 'cross-correlation');
});

s('divergence is data: without noise, particles diverge exactly when |1 − ηh|^t |x₀| passes the bound', async () => {
  // x_t = (1 − ηh)^t x₀ with ηh = 3: |x_t| = 2^t |x₀|; with x₀ = 1 and bound 1e6, t* = 20 (2^20 > 1e6 > 2^19).
  const r = await descent.simulate({ landscape: L.quadratic({ A: [[3]] }), optimizer: O.sgd({ lr: 1 }), init: I.array({ points: [[1], [0]] }), steps: 100, seed: 0, divergenceBound: 1e6, record: { every: 10 } });
  assert.equal(Array.from(r.divergedAt), [19, -1]); // step 19's update produced |x_20| = 2^20
  assert.equal(r.counts, { running: 1, diverged: 1, stopped: 0, regions: [] });
  assert.equal(Array.from(r.record!.count), [2, 2, 1, 1, 1, 1, 1, 1, 1, 1]);
});

s('stop at a gradient tolerance at the first step where ‖∇f‖ < tol, and stay there', async () => {
  // f = x²/2 (h = 1), η = 0.5: x_t = 2^{−t}; ‖∇f(x_t)‖ = 2^{−t} < 1e-3 first at t = 10.
  const r = await descent.simulate({ landscape: L.quadratic({ A: [[1]] }), optimizer: O.sgd({ lr: 0.5 }), init: I.point({ x: [1] }), particles: 3, steps: 50, seed: 0, stop: { gradTol: 1e-3 }, record: { trajectories: 1 } });
  assert.equal(Array.from(r.stoppedAt), [10, 10, 10]);
  assert.equal(Array.from(r.region), [-1, -1, -1]);
  assert.equal(Array.from(r.x), [2 ** -10, 2 ** -10, 2 ** -10]);
  assert.is(r.trajectories!.data[50], 2 ** -10);
});

s('regions: each stopped particle is inside its region, counts add up, a tilt favours the deeper well', async () => {
  const r = await descent.simulate({ ...wells(), particles: 4000, steps: 2000, record: undefined });
  assert.is(r.counts.regions[0] + r.counts.regions[1], r.counts.stopped);
  for (let p = 0; p < r.particles; p++) {
    if (r.region[p] < 0) continue;
    const c = r.region[p] === 0 ? -1 : 1;
    assert.ok(Math.abs(r.x[p] - c) < 0.05, `particle ${p} at ${r.x[p]} not inside region ${r.region[p]}`);
    assert.ok(r.stoppedAt[p] >= 0);
  }
  assert.ok(r.counts.regions[0] > r.counts.regions[1], `tilt 0.1 favours x < 0: ${r.counts.regions}`);
});

s('grid init covers the box; array init gives the particle count', async () => {
  const r = await descent.simulate({ landscape: L.himmelblau(), optimizer: O.sgd({ lr: 0 }), init: I.grid({ low: [-1, 0], high: [1, 4], counts: [3, 5] }), steps: 1, seed: 0 });
  assert.is(r.particles, 15);
  assert.equal(Array.from(r.x.subarray(0, 6)), [-1, 0, -1, 1, -1, 2]);
  assert.equal(Array.from(r.x.subarray(28)), [1, 4]);
});

s('bad configs are E_CONFIG before any work', async () => {
  const bad = async (cfg: Record<string, unknown>, path: string) => {
    try { await descent.simulate({ ...wells(), ...cfg } as never); assert.unreachable(`accepted ${path}`); } catch (e) {
      assert.is((e as descent.DescentError).code, 'E_CONFIG', (e as Error).message);
      assert.is((e as descent.DescentError).path, path);
    }
  };
  await bad({ particles: 0 }, 'simulate.particles');
  await bad({ particles: 1.5 }, 'simulate.particles');
  await bad({ steps: -1 }, 'simulate.steps');
  await bad({ seed: -2 }, 'simulate.seed');
  await bad({ init: I.point({ x: [0, 0] }) }, 'simulate.init');
  await bad({ noise: N.gaussian({ sigma: [1, 2] }) }, 'simulate.noise.params.sigma');
  await bad({ init: I.array({ points: [[0], [1]] }), particles: 3 }, 'simulate.particles');
  await bad({ stop: { regions: [{ center: [0], radius: 0 }] } }, 'simulate.stop.regions[0].radius');
  await bad({ record: { every: 0 } }, 'simulate.record.every');
  await bad({ landscape: 'doubleWell' }, 'simulate.landscape');
  await bad({ particlez: 3 }, 'simulate.particlez');
});

s('memory beyond the limit is E_MEMORY before any step; an AbortSignal stops within one chunk', async () => {
  try {
    await descent.simulate({ ...wells(), particles: 100000, record: { trajectories: 100000 } }, { memoryLimit: 1 << 20 });
    assert.unreachable();
  } catch (e) {
    assert.is((e as descent.DescentError).code, 'E_MEMORY');
    assert.is((e as descent.DescentError).path, 'simulate.record.trajectories', (e as Error).message);
  }
  // The record grows in JS, row by row (statistics, summary nodes, sketch pages): 2 000 rows of
  // ≈ 33 KiB cannot fit 1 MiB, and that is known before the first step.
  for (const [workers, memoryLimit] of [[undefined, 1 << 20], [2, 1 << 20], [undefined, 2 ** 26]] as const) {
    let steps = 0;
    try {
      await descent.simulate({ ...wells(), particles: 1, steps: memoryLimit === 2 ** 26 ? 4000 : 2000, record: { every: 1 }, stop: undefined },
        { memoryLimit, ...(workers ? { workers } : {}), onProgress: (p) => { steps = p.step; } });
      assert.unreachable('expected E_MEMORY');
    } catch (e) {
      const err = e as descent.DescentError;
      assert.is(err.code, 'E_MEMORY', err.message);
      assert.is(err.path, 'simulate.record.every', err.message);
      assert.match(err.message, /record rows \(⌈steps \d+ \/ record\.every 1⌉\)/);
      assert.is(steps, 0, 'refused before any step');
    }
  }
  // Buffers of the run itself (wasm memory): the error names the config field that sized them.
  for (const [cfg, opts, path] of [
    [{ ...wells(), particles: 100000, record: undefined, stop: undefined }, { memoryLimit: 1 << 20 }, 'simulate.particles'],
    [{ ...wells(), particles: 30001, record: { every: 1 } }, { memoryLimit: 16 << 20, chunkSize: 300 }, 'simulate.record.every'],
    [{ ...wells(), particles: 3e8, record: undefined, stop: undefined }, { keepParticles: true }, 'simulate.particles'],
  ] as const) {
    try {
      await descent.simulate(cfg as descent.SimulateConfig, opts as descent.SimulateOptions);
      assert.unreachable('expected E_MEMORY');
    } catch (e) {
      const err = e as descent.DescentError;
      assert.is(err.code, 'E_MEMORY', err.message);
      assert.is(err.path, path, err.message);
    }
  }
  const ctl = new AbortController();
  const seen: number[] = [];
  try {
    await descent.simulate({ ...wells(), steps: 100000, stop: undefined }, { chunkSize: 100, signal: ctl.signal, onProgress: ({ step }) => { seen.push(step); if (step === 300) ctl.abort(); } });
    assert.unreachable();
  } catch (e) {
    assert.is((e as descent.DescentError).code, 'E_ABORTED');
    assert.equal(seen, [100, 200, 300]);
  }
});

s('final statistics, event times, counts and histograms equal a JS recomputation from the kept particles', async () => {
  const edges = [-0.5, 0, 0.5, 2];
  const cfg = {
    landscape: L.doubleWell({ tilt: 0.1 }), optimizer: O.sgd({ lr: 0.3 }), noise: N.gaussian({ sigma: 1.5 }), init: I.normal({ mean: [0], std: 1 }),
    particles: 2000, steps: 60, seed: 8, divergenceBound: 4,
    stop: { gradTol: 0.05, regions: [{ center: [-1], radius: 0.05 }, { center: [1], radius: 0.05 }] }, record: { every: 20, lossEdges: edges, paramEdges: [-1, 0, 1] },
  };
  const r = await descent.simulate(cfg);
  const P = r.particles, counted: number[] = [];
  for (let p = 0; p < P; p++) if (r.divergedAt[p] < 0) counted.push(p);
  const loss = counted.map((p) => r.loss[p]);
  const mean = loss.reduce((a, b) => a + b, 0) / loss.length;
  assert.is(r.final.count, counted.length);
  close(r.final.lossMean, mean, 1e-12, 'final loss mean');
  close(r.final.lossVariance, loss.reduce((a, b) => a + (b - mean) ** 2, 0) / (loss.length - 1), 1e-10, 'final loss variance');
  assert.is(r.final.lossMin, Math.min(...loss));
  assert.is(r.final.lossMax, Math.max(...loss));
  const xm = counted.reduce((a, p) => a + r.x[p], 0) / counted.length;
  close(r.final.paramMean[0], xm, 1e-12, 'final x mean', 1e-15);
  // Histogram of the final losses on the declared edges: bin k counts edges[k−1] ≤ f < edges[k].
  const hist = new Array(edges.length + 1).fill(0);
  for (const v of loss) hist[edges.filter((e) => e <= v).length]++;
  assert.equal(Array.from(r.final.lossHistogram!.counts), hist);
  const xhist = [0, 0, 0, 0];
  for (const p of counted) xhist[[-1, 0, 1].filter((e) => e <= r.x[p]).length]++;
  assert.equal(Array.from(r.final.paramHistogram!.counts), xhist);
  assert.is(r.record!.lossHistogram!.counts.length, 3 * (edges.length + 1));
  assert.is(r.record!.lossHistogram!.counts.slice(0, edges.length + 1).reduce((a, b) => a + b, 0), P); // t = 0: nobody diverged yet
  // Event times by cause, and the counts.
  const group = (sel: (p: number) => boolean, at: (p: number) => number) => {
    const t = Array.from({ length: P }, (_, p) => p).filter(sel).map(at);
    const m = t.reduce((a, b) => a + b, 0) / t.length;
    return { count: t.length, mean: t.length ? m : NaN, variance: t.length > 1 ? t.reduce((a, b) => a + (b - m) ** 2, 0) / (t.length - 1) : t.length ? 0 : NaN, min: t.length ? Math.min(...t) : NaN, max: t.length ? Math.max(...t) : NaN };
  };
  const check = (got: descent.EventTimes, want: descent.EventTimes, what: string) => {
    assert.is(got.count, want.count, `${what} count`);
    if (want.count === 0) { assert.ok(Number.isNaN(got.mean), `${what}: no events`); return; }
    close(got.mean, want.mean, 1e-12, `${what} mean`);
    close(got.variance, want.variance, 1e-10, `${what} variance`, 1e-12);
    assert.is(got.min, want.min); assert.is(got.max, want.max);
  };
  check(r.times.diverged, group((p) => r.divergedAt[p] >= 0, (p) => r.divergedAt[p]), 'diverged');
  check(r.times.gradTol, group((p) => r.stoppedAt[p] >= 0 && r.region[p] === -1, (p) => r.stoppedAt[p]), 'gradTol');
  [0, 1].forEach((q) => check(r.times.regions[q], group((p) => r.stoppedAt[p] >= 0 && r.region[p] === q, (p) => r.stoppedAt[p]), `region ${q}`));
  assert.ok(r.times.diverged.count > 0 && r.times.regions[0].count > 0 && r.times.regions[1].count > 0, 'the run exercises every cause');
  assert.is(r.counts.diverged, r.times.diverged.count);
  assert.is(r.counts.stopped, r.times.gradTol.count + r.times.regions[0].count + r.times.regions[1].count);
  assert.is(r.counts.running + r.counts.diverged + r.counts.stopped, P);
  // keepParticles: false gives the same summary, without the particles.
  const lean = await descent.simulate(cfg, { keepParticles: false });
  assert.is(lean.hash, r.hash);
  assert.not.ok('x' in lean);
});

s('onParticles streams every particle once, in order, with the kept bits; bad options are E_CONFIG', async () => {
  const cfg = { ...wells(), particles: 1000, steps: 30, record: undefined };
  const kept = await descent.simulate(cfg);
  const seen: descent.ParticleColumns[] = [], progress: descent.Progress[] = [];
  descent.__testing.setSegmentCoordinates(256);
  try {
    const lean = await descent.simulate(cfg, { keepParticles: false, onParticles: (c) => seen.push(c), onProgress: (p) => progress.push(p), chunkSize: 7 });
    assert.is(lean.hash, kept.hash);
    assert.not.ok('x' in lean);
    // Progress over segments: monotone in step, every segment reported, ending at the last step.
    assert.ok(progress.every((p, k) => k === 0 || p.step >= progress[k - 1].step), 'monotone');
    assert.is(progress.at(-1)!.step, cfg.steps);
    assert.is(new Set(progress.map((p) => p.segment)).size, progress[0].segments);
  } finally {
    descent.__testing.setSegmentCoordinates(undefined);
  }
  assert.ok(seen.length > 1, `${seen.length} segments`);
  let at = 0;
  for (const c of seen) {
    assert.is(c.first, at);
    assert.equal(Array.from(c.x), Array.from(kept.x.subarray(at * kept.dim, (at + c.loss.length) * kept.dim)));
    assert.equal(Array.from(c.loss), Array.from(kept.loss.subarray(at, at + c.loss.length)));
    at += c.loss.length;
  }
  assert.is(at, 1000);
  for (const [opts, path] of [[{ keepParticles: 1 }, 'simulate.options.keepParticles'], [{ onParticles: 3 }, 'simulate.options.onParticles'],
    [{ keepParticles: true, shard: { index: 0, count: 2 } }, 'simulate.options.keepParticles']] as const) {
    try {
      await descent.simulate(cfg, opts as never);
      assert.unreachable(path);
    } catch (e) {
      assert.is((e as descent.DescentError).code, 'E_CONFIG');
      assert.is((e as descent.DescentError).path, path);
    }
  }
});

s('record.final appends the final state at step T (opt-in): rows 0 … 90 and 100 for steps 100, every 10', async () => {
  const cfg = (final?: boolean) => ({ ...wells(), steps: 100, record: { every: 10, lossEdges: [0, 0.5, 1], ...(final === undefined ? {} : { final }) } });
  const plain = await descent.simulate(cfg());
  assert.equal(Array.from(plain.record!.steps), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90], 'the default is unchanged');
  const r = await descent.simulate(cfg(true));
  const rec = r.record!, R = 10;
  assert.equal(Array.from(rec.steps), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  // The last row is the final state's statistics; the others are the plain record's, bit for bit.
  const f = r.final;
  assert.equal([rec.count[R], rec.lossMean[R], rec.lossVariance[R], rec.lossMin[R], rec.lossMax[R]], [f.count, f.lossMean, f.lossVariance, f.lossMin, f.lossMax]);
  assert.ok(Number.isNaN(rec.gradNormMean[R]), 'no gradient is taken at x_T');
  assert.equal(Array.from(rec.paramMean.subarray(R)), Array.from(f.paramMean));
  assert.equal(Array.from(rec.paramVariance.subarray(R)), Array.from(f.paramVariance));
  const nq = rec.lossQuantiles.levels.length;
  assert.equal(Array.from(rec.lossQuantiles.values.subarray(R * nq)), Array.from(f.lossQuantiles.values));
  assert.equal(Array.from(rec.lossHistogram!.counts.subarray(R * 4)), Array.from(f.lossHistogram!.counts));
  assert.equal(Array.from(rec.lossMean.subarray(0, R)), Array.from(plain.record!.lossMean));
  assert.equal(Array.from(rec.lossHistogram!.counts.subarray(0, R * 4)), Array.from(plain.record!.lossHistogram!.counts));
  // The same numbers, so the same hash; the config says final and replays it; shards and workers agree.
  assert.is(r.hash, plain.hash);
  assert.is((r.config.record as { final?: boolean }).final, true);
  assert.not.ok('final' in (plain.config.record as object), 'a default config is unchanged');
  const again = await descent.simulate(descent.configFromJSON(JSON.parse(JSON.stringify(r.config))) as never);
  assert.equal(Array.from(again.record!.steps), Array.from(rec.steps));
  const parts = await Promise.all([0, 1, 2].map((index) => descent.simulate(cfg(true), { shard: { index, count: 3 } })));
  const merged = await descent.merge(parts);
  assert.equal(Array.from(merged.record!.lossMean), Array.from(rec.lossMean), 'merged shards');
  assert.equal(Array.from((await descent.simulate(cfg(true), { workers: 2 })).record!.steps), Array.from(rec.steps), 'workers');
});

s('record.final needs record.every and a boolean', async () => {
  for (const [record, path] of [[{ final: true }, 'simulate.record.final'], [{ every: 5, final: 1 }, 'simulate.record.final']] as const) {
    try { await descent.simulate({ ...wells(), record } as never); assert.unreachable(); }
    catch (e) { assert.instance(e, descent.DescentError); assert.is((e as descent.DescentError).code, 'E_CONFIG'); assert.is((e as descent.DescentError).path, path); }
  }
});

s.run();
