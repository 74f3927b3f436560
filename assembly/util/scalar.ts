// Scalar functions the TypeScript layer needs for numbers that end up in results (dataset
// scales, initialisation σ, direction normalisation): computed here so they are AssemblyScript's
// bits in every runtime (docs/design.md), not the engine's Math.

/** √x (f64.sqrt: correctly rounded). */
export function sqrtF64(x: f64): f64 {
  return Math.sqrt(x);
}
