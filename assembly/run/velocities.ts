// Final velocities of a kinetic sampler's ensemble (samplers.underdamped), read once at the end of
// a run: for every local block, the stored velocity slot (optimizer state slot 0) completed to the
// textbook v_T by samplers/langevin.ts closeVelocities. BAOAB's and OBABO's closing half-steps of
// step T − 1 need ∇U(x_T): it is computed here as step T would compute it — the gradient at x_T,
// then the run's gradient noise of step T (noise/apply.ts noiseBlock) — at step T's step size η_T.
// Nothing in the run's state changes (the completed velocities go to `out`, blocked like X), so
// reading them cannot alter any other result.

import * as D from './descriptor';
import { u, i, key } from './descriptor';
import { landscapeGrad } from '../landscapes/dispatch';
import { noiseBlock, isBatched } from '../noise/apply';
import { learningRate } from '../schedules';
import { closeVelocities } from '../samplers/langevin';
import * as K from '../optimizers/kinds';

/** v_T of every held particle after `steps` steps into out (nb blocks of d × B, blocked like X). */
export function finalVelocities(desc: usize, steps: i32, out: usize): void {
  const d = i(desc, D.DIM), B = i(desc, D.B), nb = i(desc, D.NB), n = d * B;
  const lk = i(desc, D.LK), lp = u(desc, D.LP), lw = u(desc, D.LW), hp = u(desc, D.HP), slots = i(desc, D.SLOTS);
  if (i(desc, D.OK) != K.UNDERDAMPED) unreachable(); // only kinetic samplers carry a velocity
  const stride = <usize>n << 3, row = <usize>B << 3;
  const g = u(desc, D.G), fl = u(desc, D.F);
  const h = learningRate(i(desc, D.SK), u(desc, D.SQ), steps);
  const gamma = load<f64>(hp, K.UNDERDAMPED_FRICTION << 3), mass = load<f64>(hp, K.UNDERDAMPED_MASS << 3);
  const temp = load<f64>(hp, K.UNDERDAMPED_TEMPERATURE << 3), integrator = <i32>load<f64>(hp, K.UNDERDAMPED_INTEGRATOR << 3);
  const batched = isBatched(i(desc, D.NK));
  for (let b = 0; b < nb; b++) {
    const x = u(desc, D.X) + <usize>b * stride;
    const v = u(desc, D.S) + <usize>(b * slots) * stride;
    landscapeGrad(lk, lp, d, B, x, 8, row, g, lw, fl);
    if (batched) for (let k = 0; k < B; k++) store<i32>(u(desc, D.MBI) + (<usize>k << 2), -1); // shared epoch scratch
    noiseBlock(desc, b, steps, x, x, g, fl);
    closeVelocities(d, B, <u32>D.firstParticle(desc, b), <u32>steps, key(desc, D.K0), key(desc, D.K1), g, v,
      out + <usize>b * stride, h, gamma, mass, temp, integrator);
  }
}
