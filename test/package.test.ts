// Package-level invariants: version agreement and the mirrored kind table.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import pkg from '../package.json';

test('descent.version equals package.json version', () => {
  assert.is(descent.version, pkg.version);
});

test('the bindings\' landscape kind table matches the module (assembly/landscapes/kinds.ts)', async () => {
  await descent.init();
  const { bindings, module } = descent.__testing.kindCounts();
  assert.is(bindings, module);
  // Primitive kinds have one kernel each; the composites sum/finiteSum/scale share the weighted-sum
  // kernel, and shift and reparametrize have their own: three more kernel kinds. Models: the six
  // MLP-family factories share one kernel; diagonalLinear, matrixFactorization, simplexKL and
  // buresWasserstein have their own: five.
  assert.is(descent.landscapes.kinds.length + 3 + 5, module);
  assert.is(descent.models.kinds.length, 10);
  assert.equal([...descent.landscapes.compositeKinds], ['sum', 'finiteSum', 'scale', 'shift', 'reparametrize']);
  // Ids are 0..n−1 in table order; a mismatch would route a landscape to another kernel, which
  // the torch fixture test (one case per kind) would catch value by value.
});

test.run();
