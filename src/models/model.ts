/**
 * The {@link Model} type: a finite-sum landscape L(θ) = (1/n) Σ_i w_i ℓ_i(θ) over a dataset, with
 * per-example gradients, minibatch gradients, Gauss–Newton and Fisher products besides the
 * landscape's value, gradient, HVP and Hessian. Conventions: docs/models.md.
 */
import { run } from '../../bindings/engine.ts';
import * as kernels from '../../bindings/models.ts';
import { Landscape, type Packer } from '../landscapes/landscape.ts';
import type { LandscapeKind } from '../../bindings/kinds.ts';
import type { Dataset } from '../data/dataset.ts';
import { invalid } from '../errors.ts';
import { finite, integer, options, output, point, seed as seedOf } from '../validate.ts';
import * as random from '../random.ts';
import { sqrt } from '../../bindings/scalar.ts';
import * as inits from '../inits.ts';

/** Initialisation schemes of {@link Model.initialize}. */
export type InitScheme = 'xavier' | 'he' | 'zero' | 'smallScale';

/** Options of {@link Model.initialize} and {@link Model.initializer}. */
export interface InitOptions {
  /**
   * `xavier`: weights ~ N(0, 2/(fan_in + fan_out)) (Glorot & Bengio 2010, torch's xavier_normal_);
   * `he`: weights ~ N(0, 2/fan_in) (He et al. 2015, kaiming_normal_ for ReLU); both with zero
   * biases. `smallScale`: every parameter ~ N(0, scale²) (the small-initialisation regime);
   * `zero`: all 0.
   */
  scheme: InitScheme;
  /** σ of `smallScale` (default 1e-3), or a factor on the xavier/he σ (default 1). */
  scale?: number;
}

/** One weight matrix (or bias) of a model's θ: where it sits and its fans. */
export interface ParameterBlock {
  /** Name, e.g. `layers.0.weight` (as torch's named_parameters). */
  name: string;
  offset: number;
  size: number;
  fanIn: number;
  fanOut: number;
  /** A bias (zero under xavier/he). */
  bias: boolean;
}

/** Value and gradient of a minibatch. */
export interface BatchValueAndGrad {
  value: number;
  grad: Float64Array;
}

/**
 * A finite-sum model. Made by the factories in `models.*`; everything a {@link Landscape} does
 * (and so usable wherever one is, e.g. `simulate` with `noise.minibatch`), plus:
 *
 * @example
 * const data = descent.data.reluTeacher({ n: 64, inputs: 4, hidden: 8, seed: 1 });
 * const net = descent.models.mlp({ widths: [4, 16, 1], activation: 'relu', loss: 'mse', data });
 * const theta = net.initialize({ scheme: 'he', seed: 2 });
 * net.value(theta);                     // L(θ)
 * net.perExampleGrad(theta);            // 64 × p
 * net.fisherVp(theta, v);               // true Fisher (= Gauss–Newton) times v
 */
export class Model<K extends LandscapeKind = LandscapeKind, P extends object = object> extends Landscape<K, P> {
  /** @internal Use the factories in `models.*`. */
  constructor(kind: K, dim: number, params: P, pack: Packer, blocks: ParameterBlock[]) {
    super(kind, dim, params, pack);
    BLOCKS.set(this, Object.freeze(blocks.map((b) => Object.freeze(b))));
  }

  /** The dataset (undefined for models that are not finite sums). */
  get data(): Dataset | undefined {
    return (this.params as { data?: Dataset }).data;
  }

  /** Number of examples n. */
  get n(): number {
    return (this.params as { data?: Dataset }).data?.n ?? 1;
  }

  /** The parameter blocks of θ, in order (torch's `named_parameters()`). */
  get blocks(): readonly ParameterBlock[] {
    return BLOCKS.get(this)!;
  }

  /** Per-example losses ℓ_i(θ) (n) and gradients ∇ℓ_i(θ) (n × p, row-major), unweighted. */
  perExample(theta: ArrayLike<number>): { loss: Float64Array; grad: Float64Array } {
    const d = finiteSum(this, 'perExample');
    const path = `${this.kind}.perExample: theta`;
    const th = point(theta, path, this.dim);
    const loss = new Float64Array(d.n),
      grad = new Float64Array(d.n * this.dim);
    run(`${this.kind}.perExample`, (live) => kernels.perExample(live, this.packed(live), d.n, th, loss, grad, path));
    return { loss, grad };
  }

  /** Per-example gradients ∇ℓ_i(θ), n × p row-major (unweighted). */
  perExampleGrad(theta: ArrayLike<number>): Float64Array {
    return this.perExample(theta).grad;
  }

  /** Per-example losses ℓ_i(θ) (unweighted). */
  perExampleLoss(theta: ArrayLike<number>): Float64Array {
    return this.perExample(theta).loss;
  }

  /**
   * Loss and gradient of a minibatch: (1/b) Σ_{i ∈ indices} w_i ℓ_i and its gradient (indices may
   * repeat, as sampling with replacement does).
   */
  batchValueAndGrad(theta: ArrayLike<number>, indices: ArrayLike<number>, out?: Float64Array): BatchValueAndGrad {
    const d = finiteSum(this, 'batchValueAndGrad');
    const path = `${this.kind}.batchValueAndGrad: theta`;
    const th = point(theta, path, this.dim);
    if (indices === null || typeof indices !== 'object' || typeof indices.length !== 'number' || indices.length === 0) {
      throw invalid('E_INPUT', `${this.kind}.batchValueAndGrad: indices`, 'a non-empty array of example indices', indices);
    }
    const idx = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      idx[i] = integer(indices[i], `${this.kind}.batchValueAndGrad: indices[${i}]`, { min: 0, max: d.n - 1 }, undefined, 'E_INPUT');
    }
    const g = output(out, `${this.kind}.batchValueAndGrad: out`, this.dim);
    const value = run(`${this.kind}.batchValueAndGrad`, (live) => kernels.batch(live, this.packed(live), th, idx, g, path));
    return { value, grad: g };
  }

  /** Generalised Gauss–Newton product G(θ) v = (1/n) Σ w_i J_iᵀ ∂²ℓ_i/∂f² J_i v (exact). */
  ggnvp(theta: ArrayLike<number>, v: ArrayLike<number>, out?: Float64Array): Float64Array {
    return product(this, 'ggnvp', 'ggn', theta, v, out);
  }

  /**
   * Fisher product F(θ) v. `type: 'true'` (default): the Fisher of the model's predictive
   * distribution, which for mse, crossEntropy and bce equals the Gauss–Newton matrix exactly;
   * `'empirical'`: (1/n) Σ w_i ∇ℓ_i ∇ℓ_iᵀ v at the data's labels.
   */
  fisherVp(theta: ArrayLike<number>, v: ArrayLike<number>, opts: { type?: 'true' | 'empirical' } = {}, out?: Float64Array): Float64Array {
    const o = options<{ type?: 'true' | 'empirical' }>(opts, `${this.kind}.fisherVp: options`, ['type']);
    const type = o.type ?? 'true';
    if (type !== 'true' && type !== 'empirical')
      throw invalid('E_CONFIG', `${this.kind}.fisherVp: options.type`, "'true' or 'empirical'", type);
    return product(this, 'fisherVp', type === 'true' ? 'ggn' : 'fisherEmpirical', theta, v, out);
  }

  /** Per-coordinate standard deviations of an initialisation scheme. */
  initStd(opts: InitOptions): Float64Array {
    const o = options<InitOptions>(opts, `${this.kind}.initStd`, ['scheme', 'scale']);
    const scheme = o.scheme;
    if (!['xavier', 'he', 'zero', 'smallScale'].includes(scheme as string))
      throw invalid('E_CONFIG', `${this.kind}.init.scheme`, "'xavier', 'he', 'zero' or 'smallScale'", scheme);
    const scale = finite(o.scale, `${this.kind}.init.scale`, { min: 0 }, scheme === 'smallScale' ? 1e-3 : 1);
    const std = new Float64Array(this.dim);
    for (const b of this.blocks) {
      let s = 0;
      if (scheme === 'smallScale') s = scale;
      else if (scheme === 'xavier' && !b.bias) s = scale * sqrt(2 / (b.fanIn + b.fanOut));
      else if (scheme === 'he' && !b.bias) s = scale * sqrt(2 / b.fanIn);
      std.fill(s, b.offset, b.offset + b.size);
    }
    return std;
  }

  /** One initial θ: N(0, std²) per coordinate under `seed` (stream 0 of `random.normal`). */
  initialize(opts: InitOptions & { seed: number }): Float64Array {
    const o = options<InitOptions & { seed: number }>(opts, `${this.kind}.initialize`, ['scheme', 'scale', 'seed']);
    const seed = seedOf(o.seed, `${this.kind}.initialize.seed`);
    const std = this.initStd({ scheme: o.scheme!, ...(o.scale === undefined ? {} : { scale: o.scale }) });
    const z = random.normal({ seed, count: this.dim });
    for (let j = 0; j < this.dim; j++) z[j] *= std[j];
    return z;
  }

  /** An ensemble init for `simulate`: each particle draws its own θ from the scheme. */
  initializer(opts: InitOptions): inits.Init {
    const std = this.initStd(opts);
    return inits.normal({ mean: new Float64Array(this.dim), std });
  }
}

// Landscapes are frozen in their constructor, so a model keeps its extra data here (private
// members cannot be added to a frozen object in every engine).
const BLOCKS = new WeakMap<object, readonly ParameterBlock[]>();

function finiteSum(m: Model, what: string): Dataset {
  const d = (m.params as { data?: Dataset }).data;
  if (!d) throw invalid('E_CONFIG', `${m.kind}.${what}`, 'a finite-sum model (one with data)', m.kind);
  return d;
}

function product(
  m: Model,
  name: string,
  which: kernels.Product,
  theta: ArrayLike<number>,
  v: ArrayLike<number>,
  out?: Float64Array,
): Float64Array {
  finiteSum(m, name);
  const path = `${m.kind}.${name}: theta`,
    vPath = `${m.kind}.${name}: v`;
  const th = point(theta, path, m.dim);
  const vs = point(v, vPath, m.dim);
  const o = output(out, `${m.kind}.${name}: out`, m.dim);
  return run(`${m.kind}.${name}`, (live) => kernels.product(live, m.packed(live), which, th, vs, o, path, vPath));
}
