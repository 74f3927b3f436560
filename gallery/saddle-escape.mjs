// Gallery entry 4 — saddle escape. At a strict saddle, plain gradient descent started on the
// stable manifold (here: at the saddle itself) never leaves; perturbed GD (Jin et al.) leaves after
// a time growing like log d; Newton's method is attracted to the saddle, saddle-free Newton
// (Dauphin et al.) is repelled.
//
// Theory, all in plain JS:
// - Perturbed GD on f(x) = −½x₀² + ½Σ_{i≥1} x_i² from x = 0: the first step adds ξ, uniform in the
//   ball of radius r, then x_t = ((1 + η)^t ξ₀, (1 − η)^t ξ_i). The run stops when ‖x_t‖ > c; with
//   r ≪ c that is t* = min{t ≥ 1 : (1 + η)^t |ξ₀| > c}, so E t* = 1 + Σ_{k≥1} P(|ξ₀| ≤ c(1 + η)^{−k})
//   where |ξ₀|/r has density ∝ (1 − s²)^{(d−1)/2} on [0, 1] (one coordinate of a uniform point of the
//   d-ball), integrated by Simpson's rule. As d → ∞, E t* grows like ½ log d / log(1 + η).
// - Newton on f(x) = Σ ½λ_i x_i² + ¼x_i⁴ with λ = (−1, 1): separable, with the map
//   N(x) = 2x³/(3x² − 1) along x₀, which converges to the saddle 0 exactly when |x₀| < 1/√5 (and to
//   ±1 otherwise); along x₁ Newton converges to 0 always. So from x₀ ~ U[−a, a] the fraction
//   converging to the saddle is 1/(a√5). Saddle-free Newton divides by |λ| instead: x₀ doubles
//   near 0, every run with x₀ ≠ 0 reaches a minimum.
import * as descent from '../build/descent.node.mjs';
import { chart } from './lib/chart.mjs';
import { linearFit, meanInterval, wilson, Z95, Z99 } from './lib/stats.mjs';
import { row } from './lib/table.mjs';

export const meta = {
  name: 'saddle-escape',
  title: 'Escaping strict saddles',
  claim: 'Gradient descent started at a strict saddle stays there; perturbed gradient descent escapes in a time growing only like log d; Newton\'s method is attracted to saddles while saddle-free Newton is repelled.',
  source: 'Jin, Ge, Netrapalli, Kakade & Jordan, "How to escape saddle points efficiently", ICML 2017; Dauphin et al., "Identifying and attacking the saddle point problem in high-dimensional non-convex optimization", NeurIPS 2014.',
  setup: 'Escape: `landscapes.saddle({ dim: d, negative: 1 })` (f = −½x₀² + ½Σ x_i²), every particle starting exactly at the saddle 0, with `optimizers.sgd({ lr: 0.1 })` (plain GD) and `optimizers.perturbedGD({ lr: 0.1, gThres: 1e-3, tThres: 10⁶, radius: r = 10⁻³ })`; a stop region `{ center: 0, radius: c = 0.1, exit: true }` records when each run leaves the ball. Newton: `landscapes.saddle({ dim: 2, quartic: 1 })` (minima (±1, 0)), x₀ ~ U[−0.6, 0.6], x₁ ~ U[0.5, 1.5], 60 steps of `optimizers.newtonCG({ negativeCurvature: \'ignore\' })` (plain Newton) and of `optimizers.saddleFreeNewton({ k: 2 })`.',
  twoD: true,
};

const ETA = 0.1, R = 1e-3, C = 0.1;

/** E t* for perturbed GD in dimension d (see the header), by Simpson's rule on the marginal density of ξ₀/r. */
export function predictedEscape(d) {
  const n = 200_000, h = 1 / n, w = (s) => Math.max(0, 1 - s * s) ** ((d - 1) / 2);
  const cdf = new Float64Array(n + 1); // cdf[j] ∝ ∫_0^{jh} w, by Simpson on pairs of cells (odd j by the trapezoid)
  for (let j = 1; j <= n; j++) {
    if (j % 2 === 0) cdf[j] = cdf[j - 2] + (h / 3) * (w((j - 2) * h) + 4 * w((j - 1) * h) + w(j * h));
    else cdf[j] = cdf[j - 1] + (h / 2) * (w((j - 1) * h) + w(j * h));
  }
  const total = cdf[n], at = (s) => { const x = Math.min(1, s) * n, j = Math.floor(x); return j >= n ? 1 : (cdf[j] + (x - j) * (cdf[j + 1] - cdf[j])) / total; };
  let e = 1;
  for (let k = 1; k < 10_000; k++) { const p = at((C / R) * (1 + ETA) ** -k); if (p < 1e-14) break; e += p; }
  return e;
}

export async function run({ scale = 'full' } = {}) {
  await descent.init();
  const { landscapes, optimizers, inits, slices, plots } = descent;
  const full = scale === 'full';
  const P = full ? 20_000 : 4000, dims = full ? [2, 4, 16, 64, 256, 1024] : [16, 128, 1024], rows = [], escapes = [];
  const stop = (d) => ({ regions: [{ center: new Array(d).fill(0), radius: C, exit: true }] });
  { // plain GD at the saddle: the gradient is exactly 0, nothing moves
    const d = 16, r = await descent.simulate({ landscape: landscapes.saddle({ dim: d }), optimizer: optimizers.sgd({ lr: ETA }), init: inits.point({ x: new Array(d).fill(0) }), particles: 100, steps: 2000, seed: 4, stop: stop(d) });
    rows.push(row({ quantity: `plain GD from the saddle (d = ${d}): runs that left the ball ‖x‖ ≤ c in 2000 steps`, measured: r.counts.stopped, predicted: 0, tolerance: 0 }));
  }
  for (const d of dims) {
    const particles = d >= 256 ? P / 4 : P;
    const r = await descent.simulate({
      landscape: landscapes.saddle({ dim: d }), optimizer: optimizers.perturbedGD({ lr: ETA, gThres: 1e-3, tThres: 1e6, radius: R }),
      init: inits.point({ x: new Array(d).fill(0) }), particles, steps: 400, seed: 44, stop: stop(d),
    });
    const t = r.times.regions[0], se = Math.sqrt(t.variance / t.count), predicted = predictedEscape(d);
    escapes.push({ d, mean: t.mean, se, predicted, count: t.count, particles });
    rows.push(row({ quantity: `perturbed GD: mean escape step, d = ${d} (${t.count} of ${particles} escaped)`, measured: t.mean, predicted, interval: meanInterval(t.mean, t.variance, t.count), tolerance: Z99 * se + 0.02 }));
  }
  const ld = escapes.map((e) => Math.log(e.d)), fit = linearFit(ld, escapes.map((e) => e.mean)), pfit = linearFit(ld, escapes.map((e) => e.predicted));
  const slopeSe = Math.sqrt(escapes.reduce((s, e, i) => s + ((ld[i] - ld.reduce((a, b) => a + b) / ld.length) * e.se) ** 2, 0)) / ld.reduce((s, x) => s + (x - ld.reduce((a, b) => a + b) / ld.length) ** 2, 0);
  rows.push(row({ quantity: 'slope of the mean escape step against log d, vs the exact predictions\' slope', measured: fit.b, predicted: pfit.b, interval: [fit.b - Z95 * slopeSe, fit.b + Z95 * slopeSe], tolerance: Z99 * slopeSe + 0.02 }));
  const large = escapes.filter((e) => e.d >= 16), lfit = linearFit(large.map((e) => Math.log(e.d)), large.map((e) => e.mean));
  rows.push(row({ quantity: 'slope over d ≥ 16 vs its d → ∞ limit 1/(2 log(1 + η)) (allowed 10%)', measured: lfit.b, predicted: 1 / (2 * Math.log(1 + ETA)), tolerance: 0.1 / (2 * Math.log(1 + ETA)) }));

  // Newton against saddle-free Newton on the quartic-confined saddle.
  const f2 = landscapes.saddle({ dim: 2, quartic: 1 }), A = 0.6, P2 = full ? 4000 : 1000;
  const init = inits.uniform({ low: [-A, 0.5], high: [A, 1.5] }), runs = {};
  for (const [name, opt] of [['Newton', optimizers.newtonCG({ negativeCurvature: 'ignore' })], ['saddle-free Newton', optimizers.saddleFreeNewton({ k: 2 })]]) {
    const r = await descent.simulate({ landscape: f2, optimizer: opt, init, particles: P2, steps: 60, seed: 8, record: { trajectories: P2 } });
    let saddle = 0, minima = 0, agree = 0;
    for (let p = 0; p < P2; p++) {
      const x0 = r.x[2 * p], x1 = r.x[2 * p + 1], start = r.trajectories.data[2 * p];
      const atSaddle = Math.hypot(x0, x1) < 1e-6;
      if (atSaddle) saddle++;
      else if (Math.hypot(Math.abs(x0) - 1, x1) < 1e-6) minima++;
      if (atSaddle === (name === 'Newton' && Math.abs(start) < 1 / Math.sqrt(5))) agree++;
    }
    runs[name] = { r, saddle, minima };
    rows.push(row({ quantity: `${name}: runs whose end (saddle or not) is the one predicted from their own start${name === 'Newton' ? ' (saddle iff |x₀| < 1/√5)' : ' (never the saddle)'}`, measured: agree, predicted: P2, tolerance: 0 }));
    const predicted = name === 'Newton' ? 1 / (A * Math.sqrt(5)) : 0; // over the random starts
    rows.push(row({ quantity: `${name}: fraction converging to the saddle (x₀ ~ U[−${A}, ${A}]; ${minima} reached a minimum)`, measured: saddle / P2, predicted, interval: wilson(saddle, P2), tolerance: (Z99 / Z95) * (wilson(saddle, P2)[1] - wilson(saddle, P2)[0]) / 2 + 1e-9 }));
  }
  const grid = slices.plane(f2, [0, 0], { directions: [[1, 0], [0, 1]], range: [-1.6, 1.6], resolution: 81 });
  const escapeSpec = chart([
    { label: 'perturbed GD, mean escape step (95% CI)', mark: 'points', points: escapes.map((e) => ({ x: e.d, y: e.mean, lo: e.mean - Z95 * e.se, hi: e.mean + Z95 * e.se })) },
    { label: 'exact expectation (plain JS)', points: escapes.map((e) => ({ x: e.d, y: e.predicted })) },
  ], { title: 'Escape time from a strict saddle against the dimension', xTitle: 'dimension d', yTitle: 'mean steps to leave ‖x‖ ≤ 0.1', xScale: 'log' });
  return {
    rows,
    plots: [
      { name: 'escape', spec: escapeSpec, caption: `Perturbed GD (η = ${ETA}, r = ${R}) from the saddle: mean step at which ‖x‖ first exceeds ${C}, against d (log axis), ${P} runs per point (${P / 4} for d ≥ 256).` },
      { name: 'newton', spec: plots.contours(grid, { title: 'Newton: drawn to the saddle', trajectories: firstPaths(runs.Newton.r, 8), levels: 16 }), caption: 'Newton\'s method (negative curvature ignored) on f = −½x₀² + ¼x₀⁴ + ½x₁² + ¼x₁⁴: eight trajectories.' },
      { name: 'saddle-free', spec: plots.contours(grid, { title: 'Saddle-free Newton: repelled', trajectories: firstPaths(runs['saddle-free Newton'].r, 8), levels: 16 }), caption: 'Saddle-free Newton (|H| in a 2-d Krylov space) from the same eight starts.' },
    ],
    setup: { escapes },
    notes: [
      `The escape time's log d growth comes from one place: the perturbation's component along the single negative direction has size ≈ r/√d, and the run needs log(c√d/r)/log(1 + η) steps to amplify it. The slope over d = ${dims[0]}–${dims.at(-1)} (${fit.b.toFixed(2)}; ${lfit.b.toFixed(2)} over d ≥ 16) is below its asymptote ${(1 / (2 * Math.log(1 + ETA))).toFixed(2)} because at small d the factor u^{1/d} of the radius (E log u^{1/d} = −1/d) still delays the escape. Jin et al.'s bound is a worst case over landscapes with polylog factors; on this saddle the mean is exact and much smaller.`,
      'Newton is attracted exactly on |x₀| < 1/√5 and nowhere else: starts with 1/√5 < |x₀| < 1/√3 are thrown past a minimum by the first step and then converge to it (the contour plot shows such jumps), which a local "Newton converges to the nearest critical point" picture does not predict.',
    ],
  };
}

/** The paths of the first m particles of a run's recorded trajectories ((T + 1) × P × dim). */
function firstPaths(r, m) {
  const P = r.trajectories.particles, d = r.dim, T = r.trajectories.data.length / (P * d), data = new Float64Array(T * m * d);
  for (let t = 0; t < T; t++) data.set(r.trajectories.data.subarray(t * P * d, t * P * d + m * d), t * m * d);
  return { particles: m, data };
}
