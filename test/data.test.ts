// data.*: validation of user arrays (errors carry the path) and the seeded generators, checked
// against what each promises: shapes, determinism, the ground truth fitting its own data, exact
// importance weights, and resampling frequencies within stated confidence intervals.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import { close, throwsDescent } from './util.ts';

const data = suite('data');
data.before(() => descent.init());
const D = descent.data;

data('from: rows or flat arrays, regression targets of any width, labels, weights', () => {
  const a = D.from({ X: [[0, 1], [1, 0], [1, 1]], y: [1, 2, 3] });
  assert.equal([a.n, a.inputs, a.outputs, a.task], [3, 2, 1, 'regression']);
  const b = D.from({ X: Float64Array.of(0, 1, 1, 0), inputs: 2, y: [[1, 2], [3, 4]] });
  assert.equal([b.n, b.outputs, b.y], [2, 2, [1, 2, 3, 4]]);
  const c = D.from({ X: [[0], [1], [2]], y: [0, 2, 1], classes: 3, weights: [1, 0, 2] });
  assert.equal([c.task, c.classes, c.weights], ['classification', 3, [1, 0, 2]]);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.X));
  assert.equal(D.fromJSON(JSON.parse(JSON.stringify(c))), c);
});

data('from: bad input is a DescentError naming the field', () => {
  throwsDescent(() => D.from({ X: [[0, 1], [1]], y: [1, 2] }), 'E_CONFIG', 'data.X[1]');
  throwsDescent(() => D.from({ X: [[0, 1], [1, 2]], y: [1, 2, 3] }), 'E_CONFIG', 'data.y');
  throwsDescent(() => D.from({ X: [1, 2, 3], inputs: 2, y: [1] }), 'E_CONFIG', 'data.X');
  throwsDescent(() => D.from({ X: [], inputs: 2, y: [] }), 'E_CONFIG', 'data.X');
  throwsDescent(() => D.from({ X: [[0], [NaN]], y: [1, 2] }), 'E_CONFIG', 'data.X[1]');
  throwsDescent(() => D.from({ X: [[0], [1]], y: [0, 3], classes: 3 }), 'E_CONFIG', 'data.y[1]');
  throwsDescent(() => D.from({ X: [[0], [1]], y: [0, 0.5], classes: 2 }), 'E_CONFIG', 'data.y[1]');
  throwsDescent(() => D.from({ X: [[0], [1]], y: [0, 1], weights: [1, -1] }), 'E_CONFIG', 'data.weights[1]');
  throwsDescent(() => D.from({ X: [[0], [1]], y: [0, 1], weights: [1] }), 'E_CONFIG', 'data.weights');
  throwsDescent(() => D.from({ X: [[0], [1]], y: [0, 1], colour: 1 } as never), 'E_CONFIG', 'data.colour');
});

data('models reject data that does not fit them, with the path', () => {
  const reg = D.from({ X: [[0, 1], [1, 0]], y: [1, 2] });
  const cls = D.from({ X: [[0, 1], [1, 0]], y: [0, 2], classes: 3 });
  throwsDescent(() => descent.models.mlp({ widths: [3, 1], data: reg }), 'E_CONFIG', 'mlp.widths[0]');
  throwsDescent(() => descent.models.mlp({ widths: [2, 2], data: reg }), 'E_CONFIG', 'mlp.widths[1]');
  throwsDescent(() => descent.models.mlp({ widths: [2, 2], loss: 'crossEntropy', data: cls }), 'E_CONFIG', 'mlp.widths[1]');
  throwsDescent(() => descent.models.mlp({ widths: [2, 1], loss: 'crossEntropy', data: reg }), 'E_CONFIG', 'mlp.loss');
  throwsDescent(() => descent.models.mlp({ widths: [2, 1], loss: 'bce', data: cls }), 'E_CONFIG', 'mlp.data.classes');
  throwsDescent(() => descent.models.mlp({ widths: [2, 1], activation: 'swish' as never, data: reg }), 'E_CONFIG', 'mlp.activation');
  throwsDescent(() => descent.models.logisticRegression({ data: reg }), 'E_CONFIG', 'logisticRegression.data');
  throwsDescent(() => descent.models.mlp({ widths: [2, 1], data: { X: [1] } as never }), 'E_CONFIG', 'mlp.data');
  throwsDescent(() => descent.models.matrixFactorization({ rows: 2, rank: 1 }), 'E_CONFIG', 'matrixFactorization');
  throwsDescent(() => descent.models.matrixFactorization({ rows: 2, cols: 3, rank: 1, symmetric: true, target: [[1, 2, 3], [4, 5, 6]] }), 'E_CONFIG', 'matrixFactorization.cols');
  throwsDescent(() => descent.models.simplexKL({ target: [0.5, 0.6] }), 'E_CONFIG', 'simplexKL.target');
  const m = descent.models.linearRegression({ data: reg });
  throwsDescent(() => m.batchValueAndGrad([0, 0, 0], [0, 2]), 'E_INPUT', 'linearRegression.batchValueAndGrad: indices[1]');
  throwsDescent(() => m.perExampleGrad([0, 0]), 'E_INPUT', 'linearRegression.perExample: theta');
  throwsDescent(() => m.fisherVp([0, 0, 0], [1, 1, 1], { type: 'exact' as never }), 'E_CONFIG', 'linearRegression.fisherVp: options.type');
});

data('generators are pure functions of their config, and seeds matter', () => {
  const a = D.reluTeacher({ n: 20, inputs: 3, hidden: 4, noise: 0.1, seed: 5 });
  const b = D.reluTeacher({ n: 20, inputs: 3, hidden: 4, noise: 0.1, seed: 5 });
  const c = D.reluTeacher({ n: 20, inputs: 3, hidden: 4, noise: 0.1, seed: 6 });
  assert.equal(a, b);
  assert.not.equal(a.y, c.y);
  assert.equal([a.n, a.inputs, a.X.length, a.y.length], [20, 3, 60, 20]);
});

data('teachers fit their own noiseless data: loss 0 at the ground truth', () => {
  const lin = D.linearTeacher({ n: 30, inputs: 4, outputs: 2, seed: 1 });
  const lr = descent.models.linearRegression({ data: lin, bias: false });
  close(lr.value(lin.truth!.weight as number[]), 0, 0, 'linear teacher', 1e-28);
  const relu = D.reluTeacher({ n: 30, inputs: 4, hidden: 5, seed: 2 });
  const student = descent.models.twoLayerRelu({ data: relu, width: 5 });
  close(student.value(relu.truth!.theta as number[]), 0, 0, 'relu teacher', 1e-28);
  const sp = D.sparseRegression({ n: 25, inputs: 10, sparsity: 3, seed: 3 });
  const w = sp.truth!.weight as number[];
  assert.is(w.filter((x) => x !== 0).length, 3);
  assert.equal((sp.truth!.support as number[]).map((j) => Math.abs(w[j])), [1, 1, 1]);
  // Diagonal network at u = √max(w,0), v = √max(−w,0) represents w exactly.
  const diag = descent.models.diagonalLinear({ data: sp });
  close(diag.value([...w.map((x) => Math.sqrt(Math.max(x, 0))), ...w.map((x) => Math.sqrt(Math.max(-x, 0)))]), 0, 0, 'sparse truth', 1e-28);
  const ms = D.matrixSensing({ n: 12, rows: 3, rank: 1, symmetric: true, seed: 4 });
  const M = ms.truth!.matrix as number[];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.is(M[i * 3 + j], M[j * 3 + i]);
});

data('Gaussian-mixture labels are all classes, balanced within a 99.9% binomial interval', () => {
  const g = D.gaussianMixture({ n: 3000, inputs: 2, classes: 3, seed: 7 });
  const counts = [0, 0, 0];
  for (const y of g.y) counts[y]++;
  // Binomial(3000, 1/3): sd = √(3000·(1/3)(2/3)) ≈ 25.8; 3.29 sd ≈ 85.
  for (const c of counts) assert.ok(Math.abs(c - 1000) < 85, `class count ${c}`);
});

data('biased sample: group sizes ⌊nπ_g⌋, exact importance weights τ_g/π_g; resampling restores τ', () => {
  const s = D.biasedSample({ n: 1000, inputs: 3, sampleFractions: [0.8, 0.2], targetFractions: [0.5, 0.5], seed: 8 });
  const group = s.truth!.group as number[];
  assert.is(group.filter((g) => g === 0).length, 800);
  for (let i = 0; i < s.n; i++) assert.is(s.weights![i], group[i] === 0 ? 0.5 / 0.8 : 0.5 / 0.2);
  const r = D.resample(s, { seed: 9, n: 4000 });
  assert.is(r.weights, undefined);
  const idx = r.truth!.index as number[];
  const minority = idx.filter((i) => group[i] === 1).length;
  // Binomial(4000, 0.5): sd = 31.6; 3.29 sd ≈ 104.
  assert.ok(Math.abs(minority - 2000) < 104, `minority draws ${minority}`);
  assert.equal(D.reweight(s, null).weights, undefined);
  throwsDescent(() => D.resample(D.reweight(s, null), { seed: 1 }), 'E_CONFIG', 'data.resample: data');
});

data.run();
