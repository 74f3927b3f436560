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

const early = descent.spectral.denseOp([[2, 1, 0], [1, 2, 0], [0, 0, 5]]); // before init(): validated and packed in JS

test('denseOp before init() validates in JS (the same errors as the wasm check)', () => {
  throwsDescent(() => descent.spectral.denseOp([[1, 2], [2.5, 1]]), 'E_INPUT', 'spectral.denseOp: matrix[0][1]');
  throwsDescent(() => descent.spectral.denseOp([[1, Infinity], [1, 1]]), 'E_INPUT', 'spectral.denseOp: matrix[0][1]');
});

test('init() validates its options', () => {
  throwsDescent(() => descent.init({ memoryLimit: -1 }), 'E_CONFIG', 'init.memoryLimit');
  throwsDescent(() => descent.init({ wsam: 1 } as never), 'E_CONFIG', 'init.wsam');
});

test('init() refuses a module that is not descent\'s (E_WASM, before anything runs), and a later init() loads the right one', async () => {
  const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]); // a valid module with no exports
  try {
    await descent.init({ wasm: empty });
    assert.unreachable('a foreign module should be refused');
  } catch (e) {
    assert.instance(e, descent.DescentError);
    assert.is((e as descent.DescentError).code, 'E_WASM');
    assert.match((e as Error).message, "not this descent's");
  }
  assert.is(descent.isInitialized(), false);
});

test('init() is idempotent: concurrent and repeated calls share one instance', async () => {
  await Promise.all([descent.init(), descent.init()]);
  assert.is(descent.isInitialized(), true);
  const g = descent.__testing.generation();
  await descent.init();
  assert.is(descent.__testing.generation(), g);
  assert.is(descent.landscapes.himmelblau().value([3, 2]), 0);
  assert.equal(Array.from(early.apply([1, 1, 1])), [3, 3, 5], 'a dense operator made before init() works after it');
});

test('compiling from bytes never reads the global Response or fetch (in Node the first read costs ~20 ms)', async () => {
  const bytes = new Uint8Array(await descent.__testing.moduleBytes());
  const touched: string[] = [];
  const saved = new Map<string, PropertyDescriptor>();
  for (const name of ['Response', 'fetch']) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    if (!d || !d.configurable) continue; // this runtime's global cannot be watched: nothing to check for it
    saved.set(name, d);
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() { touched.push(name); return 'value' in d ? d.value : d.get!.call(globalThis); },
    });
  }
  try {
    const m1 = await descent.__testing.compileSource(bytes);
    const m2 = await descent.__testing.compileSource(bytes.buffer);
    assert.instance(m1, WebAssembly.Module);
    assert.instance(m2, WebAssembly.Module);
  } finally {
    for (const [name, d] of saved) Object.defineProperty(globalThis, name, d);
  }
  assert.equal(touched, [], 'globals read while compiling bytes');
  assert.ok(saved.size > 0 || typeof Response === 'undefined', 'at least one of Response, fetch was watched');
});

test.run();
