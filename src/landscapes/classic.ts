/**
 * Classic optimisation test functions (docs/landscapes.md has every formula): n-d Rosenbrock,
 * Rastrigin, Ackley and Styblinski–Tang, and the 2-d Beale, Himmelblau, Müller–Brown and
 * six-hump camel functions.
 */
import { Landscape } from './landscape.ts';
import { dimension, finite, options } from '../validate.ts';

/** Config of {@link rosenbrock}. */
export interface RosenbrockConfig {
  /** Dimension d ≥ 2. Default 2. */
  dim?: number;
  /** Shift a. Default 1. */
  a?: number;
  /** Valley stiffness b. Default 100. */
  b?: number;
}

/**
 * Rosenbrock's banana valley, n-d chained form: Σ_{i<d−1} b (x_{i+1} − x_i²)² + (a − x_i)².
 * Minimum 0 at (1, …, 1) when a = 1 (at (a, a²) when d = 2). Tridiagonal Hessian; HVP in O(d).
 */
export function rosenbrock(config?: RosenbrockConfig): Landscape<'rosenbrock', Required<RosenbrockConfig>> {
  const c = options<RosenbrockConfig>(config, 'rosenbrock', ['dim', 'a', 'b']);
  const dim = dimension(c.dim, 'rosenbrock.dim', 2, 2);
  const a = finite(c.a, 'rosenbrock.a', {}, 1);
  const b = finite(c.b, 'rosenbrock.b', {}, 100);
  return new Landscape('rosenbrock', dim, { dim, a, b }, () => ({ params: Float64Array.of(a, b) }));
}

/** Config of {@link rastrigin}. */
export interface RastriginConfig {
  /** Dimension. Default 2. */
  dim?: number;
  /** Amplitude A of the cosine ripple. Default 10. */
  A?: number;
}

/** Rastrigin: A d + Σ (x_i² − A cos 2πx_i). Global minimum 0 at 0 among ~10ᵈ local minima in [−5.12, 5.12]ᵈ. */
export function rastrigin(config?: RastriginConfig): Landscape<'rastrigin', Required<RastriginConfig>> {
  const c = options<RastriginConfig>(config, 'rastrigin', ['dim', 'A']);
  const dim = dimension(c.dim, 'rastrigin.dim', 1, 2);
  const A = finite(c.A, 'rastrigin.A', {}, 10);
  return new Landscape('rastrigin', dim, { dim, A }, () => ({ params: Float64Array.of(A) }));
}

/** Config of {@link ackley}. */
export interface AckleyConfig {
  /** Dimension. Default 2. */
  dim?: number;
  /** Depth of the central funnel. Default 20. */
  a?: number;
  /** Decay rate of the funnel. Default 0.2. */
  b?: number;
  /** Ripple frequency. Default 2π. */
  c?: number;
}

/**
 * Ackley: −a e^{−b √(‖x‖²/d)} − e^{Σ cos(c x_i)/d} + a + e. Global minimum 0 at 0, where the √
 * makes a cone: there the gradient returned is 0 and the HVP omits the cone term.
 */
export function ackley(config?: AckleyConfig): Landscape<'ackley', Required<AckleyConfig>> {
  const o = options<AckleyConfig>(config, 'ackley', ['dim', 'a', 'b', 'c']);
  const dim = dimension(o.dim, 'ackley.dim', 1, 2);
  const a = finite(o.a, 'ackley.a', {}, 20);
  const b = finite(o.b, 'ackley.b', {}, 0.2);
  const c = finite(o.c, 'ackley.c', {}, 2 * Math.PI);
  return new Landscape('ackley', dim, { dim, a, b, c }, () => ({ params: Float64Array.of(a, b, c) }));
}

/** Config of {@link styblinskiTang}. */
export interface StyblinskiTangConfig {
  /** Dimension. Default 2. */
  dim?: number;
}

/** Styblinski–Tang: ½ Σ (x_i⁴ − 16x_i² + 5x_i). Minimum −39.16616570377142·d at x_i = −2.903534027771178. */
export function styblinskiTang(config?: StyblinskiTangConfig): Landscape<'styblinskiTang', Required<StyblinskiTangConfig>> {
  const c = options<StyblinskiTangConfig>(config, 'styblinskiTang', ['dim']);
  const dim = dimension(c.dim, 'styblinskiTang.dim', 1, 2);
  return new Landscape('styblinskiTang', dim, { dim }, () => ({ params: new Float64Array(0) }));
}

/** Config of the fixed 2-d functions: they take no options. */
export type NoConfig = Record<string, never>;

function fixed2d<K extends 'beale' | 'himmelblau' | 'mullerBrown' | 'sixHumpCamel'>(kind: K, config: unknown): Landscape<K, NoConfig> {
  options(config, kind, []);
  return new Landscape(kind, 2, {}, () => ({ params: new Float64Array(0) }));
}

/** Beale (2-d): Σ_k (c_k − x + x yᵏ)², c = (1.5, 2.25, 2.625). Minimum 0 at (3, 0.5). */
export function beale(config?: NoConfig): Landscape<'beale', NoConfig> {
  return fixed2d('beale', config);
}

/** Himmelblau (2-d): (x² + y − 11)² + (x + y² − 7)². Four minima of value 0, one at (3, 2). */
export function himmelblau(config?: NoConfig): Landscape<'himmelblau', NoConfig> {
  return fixed2d('himmelblau', config);
}

/**
 * Müller–Brown potential (2-d), the standard test of minimum-energy paths: three minima
 * (≈ −146.70, −108.17, −80.77) joined by two saddles.
 */
export function mullerBrown(config?: NoConfig): Landscape<'mullerBrown', NoConfig> {
  return fixed2d('mullerBrown', config);
}

/** Six-hump camel (2-d): six local minima; the two global ones ±(0.0898, −0.7126) have value −1.0316. */
export function sixHumpCamel(config?: NoConfig): Landscape<'sixHumpCamel', NoConfig> {
  return fixed2d('sixHumpCamel', config);
}
