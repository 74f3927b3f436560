// A single optimisation trajectory held in a dedicated instance: everything is allocated once,
// then `advance` runs a chunk of steps in one wasm call (docs/design.md hot-path rule).

import type { Live } from './engine.ts';
import type { Packed } from './landscapes.ts';

/** Kernel-side description of an optimiser (bindings never see configs). */
export interface PackedRule {
  id: number;
  hyper: Float64Array;
  schedule: { id: number; q: Float64Array };
}

/** Addresses of one trajectory's buffers in its instance. */
export class Trajectory {
  readonly #live: Live;
  readonly #l: Packed;
  readonly #o: PackedRule;
  readonly #p: { lp: number; lw: number; hp: number; s: number; r: number; q: number; x: number; g: number; losses: number; xs: number };

  /**
   * Allocate and initialise (throws E_MEMORY before any work if the buffers exceed the limit).
   * @param steps total steps; losses and (if `record`) iterates are kept for all of them.
   */
  constructor(live: Live, landscape: Packed, rule: PackedRule, x0: Float64Array, steps: number, record: boolean) {
    const { heap, exports } = live;
    const d = landscape.dim;
    const lp = heap.pushF64(landscape.params, 'landscape parameters');
    const lw = heap.allocF64(landscape.scratch, 'landscape scratch');
    const hp = heap.pushF64(rule.hyper, 'optimizer hyperparameters');
    const q = heap.pushF64(rule.schedule.q, 'schedule');
    const x = heap.pushF64(x0, 'point');
    const g = heap.allocF64(d, 'gradient');
    const slots = exports.optimizerSlots(rule.id, hp);
    const s = heap.allocF64(Math.max(1, slots) * d, 'optimizer state');
    const r = heap.allocF64(2, 'optimizer scalars');
    const losses = heap.allocF64(steps, 'losses');
    const xs = record ? heap.allocF64(steps * d, 'trajectory') : 0;
    exports.optimizerInit(rule.id, hp, d, x, s, 8 * d, r);
    this.#live = live;
    this.#l = landscape;
    this.#o = rule;
    this.#p = { lp, lw, hp, s, r, q, x, g, losses, xs };
  }

  /** Run steps [t0, t1); returns the first step whose iterate is not finite, or −1. */
  advance(t0: number, t1: number): number {
    const p = this.#p, d = this.#l.dim;
    return this.#live.exports.trajectoryRun(this.#l.id, p.lp, d, p.lw, this.#o.id, p.hp, p.s, p.r,
      this.#o.schedule.id, p.q, p.x, p.g, t0, t1, p.losses + 8 * t0, p.xs === 0 ? 0 : p.xs + 8 * d * t0);
  }

  /** Copies of the current point, the first `n` losses and (if recorded) the first `n` iterates. */
  read(n: number): { x: Float64Array; losses: Float64Array; xs: Float64Array | undefined } {
    const h = this.#live.heap, p = this.#p, d = this.#l.dim;
    return { x: h.copyOutF64(p.x, d), losses: h.copyOutF64(p.losses, n), xs: p.xs ? h.copyOutF64(p.xs, n * d) : undefined };
  }
}
