// Gallery entry 10 — machine-learning noise: SGD whose gradient noise scales with the loss,
// g = ∇f + σ√f(x)·z (`noise.lossScaled`), the noise that vanishes at global minima of value 0.
// On f(x) = ½x²(x − 2)² (global minima 0 and 2, both f = 0, barrier at x = 1) a run started in
// the basin of 0 — a region where the Łojasiewicz inequality f′² ≥ c·f holds — stays in it with
// a positive probability below 1, and then converges to 0; otherwise it crosses x = 1. Either way
// the loss goes to 0: the noise dies with the loss, so every run converges, to a minimum the
// noise picked.
//
// Predictions, in plain JS: (1) the probability of ever reaching x ≥ 1, for the discrete chain
// x' = x − ηf′(x) − ησ√f(x)·z itself: on a grid of cells (log-spaced toward 0 on both sides) the
// chain's cell-to-cell probabilities are exact Gaussian masses, and the exit probability h solves
// (I − Q)h = r (Gaussian elimination), with |x| < 10⁻¹⁰ absorbing (from there the chain reaches
// 1 with probability ~ 10^{−10θ}, θ > 0 the Cramér exponent; negligible) — the discrete chain's
// own answer, as in the Kramers entry. (2) Near 0, f ≈ 2x² and the chain is multiplicative:
// |x'| = |x|·|1 − 4η − ησ√2·z| (z symmetric), so log|x_t| falls at the Lyapunov rate
// μ = E log|1 − 4η + ησ√2·z| (a Gaussian integral by Simpson's rule), and log f at 2μ.
import * as descent from '../build/descent.node.mjs';
import { chart } from './lib/chart.mjs';
import { solve } from './lib/linalg.mjs';
import { meanInterval, moments, wilson } from './lib/stats.mjs';
import { row } from './lib/table.mjs';

const LR = 0.05,
  COEFFS = [0, 0, 2, -2, 0.5]; // ½x²(x − 2)² = 2x² − 2x³ + ½x⁴
const f = (x) => 0.5 * x * x * (x - 2) ** 2,
  df = (x) => 2 * x * (x - 1) * (x - 2);

export const meta = {
  name: 'ml-noise',
  title: 'Machine-learning noise: staying in a Łojasiewicz region',
  claim:
    'SGD whose noise scales with the loss, started in a region where the Łojasiewicz inequality holds, stays in it and converges ' +
    'to a global minimum there with a positive probability that is not 1; because the noise vanishes with the loss, the loss ' +
    'converges to 0 on every run, while where the weights converge depends on the run.',
  source:
    'Chatterjee, "Convergence of gradient descent for deep neural networks", 2022; the extension to SGD with noise scaled by ' +
    "the loss (trajectories stay in the local region with positive probability; its abstract is in the project's paper " +
    'collection); the name "machine learning noise": Wojtowytsch, "Stochastic gradient descent with noise of machine ' +
    'learning type", Part I, 2021.',
  setup:
    `f(x) = ½x²(x − 2)² (\`landscapes.polynomial\`), global minima x = 0 and x = 2 (f = 0), barrier f(1) = ½. ` +
    `\`optimizers.sgd({ lr: ${LR} })\` with \`noise.lossScaled({ sigma })\` (g = f′ + σ√f·z), from x₀ in the basin of 0, ` +
    'with a stop region x ≥ 1 (`stop.regions`: the particle stops on entering it, so the stopped fraction is the measured ' +
    'probability of leaving the region); a second run without the stop region shows where the runs end. Predicted: the exit ' +
    'probability of the discrete chain on a grid (exact Gaussian cell masses, a linear solve; the allowance adds the change ' +
    'from halving the grid), and the Lyapunov rate ' +
    "μ = E log|1 − 4η + ησ√2 z| at which log|x| falls near either minimum — measured as the runs' mean of " +
    '(log f(x_450) − log f(x_150))/300, which estimates 2μ (the two runs share their draws).',
  twoD: false,
};

/** Standard normal CDF through erfc (Numerical Recipes' erfcc: fractional error < 1.2e-7 everywhere). */
function Phi(x) {
  const z = Math.abs(x) / Math.SQRT2,
    t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - 0.5 * r : 0.5 * r;
}

/** P(the chain from x₀ ever reaches x ≥ 1), on a grid of m log-spaced cells per side in 10⁻¹⁰ < |x| < 1 (negative side to −1). */
function exitProbability(sigma, x0s, m) {
  const lo = Math.log(1e-10),
    nodes = [];
  for (let k = 0; k < m; k++) nodes.push(Math.exp(lo + ((k + 0.5) * -lo) / m));
  const xs = [...nodes.map((x) => -x).reverse(), ...nodes],
    n = xs.length;
  // Cell edges: midpoints between nodes (geometric), ±1e-10 around 0, −∞ below and 1 above.
  const edges = [-Infinity];
  for (let i = 0; i + 1 < n; i++)
    edges.push(Math.sign(xs[i]) === Math.sign(xs[i + 1]) ? Math.sign(xs[i]) * Math.sqrt(xs[i] * xs[i + 1]) : NaN);
  edges.push(1);
  const Q = new Float64Array(n * n),
    r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = xs[i],
      mean = x - LR * df(x),
      sd = LR * sigma * Math.sqrt(f(x));
    const cdf = (e) => (e === -Infinity ? 0 : e === Infinity ? 1 : Phi((e - mean) / sd));
    r[i] = 1 - cdf(1);
    for (let j = 0; j < n; j++) {
      // the gap (−1e-10, 1e-10) between the two sides is the absorbing neighbourhood of 0
      const a = Number.isNaN(edges[j]) ? 1e-10 : edges[j],
        b = Number.isNaN(edges[j + 1]) ? -1e-10 : edges[j + 1];
      Q[i * n + j] = -Math.max(0, cdf(b) - cdf(a));
    }
    Q[i * n + i] += 1;
  }
  const h = solve(Q, r, n);
  // Interpolate in log|x| between the nodes around each x₀ (all x₀ > 0).
  return x0s.map((x0) => {
    const u = (Math.log(x0) - lo) / (-lo / m) - 0.5,
      k = Math.floor(u),
      w = u - k;
    return (1 - w) * h[m + k] + w * h[m + k + 1];
  });
}

/** μ = E log|1 − 4η + ησ√2·z|, z ~ N(0, 1): Simpson's rule on [−12, 12] split at the root of the argument. */
function lyapunov(sigma) {
  const c = 1 - 4 * LR,
    s = LR * sigma * Math.SQRT2,
    root = -c / s;
  const g = (z) => (Math.log(Math.abs(c + s * z)) * Math.exp((-z * z) / 2)) / Math.sqrt(2 * Math.PI);
  // ∫ log|s(z − root)| φ(z) dz: the log singularity is integrable; substitute z = root ± e^v on each side.
  const side = (sign) => {
    let acc = 0;
    const a = -30,
      b = Math.log(24),
      n = 20000,
      h = (b - a) / n;
    for (let k = 0; k <= n; k++) {
      const v = a + k * h,
        z = root + sign * Math.exp(v),
        wgt = k === 0 || k === n ? 1 : k % 2 ? 4 : 2;
      acc += wgt * g(z) * Math.exp(v);
    }
    return (acc * h) / 3;
  };
  return side(1) + side(-1);
}

export async function run({ scale = 'full' } = {}) {
  await descent.init();
  const { landscapes, optimizers, noise, inits } = descent;
  const full = scale === 'full';
  const P = full ? 40_000 : 4_000,
    steps = full ? 1500 : 600,
    m = full ? 500 : 300,
    T1 = 150,
    T2 = 450;
  const sigmas = [3, 6],
    x0s = full ? [0.5, 0.8] : [0.8];
  const land = landscapes.polynomial({ coefficients: COEFFS });
  const rows = [],
    series = [],
    bars = [];
  for (const sigma of sigmas) {
    const predicted = exitProbability(sigma, x0s, m),
      coarse = exitProbability(sigma, x0s, m / 2); // the grid's own error, estimated by halving it
    for (const [k, x0] of x0s.entries()) {
      const base = {
        landscape: land,
        optimizer: optimizers.sgd({ lr: LR }),
        noise: noise.lossScaled({ sigma }),
        init: inits.point({ x: [x0] }),
        particles: P,
        steps,
        seed: 41,
      };
      const r = await descent.simulate({ ...base, stop: { regions: [{ center: [1 + 1e6], radius: 1e6 }] } });
      const left = Array.from(r.region).filter((g) => g === 0).length,
        [lo, hi] = wilson(left, P);
      const stayed = 1 - left / P;
      bars.push({ sigma, x0, stayed, lo: 1 - hi, hi: 1 - lo, predicted: 1 - predicted[k] });
      rows.push(
        row({
          quantity: `σ = ${sigma}, x₀ = ${x0}: probability of never leaving the region x < 1`,
          measured: stayed,
          predicted: 1 - predicted[k],
          interval: [1 - hi, 1 - lo],
          tolerance: 2 * (hi - lo) + Math.abs(predicted[k] - coarse[k]),
        }),
      );
      // The same runs without the stop (the same draws: noise is a function of seed, step and particle): where they end, the loss.
      const free = await descent.simulate({ ...base, steps: T2, record: { every: 5 } });
      const at0 = Array.from(free.x).filter((x) => Math.abs(x) < 1e-6).length,
        at2 = Array.from(free.x).filter((x) => Math.abs(x - 2) < 1e-6).length;
      rows.push(
        row({
          quantity: `σ = ${sigma}, x₀ = ${x0}: largest loss after ${T2} steps over ${P} runs (${at0} near 0, ${at2} near 2)`,
          measured: Math.max(...free.loss),
          predicted: 0,
          tolerance: 1e-20,
          check: 'below',
        }),
      );
      if (k === x0s.length - 1) {
        // Near either minimum log f falls by 2ξ a step, ξ = log|1 − 4η + ησ√2 z| (f is symmetric about 1):
        // the runs' mean of (log f(x_T2) − log f(x_T1)) / (T2 − T1) estimates 2μ, with a CLT interval.
        const early = await descent.simulate({ ...base, steps: T1 });
        const d = [];
        for (let i = 0; i < P; i++)
          if (free.loss[i] > 0 && early.loss[i] > 0) d.push((Math.log(free.loss[i]) - Math.log(early.loss[i])) / (T2 - T1));
        const mm = moments(d),
          iv = meanInterval(mm.mean, mm.variance, mm.n),
          mu = lyapunov(sigma);
        rows.push(
          row({
            quantity:
              `σ = ${sigma}: mean rate of log f per step between steps ${T1} and ${T2} (the ${d.length} runs near 0), against ` + `2μ`,
            measured: mm.mean,
            predicted: 2 * mu,
            interval: iv,
            tolerance: (4 / 1.96) * (iv[1] - mm.mean),
          }),
        );
        const q = free.record.lossQuantiles,
          med = q.levels.indexOf(0.5);
        const median = Array.from(free.record.steps, (t, i) => ({ x: t, y: q.values[i * q.levels.length + med] })).filter(
          (p) => p.y > 1e-300,
        );
        series.push({ label: `σ = ${sigma}: median f`, points: median });
        const anchor = median.find((p) => p.x >= T1);
        series.push({
          label: `σ = ${sigma}: slope 2μ = ${(2 * mu).toFixed(3)}`,
          mark: 'dashed',
          points: [T1, T2].map((t) => ({ x: t, y: anchor.y * Math.exp(2 * mu * (t - anchor.x)) })),
        });
      }
    }
  }
  const spec = chart(series, {
    title: 'Median loss of the runs under loss-scaled noise',
    xTitle: 'step',
    yTitle: 'median f(x_t)',
    yScale: 'log',
  });
  return {
    rows,
    plots: [
      {
        name: 'loss',
        spec,
        caption:
          `Median loss of ${P} runs from x₀ = ${x0s.at(-1)} against the step (log scale): it falls geometrically at the Lyapunov ` +
          `rate 2μ of the multiplicative chain near 0 (dashed).`,
      },
    ],
    setup: { particles: P, bars },
    notes: [
      `Every run converges, whether or not it left the region: the loss-scaled noise σ√f vanishes at both minima, so ` +
        `a run that crosses x = 1 is carried to x = 2 (or back) and converges there. The loss converges to 0 on every ` +
        `run; the weights converge too, but to a minimum the noise chose. With bounded noise (\`noise.gaussian\`) at ` +
        `a constant step size the iterates would instead keep fluctuating at a loss of order ησ² (not run here).`,
      "Chatterjee-style results bound the staying probability from below (the region must be large against the start's " +
        "loss); the entry computes the discrete chain's probability instead, which is what a run can be checked against. " +
        'It falls as σ grows or as x₀ nears the barrier.',
      `Near a minimum the chain is a random product: |x_t| shrinks like e^{μt}. The typical rate μ = E log|1 − 4η + ` +
        `ησ√2 z| is not the mean-square one: E f(x_t) contracts by E(1 − 4η + ησ√2 z)² = (1 − 4η)² + 2η²σ² a step, which ` +
        `exceeds 1 for σ > ${Math.sqrt((1 - (1 - 4 * LR) ** 2) / (2 * LR * LR)).toFixed(2)} at this η — there E f(x_t) ` +
        `would grow while almost every run converges.`,
      'The runs that end at x = 2 reach it exactly: x − 2 shrinks geometrically until it rounds to 0, where the loss ' +
        'and the noise are exactly 0. Near x = 0 no such floor exists (doubles are dense there), so the rate row uses ' +
        'the runs near 0; f is symmetric about 1, so the rate near 2 is the same μ.',
    ],
  };
}
