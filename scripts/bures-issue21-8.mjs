// Reproduction of issue 21 item 8 through the public API (needs a build: node scripts/build.mjs --no-types):
// widths [4, 4, 4, 4], ε = 0, Xavier start, sgd η = 0.02, seed 2, 1000 particles. Prints the
// particles marked diverged and, at the first one's last finite position, the gradient next to
// central differences (h = 1e-9 ≪ σ_min). Before the fix: 12 diverged (Σ₀ = diag(4, 3, 2, 1)),
// 3 (Σ₀ = I), NaN gradients; after it: none.
//   node scripts/bures-issue21-8.mjs
import * as descent from '../build/descent.node.mjs';

await descent.init();
const P = 1000, steps = 10;
for (const a of [[4, 3, 2, 1], [1, 1, 1, 1]]) {
  const m = descent.models.buresWasserstein({ widths: [4, 4, 4, 4], target: a.map((ai, i) => a.map((_, j) => (i === j ? ai : 0))) });
  const res = await descent.simulate({ landscape: m, optimizer: descent.optimizers.sgd({ lr: 0.02 }),
    init: m.initializer({ scheme: 'xavier' }), particles: P, steps, seed: 2, record: { trajectories: P } });
  const diverged = [];
  for (let p = 0; p < P; p++) if (res.divergedAt[p] >= 0) diverged.push(`${p}@${res.divergedAt[p]}`);
  console.log(`Σ₀ = diag(${a}): ${diverged.length} diverged ${diverged.join(' ')}`);
  if (!diverged.length) continue;
  const [p, t] = diverged[0].split('@').map(Number);
  const x = Array.from(res.trajectories.data.subarray((t * P + p) * m.dim, (t * P + p + 1) * m.dim));
  const h = 1e-9, g = m.grad(x);
  for (let j = 0; j < 6; j++) {
    const xp = x.slice(), xm = x.slice();
    xp[j] += h; xm[j] -= h;
    console.log(`  θ_${j}: grad ${g[j]}  central difference ${(m.value(xp) - m.value(xm)) / (2 * h)}`);
  }
}
