// Curated namespaces (issue 21): descent.samplers, noise, inits and schedules hold the factories,
// predicates and fromJSON a user needs — not the kernel packing, run checks and id tables the
// library uses inside (those stay importable from their modules by descent's own code and tests).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';

const ns = suite('curated namespaces');

const expected: Record<string, string[]> = {
  samplers: ['fromJSON', 'isSampler', 'kinds', 'mala', 'metropolisHastings', 'sgld', 'svgd', 'ula', 'underdamped'],
  noise: ['fromJSON', 'gaussian', 'heavyTailed', 'hessianAligned', 'importanceMinibatch', 'isNoise', 'labelNoise', 'lossScaled',
    'minibatch', 'none', 'zerothOrder'],
  inits: ['array', 'fromJSON', 'grid', 'isInit', 'normal', 'point', 'uniform'],
  schedules: ['array', 'constant', 'cosine', 'exponential', 'fromJSON', 'inverseTime', 'isSchedule', 'step', 'values'],
};

for (const [name, keys] of Object.entries(expected)) {
  ns(`descent.${name} exports exactly its public names`, () => {
    assert.equal(Object.keys((descent as unknown as Record<string, object>)[name]).sort(), keys);
  });
}

ns('every listed kind has its factory in the namespace', () => {
  for (const k of descent.samplers.kinds) assert.type((descent.samplers as unknown as Record<string, unknown>)[k], 'function', k);
});

ns.run();
