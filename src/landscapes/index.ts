/**
 * `landscapes.*`: objective functions with exact values, gradients, Hessian-vector products and
 * Hessians, computed in wasm. Formulas and parameter names: docs/landscapes.md.
 */
import { DescentError, describe, invalid } from '../errors.ts';
import { LANDSCAPE_KINDS, type LandscapeKind } from '../../bindings/kinds.ts';
import type { Landscape } from './landscape.ts';
import { ackley, beale, himmelblau, mullerBrown, rastrigin, rosenbrock, sixHumpCamel, styblinskiTang } from './classic.ts';
import { quadratic } from './quadratic.ts';
import { polynomial } from './polynomial.ts';
import { doubleWell, multiWell } from './wells.ts';
import { monkeySaddle, saddle } from './saddles.ts';
import { gaussianMixture } from './gaussianMixture.ts';
import { expression } from './expression.ts';
import { fromFunction } from './fromFunction.ts';
import { sum, finiteSum, scale, shift, compositeFromJSON, compositeKinds, isComposite } from './composite.ts';
import { isModelKind, fromJSON as modelFromJSON, kinds as modelKinds } from '../models/index.ts';

type ModelKind = (typeof modelKinds)[number];

export { Landscape, type Batch, type LandscapeJSON, type LandscapeKind, type ValueAndGrad } from './landscape.ts';
export type { RosenbrockConfig, RastriginConfig, AckleyConfig, StyblinskiTangConfig, NoConfig } from './classic.ts';
export type { QuadraticConfig, QuadraticMatrixConfig, QuadraticSpectrumConfig, QuadraticParams } from './quadratic.ts';
export type { PolynomialConfig, PolynomialParams } from './polynomial.ts';
export type { DoubleWellConfig, MultiWellConfig, MultiWellParams } from './wells.ts';
export type { SaddleConfig, SaddleParams } from './saddles.ts';
export type { GaussianMixtureConfig, GaussianMixtureParams } from './gaussianMixture.ts';
export type { SumParams, FiniteSumParams, FiniteSumOptions } from './composite.ts';
export type { ReparametrizeConfig, ReparametrizeParams } from './reparametrize.ts';
export { reparametrize } from './reparametrize.ts';
export type { ExpressionConfig, ExpressionParams } from './expression.ts';
export type { FunctionConfig, FunctionParams } from './fromFunction.ts';
export type { Reduction } from '../validate.ts';
export { sum, finiteSum, scale, shift, compositeKinds };
export {
  expression,
  fromFunction,
  quadratic,
  rosenbrock,
  rastrigin,
  ackley,
  styblinskiTang,
  beale,
  himmelblau,
  mullerBrown,
  sixHumpCamel,
  polynomial,
  doubleWell,
  multiWell,
  saddle,
  monkeySaddle,
  gaussianMixture,
};

type PrimitiveKind = Exclude<LandscapeKind, 'sum' | 'finiteSum' | 'scale' | 'shift' | 'reparametrize' | 'fromFunction' | ModelKind>;

// Every primitive kind's factory, by name: what fromJSON (and later the CLI's `descent list`) dispatches on.
const factories: { readonly [K in PrimitiveKind]: (params: never) => Landscape } = {
  expression,
  quadratic,
  rosenbrock,
  rastrigin,
  ackley,
  styblinskiTang,
  beale,
  himmelblau,
  mullerBrown,
  sixHumpCamel,
  polynomial,
  doubleWell,
  multiWell,
  saddle,
  monkeySaddle,
  gaussianMixture,
};

/** Names of every primitive landscape kind (composites: `compositeKinds`). */
export const kinds: readonly PrimitiveKind[] = /* @__PURE__ */ primitiveKinds();

// A function called purely, so that a bundle using one factory drops this list and the model kinds it reads.
function primitiveKinds(): readonly PrimitiveKind[] {
  return Object.freeze(
    Object.keys(LANDSCAPE_KINDS).filter((k) => !isComposite(k) && !isModelKind(k) && k !== 'fromFunction') as PrimitiveKind[],
  );
}

/**
 * Rebuild a landscape from its JSON form `{ kind, params }` (what `JSON.stringify(landscape)`
 * wrote), re-validating the params.
 */
export function fromJSON(json: unknown): Landscape {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw invalid('E_CONFIG', 'landscape', 'an object { kind, params }', json);
  const { kind, params } = json as { kind?: unknown; params?: unknown };
  if (typeof kind === 'string' && isComposite(kind)) return compositeFromJSON(kind, params, fromJSON);
  if (typeof kind === 'string' && isModelKind(kind)) return modelFromJSON({ kind, params });
  if (kind === 'fromFunction') {
    throw new DescentError(
      'E_CONFIG',
      'landscape.kind fromFunction cannot be rebuilt from JSON: it holds JS functions ' +
        '(use landscapes.expression for a function that travels)',
      {
        path: 'landscape.kind',
        expected: 'a kind whose config is data',
        actual: kind,
      },
    );
  }
  if (typeof kind !== 'string' || !Object.hasOwn(factories, kind)) {
    const all = [...kinds, ...compositeKinds, ...modelKinds];
    throw new DescentError('E_CONFIG', `landscape.kind must be one of ${all.join(', ')}, got ${describe(kind)}`, {
      path: 'landscape.kind',
      expected: all.join(' | '),
      actual: kind,
    });
  }
  return factories[kind as PrimitiveKind](params as never);
}
