// Symmetric linear operators of the spectral methods, dispatched by kind once per product:
//   HESSIAN     ∇²f(x) v of any landscape or model at a fixed point (landscapes/dispatch.ts)
//   GGN         G(θ) v, the generalised Gauss–Newton matrix (= true Fisher) of a finite-sum model
//   FISHER_EMP  F_emp(θ) v, the empirical Fisher of a finite-sum model
//   DENSE       A v for a dense symmetric matrix in the packed panel layout (matvec.ts)
// (the fifth kind, a user's JS function, never reaches wasm: bindings/spectral.ts answers those
// requests itself). Any operator may be restricted to the principal block of coordinates
// [offset, offset + n) of its full dimension d — a layer of a model: v is embedded in a zero
// vector of length d, multiplied, and the block of the product read back.
//
// Descriptor: OP_SLOTS doubles (integers and byte addresses as exact doubles). MUST MATCH
// bindings/spectral.ts (opDescriptor); test/layout.test.ts checks every slot, test/spectral.test.ts
// the count (spectralLayout).

import { landscapeHvp } from '../landscapes/dispatch';
import { modelGgnvp, modelFisherVp } from '../models/dispatch';
import { symv } from './matvec';
import { copy, zero } from './vec';

export const HESSIAN = 0;
export const GGN = 1;
export const FISHER_EMP = 2;
export const DENSE = 3;
export const USER = 4;

export const OP_KIND = 0;     // one of the kinds above
export const OP_N = 1;        // operator dimension (the block's size)
export const OP_D = 2;        // full dimension d (n unless restricted)
export const OP_OFFSET = 3;   // first coordinate of the block
export const OP_LKIND = 4;    // landscape / model kind id (bindings/kinds.ts)
export const OP_PARAMS = 5;   // landscape parameter block
export const OP_POINT = 6;    // x or θ (d doubles)
export const OP_SCRATCH = 7;  // landscape scratch (HESSIAN) or finite-sum scratch (GGN, FISHER_EMP)
export const OP_MATRIX = 8;   // packed matrix (DENSE)
export const OP_NP = 9;       // padded order np of the packed matrix (DENSE)
export const OP_XIN = 10;     // full-length (d, or np for DENSE) input scratch
export const OP_YOUT = 11;    // full-length output scratch
export const OP_SLOTS = 12;

@inline export function slotI(p: usize, i: i32): i32 { return <i32>load<f64>(p + (<usize>i << 3)); }
@inline export function slotP(p: usize, i: i32): usize { return <usize>load<f64>(p + (<usize>i << 3)); }

/** Product of the full (unrestricted, d-dimensional) operator: out = A v. Not for DENSE. */
function applyFull(op: usize, kind: i32, v: usize, out: usize): void {
  const d = slotI(op, OP_D);
  const lk = slotI(op, OP_LKIND);
  const p = slotP(op, OP_PARAMS), x = slotP(op, OP_POINT), w = slotP(op, OP_SCRATCH);
  if (kind == HESSIAN) landscapeHvp(lk, p, d, 1, x, <usize>d << 3, 8, v, out, w);
  else if (kind == GGN) modelGgnvp(lk, p, d, x, v, out, w);
  else if (kind == FISHER_EMP) modelFisherVp(lk, p, d, x, v, out, w);
  else unreachable();
}

/** out = A v for the operator described at `op` (v and out: OP_N doubles, not overlapping). */
export function applyOp(op: usize, v: usize, out: usize): void {
  const kind = slotI(op, OP_KIND);
  const n = slotI(op, OP_N), d = slotI(op, OP_D), off = slotI(op, OP_OFFSET);
  const offBytes = <usize>off << 3;
  if (kind == DENSE) {
    // Always through the padded scratch: the kernel works on np = 4⌈d/4⌉ coordinates.
    const np = slotI(op, OP_NP);
    const xin = slotP(op, OP_XIN), yout = slotP(op, OP_YOUT);
    if (n != np) zero(xin, np);
    copy(xin + offBytes, v, n);
    symv(np, slotP(op, OP_MATRIX), xin, yout);
    copy(out, yout + offBytes, n);
    return;
  }
  if (n == d) { applyFull(op, kind, v, out); return; }
  const xin = slotP(op, OP_XIN), yout = slotP(op, OP_YOUT);
  zero(xin, d);
  copy(xin + offBytes, v, n);
  applyFull(op, kind, xin, yout);
  copy(out, yout + offBytes, n);
}
