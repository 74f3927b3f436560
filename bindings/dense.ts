// A dense spectral operator's packed matrix in wasm memory, over its whole life: validated and
// packed in wasm straight into a block that stays resident between calls (packDense, Heap.reserve),
// freed at once by the operator's dispose(), or by a FinalizationRegistry when the operator is
// garbage-collected without it. src/spectral/operators.ts owns the operator and its JS checks; this
// module owns the memory behind it. Unlike the rest of bindings/spectral.ts these functions enter
// engine.run themselves: they are called outside any kernel call.

import { ready, run } from './engine.ts';
import { DescentError } from './errors.ts';
import { dropResident, packDense, type DenseMatrix } from './spectral.ts';

/** A dense operator's packed matrix and the key of its resident copies (one per wasm instance). */
export interface ResidentDense {
  /** The packed matrix: resident only (`packed` undefined) when packed in wasm, else its JS copy. */
  matrix: DenseMatrix;
  /** Names the resident copy in every instance. Held by the heap, so it references nothing. */
  key: object;
}

/**
 * Pack a row-major n×n matrix for a dense operator: in wasm, in one pass, into a block made
 * resident under a fresh key when it can be; else (before init(), when the check fails, or when the
 * full matrix does not fit in wasm memory beside its packed half) by `packInJs`, which validates in
 * JS (naming the offending entry) and packs. Either way the operator's calls reuse one resident copy.
 */
export function packResident(n: number, a: Float64Array, packInJs: () => Float64Array): ResidentDense {
  // The key of the resident copy: held by the heap, so it must not reference the operator.
  const key = {};
  return { matrix: packInWasm(n, a, key) ?? { packed: packInJs() }, key };
}

/** packDense in a call of its own; undefined where packResident falls back to JS. */
function packInWasm(n: number, a: Float64Array, key: object): DenseMatrix | undefined {
  if (!ready()) return undefined;
  try {
    return run('spectral.denseOp', (live) => packDense(live, n, a, key));
  } catch (error) {
    if (error instanceof DescentError && error.code === 'E_MEMORY') return undefined;
    throw error;
  }
}

/** Free a dense matrix's resident copy in the live instance (other instances' copies go with their memory). */
function dropLive(key: object): void {
  if (!ready()) return;
  run('spectral.denseOp: free', (live) => dropResident(live, key));
}

/**
 * Frees the resident copy of a dense operator that was garbage-collected without release(): the
 * target is the operator's owner object, the held value its residency key (which the heap holds).
 */
const FINALIZER = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<object>((key) => { try { dropLive(key); } catch { /* nothing to free */ } })
  : undefined;

/** Free `key`'s resident copy when `owner` is garbage-collected (unless release() came first). */
export function track(owner: object, key: object): void {
  FINALIZER?.register(owner, key, owner);
}

/** Free `key`'s resident copy now, and stop tracking `owner`. */
export function release(owner: object, key: object): void {
  FINALIZER?.unregister(owner);
  dropLive(key);
}
