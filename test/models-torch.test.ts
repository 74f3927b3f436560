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
export function build(c: Case, red: descent.models.ReductionOptions = {}): descent.Model {
  if (c.model === 'simplexKL') return descent.models.simplexKL(c.config as never);
  const d = c.data!;
  if (c.model === 'matrixFactorization' && c.config.observation === 'full') {
    const a = c.config.rows as number, b = c.config.cols as number;
    const target = Array.from({ length: a }, (_, i) => d.y.slice(i * b, (i + 1) * b));
    return descent.models.matrixFactorization({ rows: a, cols: b, rank: c.config.rank as number, symmetric: c.config.symmetric as boolean, target, ...red });
  }
  const data = descent.data.from({ X: d.X, inputs: d.m, y: d.y, ...(d.classes ? { classes: d.classes } : {}), ...(d.weights ? { weights: d.weights } : {}) });
  if (c.model === 'mlp') return descent.models.mlp({ ...(c.config as object), data, ...red } as never);
  if (c.model === 'diagonalLinear') return descent.models.diagonalLinear({ data, ...red });
  const { observation: _, ...rest } = c.config;
  return descent.models.matrixFactorization({ ...(rest as object), data, ...red } as never);
}

torch('the fixtures cover every model kernel and every activation and loss', () => {
  const models = new Set(cases.map((c) => c.model));
  for (const m of ['mlp', 'diagonalLinear', 'matrixFactorization', 'simplexKL']) assert.ok(models.has(m as Case['model']), m);
  const acts = new Set(cases.filter((c) => c.model === 'mlp').map((c) => c.config.activation));
  for (const a of descent.models.activations) assert.ok(acts.has(a), `activation ${a}`);
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

// torch's reduction='sum' and a loss factor c (docs/models.md, "Reduction, weights and scale"):
// the fixtures (reduction mean) scaled. With 'sum' the loss is torch's sum over all elements, so
// value, gradient, HVP, Hessian, GGN, true Fisher and the minibatch estimate are the mean's times
// N = n·k (mse over k outputs) or n (crossEntropy, bce); the empirical Fisher, built from
// per-example gradients of the summed example loss k·ℓ_i, is n·k² times the mean's. With
// `scale: c` everything is c times, the empirical Fisher c² times; per-example terms are raw.
for (const [label, red] of [['sum', { reduction: 'sum' }], ['mean, scale 2.5', { scale: 2.5 }], ['sum, scale −0.5', { reduction: 'sum', scale: -0.5 }]] as const) {
  torch(`reduction ${label}: every fixture quantity scaled (value ×c·N, empirical Fisher ×c²·N·k)`, () => {
    for (const c of cases.filter((x) => x.model !== 'simplexKL')) {
      const m = build(c, red);
      const p = m.params as { loss?: string; widths?: number[] };
      const k = (p.loss ?? 'mse') === 'mse' ? (p.widths ? p.widths[p.widths.length - 1] : 1) : 1;
      const n = c.data!.n, sc = 'scale' in red ? red.scale : 1, sum = 'reduction' in red;
      const f = sc * (sum ? n * k : 1), fe = sc * sc * (sum ? n * k * k : 1);
      const times = (a: number[], t: number) => a.map((x) => x * t);
      close(m.value(c.theta), c.value * f, RTOL, `${c.name} value`);
      close(m.grad(c.theta), times(c.grad, f), RTOL, `${c.name} grad`);
      close(m.hvp(c.theta, c.v), times(c.hvp, f), RTOL, `${c.name} hvp`);
      if (c.hessian) close(m.hessian(c.theta), times(c.hessian, f), RTOL, `${c.name} hessian`);
      if (!c.perExampleGrad) continue;
      close(m.ggnvp(c.theta, c.v), times(c.ggnvp!, f), RTOL, `${c.name} ggnvp`);
      close(m.fisherVp(c.theta, c.v), times(c.fisherTrueVp!, f), RTOL, `${c.name} true Fisher`);
      close(m.fisherVp(c.theta, c.v, { type: 'empirical' }), times(c.fisherEmpiricalVp!, fe), RTOL, `${c.name} empirical Fisher`);
      const b = m.batchValueAndGrad(c.theta, c.batch!.indices);
      close(b.value, c.batch!.value * f, RTOL, `${c.name} batch value`);
      close(b.grad, times(c.batch!.grad, f), RTOL, `${c.name} batch grad`);
      close(m.perExample(c.theta).grad, c.perExampleGrad!, RTOL, `${c.name} per-example gradients are raw`);
      // The reduction round-trips through JSON.
      const back = descent.landscapes.fromJSON(JSON.parse(JSON.stringify(m)));
      assert.is(back.value(c.theta), m.value(c.theta), `${c.name} after JSON`);
    }
  });
}

torch('the default reduction leaves configs as they were: no reduction or scale in a default model\'s JSON', () => {
  for (const c of cases.filter((x) => x.model !== 'simplexKL')) {
    const json = JSON.parse(JSON.stringify(build(c)));
    assert.not.ok('reduction' in json.params || 'scale' in json.params, c.name);
    assert.is(JSON.parse(JSON.stringify(build(c, { reduction: 'sum' }))).params.reduction, 'sum', c.name);
  }
});

torch.run();
