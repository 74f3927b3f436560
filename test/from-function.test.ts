// landscapes.fromFunction: JS callbacks behind a wasm trampoline. Oracle: the built-in kernel the
// callbacks call — the ensemble gives its bits exactly (the engine sees the same gradients).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { rejectsDescent, throwsDescent } from './util.ts';

const L = descent.landscapes;
const test = suite('landscapes.fromFunction');
test.before(() => descent.init());

const twin = (f: descent.landscapes.Landscape, withHvp = true): descent.landscapes.Landscape =>
  L.fromFunction({
    dim: f.dim,
    value: (x) => f.value(x),
    grad: (x, out) => {
      f.grad(x, out);
    },
    ...(withHvp ? { hvp: (x: Float64Array, v: Float64Array) => f.hvp(x, v) } : {}),
  });

test('a callback landscape gives the values, gradients, HVPs and Hessian of what it calls', () => {
  const f = L.rosenbrock({ dim: 3 });
  const c = twin(f);
  const x = [0.3, -0.2, 1.1];
  assert.is(c.value(x), f.value(x));
  assert.equal(Array.from(c.grad(x)), Array.from(f.grad(x)));
  assert.equal(Array.from(c.hvp(x, [1, 0, 2])), Array.from(f.hvp(x, [1, 0, 2])));
  assert.equal(Array.from(c.hessian(x)), Array.from(f.hessian(x)));
  assert.equal(Array.from(c.valueBatch([x, [1, 1, 1]])), Array.from(f.valueBatch([x, [1, 1, 1]])));
});

test('simulate in this thread gives the built-in run bit for bit; workers are refused with E_CONFIG', async () => {
  const f = L.himmelblau();
  const cfg = (g: descent.landscapes.Landscape) => ({
    landscape: g, optimizer: descent.optimizers.adam({ lr: 0.01 }), noise: descent.noise.gaussian({ sigma: 0.1 }),
    init: descent.inits.uniform({ low: [-4, -4], high: [4, 4] }), particles: 301, steps: 30, seed: 12, record: { every: 10 },
  });
  const a = await descent.simulate(cfg(f));
  const b = await descent.simulate(cfg(twin(f)));
  assert.is(b.hash, a.hash);
  await rejectsDescent(descent.simulate(cfg(twin(f)), { workers: 2 }), 'E_CONFIG', 'simulate.options.workers');
});

test('minimize runs a callback landscape; an HVP without hvp is E_CONFIG; callback errors reach the caller', async () => {
  const f = L.quadratic({ A: [[2, 0], [0, 1]] });
  const m = await descent.minimize(twin(f, false), descent.optimizers.sgd({ lr: 0.1 }), [1, 1], { steps: 300 });
  assert.ok(Math.abs(m.x[0]) < 1e-8 && Math.abs(m.x[1]) < 1e-8);
  throwsDescent(() => twin(f, false).hvp([0, 0], [1, 0]), 'E_CONFIG', 'fromFunction.hvp');
  const boom = L.fromFunction({ dim: 1, value: () => 0, grad: () => { throw new RangeError('from the callback'); } });
  assert.throws(() => boom.grad([0]), (e: unknown) => e instanceof RangeError && e.message === 'from the callback');
});

test('validation', () => {
  throwsDescent(() => L.fromFunction({ dim: 0, value: () => 0, grad: () => {} }), 'E_CONFIG', 'fromFunction.dim');
  throwsDescent(() => L.fromFunction({ dim: 2, value: 3 as never, grad: () => {} }), 'E_CONFIG', 'fromFunction.value');
  throwsDescent(() => L.fromFunction({ dim: 2, value: () => 0, grad: () => {}, hvp: 'no' as never }), 'E_CONFIG', 'fromFunction.hvp');
  assert.equal(JSON.parse(JSON.stringify(L.fromFunction({ dim: 2, value: () => 0, grad: () => {} }))), { kind: 'fromFunction', params: { dim: 2 } });
});

test.run();
