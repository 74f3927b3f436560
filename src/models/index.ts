/**
 * `models.*`: finite-sum models over data — regression, MLPs, deep linear and factorised models —
 * and the simplex KL, each a landscape over one flat θ with exact derivatives in wasm.
 * Conventions (losses, parameter flattening, products): docs/models.md.
 */
import { DescentError, describe } from '../errors.ts';
import { fromJSON as dataFromJSON, isDataset } from '../data/dataset.ts';
import type { Model } from './model.ts';
import { mlp, linearRegression, logisticRegression, softmaxRegression, deepLinear, twoLayerRelu } from './mlp.ts';
import { diagonalLinear, matrixFactorization } from './factorized.ts';
import { simplexKL } from './simplexKL.ts';
import { buresWasserstein } from './buresWasserstein.ts';

export { Model, type InitScheme, type InitOptions, type ParameterBlock, type BatchValueAndGrad } from './model.ts';
export { mlp, linearRegression, logisticRegression, softmaxRegression, deepLinear, twoLayerRelu, activations } from './mlp.ts';
export type { MlpConfig, MlpParams, LinearConfig, DeepLinearConfig, TwoLayerReluConfig, Activation } from './mlp.ts';
export { diagonalLinear, matrixFactorization } from './factorized.ts';
export type { DiagonalLinearConfig, MatrixFactorizationConfig, MatrixFactorizationParams } from './factorized.ts';
export { simplexKL, type SimplexKLConfig, type SimplexKLParams } from './simplexKL.ts';
export { buresWasserstein, type BuresWassersteinConfig, type BuresWassersteinParams } from './buresWasserstein.ts';
export type { LossName, ReductionOptions } from './pack.ts';

const factories = {
  mlp,
  linearRegression,
  logisticRegression,
  softmaxRegression,
  deepLinear,
  twoLayerRelu,
  diagonalLinear,
  matrixFactorization,
  simplexKL,
  buresWasserstein,
} as const;

/** Names of every model kind. */
export const kinds = /* @__PURE__ */ Object.freeze(/* @__PURE__ */ Object.keys(factories) as (keyof typeof factories)[]);

/** Is `kind` a model kind? */
export function isModelKind(kind: string): kind is keyof typeof factories {
  return Object.hasOwn(factories, kind);
}

/** Rebuild a model from its JSON form `{ kind, params }` (the dataset is validated again). */
export function fromJSON(json: { kind: string; params: unknown }): Model {
  if (!isModelKind(json.kind))
    throw new DescentError('E_CONFIG', `unknown model kind ${describe(json.kind)}; known: ${kinds.join(', ')}`, {
      path: 'kind',
      actual: json.kind,
    });
  const params = { ...(json.params as Record<string, unknown>) };
  if (isDataset(params.data)) params.data = dataFromJSON(params.data);
  if (json.kind === 'matrixFactorization') delete params.observation;
  return (factories[json.kind] as (c: never) => Model)(params as never);
}
