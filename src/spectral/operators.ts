/**
 * Symmetric linear operators for `spectral.*`, each given by its matrix-vector product:
 * the Hessian of a landscape or model at a point, the Gauss–Newton and Fisher matrices of a
 * finite-sum model, a dense symmetric matrix, and a user's JS function. Every product except the
 * last is computed in wasm, so a whole Lanczos run is one wasm call; a JS function is answered
 * from JS on every product (reverse communication) and is the documented slow path.
 */
import { packResident, release, track } from '../../bindings/dense.ts';
import { run } from '../../bindings/engine.ts';
import { MODEL_KINDS } from '../../bindings/kinds.ts';
import * as kernels from '../../bindings/spectral.ts';
import { DescentError, invalid } from '../errors.ts';
import { Landscape } from '../landscapes/landscape.ts';
import type { Model, ParameterBlock } from '../models/model.ts';
import { dimension, integer, options, output, point, MAX_DIM } from '../validate.ts';

/** Which matrix an operator multiplies by. */
export type OperatorKind = 'hessian' | 'ggn' | 'fisher' | 'dense' | 'matvec';

/** A contiguous block of an operator's coordinates (a layer of a model, or any range). */
export interface OperatorBlock {
  /** Name: the model's parameter or layer name (`layers.0`, `layers.0.weight`), or `[offset, offset + size)`. */
  name: string;
  /** First coordinate, in the unrestricted operator's numbering. */
  offset: number;
  /** Number of coordinates. */
  size: number;
}

/** A user's product: given v (a fresh copy, `dim` numbers), return A v (`dim` numbers). */
export type Matvec = (v: Float64Array) => ArrayLike<number>;

interface Source {
  kind: OperatorKind;
  label: string;
  spec: Omit<kernels.OperatorSpec, 'dim' | 'offset' | 'label'>;
  /** The model behind a hessian / ggn / fisher operator (for `spectral.blocks`). */
  model: Model | undefined;
  /** Set by dispose(): every operator of this source (the original and its restrictions) refuses to run. */
  disposed?: boolean;
}

const SOURCES = new WeakMap<SpectralOperator, Source>();

/** The error for a disposed operator given to `what`. */
export function disposedError(op: SpectralOperator, what: string): DescentError {
  return new DescentError(
    'E_CONFIG',
    `${what}: op was disposed (dispose() was called on it, or on the operator it was restricted from or another restriction of that ` +
      `operator); make a new operator`,
    { path: `${what}: op`, expected: 'an operator that has not been disposed', actual: op },
  );
}

/**
 * A symmetric operator A: ℝⁿ → ℝⁿ given by its product. Made by `spectral.hessianOp`,
 * `ggnOp`, `fisherOp`, `denseOp` and `matvecOp`; restrict it to a block of coordinates with
 * {@link SpectralOperator.restrict} (or `spectral.blocks` for a model's layers).
 */
export class SpectralOperator {
  /** Which matrix this multiplies by. */
  readonly kind: OperatorKind;
  /** Dimension n (the block's size when restricted). */
  readonly dim: number;
  /** The block this operator is restricted to, or undefined for the whole operator. */
  readonly block: Readonly<OperatorBlock> | undefined;

  /** @internal Use the factories in `spectral.*`. */
  constructor(source: Source, block?: OperatorBlock) {
    this.kind = source.kind;
    this.dim = block ? block.size : source.spec.fullDim;
    this.block = block ? Object.freeze({ ...block }) : undefined;
    SOURCES.set(this, source);
    Object.freeze(this);
  }

  /** @internal What the kernels need (E_CONFIG naming `what` once disposed). */
  spec(what = this.label): kernels.OperatorSpec {
    const s = SOURCES.get(this)!;
    if (s.disposed) throw disposedError(this, what);
    return { ...s.spec, dim: this.dim, offset: this.block?.offset ?? 0, label: s.label };
  }

  /**
   * Whether {@link SpectralOperator.dispose} was called on this operator or on one sharing its matrix (the operator it was restricted from,
   * or another restriction).
   */
  get disposed(): boolean {
    return SOURCES.get(this)!.disposed === true;
  }

  /**
   * Release what the operator holds: for a `denseOp`, its packed matrix — the copy resident in
   * wasm memory at once, the JS copy when no longer referenced. The operator, the one it was
   * restricted from and all their restrictions share that matrix and all become unusable: any later
   * call with them throws DescentError `E_CONFIG` (path `…: op`). Calling it again does nothing.
   * Optional: a dense operator that is garbage-collected frees its resident copy by itself
   * (FinalizationRegistry), and the resident copies are bounded in any case (see `denseOp`).
   */
  dispose(): void {
    const s = SOURCES.get(this)!;
    if (s.disposed) return;
    s.disposed = true;
    const key = s.spec.resident;
    s.spec = { kind: s.spec.kind, fullDim: s.spec.fullDim };
    s.model = undefined;
    if (key) release(s, key);
  }

  /** @internal The model behind a hessian / ggn / fisher operator. */
  model(): Model | undefined {
    return SOURCES.get(this)!.model;
  }

  /** @internal Name for messages, e.g. `spectral.denseOp`. */
  get label(): string {
    return SOURCES.get(this)!.label;
  }

  /** The product A v (computed in wasm unless this is a `matvecOp`), into `out` if given. */
  apply(v: ArrayLike<number>, out?: Float64Array): Float64Array {
    const path = `${this.label}.apply: v`;
    const spec = this.spec(`${this.label}.apply`);
    const vs = point(v, path, this.dim);
    const o = output(out, `${this.label}.apply: out`, this.dim);
    return run(`${this.label}.apply`, (live) => {
      if (spec.kind !== kernels.OP_KIND.user) {
        const bad = vs.findIndex((x) => !Number.isFinite(x));
        if (bad >= 0) throw invalid('E_INPUT', `${path}[${bad}]`, 'a finite number', vs[bad]);
      }
      return kernels.apply(live, spec, vs, o);
    });
  }

  /**
   * The principal block A[offset : offset + size, offset : offset + size] (coordinates counted in
   * this operator's numbering) as an operator of dimension `size`. Each of its products costs one
   * product of the whole operator.
   */
  restrict(offset: number, size: number, name?: string): SpectralOperator {
    if (this.disposed) throw disposedError(this, `${this.label}.restrict`);
    const base = this.block?.offset ?? 0;
    const off = integer(offset, `${this.label}.restrict: offset`, { min: 0, max: this.dim - 1 }, undefined, 'E_INPUT');
    const sz = integer(size, `${this.label}.restrict: size`, { min: 1, max: this.dim - off }, undefined, 'E_INPUT');
    if (name !== undefined && typeof name !== 'string') throw invalid('E_INPUT', `${this.label}.restrict: name`, 'a string', name);
    return new SpectralOperator(SOURCES.get(this)!, { name: name ?? `[${base + off}, ${base + off + sz})`, offset: base + off, size: sz });
  }
}

/** Copy a point and check it: `dim` finite numbers (E_INPUT with the first bad index). */
function checkedPoint(x: unknown, path: string, dim: number): Float64Array {
  const p = Float64Array.from(point(x, path, dim));
  const bad = p.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw invalid('E_INPUT', `${path}[${bad}]`, 'a finite number', p[bad]);
  return p;
}

function isModel(l: Landscape): l is Model {
  return 'blocks' in l && Array.isArray((l as Model).blocks);
}

/**
 * The Hessian ∇²f(x) of a landscape (or model) at the point x, applied by exact Hessian-vector
 * products in wasm. x is copied: later changes to it do not affect the operator.
 */
export function hessianOp(landscape: Landscape, x: ArrayLike<number>): SpectralOperator {
  if (!(landscape instanceof Landscape))
    throw invalid('E_CONFIG', 'spectral.hessianOp: landscape', 'a landscape or model (from landscapes.* or models.*)', landscape);
  const p = checkedPoint(x, 'spectral.hessianOp: x', landscape.dim);
  return new SpectralOperator({
    kind: 'hessian',
    label: 'spectral.hessianOp',
    spec: { kind: kernels.OP_KIND.hessian, fullDim: landscape.dim, point: p, packed: (live) => landscape.packed(live) },
    model: isModel(landscape) ? landscape : undefined,
  });
}

function finiteSumModel(model: unknown, path: string): Model {
  const ok =
    model instanceof Landscape && (MODEL_KINDS as readonly string[]).includes(model.kind) && isModel(model) && model.data !== undefined;
  if (!ok) throw invalid('E_CONFIG', path, `a finite-sum model (${MODEL_KINDS.join(', ')}) with data`, model);
  return model as Model;
}

/**
 * The generalised Gauss–Newton matrix G(θ) = (1/n) Σ w_i J_iᵀ H_ℓ,i J_i of a finite-sum model
 * (docs/models.md), applied exactly in wasm. PSD for convex losses (mse, crossEntropy, bce).
 */
export function ggnOp(model: Model, theta: ArrayLike<number>): SpectralOperator {
  const m = finiteSumModel(model, 'spectral.ggnOp: model');
  const p = checkedPoint(theta, 'spectral.ggnOp: theta', m.dim);
  return new SpectralOperator({
    kind: 'ggn',
    label: 'spectral.ggnOp',
    spec: { kind: kernels.OP_KIND.ggn, fullDim: m.dim, point: p, packed: (live) => m.packed(live) },
    model: m,
  });
}

/** Options of {@link fisherOp}. */
export interface FisherOptions {
  /**
   * `'true'` (default): the Fisher of the model's predictive distribution, which for mse,
   * crossEntropy and bce equals the Gauss–Newton matrix exactly (docs/models.md);
   * `'empirical'`: (1/n) Σ w_i ∇ℓ_i ∇ℓ_iᵀ at the data's labels.
   */
  kind?: 'true' | 'empirical';
}

/** The true or empirical Fisher information matrix of a finite-sum model at θ, applied in wasm. */
export function fisherOp(model: Model, theta: ArrayLike<number>, opts: FisherOptions = {}): SpectralOperator {
  const o = options<FisherOptions>(opts, 'spectral.fisherOp', ['kind']);
  const kind = o.kind ?? 'true';
  if (kind !== 'true' && kind !== 'empirical') throw invalid('E_CONFIG', 'spectral.fisherOp.kind', "'true' or 'empirical'", kind);
  const m = finiteSumModel(model, 'spectral.fisherOp: model');
  const p = checkedPoint(theta, 'spectral.fisherOp: theta', m.dim);
  return new SpectralOperator({
    kind: 'fisher',
    label: 'spectral.fisherOp',
    spec: {
      kind: kind === 'true' ? kernels.OP_KIND.ggn : kernels.OP_KIND.fisherEmpirical,
      fullDim: m.dim,
      point: p,
      packed: (live) => m.packed(live),
    },
    model: m,
  });
}

/** Largest order of a dense operator (its packed half takes 8·n²/2 bytes: 2 GiB at this n). */
export const MAX_DENSE_ORDER = 23170;

/**
 * A dense symmetric matrix, as an array of n rows of n numbers or a row-major Float64Array of
 * n² numbers. Every entry must be finite (E_INPUT naming it) and the matrix symmetric to rounding,
 * |a_ij − a_ji| ≤ 1e-12·max|a| (E_INPUT naming an offending pair). The operator is the exactly
 * symmetric matrix with the given upper triangle; it is stored once, in the panel layout of
 * assembly/spectral/matvec.ts, so a product reads each stored entry once (half a full matvec's
 * memory traffic). The matrix is copied, so later changes to `matrix` do not affect the operator.
 *
 * Cost: after `init()`, validation and packing run in wasm, in one SIMD pass over the matrix
 * (assembly/spectral/pack.ts), which writes the packed matrix straight into its resident block
 * (below): about 1 ms at n = 1 000 beyond copying the matrix into wasm memory. That needs wasm
 * memory for the full matrix (8n² bytes, on the call's stack, freed when it returns) beside the
 * packed half; if it does not fit, or before `init()`, the same checks and packing run in JS
 * (the same doubles, the same errors, ~10× slower).
 *
 * Residency: the packed matrix (≈ 4n² bytes) stays in wasm memory, so calls start at once. The
 * copy lives outside the calls' own memory, which each call frees; memory growing does not move it.
 * Each operator has its own copy (two operators never share or overwrite one), and each wasm
 * instance its own: every thread or worker that uses descent copies it in on its first call there,
 * and so does the first call after a trap replaced the instance. Bounded: resident copies together
 * take at most a quarter of the memory limit (`init({ memoryLimit })`, 1 GiB by default, so
 * 256 MiB), and count toward that limit; past it the least recently used copy is evicted (its
 * operator copies it in again at its next call). A matrix larger than that bound is copied in by
 * every call instead; so is one made or used inside another call that holds memory (from a
 * `matvecOp` function) before it is resident, until a call of its own makes it resident.
 * `op.dispose()` frees the copy at once and makes the operator unusable; an operator that is
 * garbage-collected frees its copy by itself. The operator keeps a JS copy of the packed matrix
 * (to copy it in again) from the moment its resident copy is evicted or its instance replaced
 * (or from the start, when it was packed in JS or could not be made resident), until disposed or
 * collected. Results do not depend on any of this: the same bits as a fresh copy every call.
 */
export function denseOp(matrix: ArrayLike<ArrayLike<number>> | Float64Array): SpectralOperator {
  const path = 'spectral.denseOp: matrix';
  let n: number;
  let a: Float64Array;
  if (matrix instanceof Float64Array) {
    n = Math.round(Math.sqrt(matrix.length));
    if (n < 1 || n * n !== matrix.length)
      throw invalid('E_INPUT', path, 'a square matrix (a Float64Array of n² numbers, row-major)', matrix);
    a = matrix;
  } else if (Array.isArray(matrix) && matrix.length > 0) {
    n = matrix.length;
    if (n > MAX_DENSE_ORDER) throw invalid('E_INPUT', path, `of order ≤ ${MAX_DENSE_ORDER}`, n);
    a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      const r = matrix[i] as unknown;
      if (!(Array.isArray(r) || (ArrayBuffer.isView(r) && !(r instanceof DataView))) || (r as ArrayLike<number>).length !== n) {
        throw invalid('E_INPUT', `${path}[${i}]`, `a row of ${n} numbers (the matrix must be square)`, r);
      }
      const row = r as ArrayLike<unknown>;
      for (let j = 0; j < n; j++) {
        const v = row[j];
        if (typeof v !== 'number') throw invalid('E_INPUT', `${path}[${i}][${j}]`, 'a finite number', v);
        a[i * n + j] = v;
      }
    }
  } else {
    throw invalid('E_INPUT', path, 'a square matrix: an array of rows, or a row-major Float64Array', matrix);
  }
  if (n > MAX_DENSE_ORDER) throw invalid('E_INPUT', path, `of order ≤ ${MAX_DENSE_ORDER}`, n);
  // Its memory's lifecycle (resident copy, dispose, garbage collection) is bindings/dense.ts's.
  const { matrix: dense, key } = packResident(n, a, () => checkedPack(n, a, path));
  const source: Source = {
    kind: 'dense',
    label: 'spectral.denseOp',
    spec: { kind: kernels.OP_KIND.dense, fullDim: n, matrix: dense, resident: key },
    model: undefined,
  };
  track(source, key);
  return new SpectralOperator(source);
}

/**
 * Validate in JS — every entry finite (the first bad one in row-major order), then symmetry tile by
 * tile (the first bad pair in tile order) — and pack: before init(), and to name the offending
 * entry when the wasm check failed. Accepts exactly the matrices the wasm packer
 * (bindings/dense.ts packResident) accepts.
 */
function checkedPack(n: number, a: Float64Array, path: string): Float64Array {
  let scale = 0;
  for (let k = 0; k < a.length; k++) {
    const v = a[k];
    if (!(v - v === 0)) throw invalid('E_INPUT', `${path}[${Math.floor(k / n)}][${k % n}]`, 'a finite number', v);
    const m = v < 0 ? -v : v;
    if (m > scale) scale = m;
  }
  // Symmetry, tile by tile (both tiles stay in cache: the transposed reads are not strided across all of memory).
  const tol = 1e-12 * scale,
    B = 64;
  for (let I = 0; I < n; I += B) {
    const iEnd = Math.min(I + B, n);
    for (let J = I; J < n; J += B) {
      const jEnd = Math.min(J + B, n);
      for (let i = I; i < iEnd; i++) {
        for (let j = Math.max(J, i + 1); j < jEnd; j++) {
          const x = a[i * n + j],
            y = a[j * n + i],
            diff = x - y;
          if (diff > tol || diff < -tol) {
            throw new DescentError(
              'E_INPUT',
              `${path} must be symmetric (|a_ij − a_ji| ≤ 1e-12·max|a|), but [${i}][${j}] = ${x} and [${j}][${i}] = ${y}`,
              { path: `${path}[${i}][${j}]`, expected: 'a symmetric matrix', actual: x },
            );
          }
        }
      }
    }
  }
  return kernels.packSymmetric(n, a);
}

/**
 * An operator given by a JS function v ↦ A v (A must be symmetric; not checked). The slow path:
 * every product crosses from wasm to JS and back (a copy of v out, the result in), so prefer
 * the wasm operators where one fits. The function is called synchronously, with a fresh copy of
 * v each time; it may call other descent functions.
 */
export function matvecOp(fn: Matvec, dim: number): SpectralOperator {
  if (typeof fn !== 'function') throw invalid('E_CONFIG', 'spectral.matvecOp: fn', 'a function v ↦ A v', fn);
  const n = dimension(dim, 'spectral.matvecOp: dim', 1);
  if (n > MAX_DIM) throw invalid('E_CONFIG', 'spectral.matvecOp: dim', `≤ ${MAX_DIM}`, dim);
  return new SpectralOperator({
    kind: 'matvec',
    label: 'spectral.matvecOp',
    spec: { kind: kernels.OP_KIND.user, fullDim: n, fn },
    model: undefined,
  });
}

/** Options of {@link blocks}. */
export interface BlocksOptions {
  /**
   * `'layer'` (default): one block per layer, its weight and bias together (names `layers.0`, …;
   * parameters that are not `<layer>.weight` / `<layer>.bias` stay on their own);
   * `'parameter'`: one block per parameter tensor, as `model.blocks`.
   */
  group?: 'layer' | 'parameter';
}

/** Group a model's parameter blocks into contiguous layers (or keep them). */
export function modelBlocks(params: readonly ParameterBlock[], group: 'layer' | 'parameter'): OperatorBlock[] {
  if (group === 'parameter') return params.map((b) => ({ name: b.name, offset: b.offset, size: b.size }));
  const out: OperatorBlock[] = [];
  for (const b of params) {
    const m = /^(.*)\.(weight|bias)$/.exec(b.name);
    const name = m ? m[1] : b.name;
    const last = out[out.length - 1];
    if (last && m && last.name === name && last.offset + last.size === b.offset) last.size += b.size;
    else out.push({ name, offset: b.offset, size: b.size });
  }
  return out;
}

/**
 * The diagonal blocks of a model's operator, one per layer (or per parameter tensor), each an
 * operator of its block's dimension: per-layer curvature (top eigenvalue, trace, diagonal of
 * each layer's block of the Hessian, GGN or Fisher).
 */
export function blocks(op: SpectralOperator, opts: BlocksOptions = {}): SpectralOperator[] {
  if (!(op instanceof SpectralOperator)) throw invalid('E_CONFIG', 'spectral.blocks: op', 'a spectral operator', op);
  if (op.disposed) throw disposedError(op, 'spectral.blocks');
  const o = options<BlocksOptions>(opts, 'spectral.blocks', ['group']);
  const group = o.group ?? 'layer';
  if (group !== 'layer' && group !== 'parameter') throw invalid('E_CONFIG', 'spectral.blocks.group', "'layer' or 'parameter'", group);
  const model = op.model();
  if (!model || op.block)
    throw invalid(
      'E_CONFIG',
      'spectral.blocks: op',
      'an unrestricted operator of a model (hessianOp, ggnOp or fisherOp of a model)',
      op.kind,
    );
  return modelBlocks(model.blocks, group).map((b) => op.restrict(b.offset, b.size, b.name));
}
