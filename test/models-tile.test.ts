// The MLP's Hessian-vector and Gauss–Newton-vector products batched over tiles of 16 examples
// (assembly/models/mlpTile.ts, mlpTileHvp and mlpTileGgnvp) against independent oracles:
//   • a plain-JS twin of Pearlmutter's R-operator, one example at a time (the equations of
//     assembly/models/mlp.ts written out again), to 1e-12 relative (max-norm): the tile sums a
//     layer's 16 examples before adding them into hv, so the last bits may differ. The GGN twin
//     is the same recursion with δ set to 0 (which drops exactly the δ and σ″ terms);
//   • for a single linear layer, where ∇²ℓ = Jᵀ H_ℓ J exactly, HVP = GGN product (the two tile
//     branches agree), for mse, crossEntropy and bce;
//   • the empirical Fisher product (mlpTileFisher, which never forms per-example rows) against
//     (1/n) Σ_i w_i g_i (g_iᵀ v) assembled in JS from `perExample` gradient rows, weighted data.
// Example counts 1, 15, 16, 17 and 37 cover full tiles, padded tiles and padding-only lanes.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { rng } from './util.ts';

const tile = suite('MLP HVP and GGN products on the tile kernel');
tile.before(() => descent.init());

function relMax(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) { num = Math.max(num, Math.abs(a[i] - b[i])); den = Math.max(den, Math.abs(b[i])); }
  return num / den;
}

const ACT: Record<string, [(z: number) => number, (z: number) => number, (z: number) => number]> = {
  tanh: [Math.tanh, (z) => 1 - Math.tanh(z) ** 2, (z) => -2 * Math.tanh(z) * (1 - Math.tanh(z) ** 2)],
  relu: [(z) => Math.max(z, 0), (z) => (z > 0 ? 1 : 0), () => 0],
};

/** (1/n) Σ_i ∇²ℓ_i v for an MLP with mse loss; θ = W₁ (row-major out×in), b₁, W₂, b₂, … (torch order). */
function twinHvp(widths: number[], act: string, X: ArrayLike<number>, Y: ArrayLike<number>, n: number, th: Float64Array, v: Float64Array, ggn = false): Float64Array {
  const [s, ds, d2s] = ACT[act], L = widths.length - 1, k = widths[L];
  const off: number[] = [];
  let o = 0;
  for (let l = 1; l <= L; l++) { off[l] = o; o += widths[l] * widths[l - 1] + widths[l]; }
  const hv = new Float64Array(th.length);
  for (let e = 0; e < n; e++) {
    const a: number[][] = [Array.from(X).slice(e * widths[0], (e + 1) * widths[0])], z: number[][] = [[]];
    const ra: number[][] = [new Array(widths[0]).fill(0)], rz: number[][] = [[]];
    for (let l = 1; l <= L; l++) {
      const ni = widths[l - 1], no = widths[l], W = off[l], B = W + no * ni;
      z[l] = []; rz[l] = []; a[l] = []; ra[l] = [];
      for (let q = 0; q < no; q++) {
        let zz = th[B + q], r = v[B + q];
        for (let j = 0; j < ni; j++) { zz += th[W + q * ni + j] * a[l - 1][j]; r += v[W + q * ni + j] * a[l - 1][j] + th[W + q * ni + j] * ra[l - 1][j]; }
        z[l][q] = zz; rz[l][q] = r;
        a[l][q] = l < L ? s(zz) : zz; ra[l][q] = l < L ? ds(zz) * r : r;
      }
    }
    let dl = z[L].map((f, q) => (ggn ? 0 : (2 / k) * (f - Y[e * k + q]) / n)), rdl = rz[L].map((r) => (2 / k) * r / n);
    for (let l = L; l >= 1; l--) {
      const ni = widths[l - 1], no = widths[l], W = off[l], B = W + no * ni;
      for (let q = 0; q < no; q++) {
        for (let j = 0; j < ni; j++) hv[W + q * ni + j] += rdl[q] * a[l - 1][j] + dl[q] * ra[l - 1][j];
        hv[B + q] += rdl[q];
      }
      if (l > 1) {
        const u = new Array(ni).fill(0), t = new Array(ni).fill(0);
        for (let q = 0; q < no; q++) for (let j = 0; j < ni; j++) {
          u[j] += th[W + q * ni + j] * dl[q];
          t[j] += v[W + q * ni + j] * dl[q] + th[W + q * ni + j] * rdl[q];
        }
        const zz = z[l - 1];
        rdl = u.map((uj, j) => d2s(zz[j]) * rz[l - 1][j] * uj + ds(zz[j]) * t[j]);
        dl = u.map((uj, j) => ds(zz[j]) * uj);
      }
    }
  }
  return hv;
}

for (const act of ['tanh', 'relu']) {
  for (const n of [1, 15, 16, 17, 37]) {
    tile(`${act}, [5, 7, 6, 2], n = ${n}: HVP and GGN product equal the per-example JS twin to 1e-12`, () => {
      const widths = [5, 7, 6, 2], r = rng(n + (act === 'tanh' ? 100 : 200));
      const X = Array.from({ length: n * 5 }, () => 2 * r() - 1), y = Array.from({ length: n * 2 }, () => 2 * r() - 1);
      const data = descent.data.from({ X: Array.from({ length: n }, (_, i) => X.slice(5 * i, 5 * i + 5)), y: Array.from({ length: n }, (_, i) => y.slice(2 * i, 2 * i + 2)) });
      const net = descent.models.mlp({ widths, activation: act as 'tanh', loss: 'mse', data });
      const theta = Float64Array.from({ length: net.dim }, () => r() - 0.5), v = Float64Array.from({ length: net.dim }, () => 2 * r() - 1);
      const err = relMax(net.hvp(theta, v), twinHvp(widths, act, X, y, n, theta, v));
      assert.ok(err <= 1e-12, `HVP: relative error ${err} > 1e-12`);
      const errG = relMax(net.ggnvp(theta, v), twinHvp(widths, act, X, y, n, theta, v, true));
      assert.ok(errG <= 1e-12, `GGN: relative error ${errG} > 1e-12`);
    });
  }
}

for (const loss of ['mse', 'crossEntropy', 'bce'] as const) {
  tile(`one linear layer, ${loss}, n = 37: HVP equals the Gauss–Newton product`, () => {
    const m = 4, k = loss === 'crossEntropy' ? 3 : 1, n = 37, r = rng(k + 31);
    const X = Array.from({ length: n }, () => Array.from({ length: m }, () => 2 * r() - 1));
    const y = loss === 'mse' ? Array.from({ length: n }, () => [2 * r() - 1]) : Array.from({ length: n }, () => Math.floor(r() * (loss === 'bce' ? 2 : k)));
    const data = descent.data.from(loss === 'mse' ? { X, y: y as number[][] } : { X, y: y as number[], classes: loss === 'bce' ? 2 : k });
    const net = descent.models.mlp({ widths: [m, k], activation: 'tanh', loss, data });
    const theta = Float64Array.from({ length: net.dim }, () => r() - 0.5), v = Float64Array.from({ length: net.dim }, () => 2 * r() - 1);
    const err = relMax(net.hvp(theta, v), net.ggnvp(theta, v));
    assert.ok(err <= 1e-12, `relative error ${err} > 1e-12`);
  });
}

for (const [act, loss, n] of [['tanh', 'crossEntropy', 37], ['relu', 'mse', 16], ['gelu', 'bce', 5]] as const) {
  tile(`empirical Fisher, ${act}, ${loss}, n = ${n}, weighted: equals Σ w g (gᵀv) from per-example rows to 1e-12`, () => {
    const k = loss === 'crossEntropy' ? 3 : 1, m = 4, r = rng(n + k);
    const X = Array.from({ length: n }, () => Array.from({ length: m }, () => 2 * r() - 1));
    const weights = Array.from({ length: n }, () => 0.5 + r());
    const data = loss === 'mse'
      ? descent.data.from({ X, y: Array.from({ length: n }, () => [2 * r() - 1]), weights })
      : descent.data.from({ X, y: Array.from({ length: n }, () => Math.floor(r() * (loss === 'bce' ? 2 : k))), classes: loss === 'bce' ? 2 : k, weights });
    const net = descent.models.mlp({ widths: [m, 6, 5, k], activation: act, loss, data });
    const theta = Float64Array.from({ length: net.dim }, () => r() - 0.5), v = Float64Array.from({ length: net.dim }, () => 2 * r() - 1);
    const { grad } = net.perExample(theta), d = net.dim, want = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += grad[i * d + j] * v[j];
      for (let j = 0; j < d; j++) want[j] += (weights[i] / n) * dot * grad[i * d + j];
    }
    const err = relMax(net.fisherVp(theta, v, { type: 'empirical' }), want);
    assert.ok(err <= 1e-12, `relative error ${err} > 1e-12`);
  });
}

tile.run();
