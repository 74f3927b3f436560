// Bad configs, traps and memory limits: always a DescentError with a stable code and a path.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { throwsDescent } from './util.ts';

const errors = suite('errors');
errors.before(() => descent.init());
const L = descent.landscapes;

// [what, call, path]: each config breaks one rule.
const badConfigs: [string, () => unknown, string][] = [
  ['dim not an integer', () => L.rosenbrock({ dim: 2.5 }), 'rosenbrock.dim'],
  ['rosenbrock needs dim ≥ 2', () => L.rosenbrock({ dim: 1 }), 'rosenbrock.dim'],
  ['NaN parameter', () => L.rosenbrock({ b: NaN }), 'rosenbrock.b'],
  ['string parameter', () => L.rastrigin({ A: '10' as never }), 'rastrigin.A'],
  ['unknown option (typo)', () => L.ackley({ dimm: 2 } as never), 'ackley.dimm'],
  ['options on a fixed 2-d function', () => L.beale({ dim: 3 } as never), 'beale.dim'],
  ['config not an object', () => L.himmelblau(5 as never), 'himmelblau'],
  ['quadratic without A or eigenvalues', () => L.quadratic({} as never), 'quadratic'],
  ['quadratic with both forms', () => L.quadratic({ A: [[1]], eigenvalues: [1], seed: 1 } as never), 'quadratic'],
  ['non-square A', () => L.quadratic({ A: [[1, 2], [3, 4], [5, 6]] }), 'quadratic.A'],
  ['ragged A', () => L.quadratic({ A: [[1, 2], [3]] }), 'quadratic.A[1]'],
  ['asymmetric A', () => L.quadratic({ A: [[1, 2], [3, 4]] }), 'quadratic.A'],
  ['b of the wrong length', () => L.quadratic({ A: [[1, 0], [0, 1]], b: [1] }), 'quadratic.b'],
  ['non-finite entry of A', () => L.quadratic({ A: [[1, Infinity], [Infinity, 1]] }), 'quadratic.A[0][1]'],
  ['seed with A', () => L.quadratic({ A: [[1]], seed: 1 } as never), 'quadratic.seed'],
  ['negative seed', () => L.quadratic({ eigenvalues: [1, 2], seed: -3 }), 'quadratic.seed'],
  ['empty spectrum', () => L.quadratic({ eigenvalues: [], seed: 1 }), 'quadratic.eigenvalues'],
  ['center of the wrong length', () => L.quadratic({ eigenvalues: [1, 2], seed: 1, center: [0] }), 'quadratic.center'],
  ['empty coefficients', () => L.polynomial({ coefficients: [] }), 'polynomial.coefficients'],
  ['dim disagrees with per-coordinate coefficients', () => L.polynomial({ coefficients: [[1], [2]], dim: 3 }), 'polynomial.dim'],
  ['depth ≤ 0', () => L.doubleWell({ depth: 0 }), 'doubleWell.depth'],
  ['negative stiffness', () => L.doubleWell({ stiffness: -1 }), 'doubleWell.stiffness'],
  ['depths of the wrong length', () => L.multiWell({ centers: [[0], [1]], depths: [1], widths: [1, 1] }), 'multiWell.depths'],
  ['zero width', () => L.multiWell({ centers: [[0], [1]], depths: [1, 1], widths: [1, 0] }), 'multiWell.widths[1]'],
  ['negative > dim', () => L.saddle({ dim: 2, negative: 3 }), 'saddle.negative'],
  ['curvatures and negative', () => L.saddle({ curvatures: [1, -1], negative: 1 }), 'saddle.negative'],
  ['curvatures vs dim', () => L.saddle({ dim: 3, curvatures: [1, -1] }), 'saddle.curvatures'],
  ['negative quartic', () => L.saddle({ quartic: -1 }), 'saddle.quartic'],
  ['zero weight', () => L.gaussianMixture({ means: [[0], [1]], weights: [1, 0] }), 'gaussianMixture.weights[1]'],
  ['stds and covariances', () => L.gaussianMixture({ means: [[0]], stds: [1], covariances: [[[1]]] }), 'gaussianMixture.covariances'],
  ['indefinite covariance', () => L.gaussianMixture({ means: [[0, 0]], covariances: [[[1, 2], [2, 1]]] }), 'gaussianMixture.covariances[0]'],
  ['means of unequal length', () => L.gaussianMixture({ means: [[0, 0], [1]] }), 'gaussianMixture.means[1]'],
  ['fromJSON of an unknown kind', () => L.fromJSON({ kind: 'rosenbrok', params: {} }), 'landscape.kind'],
];

for (const [what, call, path] of badConfigs) {
  errors(`E_CONFIG: ${what} (${path})`, () => throwsDescent(call, 'E_CONFIG', path));
}

errors('messages name the field, the rule and the value', () => {
  try {
    L.rosenbrock({ dim: 1.5 });
  } catch (e) {
    const err = e as descent.DescentError;
    assert.is(err.message, 'rosenbrock.dim must be an integer ≥ 2 and ≤ 16777216, got 1.5');
    assert.is(err.expected, 'an integer ≥ 2 and ≤ 16777216');
    assert.is(err.actual, 1.5);
    assert.instance(err, Error);
    return;
  }
  assert.unreachable();
});

errors('a wasm trap becomes E_TRAP, the instance is replaced, and the next call works', async () => {
  const f = descent.landscapes.rosenbrock();
  const before = descent.__testing.generation();
  throwsDescent(() => descent.__testing.trap(), 'E_TRAP');
  await descent.__testing.ready();
  assert.is(descent.__testing.generation(), before + 1);
  assert.is(f.value([1, 1]), 0);
  assert.is(descent.__testing.heapUsed(), 0);
});

errors('values that defeat JSON.stringify or String still get a DescentError describing them', () => {
  const O = descent.optimizers;
  const cyclic: unknown[] = [0.9, 0.99];
  cyclic.push(cyclic);
  const cases: [string, () => unknown, string, RegExp][] = [
    ['a BigInt for betas', () => O.nadam({ betas: 10n as never }), 'optimizers.nadam.betas', /got 10n$/],
    ['a cyclic betas array', () => O.adam({ betas: cyclic as never }), 'optimizers.adam.betas', /got an array of length 3$/],
    ['a BigInt kind', () => L.fromJSON({ kind: 10n }), 'landscape.kind', /got 10n$/],
    ['an object without a prototype for a flag', () => O.sgd({ lr: 0.1, maximize: Object.create(null) }), 'optimizers.sgd.maximize', /got an object$/],
    ['a symbol for an integrator', () => descent.samplers.underdamped({ stepSize: 0.1, friction: 1, integrator: Symbol('x') as never }), 'samplers.underdamped.integrator', /got a symbol$/],
    ['a symbol for a model kind', () => descent.models.fromJSON({ kind: Symbol('x') as never, params: {} } as never), 'kind', /unknown model kind a symbol/],
  ];
  for (const [what, call, path, message] of cases) {
    try {
      call();
      assert.unreachable(`${what}: expected a DescentError`);
    } catch (e) {
      const err = e as descent.DescentError;
      assert.is(err.name, 'DescentError', `${what}: ${String(err?.message)}`);
      assert.is(err.path, path, what);
      assert.match(err.message, message, what);
    }
  }
  assert.is(descent.__testing.describe(new Proxy([], { get() { throw new Error('trap'); } })), 'a value that cannot be inspected');
});

errors('large or odd inputs fail as DescentErrors, never as a stack overflow, RangeError, TypeError or NaN', async () => {
  // 2·10⁵ coordinates: a spread of that many arguments overflowed the stack in the factory.
  const p = L.polynomial({ coefficients: [0, 0, 1, 0, 1], dim: 2e5 });
  assert.is(p.value(new Float64Array(2e5).fill(1)), 4e5);
  // A 70 000² Hessian is 39 GB: past the memory limit, naming the dimension.
  throwsDescent(() => L.rastrigin({ dim: 70000 }).hessian(new Float64Array(70000)), 'E_MEMORY', 'rastrigin.dim');
  throwsDescent(() => descent.random.normal(null as never), 'E_CONFIG', 'random.normal');
  throwsDescent(() => descent.random.normal(7 as never), 'E_CONFIG', 'random.normal');
  let error: unknown;
  try { await descent.merge(new Array(3)); } catch (e) { error = e; }
  throwsDescent(() => { throw error; }, 'E_INPUT', 'merge: shards[0]');
  // σ = 1e-301 underflows 2σ² to 0 in the kernel: a density of NaN. σ is bounded instead.
  const op = descent.spectral.denseOp([[2, 0, 0], [0, 3, 0], [0, 0, 4]]);
  throwsDescent(() => descent.spectral.density(op, { sigma: 1e-301 }), 'E_CONFIG', 'spectral.density.sigma');
  throwsDescent(() => descent.spectral.density(op, { sigma: 1e200 }), 'E_CONFIG', 'spectral.density.sigma');
  const fine = descent.spectral.density(op, { probes: 2, lanczosSteps: 3, sigma: 1e-150, grid: [2, 3, 4] });
  assert.ok(Array.from(fine.density).every(Number.isFinite), Array.from(fine.density).join());
});

errors('a batch needing more memory than the limit is E_MEMORY before any work, saying how much', async () => {
  await descent.init({ memoryLimit: 1024 * 1024 });
  try {
    const f = descent.landscapes.rastrigin({ dim: 10 });
    try {
      f.gradBatch(new Float64Array(200000));
      assert.unreachable('expected E_MEMORY');
    } catch (e) {
      assert.is((e as descent.DescentError).code, 'E_MEMORY');
      assert.match((e as Error).message, /needs [\d.]+ MiB .* limit of 1\.00 MiB/);
      assert.is((e as descent.DescentError).path, 'rastrigin.gradBatch: xs', 'the argument that sets the size');
    }
    assert.is(f.gradBatch(new Float64Array(100)).length, 100); // small calls still fine
    throwsDescent(() => descent.random.uniform({ seed: 1, count: 2 ** 20 }), 'E_MEMORY', 'random.uniform.count');
    throwsDescent(() => descent.schedules.values(descent.schedules.constant({ lr: 1 }), 2 ** 20), 'E_MEMORY', 'schedules.values: count');
  } finally {
    await descent.init({ memoryLimit: 1024 ** 3 });
  }
  assert.is(descent.landscapes.rastrigin({ dim: 10 }).gradBatch(new Float64Array(200000)).length, 200000);
});

errors.run();
