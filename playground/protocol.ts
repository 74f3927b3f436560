/**
 * Messages between the playground page (main.ts) and its worker (worker.ts). The page owns the
 * controls and never loads the library; the worker owns descent (the browser bundle and its
 * .wasm) and answers with plain data, so every number shown comes from the library's wasm.
 */

/** The controls' values as typed, keyed by control name (`landscape`, `l.b`, `o.lr`, `seed`, …). */
export type State = Record<string, string>;

/** What the worker offers: every 2-d landscape, optimiser, sampler and noise model, with the factory defaults. */
export interface Catalog {
  version: string;
  /** Most particles × (steps + 1) of a replayed run (every particle's path is kept for the animation); bigger runs are drawn live. */
  maxPoints: number;
  /** Most particles of a run drawn live. */
  maxLive: number;
  /** `params`: the factory's normalised params without `dim`; `dim`: the factory takes `dim` (the playground fixes it to 2). */
  landscapes: { kind: string; params: Record<string, unknown>; dim: boolean }[];
  optimizers: { kind: string; family: 'optimizer' | 'sampler'; params: Record<string, unknown> }[];
  noises: { kind: string; params: Record<string, unknown> }[];
}

/** The plain parts of a DescentError (or of an unexpected error, with code ''). */
export interface ErrorInfo {
  name: string;
  code: string;
  path: string;
  message: string;
}

/** Loss-quantile statistics of the recorded steps (from `result.record`). */
export interface Quantiles {
  steps: Int32Array;
  levels: number[];
  /** rows × levels. */
  values: Float64Array;
}

/** Page → worker. `id` ties answers to the request; the page drops answers to old ids. */
export type Request =
  | { type: 'contour'; id: number; state: State; nx: number; ny: number }
  | { type: 'run'; id: number; state: State; nx: number; ny: number }
  | { type: 'stop'; id: number };

/** Worker → page. */
export type Reply =
  | { type: 'catalog'; catalog: Catalog }
  | { type: 'contour'; id: number; view: number[]; nx: number; ny: number; values: Float64Array }
  | { type: 'progress'; id: number; step: number; steps: number }
  /** Frames `first`… of `total` over a run of T steps: the steps they show and, per frame, every particle's (x, y). */
  | { type: 'frames'; id: number; first: number; total: number; T: number; particles: number; steps: Int32Array; xy: Float64Array }
  /** A run drawn live (too big to replay): every particle's (x, y) at `step` of T, as the run goes; the last one at T. */
  | { type: 'live'; id: number; step: number; T: number; particles: number; xy: Float64Array }
  | {
    type: 'done'; id: number; hash: string; particles: number; steps: number;
    counts: { running: number; diverged: number; stopped: number };
    /** Smallest, median and largest final loss of the particles that did not diverge (order statistics, no arithmetic). */
    finalLoss: [number, number, number] | null;
    quantiles: Quantiles | null;
    /** `result.config` as JSON: `descent run` (the CLI) or `simulate` reproduce the run from it. */
    config: string;
    ms: number;
  }
  | { type: 'stopped'; id: number }
  | { type: 'error'; id: number; error: ErrorInfo };
