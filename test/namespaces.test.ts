// Curated namespaces (issue 21): every descent.* namespace holds the factories, predicates, kinds,
// fromJSON and helpers a user needs — not the kernel packing, run checks and id tables the
// library uses inside (those stay importable from their modules by descent's own code and tests).
//
// A namespace's factories are read from its own `kinds` list where it has one (a new landscape,
// optimiser, sampler or model kind needs no change here); every other public name is listed below,
// one per line, so adding a public function is a one-line change and anything else fails.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';

const ns = suite('curated namespaces');

/** The public names of each namespace besides the factories its `kinds` names. */
const pinned: Record<string, string[]> = {
  samplers: ['fromJSON', 'isSampler', 'kinds'],
  noise: ['fromJSON', 'gaussian', 'heavyTailed', 'hessianAligned', 'isNoise', 'labelNoise', 'lossScaled', 'minibatch', 'none',
    'importanceMinibatch', 'zerothOrder'],
  inits: ['array', 'fromJSON', 'grid', 'isInit', 'normal', 'point', 'uniform'],
  schedules: ['array', 'constant', 'cosine', 'exponential', 'fromJSON', 'inverseTime', 'isSchedule', 'step', 'values'],
  landscapes: [
    'Landscape',
    'compositeKinds',
    'finiteSum',
    'fromFunction', // a callback landscape: not in kinds (it cannot be rebuilt from JSON)
    'fromJSON',
    'kinds',
    'reparametrize',
    'scale',
    'shift',
    'sum',
  ],
  optimizers: ['fromJSON', 'isOptimizer', 'kinds'],
  models: [
    'Model',
    'activations',
    'fromJSON',
    'isModelKind',
    'kinds',
  ],
  data: [
    'biasedSample',
    'from',
    'fromJSON',
    'gaussianMixture',
    'isDataset',
    'linearTeacher',
    'matrixSensing',
    'reluTeacher',
    'resample',
    'reweight',
    'sparseRegression',
  ],
  spectral: [
    'DEFAULT_MAX_ITER',
    'EXACT_MAX_DIM',
    'MAX_DENSE_ORDER',
    'SpectralOperator',
    'blocks',
    'conditionNumber',
    'denseOp',
    'density',
    'diagonal',
    'fisherOp',
    'ggnOp',
    'hessianOp',
    'matvecOp',
    'perBlock',
    'powerIteration',
    'topEigenvalues',
    'trace',
  ],
  diagnostics: [
    'acceptanceRate',
    'autocorrelation',
    'chains',
    'effectiveSampleSize',
    'exitTimes',
    'hittingTimes',
    'ksd',
    'mmd',
    'moments',
  ],
  random: ['normal', 'philox', 'uniform'],
  slices: ['line', 'plane'],
  plots: [
    'SCHEMA',
    'basinProbability',
    'contours',
    'isolines',
    'lossBands',
    'lossHistogram',
    'sharpness',
    'spectralDensity',
    'wilson',
  ],
};

const namespaces = descent as unknown as Record<string, Record<string, unknown>>;

for (const [name, names] of Object.entries(pinned)) {
  ns(`descent.${name} exports exactly its public names`, () => {
    const space = namespaces[name];
    const factories = Array.isArray(space.kinds) ? (space.kinds as string[]) : [];
    assert.equal(Object.keys(space).sort(), [...new Set([...factories, ...names])].sort());
  });
}

ns('every namespace of descent is pinned here (a new one must list its names)', () => {
  const isNamespace = (k: string) => k !== '__testing' && typeof namespaces[k] === 'object' && namespaces[k] !== null;
  const spaces = Object.keys(descent).filter(isNamespace);
  assert.equal(spaces.sort(), Object.keys(pinned).sort());
});

ns('every listed kind has its factory in the namespace', () => {
  for (const name of ['samplers', 'landscapes', 'optimizers', 'models']) {
    const space = namespaces[name];
    for (const k of space.kinds as string[]) assert.type(space[k], 'function', `${name}.${k}`);
  }
});

ns('no id table, packer or run check is public', () => {
  for (const [name, space] of Object.entries(namespaces)) {
    if (name === '__testing' || space === null || typeof space !== 'object') continue;
    for (const k of Object.keys(space)) assert.not.match(k, /^(pack|check)|_IDS$|^[A-Z_]+S$/, `${name}.${k}`);
  }
});

ns.run();
