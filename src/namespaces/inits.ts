// The public `descent.inits` namespace: the initialisers and their types (packing and the id
// tables of src/inits.ts stay internal; issue 21: curated namespaces).
export { point, normal, uniform, grid, array, isInit, fromJSON } from '../inits.ts';
export type { InitKind, Init, NormalInitConfig } from '../inits.ts';
