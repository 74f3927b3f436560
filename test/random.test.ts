// Counter-based random numbers: known answers, an independent Python reference, the same bits
// under any chunking, and statistics with stated power.
//
// Statistical checks use fixed seeds, so each is deterministic; the thresholds are chosen so that
// a correct generator with a *random* seed would pass each with the probability stated.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as descent from '../src/index.ts';
import fixture from './fixtures/random.json';
import { close, throwsDescent } from './util.ts';

const r = suite('random');
r.before(() => descent.init());

r('Philox4x32-10 reproduces Random123\'s known-answer vectors', () => {
  for (const k of fixture.kat) {
    const out = descent.random.philox(k.counter as [number, number, number, number], k.key as [number, number]);
    assert.equal(Array.from(out), k.out);
  }
});

r('uniform draws equal the independent Python reference bit for bit', () => {
  for (const u of fixture.uniform) {
    assert.equal(Array.from(descent.random.uniform(u.config)), u.draws, JSON.stringify(u.config));
  }
});

r('normal draws equal the Python reference to 1e-14 (libm vs AssemblyScript Math)', () => {
  for (const n of fixture.normal) close(descent.random.normal(n.config), n.draws, 1e-14, JSON.stringify(n.config));
});

r('uniforms are multiples of 2^-53 in [0, 1)', () => {
  const u = descent.random.uniform({ seed: 9, count: 10000 });
  for (const x of u) {
    assert.ok(x >= 0 && x < 1);
    assert.ok(Number.isInteger(x * 2 ** 53));
  }
});

r('the same draws come out however the request is chunked (odd offsets included)', () => {
  for (const kind of ['uniform', 'normal'] as const) {
    const whole = descent.random[kind]({ seed: 5, stream: 3, particle: 11, step: 2, count: 1001 });
    const parts: number[] = [];
    for (const [offset, count] of [[0, 1], [1, 332], [333, 2], [335, 666]]) {
      parts.push(...descent.random[kind]({ seed: 5, stream: 3, particle: 11, step: 2, offset, count }));
    }
    assert.equal(parts, Array.from(whole), kind);
  }
});

/** Standard normal CDF via erfc (Numerical Recipes' erfcc, fractional error < 1.2e-7: ample for KS at n = 10⁵). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

const N = 100000;

r('uniform moments: mean within 4.4 SE of 1/2, variance within 4.4 SE of 1/12 (each p ≈ 1e-5 to fail)', () => {
  const u = descent.random.uniform({ seed: 2024, count: N });
  let s = 0, s2 = 0;
  for (const x of u) { s += x; s2 += x * x; }
  const mean = s / N, v = s2 / N - mean * mean;
  assert.ok(Math.abs(mean - 0.5) < 4.4 * Math.sqrt(1 / 12 / N), `mean ${mean}`);
  // Var of the sample variance of U(0,1): (1/80 − 1/144)/N.
  assert.ok(Math.abs(v - 1 / 12) < 4.4 * Math.sqrt((1 / 80 - 1 / 144) / N), `variance ${v}`);
});

r('normal moments: mean, variance, skewness, kurtosis within 4.4 SE (each p ≈ 1e-5 to fail)', () => {
  const z = descent.random.normal({ seed: 77, stream: 1, count: N });
  let m1 = 0, m2 = 0, m3 = 0, m4 = 0;
  for (const x of z) { m1 += x; m2 += x * x; m3 += x * x * x; m4 += x * x * x * x; }
  m1 /= N; m2 /= N; m3 /= N; m4 /= N;
  const k = 4.4;
  assert.ok(Math.abs(m1) < k * Math.sqrt(1 / N), `mean ${m1}`);
  assert.ok(Math.abs(m2 - 1) < k * Math.sqrt(2 / N), `E z² ${m2}`);
  assert.ok(Math.abs(m3) < k * Math.sqrt(15 / N), `E z³ ${m3}`);
  assert.ok(Math.abs(m4 - 3) < k * Math.sqrt(96 / N), `E z⁴ ${m4}`);
});

r('Kolmogorov–Smirnov: normals against Φ, D < 1.949/√n (α = 0.001)', () => {
  for (const seed of [1, 2, 3]) {
    const z = Float64Array.from(descent.random.normal({ seed, particle: seed, count: N })).sort();
    let D = 0;
    for (let i = 0; i < N; i++) {
      const F = phi(z[i]);
      D = Math.max(D, (i + 1) / N - F, F - i / N);
    }
    assert.ok(D < 1.949 / Math.sqrt(N), `seed ${seed}: D = ${D}`);
  }
});

r('Kolmogorov–Smirnov: uniforms against U(0,1), D < 1.949/√n (α = 0.001)', () => {
  const u = Float64Array.from(descent.random.uniform({ seed: 99, count: N })).sort();
  let D = 0;
  for (let i = 0; i < N; i++) D = Math.max(D, (i + 1) / N - u[i], u[i] - i / N);
  assert.ok(D < 1.949 / Math.sqrt(N), `D = ${D}`);
});

function corr(a: Float64Array, b: Float64Array): number {
  let sa = 0, sb = 0, sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < a.length; i++) { sa += a[i]; sb += b[i]; sab += a[i] * b[i]; saa += a[i] * a[i]; sbb += b[i] * b[i]; }
  const n = a.length;
  return (sab / n - (sa / n) * (sb / n)) / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
}

r('neighbouring particles, steps, streams and seeds are uncorrelated: |ρ| < 4.4/√n (each p ≈ 1e-5 to fail)', () => {
  const n = 50000, bound = 4.4 / Math.sqrt(n);
  const base = { seed: 123, stream: 4, particle: 1000, step: 50, count: n };
  const z = descent.random.normal(base);
  const neighbours = {
    particle: descent.random.normal({ ...base, particle: 1001 }),
    step: descent.random.normal({ ...base, step: 51 }),
    stream: descent.random.normal({ ...base, stream: 5 }),
    seed: descent.random.normal({ ...base, seed: 124 }),
    'draw index (lag 1)': descent.random.normal({ ...base, offset: 1 }),
  };
  for (const [what, w] of Object.entries(neighbours)) {
    const rho = corr(z, w);
    assert.ok(Math.abs(rho) < bound, `${what}: ρ = ${rho}`);
  }
  // The two normals of one Box–Muller block are independent too: even vs odd draws.
  const evens = z.filter((_, i) => i % 2 === 0), odds = z.filter((_, i) => i % 2 === 1);
  assert.ok(Math.abs(corr(evens, odds)) < 4.4 / Math.sqrt(n / 2), 'cos/sin halves');
});

r('bad draw requests are E_CONFIG / E_INPUT with the field', () => {
  throwsDescent(() => descent.random.normal({ seed: -1, count: 1 }), 'E_CONFIG', 'random.normal.seed');
  throwsDescent(() => descent.random.normal({ seed: 1.5, count: 1 }), 'E_CONFIG', 'random.normal.seed');
  throwsDescent(() => descent.random.uniform({ seed: 0, count: -1 }), 'E_CONFIG', 'random.uniform.count');
  throwsDescent(() => descent.random.uniform({ seed: 0, count: 1, particle: 2 ** 32 }), 'E_CONFIG', 'random.uniform.particle');
  throwsDescent(() => descent.random.uniform({ seed: 0, count: 20, offset: 2 ** 32 - 10 }), 'E_CONFIG', 'random.uniform.offset + count');
  throwsDescent(() => descent.random.uniform({ seed: 0, count: 3 }, new Float64Array(2)), 'E_INPUT', 'random.uniform: out');
  throwsDescent(() => descent.random.philox([0, 0, 0, -1], [0, 0]), 'E_INPUT', 'random.philox: counter[3]');
  throwsDescent(() => descent.random.uniform({ seed: 0, count: 1, sede: 1 } as never), 'E_CONFIG', 'random.uniform.sede');
});

r.run();

const z = suite('random: ziggurat normals');
z.before(() => descent.init());

z('Kolmogorov–Smirnov against Φ, D < 1.949/√n (α = 0.001), for three seeds', () => {
  for (const seed of [1, 2, 3]) {
    const x = Float64Array.from(descent.random.normal({ seed, particle: seed, count: N, method: 'ziggurat' })).sort();
    let D = 0;
    for (let i = 0; i < N; i++) { const F = phi(x[i]); D = Math.max(D, (i + 1) / N - F, F - i / N); }
    assert.ok(D < 1.949 / Math.sqrt(N), `seed ${seed}: D = ${D}`);
  }
});

z('moments within 4.4 SE; the tail beyond the base layer (|z| > R) has its normal mass', () => {
  const n = 1_000_000;
  const x = descent.random.normal({ seed: 8, stream: 9, count: n, method: 'ziggurat' });
  let m1 = 0, m2 = 0, m4 = 0, tail = 0;
  for (const v of x) { m1 += v; m2 += v * v; m4 += v ** 4; if (Math.abs(v) > 3.6541528853610088) tail++; }
  m1 /= n; m2 /= n; m4 /= n;
  assert.ok(Math.abs(m1) < 4.4 / Math.sqrt(n), `mean ${m1}`);
  assert.ok(Math.abs(m2 - 1) < 4.4 * Math.sqrt(2 / n), `variance ${m2}`);
  assert.ok(Math.abs(m4 - 3) < 4.4 * Math.sqrt(96 / n), `fourth moment ${m4}`);
  // P(|z| > R) = 2(1 − Φ(R)) = 2.5818e-4: 258 expected in 10⁶, Poisson SE ≈ 16.
  const expected = 2 * (1 - phi(3.6541528853610088)) * n;
  assert.ok(Math.abs(tail - expected) < 4.4 * Math.sqrt(expected), `tail count ${tail}, expected ${expected.toFixed(0)}`);
});

z('ensemble Gaussian noise is exactly these draws: particle p, step t, coordinate j = draw j of (stream 1, p, t)', async () => {
  // f ≡ 0 and SGD with lr 1: x₁ = x₀ − σ z, so z = (x₀ − x₁)/σ with σ = 1 exactly.
  const r = await descent.simulate({ landscape: descent.landscapes.quadratic({ A: [[0, 0, 0], [0, 0, 0], [0, 0, 0]] }), optimizer: descent.optimizers.sgd({ lr: 1 }),
    noise: descent.noise.gaussian({ sigma: 1 }), init: descent.inits.point({ x: [0, 0, 0] }), particles: 130, steps: 1, seed: 42 });
  for (const p of [0, 1, 63, 64, 129]) {
    const expected = descent.random.normal({ seed: 42, stream: 1, particle: p, step: 0, count: 3, method: 'ziggurat' });
    assert.equal(Array.from(r.x.subarray(3 * p, 3 * p + 3), (v) => -v), Array.from(expected), `particle ${p}`);
  }
});


z('loss-scaled noise is exactly σ√f times these draws, on the eight-lane path and one lane at a time', async () => {
  // f ≡ 4 (A = 0, c = 4) and σ = 0.5: σ√f = 1, so x₁ = x₀ − z exactly. Blocks of 64 particles (d = 3)
  // take the eight-lane path, blocks of 4 (d = 700) one lane at a time.
  for (const [d, P] of [[3, 70], [700, 5]] as const) {
    const A = Array.from({ length: d }, () => new Array(d).fill(0));
    const r = await descent.simulate({ landscape: descent.landscapes.quadratic({ A, c: 4 }), optimizer: descent.optimizers.sgd({ lr: 1 }),
      noise: descent.noise.lossScaled({ sigma: 0.5 }), init: descent.inits.point({ x: new Array(d).fill(0) }), particles: P, steps: 1, seed: 3 });
    for (let p = 0; p < P; p++) {
      const expected = descent.random.normal({ seed: 3, stream: 1, particle: p, step: 0, count: d, method: 'ziggurat' });
      assert.equal(Array.from(r.x.subarray(d * p, d * (p + 1)), (v) => -v), Array.from(expected), `d = ${d}, particle ${p}`);
    }
  }
});

z('Langevin sampler draws are exactly these: particle p, step t, coordinate j = draw j of (stream 9, p, t), ziggurat', async () => {
  // ULA on Rastrigin from x₀ = 0, where ∇f = 0 exactly, with h = 0.5 and T = 1: x₁ = √(2hT)·z = z.
  // Blocks of 64 particles (d = 3) take the eight-lane path, blocks of 4 (d = 800) and 2
  // (d = 1 500) one lane at a time: all must give the same draws. 400 × 3 draws include ~14
  // ziggurat rejections (1.2% each), so the eight-lane path's fallback runs too.
  for (const [d, P] of [[3, 400], [800, 6], [1500, 3]] as const) {
    const r = await descent.simulate({ landscape: descent.landscapes.rastrigin({ dim: d }), optimizer: descent.samplers.ula({ stepSize: 0.5, temperature: 1 }),
      init: descent.inits.point({ x: new Array(d).fill(0) }), particles: P, steps: 1, seed: 11 });
    for (let p = 0; p < P; p++) {
      const expected = descent.random.normal({ seed: 11, stream: 9, particle: p, step: 0, count: d, method: 'ziggurat' });
      assert.equal(Array.from(r.x.subarray(d * p, d * (p + 1))), Array.from(expected), `d = ${d}, particle ${p}`);
    }
  }
  // Underdamped Euler–Maruyama with γ = m = T = 1, h = 0.5 (so √(2γhT/m) = 1) from x₀ = v₀ = 0:
  // v₁ = ξ₀, x₁ = 0, x₂ = x₁ + h·v₁ = ξ₀/2 — the velocity's noise pass on both lane paths.
  for (const [d, P] of [[3, 70], [700, 5]] as const) {
    const r = await descent.simulate({ landscape: descent.landscapes.rastrigin({ dim: d }),
      optimizer: descent.samplers.underdamped({ stepSize: 0.5, friction: 1, mass: 1, temperature: 1, integrator: 'euler' }),
      init: descent.inits.point({ x: new Array(d).fill(0) }), particles: P, steps: 2, seed: 12 });
    for (let p = 0; p < P; p++) {
      const expected = descent.random.normal({ seed: 12, stream: 9, particle: p, step: 0, count: d, method: 'ziggurat' });
      assert.equal(Array.from(r.x.subarray(d * p, d * (p + 1))), Array.from(expected, (z) => 0.5 * z), `underdamped, d = ${d}, particle ${p}`);
    }
  }
});

z('Philox on four counters at once (the noise path) equals the scalar generator lane for lane', async () => {
  // Ensemble noise uses the four-lane Philox for groups of four particles and the scalar one for
  // the rest; the same draws must come out either way. Particles 0–3 go through four lanes,
  // particle 130 of a 131-particle run (block of 64 + 3 left over) through the scalar tail.
  const r = await descent.simulate({ landscape: descent.landscapes.quadratic({ A: [[0, 0], [0, 0]] }), optimizer: descent.optimizers.sgd({ lr: 1 }),
    noise: descent.noise.gaussian({ sigma: 1 }), init: descent.inits.point({ x: [0, 0] }), particles: 131, steps: 2, seed: 5 });
  for (const p of [0, 1, 2, 3, 128, 130]) {
    const z0 = descent.random.normal({ seed: 5, stream: 1, particle: p, step: 0, count: 2, method: 'ziggurat' });
    const z1 = descent.random.normal({ seed: 5, stream: 1, particle: p, step: 1, count: 2, method: 'ziggurat' });
    assert.equal(Array.from(r.x.subarray(2 * p, 2 * p + 2)), [-z0[0] - z1[0], -z0[1] - z1[1]], `particle ${p}`);
  }
});

z.run();
