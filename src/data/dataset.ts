/**
 * Datasets for finite-sum models: validated, frozen, JSON-serialisable. Conventions (shapes,
 * labels, weights): docs/models.md.
 */
import { DescentError, invalid } from '../errors.ts';
import { integer, options } from '../validate.ts';

/** A dataset: n examples of m inputs with regression targets (k per example) or class labels. */
export interface Dataset {
  readonly type: 'data';
  readonly task: 'regression' | 'classification';
  /** Examples. */
  readonly n: number;
  /** Inputs per example (m; 0 when examples have no inputs, e.g. matrix entries). */
  readonly inputs: number;
  /** Targets per example: k for regression, 1 (the label) for classification. */
  readonly outputs: number;
  /** Number of classes C (classification only). */
  readonly classes?: number;
  /** Inputs, n × m row-major. */
  readonly X: readonly number[];
  /** Targets, n × k row-major, or n labels in [0, C). */
  readonly y: readonly number[];
  /** Example weights w_i ≥ 0 (L = (1/n) Σ w_i ℓ_i), or absent: all 1. */
  readonly weights?: readonly number[];
  /** Ground truth of a generated dataset (teacher weights, support, target matrix, groups…). */
  readonly truth?: Readonly<Record<string, readonly number[] | number>>;
}

/** Config of {@link from}. */
export interface DataConfig {
  /** Inputs: n rows of m numbers, or n·m numbers row-major with `inputs: m`. */
  X: ArrayLike<number> | ArrayLike<ArrayLike<number>>;
  /** Targets: n·k numbers (or n rows of k) for regression; n integer labels with `classes`. */
  y: ArrayLike<number> | ArrayLike<ArrayLike<number>>;
  /** m, when X is flat. */
  inputs?: number;
  /** Number of classes C: makes this a classification dataset with labels in [0, C). */
  classes?: number;
  /** Example weights (n numbers ≥ 0, not all 0). */
  weights?: ArrayLike<number>;
}

function isRows(v: unknown): v is ArrayLike<ArrayLike<number>> {
  return Array.isArray(v) && v.length > 0 && typeof v[0] === 'object' && v[0] !== null;
}

function flat(v: unknown, path: string): { data: number[]; cols?: number } {
  if (isRows(v)) {
    const rows = v as ArrayLike<ArrayLike<number>>;
    const cols = rows[0].length;
    const out: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!r || typeof r !== 'object' || r.length !== cols)
        throw invalid('E_CONFIG', `${path}[${i}]`, `a row of ${cols} numbers (as row 0)`, r);
      for (let j = 0; j < cols; j++) out.push(r[j]);
    }
    return { data: out, cols };
  }
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number')
    throw invalid('E_CONFIG', path, 'an array of numbers (or of rows)', v);
  return { data: Array.from(v as ArrayLike<number>) };
}

function checkFinite(a: readonly number[], path: string): void {
  for (let i = 0; i < a.length; i++) {
    if (typeof a[i] !== 'number' || !Number.isFinite(a[i])) throw invalid('E_CONFIG', `${path}[${i}]`, 'a finite number', a[i]);
  }
}

/** @internal Build a frozen dataset from already-flat arrays (checked). */
export function make(
  task: Dataset['task'],
  n: number,
  inputs: number,
  outputs: number,
  X: number[],
  y: number[],
  extra: { classes?: number; weights?: number[]; truth?: Record<string, number[] | number> } = {},
): Dataset {
  const d: Dataset = {
    type: 'data',
    task,
    n,
    inputs,
    outputs,
    ...(extra.classes === undefined ? {} : { classes: extra.classes }),
    X,
    y,
    ...(extra.weights ? { weights: extra.weights } : {}),
    ...(extra.truth ? { truth: extra.truth } : {}),
  };
  Object.freeze(X);
  Object.freeze(y);
  if (extra.weights) Object.freeze(extra.weights);
  if (extra.truth) {
    for (const v of Object.values(extra.truth)) if (Array.isArray(v)) Object.freeze(v);
    Object.freeze(extra.truth);
  }
  return Object.freeze(d);
}

function weightsOf(v: unknown, n: number, path: string): number[] | undefined {
  if (v === undefined) return undefined;
  const { data } = flat(v, path);
  if (data.length !== n) throw invalid('E_CONFIG', path, `${n} numbers (one per example)`, `${data.length} numbers`);
  checkFinite(data, path);
  data.forEach((w, i) => {
    if (w < 0) throw invalid('E_CONFIG', `${path}[${i}]`, 'a number ≥ 0', w);
  });
  if (!data.some((w) => w > 0)) throw invalid('E_CONFIG', path, 'weights not all 0', 'all 0');
  return data;
}

/**
 * A dataset from your arrays, validated: shapes agree, numbers are finite, labels are integers in
 * [0, C), weights are ≥ 0.
 *
 * @example
 * const d = descent.data.from({ X: [[0, 1], [1, 0], [1, 1]], y: [1, 2, 3] });   // n 3, m 2, k 1
 * const c = descent.data.from({ X: Float64Array.of(0, 1, 1, 0), inputs: 2, y: [0, 1], classes: 2 });
 */
export function from(config: DataConfig): Dataset {
  const c = options<DataConfig>(config, 'data', ['X', 'y', 'inputs', 'classes', 'weights']);
  if (c.X === undefined) throw invalid('E_CONFIG', 'data.X', 'an array of inputs', undefined);
  if (c.y === undefined) throw invalid('E_CONFIG', 'data.y', 'an array of targets', undefined);
  const x = flat(c.X, 'data.X');
  let m: number;
  if (x.cols !== undefined) {
    m = x.cols;
    if (c.inputs !== undefined && c.inputs !== m)
      throw invalid('E_CONFIG', 'data.inputs', `${m} (the length of X's rows) or omitted`, c.inputs);
  } else {
    m = integer(c.inputs, 'data.inputs', { min: 1 });
    if (x.data.length % m !== 0) throw invalid('E_CONFIG', 'data.X', `a multiple of inputs = ${m} numbers`, `${x.data.length} numbers`);
  }
  if (m < 1) throw invalid('E_CONFIG', 'data.X', 'rows of at least one input', 'empty rows');
  const n = x.data.length / m;
  if (n < 1) throw invalid('E_CONFIG', 'data.X', 'at least one example', 'no examples');
  checkFinite(x.data, 'data.X');
  const y = flat(c.y, 'data.y');
  checkFinite(y.data, 'data.y');
  const weights = weightsOf(c.weights, n, 'data.weights');
  if (c.classes !== undefined) {
    const C = integer(c.classes, 'data.classes', { min: 2 });
    if (y.data.length !== n) throw invalid('E_CONFIG', 'data.y', `${n} labels (one per row of X)`, `${y.data.length} numbers`);
    y.data.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= C) throw invalid('E_CONFIG', `data.y[${i}]`, `a class label, an integer in [0, ${C})`, v);
    });
    return make('classification', n, m, 1, x.data, y.data, { classes: C, weights });
  }
  if (y.data.length === 0 || y.data.length % n !== 0)
    throw invalid('E_CONFIG', 'data.y', `n·k numbers for n = ${n} examples (rows of X)`, `${y.data.length} numbers`);
  if (y.cols !== undefined && y.data.length / y.cols !== n)
    throw invalid('E_CONFIG', 'data.y', `${n} rows (one per row of X)`, `${y.data.length / y.cols} rows`);
  return make('regression', n, m, y.data.length / n, x.data, y.data, { weights });
}

/** Is `v` a dataset made by `data.*`? */
export function isDataset(v: unknown): v is Dataset {
  return typeof v === 'object' && v !== null && (v as Dataset).type === 'data';
}

/** Rebuild a dataset from its JSON form (validated again). */
export function fromJSON(json: unknown): Dataset {
  if (!isDataset(json))
    throw new DescentError('E_CONFIG', "data must be { type: 'data', task, n, inputs, X, y, … }", { path: 'data', actual: json });
  const j = json as Dataset;
  const d =
    j.inputs === 0
      ? make(j.task, j.n, 0, j.outputs, [], Array.from(j.y), {})
      : from({
          X: j.X,
          inputs: j.inputs,
          y: j.y,
          ...(j.classes ? { classes: j.classes } : {}),
          ...(j.weights ? { weights: j.weights } : {}),
        });
  return j.truth
    ? make(d.task, d.n, d.inputs, d.outputs, d.X as number[], d.y as number[], {
        classes: d.classes,
        weights: d.weights as number[] | undefined,
        truth: j.truth as Record<string, number[] | number>,
      })
    : d;
}

/** The same examples with new weights (or none: `null`). */
export function reweight(data: Dataset, weights: ArrayLike<number> | null): Dataset {
  if (!isDataset(data)) throw invalid('E_CONFIG', 'data.reweight: data', 'a dataset from data.*', data);
  const w = weights === null ? undefined : weightsOf(weights, data.n, 'data.reweight: weights');
  return make(data.task, data.n, data.inputs, data.outputs, data.X as number[], data.y as number[], {
    classes: data.classes,
    weights: w,
    truth: data.truth as Record<string, number[] | number> | undefined,
  });
}
