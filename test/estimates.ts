// A gradient estimator's samples, as the noise-model tests read them (not a test file itself: it
// has no `.test.ts` suffix): each of P particles takes one SGD step at lr 1 from x₀ with the noise
// model under test, so its estimate is ĝ = x₀ − x₁ (exact to an ulp of x₀).
import * as descent from '../src/index.ts';

/** ĝ of every particle, particles × dim row-major, after one SGD step at lr 1 from x₀. */
export async function oneStepEstimates(
  landscape: descent.Landscape,
  noise: descent.noise.Noise,
  x0: number[],
  seed: number,
  particles: number,
): Promise<Float64Array> {
  const r = await descent.simulate({
    landscape,
    optimizer: descent.optimizers.sgd({ lr: 1 }),
    noise,
    init: descent.inits.point({ x: x0 }),
    particles,
    steps: 1,
    seed,
  });
  return Float64Array.from(r.x, (v, i) => x0[i % x0.length] - v);
}
