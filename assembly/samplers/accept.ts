// The Metropolis accept/reject step shared by MALA (samplers/mala.ts) and Metropolis–Hastings
// (samplers/metropolisHastings.ts): with u the uniform of Philox stream ACCEPT, counter
// (0, step, particle), word pair 0, accept the proposal iff log u < log α. A NaN log α compares
// false: such proposals are rejected.

import { fillUniform } from '../random/uniform';
import { ACCEPT } from '../random/streams';

const U1 = memory.data(8); // one uniform

/**
 * Lane k of a d × B block (particles p0 …, row = 8B bytes) at step t: if accepted, copy its
 * proposal from y into x and count it in acc (i32 × B).
 */
@inline export function metropolisAccept(k0: u32, k1: u32, p0: u32, t: u32, k: i32, logAlpha: f64,
                                         d: i32, row: usize, x: usize, y: usize, acc: usize): void {
  fillUniform(k0, k1, ACCEPT, p0 + <u32>k, t, 0, 1, U1);
  if (Math.log(load<f64>(U1)) < logAlpha) {
    const o0 = <usize>k << 3;
    for (let j = 0; j < d; j++) {
      const o = <usize>j * row + o0;
      store<f64>(x + o, load<f64>(y + o));
    }
    const a = acc + (<usize>k << 2);
    store<i32>(a, load<i32>(a) + 1);
  }
}
