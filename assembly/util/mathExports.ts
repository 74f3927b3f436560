// The math library, exported for modules compiled at run time (expression landscapes,
// src/expression/emit.ts): they import these rather than carry their own or call JS's Math, so
// every value they compute uses AssemblyScript's functions, the same bits in every runtime
// (docs/design.md, determinism contract 2).
import { erf } from './erf';

export function mathExp(x: f64): f64 { return Math.exp(x); }
export function mathLog(x: f64): f64 { return Math.log(x); }
export function mathLog1p(x: f64): f64 { return Math.log1p(x); }
export function mathExpm1(x: f64): f64 { return Math.expm1(x); }
export function mathSin(x: f64): f64 { return Math.sin(x); }
export function mathCos(x: f64): f64 { return Math.cos(x); }
export function mathTan(x: f64): f64 { return Math.tan(x); }
export function mathTanh(x: f64): f64 { return Math.tanh(x); }
export function mathSinh(x: f64): f64 { return Math.sinh(x); }
export function mathCosh(x: f64): f64 { return Math.cosh(x); }
export function mathAtan(x: f64): f64 { return Math.atan(x); }
export function mathErf(x: f64): f64 { return erf(x); }
export function mathPow(x: f64, y: f64): f64 { return Math.pow(x, y); }
