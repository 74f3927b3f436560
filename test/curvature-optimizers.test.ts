// Curvature-aware optimisers (optimizers.sam, perturbedGD, newtonCG, naturalGradient,
// saddleFreeNewton) run by simulate, each against a known answer computed here independently of
// the kernels (closed forms and dense solves in plain JS; landscape values and gradients only where
// an inequality is checked):
//   Newton-CG: one step to the minimum of a quadratic (normal equations); its negative-curvature
//     exits on a saddle (the CG iterates by hand); Armijo's condition along a line-searched path.
//   Saddle-free Newton: the exact step −(|H| + λI)⁻¹g (k = d, and k < d when g spans k
//     eigenvectors), the one-vector Rayleigh step (k = 1); escape from a strict saddle that plain
//     Newton converges to.
//   Natural gradient: simplexKL in logit and expectation coordinates against the closed forms of
//     its steps, and the invariance of the two trajectories (they agree to O(η) and converge to
//     one another as η → 0, where gradient descent's do not); on models, Gauss–Newton = Newton for
//     linear least squares and logistic regression, and the empirical Fisher step by a dense solve.
//   SAM: x⁺ = x − ηA(x + ρ Ax/‖Ax‖) on quadratics (with momentum, ASAM), and the noise carried
//     to the perturbed gradient.
//   Perturbed GD: escape from a particle started exactly at a strict saddle; the perturbation rule
//     (times and count) replayed from the trajectory; ‖ξ‖ ≤ r and (‖ξ‖/r)^d ~ U[0, 1) (99% CIs).
// Determinism over chunk sizes and workers, and bad input.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, rng, throwsDescent } from './util.ts';

const s = suite('curvature-aware optimisers');
s.before(() => descent.init());
const L = descent.landscapes, O = descent.optimizers, I = descent.inits, M = descent.models;

type Cfg = Parameters<typeof descent.simulate>[0];

/** Solve A x = b (dense, row-major n×n) by Gaussian elimination with partial pivoting. */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let v = m[r][n];
    for (let k = r + 1; k < n; k++) v -= m[r][k] * x[k];
    x[r] = v / m[r][r];
  }
  return x;
}

const matvec = (A: number[][], x: number[]) => A.map((row) => row.reduce((acc, a, j) => acc + a * x[j], 0));
const norm = (x: number[]) => Math.sqrt(x.reduce((a, v) => a + v * v, 0));

/** x_t of particle p from a result's trajectories ((T + 1) × m × d). */
function at(r: descent.EnsembleResult, t: number, p: number): number[] {
  const tr = r.trajectories!, d = r.dim;
  return Array.from(tr.data.subarray((t * tr.particles + p) * d, (t * tr.particles + p + 1) * d));
}

/** Final x of particle p. */
const final = (r: descent.EnsembleResult, p: number) => Array.from(r.x.subarray(p * r.dim, (p + 1) * r.dim));

// A 5-d quadratic ½xᵀAx + bᵀx, A symmetric positive definite (strictly diagonally dominant).
const A5 = [[4, 1, 0.5, 0, 0.2], [1, 3, 0.3, 0.1, 0], [0.5, 0.3, 2, 0.4, 0.1], [0, 0.1, 0.4, 1.5, 0.3], [0.2, 0, 0.1, 0.3, 1]];
const b5 = [1, -2, 0.5, 3, -1];

s('newtonCG (λ = 0, η = 1) reaches the minimum of a quadratic in one step; with λ it takes the damped step', async () => {
  const f = L.quadratic({ A: A5, b: b5 });
  const xStar = solve(A5, b5.map((v) => -v));
  for (const lineSearch of [false, true]) {
    const r = await descent.simulate({ landscape: f, optimizer: O.newtonCG({ cgIters: 5, cgTol: 1e-14, lineSearch }), init: I.uniform({ low: [-5, -5, -5, -5, -5], high: [5, 5, 5, 5, 5] }), particles: 10, steps: 1, seed: 3 });
    for (let p = 0; p < 10; p++) close(final(r, p), xStar, 1e-12, `lineSearch ${lineSearch}, particle ${p}`);
  }
  const lambda = 0.7;
  const damped = A5.map((row, i) => row.map((v, j) => v + (i === j ? lambda : 0)));
  const r = await descent.simulate({ landscape: f, optimizer: O.newtonCG({ lr: 0.5, damping: lambda, cgIters: 5, cgTol: 1e-14 }), init: I.uniform({ low: [-5, -5, -5, -5, -5], high: [5, 5, 5, 5, 5] }), particles: 4, steps: 1, seed: 4, record: { trajectories: 4 } });
  for (let p = 0; p < 4; p++) {
    const x0 = at(r, 0, p);
    const g = matvec(A5, x0).map((v, i) => v + b5[i]);
    const step = solve(damped, g);
    close(final(r, p), x0.map((v, i) => v - 0.5 * step[i]), 1e-12, `damped step, particle ${p}`);
  }
});

s("newtonCG on a saddle: 'stop' exits CG at negative curvature (gradient step, or the last iterate); 'ignore' is plain Newton", async () => {
  // f = ½(−x² + y²), g = (−x, y), H = diag(−1, 1). At (2, 1) the first CG direction g has
  // gᵀHg = −3 < 0: p = g, x⁺ = x − g = (4, 0). At (0.5, 1): gᵀHg = 0.75 > 0, α₀ = ‖g‖²/gᵀHg = 5/3,
  // the next direction d₁ = (−20/9, 10/9) has d₁ᵀHd₁ < 0: p = α₀g, x⁺ = (4/3, −2/3). Newton: x⁺ = 0.
  const f = L.saddle({ curvatures: [-1, 1] });
  const init = I.array({ points: [[2, 1], [0.5, 1]] });
  const stop = await descent.simulate({ landscape: f, optimizer: O.newtonCG({ cgTol: 0 }), init, steps: 1, seed: 1 });
  close(final(stop, 0), [4, 0], 1e-15, 'negative curvature at the first iteration');
  close(final(stop, 1), [4 / 3, -2 / 3], 1e-15, 'negative curvature at the second iteration');
  const ignore = await descent.simulate({ landscape: f, optimizer: O.newtonCG({ cgTol: 0, negativeCurvature: 'ignore' }), init, steps: 1, seed: 1 });
  close(final(ignore, 0), [0, 0], 0, 'Newton', 1e-15);
  close(final(ignore, 1), [0, 0], 0, 'Newton', 1e-15);
});

s('newtonCG with lineSearch: every step satisfies Armijo (f decreases monotonically); full Newton steps do not on Rosenbrock', async () => {
  const f = L.rosenbrock();
  const cfg = (lineSearch: boolean): Cfg => ({ landscape: f, optimizer: O.newtonCG({ lineSearch, cgTol: 1e-12 }), init: I.point({ x: [-1.2, 1] }), particles: 1, steps: 30, seed: 1, record: { trajectories: 1 } });
  const ls = await descent.simulate(cfg(true));
  let shortened = 0;
  for (let t = 0; t < 30; t++) {
    const x = at(ls, t, 0), y = at(ls, t + 1, 0);
    const g = Array.from(f.grad(x));
    const decrease = g.reduce((a, gi, i) => a + gi * (x[i] - y[i]), 0); // αη gᵀp
    assert.ok(f.value(y) <= f.value(x) - 1e-4 * decrease, `Armijo at step ${t}: f ${f.value(x)} → ${f.value(y)}`);
    // Where ∇²f is positive definite, CG (d = 2) returns the Newton direction p = H⁻¹g: the step is
    // αp with α the first of 1, ½, ¼, … that passes (so 2α, when α < 1, fails).
    const H = f.hessian(x), h = [[H[0], H[1]], [H[2], H[3]]];
    if (!(h[0][0] > 0 && h[0][0] * h[1][1] - h[0][1] * h[1][0] > 0) || norm(g) < 1e-6) continue;
    const p = solve(h, g);
    const alpha = ((x[0] - y[0]) * p[0] + (x[1] - y[1]) * p[1]) / (p[0] ** 2 + p[1] ** 2);
    const k = Math.round(-Math.log2(alpha));
    close(alpha, 2 ** -k, 1e-9, `step ${t}: α a power of ½`);
    if (k > 0) {
      shortened++;
      const twice = x.map((v, i) => v - 2 * alpha * p[i]);
      const gp = g[0] * p[0] + g[1] * p[1];
      assert.ok(!(f.value(twice) <= f.value(x) - 1e-4 * 2 * alpha * gp), `step ${t}: α = ${alpha} but 2α passes too`);
    }
  }
  assert.ok(shortened > 0, 'the line search shortened some steps');
  close(final(ls, 0), [1, 1], 1e-8, 'converges to the minimum');
  const full = await descent.simulate(cfg(false));
  let rises = 0;
  for (let t = 0; t < 30; t++) if (f.value(at(full, t + 1, 0)) > f.value(at(full, t, 0))) rises++;
  assert.ok(rises > 0, 'pure Newton increases f somewhere on this path (so the check above can fail)');
});

s('saddleFreeNewton: the exact step −(|H| + λI)⁻¹g for k = d, and for k < d when g spans k eigenvectors; the Rayleigh step for k = 1', async () => {
  // saddle with quartic 1: H = diag(λ_i + 3x_i²) at any x.
  const f = L.saddle({ quartic: 1 });
  const pts = [[0.3, 0.8], [-0.05, 1.4], [1.2, -0.3], [0.6, 0.1]];
  const lambda = 1e-3;
  const r2 = await descent.simulate({ landscape: f, optimizer: O.saddleFreeNewton({ k: 2, damping: lambda, lr: 0.7 }), init: I.array({ points: pts }), steps: 1, seed: 1 });
  const r1 = await descent.simulate({ landscape: f, optimizer: O.saddleFreeNewton({ k: 1, damping: lambda }), init: I.array({ points: pts }), steps: 1, seed: 1 });
  pts.forEach((x, p) => {
    const curv = [-1, 1];
    const g = x.map((v, i) => curv[i] * v + v ** 3);
    const h = x.map((v, i) => curv[i] + 3 * v * v);
    close(final(r2, p), x.map((v, i) => v - 0.7 * g[i] / (Math.abs(h[i]) + lambda)), 1e-12, `k = 2, point ${p}`);
    const theta = g.reduce((a, gi, i) => a + gi * gi * h[i], 0) / g.reduce((a, gi) => a + gi * gi, 0);
    close(final(r1, p), x.map((v, i) => v - g[i] / (Math.abs(theta) + lambda)), 1e-12, `k = 1, point ${p}`);
  });
  // d = 6, g = Hx with x on two eigenvectors: K_2(H, g) is invariant, so k = 2 is exact.
  const curv = [-2, -1, 0.5, 1, 3, 4];
  const big = L.saddle({ curvatures: curv });
  const x0 = [1, 0, 0, 0, 0.5, 0];
  const r = await descent.simulate({ landscape: big, optimizer: O.saddleFreeNewton({ k: 2, damping: 0 }), init: I.point({ x: x0 }), particles: 1, steps: 1, seed: 1 });
  close(final(r, 0), [2, 0, 0, 0, 0, 0], 1e-14, 'x⁺ = x − g/|λ| on the two eigen-directions', 1e-15);
  const full = await descent.simulate({ landscape: big, optimizer: O.saddleFreeNewton({ k: 6, damping: 0.1 }), init: I.point({ x: [0.3, -1, 2, 0.7, -0.2, 1.1] }), particles: 1, steps: 1, seed: 1 });
  const xf = [0.3, -1, 2, 0.7, -0.2, 1.1];
  close(final(full, 0), xf.map((v, i) => v - curv[i] * v / (Math.abs(curv[i]) + 0.1)), 1e-12, 'k = d = 6');
});

s('saddleFreeNewton escapes the strict saddle of Σ(½λx² + ¼x⁴) that plain Newton converges to', async () => {
  const f = L.saddle({ quartic: 1 }); // saddle at 0, minima at (±1, 0)
  const init = I.uniform({ low: [-1e-3, 0.5], high: [1e-3, 1.5] });
  const cfg = (optimizer: descent.optimizers.Optimizer): Cfg => ({ landscape: f, optimizer, init, particles: 64, steps: 40, seed: 9, record: { trajectories: 64 } });
  const sfn = await descent.simulate(cfg(O.saddleFreeNewton({ k: 2 })));
  const newton = await descent.simulate(cfg(O.newtonCG({ cgTol: 0, negativeCurvature: 'ignore' })));
  for (let p = 0; p < 64; p++) {
    const side = Math.sign(at(sfn, 0, p)[0]);
    close(final(sfn, p), [side, 0], 1e-10, `saddle-free Newton, particle ${p}: the minimum on its side`);
    close(final(newton, p), [0, 0], 0, `Newton, particle ${p}: the saddle`, 1e-10);
  }
});

// simplexKL: q = target, p₀ the start; logits θ₀ = log p₀, expectation η₀ = p₀[0..K−1).
const q4 = [0.1, 0.2, 0.3, 0.4], p4 = [0.4, 0.3, 0.2, 0.1];
const softmax = (th: number[]) => { const m = Math.max(...th); const e = th.map((v) => Math.exp(v - m)); const z = e.reduce((a, b) => a + b, 0); return e.map((v) => v / z); };
const fromEta = (eta: number[]) => [...eta, 1 - eta.reduce((a, b) => a + b, 0)];

async function simplexPaths(optimizer: (param: 'logits' | 'expectation') => descent.optimizers.Optimizer, steps: number): Promise<{ logits: number[][]; expectation: number[][] }> {
  const out = { logits: [] as number[][], expectation: [] as number[][] };
  for (const param of ['logits', 'expectation'] as const) {
    const f = M.simplexKL({ target: q4, parameterization: param });
    const x0 = param === 'logits' ? p4.map(Math.log) : p4.slice(0, 3);
    const r = await descent.simulate({ landscape: f, optimizer: optimizer(param), init: I.point({ x: x0 }), particles: 1, steps, seed: 1, record: { trajectories: 1 } });
    for (let t = 0; t <= steps; t++) out[param].push(param === 'logits' ? softmax(at(r, t, 0)) : fromEta(at(r, t, 0)));
  }
  return out;
}

const maxGap = (a: number[][], b: number[][]) => Math.max(...a.map((pa, t) => Math.max(...pa.map((v, c) => Math.abs(v - b[t][c])))));

s('naturalGradient on simplexKL: each step matches its closed form in logit and in expectation coordinates', async () => {
  // Expectation: F⁻¹∇L = η − q exactly, so η_t = q + (1 − η)^t (η₀ − q). Logits: the minimum-norm
  // solution of (diag p − ppᵀ)u = p − q is u = 1 − q/p (up to a shift), so p_{t+1} ∝ p_t exp(η q/p_t).
  const lr = 0.1, steps = 30;
  const paths = await simplexPaths(() => O.naturalGradient({ lr, damping: 0, cgIters: 4, cgTol: 1e-13 }), steps);
  let p = p4.slice();
  for (let t = 0; t <= steps; t++) {
    close(paths.expectation[t], q4.map((qc, c) => qc + (1 - lr) ** t * (p4[c] - qc)), 1e-12, `expectation coordinates, step ${t}`);
    close(paths.logits[t], p, 1e-11, `logit coordinates, step ${t}`);
    const w = p.map((pc, c) => pc * Math.exp(lr * q4[c] / pc));
    const z = w.reduce((a, b) => a + b, 0);
    p = w.map((v) => v / z);
  }
});

s('naturalGradient on simplexKL is invariant to the θ vs η parameterisation: the paths agree to O(η) and meet as η → 0 (gradient descent\'s do not)', async () => {
  // Both discretise the natural-gradient flow p(t) = q + (p₀ − q)e^{−t}, which is the same curve
  // in either coordinates; a step of size η is invariant to first order, so the gap at matched
  // steps over t ∈ [0, 2] is O(η): halving η halves it. Gradient descent flows differ by
  // coordinates, so its gap stays O(1) as η shrinks.
  const gap = async (make: () => descent.optimizers.Optimizer, lr: number) => {
    const paths = await simplexPaths(make, Math.round(2 / lr));
    return maxGap(paths.logits, paths.expectation);
  };
  const ng = (lr: number) => () => O.naturalGradient({ lr, damping: 0, cgIters: 4, cgTol: 1e-13 });
  const gd = (lr: number) => () => O.sgd({ lr });
  const [n1, n2, n3] = [await gap(ng(0.04), 0.04), await gap(ng(0.02), 0.02), await gap(ng(0.01), 0.01)];
  assert.ok(n3 < 0.01, `natural gradient gap at η = 0.01: ${n3}`);
  for (const [a, b] of [[n1, n2], [n2, n3]]) assert.ok(a / b > 1.8 && a / b < 2.2, `first order: gaps ${a}, ${b}`);
  const [g2, g3] = [await gap(gd(0.02), 0.02), await gap(gd(0.01), 0.01)];
  assert.ok(g3 > 0.05 && g2 / g3 < 1.25, `gradient descent gaps do not vanish: ${g2}, ${g3}`);
});

s('naturalGradient on models: Gauss–Newton = Newton for least squares (one step to the minimiser) and logistic regression; the empirical Fisher step', async () => {
  const data = descent.data.linearTeacher({ n: 40, inputs: 3, noise: 0.3, seed: 11 });
  const lin = M.linearRegression({ data });
  // θ = (w, b) (weight then bias); the minimiser solves the normal equations of [X 1].
  const X = data.X as ArrayLike<number>, y = data.y as ArrayLike<number>;
  const Z = Array.from({ length: 40 }, (_, i) => [X[3 * i], X[3 * i + 1], X[3 * i + 2], 1]);
  const ZtZ = [0, 1, 2, 3].map((a) => [0, 1, 2, 3].map((b) => Z.reduce((acc, z) => acc + z[a] * z[b], 0)));
  const Zty = [0, 1, 2, 3].map((a) => Z.reduce((acc, z, i) => acc + z[a] * y[i], 0));
  const thetaStar = solve(ZtZ, Zty);
  const r = await descent.simulate({ landscape: lin, optimizer: O.naturalGradient({ lr: 1, damping: 0, cgIters: 4, cgTol: 1e-14 }), init: I.uniform({ low: [-2, -2, -2, -2], high: [2, 2, 2, 2] }), particles: 5, steps: 1, seed: 2 });
  for (let p = 0; p < 5; p++) close(final(r, p), thetaStar, 1e-11, `least squares, particle ${p}`);

  // Logistic regression: the bce Hessian of a linear logit is its Gauss–Newton matrix, so natural
  // gradient and Newton take the same steps.
  const next = rng(5);
  const Xc = Array.from({ length: 30 }, () => [next() * 4 - 2, next() * 4 - 2]);
  const yc = Xc.map((x) => (x[0] - 0.5 * x[1] + (next() - 0.5) * 3 > 0 ? 1 : 0));
  const logit = M.logisticRegression({ data: descent.data.from({ X: Xc, y: yc, classes: 2 }) });
  const common = { landscape: logit, init: I.uniform({ low: [-1, -1, -1], high: [1, 1, 1] }), particles: 6, steps: 6, seed: 4, record: { trajectories: 6 } };
  const ngr = await descent.simulate({ ...common, optimizer: O.naturalGradient({ lr: 1, damping: 0, cgIters: 3, cgTol: 1e-14 }) });
  const nt = await descent.simulate({ ...common, optimizer: O.newtonCG({ cgIters: 3, cgTol: 1e-14 }) });
  for (let p = 0; p < 6; p++) for (let t = 1; t <= 6; t++) close(at(ngr, t, p), at(nt, t, p), 1e-10, `logistic, particle ${p}, step ${t}`);

  // Empirical Fisher: p solves ((1/n) Σ ∇ℓ_i∇ℓ_iᵀ + λI) p = ∇L(θ), per-example gradients from the model.
  const lambda = 0.05, lr = 0.3;
  const emp = await descent.simulate({ ...common, steps: 1, optimizer: O.naturalGradient({ lr, damping: lambda, fisher: 'empirical', cgIters: 6, cgTol: 1e-14 }) });
  for (let p = 0; p < 6; p++) {
    const th = at(emp, 0, p);
    const G = logit.perExampleGrad(th), n = 30;
    const F = [0, 1, 2].map((a) => [0, 1, 2].map((b) => {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += G[3 * i + a] * G[3 * i + b];
      return acc / n + (a === b ? lambda : 0);
    }));
    const step = solve(F, Array.from(logit.grad(th)));
    close(final(emp, p), th.map((v, i) => v - lr * step[i]), 1e-11, `empirical Fisher, particle ${p}`);
  }
});

s('sam on quadratics: x⁺ = x − η(A(x + ε) + b), ε = ρg/‖g‖ (with momentum, and ASAM\'s ε = ρx²⊙g/‖|x|⊙g‖)', async () => {
  const A = [[2, 0.5, 0], [0.5, 1, 0.2], [0, 0.2, 0.5]], b = [0.3, -0.2, 0.1];
  const f = L.quadratic({ A, b });
  const grad = (x: number[]) => matvec(A, x).map((v, i) => v + b[i]);
  const steps = 6, lr = 0.2, rho = 0.1;
  for (const [momentum, adaptive] of [[0, false], [0.9, false], [0, true], [0.5, true]] as const) {
    const r = await descent.simulate({ landscape: f, optimizer: O.sam({ lr, rho, momentum, adaptive }), init: I.uniform({ low: [-2, -2, -2], high: [2, 2, 2] }), particles: 8, steps, seed: 6, record: { trajectories: 8 } });
    for (let p = 0; p < 8; p++) {
      let x = at(r, 0, p), buf: number[] = [];
      for (let t = 0; t < steps; t++) {
        const g = grad(x);
        const scaled = adaptive ? g.map((gi, i) => Math.abs(x[i]) * gi) : g;
        const c = rho / norm(scaled);
        const eps = g.map((gi, i) => c * (adaptive ? x[i] * x[i] * gi : gi));
        const gs = grad(x.map((v, i) => v + eps[i]));
        buf = t === 0 || momentum === 0 ? gs : buf.map((bv, i) => momentum * bv + gs[i]);
        x = x.map((v, i) => v - lr * buf[i]);
        close(at(r, t + 1, p), x, 1e-13, `momentum ${momentum}, adaptive ${adaptive}, particle ${p}, step ${t + 1}`);
      }
    }
  }
});

s('sam carries the step\'s gradient noise to the perturbed point: with ρ = 0 it is SGD with the same noise', async () => {
  const common = { landscape: L.rosenbrock(), noise: descent.noise.gaussian({ sigma: 0.5 }), init: I.uniform({ low: [-1, -1], high: [1, 1] }), particles: 16, steps: 20, seed: 8, record: { trajectories: 16 } };
  const a = await descent.simulate({ ...common, optimizer: O.sam({ lr: 1e-3, rho: 0, momentum: 0.9 }) });
  const b = await descent.simulate({ ...common, optimizer: O.sgd({ lr: 1e-3, momentum: 0.9 }) });
  close(a.trajectories!.data, b.trajectories!.data, 1e-12, 'trajectories');
});

s('perturbedGD: particles started exactly at a strict saddle escape to the minima (plain GD stays)', async () => {
  const f = L.saddle({ quartic: 1 });
  const common = { landscape: f, init: I.point({ x: [0, 0] }), particles: 200, steps: 300, seed: 12 };
  const pgd = await descent.simulate({ ...common, optimizer: O.perturbedGD({ lr: 0.1, gThres: 1e-3, tThres: 20, radius: 1e-2 }) });
  // Without Jin et al.'s termination rule PGD keeps perturbing wherever ‖g‖ ≤ gThres, minima
  // included, so a particle ends within r (+ the ≤ gThres-sized distance where it was perturbed) of one.
  let right = 0;
  for (let p = 0; p < 200; p++) {
    const x = final(pgd, p);
    assert.ok(Math.hypot(Math.abs(x[0]) - 1, x[1]) <= 1e-2 + 1e-3, `particle ${p} at ${x}`);
    if (x[0] > 0) right++;
  }
  // Each side with probability ½: 99% interval of Binomial(200, ½) is 100 ± 2.576·√50 ≈ [82, 118].
  assert.ok(right >= 82 && right <= 118, `escapes to the right: ${right} of 200`);
  const gd = await descent.simulate({ ...common, optimizer: O.sgd({ lr: 0.1 }) });
  assert.equal(Array.from(gd.x), new Array(400).fill(0));
});

s('perturbedGD: perturbations happen exactly when ‖g‖ ≤ gThres and the last one is ≥ tThres steps back', async () => {
  // f = ½‖x‖², η = ½: a plain step is x⁺ = x/2 exactly, so any other move is a perturbation; the
  // rule is replayed on the recorded path (g = x). ‖x_t‖ = 2⁻ᵗ·1.146 first reaches gThres at t = 5;
  // with r = 1 a perturbed particle is usually still outside gThres tThres steps later, so both
  // conditions decide some steps.
  const f = L.quadratic({ A: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] });
  const steps = 80, gThres = 0.05, tThres = 3, P = 20;
  const r = await descent.simulate({ landscape: f, optimizer: O.perturbedGD({ lr: 0.5, gThres, tThres, radius: 1 }), init: I.point({ x: [1, -0.5, 0.25] }), particles: P, steps, seed: 21, record: { trajectories: P } });
  let total = 0, waited = 0, tooSoon = 0;
  for (let p = 0; p < P; p++) {
    let last = -Infinity, count = 0;
    for (let t = 0; t < steps; t++) {
      const x = at(r, t, p), y = at(r, t + 1, p);
      const moved = y.some((v, i) => v !== x[i] / 2);
      const small = norm(x) <= gThres, spaced = t - last >= tThres;
      assert.is(moved, small && spaced, `particle ${p}, step ${t}: perturbed ${moved}, ‖g‖ ≤ gThres ${small}, spaced ${spaced}`);
      if (spaced && !small) waited++;
      if (small && !spaced) tooSoon++;
      if (moved) { last = t; count++; }
    }
    assert.is(count > 0 && count <= Math.ceil((steps - 5) / tThres), true, `particle ${p}: ${count} perturbations`);
    total += count;
  }
  assert.ok(waited > 0 && tooSoon > 0, `both conditions matter: ${waited} steps waited for a small gradient, ${tooSoon} for the interval`);
  assert.ok(total < P * Math.ceil((steps - 5) / tThres), `perturbations: ${total}`);
});

s('perturbedGD: ξ is uniform in the ball: ‖ξ‖ ≤ r, (‖ξ‖/r)^d ~ U[0, 1), mean direction 0 (99% intervals)', async () => {
  for (const d of [1, 3, 8]) {
    const N = 20000, radius = 0.3;
    const r = await descent.simulate({ landscape: L.quadratic({ A: Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))) }), optimizer: O.perturbedGD({ lr: 0, gThres: 1, radius }), init: I.point({ x: new Array(d).fill(0) }), particles: N, steps: 1, seed: 30 + d });
    const u: number[] = [];
    const dir = new Array<number>(d).fill(0);
    for (let p = 0; p < N; p++) {
      const xi = final(r, p), n = norm(xi);
      assert.ok(n <= radius, `‖ξ‖ = ${n} > r`);
      u.push((n / radius) ** d);
      xi.forEach((v, j) => { dir[j] += v / n; });
    }
    // Mean of U[0,1): ½ ± 2.576·√(1/12/N).
    const mean = u.reduce((a, b) => a + b, 0) / N;
    assert.ok(Math.abs(mean - 0.5) < 2.576 * Math.sqrt(1 / 12 / N), `d = ${d}: mean of (‖ξ‖/r)^d = ${mean}`);
    // Kolmogorov–Smirnov against U[0, 1): D < 1.628/√N at the 99% level.
    u.sort((a, b) => a - b);
    let D = 0;
    u.forEach((v, i) => { D = Math.max(D, (i + 1) / N - v, v - i / N); });
    assert.ok(D < 1.628 / Math.sqrt(N), `d = ${d}: KS distance ${D}`);
    // Each coordinate of the unit direction has mean 0 and variance 1/d: 99% interval ±2.576/√(dN).
    for (let j = 0; j < d; j++) assert.ok(Math.abs(dir[j] / N) < 2.576 / Math.sqrt(d * N), `d = ${d}: mean direction ${j} = ${dir[j] / N}`);
  }
});

s('determinism: the same bits for any chunk size and with workers', async () => {
  const runs: [string, Cfg][] = [
    ['perturbedGD', { landscape: L.saddle({ dim: 3, negative: 2, quartic: 0.5 }), optimizer: O.perturbedGD({ lr: 0.05, gThres: 0.05, tThres: 5, radius: 0.1 }), noise: descent.noise.gaussian({ sigma: 0.01 }), init: I.uniform({ low: [-0.01, -0.01, -0.01], high: [0.01, 0.01, 0.01] }), particles: 150, steps: 60, seed: 3, record: { every: 10, trajectories: 3 } }],
    ['newtonCG', { landscape: L.rosenbrock({ dim: 3 }), optimizer: O.newtonCG({ lineSearch: true, damping: 0.01 }), init: I.uniform({ low: [-2, -2, -2], high: [2, 2, 2] }), particles: 130, steps: 25, seed: 4, record: { every: 5 } }],
    ['saddleFreeNewton', { landscape: L.rastrigin({ dim: 4 }), optimizer: O.saddleFreeNewton({ k: 3, lr: 0.3 }), init: I.uniform({ low: [-2, -2, -2, -2], high: [2, 2, 2, 2] }), particles: 130, steps: 20, seed: 5, record: { every: 4 } }],
    ['sam', { landscape: L.himmelblau(), optimizer: O.sam({ lr: 0.005, rho: 0.05, momentum: 0.5, adaptive: true }), noise: descent.noise.gaussian({ sigma: 0.3 }), init: I.uniform({ low: [-4, -4], high: [4, 4] }), particles: 150, steps: 40, seed: 6, record: { every: 8 } }],
  ];
  for (const [name, cfg] of runs) {
    const one = await descent.simulate(cfg);
    assert.is((await descent.simulate(cfg, { chunkSize: 1 })).hash, one.hash, `${name}: chunk size 1`);
    assert.is((await descent.simulate(cfg, { chunkSize: 7 })).hash, one.hash, `${name}: chunk size 7`);
    assert.is((await descent.simulate(cfg, { workers: 2, chunkSize: 9 })).hash, one.hash, `${name}: workers`);
  }
});

s('perturbedGD draws depend on every bit of the seed (low words ≥ 2³¹ included)', async () => {
  const run = (seed: number) => descent.simulate({ landscape: L.saddle(), optimizer: O.perturbedGD({ lr: 0, gThres: 1, radius: 1 }), init: I.point({ x: [0, 0] }), particles: 2, steps: 1, seed });
  const xs = await Promise.all([3e9, 3e9 + 1, 2 ** 32 + 5, 5].map(async (seed) => JSON.stringify(Array.from((await run(seed)).x))));
  assert.is(new Set(xs).size, 4, xs.join(' | '));
});

s('configs are frozen JSON data and rebuild through fromJSON; defaults', () => {
  const all = [O.sam({ lr: 0.1 }), O.perturbedGD({ lr: 0.1, gThres: 1e-3, radius: 0.01 }), O.newtonCG(), O.naturalGradient({ lr: 0.5 }), O.saddleFreeNewton()];
  for (const o of all) {
    assert.ok(Object.isFrozen(o) && Object.isFrozen(o.params), o.kind);
    assert.equal(O.fromJSON(JSON.parse(JSON.stringify(o))), o, o.kind);
    assert.ok(O.kinds.includes(o.kind), o.kind);
  }
  assert.equal(all[0].params, { lr: 0.1, rho: 0.05, momentum: 0, adaptive: false });
  assert.equal(all[1].params, { lr: 0.1, gThres: 1e-3, tThres: 10, radius: 0.01 });
  assert.equal(all[2].params, { lr: 1, damping: 0, cgIters: 50, cgTol: 1e-6, lineSearch: false, negativeCurvature: 'stop' });
  assert.equal(all[3].params, { lr: 0.5, damping: 1e-3, cgIters: 50, cgTol: 1e-6, fisher: 'true' });
  assert.equal(all[4].params, { lr: 1, damping: 1e-3, k: 10 });
});

s('bad input: DescentError with a code and a path', async () => {
  throwsDescent(() => O.sam({ lr: -1 }), 'E_CONFIG', 'optimizers.sam.lr');
  throwsDescent(() => O.sam({ lr: 0.1, rho: -0.1 }), 'E_CONFIG', 'optimizers.sam.rho');
  throwsDescent(() => O.sam({ lr: 0.1, adaptive: 1 as unknown as boolean }), 'E_CONFIG', 'optimizers.sam.adaptive');
  throwsDescent(() => O.sam({ lr: 0.1, nesterov: true } as never), 'E_CONFIG', 'optimizers.sam.nesterov');
  throwsDescent(() => O.perturbedGD({ lr: 0.1, radius: 0.1 } as never), 'E_CONFIG', 'optimizers.perturbedGD.gThres');
  throwsDescent(() => O.perturbedGD({ lr: 0.1, gThres: 0.1, radius: 0 }), 'E_CONFIG', 'optimizers.perturbedGD.radius');
  throwsDescent(() => O.perturbedGD({ lr: 0.1, gThres: 0.1, radius: 1, tThres: 0 }), 'E_CONFIG', 'optimizers.perturbedGD.tThres');
  throwsDescent(() => O.perturbedGD({ lr: 0.1, gThres: NaN, radius: 1 }), 'E_CONFIG', 'optimizers.perturbedGD.gThres');
  throwsDescent(() => O.newtonCG({ cgIters: 0 }), 'E_CONFIG', 'optimizers.newtonCG.cgIters');
  throwsDescent(() => O.newtonCG({ cgIters: 2.5 }), 'E_CONFIG', 'optimizers.newtonCG.cgIters');
  throwsDescent(() => O.newtonCG({ damping: -1 }), 'E_CONFIG', 'optimizers.newtonCG.damping');
  throwsDescent(() => O.newtonCG({ cgTol: Infinity }), 'E_CONFIG', 'optimizers.newtonCG.cgTol');
  throwsDescent(() => O.newtonCG({ negativeCurvature: 'flip' as never }), 'E_CONFIG', 'optimizers.newtonCG.negativeCurvature');
  throwsDescent(() => O.newtonCG({ lineSearch: 'armijo' as never }), 'E_CONFIG', 'optimizers.newtonCG.lineSearch');
  throwsDescent(() => O.naturalGradient({} as never), 'E_CONFIG', 'optimizers.naturalGradient.lr');
  throwsDescent(() => O.naturalGradient({ lr: 1, fisher: 'exact' as never }), 'E_CONFIG', 'optimizers.naturalGradient.fisher');
  throwsDescent(() => O.saddleFreeNewton({ k: 0 }), 'E_CONFIG', 'optimizers.saddleFreeNewton.k');
  throwsDescent(() => O.saddleFreeNewton({ k: 1001 }), 'E_CONFIG', 'optimizers.saddleFreeNewton.k');
  throwsDescent(() => O.saddleFreeNewton({ lr: NaN }), 'E_CONFIG', 'optimizers.saddleFreeNewton.lr');
  // Natural gradient needs a Fisher: finite-sum models and simplexKL (true Fisher) only.
  const run = (landscape: descent.Landscape, optimizer: descent.optimizers.Optimizer) =>
    descent.simulate({ landscape, optimizer, init: I.point({ x: new Array(landscape.dim).fill(0.2) }), particles: 2, steps: 1, seed: 1 });
  for (const bad of [L.rosenbrock(), L.quadratic({ A: [[1]] }), L.scale(M.simplexKL({ target: [0.5, 0.5] }), 2)]) {
    try { await run(bad, O.naturalGradient({ lr: 1 })); assert.unreachable(`accepted ${bad.kind}`); } catch (e) {
      const err = e as descent.DescentError;
      assert.is(err.code, 'E_CONFIG', String(e));
      assert.is(err.path, 'simulate.optimizer');
    }
  }
  try { await run(M.simplexKL({ target: [0.3, 0.7] }), O.naturalGradient({ lr: 1, fisher: 'empirical' })); assert.unreachable('empirical Fisher on simplexKL'); } catch (e) {
    assert.is((e as descent.DescentError).path, 'simulate.optimizer.params.fisher');
  }
  // minimize has no landscape inside the step: it refuses them, pointing to simulate.
  for (const o of [O.sam({ lr: 0.1 }), O.newtonCG(), O.saddleFreeNewton(), O.perturbedGD({ lr: 0.1, gThres: 0.1, radius: 0.1 })]) {
    try { await descent.minimize(L.rosenbrock(), o, [0, 0], { steps: 2 }); assert.unreachable(`minimize accepted ${o.kind}`); } catch (e) {
      assert.is((e as descent.DescentError).code, 'E_CONFIG', String(e));
      assert.match((e as Error).message, /simulate/);
    }
  }
});

s.run();
