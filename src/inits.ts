/**
 * `inits.*`: where an ensemble's particles start. Random inits draw from the counter-based
 * generator (stream INIT, particle p), so particle p starts in the same place whatever the
 * chunking, worker count or shard.
 */
import { DescentError, invalid } from './errors.ts';
import { finite, integer, isKindData, matrix, options, positiveDefinite, symmetrize, vector } from './validate.ts';

/** @internal Init kind ids. MUST MATCH assembly/run/inits.ts (test/layout.test.ts checks every id). */
export const INIT_KINDS = { point: 0, normal: 1, uniform: 2, grid: 3, array: 4 } as const satisfies Record<InitKind, number>;
/** @internal Kernel id of a normal init given by per-coordinate std (no d×d factor). MUST MATCH too. */
export const NORMAL_DIAGONAL = 5;

/** Name of an init kind. */
export type InitKind = 'point' | 'normal' | 'uniform' | 'grid' | 'array';

/** An initialiser: frozen, JSON-serialisable. `dim` is fixed by its arrays; `particles` by grids and arrays. */
export interface Init<P = Record<string, unknown>> {
  readonly type: 'init';
  readonly kind: InitKind;
  readonly dim: number;
  /** The particle count this init implies (grid, array), or undefined. */
  readonly particles?: number;
  readonly params: Readonly<P>;
}

function make<P>(kind: InitKind, dim: number, params: P, particles?: number): Init<P> {
  return Object.freeze({ type: 'init', kind, dim, ...(particles === undefined ? {} : { particles }), params: Object.freeze(params) });
}

/** Every particle starts at x. */
export function point(config: { x: ArrayLike<number> }): Init<{ x: number[] }> {
  const c = options<{ x: ArrayLike<number> }>(config, 'inits.point', ['x']);
  const x = vector(c.x, 'inits.point.x');
  return make('point', x.length, { x: Array.from(x) });
}

/** Config of {@link normal}: mean, and a std (scalar or per coordinate) or a covariance. */
export interface NormalInitConfig {
  mean: ArrayLike<number>;
  std?: number | ArrayLike<number>;
  covariance?: ArrayLike<ArrayLike<number>>;
}

/**
 * x_p ~ N(mean, Σ): with `std` (scalar or per coordinate, default 1; zeros allowed) Σ = diag(std²)
 * and x_p = mean + std ⊙ z_p; with `covariance`, any SPD Σ through its Cholesky factor.
 */
export function normal(config: NormalInitConfig): Init<{ mean: number[]; std: number[] } | { mean: number[]; covariance: number[][] }> {
  const c = options<NormalInitConfig>(config, 'inits.normal', ['mean', 'std', 'covariance']);
  const mean = vector(c.mean, 'inits.normal.mean');
  const d = mean.length;
  if (c.covariance !== undefined) {
    if (c.std !== undefined)
      throw new DescentError('E_CONFIG', 'inits.normal takes std or covariance, not both', { path: 'inits.normal.std', actual: c.std });
    const cov = matrix(c.covariance, 'inits.normal.covariance', d, d).data;
    symmetrize(cov, d, 'inits.normal.covariance');
    if (!positiveDefinite(cov, d)) throw invalid('E_CONFIG', 'inits.normal.covariance', 'positive definite', c.covariance);
    return make('normal', d, {
      mean: Array.from(mean),
      covariance: Array.from({ length: d }, (_, i) => Array.from(cov.subarray(i * d, (i + 1) * d))),
    });
  }
  const std =
    c.std === undefined
      ? new Float64Array(d).fill(1)
      : typeof c.std === 'number'
        ? new Float64Array(d).fill(finite(c.std, 'inits.normal.std', { min: 0 }))
        : vector(c.std, 'inits.normal.std', d, { min: 0 });
  return make('normal', d, { mean: Array.from(mean), std: Array.from(std) });
}

/** x_p uniform in the box [low, high]. */
export function uniform(config: { low: ArrayLike<number>; high: ArrayLike<number> }): Init<{ low: number[]; high: number[] }> {
  const c = options<{ low: ArrayLike<number>; high: ArrayLike<number> }>(config, 'inits.uniform', ['low', 'high']);
  const low = vector(c.low, 'inits.uniform.low');
  const high = vector(c.high, 'inits.uniform.high', low.length);
  high.forEach((h, j) => {
    if (!(h >= low[j])) throw invalid('E_CONFIG', `inits.uniform.high[${j}]`, `≥ low[${j}] = ${low[j]}`, h);
  });
  return make('uniform', low.length, { low: Array.from(low), high: Array.from(high) });
}

/** A regular grid over [low, high] with counts[j] points along coordinate j (basin maps); particles = Π counts, last coordinate fastest. */
export function grid(config: {
  low: ArrayLike<number>;
  high: ArrayLike<number>;
  counts: ArrayLike<number>;
}): Init<{ low: number[]; high: number[]; counts: number[] }> {
  const c = options<{ low: ArrayLike<number>; high: ArrayLike<number>; counts: ArrayLike<number> }>(config, 'inits.grid', [
    'low',
    'high',
    'counts',
  ]);
  const low = vector(c.low, 'inits.grid.low');
  const d = low.length;
  const high = vector(c.high, 'inits.grid.high', d);
  const counts = Array.from(vector(c.counts, 'inits.grid.counts', d), (n, j) => integer(n, `inits.grid.counts[${j}]`, { min: 1 }));
  const total = counts.reduce((a, b) => a * b, 1);
  integer(total, 'inits.grid.counts (product)', { max: 2 ** 31 - 1 });
  return make('grid', d, { low: Array.from(low), high: Array.from(high), counts }, total);
}

/** Given starting points, one per particle (rows of equal length). */
export function array(config: { points: ArrayLike<ArrayLike<number>> }): Init<{ points: number[][] }> {
  const c = options<{ points: ArrayLike<ArrayLike<number>> }>(config, 'inits.array', ['points']);
  const { data, rows, cols } = matrix(c.points, 'inits.array.points');
  return make('array', cols, { points: Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols))) }, rows);
}

/** Is `v` an init made by `inits.*`? */
export function isInit(v: unknown): v is Init {
  return typeof v === 'object' && v !== null && (v as Init).type === 'init' && Object.hasOwn(INIT_KINDS, (v as Init).kind);
}

/** Rebuild an init from its JSON form `{ kind, params }` (`type: 'init'` optional), re-validating. */
export function fromJSON(json: unknown): Init {
  if (!isKindData(json, INIT_KINDS, 'init'))
    throw new DescentError('E_CONFIG', `init must be { kind, params } with kind one of ${Object.keys(INIT_KINDS).join(', ')}`, {
      path: 'init',
      actual: json,
    });
  const j = json as Init;
  if (j.kind === 'normal') {
    // Its JSON has either std (diagonal) or covariance: pass on the one it has.
    const p = j.params as { mean: number[]; std?: number[]; covariance?: number[][] };
    return normal(p.covariance !== undefined ? { mean: p.mean, covariance: p.covariance } : { mean: p.mean, std: p.std });
  }
  const factories = { point, uniform, grid, array } as Record<string, (c: never) => Init>;
  return factories[j.kind](j.params as never);
}

/** @internal Kernel form; `factor` computes the covariance's Cholesky factor in wasm. */
export function packInit(init: Init, factor: (cov: Float64Array, d: number) => Float64Array): { id: number; q: Float64Array } {
  const p = init.params as Record<string, number[] | number[][]>;
  const d = init.dim;
  switch (init.kind) {
    case 'point':
      return { id: INIT_KINDS.point, q: Float64Array.from(p.x as number[]) };
    case 'normal': {
      if (p.std) return { id: NORMAL_DIAGONAL, q: Float64Array.of(...(p.mean as number[]), ...(p.std as number[])) };
      const L = factor(Float64Array.from((p.covariance as number[][]).flat()), d);
      return { id: INIT_KINDS.normal, q: Float64Array.of(...(p.mean as number[]), ...L) };
    }
    case 'uniform':
      return { id: INIT_KINDS.uniform, q: Float64Array.of(...(p.low as number[]), ...(p.high as number[])) };
    case 'grid':
      return { id: INIT_KINDS.grid, q: Float64Array.of(...(p.low as number[]), ...(p.high as number[]), ...(p.counts as number[])) };
    case 'array':
      return { id: INIT_KINDS.array, q: Float64Array.from((p.points as number[][]).flat()) };
  }
}
