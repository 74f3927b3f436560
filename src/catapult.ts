/**
 * The catapult detector (Lewkowycz, Bahri, Dyer, Sohl-Dickstein & Gur-Ari 2020, "The large
 * learning rate phase of deep learning: the catapult mechanism"): gradient descent with
 * 2/λ < η < 4/λ first sees its loss grow — the curvature λ exceeds the stability limit 2/η — and
 * then, once λ has been driven below 2/η, converges in a flatter region. On a sharpness track
 * (`simulate({ …, track: { sharpness } })`) an episode of tracked particle p is:
 *   start  the first measured step with λmax > 2/η_t (η_t the learning rate at that step),
 *   end    the first later measured step with λmax < 2/η_t,
 *   peak   the largest loss in between, which must be ≥ spike × the loss at the start;
 * episodes are searched again after each end. Only comparisons and the thresholds 2/η and
 * spike·loss are computed here (plain IEEE arithmetic: the same in every runtime).
 */
import { finite, options } from './validate.ts';
import { DescentError } from './errors.ts';
import * as schedules from './schedules.ts';
import type { EnsembleResult, SharpnessTrackResult } from './simulate.ts';

/** One catapult episode of one tracked particle. */
export interface Catapult {
  particle: number;
  /** Steps of the start (λmax > 2/η), the loss peak and the end (λmax < 2/η). */
  start: number;
  peak: number;
  end: number;
  lossStart: number;
  lossPeak: number;
  sharpnessStart: number;
  sharpnessEnd: number;
  /** 2/η at the start. */
  threshold: number;
}

/** Config of {@link catapults}. */
export interface CatapultConfig {
  /** Learning rate η: a number or a schedule. Default: the run's optimiser `lr`. */
  lr?: number | schedules.Schedule;
  /** Smallest loss ratio peak/start that counts as a spike. Default 2. */
  spike?: number;
}

/** Catapult episodes in a result's sharpness track (see the module comment). */
export function catapults(result: EnsembleResult, config: CatapultConfig = {}): Catapult[] {
  const c = options<CatapultConfig>(config, 'catapults', ['lr', 'spike']);
  if (!result?.sharpness)
    throw new DescentError('E_INPUT', 'catapults: the result has no sharpness track; run simulate with track: { sharpness: { every } }', {
      path: 'catapults: result',
    });
  const lr = c.lr ?? (result.config.optimizer as { params?: { lr?: unknown } } | undefined)?.params?.lr;
  const schedule = schedules.coerce(lr);
  const etaOf = schedule ? schedules.values(schedule, result.steps) : undefined;
  const eta0 = schedule ? 0 : finite(lr, 'catapults.lr', { gt: 0 }, undefined, 'E_INPUT');
  const spike = finite(c.spike, 'catapults.spike', { min: 1 }, 2, 'E_INPUT');
  return detect(result.sharpness, (t) => 2 / (etaOf ? etaOf[t] : eta0), spike);
}

/** The episodes of every tracked particle, in particle then step order. */
export function detect(track: SharpnessTrackResult, threshold: (t: number) => number, spike: number): Catapult[] {
  const R = track.steps.length,
    m = track.particles,
    k = track.k;
  const lam = (r: number, p: number) => track.values[(r * m + p) * k];
  const loss = (r: number, p: number) => track.loss[r * m + p];
  const out: Catapult[] = [];
  for (let p = 0; p < m; p++) {
    let r = 0;
    while (r < R) {
      while (r < R && !(lam(r, p) > threshold(track.steps[r]))) r++;
      if (r >= R) break;
      const a = r;
      let peak = a,
        e = a + 1;
      while (e < R && !(lam(e, p) < threshold(track.steps[e]))) {
        if (loss(e, p) > loss(peak, p)) peak = e;
        e++;
      }
      if (e >= R) break; // never came back below 2/η: not (yet) a catapult
      if (loss(peak, p) >= spike * loss(a, p)) {
        out.push({
          particle: p,
          start: track.steps[a],
          peak: track.steps[peak],
          end: track.steps[e],
          lossStart: loss(a, p),
          lossPeak: loss(peak, p),
          sharpnessStart: lam(a, p),
          sharpnessEnd: lam(e, p),
          threshold: threshold(track.steps[a]),
        });
      }
      r = e + 1;
    }
  }
  return out;
}
