/**
 * Multilayer perceptrons and the models that are special cases of one (linear, logistic and
 * softmax regression, deep linear networks, the two-layer ReLU teacher–student), all on one wasm
 * kernel (assembly/models/mlp.ts). Flattening and losses: docs/models.md.
 */
import { invalid } from '../errors.ts';
import { finite, integer, options } from '../validate.ts';
import { isDataset, type Dataset } from '../data/dataset.ts';
import { Model, type ParameterBlock } from './model.ts';
import { finiteSumPacker, reductionOptions, TILE, type LossName, type ReductionOptions } from './pack.ts';

/** Activation ids. MUST MATCH assembly/models/activations.ts. */
export const ACTIVATIONS = { relu: 0, leakyRelu: 1, tanh: 2, sigmoid: 3, gelu: 4, identity: 5 } as const;

/** A hidden-layer activation. */
export type Activation = keyof typeof ACTIVATIONS;

/** The names of the hidden-layer activations (their kernel ids stay internal). */
export const activations: readonly Activation[] = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ Object.keys(ACTIVATIONS) as Activation[]);

/** Config of {@link mlp}. */
export interface MlpConfig extends ReductionOptions {
  /** Layer widths [m, h₁, …, k]: input width (= data.inputs), hidden widths, outputs. */
  widths: ArrayLike<number>;
  /** Hidden activation. Default 'relu'. */
  activation?: Activation;
  /** Slope of leakyRelu for z ≤ 0. Default 0.01 (torch's). */
  negativeSlope?: number;
  /**
   * 'mse' (regression, k = data.outputs), 'crossEntropy' (k = classes), 'bce' (k = 1, labels 0/1). Default: mse for regression data,
   * crossEntropy for classification.
   */
  loss?: LossName;
  /** Biases in every layer. Default true. */
  bias?: boolean;
  /** The training set. */
  data: Dataset;
}

/** Normalised params of an MLP-family model. */
export interface MlpParams {
  widths: number[];
  activation: Activation;
  negativeSlope: number;
  loss: LossName;
  bias: boolean;
  data: Dataset;
  /** 'sum' when not the default 'mean' (absent otherwise). */
  reduction?: ReductionOptions['reduction'];
  /** The loss factor when not 1 (absent otherwise). */
  scale?: number;
}

function checkData(data: unknown, path: string): Dataset {
  if (!isDataset(data)) throw invalid('E_CONFIG', `${path}.data`, 'a dataset from data.*', data);
  return data;
}

/** @internal Build an MLP-family model of kind `kind` (validated params). */
export function buildMlp<K extends 'mlp' | 'linearRegression' | 'logisticRegression' | 'softmaxRegression' | 'deepLinear' | 'twoLayerRelu'>(
  kind: K,
  p: MlpParams,
  path: string,
  params: object = p,
): Model<K, MlpParams> {
  const { widths, data, loss } = p;
  const L = widths.length - 1;
  if (widths[0] !== data.inputs) throw invalid('E_CONFIG', `${path}.widths[0]`, `${data.inputs} (data.inputs)`, widths[0]);
  const k = widths[L];
  if (loss === 'mse') {
    if (data.task !== 'regression') throw invalid('E_CONFIG', `${path}.loss`, "'crossEntropy' or 'bce' for classification data", loss);
    if (k !== data.outputs) throw invalid('E_CONFIG', `${path}.widths[${L}]`, `${data.outputs} (data.outputs, the targets per example)`, k);
  } else {
    if (data.task !== 'classification')
      throw invalid('E_CONFIG', `${path}.loss`, "'mse' for regression data (or use data.from with classes)", loss);
    if (loss === 'crossEntropy' && k !== data.classes)
      throw invalid('E_CONFIG', `${path}.widths[${L}]`, `${data.classes} (data.classes) for crossEntropy`, k);
    if (loss === 'bce') {
      if (k !== 1) throw invalid('E_CONFIG', `${path}.widths[${L}]`, '1 (one logit) for bce', k);
      if (data.classes !== 2) throw invalid('E_CONFIG', `${path}.data.classes`, '2 (labels 0 and 1) for bce', data.classes);
    }
  }
  // θ layout and scratch offsets (assembly/models/mlp.ts).
  const blocks: ParameterBlock[] = [];
  const fields: number[] = [];
  let off = 0,
    units = 0;
  for (let l = 1; l <= L; l++) {
    const nin = widths[l - 1],
      nout = widths[l];
    blocks.push({ name: `layers.${l - 1}.weight`, offset: off, size: nin * nout, fanIn: nin, fanOut: nout, bias: false });
    const wo = off;
    off += nin * nout;
    let bo = -1;
    if (p.bias) {
      blocks.push({ name: `layers.${l - 1}.bias`, offset: off, size: nout, fanIn: nin, fanOut: nout, bias: true });
      bo = off;
      off += nout;
    }
    fields.push(wo, bo, units);
    units += nout;
  }
  const spec = [L, ACTIVATIONS[p.activation], p.negativeSlope, p.bias ? 1 : 0, units, ...widths, ...fields];
  // Model scratch: one example (7 unit arrays + 2k) or a tile (assembly/models/mlpTile.ts: the gradient's and the HVP's), whichever is
  // larger.
  const wmax = Math.max(...widths);
  const scratch = Math.max(7 * units + 2 * k, TILE * (6 * units + 2 * wmax + widths[0]) + 3 * k); // MUST MATCH mlpTileScratch
  const red = { reduction: p.reduction ?? 'mean', scale: p.scale ?? 1 };
  return new Model(kind, off, params as MlpParams, finiteSumPacker(data, loss, k, spec, scratch, off, red), blocks);
}

function widthsOf(v: unknown, path: string): number[] {
  if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<number>).length !== 'number')
    throw invalid('E_CONFIG', path, 'an array of layer widths [inputs, …, outputs]', v);
  const a = Array.from(v as ArrayLike<number>);
  if (a.length < 2) throw invalid('E_CONFIG', path, 'at least two widths (inputs and outputs)', a);
  if (a.length > 65) throw invalid('E_CONFIG', path, 'at most 64 layers', a.length - 1);
  a.forEach((w, i) => integer(w, `${path}[${i}]`, { min: 1, max: 1 << 16 }));
  return a;
}

function activationOf(v: unknown, path: string, fallback: Activation): Activation {
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !Object.hasOwn(ACTIVATIONS, v))
    throw invalid('E_CONFIG', path, `one of ${Object.keys(ACTIVATIONS).join(', ')}`, v);
  return v as Activation;
}

function lossOf(v: unknown, path: string, data: Dataset): LossName {
  if (v === undefined) return data.task === 'regression' ? 'mse' : 'crossEntropy';
  if (v !== 'mse' && v !== 'crossEntropy' && v !== 'bce') throw invalid('E_CONFIG', path, "'mse', 'crossEntropy' or 'bce'", v);
  return v;
}

function boolOf(v: unknown, path: string, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw invalid('E_CONFIG', path, 'true or false', v);
  return v;
}

/**
 * A multilayer perceptron f(x) = W_L σ(… σ(W₁x + b₁) …) + b_L with any widths, a hidden
 * activation and loss mse, crossEntropy or bce (torch.nn.Sequential of nn.Linear layers; θ as
 * `parameters()` lists them).
 */
export function mlp(config: MlpConfig): Model<'mlp', MlpParams> {
  const c = options<MlpConfig>(config, 'mlp', ['widths', 'activation', 'negativeSlope', 'loss', 'bias', 'data', 'reduction', 'scale']);
  const data = checkData(c.data, 'mlp');
  const p: MlpParams = {
    widths: widthsOf(c.widths, 'mlp.widths'),
    activation: activationOf(c.activation, 'mlp.activation', 'relu'),
    negativeSlope: finite(c.negativeSlope, 'mlp.negativeSlope', {}, 0.01),
    loss: lossOf(c.loss, 'mlp.loss', data),
    bias: boolOf(c.bias, 'mlp.bias', true),
    data,
    ...reductionOptions(c, 'mlp').params,
  };
  return buildMlp('mlp', p, 'mlp');
}

/** Config of the linear models. */
export interface LinearConfig extends ReductionOptions {
  data: Dataset;
  /** Fit an intercept. Default true. */
  bias?: boolean;
}

function linear<K extends 'linearRegression' | 'logisticRegression' | 'softmaxRegression'>(
  kind: K,
  config: LinearConfig,
  loss: LossName,
  task: Dataset['task'],
): Model<K, MlpParams> {
  const c = options<LinearConfig>(config, kind, ['data', 'bias', 'reduction', 'scale']);
  const data = checkData(c.data, kind);
  if (data.task !== task) throw invalid('E_CONFIG', `${kind}.data`, `${task} data`, `${data.task} data`);
  const bias = boolOf(c.bias, `${kind}.bias`, true);
  const red = reductionOptions(c, kind).params;
  const k = loss === 'mse' ? data.outputs : loss === 'bce' ? 1 : data.classes!;
  const p: MlpParams = { widths: [data.inputs, k], activation: 'identity', negativeSlope: 0.01, loss, bias, data, ...red };
  return buildMlp(kind, p, kind, { data, bias, ...red });
}

/** Least squares: f = Wx + b (k outputs), mse. */
export function linearRegression(config: LinearConfig): Model<'linearRegression', MlpParams> {
  return linear('linearRegression', config, 'mse', 'regression');
}

/** Logistic regression: one logit f = wᵀx + b, bce on labels 0/1. */
export function logisticRegression(config: LinearConfig): Model<'logisticRegression', MlpParams> {
  return linear('logisticRegression', config, 'bce', 'classification');
}

/** Multinomial logistic regression: C logits f = Wx + b, cross-entropy. */
export function softmaxRegression(config: LinearConfig): Model<'softmaxRegression', MlpParams> {
  return linear('softmaxRegression', config, 'crossEntropy', 'classification');
}

/** Config of {@link deepLinear}. */
export interface DeepLinearConfig extends ReductionOptions {
  /** Widths [m, h₁, …, k]; any hidden width may be 1 (a bottleneck). */
  widths: ArrayLike<number>;
  data: Dataset;
  /** Biases. Default false. */
  bias?: boolean;
}

/** Deep linear network f = W_L ⋯ W₁ x (identity activations), mse: end-to-end linear, non-convex in θ. */
export function deepLinear(config: DeepLinearConfig): Model<'deepLinear', MlpParams> {
  const c = options<DeepLinearConfig>(config, 'deepLinear', ['widths', 'data', 'bias', 'reduction', 'scale']);
  const data = checkData(c.data, 'deepLinear');
  const widths = widthsOf(c.widths, 'deepLinear.widths');
  const bias = boolOf(c.bias, 'deepLinear.bias', false);
  const red = reductionOptions(c, 'deepLinear').params;
  return buildMlp('deepLinear', { widths, activation: 'identity', negativeSlope: 0.01, loss: 'mse', bias, data, ...red }, 'deepLinear', {
    widths,
    data,
    bias,
    ...red,
  });
}

/** Config of {@link twoLayerRelu}. */
export interface TwoLayerReluConfig extends ReductionOptions {
  /** Hidden width h of the student. */
  width: number;
  data: Dataset;
}

/** Two-layer ReLU student f = aᵀ relu(Wx), no biases, mse (θ = W then a; `data.reluTeacher`). */
export function twoLayerRelu(config: TwoLayerReluConfig): Model<'twoLayerRelu', MlpParams> {
  const c = options<TwoLayerReluConfig>(config, 'twoLayerRelu', ['width', 'data', 'reduction', 'scale']);
  const data = checkData(c.data, 'twoLayerRelu');
  const width = integer(c.width, 'twoLayerRelu.width', { min: 1, max: 1 << 16 });
  if (data.task !== 'regression' || data.outputs !== 1)
    throw invalid('E_CONFIG', 'twoLayerRelu.data', 'regression data with one target per example', data.task);
  const red = reductionOptions(c, 'twoLayerRelu').params;
  return buildMlp(
    'twoLayerRelu',
    { widths: [data.inputs, width, 1], activation: 'relu', negativeSlope: 0.01, loss: 'mse', bias: false, data, ...red },
    'twoLayerRelu',
    { width, data, ...red },
  );
}
