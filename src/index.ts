/**
 * descent — the dynamics of gradient methods in JavaScript: landscapes with exact derivatives,
 * counter-based randomness, and (in later modules) optimisers, samplers, curvature diagnostics
 * and Monte Carlo ensembles. Every number is computed in SIMD WebAssembly, so the bits are the
 * same in Node, Deno, Bun, Chromium and Firefox.
 *
 * @example
 * import * as descent from 'descent';
 * await descent.init();
 * const f = descent.landscapes.himmelblau();
 * f.value([3, 2]);   // 0
 * @module
 */
export { init, isInitialized, type InitOptions } from './init.ts';
export { DescentError, type DescentErrorCode, type DescentErrorDetails } from './errors.ts';
export * as landscapes from './landscapes/index.ts';
export { Landscape, type LandscapeJSON, type LandscapeKind } from './landscapes/index.ts';
export * as random from './random.ts';
export * as data from './data/index.ts';
export * as models from './models/index.ts';
export * as slices from './slices.ts';
export { Model } from './models/index.ts';
export type { Dataset } from './data/index.ts';
export * as optimizers from './optimizers/index.ts';
export * as schedules from './namespaces/schedules.ts';
export * as samplers from './namespaces/samplers.ts';
export * as diagnostics from './diagnostics.ts';
export { catapults, type Catapult, type CatapultConfig } from './catapult.ts';
export { minimize, type MinimizeOptions, type MinimizeResult } from './minimize.ts';
export * as noise from './namespaces/noise.ts';
export * as inits from './namespaces/inits.ts';
export {
  simulate,
  KEEP_PARTICLES_LIMIT,
  type SimulateConfig,
  type SimulateConfigJSON,
  type ComponentJSON,
  type SimulateOptions,
  type EnsembleResult,
  type EnsembleSummary,
  type EnsembleRecord,
  type FinalStatistics,
  type EventTimes,
  type SketchQuantiles,
  type Histogram,
  type ParticleColumns,
  type Progress,
  type LatestRecord,
  type Region,
  type SharpnessTrackConfig,
  type SharpnessTrackResult,
} from './simulate.ts';
export { stream, type Snapshot } from './stream.ts';
export { configFromJSON, type ConfigOverrides } from './revive.ts';
export { hashFloat64, hashBytes } from './hash.ts';
export { version } from './version.ts';
/** @internal Hooks for descent's own tests. */
export * as __testing from './testing.ts';
export { save, load, merge, merger, Merger, isShard, type ShardResult, type ShardSpec } from './shard.ts';
export type { SummaryPart } from './summary.ts';
export type { WorkersOption } from './workers.ts';
export * as spectral from './spectral/index.ts';
export * as plots from './plots/index.ts';
