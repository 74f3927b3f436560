// Type-level tests, checked by `tsc --noEmit` (npm test step 1): good calls compile; each
// `@ts-expect-error` line must be a compile error, or tsc fails with "Unused directive".
import * as descent from '../src/index.ts';

export async function good(): Promise<number> {
  await descent.init();
  const q = descent.landscapes.quadratic({ A: [[1, 0], [0, 2]], b: [0, 1] });
  const s = descent.landscapes.quadratic({ eigenvalues: [1, -1], seed: 4, center: [0, 0] });
  const g: Float64Array = q.grad(new Float64Array(2));
  const vg: descent.landscapes.ValueAndGrad = s.valueAndGrad([1, 2]);
  const j: descent.LandscapeJSON = q.toJSON();
  const u: Float64Array = descent.random.normal({ seed: 1, count: 4 });
  return g[0] + vg.value + u[0] + (j.kind === 'quadratic' ? 1 : 0);
}

export function bad(): void {
  // @ts-expect-error: unknown option
  descent.landscapes.rosenbrock({ dimension: 3 });
  // @ts-expect-error: dim must be a number
  descent.landscapes.rastrigin({ dim: '3' });
  // @ts-expect-error: quadratic needs A or eigenvalues
  descent.landscapes.quadratic({ b: [1] });
  // @ts-expect-error: fixed 2-d functions take no options
  descent.landscapes.beale({ dim: 2 });
  // @ts-expect-error: count is required
  descent.random.uniform({ seed: 1 });
  // @ts-expect-error: params are read-only
  descent.landscapes.rosenbrock().params.dim = 3;
}
