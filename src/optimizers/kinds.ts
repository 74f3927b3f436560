/**
 * Every optimiser kind's id and h layout, joined from the tables each module keeps for its own
 * kinds (so that importing one optimiser brings only its module's tables: issue 21). The ids and
 * offsets MUST MATCH assembly/optimizers/kinds.ts; test/layout.test.ts checks every one.
 */
import { TORCH_IDS, TORCH_HYPER } from './torch.ts';
import { LITERATURE_IDS, LITERATURE_HYPER } from './literature.ts';
import { CURVATURE_IDS, CURVATURE_HYPER } from './curvature.ts';
import { SME_IDS, SME_HYPER } from './sme.ts';
import { DISTRIBUTED_IDS, DISTRIBUTED_HYPER } from './distributed.ts';

/** Optimiser kind ids, in the order `optimizers.kinds` lists them. */
export const OPTIMIZER_KINDS = { ...TORCH_IDS, ...LITERATURE_IDS, ...CURVATURE_IDS, ...SME_IDS, ...DISTRIBUTED_IDS } as const;

/** Where each kind's hyperparameters sit in h, by name (h[0] = η's factor, h[1] = σ). */
export const OPTIMIZER_HYPER = { ...TORCH_HYPER, ...LITERATURE_HYPER, ...CURVATURE_HYPER, ...SME_HYPER, ...DISTRIBUTED_HYPER } as const;
