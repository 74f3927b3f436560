// diagnostics.* against independent oracles: plain-JS implementations of the stated estimators on
// small inputs (agreement to rounding), closed forms (AR(1) autocorrelation φ^k and ESS
// n(1 − φ)/(1 + φ); KSD of a single point), and behaviour that must hold (KSD and MMD separate a
// shifted sample from an exact one). Inputs come from the test PRNG (test/rng.ts), not the library.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, rng, throwsDescent } from './util.ts';

const s = suite('diagnostics');
s.before(() => descent.init());
const D = descent.diagnostics, L = descent.landscapes;

function normals(seed: number, n: number): Float64Array {
  const u = rng(seed), out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u())), a = 2 * Math.PI * u();
    out[i] = r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/** m AR(1) chains x_t = φx_{t−1} + √(1 − φ²)ε_t started from stationarity (unit variance). */
function ar1(seed: number, m: number, n: number, phi: number): Float64Array {
  const e = normals(seed, m * n), x = new Float64Array(m * n), c = Math.sqrt(1 - phi * phi);
  for (let k = 0; k < m; k++) {
    x[k * n] = e[k * n];
    for (let t = 1; t < n; t++) x[k * n + t] = phi * x[k * n + t - 1] + c * e[k * n + t];
  }
  return x;
}

s('moments: per-coordinate mean, unbiased variance and √(var/n) equal a two-pass JS oracle', () => {
  const d = 3, n = 501, x = normals(1, n * d).map((v, i) => v * (1 + (i % d)) + (i % d));
  const m = D.moments(x, { dim: d });
  assert.is(m.n, n);
  for (let j = 0; j < d; j++) {
    let sum = 0; for (let i = 0; i < n; i++) sum += x[i * d + j];
    const mean = sum / n;
    let q = 0; for (let i = 0; i < n; i++) q += (x[i * d + j] - mean) ** 2;
    close(m.mean[j], mean, 1e-14, `mean ${j}`);
    close(m.variance[j], q / (n - 1), 1e-14, `variance ${j}`);
    close(m.standardError[j], Math.sqrt(q / (n - 1) / n), 1e-14, `se ${j}`);
  }
  throwsDescent(() => D.moments([1, 2, 3], { dim: 2 }), 'E_INPUT', 'diagnostics.moments: samples');
  throwsDescent(() => D.moments([1, 2], { dim: 2 }), 'E_INPUT', 'diagnostics.moments: samples');
});

/** The stated multi-chain estimator, transcribed independently. */
function rhoOracle(x: Float64Array, m: number, n: number, k: number): number {
  const means = [], vars = [];
  for (let c = 0; c < m; c++) {
    let s0 = 0; for (let i = 0; i < n; i++) s0 += x[c * n + i];
    means.push(s0 / n);
    let q = 0; for (let i = 0; i < n; i++) q += (x[c * n + i] - means[c]) ** 2;
    vars.push(q / (n - 1));
  }
  const W = vars.reduce((a, b) => a + b) / m;
  const g = means.reduce((a, b) => a + b) / m;
  const Bn = m > 1 ? means.reduce((a, b) => a + (b - g) ** 2, 0) / (m - 1) : 0;
  const vp = ((n - 1) / n) * W + Bn;
  let ac = 0;
  for (let c = 0; c < m; c++) { let s0 = 0; for (let i = 0; i + k < n; i++) s0 += (x[c * n + i] - means[c]) * (x[c * n + i + k] - means[c]); ac += s0 / n; }
  return 1 - (W - ac / m) / vp;
}

s('autocorrelation: equals the transcribed estimator; AR(1) gives φ^k', () => {
  const small = ar1(2, 3, 60, 0.6);
  const rho = D.autocorrelation({ data: small, chains: 3, length: 60 }, { maxLag: 10 });
  for (let k = 0; k <= 10; k++) close(rho[k], rhoOracle(small, 3, 60, k), 1e-12, `ρ(${k})`, 1e-14);
  const one = small.subarray(0, 60);
  const r1 = D.autocorrelation(one, { maxLag: 5 });
  for (let k = 0; k <= 5; k++) close(r1[k], rhoOracle(one, 1, 60, k), 1e-12, `single-chain ρ(${k})`, 1e-14);
  // Long AR(1): ρ̂(k) within 0.02 of φ^k (its standard error at n = 2·10⁵ is ≈ 0.005 for k ≤ 5).
  const phi = 0.7, long = ar1(3, 1, 200000, phi);
  const rl = D.autocorrelation(long, { maxLag: 5 });
  for (let k = 0; k <= 5; k++) assert.ok(Math.abs(rl[k] - phi ** k) < 0.02, `ρ(${k}) = ${rl[k]} vs ${phi ** k}`);
});

s('effective sample size: AR(1) chains within 10% of m·n(1 − φ)/(1 + φ); i.i.d. draws ≈ n', () => {
  // The Geyer estimate of τ for φ = 0.9 at n = 40 000 per chain has a relative standard deviation of a few %; 10% is > 3 of them.
  const m = 4, n = 40000, phi = 0.9;
  const ess = D.effectiveSampleSize({ data: ar1(4, m, n, phi), chains: m, length: n });
  const truth = (m * n * (1 - phi)) / (1 + phi);
  assert.ok(Math.abs(ess / truth - 1) < 0.1, `ESS ${ess} vs ${truth}`);
  const iid = D.effectiveSampleSize(normals(5, 20000));
  assert.ok(Math.abs(iid / 20000 - 1) < 0.1, `i.i.d. ESS ${iid}`);
  // Chains stuck at different values: the between-chain term makes ESS collapse.
  const stuck = new Float64Array(2 * 1000).map((_, i) => (i < 1000 ? 0 : 5) + 0.01 * Math.sin(i));
  assert.ok(D.effectiveSampleSize({ data: stuck, chains: 2, length: 1000 }) < 20);
  assert.ok(Number.isNaN(D.effectiveSampleSize(new Float64Array(10))));
});

s('chains() reads a coordinate of recorded trajectories; ESS of a MALA run is finite and below m·n', async () => {
  const r = await descent.simulate({
    landscape: L.quadratic({ A: [[1, 0], [0, 4]] }), optimizer: descent.samplers.mala({ stepSize: 0.3 }), init: descent.inits.point({ x: [0, 0] }),
    particles: 8, steps: 400, seed: 2, record: { trajectories: 8 },
  });
  const ch = D.chains(r, { coordinate: 1, burnIn: 100 });
  assert.is(ch.chains, 8);
  assert.is(ch.length, 301);
  assert.is(ch.data[3 * 301 + 7], r.trajectories!.data[((7 + 100) * 8 + 3) * 2 + 1]);
  const ess = D.effectiveSampleSize(ch);
  assert.ok(ess > 10 && ess < 8 * 301, `ESS ${ess}`);
  const a = D.acceptanceRate(r);
  assert.is(a.rate, Array.from(r.accepted!).reduce((x, y) => x + y) / (8 * 400));
  assert.is(a.perParticle[5], r.accepted![5] / 400);
  throwsDescent(() => D.chains({ ...r, trajectories: undefined }), 'E_INPUT');
  throwsDescent(() => D.acceptanceRate({ ...r, accepted: undefined }), 'E_INPUT');
});

/** KSD² V-statistic with the IMQ kernel, transcribed from the Stein-kernel definition via explicit kernel derivatives. */
function ksd2Oracle(x: Float64Array, sc: Float64Array, N: number, d: number, c: number, beta: number): number {
  let total = 0;
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) {
    const r = Array.from({ length: d }, (_, k) => x[i * d + k] - x[j * d + k]);
    const r2 = r.reduce((a, b) => a + b * b, 0), q = c * c + r2;
    const kv = q ** beta;
    const gradX = r.map((v) => 2 * beta * q ** (beta - 1) * v), gradY = gradX.map((v) => -v);
    const trace = -2 * beta * d * q ** (beta - 1) - 4 * beta * (beta - 1) * q ** (beta - 2) * r2;
    let v = trace;
    for (let k = 0; k < d; k++) v += sc[i * d + k] * sc[j * d + k] * kv + sc[i * d + k] * gradY[k] + sc[j * d + k] * gradX[k];
    total += v;
  }
  return total / (N * N);
}

s('ksd: equals the transcribed V-statistic; closed form for one point; separates shifted samples', () => {
  const f = L.quadratic({ A: [[2, 0.3], [0.3, 1]] }), T = 0.5;
  const x = normals(6, 40);
  const scores = f.gradBatch(x).map((g) => -g / T);
  close(D.ksd(f, x, { temperature: T, c: 1.3, beta: -0.4 }) ** 2, ksd2Oracle(x, scores, 20, 2, 1.3, -0.4), 1e-12, 'KSD²');
  // One point: KSD² = c^{2β}‖s‖² − 2βd c^{2β−2}.
  const p = [0.7, -0.2], g = f.grad(p), s2 = (g[0] ** 2 + g[1] ** 2) / (T * T);
  close(D.ksd(f, p, { temperature: T }) ** 2, s2 + 2 * 0.5 * 2, 1e-13, 'single point');
  // Exact samples of N(0, I) (U = |x|²/2, T = 1) vs the same samples shifted by 0.5.
  const g0 = L.quadratic({ A: [[1, 0], [0, 1]] }), z = normals(7, 2000);
  const exact = D.ksd(g0, z), shifted = D.ksd(g0, z.map((v) => v + 0.5));
  assert.ok(shifted > 3 * exact, `KSD exact ${exact}, shifted ${shifted}`);
  assert.ok(D.ksd(g0, normals(8, 8000)) < exact, 'KSD of exact samples falls with N');
  throwsDescent(() => D.ksd(g0, z, { beta: 0 }), 'E_INPUT', 'diagnostics.ksd.beta');
  throwsDescent(() => D.ksd(g0, [1, 2, 3]), 'E_INPUT', 'diagnostics.ksd: x');
});

s('mmd: equals the transcribed unbiased estimator; median bandwidth; ≈ 0 for one law, > 0 for two', () => {
  const x = normals(9, 30), y = normals(10, 24).map((v) => v + 0.3);
  const ell = 0.8, k = (a: number[], b: number[]) => Math.exp(-((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) / (2 * ell * ell));
  const row = (a: Float64Array, i: number) => [a[2 * i], a[2 * i + 1]];
  let kxx = 0, kyy = 0, kxy = 0;
  for (let i = 0; i < 15; i++) for (let j = 0; j < 15; j++) if (i !== j) kxx += k(row(x, i), row(x, j));
  for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) if (i !== j) kyy += k(row(y, i), row(y, j));
  for (let i = 0; i < 15; i++) for (let j = 0; j < 12; j++) kxy += k(row(x, i), row(y, j));
  close(D.mmd(x, y, { dim: 2, bandwidth: ell }).mmd2, kxx / (15 * 14) + kyy / (12 * 11) - (2 * kxy) / (15 * 12), 1e-12, 'MMD²');
  const pooled = [...Array.from({ length: 15 }, (_, i) => row(x, i)), ...Array.from({ length: 12 }, (_, i) => row(y, i))];
  const dists: number[] = [];
  for (let i = 0; i < 27; i++) for (let j = i + 1; j < 27; j++) dists.push(Math.hypot(pooled[i][0] - pooled[j][0], pooled[i][1] - pooled[j][1]));
  dists.sort((a, b) => a - b);
  close(D.mmd(x, y, { dim: 2 }).bandwidth, dists[(dists.length - 1) / 2], 1e-14, 'median bandwidth'); // 351 distances: odd
  const a = normals(11, 1000), b = normals(12, 1000), c = normals(13, 1000).map((v, i) => (i % 2 ? v * 1.5 : v));
  const same = D.mmd(a, b, { dim: 2 }).mmd2, diff = D.mmd(a, c, { dim: 2 }).mmd2;
  assert.ok(Math.abs(same) < 0.01 && diff > 0.02, `same law ${same}, different ${diff}`);
  throwsDescent(() => D.mmd(a, b, { dim: 2, bandwidth: -1 }), 'E_INPUT', 'diagnostics.mmd.bandwidth');
  throwsDescent(() => D.mmd([1, 1, 1, 1], [1, 1, 1, 1], { dim: 2 }), 'E_INPUT', 'diagnostics.mmd.bandwidth');
});

s.run();
