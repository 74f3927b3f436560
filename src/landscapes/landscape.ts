/**
 * The {@link Landscape} type: a frozen, JSON-serialisable description of an objective
 * f: ℝᵈ → ℝ (its `kind`, `dim` and normalised `params`) with exact derivatives computed in wasm.
 */
import { run, trapped, type Live } from '../../bindings/engine.ts';
import { LANDSCAPE_KINDS, type LandscapeKind } from '../../bindings/kinds.ts';
import * as kernels from '../../bindings/landscapes.ts';
import type { Link } from '../../bindings/linked.ts';
import { linker } from '../../bindings/linker.ts';
import { DescentError, invalid, sizedBy } from '../errors.ts';
import { formatBytes } from '../../bindings/memory.ts';
import { batch, output, point } from '../validate.ts';

export type { LandscapeKind };

/** Packs a landscape's parameters for the kernel (may call wasm, e.g. to factor covariances). */
export type Packer = (live: Live) => { params: Float64Array; scratch?: number; links?: readonly Link[] };

/** JSON form of a landscape: enough to rebuild it with `landscapes.fromJSON`. */
export interface LandscapeJSON<K extends LandscapeKind = LandscapeKind, P = unknown> {
  kind: K;
  params: P;
}

/** n points: an array of n points of dim numbers, or their n·dim coordinates row-major. */
export type Batch = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** Value and gradient at one point. */
export interface ValueAndGrad {
  value: number;
  grad: Float64Array;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * An objective function with exact derivatives. Made by the factories in `landscapes.*`, never
 * directly. Its data (`kind`, `dim`, `params`) is frozen and plain: `JSON.stringify` gives
 * `{ kind, params }`, which `landscapes.fromJSON` turns back into an equal landscape.
 *
 * Points are `Float64Array` or `number[]` of length `dim`; batches are arrays of points, or
 * row-major n·dim arrays.
 * All numbers are computed in WebAssembly: call `await descent.init()` once first.
 *
 * @example
 * await descent.init();
 * const f = descent.landscapes.rosenbrock({ dim: 3 });
 * f.value([1, 1, 1]);           // 0
 * f.grad([0, 0, 0]);            // Float64Array [-2, -2, 0]
 * f.hvp([0, 0, 0], [1, 0, 0]);  // Float64Array [2, 0, 0]
 */
export class Landscape<K extends LandscapeKind = LandscapeKind, P extends object = object> {
  /** Which function this is. */
  readonly kind: K;
  /** Number of coordinates of a point. */
  readonly dim: number;
  /** The config, with defaults filled in; plain, frozen, JSON-serialisable. */
  readonly params: Readonly<P>;
  readonly #pack: Packer;
  #packed: kernels.Packed | undefined;
  /** Where single-point calls run without a heap scope (bindings/landscapes.ts, Slot); made by the first call on each instance. */
  #slot: kernels.Slot | undefined;

  /** @internal Use the factories in `landscapes.*`. */
  constructor(kind: K, dim: number, params: P, pack: Packer) {
    this.kind = kind;
    this.dim = dim;
    this.params = deepFreeze(params);
    this.#pack = pack;
    Object.freeze(this);
  }

  /** @internal Parameters as the kernels take them (computed once, then cached). */
  packed(live: Live): kernels.Packed {
    if (!this.#packed) {
      const { params, scratch = 0, links } = this.#pack(live);
      this.#packed = Object.freeze({ id: LANDSCAPE_KINDS[this.kind], dim: this.dim, params, scratch, links });
    }
    // Linked modules go into each instance's table on its first use (bindings/linked.ts).
    if (this.#packed.links) linker.into!(live, this.#packed.links);
    return this.#packed;
  }

  /** Packed parameters, and this instance's slot for single-point calls. */
  #prepare(live: Live): kernels.Packed {
    const p = this.packed(live);
    if (this.#slot?.live !== live) this.#slot = kernels.slot(live, p);
    return p;
  }

  /**
   * f(x). Single-point methods validate x (and v, out) as the batch ones do; when the landscape's
   * parameters are small they evaluate in a fixed region of wasm memory with nothing allocated
   * but the result (and not that with `out`), so a call at small d costs tens of nanoseconds.
   */
  value(x: ArrayLike<number>): number {
    try {
      const f = kernels.valueAt(this.#slot, x);
      if (f !== undefined) return f;
    } catch (error) {
      throw trapped(`${this.kind}.value`, error);
    }
    const path = `${this.kind}.value: x`;
    const xs = point(x, path, this.dim);
    return run(`${this.kind}.value`, (live) => kernels.values(live, this.#prepare(live), xs, new Float64Array(1), path)[0]);
  }

  /**
   * ∇f(x), written into `out` when given (and returned), else into a new array.
   * @param out a Float64Array of `dim` numbers; anything else is DescentError `E_INPUT` (path `<kind>.grad: out`).
   */
  grad(x: ArrayLike<number>, out?: Float64Array): Float64Array {
    try {
      const g = kernels.gradAt(this.#slot, x, out, false);
      if (g !== undefined) return g;
    } catch (error) {
      throw trapped(`${this.kind}.grad`, error);
    }
    const path = `${this.kind}.grad: x`;
    const xs = point(x, path, this.dim);
    const g = output(out, `${this.kind}.grad: out`, this.dim);
    run(`${this.kind}.grad`, (live) => kernels.grads(live, this.#prepare(live), xs, g, path, false));
    return g;
  }

  /**
   * f(x) and ∇f(x) from one evaluation; the gradient is written into `out` when given.
   * @param out a Float64Array of `dim` numbers; anything else is DescentError `E_INPUT` (path `<kind>.valueAndGrad: out`).
   */
  valueAndGrad(x: ArrayLike<number>, out?: Float64Array): ValueAndGrad {
    try {
      const s = this.#slot,
        g = kernels.gradAt(s, x, out, true);
      if (g !== undefined) return { value: kernels.lastValue(s!), grad: g };
    } catch (error) {
      throw trapped(`${this.kind}.valueAndGrad`, error);
    }
    const path = `${this.kind}.valueAndGrad: x`;
    const xs = point(x, path, this.dim);
    const g = output(out, `${this.kind}.valueAndGrad: out`, this.dim);
    const value = run(`${this.kind}.valueAndGrad`, (live) => kernels.grads(live, this.#prepare(live), xs, g, path, true));
    return { value, grad: g };
  }

  /**
   * The Hessian-vector product ∇²f(x)·v (exact), written into `out` when given (and returned).
   * @param out a Float64Array of `dim` numbers; anything else is DescentError `E_INPUT` (path `<kind>.hvp: out`).
   */
  hvp(x: ArrayLike<number>, v: ArrayLike<number>, out?: Float64Array): Float64Array {
    try {
      const h = kernels.hvpAt(this.#slot, x, v, out);
      if (h !== undefined) return h;
    } catch (error) {
      throw trapped(`${this.kind}.hvp`, error);
    }
    const xPath = `${this.kind}.hvp: x`,
      vPath = `${this.kind}.hvp: v`;
    const xs = point(x, xPath, this.dim);
    const vs = point(v, vPath, this.dim);
    const o = output(out, `${this.kind}.hvp: out`, this.dim);
    return run(`${this.kind}.hvp`, (live) => kernels.hvps(live, this.#prepare(live), xs, vs, o, xPath, vPath));
  }

  /** The dense Hessian ∇²f(x), row-major dim×dim, assembled from exact HVPs. For small dim. */
  hessian(x: ArrayLike<number>, out?: Float64Array): Float64Array {
    const path = `${this.kind}.hessian: x`;
    const xs = point(x, path, this.dim);
    const o = out === undefined ? undefined : output(out, `${this.kind}.hessian: out`, this.dim * this.dim);
    return run(`${this.kind}.hessian`, (live) => {
      // The d×d matrix is made in wasm memory, then copied out: past the limit that is E_MEMORY
      // (naming dim), checked before either copy exists (a JS array of d² doubles can be
      // beyond what the runtime will allocate at all, a RangeError).
      const bytes = 8 * this.dim * this.dim;
      if (bytes > live.heap.limit) {
        throw new DescentError(
          'E_MEMORY',
          `${this.kind}.hessian: the dense ${this.dim}×${this.dim} Hessian needs ${formatBytes(bytes)}, over the memory limit of ` +
            `${formatBytes(live.heap.limit)}; ` +
            'for a large dim use hvp(x, v) (Hessian-vector products) or descent.spectral (eigenvalues, trace, density), or raise ' +
            'init({ memoryLimit })',
          { path: `${this.kind}.dim`, expected: `≤ ${live.heap.limit} bytes`, actual: bytes },
        );
      }
      return kernels.hessian(live, this.packed(live), xs, o ?? new Float64Array(this.dim * this.dim), path);
    });
  }

  /** f at each of n points (`xs`: n rows of dim, or row-major n·dim), into `out` (n) if given. */
  valueBatch(xs: Batch, out?: Float64Array): Float64Array {
    const path = `${this.kind}.valueBatch: xs`;
    const X = batch(xs, path, this.dim);
    const o = output(out, `${this.kind}.valueBatch: out`, X.length / this.dim);
    return sizedBy(path, () => run(`${this.kind}.valueBatch`, (live) => kernels.values(live, this.packed(live), X, o, path)));
  }

  /** ∇f at each of n points (`xs`: n rows of dim, or row-major n·dim), into `out` (n·dim, row-major) if given. */
  gradBatch(xs: Batch, out?: Float64Array): Float64Array {
    const path = `${this.kind}.gradBatch: xs`;
    const X = batch(xs, path, this.dim);
    const g = output(out, `${this.kind}.gradBatch: out`, X.length);
    sizedBy(path, () => run(`${this.kind}.gradBatch`, (live) => kernels.grads(live, this.packed(live), X, g, path, false)));
    return g;
  }

  /** ∇²f(x_i)·v_i for n points and directions (each n rows of dim, or row-major n·dim), into `out` (row-major) if given. */
  hvpBatch(xs: Batch, vs: Batch, out?: Float64Array): Float64Array {
    const xPath = `${this.kind}.hvpBatch: xs`,
      vPath = `${this.kind}.hvpBatch: vs`;
    const X = batch(xs, xPath, this.dim);
    const V = batch(vs, vPath, this.dim);
    if (V.length !== X.length) {
      throw invalid('E_INPUT', `${this.kind}.hvpBatch: vs`, `as long as xs (${X.length} numbers)`, vs);
    }
    const o = output(out, `${this.kind}.hvpBatch: out`, X.length);
    return sizedBy(xPath, () => run(`${this.kind}.hvpBatch`, (live) => kernels.hvps(live, this.packed(live), X, V, o, xPath, vPath)));
  }

  /** `{ kind, params }`: what `JSON.stringify` writes and `landscapes.fromJSON` reads. */
  toJSON(): LandscapeJSON<K, P> {
    return { kind: this.kind, params: this.params as P };
  }
}
