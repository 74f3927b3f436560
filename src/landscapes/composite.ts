/**
 * Composite landscapes: weighted sums, scalings, shifts and finite sums of any landscapes, with
 * exact gradients and HVPs by linearity and the chain rule (assembly/landscapes/composite.ts).
 * A finite sum is what minibatch noise samples from (`noise.minibatch`).
 */
import { Landscape, type LandscapeJSON } from './landscape.ts';
import { DescentError, invalid } from '../errors.ts';
import { finite, largest, options, reductionOf, vector, type Reduction } from '../validate.ts';
import { LANDSCAPE_KINDS } from '../../bindings/kinds.ts';
import { reparametrize, type ReparametrizeConfig } from './reparametrize.ts';
import type { Packed } from '../../bindings/landscapes.ts';
import type { Link } from '../../bindings/linked.ts';

/** Normalised params of sum-like composites. */
export interface SumParams {
  components: LandscapeJSON[];
  weights: number[];
}

/** Scratch doubles a composite needs of its own (3d + 1); children share what follows. */
const own = (d: number) => 3 * d + 1;

function components(list: unknown, path: string): Landscape[] {
  if (!Array.isArray(list) || list.length === 0) throw invalid('E_CONFIG', path, 'a non-empty array of landscapes', list);
  if (list.length > 65536) throw invalid('E_CONFIG', path, 'at most 65536 components', list.length);
  list.forEach((c, k) => {
    if (!(c instanceof Landscape)) throw invalid('E_CONFIG', `${path}[${k}]`, 'a landscape from landscapes.*', c);
  });
  const d = (list[0] as Landscape).dim;
  list.forEach((c: Landscape, k) => {
    if (c.dim !== d) throw invalid('E_CONFIG', `${path}[${k}]`, `a landscape of dimension ${d} (as ${path}[0])`, `dimension ${c.dim}`);
  });
  return list as Landscape[];
}

/** The linked modules of all parts (undefined when none has any). */
function linksOf(parts: readonly Packed[]): readonly Link[] | undefined {
  const all = parts.flatMap((c) => c.links ?? []);
  return all.length > 0 ? all : undefined;
}

/** A weighted sum Σ w_k f_k under the name `kind`. */
function weightedSum<K extends 'sum' | 'finiteSum' | 'scale'>(
  kind: K,
  parts: Landscape[],
  weights: Float64Array,
  params: object,
): Landscape<K, never> {
  const d = parts[0].dim;
  return new Landscape(kind, d, params as never, (live) => {
    const packed = parts.map((c) => c.packed(live));
    const K = parts.length,
      header = 1 + 3 * K;
    const total = header + packed.reduce((a, c) => a + c.params.length, 0);
    const out = new Float64Array(total);
    out[0] = K;
    let off = header;
    packed.forEach((c, k) => {
      out.set([c.id, off, weights[k]], 1 + 3 * k);
      out.set(c.params, off);
      off += c.params.length;
    });
    return { params: out, scratch: own(d) + largest(packed.map((c) => c.scratch)), links: linksOf(packed) };
  });
}

/** f = Σ_k w_k f_k (weights default 1). */
export function sum(parts: Landscape[], weights?: ArrayLike<number>): Landscape<'sum', SumParams> {
  const cs = components(parts, 'sum.components');
  const w = weights === undefined ? new Float64Array(cs.length).fill(1) : vector(weights, 'sum.weights', cs.length);
  return weightedSum('sum', cs, w, { components: cs.map((c) => c.toJSON()), weights: Array.from(w) }) as never;
}

/** Normalised params of `finiteSum` (docs/models.md, "Reduction, weights and scale"). */
export interface FiniteSumParams extends SumParams {
  /** `mean`: f = (scale/n) Σ w_i f_i; `sum`: f = scale · Σ w_i f_i. */
  reduction: Reduction;
  scale: number;
}

/** Options of {@link finiteSum}. */
export interface FiniteSumOptions {
  /** `mean` (default): (1/n) Σ w_i f_i, as every model's loss; `sum`: Σ w_i f_i. */
  reduction?: Reduction;
  /** A constant factor c on the whole sum (default 1). */
  scale?: number;
}

/**
 * A finite sum of n landscapes under the one convention of finite sums and models
 * (docs/models.md, "Reduction, weights and scale"):
 *
 *     f = c · (1/n) Σ_i w_i f_i   (reduction 'mean', the default)     f = c · Σ_i w_i f_i   ('sum')
 *
 * with weights w_i ≥ 0 defaulting to 1 and c = `scale` (default 1): the loss whose stochastic
 * gradient `noise.minibatch` samples, ĝ = c · (1/b) Σ_{i ∈ batch} w_i ∇f_i for 'mean'. Each
 * component may have its own curvature and minimum (sharp vs flat components).
 *
 * Until issue 21 (item 7) the weights were the coefficients themselves (f = Σ w_i f_i, default w_i = 1/n):
 * `finiteSum(parts, w, { reduction: 'sum' })` or `sum(parts, w)` computes that, and a finiteSum
 * config without `reduction` (every config written before that change) is read that way, so old results
 * replay to the same numbers. Without weights nothing changed: f = (1/n) Σ f_i, bit for bit.
 */
export function finiteSum(
  parts: Landscape[],
  weights?: ArrayLike<number>,
  opts?: FiniteSumOptions,
): Landscape<'finiteSum', FiniteSumParams> {
  const cs = components(parts, 'finiteSum.components');
  const o = options<FiniteSumOptions>(opts, 'finiteSum.options', ['reduction', 'scale']);
  const reduction = reductionOf(o.reduction, 'finiteSum.options.reduction');
  const c = finite(o.scale, 'finiteSum.options.scale', {}, 1);
  const w = weights === undefined ? new Float64Array(cs.length).fill(1) : vector(weights, 'finiteSum.weights', cs.length, { min: 0 });
  const n = cs.length;
  // Coefficients as the kernel multiplies them. With c = 1 and w_i = 1 the mean's is exactly 1/n,
  // the former default (the determinism hashes); c multiplies last so c = 1 changes no bit.
  const coef = w.map((wi) => (reduction === 'mean' ? wi / n : wi)).map((k) => (c === 1 ? k : c * k));
  return weightedSum('finiteSum', cs, coef, {
    components: cs.map((x) => x.toJSON()),
    weights: Array.from(w),
    reduction,
    scale: c,
  }) as never;
}

/** f = c · g. */
export function scale(landscape: Landscape, factor: number): Landscape<'scale', { landscape: LandscapeJSON; factor: number }> {
  const cs = components([landscape], 'scale.landscape');
  const c = finite(factor, 'scale.factor');
  return weightedSum('scale', cs, Float64Array.of(c), { landscape: landscape.toJSON(), factor: c }) as never;
}

/** f(x) = g(x − offset): moves every feature of g by `offset`. */
export function shift(landscape: Landscape, offset: ArrayLike<number>): Landscape<'shift', { landscape: LandscapeJSON; offset: number[] }> {
  const [g] = components([landscape], 'shift.landscape');
  const o = vector(offset, 'shift.offset', g.dim);
  return new Landscape('shift', g.dim, { landscape: g.toJSON(), offset: Array.from(o) }, (live) => {
    const c = g.packed(live);
    const out = new Float64Array(1 + g.dim + c.params.length);
    out[0] = c.id;
    out.set(o, 1);
    out.set(c.params, 1 + g.dim);
    return { params: out, scratch: own(g.dim) + c.scratch, links: c.links };
  });
}

/** @internal Rebuild a composite from its JSON params, with `fromJSON` for the children. */
export function compositeFromJSON(kind: string, params: unknown, fromJSON: (j: unknown) => Landscape): Landscape {
  const p = options<Record<string, unknown>>(
    params,
    kind,
    kind === 'shift'
      ? ['landscape', 'offset']
      : kind === 'reparametrize'
        ? ['landscape', 'A', 'b']
        : kind === 'scale'
          ? ['landscape', 'factor']
          : kind === 'finiteSum'
            ? ['components', 'weights', 'reduction', 'scale']
            : ['components', 'weights'],
  );
  switch (kind) {
    case 'shift':
      return shift(fromJSON(p.landscape), p.offset as number[]);
    case 'scale':
      return scale(fromJSON(p.landscape), p.factor as number);
    case 'reparametrize':
      return reparametrize(fromJSON(p.landscape), { A: p.A, b: p.b } as ReparametrizeConfig);
    case 'sum':
    case 'finiteSum': {
      if (!Array.isArray(p.components)) throw invalid('E_CONFIG', `${kind}.components`, 'an array of landscapes', p.components);
      const parts = p.components.map((c) => fromJSON(c));
      if (kind === 'sum') return sum(parts, p.weights as number[] | undefined);
      // No `reduction`: a config written before issue 21 item 7, whose weights were the coefficients ('sum').
      return finiteSum(parts, p.weights as number[] | undefined, {
        reduction: reductionOf(p.reduction, 'finiteSum.reduction', 'sum'),
        scale: p.scale as number | undefined,
      });
    }
  }
  throw new DescentError('E_CONFIG', `unknown composite ${kind}`, { path: 'landscape.kind', actual: kind });
}

/** Names of the composite kinds. */
export const compositeKinds = /* @__PURE__ */ Object.freeze(['sum', 'finiteSum', 'scale', 'shift', 'reparametrize'] as const);

/** Is `kind` a composite? */
export function isComposite(kind: string): boolean {
  return (compositeKinds as readonly string[]).includes(kind) && kind in LANDSCAPE_KINDS;
}
