// Monte Carlo EM with a Metropolis–Hastings E-step (Wei & Tanner 1990, "A Monte Carlo
// implementation of the EM algorithm", JASA 85) on a two-component 1-d Gaussian mixture with
// discrete latents z_i ∈ {0, 1}:
//
//   x_i | z_i = k ~ N(μ_k, s_k²),  P(z_i = 1) = w.
//
// E-step: the posterior of each latent is Bernoulli(r_i), r_i = w N(x_i; μ₁, s₁²) / Σ_k w_k N(x_i; μ_k, s_k²).
// It is sampled here by MH rather than read off: z_i is carried by a continuous coordinate u whose
// target is the mixture (1 − r_i) N(−a, 1) + r_i N(a, 1) (a landscapes.gaussianMixture), with
// z_i = [u > 0] (a = 4, so the halves overlap with mass Φ(−4) < 4e-5). `m` MH chains per datum
// (samplers.metropolisHastings, independence proposal N(0, (a + 1)²), started from it) run `steps` steps; the share
// of chains with u > 0 estimates r_i. M-step: the weighted means and variances, in closed form.
// The script prints MCEM's path, the maximum-likelihood estimate of exact EM (responsibilities
// computed directly, run to convergence) that MCEM approaches, and checks the E-step itself: at
// the final θ every sampled share must lie in the 99.9% binomial interval of the exact r_i.
//
//   node examples/em-mh.mjs [--data 60] [--chains 200] [--steps 100] [--iterations 25]
import * as descent from '../build/descent.node.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const n = arg('data', 60), m = arg('chains', 200), steps = arg('steps', 100), iterations = arg('iterations', 25);
await descent.init();
const { landscapes, samplers, inits } = descent;

// Data: n draws of the mixture w = 0.3, μ = (−1, 2), s = (0.7, 1), from a seeded normal generator
// (descent.random, the library's counter-based Philox stream).
const truth = { w: 0.3, mu: [-1, 2], s: [0.7, 1] };
const u = descent.random.uniform({ seed: 1, count: n }), z = descent.random.normal({ seed: 2, count: n });
const data = Array.from({ length: n }, (_, i) => (u[i] < truth.w ? truth.mu[1] + truth.s[1] * z[i] : truth.mu[0] + truth.s[0] * z[i]));

const normal = (x, mu, s) => Math.exp(-((x - mu) ** 2) / (2 * s * s)) / (s * Math.sqrt(2 * Math.PI));
/** r_i = P(z_i = 1 | x_i, θ). */
const responsibility = (x, t) => (t.w * normal(x, t.mu[1], t.s[1])) / (t.w * normal(x, t.mu[1], t.s[1]) + (1 - t.w) * normal(x, t.mu[0], t.s[0]));

/** M-step from weights q_i ≈ P(z_i = 1): the weighted mixture weight, means and standard deviations. */
function mStep(q) {
  const w1 = q.reduce((a, v) => a + v, 0), w0 = n - w1;
  const mu = [data.reduce((a, x, i) => a + (1 - q[i]) * x, 0) / w0, data.reduce((a, x, i) => a + q[i] * x, 0) / w1];
  const s = [
    Math.sqrt(data.reduce((a, x, i) => a + (1 - q[i]) * (x - mu[0]) ** 2, 0) / w0),
    Math.sqrt(data.reduce((a, x, i) => a + q[i] * (x - mu[1]) ** 2, 0) / w1),
  ];
  return { w: w1 / n, mu, s };
}

const A = 4;
const proposal = samplers.metropolisHastings({ proposal: 'independence', mean: [0], scale: A + 1 });
/** The MH estimate of r_i: the share of `chains` chains whose u ends positive. */
async function sampledResponsibility(r, chains, seed) {
  if (r <= 0 || r >= 1) return r; // a degenerate posterior needs no sampling
  const target = landscapes.gaussianMixture({ means: [[-A], [A]], weights: [1 - r, r], stds: [1, 1] });
  const run = await descent.simulate({ landscape: target, optimizer: proposal, init: inits.normal({ mean: [0], std: A + 1 }), particles: chains, steps, seed });
  let positive = 0;
  for (const v of run.x) if (v > 0) positive++;
  return positive / chains;
}

const start = { w: 0.5, mu: [-0.5, 0.5], s: [1, 1] };
const fmt = (t) => `w ${t.w.toFixed(3)}  μ (${t.mu.map((v) => v.toFixed(3)).join(', ')})  s (${t.s.map((v) => v.toFixed(3)).join(', ')})`;

// The maximum-likelihood estimate by exact EM, run to convergence (the target MCEM approaches).
let mle = start;
for (let it = 0; it < 2000; it++) mle = mStep(data.map((x) => responsibility(x, mle)));

// MCEM: the Monte Carlo sample grows with the iterations (Wei & Tanner's advice: a small sample
// while far from the optimum, a large one near it), from m/4 chains per datum to m.
console.log(`Monte Carlo EM, MH E-step (≤ ${m} chains × ${steps} steps per datum), ${n} data; exact EM to convergence beside it`);
let mc = start;
for (let it = 1; it <= iterations; it++) {
  const chains = Math.max(2, Math.round((m * (1 + (3 * (it - 1)) / Math.max(1, iterations - 1))) / 4));
  const q = [];
  for (const [i, x] of data.entries()) q.push(await sampledResponsibility(responsibility(x, mc), chains, 1000 * it + i));
  mc = mStep(q);
  if (it === 1 || it === iterations || it % 5 === 0) console.log(`iteration ${String(it).padStart(2)} (${chains} chains)  MCEM  ${fmt(mc)}`);
}
console.log(`maximum likelihood (exact EM)       ${fmt(mle)}`);
const gap = Math.max(Math.abs(mle.w - mc.w), ...mle.mu.map((v, k) => Math.abs(v - mc.mu[k])), ...mle.s.map((v, k) => Math.abs(v - mc.s[k])));

// The E-step itself, at the final θ: each sampled share q_i against the exact r_i, inside its
// 99.9% binomial interval r_i ± 3.29·√(r_i(1 − r_i)/m) (the m chains are independent).
let inside = 0;
for (const [i, x] of data.entries()) {
  const r = responsibility(x, mc), q = await sampledResponsibility(r, m, 7 + i);
  if (Math.abs(q - r) <= 3.29 * Math.sqrt((r * (1 - r)) / m) + 1e-12) inside++;
}
console.log(`E-step check: ${inside} of ${n} sampled responsibilities inside their 99.9% intervals around the exact ones`);
console.log(`largest |MCEM − MLE|: ${gap.toFixed(4)}`);
console.log(JSON.stringify({ mle, mcem: mc, gap, inside, data: n }));
