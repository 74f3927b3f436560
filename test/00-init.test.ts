// Runs first (files are bundled in name order): behaviour before and during init().
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { throwsDescent } from './util.ts';

test('a synchronous call before init() is E_NOT_INITIALIZED and says what to do', () => {
  assert.is(descent.isInitialized(), false);
  const f = descent.landscapes.rosenbrock(); // factories validate without wasm
  try {
    f.value([0, 0]);
    assert.unreachable('value() before init should throw');
  } catch (e) {
    assert.instance(e, descent.DescentError);
    assert.is((e as descent.DescentError).code, 'E_NOT_INITIALIZED');
    assert.match((e as Error).message, 'descent.init()');
  }
});

test('init() validates its options', () => {
  throwsDescent(() => descent.init({ memoryLimit: -1 }), 'E_CONFIG', 'init.memoryLimit');
  throwsDescent(() => descent.init({ wsam: 1 } as never), 'E_CONFIG', 'init.wsam');
});

test('init() is idempotent: concurrent and repeated calls share one instance', async () => {
  await Promise.all([descent.init(), descent.init()]);
  assert.is(descent.isInitialized(), true);
  const g = descent.__testing.generation();
  await descent.init();
  assert.is(descent.__testing.generation(), g);
  assert.is(descent.landscapes.himmelblau().value([3, 2]), 0);
});

test.run();
