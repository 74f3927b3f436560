/**
 * The module behind `landscapes.fromFunction`: three exported functions with the engine's batched
 * landscape signatures, each forwarding its arguments to an imported JS function (`env.value`,
 * `env.grad`, `env.hvp`). The engine's table can only hold wasm functions; this puts JS callbacks
 * one indirect call away, so the ensemble loop calls them once per block, never per point.
 */
import { Bytes, I32, OP, writeModule } from './wasm.ts';

let bytes: Uint8Array | undefined;

/** The trampoline's bytes (the same for every callback landscape: the callbacks are its imports). */
export function trampolineModule(): Uint8Array {
  if (bytes) return bytes;
  const types = [
    { params: Array(8).fill(I32), results: [] },
    { params: Array(9).fill(I32), results: [] },
  ];
  const forward = (arity: number, callee: number): Bytes => {
    const body = new Bytes();
    for (let k = 0; k < arity; k++) body.byte(OP.localGet).u32(k);
    return body.byte(OP.call).u32(callee);
  };
  bytes = writeModule(
    types,
    [
      { name: 'value', type: 0 },
      { name: 'grad', type: 1 },
      { name: 'hvp', type: 1 },
    ],
    [
      { type: 0, locals: [], body: forward(8, 0) },
      { type: 1, locals: [], body: forward(9, 1) },
      { type: 1, locals: [], body: forward(9, 2) },
    ],
    [
      { name: 'value', func: 3 },
      { name: 'grad', func: 4 },
      { name: 'hvp', func: 5 },
    ],
  );
  return bytes;
}
