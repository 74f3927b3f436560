// The quantile sketch of ensemble summaries (assembly/run/sketch.ts) on values of every sign and
// size: zeros, negatives, subnormals, huge values and +Infinity. The particles sit still (SGD with
// lr 0), so the final losses are the values of f(x) = ½x² + c at the initial points, and the
// expected quantiles are computed here independently: each value rounded to its bucket's
// midpoint with a DataView (top `bits` mantissa bits of |v| kept, the next one set; 0 alone;
// ±Infinity stays), then numpy's type-7 interpolation.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, rng } from './util.ts';

const s = suite('quantile sketch');
s.before(() => descent.init());
const L = descent.landscapes, O = descent.optimizers, I = descent.inits;

function rounded(v: number, bits: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, Math.abs(v));
  const hi = ((dv.getUint32(0) >>> (20 - bits)) << (20 - bits)) | (1 << (19 - bits));
  dv.setUint32(0, hi >>> 0);
  dv.setUint32(4, 0);
  return Math.sign(v) * dv.getFloat64(0);
}

function type7(sorted: number[], q: number): number {
  const n = sorted.length, h = (n - 1) * q, lo = Math.floor(h), a = sorted[lo], b = sorted[Math.min(lo + 1, n - 1)];
  return a === b ? a : a + (h - lo) * (b - a);
}

const levels = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1];

for (const bits of [1, 4, 8, 13, 19]) {
  s(`bits = ${bits}: quantiles are the type-7 quantiles of the bucket midpoints, within 2^−(bits+1) of the exact ones`, async () => {
    const next = rng(bits);
    // f(x) = ½x² − 1: negative inside |x| < √2, exactly −1 at 0, exactly 0 nowhere but finite
    // everywhere; x = 1e200 gives +Infinity (a finite particle with an infinite loss is counted).
    const xs = [0, 1e200, 1e-160, -1e-300, ...Array.from({ length: 3000 }, () => (next() - 0.5) * 8)];
    const r = await descent.simulate({
      landscape: L.quadratic({ A: [[1]], c: -1 }), optimizer: O.sgd({ lr: 0 }), init: I.array({ points: xs.map((x) => [x]) }),
      steps: 1, seed: 1, divergenceBound: 1e300, record: { quantiles: levels, quantileBits: bits },
    });
    const values = Array.from(r.loss).sort((a, b) => a - b);
    assert.is(values.at(-1), Infinity);
    const mids = values.map((v) => rounded(v, bits)).sort((a, b) => a - b);
    const got = r.final.lossQuantiles;
    assert.is(got.bits, bits);
    levels.forEach((q, k) => {
      const want = type7(mids, q);
      if (Number.isFinite(want)) close(got.values[k], want, 1e-14, `q = ${q}`);
      else assert.is(got.values[k], want, `q = ${q}`);
      const exact = type7(values, q);
      if (Number.isFinite(exact)) assert.ok(Math.abs(got.values[k] - exact) <= 2 ** -(bits + 1) * Math.abs(exact) * (1 + 1e-12) + 1e-300, `q = ${q}: ${got.values[k]} vs exact ${exact}`);
      else assert.is(got.values[k], exact);
      const lo = Math.floor((values.length - 1) * q), bucket = mids[lo];
      assert.is(got.rankLow[k], mids.filter((v) => v < bucket).length / values.length, `rank low ${q}`);
      assert.is(got.rankHigh[k], mids.filter((v) => v <= bucket).length / values.length, `rank high ${q}`);
    });
  });
}

s('an empty sketch (every particle diverged) gives NaN quantiles and NaN moments', async () => {
  const r = await descent.simulate({
    landscape: L.quadratic({ A: [[-1]] }), optimizer: O.sgd({ lr: 10 }), init: I.point({ x: [1] }), particles: 10, steps: 50, seed: 1, divergenceBound: 1e3,
  });
  assert.is(r.counts.diverged, 10);
  assert.is(r.final.count, 0);
  assert.ok(Array.from(r.final.lossQuantiles.values).every(Number.isNaN));
  assert.ok(Number.isNaN(r.final.lossMean) && Number.isNaN(r.final.lossVariance));
  assert.is(r.times.diverged.count, 10);
});

s('bad quantileBits and histogram edges are E_CONFIG with their path', async () => {
  const base = { landscape: L.quadratic({ A: [[1]] }), optimizer: O.sgd({ lr: 0.1 }), init: I.point({ x: [1] }), particles: 4, steps: 2, seed: 1 };
  for (const [record, path] of [[{ quantileBits: 0 }, 'simulate.record.quantileBits'], [{ quantileBits: 20 }, 'simulate.record.quantileBits'],
    [{ lossEdges: [1, 1] }, 'simulate.record.lossEdges[1]'], [{ paramEdges: [] }, 'simulate.record.paramEdges'], [{ lossEdges: [0, NaN] }, 'simulate.record.lossEdges[1]']] as const) {
    try {
      await descent.simulate({ ...base, record } as never);
      assert.unreachable(path);
    } catch (e) {
      assert.is((e as descent.DescentError).code, 'E_CONFIG', path);
      assert.is((e as descent.DescentError).path, path);
    }
  }
});

s.run();
