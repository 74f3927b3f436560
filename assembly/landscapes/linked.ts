// Landscapes compiled or supplied at run time (docs/landscapes.md, "Your own function"): an
// expression compiled to its own small wasm module (src/expression/), or a JS callback behind a
// wasm trampoline. Either is instantiated against this module's memory and math exports, and its
// three functions are placed in this module's exported function table, at slots the bindings
// chose (bindings/linked.ts). The parameter block holds the first slot:
//   p[0] = s: value at s, gradient at s + 1, Hessian-vector product at s + 2,
// each with the batched signature of landscapeValue/Grad/Hvp below the kind. One indirect call
// per batch (per block in the ensemble loop), never per point.

@inline function slotOf(p: usize): u32 {
  return <u32>load<f64>(p);
}

@inline export function linkedValue(p: usize, d: i32, n: i32, x: usize, sp: usize, sc: usize, w: usize, out: usize): void {
  call_indirect<void>(slotOf(p), p, d, n, x, sp, sc, w, out);
}

@inline export function linkedGrad(p: usize, d: i32, n: i32, x: usize, sp: usize, sc: usize, g: usize, w: usize,
                                   out: usize): void {
  call_indirect<void>(slotOf(p) + 1, p, d, n, x, sp, sc, g, w, out);
}

@inline export function linkedHvp(p: usize, d: i32, n: i32, x: usize, sp: usize, sc: usize, v: usize, hv: usize,
                                  w: usize): void {
  call_indirect<void>(slotOf(p) + 2, p, d, n, x, sp, sc, v, hv, w);
}

/**
 * The linked kind as the fused loops (run/fused.ts runGroups) see it: a gradient for a whole
 * block of B adjacent particles (sp = 8, coordinate stride `row`) in one indirect call, as the
 * pipeline computes it (run/pipeline.ts: landscapeGrad with out = 0), so both paths see the same
 * gradient bits.
 */
@final export class LinkedBlock {
  @inline gradBlock(p: usize, d: i32, B: i32, x: usize, row: usize, g: usize, w: usize): void {
    linkedGrad(p, d, B, x, 8, row, g, w, 0);
  }
}
