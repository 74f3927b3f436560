// Type-level tests of spectral.*, checked by `tsc --noEmit` (npm test step 1): good calls
// compile; each `@ts-expect-error` line must be a compile error.
import * as descent from '../src/index.ts';

export function good(net: descent.Model, theta: Float64Array): number {
  const S = descent.spectral;
  const H: descent.spectral.SpectralOperator = S.hessianOp(descent.landscapes.rosenbrock({ dim: 5 }), [0, 0, 0, 0, 0]);
  const G = S.ggnOp(net, theta);
  const F = S.fisherOp(net, theta, { kind: 'empirical' });
  const D = S.denseOp([[2, 1], [1, 2]]);
  const M = S.matvecOp((v) => v.map((x) => 2 * x), 3);
  const top: descent.spectral.EigenResult = S.topEigenvalues(H, { k: 2, which: 'both', tol: 1e-10, maxIter: 500, ncv: 4, seed: 1, vectors: false });
  const p: descent.spectral.PowerResult = S.powerIteration(G, { tol: 1e-6 });
  const t: descent.spectral.TraceResult = S.trace(F, { method: 'hutchpp', probes: 30, distribution: 'gaussian', seed: 2 });
  const d: descent.spectral.DensityResult = S.density(D, { probes: 2, lanczosSteps: 2, grid: [0, 1, 2], sigma: 0.1 });
  const g: descent.spectral.DiagonalResult = S.diagonal(M, { method: 'exact' });
  const c: descent.spectral.ConditionNumberResult = S.conditionNumber(G, { k: 3 });
  const b: descent.spectral.BlockResult[] = S.perBlock(H, { group: 'parameter', trace: false, diagonal: { probes: 10 } });
  const layers: descent.spectral.SpectralOperator[] = S.blocks(G, { group: 'layer' });
  const status: descent.spectral.SpectralStatus = top.status;
  const disposed: boolean = D.disposed;
  D.dispose();
  return top.eigenvalues[0] + p.eigenvalue + t.estimate + d.density[0] + g.diagonal[0] + c.value + b.length + layers.length + (status === 'converged' ? 1 : 0) + (disposed ? 1 : 0);
}

export function bad(net: descent.Model, theta: Float64Array): void {
  const S = descent.spectral;
  const D = S.denseOp([[2, 1], [1, 2]]);
  // @ts-expect-error: which is 'largest' | 'smallest' | 'both'
  S.topEigenvalues(D, { which: 'top' });
  // @ts-expect-error: unknown option
  S.topEigenvalues(D, { kk: 1 });
  // @ts-expect-error: trace method
  S.trace(D, { method: 'exact2' });
  // @ts-expect-error: fisher kind
  S.fisherOp(net, theta, { kind: 'both' });
  // @ts-expect-error: an operator is required, not a landscape
  S.topEigenvalues(descent.landscapes.rosenbrock());
  // @ts-expect-error: disposed is read-only
  D.disposed = true;
  // @ts-expect-error: matvecOp needs the dimension
  S.matvecOp((v: Float64Array) => v);
}
