// Property test (fast-check): thousands of random configs and arguments, valid and invalid, fed
// to every factory and method. The only exception ever thrown is a DescentError with a code and
// a path, and valid configs never throw. Runs are seeded, so failures reproduce.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import * as descent from '../src/index.ts';

const prop = suite('property: only DescentErrors, valid configs never throw');
prop.before(() => descent.init());

const SEED = 20261123;
const RUNS = 400;

/** Anything at all: where a field is fuzzed, it gets one of these. */
const junk = fc.oneof(
  fc.double(), fc.integer({ min: -5, max: 12 }), fc.constantFrom(NaN, Infinity, -Infinity, -0, 2 ** 53, 1e308),
  fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null), fc.constant(undefined),
  fc.array(fc.double({ min: -3, max: 3 }), { maxLength: 4 }),
  fc.array(fc.array(fc.double({ min: -3, max: 3 }), { maxLength: 3 }), { maxLength: 3 }),
  fc.constant({}), fc.constant(new Float64Array(2)), fc.bigInt(),
);

const finite = (min = -3, max = 3) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const dim = fc.integer({ min: 1, max: 6 });

/** Valid configs per kind. */
const valid: Record<string, fc.Arbitrary<unknown>> = {
  rosenbrock: fc.record({ dim: fc.integer({ min: 2, max: 6 }), a: finite(), b: finite(0, 200) }, { requiredKeys: [] }),
  rastrigin: fc.record({ dim, A: finite(0, 20) }, { requiredKeys: [] }),
  ackley: fc.record({ dim, a: finite(0, 30), b: finite(0.01, 1), c: finite(0, 7) }, { requiredKeys: [] }),
  styblinskiTang: fc.record({ dim }, { requiredKeys: [] }),
  expression: fc.oneof(
    fc.record({ expr: fc.constantFrom('x^2 + y^2', 'a*sin(x)*exp(-y^2)', 'log1p(x^2) - atan(y)'), params: fc.record({ a: finite() }) }),
    dim.chain((d) => fc.record({ expr: fc.constant('sum(i, 0, d-1, a*x[i]^2 + cos(x[i]))'), dim: fc.constant(d), params: fc.record({ a: finite() }) })),
  ),
  beale: fc.constant({}), himmelblau: fc.constant(undefined), mullerBrown: fc.constant({}), sixHumpCamel: fc.constant({}), monkeySaddle: fc.constant({}),
  quadratic: fc.oneof(
    dim.chain((d) => fc.record({
      A: fc.array(fc.array(finite(), { minLength: d, maxLength: d }), { minLength: d, maxLength: d })
        .map((m) => m.map((row, i) => row.map((_, j) => (m[i][j] + m[j][i]) / 2))),
      b: fc.array(finite(), { minLength: d, maxLength: d }), c: finite(),
    }, { requiredKeys: ['A'] })),
    dim.chain((d) => fc.record({
      eigenvalues: fc.array(finite(-5, 5), { minLength: d, maxLength: d }), seed: fc.nat(),
      center: fc.array(finite(), { minLength: d, maxLength: d }),
    }, { requiredKeys: ['eigenvalues', 'seed'] })),
  ),
  polynomial: fc.oneof(
    fc.record({ coefficients: fc.array(finite(), { minLength: 1, maxLength: 6 }), dim }, { requiredKeys: ['coefficients'] }),
    fc.record({ coefficients: fc.array(fc.array(finite(), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }) }),
  ),
  doubleWell: fc.record({ dim, depth: finite(0.01, 5), a: finite(0.1, 3), tilt: finite(), stiffness: finite(0, 5) }, { requiredKeys: [] }),
  multiWell: fc.tuple(fc.integer({ min: 1, max: 4 }), dim).chain(([K, d]) => fc.record({
    centers: fc.array(fc.array(finite(), { minLength: d, maxLength: d }), { minLength: K, maxLength: K }),
    depths: fc.array(finite(0.01, 3), { minLength: K, maxLength: K }),
    widths: fc.array(finite(0.05, 3), { minLength: K, maxLength: K }),
    stiffness: finite(0, 2),
  }, { requiredKeys: ['centers', 'depths', 'widths'] })),
  saddle: dim.chain((d) => fc.oneof(
    fc.record({ dim: fc.constant(d), negative: fc.integer({ min: 0, max: d }), quartic: finite(0, 2) }, { requiredKeys: ['dim'] }),
    fc.record({ curvatures: fc.array(finite(), { minLength: d, maxLength: d }), quartic: finite(0, 2) }, { requiredKeys: ['curvatures'] }),
  )),
  gaussianMixture: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).chain(([K, d]) => fc.record({
    means: fc.array(fc.array(finite(), { minLength: d, maxLength: d }), { minLength: K, maxLength: K }),
    weights: fc.array(finite(0.01, 5), { minLength: K, maxLength: K }),
    stds: fc.array(finite(0.1, 3), { minLength: K, maxLength: K }),
  }, { requiredKeys: ['means'] })),
};

/** Call, and insist that anything thrown is a well-formed DescentError. */
function onlyDescentErrors(call: () => unknown): 'ok' | 'threw' {
  try {
    call();
    return 'ok';
  } catch (e) {
    if (!(e instanceof descent.DescentError)) throw new Error(`non-DescentError escaped: ${String(e)}`);
    if (!['E_CONFIG', 'E_INPUT', 'E_MEMORY'].includes(e.code)) throw new Error(`unexpected code ${e.code}: ${e.message}`);
    if (e.code !== 'E_MEMORY' && !e.path) throw new Error(`no path on: ${e.message}`);
    return 'threw';
  }
}

/** Exercise every method of a landscape with sensible and fuzzed arguments. */
function exercise(f: descent.Landscape, x: number[], v: number[], fuzz: unknown): void {
  const ok = (r: 'ok' | 'threw', what: string) => assert.is(r, 'ok', `${f.kind}.${what} threw on valid input`);
  ok(onlyDescentErrors(() => f.value(x)), 'value');
  ok(onlyDescentErrors(() => f.valueAndGrad(x)), 'valueAndGrad');
  ok(onlyDescentErrors(() => f.hvp(x, v)), 'hvp');
  ok(onlyDescentErrors(() => f.hessian(x)), 'hessian');
  ok(onlyDescentErrors(() => f.gradBatch([...x, ...v])), 'gradBatch');
  ok(onlyDescentErrors(() => descent.landscapes.fromJSON(JSON.parse(JSON.stringify(f)))), 'fromJSON');
  for (const call of [() => f.value(fuzz as never), () => f.grad(x, fuzz as never), () => f.hvp(fuzz as never, v),
    () => f.valueBatch(fuzz as never), () => f.hvpBatch(x, fuzz as never), () => f.hessian(x, fuzz as never)]) {
    onlyDescentErrors(call);
  }
}

for (const kind of descent.landscapes.kinds) {
  prop(`${kind}: valid configs build, every method works, fuzzed arguments only raise DescentError`, () => {
    fc.assert(fc.property(valid[kind], fc.array(finite(-4, 4), { minLength: 8, maxLength: 8 }), junk, (config, nums, fuzz) => {
      let f: descent.Landscape | undefined;
      assert.is(onlyDescentErrors(() => { f = (descent.landscapes as never as Record<string, (c: unknown) => descent.Landscape>)[kind](config); }), 'ok',
        `valid config rejected: ${JSON.stringify(config)}`);
      const d = f!.dim;
      const x = Array.from({ length: d }, (_, i) => nums[i % 8]);
      const v = Array.from({ length: d }, (_, i) => nums[(i + 3) % 8]);
      exercise(f!, x, v, fuzz);
    }), { seed: SEED, numRuns: RUNS });
  });

  prop(`${kind}: configs with a fuzzed field throw only DescentError E_CONFIG with a path`, () => {
    fc.assert(fc.property(valid[kind], fc.constantFrom('dim', 'a', 'b', 'c', 'A', 'eigenvalues', 'seed', 'center', 'coefficients',
      'depth', 'depths', 'widths', 'centers', 'negative', 'curvatures', 'quartic', 'means', 'weights', 'stds', 'covariances', 'tilt', 'stiffness', 'expr',
      'params', 'bogus'), junk,
    (config, field, value) => {
      const broken = { ...(config as object ?? {}), [field]: value };
      onlyDescentErrors(() => (descent.landscapes as never as Record<string, (c: unknown) => descent.Landscape>)[kind](broken));
      onlyDescentErrors(() => (descent.landscapes as never as Record<string, (c: unknown) => descent.Landscape>)[kind](value));
    }), { seed: SEED, numRuns: RUNS });
  });
}

prop('random.* with fuzzed requests throws only DescentError', () => {
  fc.assert(fc.property(fc.constantFrom('seed', 'stream', 'particle', 'step', 'offset', 'count', 'zzz'), junk, (field, value) => {
    onlyDescentErrors(() => descent.random.normal({ seed: 1, count: 3, [field]: value } as never));
    onlyDescentErrors(() => descent.random.uniform(value as never));
  }), { seed: SEED, numRuns: RUNS });
});

prop.run();
