// `descent/simulate` (issue 21: a lean embed): `simulate` for an application that builds its
// config from the factories and runs it in its own thread — the common embed — and that should
// pay only for that. It is `descent`'s `simulate` without two things whose code a bundler cannot
// drop from a function that offers them: JSON forms of the parts (reviving them needs every
// factory of every namespace) and `workers` (the worker program). Both are refused with an
// E_CONFIG that says where to find them (`configFromJSON`, `simulate` from `descent`). Everything
// else — records, stops, tracks, shards, progress, `positions`, AbortSignal — and every number
// are the same: it runs the same code.
import { simulateWith, type SimulateOptions } from '../simulate.ts';
import type { SimulateConfig } from '../config.ts';
import type { EnsembleResult, EnsembleSummary } from '../result.ts';
import type { ShardResult, ShardSpec } from '../shard.ts';

/** Options of descent/simulate: `simulate`'s, without `workers`. */
export type LeanSimulateOptions = Omit<SimulateOptions, 'workers'>;

/**
 * Run an ensemble from a config made by the factories (`landscapes.*`, `optimizers.*`, …) of this
 * copy of descent, in this thread: `descent`'s `simulate` without JSON forms and workers (see
 * the module comment), for a smaller bundle. Same results, bit for bit.
 */
export async function simulate(config: SimulateConfig, opts: LeanSimulateOptions & { shard: ShardSpec }): Promise<ShardResult>;
export async function simulate(
  config: SimulateConfig,
  opts: LeanSimulateOptions & { shard?: undefined; keepParticles: false },
): Promise<EnsembleSummary>;
export async function simulate(
  config: SimulateConfig,
  opts?: LeanSimulateOptions & { shard?: undefined; keepParticles?: true },
): Promise<EnsembleResult>;
export async function simulate(config: SimulateConfig, opts?: LeanSimulateOptions): Promise<EnsembleResult | EnsembleSummary | ShardResult>;
export async function simulate(
  config: SimulateConfig,
  opts: LeanSimulateOptions = {},
): Promise<EnsembleResult | EnsembleSummary | ShardResult> {
  return simulateWith(config, opts, {});
}
