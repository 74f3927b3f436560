// Sampling diagnostics computed in wasm (assembly/diagnostics/*): arrays in, numbers out.
import { run } from './engine.ts';

/** Per-column mean, unbiased variance and standard error √(var/n) of the n × d row-major array x. */
export function columnMoments(x: Float64Array, n: number, d: number):
  { mean: Float64Array; variance: Float64Array; standardError: Float64Array } {
  return run('diagnostics.moments', ({ heap, exports }) => {
    const px = heap.pushF64(x), pm = heap.allocF64(d), pv = heap.allocF64(d), ps = heap.allocF64(d);
    exports.columnMoments(n, d, px, pm, pv, ps);
    return { mean: heap.copyOutF64(pm, d), variance: heap.copyOutF64(pv, d), standardError: heap.copyOutF64(ps, d) };
  });
}

/** Multi-chain autocorrelation ρ(0 … maxLag) of m × n chains. */
export function autocorrelation(x: Float64Array, m: number, n: number, maxLag: number): Float64Array {
  return run('diagnostics.autocorrelation', ({ heap, exports }) => {
    const px = heap.pushF64(x), out = heap.allocF64(maxLag + 1), work = heap.allocF64(m);
    exports.autocorrelation(m, n, px, maxLag, out, work);
    return heap.copyOutF64(out, maxLag + 1);
  });
}

/** Effective sample size of m × n chains. */
export function effectiveSampleSize(x: Float64Array, m: number, n: number): number {
  return run('diagnostics.effectiveSampleSize',
    ({ heap, exports }) => exports.effectiveSampleSize(m, n, heap.pushF64(x), heap.allocF64(m)));
}

/** KSD² (IMQ) of N × d points with their scores. */
export function steinImq(x: Float64Array, scores: Float64Array, N: number, d: number, c: number, beta: number): number {
  return run('diagnostics.ksd', ({ heap, exports }) => exports.steinImq(N, d, heap.pushF64(x), heap.pushF64(scores), c, beta));
}

/** Unbiased MMD² (Gaussian kernel, bandwidth ℓ) of x (n × d) and y (m × d). */
export function mmdGaussian(x: Float64Array, y: Float64Array, n: number, m: number, d: number, ell: number): number {
  return run('diagnostics.mmd', ({ heap, exports }) => exports.mmdGaussian(n, m, d, heap.pushF64(x), heap.pushF64(y), ell));
}

/** Median of the N(N−1)/2 pairwise distances of N × d points. */
export function medianPairDistance(z: Float64Array, N: number, d: number): number {
  return run('diagnostics.mmd', ({ heap, exports }) => {
    const k = (N * (N - 1)) / 2, pz = heap.pushF64(z);
    return exports.medianPairDistance(N, d, pz, heap.allocF64(k, 'pairwise distances'), heap.allocF64(k, 'selection scratch'));
  });
}
