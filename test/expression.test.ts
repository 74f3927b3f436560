// landscapes.expression (issue 18) against independent oracles:
//  - every built-in landscape written as an expression: value, gradient, HVP and Hessian agree with
//    the hand-written kernel to 1e-15 norm-wise relative (bit for bit where the formula is written
//    in the kernel's operation order);
//  - 20 random expressions against PyTorch autograd (test/fixtures/expressions.py → .json) to 1e-13;
//  - parse errors: DescentError E_CONFIG with the offset of the fault; domain errors are data;
//  - the compiled module's f64x2 pass over particle pairs gives the scalar pass's bits;
//  - it runs where a landscape runs: simulate (with workers), minimize, spectral, fromJSON.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import fixtures from './fixtures/expressions.json';
import { close, rng, throwsDescent, uniformArray } from './util.ts';

const L = descent.landscapes;
const test = suite('landscapes.expression');
test.before(() => descent.init());

interface Twin {
  name: string; builtin: () => descent.landscapes.Landscape; expr: string; dim?: number; params?: Record<string, number>; bitwiseValue?: boolean;
  /** Tolerance of HVPs and Hessians relative to their scale, where not 1e-15. */
  curvatureTol?: number;
}

const TWINS: Twin[] = [
  { name: 'rosenbrock 2-d', builtin: () => L.rosenbrock(), expr: 'b*(y-x*x)*(y-x*x) + (a-x)*(a-x)', params: { a: 1, b: 100 }, bitwiseValue: true },
  { name: 'rosenbrock 5-d (sum)', builtin: () => L.rosenbrock({ dim: 5, a: 0.5, b: 30 }), dim: 5,
    expr: 'sum(i, 0, d-2, b*(x[i+1]-x[i]^2)*(x[i+1]-x[i]^2) + (a-x[i])*(a-x[i]))', params: { a: 0.5, b: 30 }, bitwiseValue: true },
  { name: 'rastrigin 3-d', builtin: () => L.rastrigin({ dim: 3 }), dim: 3, expr: '10*d + sum(i, 0, d-1, x[i]^2 - 10*cos(2*pi*x[i]))' },
  { name: 'ackley 2-d', builtin: () => L.ackley(), expr: '-20*exp(-0.2*sqrt((x^2 + y^2)/2)) - exp((cos(2*pi*x) + cos(2*pi*y))/2) + 20 + exp(1)' },
  { name: 'styblinskiTang 4-d', builtin: () => L.styblinskiTang({ dim: 4 }), dim: 4, expr: '0.5*sum(i, 0, d-1, x[i]^4 - 16*x[i]^2 + 5*x[i])' },
  { name: 'beale', builtin: () => L.beale(), expr: '(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2' },
  { name: 'himmelblau', builtin: () => L.himmelblau(), expr: '(x^2 + y - 11)^2 + (x + y^2 - 7)^2' },
  { name: 'mullerBrown', builtin: () => L.mullerBrown(),
    expr: '-200*exp(-(x-1)^2 - 10*y^2) - 100*exp(-x^2 - 10*(y-0.5)^2) - 170*exp(-6.5*(x+0.5)^2 + 11*(x+0.5)*(y-1.5) - 6.5*(y-1.5)^2)' +
      ' + 15*exp(0.7*(x+1)^2 + 0.6*(x+1)*(y-1) + 0.7*(y-1)^2)' },
  { name: 'sixHumpCamel', builtin: () => L.sixHumpCamel(), expr: '(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2' },
  { name: 'doubleWell 3-d', builtin: () => L.doubleWell({ dim: 3, depth: 2, a: 1.5, tilt: 0.3, stiffness: 4 }), dim: 3,
    expr: '2*((x[0]/1.5)^2 - 1)^2 + 0.3*x[0] + 0.5*4*sum(i, 1, d-1, x[i]^2)' },
  { name: 'saddle 3-d', builtin: () => L.saddle({ dim: 3, negative: 1, quartic: 0.5 }), dim: 3,
    expr: 'sum(i, 0, d-1, 0.25*0.5*x[i]^4) + 0.5*(-x[0]^2 + x[1]^2 + x[2]^2)' },
  { name: 'monkeySaddle', builtin: () => L.monkeySaddle(), expr: 'x*x*x - 3*x*y*y', bitwiseValue: true },
  { name: 'quadratic 2-d', builtin: () => L.quadratic({ A: [[3, 1], [1, 2]], b: [0.5, -1], c: 2 }),
    expr: '0.5*(3*x*x + 2*x*y + 2*y*y) + 0.5*x - y + 2' },
  { name: 'multiWell 2-d', builtin: () => L.multiWell({ centers: [[-1, 0], [1, 0.5]], depths: [1, 2], widths: [0.5, 1], stiffness: 0.1 }),
    expr: '-exp(-((x+1)^2 + y^2)/(2*0.5^2)) - 2*exp(-((x-1)^2 + (y-0.5)^2)/(2*1^2)) + 0.5*0.1*(x^2 + y^2)' },
  { name: 'gaussianMixture 2-d', builtin: () => L.gaussianMixture({ means: [[-1, 0], [1, 1]], weights: [0.3, 0.7], stds: [0.7, 1.2] }),
    expr: '-log(0.3/(2*pi*0.7^2)*exp(-((x+1)^2 + y^2)/(2*0.7^2)) + 0.7/(2*pi*1.2^2)*exp(-((x-1)^2 + (y-1)^2)/(2*1.2^2)))',
    // The kernel's Hessian is Σ r_k Σ_k⁻¹ − Cov_r(Σ_k⁻¹(x − μ_k)) by responsibilities r; reverse mode through
    // log Σ reaches it in another order, where those terms cancel: measured 1.1e-15 of the scale.
    curvatureTol: 2e-15 },
  { name: 'polynomial 1-d', builtin: () => L.polynomial({ coefficients: [1, -2, 0, 0.5] }), expr: '1 - 2*x + 0.5*x^3' },
];

for (const t of TWINS) {
  test(`${t.name}: the expression is the built-in kernel (value, grad, hvp, hessian to 1e-15)`, () => {
    const f = t.builtin();
    const e = L.expression({ expr: t.expr, dim: t.dim, params: t.params });
    assert.is(e.dim, f.dim);
    const next = rng(t.name.length * 7919);
    const points = Array.from({ length: 5 }, () => [uniformArray(next, f.dim, -1.7, 1.7), uniformArray(next, f.dim)]);
    // Relative to each quantity's scale over the points (its largest |entry|): where a formula
    // cancels (x³ − 3xy² near its zero set) two orders of rounding differ by ulps of the terms,
    // not of the small result.
    const scale = (q: (x: Float64Array, v: Float64Array) => ArrayLike<number> | number): number =>
      Math.max(...points.map(([x, v]) => Math.max(...Array.from(typeof q(x, v) === 'number' ? [q(x, v) as number] : (q(x, v) as ArrayLike<number>), Math.abs))));
    const sv = scale((x) => f.value(x)), sg = scale((x) => f.grad(x)), sh = scale((x, v) => f.hvp(x, v)), sH = scale((x) => f.hessian(x));
    for (const [x, v] of points) {
      const what = `${t.name} at ${JSON.stringify(Array.from(x))}`;
      if (t.bitwiseValue) assert.is(e.value(x), f.value(x), `${what}: value bit for bit`);
      close(e.value(x), f.value(x), 0, `${what}: value`, 1e-15 * sv);
      close(e.grad(x), f.grad(x), 0, `${what}: grad`, 1e-15 * sg);
      close(e.hvp(x, v), f.hvp(x, v), 0, `${what}: hvp`, (t.curvatureTol ?? 1e-15) * sh);
      close(e.hessian(x), f.hessian(x), 0, `${what}: hessian`, (t.curvatureTol ?? 1e-15) * sH);
    }
  });
}

interface Point { x: number[]; v: number[]; value: number; grad: number[]; hvp: number[]; hessian: number[] }
const cases = (fixtures as { cases: { expr: string; dim: number; points: Point[] }[] }).cases;

test('20 random expressions agree with PyTorch autograd (value, grad, hvp, hessian to 1e-13)', () => {
  assert.is(cases.length, 20);
  for (const c of cases) {
    const e = L.expression({ expr: c.expr, dim: c.dim });
    for (const p of c.points) {
      const at = `${c.expr} at ${JSON.stringify(p.x)}`;
      close(e.value(p.x), p.value, 1e-13, `${at}: value`, 1e-300);
      close(e.grad(p.x), p.grad, 1e-13, `${at}: grad`, 1e-300);
      close(e.hvp(p.x, p.v), p.hvp, 1e-13, `${at}: hvp`, 1e-300);
      close(e.hessian(p.x), p.hessian, 1e-13, `${at}: hessian`, 1e-300);
    }
  }
});

test('finite differences: a nested sum and a product with a zero factor', () => {
  // f = Σ_i Σ_j x_i x_j cos(x_i − x_j)  and  g = Π_i (x_i − 0.5): at x₁ = 0.5 a factor is 0 (no division in the rule).
  const f = L.expression({ expr: 'sum(i, 0, d-1, sum(j, 0, i, x[i]*x[j]*cos(x[i]-x[j])))', dim: 4 });
  const g = L.expression({ expr: 'prod(i, 0, d-1, x[i] - 0.5)', dim: 3 });
  const x = [0.3, -0.8, 1.1, 0.4];
  const h = 1e-6;
  const fd = (fn: descent.landscapes.Landscape, p: number[]): number[] =>
    p.map((_, j) => {
      const a = [...p], b = [...p];
      a[j] += h;
      b[j] -= h;
      return (fn.value(a) - fn.value(b)) / (2 * h);
    });
  close(f.grad(x), fd(f, x), 1e-8, 'nested sum grad vs central differences');
  const y = [0.2, 0.5, -0.7];
  assert.equal(Array.from(g.grad(y)), [0, (0.2 - 0.5) * (-0.7 - 0.5), 0], 'product gradient at a zero factor: exact');
  // Hessian of Π: H_ij = Π_{k≠i,j}(x_k − ½) off the diagonal, 0 on it
  close(g.hessian(y), [0, -1.2, 0, -1.2, 0, -0.3, 0, -0.3, 0], 1e-15, 'product hessian');
});

test('the pair (f64x2) pass gives the scalar pass bit for bit: a batch in the ensemble layout vs one point at a time', async () => {
  const e = L.expression({ expr: 'sin(x*y) + log1p(x^2)*erf(y) + atan(x-y)^2 + max(x, y) + abs(y)', dim: 2 });
  const P = 7;
  const next = rng(5);
  const x0 = Array.from({ length: P }, () => Array.from(uniformArray(next, 2, -2, 2)));
  // one point at a time: the scalar pass (sp ≠ 8 for a single point of d = 2 in a row-major batch of one)
  const single = x0.map((p) => e.grad(p));
  // the same points as one run of a 7-particle ensemble for 1 step of SGD with lr 1: x₁ = x₀ − ∇f(x₀),
  // computed in blocks where particles are adjacent (pairs, then the odd one)
  const run = await descent.simulate({
    landscape: e,
    optimizer: descent.optimizers.sgd({ lr: 1 }),
    init: descent.inits.array({ points: x0 }),
    particles: P,
    steps: 1,
    seed: 1,
  });
  const x = (run as { x: Float64Array }).x;
  for (let i = 0; i < P; i++) {
    for (let j = 0; j < 2; j++) assert.is(x[i * 2 + j], x0[i][j] - single[i][j], `particle ${i} coordinate ${j}`);
  }
});

test('parse errors: E_CONFIG at the offset of the fault, with what was expected', () => {
  const at = (expr: string, position: number, dim?: number): void => {
    try {
      L.expression({ expr, dim });
    } catch (error) {
      const e = error as descent.DescentError;
      assert.is(e.code, 'E_CONFIG', `${expr}: ${e.message}`);
      assert.is(e.path, 'expression.expr', `${expr}: path`);
      assert.is(e.position, position, `${expr}: position (${e.message})`);
      return;
    }
    assert.unreachable(`${expr}: no error`);
  };
  at('1 + * x', 4);
  at('x + (y', 6);
  at('x ^ 2 )', 6);
  at('foo(x)', 0);
  at('x + z', 4);
  at('sum(i, 0, d-1, x[i+1])', 15, 3);
  at('x[1.5]', 2, 3);
  at('x #', 2);
  at('sin(x, y)', 0);
  at('sum(x, 0, 1, x)', 4, 2);
  at('2x', 1);
});

test('validation: dim inference, parameters and sizes', () => {
  assert.is(L.expression({ expr: 'x^2 + y^2' }).dim, 2);
  assert.is(L.expression({ expr: 'x^2' }).dim, 1);
  assert.is(L.expression({ expr: 'x[0] + x[4]' }).dim, 5);
  throwsDescent(() => L.expression({ expr: 'sum(i, 0, d-1, x[i])' }), 'E_CONFIG', 'expression.dim');
  throwsDescent(() => L.expression({ expr: 'a*x', params: { a: NaN } }), 'E_CONFIG', 'expression.params.a');
  throwsDescent(() => L.expression({ expr: 'x', params: { exp: 1 } }), 'E_CONFIG', 'expression.params.exp');
  throwsDescent(() => L.expression({ expr: '' }), 'E_CONFIG', 'expression.expr');
  throwsDescent(() => L.expression({ expr: 'x', dim: 0 }), 'E_CONFIG', 'expression.dim');
  throwsDescent(() => L.expression({ expr: 'x', bogus: 1 } as never), 'E_CONFIG', 'expression.bogus');
  throwsDescent(() => L.expression({ expr: 'sum(i, 0, 100000, sum(j, 0, 100000, x))' }), 'E_CONFIG', 'expression.expr');
  throwsDescent(() => L.expression({ expr: '('.repeat(500) + 'x' + ')'.repeat(500) }), 'E_CONFIG', 'expression.expr');
});

test('domain errors are data: √ of a negative is NaN, 1/0 is Infinity, and such particles diverge', async () => {
  const f = L.expression({ expr: 'sqrt(x) + 1/y' });
  assert.ok(Number.isNaN(f.value([-1, 1])));
  assert.ok(Number.isNaN(f.grad([-1, 1])[0]), '∂/∂x √x at x < 0 is NaN');
  assert.is(f.value([1, 0]), Infinity);
  const run = await descent.simulate({
    landscape: f,
    optimizer: descent.optimizers.sgd({ lr: 0.01 }),
    init: descent.inits.array({ points: [[-1, 1], [2, 1]] }),
    particles: 2,
    steps: 3,
    seed: 1,
  });
  assert.is(run.counts.diverged, 1);
});

test('a config round trip: JSON holds the string, fromJSON compiles the same function', async () => {
  const e = L.expression({ expr: '(a-x)^2 + b*(y-x^2)^2', params: { b: 100, a: 1 } });
  const json = JSON.parse(JSON.stringify(e));
  assert.equal(json, { kind: 'expression', params: { expr: '(a-x)^2 + b*(y-x^2)^2', dim: 2, params: { a: 1, b: 100 } } });
  const back = L.fromJSON(json);
  assert.equal(Array.from(back.grad([0.3, 0.4])), Array.from(e.grad([0.3, 0.4])));
  const cfg = { landscape: e, optimizer: descent.optimizers.adam({ lr: 0.01 }), particles: 64, steps: 20, seed: 9,
    init: descent.inits.normal({ mean: [0, 0], std: 1 }) };
  const a = await descent.simulate(cfg);
  const b = await descent.simulate(descent.configFromJSON(JSON.parse(JSON.stringify(cfg))));
  assert.is(b.hash, a.hash, 'the run replays from its JSON');
});

test('fromJSON refuses a callback landscape; kinds lists expression', () => {
  assert.ok(L.kinds.includes('expression'));
  throwsDescent(() => L.fromJSON({ kind: 'fromFunction', params: { dim: 2 } }), 'E_CONFIG', 'landscape.kind');
});

test('composites, minimize and spectral take an expression like any landscape', async () => {
  const e = L.expression({ expr: '0.5*(3*x^2 + y^2)' });
  const s = L.sum([e, L.quadratic({ A: [[1, 0], [0, 1]] })]);
  close(s.grad([1, 2]), [4, 4], 1e-15, 'sum of an expression and a quadratic');
  const m = await descent.minimize(e, descent.optimizers.sgd({ lr: 0.1 }), [1, 1], { steps: 200 });
  close(m.x, [0, 0], 0, 'minimize to the minimum', 1e-8);
  const top = descent.spectral.topEigenvalues(descent.spectral.hessianOp(e, [0.2, 0.1]), { k: 1 });
  close(top.eigenvalues, [3], 1e-12, 'Lanczos on the Hessian of an expression');
});

test('everything a landscape goes through: samplers, curvature-aware optimisers, Hessian-aligned noise, slices, shards', async () => {
  const e = L.expression({ expr: '0.5*(3*x^2 + y^2) + 0.1*sin(x*y)' });
  const base = { landscape: e, init: descent.inits.normal({ mean: [1, -1], std: 0.3 }), particles: 40, steps: 30, seed: 4 };
  const runs: Record<string, descent.SimulateConfig> = {
    newtonCG: { ...base, optimizer: descent.optimizers.newtonCG({ lr: 1 }) },
    saddleFreeNewton: { ...base, optimizer: descent.optimizers.saddleFreeNewton({ k: 2 }) },
    mala: { ...base, sampler: descent.samplers.mala({ stepSize: 0.05 }) },
    svgd: { ...base, sampler: descent.samplers.svgd({ stepSize: 0.05 }) },
    hessianAligned: { ...base, optimizer: descent.optimizers.sgd({ lr: 0.05 }), noise: descent.noise.hessianAligned({ sigma: 0.1 }) },
  };
  for (const [name, cfg] of Object.entries(runs)) {
    const r = (await descent.simulate(cfg)) as descent.EnsembleResult;
    assert.is(r.counts.diverged, 0, `${name}: nothing diverges`);
    assert.ok(Array.from(r.x).every(Number.isFinite), `${name}: finite positions`);
  }
  const newton = (await descent.simulate(runs.newtonCG)) as descent.EnsembleResult;
  assert.ok(Math.max(...Array.from(newton.x, Math.abs)) < 1e-8, 'Newton-CG (exact HVPs through the table) reaches the minimum at 0');
  // slices: a line through the minimum along x is the formula's own values
  const line = descent.slices.line(e, [0, 0], { direction: [1, 0], range: [-1, 1], resolution: 5 });
  close(line.loss, [1.5, 0.375, 0, 0.375, 1.5], 1e-15, 'line slice');
  // shards: two halves merge to the one-process summary's hash
  const cfg = { ...base, optimizer: descent.optimizers.sgd({ lr: 0.05 }), particles: 2000 };
  const whole = await descent.simulate(cfg, { keepParticles: false });
  const halves = await Promise.all([0, 1].map((index) => descent.simulate(cfg, { shard: { index, count: 2 } })));
  const merged = await descent.merge(halves as descent.ShardResult[]);
  assert.is(merged.hash, (whole as descent.EnsembleSummary).hash, 'shards of an expression run merge to the whole run');
});

test.run();
