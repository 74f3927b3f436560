/**
 * Factorised models: the diagonal linear network and matrix factorisation (asymmetric U Vᵀ or
 * symmetric U Uᵀ, full observation or matrix sensing). Kernels: assembly/models/diagonalLinear.ts,
 * assembly/models/matrixFactorization.ts; conventions: docs/models.md.
 */
import { invalid } from '../errors.ts';
import { integer, matrix, options } from '../validate.ts';
import { isDataset, make, type Dataset } from '../data/dataset.ts';
import { Model } from './model.ts';
import { finiteSumPacker, reductionOptions, type ReductionOptions } from './pack.ts';

/** Config of {@link diagonalLinear}. */
export interface DiagonalLinearConfig extends ReductionOptions {
  /** Regression data with one target per example. */
  data: Dataset;
}

/**
 * Diagonal linear network: θ = (u, v), w = u⊙u − v⊙v, f(x) = xᵀw, ℓ = (f − y)². The model whose
 * implicit bias (ℓ₁ at small initialisation scale, ℓ₂ at large) sparse-recovery studies probe.
 */
export function diagonalLinear(config: DiagonalLinearConfig): Model<'diagonalLinear', { data: Dataset } & ReductionOptions> {
  const c = options<DiagonalLinearConfig>(config, 'diagonalLinear', ['data', 'reduction', 'scale']);
  const red = reductionOptions(c, 'diagonalLinear');
  if (!isDataset(c.data)) throw invalid('E_CONFIG', 'diagonalLinear.data', 'a dataset from data.*', c.data);
  const data = c.data;
  if (data.task !== 'regression' || data.outputs !== 1)
    throw invalid(
      'E_CONFIG',
      'diagonalLinear.data',
      'regression data with one target per example',
      `${data.task} data with ${data.outputs} targets`,
    );
  const m = data.inputs;
  return new Model('diagonalLinear', 2 * m, { data, ...red.params }, finiteSumPacker(data, 'mse', 1, [], 2 * m, 2 * m, red), [
    { name: 'u', offset: 0, size: m, fanIn: 1, fanOut: 1, bias: false },
    { name: 'v', offset: m, size: m, fanIn: 1, fanOut: 1, bias: false },
  ]);
}

/** Config of {@link matrixFactorization}. */
export interface MatrixFactorizationConfig extends ReductionOptions {
  /** Rows a of M̂. */
  rows: number;
  /** Columns b of M̂ (default rows; equal to rows when symmetric). */
  cols?: number;
  /** Rank r of the factors. */
  rank: number;
  /** M̂ = U Uᵀ (θ = U) instead of U Vᵀ (θ = U, V). Default false. */
  symmetric?: boolean;
  /** Full observation: the target matrix (a rows of b); every entry is an example. */
  target?: ArrayLike<ArrayLike<number>>;
  /** Matrix sensing: measurements A_i (rows of X, a·b each, row-major) and y_i (`data.matrixSensing`). */
  data?: Dataset;
}

/** Normalised params of {@link matrixFactorization}. */
export interface MatrixFactorizationParams {
  rows: number;
  cols: number;
  rank: number;
  symmetric: boolean;
  observation: 'full' | 'sensing';
  data: Dataset;
  /** 'sum' when not the default 'mean' (absent otherwise). */
  reduction?: ReductionOptions['reduction'];
  /** The loss factor when not 1 (absent otherwise). */
  scale?: number;
}

/**
 * Matrix factorisation M̂ = U Vᵀ or U Uᵀ fitted by squared error: to every entry of a target
 * (`target`, L = mse_loss(M̂, M)) or to linear measurements ⟨A_i, M̂⟩ ≈ y_i (`data`).
 */
export function matrixFactorization(config: MatrixFactorizationConfig): Model<'matrixFactorization', MatrixFactorizationParams> {
  const c = options<MatrixFactorizationConfig & { observation?: string }>(config, 'matrixFactorization', [
    'rows',
    'cols',
    'rank',
    'symmetric',
    'target',
    'data',
    'observation',
    'reduction',
    'scale',
  ]);
  const red = reductionOptions(c, 'matrixFactorization');
  const a = integer(c.rows, 'matrixFactorization.rows', { min: 1, max: 4096 });
  const b = integer(c.cols, 'matrixFactorization.cols', { min: 1, max: 4096 }, a);
  const r = integer(c.rank, 'matrixFactorization.rank', { min: 1, max: 4096 });
  if (c.symmetric !== undefined && typeof c.symmetric !== 'boolean')
    throw invalid('E_CONFIG', 'matrixFactorization.symmetric', 'true or false', c.symmetric);
  const sym = c.symmetric === true;
  if (sym && b !== a) throw invalid('E_CONFIG', 'matrixFactorization.cols', `${a} (= rows) when symmetric`, b);
  if ((c.target === undefined) === (c.data === undefined))
    throw invalid(
      'E_CONFIG',
      'matrixFactorization',
      'exactly one of target (full observation) and data (sensing)',
      c.target === undefined ? 'neither' : 'both',
    );
  let data: Dataset, observation: 'full' | 'sensing';
  if (c.data !== undefined) {
    if (!isDataset(c.data)) throw invalid('E_CONFIG', 'matrixFactorization.data', 'a dataset from data.*', c.data);
    data = c.data;
    // A dataset rebuilt from JSON of a full-observation model has no inputs: it is the target.
    observation = data.inputs === 0 ? 'full' : 'sensing';
    if (observation === 'sensing' && data.inputs !== a * b)
      throw invalid('E_CONFIG', 'matrixFactorization.data', `measurements of ${a * b} numbers (rows·cols) each`, `${data.inputs} inputs`);
    if (observation === 'full' && data.n !== a * b) throw invalid('E_CONFIG', 'matrixFactorization.data', `${a * b} entries`, data.n);
    if (data.task !== 'regression' || data.outputs !== 1)
      throw invalid('E_CONFIG', 'matrixFactorization.data', 'regression data with one target per measurement', data.task);
  } else {
    const M = matrix(c.target, 'matrixFactorization.target', a, b);
    data = make('regression', a * b, 0, 1, [], Array.from(M.data));
    observation = 'full';
  }
  const dim = (sym ? a : a + b) * r;
  const blocks = [{ name: 'U', offset: 0, size: a * r, fanIn: r, fanOut: a, bias: false }];
  if (!sym) blocks.push({ name: 'V', offset: a * r, size: b * r, fanIn: r, fanOut: b, bias: false });
  const spec = [a, b, r, sym ? 1 : 0, observation === 'sensing' ? 1 : 0];
  return new Model(
    'matrixFactorization',
    dim,
    { rows: a, cols: b, rank: r, symmetric: sym, observation, data, ...red.params },
    finiteSumPacker(data, 'mse', 1, spec, 2 * (a + b) * r + 1, dim, red),
    blocks,
  );
}
