// noise.importanceMinibatch: minibatches drawn with probabilities p_i, with the 1/(K p_i)
// correction (unbiased) and without (resampling without reweighting: biased), checked EXACTLY by
// enumerating the outcomes. With b = 1 a particle's one-step estimate ĝ = x₀ − x₁ (SGD at lr 1) is
// one of K values ĝ(i), one per drawn term i, whose closed forms are
//   corrected    ĝ(i) = u_i/(K p_i)        uncorrected  ĝ(i) = u_i
// (u_i the one-term uniform estimate: x₀ − a_i for a finite sum of ½‖x − a_i‖², ∇ℓ_i(θ) for a
// mean-loss model, from the model's own per-example kernel). Every particle's ĝ must be one of
// them, and the mean over all outcomes Σ_i p_i ĝ(i), from the observed values, must equal ∇f (to
// rounding) with the correction, and Σ_i p_i u_i — a bias of Σ_i p_i u_i − ∇f ≠ 0 — without.
// The outcome frequencies are checked against p_i (binomial, 99.99% intervals: z = 3.89), and for
// b = 4 the mean estimate against ∇f at its empirical standard error.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { throwsDescent } from './util.ts';
import { oneStepEstimates } from './estimates.ts';

const s = suite('importance minibatch');
s.before(() => descent.init());
const L = descent.landscapes,
  N = descent.noise,
  I = descent.inits,
  O = descent.optimizers;
const Z = 3.89,
  P = 6000;

/** Each particle's ĝ = x₀ − x₁ after one SGD step at lr 1, as rows. */
async function estimates(landscape: descent.Landscape, noise: descent.noise.Noise, x0: number[], seed: number, particles = P) {
  const e = await oneStepEstimates(landscape, noise, x0, seed, particles),
    d = x0.length;
  return Array.from({ length: particles }, (_, p) => Array.from(e.subarray(p * d, (p + 1) * d)));
}

/** The finite sum (1/K) Σ_i ½‖x − a_i‖² (component i: ½xᵀx − a_iᵀx, gradient x − a_i). */
function centred(a: number[][]): descent.Landscape {
  const I2 = [
    [1, 0],
    [0, 1],
  ];
  return L.finiteSum(a.map((ai) => L.quadratic({ A: I2, b: ai.map((v) => -v) })));
}

/**
 * Match every estimate to its outcome among `outcomes` (relative 1e-12), check the frequencies
 * against p, and return Σ_i p_i ĝ(i) over the observed values.
 */
function enumerate(est: number[][], outcomes: number[][], p: number[], what: string): number[] {
  const count = new Array(outcomes.length).fill(0),
    seen: (number[] | undefined)[] = new Array(outcomes.length);
  const near = (a: number[], b: number[]) => a.every((v, j) => Math.abs(v - b[j]) <= 1e-12 * Math.max(1, Math.abs(b[j])));
  for (const e of est) {
    const i = outcomes.findIndex((o) => near(e, o));
    assert.ok(i >= 0, `${what}: estimate ${e} is none of the outcomes`);
    count[i]++;
    seen[i] = e;
  }
  for (const [i, c] of count.entries()) {
    const sd = Math.sqrt(P * p[i] * (1 - p[i]));
    assert.ok(Math.abs(c - P * p[i]) <= Z * sd, `${what}: outcome ${i} drawn ${c} times, expected ${P * p[i]} ± ${(Z * sd).toFixed(1)}`);
  }
  return seen[0]!.map((_, j) => seen.reduce((a, o, i) => a + p[i] * o![j], 0));
}

const close = (a: number[], b: number[], tol: number, what: string) =>
  assert.ok(
    a.every((v, j) => Math.abs(v - b[j]) <= tol),
    `${what}: ${a} vs ${b}`,
  );

s(
  'finite sum: the corrected estimator is exactly unbiased over all outcomes; the uncorrected one has the exact bias Σ p_i u_i − ∇f',
  async () => {
    const a = [
        [1, 0],
        [0, 2],
        [-1, -1],
        [3, 1],
        [0.5, -2],
      ],
      K = a.length,
      p = [0.1, 0.15, 0.2, 0.25, 0.3];
    const f = centred(a);
    const x0 = [0.4, -0.3],
      u = a.map((ai) => x0.map((v, j) => v - ai[j]));
    const grad = Array.from(f.grad(x0)); // x₀ − ā
    close(
      grad,
      x0.map((v, j) => v - a.reduce((s2, ai) => s2 + ai[j], 0) / K),
      1e-15,
      '∇f',
    );
    const corrected = enumerate(
      await estimates(f, N.importanceMinibatch({ batchSize: 1, probabilities: p }), x0, 1),
      u.map((ui, i) => ui.map((v) => v / (K * p[i]))),
      p,
      'corrected',
    );
    close(corrected, grad, 1e-14, 'corrected: Σ p_i ĝ(i) = ∇f');
    const plain = enumerate(
      await estimates(f, N.importanceMinibatch({ batchSize: 1, probabilities: p, correction: false }), x0, 2),
      u,
      p,
      'uncorrected',
    );
    const biased = x0.map((_, j) => u.reduce((s2, ui, i) => s2 + p[i] * ui[j], 0));
    close(plain, biased, 1e-14, 'uncorrected: Σ p_i ĝ(i) = Σ p_i u_i');
    assert.ok(Math.hypot(biased[0] - grad[0], biased[1] - grad[1]) > 0.1, 'the uncorrected bias is not zero');
  },
);

s('model: corrected importance sampling of examples is exactly unbiased (per-example gradients from the model)', async () => {
  const X = [
      [1, 0.5],
      [-0.3, 2],
      [0.8, -1],
      [2, 0.1],
      [-1, -1],
      [0.2, 0.3],
    ],
    y = [1, -0.5, 0.3, 2, 0, 0.7];
  const model = descent.models.linearRegression({ data: descent.data.from({ X, y }), bias: false });
  const n = X.length,
    p = [0.05, 0.1, 0.15, 0.2, 0.2, 0.3],
    th = [0.3, -0.2];
  const per = model.perExample(th).grad; // n × 2: ∇ℓ_i
  const u = Array.from({ length: n }, (_, i) => [per[2 * i], per[2 * i + 1]]);
  const mean = enumerate(
    await estimates(model, N.importanceMinibatch({ batchSize: 1, probabilities: p }), th, 3),
    u.map((ui, i) => ui.map((v) => v / (n * p[i]))),
    p,
    'model',
  );
  close(mean, Array.from(model.grad(th)), 1e-13, 'model: Σ p_i ĝ(i) = ∇L');
});

s('b = 4: the mean estimate is ∇f within its standard error (corrected), and is resolved from it (uncorrected)', async () => {
  const a = [
      [1, 0],
      [0, 2],
      [-1, -1],
      [3, 1],
    ],
    p = [0.1, 0.2, 0.3, 0.4];
  const f = centred(a);
  const x0 = [0.2, 0.1],
    grad = Array.from(f.grad(x0));
  for (const [correction, seed] of [
    [true, 4],
    [false, 5],
  ] as const) {
    const est = await estimates(f, N.importanceMinibatch({ batchSize: 4, probabilities: p, correction }), x0, seed, 20_000);
    for (let j = 0; j < 2; j++) {
      const m = est.reduce((acc, e) => acc + e[j], 0) / est.length;
      const se = Math.sqrt((est.reduce((acc, e) => acc + e[j] * e[j], 0) / est.length - m * m) / est.length);
      if (correction) assert.ok(Math.abs(m - grad[j]) <= Z * se, `corrected mean[${j}] ${m} vs ${grad[j]} (±${(Z * se).toFixed(4)})`);
      else {
        const biased = x0[j] - a.reduce((acc, ai, i) => acc + p[i] * ai[j], 0);
        assert.ok(Math.abs(m - biased) <= Z * se, `uncorrected mean[${j}] ${m} vs Σ p u ${biased}`);
      }
    }
  }
});

s('determinism across chunks and workers; bad configs name their path', async () => {
  const f = L.finiteSum([L.rosenbrock(), L.himmelblau(), L.beale()]);
  const cfg = {
    landscape: f,
    optimizer: O.sgd({ lr: 1e-4 }),
    noise: N.importanceMinibatch({ batchSize: 2, probabilities: [0.2, 0.3, 0.5] }),
    init: I.normal({ mean: [0, 0], std: 0.5 }),
    particles: 130,
    steps: 25,
    seed: 4,
  };
  const h = (await descent.simulate(cfg)).hash;
  assert.is((await descent.simulate(cfg, { chunkSize: 4 })).hash, h);
  assert.is((await descent.simulate(cfg, { workers: 2 })).hash, h);
  console.log(`DETERMINISM importance-minibatch ${h}`);
  throwsDescent(() => N.importanceMinibatch({ probabilities: [1] } as never), 'E_CONFIG', 'noise.importanceMinibatch.batchSize');
  throwsDescent(
    () => N.importanceMinibatch({ batchSize: 1, probabilities: [0.5, 0.6] }),
    'E_CONFIG',
    'noise.importanceMinibatch.probabilities',
  );
  throwsDescent(
    () => N.importanceMinibatch({ batchSize: 1, probabilities: [0, 1] }),
    'E_CONFIG',
    'noise.importanceMinibatch.probabilities[0]',
  );
  assert.equal(N.importanceMinibatch({ batchSize: 1, probabilities: [0, 1], correction: false }).params.probabilities, [0, 1]);
  throwsDescent(
    () => N.importanceMinibatch({ batchSize: 1, probabilities: [1], correction: 1 as never }),
    'E_CONFIG',
    'noise.importanceMinibatch.correction',
  );
  let path = '';
  try {
    await descent.simulate({ ...cfg, noise: N.importanceMinibatch({ batchSize: 1, probabilities: [0.5, 0.5] }) });
  } catch (e) {
    path = (e as descent.DescentError).path ?? '';
  }
  assert.is(path, 'simulate.noise.params.probabilities');
  try {
    await descent.simulate({ ...cfg, landscape: L.rosenbrock() });
  } catch (e) {
    path = (e as descent.DescentError).path ?? '';
  }
  assert.is(path, 'simulate.noise');
});

s.run();
