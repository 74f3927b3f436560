// `descent/simulate` (issue 21: a lean embed): `simulate` for an application that builds its
// config from the factories and runs the whole ensemble in its own thread — the common embed —
// and that should pay only for that. It is `descent`'s `simulate` without three things whose code
// a bundler cannot drop from a function that offers them: JSON forms of the parts (reviving them
// needs every factory of every namespace), `workers` (the worker program) and `shard` (the
// machinery that packages a shard for `merge`: running at scale is the CLI's and `descent`'s
// job). Each is refused with an E_CONFIG that says where to find it (`configFromJSON`, `simulate`
// from `descent`). Everything else — records, stops, tracks, progress, `positions`, AbortSignal —
// and every number are the same: it runs the same code.
import { simulateWith, type SimulateOptions } from '../simulate.ts';
import type { SimulateConfig } from '../config.ts';
import type { EnsembleResult, EnsembleSummary } from '../result.ts';

/** Options of descent/simulate: `simulate`'s, without `workers` and `shard`. */
export type LeanSimulateOptions = Omit<SimulateOptions, 'workers' | 'shard'>;

/**
 * Run an ensemble from a config made by the factories (`landscapes.*`, `optimizers.*`, …) of this
 * copy of descent, in this thread: `descent`'s `simulate` without JSON forms, workers and shards
 * (see the module comment), for a smaller bundle. Same results, bit for bit.
 */
export async function simulate(config: SimulateConfig, opts: LeanSimulateOptions & { keepParticles: false }): Promise<EnsembleSummary>;
export async function simulate(config: SimulateConfig, opts?: LeanSimulateOptions & { keepParticles?: true }): Promise<EnsembleResult>;
export async function simulate(config: SimulateConfig, opts?: LeanSimulateOptions): Promise<EnsembleResult | EnsembleSummary>;
export async function simulate(config: SimulateConfig, opts: LeanSimulateOptions = {}): Promise<EnsembleResult | EnsembleSummary> {
  return simulateWith(config, opts, {}) as Promise<EnsembleResult | EnsembleSummary>;
}
