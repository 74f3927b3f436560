/**
 * The {@link Sampler} value and what a run needs of it. A sampler's factory (src/samplers.ts)
 * registers, by kind, how that kind packs for the kernels and what it asks of a run; simulate
 * reads only this registry. So a bundle holds the packing code of the samplers an application
 * makes and no other (issue 21: an embedder pays for what it imports), the pattern of the
 * optimisers' `make` (src/optimizers/optimizer.ts).
 */
import type { PackedRule } from '../bindings/trajectory.ts';

/** Sampler kind ids. MUST MATCH assembly/optimizers/kinds.ts (test/layout.test.ts checks every id). */
export const SAMPLER_KINDS = { ula: 16, underdamped: 17, mala: 18, sgld: 19, svgd: 20, metropolisHastings: 21 } as const;

/** Name of a sampler kind. */
export type SamplerKind = keyof typeof SAMPLER_KINDS;

/** A sampler config: frozen, plain data. */
export interface Sampler<K extends SamplerKind = SamplerKind, P = Record<string, unknown>> {
  readonly type: 'sampler';
  readonly kind: K;
  readonly params: Readonly<P>;
}

/** @internal What simulate asks of a sampler of one kind, given its params. */
export interface SamplerRun {
  /** The kernels' form; `dim` is the landscape's, `path` names the sampler in errors. */
  pack(dim: number, path: string): PackedRule;
  /** Checks of the whole run (SVGD: its particles interact; MALA and MH: exact values, no noise). */
  check?(run: { particles: number; stopping: boolean; noise: { kind: string }; workers?: unknown; shard?: unknown }): void;
  /** Whether the kernel counts accepted proposals (a Metropolis test): the result has `acceptance` and `accepted`. */
  accepts?: boolean;
  /** Default steps per wasm call, when the run's cost per step is not linear in the particles. */
  chunkSteps?(particles: number, dim: number): number;
}

const runs = new Map<SamplerKind, (params: never) => SamplerRun>();

/** @internal Build a sampler value and register what a run of its kind needs. */
export function makeSampler<K extends SamplerKind, P>(kind: K, params: P, run: (p: P) => SamplerRun): Sampler<K, P> {
  runs.set(kind, run as (params: never) => SamplerRun);
  return Object.freeze({ type: 'sampler', kind, params: Object.freeze(params) });
}

/** Is `v` a sampler made by `samplers.*` (of this copy of descent)? */
export function isSampler(v: unknown): v is Sampler {
  return typeof v === 'object' && v !== null && (v as Sampler).type === 'sampler' && runs.has((v as Sampler).kind);
}

/** @internal What a run needs of sampler `s` (made by samplers.*). */
export function samplerRun(s: Sampler): SamplerRun {
  return runs.get(s.kind)!(s.params as never);
}
