// Scalars computed in wasm for the TypeScript layer (assembly/util/scalar.ts).
import { run } from './engine.ts';

/** √x, computed by the module. */
export function sqrt(x: number): number {
  return run('sqrt', (live) => live.exports.sqrtF64(x));
}
