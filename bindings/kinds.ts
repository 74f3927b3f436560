// Landscape kind ids. MUST MATCH assembly/landscapes/kinds.ts; test/layout.test.ts checks every id
// and the kernel count against the module's layoutTable (and test/package.test.ts the count
// against landscapeKindCount()).
export const LANDSCAPE_KINDS = {
  quadratic: 0,
  rosenbrock: 1,
  rastrigin: 2,
  ackley: 3,
  styblinskiTang: 4,
  beale: 5,
  himmelblau: 6,
  mullerBrown: 7,
  sixHumpCamel: 8,
  polynomial: 9,
  doubleWell: 10,
  multiWell: 11,
  saddle: 12,
  monkeySaddle: 13,
  gaussianMixture: 14,
  // Composites (assembly/landscapes/composite.ts): three names share the weighted-sum kernel.
  sum: 15,
  finiteSum: 15,
  scale: 15,
  shift: 16,
  // Models (assembly/models/): the MLP kernel serves six factories.
  mlp: 17,
  linearRegression: 17,
  logisticRegression: 17,
  softmaxRegression: 17,
  deepLinear: 17,
  twoLayerRelu: 17,
  diagonalLinear: 18,
  matrixFactorization: 19,
  simplexKL: 20,
  buresWasserstein: 21,
  // Composite: f(Ay + b) (assembly/landscapes/reparametrize.ts).
  reparametrize: 22,
  // Linked at run time (assembly/landscapes/linked.ts): two factories share the kernel.
  expression: 23,
  fromFunction: 23,
} as const;

/** Kinds that are finite-sum models (have per-example gradients, GGN and Fisher products). */
export const MODEL_KINDS = /* @__PURE__ */ Object.freeze(['mlp', 'linearRegression', 'logisticRegression', 'softmaxRegression',
  'deepLinear', 'twoLayerRelu', 'diagonalLinear', 'matrixFactorization'] as const);

/** Name of a landscape kind. */
export type LandscapeKind = keyof typeof LANDSCAPE_KINDS;

/** Number of distinct kernel kinds (must equal the module's landscapeKindCount()). */
export const KERNEL_KIND_COUNT = new Set(Object.values(LANDSCAPE_KINDS)).size;
