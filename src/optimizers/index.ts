/**
 * `optimizers.*`: torch.optim's family exactly (sgd, adam, adamw, rmsprop, adagrad, nadam) and
 * optimisers from the literature (lion, heavyBall, nesterovGD). Each factory validates its
 * config and returns frozen, JSON-serialisable data; `minimize` (and later `simulate`) run them
 * in wasm. The curvature-aware optimisers (sam, perturbedGD, newtonCG, naturalGradient,
 * saddleFreeNewton: ./curvature.ts) need the landscape inside their step and run in `simulate` only,
 * as do the distributed and variance-reduced ones (localSGD, asyncSGD, compressedSGD, marina,
 * svrg, sarah: ./distributed.ts).
 */
import { DescentError } from '../errors.ts';
import { isKindData } from '../validate.ts';
import { withRevivedRate } from '../schedules.ts';
import type { Optimizer, OptimizerKind } from './optimizer.ts';
import { OPTIMIZER_KINDS } from './kinds.ts';
import { sgd, adam, adamw, rmsprop, adagrad, nadam } from './torch.ts';
import { lion, heavyBall, nesterovGD } from './literature.ts';
import { sam, perturbedGD, newtonCG, naturalGradient, saddleFreeNewton } from './curvature.ts';
import { localSGD, asyncSGD, compressedSGD, marina, svrg, sarah } from './distributed.ts';
import { sme } from './sme.ts';

export { type Optimizer, type OptimizerKind, type LearningRate, isOptimizer } from './optimizer.ts';
export type { SgdConfig, AdamConfig, RmspropConfig, AdagradConfig, NadamConfig } from './torch.ts';
export type { LionConfig, HeavyBallConfig, NesterovGDConfig } from './literature.ts';
export type {
  SamConfig,
  PerturbedGDConfig,
  NewtonCGConfig,
  NaturalGradientConfig,
  SaddleFreeNewtonConfig,
  NegativeCurvature,
  FisherKind,
  CurvatureOptimizerKind,
} from './curvature.ts';
export { sgd, adam, adamw, rmsprop, adagrad, nadam, lion, heavyBall, nesterovGD };
export { sam, perturbedGD, newtonCG, naturalGradient, saddleFreeNewton };
export { localSGD, asyncSGD, compressedSGD, marina, svrg, sarah };
export { sme };
export type { SmeConfig, SmeScheme } from './sme.ts';
export type {
  LocalSGDConfig,
  AsyncSGDConfig,
  CompressedSGDConfig,
  MarinaConfig,
  VarianceReducedConfig,
  VarianceReducedParams,
  Compressor,
  DelayLaw,
  DistributedOptimizerKind,
} from './distributed.ts';

const factories: Record<OptimizerKind, (c: never) => Optimizer> = {
  sgd,
  adam,
  adamw,
  rmsprop,
  adagrad,
  nadam,
  lion,
  heavyBall,
  nesterovGD,
  sam,
  perturbedGD,
  newtonCG,
  naturalGradient,
  saddleFreeNewton,
  sme,
  localSGD,
  asyncSGD,
  compressedSGD,
  marina,
  svrg,
  sarah,
};

/** Names of every optimiser kind. */
export const kinds: readonly OptimizerKind[] = /* @__PURE__ */ Object.freeze(
  /* @__PURE__ */ Object.keys(OPTIMIZER_KINDS) as OptimizerKind[],
);

/** Rebuild an optimiser from its JSON form `{ kind, params }` (`type: 'optimizer'` optional), re-validating. */
export function fromJSON(json: unknown): Optimizer {
  const j = json as { kind?: unknown; params?: unknown } | null;
  if (!isKindData(j, OPTIMIZER_KINDS, 'optimizer')) {
    throw new DescentError('E_CONFIG', `optimizer.kind must be one of ${kinds.join(', ')}`, { path: 'optimizer.kind', actual: j?.kind });
  }
  return factories[j.kind as OptimizerKind](withRevivedRate(j.params, 'lr') as never);
}
