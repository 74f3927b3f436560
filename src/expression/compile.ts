/**
 * An expression to wasm: parse and elaborate (graph.ts), build the value, gradient and HVP
 * programs (program.ts, tangent.ts), emit one module (emit.ts). Pure and synchronous: the same
 * string, dimension and parameters give the same bytes.
 */
import { elaborate } from './graph.ts';
import { buildProgram } from './program.ts';
import { tangentProgram } from './tangent.ts';
import { emitModule } from './emit.ts';

/** A compiled expression: the module's bytes, the engine math exports it imports, and sizes for reports. */
export interface CompiledExpression {
  readonly bytes: Uint8Array;
  readonly imports: readonly string[];
  /** Distinct subexpressions of the expression graph. */
  readonly nodes: number;
}

/** Compile `source` over d = `dim` with parameter values `params` (path names the field in errors). */
export function compileExpression(source: string, dim: number, params: Readonly<Record<string, number>>, path: string): CompiledExpression {
  const graph = elaborate(source, dim, params, path);
  const grad = buildProgram(graph, true, false);
  const gradValue = buildProgram(graph, true, true);
  const { bytes, imports } = emitModule({
    value: buildProgram(graph, false, true),
    grad,
    gradValue,
    hvp: tangentProgram(grad),
  });
  return { bytes, imports, nodes: graph.size };
}
