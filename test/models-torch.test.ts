// Every model and every derivative against PyTorch autograd (test/fixtures/models.py →
// models.json, torch 1.13 float64): value, gradient, exact HVP (torch.autograd.functional.hvp),
// dense Hessian, per-example losses and gradients, minibatch value and gradient, Gauss–Newton,
// empirical and true Fisher products (the true Fisher computed by torch as the expectation over
// the model's predictive distribution). Bar: norm-wise relative error 1e-10.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import fixtures from './fixtures/models.json';
import { close } from './util.ts';

interface Case {
  name: string;
  model: 'mlp' | 'diagonalLinear' | 'matrixFactorization' | 'simplexKL';
  config: Record<string, unknown>;
  data?: { n: number; m: number; X: number[]; y: number[]; k?: number; classes?: number; weights?: number[] };
  theta: number[]; v: number[]; value: number; grad: number[]; hvp: number[]; hessian?: number[];
  perExampleLoss?: number[]; perExampleGrad?: number[]; ggnvp?: number[]; fisherEmpiricalVp?: number[];
  fisherTrueVp?: number[]; batch?: { indices: number[]; value: number; grad: number[] };
}

const cases = (fixtures as { cases: Case[] }).cases;
const RTOL = 1e-10;
const torch = suite('models vs PyTorch');
torch.before(() => descent.init());

/** The descent model a fixture case describes, built through the public factories. */
export function build(c: Case): descent.Model {
  if (c.model === 'simplexKL') return descent.models.simplexKL(c.config as never);
  const d = c.data!;
  if (c.model === 'matrixFactorization' && c.config.observation === 'full') {
    const a = c.config.rows as number, b = c.config.cols as number;
    const target = Array.from({ length: a }, (_, i) => d.y.slice(i * b, (i + 1) * b));
    return descent.models.matrixFactorization({ rows: a, cols: b, rank: c.config.rank as number, symmetric: c.config.symmetric as boolean, target });
  }
  const data = descent.data.from({ X: d.X, inputs: d.m, y: d.y, ...(d.classes ? { classes: d.classes } : {}), ...(d.weights ? { weights: d.weights } : {}) });
  if (c.model === 'mlp') return descent.models.mlp({ ...(c.config as object), data } as never);
  if (c.model === 'diagonalLinear') return descent.models.diagonalLinear({ data });
  const { observation: _, ...rest } = c.config;
  return descent.models.matrixFactorization({ ...(rest as object), data } as never);
}

torch('the fixtures cover every model kernel and every activation and loss', () => {
  const models = new Set(cases.map((c) => c.model));
  for (const m of ['mlp', 'diagonalLinear', 'matrixFactorization', 'simplexKL']) assert.ok(models.has(m as Case['model']), m);
  const acts = new Set(cases.filter((c) => c.model === 'mlp').map((c) => c.config.activation));
  for (const a of Object.keys(descent.models.ACTIVATIONS)) assert.ok(acts.has(a), `activation ${a}`);
  const losses = new Set(cases.filter((c) => c.model === 'mlp').map((c) => c.config.loss));
  for (const l of ['mse', 'crossEntropy', 'bce']) assert.ok(losses.has(l), `loss ${l}`);
});

for (const c of cases) {
  torch(`${c.name}: value, gradient, HVP${c.hessian ? ', Hessian' : ''}`, () => {
    const m = build(c);
    assert.is(m.dim, c.theta.length, 'parameter count (flattening as torch parameters())');
    close(m.value(c.theta), c.value, RTOL, `${c.name} value`);
    close(m.grad(c.theta), c.grad, RTOL, `${c.name} grad`);
    const vg = m.valueAndGrad(c.theta);
    close(vg.value, c.value, RTOL, `${c.name} valueAndGrad.value`);
    close(m.hvp(c.theta, c.v), c.hvp, RTOL, `${c.name} hvp`);
    if (c.hessian) close(m.hessian(c.theta), c.hessian, RTOL, `${c.name} hessian`);
  });
  if (!c.perExampleGrad) continue;
  torch(`${c.name}: per-example, minibatch, Gauss–Newton and Fisher`, () => {
    const m = build(c);
    const pe = m.perExample(c.theta);
    close(pe.loss, c.perExampleLoss!, RTOL, `${c.name} perExampleLoss`);
    close(pe.grad, c.perExampleGrad!, RTOL, `${c.name} perExampleGrad`);
    const b = m.batchValueAndGrad(c.theta, c.batch!.indices);
    close(b.value, c.batch!.value, RTOL, `${c.name} batch value`);
    close(b.grad, c.batch!.grad, RTOL, `${c.name} batch grad`);
    close(m.ggnvp(c.theta, c.v), c.ggnvp!, RTOL, `${c.name} ggnvp`);
    close(m.fisherVp(c.theta, c.v, { type: 'empirical' }), c.fisherEmpiricalVp!, RTOL, `${c.name} empirical Fisher`);
    close(m.fisherVp(c.theta, c.v), c.fisherTrueVp!, RTOL, `${c.name} true Fisher`);
  });
}

torch('a model survives JSON: fromJSON(JSON.parse(JSON.stringify(m))) computes the same bits', () => {
  for (const c of cases) {
    const m = build(c);
    const back = descent.landscapes.fromJSON(JSON.parse(JSON.stringify(m)));
    assert.ok(back instanceof descent.Model, c.name);
    assert.is(back.kind, m.kind);
    assert.equal(Array.from(back.grad(c.theta)), Array.from(m.grad(c.theta)), `${c.name} gradient after JSON`);
  }
});

torch.run();
