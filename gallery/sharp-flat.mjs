// Gallery entry 3 — sharp vs flat minima under SGD: multiplicative minibatch noise leaves a sharp
// minimum whose mean-curvature stability limit 2/h̄ still holds it; additive Gaussian noise does not.
//
// Setup: a finite sum of K = 4 sextic polynomials f_i(x) = (x² − 1)² q_i(x), q_i a positive
// quadratic, so every f_i vanishes with zero gradient at x = −1 and x = +1: the minima are shared
// (interpolation) and minibatch noise vanishes at both. Per-example curvatures are h_i⁻ = 8 q_i(−1)
// = (1, 1, 1, 29) at the sharp minimum (mean 8) and h_i⁺ = 8 q_i(1) = 2 at the flat one.
// SGD with batch 1 (with replacement) near x = −1 multiplies the distance by 1 − η h_i, i.i.d.:
// it stays iff the Lyapunov exponent Λ(η) = (1/K) Σ log|1 − η h_i⁻| < 0 (a.s. stability of a
// random product), i.e. below the root η_c of Λ — whereas GD, with or without additive noise,
// stays linearly stable up to 2/h̄ = 0.25 (Wu, Ma & E, NeurIPS 2018, "How SGD selects the global
// minima": SGD's stability needs more than the sharpness bound). Theory here: Λ's root, by
// bisection in plain JS.
import * as descent from '../build/descent.node.mjs';
import { wilson } from './lib/stats.mjs';
import { row } from './lib/table.mjs';

export const meta = {
  name: 'sharp-flat',
  title: 'Sharp vs flat minima under SGD',
  claim: 'SGD leaves a sharp minimum at learning rates where the minimum is still linearly stable for gradient descent, because its noise is multiplicative — GD with isotropic Gaussian noise of matched variance stays.',
  source: 'Wu, Ma & E, "How SGD selects the global minima in over-parameterized learning", NeurIPS 2018 (linear stability of SGD); the almost-sure criterion is the Lyapunov exponent of the random product.',
  setup: 'A 1-d finite sum of K = 4 sextics f_i(x) = (x² − 1)² q_i(x) (`landscapes.finiteSum` of `landscapes.polynomial`), all zero with zero gradient at x = ±1, so every minibatch gradient vanishes at both minima. Per-example curvatures are (1, 1, 1, 29) at the sharp minimum x = −1 (mean h̄ = 8, so GD is stable there for η < 2/h̄ = 0.25) and 2 at the flat one x = +1. Runs start at x₀ ∈ [−0.99, −0.97] inside the sharp basin. SGD uses `noise.minibatch({ batchSize: 1, replacement: true })`; the comparison is GD with `noise.gaussian` whose σ is the batch-1 gradient noise\'s standard deviation at x₀ = −0.98. Prediction: near x = −1, SGD multiplies the distance by 1 − ηh_i with i uniform, so it converges almost surely iff Λ(η) = ¼ Σ log|1 − ηh_i| < 0; Λ\'s root η_c is found by bisection in plain JS.',
  twoD: false,
};

const H_SHARP = [1, 1, 1, 29], H_FLAT = [2, 2, 2, 2];
/** Ascending coefficients of (x² − 1)² · (u((1 − x)/2)² + v((1 + x)/2)²), curvature 8u at −1 and 8v at +1. */
function sextic(u, v) {
  const q = [(u + v) / 4, (v - u) / 2, (u + v) / 4], g = [1, 0, -2, 0, 1], c = new Array(7).fill(0);
  for (let i = 0; i < 5; i++) for (let j = 0; j < 3; j++) c[i + j] += g[i] * q[j];
  return c;
}
const COEFFS = H_SHARP.map((h, i) => sextic(h / 8, H_FLAT[i] / 8));
const poly = (c, x) => c.reduceRight((s, ci) => s * x + ci, 0);
const dpoly = (c, x) => c.slice(1).reduceRight((s, ci, k) => s * x + (k + 1) * ci, 0);

/** Λ(η) = (1/K) Σ log|1 − η h_i|: the exponent of the random product near the sharp minimum. */
export const lyapunov = (eta) => H_SHARP.reduce((s, h) => s + Math.log(Math.abs(1 - eta * h)), 0) / H_SHARP.length;

/** The root of Λ above 2/max h (Λ < 0 below it: every factor contracts), by bisection. */
function criticalLr() {
  let lo = 2 / Math.max(...H_SHARP), hi = 2 / (H_SHARP.reduce((a, b) => a + b) / H_SHARP.length);
  for (let i = 0; i < 200; i++) { const mid = (lo + hi) / 2; (lyapunov(mid) < 0 ? (lo = mid) : (hi = mid)); }
  return (lo + hi) / 2;
}

export async function run({ scale = 'full' } = {}) {
  await descent.init();
  const { landscapes, optimizers, noise, inits, plots } = descent;
  const full = scale === 'full';
  const P = full ? 5000 : 2000, T = full ? 2000 : 1000;
  const f = landscapes.finiteSum(COEFFS.map((c) => landscapes.polynomial({ coefficients: c })));
  // The barrier of the mean loss between the wells (a grid maximum, plain JS).
  const mean = (x) => COEFFS.reduce((s, c) => s + poly(c, x), 0) / COEFFS.length;
  let barrier = -1;
  for (let x = -1; x <= 1; x += 1e-5) if (mean(x) > mean(barrier)) barrier = x;
  const x0 = -0.98, grads = COEFFS.map((c) => dpoly(c, x0));
  const gbar = grads.reduce((a, b) => a + b) / grads.length;
  const sigma = Math.sqrt(grads.reduce((s, g) => s + (g - gbar) ** 2, 0) / grads.length); // batch-1 SGD noise at x₀
  const etaC = criticalLr(), etaGD = 2 / 8, AT = 1e-3;
  const lrs = full ? [0.02, 0.04, 0.06, 0.07, 0.075, 0.08, 0.09, 0.1, 0.11, 0.12, 0.14, 0.16, 0.2, 0.24] : [0.04, 0.07, 0.09, 0.16, 0.24];
  const points = [], rows = [], outcomes = [];
  const SGD_AT = 'SGD at x = −1', SGD_IN = 'SGD in basin', GAUSS_IN = 'GD+noise in basin';
  for (const lr of lrs) {
    const sim = (nz) => descent.simulate({
      landscape: f, optimizer: optimizers.sgd({ lr }), noise: nz,
      init: inits.uniform({ low: [x0 - 0.01], high: [x0 + 0.01] }), particles: P, steps: T, seed: 31,
    });
    const sgd = await sim(noise.minibatch({ batchSize: 1, replacement: true })), gauss = await sim(noise.gaussian({ sigma }));
    const count = (r, test) => {
      let k = 0, n = 0;
      for (let p = 0; p < P; p++) if (r.divergedAt[p] < 0) { n++; if (test(r.x[p])) k++; }
      return { k, n };
    };
    const at = count(sgd, (x) => Math.abs(x + 1) < AT), inSgd = count(sgd, (x) => x < barrier), inGauss = count(gauss, (x) => x < barrier);
    points.push({ lr, ...at, label: SGD_AT }, { lr, ...inSgd, label: SGD_IN }, { lr, ...inGauss, label: GAUSS_IN });
    outcomes.push({ lr, lyapunov: lyapunov(lr), sgdAt: at.k, sgdIn: inSgd.k, sgdCounted: at.n, gaussIn: inGauss.k, gaussCounted: inGauss.n });
    // Theory: a.s. convergence to the minimum iff Λ(η) < 0 (rows only where |Λ| ≥ 0.03: near η_c a finite run blurs it).
    if (Math.abs(lyapunov(lr)) >= 0.03)
      rows.push(row({
        quantity: `P(SGD at the sharp minimum, |x + 1| < 10⁻³), η = ${lr}, Λ = ${lyapunov(lr).toFixed(3)}`,
        measured: at.k / at.n, predicted: lyapunov(lr) < 0 ? 1 : 0, interval: wilson(at.k, at.n), tolerance: 0.02,
      }));
    // GD + additive noise: the minimum is linearly stable for η < 2/h̄, and this noise is too weak to cross the barrier
    // (up to η = 0.2; near 2/h̄ the stationary spread ησ²/(2h̄ − ηh̄²) grows without bound and it does cross).
    if (lr <= 0.2)
      rows.push(row({
        quantity: `P(GD + Gaussian noise in the sharp basin), η = ${lr}`,
        measured: inGauss.k / inGauss.n, predicted: 1, interval: wilson(inGauss.k, inGauss.n), tolerance: 0.02,
      }));
  }
  // The learning rate where SGD's share at the sharp minimum crosses 1/2, interpolated on the grid.
  const sgdPts = points.filter((p) => p.label === SGD_AT);
  let cross = NaN, spacing = NaN;
  for (let i = 1; i < sgdPts.length; i++) {
    const a = sgdPts[i - 1], b = sgdPts[i], pa = a.k / a.n, pb = b.k / b.n;
    if (pa >= 0.5 && pb < 0.5) { cross = a.lr + ((pa - 0.5) / (pa - pb)) * (b.lr - a.lr); spacing = b.lr - a.lr; break; }
  }
  rows.push(row({ quantity: 'η where P(SGD at the sharp minimum) crosses ½ (interpolated; tolerance: the grid spacing) vs η_c, the root of Λ', measured: cross, predicted: etaC, tolerance: spacing }));
  const spec = plots.basinProbability(points, {
    title: 'Where SGD ends, against the learning rate',
    yTitle: 'fraction of runs',
    reference: [{ lr: etaC, label: 'η_c: Λ(η) = 0' }, { lr: etaGD, label: '2/h̄ (GD)' }],
  });
  return {
    rows,
    plots: [{ name: 'basins', spec, caption: `${P} runs per point, ${T} steps from x₀ ∈ [−0.99, −0.97]; 95% Wilson intervals; vertical lines at η_c = ${etaC.toFixed(4)} and 2/h̄ = 0.25.` }],
    setup: { particles: P, steps: T, sigma, barrier, etaC, outcomes },
    notes: notes(outcomes, etaC, P),
  };
}

/** What the run shows beyond the linear theory, from its own numbers. */
function notes(outcomes, etaC, P) {
  const over = outcomes.filter((o) => o.lyapunov > 0 && o.sgdAt < 0.01 * o.sgdCounted && o.sgdIn > 0.5 * o.sgdCounted);
  const out = [];
  if (over.length) out.push(`Linear instability is not escape. Above η_c = ${etaC.toFixed(4)}, at ${over.map((o) => `η = ${o.lr} (${(100 * o.sgdAt / o.sgdCounted).toFixed(1)}% at the minimum, ${(100 * o.sgdIn / o.sgdCounted).toFixed(1)}% still in the sharp basin)`).join(', ')}, SGD no longer converges to x = −1 but mostly stays in its basin: the random product grows until the sextic walls fold it back, and SGD hovers around the sharp minimum in a bounded noisy orbit. Leaving the basin takes a larger η (the "SGD in basin" curve), which the linear criterion does not predict.`);
  const div = outcomes.filter((o) => o.sgdCounted < P);
  if (div.length) out.push(`At η = ${div.map((o) => o.lr).join(', ')} some SGD runs diverge (${div.map((o) => P - o.sgdCounted).join(', ')} of ${P}): a step of size η·h_i on the steep sextic walls can overshoot to where the next gradient is larger still. Diverged runs are left out of the fractions.`);
  const gLast = outcomes.at(-1);
  if (gLast.gaussIn < gLast.gaussCounted) out.push(`Near 2/h̄ the additive-noise GD also starts to leave (η = ${gLast.lr}: ${gLast.gaussCounted - gLast.gaussIn} of ${gLast.gaussCounted}): the stationary variance ησ²/(2h̄ − ηh̄²) of the linearised chain blows up as η → 2/h̄, so thermal escape over the barrier becomes likely. That is a different mechanism (a Kramers escape), and the table stops at η = 0.2.`);
  return out;
}
