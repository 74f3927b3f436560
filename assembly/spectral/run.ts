// Entry points of the spectral methods. An algorithm is a state machine (state.ts); spectralStep
// advances it to its next product request, and spectralRun answers every request in wasm with
// the operator described at `op` (operator.ts), so a whole run — every Lanczos iteration, restart
// and Ritz extraction — is one call from JS.

import { REQ_X, REQ_Y, gp } from './state';
import { applyOp } from './operator';
import { lanczosStep, lanczosWorkSize, L_SLOTS } from './lanczos';
import { powerStep, P_SLOTS } from './power';
import { hutchinsonStep, hutchppStep, H_SLOTS, PP_SLOTS } from './trace';
import { slqStep, slqWorkSize, S_SLOTS } from './slq';
import { OP_SLOTS } from './operator';
import { COMMON_SLOTS } from './state';

// Algorithm ids. MUST MATCH bindings/spectral.ts (test/layout.test.ts).
export const LANCZOS = 0;
export const POWER = 1;
export const HUTCHINSON = 2;
export const HUTCHPP = 3;
export const SLQ = 4;

/** Advance algorithm `algo` with state at `st`: 1 = a product is requested (REQ_X → REQ_Y), 0 = done. */
export function spectralStep(algo: i32, st: usize): i32 {
  switch (algo) {
    case LANCZOS: return lanczosStep(st);
    case POWER: return powerStep(st);
    case HUTCHINSON: return hutchinsonStep(st);
    case HUTCHPP: return hutchppStep(st);
    case SLQ: return slqStep(st);
    default: unreachable();
  }
  return 0;
}

/** Run algorithm `algo` to the end, answering every request with the operator at `op`. Returns the products made. */
export function spectralRun(algo: i32, st: usize, op: usize): i32 {
  let count = 0;
  while (spectralStep(algo, st) != 0) {
    applyOp(op, gp(st, REQ_X), gp(st, REQ_Y));
    count++;
  }
  return count;
}

/** y = A x once with the operator at `op` (x, y: its dimension). */
export function spectralApply(op: usize, x: usize, y: usize): void {
  applyOp(op, x, y);
}

/**
 * Layout facts the bindings mirror, for a consistency test: `what` = 0 operator slots,
 * 1 common slots, 2 Lanczos slots, 3 power slots, 4 Hutchinson slots, 5 Hutch++ slots,
 * 6 SLQ slots; 7 Lanczos work doubles for ncv = arg; 8 SLQ work doubles for m = arg.
 */
export function spectralLayout(what: i32, arg: i32): i32 {
  switch (what) {
    case 0: return OP_SLOTS;
    case 1: return COMMON_SLOTS;
    case 2: return L_SLOTS;
    case 3: return P_SLOTS;
    case 4: return H_SLOTS;
    case 5: return PP_SLOTS;
    case 6: return S_SLOTS;
    case 7: return lanczosWorkSize(arg);
    case 8: return slqWorkSize(arg);
    default: return -1;
  }
}
