// Gallery entry 12a — stochastic modified equations: SGD with learning rate η and its SME, the
// SDE dX = −∇f̃(X)dt + √η Σ^{1/2}dW run for time T = kη, agree in distribution up to a weak error
// |E φ(x_k) − E φ(X_T)| of O(η) with f̃ = f (order 1) and O(η²) with f̃ = f + (η/4)‖∇f‖² (order 2)
// (Li, Tai & E, ICML 2017; JMLR 20, 2019, Theorems 1 and 3). φ(x) = x² throughout.
//
// Quadratic f = ½ax² with Gaussian gradient noise σ: both sides are linear-Gaussian, so E x² is
// closed form on both. SGD: x_{k+1} = (1 − ηa)x_k − ησz gives mean (1 − ηa)^k x₀ and variance
// η²σ²(1 − r^{2k})/(1 − r²), r = 1 − ηa. The SME is an Ornstein–Uhlenbeck process with drift −αX,
// α = a (order 1) or a + ηa²/2 (order 2; ∇(η/4)(ax)² = (η/2)a²x), diffusion √η σ: mean e^{−αT}x₀,
// variance ησ²(1 − e^{−2αT})/(2α). The run integrates the SME by Heun's scheme (m substeps of
// h = η/m): X ← RX + (1 − αh/2)s, R = 1 − αh + α²h²/2, s ~ N(0, ηhσ²), whose moments are also
// closed form here; their distance from the OU's bounds the integrator's share of the error.
// Nonconvex finite sum with minibatch noise: no closed form; both sides are Monte Carlo and the
// prediction is the theorem's exponent of η.
import * as descent from '../build/descent.node.mjs';
import { chart } from './lib/chart.mjs';
import { weightedFit } from './lib/stats.mjs';
import { row } from './lib/table.mjs';

export const meta = {
  name: 'sme',
  title: 'Stochastic modified equations: SGD as an SDE',
  claim:
    'SGD with learning rate η and its stochastic modified equation (the SDE with drift −∇f and diffusion √η Σ^{1/2}, run for time ' +
    'kη) differ in distribution by a weak error O(η); adding the correction −(η/4)∇‖∇f‖² to the drift makes it O(η²).',
  source:
    'Li, Tai & E, "Stochastic modified equations and adaptive stochastic gradient algorithms", ICML 2017; JMLR 20 (2019), Theorems ' +
    '1 and 3.',
  setup:
    'The weak error is E x_k² under SGD (`optimizers.sgd({ lr: η })`, k = T/η steps) minus E X_T² under its SME (`optimizers.sme({ ' +
    'lr: η, order })`), T = 1.2, η ∈ {0.4, 0.2, 0.1}, the same noise model on both sides. ' +
    '**Quadratic:** f = ½x² (`landscapes.quadratic`), ' +
    "x₀ = 2, `noise.gaussian({ sigma: 0.25 })`; the SME is integrated by Heun's scheme with 4 substeps a step (`scheme: " +
    "'heun', substeps: " +
    "4`). Predictions: SGD's and the Ornstein–Uhlenbeck process's mean and variance in closed form (plain JS); a row's allowance " +
    "is 4 standard errors of the ensemble plus the distance between Heun's discrete moments (also closed form) and the OU's. **Nonconvex " +
    'finite sum:** f = ¼ Σ f_i, f_i(x) = a_i x⁴/4 − x²/2 + c_i x with a = (0.5, 1, 1.5, 1), c = (−0.6, 0.2, 0.1, 0.3) ' +
    '(`landscapes.finiteSum` ' +
    'of `landscapes.polynomial`), from x₀ = 0.5 across the concave region into the well at x ≈ 1, `noise.minibatch({ batchSize: 1, ' +
    'replacement: true })`, whose covariance (state-dependent through the a_i) the SME takes as its diffusion; Euler–Maruyama with ' +
    '16 substeps (Heun needs additive noise). Prediction: the exponents 1 and 2. Exponents are weighted least-squares slopes of log ' +
    '|error| on log η (weights from the Monte Carlo standard errors).',
  twoD: false,
};

const T = 1.2,
  ETAS = [0.4, 0.2, 0.1];
const A = 1,
  X0 = 2,
  SIGMA = 0.25,
  HEUN = 4;
const NC = { a: [0.5, 1, 1.5, 1], c: [-0.6, 0.2, 0.1, 0.3], x0: 0.5, substeps: 16 };

/** E x² from a mean and a variance. */
const second = (mean, variance) => mean * mean + variance;
/** SGD on ½ax² with Gaussian noise σ: E x_k². */
function sgdSecond(eta, k) {
  const r = 1 - eta * A;
  return second(r ** k * X0, (eta * eta * SIGMA * SIGMA * (1 - r ** (2 * k))) / (1 - r * r));
}
/** The SME's drift rate α at this order. */
const alpha = (eta, order) => (order === 1 ? A : A + (eta * A * A) / 2);
/** The OU process dX = −αX dt + √η σ dW at time T: E X_T². */
function ouSecond(eta, order) {
  const al = alpha(eta, order);
  return second(Math.exp(-al * T) * X0, (eta * SIGMA * SIGMA * (1 - Math.exp(-2 * al * T))) / (2 * al));
}
/** Heun's scheme with m substeps on that OU, k steps: E X². */
function heunSecond(eta, order, k, m) {
  const al = alpha(eta, order),
    h = eta / m,
    R = 1 - al * h + (al * h) ** 2 / 2,
    n = k * m;
  const noise = eta * h * SIGMA * SIGMA * (1 - (al * h) / 2) ** 2;
  return second(R ** n * X0, (noise * (1 - R ** (2 * n))) / (1 - R * R));
}

/** SGD with batch 1 (with replacement) on the finite sum, exactly: E x_k² over all 4^k index paths (depth first). */
function sgdSecondExact(eta, k) {
  const K = NC.a.length;
  const walk = (x, left) => {
    if (left === 0) return x * x;
    let s = 0;
    for (let i = 0; i < K; i++) s += walk(x - eta * (NC.a[i] * x ** 3 - x + NC.c[i]), left - 1);
    return s / K;
  };
  return walk(NC.x0, k);
}

/** Sample mean of x² and its standard error. */
function meanSquare(x) {
  let s = 0,
    s2 = 0;
  for (const v of x) {
    s += v * v;
    s2 += v ** 4;
  }
  const m = s / x.length;
  return { m, se: Math.sqrt((s2 / x.length - m * m) / (x.length - 1)) };
}

/** Exponent of η in |e| from measured errors with standard errors: weighted fit of log |e| on log η. */
function exponent(errors) {
  const ok = errors.filter((e) => Math.abs(e.value) > 2 * e.se);
  if (ok.length < 2) return { b: NaN, se: NaN, used: ok.length };
  const fit = weightedFit(
    ok.map((e) => Math.log(e.eta)),
    ok.map((e) => Math.log(Math.abs(e.value))),
    ok.map((e) => e.se / Math.abs(e.value)),
  );
  return { ...fit, used: ok.length };
}

export async function run({ scale = 'full' } = {}) {
  await descent.init();
  const { landscapes, optimizers, noise, inits } = descent;
  const full = scale === 'full';
  const P = full ? 400_000 : 30_000,
    PN = full ? 40_000 : 8_000,
    etasNonconvex = full ? ETAS : ETAS.slice(0, 2);
  const rows = [],
    series = [];
  const ensemble = async (landscape, optimizer, nz, x0, eta, particles, seed) => {
    const r = await descent.simulate({
      landscape,
      optimizer,
      noise: nz,
      init: inits.point({ x: [x0] }),
      particles,
      steps: Math.round(T / eta),
      seed,
    });
    return meanSquare(r.x);
  };

  // The quadratic: every number has a closed form.
  const quad = landscapes.quadratic({ A: [[A]] }),
    gauss = noise.gaussian({ sigma: SIGMA });
  const quadErrors = { 1: [], 2: [] };
  for (const eta of ETAS) {
    const k = Math.round(T / eta);
    const sgd = await ensemble(quad, optimizers.sgd({ lr: eta }), gauss, X0, eta, P, 11);
    rows.push(
      row({
        quantity: `quadratic, η = ${eta}: E x_k² under SGD`,
        measured: sgd.m,
        predicted: sgdSecond(eta, k),
        interval: [sgd.m - 1.96 * sgd.se, sgd.m + 1.96 * sgd.se],
        tolerance: 4 * sgd.se,
      }),
    );
    for (const order of [1, 2]) {
      const sme = await ensemble(quad, optimizers.sme({ lr: eta, order, scheme: 'heun', substeps: HEUN }), gauss, X0, eta, P, 12 + order);
      const bias = Math.abs(heunSecond(eta, order, k, HEUN) - ouSecond(eta, order));
      const value = sgd.m - sme.m,
        se = Math.hypot(sgd.se, sme.se),
        predicted = sgdSecond(eta, k) - ouSecond(eta, order);
      quadErrors[order].push({ eta, value, se, predicted });
      rows.push(
        row({
          quantity: `quadratic, η = ${eta}: weak error E x_k² − E X_T², order ${order}`,
          measured: value,
          predicted,
          interval: [value - 1.96 * se, value + 1.96 * se],
          tolerance: 4 * se + bias,
        }),
      );
    }
  }
  const nonconvexErrors = { 1: [], 2: [] };
  const f = landscapes.finiteSum(NC.a.map((a, i) => landscapes.polynomial({ coefficients: [0, NC.c[i], -0.5, 0, a / 4] })));
  const mb = noise.minibatch({ batchSize: 1, replacement: true });
  for (const eta of etasNonconvex) {
    const k = Math.round(T / eta),
      exact = sgdSecondExact(eta, k);
    const sgd = await ensemble(f, optimizers.sgd({ lr: eta }), mb, NC.x0, eta, PN, 21);
    rows.push(
      row({
        quantity: `finite sum, η = ${eta}: E x_k² under SGD vs all 4^${k} index paths`,
        measured: sgd.m,
        predicted: exact,
        interval: [sgd.m - 1.96 * sgd.se, sgd.m + 1.96 * sgd.se],
        tolerance: 4 * sgd.se,
      }),
    );
    for (const order of [1, 2]) {
      const sme = await ensemble(f, optimizers.sme({ lr: eta, order, substeps: NC.substeps }), mb, NC.x0, eta, PN, 22 + order);
      nonconvexErrors[order].push({ eta, value: exact - sme.m, se: sme.se });
    }
  }
  const fits = {};
  for (const order of [1, 2]) {
    const m = exponent(quadErrors[order]);
    const p = weightedFit(
      ETAS.map(Math.log),
      quadErrors[order].map((e) => Math.log(Math.abs(e.predicted))),
      ETAS.map(() => 1),
    );
    fits[`quad${order}`] = m;
    rows.push(
      row({
        quantity:
          `quadratic: exponent of η in the weak error, order ${order}, vs the closed forms' over the same η (${m.used} of ${ETAS.length} ` +
          `η resolved)`,
        measured: m.b,
        predicted: p.b,
        interval: [m.b - 1.96 * m.se, m.b + 1.96 * m.se],
        tolerance: Math.max(4 * m.se, 0.05),
      }),
    );
    const n = exponent(nonconvexErrors[order]);
    fits[`nonconvex${order}`] = n;
    rows.push(
      row({
        quantity:
          `nonconvex finite sum, minibatch noise: exponent of η in the weak error, order ${order} (${n.used} of ${etasNonconvex.length} ` +
          `η resolved)`,
        measured: n.b,
        predicted: order,
        interval: [n.b - 1.96 * n.se, n.b + 1.96 * n.se],
        tolerance: Math.max(4 * n.se, 0.3),
      }),
    );
  }
  const pts = (errs) =>
    errs.map((e) => ({
      x: e.eta,
      y: Math.abs(e.value),
      lo: Math.max(Math.abs(e.value) - 1.96 * e.se, 1e-6),
      hi: Math.abs(e.value) + 1.96 * e.se,
    }));
  for (const order of [1, 2]) {
    series.push({ label: `quadratic, order ${order}: measured`, mark: 'points', points: pts(quadErrors[order]) });
    series.push({
      label: `quadratic, order ${order}: closed form`,
      points: quadErrors[order].map((e) => ({ x: e.eta, y: Math.abs(e.predicted) })),
    });
    series.push({ label: `nonconvex finite sum, order ${order}: measured`, mark: 'points', points: pts(nonconvexErrors[order]) });
  }
  const spec = chart(series, {
    title: 'Weak error |E x_k² − E X_T²| of the SME against SGD, T = 1.2',
    xTitle: 'learning rate η',
    yTitle: '|weak error|',
    xScale: 'log',
    yScale: 'log',
  });
  const q1 = quadErrors[1].at(-1),
    q2 = quadErrors[2].at(-1);
  return {
    rows,
    plots: [
      {
        name: 'weak-error',
        spec,
        caption:
          `Weak error against η (log–log) with 95% intervals: ${P} particles a side on the quadratic, ${PN} on the finite sum; lines: ` +
          `the closed forms. Slopes 1 (order 1) and 2 (order 2).`,
      },
    ],
    setup: { particles: P, particlesNonconvex: PN, fits, quadErrors, nonconvexErrors },
    notes: [
      `On the quadratic the O(η) error of the order-1 SME is the mean's: SGD contracts by (1 − η) a step where the flow contracts ` +
        `by e^{−η}. The noise's share is already O(η²) at order 1 — the stationary variances are ησ²/(2 − η) (SGD) and ησ²/2 (SME), ` +
        `η²σ²/4 apart — and the order-2 drift does not shrink it: its OU's variance ησ²/(2 + η) is η²σ²/2 below SGD's, twice as far. ` +
        `The order-2 gain is all in the mean. At η = ${ETAS.at(-1)} the closed-form errors are ${q1.predicted.toExponential(2)} (order ` +
        `1) and ${q2.predicted.toExponential(2)} (order 2).`,
      `SGD and the SME draw independent noise, so the measured weak error carries the Monte Carlo error of both ensembles: at η = ` +
        `${ETAS.at(-1)} the order-2 error on the quadratic is ${(Math.abs(q2.value) / q2.se).toFixed(1)} standard errors from 0 with ` +
        `${P} particles a side. The error falls like η² while its standard error falls only like √η (the variance of x² is O(η)), so ` +
        `each halving of η needs about 8 times the particles; the exponents use the η where the error is resolved (more than 2 standard ` +
        `errors). At CI scale the finite sum's exponents are fitted from two η with ${PN} particles and their allowance (4 standard ` +
        `errors) is wide; the quadratic's rows are the tight ones.`,
      `On the finite sum the SME is integrated by Euler–Maruyama (Heun's scheme needs additive noise), whose own weak error O(η/m) ` +
        `(m = ${NC.substeps} substeps) adds to the modelling error and would pull the order-2 exponent toward 1 once it dominated; ` +
        `the run does not separate the two, but the fitted order-2 exponent ` +
        `${fits.nonconvex2.b.toFixed(2)} ± ${(1.96 * fits.nonconvex2.se).toFixed(2)} ` +
        `shows it does not dominate at these η. The finite sum's order-1 exponent comes out above 1 (the largest η ` +
        `is far from asymptotic), ` +
        `and at η = 0.4 the order-2 correction barely helps there: the η² law is a small-η statement.`,
    ],
  };
}
