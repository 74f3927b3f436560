// Label noise (label-noise SGD; Blanc et al. 2020, Damian et al. 2021): each step, each example
// in a particle's batch sees a freshly perturbed target.
//   regression (mse)          ỹ = y + σ ξ,  ξ ~ N(0, I_k): Box–Muller draws slot·k … slot·k + k − 1
//   classification (CE, bce) with probability ρ the label is replaced by a uniformly random
//                            *other* class: ỹ = (y + 1 + ⌊u₂ (C − 1)⌋) mod C, flipped when u₁ < ρ
// Draws come from stream LABEL, counter (·, step, particle), indexed by the batch slot, so a
// repeated example (sampling with replacement) gets independent noise in each slot.

import { philox, out0, out1, out2, out3 } from '../random/philox';
import { u01 } from '../random/uniform';
import { fillNormal } from '../random/normal';
import { LABEL } from '../random/streams';
import { KOUT, LOSS, YW, BCE, ldi } from './layout';

/** Write the perturbed target of batch slot `slot` (true target at y) into yt; returns yt. */
export function perturbLabel(p: usize, y: usize, yt: usize, sigma: f64, flip: f64,
                             k0: u32, k1: u32, particle: u32, step: u32, slot: i32): usize {
  const yw = ldi(p, YW);
  if (sigma > 0.0) {
    fillNormal(k0, k1, LABEL, particle, step, <u32>(slot * yw), yw, yt);
    for (let j = 0; j < yw; j++) {
      const o = <usize>j << 3;
      store<f64>(yt + o, load<f64>(y + o) + sigma * load<f64>(yt + o));
    }
    return yt;
  }
  philox(<u32>slot, step, particle, LABEL, k0, k1);
  const label = load<f64>(y);
  if (u01(out0, out1) < flip) {
    const C = ldi(p, LOSS) == BCE ? 2 : ldi(p, KOUT);
    let shift = 1 + <i32>Math.floor(u01(out2, out3) * <f64>(C - 1));
    if (shift > C - 1) shift = C - 1;
    store<f64>(yt, <f64>((<i32>label + shift) % C));
  } else store<f64>(yt, label);
  return yt;
}
