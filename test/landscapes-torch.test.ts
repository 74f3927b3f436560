// Every landscape against PyTorch autograd (test/fixtures/landscapes.py → landscapes.json):
// value, gradient, HVP and dense Hessian at seeded points, and the stated minima.
// Tolerance: norm-wise relative error ‖got − torch‖∞ ≤ 1e-10·‖torch‖∞ (the bar); both
// sides are float64 evaluations of the same formula, so agreement is usually ~1e-15.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import fixtures from './fixtures/landscapes.json';
import { close, maxAbs } from './util.ts';

interface Point { x: number[]; v: number[]; value: number; grad: number[]; hvp: number[]; hessian: number[][] }
interface Case { name: string; kind: string; config: unknown; points: Point[]; minima: { x: number[]; value: number }[] }

const RTOL = 1e-10;
const cases = (fixtures as { cases: Case[] }).cases;
const torch = suite('landscapes vs PyTorch autograd');
torch.before(() => descent.init());

torch('the fixtures cover every primitive landscape kind (composites are checked against their parts in composite.test.ts)', () => {
  const covered = new Set(cases.map((c) => c.kind));
  // expression landscapes have their own fixture (test/fixtures/expressions.py, test/expression.test.ts)
  for (const kind of descent.landscapes.kinds) if (kind !== 'expression') assert.ok(covered.has(kind), `no torch fixture for ${kind}`);
});

for (const c of cases) {
  torch(`${c.name}: value, grad, hvp, hessian at ${c.points.length} points`, () => {
    const f = descent.landscapes.fromJSON({ kind: c.kind, params: c.config });
    for (const [i, p] of c.points.entries()) {
      const at = `${c.name} point ${i} x=${JSON.stringify(p.x)}`;
      close(f.value(p.x), p.value, RTOL, `${at} value`);
      const vg = f.valueAndGrad(p.x);
      close(vg.value, p.value, RTOL, `${at} value (valueAndGrad)`);
      close(vg.grad, p.grad, RTOL, `${at} grad`);
      close(f.hvp(p.x, p.v), p.hvp, RTOL, `${at} hvp`);
      close(f.hessian(p.x), p.hessian.flat(), RTOL, `${at} hessian`);
    }
  });
  if (c.minima.length > 0) {
    torch(`${c.name}: ${c.minima.length} known minima are stationary with the stated value`, () => {
      const f = descent.landscapes.fromJSON({ kind: c.kind, params: c.config });
      for (const m of c.minima) {
        const { value, grad } = f.valueAndGrad(m.x);
        close(value, m.value, 1e-12, `${c.name} minimum value at ${m.x}`, 1e-14);
        assert.ok(maxAbs(grad) < 1e-9, `${c.name}: gradient ${grad} at minimum ${m.x}`);
        // A strict local minimum: the Hessian there has no negative curvature direction we can
        // find along the coordinate axes or random directions.
        const H = f.hessian(m.x);
        for (let i = 0; i < f.dim; i++) assert.ok(H[i * f.dim + i] >= -1e-9, `${c.name}: H_ii < 0 at minimum`);
      }
    });
  }
}

torch.run();
