// Landscape kind ids. MUST MATCH bindings/kinds.ts (LANDSCAPE_KINDS); test/layout.test.ts checks
// every id and KIND_COUNT against the module's layoutTable (assembly/layout.ts).
export const QUADRATIC = 0;
export const ROSENBROCK = 1;
export const RASTRIGIN = 2;
export const ACKLEY = 3;
export const STYBLINSKI_TANG = 4;
export const BEALE = 5;
export const HIMMELBLAU = 6;
export const MULLER_BROWN = 7;
export const SIX_HUMP_CAMEL = 8;
export const POLYNOMIAL = 9;
export const DOUBLE_WELL = 10;
export const MULTI_WELL = 11;
export const SADDLE = 12;
export const MONKEY_SADDLE = 13;
export const GAUSSIAN_MIXTURE = 14;
export const SUM = 15;   // composite: Σ w_k f_k (sum, scale, finiteSum)
export const SHIFT = 16; // composite: f(x − o)
// Models (assembly/models/): finite sums over data, and the simplex KL.
export const MLP = 17;                   // also linear/logistic/softmax regression, deep linear, two-layer ReLU
export const DIAGONAL_LINEAR = 18;
export const MATRIX_FACTORIZATION = 19;
export const SIMPLEX_KL = 20;
export const BURES_WASSERSTEIN = 21;
export const REPARAMETRIZE = 22; // composite: f(Ay + b) (landscapes/reparametrize.ts)
// Linked at run time (landscapes/linked.ts): a compiled expression, or a JS callback.
export const LINKED = 23;
export const KIND_COUNT = 24;

/** Number of landscape kinds this module implements. */
export function landscapeKindCount(): i32 {
  return KIND_COUNT;
}
