// The fused block kernels (assembly/run/fused.ts) against the general pipeline (run/pipeline.ts):
// every combination they serve — landscape (quadratic, Rosenbrock, Himmelblau, Beale, six-hump
// camel, monkey saddle, an expression compiled at run time; d = 2 through the pair kernel, other d
// and expressions through the group kernel) × rule (SGD plain, with weight decay and maximize, momentum
// with dampening, Nesterov, Adam, AdamW, heavy ball) × noise (none, Gaussian with an annealing
// schedule) — runs both ways and must give the same bits: result hash, every particle's final
// position, loss, divergence step. Runs mix in what changes the fused loop's course: record steps,
// learning-rate schedules, padding lanes (P not a multiple of the block), particles diverging,
// and blocks whose lanes all diverge mid-chunk. A wrong operation order, a wrong table entry or a
// misplaced divergence step fails here; so does a fused path that silently never runs (the
// test checks which kernel each run took).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';

const fused = suite('fused block kernels');
fused.before(() => descent.init());
fused.after.each(() => descent.__testing.setFusedKernels(true));

const L = descent.landscapes, O = descent.optimizers, N = descent.noise, S = descent.schedules;

type Case = { name: string; config: descent.SimulateConfig; fusable: boolean };

function landscapes(): Array<{ name: string; f: descent.Landscape; start: number[] }> {
  return [
    { name: 'quadratic d=2', f: L.quadratic({ A: [[2, 0.5], [0.5, 1]], b: [0.1, -0.2] }), start: [1, -1] },
    { name: 'quadratic d=5', f: L.quadratic({ eigenvalues: [0.1, 0.5, 1, 2, 4], seed: 4 }), start: [1, -1, 0.5, 2, -0.3] },
    { name: 'rosenbrock d=2', f: L.rosenbrock(), start: [-1.2, 1] },
    { name: 'rosenbrock d=3', f: L.rosenbrock({ dim: 3 }), start: [-1.2, 1, 0.5] },
    { name: 'himmelblau', f: L.himmelblau(), start: [0.5, 0.5] },
    { name: 'beale', f: L.beale(), start: [1, 0.5] },
    { name: 'six-hump camel', f: L.sixHumpCamel(), start: [0.5, -0.5] },
    { name: 'monkey saddle', f: L.monkeySaddle(), start: [0.3, 0.2] },
    // compiled at run time: the block's gradient in one indirect call, then the fused pass (plain SGD only)
    { name: 'expression d=2', f: L.expression({ expr: '(1-x)^2 + 10*(y-x^2)^2 + sin(x*y)' }), start: [-1, 1] },
    { name: 'expression d=4', f: L.expression({ expr: 'sum(i, 0, d-2, (x[i+1]-x[i]^2)^2) + exp(-x[0]^2)', dim: 4 }), start: [0.5, 0.2, -0.1, 0.3] },
  ];
}

function rules(): Array<{ name: string; opt: descent.optimizers.Optimizer }> {
  const lr = S.cosine({ lr: 2e-3, steps: 40, warmup: 3 });
  return [
    { name: 'sgd', opt: O.sgd({ lr: 2e-3 }) },
    { name: 'sgd weight decay, maximize', opt: O.sgd({ lr, weightDecay: 0.05, maximize: true }) },
    { name: 'sgd momentum, dampening', opt: O.sgd({ lr, momentum: 0.9, dampening: 0.1 }) },
    { name: 'sgd nesterov', opt: O.sgd({ lr: 1e-3, momentum: 0.8, nesterov: true }) },
    { name: 'adam', opt: O.adam({ lr: S.exponential({ lr: 1e-2, gamma: 0.99 }), weightDecay: 0.01 }) },
    { name: 'adamw', opt: O.adamw({ lr: 1e-2, weightDecay: 0.1 }) },
    { name: 'heavy ball', opt: O.heavyBall({ lr, beta: 0.7 }) },
  ];
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const { name: ln, f, start } of landscapes()) {
    for (const { name: rn, opt } of rules()) {
      for (const noisy of [false, true]) {
        const noise = noisy ? N.gaussian({ sigma: f.dim === 2 ? [0.3, 0.1] : 0.2, anneal: S.step({ lr: 1, stepSize: 10, gamma: 0.5 }) }) : N.none();
        out.push({
          name: `${ln} × ${rn} × ${noisy ? 'gaussian' : 'no noise'}`, fusable: true,
          config: {
            landscape: f, optimizer: opt, noise, particles: 203, steps: 37, seed: 11,
            init: descent.inits.normal({ mean: start, std: 1.5 }), record: { every: 7 },
          },
        });
      }
    }
  }
  return out;
}

function run(config: descent.SimulateConfig, on: boolean, options: descent.SimulateOptions = {}) {
  descent.__testing.setFusedKernels(on);
  return descent.simulate(config, { ...options }).then((r) => ({ r: r as descent.EnsembleResult, kernel: descent.__testing.lastFusedCase() }));
}

function same(a: descent.EnsembleResult, b: descent.EnsembleResult, what: string): void {
  assert.is(a.hash, b.hash, `${what}: result hash`);
  assert.is(a.particlesHash, b.particlesHash, `${what}: particles hash`);
  assert.equal(Array.from(a.divergedAt), Array.from(b.divergedAt), `${what}: divergence steps`);
  assert.is(descent.hashFloat64(a.x), descent.hashFloat64(b.x), `${what}: final positions`);
  assert.is(descent.hashFloat64(a.loss), descent.hashFloat64(b.loss), `${what}: final losses`);
}

fused('every (landscape, rule, noise) combination gives the pipeline bits, through a fused kernel', async () => {
  const all = cases();
  assert.is(all.length, 10 * 7 * 2);
  for (const c of all) {
    const on = await run(c.config, true), off = await run(c.config, false);
    // d = 2: every rule is fused; beyond, and for expressions, plain SGD only (run/fused.ts fusedCase).
    const linked = c.config.landscape.kind === 'expression';
    if ((c.config.landscape.dim === 2 && !linked) || c.name.includes('× sgd ×')) assert.ok(on.kernel !== 0, `${c.name}: the fused kernel ran`);
    else assert.is(on.kernel, 0, `${c.name}: beyond d = 2 and for expressions only plain SGD is fused`);
    assert.is(off.kernel, 0, `${c.name}: switched off, the pipeline ran`);
    same(on.r, off.r, c.name);
  }
});

fused('divergence mid-chunk: whole blocks dying, the step each particle left, the same bits', async () => {
  // lr 0.02 on Rosenbrock from a wide start: most particles blow up within a few steps, at different steps.
  for (const [name, f, start] of [['rosenbrock d=2', L.rosenbrock(), [-1.2, 1]], ['quadratic d=5', L.quadratic({ eigenvalues: [1, 10, 100, 200, 300], seed: 2 }), [1, 1, 1, 1, 1]]] as const) {
    const config: descent.SimulateConfig = {
      landscape: f, optimizer: O.sgd({ lr: 0.02 }), noise: N.gaussian({ sigma: 0.5 }), particles: 300, steps: 60, seed: 5,
      init: descent.inits.normal({ mean: [...start], std: 2 }), divergenceBound: 1e3,
    };
    const on = await run(config, true, { chunkSize: 13 }), off = await run(config, false, { chunkSize: 29 });
    assert.ok(on.kernel !== 0);
    same(on.r, off.r, name);
    const diverged = Array.from(on.r.divergedAt).filter((t) => t >= 0);
    assert.ok(diverged.length > 100, `${name}: ${diverged.length} particles diverged (the test needs many)`);
    assert.ok(new Set(diverged).size > 3, `${name}: they diverge at several steps`);
  }
});

fused('runs the fused kernels do not serve go through the pipeline', async () => {
  const base = { landscape: L.rosenbrock(), particles: 64, steps: 5, seed: 1, init: descent.inits.point({ x: [0, 0] }) };
  const others: Array<[string, descent.SimulateConfig]> = [
    ['rmsprop', { ...base, optimizer: O.rmsprop({ lr: 1e-3 }) }],
    ['adam amsgrad', { ...base, optimizer: O.adam({ lr: 1e-3, amsgrad: true }) }],
    ['loss-scaled noise', { ...base, optimizer: O.sgd({ lr: 1e-3 }), noise: N.lossScaled({ sigma: 0.1 }) }],
    ['rastrigin', { ...base, landscape: L.rastrigin(), optimizer: O.sgd({ lr: 1e-3 }) }],
    ['gradient tolerance', { ...base, optimizer: O.sgd({ lr: 1e-3 }), stop: { gradTol: 1e-3 } }],
  ];
  for (const [name, config] of others) {
    await run(config, true);
    assert.is(descent.__testing.lastFusedCase(), 0, name);
  }
});

fused('trajectories and workers: the fused path gives the same bits as the pipeline there too', async () => {
  const config: descent.SimulateConfig = {
    landscape: L.rosenbrock(), optimizer: O.adam({ lr: 1e-2 }), noise: N.gaussian({ sigma: 0.2 }), particles: 500, steps: 30, seed: 9,
    init: descent.inits.normal({ mean: [-1, 1], std: 0.5 }), record: { every: 4, trajectories: 70 },
  };
  const on = await run(config, true), off = await run(config, false);
  same(on.r, off.r, 'trajectories of the first blocks');
  assert.is(descent.hashFloat64(on.r.trajectories!.data), descent.hashFloat64(off.r.trajectories!.data));
  descent.__testing.setFusedKernels(true);
  const workers = await descent.simulate(config, { workers: 2 }) as descent.EnsembleResult;
  same(workers, off.r, 'two workers (fused) vs one thread (pipeline)');
});

fused.run();
