// Kind ids and offsets of the curvature-aware optimisers that JS names, mirrored from the
// assembly (test/layout.test.ts checks them). Their work space in an ensemble run (descriptor slot
// CVW) is sized by the module itself (curvatureWorkDoubles, assembly/run/curvature.ts), so its
// layout is written once.

/** Kind ids of the curvature-aware optimisers. MUST MATCH assembly/optimizers/kinds.ts (test/layout.test.ts checks them). */
export const CURVATURE_KINDS = { sam: 24, perturbedGD: 25, newtonCG: 26, naturalGradient: 27, saddleFreeNewton: 28, sme: 29 } as const;

/** Offset of saddle-free Newton's k in h. MUST MATCH SADDLE_FREE_NEWTON_K in assembly/optimizers/kinds.ts (test/layout.test.ts). */
export const SADDLE_FREE_NEWTON_K = 3;
