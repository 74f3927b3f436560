// Fuzz campaign over the factories and entry points the landscape property test
// (test/property.test.ts) does not reach: every optimiser, sampler, noise, init and schedule
// factory, and simulate, minimize, the spectral and diagnostics entry points, fed configs with one
// field replaced by junk (and junk in place of the whole config). Asserted for every case: the
// only thing thrown is a DescentError with a known code and (except E_MEMORY) a path — never a
// TypeError, RangeError or a trap (E_TRAP) — and no call hangs (each awaits its result). After the
// campaign a reference run gives the hash it gave before: nothing the fuzz did corrupted the
// module's state. Seeded: failures reproduce. Together with property.test.ts over 10⁴ cases.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import * as descent from '../src/index.ts';

const fuzz = suite('fuzz: every factory and entry point raises only DescentErrors');
fuzz.before(() => descent.init());

const SEED = 20261204;
const CODES = ['E_CONFIG', 'E_INPUT', 'E_MEMORY'];

const junk = fc.oneof(
  fc.double(), fc.integer({ min: -5, max: 12 }), fc.constantFrom(NaN, Infinity, -Infinity, -0, 2 ** 53, 1e308, 1e-320),
  fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null), fc.constant(undefined),
  fc.array(fc.double({ min: -3, max: 3 }), { maxLength: 4 }), fc.constant({}), fc.constant([]), fc.bigInt(),
  fc.constant(Object.create(null)), fc.constant(new Float64Array(2)), fc.constant(() => 1),
);

/** Call (sync or async) and insist that anything thrown is a well-formed DescentError. */
async function onlyDescentErrors(what: string, call: () => unknown): Promise<'ok' | 'threw'> {
  try {
    await call();
    return 'ok';
  } catch (e) {
    if (!(e instanceof descent.DescentError)) throw new Error(`${what}: non-DescentError escaped: ${e instanceof Error ? e.stack : String(e)}`);
    if (!CODES.includes(e.code)) throw new Error(`${what}: unexpected code ${e.code}: ${e.message}`);
    if (e.code !== 'E_MEMORY' && !e.path) throw new Error(`${what}: no path on: ${e.message}`);
    return 'threw';
  }
}

type Factory = (c?: unknown) => unknown;
const O = descent.optimizers as unknown as Record<string, Factory>;
const S = descent.samplers as unknown as Record<string, Factory>;
const N = descent.noise as unknown as Record<string, Factory>;
const I = descent.inits as unknown as Record<string, Factory>;
const Sc = descent.schedules as unknown as Record<string, Factory>;

/** A valid config per factory (2-d where a dimension matters), and the fields worth breaking. */
const factories: Array<[string, Factory, Record<string, unknown> | undefined]> = [
  ...['sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'nadam', 'lion', 'heavyBall', 'nesterovGD', 'sam', 'perturbedGD', 'newtonCG', 'naturalGradient', 'saddleFreeNewton']
    .map((k) => [`optimizers.${k}`, O[k], { lr: 0.01 }] as [string, Factory, Record<string, unknown>]),
  ...['ula', 'underdamped', 'mala', 'sgld', 'svgd'].map((k) => [`samplers.${k}`, S[k], { temperature: 1 }] as [string, Factory, Record<string, unknown>]),
  ['noise.gaussian', N.gaussian, { sigma: 0.1 }], ['noise.lossScaled', N.lossScaled, { sigma: 0.1 }],
  ['noise.heavyTailed', N.heavyTailed, { sigma: 0.1, nu: 3 }], ['noise.hessianAligned', N.hessianAligned, { sigma: 0.1 }],
  ['noise.minibatch', N.minibatch, { batchSize: 2 }], ['noise.labelNoise', N.labelNoise, { sigma: 0.1 }], ['noise.none', N.none, undefined],
  ['inits.point', I.point, { x: [0, 0] }], ['inits.normal', I.normal, { mean: [0, 0], std: 1 }], ['inits.uniform', I.uniform, { low: [0, 0], high: [1, 1] }],
  ['inits.grid', I.grid, { low: [0, 0], high: [1, 1], counts: [2, 2] }], ['inits.array', I.array, { points: [[0, 0], [1, 1]] }],
  ['schedules.constant', Sc.constant, { lr: 0.1 }], ['schedules.step', Sc.step, { lr: 0.1, stepSize: 2 }], ['schedules.exponential', Sc.exponential, { lr: 0.1, gamma: 0.9 }],
  ['schedules.cosine', Sc.cosine, { lr: 0.1, steps: 10 }], ['schedules.inverseTime', Sc.inverseTime, { lr: 0.1, gamma: 0.5 }], ['schedules.array', Sc.array, { values: [0.1, 0.2] }],
];
const FIELDS = ['lr', 'momentum', 'betas', 'eps', 'weightDecay', 'maximize', 'nesterov', 'dampening', 'beta', 'temperature', 'sigma', 'nu', 'anneal',
  'batchSize', 'replacement', 'x', 'mean', 'std', 'covariance', 'low', 'high', 'counts', 'points', 'stepSize', 'gamma', 'steps', 'values', 'rho', 'bogus'];

let referenceHash = '';
const reference = () => ({ ...base(), particles: 100, steps: 20, seed: 7 }) as never;

fuzz('before the campaign: the reference run', async () => {
  referenceHash = (await descent.simulate(reference()) as descent.EnsembleResult).hash;
  assert.match(referenceHash, /^[0-9a-f]{16}$/);
});

fuzz('factories: a fuzzed field, or junk for the whole config, raises only DescentErrors', async () => {
  await fc.assert(fc.asyncProperty(fc.constantFrom(...factories), fc.constantFrom(...FIELDS), junk, async ([name, make, config], field, value) => {
    await onlyDescentErrors(`${name}({ ${field}: … })`, () => make({ ...(config ?? {}), [field]: value }));
    await onlyDescentErrors(`${name}(junk)`, () => make(value));
  }), { seed: SEED, numRuns: 4000 });
});

const base = (): Record<string, unknown> => ({
  landscape: descent.landscapes.rosenbrock(), optimizer: descent.optimizers.sgd({ lr: 1e-3 }), noise: descent.noise.gaussian({ sigma: 0.1 }),
  init: descent.inits.point({ x: [0, 0] }), particles: 3, steps: 2, seed: 1, record: { every: 1 },
});
const SIM_FIELDS = ['landscape', 'optimizer', 'noise', 'init', 'particles', 'steps', 'seed', 'record', 'stop', 'divergenceBound', 'track', 'bogus'];
const OPTION_FIELDS = ['chunkSize', 'memoryLimit', 'workers', 'shard', 'keepParticles', 'onParticles', 'onProgress', 'signal', 'bogus'];

fuzz('simulate: a fuzzed config field or option raises only DescentErrors', async () => {
  await fc.assert(fc.asyncProperty(fc.constantFrom(...SIM_FIELDS), fc.constantFrom(...OPTION_FIELDS), junk, fc.boolean(), async (field, option, value, onConfig) => {
    // Workers are left out of the fuzzed options: spawning hundreds of them is a load test, not a fuzz case.
    if (!onConfig && option === 'workers') return;
    const config = onConfig ? { ...base(), [field]: value } : base();
    const opts = onConfig ? {} : { [option]: value };
    await onlyDescentErrors(`simulate(${onConfig ? field : `options.${option}`})`, () => descent.simulate(config as never, opts as never));
  }), { seed: SEED, numRuns: 1500 });
});

fuzz('minimize, spectral and diagnostics: fuzzed arguments raise only DescentErrors', async () => {
  const f = descent.landscapes.rosenbrock();
  const run = await descent.simulate({ ...base(), particles: 8, steps: 4 } as never) as descent.EnsembleResult;
  const calls: Array<[string, (v: unknown) => unknown]> = [
    ['minimize(f, opt, x0)', (v) => descent.minimize(f, descent.optimizers.sgd({ lr: 1e-3 }), v as never, { steps: 3 })],
    ['minimize(options)', (v) => descent.minimize(f, descent.optimizers.sgd({ lr: 1e-3 }), [0, 0], v as never)],
    ['minimize(optimizer)', (v) => descent.minimize(f, v as never, [0, 0], { steps: 3 })],
    ['spectral.topEigenvalues', (v) => descent.spectral.topEigenvalues(descent.spectral.hessianOp(f, [0, 0]), v as never)],
    ['spectral.hessianOp', (v) => descent.spectral.hessianOp(f, v as never)],
    ['spectral.density', (v) => descent.spectral.density(descent.spectral.hessianOp(f, [0, 0]), v as never)],
    ['spectral.trace', (v) => descent.spectral.trace(descent.spectral.hessianOp(f, [0, 0]), v as never)],
    ['spectral.denseOp', (v) => descent.spectral.denseOp(v as never)],
    ['diagnostics.moments', (v) => descent.diagnostics.moments(v as never, { dim: 2 })],
    ['diagnostics.moments(config)', (v) => descent.diagnostics.moments([1, 2, 3, 4], v as never)],
    ['diagnostics.exitTimes', (v) => descent.diagnostics.exitTimes(run, v as never)],
    ['diagnostics.autocorrelation', (v) => descent.diagnostics.autocorrelation(v as never)],
    ['diagnostics.mmd', (v) => descent.diagnostics.mmd(v as never, [0, 1], { dim: 1 })],
    ['diagnostics.mmd(config)', (v) => descent.diagnostics.mmd([0, 1, 2], [0, 1], v as never)],
    ['hashFloat64', (v) => descent.hashFloat64(v as never)],
    ['configFromJSON', (v) => descent.configFromJSON(v as never)],
    ['landscapes.fromJSON', (v) => descent.landscapes.fromJSON(v as never)],
  ];
  await fc.assert(fc.asyncProperty(fc.constantFrom(...calls), junk, async ([name, call], value) => {
    await onlyDescentErrors(name, () => call(value));
  }), { seed: SEED, numRuns: 1500 });
});

fuzz('after the campaign, the reference run gives the hash it gave before', async () => {
  assert.is((await descent.simulate(reference()) as descent.EnsembleResult).hash, referenceHash);
});

fuzz.run();
