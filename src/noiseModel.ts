/**
 * The {@link Noise} value and what a run needs of it. Each noise factory (src/noise.ts) registers,
 * by kind, how that kind packs for the kernels and, for noise that samples terms (minibatches,
 * label noise), how many terms it samples from on a landscape; simulate reads only this registry.
 * So a bundle holds the code of the noise models an application makes and no other (issue 21: an
 * embedder pays for what it imports), the pattern of src/sampler.ts.
 */
import { packSchedule, type Schedule } from './schedule.ts';

/** @internal Noise kind ids. MUST MATCH assembly/noise/kinds.ts (test/layout.test.ts checks every id). */
export const NOISE_KINDS = {
  none: 0,
  gaussian: 1,
  lossScaled: 2,
  heavyTailed: 3,
  minibatch: 4,
  hessianAligned: 5,
  labelNoise: 6,
  zerothOrder: 7,
  importanceMinibatch: 8,
} as const satisfies Record<NoiseKind, number>;

/** Name of a noise kind. */
export type NoiseKind =
  | 'none'
  | 'gaussian'
  | 'lossScaled'
  | 'heavyTailed'
  | 'minibatch'
  | 'hessianAligned'
  | 'labelNoise'
  | 'zerothOrder'
  | 'importanceMinibatch';

/** A noise model: frozen, JSON-serialisable. */
export interface Noise<P = Record<string, unknown>> {
  readonly type: 'noise';
  readonly kind: NoiseKind;
  readonly params: Readonly<P>;
}

/** @internal The kernels' form of a noise model: kind id, parameters q, and the annealing schedule m_t if any. */
export interface PackedNoise {
  id: number;
  q: Float64Array;
  schedule?: { id: number; q: Float64Array };
}

/** @internal What simulate asks of a noise model of one kind, given its params. */
export interface NoiseRun {
  /**
   * The number of terms K the noise samples from on `landscape` (a model's examples, a finite
   * sum's components), after checking the pair makes sense; absent: 0 (the noise samples none).
   */
  terms?(landscape: { kind: string; params: object }, path: string): number;
  /** q for dimension `d` (checking it: a per-coordinate σ has length d), given K from `terms`. */
  pack(d: number, path: string, terms: number): Float64Array;
}

const runs = new Map<NoiseKind, (params: never) => NoiseRun>();

/** @internal Build a noise value and register what a run of its kind needs. */
export function makeNoise<P>(kind: NoiseKind, params: P, run: (p: P) => NoiseRun): Noise<P> {
  runs.set(kind, run as (params: never) => NoiseRun);
  return Object.freeze({ type: 'noise', kind, params: Object.freeze(params) });
}

/** No noise: plain (full-batch) gradient methods. */
export function none(): Noise<Record<string, never>> {
  return makeNoise('none', {}, () => ({ pack: () => new Float64Array(1) }));
}

/** Is `v` a noise model made by `noise.*` (of this copy of descent)? */
export function isNoise(v: unknown): v is Noise {
  return typeof v === 'object' && v !== null && (v as Noise).type === 'noise' && runs.has((v as Noise).kind);
}

/** What a run needs of noise `n` (made by noise.*). */
function runOf(n: Noise): NoiseRun {
  return runs.get(n.kind)!(n.params as never);
}

/** @internal The number of terms noise `n` samples from on `landscape` (0: none), checking the pair. */
export function batchTerms(n: Noise, landscape: { kind: string; params: object }, path: string): number {
  return runOf(n).terms?.(landscape, path) ?? 0;
}

/** @internal Kernel form of noise `n` for dimension d, given its terms K (batchTerms). */
export function packNoise(n: Noise, d: number, path = 'noise', terms = 0): PackedNoise {
  const q = runOf(n).pack(d, path, terms);
  const anneal = (n.params as { anneal?: Schedule }).anneal;
  return { id: NOISE_KINDS[n.kind], q, ...(anneal ? { schedule: packSchedule(anneal) } : {}) };
}
