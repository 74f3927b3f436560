/**
 * Per-layer curvature of a model: the top eigenvalue(s), trace and diagonal of each layer's
 * diagonal block of its Hessian, Gauss–Newton or Fisher matrix (what PyHessian users ask for per
 * layer). Each block is an operator of its own (operators.ts `blocks`); every product of a block
 * costs one product of the whole operator.
 */
import { invalid } from '../errors.ts';
import { options } from '../validate.ts';
import { blocks as blockOps, type BlocksOptions, type SpectralOperator } from './operators.ts';
import { checkOperator, topEigenvalues, type EigenResult, type TopEigenvaluesOptions } from './eigen.ts';
import { diagonal, trace, type DiagonalOptions, type DiagonalResult, type TraceOptions, type TraceResult } from './trace.ts';

/** Options of {@link perBlock}: which quantities (each `false` to skip, or its options), and the grouping. */
export interface PerBlockOptions extends BlocksOptions {
  /**
   * Top eigenvalue(s) of each block (default { k: 1 }; k is capped at the block's dim − 1, and a 1-dimensional block's eigenvalue is its
   * entry).
   */
  topEigenvalues?: TopEigenvaluesOptions | false;
  /** Trace of each block (default Hutchinson, 100 probes; use { method: 'exact' } for small blocks). */
  trace?: TraceOptions | false;
  /** Diagonal of each block (default: skipped; pass options to compute it). */
  diagonal?: DiagonalOptions | false;
}

/** One block's quantities. */
export interface BlockResult {
  name: string;
  offset: number;
  size: number;
  topEigenvalues?: EigenResult;
  trace?: TraceResult;
  diagonal?: DiagonalResult;
}

/**
 * For each layer (or parameter tensor) of the model behind `op`: top eigenvalue(s), trace and,
 * if asked, diagonal of that layer's diagonal block.
 *
 * @example
 * const H = descent.spectral.hessianOp(net, theta);
 * for (const b of descent.spectral.perBlock(H, { trace: { method: 'exact' } })) {
 *   console.log(b.name, b.topEigenvalues.eigenvalues[0], b.trace.estimate);
 * }
 */
export function perBlock(op: SpectralOperator, opts: PerBlockOptions = {}): BlockResult[] {
  const what = 'spectral.perBlock';
  checkOperator(op, what);
  const o = options<PerBlockOptions>(opts, what, ['group', 'topEigenvalues', 'trace', 'diagonal']);
  const check = (v: unknown, key: string) => {
    if (v !== undefined && v !== false && (v === null || typeof v !== 'object'))
      throw invalid('E_CONFIG', `${what}.${key}`, 'false or an options object', v);
  };
  check(o.topEigenvalues, 'topEigenvalues');
  check(o.trace, 'trace');
  check(o.diagonal, 'diagonal');
  const list = blockOps(op, o.group === undefined ? {} : { group: o.group });
  return list.map((b) => {
    const r: BlockResult = { name: b.block!.name, offset: b.block!.offset, size: b.block!.size };
    if (o.topEigenvalues !== false) {
      const eo = o.topEigenvalues ?? {};
      if (b.dim >= 2) r.topEigenvalues = topEigenvalues(b, { ...eo, k: Math.min(eo.k ?? 1, b.dim - 1) });
      else {
        // A 1×1 block: its only eigenvalue is its entry (one product).
        const a = b.apply([1])[0];
        r.topEigenvalues = {
          eigenvalues: Float64Array.of(a),
          eigenvectors: eo.vectors === false ? [] : [Float64Array.of(1)],
          residuals: Float64Array.of(0),
          converged: Number.isFinite(a),
          convergedCount: Number.isFinite(a) ? 1 : 0,
          iterations: 1,
          restarts: 0,
          checks: 0,
          status: Number.isFinite(a) ? 'converged' : 'nonFinite',
          options: {
            k: 1,
            which: eo.which ?? 'largest',
            tol: eo.tol ?? 1e-8,
            maxIter: eo.maxIter ?? 1000,
            ncv: 1,
            seed: eo.seed ?? 0,
            vectors: eo.vectors ?? true,
          },
        };
      }
    }
    if (o.trace !== false) r.trace = trace(b, o.trace ?? {});
    if (o.diagonal !== undefined && o.diagonal !== false) r.diagonal = diagonal(b, o.diagonal);
    return r;
  });
}
