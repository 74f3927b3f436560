// Gallery entry 7 — resampling vs reweighting for a biased sample. Two groups with population
// fractions τ = (½, ½) are sampled at π = (0.9, 0.1). Both corrections minimise the same population
// risk R(x) = Σ_g τ_g R_g(x): reweighting keeps the sample and multiplies example i's loss by
// w_i = τ_g/π_g; resampling draws the examples in proportion to w_i and weighs them equally. SGD
// with batch 1 sees different noise: an example of the rare group comes up with probability 0.1
// and a gradient × 5 when reweighted, with probability ½ and × 1 when resampled.
//
// In one dimension with f_i(x) = ½h_i(x − c_i)², example i drawn with probability p_i and
// weighted w_i, the error e = x − x* is a Kesten recursion e' = A e + B with A = 1 − ηw_ih_i,
// B = ηw_ih_i(c_i − x*), so in closed form (plain JS):
//   E e' = E A · E e,  E e'² = E A² · E e² + 2 E[AB] · E e + E B²     (excess risk ½h̄ e², h̄ = Σ p_i w_i h_i)
//   mean-square stability: E A² < 1 (the expected risk stays finite), i.e. η below a limit;
//   stationary tail: P(|e| > s) ~ s^{−κ} with E|A|^κ = 1 when some |A| > 1 (Kesten 1973; Goldie
//   1991; Gürbüzbalaban, Şimşekli & Zhu, ICML 2021 for SGD), bounded support when every |A| ≤ 1.
// The measured tail index is Hill's estimator on the ensemble's largest |e|.
import * as descent from '../build/descent.node.mjs';
import { chart } from './lib/chart.mjs';
import { moments, meanInterval, Z95 } from './lib/stats.mjs';
import { row } from './lib/table.mjs';

// Nine examples of group 1 (curvature 1, centres spread around 0) and one of group 2 (curvature 2, centre 1).
const H = [1, 1, 1, 1, 1, 1, 1, 1, 1, 2],
  C = [-0.4, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 1],
  GROUP = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const TAU = [0.5, 0.5],
  PI = [0.9, 0.1];
const W = GROUP.map((g) => TAU[g] / PI[g]);
// Resampled in exact proportion to the weights: each group-1 example once, the group-2 example 9 times.
const RESAMPLED = [0, 1, 2, 3, 4, 5, 6, 7, 8, ...new Array(9).fill(9)];

export const meta = {
  name: 'resampling',
  title: 'Resampling vs reweighting a biased sample',
  claim:
    'Reweighting and resampling a biased sample define the same risk, but SGD on the reweighted sample sees the rare group ' +
    'seldom and with a large weight: its stationary excess risk is higher at every learning rate, its expected risk diverges ' +
    'at a much smaller learning rate, and beyond a threshold its iterates become heavy-tailed, while resampling stays bounded.',
  source:
    'An, Ying & Zhu, "Why resampling outperforms reweighting for correcting sampling bias with stochastic gradients", ICLR 2021; ' +
    'heavy tails of the stationary law: Kesten, Acta Math. 131 (1973); Gürbüzbalaban, Şimşekli & Zhu, ICML 2021.',
  setup:
    'A 1-d sample of n = 10 examples f_i(x) = ½h_i(x − c_i)² (`landscapes.quadratic`): nine from group 1 (h = 1, c from −0.4 to ' +
    '0.4) and one from group 2 (h = 2, c = 1) — the population has the groups in equal parts. Reweighting: ' +
    '`landscapes.finiteSum(parts, weights)` with w = τ_g/π_g = 5/9 and 5. Resampling: `landscapes.finiteSum` of 18 parts, ' +
    'the examples in proportion to their weights (each group-1 example once, the group-2 example nine times), unweighted. ' +
    'Both are R(x) = ½(R₁ + R₂) up to a constant. `optimizers.sgd({ lr })` with `noise.minibatch({ batchSize: 1, replacement: ' +
    'true })`, every particle from x* for 400 steps (200 in CI). Predicted: the excess risk ½h̄ E(x_T − x*)² by the ' +
    'exact moment recursion, ' +
    'the mean-square limit η where E A² = 1, the Kesten tail index κ (E|A|^κ = 1, by bisection) and, where every |A| ≤ 1, ' +
    "the bound max|B|/(1 − max|A|) on |x − x*|. Measured: ensemble means with 95% intervals; the tail index by Hill's " +
    'estimator on the k largest |x_T − x*| (standard error κ/√k).',
  twoD: false,
};

/** The two SGD samplings: probabilities p_i and gradient weights w_i of the terms. */
const METHODS = {
  reweighting: { p: H.map(() => 1 / H.length), w: W, h: H, c: C },
  resampling: {
    p: RESAMPLED.map(() => 1 / RESAMPLED.length),
    w: RESAMPLED.map(() => 1),
    h: RESAMPLED.map((i) => H[i]),
    c: RESAMPLED.map((i) => C[i]),
  },
};
const hbar = (m) => m.p.reduce((s, p, i) => s + p * m.w[i] * m.h[i], 0);
const XSTAR = (() => {
  const m = METHODS.reweighting;
  return m.p.reduce((s, p, i) => s + p * m.w[i] * m.h[i] * m.c[i], 0) / hbar(m);
})();
/** The one-step laws of A = 1 − ηwh and B = ηwh(c − x*): [probability, A, B] per term. */
const law = (m, eta) => m.p.map((p, i) => [p, 1 - eta * m.w[i] * m.h[i], eta * m.w[i] * m.h[i] * (m.c[i] - XSTAR)]);
const expect = (L, g) => L.reduce((s, [p, a, b]) => s + p * g(a, b), 0);

/** E of the excess risk ½h̄ e_T² after T steps from e₀ = 0. */
function excessRisk(m, eta, T) {
  const L = law(m, eta),
    EA = expect(L, (a) => a),
    EA2 = expect(L, (a) => a * a),
    EAB = expect(L, (a, b) => a * b),
    EB2 = expect(L, (_, b) => b * b);
  let e1 = 0,
    e2 = 0;
  for (let t = 0; t < T; t++) [e1, e2] = [EA * e1, EA2 * e2 + 2 * EAB * e1 + EB2];
  return 0.5 * hbar(m) * e2;
}
/** The first root of F above lo, where F < 0 on (lo, root) and F > 0 just beyond: bracket by doubling, then bisect. */
function firstRoot(F, lo) {
  let hi = 2 * lo;
  while (F(hi) < 0) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (F(mid) < 0) lo = mid;
    else hi = mid;
  }
  return lo;
}
/** The mean-square limit: the η > 0 where E A² = 1 (E A² − 1 is a convex quadratic in η, negative just above 0). */
const msLimit = (m) => firstRoot((eta) => expect(law(m, eta), (a) => a * a) - 1, 1e-9);
/** Kesten's tail index: κ with E|A|^κ = 1 (E|A|^k − 1 is convex in k, 0 at k = 0 with negative slope), or Infinity when every |A| ≤ 1. */
function tailIndex(m, eta) {
  const L = law(m, eta);
  if (L.every(([, a]) => Math.abs(a) <= 1)) return Infinity;
  return firstRoot((k) => expect(L, (a) => Math.abs(a) ** k) - 1, 1e-9);
}
/** Hill's estimator of the tail index from the k largest of xs (positive). */
function hill(xs, k) {
  const a = Float64Array.from(xs).sort().reverse();
  let s = 0;
  for (let i = 0; i < k; i++) s += Math.log(a[i] / a[k]);
  return k / s;
}

export async function run({ scale = 'full' } = {}) {
  await descent.init();
  const { landscapes, optimizers, noise, inits } = descent;
  const full = scale === 'full';
  const P = full ? 100_000 : 10_000,
    T = full ? 400 : 200,
    k = full ? 1000 : 250;
  const term = (i) => landscapes.quadratic({ A: [[H[i]]], b: [-H[i] * C[i]] });
  const landscape = {
    reweighting: landscapes.finiteSum(
      H.map((_, i) => term(i)),
      W,
    ),
    resampling: landscapes.finiteSum(RESAMPLED.map(term)),
  };
  const final = async (method, eta) => {
    const r = await descent.simulate({
      landscape: landscape[method],
      optimizer: optimizers.sgd({ lr: eta }),
      noise: noise.minibatch({ batchSize: 1, replacement: true }),
      init: inits.point({ x: [XSTAR] }),
      particles: P,
      steps: T,
      seed: 7,
    });
    return Array.from(r.x, (x) => x - XSTAR);
  };
  const rows = [],
    risk = { reweighting: [], resampling: [] };
  const limits = { reweighting: msLimit(METHODS.reweighting), resampling: msLimit(METHODS.resampling) };
  // Excess risk where both are mean-square stable and its Monte Carlo interval is valid (E A⁴ < 1 too).
  const etas = full ? [0.02, 0.05, 0.1, 0.15, 0.2] : [0.05, 0.2];
  for (const eta of etas) {
    for (const method of ['reweighting', 'resampling']) {
      const m = moments((await final(method, eta)).map((e) => 0.5 * hbar(METHODS[method]) * e * e));
      const predicted = excessRisk(METHODS[method], eta, T),
        iv = meanInterval(m.mean, m.variance, m.n);
      risk[method].push({ eta, measured: m.mean, lo: iv[0], hi: iv[1], predicted });
      rows.push(
        row({
          quantity: `${method}, η = ${eta}: excess population risk after ${T} steps`,
          measured: m.mean,
          predicted,
          interval: iv,
          tolerance: (4 / Z95) * (iv[1] - m.mean),
        }),
      );
    }
  }
  // Beyond the reweighted mean-square limit: heavy tails (reweighting) against a bounded law (resampling).
  const tails = [];
  for (const eta of full ? [0.3, 0.5, 0.8] : [0.3, 0.8]) {
    const e = (await final('reweighting', eta)).map(Math.abs);
    const kappa = tailIndex(METHODS.reweighting, eta),
      est = hill(e, k),
      se = est / Math.sqrt(k);
    tails.push({ eta, kappa, est });
    rows.push(
      row({
        quantity: `reweighting, η = ${eta}: tail index of |x − x*| (Hill, k = ${k}) against Kesten's κ`,
        measured: est,
        predicted: kappa,
        interval: [est - Z95 * se, est + Z95 * se],
        tolerance: 4 * se + 0.03 * kappa,
      }),
    );
    const L = law(METHODS.resampling, eta),
      amax = Math.max(...L.map(([, a]) => Math.abs(a))),
      bound = Math.max(...L.map(([, , b]) => Math.abs(b))) / (1 - amax);
    const worst = Math.max(...(await final('resampling', eta)).map(Math.abs));
    rows.push(
      row({
        quantity: `resampling, η = ${eta}: largest |x − x*| over ${P} runs, against the bound max|B|/(1 − max|A|)`,
        measured: worst,
        predicted: bound,
        tolerance: 0,
        check: 'below',
      }),
    );
  }
  const line = (method) =>
    Array.from({ length: 60 }, (_, i) => 0.01 + (i * (Math.min(limits[method], 1.5) - 0.01)) / 60).map((eta) => ({
      x: eta,
      y: excessRisk(METHODS[method], eta, 4000),
    }));
  const spec = chart(
    [
      {
        label: 'reweighting, measured',
        mark: 'points',
        points: risk.reweighting.map((r) => ({ x: r.eta, y: r.measured, lo: r.lo, hi: r.hi })),
      },
      { label: 'reweighting, exact (stationary)', points: line('reweighting') },
      {
        label: 'resampling, measured',
        mark: 'points',
        points: risk.resampling.map((r) => ({ x: r.eta, y: r.measured, lo: r.lo, hi: r.hi })),
      },
      { label: 'resampling, exact (stationary)', points: line('resampling') },
    ],
    {
      title: 'Excess population risk of SGD at stationarity',
      xTitle: 'learning rate η',
      yTitle: 'E R(x) − R*',
      xScale: 'log',
      yScale: 'log',
      rules: [
        { x: limits.reweighting, label: `reweighting: E R = ∞ beyond ${limits.reweighting.toFixed(3)}` },
        { x: limits.resampling, label: `resampling: ${limits.resampling.toFixed(2)}` },
      ],
    },
  );
  const lyapunov = (m, eta) => expect(law(m, eta), (a) => Math.log(Math.abs(a)));
  const g04 = expect(law(METHODS.reweighting, 0.4), (a) => a * a),
    l04 = lyapunov(METHODS.reweighting, 0.4);
  const lyap = Math.max(
    ...[...etas, ...tails.map((t) => t.eta)].flatMap((eta) => [lyapunov(METHODS.reweighting, eta), lyapunov(METHODS.resampling, eta)]),
  );
  const ratio = risk.reweighting.map((r, i) => r.predicted / risk.resampling[i].predicted);
  return {
    rows,
    plots: [
      {
        name: 'risk',
        spec,
        caption:
          `Excess population risk against the learning rate (log–log): ${P} particles after ${T} steps (95% intervals) and ` +
          `the exact stationary value, which diverges at each method's mean-square limit (dashed rules).`,
      },
    ],
    setup: { particles: P, xstar: XSTAR, limits, tails },
    notes: [
      `Reweighting's excess risk is ${Math.min(...ratio).toFixed(1)}–${Math.max(...ratio).toFixed(1)} times resampling's ` +
        `over η = ${etas[0]}–${etas.at(-1)}: the same population risk, the same mean dynamics (E A is equal), but E B² ` +
        `and E A² are larger when the rare group's gradient comes seldom and five times too large. The expected risk ` +
        `of reweighted SGD is infinite beyond η = ${limits.reweighting.toFixed(3)}, against ${limits.resampling.toFixed(2)} ` +
        `for resampling.`,
      `Past that limit nothing diverges in a run: the mean-square instability lives in paths that pick the rare example ` +
        `many times in a row, far too rare for any ensemble to see (at η = 0.4, E e² grows by ${g04.toFixed(2)}× a step ` +
        `while a typical path contracts, E log|A| = ${l04.toFixed(3)}). What a run does show is the law's tail: P(|x ` +
        `− x*| > s) ~ s^{−κ}, with Hill's estimate on the ${k} largest of ${P} particles matching Kesten's κ (κ < 2 exactly ` +
        `where the variance is infinite). Resampling keeps every factor |1 − ηh| ≤ 1 up to η = 1, so its iterates stay ` +
        `in a bounded interval there, which no run leaves.`,
      `The resampled sum here has the exact proportions of the weights (the large-n′ limit of data.resample); a finite ` +
        `random resample adds its own sampling error to the risk, which this entry leaves out. The stability in the ` +
        `almost-sure sense (the Lyapunov exponent E log|A| < 0) is not what separates the two methods here: both stay a.s. ` +
        `stable at every η run (the largest E log|A| over the runs is ${lyap.toFixed(3)}).`,
    ],
  };
}
