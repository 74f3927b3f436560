/**
 * The chain rule of each real function of the language, written once for both sweeps: reverse
 * mode (program.ts: an adjoint ā times ∂f/∂a) and forward mode (tangent.ts: a tangent ȧ times
 * ∂f/∂a). Each rule builds seed·f'(a) from IR operations through the caller's emitter, so both
 * programs compute a derivative with the same operations in the same order.
 */
import type { UnaryOp } from './graph.ts';
import type { Op } from './program.ts';

/** 2/√π, erf's derivative at 0 (the same double as assembly/util/erf.ts's TWO_OVER_SQRT_PI). */
export const ERF_SCALE = 1.1283791670955126;

/** How a sweep emits: raw operations, constants, and its folding × and − (a·1 = a, −(−a) = a). */
export interface Emitter {
  op(op: Op, args: number[]): number;
  constant(value: number): number;
  mul(a: number, b: number): number;
  neg(a: number): number;
}

/**
 * seed·f'(a) for f = `op` at argument a and value out = f(a) (both lazy: a rule reads only what it
 * needs). At abs's kink (a = 0) the slope of the branch taken, +1.
 */
export function unaryChain(op: UnaryOp, seed: number, a: () => number, out: () => number, e: Emitter): number {
  const one = (): number => e.constant(1);
  switch (op) {
    case 'exp':
      return e.mul(seed, out());
    case 'log':
      return e.op('div', [seed, a()]);
    case 'log1p':
      return e.op('div', [seed, e.op('add', [one(), a()])]);
    case 'expm1':
      return e.mul(seed, e.op('add', [out(), one()]));
    case 'sqrt':
      return e.mul(seed, e.op('div', [e.constant(0.5), out()]));
    case 'sin':
      return e.mul(seed, e.op('cos', [a()]));
    case 'cos':
      return e.neg(e.mul(seed, e.op('sin', [a()])));
    case 'tan':
      return e.mul(seed, e.op('add', [one(), e.op('mul', [out(), out()])]));
    case 'tanh':
      return e.mul(seed, e.op('sub', [one(), e.op('mul', [out(), out()])]));
    case 'sinh':
      return e.mul(seed, e.op('cosh', [a()]));
    case 'cosh':
      return e.mul(seed, e.op('sinh', [a()]));
    case 'atan':
      return e.op('div', [seed, e.op('add', [one(), e.op('mul', [a(), a()])])]);
    case 'abs':
      return e.op('selLt', [a(), e.constant(0), e.neg(seed), seed]);
    case 'erf':
      return e.mul(seed, e.op('mul', [e.constant(ERF_SCALE), e.op('exp', [e.op('neg', [e.op('mul', [a(), a()])])])]));
  }
}

/** seed·∂(aᵇ)/∂(argument k): b·a^(b−1) for the base (k = 0), aᵇ·log a for the exponent. */
export function powChain(k: number, seed: number, a: () => number, b: () => number, out: () => number, e: Emitter): number {
  if (k === 0) return e.mul(seed, e.op('mul', [b(), e.op('pow', [a(), e.op('sub', [b(), e.constant(1)])])]));
  return e.mul(seed, e.op('mul', [out(), e.op('log', [a()])]));
}
