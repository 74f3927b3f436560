// Every kind id, descriptor slot and hyperparameter offset that TypeScript copies from assembly/
// against the module's own value: the wasm exports them all in one static table (layoutTable,
// assembly/layout.ts: group count, then per group its count and values), and this file lists the
// same groups in the same order, each entry named by its assembly constant and giving every
// TypeScript mirror of it. A test fails with the name of the first entry that differs, or with
// the group whose count differs (a constant added on one side only).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { run } from '../bindings/engine.ts';
import { EXPORTS_HASH, exportsHash } from '../bindings/exports.ts';
import { LANDSCAPE_KINDS, KERNEL_KIND_COUNT } from '../bindings/kinds.ts';
import {
  D, MALA_ID, MH_ID, UNDERDAMPED_ID, STATUS, TRACK_SLOTS, finalWidth,
} from '../bindings/ensemble.ts';
import { CURVATURE_KINDS, SADDLE_FREE_NEWTON_K } from '../bindings/curvature.ts';
import { SVGD_BANDWIDTH, SVGD_ID } from '../bindings/svgd.ts';
import { ALGO, DIST, OP_KIND, PURPOSE, SPECTRAL_SLOTS, STATUS_NAMES } from '../bindings/spectral.ts';
import { HYPER_LR, HYPER_SIGN } from '../src/optimizers/optimizer.ts';
import { OPTIMIZER_HYPER, OPTIMIZER_KINDS } from '../src/optimizers/kinds.ts';
import { SAMPLER_HYPER, SAMPLER_KINDS } from '../src/samplers.ts';
import { NOISE_KINDS } from '../src/noiseModel.ts';
import { INIT_KINDS, NORMAL_DIAGONAL } from '../src/inits.ts';
import { SCHEDULE_KINDS } from '../src/schedule.ts';
import { LOSS_IDS, MODEL_HEADER, REDUCTION_IDS, TILE } from '../src/models/pack.ts';
import { ACTIVATIONS } from '../src/models/mlp.ts';
import { RANK_TOL } from '../src/models/buresWasserstein.ts';
import { COMPRESSORS, DELAYS } from '../src/optimizers/distributed.ts';

/** One module constant: its assembly name and every TypeScript mirror of it (label → value). */
type Entry = [name: string, mirrors: Record<string, number>];
type Group = [name: string, entries: Entry[]];

const one = (name: string, label: string, value: number): Entry => [name, { [label]: value }];
const ids = (prefix: string, names: string[], table: Record<string, number>, label: string): Entry[] =>
  names.map((n, k) => one(`${prefix}${n}`, `${label}.${Object.keys(table)[k]}`, Object.values(table)[k]));

const O = OPTIMIZER_HYPER, SH = SAMPLER_HYPER, SP = SPECTRAL_SLOTS;
/** h offsets of one optimiser: ASSEMBLY_NAME → OPTIMIZER_HYPER.kind.name, for each kind sharing the layout. */
const hyper = (prefix: string, names: Record<string, string>, kinds: (keyof typeof O)[]): Entry[] =>
  Object.entries(names).map(([a, ts]) => [`${prefix}${a}`,
    Object.fromEntries(kinds.map((k) => [`OPTIMIZER_HYPER.${k}.${ts}`, (O[k] as Record<string, number>)[ts]]))]);
/** Slots of one spectral layout: the assembly names in order, then the bindings' object. */
const slots = (prefix: string, names: string[], table: Record<string, number>, label: string): Entry[] =>
  names.map((n) => one(`${prefix}${n}`, `${label}.${n}`, table[n]));

const GROUPS: Group[] = [
  ['landscape kinds (assembly/landscapes/kinds.ts)', [
    ...([['QUADRATIC', 'quadratic'], ['ROSENBROCK', 'rosenbrock'], ['RASTRIGIN', 'rastrigin'], ['ACKLEY', 'ackley'],
      ['STYBLINSKI_TANG', 'styblinskiTang'], ['BEALE', 'beale'], ['HIMMELBLAU', 'himmelblau'], ['MULLER_BROWN', 'mullerBrown'],
      ['SIX_HUMP_CAMEL', 'sixHumpCamel'], ['POLYNOMIAL', 'polynomial'], ['DOUBLE_WELL', 'doubleWell'], ['MULTI_WELL', 'multiWell'],
      ['SADDLE', 'saddle'], ['MONKEY_SADDLE', 'monkeySaddle'], ['GAUSSIAN_MIXTURE', 'gaussianMixture'],
      ['SUM', 'sum finiteSum scale'], ['SHIFT', 'shift'],
      ['MLP', 'mlp linearRegression logisticRegression softmaxRegression deepLinear twoLayerRelu'],
      ['DIAGONAL_LINEAR', 'diagonalLinear'], ['MATRIX_FACTORIZATION', 'matrixFactorization'], ['SIMPLEX_KL', 'simplexKL'],
      ['BURES_WASSERSTEIN', 'buresWasserstein'], ['REPARAMETRIZE', 'reparametrize'], ['LINKED', 'expression fromFunction']] as const)
      .map(([a, ts]): Entry => [a,
      Object.fromEntries(ts.split(' ').map((n) => [`LANDSCAPE_KINDS.${n}`, LANDSCAPE_KINDS[n as keyof typeof LANDSCAPE_KINDS]]))]),
    one('KIND_COUNT', 'KERNEL_KIND_COUNT', KERNEL_KIND_COUNT),
  ]],
  ['optimiser kinds (assembly/optimizers/kinds.ts)', [
    ...ids('', ['SGD', 'ADAM', 'ADAMW', 'RMSPROP', 'ADAGRAD', 'NADAM', 'LION', 'HEAVY_BALL', 'NESTEROV_GD'],
      Object.fromEntries(Object.entries(OPTIMIZER_KINDS).slice(0, 9)), 'OPTIMIZER_KINDS'),
    one('OPTIMIZER_KIND_COUNT', 'OPTIMIZER_KINDS ids below 16', Object.values(OPTIMIZER_KINDS).filter((v) => v < 16).length),
    ...([['SAM', 'sam'], ['PERTURBED_GD', 'perturbedGD'], ['NEWTON_CG', 'newtonCG'], ['NATURAL_GRADIENT', 'naturalGradient'],
      ['SADDLE_FREE_NEWTON', 'saddleFreeNewton'], ['SME', 'sme']] as const).map(([a, ts]): Entry =>
      [a, { [`OPTIMIZER_KINDS.${ts}`]: OPTIMIZER_KINDS[ts], [`CURVATURE_KINDS.${ts}`]: CURVATURE_KINDS[ts] }]),
    one('CURVATURE_END', 'CURVATURE_KINDS.sme + 1 (isCurvatureKind)', CURVATURE_KINDS.sme + 1),
  ]],
  ['sampler kinds (assembly/optimizers/kinds.ts)', [
    one('ULA', 'SAMPLER_KINDS.ula', SAMPLER_KINDS.ula),
    ['UNDERDAMPED', { 'SAMPLER_KINDS.underdamped': SAMPLER_KINDS.underdamped, 'bindings/ensemble.ts UNDERDAMPED_ID': UNDERDAMPED_ID }],
    ['MALA', { 'SAMPLER_KINDS.mala': SAMPLER_KINDS.mala, 'bindings/ensemble.ts MALA_ID': MALA_ID }],
    one('SGLD', 'SAMPLER_KINDS.sgld', SAMPLER_KINDS.sgld),
    ['SVGD', { 'SAMPLER_KINDS.svgd': SAMPLER_KINDS.svgd, 'bindings/svgd.ts SVGD_ID': SVGD_ID }],
    ['METROPOLIS_HASTINGS', { 'SAMPLER_KINDS.metropolisHastings': SAMPLER_KINDS.metropolisHastings, 'bindings/ensemble.ts MH_ID': MH_ID }],
    one('SAMPLER_END', 'SAMPLER_KINDS ids below 24', Math.max(...Object.values(SAMPLER_KINDS)) < 24 ? 24 : -1),
  ]],
  ['hyperparameter offsets (assembly/optimizers/kinds.ts)', [
    one('H_LR', 'HYPER_LR', HYPER_LR),
    one('H_SIGN', 'HYPER_SIGN', HYPER_SIGN),
    ...hyper('SGD_', { MOMENTUM: 'momentum', DAMPENING: 'dampening', WEIGHT_DECAY: 'weightDecay', NESTEROV: 'nesterov' }, ['sgd']),
    ...hyper('ADAM_', { BETA1: 'beta1', BETA2: 'beta2', EPS: 'eps', WEIGHT_DECAY: 'weightDecay', AMSGRAD: 'amsgrad' }, ['adam', 'adamw']),
    ...hyper('RMSPROP_', { ALPHA: 'alpha', EPS: 'eps', WEIGHT_DECAY: 'weightDecay', MOMENTUM: 'momentum', CENTERED: 'centered' },
      ['rmsprop']),
    ...hyper('ADAGRAD_', { LR_DECAY: 'lrDecay', WEIGHT_DECAY: 'weightDecay', INITIAL_ACCUMULATOR: 'initialAccumulatorValue', EPS: 'eps' },
      ['adagrad']),
    ...hyper('NADAM_', { BETA1: 'beta1', BETA2: 'beta2', EPS: 'eps', WEIGHT_DECAY: 'weightDecay', MOMENTUM_DECAY: 'momentumDecay' },
      ['nadam']),
    ...hyper('LION_', { BETA1: 'beta1', BETA2: 'beta2', WEIGHT_DECAY: 'weightDecay' }, ['lion']),
    ...hyper('HEAVY_BALL_', { BETA: 'beta' }, ['heavyBall']),
    ...hyper('NESTEROV_GD_', { BETA: 'beta' }, ['nesterovGD']),
    ['LANGEVIN_TEMPERATURE', { 'SAMPLER_HYPER.ula.temperature': SH.ula.temperature, 'SAMPLER_HYPER.mala.temperature': SH.mala.temperature,
      'SAMPLER_HYPER.sgld.temperature': SH.sgld.temperature }],
    one('UNDERDAMPED_FRICTION', 'SAMPLER_HYPER.underdamped.friction', SH.underdamped.friction),
    one('UNDERDAMPED_MASS', 'SAMPLER_HYPER.underdamped.mass', SH.underdamped.mass),
    one('UNDERDAMPED_TEMPERATURE', 'SAMPLER_HYPER.underdamped.temperature', SH.underdamped.temperature),
    one('UNDERDAMPED_INTEGRATOR', 'SAMPLER_HYPER.underdamped.integrator', SH.underdamped.integrator),
    one('SVGD_TEMPERATURE', 'SAMPLER_HYPER.svgd.temperature', SH.svgd.temperature),
    ['SVGD_BANDWIDTH', { 'SAMPLER_HYPER.svgd.bandwidth': SH.svgd.bandwidth, 'bindings/svgd.ts SVGD_BANDWIDTH': SVGD_BANDWIDTH }],
    one('SVGD_INNER', 'SAMPLER_HYPER.svgd.inner', SH.svgd.inner),
    one('SVGD_INNER_HYPER', 'SAMPLER_HYPER.svgd.innerHyper', SH.svgd.innerHyper),
    one('MH_TEMPERATURE', 'SAMPLER_HYPER.metropolisHastings.temperature', SH.metropolisHastings.temperature),
    one('MH_PROPOSAL_KIND', 'SAMPLER_HYPER.metropolisHastings.proposal', SH.metropolisHastings.proposal),
    one('MH_SCALE', 'SAMPLER_HYPER.metropolisHastings.scale', SH.metropolisHastings.scale),
    one('MH_MEAN', 'SAMPLER_HYPER.metropolisHastings.mean', SH.metropolisHastings.mean),
    ...hyper('SAM_', { RHO: 'rho', MOMENTUM: 'momentum', ADAPTIVE: 'adaptive' }, ['sam']),
    ...hyper('PERTURBED_GD_', { G_THRES: 'gThres', T_THRES: 'tThres', RADIUS: 'radius' }, ['perturbedGD']),
    ...hyper('NEWTON_CG_', { DAMPING: 'damping', CG_ITERS: 'cgIters', CG_TOL: 'cgTol', LINE_SEARCH: 'lineSearch',
      NEGATIVE_CURVATURE: 'negativeCurvature' }, ['newtonCG']),
    ...hyper('NATURAL_GRADIENT_', { DAMPING: 'damping', CG_ITERS: 'cgIters', CG_TOL: 'cgTol', FISHER: 'fisher' }, ['naturalGradient']),
    ...hyper('SADDLE_FREE_NEWTON_', { DAMPING: 'damping' }, ['saddleFreeNewton']),
    ['SADDLE_FREE_NEWTON_K', { 'OPTIMIZER_HYPER.saddleFreeNewton.k': O.saddleFreeNewton.k,
      'bindings/curvature.ts SADDLE_FREE_NEWTON_K': SADDLE_FREE_NEWTON_K }],
    ...hyper('SME_', { ORDER: 'order', SCHEME: 'scheme', SUBSTEPS: 'substeps', DELAY: 'delay' }, ['sme']),
  ]],
  ['noise kinds (assembly/noise/kinds.ts)',
    ids('', ['NONE', 'GAUSSIAN', 'LOSS_SCALED', 'HEAVY_TAILED', 'MINIBATCH', 'HESSIAN_ALIGNED', 'LABEL_NOISE', 'ZEROTH_ORDER',
      'IMPORTANCE_MINIBATCH'], NOISE_KINDS, 'NOISE_KINDS')],
  ['init kinds (assembly/run/inits.ts)', [
    ...ids('', ['POINT', 'NORMAL', 'UNIFORM', 'GRID', 'ARRAY'], INIT_KINDS, 'INIT_KINDS'),
    one('NORMAL_DIAGONAL', 'NORMAL_DIAGONAL', NORMAL_DIAGONAL),
  ]],
  ['schedule kinds (assembly/schedules.ts)',
    ids('', ['CONSTANT', 'STEP', 'EXPONENTIAL', 'COSINE', 'INVERSE_TIME', 'ARRAY'], SCHEDULE_KINDS, 'SCHEDULE_KINDS')],
  ['run descriptor slots (assembly/run/descriptor.ts)', slots('', Object.keys(D), D, 'D')],
  ['particle statuses (assembly/run/block.ts)', slots('', ['ACTIVE', 'DIVERGED', 'STOPPED', 'PADDING'], STATUS, 'STATUS')],
  ['spectral ids (assembly/spectral/{run,operator,probes,state}.ts)', [
    ...ids('', ['LANCZOS', 'POWER', 'HUTCHINSON', 'HUTCHPP', 'SLQ'], ALGO, 'ALGO'),
    ...ids('', ['HESSIAN', 'GGN', 'FISHER_EMP', 'DENSE', 'USER'], OP_KIND, 'OP_KIND'),
    ...ids('', ['RADEMACHER', 'GAUSSIAN'], DIST, 'DIST'),
    ...ids('PURPOSE_', ['LANCZOS', 'HUTCHINSON', 'SKETCH', 'SLQ', 'POWER'], PURPOSE, 'PURPOSE'),
    ...['OK', 'MAX_ITER', 'NON_FINITE', 'EIGEN_FAIL'].map((n, k) => one(n, `STATUS_NAMES index of '${STATUS_NAMES[k]}'`, k)),
  ]],
  ['spectral slots (assembly/spectral/{operator,state,lanczos,power,trace,slq}.ts)', [
    ...slots('OP_', ['KIND', 'N', 'D', 'OFFSET', 'LKIND', 'PARAMS', 'POINT', 'SCRATCH', 'MATRIX', 'NP', 'XIN', 'YOUT', 'SLOTS'],
      SP.OP, 'OP'),
    ...slots('', ['PHASE', 'REQ_X', 'REQ_Y', 'N', 'K0', 'K1', 'MATVECS', 'STATUS'], SP.C, 'C'),
    one('COMMON_SLOTS', 'C.SLOTS', SP.C.SLOTS),
    ...slots('L_', ['K', 'NLARGE', 'NSMALL', 'TOL', 'MAXMV', 'NCV', 'V', 'H', 'WORK', 'W', 'VALUES', 'VECTORS', 'RESID', 'M', 'L',
      'BETA', 'RESTARTS', 'STARTS', 'NORM', 'CONVERGED', 'BROKE', 'NEXT', 'RHO', 'RHOM', 'CHECKS', 'SLOTS'], SP.L, 'L'),
    ...slots('P_', ['TOL', 'MAXMV', 'V', 'W', 'R', 'VALUE', 'RESID', 'SLOTS'], SP.P, 'P'),
    ...slots('H_', ['PROBES', 'DIST', 'Z', 'Y', 'MEAN', 'M2', 'J', 'DIAG', 'DIAGM2', 'EXACT', 'SAMPLES', 'SE', 'SLOTS'], SP.H, 'H'),
    ...slots('PP_', ['S', 'G', 'DIST', 'Q', 'Y', 'Z', 'COEFF', 'J', 'RANK', 'EXACT', 'MEAN', 'M2', 'SAMPLES', 'COUNT', 'SE', 'SLOTS'],
      SP.PP, 'PP'),
    ...slots('S_', ['PROBES', 'STEPS', 'V', 'W', 'WORK', 'J', 'I', 'NODES', 'WEIGHTS', 'COUNTS', 'NORM', 'SLOTS'], SP.S, 'S'),
  ]],
  ['model layout (assembly/models/{layout,activations,mlpTile}.ts)', [
    ...slots('', ['N', 'M', 'KOUT', 'LOSS', 'OFFX', 'OFFY', 'OFFW', 'YW', 'RED', 'LSCALE', 'SPEC'], MODEL_HEADER, 'MODEL_HEADER'),
    ...ids('REDUCTION_', ['MEAN', 'SUM'], REDUCTION_IDS, 'REDUCTION_IDS'),
    ...ids('', ['MSE', 'CROSS_ENTROPY', 'BCE'], LOSS_IDS, 'LOSS_IDS'),
    ...ids('', ['RELU', 'LEAKY_RELU', 'TANH', 'SIGMOID', 'GELU', 'IDENTITY'], ACTIVATIONS, 'ACTIVATIONS'),
    one('TILE', 'src/models/pack.ts TILE', TILE),
  ]],
  ['sharpness tracker slots (assembly/run/sharpness.ts)',
    slots('T_', ['EVERY', 'M', 'K', 'TOL', 'MAXMV', 'NCV', 'ROWS', 'PARAMS'], TRACK_SLOTS, 'TRACK_SLOTS')],
  ['distributed and variance-reduced optimisers (assembly/optimizers/kinds.ts)', [
    ...([['LOCAL_SGD', 'localSGD'], ['ASYNC_SGD', 'asyncSGD'], ['COMPRESSED_SGD', 'compressedSGD'], ['MARINA', 'marina'],
      ['SVRG', 'svrg'], ['SARAH', 'sarah']] as const).map(([a, ts]) => one(a, `OPTIMIZER_KINDS.${ts}`, OPTIMIZER_KINDS[ts])),
    one('DISTRIBUTED', 'OPTIMIZER_KINDS.localSGD (the first)', OPTIMIZER_KINDS.localSGD),
    one('DISTRIBUTED_END', 'OPTIMIZER_KINDS.sarah + 1', OPTIMIZER_KINDS.sarah + 1),
    ...hyper('LOCAL_SGD_', { WORKERS: 'workers', LOCAL_STEPS: 'localSteps' }, ['localSGD']),
    ...hyper('ASYNC_SGD_', { MAX_DELAY: 'maxDelay', DELAY: 'delay', Q: 'q' }, ['asyncSGD']),
    ...hyper('COMPRESSED_SGD_', { WORKERS: 'workers', COMPRESSOR: 'compressor', K: 'k' }, ['compressedSGD']),
    ...hyper('MARINA_', { WORKERS: 'workers', COMPRESSOR: 'compressor', K: 'k', P: 'p' }, ['marina']),
    ...hyper('VR_', { EPOCH: 'epochLength', P: 'p' }, ['svrg', 'sarah']),
    ...ids('', ['RAND_K', 'PERM_K', 'TOP_K'], COMPRESSORS, 'COMPRESSORS'),
    ...ids('DELAY_', ['FIXED', 'UNIFORM', 'GEOMETRIC'], DELAYS, 'DELAYS'),
  ]],
];

/** The module's table, split into its groups. */
function moduleGroups(): number[][] {
  return run('layout test', ({ exports }) => {
    const words = new Int32Array(exports.memory.buffer);
    let at = exports.layoutTable() >>> 2;
    const groups: number[][] = [];
    for (let g = words[at++]; g > 0; g--) {
      const n = words[at++];
      groups.push(Array.from(words.subarray(at, at + n)));
      at += n;
    }
    return groups;
  });
}

/** The first mirror that differs from the module, as a message naming it, or undefined. */
function firstMismatch(module: number[][], groups: Group[]): string | undefined {
  if (module.length !== groups.length) return `the module has ${module.length} groups, test/layout.test.ts lists ${groups.length}`;
  for (let g = 0; g < groups.length; g++) {
    const [group, entries] = groups[g];
    const values = module[g];
    if (values.length !== entries.length) {
      return `${group}: the module has ${values.length} constants, the mirrors list ${entries.length} (add or remove one on both sides)`;
    }
    for (let k = 0; k < entries.length; k++) {
      const [name, mirrors] = entries[k];
      if (Object.keys(mirrors).length === 0) return `${group}: ${name} has no mirror listed`;
      for (const [label, v] of Object.entries(mirrors)) {
        if (v !== values[k]) return `${group}: ${name} is ${values[k]} in the module, but ${label} is ${v}`;
      }
    }
  }
  return undefined;
}

const layout = suite('layout');
layout.before(() => descent.init());

layout('every mirrored id, slot and offset equals the module\'s', () => {
  const mismatch = firstMismatch(moduleGroups(), GROUPS);
  assert.is(mismatch, undefined, mismatch);
});

layout('the check names the first mirror that differs', () => {
  const module = moduleGroups();
  const changed = GROUPS.map(([g, entries]): Group => [g, entries.map(([n, m]): Entry => [n, { ...m }])]);
  changed[3][1][4][1]['OPTIMIZER_HYPER.sgd.weightDecay'] = 5; // SGD_WEIGHT_DECAY, copied wrong
  assert.is(firstMismatch(module, changed), 'hyperparameter offsets (assembly/optimizers/kinds.ts): ' +
    'SGD_WEIGHT_DECAY is 4 in the module, but OPTIMIZER_HYPER.sgd.weightDecay is 5');
  assert.match(firstMismatch(module, GROUPS.slice(1)) ?? '', 'groups');
  assert.match(firstMismatch(module, [GROUPS[0], [GROUPS[1][0], GROUPS[1][1].slice(1)], ...GROUPS.slice(2)]) ?? '', 'optimiser kinds');
});

layout('every offset layout is dense: each kind\'s h has no gap and no shared slot', () => {
  const dense = (label: string, offsets: number[], from: number) =>
    assert.equal([...offsets].sort((a, b) => a - b), offsets.map((_, k) => from + k), label);
  for (const [kind, l] of Object.entries(OPTIMIZER_HYPER)) dense(`OPTIMIZER_HYPER.${kind}`, Object.values(l), 2);
  for (const [kind, l] of Object.entries(SAMPLER_HYPER)) dense(`SAMPLER_HYPER.${kind}`, Object.values(l), 2);
});

layout('RANK_TOL (src/models/buresWasserstein.ts) equals the module\'s (an f64, so not in the table)', () => {
  run('layout test', ({ exports }) => assert.is(RANK_TOL, exports.buresRankTol(), 'RANK_TOL'));
});

layout('the record and final partial widths (bindings/ensemble.ts) equal the module\'s finalWidth', () => {
  run('layout test', ({ exports }) => {
    for (let d = 1; d <= 9; d++) {
      for (let r = 0; r <= 4; r++) assert.is(finalWidth(d, r), exports.finalWidth(d, r), `d = ${d}, regions = ${r}`);
    }
  });
});

layout('EXPORTS_HASH (bindings/exports.ts) is the hash of the module\'s export names, which tells a stale module apart', () => {
  // FNV-1a 32 test vectors (the hash of one name is the plain FNV-1a of it); names are sorted and space-joined.
  assert.is(exportsHash(['a']), 0xe40c292c);
  assert.is(exportsHash(['foobar']), 0xbf9cf968);
  assert.is(exportsHash(['b', 'a']), exportsHash(['a b']));
  const names = run('test', ({ exports }) => Object.keys(exports));
  const h = exportsHash(names);
  assert.is(h, EXPORTS_HASH, `update EXPORTS_HASH in bindings/exports.ts to 0x${h.toString(16).padStart(8, '0')}`);
  for (const k of [0, names.length >> 1, names.length - 1])
    assert.is.not(exportsHash(names.filter((_, j) => j !== k)), EXPORTS_HASH, `a module without ${names[k]}`);
  assert.is.not(exportsHash([...names, 'extraKernel']), EXPORTS_HASH, 'a module with one more export');
});

layout.run();
